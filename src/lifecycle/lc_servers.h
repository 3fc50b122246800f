/* lc_servers: the servers the tool drives, asked as one — the single
 * server, or every node of a Valkey Cluster.
 *
 * What a scenario or a command asks of "the server" has to be asked of each node in a
 * cluster: a key or document count and used_memory are sums over the
 * masters (FT.INFO num_docs is per shard, ../shared/reference 06b); a
 * CONFIG SET goes to every node, replicas included; an index is ready when
 * every master has caught up; and without the search module's coordinator
 * an index exists only where FT.CREATE was sent (reference 06c), so it is
 * created (and dropped) on each master that lacks it, and a KNN query has to
 * be sent to every master and the answers merged (wl_query.h).
 *
 * Node 0 is the server named on the command line (the seed). */
#ifndef LC_SERVERS_H
#define LC_SERVERS_H

#include <stdbool.h>
#include <stdint.h>

#include "../net/net_client.h"
#include "../search/idx.h"
#include "../workload/wl_query.h"

typedef struct lc_node {
    net_client cl;
    bool is_master;
    int slot;   /* a slot the master serves (routes a command to it); -1 */
    char *host; /* the address as the cluster's map gives it (the engine's names) */
    int port;
} lc_node;

typedef struct lc_servers {
    lc_node *node; /* [n] */
    int n;
    int skipped; /* nodes without slots left out: failed, or not reachable */
    bool cluster;
} lc_servers;

/* One client to the server, or (endpoint with cluster) to every node of
 * the cluster's map, the seed first — but for replicas and masters without
 * slots that are failed or cannot be reached (counted in skipped); an
 * unreachable master serving slots fails. */
int lc_servers_open(lc_servers *s, const net_endpoint *ep, vm_err *err);
void lc_servers_close(lc_servers *s);

/* What the seed runs: software ("valkey", "redis"), its version, and the
 * search module's version ("1.0.3"; "" when not loaded). */
typedef struct lc_server_desc {
    char software[32];
    char version[32];
    bool search;
    char search_version[32];
    bool coordinator; /* the search module was loaded with --use-coordinator */
} lc_server_desc;
int lc_servers_describe(lc_servers *s, lc_server_desc *d, vm_err *err);
/* The same through any open client. */
int lc_server_describe(net_client *cl, lc_server_desc *d, vm_err *err);

/* Without the coordinator on a cluster, FT.SEARCH answers from one shard:
 * the masters to send each query to, one target each (a slot it serves and
 * its address), in t[max]; returns how many (0: one query is enough — a
 * single server, or the coordinator merges). */
int lc_servers_query_fanout(const lc_servers *s, const lc_server_desc *d, wl_fan_target *t,
                            int max);

/* Documents in the index when it exists on a master, else its DBSIZE;
 * summed over the masters.  -1 when a master cannot be asked. */
int lc_servers_count(lc_servers *s, const char *index, bool index_exists, uint64_t *out,
                     vm_err *err);
/* INFO memory used_memory summed over the masters. */
int lc_servers_used_memory(lc_servers *s, double *out, vm_err *err);
/* INFO cpu used_cpu_sys + used_cpu_user (seconds) summed over the masters. */
int lc_servers_used_cpu(lc_servers *s, double *out, vm_err *err);
/* CONFIG SET key value on every node. */
int lc_servers_config_set(lc_servers *s, const char *key, const char *value, vm_err *err);
/* FT.CREATE through the seed, then on each master where the index is not
 * seen (no coordinator).  When the seed had it already: -1 with the
 * server's "already exists" message, the other masters seen to all the same. */
int lc_servers_index_create(lc_servers *s, const idx_spec *spec, vm_err *err);
/* FT.DROPINDEX wherever the index is; "not found" everywhere is an error
 * whose message says so. */
int lc_servers_index_drop(lc_servers *s, const char *name, vm_err *err);
/* Wait until the index has caught up on every master serving slots (one
 * without slots, a node joining, holds no key; see idx_wait_ready);
 * out gets the seed's info with num_docs summed over the masters. */
int lc_servers_index_wait(lc_servers *s, const char *name, uint64_t timeout_ms, idx_info *out,
                          vm_err *err);

#endif
