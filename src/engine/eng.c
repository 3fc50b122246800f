/* eng: the run and the worker loop; see eng.h.
 *
 * One loop iteration of a worker: reconnect what is due, refresh the
 * cluster map if asked, fill — queued items first, then new ones from
 * next() as far as pacing, pipeline depth and the queue bound allow — then
 * write every connection that got bytes with one call each, then wait for
 * replies.  Filling a whole iteration before writing is what keeps the
 * syscalls per command low (one write per connection per round trip).
 *
 * Latency is measured from when a command was due — its slot in the
 * open-loop schedule, or the moment it was put in the buffer — to the read
 * that completed its reply, and recorded per operation type. */
#include "eng.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "../util/clock.h"
#include "eng_int.h"

#define DEFAULT_RETRY_TIMEOUT_MS 30000ull
#define NO_NODE_WAIT_NS 100000000ull

enum place_rc { PLACED, NO_ROOM, WAIT };

void eng_policy_all(eng_workload *wl, eng_policy p)
{
    for (int i = 0; i < ERRC_COUNT; i++)
        wl->policy[i] = p;
}

uint64_t eng_backoff_ns(unsigned attempts)
{
    uint64_t ms = 10ull << (attempts > 7 ? 7 : attempts);
    return (ms > 1000 ? 1000 : ms) * 1000000ull;
}

/* --- pacing --------------------------------------------------------------- */

static void sched_init(eng_sched *s, double rate_per_s, uint64_t t0_ns)
{
    s->interval_ns = rate_per_s > 0 ? 1e9 / rate_per_s : 0;
    s->next_due_ns = (double)t0_ns;
}

static inline bool sched_ready(const eng_sched *s, uint64_t now_ns)
{
    return s->interval_ns == 0 || (double)now_ns >= s->next_due_ns;
}

/* Take the next slot of the schedule; returns when it was due.  Closed loop
 * keeps at most 100 ms of unused credit, so a pause is not followed by an
 * unbounded burst; open loop keeps every slot (a backlog is queueing). */
static inline uint64_t sched_take(eng_sched *s, uint64_t now_ns, bool open_loop)
{
    if (!open_loop && s->next_due_ns < (double)now_ns - 1e8)
        s->next_due_ns = (double)now_ns - 1e8;
    uint64_t due = (uint64_t)s->next_due_ns;
    s->next_due_ns += s->interval_ns;
    return due;
}

/* --- the queue of waiting items --------------------------------------------- */

void eng_pend_push(eng_thread *t, const eng_item *it)
{
    if (t->npend == t->cap_pend) {
        size_t cap = t->cap_pend ? t->cap_pend * 2 : 64;
        eng_item *p = realloc(t->pend, cap * sizeof(*p));
        if (!p)
            abort(); /* strbuf's rule: nothing useful happens without memory */
        t->pend = p;
        t->cap_pend = cap;
    }
    t->pend[t->npend++] = *it;
}

/* --- sending ------------------------------------------------------------------ */

static eng_conn *pick_conn(eng_thread *t, eng_node *n)
{
    uint32_t depth = (uint32_t)t->cfg->pipeline;
    int i = n->rr;
    for (int k = 0; k < t->nclients; k++) {
        eng_conn *c = &n->conns[i];
        if (c->up && c->cmds < depth && c->count + 2 <= c->cap) {
            n->rr = i; /* fill this one up before moving on: bigger writes */
            return c;
        }
        if (++i == t->nclients)
            i = 0;
    }
    return NULL;
}

static uint64_t retry_timeout_ns(const eng_thread *t)
{
    uint64_t ms = t->cfg->retry_timeout_ms ? t->cfg->retry_timeout_ms : DEFAULT_RETRY_TIMEOUT_MS;
    return ms * 1000000ull;
}

