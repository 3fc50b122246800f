/* sc_servers: the servers a scenario drives, asked as one — the single
 * server, or every node of a Valkey Cluster.
 *
 * What a scenario asks of "the server" has to be asked of each node in a
 * cluster: a key or document count and used_memory are sums over the
 * masters (FT.INFO num_docs is per shard, ../shared/reference 06b); a
 * CONFIG SET goes to every node, replicas included; an index is ready when
 * every master has caught up; and without the search module's coordinator
 * an index exists only where FT.CREATE was sent (reference 06c), so it is
 * created (and dropped) on each master that lacks it.
 *
 * Node 0 is the server named on the command line (the seed). */
#ifndef SC_SERVERS_H
#define SC_SERVERS_H

#include <stdbool.h>
#include <stdint.h>

#include "../net/net_client.h"
#include "../search/idx.h"

typedef struct sc_servers {
    net_client *cl;  /* [n] */
    bool *is_master; /* [n] */
    int n;
} sc_servers;

/* One client to the server, or (endpoint with cluster) to every node of
 * the cluster's map, the seed first. */
int sc_servers_open(sc_servers *s, const net_endpoint *ep, vm_err *err);
void sc_servers_close(sc_servers *s);

/* What the seed runs: software ("valkey", "redis"), its version, and the
 * search module's version ("1.0.3"; "" when not loaded). */
typedef struct sc_server_desc {
    char software[32];
    char version[32];
    bool search;
    char search_version[32];
} sc_server_desc;
int sc_servers_describe(sc_servers *s, sc_server_desc *d, vm_err *err);

/* Documents in the index when it exists on a master, else its DBSIZE;
 * summed over the masters.  -1 when a master cannot be asked. */
int sc_servers_count(sc_servers *s, const char *index, bool index_exists, uint64_t *out,
                     vm_err *err);
/* INFO memory used_memory summed over the masters. */
int sc_servers_used_memory(sc_servers *s, double *out, vm_err *err);
/* CONFIG SET key value on every node. */
int sc_servers_config_set(sc_servers *s, const char *key, const char *value, vm_err *err);
/* FT.CREATE through the seed, then on each master where the index is not
 * seen (no coordinator).  When the seed had it already: -1 with the
 * server's "already exists" message, the other masters seen to all the same. */
int sc_servers_index_create(sc_servers *s, const idx_spec *spec, vm_err *err);
/* FT.DROPINDEX wherever the index is; "not found" everywhere is an error
 * whose message says so. */
int sc_servers_index_drop(sc_servers *s, const char *name, vm_err *err);
/* Wait until the index has caught up on every master (see idx_wait_ready);
 * out gets the seed's info with num_docs summed over the masters. */
int sc_servers_index_wait(sc_servers *s, const char *name, uint64_t timeout_ms, idx_info *out,
                          vm_err *err);

#endif
