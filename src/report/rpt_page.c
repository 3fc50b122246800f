/* rpt_page: see rpt_page.h.  One walk over the report writes both
 * documents through rpt_doc. */
#include "rpt_page.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rpt_doc.h"
#include "rpt_fmt.h"
#include "rpt_headline.h"
#include "rpt_loaders.h"

static void kv_table(rpt_doc *d, const rpt_kvlist *kv)
{
    static const char *head[] = {"field", "value"};
    rpt_tbl t;
    rpt_tbl_init(&t, 2, head);
    t.text = true;
    for (size_t i = 0; i < kv->n; i++) {
        rpt_tbl_cell(&t, "%s", kv->v[i].key);
        rpt_tbl_cell(&t, "%s", kv->v[i].value);
    }
    rpt_tbl_emit(d, &t);
}

/* ---- pieces ---- */

static void section_plots(rpt_doc *d, const rpt_plots *plots, const char *out_dir)
{
    rpt_doc_h2(d, "plots", "Plots");
    for (int i = 0; i < plots->n; i++)
        if (plots->p[i].made)
            rpt_doc_figure(d, out_dir, plots->p[i].name, plots->p[i].title, plots->p[i].caption);
    bool any_skipped = false;
    for (int i = 0; i < plots->n; i++)
        any_skipped = any_skipped || !plots->p[i].made;
    if (!any_skipped)
        return;
    char **items = calloc((size_t)plots->n, sizeof(char *));
    size_t k = 0;
    for (int i = 0; i < plots->n; i++) {
        if (plots->p[i].made)
            continue;
        strbuf s = STRBUF_INIT;
        sb_addf(&s, "%s: skipped - %s", plots->p[i].title, plots->p[i].note);
        items[k++] = sb_detach(&s, NULL);
    }
    sb_addstr(&d->h, "<div class=\"skipped\">\n");
    rpt_doc_list(d, items, k);
    sb_addstr(&d->h, "</div>\n");
    for (size_t i = 0; i < k; i++)
        free(items[i]);
    free(items);
}

static void section_phases(rpt_doc *d, const rpt_run *run, const rpt_analysis *an)
{
    rpt_doc_h2(d, "phases", "Phases");
    rpt_doc_para(
        d, NULL,
        "Memory is the total over %zu node%s. Changes are from the end of the previous "
        "phase. A phase is the span of samples that carry its label: a step shorter than "
        "the sampling interval may have no sample of its own, and its change then shows in "
        "the next phase.",
        run->data.nnodes, run->data.nnodes == 1 ? "" : "s");
    static const char *head[] = {"phase",         "starts at",   "duration", "samples",
                                 "live vectors",  "used_memory", "change",   "peak",
                                 "search module", "change",      "RSS",      "fragmentation"};
    rpt_tbl t;
    rpt_tbl_init(&t, 12, head);
    for (size_t x = 0; x < an->nphases; x++) {
        const rpt_phase *p = &an->phases[x];
        const rpt_phase *prev = x ? &an->phases[x - 1] : NULL;
        rpt_tbl_cell(&t, "%s", p->name);
        rpt_tbl_cell(&t, "%.1f %s", (double)(an->tl.t_ms[p->first] - run->data.t0_ms) / an->t_div,
                     an->t_unit);
        rpt_tbl_cell(&t, "%.1f s", (double)(an->tl.t_ms[p->last] - an->tl.t_ms[p->first]) / 1000.0);
        rpt_tbl_cell(&t, "%zu", p->last - p->first + 1);
        strbuf s = STRBUF_INIT;
        if (isnan(p->live_end))
            sb_addstr(&s, "-");
        else {
            rpt_fmt_count(&s, prev && !isnan(prev->live_end) ? prev->live_end : p->live_start);
            sb_addstr(&s, " → ");
            rpt_fmt_count(&s, p->live_end);
        }
        rpt_tbl_cell(&t, "%s", s.buf);
        sb_release(&s);
        for (int m = 0; m < 2; m++) {
            int metric = m ? RPT_SEARCH : RPT_USED;
            double from = prev ? prev->end[metric] : p->start[metric];
            rpt_tbl_bytes(&t, p->end[metric]);
            strbuf c = STRBUF_INIT;
            if (isnan(from) || isnan(p->end[metric]))
                sb_addstr(&c, "-");
            else {
                if (p->end[metric] >= from)
                    sb_addch(&c, '+');
                rpt_fmt_bytes(&c, p->end[metric] - from);
                sb_addstr(&c, " (");
                rpt_fmt_change(&c, from, p->end[metric]);
                sb_addch(&c, ')');
            }
            rpt_tbl_cell(&t, "%s", c.buf);
            sb_release(&c);
            if (!m)
                rpt_tbl_bytes(&t, p->peak[RPT_USED]);
        }
        rpt_tbl_bytes(&t, p->end[RPT_RSS]);
        if (isnan(p->frag_end))
            rpt_tbl_cell(&t, "-");
        else
            rpt_tbl_cell(&t, "%.2f", p->frag_end);
    }
    rpt_tbl_emit(d, &t);
    /* what summary.json says about each phase */
    for (size_t x = 0; x < an->nphases; x++) {
        const rpt_phase *p = &an->phases[x];
        if (p->info < 0 || !run->phases[p->info].kv.n)
            continue;
        sb_addf(&d->h, "<h3>");
        rpt_html_escape(&d->h, p->name);
        sb_addstr(&d->h, " (from summary.json)</h3>\n");
        sb_addf(&d->m, "### %s (from summary.json)\n\n", p->name);
        kv_table(d, &run->phases[p->info].kv);
    }
}

