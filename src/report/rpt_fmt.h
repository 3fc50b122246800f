/* rpt_fmt: numbers as people read them in reports — bytes with binary
 * units, counts with thousands separators, signed percentages — and the
 * escaping of untrusted text (node names, phase labels, JSON strings) for
 * HTML and Markdown. */
#ifndef RPT_FMT_H
#define RPT_FMT_H

#include <stddef.h>

#include "../util/strbuf.h"

/* "113.3 MiB", "940 B", "-4.0 MiB" (sign kept). */
void rpt_fmt_bytes(strbuf *sb, double bytes);
/* "1,234,567" (rounded to a whole number). */
void rpt_fmt_count(strbuf *sb, double v);
/* "+3.1 %" / "-50.0 %"; "n/a" when base is 0. */
void rpt_fmt_change(strbuf *sb, double from, double to);
/* Escape &<>"' for HTML text and attributes. */
void rpt_html_escape(strbuf *sb, const char *s);
/* Escape | and newlines for a Markdown table cell. */
void rpt_md_escape(strbuf *sb, const char *s);

#endif
