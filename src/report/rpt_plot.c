/* rpt_plot: see rpt_plot.h.  gnuplot is run with posix_spawn in the plots
 * folder (so scripts name their files relatively and never need quoting of
 * a user's path); its output goes to NAME.log, kept only when it failed. */
#include "rpt_plot.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rpt_fmt.h"

extern char **environ;

enum { MAX_POINTS = 4000 }; /* per curve; longer curves keep min and max per bucket */

/* Phase band fills (pastel) and the matching line colours. */
static const char *band_colors[] = {"#dbe9f6", "#fde2c8", "#d9f0d3", "#f6d5e5",
                                    "#e5dcf2", "#fff3c4", "#d6f0ef", "#eadfd6"};
static const char *line_colors[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e",
                                    "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"};

typedef struct plotter {
    const rpt_run *run;
    const rpt_analysis *an;
    const char *dir;
    rpt_plot *pl;
    FILE *dat;
    strbuf gp;  /* settings */
    strbuf cmd; /* the plot command */
    int blocks; /* data blocks written (gnuplot "index") */
    int curves;
} plotter;

/* ---- small helpers ---- */

static void gp_quote(strbuf *sb, const char *s)
{
    sb_addch(sb, '"');
    for (; s && *s; s++) {
        if (*s == '"' || *s == '\\')
            sb_addch(sb, '\\');
        if ((unsigned char)*s >= 0x20)
            sb_addch(sb, *s);
    }
    sb_addch(sb, '"');
}

static double t_rel(const plotter *p, int64_t t)
{
    return (double)(t - p->run->data.t0_ms) / p->an->t_div;
}

/* Bytes unit for an axis whose largest value is max. */
static double bytes_unit(double max, const char **name)
{
    if (max >= 16.0 * 1024 * 1024 * 1024) {
        *name = "GiB";
        return 1024.0 * 1024 * 1024;
    }
    if (max >= 4.0 * 1024 * 1024) {
        *name = "MiB";
        return 1024.0 * 1024;
    }
    *name = "KiB";
    return 1024.0;
}

static void set_note(rpt_plot *pl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void set_note(rpt_plot *pl, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pl->note, sizeof(pl->note), fmt, ap);
    va_end(ap);
}

static int begin(plotter *p, rpt_plots *out, const char *name, const char *title,
                 const char *caption)
{
    p->pl = &out->p[out->n++];
    memset(p->pl, 0, sizeof(*p->pl));
    snprintf(p->pl->name, sizeof(p->pl->name), "%s", name);
    snprintf(p->pl->title, sizeof(p->pl->title), "%s", title);
    snprintf(p->pl->caption, sizeof(p->pl->caption), "%s", caption);
    sb_reset(&p->gp);
    sb_reset(&p->cmd);
    p->blocks = p->curves = 0;
    strbuf path = STRBUF_INIT;
    sb_addf(&path, "%s/%s.dat", p->dir, name);
    p->dat = fopen(path.buf, "w");
    sb_release(&path);
    if (!p->dat) {
        set_note(p->pl, "cannot write %s.dat: %s", name, strerror(errno));
        return -1;
    }
    fprintf(p->dat, "# %s - data for %s.gp (gnuplot); blocks are selected with 'index'\n", title,
            name);
    return 0;
}

/* Start a data block; returns its index. */
static int block(plotter *p, const char *what)
{
    if (p->blocks)
        fprintf(p->dat, "\n\n");
    fprintf(p->dat, "# [%d] %s\n", p->blocks, what);
    return p->blocks++;
}

/* Add one curve to the plot command. */
static void curve(plotter *p, int blk, const char *using_, const char *style, const char *title)
{
    sb_addf(&p->cmd, "%s'%s.dat' index %d using %s %s title ", p->curves ? ", \\\n     " : "plot ",
            p->pl->name, blk, using_, style);
    gp_quote(&p->cmd, title);
    p->curves++;
}