/* One phase's row of the model table: prediction against measurement. */
static void model_row(rpt_tbl *t, const rpt_analysis *an, const rpt_phase *p)
{
    rpt_tbl_cell(t, "%s", p->name);
    rpt_tbl_count(t, p->live_end);
    rpt_tbl_count(t, p->deleted_end);
    rpt_tbl_bytes(t, p->pred_module);
    rpt_tbl_bytes(t, p->meas_module);
    rpt_tbl_bytes(t, isnan(p->pred_module) ? NAN : p->meas_module - p->pred_module);
    if (isnan(p->pred_module) || isnan(p->meas_module) || p->meas_module == 0)
        rpt_tbl_cell(t, "-");
    else
        rpt_tbl_cell(t, "%.1f %%", p->pred_module / p->meas_module * 100);
    rpt_tbl_bytes(t, p->pred_used);
    rpt_tbl_bytes(t, p->meas_used);
    rpt_tbl_bytes(t, isnan(p->pred_used) ? NAN : p->meas_used - p->pred_used);
    strbuf c = STRBUF_INIT;
    if (an->have_search) {
        rpt_fmt_count(&c, (double)p->pred.capacity);
        sb_addstr(&c, " / ");
        if (isnan(p->meas_capacity))
            sb_addch(&c, '-');
        else
            rpt_fmt_count(&c, p->meas_capacity);
    } else {
        sb_addch(&c, '-');
    }
    rpt_tbl_cell(t, "%s", c.buf);
    sb_release(&c);
}

/* The predicted components at the end of the last modelled phase. */
static void model_components(rpt_doc *d, const rpt_analysis *an, const rpt_phase *last)
{
    sb_addstr(&d->h, "<h3>Predicted components at the end of ");
    rpt_html_escape(&d->h, last->name);
    sb_addstr(&d->h, "</h3>\n");
    sb_addf(&d->m, "### Predicted components at the end of %s\n\n", last->name);
    static const char *chead[] = {"component", "bytes", "per live vector", "share", "how"};
    rpt_tbl t;
    rpt_tbl_init(&t, 5, chead);
    t.left_cols = 1u << 4;
    for (int i = 0; i < last->pred.n; i++) {
        const mdl_component *c = &last->pred.c[i];
        if (!an->have_search && !c->keyspace)
            continue; /* no module on the server: its parts do not apply */
        double total = c->keyspace ? last->pred.keyspace_bytes : last->pred.module_bytes;
        rpt_tbl_cell(&t, "%s%s", c->name, c->keyspace ? " (not in the module)" : "");
        rpt_tbl_bytes(&t, c->bytes);
        rpt_tbl_cell(&t, "%.1f B", last->live_end > 0 ? c->bytes / last->live_end : 0.0);
        rpt_tbl_cell(&t, "%.1f %%", total > 0 ? c->bytes / total * 100 : 0.0);
        rpt_tbl_cell(&t, "%s", c->layout);
    }
    rpt_tbl_emit(d, &t);
}