static enum place_rc place(eng_thread *t, eng_item *it, uint64_t now)
{
    const eng_workload *wl = t->wl;
    if (t->cluster && wl->node_of && it->slot == ENG_SLOT_UNKNOWN) {
        const char *host;
        int port, ni;
        if (wl->node_of(wl->ctx, it->tag, &host, &port) &&
            (ni = eng_route_node_for(t, host, port)) >= 0) {
            it->node = ni;
            it->flags |= ENG_F_PINNED;
        }
    }
    if (t->cluster && it->slot == ENG_SLOT_UNKNOWN) {
        if (wl->slot) {
            int s = wl->slot(wl->ctx, it->tag);
            it->slot = s >= 0 ? (s & (NET_CLUSTER_SLOTS - 1)) : ENG_SLOT_ANY;
        } else {
            /* emit once into scratch to find the key; copied below if placed */
            t->scratch.len = 0;
            wl->emit(wl->ctx, it->tag, &t->scratch);
            t->scratch_tag = it->tag;
            t->scratch_full = true;
            it->slot = eng_route_resp_slot(t->scratch.buf, t->scratch.len);
        }
    }
    int ni = eng_route_node(t, it);
    if (ni < 0) {
        it->not_before_ns = now + NO_NODE_WAIT_NS;
        return WAIT;
    }
    eng_node *n = &t->nodes[ni];
    if (!sched_ready(&n->sched, now)) {
        it->not_before_ns = (uint64_t)n->sched.next_due_ns;
        return WAIT;
    }
    eng_conn *c = pick_conn(t, n);
    if (!c) {
        it->not_before_ns = now; /* a reply (an event) will make room */
        if (n->up == 0) {
            /* all down: wait for the reconnect (or the refresh) */
            it->not_before_ns = now + 10000000ull;
        }
        return NO_ROOM;
    }
    if (n->sched.interval_ns > 0) {
        uint64_t d = sched_take(&n->sched, now, t->cfg->open_loop);
        if (t->cfg->open_loop && d > it->due_ns)
            it->due_ns = d;
    }
    if (!it->due_ns)
        it->due_ns = now;
    if (it->flags & ENG_F_ASK) {
        static const char asking[] = "*1\r\n$6\r\nASKING\r\n";
        sb_add(&c->out, asking, sizeof(asking) - 1);
        eng_item a = {.kind = ENG_K_ASKING, .node = -1};
        eng_ring_push(c, &a);
        t->inflight++;
    }
    uint64_t foff, flen;
    if (t->scratch_full && t->scratch_tag == it->tag) {
        sb_add(&c->out, t->scratch.buf, t->scratch.len);
        t->scratch_full = false;
    } else if (wl->file_range && !t->cluster && c->zc.ring && c->out.len == c->out_off &&
               !(it->flags & ENG_F_ASK) && wl->file_range(wl->ctx, it->tag, &foff, &flen) &&
               net_splice_file_add(&c->zc, wl->file_fd, foff, flen)) {
        /* already encoded on disk, right after the connection's last bytes:
         * spliced from the file (net_splice.h).  Not on a cluster: a node's
         * commands are rarely consecutive ids, and a run of one command
         * costs two more system calls than the bytes it saves copying */
    } else {
        wl->emit(wl->ctx, it->tag, &c->out);
    }
    it->kind = ENG_K_CMD;
    eng_ring_push(c, it);
    c->cmds++;
    t->inflight++;
    t->st->sent++;
    eng_conn_mark_dirty(c);
    /* a full connection gets nothing more this round: write it now, so the
     * server starts on it while the next connection's commands are built
     * (an idle server is woken by our write, at a cost to us) */
    if (c->cmds >= (uint32_t)t->cfg->pipeline)
        eng_conn_flush(c, now);
    return PLACED;
}

/* A synthetic error reply for an item that cannot be sent anywhere. */
static int give_up(eng_thread *t, eng_item *it, uint64_t now, const char *msg)
{
    redisReply r = {.type = REDIS_REPLY_ERROR, .str = (char *)msg, .len = strlen(msg)};
    it->attempts = 255;
    if (!it->due_ns)
        it->due_ns = it->first_ns;
    /* deliver through the first connection: only t is used from it */
    return eng_handle_reply(&t->nodes[0].conns[0], it, &r, now);
}

