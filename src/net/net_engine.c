/* net_engine: epoll-driven pipelined workers; see net_engine.h.
 *
 * Per connection the engine keeps an output buffer and a ring of the tags in
 * flight (replies come back in order on one connection, so the ring's head
 * is always the tag of the next reply).  Writes are batched: after a read
 * has been drained, the connection is refilled up to the pipeline depth and
 * written with one call, which keeps syscalls per command low. */
#include "net_engine.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "../util/clock.h"
#include "net_conn.h"
#include "net_resp.h"

typedef struct eng_conn {
    net_conn io;
    redisReader *reader;
    strbuf out;       /* bytes not yet written */
    size_t out_off;   /* written prefix of out */
    uint64_t *ring;   /* tags in flight */
    uint32_t head, count;
    bool want_write;  /* EPOLLOUT armed */
    /* light reply decoding */
    redisReply light;
    char light_str[512];
    struct eng_thread *thr;
} eng_conn;

typedef struct eng_thread {
    int index;
    const eng_config *cfg;
    const eng_workload *wl;
    eng_conn *conns;
    int nconns;
    int epfd;
    bool producer_done;
    double tokens;            /* rate limiter */
    uint64_t last_refill_ns;
    double rate_per_ns;
    atomic_bool *failed;      /* shared: someone failed */
    atomic_int *finished;     /* shared: workers that returned */
    eng_stats stats;
    vm_err err;
    int rc;
    pthread_t tid;
} eng_thread;

/* --- light reply objects: no allocation, only the top level ---------- */

static void *light_top(const redisReadTask *t, eng_conn *c)
{
    return t->parent ? (void *)c : (void *)&c->light;
}

static void *light_string(const redisReadTask *t, char *s, size_t len)
{
    eng_conn *c = t->privdata;
    if (!t->parent) {
        c->light.type = t->type;
        c->light.elements = 0;
        if (t->type == REDIS_REPLY_ERROR || t->type == REDIS_REPLY_STATUS) {
            size_t n = len < sizeof(c->light_str) - 1 ? len : sizeof(c->light_str) - 1;
            memcpy(c->light_str, s, n);
            c->light_str[n] = '\0';
            c->light.str = c->light_str;
            c->light.len = n;
        } else {
            c->light.str = NULL;
            c->light.len = len;
        }
    }
    return light_top(t, c);
}

static void *light_array(const redisReadTask *t, int n)
{
    eng_conn *c = t->privdata;
    if (!t->parent) {
        c->light.type = REDIS_REPLY_ARRAY;
        c->light.elements = n > 0 ? (size_t)n : 0;
        c->light.element = NULL;
    }
    return light_top(t, c);
}

static void *light_integer(const redisReadTask *t, long long v)
{
    eng_conn *c = t->privdata;
    if (!t->parent) {
        c->light.type = REDIS_REPLY_INTEGER;
        c->light.integer = v;
    }
    return light_top(t, c);
}

static void *light_nil(const redisReadTask *t)
{
    eng_conn *c = t->privdata;
    if (!t->parent)
        c->light.type = REDIS_REPLY_NIL;
    return light_top(t, c);
}

static redisReplyObjectFunctions light_fns = {light_string, light_array, light_integer,
                                              light_nil, NULL};

/* --- connection set-up ------------------------------------------------ */

static int conn_open(eng_conn *c, eng_thread *t, vm_err *err)
{
    const net_endpoint *ep = t->cfg->ep;
    c->thr = t;
    sb_init(&c->out, 1 << 16);
    c->ring = calloc((size_t)t->cfg->pipeline, sizeof(uint64_t));
    if (!c->ring)
        return vm_err_set(err, VM_ENOMEM, "out of memory");
    if (net_conn_open(&c->io, ep, ep->host, ep->port, 5000, err) < 0)
        return -1;
    c->reader = t->wl->full_replies ? redisReaderCreate()
                                    : redisReaderCreateWithFunctions(&light_fns);
    if (!c->reader)
        return vm_err_set(err, VM_ENOMEM, "out of memory");
    c->reader->privdata = c;
    c->reader->maxbuf = 0; /* keep the buffer: no shrink/grow churn */
    if (ep->password) {
        /* AUTH is the first command in flight; its tag is never a workload's */
        const char *argv[3];
        int argc = 0;
        argv[argc++] = "AUTH";
        if (ep->user)
            argv[argc++] = ep->user;
        argv[argc++] = ep->password;
        resp_add_command(&c->out, argc, argv, NULL);
    }
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
    if (epoll_ctl(t->epfd, EPOLL_CTL_ADD, c->io.fd, &ev) < 0)
        return vm_err_set(err, VM_EIO, "epoll: %s", strerror(errno));
    return 0;
}

static void conn_close(eng_conn *c)
{
    if (c->reader)
        redisReaderFree(c->reader);
    net_conn_close(&c->io);
    sb_release(&c->out);
    free(c->ring);
}

