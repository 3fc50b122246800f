/* eng_send: what a worker sends each round — queued items first, then new
 * ones from the workload's next() as far as pacing, pipeline depth and the
 * queue bound allow — and on which connection (routing by eng_route.c).
 * Items that cannot go now (backoff, a full, down or paced node) wait in
 * the thread's queue; an item no node serves for too long is given up
 * with a synthetic error reply (eng_reply.c).
 *
 * Commands are appended to each connection's buffer; the worker writes
 * every dirty connection once per round (eng.c), except that a connection
 * filled to its pipeline depth is written at once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eng_int.h"

#define NO_NODE_WAIT_NS 100000000ull

enum place_rc { PLACED, NO_ROOM, WAIT };

/* --- pacing --------------------------------------------------------------- */

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

/* In a cluster, the first time an item is placed: the node the workload
 * pins it to, if any, and its key's slot. */
static void locate(eng_thread *t, eng_item *it)
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
}

/* Put an item on one of its node's connections, or say why not: WAIT (no
 * node serves it, or its node's pace) with it->not_before_ns set, NO_ROOM
 * (every connection full or down). */
static enum place_rc place(eng_thread *t, eng_item *it, uint64_t now)
{
    const eng_workload *wl = t->wl;
    locate(t, it);
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
    return eng_reply_handle(&t->nodes[0].conns[0], it, &r, now);
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
            if (pr == WAIT && it.slot >= 0 && now - it.first_ns > eng_retry_timeout_ns(t)) {
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
        VM_GROW(q, w + 1, n);
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

int eng_send_fill(eng_thread *t, uint64_t now)
{
    if (t->npend && atomic_load_explicit(&t->sh->stopping, memory_order_relaxed))
        t->npend = 0; /* stopping: what waits to be (re)sent was never acknowledged */
    if (t->npend && drain_pending(t, now) < 0)
        return -1;
    claim_new(t, now);
    return 0;
}