static bool producer_may_claim(eng_thread *t, uint64_t now)
{
    const eng_config *cfg = t->cfg;
    if ((cfg->stop && atomic_load_explicit(cfg->stop, memory_order_relaxed)) ||
        atomic_load_explicit(&t->sh->failed, memory_order_relaxed) ||
        atomic_load_explicit(&t->sh->stopping, memory_order_relaxed) ||
        (t->sh->end_ns && now >= t->sh->end_ns)) {
        t->producer_done = true;
        return false;
    }
    return true;
}

/* Waiting items first, in order; those that still cannot go stay queued. */
static int drain_pending(eng_thread *t, uint64_t now)
{
    size_t w = 0, n = t->npend;
    eng_item *q = t->pend;
    /* place() never queues, but give_up() -> reply() may: into a new queue */
    t->pend = NULL;
    t->npend = t->cap_pend = 0;
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        eng_item it = q[i];
        if (rc == 0 && (it.flags & ENG_F_LOST)) {
            rc = give_up(t, &it, now, "ERR connection lost before the reply");
            continue;
        }
        if (rc == 0 && it.not_before_ns <= now) {
            enum place_rc pr = place(t, &it, now);
            t->scratch_full = false;
            if (pr == PLACED)
                continue;
            if (pr == WAIT && it.slot >= 0 && now - it.first_ns > retry_timeout_ns(t)) {
                char msg[80];
                snprintf(msg, sizeof(msg), "CLUSTERDOWN no node serves slot %d", (int)it.slot);
                rc = give_up(t, &it, now, msg);
                continue;
            }
        }
        q[w++] = it;
    }
    /* what still waits goes ahead of anything queued meanwhile */
    for (size_t i = 0; i < t->npend; i++) {
        if (w == n) {
            n = n * 2 + 1;
            eng_item *g = realloc(q, n * sizeof(*q));
            if (!g)
                abort(); /* strbuf's rule */
            q = g;
        }
        q[w++] = t->pend[i];
    }
    free(t->pend);
    t->pend = q;
    t->cap_pend = n;
    t->npend = w;
    return rc;
}

/* The common case — one server, no pacing, no count bound, no operation
 * types, nothing queued — takes a connection's whole room in one go: per
 * command only next(), emit() (or the file run, as place()) and its ring
 * entry, without place()'s per-command routing and pacing checks. */
static bool claim_fast_path(const eng_thread *t)
{
    const eng_workload *wl = t->wl;
    return !t->cluster && t->npend == 0 && !t->cfg->max_ops && t->sched.interval_ns == 0 &&
           t->nodes[0].sched.interval_ns == 0 && !wl->op_of;
}

static void claim_fast(eng_thread *t, uint64_t now)
{
    const eng_workload *wl = t->wl;
    eng_node *n = &t->nodes[0];
    uint32_t depth = (uint32_t)t->cfg->pipeline;
    while (!t->producer_done && producer_may_claim(t, now)) {
        eng_conn *c = pick_conn(t, n);
        if (!c)
            return; /* full: replies will make room */
        /* pick_conn leaves room for an ASKING too; none is sent here */
        uint32_t room = depth - c->cmds, ring_room = c->cap - c->count - 1;
        if (room > ring_room)
            room = ring_room;
        uint32_t k = 0;
        for (; k < room; k++) {
            uint64_t tag;
            if (!wl->next(wl->ctx, t->index, &tag)) {
                t->producer_done = true;
                break;
            }
            uint64_t foff, flen;
            if (!(wl->file_range && c->zc.ring && c->out.len == c->out_off &&
                  wl->file_range(wl->ctx, tag, &foff, &flen) &&
                  net_splice_file_add(&c->zc, wl->file_fd, foff, flen)))
                wl->emit(wl->ctx, tag, &c->out); /* else spliced from the file, as place() */
            eng_item *it = &c->ring[(c->head + c->count) & (c->cap - 1)];
            *it = (eng_item){.tag = tag,
                             .due_ns = now,
                             .first_ns = now,
                             .node = -1,
                             .slot = ENG_SLOT_UNKNOWN,
                             .kind = ENG_K_CMD};
            c->count++;
            c->pushed++;
        }
        if (k == 0)
            return;
        c->cmds += k;
        t->inflight += k;
        t->st->sent += k;
        eng_conn_mark_dirty(c);
        if (c->cmds >= depth)
            eng_conn_flush(c, now); /* as place(): the server starts on it now */
    }
}

