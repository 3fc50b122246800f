/* rpt_doc: the two documents a report page is written as — HTML (one
 * self-contained page: inline styles, no scripts, PNGs embedded as data:
 * URIs) and Markdown — built together, so every heading, paragraph, list
 * and table goes to both and the two never disagree.  rpt_page (one run)
 * and rpt_compare (two runs) write their pages with it.  Text given to it
 * is plain and escaped here. */
#ifndef RPT_DOC_H
#define RPT_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/strbuf.h"
#include "../util/vm_err.h"

typedef struct rpt_doc {
    strbuf h, m;       /* the HTML and the Markdown */
    bool section_open; /* an HTML <section> waits for its end */
} rpt_doc;

/* The page head, a header with title and subtitle, and a navigation bar
 * of nav[i] = {"id", "label"} pairs (n pairs). */
void rpt_doc_begin(rpt_doc *d, const char *title, const char *subtitle, const char *const (*nav)[2],
                   size_t n);
/* A section with an id and a heading (closes the one before). */
void rpt_doc_h2(rpt_doc *d, const char *id, const char *title);
void rpt_doc_h3(rpt_doc *d, const char *title);
/* A paragraph (cls: an HTML class or NULL). */
void rpt_doc_para(rpt_doc *d, const char *cls, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void rpt_doc_list(rpt_doc *d, char *const *items, size_t n);
/* A figure: out_dir/plots/NAME.png embedded (or linked when it cannot be
 * read), with its caption and links to the SVG, data and script. */
void rpt_doc_figure(rpt_doc *d, const char *out_dir, const char *name, const char *title,
                    const char *caption);
/* Close the page (footer names the generator) and write
 * out_dir/html_name and out_dir/md_name; releases d. */
int rpt_doc_write(rpt_doc *d, const char *out_dir, const char *html_name, const char *md_name,
                  const char *generator, vm_err *err);

/* Tables: cells are added row by row, left to right. */
typedef struct rpt_tbl {
    int ncols;
    const char *const *head;
    bool text;          /* a key / value table: no right-aligned numbers */
    unsigned left_cols; /* bit c: column c is text, left-aligned */
    char **cells;
    size_t n, cap;
} rpt_tbl;

void rpt_tbl_init(rpt_tbl *t, int ncols, const char *const *head);
void rpt_tbl_cell(rpt_tbl *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "113.3 MiB" / "1,234" / "-" for NAN */
void rpt_tbl_bytes(rpt_tbl *t, double v);
void rpt_tbl_count(rpt_tbl *t, double v);
/* Write the table to both documents and free its cells. */
void rpt_tbl_emit(rpt_doc *d, rpt_tbl *t);

/* "2026-12-06 05:24:40 UTC" */
void rpt_fmt_time(char *out, size_t cap, int64_t ms);

#endif
