/* mon_jemalloc: MALLOC-STATS text reader; see mon_jemalloc.h.
 *
 * Hand-written: no library parses this text (it is meant for humans); the
 * one in jemalloc's own tools is Perl. */
#include "mon_jemalloc.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../util/strbuf.h"

#define MAX_COLS 64
#define MAX_TOK 40

typedef struct line {
    const char *p;
    size_t n;
} line;

/* Split a line on blanks into at most MAX_COLS tokens. */
static int split(line l, line *tok)
{
    int nt = 0;
    size_t i = 0;
    while (i < l.n && nt < MAX_COLS) {
        while (i < l.n && (l.p[i] == ' ' || l.p[i] == '\t'))
            i++;
        if (i >= l.n)
            break;
        size_t s = i;
        while (i < l.n && l.p[i] != ' ' && l.p[i] != '\t')
            i++;
        tok[nt].p = l.p + s;
        tok[nt].n = i - s;
        nt++;
    }
    return nt;
}

static bool tok_is(line t, const char *s)
{
    return t.n == strlen(s) && !memcmp(t.p, s, t.n);
}

static bool starts(line l, const char *s)
{
    size_t n = strlen(s);
    return l.n >= n && !memcmp(l.p, s, n);
}

/* A token as a number: digits with an optional fraction, nothing else. */
static bool tok_num(line t, double *v)
{
    char tmp[MAX_TOK];
    if (t.n == 0 || t.n >= sizeof(tmp))
        return false;
    memcpy(tmp, t.p, t.n);
    tmp[t.n] = '\0';
    if (!((tmp[0] >= '0' && tmp[0] <= '9') || tmp[0] == '-'))
        return false;
    char *end;
    double x = strtod(tmp, &end);
    if (*end == ',')
        end++;
    if (*end || !isfinite(x))
        return false;
    *v = x;
    return true;
}

/* Add a field unless the text named it already (a repeated line or table
 * row in odd input must not become a duplicate series). */
static void add(mon_fields *out, size_t *added, const char *name, double v)
{
    if (mon_fields_get(out, name))
        return;
    mon_fields_add(out, name, strlen(name), v);
    (*added)++;
}

/* "Allocated: 1776864, active: 1921024, metadata: 2757616 (n_thp 0), ..." */
static void parse_global(line l, mon_fields *out, size_t *added)
{
    static const char *keys[] = {"Allocated", "active", "metadata",
                                 "resident",  "mapped", "retained"};
    static const char *names[] = {"jemalloc.allocated", "jemalloc.active", "jemalloc.metadata",
                                  "jemalloc.resident",  "jemalloc.mapped", "jemalloc.retained"};
    line tok[MAX_COLS];
    int nt = split(l, tok);
    for (int i = 0; i + 1 < nt; i++) {
        if (tok[i].n < 2 || tok[i].p[tok[i].n - 1] != ':')
            continue;
        line k = {tok[i].p, tok[i].n - 1};
        double v;
        for (size_t j = 0; j < sizeof(keys) / sizeof(keys[0]); j++)
            if (tok_is(k, keys[j]) && tok_num(tok[i + 1], &v))
                add(out, added, names[j], v);
    }
}

typedef struct table {
    line col[MAX_COLS]; /* column names (header tokens after the label) */
    int ncol;
} table;

static void table_header(table *t, const line *tok, int nt)
{
    t->ncol = 0;
    for (int i = 1; i < nt && t->ncol < MAX_COLS; i++)
        t->col[t->ncol++] = tok[i];
}

static int table_find(const table *t, const char *name)
{
    for (int i = 0; i < t->ncol; i++)
        if (tok_is(t->col[i], name))
            return i;
    return -1;
}

typedef struct bins_acc {
    double used_bytes, cap_bytes;
    bool any;
} bins_acc;

