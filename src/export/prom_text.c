/* prom_text: see prom_text.h.  Written by hand: the format is a few lines
 * of text per metric, and the C client libraries for Prometheus are not
 * packaged by Debian. */
#include "prom_text.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../util/hist.h"
#include "../util/vm_grow.h"
#include "csv_row.h"

static bool ends(const char *s, size_t n, const char *suf)
{
    size_t m = strlen(suf);
    return n >= m && !memcmp(s + n - m, suf, m);
}

/* Append s[0..n) as a metric name part: [a-zA-Z0-9_], others become '_'. */
static void add_sanitized(strbuf *sb, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char o = (char)(isalnum(c) || c == '_' ? c : '_');
        if (o == '_' && sb->len && sb->buf[sb->len - 1] == '_')
            continue; /* no "__": they read as reserved */
        sb_addch(sb, o);
    }
}

void prom_add_label_value(strbuf *out, const char *v)
{
    for (; v && *v; v++) {
        if (*v == '\\' || *v == '"')
            sb_addch(out, '\\'), sb_addch(out, *v);
        else if (*v == '\n')
            sb_addstr(out, "\\n");
        else
            sb_addch(out, *v);
    }
}

static void add_label(strbuf *labels, const char *k, const char *v, size_t vn)
{
    if (labels->len)
        sb_addch(labels, ',');
    sb_addf(labels, "%s=\"", k);
    char tmp[256];
    size_t n = vn < sizeof(tmp) - 1 ? vn : sizeof(tmp) - 1;
    memcpy(tmp, v, n);
    tmp[n] = '\0';
    prom_add_label_value(labels, tmp);
    sb_addch(labels, '"');
}

/* Strip a suffix from the name being built. */
static bool cut(strbuf *sb, const char *suf)
{
    if (!ends(sb->buf, sb->len, suf))
        return false;
    sb->len -= strlen(suf);
    sb->buf[sb->len] = '\0';
    return true;
}

static void add_suffix(strbuf *sb, const char *suf)
{
    if (!ends(sb->buf, sb->len, suf))
        sb_addstr(sb, suf);
}

/* "<base>.p99.9" -> quantile "0.999"; returns the length of base or 0. */
static size_t quantile_split(const char *f, char *q, size_t qcap)
{
    const char *p = strstr(f, ".p");
    while (p) {
        const char *d = p + 2;
        bool ok = *d != '\0';
        for (const char *x = d; *x; x++)
            if (!(isdigit((unsigned char)*x) || *x == '.'))
                ok = false;
        if (ok) {
            double v = strtod(d, NULL) / 100.0;
            snprintf(q, qcap, "%g", v);
            return (size_t)(p - f);
        }
        p = strstr(p + 1, ".p");
    }
    return 0;
}

/* The field name as a metric name after the prefix, with the parts that
 * are really labels (index, attribute, size, db, quantile) taken out. */
static void name_and_labels(const char *f, strbuf *name, strbuf *labels)
{
    char q[32];
    size_t qb;
    if (!strncmp(f, "ft.", 3) && strchr(f + 3, '.')) {
        const char *a = f + 3, *b = strchr(a, '.');
        const char *c = strchr(b + 1, '.');
        add_label(labels, "index", a, (size_t)(b - a));
        if (!c) {
            sb_addstr(name, "ft_index_");
            add_sanitized(name, b + 1, strlen(b + 1));
        } else {
            add_label(labels, "attribute", b + 1, (size_t)(c - b - 1));
            sb_addstr(name, "ft_attribute_");
            add_sanitized(name, c + 1, strlen(c + 1));
        }
    } else if ((!strncmp(f, "jemalloc.bin.", 13) && strchr(f + 13, '.')) ||
               (!strncmp(f, "jemalloc.large.", 15) && strchr(f + 15, '.'))) {
        bool bin = f[9] == 'b';
        const char *a = f + (bin ? 13 : 15), *b = strchr(a, '.');
        add_label(labels, "size", a, (size_t)(b - a));
        sb_addstr(name, bin ? "jemalloc_bin_" : "jemalloc_large_");
        add_sanitized(name, b + 1, strlen(b + 1));
    } else if (!strncmp(f, "db", 2) && isdigit((unsigned char)f[2]) && strchr(f, '.')) {
        const char *b = strchr(f, '.');
        add_label(labels, "db", f, (size_t)(b - f));
        sb_addstr(name, "keyspace_");
        add_sanitized(name, b + 1, strlen(b + 1));
    } else if ((qb = quantile_split(f, q, sizeof(q))) > 0) {
        add_sanitized(name, f, qb);
        add_label(labels, "quantile", q, strlen(q));
    } else {
        add_sanitized(name, f, strlen(f));
    }
}

