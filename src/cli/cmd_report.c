/* cmd_report: `valkey-memstress report RUN_DIR` — plots (gnuplot), an HTML
 * page and a Markdown summary of a run folder, finished, crashed or still
 * running, with the valkey-search memory model against the measurement.
 * The work is in src/report/; this file parses options and prints. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../report/rpt_analyze.h"
#include "../report/rpt_compare.h"
#include "../report/rpt_fmt.h"
#include "../report/rpt_headline.h"
#include "../report/rpt_loaders.h"
#include "../report/rpt_page.h"
#include "../report/rpt_plot.h"
#include "../report/rpt_run.h"
#include "cli.h"
#include "cli_model.h"

static const char usage[] =
    "valkey-memstress report RUN_DIR [--out DIR] [--gnuplot PATH] [--no-plots] [--loader DIR]...\n"
    "       [--algorithm HNSW|FLAT --dim D --m M ...]\n"
    "       valkey-memstress report RUN_A RUN_B [--out DIR] [--gnuplot PATH] [--no-plots]";
static const char summary[] =
    "Build a report of a run folder (finished, crashed or still running) from its CSV files\n"
    "and summary.json: PNG and SVG plots drawn by gnuplot (memory over time with phase bands,\n"
    "memory against live vectors, bytes per vector, fragmentation, recall / QPS, latency,\n"
    "per-node balance, model against measurement), a self-contained HTML page and a Markdown\n"
    "summary with a table per phase and findings in plain words.  The valkey-search memory\n"
    "model takes the index parameters from summary.json; the index options override them.\n"
    "Writes DIR/index.html, DIR/summary.md and DIR/plots/ (DIR defaults to RUN_DIR/report).\n"
    "With two run folders (e.g. one scenario on two valkey-search releases), one page puts\n"
    "them side by side: memory curves overlaid, bytes per live vector, memory returned after\n"
    "deletes, module and reclaimable memory, recall, and what changed in words\n"
    "(DIR/compare.html, DIR/compare.md; DIR defaults to RUN_A/compare).";

static void print_summary(const rpt_run *run, const rpt_analysis *an, const rpt_plots *pl,
                          const char *out)
{
    const rpt_timeline *tl = &an->tl;
    printf("run folder   %s\n", run->dir);
    printf("samples      %zu over %.1f s, %zu node(s), %zu phase(s)%s\n", tl->n,
           (double)(run->data.t1_ms - run->data.t0_ms) / 1000.0, run->data.nnodes, an->nphases,
           run->have_summary ? "" : " (no summary.json: unfinished run)");
    if (tl->have[RPT_USED]) {
        double peak = NAN;
        for (size_t i = 0; i < tl->n; i++)
            if (!isnan(tl->m[RPT_USED][i]) && (isnan(peak) || tl->m[RPT_USED][i] > peak))
                peak = tl->m[RPT_USED][i];
        double first = tl->m[RPT_USED][0], last = tl->m[RPT_USED][tl->n - 1];
        printf("used_memory  start %.0f, end %.0f, peak %.0f bytes (%+.0f)\n", first, last, peak,
               last - first);
    }
    for (size_t x = an->nphases; x-- > 0;) {
        const rpt_phase *p = &an->phases[x];
        if (p->have_model && !isnan(p->pred_module) && !isnan(p->meas_module)) {
            printf("model        end of %s: predicted %.0f, measured %.0f module bytes "
                   "(%.1f %% explained)\n",
                   p->name, p->pred_module, p->meas_module, p->pred_module / p->meas_module * 100);
            break;
        }
    }
    printf("plots        %d of %d made", pl->made, pl->n);
    int skipped = 0;
    for (int i = 0; i < pl->n; i++)
        if (!pl->p[i].made)
            printf("%s%s (%s)", skipped++ ? ", " : "; skipped: ", pl->p[i].name, pl->p[i].note);
    printf("\nwritten      %s/index.html, %s/summary.md, %s/plots/\n", out, out, out);
    rpt_headline h;
    rpt_headline_compute(run, an, &h);
    for (int i = 0; i < 3; i++)
        printf("headline     %s\n", h.line[i]);
}

/* `report RUN_A RUN_B`: the two runs on one page */
static int report_compare(const char *a, const char *b, const char *out, const char *gnuplot,
                          bool no_plots)
{
    vm_err err = {0};
    rpt_compare c;
    if (rpt_compare_load(&c, a, b, &err) < 0) {
        cli_error("report", &err);
        return CLI_FAIL;
    }
    strbuf dir = STRBUF_INIT, plots = STRBUF_INIT;
    if (out)
        sb_addstr(&dir, out);
    else
        sb_addf(&dir, "%s/compare", a);
    sb_addf(&plots, "%s/plots", dir.buf);
    char generator[64];
    snprintf(generator, sizeof(generator), "valkey-memstress %s report", VM_VERSION);
    int rc = CLI_OK;
    if (cli_mkdirs(plots.buf, &err) < 0 || rpt_compare_write(&c, dir.buf,
                                                             no_plots  ? NULL
                                                             : gnuplot ? gnuplot
                                                                       : "gnuplot",
                                                             generator, &err) < 0) {
        cli_error("report", &err);
        rc = CLI_FAIL;
    } else {
        printf("A            %s (%s)\nB            %s (%s)\n", c.side[0].label, a, c.side[1].label,
               b);
        for (size_t i = 0; i < c.findings.n; i++)
            printf("finding      %s\n", c.findings.v[i]);
        printf("written      %s/compare.html, %s/compare.md\n", dir.buf, dir.buf);
    }
    rpt_compare_free(&c);
    sb_release(&dir);
    sb_release(&plots);
    return rc;
}