/* New items from next(), as far as pacing, bounds, room and the queue allow. */
static void claim_new(eng_thread *t, uint64_t now)
{
    const eng_workload *wl = t->wl;
    bool open = t->cfg->open_loop;
    if (claim_fast_path(t)) {
        claim_fast(t, now);
        return;
    }
    while (!t->producer_done && t->npend < t->pend_limit) {
        if (!producer_may_claim(t, now) || !sched_ready(&t->sched, now))
            break;
        if (t->cfg->max_ops && atomic_fetch_add(&t->sh->claimed, 1) >= t->cfg->max_ops) {
            t->producer_done = true;
            break;
        }
        uint64_t tag;
        if (!wl->next(wl->ctx, t->index, &tag)) {
            t->producer_done = true;
            break;
        }
        eng_item it = {.tag = tag, .first_ns = now, .node = -1, .slot = ENG_SLOT_UNKNOWN};
        if (wl->op_of) {
            int op = wl->op_of(wl->ctx, tag);
            it.op = (uint8_t)(op >= 0 && op < t->st->nops ? op : 0);
        }
        if (t->sched.interval_ns > 0) {
            uint64_t due = sched_take(&t->sched, now, open);
            if (open)
                it.due_ns = due;
        }
        enum place_rc rc = place(t, &it, now);
        t->scratch_full = false;
        if (rc == PLACED)
            continue;
        eng_pend_push(t, &it);
        if (!t->cluster && rc == NO_ROOM)
            break; /* one node and it is full: wait for replies */
    }
}

static int fill(eng_thread *t, uint64_t now)
{
    if (t->npend && atomic_load_explicit(&t->sh->stopping, memory_order_relaxed))
        t->npend = 0; /* stopping: what waits to be (re)sent was never acknowledged */
    if (t->npend && drain_pending(t, now) < 0)
        return -1;
    claim_new(t, now);
    return 0;
}

/* --- replies -------------------------------------------------------------------- */

static eng_policy policy_for(const eng_thread *t, errclass cls)
{
    eng_policy p = t->wl->policy[cls];
    if (p != ENG_POLICY_DEFAULT)
        return p;
    switch (cls) {
    case ERRC_MOVED: /* reached only without --cluster or when retries ran out */
    case ERRC_ASK:
        return ENG_POLICY_SKIP;
    case ERRC_TRYAGAIN:
    case ERRC_CLUSTERDOWN:
    case ERRC_LOADING:
    case ERRC_MASTERDOWN:
        return ENG_POLICY_RETRY;
    case ERRC_READONLY:
        if (t->cluster)
            return ENG_POLICY_RETRY;
        break;
    default:
        break;
    }
    return t->cfg->on_error != ENG_POLICY_DEFAULT ? t->cfg->on_error : ENG_POLICY_SKIP;
}

static int deliver(eng_conn *c, eng_item *it, const redisReply *r, uint64_t now)
{
    eng_thread *t = c->thr;
    eng_stats *st = t->st;
    st->replies++;
    hist_record(&st->latency[it->op], now > it->due_ns ? now - it->due_ns : 0);
    if (r->type == REDIS_REPLY_ERROR) {
        st->error_replies++;
        if (!st->first_error[0])
            snprintf(st->first_error, sizeof(st->first_error), "%.*s", (int)r->len,
                     r->str ? r->str : "");
    }
    return t->wl->reply(t->wl->ctx, t->index, it->tag, r, &t->err) < 0 ? -1 : 0;
}

