/* eng_conn: one engine connection — open (with AUTH queued first),
 * incremental reads through hiredis's reader, batched writes, and what
 * happens when it breaks: its unanswered commands go back to the thread's
 * queue and it is re-opened with exponential backoff.
 *
 * Light replies: for write workloads only the top level of a reply matters
 * (+OK, :1, -ERR...), so the reader is given object functions that decode
 * just that into one redisReply per connection — no allocation per reply.
 *
 * A workload command's successful reply is handed to reply() here, the hot
 * path; an error reply goes up through eng_thread.error_reply (eng_reply.c)
 * — the only way this file reaches above itself (eng_int.h says why). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include "../net/resp.h"
#include "../util/clock.h"
#include "eng_int.h"

/* --- light reply objects ------------------------------------------------ */

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

static redisReplyObjectFunctions light_fns = {light_string, light_array, light_integer, light_nil,
                                              NULL};

/* --- set-up ----------------------------------------------------------------- */

int eng_conn_init(eng_conn *c, eng_thread *t, int node, vm_err *err)
{
    memset(c, 0, sizeof(*c));
    c->io.fd = -1;
    c->zc.pipe_rd = c->zc.pipe_wr = -1;
    c->thr = t;
    c->node = node;
    uint32_t cap = 8;
    while (cap < (uint32_t)t->cfg->pipeline * 2 + 4)
        cap <<= 1;
    c->cap = cap;
    c->ring = calloc(cap, sizeof(eng_item));
    if (!c->ring)
        return vm_err_set(err, VM_ENOMEM, "out of memory");
    sb_init(&c->out, 1 << 16);
    return 0;
}

static int reader_new(eng_conn *c, vm_err *err)
{
    if (c->reader)
        redisReaderFree(c->reader);
    c->reader =
        c->thr->wl->full_replies ? redisReaderCreate() : redisReaderCreateWithFunctions(&light_fns);
    if (!c->reader)
        return vm_err_set(err, VM_ENOMEM, "out of memory");
    c->reader->privdata = c;
    c->reader->maxbuf = 0; /* keep the buffer: no shrink/grow churn */
    return 0;
}

/* Spliced writes for a plain TCP connection, unless turned off (for
 * comparison) with VALKEY_MEMSTRESS_NO_SPLICE=1; the ring holds a few
 * pipelines' worth. */
static void splice_open(eng_conn *c)
{
    const char *off = getenv("VALKEY_MEMSTRESS_NO_SPLICE");
    if (c->io.ssl || !c->thr->sh->splice || (off && *off && strcmp(off, "0") != 0))
        return;
    size_t want = (size_t)c->thr->cfg->pipeline * 8192;
    want = want < (1u << 16) ? 1u << 16 : want > (1u << 20) ? 1u << 20 : want;
    (void)net_splice_open(&c->zc, want, c->cap); /* on failure: send() */
}

int eng_conn_connect(eng_conn *c, int timeout_ms, vm_err *err)
{
    eng_thread *t = c->thr;
    eng_node *n = &t->nodes[c->node];
    const net_endpoint *ep = t->cfg->ep;
    if (net_conn_open(&c->io, ep, n->host, n->port, timeout_ms, err) < 0)
        return -1;
    if (reader_new(c, err) < 0) {
        net_conn_close(&c->io);
        return -1;
    }
    c->out.len = 0;
    c->out_off = 0;
    c->head = c->count = c->cmds = 0;
    c->want_write = false;
    splice_open(c);
    if (ep->password) {
        /* AUTH is the first command in flight; its entry is the engine's own */
        const char *argv[3];
        int argc = 0;
        argv[argc++] = "AUTH";
        if (ep->user)
            argv[argc++] = ep->user;
        argv[argc++] = ep->password;
        resp_add_command(&c->out, argc, argv, NULL);
        eng_item a = {.kind = ENG_K_AUTH, .node = -1};
        eng_ring_push(c, &a);
        t->inflight++;
        eng_conn_mark_dirty(c);
    }
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
    if (epoll_ctl(t->epfd, EPOLL_CTL_ADD, c->io.fd, &ev) < 0) {
        net_splice_close(&c->zc);
        net_conn_close(&c->io);
        return vm_err_set(err, VM_EIO, "epoll: %s", strerror(errno));
    }
    c->up = true;
    n->up++;
    return 0;
}

void eng_conn_free(eng_conn *c)
{
    if (c->reader)
        redisReaderFree(c->reader);
    c->reader = NULL;
    net_splice_close(&c->zc);
    net_conn_close(&c->io);
    sb_release(&c->out);
    free(c->ring);
    c->ring = NULL;
}

