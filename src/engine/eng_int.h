/* eng_int: the engine's inside, shared by its files and by nothing else
 * (the unit tests and fuzz targets reach eng_route.c's parsers and the backoff).
 * The files call each other one way only, top to bottom:
 *   eng.c        the run: threads, the worker loop, stats
 *   eng_send.c   what a worker sends, and on which connection: the queue
 *                of waiting items, pacing, pipeline room, giving up
 *   eng_reply.c  a command's reply: retry, redirect, deliver, policy
 *   eng_route.c  where a command goes: nodes, slot map, MOVED / ASK,
 *                topology refresh
 *   eng_conn.c   one connection: open, read, write, lose, reconnect
 * A connection hands error replies up through a pointer
 * (eng_thread.error_reply), not a call, and the two queue primitives
 * (eng_ring_push, eng_pend_push) are inline here: so eng_conn.c, which
 * eng_route.c calls to open a node's connections, calls nothing above it.
 *
 * Every worker thread owns its connections, its copy of the slot map and
 * its queue of waiting items outright: threads share nothing but the
 * workload (whose next() is thread-safe) and a few atomics, so the hot path
 * takes no lock. */
#ifndef ENG_INT_H
#define ENG_INT_H

#include <pthread.h>
#include <stdlib.h>

#include "../net/net_cluster.h"
#include "../net/net_conn.h"
#include "../net/net_splice.h"
#include "../util/vm_grow.h"
#include "eng.h"

/* what a ring entry is */
enum { ENG_K_CMD = 0, ENG_K_AUTH, ENG_K_ASKING };
/* item flags */
enum {
    ENG_F_ASK = 1,
    ENG_F_RESENT = 2,
    ENG_F_LOST = 4,  /* not idempotent, its connection broke */
    ENG_F_PINNED = 8 /* for node `node` (eng_workload.node_of) */
};

#define ENG_SLOT_UNKNOWN (-2) /* not computed yet */
#define ENG_SLOT_ANY (-1)     /* any master will do */

/* One command: waiting in the thread's queue, or in flight on a connection. */
typedef struct eng_item {
    uint64_t tag;
    uint64_t due_ns;        /* latency is measured from here (0 = not yet sent) */
    uint64_t first_ns;      /* first sent: retries give up retry_timeout_ms after */
    uint64_t not_before_ns; /* backoff */
    int32_t node;           /* ASK target (ENG_F_ASK), the node (ENG_F_PINNED), else -1 */
    int32_t slot;           /* ENG_SLOT_* or 0..16383 */
    uint8_t kind, op, flags, attempts;
} eng_item;

/* A pacing schedule: the next command is due at next_due_ns. */
typedef struct eng_sched {
    double interval_ns; /* 0 = unlimited */
    double next_due_ns;
} eng_sched;

struct eng_thread;
struct eng_conn;

/* A workload command's error reply, from the connection that read it up to
 * the engine (eng_reply_handle): -1 only when the run must stop. */
typedef int (*eng_error_reply_fn)(struct eng_conn *c, eng_item *it, const redisReply *r,
                                  uint64_t now_ns);

typedef struct eng_conn {
    net_conn io;
    redisReader *reader;
    strbuf out;     /* bytes not yet written */
    size_t out_off; /* written prefix of out */
    net_splice zc;  /* plain TCP: out goes through here (net_splice.h) */
    eng_item *ring; /* in flight, oldest first; replies come in order */
    uint32_t cap, head, count;
    uint64_t pushed; /* ring entries ever pushed: the next one's number */
    uint32_t cmds;   /* workload commands among count */
    bool up;         /* connected */
    bool want_write; /* EPOLLOUT armed */
    bool dirty;      /* in the thread's dirty list */
    uint32_t backoff_ms;
    uint64_t retry_at_ns;    /* next reconnect attempt while down */
    uint64_t down_since_ns;  /* first failure since the last success, 0 = none */
    uint64_t quiet_since_ns; /* last read, or last seen with nothing in flight */
    int node;                /* index in thr->nodes */
    redisReply light;        /* light decoding: the top level only */
    char light_str[512];
    struct eng_thread *thr;
} eng_conn;

typedef struct eng_node {
    char host[256];
    int port;
    eng_conn *conns; /* thr->nclients of them */
    int rr;          /* next connection to try */
    int up;          /* connections up */
    bool gone;       /* no longer a master: drain, do not reconnect */
    char last_error[512];
    eng_sched sched; /* per-node rate */
} eng_node;

/* The slot map is read at most this often per thread (4 times a second):
 * eng_route_refresh waits this long between reads, and the worker's wait
 * (wait_ms) sleeps until then, not less, or it would spin. */
#define ENG_REFRESH_EVERY_NS 250000000ull

typedef struct eng_shared {
    atomic_bool failed;
    /* an error reply under ENG_POLICY_STOP: nothing new is sent, but the
     * replies to what is in flight are still read and handed to the
     * workload (they were acknowledged: a state must record them) */
    atomic_bool stopping;
    atomic_int finished;
    pthread_mutex_t done_mu; /* with done_cv: a finishing worker wakes the ticker */
    pthread_cond_t done_cv;
    _Atomic uint64_t claimed;     /* for max_ops */
    uint64_t t0_ns, end_ns;       /* end_ns: duration bound, 0 = none */
    const net_cluster_topo *topo; /* the map read before the start (cluster) */
    bool splice; /* enough file descriptors for a pipe per connection (net_splice.h) */
} eng_shared;