/* --- the loop ------------------------------------------------------------ */

static bool take_token(eng_thread *t)
{
    if (t->rate_per_ns <= 0)
        return true;
    if (t->tokens < 1.0) {
        uint64_t now = clk_mono_ns();
        t->tokens += (double)(now - t->last_refill_ns) * t->rate_per_ns;
        t->last_refill_ns = now;
        double burst = t->rate_per_ns * 1e8 + 1; /* at most 100 ms of credit */
        if (t->tokens > burst)
            t->tokens = burst;
        if (t->tokens < 1.0)
            return false;
    }
    t->tokens -= 1.0;
    return true;
}

static void conn_fill(eng_conn *c)
{
    eng_thread *t = c->thr;
    uint32_t depth = (uint32_t)t->cfg->pipeline;
    while (!t->producer_done && c->count < depth) {
        if (t->cfg->stop && atomic_load_explicit(t->cfg->stop, memory_order_relaxed)) {
            t->producer_done = true;
            break;
        }
        if (!take_token(t))
            break;
        uint64_t tag;
        if (!t->wl->next(t->wl->ctx, t->index, &tag)) {
            t->producer_done = true;
            break;
        }
        t->wl->emit(t->wl->ctx, tag, &c->out);
        c->ring[(c->head + c->count) % depth] = tag;
        c->count++;
        t->stats.sent++;
    }
}

static int conn_flush(eng_conn *c, vm_err *err)
{
    while (c->out_off < c->out.len) {
        ssize_t w = net_conn_write(&c->io, c->out.buf + c->out_off, c->out.len - c->out_off);
        if (w > 0) {
            c->out_off += (size_t)w;
            continue;
        }
        if (w < 0 && errno == EAGAIN)
            break;
        return vm_err_set(err, VM_ECONN, "connection to %s:%d lost while writing: %s",
                          c->thr->cfg->ep->host, c->thr->cfg->ep->port,
                          w == 0 ? "closed" : strerror(errno));
    }
    bool pending = c->out_off < c->out.len;
    if (!pending) {
        c->out.len = 0;
        c->out_off = 0;
    }
    if (pending != c->want_write) {
        struct epoll_event ev = {.events = EPOLLIN | (pending ? EPOLLOUT : 0), .data.ptr = c};
        epoll_ctl(c->thr->epfd, EPOLL_CTL_MOD, c->io.fd, &ev);
        c->want_write = pending;
    }
    return 0;
}

static int handle_reply(eng_conn *c, void *obj, bool *auth_pending, vm_err *err)
{
    eng_thread *t = c->thr;
    redisReply *r = obj;
    int rc = 0;
    if (*auth_pending) {
        *auth_pending = false;
        if (r->type == REDIS_REPLY_ERROR)
            rc = vm_err_set(err, VM_EAUTH, "%s:%d: authentication refused: %s",
                            t->cfg->ep->host, t->cfg->ep->port, r->str ? r->str : "");
    } else if (c->count == 0) {
        rc = vm_err_set(err, VM_EINTERNAL, "reply with nothing in flight");
    } else {
        uint64_t tag = c->ring[c->head];
        c->head = (c->head + 1) % (uint32_t)t->cfg->pipeline;
        c->count--;
        t->stats.replies++;
        if (r->type == REDIS_REPLY_ERROR)
            t->stats.error_replies++;
        rc = t->wl->reply(t->wl->ctx, t->index, tag, r, err);
    }
    if (t->wl->full_replies)
        freeReplyObject(r);
    return rc;
}

static int conn_read(eng_conn *c, bool *auth_pending, vm_err *err)
{
    char buf[1 << 16];
    for (;;) {
        ssize_t n = net_conn_read(&c->io, buf, sizeof(buf));
        if (n > 0) {
            redisReaderFeed(c->reader, buf, (size_t)n);
            void *obj;
            for (;;) {
                obj = NULL;
                if (redisReaderGetReply(c->reader, &obj) != REDIS_OK)
                    return vm_err_set(err, VM_ECONN, "protocol error from %s:%d: %s",
                                      c->thr->cfg->ep->host, c->thr->cfg->ep->port,
                                      c->reader->errstr);
                if (!obj)
                    break;
                if (handle_reply(c, obj, auth_pending, err) < 0)
                    return -1;
            }
            if ((size_t)n < sizeof(buf) && !c->io.ssl)
                return 0;
            continue;
        }
        if (n < 0 && errno == EAGAIN)
            return 0;
        return vm_err_set(err, VM_ECONN, "connection to %s:%d lost: %s", c->thr->cfg->ep->host,
                          c->thr->cfg->ep->port, n == 0 ? "closed by server" : strerror(errno));
    }
}