static void section_model(rpt_doc *d, const rpt_analysis *an)
{
    rpt_doc_h2(d, "model", "Model against measurement");
    if (!an->model_ok) {
        rpt_doc_para(d, "note", "No prediction: %s.", an->model_note);
        return;
    }
    rpt_doc_para(d, NULL, "valkey-search 1.0.3 memory model: %s.", an->model_note);
    static const char *head[] = {"phase end",
                                 "live",
                                 "deleted",
                                 "predicted module",
                                 "measured",
                                 "unexplained",
                                 "explained",
                                 "predicted used_memory",
                                 "measured used_memory",
                                 "difference",
                                 "capacity: model / FT.INFO"};
    rpt_tbl t;
    rpt_tbl_init(&t, 11, head);
    const rpt_phase *last = NULL;
    for (size_t x = 0; x < an->nphases; x++) {
        const rpt_phase *p = &an->phases[x];
        if (!p->have_model)
            continue;
        last = p;
        model_row(&t, an, p);
    }
    rpt_tbl_emit(d, &t);
    if (!last)
        return;
    model_components(d, an, last);
    rpt_doc_para(
        d, "note",
        "The model follows valkey-search's layout (interned vectors in 40 KiB chunks, HNSW "
        "level-0 records of 2M x 4 + 4 + 16 bytes per slot, upper levels with probability "
        "M^-l, key <-> id maps, the string intern table) with jemalloc size classes; checked "
        "against the reference measurements of valkey-search 1.0.3 to within 1 %%. "
        "'valkey-memstress model --help' prints it for any parameters.");
}

static void section_scenario(rpt_doc *d, const rpt_run *run, const rpt_analysis *an)
{
    rpt_doc_h2(d, "scenario", "Scenario");
    static const char *head[] = {"field", "value"};
    rpt_tbl t;
    rpt_tbl_init(&t, 2, head);
    t.text = true;
    char a[64], b[64];
    rpt_fmt_time(a, sizeof(a), run->data.t0_ms);
    rpt_fmt_time(b, sizeof(b), run->data.t1_ms);
    rpt_tbl_cell(&t, "run folder");
    rpt_tbl_cell(&t, "%s", run->dir);
    rpt_tbl_cell(&t, "run id");
    rpt_tbl_cell(&t, "%s", run->data.run_id ? run->data.run_id : "-");
    rpt_tbl_cell(&t, "first sample");
    rpt_tbl_cell(&t, "%s", a);
    rpt_tbl_cell(&t, "last sample");
    rpt_tbl_cell(&t, "%s", b);
    rpt_tbl_cell(&t, "duration");
    rpt_tbl_cell(&t, "%.1f s", (double)(run->data.t1_ms - run->data.t0_ms) / 1000.0);
    rpt_tbl_cell(&t, "samples");
    rpt_tbl_cell(&t, "%zu on the timeline, %ld CSV rows in %d file(s)", an->tl.n, run->data.rows,
                 run->data.files);
    rpt_tbl_cell(&t, "nodes");
    rpt_tbl_cell(&t, "%zu", run->data.nnodes);
    rpt_tbl_cell(&t, "finished");
    rpt_tbl_cell(&t, "%s",
                 run->have_summary ? "yes (summary.json present)"
                                   : "no summary.json: still running, or ended early");
    for (size_t i = 0; i < run->scenario.n; i++) {
        rpt_tbl_cell(&t, "%s", run->scenario.v[i].key);
        rpt_tbl_cell(&t, "%s", run->scenario.v[i].value);
    }
    rpt_tbl_emit(d, &t);
}

static void section_environment(rpt_doc *d, const rpt_run *run)
{
    rpt_doc_h2(d, "environment", "Environment");
    if (run->env.n) {
        kv_table(d, &run->env);
    } else {
        rpt_doc_para(d, "note",
                     "summary.json %s server or module versions or configuration; what the "
                     "samples show is below.",
                     run->have_summary ? "records no" : "is missing, so it gives no");
    }
    if (run->sampled.n) {
        sb_addstr(&d->h, "<h3>From the samples</h3>\n");
        sb_addstr(&d->m, "### From the samples\n\n");
        kv_table(d, &run->sampled);
    }
}

static void section_nodes(rpt_doc *d, const rpt_run *run)
{
    rpt_doc_h2(d, "nodes", "Nodes");
    static const char *head[] = {"node", "samples", "used_memory first",
                                 "last", "peak",    "search module last"};
    rpt_tbl t;
    rpt_tbl_init(&t, 6, head);
    for (size_t k = 0; k < run->data.nnodes; k++) {
        const rpt_node *n = &run->data.nodes[k];
        const rpt_series *u = rpt_node_series(n, "used_memory");
        const rpt_series *s = rpt_node_series(n, "search_used_memory_bytes");
        double peak = NAN;
        for (size_t i = 0; u && i < u->n; i++)
            peak = isnan(peak) || u->v[i] > peak ? u->v[i] : peak;
        rpt_tbl_cell(&t, "%s", n->name);
        rpt_tbl_cell(&t, "%zu", n->nlabels ? n->nlabels : (u ? u->n : 0));
        rpt_tbl_bytes(&t, u ? u->v[0] : NAN);
        rpt_tbl_bytes(&t, u ? u->v[u->n - 1] : NAN);
        rpt_tbl_bytes(&t, peak);
        rpt_tbl_bytes(&t, s ? s->v[s->n - 1] : NAN);
    }
    rpt_tbl_emit(d, &t);
    if (run->node_summary.n) {
        sb_addstr(&d->h, "<h3>Per node (from summary.json)</h3>\n");
        sb_addstr(&d->m, "### Per node (from summary.json)\n\n");
        kv_table(d, &run->node_summary);
    }
}