typedef struct eng_thread {
    int index, nthreads;
    const eng_config *cfg;
    const eng_workload *wl;
    eng_shared *sh;
    bool cluster;
    int nclients; /* connections per node */
    eng_node *nodes;
    int nnodes;
    int16_t *slot_node;    /* cluster: [16384] -> index in nodes, -1 = none */
    net_cluster_topo topo; /* the last map this thread read */
    bool need_refresh;
    uint64_t last_refresh_ns;
    uint64_t last_stall_check_ns; /* eng_conn_check_stalls: every 100 ms */
    int rr_master;                /* for ENG_SLOT_ANY */
    int epfd;
    bool producer_done;
    eng_sched sched; /* this thread's share of the global rate */
    eng_item *pend;  /* waiting: backoff, a full / down / paced node */
    size_t npend, cap_pend, pend_limit;
    strbuf scratch; /* a command emitted to learn its key's slot */
    uint64_t scratch_tag;
    bool scratch_full;
    eng_conn **dirty; /* connections with unwritten output */
    int ndirty, cap_dirty;
    int ndown;         /* connections down of nodes not gone: to reconnect */
    uint64_t inflight; /* ring entries over all connections */
    eng_stats *st;
    eng_error_reply_fn error_reply; /* eng_reply_handle: see the top of this file */
    vm_err err;
    int rc;
    bool stopped_on_error; /* this thread met the STOP error or a reply timeout: err holds it */
    double cpu_s;          /* the worker thread's CPU, when it ends */
    pthread_t tid;
} eng_thread;

/* Defaults of eng_config's optional bounds. */
#define ENG_DEFAULT_RETRY_TIMEOUT_MS 30000ull

/* --- shared by the files: inline, so that none depends on another -------- */

static inline void eng_sched_init(eng_sched *s, double rate_per_s, uint64_t t0_ns)
{
    s->interval_ns = rate_per_s > 0 ? 1e9 / rate_per_s : 0;
    s->next_due_ns = (double)t0_ns;
}

/* Give up retrying an item this long after it was first sent. */
static inline uint64_t eng_retry_timeout_ns(const eng_thread *t)
{
    uint64_t ms =
        t->cfg->retry_timeout_ms ? t->cfg->retry_timeout_ms : ENG_DEFAULT_RETRY_TIMEOUT_MS;
    return ms * 1000000ull;
}

/* Append a ring entry (the caller has checked for room). */
static inline void eng_ring_push(eng_conn *c, const eng_item *it)
{
    c->ring[(c->head + c->count) & (c->cap - 1)] = *it;
    c->count++;
    c->pushed++;
}

/* Queue an item to be placed again (eng_send.c drains the queue). */
static inline void eng_pend_push(eng_thread *t, const eng_item *it)
{
    VM_GROW(t->pend, t->npend + 1, t->cap_pend);
    t->pend[t->npend++] = *it;
}

/* --- eng_send.c --------------------------------------------------------- */

/* Fill the connections: queued items first, then new ones from next().
 * -1 only when the run must stop (a give-up's reply() said so). */
int eng_send_fill(eng_thread *t, uint64_t now_ns);

/* --- eng_reply.c -------------------------------------------------------- */

/* An error reply for a workload command: follows a redirect, retries (the
 * item back in the queue after a backoff) or delivers it under its policy.
 * -1 only when the run must stop. */
int eng_reply_handle(eng_conn *c, eng_item *it, const redisReply *r, uint64_t now_ns);
/* Retry backoff after `attempts` tries: 10 ms doubling, at most 1 s. */
uint64_t eng_reply_backoff_ns(unsigned attempts);

/* --- eng_route.c -------------------------------------------------------- */

/* The thread's nodes (connected) and, in a cluster, its slot map. */
int eng_route_init(eng_thread *t, vm_err *err);
/* Index of the node for an item, -1 when no node serves it now. */
int eng_route_node(eng_thread *t, eng_item *it);
/* Index of host:port among the thread's nodes, adding (and connecting) it. */
int eng_route_node_for(eng_thread *t, const char *host, int port);
/* MOVED / ASK "slot host:port": 0 with the parts, -1 when malformed. */
int eng_route_parse_redirect(const char *msg, size_t len, int *slot, char *host, size_t host_cap,
                             int *port);
/* Follow a redirection: the item is queued for its new node; -1 when msg
 * is malformed or its node cannot be added. */
int eng_route_moved(eng_thread *t, eng_conn *c, eng_item *it, const char *msg, size_t len);
int eng_route_ask(eng_thread *t, eng_conn *c, eng_item *it, const char *msg, size_t len);
/* Fetch the cluster map again when asked to and not done in the last 100 ms. */
void eng_route_refresh(eng_thread *t, uint64_t now_ns);
/* The slot of the first argument of an encoded command, or ENG_SLOT_ANY. */
int eng_route_resp_slot(const char *buf, size_t len);
/* Close and free the nodes' connections and the slot map. */
void eng_route_free(eng_thread *t);

/* --- eng_conn.c --------------------------------------------------------- */

int eng_conn_init(eng_conn *c, eng_thread *t, int node, vm_err *err);
int eng_conn_connect(eng_conn *c, int timeout_ms, vm_err *err);
void eng_conn_free(eng_conn *c);
/* Read and handle every complete reply; -1 only when the run must stop. */
int eng_conn_read(eng_conn *c, uint64_t now_ns);
/* Write what is buffered; a failure takes the connection down. */
void eng_conn_flush(eng_conn *c, uint64_t now_ns);
void eng_conn_mark_dirty(eng_conn *c);
/* The connection broke: close it, queue its unanswered commands again. */
void eng_conn_down(eng_conn *c, uint64_t now_ns, const char *why);
/* Reconnect the thread's connections that are due; -1 when a node stayed
 * down too long. */
int eng_conn_maintain(eng_thread *t, uint64_t now_ns);
/* End the run (stopping) when a connection waits past the reply timeout. */
void eng_conn_check_stalls(eng_thread *t, uint64_t now_ns);

#endif
