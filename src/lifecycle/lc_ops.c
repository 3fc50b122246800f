/* lc_ops: see lc_ops.h. */
#include "lc_ops.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../net/net_cluster.h"
#include "../util/hist.h"
#include "../util/vm_slice.h"
#include "../vecmath/gt.h"
#include "../workload/wl_delete.h"
#include "../workload/wl_query.h"
#include "lc_select.h"
#include "lc_servers.h"

static int save_after(lc_session *s, int rc, vm_err *err)
{
    vm_err serr = {0};
    if (lc_session_save(s, &serr) < 0 && rc == 0) {
        *err = serr;
        return -1;
    }
    return rc;
}

static int check_expandable(lc_session *s, uint32_t copy_end, vm_err *err)
{
    if (copy_end > 1 && !strcasecmp(s->st.metric, "IP"))
        return vm_err_set(
            err, VM_EINPUT,
            "inner-product data cannot be expanded: x + V_n changes inner-product "
            "rankings (only L2, and normalised cosine data, keep ground truth exact)");
    if (copy_end > (1u << 24))
        return vm_err_set(err, VM_EINPUT, "at most %u copies", 1u << 24);
    return 0;
}

/* An ingest of the session's vectors under its keys and fields, by its
 * plan, into its live set, with its generated attributes (the caller says
 * which copies or ids). */
static int session_ingest(lc_session *s, wl_ingest *w, vm_err *err)
{
    wl_ingest_init(w, &s->base, s->st.prefix, s->st.field, s->st.part_first, s->st.part_end);
    w->plan = &s->plan;
    w->live = &s->st.live;
    return lc_session_attrs(s, w, err);
}

static int run_ingest(lc_session *s, const eng_config *eng, wl_ingest *w, const lc_progress *prog,
                      lc_op_result *res, vm_err *err)
{
    eng_workload wl = wl_ingest_workload(w);
    res->planned = wl_ingest_total(w);
    if (prog && prog->on_start)
        prog->on_start(prog->ctx, res->planned, &w->acked.shown);
    eng_stats st;
    int rc = eng_run(eng, &wl, prog ? prog->tick : NULL, prog ? prog->ctx : NULL, 200, &st, err);
    res->ok = wl_count_finish(&w->acked);
    res->errors = atomic_load(&w->errors);
    memcpy(res->first_error, w->first_error, sizeof(res->first_error));
    res->seconds = st.seconds;
    res->cpu_s = st.cpu_s;
    /* atomic: the children of a parallel scenario step share the session */
    __atomic_fetch_add(&s->st.inserted, res->ok, __ATOMIC_RELAXED);
    return save_after(s, rc, err);
}

int lc_insert_copies(lc_session *s, const eng_config *eng, uint32_t copy_first, uint32_t copy_end,
                     const lc_insert_opts *opts, const lc_progress *prog, lc_op_result *res,
                     vm_err *err)
{
    uint64_t live_before = live_count(&s->st.live, LC_ALL_COPIES);
    memset(res, 0, sizeof(*res));
    if (copy_end <= copy_first)
        return vm_err_set(err, VM_EINPUT, "empty copy range %u..%u", copy_first, copy_end - 1);
    if (check_expandable(s, copy_end, err) < 0)
        return -1;
    if (lc_session_need_rows(s, err) < 0 || (copy_end > 1 && lc_session_need_plan(s, err) < 0))
        return -1;
    live_ensure_copies(&s->st.live, copy_end);
    wl_ingest w;
    if (session_ingest(s, &w, err) < 0)
        return -1;
    w.copy_first = copy_first;
    w.copy_end = copy_end;
    if (opts) {
        w.skip_live = opts->skip_live;
        w.stop_on_oom = opts->stop_on_oom;
    }
    /* asked for: the originals spliced from the dataset folder's base.resp,
     * which must hold them for these keys (dataset encode) */
    wl_stream stream = {.fd = -1};
    char dir[sizeof(res->stream) - sizeof("/base.resp")] = "."; /* dir + "/base.resp" fits */
    if (opts && opts->stream && copy_first == 0) {
        const char *slash = s->base.path ? strrchr(s->base.path, '/') : NULL;
        if (slash && (size_t)(slash - s->base.path) < sizeof(dir))
            snprintf(dir, sizeof(dir), "%.*s", (int)(slash - s->base.path), s->base.path);
        int o = wl_stream_open(&stream, dir, s->st.prefix, s->st.field, s->base.dim, err);
        if (o < 0)
            return -1;
        if (o == 0)
            return vm_err_param(err, "stream", VM_EINPUT,
                                "%s has no base.resp for %s<id> %s of dimension %u "
                                "(write it: valkey-memstress dataset encode %s --prefix %s "
                                "--field %s)",
                                dir, s->st.prefix, s->st.field, s->base.dim, dir, s->st.prefix,
                                s->st.field);
        w.stream = &stream;
    }
    int rc = run_ingest(s, eng, &w, prog, res, err);
    if (w.stream)
        snprintf(res->stream, sizeof(res->stream), "%s/base.resp", dir);
    wl_stream_close(&stream);
    res->oom = atomic_load(&w.oom) != 0;
    if (res->oom)
        res->live_at_oom = live_before + atomic_load(&w.live_at_oom);
    return rc;
}

