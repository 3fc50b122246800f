/* rpt_plot: see rpt_plot.h.  Each plot is one rpt_gp picture: this file
 * chooses the data and the style, rpt_gp writes and renders it. */
#include "rpt_plot.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rpt_fmt.h"
#include "rpt_gp.h"

/* Phase band fills (pastel) and the matching line colours. */
static const char *band_colors[] = {"#dbe9f6", "#fde2c8", "#d9f0d3", "#f6d5e5",
                                    "#e5dcf2", "#fff3c4", "#d6f0ef", "#eadfd6"};
#define line_colors rpt_gp_colors

typedef struct plotter {
    rpt_gp g; /* the plot being written */
    const rpt_run *run;
    const rpt_analysis *an;
} plotter;

/* ---- small helpers ---- */

static double t_rel(const plotter *p, int64_t t)
{
    return (double)(t - p->run->data.t0_ms) / p->an->t_div;
}

static void write_series(plotter *p, const rpt_series *s, double scale)
{
    double *x = malloc(s->n * sizeof(double)), *y = malloc(s->n * sizeof(double));
    for (size_t i = 0; i < s->n; i++) {
        x[i] = t_rel(p, s->t_ms[i]);
        y[i] = s->v[i] / scale;
    }
    rpt_gp_xy(p->g.dat, x, y, s->n);
    free(x);
    free(y);
}

/* Phase bands and their names behind a time plot. */
static void phase_bands(plotter *p)
{
    const rpt_analysis *an = p->an;
    if (an->nphases < 1 || (an->nphases == 1 && !an->phases[0].label))
        return;
    double span = t_rel(p, p->run->data.t1_ms);
    for (size_t i = 0; i < an->nphases && i < 200; i++) {
        const rpt_phase *ph = &an->phases[i];
        double x0 = t_rel(p, an->tl.t_ms[ph->first]);
        double x1 = i + 1 < an->nphases ? t_rel(p, an->tl.t_ms[an->phases[i + 1].first])
                                        : t_rel(p, an->tl.t_ms[ph->last]);
        if (x1 <= x0)
            x1 = x0 + span * 0.002 + 1e-9;
        sb_addf(&p->g.gp,
                "set object %zu rect from %.9g, graph 0 to %.9g, graph 1 behind fillcolor rgb "
                "'%s' fillstyle solid 1.0 noborder\n",
                i + 1, x0, x1, band_colors[i % 8]);
        if (an->nphases <= 16 || (x1 - x0) > span / 30) {
            sb_addf(&p->g.gp, "set label %zu ", i + 1);
            rpt_gp_quote(&p->g.gp, ph->name);
            sb_addf(&p->g.gp,
                    " at %.9g, graph 0.97 left front font ',8' textcolor rgb '#444444' "
                    "offset 0.3,0 rotate by 0\n",
                    x0);
        }
    }
}

static void time_axis(plotter *p)
{
    sb_addf(&p->g.gp, "set xlabel 'time since the first sample (%s)'\n", p->an->t_unit);
    sb_addf(&p->g.gp, "set xrange [0:%.9g]\n", fmax(t_rel(p, p->run->data.t1_ms), 1e-3));
}

/* ---- the plots ---- */

static double node_max(const rpt_data *d, const char *metric)
{
    double m = 0;
    for (size_t k = 0; k < d->nnodes; k++) {
        const rpt_series *s = rpt_node_series(&d->nodes[k], metric);
        for (size_t i = 0; s && i < s->n; i++)
            m = fmax(m, s->v[i]);
    }
    return m;
}