static void *worker(void *arg)
{
    eng_thread *t = arg;
    bool *auth = calloc((size_t)t->nconns, sizeof(bool));
    for (int i = 0; i < t->nconns; i++) {
        auth[i] = t->cfg->ep->password != NULL;
        conn_fill(&t->conns[i]);
        if (conn_flush(&t->conns[i], &t->err) < 0)
            goto fail;
    }
    struct epoll_event evs[64];
    for (;;) {
        if (atomic_load(t->failed))
            break;
        bool busy = false;
        for (int i = 0; i < t->nconns; i++)
            if (t->conns[i].count || auth[i])
                busy = true;
        if (!busy && t->producer_done)
            break;
        int timeout = 100;
        if (!busy && !t->producer_done) {
            /* rate-limited and idle: wait for the next token */
            timeout = 1;
        }
        int n = epoll_wait(t->epfd, evs, 64, timeout);
        if (n < 0 && errno != EINTR) {
            vm_err_set(&t->err, VM_EIO, "epoll_wait: %s", strerror(errno));
            goto fail;
        }
        for (int e = 0; e < n; e++) {
            eng_conn *c = evs[e].data.ptr;
            int ci = (int)(c - t->conns);
            if (evs[e].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
                if (conn_read(c, &auth[ci], &t->err) < 0)
                    goto fail;
            }
            conn_fill(c);
            if (conn_flush(c, &t->err) < 0)
                goto fail;
        }
        if (n == 0 && !t->producer_done) {
            for (int i = 0; i < t->nconns; i++) {
                conn_fill(&t->conns[i]);
                if (conn_flush(&t->conns[i], &t->err) < 0)
                    goto fail;
            }
        }
    }
    free(auth);
    t->rc = 0;
    atomic_fetch_add(t->finished, 1);
    return NULL;
fail:
    free(auth);
    t->rc = -1;
    atomic_store(t->failed, true);
    atomic_fetch_add(t->finished, 1);
    return NULL;
}

int eng_run(const eng_config *cfg, const eng_workload *wl, void (*tick)(void *),
            void *tick_ctx, uint64_t tick_ms, eng_stats *stats, vm_err *err)
{
    int nthreads = cfg->threads < 1 ? 1 : cfg->threads;
    int clients = cfg->clients < 1 ? 1 : cfg->clients;
    if (nthreads > clients)
        nthreads = clients;
    if (cfg->pipeline < 1)
        return vm_err_set(err, VM_EINPUT, "pipeline depth must be at least 1");
    eng_thread *ts = calloc((size_t)nthreads, sizeof(*ts));
    atomic_bool failed = false;
    atomic_int finished = 0;
    int rc = 0, started = 0;
    memset(stats, 0, sizeof(*stats));
    uint64_t t0 = clk_mono_ns();
    for (int i = 0; i < nthreads; i++) {
        eng_thread *t = &ts[i];
        t->index = i;
        t->cfg = cfg;
        t->wl = wl;
        t->failed = &failed;
        t->finished = &finished;
        t->nconns = clients / nthreads + (i < clients % nthreads);
        t->conns = calloc((size_t)t->nconns, sizeof(eng_conn));
        t->epfd = epoll_create1(EPOLL_CLOEXEC);
        t->last_refill_ns = t0;
        t->rate_per_ns = cfg->rate_ops ? (double)cfg->rate_ops / nthreads / 1e9 : 0;
        for (int c = 0; c < t->nconns; c++) {
            t->conns[c].io.fd = -1;
            if (conn_open(&t->conns[c], t, err) < 0) {
                rc = -1;
                goto cleanup;
            }
        }
    }
    for (int i = 0; i < nthreads; i++) {
        if (pthread_create(&ts[i].tid, NULL, worker, &ts[i]) != 0) {
            atomic_store(&failed, true);
            rc = vm_err_set(err, VM_EINTERNAL, "cannot start worker thread");
            break;
        }
        started++;
    }
    if (tick && started == nthreads) {
        /* tick from the caller's thread until every worker has returned */
        while (atomic_load(&finished) < nthreads) {
            tick(tick_ctx);
            uint64_t end = clk_mono_ns() + tick_ms * 1000000ull;
            while (atomic_load(&finished) < nthreads && clk_mono_ns() < end)
                clk_sleep_ns(5 * 1000000ull);
        }
        tick(tick_ctx);
    }
    for (int i = 0; i < started; i++)
        pthread_join(ts[i].tid, NULL);
    for (int i = 0; i < nthreads; i++) {
        stats->sent += ts[i].stats.sent;
        stats->replies += ts[i].stats.replies;
        stats->error_replies += ts[i].stats.error_replies;
        if (ts[i].rc < 0 && rc == 0) {
            *err = ts[i].err;
            rc = -1;
        }
    }
    stats->seconds = (double)(clk_mono_ns() - t0) / 1e9;
cleanup:
    for (int i = 0; i < nthreads; i++) {
        for (int c = 0; c < ts[i].nconns; c++)
            conn_close(&ts[i].conns[c]);
        free(ts[i].conns);
        if (ts[i].epfd > 0)
            close(ts[i].epfd);
    }
    free(ts);
    return rc;
}