/* What a shrink (delete) or a regrow of s chooses from: the state's next
 * round of draws (lc_select.h). */
static lc_select_conf select_conf(const lc_session *s, bool shrink, uint32_t copy, double fraction,
                                  uint64_t count, uint64_t seed)
{
    uint64_t stream = shrink ? lc_draw_stream(LC_DRAW_DELETE, s->st.shrinks)
                             : lc_draw_stream(LC_DRAW_REINSERT, s->st.regrows);
    return (lc_select_conf){copy, shrink, stream, seed, fraction, count};
}

static int check_copy(lc_session *s, uint32_t copy, vm_err *err)
{
    if (copy != LC_ALL_COPIES && copy >= s->st.live.copies)
        return vm_err_param(err, "copy", VM_EINPUT, "copy %u does not exist (the state has 0..%u)",
                            copy, s->st.live.copies - 1);
    return 0;
}

int lc_shrink(lc_session *s, const eng_config *eng, uint32_t copy, double fraction, uint64_t count,
              uint64_t seed, const lc_progress *prog, lc_op_result *res, vm_err *err)
{
    memset(res, 0, sizeof(*res));
    if (check_copy(s, copy, err) < 0)
        return -1;
    if (!count && !(fraction >= 0 && fraction <= 1))
        return vm_err_param(err, "fraction", VM_EINPUT, "fraction %g is not in [0, 1]", fraction);
    lc_select_conf q = select_conf(s, true, copy, fraction, count, seed);
    uint64_t live = lc_select_pool(&s->st, &q);
    if (count > live)
        return vm_err_param(err, "count", VM_EINPUT,
                            "count %llu is more than the %llu live vectors",
                            (unsigned long long)count, (unsigned long long)live);
    uint64_t *tags = lc_select(&s->st, &q, &count);
    wl_delete w;
    wl_delete_init(&w, s->st.prefix, tags, count, &s->st.live);
    eng_workload wl = wl_delete_workload(&w);
    res->planned = count;
    if (prog && prog->on_start)
        prog->on_start(prog->ctx, count, &w.deleted.shown);
    eng_stats st;
    int rc = eng_run(eng, &wl, prog ? prog->tick : NULL, prog ? prog->ctx : NULL, 200, &st, err);
    res->ok = wl_count_finish(&w.deleted);
    res->missing = atomic_load(&w.missing);
    res->errors = atomic_load(&w.errors);
    memcpy(res->first_error, w.first_error, sizeof(res->first_error));
    res->seconds = st.seconds;
    res->cpu_s = st.cpu_s;
    __atomic_fetch_add(&s->st.deleted, res->ok, __ATOMIC_RELAXED);
    __atomic_fetch_add(&s->st.shrinks, 1, __ATOMIC_RELAXED);
    free(tags);
    return save_after(s, rc, err);
}