static void plot_memory_time(plotter *p)
{
    const rpt_data *d = &p->run->data;
    static const char *metrics[] = {"used_memory", "search_used_memory_bytes", "used_memory_rss"};
    static const char *labels[] = {"used_memory", "search module", "RSS"};
    static const int dash[] = {1, 2, 3};
    const char *unit;
    double scale =
        rpt_gp_bytes_unit(fmax(node_max(d, "used_memory"), node_max(d, "used_memory_rss")), &unit);
    for (size_t k = 0; k < d->nnodes; k++) {
        for (int m = 0; m < 3; m++) {
            const rpt_series *s = rpt_node_series(&d->nodes[k], metrics[m]);
            if (!s)
                continue;
            char what[256], style[160];
            snprintf(what, sizeof(what), "%s %s (%s)", d->nodes[k].name, labels[m], unit);
            int b = rpt_gp_block(&p->g, what);
            write_series(p, s, scale);
            const char *col = d->nnodes > 1 ? line_colors[k % 10] : line_colors[m];
            snprintf(style, sizeof(style), "with lines lw %s dt %d lc rgb '%s'",
                     m == 0 ? "2" : "1.5", dash[m], col);
            if (d->nnodes > 1)
                snprintf(what, sizeof(what), "%s %s", d->nodes[k].name, labels[m]);
            else
                snprintf(what, sizeof(what), "%s", labels[m]);
            rpt_gp_curve(&p->g, b, "1:2", style, what);
        }
    }
    if (!p->g.curves) {
        rpt_gp_note(p->g.pl, "no used_memory, search_used_memory_bytes or used_memory_rss samples");
        return;
    }
    phase_bands(p);
    time_axis(p);
    sb_addf(&p->g.gp, "set ylabel 'memory (%s)'\nset yrange [0:*]\n", unit);
}

static void plot_memory_live(plotter *p)
{
    const rpt_analysis *an = p->an;
    const rpt_timeline *tl = &an->tl;
    size_t have = 0;
    double max_live = 0, max_mem = 0;
    for (size_t i = 0; i < tl->n; i++)
        if (!isnan(tl->live[i]) && !isnan(tl->m[RPT_USED][i])) {
            have++;
            max_live = fmax(max_live, tl->live[i]);
            max_mem = fmax(max_mem, tl->m[RPT_USED][i]);
        }
    if (have < 2 || max_live <= 0) {
        rpt_gp_note(p->g.pl,
                    "needs a live vector count and used_memory in the samples, with vectors "
                    "loaded");
        return;
    }
    const char *unit;
    double scale = rpt_gp_bytes_unit(max_mem, &unit);
    for (size_t x = 0; x < an->nphases; x++) {
        const rpt_phase *ph = &an->phases[x];
        /* start at the previous phase's last point so the path is unbroken */
        size_t from = x ? an->phases[x - 1].last : ph->first;
        for (int m = 0; m < 2; m++) {
            int metric = m ? RPT_SEARCH : RPT_USED;
            if (!tl->have[metric])
                continue;
            size_t cnt = 0;
            for (size_t i = from; i <= ph->last; i++)
                cnt += !isnan(tl->live[i]) && !isnan(tl->m[metric][i]);
            if (cnt < 1)
                continue;
            char what[200], style[160];
            snprintf(what, sizeof(what), "%s %s: live vectors, %s", ph->name,
                     rpt_metric_label(metric), unit);
            int b = rpt_gp_block(&p->g, what);
            double *xs = malloc((ph->last - from + 1) * sizeof(double));
            double *ys = malloc((ph->last - from + 1) * sizeof(double));
            for (size_t i = from; i <= ph->last; i++) {
                xs[i - from] = tl->live[i];
                ys[i - from] = tl->m[metric][i] / scale;
            }
            /* keep the path's order: no thinning by value here */
            for (size_t i = 0; i < ph->last - from + 1; i++)
                if (!isnan(xs[i]) && !isnan(ys[i]))
                    fprintf(p->g.dat, "%.9g %.9g\n", xs[i], ys[i]);
            free(xs);
            free(ys);
            snprintf(style, sizeof(style), "with linespoints lw %s dt %d pt 7 ps 0.4 lc rgb '%s'",
                     m ? "1.5" : "2", m ? 2 : 1, line_colors[x % 10]);
            /* one key entry per phase: the dashed twin is the search module */
            snprintf(what, sizeof(what), "%s", m ? "" : ph->name);
            rpt_gp_curve(&p->g, b, "1:2", style, what);
        }
    }
    if (an->model_ok && an->have_search) {
        int b = rpt_gp_block(&p->g, "model: predicted search module memory for a growing index");
        double peak = 0;
        for (int i = 0; i <= 60; i++) {
            double l = max_live * i / 60.0;
            peak = l;
            double v = rpt_predict_module(an, l, 0, peak);
            if (!isnan(v))
                fprintf(p->g.dat, "%.9g %.9g\n", l, v / scale);
        }
        rpt_gp_curve(&p->g, b, "1:2", "with lines lw 1.5 dt 4 lc rgb '#000000'",
                     "model: search module (no deletes)");
    }
    sb_addf(&p->g.gp,
            "set xlabel 'live vectors'\nset ylabel 'memory (%s)'\nset xrange [0:*]\n"
            "set yrange [0:*]\nset format x '%%.0s%%c'\n",
            unit);
}

