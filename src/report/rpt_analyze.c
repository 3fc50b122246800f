/* rpt_analyze: see rpt_analyze.h. */
#include "rpt_analyze.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/vm_grow.h"
#include "rpt_fmt.h"

static const char *metric_names[RPT_NMETRICS] = {
    "used_memory",         "search_used_memory_bytes", "used_memory_rss",
    "allocator_allocated", "allocator_active",         "allocator_resident",
};
static const char *metric_labels[RPT_NMETRICS] = {
    "used_memory",         "search module",    "RSS",
    "allocator allocated", "allocator active", "allocator resident",
};

const char *rpt_metric_name(int i)
{
    return i >= 0 && i < RPT_NMETRICS ? metric_names[i] : "";
}

const char *rpt_metric_label(int i)
{
    return i >= 0 && i < RPT_NMETRICS ? metric_labels[i] : "";
}

/* The module holds less than this per node before FT.CREATE (18 KB in
 * valkey-search 1.0.3; an index costs 4.8 MB with the defaults). */
#define IDLE_MODULE_MAX 262144.0

static void finding(rpt_analysis *an, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void finding(rpt_analysis *an, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sv_pushvf(&an->findings, fmt, ap);
    va_end(ap);
}

/* v formatted into a static ring of buffers, for use inside one finding
 * (16 at a time: as many as the 8 bytes and 8 counts the finding may hold). */
static const char *ring_fmt(void (*fmt)(strbuf *, double), double v)
{
    static char ring[16][48];
    static int k;
    char *out = ring[k++ & 15];
    strbuf sb = STRBUF_INIT;
    fmt(&sb, v);
    snprintf(out, 48, "%s", sb.buf);
    sb_release(&sb);
    return out;
}

/* "12.3 MiB" */
static const char *B(double bytes)
{
    return ring_fmt(rpt_fmt_bytes, bytes);
}

static const char *N(double v)
{
    return ring_fmt(rpt_fmt_count, v);
}

static double pct(double from, double to)
{
    return from != 0 ? (to - from) / fabs(from) * 100.0 : NAN;
}

/* ---- timeline ---- */

static const rpt_node *reference_node(const rpt_data *d)
{
    const rpt_node *best = NULL;
    size_t best_n = 0;
    for (size_t i = 0; i < d->nnodes; i++) {
        size_t n = d->nodes[i].nlabels;
        if (!n)
            for (size_t j = 0; j < d->nodes[i].nseries; j++)
                if (d->nodes[i].series[j].n > n)
                    n = d->nodes[i].series[j].n;
        if (n > best_n) {
            best = &d->nodes[i];
            best_n = n;
        }
    }
    return best;
}

/* A count read from a CSV: negative or absurd (> 2^40) values are damage. */
static double sane_count(double v)
{
    return v >= 0 && v <= 1099511627776.0 ? v : NAN;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* How much later than the reference node's sample another node's sample
 * of the same tick may come: half the median gap between ticks. */
static int64_t tick_tolerance(const int64_t *t_ms, size_t n)
{
    if (n <= 2)
        return 0;
    int64_t *gaps = malloc((n - 1) * sizeof(int64_t));
    for (size_t i = 1; i < n; i++)
        gaps[i - 1] = t_ms[i] - t_ms[i - 1];
    qsort(gaps, n - 1, sizeof(int64_t), cmp_i64);
    int64_t tol = gaps[(n - 1) / 2] / 2;
    free(gaps);
    return tol;
}

/* Where a timeline's live and deleted counts come from when the wide
 * file's labels do not say: the long file's tool.live_vectors, else the
 * index's own count summed over nodes. */
typedef struct count_sources {
    const rpt_series *tool_live, *tool_del;
    const rpt_series *num_docs[64];
} count_sources;

/* Tick i's phase label, live and deleted counts. */
static void timeline_counts(const rpt_data *d, const rpt_node *ref, const count_sources *cs,
                            int64_t tol, size_t i, rpt_timeline *tl, int *label_of)
{
    int64_t t = tl->t_ms[i];
    const rpt_label *l = ref->nlabels ? &ref->labels[i] : NULL;
    label_of[i] = l ? l->phase : -1;
    tl->live[i] = l ? sane_count(l->live) : NAN;
    tl->deleted[i] = l ? sane_count(l->deleted) : NAN;
    if (isnan(tl->live[i]))
        tl->live[i] = sane_count(rpt_series_at(cs->tool_live, t + tol));
    if (isnan(tl->deleted[i]))
        tl->deleted[i] = sane_count(rpt_series_at(cs->tool_del, t + tol));
    if (isnan(tl->live[i])) {
        double s = NAN;
        for (size_t k = 0; k < d->nnodes && k < 64; k++) {
            double v = rpt_series_at(cs->num_docs[k], t + tol);
            if (!isnan(v))
                s = isnan(s) ? v : s + v;
        }
        tl->live[i] = s;
    }
}

/* Tick i's metrics summed over the nodes.  Samples taken at step
 * boundaries come in quick succession, several in one millisecond: the
 * reference node's own value is its row's (the nth of its rows at that
 * time), and another node's is looked for no later than the reference
 * node's next row. */
static void timeline_metrics(const rpt_data *d, const rpt_node *ref, int64_t tol, size_t i,
                             rpt_timeline *tl)
{
    size_t n = tl->n;
    int64_t t = tl->t_ms[i];
    size_t nth = 0;
    while (nth < i && tl->t_ms[i - nth - 1] == t)
        nth++;
    int64_t until = t + tol;
    if (i + 1 < n && tl->t_ms[i + 1] - 1 < until)
        until = tl->t_ms[i + 1] - 1 > t ? tl->t_ms[i + 1] - 1 : t;
    for (int m = 0; m < RPT_NMETRICS; m++) {
        double s = NAN;
        for (size_t k = 0; k < d->nnodes; k++) {
            const rpt_series *se = rpt_node_series(&d->nodes[k], metric_names[m]);
            double v =
                &d->nodes[k] == ref ? rpt_series_nth_at(se, t, nth) : rpt_series_at(se, until);
            if (!isnan(v))
                s = isnan(s) ? v : s + v;
        }
        tl->m[m][i] = s;
        if (!isnan(s))
            tl->have[m] = true;
    }
}

static void build_timeline(const rpt_data *d, rpt_timeline *tl, int **label_of)
{
    const rpt_node *ref = reference_node(d);
    memset(tl, 0, sizeof(*tl));
    if (!ref)
        return;
    size_t n = ref->nlabels;
    const rpt_series *longest = NULL;
    if (!n) {
        for (size_t j = 0; j < ref->nseries; j++)
            if (!longest || ref->series[j].n > longest->n)
                longest = &ref->series[j];
        n = longest ? longest->n : 0;
    }
    tl->n = n;
    tl->t_ms = malloc((n ? n : 1) * sizeof(int64_t));
    tl->phase = calloc(n ? n : 1, sizeof(int));
    tl->live = malloc((n ? n : 1) * sizeof(double));
    tl->deleted = malloc((n ? n : 1) * sizeof(double));
    *label_of = malloc((n ? n : 1) * sizeof(int));
    for (int m = 0; m < RPT_NMETRICS; m++)
        tl->m[m] = malloc((n ? n : 1) * sizeof(double));
    for (size_t i = 0; i < n; i++)
        tl->t_ms[i] = ref->nlabels ? ref->labels[i].t_ms : longest->t_ms[i];
    int64_t tol = tick_tolerance(tl->t_ms, n);
    count_sources cs = {.tool_live = rpt_node_series(ref, "tool_live"),
                        .tool_del = rpt_node_series(ref, "tool_deleted")};
    for (size_t k = 0; k < d->nnodes && k < 64; k++)
        cs.num_docs[k] = rpt_node_series(&d->nodes[k], "num_docs");
    for (size_t i = 0; i < n; i++) {
        timeline_counts(d, ref, &cs, tol, i, tl, *label_of);
        timeline_metrics(d, ref, tol, i, tl);
    }
}

/* ---- phases ---- */

static void build_phases(const rpt_run *run, rpt_analysis *an, const int *label_of)
{
    const rpt_timeline *tl = &an->tl;
    const rpt_data *d = &run->data;
    size_t cap = 8;
    an->phases = calloc(cap, sizeof(rpt_phase));
    int *seen = calloc(d->nnames + 1, sizeof(int));
    for (size_t i = 0; i < tl->n;) {
        size_t j = i;
        while (j + 1 < tl->n && label_of[j + 1] == label_of[i])
            j++;
        VM_GROW(an->phases, an->nphases + 1, cap);
        rpt_phase *p = &an->phases[an->nphases];
        memset(p, 0, sizeof(*p));
        p->first = i;
        p->last = j;
        p->label = rpt_data_name(d, label_of[i]);
        int occurrence = label_of[i] >= 0 ? ++seen[label_of[i]] : 1;
        if (occurrence > 1)
            snprintf(p->name, sizeof(p->name), "%s (%d)", p->label ? p->label : "run", occurrence);
        else
            snprintf(p->name, sizeof(p->name), "%s", p->label ? p->label : "run");
        /* the k-th span of a label is the k-th summary phase of that name */
        p->info = -1;
        int k = 0;
        for (size_t s = 0; s < run->nphases && p->label; s++)
            if (!strcmp(run->phases[s].name, p->label) && ++k == occurrence) {
                p->info = (int)s;
                break;
            }
        for (size_t t = i; t <= j; t++)
            an->tl.phase[t] = (int)an->nphases;
        an->nphases++;
        i = j + 1;
    }
    free(seen);
    double peak_live = 0;
    for (size_t x = 0; x < an->nphases; x++) {
        rpt_phase *p = &an->phases[x];
        p->live_start = tl->live[p->first];
        p->live_end = tl->live[p->last];
        p->deleted_end = tl->deleted[p->last];
        for (size_t t = p->first; t <= p->last; t++)
            if (tl->live[t] > peak_live)
                peak_live = tl->live[t];
        p->live_peak_so_far = peak_live;
        for (int m = 0; m < RPT_NMETRICS; m++) {
            p->start[m] = tl->m[m][p->first];
            p->end[m] = tl->m[m][p->last];
            p->peak[m] = NAN;
            for (size_t t = p->first; t <= p->last; t++)
                if (!isnan(tl->m[m][t]) && (isnan(p->peak[m]) || tl->m[m][t] > p->peak[m]))
                    p->peak[m] = tl->m[m][t];
        }
        p->frag_end = NAN;
        for (size_t k = 0; k < d->nnodes; k++) {
            double v = rpt_series_at(rpt_node_series(&d->nodes[k], "mem_fragmentation_ratio"),
                                     tl->t_ms[p->last]);
            if (!isnan(v) && (isnan(p->frag_end) || v > p->frag_end))
                p->frag_end = v;
        }
        p->pred_module = p->meas_module = p->pred_used = p->meas_used = NAN;
        p->meas_capacity = NAN;
        for (size_t k = 0; k < d->nnodes; k++) {
            double v =
                rpt_series_at(rpt_node_series(&d->nodes[k], "vector_capacity"), tl->t_ms[p->last]);
            if (!isnan(v))
                p->meas_capacity = isnan(p->meas_capacity) ? v : p->meas_capacity + v;
        }
    }
}

/* ---- the model ---- */

/* Average decimal digits of the ids 0 .. n-1. */
static double avg_digits(double n)
{
    if (n < 1)
        return 1;
    double total = 0, lo = 0, hi = 10;
    for (int d = 1; lo < n; d++, lo = hi, hi *= 10)
        total += d * (fmin(hi, n) - lo);
    return total / n;
}

double rpt_predict_module(const rpt_analysis *an, double live, double deleted, double peak)
{
    if (!an->model_ok || isnan(live))
        return NAN;
    int k = an->model_nodes > 0 ? an->model_nodes : 1;
    mdl_params p = an->model;
    p.live = (uint64_t)llround(live / k);
    p.deleted = isnan(deleted) ? 0 : (uint64_t)llround(deleted / k);
    p.peak_live = isnan(peak) ? 0 : (uint64_t)llround(peak / k);
    mdl_prediction pr;
    vm_err e = {0};
    if (mdl_predict(&p, &pr, &e) < 0)
        return NAN;
    return pr.module_bytes * k + an->module_idle;
}

/* Indexes the module had at time t, summed over nodes (INFO SEARCH
 * search_number_of_indexes); NAN when the samples do not say. */
static double indexes_at(const rpt_run *run, int64_t t_ms)
{
    double sum = NAN;
    for (size_t i = 0; i < run->data.nnodes; i++) {
        const rpt_series *s = rpt_node_series(&run->data.nodes[i], "search_number_of_indexes");
        double v = s ? rpt_series_at(s, t_ms) : NAN;
        if (!isnan(v))
            sum = isnan(sum) ? v : sum + v;
    }
    return sum;
}

static void predict_phases(const rpt_run *run, rpt_analysis *an)
{
    const rpt_timeline *tl = &an->tl;
    double used0 = tl->n ? tl->m[RPT_USED][0] : NAN;
    double search0 = tl->n ? tl->m[RPT_SEARCH][0] : NAN;
    double live0 = tl->n ? tl->live[0] : NAN;
    if (an->have_search && !isnan(search0) && search0 < IDLE_MODULE_MAX * an->model_nodes)
        an->module_idle = search0; /* the index did not exist yet */
    bool base_ok = !isnan(used0) && (isnan(live0) || live0 == 0);
    int k = an->model_nodes > 0 ? an->model_nodes : 1;
    for (size_t x = 0; x < an->nphases; x++) {
        rpt_phase *p = &an->phases[x];
        if (isnan(p->live_end))
            continue;
        p->meas_module = p->end[RPT_SEARCH];
        p->meas_used = p->end[RPT_USED];
        if (an->have_search && p->live_end == 0 && !isnan(p->meas_module) &&
            p->meas_module < IDLE_MODULE_MAX * k)
            continue; /* no index yet */
        /* no index at the end of the phase (dropped, or not yet created):
         * the model of an index does not apply, whatever the live count */
        if (tl->n && indexes_at(run, tl->t_ms[p->last < tl->n ? p->last : tl->n - 1]) == 0)
            continue;
        mdl_params mp = an->model;
        mp.live = (uint64_t)llround(p->live_end / k);
        mp.deleted = isnan(p->deleted_end) ? 0 : (uint64_t)llround(p->deleted_end / k);
        mp.peak_live = (uint64_t)llround(p->live_peak_so_far / k);
        vm_err e = {0};
        mdl_prediction one;
        if (mdl_predict(&mp, &one, &e) < 0)
            continue;
        p->pred = one;
        for (int c = 0; c < one.n; c++)
            p->pred.c[c].bytes = one.c[c].bytes * k;
        p->pred.module_bytes = one.module_bytes * k;
        p->pred.keyspace_bytes = one.keyspace_bytes * k;
        p->pred.capacity = one.capacity * (uint64_t)k;
        p->have_model = true;
        if (an->have_search) {
            p->pred_module = p->pred.module_bytes + an->module_idle;
            if (base_ok)
                p->pred_used = used0 - (isnan(search0) ? 0 : search0) + p->pred_module +
                               p->pred.keyspace_bytes;
        } else if (base_ok) {
            p->pred_used = used0 + p->pred.keyspace_bytes;
        }
    }
}

static void setup_model(const rpt_run *run, const mdl_params *params, bool given, rpt_analysis *an)
{
    an->model = params ? *params : run->model;
    for (size_t i = 0; i < run->data.nnodes; i++)
        if (rpt_node_series(&run->data.nodes[i], "search_used_memory_bytes")) {
            an->have_search = true;
            an->model_nodes++;
        }
    if (!an->model_nodes)
        an->model_nodes = 1;
    double peak = 0;
    bool have_live = false;
    for (size_t i = 0; i < an->tl.n; i++)
        if (!isnan(an->tl.live[i])) {
            have_live = true;
            if (an->tl.live[i] > peak)
                peak = an->tl.live[i];
        }
    if (!have_live) {
        snprintf(an->model_note, sizeof(an->model_note),
                 "no live vector count in the CSV (live_vectors or FT.INFO num_docs): the model "
                 "has nothing to predict from");
        return;
    }
    if (an->model.dim == 0) {
        snprintf(an->model_note, sizeof(an->model_note),
                 "the vector dimension is unknown (summary.json names no index or dataset): "
                 "give --dim D (and --algorithm, --m) to compare with the model");
        return;
    }
    if (!params || !given) { /* key length from the prefix and the ids */
        an->model.key_bytes = (uint32_t)llround(strlen(run->key_prefix) + avg_digits(peak));
    }
    an->model_ok = true;
    strbuf sb = STRBUF_INIT;
    sb_addf(&sb, "valkey-search %s layout (%s), %s, %u x FLOAT32",
            mdl_release_name(an->model.release),
            run->model_release_source[0] ? run->model_release_source : "no module version known",
            mdl_algo_name(an->model.algo), an->model.dim);
    if (an->model.algo == MDL_HNSW)
        sb_addf(&sb, ", M %u", an->model.m);
    sb_addf(&sb, ", INITIAL_CAP %llu, block %llu, keys of %u bytes",
            (unsigned long long)an->model.initial_cap, (unsigned long long)an->model.block_size,
            an->model.key_bytes);
    if (an->model_nodes > 1)
        sb_addf(&sb, ", vectors spread evenly over %d shards", an->model_nodes);
    if (given)
        sb_addstr(&sb, " (parameters from the command line)");
    else if (run->have_index)
        sb_addf(&sb, " (parameters from %s)", run->model_source);
    else
        sb_addf(&sb, " (assumed: valkey-search defaults%s%s; give --algorithm / --m to change)",
                run->model_source[0] ? ", dimension from " : "", run->model_source);
    if (!an->have_search)
        sb_addstr(&sb, ". No search_used_memory_bytes in the samples (no search module, or INFO "
                       "SEARCH not sampled): only the keyspace part is compared with used_memory");
    snprintf(an->model_note, sizeof(an->model_note), "%s", sb.buf);
    sb_release(&sb);
}

/* ---- findings ---- */

static void find_overview(const rpt_run *run, rpt_analysis *an)
{
    const rpt_timeline *tl = &an->tl;
    if (!tl->n)
        return;
    double live_end = tl->live[tl->n - 1], peak_live = 0;
    for (size_t i = 0; i < tl->n; i++)
        if (tl->live[i] > peak_live)
            peak_live = tl->live[i];
    const rpt_phase *last = &an->phases[an->nphases - 1];
    double peak_used = NAN;
    for (size_t x = 0; x < an->nphases; x++)
        if (!isnan(an->phases[x].peak[RPT_USED]) &&
            (isnan(peak_used) || an->phases[x].peak[RPT_USED] > peak_used))
            peak_used = an->phases[x].peak[RPT_USED];
    if (tl->have[RPT_USED])
        finding(an, "Over %.1f %s, used_memory went from %s to %s (peak %s)%s%s%s.",
                (double)(tl->t_ms[tl->n - 1] - tl->t_ms[0]) / an->t_div, an->t_unit,
                B(tl->m[RPT_USED][0]), B(last->end[RPT_USED]), B(peak_used),
                isnan(live_end) ? "" : "; ", isnan(live_end) ? "" : N(live_end),
                isnan(live_end) ? "" : " vectors were live at the end");
    (void)peak_live;
    if (!run->have_summary)
        finding(an, "This run has no summary.json: it is still going, or it ended early "
                    "(crash or kill). Everything here comes from the samples written so far.");
}

static void find_phases(rpt_analysis *an)
{
    for (size_t x = 0; x < an->nphases; x++) {
        const rpt_phase *p = &an->phases[x];
        /* the change over a phase: from the end of the previous one */
        const rpt_phase *prev = x ? &an->phases[x - 1] : NULL;
        double l0 = prev ? prev->live_end : p->live_start, l1 = p->live_end;
        if (isnan(l0) || isnan(l1))
            continue;
        double dl = l1 - l0;
        if (fabs(dl) < fmax(1, 0.01 * fmax(l0, l1)))
            continue;
        double u0 = prev ? prev->end[RPT_USED] : p->start[RPT_USED], u1 = p->end[RPT_USED];
        double s0 = prev ? prev->end[RPT_SEARCH] : p->start[RPT_SEARCH], s1 = p->end[RPT_SEARCH];
        double r0 = prev ? prev->end[RPT_RSS] : p->start[RPT_RSS], r1 = p->end[RPT_RSS];
        strbuf sb = STRBUF_INIT;
        if (dl > 0) {
            sb_addf(&sb, "%s: %s vectors added (%s -> %s)", p->name, N(dl), N(l0), N(l1));
            if (!isnan(u0) && !isnan(u1))
                sb_addf(&sb, "; used_memory %s%s (%.0f B per vector)", u1 >= u0 ? "+" : "",
                        B(u1 - u0), (u1 - u0) / dl);
            if (!isnan(s0) && !isnan(s1))
                sb_addf(&sb, "; search module %s%s (%.0f B per vector)", s1 >= s0 ? "+" : "",
                        B(s1 - s0), (s1 - s0) / dl);
        } else {
            sb_addf(&sb, "%s: after deleting %.0f %% of the vectors (%s -> %s)", p->name,
                    -dl / l0 * 100, N(l0), N(l1));
            if (!isnan(s0) && !isnan(s1))
                sb_addf(&sb, ", search memory %s %.1f %% (%s)", s1 <= s0 ? "fell" : "rose",
                        fabs(pct(s0, s1)), B(s1 - s0));
            if (!isnan(u0) && !isnan(u1))
                sb_addf(&sb, "%sused_memory %s %.1f %% (%s, %.0f B per deleted vector)",
                        isnan(s0) ? ", " : " and ", u1 <= u0 ? "fell" : "rose", fabs(pct(u0, u1)),
                        B(u1 - u0), (u0 - u1) / -dl);
            if (!isnan(r0) && !isnan(r1))
                sb_addf(&sb, "; RSS %s %.1f %%", r1 <= r0 ? "fell" : "rose", fabs(pct(r0, r1)));
        }
        finding(an, "%s.", sb.buf);
        sb_release(&sb);
    }
}

/* Memory after a shrink against the same live count on the way up. */
static void find_hysteresis(rpt_analysis *an)
{
    const rpt_timeline *tl = &an->tl;
    size_t n = 0;
    double *ul = malloc((tl->n ? tl->n : 1) * sizeof(double));
    double *uu = malloc((tl->n ? tl->n : 1) * sizeof(double));
    double *us = malloc((tl->n ? tl->n : 1) * sizeof(double));
    double high = -1, last_reported = -1;
    int reported = 0;
    for (size_t x = 0; x < an->nphases; x++) {
        const rpt_phase *p = &an->phases[x];
        for (size_t t = p->first; t <= p->last; t++) {
            double l = tl->live[t];
            if (isnan(l) || l < high)
                continue;
            if (n && ul[n - 1] == l)
                n--; /* the latest value at a plateau */
            ul[n] = l;
            uu[n] = tl->m[RPT_USED][t];
            us[n] = tl->m[RPT_SEARCH][t];
            n++;
            high = l;
        }
        double l = p->live_end;
        if (isnan(l) || n < 2 || l >= high * 0.99 || reported >= 4)
            continue;
        /* one finding per level reached: a settle phase repeats its shrink */
        bool last_phase = x + 1 == an->nphases;
        if (last_reported >= 0 && fabs(l - last_reported) <= 0.01 * high && !last_phase)
            continue;
        size_t k = 1;
        while (k < n - 1 && ul[k] < l)
            k++;
        double f = ul[k] > ul[k - 1] ? (l - ul[k - 1]) / (ul[k] - ul[k - 1]) : 0;
        double up_used = uu[k - 1] + f * (uu[k] - uu[k - 1]);
        double up_search = us[k - 1] + f * (us[k] - us[k - 1]);
        strbuf sb = STRBUF_INIT;
        if (!isnan(up_used) && !isnan(p->end[RPT_USED]))
            sb_addf(&sb, "used_memory is %s %s (%+.0f %%)", B(fabs(p->end[RPT_USED] - up_used)),
                    p->end[RPT_USED] >= up_used ? "above" : "below",
                    pct(up_used, p->end[RPT_USED]));
        if (!isnan(up_search) && !isnan(p->end[RPT_SEARCH]))
            sb_addf(&sb, "%ssearch module memory %s %s (%+.0f %%)", sb.len ? ", " : "",
                    B(fabs(p->end[RPT_SEARCH] - up_search)),
                    p->end[RPT_SEARCH] >= up_search ? "above" : "below",
                    pct(up_search, p->end[RPT_SEARCH]));
        if (sb.len) {
            finding(an,
                    "Hysteresis: at the end of %s, with %s live vectors, %s what it was at the "
                    "same count on the way up%s.",
                    p->name, N(l), sb.buf,
                    p->end[RPT_USED] > up_used * 1.05 ? " - memory the server did not give back"
                                                      : "");
            reported++;
            last_reported = l;
        }
        sb_release(&sb);
    }
    free(ul);
    free(uu);
    free(us);
}

static void find_model(rpt_analysis *an)
{
    const rpt_phase *best = NULL;
    for (size_t x = 0; x < an->nphases; x++) {
        const rpt_phase *p = &an->phases[x];
        if (p->have_model && !isnan(p->pred_module) && !isnan(p->meas_module) && p->live_end > 0)
            best = p;
    }
    if (best) {
        double un = best->meas_module - best->pred_module;
        finding(an,
                "Model: at the end of %s the valkey-search model predicts %s of module memory; "
                "%s was measured, so %.1f %% is explained and %s (%+.0f B per live vector) is "
                "not.",
                best->name, B(best->pred_module), B(best->meas_module),
                best->pred_module / best->meas_module * 100, B(un), un / best->live_end);
        double vec = mdl_component_bytes(&best->pred, "vectors") +
                     mdl_component_bytes(&best->pred, "vector handles");
        finding(an,
                "Of the predicted module memory, the vectors themselves are %.0f %%; graph, "
                "maps and strings are the rest (%.0f B per vector in all).",
                vec / best->pred.module_bytes * 100, best->pred.module_bytes / best->live_end);
        return;
    }
    for (size_t x = an->nphases; x-- > 0;) {
        const rpt_phase *p = &an->phases[x];
        if (p->have_model && !isnan(p->pred_used) && !isnan(p->meas_used) && p->live_end > 0) {
            finding(an,
                    "Model: at the end of %s the keyspace estimate puts used_memory at %s; %s "
                    "was measured (%+.1f %%).",
                    p->name, B(p->pred_used), B(p->meas_used), pct(p->pred_used, p->meas_used));
            return;
        }
    }
}

static void find_balance(const rpt_run *run, rpt_analysis *an)
{
    const rpt_data *d = &run->data;
    if (d->nnodes < 2 || !an->tl.n)
        return;
    int64_t t = an->tl.t_ms[an->tl.n - 1];
    double total = 0, vmax = -1, vmin = -1;
    const char *nmax = NULL, *nmin = NULL;
    int counted = 0;
    for (size_t k = 0; k < d->nnodes; k++) {
        const rpt_series *s = rpt_node_series(&d->nodes[k], "used_memory");
        double v = s && s->n ? s->v[s->n - 1] : NAN;
        if (isnan(v))
            continue;
        (void)t;
        total += v;
        counted++;
        if (vmax < 0 || v > vmax) {
            vmax = v;
            nmax = d->nodes[k].name;
        }
        if (vmin < 0 || v < vmin) {
            vmin = v;
            nmin = d->nodes[k].name;
        }
    }
    if (counted < 2 || total <= 0)
        return;
    finding(an,
            "Balance over %d nodes at the end: %s holds the most used_memory (%.1f %%), %s the "
            "least (%.1f %%); an even share is %.1f %%.",
            counted, nmax, vmax / total * 100, nmin, vmin / total * 100, 100.0 / counted);
}

/* What the tool itself spent per phase of summary.json (a phase too short
 * for a sample still counts): a client that costs a fair share of what the
 * server does may be what limits the run. */
static void find_client_cpu(const rpt_run *run, rpt_analysis *an)
{
    for (size_t x = 0; x < run->nphases; x++) {
        const char *cpu = rpt_phase_value(run, (int)x, "client_cpu_seconds"),
                   *ops = rpt_phase_value(run, (int)x, "operations");
        if (run->phases[x].window || !cpu || !ops || !strcmp(cpu, "null"))
            continue;
        double c = strtod(cpu, NULL), n = strtod(ops, NULL);
        if (n > 0)
            finding(an, "%s: the client used %.3g s of CPU for %s operations (%.3g s per million).",
                    run->phases[x].name, c, ops, c * 1e6 / n);
    }
}

static void find_quality(const rpt_run *run, rpt_analysis *an)
{
    const rpt_data *d = &run->data;
    /* per phase, from summary.json */
    for (size_t x = 0; x < an->nphases; x++) {
        const rpt_phase *p = &an->phases[x];
        const char *mean = rpt_phase_value(run, p->info, "recall.mean");
        if (!mean)
            continue;
        const char *k = rpt_phase_value(run, p->info, "recall.k"),
                   *mn = rpt_phase_value(run, p->info, "recall.min");
        const char *q = rpt_phase_value(run, p->info, "recall.queries");
        const char *rule = rpt_phase_value(run, p->info, "recall.rule");
        const char *ops = rpt_phase_value(run, p->info, "ops_per_second");
        finding(an, "%s: recall@%s mean %s%s%s over %s queries%s%s%s%s%s.", p->name, k ? k : "k",
                mean, mn ? ", min " : "", mn ? mn : "", q ? q : "?", ops ? ", " : "",
                ops ? ops : "", ops ? " queries per second" : "", rule ? "; ties: " : "",
                rule ? rule : "");
    }
    for (int c = 0; c < 2; c++) {
        const char *cat = c ? "qps" : "recall";
        double lo = NAN, hi = NAN, sum = 0;
        size_t n = 0;
        const char *name = NULL;
        for (size_t k = 0; k < d->nnodes; k++) {
            const rpt_series *s[8];
            size_t m = rpt_node_category(&d->nodes[k], cat, s, 8);
            for (size_t j = 0; j < m && j < 1; j++) {
                name = s[j]->metric;
                for (size_t i = 0; i < s[j]->n; i++) {
                    double v = s[j]->v[i];
                    lo = isnan(lo) || v < lo ? v : lo;
                    hi = isnan(hi) || v > hi ? v : hi;
                    sum += v;
                    n++;
                }
            }
        }
        if (n)
            finding(an, "%s (%s): from %.4g to %.4g, mean %.4g over %zu samples.",
                    c ? "Throughput" : "Recall", name, lo, hi, sum / (double)n, n);
    }
}

int rpt_analyze(const rpt_run *run, const mdl_params *params, bool given, rpt_analysis *an,
                vm_err *err)
{
    memset(an, 0, sizeof(*an));
    int *label_of = NULL;
    build_timeline(&run->data, &an->tl, &label_of);
    if (!an->tl.n) {
        free(label_of);
        return vm_err_set(err, VM_EINPUT, "%s: no samples to report on", run->dir);
    }
    double span_s = (double)(run->data.t1_ms - run->data.t0_ms) / 1000.0;
    if (span_s < 180) {
        an->t_div = 1000;
        an->t_unit = "s";
    } else if (span_s < 3 * 3600) {
        an->t_div = 60000;
        an->t_unit = "min";
    } else {
        an->t_div = 3600000;
        an->t_unit = "h";
    }
    build_phases(run, an, label_of);
    free(label_of);
    setup_model(run, params, given, an);
    if (an->model_ok)
        predict_phases(run, an);
    find_overview(run, an);
    find_phases(an);
    find_hysteresis(an);
    find_model(an);
    find_balance(run, an);
    find_quality(run, an);
    find_client_cpu(run, an);
    return 0;
}

void rpt_analysis_free(rpt_analysis *an)
{
    free(an->tl.t_ms);
    free(an->tl.phase);
    free(an->tl.live);
    free(an->tl.deleted);
    for (int m = 0; m < RPT_NMETRICS; m++)
        free(an->tl.m[m]);
    free(an->phases);
    sv_clear(&an->findings);
    memset(an, 0, sizeof(*an));
}