int eng_handle_reply(eng_conn *c, eng_item *it, const redisReply *r, uint64_t now)
{
    eng_thread *t = c->thr;
    if (r->type != REDIS_REPLY_ERROR) {
        eng_stats *st = t->st;
        st->replies++;
        hist_record(&st->latency[it->op], now > it->due_ns ? now - it->due_ns : 0);
        return t->wl->reply(t->wl->ctx, t->index, it->tag, r, &t->err) < 0 ? -1 : 0;
    }
    errclass cls = errclass_of(r->str, r->len);
    t->st->errors_by_class[cls]++;
    bool can_retry = it->attempts != 255 && now - it->first_ns < retry_timeout_ns(t);
    if (can_retry && it->attempts < 254)
        it->attempts++;
    if (t->cluster && can_retry && cls == ERRC_MOVED &&
        eng_route_moved(t, c, it, r->str, r->len) == 0) {
        t->st->moved++;
        return 0;
    }
    if (t->cluster && can_retry && cls == ERRC_ASK &&
        eng_route_ask(t, c, it, r->str, r->len) == 0) {
        t->st->asked++;
        return 0;
    }
    eng_policy p = policy_for(t, cls);
    if (p == ENG_POLICY_RETRY && errclass_permanent(cls))
        p = ENG_POLICY_STOP; /* sending it again cannot help, and retry means "lose nothing" */
    if (p == ENG_POLICY_RETRY && can_retry) {
        it->not_before_ns = now + eng_backoff_ns(it->attempts);
        if (t->cluster && (cls == ERRC_CLUSTERDOWN || cls == ERRC_READONLY ||
                           cls == ERRC_MASTERDOWN))
            t->need_refresh = true;
        t->st->retries++;
        eng_pend_push(t, it);
        return 0;
    }
    if (deliver(c, it, r, now) < 0)
        return -1;
    if (p == ENG_POLICY_STOP && !t->stopped_on_error) {
        eng_node *n = &t->nodes[c->node];
        vm_err_set(&t->err, VM_ESERVER, "%s:%d answered a%s %s error, stopping: %.*s", n->host,
                   n->port, cls == ERRC_OOM || cls == ERRC_OTHER ? "n" : "", errclass_name(cls),
                   (int)r->len, r->str ? r->str : "");
        t->stopped_on_error = true;
        atomic_store(&t->sh->stopping, true);
    }
    return 0;
}

/* --- the worker loop ----------------------------------------------------------- */

static int wait_ms(const eng_thread *t, uint64_t now)
{
    uint64_t wake = now + 100000000ull; /* look at the stop flag now and then */
    if (!t->producer_done && t->npend < t->pend_limit && t->sched.interval_ns > 0 &&
        (uint64_t)t->sched.next_due_ns < wake)
        wake = (uint64_t)t->sched.next_due_ns;
    for (size_t i = 0; i < t->npend; i++)
        if (t->pend[i].not_before_ns > now && t->pend[i].not_before_ns < wake)
            wake = t->pend[i].not_before_ns;
    if (t->ndown)
        for (int i = 0; i < t->nnodes; i++)
            for (int k = 0; k < t->nclients && !t->nodes[i].gone; k++)
                if (!t->nodes[i].conns[k].up && t->nodes[i].conns[k].retry_at_ns < wake)
                    wake = t->nodes[i].conns[k].retry_at_ns;
    if (t->need_refresh && t->last_refresh_ns + ENG_REFRESH_EVERY_NS < wake)
        wake = t->last_refresh_ns + ENG_REFRESH_EVERY_NS;
    if (t->sh->end_ns && !t->producer_done && t->sh->end_ns < wake)
        wake = t->sh->end_ns;
    if (wake <= now)
        return 0;
    return (int)((wake - now + 999999) / 1000000);
}

/* One iteration; *now is the time the last wait ended (one clock read per
 * iteration: filling right after the replies were handled is "now" enough). */