void eng_conn_mark_dirty(eng_conn *c)
{
    eng_thread *t = c->thr;
    if (c->dirty)
        return;
    VM_GROW(t->dirty, (size_t)t->ndirty + 1, t->cap_dirty);
    t->dirty[t->ndirty++] = c;
    c->dirty = true;
}

/* --- losing and regaining a connection ---------------------------------- */

void eng_conn_down(eng_conn *c, uint64_t now_ns, const char *why)
{
    eng_thread *t = c->thr;
    eng_node *n = &t->nodes[c->node];
    if (!c->up)
        return;
    epoll_ctl(t->epfd, EPOLL_CTL_DEL, c->io.fd, NULL);
    net_splice_close(&c->zc); /* never rewritten: the server may still read the old socket */
    net_conn_close(&c->io);
    c->up = false;
    n->up--;
    if (!c->down_since_ns)
        c->down_since_ns = now_ns;
    snprintf(n->last_error, sizeof(n->last_error), "%s", why);
    if (!n->gone)
        t->ndown++;
    /* unanswered commands: send again elsewhere or later (or fail them) */
    t->inflight -= c->count;
    for (uint32_t i = 0; i < c->count; i++) {
        eng_item it = c->ring[(c->head + i) & (c->cap - 1)];
        if (it.kind != ENG_K_CMD)
            continue;
        it.not_before_ns = now_ns;
        if (t->wl->not_idempotent) {
            it.flags |= ENG_F_LOST; /* eng_send_fill hands it back as an error */
        } else {
            it.flags |= ENG_F_RESENT;
            t->st->resent++;
        }
        eng_pend_push(t, &it);
    }
    c->head = c->count = c->cmds = 0;
    c->out.len = 0;
    c->out_off = 0;
    c->want_write = false;
    c->backoff_ms = c->backoff_ms ? c->backoff_ms : 10;
    c->retry_at_ns = now_ns + (uint64_t)c->backoff_ms * 1000000ull;
    if (t->cluster)
        t->need_refresh = true;
}

/* A connection with commands in flight that has read nothing for the
 * reply timeout: its node is frozen or cut off.  The run stops (as under
 * --on-error stop: nothing new is sent, the other connections' replies are
 * still read, so a state records every acknowledgement) and the error names
 * the node; this connection's unanswered commands are dropped, never
 * counted as done. */
void eng_conn_check_stalls(eng_thread *t, uint64_t now_ns)
{
    if (now_ns - t->last_stall_check_ns < 100000000ull)
        return;
    t->last_stall_check_ns = now_ns;
    uint64_t limit_ns = (t->cfg->reply_timeout_ms ? t->cfg->reply_timeout_ms : 30000) * 1000000ull;
    for (int ni = 0; ni < t->nnodes; ni++) {
        eng_node *n = &t->nodes[ni];
        for (int k = 0; k < t->nclients; k++) {
            eng_conn *c = &n->conns[k];
            if (!c->up || c->count == 0 || !c->quiet_since_ns) {
                c->quiet_since_ns = now_ns;
                continue;
            }
            if (now_ns - c->quiet_since_ns < limit_ns)
                continue;
            char why[160];
            snprintf(why, sizeof(why), "no reply for %.0f s to %u commands in flight",
                     (double)(now_ns - c->quiet_since_ns) / 1e9, c->count);
            if (!t->stopped_on_error) {
                vm_err_set(&t->err, VM_ECONN,
                           "%s:%d sent %s; stopping (what it acknowledged is kept)", n->host,
                           n->port, why);
                t->stopped_on_error = true;
                atomic_store(&t->sh->stopping, true);
            }
            eng_conn_down(c, now_ns, why);
        }
    }
}

int eng_conn_maintain(eng_thread *t, uint64_t now_ns)
{
    uint64_t limit_ns =
        (t->cfg->reconnect_timeout_ms ? t->cfg->reconnect_timeout_ms : 60000) * 1000000ull;
    for (int ni = 0; ni < t->nnodes && t->ndown > 0; ni++) {
        eng_node *n = &t->nodes[ni];
        if (n->gone)
            continue;
        for (int k = 0; k < t->nclients; k++) {
            eng_conn *c = &n->conns[k];
            if (c->up || now_ns < c->retry_at_ns)
                continue;
            vm_err e = {0};
            if (eng_conn_connect(c, 1000, &e) == 0) {
                t->ndown--;
                t->st->reconnects++;
                c->backoff_ms = 0;
                c->down_since_ns = 0;
                continue;
            }
            snprintf(n->last_error, sizeof(n->last_error), "%s", e.msg);
            if (now_ns - c->down_since_ns > limit_ns)
                return vm_err_set(&t->err, VM_ECONN, "%s:%d unreachable for %llu s, giving up: %s",
                                  n->host, n->port, (unsigned long long)(limit_ns / 1000000000ull),
                                  n->last_error);
            c->backoff_ms = c->backoff_ms * 2 > 1000 ? 1000 : c->backoff_ms * 2;
            c->retry_at_ns = now_ns + (uint64_t)c->backoff_ms * 1000000ull;
        }
    }
    return 0;
}