static void table_row(const char *kind, const table *t, const line *tok, int nt,
                      const char *const *keep, mon_fields *out, size_t *added, bins_acc *acc)
{
    int isize = table_find(t, "size");
    double size;
    if (isize < 0 || isize >= nt || !tok_num(tok[isize], &size))
        return;
    strbuf name = STRBUF_INIT;
    sb_addf(&name, "jemalloc.%s.%.0f.", kind, size);
    size_t base = name.len;
    double curregs = NAN, curslabs = NAN, regs = NAN;
    for (int k = 0; keep[k]; k++) {
        int c = table_find(t, keep[k]);
        double v;
        if (c < 0 || c >= nt || !tok_num(tok[c], &v))
            continue;
        name.len = base;
        sb_addstr(&name, keep[k]);
        add(out, added, name.buf, v);
        if (!strcmp(keep[k], "curregs"))
            curregs = v;
        else if (!strcmp(keep[k], "curslabs"))
            curslabs = v;
        else if (!strcmp(keep[k], "regs"))
            regs = v;
    }
    if (acc && !isnan(curregs) && !isnan(curslabs) && !isnan(regs)) {
        acc->used_bytes += curregs * size;
        acc->cap_bytes += curslabs * regs * size;
        acc->any = true;
    }
    sb_release(&name);
}

static const char *bin_cols[] = {"allocated",     "nmalloc", "ndalloc", "curregs", "curslabs",
                                 "nonfull_slabs", "regs",    "pgs",     "util",    NULL};
static const char *large_cols[] = {"allocated", "curlextents", NULL};

