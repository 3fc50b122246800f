/* sc_exec_traffic: the executors that send traffic without changing the
 * live set's size — query (KNN queries scored for recall against the exact
 * ground truth), mixed (the built-in query / re-write mix) and workload (a
 * registered or plugin workload, wl_plugin.h). */
#include <stdio.h>
#include <string.h>

#include "../util/strbuf.h"
#include "../workload/wl_plugin.h"
#include "sc_exec.h"

sc_step_run sc_run_query, sc_run_mixed, sc_run_workload;

/* The query's results into the phase stats, and recall for the asserts. */
static void query_done(sc_runner *r, const lc_query_result *qr, sum_phase_stats *ps)
{
    ps->operations = qr->queries + qr->errors;
    ps->client_cpu_s = qr->cpu_s;
    ps->errors = qr->errors;
    if (!qr->errors) {
        ps->recall.present = true;
        ps->recall.k = (int)qr->k;
        ps->recall.queries = qr->queries;
        ps->recall.mean = qr->mean;
        ps->recall.min = qr->min;
        ps->recall.p5 = qr->p5;
        ps->recall.p50 = qr->mean;
        ps->recall.rule = qr->rule;
        r->recall_mean = qr->mean;
        r->recall_min = qr->min;
        r->have_recall = true;
    }
    sc_note(r,
            "query: %llu queries, k=%u, %.0f qps, recall mean %.4f min %.4f, p99 %.2f ms%s%s%s%s",
            (unsigned long long)qr->queries, qr->k, qr->qps, qr->mean, qr->min, qr->lat_p99_ms,
            qr->errors ? ", errors, first: " : "", qr->first_error,
            qr->masters_changed[0] ? "; the masters changed during the queries, recall may read "
                                     "low: "
                                   : "",
            qr->masters_changed);
}

int sc_run_query(sc_exec *x, const sc_step *st, vm_err *err)
{
    sc_runner *r = x->r;
    if (!sc_need_module(r, "query") || !r->index_exists) {
        if (r->module)
            sc_note(r, "query skipped: no index (create_index first)");
        return 0;
    }
    idx_info info;
    if (lc_servers_index_wait(&r->srv, sc_index_name(r), 600000, &info, err) < 0)
        return -1;
    eng_config e = sc_step_eng(x, st);
    e.open_loop = e.rate_ops > 0;
    lc_query_conf q = {sc_index_name(r), st->k, st->ef_runtime, NULL, 0, st->queries};
    lc_query_result qr;
    int rc = lc_query(&r->s, &e, &q, &qr, err);
    if (rc == 0)
        query_done(r, &qr, x->ps);
    lc_query_result_free(&qr);
    return rc;
}

static void on_metric(void *ctx, const char *name, double value)
{
    strbuf *sb = ctx;
    sb_addf(sb, " %s=%g", name, value);
}

/* The workload settings of a step, as keys and values. */
typedef struct wl_args {
    const char *keys[64], *values[64];
    char bufs[4][32];
    size_t n;
} wl_args;

/* Run workload name (from plugin, NULL: a built-in one) with args for the
 * step; the phase stats and a note. */
static int run_workload(sc_exec *x, const sc_step *st, const char *name, const char *plugin,
                        const wl_args *a, eng_config *e, vm_err *err)
{
    sc_runner *r = x->r;
    const vms_workload *w = wl_find(name, plugin, err);
    if (!w)
        return -1;
    lc_plugin_host host;
    lc_plugin_host_init(&host, &r->s, r->index_exists ? sc_index_name(r) : "");
    wl_instance in;
    if (wl_instance_create(&in, w, &host.api, a->keys, a->values, a->n, err) < 0)
        return vm_err_prefix(err, "%s:%d:%d", r->sc->file, st->line, st->col);
    eng_workload ew = wl_instance_engine(&in);
    eng_stats stats;
    int rc = eng_run(e, &ew, sc_tick, r, 200, &stats, err);
    strbuf m = STRBUF_INIT;
    if (w->report)
        w->report(in.impl, on_metric, &m);
    x->ps->operations = stats.replies;
    x->ps->client_cpu_s = stats.cpu_s;
    x->ps->errors = stats.error_replies;
    sc_note(r, "%s: %llu operations in %.2f s (%.0f/s), %llu errors;%s", name,
            (unsigned long long)stats.replies, stats.seconds,
            stats.seconds > 0 ? (double)stats.replies / stats.seconds : 0.0,
            (unsigned long long)stats.error_replies, m.len ? m.buf : "");
    sb_release(&m);
    wl_instance_destroy(&in);
    return rc;
}

int sc_run_mixed(sc_exec *x, const sc_step *st, vm_err *err)
{
    sc_runner *r = x->r;
    wl_args a = {.n = 0};
    eng_config e = sc_step_eng(x, st);
    e.duration_ms = st->duration_ms;
    if (st->query_share > 0 && (!sc_need_module(r, "mixed") || !r->index_exists)) {
        sc_note(r, "mixed skipped: queries need an index");
        return 0;
    }
    snprintf(a.bufs[0], 32, "%g", st->query_share);
    snprintf(a.bufs[1], 32, "%u", st->k);
    snprintf(a.bufs[2], 32, "%d", st->ef_runtime);
    a.keys[a.n] = "query_share", a.values[a.n++] = a.bufs[0];
    a.keys[a.n] = "k", a.values[a.n++] = a.bufs[1];
    a.keys[a.n] = "ef_runtime", a.values[a.n++] = a.bufs[2];
    return run_workload(x, st, "mix", NULL, &a, &e, err);
}

int sc_run_workload(sc_exec *x, const sc_step *st, vm_err *err)
{
    wl_args a = {.n = 0};
    eng_config e = sc_step_eng(x, st);
    e.duration_ms = st->duration_ms;
    e.max_ops = st->count;
    for (size_t i = 0; i < st->nparams && a.n < 64; i++) {
        a.keys[a.n] = st->params[i].key;
        a.values[a.n++] = st->params[i].value;
    }
    return run_workload(x, st, st->workload, st->plugin, &a, &e, err);
}
