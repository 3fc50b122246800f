/* rpt_doc: see rpt_doc.h.  PNGs are base64'd with OpenSSL's
 * EVP_EncodeBlock. */
#include "rpt_doc.h"

#include <errno.h>
#include <math.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../util/vm_grow.h"
#include "rpt_fmt.h"

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

void rpt_doc_begin(rpt_doc *d, const char *title, const char *subtitle, const char *const (*nav)[2],
                   size_t n)
{
    sb_init(&d->h, 1 << 16);
    sb_init(&d->m, 1 << 14);
    d->section_open = false;
    sb_addstr(&d->h, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                     "<title>");
    rpt_html_escape(&d->h, title);
    sb_addf(&d->h,
            " - valkey-memstress</title>\n<style>%s</style>\n</head>\n<body>\n<header>\n<h1>", css);
    rpt_html_escape(&d->h, title);
    sb_addstr(&d->h, "</h1>\n<p>");
    rpt_html_escape(&d->h, subtitle);
    sb_addstr(&d->h, "</p>\n</header>\n<nav>");
    for (size_t i = 0; i < n; i++) {
        sb_addf(&d->h, "<a href=\"#%s\">", nav[i][0]);
        rpt_html_escape(&d->h, nav[i][1]);
        sb_addstr(&d->h, "</a>");
    }
    sb_addstr(&d->h, "</nav>\n<main>\n");
    sb_addf(&d->m, "# %s\n\n", title);
    rpt_md_escape(&d->m, subtitle);
    sb_addstr(&d->m, "\n\n");
}

void rpt_doc_h3(rpt_doc *d, const char *title)
{
    sb_addstr(&d->h, "<h3>");
    rpt_html_escape(&d->h, title);
    sb_addstr(&d->h, "</h3>\n");
    sb_addf(&d->m, "### %s\n\n", title);
}

/* text is plain (escaped here) */
void rpt_doc_h2(rpt_doc *d, const char *id, const char *title)
{
    if (d->section_open)
        sb_addstr(&d->h, "</section>\n");
    d->section_open = true;
    sb_addf(&d->h, "<section id=\"%s\">\n<h2>", id);
    rpt_html_escape(&d->h, title);
    sb_addstr(&d->h, "</h2>\n");
    sb_addf(&d->m, "\n## %s\n\n", title);
}

void rpt_doc_para(rpt_doc *d, const char *cls, const char *fmt, ...)
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

void rpt_doc_list(rpt_doc *d, char *const *items, size_t n)
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

void rpt_tbl_init(rpt_tbl *t, int ncols, const char *const *head)
{
    memset(t, 0, sizeof(*t));
    t->ncols = ncols;
    t->head = head;
}

void rpt_tbl_cell(rpt_tbl *t, const char *fmt, ...)
{
    VM_GROW(t->cells, t->n + 1, t->cap);
    strbuf s = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&s, fmt, ap);
    va_end(ap);
    t->cells[t->n++] = sb_detach(&s, NULL);
}

/* a number cell: "-" for NaN (not measured) */
static void tbl_num(rpt_tbl *t, void (*fmt)(strbuf *, double), double v)
{
    strbuf s = STRBUF_INIT;
    if (isnan(v))
        sb_addstr(&s, "-");
    else
        fmt(&s, v);
    rpt_tbl_cell(t, "%s", s.buf);
    sb_release(&s);
}

void rpt_tbl_bytes(rpt_tbl *t, double v)
{
    tbl_num(t, rpt_fmt_bytes, v);
}

void rpt_tbl_count(rpt_tbl *t, double v)
{
    tbl_num(t, rpt_fmt_count, v);
}

/* Numbers are right-aligned; the first column and text columns are not. */
static bool right(const rpt_tbl *t, int c)
{
    return c > 0 && !t->text && !(t->left_cols & (1u << c));
}

void rpt_tbl_emit(rpt_doc *d, rpt_tbl *t)
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

void rpt_fmt_time(char *out, size_t cap, int64_t ms)
{
    time_t s = (time_t)(ms / 1000);
    struct tm tm;
    gmtime_r(&s, &tm);
    strftime(out, cap, "%Y-%m-%d %H:%M:%S UTC", &tm);
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

void rpt_doc_figure(rpt_doc *d, const char *out_dir, const char *name, const char *title,
                    const char *caption)
{
    strbuf path = STRBUF_INIT;
    sb_addf(&path, "%s/plots/%s.png", out_dir, name);
    sb_addf(&d->h, "<figure id=\"plot-%s\">\n<h3>", name);
    rpt_html_escape(&d->h, title);
    sb_addstr(&d->h, "</h3>\n<img alt=\"");
    rpt_html_escape(&d->h, title);
    sb_addstr(&d->h, "\" width=\"1100\" height=\"520\" src=\"");
    if (embed_png(&d->h, path.buf) < 0)
        sb_addf(&d->h, "plots/%s.png", name);
    sb_addstr(&d->h, "\">\n<figcaption>");
    rpt_html_escape(&d->h, caption);
    sb_addf(&d->h,
            " <a href=\"plots/%s.svg\">SVG</a> · <a href=\"plots/%s.dat\">data</a> · "
            "<a href=\"plots/%s.gp\">gnuplot script</a></figcaption>\n</figure>\n",
            name, name, name);
    sb_addf(&d->m, "### %s\n\n![%s](plots/%s.png)\n\n", title, title, name);
    rpt_md_escape(&d->m, caption);
    sb_addf(&d->m, " ([SVG](plots/%s.svg))\n\n", name);
    sb_release(&path);
}

int rpt_doc_write(rpt_doc *d, const char *out_dir, const char *html_name, const char *md_name,
                  const char *generator, vm_err *err)
{
    sb_addstr(&d->h, d->section_open ? "</section>\n</main>\n<footer>" : "</main>\n<footer>");
    rpt_html_escape(&d->h, generator);
    sb_addstr(&d->h, "</footer>\n</body>\n</html>\n");
    sb_addf(&d->m,
            "\n---\n%s; the HTML page (%s) has the same content with the plots "
            "embedded.\n",
            generator, html_name);
    int rc = 0;
    const char *names[2] = {html_name, md_name};
    strbuf *bufs[2] = {&d->h, &d->m};
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
    sb_release(&d->h);
    sb_release(&d->m);
    return rc;
}