int lc_regrow(lc_session *s, const eng_config *eng, uint32_t copy, double fraction, uint64_t count,
              uint64_t seed, const lc_progress *prog, lc_op_result *res, vm_err *err)
{
    memset(res, 0, sizeof(*res));
    if (check_copy(s, copy, err) < 0)
        return -1;
    if (!(fraction >= 0 && fraction <= 1))
        return vm_err_param(err, "fraction", VM_EINPUT, "fraction %g is not in [0, 1]", fraction);
    lc_select_conf q = select_conf(s, false, copy, fraction, count, seed);
    uint64_t dead = lc_select_pool(&s->st, &q);
    if (count > dead)
        return vm_err_param(err, "count", VM_EINPUT, "regrow %llu: only %llu vectors are deleted",
                            (unsigned long long)count, (unsigned long long)dead);
    if (lc_session_need_rows(s, err) < 0)
        return -1;
    wl_ingest w;
    if (session_ingest(s, &w, err) < 0)
        return -1;
    uint64_t want;
    uint64_t *tags = lc_select(&s->st, &q, &want);
    w.tags = tags;
    w.ntags = want;
    __atomic_fetch_add(&s->st.regrows, 1, __ATOMIC_RELAXED); /* saved by run_ingest */
    int rc = run_ingest(s, eng, &w, prog, res, err);
    free(tags);
    return rc;
}