/* Give the name the suffix of its unit in base units (the unit's own
 * spelling cut first); returns the factor that brings a value there. */
static double unit_suffix(strbuf *name, mon_unit u)
{
    switch (u) {
    case MON_U_BYTES:
        add_suffix(name, "_bytes");
        return 1;
    case MON_U_SECONDS:
        if (!cut(name, "_in_seconds"))
            cut(name, "_sec");
        add_suffix(name, "_seconds");
        return 1;
    case MON_U_MILLISECONDS:
        if (!cut(name, "_milliseconds"))
            cut(name, "_ms");
        add_suffix(name, "_seconds");
        return 1e-3;
    case MON_U_MICROSECONDS:
        if (!cut(name, "_usec"))
            cut(name, "_us");
        add_suffix(name, "_seconds");
        return 1e-6;
    case MON_U_NANOSECONDS:
        cut(name, "_ns");
        add_suffix(name, "_seconds");
        return 1e-9;
    case MON_U_RATIO:
        add_suffix(name, "_ratio");
        return 1;
    case MON_U_PERCENT:
        if (!cut(name, "_percentage") && !cut(name, "_percent"))
            cut(name, "_perc");
        add_suffix(name, "_ratio");
        return 0.01;
    case MON_U_UNIX_SECONDS:
        add_suffix(name, "_timestamp_seconds");
        return 1;
    default:
        return 1;
    }
}

void prom_name(const mon_field *f, strbuf *name, strbuf *labels, double *scale)
{
    sb_reset(name);
    sb_reset(labels);
    sb_addstr(name, PROM_PREFIX);
    name_and_labels(f->name, name, labels);
    *scale = unit_suffix(name, f->unit);
    if (f->counter)
        add_suffix(name, "_total");
}

void prom_set_add(prom_set *set, const char *name, const char *labels, double value, char type)
{
    VM_GROW(set->v, set->n + 1, set->cap);
    prom_series *s = &set->v[set->n++];
    s->name = strdup(name);
    s->labels = strdup(labels ? labels : "");
    if (!s->name || !s->labels)
        abort();
    s->value = value;
    s->type = type;
}

void prom_set_add_sample(prom_set *set, const mon_sample *s)
{
    strbuf name = STRBUF_INIT, labels = STRBUF_INIT;
    for (size_t i = 0; i < s->fields.n; i++) {
        const mon_field *f = &s->fields.v[i];
        double scale;
        prom_name(f, &name, &labels, &scale);
        prom_set_add(set, name.buf, labels.buf, f->value * scale, f->counter ? 'c' : 'g');
    }
    prom_set_add(set, PROM_PREFIX "live_vectors", "", (double)s->labels.live_vectors, 'g');
    prom_set_add(set, PROM_PREFIX "inserted_vectors_total", "", (double)s->labels.inserted_total,
                 'c');
    prom_set_add(set, PROM_PREFIX "deleted_vectors_total", "", (double)s->labels.deleted_total,
                 'c');
    prom_set_add(set, PROM_PREFIX "sample_timestamp_seconds", "", (double)s->wall_ms / 1000.0, 'g');
    sb_reset(&labels);
    sb_addstr(&labels, "phase=\"");
    prom_add_label_value(&labels, s->labels.phase ? s->labels.phase : "");
    sb_addstr(&labels, "\",step=\"");
    prom_add_label_value(&labels, s->labels.step ? s->labels.step : "");
    sb_addstr(&labels, "\",role=\"");
    prom_add_label_value(&labels, s->role ? s->role : "");
    sb_addch(&labels, '"');
    prom_set_add(set, PROM_PREFIX "sample_info", labels.buf, 1, 'g');
    sb_release(&name);
    sb_release(&labels);
}

