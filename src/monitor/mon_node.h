/* mon_node: one server the monitor samples, over a control connection of
 * its own, and the sources it reads there.
 *
 * Sources (MON_SRC_*): INFO (the configured sections; by default memory,
 * stats, cpu, clients, keyspace and modules — the last holds every module
 * section, search_* among them, which plain INFO leaves out), DBSIZE,
 * MEMORY STATS, MEMORY MALLOC-STATS, FT._LIST + FT.INFO per index, and
 * /proc/PID of the server when it runs on this host.  A source the server
 * does not support (redis-server has no FT.*, a libc-malloc build no
 * jemalloc statistics) is dropped for that node after the first refusal,
 * with one notice; the sample goes on with the others. */
#ifndef MON_NODE_H
#define MON_NODE_H

#include <stdbool.h>
#include <stdint.h>

#include "../net/net_client.h"
#include "mon_derive.h"
#include "mon_fields.h"

enum {
    MON_SRC_INFO = 1 << 0,
    MON_SRC_DBSIZE = 1 << 1,
    MON_SRC_MEMSTATS = 1 << 2,
    MON_SRC_MALLOC = 1 << 3,
    MON_SRC_FTINFO = 1 << 4,
    MON_SRC_PROC = 1 << 5,
    MON_SRC_ALL = (1 << 6) - 1,
};

#define MON_DEFAULT_SECTIONS "memory stats cpu clients keyspace modules"

/* Parse "info,memstats,malloc,ftinfo,dbsize,proc" (or "all") into a mask. */
int mon_sources_parse(const char *list, unsigned *mask, vm_err *err);

/* A notice: said once (the caller prints it); never per sample. */
typedef void (*mon_notice_fn)(void *ctx, const char *msg);

typedef struct mon_node {
    char host[256];
    int port;
    char name[280];   /* host:port */
    const char *role; /* "master", "replica" or "standalone" */
    net_client cl;
    bool connected;
    bool was_up;          /* has been connected once (for "reconnected") */
    uint64_t retry_at_ns; /* next reconnect attempt after a failure */
    uint64_t backoff_ms;
    unsigned refused; /* MON_SRC_* this server does not support */
    bool info_split;  /* the server takes one INFO section per call */
    int pid;          /* server process on this host, 0 = none / unknown */
    bool pid_checked;
    mon_derive derive;
    bool seen; /* still in the topology (refresh bookkeeping) */
} mon_node;

typedef struct mon_collect_conf {
    const net_endpoint *ep;
    unsigned sources;     /* MON_SRC_* to read */
    const char *sections; /* INFO sections, space-separated */
    mon_notice_fn notice; /* may be NULL */
    void *notice_ctx;
    unsigned *said; /* MON_SRC_* already noticed (shared by all nodes) */
} mon_collect_conf;

void mon_node_init(mon_node *n, const char *host, int port, const char *role);
/* Connect (and find the server's pid when it is local). */
int mon_node_connect(mon_node *n, const mon_collect_conf *c, vm_err *err);
/* Read every source into out.  -1 with err when the connection failed (the
 * node is then disconnected); a refused source is not a failure. */
int mon_node_collect(mon_node *n, const mon_collect_conf *c, mon_fields *out, vm_err *err);
void mon_node_close(mon_node *n);

#endif
