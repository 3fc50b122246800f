/* mon_sampler: see mon_sampler.h. */
#include "mon_sampler.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../net/net_cluster.h"
#include "../util/clock.h"
#include "../util/vm_grow.h"

void mon_labels_static(void *ctx, mon_labels *out)
{
    *out = *(const mon_labels *)ctx;
}

void mon_trigger_init(mon_trigger *t)
{
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&t->mu, NULL);
    pthread_cond_init(&t->cv, &ca);
    pthread_condattr_destroy(&ca);
    t->asked = t->done = 0;
}

void mon_trigger_destroy(mon_trigger *t)
{
    pthread_cond_destroy(&t->cv);
    pthread_mutex_destroy(&t->mu);
}

static void abs_after(struct timespec *ts, uint64_t ns)
{
    clock_gettime(CLOCK_MONOTONIC, ts);
    uint64_t t = (uint64_t)ts->tv_sec * 1000000000ull + (uint64_t)ts->tv_nsec + ns;
    ts->tv_sec = (time_t)(t / 1000000000ull);
    ts->tv_nsec = (long)(t % 1000000000ull);
}

/* The sampler's sleep: up to ns, or until a sample is asked for.  Returns
 * the asked count to mark done after the sample, or 0 for none asked. */
static uint64_t trigger_sleep(mon_trigger *t, uint64_t ns)
{
    if (!t) {
        clk_sleep_ns(ns);
        return 0;
    }
    struct timespec ts;
    abs_after(&ts, ns);
    pthread_mutex_lock(&t->mu);
    while (t->asked == t->done && pthread_cond_timedwait(&t->cv, &t->mu, &ts) == 0)
        ;
    uint64_t asked = t->asked > t->done ? t->asked : 0;
    pthread_mutex_unlock(&t->mu);
    return asked;
}

static void trigger_done(mon_trigger *t, uint64_t asked)
{
    pthread_mutex_lock(&t->mu);
    if (asked > t->done)
        t->done = asked;
    pthread_cond_broadcast(&t->cv);
    pthread_mutex_unlock(&t->mu);
}

typedef struct mon_state {
    const mon_config *cfg;
    mon_collect_conf cc;
    unsigned said;
    mon_node **nodes;
    size_t n, cap;
    bool cluster;
    uint64_t next_refresh_ns;
    mon_sample s;
} mon_state;