/* Write (x, y) pairs, thinned to at most MAX_POINTS by keeping each
 * bucket's lowest and highest point (peaks survive). */
static void write_xy(FILE *f, const double *x, const double *y, size_t n)
{
    size_t b = n > MAX_POINTS ? (n + MAX_POINTS / 2 - 1) / (MAX_POINTS / 2) : 1;
    for (size_t i = 0; i < n; i += b) {
        size_t end = i + b < n ? i + b : n, lo = SIZE_MAX, hi = SIZE_MAX;
        for (size_t j = i; j < end; j++) {
            if (isnan(y[j]) || isnan(x[j]))
                continue;
            if (lo == SIZE_MAX || y[j] < y[lo])
                lo = j;
            if (hi == SIZE_MAX || y[j] > y[hi])
                hi = j;
        }
        if (lo == SIZE_MAX)
            continue;
        size_t a = lo < hi ? lo : hi, c = lo < hi ? hi : lo;
        fprintf(f, "%.9g %.9g\n", x[a], y[a]);
        if (c != a)
            fprintf(f, "%.9g %.9g\n", x[c], y[c]);
    }
}

static void write_series(plotter *p, const rpt_series *s, double scale)
{
    double *x = malloc(s->n * sizeof(double)), *y = malloc(s->n * sizeof(double));
    for (size_t i = 0; i < s->n; i++) {
        x[i] = t_rel(p, s->t_ms[i]);
        y[i] = s->v[i] / scale;
    }
    write_xy(p->dat, x, y, s->n);
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
        sb_addf(&p->gp,
                "set object %zu rect from %.9g, graph 0 to %.9g, graph 1 behind fillcolor rgb "
                "'%s' fillstyle solid 1.0 noborder\n",
                i + 1, x0, x1, band_colors[i % 8]);
        if (an->nphases <= 16 || (x1 - x0) > span / 30) {
            sb_addf(&p->gp, "set label %zu ", i + 1);
            gp_quote(&p->gp, ph->name);
            sb_addf(&p->gp,
                    " at %.9g, graph 0.97 left front font ',8' textcolor rgb '#444444' "
                    "offset 0.3,0 rotate by 0\n",
                    x0);
        }
    }
}

static void time_axis(plotter *p)
{
    sb_addf(&p->gp, "set xlabel 'time since the first sample (%s)'\n", p->an->t_unit);
    sb_addf(&p->gp, "set xrange [0:%.9g]\n", fmax(t_rel(p, p->run->data.t1_ms), 1e-3));
}

/* The gnuplot script: the common settings, the plot's own, its plot
 * command, then the same again as SVG. */
static void script_text(const plotter *p, strbuf *s)
{
    sb_addf(s, "# %s - written by valkey-memstress report; run: gnuplot %s.gp\n", p->pl->title,
            p->pl->name);
    sb_addstr(s, "set encoding utf8\nset termoption noenhanced\n");
    sb_addf(s,
            "set terminal pngcairo size 1100,520 noenhanced font 'DejaVu Sans,10' "
            "background rgb 'white'\nset output '%s.png'\n",
            p->pl->name);
    sb_addstr(s, "set grid lc rgb '#dddddd'\nset border lc rgb '#555555'\n"
                 "set key below horizontal maxrows 4 font ',9'\nset datafile missing 'NaN'\n");
    sb_addstr(s, "set title ");
    gp_quote(s, p->pl->title);
    sb_addstr(s, " font ',12'\n");
    sb_add(s, p->gp.buf, p->gp.len);
    sb_add(s, p->cmd.buf, p->cmd.len);
    sb_addf(s,
            "\nset terminal svg size 1100,520 dynamic noenhanced font 'DejaVu Sans,10' "
            "background rgb 'white'\nset output '%s.svg'\nreplot\nunset output\n",
            p->pl->name);
}

/* Write NAME.gp into the plots folder; false (with the plot's note) when
 * it cannot be written. */
