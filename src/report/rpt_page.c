/* rpt_page: see rpt_page.h.  One walk over the report writes both
 * documents: every section, paragraph and table goes to the HTML and the
 * Markdown buffer together, so the two never disagree.  PNGs are base64'd
 * with OpenSSL's EVP_EncodeBlock. */
#include "rpt_page.h"

#include <errno.h>
#include <math.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rpt_fmt.h"
#include "rpt_headline.h"

typedef struct doc {
    strbuf h, m;
} doc;

/* text is plain (escaped here) */
static void d_h2(doc *d, const char *id, const char *title)
{
    sb_addf(&d->h, "</section>\n<section id=\"%s\">\n<h2>", id);
    rpt_html_escape(&d->h, title);
    sb_addstr(&d->h, "</h2>\n");
    sb_addf(&d->m, "\n## %s\n\n", title);
}

static void d_para(doc *d, const char *cls, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void d_para(doc *d, const char *cls, const char *fmt, ...)
{
    strbuf t = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&t, fmt, ap);
    va_end(ap);
    sb_addf(&d->h, "<p%s%s%s>", cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
    rpt_html_escape(&d->h, t.buf);
    sb_addstr(&d->h, "</p>\n");
    rpt_md_escape(&d->m, t.buf);
    sb_addstr(&d->m, "\n\n");
    sb_release(&t);
}

static void d_list(doc *d, char *const *items, size_t n)
{
    sb_addstr(&d->h, "<ul>\n");
    for (size_t i = 0; i < n; i++) {
        sb_addstr(&d->h, "<li>");
        rpt_html_escape(&d->h, items[i]);
        sb_addstr(&d->h, "</li>\n");
        sb_addstr(&d->m, "- ");
        rpt_md_escape(&d->m, items[i]);
        sb_addch(&d->m, '\n');
    }
    sb_addstr(&d->h, "</ul>\n");
    sb_addch(&d->m, '\n');
}

/* ---- tables ---- */

typedef struct tbl {
    int ncols;
    const char *const *head;
    bool text;          /* a key / value table: no right-aligned numbers */
    unsigned left_cols; /* bit c: column c is text, left-aligned */
    char **cells;
    size_t n, cap;
} tbl;

static void t_init(tbl *t, int ncols, const char *const *head)
{
    memset(t, 0, sizeof(*t));
    t->ncols = ncols;
    t->head = head;
}

static void t_cell(tbl *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void t_cell(tbl *t, const char *fmt, ...)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 64;
        t->cells = realloc(t->cells, t->cap * sizeof(char *));
    }
    strbuf s = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&s, fmt, ap);
    va_end(ap);
    t->cells[t->n++] = sb_detach(&s, NULL);
}

static void t_bytes(tbl *t, double v)
{
    strbuf s = STRBUF_INIT;
    if (isnan(v))
        sb_addstr(&s, "-");
    else
        rpt_fmt_bytes(&s, v);
    t_cell(t, "%s", s.buf);
    sb_release(&s);
}

static void t_count(tbl *t, double v)
{
    strbuf s = STRBUF_INIT;
    if (isnan(v))
        sb_addstr(&s, "-");
    else
        rpt_fmt_count(&s, v);
    t_cell(t, "%s", s.buf);
    sb_release(&s);
}

/* Numbers are right-aligned; the first column and text columns are not. */
static bool right(const tbl *t, int c)
{
    return c > 0 && !t->text && !(t->left_cols & (1u << c));
}