static int loop_once(eng_thread *t, struct epoll_event *evs, int nevs, uint64_t *now_io)
{
    uint64_t now = *now_io;
    if (t->ndown && eng_conns_maintain(t, now) < 0)
        return -1;
    eng_conns_check_stalls(t, now); /* also when idle: it keeps the quiet clocks current */
    /* A master that went away may be failed over only seconds later (after
     * cluster-node-timeout and an election): while a node is down the map
     * is read again and again, not once, until it names the new master. */
    if (t->cluster && t->ndown)
        t->need_refresh = true;
    if (t->need_refresh)
        eng_route_refresh(t, now);
    if (fill(t, now) < 0)
        return -1;
    for (int i = 0; i < t->ndirty; i++)
        eng_conn_flush(t->dirty[i], now);
    t->ndirty = 0;
    if (t->producer_done && t->npend == 0 && t->inflight == 0)
        return 1;
    int n = epoll_wait(t->epfd, evs, nevs, wait_ms(t, now));
    if (n < 0 && errno != EINTR)
        return vm_err_set(&t->err, VM_EIO, "epoll_wait: %s", strerror(errno));
    now = *now_io = clk_mono_ns();
    for (int e = 0; e < n; e++) {
        eng_conn *c = evs[e].data.ptr;
        if (!c->up)
            continue;
        if ((evs[e].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) && eng_conn_read(c, now) < 0)
            return -1;
        if (c->up && (evs[e].events & EPOLLOUT))
            eng_conn_mark_dirty(c);
    }
    return 0;
}

static void *worker(void *arg)
{
    eng_thread *t = arg;
    struct epoll_event evs[64];
    int rc = 0;
    uint64_t now = clk_mono_ns();
    while (!atomic_load_explicit(&t->sh->failed, memory_order_relaxed)) {
        rc = loop_once(t, evs, 64, &now);
        if (rc != 0)
            break;
    }
    /* a stop: this thread's in-flight replies are read, and the other
     * threads read theirs (so no failed flag); the stop is the run's error */
    t->rc = rc < 0 || t->stopped_on_error ? -1 : 0;
    if (rc < 0)
        atomic_store(&t->sh->failed, true);
    t->cpu_s = clk_thread_cpu_s(); /* the thread lives for this run only */
    pthread_mutex_lock(&t->sh->done_mu);
    atomic_fetch_add(&t->sh->finished, 1);
    pthread_cond_signal(&t->sh->done_cv);
    pthread_mutex_unlock(&t->sh->done_mu);
    return NULL;
}

/* --- the run --------------------------------------------------------------------- */

static int thread_setup(eng_thread *t, int i, int nthreads, int clients, const eng_config *cfg,
                        const eng_workload *wl, eng_shared *sh, vm_err *err)
{
    t->index = i;
    t->nthreads = nthreads;
    t->cfg = cfg;
    t->wl = wl;
    t->sh = sh;
    t->cluster = cfg->ep->cluster;
    t->nclients = clients / nthreads + (i < clients % nthreads);
    t->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (t->epfd < 0)
        return vm_err_set(err, VM_EIO, "epoll: %s", strerror(errno));
    t->st = calloc(1, sizeof(eng_stats));
    if (!t->st)
        return vm_err_set(err, VM_ENOMEM, "out of memory");
    t->st->nops = wl->nops > 0 ? wl->nops : 1;
    for (int k = 0; k < ENG_MAX_OPS; k++)
        hist_init(&t->st->latency[k]);
    sched_init(&t->sched, (double)cfg->rate_ops / nthreads, sh->t0_ns);
    t->pend_limit = (size_t)t->nclients * (size_t)cfg->pipeline + 64;
    sb_init(&t->scratch, 4096);
    return eng_route_init(t, err);
}

void eng_stats_init(eng_stats *st)
{
    memset(st, 0, sizeof(*st));
    st->nops = 1;
    for (int k = 0; k < ENG_MAX_OPS; k++)
        hist_init(&st->latency[k]);
}

