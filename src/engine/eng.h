/* eng: the pipelined load engine — N threads × M connections, each
 * connection with up to P commands in flight (memtier_benchmark's model),
 * on one server or routed by hash slot over a Valkey Cluster.
 *
 * The engine owns sockets, buffers and the event loop; a workload owns what
 * is sent.  The contract is three calls:
 *   next()  claims the next item of work and names it by a 64-bit tag;
 *   emit()  appends that item's RESP command to a connection's buffer —
 *           called again with the same tag whenever the command must be
 *           re-sent (MOVED, ASK, TRYAGAIN, a lost connection), so the engine
 *           never keeps copies of sent bytes;
 *   reply() receives the item's final reply, once per item.
 * Redirections and transient cluster errors are handled here and never
 * reach reply(); every other error reply does (see eng_policy).
 *
 * Faults: a lost connection is re-opened with backoff and its unanswered
 * commands are re-sent (they must be idempotent: HSET, DEL, FT.SEARCH);
 * a command whose reply was received is never sent again.
 *
 * The engine never prints; progress is reported through the tick callback,
 * called from the calling thread while workers run.
 *
 * The engine (scheduling, pipelining, routing, pacing) sits on the
 * transport in net/: connections and TLS (net_conn), RESP encoding (resp),
 * spliced writes (net_splice), the cluster map (net_cluster) and the
 * classes of error replies (errclass).  Its inside is engine/eng_int.h. */
#ifndef ENG_H
#define ENG_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <hiredis/hiredis.h>

#include "../net/errclass.h"
#include "../net/net_endpoint.h"
#include "../util/hist.h"
#include "../util/strbuf.h"

#define ENG_MAX_OPS 4

/* What to do with an error reply of a class (eng_workload.policy). */
typedef enum eng_policy {
    ENG_POLICY_DEFAULT = 0, /* RETRY for TRYAGAIN, CLUSTERDOWN, LOADING, MASTERDOWN
                               (and READONLY in a cluster); SKIP for the rest */
    ENG_POLICY_SKIP,        /* count it, hand it to reply(), go on */
    ENG_POLICY_STOP,        /* hand it to reply(), then stop the run with an error */
    ENG_POLICY_RETRY,       /* send again after a backoff, until eng_config.retry_timeout_ms;
                               then as SKIP */
} eng_policy;

typedef struct eng_workload {
    void *ctx;
    /* Claim the next item for worker `thread`: 1 with *tag set, 0 when there
     * is no more work for this thread. */
    int (*next)(void *ctx, int thread, uint64_t *tag);
    /* Append the command for tag to out. */
    void (*emit)(void *ctx, uint64_t tag, strbuf *out);
    /* The reply for tag.  Return 0 to go on, -1 to stop the run (err set). */
    int (*reply)(void *ctx, int thread, uint64_t tag, const redisReply *r, vm_err *err);
    /* true: hand reply() whole reply trees (queries).  false: only the top
     * level is decoded — type, integer, error/status text — with no
     * allocation per reply (writes). */
    bool full_replies;

    /* --- optional; zero keeps the defaults ------------------------------ */
    /* Cluster routing: the hash slot of tag's key (net_cluster_slot), or -1
     * for a command any master may take.  NULL: the engine hashes the
     * command's first argument (the key of HSET, DEL, HGET...). */
    int (*slot)(void *ctx, uint64_t tag);
    /* Cluster routing to one particular node, whatever the slot map says
     * (a command that names no key but must reach that server: one shard
     * of a fanned-out FT.SEARCH): 1 with its address as the cluster map
     * gives it, 0 to route by slot.  Redirections do not apply; a node that
     * serves no slot any more falls back to slot routing. */
    int (*node_of)(void *ctx, uint64_t tag, const char **host, int *port);
    /* Operation types for the latency histograms: op_of(tag) in [0, nops),
     * named op_names[i].  NULL: one type, named op_names[0] or "cmd". */
    int (*op_of)(void *ctx, uint64_t tag);
    const char *const *op_names;
    int nops;
    /* Per error class (net/errclass.h), what to do; see eng_policy. */
    eng_policy policy[ERRC_COUNT];
    /* true: commands must not be sent twice — on a lost connection the
     * unanswered ones fail (reply() gets an error "connection lost")
     * instead of being re-sent. */
    bool not_idempotent;
    /* Commands already encoded on disk (wl_stream.h): when file_range(tag)
     * says 1, tag's command is [*off, *off + *len) of file_fd, and a plain
     * TCP connection splices it from there (consecutive ones in one go)
     * instead of calling emit — which must give the same bytes, for TLS,
     * commands that do not follow each other, and resends. */
    int (*file_range)(void *ctx, uint64_t tag, uint64_t *off, uint64_t *len);
    int file_fd;
} eng_workload;