/* Render the plots (unless no_plots) and write the page into out; prints
 * the summary.  The exit code. */
static int report_write(const rpt_run *run, const rpt_analysis *an, const char *out,
                        const char *gnuplot, bool no_plots)
{
    vm_err err = {0};
    strbuf plots_dir = STRBUF_INIT;
    sb_addf(&plots_dir, "%s/plots", out);
    if (cli_mkdirs(plots_dir.buf, &err) < 0) {
        cli_error("report", &err);
        sb_release(&plots_dir);
        return CLI_FAIL;
    }
    rpt_plots plots;
    memset(&plots, 0, sizeof(plots));
    if (!no_plots && rpt_plots_render(run, an, plots_dir.buf, gnuplot, &plots, &err) < 0) {
        cli_error("report", &err);
        sb_release(&plots_dir);
        return CLI_FAIL;
    }
    sb_release(&plots_dir);
    if (plots.gnuplot_missing)
        fprintf(stderr, "valkey-memstress report: warning: gnuplot not found (install "
                        "gnuplot-nox); the page has no pictures\n");
    char generator[64];
    snprintf(generator, sizeof(generator), "valkey-memstress %s report", VM_VERSION);
    if (rpt_page_write(run, an, &plots, out, generator, &err) < 0) {
        cli_error("report", &err);
        return CLI_FAIL;
    }
    print_summary(run, an, &plots, out);
    return CLI_OK;
}

static int add_loader(const struct opt *o, const char *arg, vm_err *err)
{
    (void)err;
    sv_push(o->value, arg);
    return 0;
}

/* The loaders' summaries into run (printed: what they did together). */
static int load_loaders(rpt_run *run, const strvec *dirs, rpt_loaders *l)
{
    vm_err err = {0};
    if (!dirs->n)
        return 0;
    if (rpt_loaders_load(l, dirs->v, dirs->n, &err) < 0) {
        cli_error("report", &err);
        return -1;
    }
    run->loaders = l;
    double vectors, rate;
    rpt_loaders_total(l, &vectors, &rate);
    printf("report: %zu loaders inserted %.0f vectors, %.0f vectors/s together\n", l->n, vectors,
           rate);
    return 0;
}

int cmd_report(int argc, char **argv)
{
    const char *out = NULL, *gnuplot = NULL;
    strvec loader_dirs = {0};
    rpt_loaders loaders = {0};
    bool no_plots = false;
    cli_model_opts mo;
    cli_model_defaults(&mo);
    const struct opt own[] = {
        OPT_GROUP_ROW("Report:"),
        OPT_STR_ROW("out", &out, "DIR", "where to write (default RUN_DIR/report)"),
        OPT_STR_ROW("gnuplot", &gnuplot, "PATH", "the gnuplot program (default: gnuplot in PATH)"),
        OPT_BOOL_ROW("no-plots", &no_plots, "write the page and summary without running gnuplot"),
        OPT_CB_ROW("loader", &loader_dirs, "DIR",
                   "a loader's run folder of the sliced run RUN_DIR monitored (repeatable)",
                   add_loader),
        OPT_END_ROW,
    };
    struct opt *model_tab = cli_model_options(&mo, false, NULL, NULL, NULL);
    const struct opt *tables[] = {own, model_tab, NULL};
    int rc;
    vm_err err = {0};
    char *out_alloc = NULL;
    rpt_run run;
    rpt_analysis an;
    bool loaded = false, analysed = false;
    if (cli_parse(&argc, argv, tables, usage, summary, &rc) < 0)
        goto done;
    rc = CLI_USAGE;
    if (argc == 2 && !cli_model_any(&mo)) {
        rc = report_compare(argv[0], argv[1], out, gnuplot, no_plots);
        goto done;
    }
    if (argc != 1) {
        cli_errorf("report", "expected one RUN_DIR, or two to compare (see --help)");
        goto done;
    }
    rc = CLI_FAIL;
    if (rpt_run_load(&run, argv[0], &err) < 0) {
        cli_error("report", &err);
        rpt_run_free(&run);
        goto done;
    }
    loaded = true;
    if (load_loaders(&run, &loader_dirs, &loaders) < 0)
        goto done;
    mdl_params params = run.model;
    if (cli_model_apply(&mo, &params, &err) < 0) {
        cli_error("report", &err);
        rc = CLI_USAGE;
        goto done;
    }
    if (rpt_analyze(&run, &params, cli_model_any(&mo), &an, &err) < 0) {
        cli_error("report", &err);
        goto done;
    }
    analysed = true;
    if (!out) {
        size_t n = strlen(argv[0]) + 16;
        out_alloc = malloc(n);
        snprintf(out_alloc, n, "%s/report", argv[0]);
        out = out_alloc;
    }
    rc = report_write(&run, &an, out, gnuplot, no_plots);
done:
    if (analysed)
        rpt_analysis_free(&an);
    if (loaded)
        rpt_run_free(&run);
    free(out_alloc);
    free(model_tab);
    rpt_loaders_free(&loaders);
    sv_clear(&loader_dirs);
    return rc;
}
