/* rpt_compare: two runs side by side; see rpt_compare.h. */
#include "rpt_compare.h"

#include <libgen.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rpt_doc.h"
#include "rpt_fmt.h"
#include "rpt_gp.h"

/* a value of the run's summary; a JSON null is no value */
static const char *kv(const rpt_kvlist *l, const char *key)
{
    const char *v = rpt_kv_get(l, key);
    return v && strcmp(v, "null") ? v : NULL;
}

static void side_label(rpt_side *s)
{
    const char *mod = kv(&s->run.env, "server.search_module");
    const char *sw = kv(&s->run.env, "server.software");
    const char *ver = kv(&s->run.env, "server.version");
    char dir[512];
    snprintf(dir, sizeof(dir), "%s", s->run.dir);
    if (mod && sw && ver)
        snprintf(s->label, sizeof(s->label), "valkey-search %s on %s %s", mod, sw, ver);
    else if (sw && ver)
        snprintf(s->label, sizeof(s->label), "%s %s (%s)", sw, ver, basename(dir));
    else
        snprintf(s->label, sizeof(s->label), "%s", basename(dir));
}

/* Module memory at the start and end of the first phase that ends with
 * fewer live vectors than it began with, and at its peak before. */
static void side_deletes(rpt_side *s)
{
    s->module_before = s->module_after = s->module_peak = s->used_peak = NAN;
    const rpt_timeline *tl = &s->an.tl;
    for (size_t t = 0; t < tl->n; t++) {
        double m = tl->m[RPT_SEARCH][t], u = tl->m[RPT_USED][t];
        if (!isnan(m) && (isnan(s->module_peak) || m > s->module_peak))
            s->module_peak = m;
        if (!isnan(u) && (isnan(s->used_peak) || u > s->used_peak))
            s->used_peak = u;
    }
    s->reclaimable_after = NAN;
    for (size_t x = 0; x < s->an.nphases; x++) {
        const rpt_phase *p = &s->an.phases[x];
        if (!(p->live_end < p->live_start) || isnan(p->start[RPT_SEARCH]))
            continue;
        s->module_before = p->start[RPT_SEARCH];
        s->module_after = p->end[RPT_SEARCH];
        int64_t t = tl->t_ms[p->last];
        for (size_t i = 0; i < s->run.data.nnodes; i++) {
            const rpt_series *r =
                rpt_node_series(&s->run.data.nodes[i], "search_index_reclaimable_memory");
            double v = r ? rpt_series_at(r, t) : NAN;
            if (!isnan(v))
                s->reclaimable_after = (isnan(s->reclaimable_after) ? 0 : s->reclaimable_after) + v;
        }
        break;
    }
}

static int side_load(rpt_side *s, const char *dir, vm_err *err)
{
    if (rpt_run_load(&s->run, dir, err) < 0) {
        rpt_run_free(&s->run); /* what it read before it failed */
        return -1;
    }
    if (rpt_analyze(&s->run, NULL, false, &s->an, err) < 0) {
        rpt_run_free(&s->run);
        return -1;
    }
    rpt_headline_compute(&s->run, &s->an, &s->head);
    side_label(s);
    side_deletes(s);
    return 0;
}

