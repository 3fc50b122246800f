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

void eng_policy_all(eng_workload *wl, eng_policy p)
{
    for (int i = 0; i < ERRC_COUNT; i++)
        wl->policy[i] = p;
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
    if (t->ndown && eng_conn_maintain(t, now) < 0)
        return -1;
    eng_conn_check_stalls(t, now); /* also when idle: it keeps the quiet clocks current */
    /* A master that went away may be failed over only seconds later (after
     * cluster-node-timeout and an election): while a node is down the map
     * is read again and again, not once, until it names the new master. */
    if (t->cluster && t->ndown)
        t->need_refresh = true;
    if (t->need_refresh)
        eng_route_refresh(t, now);
    if (eng_send_fill(t, now) < 0)
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
    t->error_reply = eng_reply_handle;
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
    eng_sched_init(&t->sched, (double)cfg->rate_ops / nthreads, sh->t0_ns);
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

/* The run's shared state: its clock, its bounds, the cluster map read
 * before the start (the threads copy it) and whether to splice. */
static int shared_init(eng_shared *sh, net_cluster_topo *topo, const eng_config *cfg, int clients,
                       vm_err *err)
{
    sh->t0_ns = clk_mono_ns();
    sh->end_ns = cfg->duration_ms ? sh->t0_ns + cfg->duration_ms * 1000000ull : 0;
    if (cfg->ep->cluster) {
        if (net_cluster_fetch(cfg->ep, topo, err) < 0)
            return -1;
        if (topo->nmasters == 0 || net_cluster_uncovered(topo) == NET_CLUSTER_SLOTS) {
            net_cluster_free(topo);
            return vm_err_set(err, VM_ESERVER, "%s:%d: the cluster has no slots assigned",
                              cfg->ep->host, cfg->ep->port);
        }
        sh->topo = topo;
    }
    uint64_t nodes = (uint64_t)(topo->nmasters > 0 ? topo->nmasters : 1);
    sh->splice = fd_room_for_pipes((uint64_t)clients * nodes);
    return 0;
}

static void shared_sync_init(eng_shared *sh)
{
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&sh->done_mu, NULL);
    pthread_cond_init(&sh->done_cv, &ca);
    pthread_condattr_destroy(&ca);
}

/* The run's wall time and CPU — its own threads', the caller's (set-up,
 * ticks) and the workers', not the process's: parallel runs do not count
 * each other — and the totals of eng_config.totals. */
static void stats_finish(eng_stats *stats, const eng_config *cfg, const eng_thread *ts, int started,
                         uint64_t t0_ns, double cpu0)
{
    stats->seconds = (double)(clk_mono_ns() - t0_ns) / 1e9;
    stats->cpu_s = clk_thread_cpu_s() - cpu0;
    for (int i = 0; i < started; i++)
        stats->cpu_s += ts[i].cpu_s;
    if (cfg->totals) {
        cfg->totals->seconds += stats->seconds;
        cfg->totals->cpu_s += stats->cpu_s;
        eng_stats_add(cfg->totals, stats);
    }
}

static void threads_free(eng_thread *ts, int nthreads)
{
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
}

int eng_run(const eng_config *cfg, const eng_workload *wl, void (*tick)(void *), void *tick_ctx,
            uint64_t tick_ms, eng_stats *stats, vm_err *err)
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
    net_cluster_topo topo = {0};
    double cpu0 = clk_thread_cpu_s();
    if (shared_init(&sh, &topo, cfg, clients, err) < 0)
        return -1;
    eng_thread *ts = calloc((size_t)nthreads, sizeof(*ts));
    if (!ts) {
        net_cluster_free(&topo);
        return vm_err_set(err, VM_ENOMEM, "out of memory");
    }
    shared_sync_init(&sh);

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
    stats_finish(stats, cfg, ts, started, sh.t0_ns, cpu0);
    threads_free(ts, nthreads);
    pthread_cond_destroy(&sh.done_cv);
    pthread_mutex_destroy(&sh.done_mu);
    net_cluster_free(&topo);
    return rc;
}
