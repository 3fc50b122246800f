/* sc_runner: see sc_runner.h. */
#include "sc_runner.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>



#include "../export/exp_outputs.h"
#include "../lifecycle/lc_servers.h"
#include "../lifecycle/lc_ops.h"
#include "../lifecycle/lc_plugin.h"
#include "../monitor/mon_sampler.h"
#include "../net/net_client.h"
#include "../util/clock.h"
#include "../util/hist.h"
#include "../util/strbuf.h"
#include "../workload/wl_plugin.h"

#define MAX_NODES 64

typedef struct runner {
    const sc_run_conf *c;
    const sc_scenario *sc;
    sc_run_result *res;
    lc_session s;
    bool session_open;
    lc_servers srv; /* the server, or every node of the cluster */
    bool ctl_open;
    bool module, index_exists, said_no_module;
    exp_outputs out;
    bool out_open;
    sum_run *sum;
    mon_thread mon;
    bool mon_on;
    pthread_mutex_t mu; /* labels, memory, notes */
    char phase[96], step[160];
    struct {
        char node[80];
        double used;
    } nodes[MAX_NODES];
    int nnodes;
    double baseline;
    bool have_baseline;
    /* for assertions */
    double recall_mean, recall_min;
    bool have_recall;
    double shrink_mem_before, shrink_share;
    bool have_shrink;
    /* checkpoint */
    uint64_t leaf, resume_done;
    bool have_target;
    uint64_t target_leaf, target_live, target_copies;
    sc_kv *restore; /* config values to put back at the end */
    char **restore_node; /* [nrestore]: the node's host:port, NULL = every node */
    size_t nrestore;
    uint64_t last_save_ns;
    /* latency per operation name over every engine run of the scenario */
    struct {
        const char *op;
        hist h;
    } lat[16];
    int nlat;
} runner;

/* the engine totals of the leaf step running on this thread (parallel
 * children each have their own; merged into runner.totals after the step) */
static _Thread_local eng_stats *leaf_totals;

/* --- small helpers ---------------------------------------------------------- */

