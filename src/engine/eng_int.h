/* eng_int: the engine's inside, shared by its three files and by
 * nothing else —
 *   eng.c        the run: threads, the event loop, filling, replies, stats
 *   eng_conn.c   one connection: open, read, write, lose, reconnect
 *   eng_route.c  where a command goes: nodes, slot map, MOVED / ASK,
 *                topology refresh
 *
 * Every worker thread owns its connections, its copy of the slot map and
 * its queue of waiting items outright: threads share nothing but the
 * workload (whose next() is thread-safe) and a few atomics, so the hot path
 * takes no lock. */
#ifndef ENG_INT_H
#define ENG_INT_H

#include <pthread.h>

#include "../net/net_cluster.h"
#include "../net/net_conn.h"
#include "eng.h"
#include "../net/net_splice.h"

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

typedef struct eng_conn {
    net_conn io;
    redisReader *reader;
    strbuf out;            /* bytes not yet written */
    size_t out_off;        /* written prefix of out */
    net_splice zc;         /* plain TCP: out goes through here (net_splice.h) */
    eng_item *ring;        /* in flight, oldest first; replies come in order */
    uint32_t cap, head, count;
    uint64_t pushed;       /* ring entries ever pushed: the next one's number */
    uint32_t cmds;         /* workload commands among count */
    bool up;               /* connected */
    bool want_write;       /* EPOLLOUT armed */
    bool dirty;            /* in the thread's dirty list */
    uint32_t backoff_ms;
    uint64_t retry_at_ns;  /* next reconnect attempt while down */
    uint64_t down_since_ns; /* first failure since the last success, 0 = none */
    uint64_t quiet_since_ns; /* last read, or last seen with nothing in flight */
    int node;              /* index in thr->nodes */
    redisReply light;      /* light decoding: the top level only */
    char light_str[512];
    struct eng_thread *thr;
} eng_conn;

typedef struct eng_node {
    char host[256];
    int port;
    eng_conn *conns;       /* thr->nclients of them */
    int rr;                /* next connection to try */
    int up;                /* connections up */
    bool gone;             /* no longer a master: drain, do not reconnect */
    char last_error[512];
    eng_sched sched;       /* per-node rate */
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
    _Atomic uint64_t claimed; /* for max_ops */
    uint64_t t0_ns, end_ns;   /* end_ns: duration bound, 0 = none */
    const net_cluster_topo *topo; /* the map read before the start (cluster) */
    bool splice; /* enough file descriptors for a pipe per connection (net_splice.h) */
} eng_shared;

typedef struct eng_thread {
    int index, nthreads;
    const eng_config *cfg;
    const eng_workload *wl;
    eng_shared *sh;
    bool cluster;
    int nclients;            /* connections per node */
    eng_node *nodes;
    int nnodes;
    int16_t *slot_node;      /* cluster: [16384] -> index in nodes, -1 = none */
    net_cluster_topo topo;   /* the last map this thread read */
    bool need_refresh;
    uint64_t last_refresh_ns;
    uint64_t last_stall_check_ns; /* eng_conns_check_stalls: every 100 ms */
    int rr_master;           /* for ENG_SLOT_ANY */
    int epfd;
    bool producer_done;
    eng_sched sched;         /* this thread's share of the global rate */
    eng_item *pend;          /* waiting: backoff, a full / down / paced node */
    size_t npend, cap_pend, pend_limit;
    strbuf scratch;          /* a command emitted to learn its key's slot */
    uint64_t scratch_tag;
    bool scratch_full;
    eng_conn **dirty;        /* connections with unwritten output */
    int ndirty, cap_dirty;
    int ndown;               /* connections down of nodes not gone: to reconnect */
    uint64_t inflight;       /* ring entries over all connections */
    eng_stats *st;
    vm_err err;
    int rc;
    bool stopped_on_error;   /* this thread met the STOP error or a reply timeout: err holds it */
    double cpu_s;            /* the worker thread's CPU, when it ends */
    pthread_t tid;
} eng_thread;

/* eng_conn.c */
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
/* Reconnect the connections that are due; -1 when a node stayed down too long. */
int eng_conns_maintain(eng_thread *t, uint64_t now_ns);
/* End the run (stopping) when a connection waits past the reply timeout. */
void eng_conns_check_stalls(eng_thread *t, uint64_t now_ns);
/* Append a ring entry (the caller has checked for room). */
static inline void eng_ring_push(eng_conn *c, const eng_item *it)
{
    c->ring[(c->head + c->count) & (c->cap - 1)] = *it;
    c->count++;
    c->pushed++;
}

/* eng_route.c */
int eng_route_init(eng_thread *t, vm_err *err);
/* Index of the node for an item, -1 when no node serves it now. */
int eng_route_node(eng_thread *t, eng_item *it);
/* Index of host:port among the thread's nodes, adding (and connecting) it. */
int eng_route_node_for(eng_thread *t, const char *host, int port);
/* MOVED / ASK "slot host:port": 0 with the parts, -1 when malformed. */
int eng_route_parse_redirect(const char *msg, size_t len, int *slot, char *host,
                             size_t host_cap, int *port);
int eng_route_moved(eng_thread *t, eng_conn *c, eng_item *it, const char *msg, size_t len);
int eng_route_ask(eng_thread *t, eng_conn *c, eng_item *it, const char *msg, size_t len);
/* Fetch the cluster map again when asked to and not done in the last 100 ms. */
void eng_route_refresh(eng_thread *t, uint64_t now_ns);
/* The slot of the first argument of an encoded command, or ENG_SLOT_ANY. */
int eng_route_resp_slot(const char *buf, size_t len);
void eng_route_free(eng_thread *t);

/* eng.c */
void eng_pend_push(eng_thread *t, const eng_item *it);
/* A reply for a workload command: delivers, retries or follows a redirect. */
int eng_handle_reply(eng_conn *c, eng_item *it, const redisReply *r, uint64_t now_ns);
uint64_t eng_backoff_ns(unsigned attempts);

#endif