static void t_emit(doc *d, tbl *t)
{
    sb_addstr(&d->h, "<div class=\"scroll\"><table>\n<thead><tr>");
    sb_addch(&d->m, '|');
    for (int c = 0; c < t->ncols; c++) {
        sb_addstr(&d->h, "<th>");
        rpt_html_escape(&d->h, t->head[c]);
        sb_addstr(&d->h, "</th>");
        sb_addch(&d->m, ' ');
        rpt_md_escape(&d->m, t->head[c]);
        sb_addstr(&d->m, " |");
    }
    sb_addstr(&d->h, "</tr></thead>\n<tbody>\n");
    sb_addstr(&d->m, "\n|");
    for (int c = 0; c < t->ncols; c++)
        sb_addstr(&d->m, right(t, c) ? "---:|" : "---|");
    sb_addch(&d->m, '\n');
    for (size_t i = 0; i + (size_t)t->ncols <= t->n; i += (size_t)t->ncols) {
        sb_addstr(&d->h, "<tr>");
        sb_addch(&d->m, '|');
        for (int c = 0; c < t->ncols; c++) {
            sb_addstr(&d->h, right(t, c) ? "<td class=\"n\">" : "<td>");
            rpt_html_escape(&d->h, t->cells[i + (size_t)c]);
            sb_addstr(&d->h, "</td>");
            sb_addch(&d->m, ' ');
            rpt_md_escape(&d->m, t->cells[i + (size_t)c]);
            sb_addstr(&d->m, " |");
        }
        sb_addstr(&d->h, "</tr>\n");
        sb_addch(&d->m, '\n');
    }
    sb_addstr(&d->h, "</tbody></table></div>\n");
    sb_addch(&d->m, '\n');
    for (size_t i = 0; i < t->n; i++)
        free(t->cells[i]);
    free(t->cells);
    memset(t, 0, sizeof(*t));
}

static void kv_table(doc *d, const rpt_kvlist *kv)
{
    static const char *head[] = {"field", "value"};
    tbl t;
    t_init(&t, 2, head);
    t.text = true;
    for (size_t i = 0; i < kv->n; i++) {
        t_cell(&t, "%s", kv->v[i].key);
        t_cell(&t, "%s", kv->v[i].value);
    }
    t_emit(d, &t);
}

/* ---- pieces ---- */