void eng_stats_add(eng_stats *dst, const eng_stats *s)
{
    dst->sent += s->sent;
    dst->replies += s->replies;
    dst->error_replies += s->error_replies;
    for (int c = 0; c < ERRC_COUNT; c++)
        dst->errors_by_class[c] += s->errors_by_class[c];
    dst->moved += s->moved;
    dst->asked += s->asked;
    dst->retries += s->retries;
    dst->resent += s->resent;
    dst->reconnects += s->reconnects;
    dst->topology_refreshes += s->topology_refreshes;
    for (int k = 0; k < ENG_MAX_OPS; k++)
        hist_merge(&dst->latency[k], &s->latency[k]);
    if (!dst->first_error[0] && s->first_error[0])
        memcpy(dst->first_error, s->first_error, sizeof(dst->first_error));
    if (s->nodes > dst->nodes)
        dst->nodes = s->nodes;
    if (s->nops > dst->nops)
        dst->nops = s->nops;
    for (int k = 0; k < ENG_MAX_OPS; k++)
        if (!dst->op_names[k])
            dst->op_names[k] = s->op_names[k];
}

static void merge_stats(eng_stats *dst, const eng_thread *ts, int n)
{
    for (int i = 0; i < n; i++) {
        if (!ts[i].st)
            continue;
        int live = 0;
        for (int k = 0; k < ts[i].nnodes; k++)
            live += !ts[i].nodes[k].gone;
        ts[i].st->nodes = live;
        ts[i].st->nops = dst->nops;
        eng_stats_add(dst, ts[i].st);
    }
}

static void stats_init(eng_stats *st, const eng_workload *wl)
{
    eng_stats_init(st);
    st->nops = wl->nops > 0 ? wl->nops : 1;
    for (int k = 0; k < ENG_MAX_OPS; k++)
        st->op_names[k] = wl->op_names && k < st->nops ? wl->op_names[k] : NULL;
    if (!st->op_names[0])
        st->op_names[0] = "cmd";
}

/* The caller's thread ticks every tick_ms and otherwise sleeps until the last
 * worker finishes: no polling, which would cost a wake-up every few ms. */
static void tick_until_done(eng_shared *sh, int nthreads, void (*tick)(void *), void *tick_ctx,
                            uint64_t tick_ms)
{
    pthread_mutex_lock(&sh->done_mu);
    while (atomic_load(&sh->finished) < nthreads) {
        pthread_mutex_unlock(&sh->done_mu);
        tick(tick_ctx);
        pthread_mutex_lock(&sh->done_mu);
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        uint64_t ns = (uint64_t)until.tv_nsec + tick_ms * 1000000ull;
        until.tv_sec += (time_t)(ns / 1000000000ull);
        until.tv_nsec = (long)(ns % 1000000000ull);
        while (atomic_load(&sh->finished) < nthreads &&
               pthread_cond_timedwait(&sh->done_cv, &sh->done_mu, &until) == 0) {
        }
    }
    pthread_mutex_unlock(&sh->done_mu);
    tick(tick_ctx);
}

/* Each connection is a socket, and a spliced one a pipe too (two more
 * descriptors): raise the soft limit towards the hard one when needed, and
 * splice only when every connection can have its pipe — a socket refused
 * for want of a descriptor would be worse than a copy. */
static bool fd_room_for_pipes(uint64_t conns)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
        return false;
    rlim_t need = (rlim_t)(conns * 3 + 64);
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need) {
        rlim_t want = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > need ? need : rl.rlim_max;
        struct rlimit up = {want, rl.rlim_max};
        if (want > rl.rlim_cur && setrlimit(RLIMIT_NOFILE, &up) == 0)
            rl.rlim_cur = want;
    }
    return rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= need;
}