uint64_t lc_planned(const lc_session *s, bool shrink, uint32_t copy, double fraction,
                    uint64_t seed)
{
    lc_select_conf q = select_conf(s, shrink, copy, fraction, 0, seed);
    return lc_select_count(&s->st, &q);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(const double *sorted, uint64_t n, double p)
{
    if (!n)
        return 0;
    uint64_t i = (uint64_t)ceil(p * (double)n) - (p > 0);
    return sorted[i < n ? i : n - 1];
}

static bool has_target(const wl_fan_target *t, int n, const wl_fan_target *x)
{
    for (int i = 0; i < n; i++)
        if (t[i].port == x->port && !strcmp(t[i].host, x->host))
            return true;
    return false;
}

static bool serves_slots(const net_cluster_node *m)
{
    return m->is_master && m->nranges > 0;
}

/* Whether the masters a fanned-out query run asked (plan) still were the
 * masters serving slots when it ended.  The parts were pinned to them when
 * it started: a master that joined since (a resharding onto a new node) was
 * never asked, and its keys count as missed — said in changed ("X joined",
 * "Y left").  A master that took over the slots of a planned master that is
 * gone (a failover) was asked in its place, since a part whose master is
 * gone goes by its slot — said in failovers ("X took over from Y"), no
 * keys missed.  Both "" when nothing changed or the map cannot be read. */
static void masters_check(const net_endpoint *ep, const wl_fan_target *plan, uint32_t nplan,
                          char *changed, size_t cap, char *failovers, size_t fcap)
{
    changed[0] = failovers[0] = '\0';
    net_cluster_topo topo;
    vm_err e = {0};
    if (net_cluster_refresh(ep, NULL, &topo, &e) < 0)
        return;
    size_t len = 0, flen = 0;
    bool *taken = calloc(nplan ? nplan : 1, sizeof(bool));
    if (!taken)
        abort(); /* strbuf's rule */
    for (int i = 0; i < topo.nmasters; i++) {
        const net_cluster_node *m = &topo.nodes[i];
        wl_fan_target me = {.port = m->port};
        snprintf(me.host, sizeof(me.host), "%s", m->host);
        if (!serves_slots(m) || has_target(plan, (int)nplan, &me))
            continue;
        int from = -1;
        for (uint32_t j = 0; j < nplan && from < 0; j++) {
            int was = net_cluster_find(&topo, plan[j].host, plan[j].port);
            bool gone = was < 0 || !serves_slots(&topo.nodes[was]);
            if (gone && net_cluster_slot_node(&topo, (uint16_t)plan[j].slot) == i)
                from = (int)j;
        }
        if (from >= 0) {
            taken[from] = true;
            if (flen < fcap)
                flen += (size_t)snprintf(failovers + flen, fcap - flen,
                                         "%s%s:%d took over from %s:%d", flen ? ", " : "", m->host,
                                         m->port, plan[from].host, plan[from].port);
        } else if (len < cap) {
            len += (size_t)snprintf(changed + len, cap - len, "%s%s:%d joined", len ? ", " : "",
                                    m->host, m->port);
        }
    }
    for (uint32_t j = 0; j < nplan; j++) {
        int now = net_cluster_find(&topo, plan[j].host, plan[j].port);
        if (!taken[j] && (now < 0 || !serves_slots(&topo.nodes[now])) && len < cap)
            len += (size_t)snprintf(changed + len, cap - len, "%s%s:%d left", len ? ", " : "",
                                    plan[j].host, plan[j].port);
    }
    free(taken);
    net_cluster_free(&topo);
}

/* The copies a query run asks: q's list (each checked), else every copy
 * with live vectors.  Returns their count, or -1 with err set. */
static int query_copies(const lc_session *s, const lc_query_conf *q, uint32_t **out, vm_err *err)
{
    uint32_t *copies = malloc((s->st.live.copies ? s->st.live.copies : 1) * sizeof(uint32_t));
    uint32_t nc = 0;
    if (q->copies) {
        for (uint32_t i = 0; i < q->ncopies; i++) {
            if (q->copies[i] >= s->st.live.copies) {
                free(copies);
                return vm_err_param(err, "copies", VM_EINPUT, "copy %u does not exist (0..%u)",
                                    q->copies[i], s->st.live.copies - 1);
            }
            copies[nc++] = q->copies[i];
        }
    } else {
        for (uint32_t c = 0; c < s->st.live.copies; c++)
            if (live_count(&s->st.live, c))
                copies[nc++] = c;
    }
    *out = copies;
    return (int)nc;
}

/* On a cluster, a search module without its coordinator answers from one
 * shard: plan to ask every master and merge (wl_query.h).  *fan is the
 * plan (NULL when not a cluster); 0, or -1 with err set. */
static int query_fanout(lc_session *s, const eng_config *eng, wl_query *w, lc_query_result *res,
                        wl_fan_target **fan, vm_err *err)
{
    *fan = NULL;
    if (!eng->ep->cluster)
        return 0;
    lc_servers sv;
    lc_server_desc d;
    if (lc_servers_open(&sv, eng->ep, err) < 0 || lc_servers_describe(&sv, &d, err) < 0) {
        lc_servers_close(&sv);
        return -1;
    }
    *fan = calloc((size_t)sv.n, sizeof(**fan));
    if (!*fan)
        abort(); /* strbuf's rule: nothing useful happens without memory */
    w->fanout = (uint32_t)lc_servers_query_fanout(&sv, &d, *fan, sv.n);
    w->fan = *fan;
    w->base = &s->base;
    res->shards = w->fanout;
    lc_servers_close(&sv);
    return 0;
}

/* The recall of copy ci's queries against its ground truth, into
 * res->per_copy[ci] and rec; adds the perfect ones to *perfect and returns
 * the copy's sum of recalls, or -1 with err set. */
static double query_copy_recall(lc_session *s, const lc_query_conf *q, const wl_query *w,
                                const ds_vecfile *qf, const ds_vecfile *gtf, uint32_t ci,
                                uint32_t copy, double *rec, float *qv, uint64_t *perfect,
                                lc_query_result *res, vm_err *err)
{
    gt_truth t;
    if (gt_compute(&s->base, qf, gtf, live_words(&s->st.live, copy), q->k, &t, err) < 0)
        return -1;
    res->gt_recomputed += t.recomputed;
    lc_copy_recall *pc = &res->per_copy[ci];
    pc->copy = copy;
    pc->queries = w->nq;
    pc->min = 1;
    double csum = 0;
    for (uint32_t i = 0; i < w->nq; i++) {
        uint64_t item = (uint64_t)ci * w->nq + i;
        ds_vecfile_row_f32(qf, i, qv);
        double r = gt_recall(&t, i, &s->base, qv, w->returned + item * q->k, w->nreturned[item]);
        rec[item] = r;
        csum += r;
        if (r < pc->min)
            pc->min = r;
        if (r >= 1.0)
            (*perfect)++;
    }
    pc->mean = w->nq ? csum / w->nq : 0;
    gt_free(&t);
    return csum;
}

/* Exact recall of every answered query, per copy and in all. */
static int query_recall(lc_session *s, const lc_query_conf *q, const wl_query *w,
                        const ds_vecfile *qf, const ds_vecfile *gtf, uint64_t items,
                        lc_query_result *res, vm_err *err)
{
    int rc = 0;
    double *rec = malloc(items * sizeof(double));
    float *qv = malloc((size_t)qf->dim * sizeof(float));
    res->per_copy = calloc(w->ncopies, sizeof(lc_copy_recall));
    res->ncopies = w->ncopies;
    double sum = 0;
    uint64_t perfect = 0;
    for (uint32_t ci = 0; ci < w->ncopies; ci++) {
        double csum =
            query_copy_recall(s, q, w, qf, gtf, ci, w->copies[ci], rec, qv, &perfect, res, err);
        if (csum < 0) {
            rc = -1;
            break;
        }
        sum += csum;
    }
    if (rc == 0 && items) {
        res->mean = sum / (double)items;
        qsort(rec, items, sizeof(double), cmp_double);
        res->min = rec[0];
        res->p5 = pct(rec, items, 0.05);
        res->perfect_share = (double)perfect / (double)items;
    }
    free(rec);
    free(qv);
    return rc;
}

/* Latency from the engine's histogram: measured from when each query was
 * due, so a rate-limited (open-loop) run counts queueing too; fanned out,
 * from the first shard's request to the last shard's answer. */
static void query_latency(const wl_query *w, const eng_stats *st, uint64_t items,
                          lc_query_result *res)
{
    if (w->fanout <= 1 && st->nops > 0 && st->latency[0].count) {
        const hist *h = &st->latency[0];
        res->lat_p50_ms = (double)hist_quantile(h, 0.50) / 1e6;
        res->lat_p90_ms = (double)hist_quantile(h, 0.90) / 1e6;
        res->lat_p99_ms = (double)hist_quantile(h, 0.99) / 1e6;
        res->lat_p999_ms = (double)hist_quantile(h, 0.999) / 1e6;
        res->lat_max_ms = (double)hist_quantile(h, 1.0) / 1e6;
    } else if (items) {
        qsort(w->latency_ms, items, sizeof(double), cmp_double);
        res->lat_p50_ms = pct(w->latency_ms, items, 0.50);
        res->lat_p90_ms = pct(w->latency_ms, items, 0.90);
        res->lat_p99_ms = pct(w->latency_ms, items, 0.99);
        res->lat_p999_ms = pct(w->latency_ms, items, 0.999);
        res->lat_max_ms = w->latency_ms[items - 1];
    }
}

/* Run the queries w describes and fill res (recall, latency, errors). */
static int query_run(lc_session *s, const eng_config *eng, const lc_query_conf *q, wl_query *w,
                     const ds_vecfile *gtf, const wl_fan_target *fan, lc_query_result *res,
                     vm_err *err)
{
    eng_workload wl = wl_query_workload(w);
    eng_stats st;
    int rc = eng_run(eng, &wl, NULL, NULL, 200, &st, err);
    if (rc == 0 && w->fanout > 1)
        masters_check(eng->ep, fan, w->fanout, res->masters_changed, sizeof(res->masters_changed),
                      res->failovers, sizeof(res->failovers));
    uint64_t items = wl_query_items(w);
    res->k = q->k;
    res->queries = wl_count_finish(&w->done);
    res->errors = atomic_load(&w->errors);
    memcpy(res->first_error, w->first_error, sizeof(res->first_error));
    res->seconds = st.seconds;
    res->cpu_s = st.cpu_s;
    res->qps = st.seconds > 0 ? (double)res->queries / st.seconds : 0;
    if (rc == 0 && res->errors == 0)
        rc = query_recall(s, q, w, w->queries, gtf, items, res, err);
    query_latency(w, &st, items, res);
    return rc;
}

/* Recall is exact only against every live vector: the state must know
 * them all, and the dataset hold every row (for brute force). */
int lc_query_check(const lc_session *s, const lc_query_conf *q, vm_err *err)
{
    if (!lc_state_whole(&s->st))
        return vm_err_param(err, "state", VM_EINPUT,
                            "state folder %s holds ids %llu..%llu only: recall needs every live "
                            "vector: merge the loaders' states first (valkey-memstress state "
                            "merge --out DIR DIR1 DIR2 ...)",
                            s->st.dir, (unsigned long long)s->st.part_first,
                            (unsigned long long)s->st.part_end - 1);
    if (!ds_vecfile_whole(&s->ds.base))
        return vm_err_param(err, "dataset", VM_EINPUT,
                            "%s holds ids %llu..%llu only: recall needs every row of the base",
                            s->ds.base.path, (unsigned long long)s->ds.base.row_lo,
                            (unsigned long long)s->ds.base.row_hi - 1);
    if (q->slice_n && q->slice_i >= q->slice_n)
        return vm_err_param(err, "slice", VM_EINPUT, "slice %u/%u: I must be under N", q->slice_i,
                            q->slice_n);
    return 0;
}

int lc_query(lc_session *s, const eng_config *eng, const lc_query_conf *q, lc_query_result *res,
             vm_err *err)
{
    memset(res, 0, sizeof(*res));
    res->rule = "tie-aware: a returned vector is correct when live, in the query's copy, and "
                "within the k-th true distance (x(1+1e-5)+1e-6)";
    if (!ds_has_query(&s->ds))
        return vm_err_set(err, VM_EINPUT, "dataset %s has no query vectors", s->st.dataset);
    if (!q->index || !*q->index)
        return vm_err_param(err, "index.name", VM_EINPUT, "index name is required");
    if (q->k == 0 || q->k > 10000)
        return vm_err_param(err, "k", VM_EINPUT, "k %u is not in [1, 10000]", q->k);
    uint32_t *copies = NULL;
    int nc = query_copies(s, q, &copies, err);
    if (nc < 0)
        return -1;
    if (lc_query_check(s, q, err) < 0) {
        free(copies);
        return -1;
    }
    ds_vecfile qf = s->ds.query, gtf = s->ds.gt;
    if (q->queries && q->queries < qf.n)
        qf.n = q->queries;
    if (q->slice_n) {
        uint64_t a, b;
        vm_slice_range(qf.n, q->slice_i, q->slice_n, &a, &b);
        qf = ds_vecfile_view(&qf, a, b - a);
        if (ds_has_gt(&s->ds))
            gtf = ds_vecfile_view(&gtf, a, b - a);
    }
    wl_query w;
    memset(&w, 0, sizeof(w));
    w.queries = &qf;
    w.index = q->index;
    w.field = s->st.field;
    w.prefix = s->st.prefix;
    w.k = q->k;
    w.ef_runtime = q->ef_runtime;
    w.copies = copies;
    w.ncopies = (uint32_t)nc;
    w.nq = (uint32_t)qf.n;
    w.plan = &s->plan;
    w.live = &s->st.live;
    if (!nc) {
        free(copies);
        return vm_err_set(err, VM_EINPUT, "no live vectors to query");
    }
    wl_fan_target *fan;
    if (query_fanout(s, eng, &w, res, &fan, err) < 0 || wl_query_init(&w, err) < 0) {
        free(fan);
        free(copies);
        return -1;
    }
    int rc = query_run(s, eng, q, &w, ds_has_gt(&s->ds) ? &gtf : NULL, fan, res, err);
    wl_query_free(&w);
    free(fan);
    free(copies);
    return rc;
}

void lc_query_result_free(lc_query_result *r)
{
    free(r->per_copy);
    r->per_copy = NULL;
}