size_t mon_jemalloc_parse(const char *text, size_t len, mon_fields *out)
{
    size_t added = 0;
    enum { GLOBAL, ARENA, DONE } where = GLOBAL;
    enum { NONE, BINS, LARGE, EXTENTS, DECAY, SUMMARY } tab = NONE;
    table t = {0};
    bins_acc acc = {0};
    double page = 0, dirty_npages = NAN, ext[3] = {0, 0, 0};
    bool seen_jemalloc = false, have_ext = false, hpa = false;
    const char *p = text, *end = text + len;
    line tok[MAX_COLS];
    strbuf name = STRBUF_INIT;
    while (p < end && where != DONE) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        line l = {p, (size_t)((nl ? nl : end) - p)};
        p = nl ? nl + 1 : end;
        if (l.n && l.p[l.n - 1] == '\r')
            l.n--;
        if (starts(l, "___ Begin jemalloc statistics"))
            seen_jemalloc = true;
        if (starts(l, "--- End jemalloc statistics"))
            break;
        if (starts(l, "Merged arenas stats:") || starts(l, "arenas[")) {
            if (where == ARENA)
                where = DONE; /* only the first block: merged, or the only arena */
            else
                where = ARENA;
            tab = NONE;
            continue;
        }
        if (starts(l, "Destroyed arenas stats:")) {
            if (where == ARENA)
                where = DONE;
            continue;
        }
        int nt = split(l, tok);
        if (nt == 0)
            continue;
        if (where == GLOBAL) {
            if (starts(l, "Allocated:")) {
                parse_global(l, out, &added);
                seen_jemalloc = true;
            } else if (starts(l, "Page size:") && nt == 3) {
                tok_num(tok[2], &page);
            }
            continue;
        }
        /* inside the arena block */
        if (tok_is(tok[0], "bins:") ||
            (tok_is(tok[0], "large:") && nt > 1 && tok_is(tok[1], "size")) ||
            tok_is(tok[0], "extents:")) {
            tab = tok_is(tok[0], "bins:") ? BINS : tok_is(tok[0], "large:") ? LARGE : EXTENTS;
            table_header(&t, tok, nt);
            continue;
        }
        if (tok_is(tok[0], "decaying:")) {
            tab = DECAY;
            table_header(&t, tok, nt);
            continue;
        }
        if (tok_is(tok[0], "---"))
            continue;
        if (starts(l, "HPA shard stats:") || starts(l, "Bytes in small extent cache")) {
            tab = NONE; /* hugepage allocator details: not memory totals */
            hpa = true;
            continue;
        }
        if (hpa)
            continue;
        double v;
        if ((tab == BINS || tab == LARGE || tab == EXTENTS) && tok_num(tok[0], &v)) {
            if (tab == BINS)
                table_row("bin", &t, tok, nt, bin_cols, out, &added, &acc);
            else if (tab == LARGE)
                table_row("large", &t, tok, nt, large_cols, out, &added, NULL);
            else {
                static const char *ec[] = {"dirty", "muzzy", "retained"};
                for (int k = 0; k < 3; k++) {
                    int c = table_find(&t, ec[k]);
                    if (c >= 0 && c < nt && tok_num(tok[c], &v)) {
                        ext[k] += v;
                        have_ext = true;
                    }
                }
            }
            continue;
        }
        if (tab == DECAY && (tok_is(tok[0], "dirty:") || tok_is(tok[0], "muzzy:"))) {
            /* header: decaying: time npages sweeps madvises purged */
            const char *kind = tok[0].p[0] == 'd' ? "dirty" : "muzzy";
            for (int c = 0; c < t.ncol && c + 1 < nt; c++) {
                /* the row's first token is its label: column c is token c + 1 */
                if (!tok_num(tok[c + 1], &v) || tok_is(t.col[c], "time"))
                    continue;
                sb_reset(&name);
                sb_addf(&name, "jemalloc.arenas.%s_%.*s", kind, (int)t.col[c].n, t.col[c].p);
                add(out, &added, name.buf, v);
                if (kind[0] == 'd' && tok_is(t.col[c], "npages"))
                    dirty_npages = v;
            }
            continue;
        }
        /* arena summary: "small: allocated nmalloc ...", "active: 1921024" */
        if (tok[0].n > 1 && tok[0].p[tok[0].n - 1] == ':' && nt >= 2 && tok_num(tok[1], &v)) {
            tab = SUMMARY;
            sb_reset(&name);
            sb_addf(&name, "jemalloc.arenas.%.*s", (int)(tok[0].n - 1), tok[0].p);
            bool row3 =
                tok_is(tok[0], "small:") || tok_is(tok[0], "large:") || tok_is(tok[0], "total:");
            if (row3) /* small / large / total: the allocated column */
                sb_addstr(&name, "_allocated");
            add(out, &added, name.buf, v);
            continue;
        }
    }
    sb_release(&name);
    if (!seen_jemalloc && added == 0)
        return 0;
    /* values, not pointers: add() may move the array */
    const double *v;
    double al = (v = mon_fields_get(out, "jemalloc.allocated")) ? *v : NAN;
    double ac = (v = mon_fields_get(out, "jemalloc.active")) ? *v : NAN;
    double rs = (v = mon_fields_get(out, "jemalloc.resident")) ? *v : NAN;
    if (al > 0 && !isnan(ac))
        add(out, &added, "jemalloc.frag_ratio", ac / al);
    if (al > 0 && !isnan(rs))
        add(out, &added, "jemalloc.resident_ratio", rs / al);
    if (acc.any && acc.cap_bytes > 0) {
        add(out, &added, "jemalloc.bins_util", acc.used_bytes / acc.cap_bytes);
        add(out, &added, "jemalloc.bins_frag_bytes", acc.cap_bytes - acc.used_bytes);
    }
    if (page > 0)
        add(out, &added, "jemalloc.page_size_bytes", page);
    if (page > 0 && !isnan(dirty_npages))
        add(out, &added, "jemalloc.dirty_bytes", dirty_npages * page);
    if (have_ext) {
        add(out, &added, "jemalloc.extents.dirty_bytes", ext[0]);
        add(out, &added, "jemalloc.extents.muzzy_bytes", ext[1]);
        add(out, &added, "jemalloc.extents.retained_bytes", ext[2]);
    }
    return added;
}