static int cmp_series(const void *a, const void *b)
{
    const prom_series *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : strcmp(x->labels, y->labels);
}

static void add_value(strbuf *out, double v)
{
    if (isnan(v))
        sb_addstr(out, "NaN");
    else if (isinf(v))
        sb_addstr(out, v > 0 ? "+Inf" : "-Inf");
    else {
        char buf[40];
        csv_fmt_num(buf, v);
        sb_addstr(out, buf);
    }
}

void prom_set_render(prom_set *set, strbuf *out)
{
    /* stable order: a name keeps the type of its first series */
    qsort(set->v, set->n, sizeof(*set->v), cmp_series);
    const char *cur = NULL;
    for (size_t i = 0; i < set->n; i++) {
        prom_series *s = &set->v[i];
        if (i > 0 && !cmp_series(s, &set->v[i - 1]))
            continue; /* the same series twice: keep the first */
        if (!cur || strcmp(cur, s->name)) {
            cur = s->name;
            sb_addf(out, "# TYPE %s %s\n", s->name, s->type == 'c' ? "counter" : "gauge");
        }
        sb_addstr(out, s->name);
        if (s->labels[0])
            sb_addf(out, "{%s}", s->labels);
        sb_addch(out, ' ');
        add_value(out, s->value);
        sb_addch(out, '\n');
    }
}

void prom_set_free(prom_set *set)
{
    for (size_t i = 0; i < set->n; i++) {
        free(set->v[i].name);
        free(set->v[i].labels);
    }
    free(set->v);
    memset(set, 0, sizeof(*set));
}

static void hist_line(strbuf *out, const prom_hist *h, const char *suffix, const char *le)
{
    sb_addf(out, PROM_PREFIX "%s%s", h->name, suffix);
    bool any = (h->labels && h->labels[0]) || le;
    if (any) {
        sb_addch(out, '{');
        if (h->labels && h->labels[0])
            sb_addstr(out, h->labels);
        if (le)
            sb_addf(out, "%sle=\"%s\"", h->labels && h->labels[0] ? "," : "", le);
        sb_addch(out, '}');
    }
    sb_addch(out, ' ');
}

void prom_render_hist(strbuf *out, const prom_hist *h)
{
    sb_addf(out, "# TYPE " PROM_PREFIX "%s histogram\n", h->name);
    for (size_t i = 0; i < h->nbuckets; i++) {
        char le[40];
        csv_fmt_num(le, h->le[i]);
        hist_line(out, h, "_bucket", le);
        sb_addf(out, "%llu\n", (unsigned long long)h->counts[i]);
    }
    hist_line(out, h, "_bucket", "+Inf");
    sb_addf(out, "%llu\n", (unsigned long long)h->count);
    hist_line(out, h, "_sum", NULL);
    add_value(out, h->sum);
    sb_addch(out, '\n');
    hist_line(out, h, "_count", NULL);
    sb_addf(out, "%llu\n", (unsigned long long)h->count);
}

void prom_render_latency(strbuf *out, const char *name, const char *labels, const hist *h)
{
    static const double le_s[PROM_LATENCY_BOUNDS] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                     0.01,   0.025,   0.05,   0.1,   0.25,   0.5,
                                                     1,      2.5,     5,      10};
    uint64_t counts[PROM_LATENCY_BOUNDS];
    for (int i = 0; i < PROM_LATENCY_BOUNDS; i++)
        counts[i] = hist_count_le(h, (uint64_t)(le_s[i] * 1e9 + 0.5));
    prom_hist ph = {name,    labels, PROM_LATENCY_BOUNDS, le_s, counts, (double)h->sum_ns / 1e9,
                    h->count};
    prom_render_hist(out, &ph);
}