static void plot_bytes_per_vector(plotter *p)
{
    const rpt_analysis *an = p->an;
    const rpt_timeline *tl = &an->tl;
    double max_live = 0;
    for (size_t i = 0; i < tl->n; i++)
        if (!isnan(tl->live[i]))
            max_live = fmax(max_live, tl->live[i]);
    if (max_live <= 0) {
        rpt_gp_note(p->g.pl, "needs a live vector count with vectors loaded");
        return;
    }
    double min_live = fmax(1, max_live * 0.01);
    static const int metrics[] = {RPT_USED, RPT_SEARCH, RPT_ACTIVE, RPT_RESIDENT, RPT_RSS};
    double *x = malloc(tl->n * sizeof(double)), *y = malloc(tl->n * sizeof(double));
    for (int mi = 0; mi < 5; mi++) {
        int m = metrics[mi];
        if (!tl->have[m] || isnan(tl->m[m][0]))
            continue;
        size_t n = 0;
        for (size_t i = 0; i < tl->n; i++) {
            if (isnan(tl->live[i]) || tl->live[i] < min_live || isnan(tl->m[m][i]))
                continue;
            x[n] = t_rel(p, tl->t_ms[i]);
            y[n++] = (tl->m[m][i] - tl->m[m][0]) / tl->live[i];
        }
        if (n < 1)
            continue;
        char what[160], style[120];
        snprintf(what, sizeof(what), "(%s - its first sample) / live vectors", rpt_metric_name(m));
        int b = rpt_gp_block(&p->g, what);
        rpt_gp_xy(p->g.dat, x, y, n);
        snprintf(style, sizeof(style), "with lines lw %s lc rgb '%s'", mi < 2 ? "2" : "1.5",
                 line_colors[mi]);
        rpt_gp_curve(&p->g, b, "1:2", style, rpt_metric_label(m));
    }
    if (an->model_ok && an->have_search && p->g.curves) {
        /* on the measured curve's basis: growth since the first sample */
        double search0 = isnan(tl->m[RPT_SEARCH][0]) ? an->module_idle : tl->m[RPT_SEARCH][0];
        int b = rpt_gp_block(&p->g, "model: predicted module bytes per live vector");
        size_t step = tl->n > 300 ? tl->n / 300 : 1;
        double peak = 0;
        for (size_t i = 0; i < tl->n; i++) {
            if (!isnan(tl->live[i]))
                peak = fmax(peak, tl->live[i]);
            if (i % step || isnan(tl->live[i]) || tl->live[i] < min_live)
                continue;
            double v = rpt_predict_module(an, tl->live[i], tl->deleted[i], peak);
            if (!isnan(v))
                fprintf(p->g.dat, "%.9g %.9g\n", t_rel(p, tl->t_ms[i]),
                        (v - search0) / tl->live[i]);
        }
        rpt_gp_curve(&p->g, b, "1:2", "with lines lw 1.5 dt 4 lc rgb '#000000'",
                     "model: search module");
    }
    free(x);
    free(y);
    if (!p->g.curves) {
        rpt_gp_note(p->g.pl, "no memory samples with vectors loaded");
        return;
    }
    phase_bands(p);
    time_axis(p);
    sb_addstr(&p->g.gp, "set ylabel 'bytes per live vector (growth since the first sample)'\n"
                        "set yrange [0:*]\n");
}

