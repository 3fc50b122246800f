/* net_engine: the pipelined load engine — N threads × M connections, each
 * connection with up to P commands in flight (memtier_benchmark's model).
 *
 * The engine owns sockets, buffers and the event loop; a workload owns what
 * is sent.  The contract is three calls:
 *   next()  claims the next item of work and names it by a 64-bit tag;
 *   emit()  appends that item's RESP command to a connection's buffer —
 *           called again with the same tag whenever the command must be
 *           re-sent, so the engine never keeps copies of sent bytes;
 *   reply() receives the item's reply, in order per connection.
 * The engine never prints; progress is reported through the tick callback,
 * called from the calling thread while workers run. */
#ifndef NET_ENGINE_H
#define NET_ENGINE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <hiredis/hiredis.h>

#include "../util/strbuf.h"
#include "net_endpoint.h"

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
} eng_workload;

typedef struct eng_config {
    const net_endpoint *ep;
    int threads;           /* worker threads (>= 1) */
    int clients;           /* connections in total, spread over threads */
    int pipeline;          /* commands in flight per connection (>= 1) */
    uint64_t rate_ops;     /* global ops/s limit, 0 = unlimited */
    atomic_bool *stop;     /* set by anyone (SIGINT) to stop claiming work */
} eng_config;

typedef struct eng_stats {
    uint64_t sent;
    uint64_t replies;
    uint64_t error_replies;
    double seconds;        /* wall time of the run */
} eng_stats;

/* Run until every thread's next() said 0 and every reply has arrived, or a
 * reply() stopped the run, or a connection failed.  tick(tick_ctx) is called
 * every tick_ms from this thread (NULL to disable). */
int eng_run(const eng_config *cfg, const eng_workload *wl, void (*tick)(void *),
            void *tick_ctx, uint64_t tick_ms, eng_stats *stats, vm_err *err);

#endif