static void fmt_time(char *out, size_t cap, int64_t ms)
{
    time_t s = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&s, &tm);
    strftime(out, cap, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

static const char *kv_get(const rpt_kvlist *kv, const char *key)
{
    for (size_t i = 0; i < kv->n; i++)
        if (!strcmp(kv->v[i].key, key))
            return kv->v[i].value;
    return NULL;
}

static int embed_png(strbuf *h, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    strbuf raw = STRBUF_INIT;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
        sb_add(&raw, buf, n);
    fclose(f);
    if (!raw.len) {
        sb_release(&raw);
        return -1;
    }
    size_t enc = 4 * ((raw.len + 2) / 3) + 1;
    sb_grow(h, enc + 32);
    sb_addstr(h, "data:image/png;base64,");
    int w = EVP_EncodeBlock((unsigned char *)h->buf + h->len, (const unsigned char *)raw.buf,
                            (int)raw.len);
    h->len += (size_t)w;
    h->buf[h->len] = 0;
    sb_release(&raw);
    return 0;
}

static void section_plots(doc *d, const rpt_plots *plots, const char *out_dir)
{
    d_h2(d, "plots", "Plots");
    strbuf path = STRBUF_INIT;
    for (int i = 0; i < plots->n; i++) {
        const rpt_plot *p = &plots->p[i];
        if (!p->made)
            continue;
        sb_reset(&path);
        sb_addf(&path, "%s/plots/%s.png", out_dir, p->name);
        sb_addf(&d->h, "<figure id=\"plot-%s\">\n<h3>", p->name);
        rpt_html_escape(&d->h, p->title);
        sb_addstr(&d->h, "</h3>\n<img alt=\"");
        rpt_html_escape(&d->h, p->title);
        sb_addstr(&d->h, "\" width=\"1100\" height=\"520\" src=\"");
        if (embed_png(&d->h, path.buf) < 0)
            sb_addf(&d->h, "plots/%s.png", p->name);
        sb_addstr(&d->h, "\">\n<figcaption>");
        rpt_html_escape(&d->h, p->caption);
        sb_addf(&d->h,
                " <a href=\"plots/%s.svg\">SVG</a> · <a href=\"plots/%s.dat\">data</a> · "
                "<a href=\"plots/%s.gp\">gnuplot script</a></figcaption>\n</figure>\n",
                p->name, p->name, p->name);
        sb_addf(&d->m, "### %s\n\n![%s](plots/%s.png)\n\n", p->title, p->title, p->name);
        rpt_md_escape(&d->m, p->caption);
        sb_addf(&d->m, " ([SVG](plots/%s.svg))\n\n", p->name);
    }
    sb_release(&path);
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
    d_list(d, items, k);
    sb_addstr(&d->h, "</div>\n");
    for (size_t i = 0; i < k; i++)
        free(items[i]);
    free(items);
}

static void section_phases(doc *d, const rpt_run *run, const rpt_analysis *an)
{
    d_h2(d, "phases", "Phases");
    d_para(d, NULL,
           "Memory is the total over %zu node%s. Changes are from the end of the previous "
           "phase. A phase is the span of samples that carry its label: a step shorter than "
           "the sampling interval may have no sample of its own, and its change then shows in "
           "the next phase.",
           run->data.nnodes, run->data.nnodes == 1 ? "" : "s");
    static const char *head[] = {"phase",         "starts at",   "duration", "samples",
                                 "live vectors",  "used_memory", "change",   "peak",
                                 "search module", "change",      "RSS",      "fragmentation"};
    tbl t;
    t_init(&t, 12, head);
    for (size_t x = 0; x < an->nphases; x++) {
        const rpt_phase *p = &an->phases[x];
        const rpt_phase *prev = x ? &an->phases[x - 1] : NULL;
        t_cell(&t, "%s", p->name);
        t_cell(&t, "%.1f %s", (double)(an->tl.t_ms[p->first] - run->data.t0_ms) / an->t_div,
               an->t_unit);
        t_cell(&t, "%.1f s", (double)(an->tl.t_ms[p->last] - an->tl.t_ms[p->first]) / 1000.0);
        t_cell(&t, "%zu", p->last - p->first + 1);
        strbuf s = STRBUF_INIT;
        if (isnan(p->live_end))
            sb_addstr(&s, "-");
        else {
            rpt_fmt_count(&s, prev && !isnan(prev->live_end) ? prev->live_end : p->live_start);
            sb_addstr(&s, " → ");
            rpt_fmt_count(&s, p->live_end);
        }
        t_cell(&t, "%s", s.buf);
        sb_release(&s);
        for (int m = 0; m < 2; m++) {
            int metric = m ? RPT_SEARCH : RPT_USED;
            double from = prev ? prev->end[metric] : p->start[metric];
            t_bytes(&t, p->end[metric]);
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
            t_cell(&t, "%s", c.buf);
            sb_release(&c);
            if (!m)
                t_bytes(&t, p->peak[RPT_USED]);
        }
        t_bytes(&t, p->end[RPT_RSS]);
        if (isnan(p->frag_end))
            t_cell(&t, "-");
        else
            t_cell(&t, "%.2f", p->frag_end);
    }
    t_emit(d, &t);
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

static void section_model(doc *d, const rpt_analysis *an)
{
    d_h2(d, "model", "Model against measurement");
    if (!an->model_ok) {
        d_para(d, "note", "No prediction: %s.", an->model_note);
        return;
    }
    d_para(d, NULL, "valkey-search 1.0.3 memory model: %s.", an->model_note);
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
    tbl t;
    t_init(&t, 11, head);
    const rpt_phase *last = NULL;
    for (size_t x = 0; x < an->nphases; x++) {
        const rpt_phase *p = &an->phases[x];
        if (!p->have_model)
            continue;
        last = p;
        t_cell(&t, "%s", p->name);
        t_count(&t, p->live_end);
        t_count(&t, p->deleted_end);
        t_bytes(&t, p->pred_module);
        t_bytes(&t, p->meas_module);
        t_bytes(&t, isnan(p->pred_module) ? NAN : p->meas_module - p->pred_module);
        if (isnan(p->pred_module) || isnan(p->meas_module) || p->meas_module == 0)
            t_cell(&t, "-");
        else
            t_cell(&t, "%.1f %%", p->pred_module / p->meas_module * 100);
        t_bytes(&t, p->pred_used);
        t_bytes(&t, p->meas_used);
        t_bytes(&t, isnan(p->pred_used) ? NAN : p->meas_used - p->pred_used);
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
        t_cell(&t, "%s", c.buf);
        sb_release(&c);
    }
    t_emit(d, &t);
    if (!last)
        return;
    sb_addstr(&d->h, "<h3>Predicted components at the end of ");
    rpt_html_escape(&d->h, last->name);
    sb_addstr(&d->h, "</h3>\n");
    sb_addf(&d->m, "### Predicted components at the end of %s\n\n", last->name);
    static const char *chead[] = {"component", "bytes", "per live vector", "share", "how"};
    t_init(&t, 5, chead);
    t.left_cols = 1u << 4;
    for (int i = 0; i < last->pred.n; i++) {
        const mdl_component *c = &last->pred.c[i];
        if (!an->have_search && !c->keyspace)
            continue; /* no module on the server: its parts do not apply */
        double total = c->keyspace ? last->pred.keyspace_bytes : last->pred.module_bytes;
        t_cell(&t, "%s%s", c->name, c->keyspace ? " (not in the module)" : "");
        t_bytes(&t, c->bytes);
        t_cell(&t, "%.1f B", last->live_end > 0 ? c->bytes / last->live_end : 0.0);
        t_cell(&t, "%.1f %%", total > 0 ? c->bytes / total * 100 : 0.0);
        t_cell(&t, "%s", c->layout);
    }
    t_emit(d, &t);
    d_para(d, "note",
           "The model follows valkey-search's layout (interned vectors in 40 KiB chunks, HNSW "
           "level-0 records of 2M x 4 + 4 + 16 bytes per slot, upper levels with probability "
           "M^-l, key <-> id maps, the string intern table) with jemalloc size classes; checked "
           "against the reference measurements of valkey-search 1.0.3 to within 1 %%. "
           "'valkey-memstress model --help' prints it for any parameters.");
}

static void section_scenario(doc *d, const rpt_run *run, const rpt_analysis *an)
{
    d_h2(d, "scenario", "Scenario");
    static const char *head[] = {"field", "value"};
    tbl t;
    t_init(&t, 2, head);
    t.text = true;
    char a[64], b[64];
    fmt_time(a, sizeof(a), run->data.t0_ms);
    fmt_time(b, sizeof(b), run->data.t1_ms);
    t_cell(&t, "run folder");
    t_cell(&t, "%s", run->dir);
    t_cell(&t, "run id");
    t_cell(&t, "%s", run->data.run_id ? run->data.run_id : "-");
    t_cell(&t, "first sample");
    t_cell(&t, "%s", a);
    t_cell(&t, "last sample");
    t_cell(&t, "%s", b);
    t_cell(&t, "duration");
    t_cell(&t, "%.1f s", (double)(run->data.t1_ms - run->data.t0_ms) / 1000.0);
    t_cell(&t, "samples");
    t_cell(&t, "%zu on the timeline, %ld CSV rows in %d file(s)", an->tl.n, run->data.rows,
           run->data.files);
    t_cell(&t, "nodes");
    t_cell(&t, "%zu", run->data.nnodes);
    t_cell(&t, "finished");
    t_cell(&t, "%s",
           run->have_summary ? "yes (summary.json present)"
                             : "no summary.json: still running, or ended early");
    for (size_t i = 0; i < run->scenario.n; i++) {
        t_cell(&t, "%s", run->scenario.v[i].key);
        t_cell(&t, "%s", run->scenario.v[i].value);
    }
    t_emit(d, &t);
}

static void section_environment(doc *d, const rpt_run *run)
{
    d_h2(d, "environment", "Environment");
    if (run->env.n) {
        kv_table(d, &run->env);
    } else {
        d_para(d, "note",
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

static void section_nodes(doc *d, const rpt_run *run)
{
    d_h2(d, "nodes", "Nodes");
    static const char *head[] = {"node", "samples", "used_memory first",
                                 "last", "peak",    "search module last"};
    tbl t;
    t_init(&t, 6, head);
    for (size_t k = 0; k < run->data.nnodes; k++) {
        const rpt_node *n = &run->data.nodes[k];
        const rpt_series *u = rpt_node_series(n, "used_memory");
        const rpt_series *s = rpt_node_series(n, "search_used_memory_bytes");
        double peak = NAN;
        for (size_t i = 0; u && i < u->n; i++)
            peak = isnan(peak) || u->v[i] > peak ? u->v[i] : peak;
        t_cell(&t, "%s", n->name);
        t_cell(&t, "%zu", n->nlabels ? n->nlabels : (u ? u->n : 0));
        t_bytes(&t, u ? u->v[0] : NAN);
        t_bytes(&t, u ? u->v[u->n - 1] : NAN);
        t_bytes(&t, peak);
        t_bytes(&t, s ? s->v[s->n - 1] : NAN);
    }
    t_emit(d, &t);
    if (run->node_summary.n) {
        sb_addstr(&d->h, "<h3>Per node (from summary.json)</h3>\n");
        sb_addstr(&d->m, "### Per node (from summary.json)\n\n");
        kv_table(d, &run->node_summary);
    }
}

static void section_notes(doc *d, const rpt_run *run, const rpt_plots *plots)
{
    d_h2(d, "notes", "Notes");
    size_t n = run->nnotes + 2;
    char **items = calloc(n, sizeof(char *));
    size_t k = 0;
    for (size_t i = 0; i < run->nnotes; i++)
        items[k++] = strdup(run->notes[i]);
    if (plots->gnuplot_missing)
        items[k++] = strdup("gnuplot was not found, so there are no pictures: install Debian's "
                            "gnuplot-nox and run the report again (the scripts are in plots/)");
    items[k++] = strdup("Every plot has its data (plots/NAME.dat) and gnuplot script "
                        "(plots/NAME.gp) beside it; 'valkey-memstress report RUN_DIR' rebuilds "
                        "this page, also while the run is still going.");
    d_list(d, items, k);
    for (size_t i = 0; i < k; i++)
        free(items[i]);
    free(items);
}

static const char css[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;"
    "margin:0;color:#222;background:#f6f7f9;line-height:1.45}"
    "header{background:#1f3a5f;color:#fff;padding:18px 28px}"
    "header h1{margin:0 0 4px;font-size:22px}header p{margin:0;opacity:.85}"
    "nav{background:#fff;border-bottom:1px solid #dde;padding:8px 28px;position:sticky;top:0}"
    "nav a{margin-right:14px;color:#1f3a5f;text-decoration:none;font-size:14px}"
    "main{max-width:1180px;margin:0 auto;padding:8px 28px 40px}"
    "section{background:#fff;border:1px solid #e2e4ea;border-radius:6px;margin:18px 0;"
    "padding:4px 20px 14px}"
    "h2{font-size:18px;border-bottom:1px solid #eee;padding-bottom:6px}h3{font-size:15px}"
    "figure{margin:14px 0 26px}figure img{max-width:100%;height:auto;border:1px solid #e5e5e5}"
    "figcaption{font-size:13px;color:#555;margin-top:4px}"
    ".scroll{overflow-x:auto}table{border-collapse:collapse;font-size:13px;margin:8px 0}"
    "th,td{border:1px solid #e1e3e8;padding:4px 8px;text-align:left;vertical-align:top}"
    "th{background:#f0f2f6}td.n{text-align:right;font-variant-numeric:tabular-nums}"
    ".note,.skipped{color:#666;font-size:13px}#findings li{margin:4px 0}"
    "footer{color:#888;font-size:12px;text-align:center;padding:20px}";

int rpt_page_write(const rpt_run *run, const rpt_analysis *an, const rpt_plots *plots,
                   const char *out_dir, const char *generator, vm_err *err)
{
    doc d = {STRBUF_INIT, STRBUF_INIT};
    const char *run_id = run->data.run_id ? run->data.run_id : kv_get(&run->scenario, "run_id");
    if (!run_id)
        run_id = run->dir;
    const char *scenario = kv_get(&run->scenario, "scenario");
    const char *dataset = kv_get(&run->scenario, "dataset");
    char when[64];
    fmt_time(when, sizeof(when), run->data.t0_ms);
    sb_addstr(&d.h, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                    "<title>Memory report ");
    rpt_html_escape(&d.h, run_id);
    sb_addf(&d.h,
            " - valkey-memstress</title>\n<style>%s</style>\n</head>\n<body>\n<header>\n"
            "<h1>Memory report: ",
            css);
    rpt_html_escape(&d.h, run_id);
    sb_addstr(&d.h, "</h1>\n<p>");
    strbuf sub = STRBUF_INIT;
    sb_addf(&sub, "%s%s%s%s%s · %zu node%s · %.1f s from %s", scenario ? "scenario " : "",
            scenario ? scenario : "", scenario && dataset ? " · " : "", dataset ? "dataset " : "",
            dataset ? dataset : "", run->data.nnodes, run->data.nnodes == 1 ? "" : "s",
            (double)(run->data.t1_ms - run->data.t0_ms) / 1000.0, when);
    if (!run->have_summary)
        sb_addstr(&sub, " · unfinished run");
    rpt_html_escape(&d.h, sub.buf);
    sb_addstr(&d.h, "</p>\n</header>\n<nav><a href=\"#headline\">Headline</a><a href=\"#findings\">Findings</a><a href=\"#plots\">"
                    "Plots</a><a href=\"#phases\">Phases</a><a href=\"#model\">Model</a>"
                    "<a href=\"#scenario\">Scenario</a><a href=\"#environment\">Environment</a>"
                    "<a href=\"#nodes\">Nodes</a><a href=\"#notes\">Notes</a></nav>\n<main>\n"
                    "<section id=\"headline\">\n<h2>Headline</h2>\n");
    sb_addf(&d.m, "# Memory report: %s\n\n", run_id);
    rpt_md_escape(&d.m, sub.buf);
    sb_addstr(&d.m, "\n\n## Headline\n\n");
    sb_release(&sub);
    rpt_headline h;
    rpt_headline_compute(run, an, &h);
    char *lines[3] = {h.line[0], h.line[1], h.line[2]};
    d_list(&d, lines, 3);
    sb_addstr(&d.h, "</section>\n<section id=\"findings\">\n<h2>Findings</h2>\n");
    sb_addstr(&d.m, "\n## Findings\n\n");
    if (an->nfindings)
        d_list(&d, an->findings, an->nfindings);
    else
        d_para(&d, "note", "Nothing to say yet: too few samples.");
    section_plots(&d, plots, out_dir);
    section_phases(&d, run, an);
    section_model(&d, an);
    section_scenario(&d, run, an);
    section_environment(&d, run);
    section_nodes(&d, run);
    section_notes(&d, run, plots);
    sb_addstr(&d.h, "</section>\n</main>\n<footer>");
    rpt_html_escape(&d.h, generator);
    sb_addstr(&d.h, "</footer>\n</body>\n</html>\n");
    sb_addf(&d.m,
            "\n---\n%s; the HTML page (index.html) has the same content with the plots "
            "embedded.\n",
            generator);
    int rc = 0;
    const char *names[2] = {"index.html", "summary.md"};
    strbuf *bufs[2] = {&d.h, &d.m};
    for (int i = 0; i < 2 && rc == 0; i++) {
        strbuf path = STRBUF_INIT;
        sb_addf(&path, "%s/%s", out_dir, names[i]);
        FILE *f = fopen(path.buf, "w");
        if (!f || fwrite(bufs[i]->buf, 1, bufs[i]->len, f) != bufs[i]->len)
            rc = vm_err_set(err, VM_EIO, "%s: %s", path.buf, strerror(errno));
        if (f && fclose(f) != 0 && rc == 0)
            rc = vm_err_set(err, VM_EIO, "%s: %s", path.buf, strerror(errno));
        sb_release(&path);
    }
    sb_release(&d.h);
    sb_release(&d.m);
    return rc;
}