static void plot_fragmentation(plotter *p)
{
    const rpt_data *d = &p->run->data;
    static const char *metrics[] = {"mem_fragmentation_ratio", "allocator_frag_ratio",
                                    "allocator_rss_ratio", "rss_overhead_ratio"};
    double lo = INFINITY, hi = 0;
    for (size_t k = 0; k < d->nnodes; k++)
        for (int m = 0; m < 4; m++) {
            const rpt_series *s = rpt_node_series(&d->nodes[k], metrics[m]);
            if (!s)
                continue;
            char what[200], style[120];
            snprintf(what, sizeof(what), "%s %s", d->nodes[k].name, metrics[m]);
            int b = rpt_gp_block(&p->g, what);
            write_series(p, s, 1);
            for (size_t i = 0; i < s->n; i++)
                if (s->v[i] > 0) {
                    lo = fmin(lo, s->v[i]);
                    hi = fmax(hi, s->v[i]);
                }
            snprintf(style, sizeof(style), "with lines lw 1.5 dt %d lc rgb '%s'", (int)(k % 4) + 1,
                     line_colors[m]);
            rpt_gp_curve(&p->g, b, "1:2", style, d->nnodes > 1 ? what : metrics[m]);
        }
    if (!p->g.curves) {
        rpt_gp_note(p->g.pl, "no fragmentation ratios in the samples");
        return;
    }
    phase_bands(p);
    time_axis(p);
    sb_addstr(&p->g.gp, "set ylabel 'ratio (1.0 = no overhead)'\n");
    if (hi / lo > 8)
        sb_addstr(&p->g.gp, "set logscale y\n");
}

/* Recall and operations per second per phase, from summary.json, drawn
 * as a level across each phase.  Returns true when the right axis is used. */
static bool summary_recall_qps(plotter *p)
{
    const rpt_analysis *an = p->an;
    static const char *keys[] = {"recall.mean", "recall.min", "ops_per_second"};
    static const char *titles[] = {"recall (mean, summary.json)", "recall (min, summary.json)",
                                   "operations per second (summary.json)"};
    bool y2 = false, any_recall = false;
    for (int k = 0; k < 3; k++) {
        int b = -1;
        for (size_t x = 0; x < an->nphases; x++) {
            const rpt_phase *ph = &an->phases[x];
            const char *v = rpt_phase_value(p->run, ph->info, keys[k]);
            if (!v)
                continue;
            if (k == 2 && !any_recall)
                continue; /* throughput alone (a load) is not what this plot is for */
            if (b < 0)
                b = rpt_gp_block(&p->g, titles[k]);
            double x0 = t_rel(p, an->tl.t_ms[ph->first]), x1 = t_rel(p, an->tl.t_ms[ph->last]);
            fprintf(p->g.dat, "%.9g %s\n%.9g %s\n\n", x0, v, x1, v);
        }
        if (b < 0)
            continue;
        any_recall = any_recall || k < 2;
        char style[120];
        snprintf(style, sizeof(style), "with linespoints lw 2 pt 7 ps 0.6 dt %d lc rgb '%s'",
                 k == 1 ? 2 : 1, line_colors[k == 2 ? 3 : 0]);
        rpt_gp_curve(&p->g, b, k == 2 ? "1:2 axes x1y2" : "1:2", style, titles[k]);
        y2 = y2 || k == 2;
    }
    return y2;
}

static void plot_recall_qps(plotter *p)
{
    const rpt_data *d = &p->run->data;
    bool y2 = false;
    for (int c = 0; c < 2; c++)
        for (size_t k = 0; k < d->nnodes; k++) {
            const rpt_series *s[8];
            size_t n = rpt_node_category(&d->nodes[k], c ? "qps" : "recall", s, 8);
            for (size_t j = 0; j < n; j++) {
                char what[200], style[120];
                snprintf(what, sizeof(what), "%s %s", d->nodes[k].name, s[j]->metric);
                int b = rpt_gp_block(&p->g, what);
                write_series(p, s[j], 1);
                snprintf(style, sizeof(style), "with linespoints lw 1.5 pt 7 ps 0.4 lc rgb '%s'",
                         line_colors[(c * 3 + j) % 10]);
                rpt_gp_curve(&p->g, b, c ? "1:2 axes x1y2" : "1:2", style, what);
                y2 = y2 || c;
            }
        }
    if (!p->g.curves)
        y2 = summary_recall_qps(p);
    if (!p->g.curves) {
        rpt_gp_note(p->g.pl, "no recall or throughput in the samples or summary.json (no query "
                             "workload ran)");
        return;
    }
    phase_bands(p);
    time_axis(p);
    sb_addstr(&p->g.gp, "set ylabel 'recall'\nset yrange [0:1.05]\n");
    if (y2)
        sb_addstr(&p->g.gp, "set y2label 'queries per second'\nset y2tics\nset y2range [0:*]\n");
}