static void section_notes(rpt_doc *d, const rpt_run *run, const rpt_plots *plots)
{
    rpt_doc_h2(d, "notes", "Notes");
    size_t n = run->notes.n + 2;
    char **items = calloc(n, sizeof(char *));
    size_t k = 0;
    for (size_t i = 0; i < run->notes.n; i++)
        items[k++] = strdup(run->notes.v[i]);
    if (plots->gnuplot_missing)
        items[k++] = strdup("gnuplot was not found, so there are no pictures: install Debian's "
                            "gnuplot-nox and run the report again (the scripts are in plots/)");
    items[k++] = strdup("Every plot has its data (plots/NAME.dat) and gnuplot script "
                        "(plots/NAME.gp) beside it; 'valkey-memstress report RUN_DIR' rebuilds "
                        "this page, also while the run is still going.");
    rpt_doc_list(d, items, k);
    for (size_t i = 0; i < k; i++)
        free(items[i]);
    free(items);
}

static const char *const page_nav[][2] = {
    {"headline", "Headline"},       {"findings", "Findings"}, {"plots", "Plots"},
    {"phases", "Phases"},           {"model", "Model"},       {"scenario", "Scenario"},
    {"environment", "Environment"}, {"nodes", "Nodes"},       {"notes", "Notes"},
};

/* "scenario S · dataset D · 3 nodes · 42.0 s from <time>" */
static void subtitle(const rpt_run *run, strbuf *sub)
{
    const char *scenario = rpt_kv_get(&run->scenario, "scenario");
    const char *dataset = rpt_kv_get(&run->scenario, "dataset");
    char when[64];
    rpt_fmt_time(when, sizeof(when), run->data.t0_ms);
    sb_addf(sub, "%s%s%s%s%s · %zu node%s · %.1f s from %s", scenario ? "scenario " : "",
            scenario ? scenario : "", scenario && dataset ? " · " : "", dataset ? "dataset " : "",
            dataset ? dataset : "", run->data.nnodes, run->data.nnodes == 1 ? "" : "s",
            (double)(run->data.t1_ms - run->data.t0_ms) / 1000.0, when);
    if (!run->have_summary)
        sb_addstr(sub, " · unfinished run");
}

int rpt_page_write(const rpt_run *run, const rpt_analysis *an, const rpt_plots *plots,
                   const char *out_dir, const char *generator, vm_err *err)
{
    const char *run_id = run->data.run_id ? run->data.run_id : rpt_kv_get(&run->scenario, "run_id");
    strbuf title = STRBUF_INIT, sub = STRBUF_INIT;
    sb_addf(&title, "Memory report: %s", run_id ? run_id : run->dir);
    subtitle(run, &sub);
    rpt_doc d;
    rpt_doc_begin(&d, title.buf, sub.buf, page_nav, sizeof(page_nav) / sizeof(page_nav[0]));
    sb_release(&title);
    sb_release(&sub);
    rpt_doc_h2(&d, "headline", "Headline");
    rpt_headline h;
    rpt_headline_compute(run, an, &h);
    char *lines[3] = {h.line[0], h.line[1], h.line[2]};
    rpt_doc_list(&d, lines, 3);
    rpt_doc_h2(&d, "findings", "Findings");
    if (an->findings.n)
        rpt_doc_list(&d, an->findings.v, an->findings.n);
    else
        rpt_doc_para(&d, "note", "Nothing to say yet: too few samples.");
    section_plots(&d, plots, out_dir);
    section_phases(&d, run, an);
    section_model(&d, an);
    section_scenario(&d, run, an);
    section_environment(&d, run);
    if (run->loaders && run->loaders->n)
        rpt_loaders_section(&d, run->loaders);
    section_nodes(&d, run);
    section_notes(&d, run, plots);
    return rpt_doc_write(&d, out_dir, "index.html", "summary.md", generator, err);
}