static void say(mon_state *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(mon_state *st, const char *fmt, ...)
{
    if (!st->cfg->notice)
        return;
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    st->cfg->notice(st->cfg->notice_ctx, msg);
}

static mon_node *add_node(mon_state *st, const char *host, int port, const char *role)
{
    VM_GROW(st->nodes, st->n + 1, st->cap);
    mon_node *n = malloc(sizeof(*n));
    if (!n)
        abort();
    mon_node_init(n, host, port, role);
    st->nodes[st->n++] = n;
    return n;
}

static void drop_node(mon_state *st, size_t i)
{
    mon_node_close(st->nodes[i]);
    mon_derive_free(&st->nodes[i]->derive);
    free(st->nodes[i]);
    memmove(st->nodes + i, st->nodes + i + 1, (st->n - i - 1) * sizeof(*st->nodes));
    st->n--;
}

/* Bring the node list in line with a topology. */
static void reconcile(mon_state *st, const net_cluster_topo *t)
{
    for (size_t i = 0; i < st->n; i++)
        st->nodes[i]->seen = false;
    for (int k = 0; k < t->nnodes; k++) {
        const net_cluster_node *tn = &t->nodes[k];
        const char *role = tn->is_master ? "master" : "replica";
        mon_node *found = NULL;
        for (size_t i = 0; i < st->n && !found; i++)
            if (st->nodes[i]->port == tn->port && !strcmp(st->nodes[i]->host, tn->host))
                found = st->nodes[i];
        if (!found) {
            found = add_node(st, tn->host, tn->port, role);
            if (st->next_refresh_ns) /* not the first topology */
                say(st, "%s (%s) joined the cluster; sampling it", found->name, role);
        }
        found->role = role;
        found->seen = true;
    }
    for (size_t i = 0; i < st->n;) {
        if (st->nodes[i]->seen) {
            i++;
            continue;
        }
        say(st, "%s left the cluster topology; no longer sampled", st->nodes[i]->name);
        drop_node(st, i);
    }
}

static void refresh_topology(mon_state *st)
{
    net_cluster_topo t;
    vm_err e = {0};
    int rc = -1;
    for (size_t i = 0; i < st->n && rc < 0; i++)
        if (st->nodes[i]->connected)
            rc = net_cluster_query(&st->nodes[i]->cl, st->cfg->ep, st->nodes[i]->host, &t, &e);
    if (rc < 0)
        rc = net_cluster_refresh(st->cfg->ep, NULL, &t, &e);
    if (rc < 0) {
        say(st, "cluster topology refresh failed (%s); keeping the known nodes", e.msg);
        return;
    }
    reconcile(st, &t);
    net_cluster_free(&t);
}

/* A cluster node given without --cluster: sample the whole cluster anyway —
 * one node of a cluster is not the memory of the data set. */
static void detect_cluster(mon_state *st)
{
    mon_node *n = st->nodes[0];
    vm_err e = {0};
    redisReply *r = net_client_cmd(&n->cl, &e, "INFO", "cluster", NULL);
    if (!r)
        return;
    bool on = (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS) &&
              strstr(r->str, "cluster_enabled:1");
    freeReplyObject(r);
    net_cluster_topo t;
    if (!on || net_cluster_query(&n->cl, st->cfg->ep, n->host, &t, &e) < 0)
        return;
    st->cluster = true;
    n->role = "master";
    reconcile(st, &t);
    net_cluster_free(&t);
    say(st, "%s is a cluster node: sampling all %zu nodes of the cluster", n->name, st->n);
    for (size_t i = 0; i < st->n; i++)
        if (!st->nodes[i]->connected && mon_node_connect(st->nodes[i], &st->cc, &e) < 0)
            say(st, "%s: %s; will retry", st->nodes[i]->name, e.msg);
}

static int start_nodes(mon_state *st, vm_err *err)
{
    const net_endpoint *ep = st->cfg->ep;
    if (st->cluster) {
        net_cluster_topo t;
        if (net_cluster_fetch(ep, &t, err) < 0)
            return -1;
        reconcile(st, &t);
        net_cluster_free(&t);
    } else {
        add_node(st, ep->host, ep->port, "standalone");
    }
    vm_err first = {0};
    size_t up = 0;
    for (size_t i = 0; i < st->n; i++) {
        vm_err e = {0};
        if (mon_node_connect(st->nodes[i], &st->cc, &e) == 0)
            up++;
        else {
            if (!first.code)
                first = e;
            if (st->cluster)
                say(st, "%s: %s; will retry", st->nodes[i]->name, e.msg);
        }
    }
    if (up == 0) {
        if (err)
            *err = first.code ? first : (vm_err){VM_ECONN, "no node to sample"};
        return -1;
    }
    if (!st->cluster)
        detect_cluster(st);
    return 0;
}

static double node_live(const mon_state *st, const mon_labels *lab, const mon_fields *f)
{
    if (!st->cluster && st->cfg->live_from_labels)
        return (double)lab->live_vectors;
    const double *v = mon_fields_get(f, "ft.indexes");
    if (v && *v > 0 && (v = mon_fields_get(f, "ft.num_docs")))
        return *v;
    if ((v = mon_fields_get(f, "dbsize")))
        return *v;
    return (double)lab->live_vectors;
}

/* One node's sample; -1 only when the sink failed (err set). */
static int sample_node(mon_state *st, mon_node *n, long *count, vm_err *err)
{
    uint64_t now = clk_mono_ns();
    if (!n->connected) {
        if (now < n->retry_at_ns)
            return 0;
        vm_err e = {0};
        if (mon_node_connect(n, &st->cc, &e) < 0) {
            n->backoff_ms = n->backoff_ms ? n->backoff_ms * 2 : 500;
            if (n->backoff_ms > 10000)
                n->backoff_ms = 10000;
            n->retry_at_ns = now + n->backoff_ms * 1000000ull;
            return 0;
        }
        if (n->was_up)
            say(st, "%s: reconnected", n->name);
    }
    mon_sample *s = &st->s;
    mon_fields_clear(&s->fields);
    s->wall_ms = clk_wall_ms();
    vm_err e = {0};
    if (mon_node_collect(n, &st->cc, &s->fields, &e) < 0) {
        say(st, "%s: %s; retrying", n->name, e.msg);
        n->retry_at_ns = now; /* first retry at the next tick */
        return 0;
    }
    memset(&s->labels, 0, sizeof(s->labels));
    if (st->cfg->labels)
        st->cfg->labels(st->cfg->labels_ctx, &s->labels);
    mon_derive_apply(&n->derive, node_live(st, &s->labels, &s->fields), &s->fields);
    s->node = n->name;
    s->role = n->role;
    if (st->cfg->sink(st->cfg->sink_ctx, s, err) < 0)
        return -1;
    (*count)++;
    return 0;
}

static int tick(mon_state *st, long *count, vm_err *err)
{
    if (st->cfg->paused && atomic_load(st->cfg->paused))
        return 0;
    if (st->cluster && clk_mono_ns() >= st->next_refresh_ns) {
        if (st->next_refresh_ns)
            refresh_topology(st);
        uint64_t every = st->cfg->topology_refresh_ms ? st->cfg->topology_refresh_ms : 10000;
        st->next_refresh_ns = clk_mono_ns() + every * 1000000ull;
    }
    for (size_t i = 0; i < st->n; i++)
        if (sample_node(st, st->nodes[i], count, err) < 0)
            return -1;
    return 0;
}

long mon_run(const mon_config *cfg, atomic_bool *stop, vm_err *err)
{
    mon_state st;
    memset(&st, 0, sizeof(st));
    st.cfg = cfg;
    st.cluster = cfg->ep->cluster;
    st.cc = (mon_collect_conf){cfg->ep,         cfg->sources ? cfg->sources : MON_SRC_ALL,
                               cfg->sections,   cfg->notice,
                               cfg->notice_ctx, &st.said};
    long n = 0;
    if (start_nodes(&st, err) < 0) {
        n = -1;
        goto out;
    }
    uint64_t interval_ns = (cfg->interval_ms ? cfg->interval_ms : 1000) * 1000000ull;
    uint64_t t0 = clk_mono_ns();
    uint64_t end = cfg->duration_ms ? t0 + cfg->duration_ms * 1000000ull : UINT64_MAX;
    for (uint64_t k = 0;; k++) {
        if (tick(&st, &n, err) < 0) {
            n = -1;
            break;
        }
        uint64_t due = t0 + (k + 1) * interval_ns;
        uint64_t now = clk_mono_ns();
        if (due < now) /* a sample overran: skip the missed slots */
            k += (now - due) / interval_ns + 1, due = t0 + (k + 1) * interval_ns;
        if (due >= end) /* the window is [t0, t0 + duration) */
            break;
        bool stopped = false;
        while ((now = clk_mono_ns()) < due) {
            if (stop && atomic_load(stop)) {
                stopped = true;
                break;
            }
            uint64_t left = due - now;
            uint64_t asked = trigger_sleep(cfg->trigger, left < 50000000ull ? left : 50000000ull);
            if (asked) {
                int rc = tick(&st, &n, err);
                trigger_done(cfg->trigger, asked);
                if (rc < 0) {
                    n = -1;
                    goto out;
                }
            }
        }
        if (stopped) {
            if (tick(&st, &n, err) < 0)
                n = -1;
            break;
        }
    }
out:
    if (cfg->trigger) /* nobody waits for a sample that will not come */
        trigger_done(cfg->trigger, UINT64_MAX);
    while (st.n)
        drop_node(&st, st.n - 1);
    free(st.nodes);
    mon_fields_free(&st.s.fields);
    return n;
}

static void *mon_main(void *arg)
{
    mon_thread *t = arg;
    t->samples = mon_run(&t->cfg, &t->stop, &t->err);
    return NULL;
}

int mon_start(mon_thread *t, const mon_config *cfg, vm_err *err)
{
    memset(t, 0, sizeof(*t));
    t->cfg = *cfg;
    t->cfg.duration_ms = 0;
    mon_trigger_init(&t->trigger);
    t->cfg.trigger = &t->trigger;
    atomic_init(&t->stop, false);
    if (pthread_create(&t->tid, NULL, mon_main, t) != 0) {
        mon_trigger_destroy(&t->trigger);
        return vm_err_set(err, VM_EINTERNAL, "cannot start the monitor thread");
    }
    return 0;
}

bool mon_sample_now(mon_thread *t, uint64_t timeout_ms)
{
    mon_trigger *tr = &t->trigger;
    struct timespec ts;
    abs_after(&ts, timeout_ms * 1000000ull);
    pthread_mutex_lock(&tr->mu);
    uint64_t my = ++tr->asked;
    pthread_cond_broadcast(&tr->cv);
    int rc = 0;
    while (tr->done < my && rc == 0)
        rc = pthread_cond_timedwait(&tr->cv, &tr->mu, &ts);
    bool taken = tr->done >= my;
    pthread_mutex_unlock(&tr->mu);
    return taken;
}

long mon_stop(mon_thread *t, vm_err *err)
{
    atomic_store(&t->stop, true);
    pthread_join(t->tid, NULL);
    mon_trigger_destroy(&t->trigger);
    if (t->samples < 0 && err)
        *err = t->err;
    return t->samples;
}