static double latency_scale_ms(const char *name)
{
    if (strstr(name, "_us") || strstr(name, "usec"))
        return 1e-3;
    if (strstr(name, "_ns"))
        return 1e-6;
    if (strstr(name, "_seconds") || (strlen(name) > 2 && !strcmp(name + strlen(name) - 2, "_s")))
        return 1e3;
    return 1;
}

static void plot_latency(plotter *p)
{
    const rpt_data *d = &p->run->data;
    int c = 0;
    for (size_t k = 0; k < d->nnodes; k++) {
        const rpt_series *s[12];
        size_t n = rpt_node_category(&d->nodes[k], "latency", s, 12);
        for (size_t j = 0; j < n; j++) {
            char what[200], style[120];
            snprintf(what, sizeof(what), "%s %s", d->nodes[k].name, s[j]->metric);
            int b = rpt_gp_block(&p->g, what);
            write_series(p, s[j], 1 / latency_scale_ms(s[j]->metric));
            snprintf(style, sizeof(style), "with lines lw 1.5 lc rgb '%s'", line_colors[c++ % 10]);
            rpt_gp_curve(&p->g, b, "1:2", style, what);
        }
    }
    if (!p->g.curves) {
        rpt_gp_note(p->g.pl, "no latency percentiles in the samples (no query workload ran)");
        return;
    }
    phase_bands(p);
    time_axis(p);
    sb_addstr(&p->g.gp, "set ylabel 'latency (ms)'\nset logscale y\n");
}

static void plot_balance(plotter *p)
{
    const rpt_data *d = &p->run->data;
    if (d->nnodes < 2) {
        rpt_gp_note(p->g.pl, "one node: nothing to balance");
        return;
    }
    static const char *metrics[] = {"used_memory", "search_used_memory_bytes", "used_memory_rss"};
    static const char *labels[] = {"used_memory", "search module", "RSS"};
    bool have[3] = {0};
    double max = 0;
    for (size_t k = 0; k < d->nnodes; k++)
        for (int m = 0; m < 3; m++) {
            const rpt_series *s = rpt_node_series(&d->nodes[k], metrics[m]);
            if (s) {
                have[m] = true;
                max = fmax(max, s->v[s->n - 1]);
            }
        }
    if (!have[0]) {
        rpt_gp_note(p->g.pl, "no used_memory samples per node");
        return;
    }
    const char *unit;
    double scale = rpt_gp_bytes_unit(max, &unit);
    int b = rpt_gp_block(&p->g, "node, then the last sample of used_memory, search module, RSS");
    for (size_t k = 0; k < d->nnodes; k++) {
        strbuf q = STRBUF_INIT;
        rpt_gp_quote(&q, d->nodes[k].name);
        fprintf(p->g.dat, "%s", q.buf);
        sb_release(&q);
        for (int m = 0; m < 3; m++) {
            const rpt_series *s = rpt_node_series(&d->nodes[k], metrics[m]);
            fprintf(p->g.dat, " %.9g", s ? s->v[s->n - 1] / scale : NAN);
        }
        fprintf(p->g.dat, "\n");
    }
    for (int m = 0; m < 3; m++) {
        if (!have[m])
            continue;
        char using_[32], style[80];
        snprintf(using_, sizeof(using_), m ? "%d" : "%d:xtic(1)", m + 2);
        snprintf(style, sizeof(style), "lc rgb '%s'", line_colors[m]);
        rpt_gp_curve(&p->g, b, using_, style, labels[m]);
    }
    sb_addf(&p->g.gp,
            "set style data histograms\nset style histogram clustered gap 1\n"
            "set style fill solid 0.85 border -1\nset boxwidth 0.9\n"
            "set ylabel 'memory at the last sample (%s)'\nset yrange [0:*]\n"
            "set xtics rotate by -20\n",
            unit);
}