static bool write_script(plotter *p)
{
    strbuf s = STRBUF_INIT, path = STRBUF_INIT;
    script_text(p, &s);
    sb_addf(&path, "%s/%s.gp", p->dir, p->pl->name);
    FILE *f = fopen(path.buf, "w");
    bool ok = f && fwrite(s.buf, 1, s.len, f) == s.len;
    if (!ok)
        set_note(p->pl, "cannot write %s.gp: %s", p->pl->name, strerror(errno));
    if (f)
        fclose(f);
    sb_release(&s);
    sb_release(&path);
    return ok;
}

/* Start `gnuplot NAME.gp` in the plots folder, its output into NAME.log:
 * 0 with *pid, or posix_spawn's error. */
static int spawn_gnuplot(const plotter *p, const char *gnuplot, pid_t *pid)
{
    char script[64], log[64];
    snprintf(script, sizeof(script), "%s.gp", p->pl->name);
    snprintf(log, sizeof(log), "%s.log", p->pl->name);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addchdir_np(&fa, p->dir);
    posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    char *argv[] = {(char *)gnuplot, script, NULL};
    int rc = strchr(gnuplot, '/') ? posix_spawn(pid, gnuplot, &fa, NULL, argv, environ)
                                  : posix_spawnp(pid, gnuplot, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    return rc;
}

/* Whether gnuplot, having exited 0, wrote both images (not empty). */
static bool images_made(const plotter *p)
{
    struct stat st1, st2;
    strbuf png = STRBUF_INIT, svg = STRBUF_INIT;
    sb_addf(&png, "%s/%s.png", p->dir, p->pl->name);
    sb_addf(&svg, "%s/%s.svg", p->dir, p->pl->name);
    bool made =
        stat(png.buf, &st1) == 0 && st1.st_size > 0 && stat(svg.buf, &st2) == 0 && st2.st_size > 0;
    sb_release(&png);
    sb_release(&svg);
    return made;
}

/* Run gnuplot on NAME.gp and tell what came of it; NAME.log is kept only
 * when it failed. */
static void run_gnuplot(plotter *p, const char *gnuplot, rpt_plots *out)
{
    strbuf log = STRBUF_INIT;
    sb_addf(&log, "%s/%s.log", p->dir, p->pl->name);
    pid_t pid;
    int rc = spawn_gnuplot(p, gnuplot, &pid);
    if (rc != 0) {
        if (rc == ENOENT)
            out->gnuplot_missing = true;
        set_note(p->pl, "cannot run %s: %s%s", gnuplot, strerror(rc),
                 rc == ENOENT ? " (install gnuplot-nox)" : "");
        unlink(log.buf);
        sb_release(&log);
        return;
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    /* a child that cannot exec exits 127 */
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
        out->gnuplot_missing = true;
        set_note(p->pl, "cannot run %s (install gnuplot-nox)", gnuplot);
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        set_note(p->pl, "gnuplot failed on %s.gp (see %s.log)", p->pl->name, p->pl->name);
    } else if (images_made(p)) {
        p->pl->made = true;
        out->made++;
        unlink(log.buf);
    } else {
        set_note(p->pl, "gnuplot wrote no image for %s.gp", p->pl->name);
    }
    sb_release(&log);
}

/* Write the script and run gnuplot. */
static void finish(plotter *p, const char *gnuplot, rpt_plots *out)
{
    fclose(p->dat);
    p->dat = NULL;
    if (!p->curves) {
        if (!p->pl->note[0])
            set_note(p->pl, "no data");
        strbuf path = STRBUF_INIT;
        sb_addf(&path, "%s/%s.dat", p->dir, p->pl->name);
        unlink(path.buf);
        sb_release(&path);
        return;
    }
    if (!write_script(p))
        return;
    if (out->gnuplot_missing) {
        set_note(p->pl, "gnuplot not found (install gnuplot-nox); %s.gp is ready to run",
                 p->pl->name);
        return;
    }
    run_gnuplot(p, gnuplot, out);
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
        bytes_unit(fmax(node_max(d, "used_memory"), node_max(d, "used_memory_rss")), &unit);
    for (size_t k = 0; k < d->nnodes; k++) {
        for (int m = 0; m < 3; m++) {
            const rpt_series *s = rpt_node_series(&d->nodes[k], metrics[m]);
            if (!s)
                continue;
            char what[256], style[160];
            snprintf(what, sizeof(what), "%s %s (%s)", d->nodes[k].name, labels[m], unit);
            int b = block(p, what);
            write_series(p, s, scale);
            const char *col = d->nnodes > 1 ? line_colors[k % 10] : line_colors[m];
            snprintf(style, sizeof(style), "with lines lw %s dt %d lc rgb '%s'",
                     m == 0 ? "2" : "1.5", dash[m], col);
            if (d->nnodes > 1)
                snprintf(what, sizeof(what), "%s %s", d->nodes[k].name, labels[m]);
            else
                snprintf(what, sizeof(what), "%s", labels[m]);
            curve(p, b, "1:2", style, what);
        }
    }
    if (!p->curves) {
        set_note(p->pl, "no used_memory, search_used_memory_bytes or used_memory_rss samples");
        return;
    }
    phase_bands(p);
    time_axis(p);
    sb_addf(&p->gp, "set ylabel 'memory (%s)'\nset yrange [0:*]\n", unit);
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
        set_note(p->pl, "needs a live vector count and used_memory in the samples, with vectors "
                        "loaded");
        return;
    }
    const char *unit;
    double scale = bytes_unit(max_mem, &unit);
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
            int b = block(p, what);
            double *xs = malloc((ph->last - from + 1) * sizeof(double));
            double *ys = malloc((ph->last - from + 1) * sizeof(double));
            for (size_t i = from; i <= ph->last; i++) {
                xs[i - from] = tl->live[i];
                ys[i - from] = tl->m[metric][i] / scale;
            }
            /* keep the path's order: no thinning by value here */
            for (size_t i = 0; i < ph->last - from + 1; i++)
                if (!isnan(xs[i]) && !isnan(ys[i]))
                    fprintf(p->dat, "%.9g %.9g\n", xs[i], ys[i]);
            free(xs);
            free(ys);
            snprintf(style, sizeof(style), "with linespoints lw %s dt %d pt 7 ps 0.4 lc rgb '%s'",
                     m ? "1.5" : "2", m ? 2 : 1, line_colors[x % 10]);
            /* one key entry per phase: the dashed twin is the search module */
            snprintf(what, sizeof(what), "%s", m ? "" : ph->name);
            curve(p, b, "1:2", style, what);
        }
    }
    if (an->model_ok && an->have_search) {
        int b = block(p, "model: predicted search module memory for a growing index");
        double peak = 0;
        for (int i = 0; i <= 60; i++) {
            double l = max_live * i / 60.0;
            peak = l;
            double v = rpt_predict_module(an, l, 0, peak);
            if (!isnan(v))
                fprintf(p->dat, "%.9g %.9g\n", l, v / scale);
        }
        curve(p, b, "1:2", "with lines lw 1.5 dt 4 lc rgb '#000000'",
              "model: search module (no deletes)");
    }
    sb_addf(&p->gp,
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
        set_note(p->pl, "needs a live vector count with vectors loaded");
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
        int b = block(p, what);
        write_xy(p->dat, x, y, n);
        snprintf(style, sizeof(style), "with lines lw %s lc rgb '%s'", mi < 2 ? "2" : "1.5",
                 line_colors[mi]);
        curve(p, b, "1:2", style, rpt_metric_label(m));
    }
    if (an->model_ok && an->have_search && p->curves) {
        /* on the measured curve's basis: growth since the first sample */
        double search0 = isnan(tl->m[RPT_SEARCH][0]) ? an->module_idle : tl->m[RPT_SEARCH][0];
        int b = block(p, "model: predicted module bytes per live vector");
        size_t step = tl->n > 300 ? tl->n / 300 : 1;
        double peak = 0;
        for (size_t i = 0; i < tl->n; i++) {
            if (!isnan(tl->live[i]))
                peak = fmax(peak, tl->live[i]);
            if (i % step || isnan(tl->live[i]) || tl->live[i] < min_live)
                continue;
            double v = rpt_predict_module(an, tl->live[i], tl->deleted[i], peak);
            if (!isnan(v))
                fprintf(p->dat, "%.9g %.9g\n", t_rel(p, tl->t_ms[i]), (v - search0) / tl->live[i]);
        }
        curve(p, b, "1:2", "with lines lw 1.5 dt 4 lc rgb '#000000'", "model: search module");
    }
    free(x);
    free(y);
    if (!p->curves) {
        set_note(p->pl, "no memory samples with vectors loaded");
        return;
    }
    phase_bands(p);
    time_axis(p);
    sb_addstr(&p->gp, "set ylabel 'bytes per live vector (growth since the first sample)'\n"
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
            int b = block(p, what);
            write_series(p, s, 1);
            for (size_t i = 0; i < s->n; i++)
                if (s->v[i] > 0) {
                    lo = fmin(lo, s->v[i]);
                    hi = fmax(hi, s->v[i]);
                }
            snprintf(style, sizeof(style), "with lines lw 1.5 dt %d lc rgb '%s'", (int)(k % 4) + 1,
                     line_colors[m]);
            curve(p, b, "1:2", style, d->nnodes > 1 ? what : metrics[m]);
        }
    if (!p->curves) {
        set_note(p->pl, "no fragmentation ratios in the samples");
        return;
    }
    phase_bands(p);
    time_axis(p);
    sb_addstr(&p->gp, "set ylabel 'ratio (1.0 = no overhead)'\n");
    if (hi / lo > 8)
        sb_addstr(&p->gp, "set logscale y\n");
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
                b = block(p, titles[k]);
            double x0 = t_rel(p, an->tl.t_ms[ph->first]), x1 = t_rel(p, an->tl.t_ms[ph->last]);
            fprintf(p->dat, "%.9g %s\n%.9g %s\n\n", x0, v, x1, v);
        }
        if (b < 0)
            continue;
        any_recall = any_recall || k < 2;
        char style[120];
        snprintf(style, sizeof(style), "with linespoints lw 2 pt 7 ps 0.6 dt %d lc rgb '%s'",
                 k == 1 ? 2 : 1, line_colors[k == 2 ? 3 : 0]);
        curve(p, b, k == 2 ? "1:2 axes x1y2" : "1:2", style, titles[k]);
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
                int b = block(p, what);
                write_series(p, s[j], 1);
                snprintf(style, sizeof(style), "with linespoints lw 1.5 pt 7 ps 0.4 lc rgb '%s'",
                         line_colors[(c * 3 + j) % 10]);
                curve(p, b, c ? "1:2 axes x1y2" : "1:2", style, what);
                y2 = y2 || c;
            }
        }
    if (!p->curves)
        y2 = summary_recall_qps(p);
    if (!p->curves) {
        set_note(p->pl, "no recall or throughput in the samples or summary.json (no query "
                        "workload ran)");
        return;
    }
    phase_bands(p);
    time_axis(p);
    sb_addstr(&p->gp, "set ylabel 'recall'\nset yrange [0:1.05]\n");
    if (y2)
        sb_addstr(&p->gp, "set y2label 'queries per second'\nset y2tics\nset y2range [0:*]\n");
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
            int b = block(p, what);
            write_series(p, s[j], 1 / latency_scale_ms(s[j]->metric));
            snprintf(style, sizeof(style), "with lines lw 1.5 lc rgb '%s'", line_colors[c++ % 10]);
            curve(p, b, "1:2", style, what);
        }
    }
    if (!p->curves) {
        set_note(p->pl, "no latency percentiles in the samples (no query workload ran)");
        return;
    }
    phase_bands(p);
    time_axis(p);
    sb_addstr(&p->gp, "set ylabel 'latency (ms)'\nset logscale y\n");
}