static void finding(rpt_compare *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void finding(rpt_compare *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sv_pushvf(&c->findings, fmt, ap);
    va_end(ap);
}

static char *bytes_str(double v, char *buf, size_t n)
{
    strbuf sb = STRBUF_INIT;
    rpt_fmt_bytes(&sb, v);
    snprintf(buf, n, "%s", sb.buf);
    sb_release(&sb);
    return buf;
}

/* the share of what the deleted vectors took that came back, or NAN */
static double returned_share(const rpt_side *s)
{
    const rpt_headline *h = &s->head;
    if (isnan(h->not_returned) || isnan(h->deleted_took) || h->deleted_took <= 0)
        return NAN;
    return 1 - h->not_returned / h->deleted_took;
}

static void find_scenario(rpt_compare *c)
{
    const char *a = kv(&c->side[0].run.scenario, "scenario");
    const char *b = kv(&c->side[1].run.scenario, "scenario");
    if (a && b && strcmp(a, b))
        finding(c,
                "The runs are of different scenarios (%s, %s): the figures below compare "
                "different work.",
                a, b);
}

static void find_per_vector(rpt_compare *c)
{
    const rpt_side *a = &c->side[0], *b = &c->side[1];
    double x = a->head.bytes_per_vector, y = b->head.bytes_per_vector;
    if (isnan(x) || isnan(y) || x <= 0)
        return;
    double d = (y - x) / x * 100;
    finding(c,
            "A live vector costs %.0f B of used_memory on %s and %.0f B on %s: %s %s %.1f %% %s.",
            x, a->label, y, b->label, b->label, fabs(d) < 0.5 ? "is within" : "needs", fabs(d),
            fabs(d) < 0.5 ? "of it"
            : d < 0       ? "less"
                          : "more");
}

static void find_returned(rpt_compare *c)
{
    const rpt_side *a = &c->side[0], *b = &c->side[1];
    double ra = returned_share(a), rb = returned_share(b);
    char k1[32], k2[32];
    if (isnan(ra) && isnan(rb)) {
        finding(c, "Neither run deleted vectors, so neither says how much memory deletes return.");
        return;
    }
    if (isnan(ra) || isnan(rb)) {
        const rpt_side *s = isnan(ra) ? b : a;
        finding(c, "Only %s deleted vectors: it returned %.0f %% of what they took.", s->label,
                (isnan(ra) ? rb : ra) * 100);
        return;
    }
    const rpt_side *more = ra >= rb ? a : b;
    strbuf verdict = STRBUF_INIT;
    if (fabs(ra - rb) < 0.005)
        sb_addstr(&verdict, "both return about the same memory after deletes");
    else
        sb_addf(&verdict, "%s returns more memory after deletes (%+.1f points)", more->label,
                fabs(ra - rb) * 100);
    finding(c,
            "After deletes, %s returned %.0f %% of what the deleted vectors took (kept %s) and %s "
            "%.0f %% (kept %s): %s.",
            a->label, ra * 100, bytes_str(a->head.not_returned, k1, sizeof(k1)), b->label, rb * 100,
            bytes_str(b->head.not_returned, k2, sizeof(k2)), verdict.buf);
    sb_release(&verdict);
}

static void find_module(rpt_compare *c)
{
    for (int i = 0; i < 2; i++) {
        const rpt_side *s = &c->side[i];
        char b1[32], b2[32], b3[32];
        if (isnan(s->module_before) || isnan(s->module_after))
            continue;
        strbuf ch = STRBUF_INIT;
        rpt_fmt_change(&ch, s->module_before, s->module_after);
        strbuf extra = STRBUF_INIT;
        if (!isnan(s->reclaimable_after))
            sb_addf(&extra,
                    ", and it then reported %s as reclaimable "
                    "(search_index_reclaimable_memory)",
                    bytes_str(s->reclaimable_after, b3, sizeof(b3)));
        finding(c,
                "On %s, the first delete lowered the search module's memory only from %s to %s "
                "(%s)%s.",
                s->label, bytes_str(s->module_before, b1, sizeof(b1)),
                bytes_str(s->module_after, b2, sizeof(b2)), ch.len ? ch.buf : "",
                extra.len ? extra.buf : "");
        sb_release(&ch);
        sb_release(&extra);
    }
}

static void find_recall(rpt_compare *c)
{
    double x = c->side[0].head.recall, y = c->side[1].head.recall;
    if (isnan(x) || isnan(y))
        return;
    if (fabs(x - y) < 1e-4)
        finding(c, "Recall is the same on both: %.4g.", x);
    else
        finding(c, "Recall: %.4g on %s, %.4g on %s.", x, c->side[0].label, y, c->side[1].label);
}

int rpt_compare_load(rpt_compare *c, const char *dir_a, const char *dir_b, vm_err *err)
{
    memset(c, 0, sizeof(*c));
    if (side_load(&c->side[0], dir_a, err) < 0)
        return -1;
    if (side_load(&c->side[1], dir_b, err) < 0) {
        rpt_analysis_free(&c->side[0].an);
        rpt_run_free(&c->side[0].run);
        return -1;
    }
    if (!strcmp(c->side[0].label, c->side[1].label)) { /* tell them apart */
        size_t n = strlen(c->side[0].label);
        snprintf(c->side[0].label + n, sizeof(c->side[0].label) - n, " (A)");
        snprintf(c->side[1].label + n, sizeof(c->side[1].label) - n, " (B)");
    }
    find_scenario(c);
    find_per_vector(c);
    find_returned(c);
    find_module(c);
    find_recall(c);
    return 0;
}

void rpt_compare_free(rpt_compare *c)
{
    for (int i = 0; i < 2; i++) {
        rpt_analysis_free(&c->side[i].an);
        rpt_run_free(&c->side[i].run);
    }
    sv_clear(&c->findings);
    memset(c, 0, sizeof(*c));
}

/* ---- the plots ---- */

/* One side's metric m over time (seconds since its first sample) or
 * against its live vectors, in the axis unit, as a data block and curve. */
static void side_curve(rpt_gp *g, const rpt_side *s, int m, bool vs_live, double unit,
                       const char *color, const char *dash)
{
    const rpt_timeline *tl = &s->an.tl;
    if (!tl->have[m] || !tl->n)
        return;
    double *x = malloc(tl->n * sizeof(double)), *y = malloc(tl->n * sizeof(double));
    for (size_t t = 0; t < tl->n; t++) {
        x[t] = vs_live ? tl->live[t] : (double)(tl->t_ms[t] - tl->t_ms[0]) / 1000.0;
        y[t] = tl->m[m][t] / unit;
    }
    char what[256];
    snprintf(what, sizeof(what), "%s: %s", s->label, rpt_metric_label(m));
    int blk = rpt_gp_block(g, what);
    rpt_gp_xy(g->dat, x, y, tl->n);
    char style[96];
    snprintf(style, sizeof(style), "with lines lw 2 dt %s lc rgb '%s'", dash, color);
    rpt_gp_curve(g, blk, "1:2", style, what);
    free(x);
    free(y);
}

static double both_max(const rpt_compare *c, int m)
{
    double mx = 0;
    for (int i = 0; i < 2; i++)
        for (size_t t = 0; t < c->side[i].an.tl.n; t++)
            if (c->side[i].an.tl.m[m][t] > mx)
                mx = c->side[i].an.tl.m[m][t];
    return mx;
}

static void plot_overlay(const rpt_compare *c, rpt_plots *out, const char *dir, const char *gnuplot,
                         bool vs_live)
{
    rpt_gp g = {dir, NULL, NULL, STRBUF_INIT, STRBUF_INIT, 0, 0};
    const char *name = vs_live ? "compare_memory_live" : "compare_memory_time";
    const char *title =
        vs_live ? "Memory against live vectors, both runs" : "Memory over time, both runs";
    const char *caption =
        vs_live ? "used_memory (solid) and the search module's memory (dashed) against the live "
                  "vectors: the wider a run's loop between growing and shrinking, the less memory "
                  "its deletes returned."
                : "used_memory (solid) and the search module's memory (dashed) of each run, from "
                  "its first sample.";
    if (rpt_gp_begin(&g, out, name, title, caption) == 0) {
        const char *unit_name;
        double unit = rpt_gp_bytes_unit(both_max(c, RPT_USED), &unit_name);
        sb_addf(&g.gp, "set ylabel 'memory (%s)'\nset xlabel ", unit_name);
        rpt_gp_quote(&g.gp, vs_live ? "live vectors" : "seconds since each run's first sample");
        sb_addch(&g.gp, '\n');
        for (int i = 0; i < 2; i++) {
            side_curve(&g, &c->side[i], RPT_USED, vs_live, unit, rpt_gp_colors[i ? 1 : 0], "1");
            side_curve(&g, &c->side[i], RPT_SEARCH, vs_live, unit, rpt_gp_colors[i ? 1 : 0], "2");
        }
        rpt_gp_finish(&g, gnuplot, out);
    }
    sb_release(&g.gp);
    sb_release(&g.cmd);
}

/* ---- the page ---- */

static void row_bytes(rpt_tbl *t, const char *name, double a, double b)
{
    rpt_tbl_cell(t, "%s", name);
    rpt_tbl_bytes(t, a);
    rpt_tbl_bytes(t, b);
}

static void row_text(rpt_tbl *t, const char *name, const char *a, const char *b)
{
    rpt_tbl_cell(t, "%s", name);
    rpt_tbl_cell(t, "%s", a ? a : "-");
    rpt_tbl_cell(t, "%s", b ? b : "-");
}

static void share_cell(rpt_tbl *t, double v)
{
    if (isnan(v))
        rpt_tbl_cell(t, "-");
    else
        rpt_tbl_cell(t, "%.1f %%", v * 100);
}

static void row_share(rpt_tbl *t, const char *name, double a, double b)
{
    rpt_tbl_cell(t, "%s", name);
    share_cell(t, a);
    share_cell(t, b);
}

static void section_table(rpt_doc *d, const rpt_compare *c)
{
    const rpt_side *a = &c->side[0], *b = &c->side[1];
    const char *head[3] = {"", a->label, b->label};
    rpt_tbl t;
    rpt_tbl_init(&t, 3, head);
    row_text(&t, "run folder", a->run.dir, b->run.dir);
    row_text(&t, "scenario", kv(&a->run.scenario, "scenario"), kv(&b->run.scenario, "scenario"));
    row_text(&t, "search module", kv(&a->run.env, "server.search_module"),
             kv(&b->run.env, "server.search_module"));
    row_bytes(&t, "bytes per live vector (used_memory)", a->head.bytes_per_vector,
              b->head.bytes_per_vector);
    row_bytes(&t, "used_memory, peak", a->used_peak, b->used_peak);
    row_bytes(&t, "search module, peak", a->module_peak, b->module_peak);
    row_bytes(&t, "what deleted vectors took", a->head.deleted_took, b->head.deleted_took);
    row_bytes(&t, "of it not returned", a->head.not_returned, b->head.not_returned);
    row_share(&t, "returned after deletes", returned_share(a), returned_share(b));
    row_bytes(&t, "search module before the first delete", a->module_before, b->module_before);
    row_bytes(&t, "search module after it", a->module_after, b->module_after);
    row_bytes(&t, "reclaimable memory after it", a->reclaimable_after, b->reclaimable_after);
    rpt_tbl_cell(&t, "recall (lowest query step)");
    for (int i = 0; i < 2; i++)
        if (isnan(c->side[i].head.recall))
            rpt_tbl_cell(&t, "-");
        else
            rpt_tbl_cell(&t, "%.4g", c->side[i].head.recall);
    rpt_tbl_emit(d, &t);
}

static const char *const compare_nav[][2] = {
    {"findings", "What changed"}, {"figures", "Side by side"}, {"plots", "Plots"}};

static void section_plots(rpt_doc *d, const rpt_compare *c, const char *out_dir,
                          const char *gnuplot)
{
    rpt_doc_h2(d, "plots", "Plots");
    if (!gnuplot) {
        rpt_doc_para(d, "note", "No plots (--no-plots).");
        return;
    }
    rpt_plots plots;
    memset(&plots, 0, sizeof(plots));
    strbuf dir = STRBUF_INIT;
    sb_addf(&dir, "%s/plots", out_dir);
    plot_overlay(c, &plots, dir.buf, gnuplot, false);
    plot_overlay(c, &plots, dir.buf, gnuplot, true);
    sb_release(&dir);
    for (int i = 0; i < plots.n; i++)
        if (plots.p[i].made)
            rpt_doc_figure(d, out_dir, plots.p[i].name, plots.p[i].title, plots.p[i].caption);
        else
            rpt_doc_para(d, "skipped", "%s: skipped - %s", plots.p[i].title, plots.p[i].note);
}

int rpt_compare_write(const rpt_compare *c, const char *out_dir, const char *gnuplot,
                      const char *generator, vm_err *err)
{
    strbuf title = STRBUF_INIT, sub = STRBUF_INIT;
    sb_addf(&title, "Memory report: %s against %s", c->side[0].label, c->side[1].label);
    sb_addf(&sub, "A: %s · B: %s", c->side[0].run.dir, c->side[1].run.dir);
    rpt_doc d;
    rpt_doc_begin(&d, title.buf, sub.buf, compare_nav,
                  sizeof(compare_nav) / sizeof(compare_nav[0]));
    sb_release(&title);
    sb_release(&sub);
    rpt_doc_h2(&d, "findings", "What changed");
    if (c->findings.n)
        rpt_doc_list(&d, c->findings.v, c->findings.n);
    else
        rpt_doc_para(&d, "note", "Nothing to compare yet: too few samples.");
    rpt_doc_h2(&d, "figures", "Side by side");
    section_table(&d, c);
    section_plots(&d, c, out_dir, gnuplot);
    return rpt_doc_write(&d, out_dir, "compare.html", "compare.md", generator, err);
}
