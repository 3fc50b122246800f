/* eng_reply: what happens to a workload command's reply.  A success goes
 * to the workload's reply() (eng_conn.c takes that common case itself, in
 * its read loop); an error reply is classified (net/errclass.h) and
 * counted, then a redirection is followed (eng_route.c), a transient error
 * is retried after a backoff, and anything else is handed to reply() under
 * the workload's policy for its class — a STOP policy then stops the run. */
#include <stdio.h>
#include <string.h>

#include "eng_int.h"

uint64_t eng_reply_backoff_ns(unsigned attempts)
{
    uint64_t ms = 10ull << (attempts > 7 ? 7 : attempts);
    return (ms > 1000 ? 1000 : ms) * 1000000ull;
}

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

int eng_reply_handle(eng_conn *c, eng_item *it, const redisReply *r, uint64_t now)
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
    bool can_retry = it->attempts != 255 && now - it->first_ns < eng_retry_timeout_ns(t);
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
        it->not_before_ns = now + eng_reply_backoff_ns(it->attempts);
        if (t->cluster &&
            (cls == ERRC_CLUSTERDOWN || cls == ERRC_READONLY || cls == ERRC_MASTERDOWN))
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