int eng_run(const eng_config *cfg, const eng_workload *wl, void (*tick)(void *),
            void *tick_ctx, uint64_t tick_ms, eng_stats *stats, vm_err *err)
{
    stats_init(stats, wl);
    int nthreads = cfg->threads < 1 ? 1 : cfg->threads;
    int clients = cfg->clients < 1 ? 1 : cfg->clients;
    if (nthreads > clients)
        nthreads = clients;
    if (cfg->pipeline < 1)
        return vm_err_set(err, VM_EINPUT, "pipeline depth must be at least 1");
    if (wl->nops > ENG_MAX_OPS)
        return vm_err_set(err, VM_EINTERNAL, "workload has %d operation types (at most %d)",
                          wl->nops, ENG_MAX_OPS);
    eng_shared sh = {0};
    double cpu0 = clk_thread_cpu_s();
    sh.t0_ns = clk_mono_ns();
    sh.end_ns = cfg->duration_ms ? sh.t0_ns + cfg->duration_ms * 1000000ull : 0;
    net_cluster_topo topo = {0};
    if (cfg->ep->cluster) {
        if (net_cluster_fetch(cfg->ep, &topo, err) < 0)
            return -1;
        if (topo.nmasters == 0 || net_cluster_uncovered(&topo) == NET_CLUSTER_SLOTS) {
            net_cluster_free(&topo);
            return vm_err_set(err, VM_ESERVER, "%s:%d: the cluster has no slots assigned",
                              cfg->ep->host, cfg->ep->port);
        }
        sh.topo = &topo;
    }
    sh.splice = fd_room_for_pipes((uint64_t)clients * (uint64_t)(topo.nmasters > 0 ? topo.nmasters : 1));
    eng_thread *ts = calloc((size_t)nthreads, sizeof(*ts));
    if (!ts) {
        net_cluster_free(&topo);
        return vm_err_set(err, VM_ENOMEM, "out of memory");
    }
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&sh.done_mu, NULL);
    pthread_cond_init(&sh.done_cv, &ca);
    pthread_condattr_destroy(&ca);

    int rc = 0, started = 0;
    for (int i = 0; i < nthreads; i++)
        ts[i].epfd = -1;
    for (int i = 0; i < nthreads && rc == 0; i++) {
        rc = thread_setup(&ts[i], i, nthreads, clients, cfg, wl, &sh, err);
    }
    for (int i = 0; i < nthreads && rc == 0; i++) {
        if (pthread_create(&ts[i].tid, NULL, worker, &ts[i]) != 0) {
            atomic_store(&sh.failed, true);
            rc = vm_err_set(err, VM_EINTERNAL, "cannot start worker thread");
            break;
        }
        started++;
    }
    if (tick && rc == 0)
        tick_until_done(&sh, nthreads, tick, tick_ctx, tick_ms);
    for (int i = 0; i < started; i++)
        pthread_join(ts[i].tid, NULL);
    if (started == nthreads) {
        merge_stats(stats, ts, nthreads);
        for (int i = 0; i < nthreads && rc == 0; i++)
            if (ts[i].rc < 0) {
                *err = ts[i].err;
                rc = -1;
            }
    }
    stats->seconds = (double)(clk_mono_ns() - sh.t0_ns) / 1e9;
    /* the run's own threads — the caller's (set-up, ticks) and the
     * workers' — not the process's: parallel runs do not count each other */
    stats->cpu_s = clk_thread_cpu_s() - cpu0;
    for (int i = 0; i < started; i++)
        stats->cpu_s += ts[i].cpu_s;
    if (cfg->totals) {
        cfg->totals->seconds += stats->seconds;
        cfg->totals->cpu_s += stats->cpu_s;
        eng_stats_add(cfg->totals, stats);
    }
    for (int i = 0; i < nthreads; i++) {
        eng_route_free(&ts[i]);
        if (ts[i].epfd >= 0)
            close(ts[i].epfd);
        free(ts[i].st);
        free(ts[i].pend);
        free(ts[i].dirty);
        sb_release(&ts[i].scratch);
    }
    free(ts);
    pthread_cond_destroy(&sh.done_cv);
    pthread_mutex_destroy(&sh.done_mu);
    net_cluster_free(&topo);
    return rc;
}
