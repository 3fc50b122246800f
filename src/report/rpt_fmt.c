/* rpt_fmt: see rpt_fmt.h. */
#include "rpt_fmt.h"

#include <math.h>
#include <stdio.h>

void rpt_fmt_bytes(strbuf *sb, double bytes)
{
    static const char *units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double a = fabs(bytes);
    int u = 0;
    while (a >= 1024 && u < 4) {
        a /= 1024;
        u++;
    }
    const char *sign = bytes < 0 ? "-" : "";
    if (u == 0)
        sb_addf(sb, "%s%.0f B", sign, a);
    else
        sb_addf(sb, "%s%.*f %s", sign, a < 10 ? 2 : 1, a, units[u]);
}

void rpt_fmt_count(strbuf *sb, double v)
{
    if (!isfinite(v)) {
        sb_addstr(sb, "n/a");
        return;
    }
    char digits[32];
    int n = snprintf(digits, sizeof(digits), "%.0f", fabs(v));
    if (v <= -0.5)
        sb_addch(sb, '-');
    for (int i = 0; i < n; i++) {
        sb_addch(sb, digits[i]);
        if ((n - i - 1) % 3 == 0 && i != n - 1)
            sb_addch(sb, ',');
    }
}

void rpt_fmt_change(strbuf *sb, double from, double to)
{
    if (from == 0 || !isfinite(from) || !isfinite(to)) {
        sb_addstr(sb, "n/a");
        return;
    }
    sb_addf(sb, "%+.1f %%", (to - from) / fabs(from) * 100);
}

void rpt_html_escape(strbuf *sb, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&':
            sb_addstr(sb, "&amp;");
            break;
        case '<':
            sb_addstr(sb, "&lt;");
            break;
        case '>':
            sb_addstr(sb, "&gt;");
            break;
        case '"':
            sb_addstr(sb, "&quot;");
            break;
        case '\'':
            sb_addstr(sb, "&#39;");
            break;
        default:
            sb_addch(sb, *s);
        }
    }
}

void rpt_md_escape(strbuf *sb, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '|')
            sb_addstr(sb, "\\|");
        else if (*s == '\n' || *s == '\r')
            sb_addch(sb, ' ');
        else if (*s == '<')
            sb_addstr(sb, "&lt;");
        else
            sb_addch(sb, *s);
    }
}