/* Groups of model components for the stacked bars. */
static const struct {
    const char *group;
    const char *names[6];
} groups[] = {
    {"vectors", {"vectors", "vector handles"}},
    {"graph / slots",
     {"HNSW level 0", "HNSW upper levels", "HNSW per-slot arrays", "HNSW label lookup",
      "HNSW tracked vectors", "FLAT slot array"}},
    {"FLAT maps", {"FLAT label map", "FLAT tracked vectors"}},
    {"key maps and strings",
     {"key -> id map", "id -> key map", "interned keys", "string intern table"}},
    {"tag / numeric", {"tag index", "numeric index"}},
    {"index fixed", {"index fixed"}},
};
enum { NGROUPS = sizeof(groups) / sizeof(groups[0]) };

/* The measurement and prediction of a phase the model plot compares
 * (module memory with the search module, else used_memory); false when it
 * lacks either. */
static bool model_pair(const rpt_phase *ph, bool module, double *meas, double *pred)
{
    *meas = module ? ph->meas_module : ph->meas_used;
    *pred = module ? ph->pred_module : ph->pred_used;
    return ph->have_model && !isnan(*meas) && !isnan(*pred);
}

/* One row of the model plot's data: x, the phase's name, the cumulative
 * predicted parts, the measurement (all divided by scale). */
static void model_row(plotter *p, size_t i, const rpt_phase *ph, bool module, double base,
                      double scale, double meas, strbuf *xtics)
{
    fprintf(p->g.dat, "%zu ", i);
    strbuf q = STRBUF_INIT;
    rpt_gp_quote(&q, ph->name);
    fprintf(p->g.dat, "%s", q.buf);
    sb_addf(xtics, "%s%s %zu", i ? ", " : "", q.buf, i);
    sb_release(&q);
    double cum = 0;
    if (module) {
        for (int g = 0; g < NGROUPS; g++) {
            for (int j = 0; j < 6 && groups[g].names[j]; j++)
                cum += mdl_component_bytes(&ph->pred, groups[g].names[j]);
            fprintf(p->g.dat, " %.9g", cum / scale);
        }
        cum += p->an->module_idle;
        fprintf(p->g.dat, " %.9g", cum / scale);
    } else {
        cum = base;
        fprintf(p->g.dat, " %.9g", cum / scale);
        cum += ph->pred.keyspace_bytes;
        fprintf(p->g.dat, " %.9g", cum / scale);
    }
    fprintf(p->g.dat, " %.9g\n", meas / scale);
}