/* --- I/O --------------------------------------------------------------------- */

static void write_failed(eng_conn *c, uint64_t now_ns, ssize_t w)
{
    char why[200], e[160];
    snprintf(why, sizeof(why), "write failed: %s",
             w == 0 ? "closed" : net_conn_strerror(&c->io, errno, e, sizeof(e)));
    eng_conn_down(c, now_ns, why);
}

void eng_conn_flush(eng_conn *c, uint64_t now_ns)
{
    c->dirty = false;
    if (!c->up)
        return;
    int spliced = 1; /* 1: nothing of the ring (or of a file run) waits for the socket */
    if (c->zc.ring) {
        /* in order: the ring's bytes, a file run queued after them, then
         * what out holds (net_splice.h) */
        if (net_splice_pending(&c->zc))
            spliced = net_splice_push(&c->zc, c->io.fd);
        if (spliced == 1 && net_splice_file_pending(&c->zc))
            spliced = net_splice_file_push(&c->zc, c->io.fd);
        size_t n = c->out.len - c->out_off;
        if (spliced == 1 && n && !net_splice_fits(&c->zc, n))
            (void)net_splice_grow(&c->zc, n); /* big vectors: a bigger ring, when idle */
        if (spliced == 1 && n && net_splice_fits(&c->zc, n)) {
            net_splice_append(&c->zc, c->out.buf + c->out_off, n, c->pushed - 1);
            c->out_off = c->out.len;
            spliced = net_splice_push(&c->zc, c->io.fd);
        }
        if (spliced < 0) {
            write_failed(c, now_ns, -1);
            return;
        }
    }
    /* what did not fit the ring (or no ring): copied by send(), after the
     * ring's bytes */
    while (spliced == 1 && c->out_off < c->out.len) {
        ssize_t w = net_conn_write(&c->io, c->out.buf + c->out_off, c->out.len - c->out_off);
        if (w > 0) {
            c->out_off += (size_t)w;
            continue;
        }
        if (w < 0 && errno == EAGAIN)
            break;
        write_failed(c, now_ns, w);
        return;
    }
    if (c->out_off == c->out.len) {
        c->out.len = 0;
        c->out_off = 0;
    }
    bool pending =
        c->out_off < c->out.len || net_splice_pending(&c->zc) || net_splice_file_pending(&c->zc);
    if (pending != c->want_write) {
        struct epoll_event ev = {.events = EPOLLIN | (pending ? EPOLLOUT : 0), .data.ptr = c};
        epoll_ctl(c->thr->epfd, EPOLL_CTL_MOD, c->io.fd, &ev);
        c->want_write = pending;
    }
}

static int handle_one(eng_conn *c, redisReply *r, uint64_t now_ns)
{
    eng_thread *t = c->thr;
    if (c->count == 0) {
        eng_node *n = &t->nodes[c->node];
        vm_err_set(&t->err, VM_ECONN, "%s:%d sent a reply to nothing in flight", n->host, n->port);
        return -1;
    }
    eng_item *it = &c->ring[c->head];
    c->head = (c->head + 1) & (c->cap - 1);
    c->count--;
    t->inflight--;
    net_splice_release(&c->zc, c->pushed - c->count); /* the server has read this command */
    if (it->kind == ENG_K_CMD && r->type != REDIS_REPLY_ERROR) {
        /* the common case, kept short: count, time, hand over */
        c->cmds--;
        eng_stats *st = t->st;
        st->replies++;
        hist_record(&st->latency[it->op], now_ns > it->due_ns ? now_ns - it->due_ns : 0);
        return t->wl->reply(t->wl->ctx, t->index, it->tag, r, &t->err) < 0 ? -1 : 0;
    }
    eng_item copy = *it; /* the slot may be reused while the error is handled */
    if (copy.kind == ENG_K_AUTH) {
        if (r->type == REDIS_REPLY_ERROR) {
            eng_node *n = &t->nodes[c->node];
            vm_err_set(&t->err, VM_EAUTH, "%s:%d: authentication refused: %s", n->host, n->port,
                       r->str ? r->str : "");
            return -1;
        }
        return 0;
    }
    if (copy.kind == ENG_K_ASKING) {
        if (r->type == REDIS_REPLY_ERROR)
            t->st->errors_by_class[errclass_of(r->str, r->len)]++;
        return 0;
    }
    c->cmds--;
    return t->error_reply(c, &copy, r, now_ns); /* eng_reply_handle */
}

