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

/* The reader's state over the text. */
typedef struct jparse {
    mon_fields *out;
    size_t added;
    enum { GLOBAL, ARENA, DONE } where;
    enum { NONE, BINS, LARGE, EXTENTS, DECAY, SUMMARY } tab;
    table t;
    bins_acc acc;
    double page, dirty_npages, ext[3];
    bool seen_jemalloc, have_ext, hpa;
    strbuf name;
} jparse;

/* A row of the bins, large or extents table. */
static void arena_table_row(jparse *s, const line *tok, int nt)
{
    if (s->tab == BINS) {
        table_row("bin", &s->t, tok, nt, bin_cols, s->out, &s->added, &s->acc);
    } else if (s->tab == LARGE) {
        table_row("large", &s->t, tok, nt, large_cols, s->out, &s->added, NULL);
    } else {
        static const char *ec[] = {"dirty", "muzzy", "retained"};
        for (int k = 0; k < 3; k++) {
            int c = table_find(&s->t, ec[k]);
            double v;
            if (c >= 0 && c < nt && tok_num(tok[c], &v)) {
                s->ext[k] += v;
                s->have_ext = true;
            }
        }
    }
}

/* "dirty:" or "muzzy:" under the header "decaying: time npages sweeps
 * madvises purged". */
static void arena_decay_row(jparse *s, const line *tok, int nt)
{
    const char *kind = tok[0].p[0] == 'd' ? "dirty" : "muzzy";
    for (int c = 0; c < s->t.ncol && c + 1 < nt; c++) {
        /* the row's first token is its label: column c is token c + 1 */
        double v;
        if (!tok_num(tok[c + 1], &v) || tok_is(s->t.col[c], "time"))
            continue;
        sb_reset(&s->name);
        sb_addf(&s->name, "jemalloc.arenas.%s_%.*s", kind, (int)s->t.col[c].n, s->t.col[c].p);
        add(s->out, &s->added, s->name.buf, v);
        if (kind[0] == 'd' && tok_is(s->t.col[c], "npages"))
            s->dirty_npages = v;
    }
}

/* One line of the (first) arena block: a table header, a table row, or a
 * summary line ("small: allocated nmalloc ...", "active: 1921024"). */
static void arena_line(jparse *s, line l, const line *tok, int nt)
{
    if (tok_is(tok[0], "bins:") || (tok_is(tok[0], "large:") && nt > 1 && tok_is(tok[1], "size")) ||
        tok_is(tok[0], "extents:")) {
        s->tab = tok_is(tok[0], "bins:") ? BINS : tok_is(tok[0], "large:") ? LARGE : EXTENTS;
        table_header(&s->t, tok, nt);
        return;
    }
    if (tok_is(tok[0], "decaying:")) {
        s->tab = DECAY;
        table_header(&s->t, tok, nt);
        return;
    }
    if (tok_is(tok[0], "---"))
        return;
    if (starts(l, "HPA shard stats:") || starts(l, "Bytes in small extent cache")) {
        s->tab = NONE; /* hugepage allocator details: not memory totals */
        s->hpa = true;
        return;
    }
    if (s->hpa)
        return;
    double v;
    if ((s->tab == BINS || s->tab == LARGE || s->tab == EXTENTS) && tok_num(tok[0], &v)) {
        arena_table_row(s, tok, nt);
        return;
    }
    if (s->tab == DECAY && (tok_is(tok[0], "dirty:") || tok_is(tok[0], "muzzy:"))) {
        arena_decay_row(s, tok, nt);
        return;
    }
    if (tok[0].n > 1 && tok[0].p[tok[0].n - 1] == ':' && nt >= 2 && tok_num(tok[1], &v)) {
        s->tab = SUMMARY;
        sb_reset(&s->name);
        sb_addf(&s->name, "jemalloc.arenas.%.*s", (int)(tok[0].n - 1), tok[0].p);
        /* small / large / total: the allocated column */
        if (tok_is(tok[0], "small:") || tok_is(tok[0], "large:") || tok_is(tok[0], "total:"))
            sb_addstr(&s->name, "_allocated");
        add(s->out, &s->added, s->name.buf, v);
    }
}

/* Figures made of the ones read: ratios, bins' use, bytes from pages. */
static void derived(jparse *s)
{
    mon_fields *out = s->out;
    size_t *added = &s->added;
    /* values, not pointers: add() may move the array */
    const double *v;
    double al = (v = mon_fields_get(out, "jemalloc.allocated")) ? *v : NAN;
    double ac = (v = mon_fields_get(out, "jemalloc.active")) ? *v : NAN;
    double rs = (v = mon_fields_get(out, "jemalloc.resident")) ? *v : NAN;
    if (al > 0 && !isnan(ac))
        add(out, added, "jemalloc.frag_ratio", ac / al);
    if (al > 0 && !isnan(rs))
        add(out, added, "jemalloc.resident_ratio", rs / al);
    if (s->acc.any && s->acc.cap_bytes > 0) {
        add(out, added, "jemalloc.bins_util", s->acc.used_bytes / s->acc.cap_bytes);
        add(out, added, "jemalloc.bins_frag_bytes", s->acc.cap_bytes - s->acc.used_bytes);
    }
    if (s->page > 0)
        add(out, added, "jemalloc.page_size_bytes", s->page);
    if (s->page > 0 && !isnan(s->dirty_npages))
        add(out, added, "jemalloc.dirty_bytes", s->dirty_npages * s->page);
    if (s->have_ext) {
        add(out, added, "jemalloc.extents.dirty_bytes", s->ext[0]);
        add(out, added, "jemalloc.extents.muzzy_bytes", s->ext[1]);
        add(out, added, "jemalloc.extents.retained_bytes", s->ext[2]);
    }
}

size_t mon_jemalloc_parse(const char *text, size_t len, mon_fields *out)
{
    jparse s = {.out = out, .where = GLOBAL, .tab = NONE, .dirty_npages = NAN};
    const char *p = text, *end = text + len;
    line tok[MAX_COLS];
    while (p < end && s.where != DONE) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        line l = {p, (size_t)((nl ? nl : end) - p)};
        p = nl ? nl + 1 : end;
        if (l.n && l.p[l.n - 1] == '\r')
            l.n--;
        if (starts(l, "___ Begin jemalloc statistics"))
            s.seen_jemalloc = true;
        if (starts(l, "--- End jemalloc statistics"))
            break;
        if (starts(l, "Merged arenas stats:") || starts(l, "arenas[")) {
            /* only the first block: merged, or the only arena */
            s.where = s.where == ARENA ? DONE : ARENA;
            s.tab = NONE;
            continue;
        }
        if (starts(l, "Destroyed arenas stats:")) {
            if (s.where == ARENA)
                s.where = DONE;
            continue;
        }
        int nt = split(l, tok);
        if (nt == 0)
            continue;
        if (s.where == ARENA) {
            arena_line(&s, l, tok, nt);
        } else if (starts(l, "Allocated:")) {
            parse_global(l, out, &s.added);
            s.seen_jemalloc = true;
        } else if (starts(l, "Page size:") && nt == 3) {
            tok_num(tok[2], &s.page);
        }
    }
    sb_release(&s.name);
    if (!s.seen_jemalloc && s.added == 0)
        return 0;
    derived(&s);
    return s.added;
}