static void plot_balance(plotter *p)
{
    const rpt_data *d = &p->run->data;
    if (d->nnodes < 2) {
        set_note(p->pl, "one node: nothing to balance");
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
        set_note(p->pl, "no used_memory samples per node");
        return;
    }
    const char *unit;
    double scale = bytes_unit(max, &unit);
    int b = block(p, "node, then the last sample of used_memory, search module, RSS");
    for (size_t k = 0; k < d->nnodes; k++) {
        strbuf q = STRBUF_INIT;
        gp_quote(&q, d->nodes[k].name);
        fprintf(p->dat, "%s", q.buf);
        sb_release(&q);
        for (int m = 0; m < 3; m++) {
            const rpt_series *s = rpt_node_series(&d->nodes[k], metrics[m]);
            fprintf(p->dat, " %.9g", s ? s->v[s->n - 1] / scale : NAN);
        }
        fprintf(p->dat, "\n");
    }
    for (int m = 0; m < 3; m++) {
        if (!have[m])
            continue;
        char using_[32], style[80];
        snprintf(using_, sizeof(using_), m ? "%d" : "%d:xtic(1)", m + 2);
        snprintf(style, sizeof(style), "lc rgb '%s'", line_colors[m]);
        curve(p, b, using_, style, labels[m]);
    }
    sb_addf(&p->gp,
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
    fprintf(p->dat, "%zu ", i);
    strbuf q = STRBUF_INIT;
    gp_quote(&q, ph->name);
    fprintf(p->dat, "%s", q.buf);
    sb_addf(xtics, "%s%s %zu", i ? ", " : "", q.buf, i);
    sb_release(&q);
    double cum = 0;
    if (module) {
        for (int g = 0; g < NGROUPS; g++) {
            for (int j = 0; j < 6 && groups[g].names[j]; j++)
                cum += mdl_component_bytes(&ph->pred, groups[g].names[j]);
            fprintf(p->dat, " %.9g", cum / scale);
        }
        cum += p->an->module_idle;
        fprintf(p->dat, " %.9g", cum / scale);
    } else {
        cum = base;
        fprintf(p->dat, " %.9g", cum / scale);
        cum += ph->pred.keyspace_bytes;
        fprintf(p->dat, " %.9g", cum / scale);
    }
    fprintf(p->dat, " %.9g\n", meas / scale);
}

static void plot_model(plotter *p)
{
    const rpt_analysis *an = p->an;
    if (!an->model_ok) {
        set_note(p->pl, "%s", an->model_note[0] ? an->model_note : "no model");
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
        set_note(p->pl, "no phase end with both a prediction and a measurement");
        return;
    }
    const char *unit;
    double scale = bytes_unit(max, &unit);
    int b = block(p, module ? "x, phase, cumulative predicted module groups, measured"
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
        curve(p, b, using_, style, title);
    }
    char using_[48];
    snprintf(using_, sizeof(using_), "($1+0.2):%d", ncols + 3);
    curve(p, b, using_, "with boxes fs pattern 4 border lc rgb '#222222' lc rgb '#222222'",
          module ? "measured search_used_memory_bytes" : "measured used_memory");
    sb_addf(&p->gp,
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
    plotter p = {run, an, dir, NULL, NULL, STRBUF_INIT, STRBUF_INIT, 0, 0};
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
        if (begin(&p, out, all[i].name, all[i].title, all[i].caption) < 0)
            continue;
        all[i].fn(&p);
        finish(&p, gnuplot ? gnuplot : "gnuplot", out);
    }
    sb_release(&p.gp);
    sb_release(&p.cmd);
    return 0;
}