typedef struct eng_config {
    const net_endpoint *ep;
    int threads;       /* worker threads (>= 1) */
    int clients;       /* connections in total (in a cluster: per master), spread over threads */
    int pipeline;      /* commands in flight per connection (>= 1) */
    uint64_t rate_ops; /* global ops/s limit, 0 = unlimited */
    atomic_bool *stop; /* set by anyone (SIGINT) to stop claiming work */

    /* --- optional; zero keeps the defaults ------------------------------ */
    uint64_t rate_per_node_ops; /* ops/s limit per server node, 0 = unlimited */
    uint64_t max_ops;           /* stop claiming after this many items, 0 = no bound */
    uint64_t duration_ms;       /* stop claiming after this long, 0 = no bound */
    /* Rate-limited runs: true = open loop — commands are due on a fixed
     * schedule and latency is measured from when each was due, so a slow
     * server shows as queueing (no coordinated omission).  false = closed
     * loop, latency from the moment of sending. */
    bool open_loop;
    uint64_t retry_timeout_ms;     /* give up retrying one item (default 30 s) */
    uint64_t reconnect_timeout_ms; /* give up on a node that stays unreachable (default 60 s) */
    /* A connection with commands in flight and no reply for this long ends
     * the run with an error naming its node (default 30 s). */
    uint64_t reply_timeout_ms;
    /* For error classes the workload left at ENG_POLICY_DEFAULT, other than
     * the transient ones (TRYAGAIN, CLUSTERDOWN, LOADING...): a run-wide
     * choice (--on-error), ENG_POLICY_DEFAULT = skip. */
    eng_policy on_error;
    /* When set, every run also adds its stats here: one summary for a
     * command that runs the engine several times. */
    struct eng_stats *totals;
} eng_config;

typedef struct eng_stats {
    uint64_t sent;
    uint64_t replies;
    uint64_t error_replies;
    double seconds; /* wall time of the run */
    double cpu_s;   /* CPU (user + sys) of the run's threads: the caller's and the workers' */

    /* --- added with cluster routing, faults and latency ----------------- */
    uint64_t errors_by_class[ERRC_COUNT]; /* every error reply received, redirections included */
    uint64_t moved, asked;                /* redirections followed */
    uint64_t retries;            /* re-sent after TRYAGAIN, CLUSTERDOWN... or the RETRY policy */
    uint64_t resent;             /* re-sent after a lost connection */
    uint64_t reconnects;         /* connections re-opened */
    uint64_t topology_refreshes; /* cluster maps fetched again */
    int nodes;                   /* server nodes driven (1 without a cluster) */
    char first_error[256];       /* the first error reply handed to the workload */
    int nops;
    const char *op_names[ENG_MAX_OPS];
    hist latency[ENG_MAX_OPS]; /* per operation type, merged over threads */
} eng_stats;

/* Run until every thread's next() said 0 and every reply has arrived, or a
 * reply() stopped the run, or a node stayed unreachable.  tick(tick_ctx) is
 * called every tick_ms from this thread (NULL to disable). */
int eng_run(const eng_config *cfg, const eng_workload *wl, void (*tick)(void *), void *tick_ctx,
            uint64_t tick_ms, eng_stats *stats, vm_err *err);

/* Empty stats (histograms ready to record). */
void eng_stats_init(eng_stats *st);
/* dst += src: counters added, histograms merged. */
void eng_stats_add(eng_stats *dst, const eng_stats *src);

/* Set one policy for every error class (before a run). */
void eng_policy_all(eng_workload *wl, eng_policy p);

#endif