/* Light mode's fast path: whole one-line replies (:1, +OK, -ERR ...) at
 * the start of buf are decoded in place, without copying them into
 * hiredis's buffer — most write replies are one line.  Stops at the first
 * reply that is not one whole line; returns how many bytes it consumed, or
 * -1 when the run must stop. */
static ssize_t light_lines(eng_conn *c, const char *buf, size_t n, uint64_t now_ns)
{
    size_t pos = 0;
    while (pos < n && c->up) {
        char t = buf[pos];
        if (t == ':' && n - pos >= 4 && (buf[pos + 1] == '1' || buf[pos + 1] == '0') &&
            buf[pos + 2] == '\r' && buf[pos + 3] == '\n') {
            /* :1 / :0, what HSET and DEL answer: the common case, decided
             * in four bytes */
            redisReply *r = &c->light;
            r->type = REDIS_REPLY_INTEGER;
            r->integer = buf[pos + 1] - '0';
            r->elements = 0;
            r->str = NULL;
            r->len = 0;
            pos += 4;
            if (handle_one(c, r, now_ns) < 0)
                return -1;
            continue;
        }
        if (t != ':' && t != '+' && t != '-')
            break;
        const char *eol = buf + pos + 1, *end = buf + n;
        while (eol < end && *eol != '\r')
            eol++;
        if (eol + 1 >= end)
            break;
        const char *p = buf + pos + 1;
        size_t len = (size_t)(eol - p);
        redisReply *r = &c->light;
        r->elements = 0;
        if (t == ':') {
            long long v = 0;
            bool neg = len && *p == '-';
            size_t i = neg;
            for (; i < len && i < 19 && p[i] >= '0' && p[i] <= '9'; i++)
                v = v * 10 + (p[i] - '0');
            if (i != len || len == (size_t)neg)
                break; /* not a plain integer: hiredis decides */
            r->type = REDIS_REPLY_INTEGER;
            r->integer = neg ? -v : v;
            r->str = NULL;
            r->len = 0;
        } else {
            size_t k = len < sizeof(c->light_str) - 1 ? len : sizeof(c->light_str) - 1;
            memcpy(c->light_str, p, k);
            c->light_str[k] = '\0';
            r->type = t == '+' ? REDIS_REPLY_STATUS : REDIS_REPLY_ERROR;
            r->str = c->light_str;
            r->len = k;
        }
        pos = (size_t)(eol - buf) + 2;
        if (handle_one(c, r, now_ns) < 0)
            return -1;
    }
    return (ssize_t)pos;
}

static bool reader_idle(const redisReader *r)
{
    return r->ridx == -1 && r->pos >= r->len;
}

int eng_conn_read(eng_conn *c, uint64_t now_ns)
{
    char buf[1 << 16];
    eng_thread *t = c->thr;
    while (c->up) {
        ssize_t n = net_conn_read(&c->io, buf, sizeof(buf));
        if (n > 0) {
            c->quiet_since_ns = now_ns;
            size_t off = 0;
            if (!t->wl->full_replies && reader_idle(c->reader)) {
                ssize_t k = light_lines(c, buf, (size_t)n, now_ns);
                if (k < 0)
                    return -1;
                off = (size_t)k;
                if (!c->up)
                    return 0;
            }
            if (off < (size_t)n &&
                redisReaderFeed(c->reader, buf + off, (size_t)n - off) != REDIS_OK)
                return vm_err_set(&t->err, VM_ENOMEM, "out of memory");
            while (off < (size_t)n) {
                void *obj = NULL;
                if (redisReaderGetReply(c->reader, &obj) != REDIS_OK) {
                    char why[200];
                    snprintf(why, sizeof(why), "protocol error: %s", c->reader->errstr);
                    eng_conn_down(c, now_ns, why);
                    return 0;
                }
                if (!obj)
                    break;
                int rc = handle_one(c, obj, now_ns);
                if (t->wl->full_replies)
                    freeReplyObject(obj);
                if (rc < 0)
                    return -1;
                if (!c->up)
                    return 0;
            }
            if ((size_t)n < sizeof(buf) && !c->io.ssl)
                return 0;
            continue;
        }
        if (n < 0 && errno == EAGAIN)
            return 0;
        char why[200];
        if (n == 0)
            snprintf(why, sizeof(why), "closed by the server");
        else
            net_conn_strerror(&c->io, errno, why, sizeof(why));
        eng_conn_down(c, now_ns, why);
    }
    return 0;
}