static void plot_model(plotter *p)
{
    const rpt_analysis *an = p->an;
    if (!an->model_ok) {
        rpt_gp_note(p->g.pl, "%s", an->model_note[0] ? an->model_note : "no model");
        return;
    }
    bool module = an->have_search;
    size_t used = 0;
    double max = 0, meas, pred;
    for (size_t x = 0; x < an->nphases; x++)
        if (model_pair(&an->phases[x], module, &meas, &pred)) {
            used++;
            max = fmax(max, fmax(meas, pred));
        }
    if (!used) {
        rpt_gp_note(p->g.pl, "no phase end with both a prediction and a measurement");
        return;
    }
    const char *unit;
    double scale = rpt_gp_bytes_unit(max, &unit);
    int b =
        rpt_gp_block(&p->g, module ? "x, phase, cumulative predicted module groups, measured"
                                   : "x, phase, cumulative predicted used_memory parts, measured");
    int ncols = module ? NGROUPS + 1 : 2; /* + idle | baseline, keyspace */
    strbuf xt = STRBUF_INIT;
    size_t i = 0;
    double base =
        an->tl.m[RPT_USED][0] - (isnan(an->tl.m[RPT_SEARCH][0]) ? 0 : an->tl.m[RPT_SEARCH][0]);
    for (size_t x = 0; x < an->nphases; x++)
        if (model_pair(&an->phases[x], module, &meas, &pred))
            model_row(p, i++, &an->phases[x], module, base, scale, meas, &xt);
    /* tallest (cumulative) first, each lower part drawn over it */
    for (int c = ncols - 1; c >= 0; c--) {
        char using_[48], style[96];
        const char *title;
        if (module)
            title = c == NGROUPS ? "module idle" : groups[c].group;
        else
            title = c ? "keyspace (estimate)" : "server before the run";
        snprintf(using_, sizeof(using_), "($1-0.2):%d", c + 3);
        snprintf(style, sizeof(style), "with boxes fs solid 0.85 lc rgb '%s'",
                 line_colors[(c + 2) % 10]);
        rpt_gp_curve(&p->g, b, using_, style, title);
    }
    char using_[48];
    snprintf(using_, sizeof(using_), "($1+0.2):%d", ncols + 3);
    rpt_gp_curve(&p->g, b, using_,
                 "with boxes fs pattern 4 border lc rgb '#222222' lc rgb '#222222'",
                 module ? "measured search_used_memory_bytes" : "measured used_memory");
    sb_addf(&p->g.gp,
            "set boxwidth 0.38\nset xtics (%s)\nset xrange [-0.6:%zu.6]\n"
            "set ylabel '%s (%s)'\nset yrange [0:*]\nset xtics rotate by -20\n",
            xt.buf, i - 1, module ? "search module memory" : "used_memory", unit);
    sb_release(&xt);
}

int rpt_plots_render(const rpt_run *run, const rpt_analysis *an, const char *dir,
                     const char *gnuplot, rpt_plots *out, vm_err *err)
{
    memset(out, 0, sizeof(*out));
    if (mkdir(dir, 0755) < 0 && errno != EEXIST)
        return vm_err_set(err, VM_EIO, "cannot create %s: %s", dir, strerror(errno));
    plotter p = {{dir, NULL, NULL, STRBUF_INIT, STRBUF_INIT, 0, 0}, run, an};
    static const struct {
        const char *name, *title, *caption;
        void (*fn)(plotter *);
    } all[] = {
        {"memory_time", "Memory over time",
         "used_memory (solid), the search module's memory (dashed) and RSS (dotted) of each node; "
         "the coloured bands are the run's phases.",
         plot_memory_time},
        {"memory_vs_live", "Memory against live vectors",
         "Each phase is a path through (live vectors, memory): used_memory solid, the search "
         "module dashed, one colour per phase. Growing and shrinking along different paths is "
         "hysteresis: the gap at the same live count is memory not given back. The black "
         "dash-dot line is the model's search-module memory for a growing index.",
         plot_memory_live},
        {"bytes_per_vector", "Bytes per live vector",
         "Growth of each memory figure since the first sample, divided by the live vectors "
         "(shown once at least 1 % of the peak is loaded). After deletes, memory not returned "
         "shows as a rise.",
         plot_bytes_per_vector},
        {"fragmentation", "Fragmentation",
         "mem_fragmentation_ratio (RSS / used_memory), the allocator's active / allocated and "
         "resident / active ratios per node. Near 1.0 is tight; small memory makes ratios large.",
         plot_fragmentation},
        {"recall_qps", "Recall and throughput",
         "Recall (left axis) and queries per second (right axis) of the query workload.",
         plot_recall_qps},
        {"latency", "Latency percentiles", "Query latency percentiles, in milliseconds, log scale.",
         plot_latency},
        {"node_balance", "Per-node balance",
         "Memory of each cluster node at the last sample: an even spread means the slots, and the "
         "vectors, are balanced.",
         plot_balance},
        {"model_vs_measured", "Model against measurement at each phase end",
         "Left bar: the memory model's prediction, stacked by component; right bar (hatched): what "
         "was measured. The difference is what the model does not explain.",
         plot_model},
    };
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        if (rpt_gp_begin(&p.g, out, all[i].name, all[i].title, all[i].caption) < 0)
            continue;
        all[i].fn(&p);
        rpt_gp_finish(&p.g, gnuplot ? gnuplot : "gnuplot", out);
    }
    sb_release(&p.g.gp);
    sb_release(&p.g.cmd);
    return 0;
}