static void note(runner *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(runner *r, const char *fmt, ...)
{
    char line[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (r->c->note) {
        pthread_mutex_lock(&r->mu);
        r->c->note(r->c->note_ctx, line);
        pthread_mutex_unlock(&r->mu);
    }
}

static bool stopped(runner *r)
{
    return r->c->eng.stop && atomic_load(r->c->eng.stop);
}

static double mem_now(runner *r)
{
    pthread_mutex_lock(&r->mu);
    double sum = 0;
    for (int i = 0; i < r->nnodes; i++)
        sum += r->nodes[i].used;
    pthread_mutex_unlock(&r->mu);
    return sum;
}

static char *path_in(runner *r, const char *name)
{
    strbuf p = STRBUF_INIT;
    sb_addf(&p, "%s/%s", r->c->out_dir, name);
    return sb_detach(&p, NULL);
}

static int write_file(const char *path, const char *text, size_t len, vm_err *err)
{
    strbuf tmp = STRBUF_INIT;
    sb_addf(&tmp, "%s.tmp", path);
    FILE *f = fopen(tmp.buf, "w");
    int rc = 0;
    if (!f || fwrite(text, 1, len, f) != len || fflush(f) != 0 || fsync(fileno(f)) != 0)
        rc = vm_err_set(err, VM_EIO, "%s: %s", tmp.buf, strerror(errno));
    if (f && fclose(f) != 0 && rc == 0)
        rc = vm_err_set(err, VM_EIO, "%s: %s", tmp.buf, strerror(errno));
    if (rc == 0 && rename(tmp.buf, path) != 0)
        rc = vm_err_set(err, VM_EIO, "%s: %s", path, strerror(errno));
    sb_release(&tmp);
    return rc;
}

static void append_line(runner *r, const char *name, const char *header, const char *line)
{
    char *p = path_in(r, name);
    FILE *f = fopen(p, "a");
    if (f) {
        if (ftell(f) == 0 && header)
            fputs(header, f);
        fputs(line, f);
        fclose(f);
    }
    free(p);
}

/* --- checkpoint ------------------------------------------------------------ */

/* A config value to put back at the end: on node (host:port), or on every
 * node when NULL. */
static void add_restore(runner *r, const char *node, const char *key, const char *value)
{
    sc_kv *kv = realloc(r->restore, (r->nrestore + 1) * sizeof(sc_kv));
    char **nd = realloc(r->restore_node, (r->nrestore + 1) * sizeof(char *));
    if (!kv || !nd)
        abort(); /* strbuf's rule: nothing useful happens without memory */
    r->restore = kv;
    r->restore_node = nd;
    kv[r->nrestore].key = strdup(key);
    kv[r->nrestore].value = strdup(value);
    nd[r->nrestore] = node ? strdup(node) : NULL;
    r->nrestore++;
}

static int save_checkpoint(runner *r, vm_err *err)
{
    strbuf b = STRBUF_INIT;
    sb_addf(&b, "done %llu\n", (unsigned long long)r->leaf);
    if (r->have_target)
        sb_addf(&b, "target %llu %llu %llu\n", (unsigned long long)r->target_leaf,
                (unsigned long long)r->target_live, (unsigned long long)r->target_copies);
    for (size_t i = 0; i < r->nrestore; i++) {
        if (r->restore_node[i])
            sb_addf(&b, "restore-node %s %s %s\n", r->restore_node[i], r->restore[i].key,
                    r->restore[i].value);
        else
            sb_addf(&b, "restore %s %s\n", r->restore[i].key, r->restore[i].value);
    }
    char *p = path_in(r, "checkpoint");
    int rc = write_file(p, b.buf, b.len, err);
    free(p);
    sb_release(&b);
    return rc;
}

static int load_checkpoint(runner *r, vm_err *err)
{
    char *p = path_in(r, "checkpoint");
    FILE *f = fopen(p, "r");
    if (!f) {
        vm_err_set(err, VM_EINPUT, "--resume %s: no checkpoint there (%s)", r->c->out_dir,
                   strerror(errno));
        free(p);
        return -1;
    }
    char line[4096];
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\n")] = '\0';
        unsigned long long a, b, c;
        char name[1024], node[300];
        if (sscanf(line, "done %llu", &a) == 1)
            r->resume_done = a;
        else if (sscanf(line, "target %llu %llu %llu", &a, &b, &c) == 3) {
            r->have_target = true;
            r->target_leaf = a;
            r->target_live = b;
            r->target_copies = c;
        } else if (sscanf(line, "restore-node %299s %1023s", node, name) == 2) {
            /* the value is the rest of the line, spaces and all ("" allowed) */
            const char *v = line + strlen("restore-node ") + strlen(node) + 1 + strlen(name);
            add_restore(r, node, name, *v == ' ' ? v + 1 : "");
        } else if (sscanf(line, "restore %1023s", name) == 1) {
            const char *v = line + strlen("restore ") + strlen(name);
            add_restore(r, NULL, name, *v == ' ' ? v + 1 : "");
        }
    }
    fclose(f);
    free(p);
    return 0;
}

/* --- the monitor's view of the run ------------------------------------------ */

static void labels(void *ctx, mon_labels *out)
{
    runner *r = ctx;
    static _Thread_local char ph[96], st[160];
    pthread_mutex_lock(&r->mu);
    memcpy(ph, r->phase, sizeof(ph));
    memcpy(st, r->step, sizeof(st));
    pthread_mutex_unlock(&r->mu);
    out->run_id = r->c->run_id;
    out->phase = ph;
    out->step = st;
    if (r->session_open) {
        out->live_vectors = live_count(&r->s.st.live, LC_ALL_COPIES);
        out->inserted_total = __atomic_load_n(&r->s.st.inserted, __ATOMIC_RELAXED);
        out->deleted_total = __atomic_load_n(&r->s.st.deleted, __ATOMIC_RELAXED);
    }
}

static int sink(void *ctx, const mon_sample *smp, vm_err *err)
{
    runner *r = ctx;
    const double *um = mon_fields_get(&smp->fields, "used_memory");
    if (um) {
        pthread_mutex_lock(&r->mu);
        int i = 0;
        while (i < r->nnodes && strcmp(r->nodes[i].node, smp->node))
            i++;
        if (i == r->nnodes && i < MAX_NODES) {
            snprintf(r->nodes[i].node, sizeof(r->nodes[i].node), "%s", smp->node);
            r->nnodes++;
        }
        if (i < MAX_NODES)
            r->nodes[i].used = *um;
        pthread_mutex_unlock(&r->mu);
        if (!r->have_baseline) {
            r->baseline = mem_now(r);
            r->have_baseline = true;
        }
    }
    return exp_sink(&r->out, smp, err);
}

/* A sample now, labelled with the current step; bounded, so a frozen node
 * delays a step boundary by at most the bound. */
static void step_sample(runner *r)
{
    if (r->mon_on) {
        uint64_t bound = 2 * r->sc->interval_ms;
        mon_sample_now(&r->mon, bound > 5000 ? bound : 5000);
    }
}

static void set_phase(runner *r, const sc_step *st, const char *path)
{
    pthread_mutex_lock(&r->mu);
    snprintf(r->phase, sizeof(r->phase), "%s", st->label ? st->label : sc_step_name(st->kind));
    snprintf(r->step, sizeof(r->step), "%s", path);
    pthread_mutex_unlock(&r->mu);
    sum_phase_begin(r->sum, r->phase, path);
}

/* progress tick: pass on, and save the liveness bitmaps every second so a
 * killed run loses at most a second of acknowledgements (which the resumed
 * run simply writes again) */
typedef struct tick_ctx {
    runner *r;
} tick_ctx;

static void on_start(void *ctx, uint64_t total, _Atomic uint64_t *done)
{
    runner *r = ((tick_ctx *)ctx)->r;
    if (r->c->prog && r->c->prog->on_start)
        r->c->prog->on_start(r->c->prog->ctx, total, done);
}

static void tick(void *ctx)
{
    runner *r = ((tick_ctx *)ctx)->r;
    uint64_t now = clk_mono_ns();
    if (now - r->last_save_ns > 1000000000ull) {
        vm_err e = {0};
        lc_session_save(&r->s, &e);
        r->last_save_ns = now;
    }
    if (r->c->prog && r->c->prog->tick)
        r->c->prog->tick(r->c->prog->ctx);
}

static eng_config step_eng(runner *r, const sc_step *st)
{
    eng_config e = r->c->eng;
    e.totals = leaf_totals;
    if (st->clients > 0) {
        e.clients = st->clients;
        if (e.threads > e.clients)
            e.threads = e.clients;
    }
    if (st->rate)
        e.rate_ops = st->rate;
    return e;
}

/* --- steps ------------------------------------------------------------------ */

static bool need_module(runner *r, const char *what)
{
    if (r->module)
        return true;
    if (!r->said_no_module) {
        note(r, "the server has no search module: index steps are skipped (first: %s)", what);
        r->said_no_module = true;
    }
    return false;
}

static int step_create_index(runner *r, vm_err *err)
{
    if (!need_module(r, "create_index"))
        return 0;
    idx_spec spec = r->sc->index;
    if (!r->sc->create_index)
        spec.name = "idx";
    spec.dim = r->s.st.dim;
    spec.prefix = r->s.st.prefix;
    spec.field = r->s.st.field;
    spec.expand_prefix = true;
    vm_err e = {0};
    if (lc_servers_index_create(&r->srv, &spec, &e) < 0) {
        if (!strstr(e.msg, "already exists")) {
            *err = e;
            return -1;
        }
        note(r, "index %s already exists: kept", spec.name);
    }
    r->index_exists = true;
    return 0;
}

static const char *index_name(runner *r)
{
    return r->sc->create_index ? r->sc->index.name : "idx";
}

static int step_drop_index(runner *r, vm_err *err)
{
    if (!need_module(r, "drop_index"))
        return 0;
    vm_err e = {0};
    if (lc_servers_index_drop(&r->srv, index_name(r), &e) < 0 && !strstr(e.msg, "not found")) {
        *err = e;
        return -1;
    }
    r->index_exists = false;
    return 0;
}

/* Vectors the server holds: the index's documents, else the keys; summed
 * over the masters of a cluster.  0 when it cannot be asked. */
static uint64_t server_count(runner *r)
{
    vm_err e = {0};
    uint64_t n = 0;
    if (lc_servers_count(&r->srv, index_name(r), r->module && r->index_exists, &n, &e) < 0)
        note(r, "could not count what the server holds: %s", e.msg);
    return n;
}

static void op_done(runner *r, const lc_op_result *o, sum_phase_stats *ps, const char *what)
{
    ps->operations = o->ok + o->errors;
    ps->errors = o->errors;
    ps->vectors = o->ok;
    ps->client_cpu_s = o->cpu_s;
    note(r, "%s: %llu of %llu in %.2f s (%.0f/s), client CPU %.2f s, %llu errors%s%s", what,
         (unsigned long long)o->ok, (unsigned long long)o->planned, o->seconds,
         o->seconds > 0 ? (double)o->ok / o->seconds : 0.0, o->cpu_s,
         (unsigned long long)o->errors, o->errors ? ", first: " : "", o->first_error);
}

/* A child of a parallel step gets its copy range planned by the parent
 * (so two children never write the same copies, and the bitmaps never move
 * while the other reads them); end == 0: plan it here. */
static _Thread_local uint32_t planned_first, planned_end;

static int step_insert(runner *r, const sc_step *st, bool prefill, sum_phase_stats *ps,
                       vm_err *err)
{
    uint32_t first, end;
    if (planned_end) {
        first = planned_first;
        end = planned_end;
    } else if (r->have_target && r->target_leaf == r->leaf) {
        end = (uint32_t)r->target_copies; /* resuming this very step */
        first = prefill ? 0 : end - st->copies;
    } else {
        first = prefill ? 0 : r->s.st.live.copies;
        end = prefill ? 1 + st->copies : r->s.st.live.copies + st->copies;
        r->have_target = true;
        r->target_leaf = r->leaf;
        r->target_live = 0;
        r->target_copies = end;
        if (save_checkpoint(r, err) < 0)
            return -1;
    }
    if (prefill && st->skip_if_present) {
        uint64_t want = r->s.st.live.n * end, have = server_count(r);
        if (have >= want) {
            live_ensure_copies(&r->s.st.live, end);
            for (uint32_t c = 0; c < end; c++)
                for (uint64_t id = 0; id < r->s.st.live.n; id++)
                    live_mark(&r->s.st.live, c, id, true);
            note(r, "prefill skipped: the server already holds %llu of the %llu vectors",
                 (unsigned long long)have, (unsigned long long)want);
            return lc_session_save(&r->s, err);
        }
    }
    eng_config e = step_eng(r, st);
    lc_insert_opts o = {.skip_live = true, .stop_on_oom = st->stop_on_oom};
    tick_ctx tc = {r};
    lc_progress p = {on_start, tick, &tc};
    lc_op_result res;
    int rc = lc_insert_copies(&r->s, &e, first, end, &o, &p, &res, err);
    op_done(r, &res, ps, prefill ? "prefill" : "expand");
    if (res.oom) {
        step_sample(r); /* the figure of now, not of the last tick */
        char line[256];
        char iso[32];
        clk_iso8601(clk_wall_ms(), iso);
        snprintf(line, sizeof(line), "%s,first_oom,%llu,%llu,%.0f\n", iso,
                 (unsigned long long)r->leaf, (unsigned long long)res.live_at_oom, mem_now(r));
        append_line(r, "checkpoints.csv", "time_iso,label,leaf,live_vectors,used_memory_bytes\n", line);
        note(r, "first OOM reply after %llu live vectors: insert stopped there",
             (unsigned long long)res.live_at_oom);
    }
    return rc;
}

static int step_shrink_regrow(runner *r, const sc_step *st, sum_phase_stats *ps, vm_err *err)
{
    uint32_t copy = st->copy < 0 ? LC_ALL_COPIES : (uint32_t)st->copy;
    if (copy != LC_ALL_COPIES && copy >= r->s.st.live.copies)
        return vm_err_set(err, VM_EINPUT, "%s:%d:%d: copy %u does not exist (0..%u)", r->sc->file,
                          st->line, st->col, copy, r->s.st.live.copies - 1);
    uint64_t live = live_count(&r->s.st.live, copy);
    uint64_t slots = (copy == LC_ALL_COPIES ? r->s.st.live.copies : 1) * r->s.st.live.n;
    uint64_t target;
    if (r->have_target && r->target_leaf == r->leaf) {
        target = r->target_live;
    } else {
        if (st->kind == SC_SHRINK) {
            uint64_t n = st->count ? st->count : (uint64_t)llround(st->fraction * (double)live);
            target = n > live ? 0 : live - n;
        } else {
            target = live + (uint64_t)llround(st->fraction * (double)(slots - live));
        }
        r->have_target = true;
        r->target_leaf = r->leaf;
        r->target_live = target;
        r->target_copies = 0;
        if (save_checkpoint(r, err) < 0)
            return -1;
    }
    eng_config e = step_eng(r, st);
    tick_ctx tc = {r};
    lc_progress p = {on_start, tick, &tc};
    lc_op_result res;
    memset(&res, 0, sizeof(res));
    int rc = 0;
    if (st->kind == SC_SHRINK) {
        if (live > target) {
            r->shrink_mem_before = mem_now(r);
            r->shrink_share =
                live ? (double)(live - target) / (double)live_count(&r->s.st.live, LC_ALL_COPIES)
                     : 0;
            r->have_shrink = true;
            rc = lc_shrink(&r->s, &e, copy, 0, live - target, st->seed, &p, &res, err);
        }
        op_done(r, &res, ps, "shrink");
    } else {
        if (target > live)
            rc = lc_regrow(&r->s, &e, copy, 0, target - live, st->seed, &p, &res, err);
        op_done(r, &res, ps, "regrow");
    }
    return rc;
}

static int step_query(runner *r, const sc_step *st, sum_phase_stats *ps, vm_err *err)
{
    if (!need_module(r, "query") || !r->index_exists) {
        if (r->module)
            note(r, "query skipped: no index (create_index first)");
        return 0;
    }
    idx_info info;
    if (lc_servers_index_wait(&r->srv, index_name(r), 600000, &info, err) < 0)
        return -1;
    eng_config e = step_eng(r, st);
    e.open_loop = e.rate_ops > 0;
    lc_query_conf q = {index_name(r), st->k, st->ef_runtime, NULL, 0, st->queries};
    lc_query_result qr;
    int rc = lc_query(&r->s, &e, &q, &qr, err);
    if (rc == 0) {
        ps->operations = qr.queries + qr.errors;
        ps->client_cpu_s = qr.cpu_s;
        ps->errors = qr.errors;
        if (!qr.errors) {
            ps->recall.present = true;
            ps->recall.k = (int)qr.k;
            ps->recall.queries = qr.queries;
            ps->recall.mean = qr.mean;
            ps->recall.min = qr.min;
            ps->recall.p5 = qr.p5;
            ps->recall.p50 = qr.mean;
            ps->recall.rule = qr.rule;
            r->recall_mean = qr.mean;
            r->recall_min = qr.min;
            r->have_recall = true;
        }
        note(r,
             "query: %llu queries, k=%u, %.0f qps, recall mean %.4f min %.4f, p99 %.2f ms%s%s%s%s",
             (unsigned long long)qr.queries, qr.k, qr.qps, qr.mean, qr.min, qr.lat_p99_ms,
             qr.errors ? ", errors, first: " : "", qr.first_error,
             qr.masters_changed[0] ? "; the masters changed during the queries, recall may read "
                                     "low: "
                                   : "",
             qr.masters_changed);
    }
    lc_query_result_free(&qr);
    return rc;
}

static void on_metric(void *ctx, const char *name, double value)
{
    strbuf *sb = ctx;
    sb_addf(sb, " %s=%g", name, value);
}

static int step_workload(runner *r, const sc_step *st, sum_phase_stats *ps, vm_err *err)
{
    const char *name = st->kind == SC_MIXED ? "mix" : st->workload;
    const char *keys[64], *values[64];
    char bufs[4][32];
    size_t n = 0;
    eng_config e = step_eng(r, st);
    e.duration_ms = st->duration_ms;
    if (st->kind == SC_MIXED) {
        if (st->query_share > 0 && (!need_module(r, "mixed") || !r->index_exists)) {
            note(r, "mixed skipped: queries need an index");
            return 0;
        }
        snprintf(bufs[0], 32, "%g", st->query_share);
        snprintf(bufs[1], 32, "%u", st->k);
        snprintf(bufs[2], 32, "%d", st->ef_runtime);
        keys[n] = "query_share", values[n++] = bufs[0];
        keys[n] = "k", values[n++] = bufs[1];
        keys[n] = "ef_runtime", values[n++] = bufs[2];
    } else {
        e.max_ops = st->count;
        for (size_t i = 0; i < st->nparams && n < 64; i++) {
            keys[n] = st->params[i].key;
            values[n++] = st->params[i].value;
        }
    }
    const vms_workload *w = wl_find(name, st->kind == SC_WORKLOAD ? st->plugin : NULL, err);
    if (!w)
        return -1;
    lc_plugin_host host;
    lc_plugin_host_init(&host, &r->s, r->index_exists ? index_name(r) : "");
    wl_instance in;
    if (wl_instance_create(&in, w, &host.api, keys, values, n, err) < 0)
        return vm_err_prefix(err, "%s:%d:%d", r->sc->file, st->line, st->col);
    eng_workload ew = wl_instance_engine(&in);
    eng_stats stats;
    tick_ctx tc = {r};
    int rc = eng_run(&e, &ew, tick, &tc, 200, &stats, err);
    strbuf m = STRBUF_INIT;
    if (w->report)
        w->report(in.impl, on_metric, &m);
    ps->operations = stats.replies;
    ps->client_cpu_s = stats.cpu_s;
    ps->errors = stats.error_replies;
    note(r, "%s: %llu operations in %.2f s (%.0f/s), %llu errors;%s", name,
         (unsigned long long)stats.replies, stats.seconds,
         stats.seconds > 0 ? (double)stats.replies / stats.seconds : 0.0,
         (unsigned long long)stats.error_replies, m.len ? m.buf : "");
    sb_release(&m);
    wl_instance_destroy(&in);
    return rc;
}

static void sleep_ms(runner *r, uint64_t ms)
{
    uint64_t end = clk_mono_ns() + ms * 1000000ull;
    while (clk_mono_ns() < end && !stopped(r))
        clk_sleep_ns(20000000ull);
}

/* used_memory of the server, summed over the masters of a cluster; -1
 * when it cannot be read. */
static double info_used_memory(runner *r)
{
    vm_err e = {0};
    double v = -1;
    return lc_servers_used_memory(&r->srv, &v, &e) < 0 ? -1 : v;
}

static int step_wait(runner *r, const sc_step *st, vm_err *err)
{
    if (st->until == SC_WAIT_DURATION) {
        sleep_ms(r, st->duration_ms);
        return 0;
    }
    if (st->until == SC_WAIT_INDEXED) {
        if (!r->module || !r->index_exists)
            return 0;
        idx_info info;
        vm_err e = {0};
        if (lc_servers_index_wait(&r->srv, index_name(r), st->timeout_ms, &info, &e) < 0) {
            if (strstr(e.msg, "still indexing")) {
                note(r, "wait: %s", e.msg);
                return 0;
            }
            *err = e;
            return -1;
        }
        return 0;
    }
    /* memory_stable: used_memory within tolerance over the window */
    uint64_t t0 = clk_mono_ns(), step_ns = 250000000ull;
    size_t cap = (size_t)(st->window_ms * 1000000ull / step_ns) + 1, n = 0, head = 0;
    double *win = calloc(cap, sizeof(double));
    int rc = 0;
    for (;;) {
        double v = info_used_memory(r);
        if (v < 0) {
            rc = vm_err_set(err, VM_ECONN, "%s: INFO memory failed during wait", r->srv.node[0].cl.name);
            break;
        }
        win[head] = v;
        head = (head + 1) % cap;
        if (n < cap)
            n++;
        if (n == cap) {
            double lo = win[0], hi = win[0];
            for (size_t i = 1; i < n; i++) {
                lo = win[i] < lo ? win[i] : lo;
                hi = win[i] > hi ? win[i] : hi;
            }
            if (hi <= 0 || (hi - lo) / hi <= st->tolerance)
                break;
        }
        if (clk_mono_ns() - t0 > st->timeout_ms * 1000000ull) {
            note(r, "wait: memory not stable within %.1f%% after %llu ms; going on",
                 st->tolerance * 100, (unsigned long long)st->timeout_ms);
            break;
        }
        if (stopped(r))
            break;
        clk_sleep_ns(step_ns);
    }
    free(win);
    return rc;
}

/* Each node's value of config k, to be given back at the end: one entry
 * when they agree (the usual case), else one per node. */
static int remember_config(runner *r, const sc_step *st, const char *k, vm_err *err)
{
    char **old = calloc((size_t)r->srv.n, sizeof(char *));
    if (!old)
        abort();
    int rc = 0;
    bool same = true;
    for (int i = 0; i < r->srv.n && rc == 0; i++) {
        redisReply *g = net_client_cmd_ok(&r->srv.node[i].cl, err, "CONFIG", "GET", k, NULL);
        if (!g) {
            rc = -1;
        } else if (g->type != REDIS_REPLY_ARRAY || g->elements < 2) {
            rc = vm_err_set(err, VM_EINPUT, "%s:%d:%d: the server %s has no config '%s'",
                            r->sc->file, st->line, st->col, r->srv.node[i].cl.name, k);
        } else {
            old[i] = strdup(g->element[1]->str ? g->element[1]->str : "");
            same = same && (i == 0 || !strcmp(old[i], old[0]));
        }
        if (g)
            freeReplyObject(g);
    }
    if (rc == 0) {
        if (same)
            add_restore(r, NULL, k, old[0]);
        else
            for (int i = 0; i < r->srv.n; i++)
                add_restore(r, r->srv.node[i].cl.name, k, old[i]);
        rc = save_checkpoint(r, err);
    }
    for (int i = 0; i < r->srv.n; i++)
        free(old[i]);
    free(old);
    return rc;
}

static int step_config_set(runner *r, const sc_step *st, vm_err *err)
{
    for (size_t i = 0; i < st->nconfigs; i++) {
        const char *k = st->configs[i].key, *v = st->configs[i].value;
        bool known = false;
        for (size_t j = 0; j < r->nrestore; j++)
            if (!strcmp(r->restore[j].key, k))
                known = true;
        if (!known && remember_config(r, st, k, err) < 0)
            return -1;
        if (lc_servers_config_set(&r->srv, k, v, err) < 0)
            return vm_err_prefix(err, "%s:%d:%d", r->sc->file, st->line, st->col);
        if (r->srv.skipped)
            note(r, "config %s = %s on every node but %d failed or unreachable one%s without "
                    "slots (restored at the end)",
                 k, v, r->srv.skipped, r->srv.skipped > 1 ? "s" : "");
        else
            note(r, "config %s = %s%s (restored at the end)", k, v,
                 r->srv.n > 1 ? " on every node" : "");
    }
    return 0;
}

static void restore_configs(runner *r)
{
    for (size_t i = r->nrestore; i-- > 0;) {
        vm_err e = {0};
        const char *k = r->restore[i].key, *v = r->restore[i].value, *node = r->restore_node[i];
        if (!node) {
            if (lc_servers_config_set(&r->srv, k, v, &e) < 0)
                note(r, "could not restore config %s: %s", k, e.msg);
            continue;
        }
        int at = -1;
        for (int j = 0; j < r->srv.n && at < 0; j++)
            if (!strcmp(r->srv.node[j].cl.name, node))
                at = j;
        redisReply *ok =
            at < 0 ? NULL : net_client_cmd_ok(&r->srv.node[at].cl, &e, "CONFIG", "SET", k, v, NULL);
        if (ok)
            freeReplyObject(ok);
        else
            note(r, "could not restore config %s on %s: %s", k, node,
                 at < 0 ? "the node is not in the cluster any more" : e.msg);
    }
}

static void step_checkpoint(runner *r, const sc_step *st)
{
    char iso[32], line[256];
    clk_iso8601(clk_wall_ms(), iso);
    double used = info_used_memory(r);
    uint64_t live = live_count(&r->s.st.live, LC_ALL_COPIES);
    snprintf(line, sizeof(line), "%s,%s,%llu,%llu,%.0f\n", iso, st->label ? st->label : "checkpoint",
             (unsigned long long)r->leaf, (unsigned long long)live, used);
    append_line(r, "checkpoints.csv", "time_iso,label,leaf,live_vectors,used_memory_bytes\n", line);
    note(r, "checkpoint %s: %llu live vectors, used_memory %.0f bytes",
         st->label ? st->label : "checkpoint", (unsigned long long)live, used);
}

static void step_assert(runner *r, const sc_step *st)
{
    char line[512];
    int n = 0;
    struct {
        const char *what;
        bool set, ok, measured;
        double value, limit;
    } checks[3] = {
        {"recall >= ", st->recall_min >= 0, false, r->have_recall, r->recall_min, st->recall_min},
        {"bytes per live vector <= ", st->bytes_per_vector_max >= 0, false, false, 0,
         st->bytes_per_vector_max},
        {"share of memory returned after the shrink >= ", st->memory_returned_min >= 0, false,
         false, 0, st->memory_returned_min},
    };
    uint64_t live = live_count(&r->s.st.live, LC_ALL_COPIES);
    double now = mem_now(r);
    if (live && r->have_baseline) {
        checks[1].measured = true;
        checks[1].value = (now - r->baseline) / (double)live;
    }
    if (r->have_shrink && r->have_baseline && r->shrink_share > 0 &&
        r->shrink_mem_before > r->baseline) {
        checks[2].measured = true;
        /* what came back, against what the deleted share of the data took */
        checks[2].value = (r->shrink_mem_before - now) /
                          ((r->shrink_mem_before - r->baseline) * r->shrink_share);
    }
    checks[0].ok = checks[0].measured && checks[0].value >= checks[0].limit;
    checks[1].ok = checks[1].measured && checks[1].value <= checks[1].limit;
    checks[2].ok = checks[2].measured && checks[2].value >= checks[2].limit;
    for (int i = 0; i < 3; i++) {
        if (!checks[i].set)
            continue;
        n++;
        if (checks[i].ok)
            r->res->asserts_passed++;
        else
            r->res->asserts_failed++;
        if (checks[i].measured)
            snprintf(line, sizeof(line), "%s %s:%d: %s%g (measured %.4g)\n",
                     checks[i].ok ? "PASS" : "FAIL", r->sc->file, st->line, checks[i].what,
                     checks[i].limit, checks[i].value);
        else
            snprintf(line, sizeof(line), "FAIL %s:%d: %s%g (not measured in this run)\n",
                     r->sc->file, st->line, checks[i].what, checks[i].limit);
        append_line(r, "assertions.txt", NULL, line);
        line[strcspn(line, "\n")] = '\0';
        note(r, "assert: %s", line);
    }
}

/* --- the walk --------------------------------------------------------------- */

static int run_leaf(runner *r, const sc_step *st, const char *path, vm_err *err);

typedef struct par_arg {
    runner *r;
    const sc_step *st;
    uint32_t first, end; /* planned copy range of an insert child */
    char path[160];
    int rc;
    vm_err err;
} par_arg;

static void *par_main(void *arg)
{
    par_arg *a = arg;
    planned_first = a->first;
    planned_end = a->end;
    a->rc = run_leaf(a->r, a->st, a->path, &a->err);
    return NULL;
}

static int step_parallel(runner *r, const sc_step *st, const char *path, vm_err *err)
{
    /* plan every insert child's copies before any thread starts, and make
     * room for them all: the bitmaps must not move while others read them.
     * The end is recorded, so a resumed step plans the same ranges. */
    uint32_t added = 0;
    for (size_t i = 0; i < st->nchildren; i++)
        if (st->children[i].kind == SC_EXPAND)
            added += st->children[i].copies;
    uint32_t next = r->s.st.live.copies;
    if (r->have_target && r->target_leaf == r->leaf)
        next = (uint32_t)r->target_copies - added; /* resuming this very step */
    else if (added) {
        r->have_target = true;
        r->target_leaf = r->leaf;
        r->target_live = 0;
        r->target_copies = next + added;
        if (save_checkpoint(r, err) < 0)
            return -1;
    }
    uint32_t room = next + added;
    for (size_t i = 0; i < st->nchildren; i++)
        if (st->children[i].kind == SC_PREFILL && 1 + st->children[i].copies > room)
            room = 1 + st->children[i].copies;
    live_ensure_copies(&r->s.st.live, room);
    par_arg *args = calloc(st->nchildren, sizeof(par_arg));
    pthread_t *tids = calloc(st->nchildren, sizeof(pthread_t));
    for (size_t i = 0; i < st->nchildren; i++) {
        args[i].r = r;
        args[i].st = &st->children[i];
        if (st->children[i].kind == SC_PREFILL) {
            args[i].first = 0;
            args[i].end = 1 + st->children[i].copies;
        } else if (st->children[i].kind == SC_EXPAND) {
            args[i].first = next;
            args[i].end = next += st->children[i].copies;
        }
        snprintf(args[i].path, sizeof(args[i].path), "%s/%zu:%s", path, i + 1,
                 sc_step_name(st->children[i].kind));
        pthread_create(&tids[i], NULL, par_main, &args[i]);
    }
    int rc = 0;
    for (size_t i = 0; i < st->nchildren; i++) {
        pthread_join(tids[i], NULL);
        if (args[i].rc < 0 && rc == 0) {
            *err = args[i].err;
            rc = -1;
        }
    }
    free(args);
    free(tids);
    return rc;
}

/* merge a step's latency histograms by operation name (the engine's own
 * totals merge by index, which differs between workloads) and hand the
 * pushgateway the latency so far */
static void merge_totals(runner *r, const eng_stats *tot)
{
    pthread_mutex_lock(&r->mu);
    for (int k = 0; k < tot->nops; k++) {
        const char *op = tot->op_names[k] ? tot->op_names[k] : "cmd";
        int i = 0;
        while (i < r->nlat && strcmp(r->lat[i].op, op))
            i++;
        if (i == r->nlat) {
            if (i == 16)
                continue;
            r->lat[i].op = op; /* names are static strings of the workloads */
            hist_init(&r->lat[i].h);
            r->nlat++;
        }
        hist_merge(&r->lat[i].h, &tot->latency[k]);
        if (r->out_open)
            exp_set_latency(&r->out, op, &r->lat[i].h);
    }
    pthread_mutex_unlock(&r->mu);
}

static int run_leaf(runner *r, const sc_step *st, const char *path, vm_err *err)
{
    sum_phase_stats ps;
    memset(&ps, 0, sizeof(ps));
    int rc = 0;
    eng_stats *tot = malloc(sizeof(*tot)); /* histograms are large: not on the stack */
    eng_stats_init(tot);
    eng_stats *outer = leaf_totals;
    leaf_totals = st->kind == SC_PARALLEL ? NULL : tot;
    switch (st->kind) {
    case SC_CREATE_INDEX: rc = step_create_index(r, err); break;
    case SC_DROP_INDEX: rc = step_drop_index(r, err); break;
    case SC_PREFILL: rc = step_insert(r, st, true, &ps, err); break;
    case SC_EXPAND: rc = step_insert(r, st, false, &ps, err); break;
    case SC_SHRINK:
    case SC_REGROW: rc = step_shrink_regrow(r, st, &ps, err); break;
    case SC_QUERY: rc = step_query(r, st, &ps, err); break;
    case SC_MIXED:
    case SC_WORKLOAD: rc = step_workload(r, st, &ps, err); break;
    case SC_WAIT: rc = step_wait(r, st, err); break;
    case SC_CONFIG_SET: rc = step_config_set(r, st, err); break;
    case SC_CHECKPOINT: step_checkpoint(r, st); break;
    case SC_ASSERT: step_assert(r, st); break;
    case SC_PARALLEL: rc = step_parallel(r, st, path, err); break;
    default: break;
    }
    leaf_totals = outer;
    if (tot->nops)
        merge_totals(r, tot);
    free(tot);
    ps.live_vectors_end = live_count(&r->s.st.live, LC_ALL_COPIES);
    if (st->kind != SC_PARALLEL || path[0])
        sum_phase_end(r->sum, &ps);
    return rc;
}

static int walk(runner *r, const sc_step *steps, size_t n, const char *prefix, vm_err *err)
{
    for (size_t i = 0; i < n && !stopped(r); i++) {
        const sc_step *st = &steps[i];
        char path[160];
        snprintf(path, sizeof(path), "%s%s%zu:%s", prefix, *prefix ? "/" : "", i + 1,
                 sc_step_name(st->kind));
        if (st->kind == SC_REPEAT) {
            for (uint32_t t = 0; t < st->times && !stopped(r); t++) {
                char p2[180];
                snprintf(p2, sizeof(p2), "%s[%u]", path, t + 1);
                if (walk(r, st->children, st->nchildren, p2, err) < 0)
                    return -1;
            }
            continue;
        }
        if (r->leaf < r->resume_done) { /* done before the resume */
            if (st->kind == SC_CREATE_INDEX)
                r->index_exists = r->module;
            else if (st->kind == SC_DROP_INDEX)
                r->index_exists = false;
            r->leaf++;
            continue;
        }
        note(r, "step %s", path);
        set_phase(r, st, path);
        step_sample(r); /* every step has samples of its own at its start and end */
        if (run_leaf(r, st, path, err) < 0)
            return -1;
        step_sample(r);
        if (stopped(r))
            break; /* an interrupted step is not done: it resumes */
        r->leaf++;
        r->have_target = false;
        if (save_checkpoint(r, err) < 0 || lc_session_save(&r->s, err) < 0)
            return -1;
        r->res->leaves_done = r->leaf;
    }
    return 0;
}

/* --- the run ------------------------------------------------------------------ */

static int open_run(runner *r, vm_err *err)
{
    const sc_run_conf *c = r->c;
    char *state = path_in(r, "state");
    if (mkdir(state, 0755) < 0 && errno != EEXIST) {
        vm_err_set(err, VM_EIO, "%s: %s", state, strerror(errno));
        free(state);
        return -1;
    }
    if (c->resume && load_checkpoint(r, err) < 0) {
        free(state);
        return -1;
    }
    if (!c->resume && c->resolved_yaml) {
        char *p = path_in(r, "scenario.yaml");
        int rc = write_file(p, c->resolved_yaml, strlen(c->resolved_yaml), err);
        free(p);
        if (rc < 0 || save_checkpoint(r, err) < 0) {
            free(state);
            return -1;
        }
    }
    lc_create_conf cc = {.state_dir = state, .dataset = r->sc->dataset, .prefix = r->sc->prefix,
                         .field = r->sc->field,
                         .index = r->sc->create_index ? r->sc->index.name : NULL,
                         .metric = idx_metric_name(r->sc->index.metric), .limit = r->sc->limit};
    int rc = lc_session_create(&r->s, &cc, err);
    free(state);
    if (rc < 0)
        return -1;
    r->session_open = true;
    if (r->sc->index.tag_field && !*r->s.st.tag_field) {
        free(r->s.st.tag_field);
        r->s.st.tag_field = strdup(r->sc->index.tag_field);
    }
    if (r->sc->index.numeric_field && !*r->s.st.numeric_field) {
        free(r->s.st.numeric_field);
        r->s.st.numeric_field = strdup(r->sc->index.numeric_field);
    }
    const net_endpoint *ep = c->eng.ep;
    if (lc_servers_open(&r->srv, ep, err) < 0)
        return -1;
    r->ctl_open = true;
    lc_server_desc desc;
    if (lc_servers_describe(&r->srv, &desc, err) < 0)
        return -1;
    r->module = desc.search;
    if (c->resume && r->module) {
        idx_info info;
        vm_err e = {0};
        r->index_exists = idx_info_get(&r->srv.node[0].cl, index_name(r), &info, &e) == 0;
    }
    r->sum = sum_open(c->run_id, r->sc->name, r->sc->dataset);
    sum_set_server(r->sum, desc.software, desc.version, desc.search ? desc.search_version : NULL);
    exp_conf ec = {.out_dir = c->out_dir, .push = c->push, .summary = r->sum};
    if (exp_open(&r->out, &ec, err) < 0)
        return -1;
    r->out_open = true;
    mon_config mc = {.ep = ep, .interval_ms = r->sc->interval_ms, .sink = sink, .sink_ctx = r,
                     .labels = labels, .labels_ctx = r, .live_from_labels = true};
    if (mon_start(&r->mon, &mc, err) < 0)
        return -1;
    r->mon_on = true;
    return 0;
}

int sc_run(const sc_run_conf *c, sc_run_result *res, vm_err *err)
{
    runner *r = calloc(1, sizeof(*r));
    memset(res, 0, sizeof(*res));
    r->c = c;
    r->sc = c->sc;
    r->res = res;
    pthread_mutex_init(&r->mu, NULL);
    snprintf(r->phase, sizeof(r->phase), "start");
    res->leaves_total = sc_plan_leaf_count(c->sc->steps, c->sc->nsteps);
    int rc = open_run(r, err);
    if (rc == 0) {
        if (c->resume)
            note(r, "resuming after %llu of %llu steps", (unsigned long long)r->resume_done,
                 (unsigned long long)res->leaves_total);
        r->leaf = 0;
        rc = walk(r, c->sc->steps, c->sc->nsteps, "", err);
    }
    res->interrupted = stopped(r);
    res->leaves_done = r->leaf;
    if (r->ctl_open)
        restore_configs(r);
    vm_err e2 = {0};
    if (r->mon_on) {
        pthread_mutex_lock(&r->mu);
        snprintf(r->phase, sizeof(r->phase), "end");
        pthread_mutex_unlock(&r->mu);
        if (mon_stop(&r->mon, &e2) < 0 && rc == 0) {
            *err = e2;
            rc = -1;
        }
    }
    if (r->session_open) {
        res->live_end = live_count(&r->s.st.live, LC_ALL_COPIES);
        if (lc_session_save(&r->s, &e2) < 0 && rc == 0) {
            *err = e2;
            rc = -1;
        }
    }
    if (r->out_open) {
        prom_push_stats ps;
        vm_err pe = {0};
        if (exp_close(&r->out, &ps, &pe) < 0)
            note(r, "pushgateway: %s", pe.msg);
    }
    if (r->sum) {
        sum_used_memory(r->sum, &res->used_memory_start, &res->used_memory_end,
                        &res->used_memory_peak, &res->samples);
        char *p = path_in(r, "summary.json");
        if (sum_write(r->sum, p, &e2) < 0 && rc == 0) {
            *err = e2;
            rc = -1;
        }
        free(p);
        sum_free(r->sum);
    }
    if (r->ctl_open)
        save_checkpoint(r, &e2);
    if (r->ctl_open)
        lc_servers_close(&r->srv);
    if (r->session_open)
        lc_session_close(&r->s);
    for (size_t i = 0; i < r->nrestore; i++)
        free(r->restore[i].key), free(r->restore[i].value), free(r->restore_node[i]);
    free(r->restore);
    free(r->restore_node);
    pthread_mutex_destroy(&r->mu);
    free(r);
    return rc;
}
