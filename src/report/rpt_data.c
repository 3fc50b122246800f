/* rpt_data: see rpt_data.h.  The CSV splitter is hand-written: the files
 * are the tool's own (no embedded newlines), a split in place of one line
 * is all that is needed, and double-quoted cells are accepted for files a
 * spreadsheet has touched. */
#include "rpt_data.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../util/vm_grow.h"

/* ---- a small string -> int hash map (lookup of series and names) ---- */

typedef struct smap_entry {
    char *key;
    int value;
    struct smap_entry *next;
} smap_entry;

typedef struct smap {
    smap_entry **b;
    size_t nb, n;
} smap;

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static int *smap_get(smap *m, const char *key)
{
    if (!m->nb)
        return NULL;
    for (smap_entry *e = m->b[hash_str(key) & (m->nb - 1)]; e; e = e->next)
        if (!strcmp(e->key, key))
            return &e->value;
    return NULL;
}

static void smap_put(smap *m, const char *key, int value)
{
    if (m->n + 1 > m->nb) {
        size_t nb = m->nb ? m->nb * 2 : 64;
        smap_entry **b = calloc(nb, sizeof(*b));
        for (size_t i = 0; i < m->nb; i++)
            for (smap_entry *e = m->b[i], *nx; e; e = nx) {
                nx = e->next;
                size_t j = hash_str(e->key) & (nb - 1);
                e->next = b[j];
                b[j] = e;
            }
        free(m->b);
        m->b = b;
        m->nb = nb;
    }
    smap_entry *e = malloc(sizeof(*e));
    e->key = strdup(key);
    e->value = value;
    size_t j = hash_str(key) & (m->nb - 1);
    e->next = m->b[j];
    m->b[j] = e;
    m->n++;
}

static void smap_free(smap *m)
{
    for (size_t i = 0; i < m->nb; i++)
        for (smap_entry *e = m->b[i], *nx; e; e = nx) {
            nx = e->next;
            free(e->key);
            free(e);
        }
    free(m->b);
    memset(m, 0, sizeof(*m));
}

typedef struct rpt_index {
    smap series; /* "<node idx>\x1f<metric>" -> series idx */
    smap nodes;  /* node name -> node idx */
    smap names;  /* label -> name idx */
    smap wanted; /* metric -> 0/1, so each name is judged once */
} rpt_index;

/* ---- which metrics are kept, under which names ---- */

typedef struct alias_row {
    const char *canonical;
    const char *names[4];
} alias_row;

static const alias_row aliases[] = {
    {"used_memory", {"used_memory"}},
    {"used_memory_rss", {"used_memory_rss"}},
    {"process_rss", {"proc.rss_bytes", "process_rss_bytes"}},
    {"used_memory_dataset", {"used_memory_dataset"}},
    {"used_memory_startup", {"used_memory_startup"}},
    {"search_used_memory_bytes", {"search_used_memory_bytes", "search.used_memory_bytes"}},
    {"search_index_reclaimable_memory", {"search_index_reclaimable_memory"}},
    {"allocator_allocated", {"allocator_allocated", "jemalloc.allocated"}},
    {"allocator_active", {"allocator_active", "jemalloc.active"}},
    {"allocator_resident", {"allocator_resident", "jemalloc.resident"}},
    {"mem_fragmentation_ratio", {"mem_fragmentation_ratio"}},
    {"allocator_frag_ratio", {"allocator_frag_ratio", "jemalloc.frag_ratio"}},
    {"allocator_rss_ratio", {"allocator_rss_ratio", "jemalloc.resident_ratio"}},
    {"rss_overhead_ratio", {"rss_overhead_ratio"}},
    {"num_docs", {"ft.num_docs", "num_docs"}},
    {"vector_capacity", {"ft.vector_capacity"}},
    {"vector_size", {"ft.vector_size"}},
    {"dbsize", {"dbsize", "db0.keys"}},
    {"tool_live", {"tool.live_vectors"}},
    {"tool_deleted", {"tool.deleted_total"}},
    {"maxmemory", {"maxmemory"}},
    {"total_system_memory", {"total_system_memory"}},
    {"search_number_of_indexes", {"search_number_of_indexes"}},
};

static bool is_category(const char *name, const char *cat)
{
    char low[128];
    size_t i = 0;
    for (; name[i] && i < sizeof(low) - 1; i++)
        low[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] + 32 : name[i]);
    low[i] = 0;
    if (!strcmp(cat, "recall"))
        return strstr(low, "recall") != NULL;
    if (!strcmp(cat, "qps"))
        return strstr(low, "qps") || strstr(low, "queries_per_second") ||
               strstr(low, "ops_per_second");
    if (!strcmp(cat, "latency"))
        return strstr(low, "latency") &&
               (strstr(low, "p50") || strstr(low, "p90") || strstr(low, "p95") ||
                strstr(low, "p99") || strstr(low, "p999") || strstr(low, "p99.9"));
    return false;
}

bool rpt_metric_wanted(const char *name)
{
    for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
        for (int j = 0; j < 4 && aliases[i].names[j]; j++)
            if (!strcmp(aliases[i].names[j], name))
                return true;
    return is_category(name, "recall") || is_category(name, "qps") || is_category(name, "latency");
}

/* ---- building ---- */

void rpt_data_init(rpt_data *d)
{
    memset(d, 0, sizeof(*d));
    d->index = calloc(1, sizeof(rpt_index));
}

void rpt_data_free(rpt_data *d)
{
    for (size_t i = 0; i < d->nnodes; i++) {
        rpt_node *n = &d->nodes[i];
        for (size_t j = 0; j < n->nseries; j++) {
            free(n->series[j].metric);
            free(n->series[j].t_ms);
            free(n->series[j].v);
        }
        free(n->series);
        free(n->labels);
        free(n->name);
        free(n->role);
    }
    free(d->nodes);
    for (size_t i = 0; i < d->nnames; i++)
        free(d->names[i]);
    free(d->names);
    free(d->run_id);
    rpt_index *ix = d->index;
    if (ix) {
        smap_free(&ix->series);
        smap_free(&ix->nodes);
        smap_free(&ix->names);
        smap_free(&ix->wanted);
        free(ix);
    }
    memset(d, 0, sizeof(*d));
}

static int node_idx(rpt_data *d, const char *name)
{
    rpt_index *ix = d->index;
    int *v = smap_get(&ix->nodes, name);
    if (v)
        return *v;
    VM_GROW(d->nodes, d->nnodes + 1, d->nodes_cap);
    rpt_node *n = &d->nodes[d->nnodes];
    memset(n, 0, sizeof(*n));
    n->name = strdup(name);
    smap_put(&ix->nodes, name, (int)d->nnodes);
    return (int)d->nnodes++;
}

static int name_idx(rpt_data *d, const char *s)
{
    if (!s || !*s)
        return -1;
    rpt_index *ix = d->index;
    int *v = smap_get(&ix->names, s);
    if (v)
        return *v;
    VM_GROW(d->names, d->nnames + 1, d->names_cap);
    d->names[d->nnames] = strdup(s);
    smap_put(&ix->names, s, (int)d->nnames);
    return (int)d->nnames++;
}

const char *rpt_data_name(const rpt_data *d, int idx)
{
    return idx >= 0 && (size_t)idx < d->nnames ? d->names[idx] : NULL;
}

static bool wanted_cached(rpt_data *d, const char *metric)
{
    rpt_index *ix = d->index;
    int *v = smap_get(&ix->wanted, metric);
    if (v)
        return *v;
    bool w = rpt_metric_wanted(metric);
    smap_put(&ix->wanted, metric, w);
    return w;
}

static rpt_series *series_for(rpt_data *d, int node, const char *metric, bool wide)
{
    rpt_index *ix = d->index;
    char key[512];
    snprintf(key, sizeof(key), "%d\x1f%s", node, metric);
    int *v = smap_get(&ix->series, key);
    rpt_node *n = &d->nodes[node];
    if (v)
        return &n->series[*v];
    VM_GROW(n->series, n->nseries + 1, n->series_cap);
    rpt_series *s = &n->series[n->nseries];
    memset(s, 0, sizeof(*s));
    s->metric = strdup(metric);
    s->from_wide = wide;
    smap_put(&ix->series, key, (int)n->nseries);
    return &n->series[n->nseries++];
}

static void series_add(rpt_series *s, int64_t t, double v)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->t_ms = vm_xrealloc_array(s->t_ms, s->cap, sizeof(*s->t_ms));
        s->v = vm_xrealloc_array(s->v, s->cap, sizeof(*s->v));
    }
    s->t_ms[s->n] = t;
    s->v[s->n++] = v;
}

static void label_add(rpt_node *n, const rpt_label *l)
{
    VM_GROW(n->labels, n->nlabels + 1, n->labels_cap);
    n->labels[n->nlabels++] = *l;
}

/* ---- parsing ---- */

/* Split line in place at commas; "..." cells may hold commas and "". */
static int split_csv(char *line, char **cells, int max)
{
    int n = 0;
    char *p = line;
    while (n < max) {
        if (*p == '"') {
            char *w = ++p;
            cells[n++] = w;
            while (*p) {
                if (*p == '"' && p[1] == '"') {
                    *w++ = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    *w++ = *p++;
                }
            }
            char *end = strchr(p, ',');
            *w = 0;
            if (!end)
                break;
            p = end + 1;
        } else {
            cells[n++] = p;
            char *end = strchr(p, ',');
            if (!end)
                break;
            *end = 0;
            p = end + 1;
        }
    }
    return n;
}

static bool parse_num(const char *s, double *out)
{
    if (!s || !*s)
        return false;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    while (*end == ' ')
        end++;
    if (end == s || *end || errno == ERANGE || !isfinite(v))
        return false;
    *out = v;
    return true;
}

/* Times a sample can carry: 1970 up to the year 9999, in ms.  Anything
 * else in a CSV (a broken or hostile file) is no time: the row is left out,
 * and every difference of two times fits an int64_t with room to spare. */
#define RPT_TIME_MAX_MS 253402300800000.0

static bool sane_ms(double ms, int64_t *out_ms)
{
    if (!(ms >= 0 && ms < RPT_TIME_MAX_MS))
        return false;
    *out_ms = (int64_t)llround(ms);
    return true;
}

/* unix ms, unix seconds (with a fraction) or ISO-8601 UTC. */
static bool parse_time(const char *s, int64_t *out_ms)
{
    double v;
    if (parse_num(s, &v))
        return sane_ms(v > 1e11 ? v : v * 1000.0, out_ms);
    struct tm tm;
    memset(&tm, 0, sizeof(tm));
    const char *p = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
    if (!p)
        p = strptime(s, "%Y-%m-%d %H:%M:%S", &tm);
    if (!p)
        return false;
    double frac = 0;
    if (*p == '.') {
        char *end;
        frac = strtod(p, &end);
        p = end;
    }
    if (!(frac >= 0 && frac < 1))
        return false;
    time_t secs = timegm(&tm);
    return secs != (time_t)-1 && sane_ms((double)secs * 1000.0 + frac * 1000.0, out_ms);
}

static int col_of(char **hdr, int n, const char *const *names)
{
    for (const char *const *nm = names; *nm; nm++)
        for (int i = 0; i < n; i++)
            if (!strcasecmp(hdr[i], *nm))
                return i;
    return -1;
}

enum { MAX_COLS = 4096 };

typedef struct layout {
    bool wide;
    int ncols;
    char **names; /* header cells (owned) */
    int c_time_ms, c_time_iso, c_node, c_run, c_step, c_phase, c_live, c_ins, c_del, c_role;
    int c_metric, c_value;
    bool *metric_col; /* wide: column i is a kept metric */
} layout;

static void layout_free(layout *l)
{
    for (int i = 0; i < l->ncols; i++)
        free(l->names[i]);
    free(l->names);
    free(l->metric_col);
}

static int read_header(rpt_data *d, char *line, layout *l, const char *path, vm_err *err)
{
    char **cells = malloc(MAX_COLS * sizeof(char *));
    int n = split_csv(line, cells, MAX_COLS);
    memset(l, 0, sizeof(*l));
    l->ncols = n;
    l->names = malloc((size_t)n * sizeof(char *));
    for (int i = 0; i < n; i++) {
        /* a header may document units: "used_memory (bytes)" -> used_memory */
        char *sp = strpbrk(cells[i], " [(");
        if (sp && sp != cells[i])
            *sp = 0;
        l->names[i] = strdup(cells[i]);
    }
    free(cells);
    static const char *t_ms[] = {"time_unix_ms", "time_ms", "timestamp_ms", NULL};
    static const char *t_any[] = {"time", "timestamp", "time_iso", NULL};
    static const char *nodes[] = {"node", "instance", NULL};
    l->c_time_ms = col_of(l->names, n, t_ms);
    l->c_time_iso = col_of(l->names, n, t_any);
    l->c_node = col_of(l->names, n, nodes);
    l->c_metric = col_of(l->names, n, (const char *[]){"metric", "name", NULL});
    l->c_value = col_of(l->names, n, (const char *[]){"value", NULL});
    l->c_run = col_of(l->names, n, (const char *[]){"run_id", "run", NULL});
    l->c_step = col_of(l->names, n, (const char *[]){"step", NULL});
    l->c_phase = col_of(l->names, n, (const char *[]){"phase", NULL});
    l->c_live = col_of(l->names, n, (const char *[]){"live_vectors", NULL});
    l->c_ins = col_of(l->names, n, (const char *[]){"inserted_total", NULL});
    l->c_del = col_of(l->names, n, (const char *[]){"deleted_total", NULL});
    l->c_role = col_of(l->names, n, (const char *[]){"role", NULL});
    if (l->c_time_ms < 0 && l->c_time_iso < 0) {
        layout_free(l);
        return vm_err_set(err, VM_EINPUT, "%s: no time column in the header", path);
    }
    if (l->c_metric >= 0 && l->c_value >= 0) {
        l->wide = false;
        return 0;
    }
    l->wide = true;
    l->metric_col = calloc((size_t)n, sizeof(bool));
    int kept = 0;
    for (int i = 0; i < n; i++) {
        if (i == l->c_time_ms || i == l->c_time_iso || i == l->c_node || i == l->c_run ||
            i == l->c_step || i == l->c_phase || i == l->c_live || i == l->c_ins || i == l->c_del ||
            i == l->c_role)
            continue;
        l->metric_col[i] = wanted_cached(d, l->names[i]);
        kept += l->metric_col[i];
    }
    if (kept == 0 && l->c_live < 0) {
        layout_free(l);
        return vm_err_set(err, VM_EINPUT, "%s: no metric the report can draw in the header", path);
    }
    return 0;
}

static bool row_time(const layout *l, char **cells, int n, int64_t *t)
{
    double ms;
    if (l->c_time_ms >= 0 && l->c_time_ms < n && parse_num(cells[l->c_time_ms], &ms))
        return sane_ms(ms, t); /* named in ms: whatever its size */
    return l->c_time_iso >= 0 && l->c_time_iso < n && parse_time(cells[l->c_time_iso], t);
}

static double cell_num(char **cells, int n, int c)
{
    double v;
    return c >= 0 && c < n && parse_num(cells[c], &v) ? v : NAN;
}

static bool read_wide_row(rpt_data *d, const layout *l, char **cells, int n)
{
    int64_t t;
    if (n != l->ncols || !row_time(l, cells, n, &t))
        return false;
    const char *node = l->c_node >= 0 && *cells[l->c_node] ? cells[l->c_node] : "server";
    int ni = node_idx(d, node);
    if (!d->run_id && l->c_run >= 0 && *cells[l->c_run])
        d->run_id = strdup(cells[l->c_run]);
    rpt_label lab = {t,
                     l->c_phase >= 0 ? name_idx(d, cells[l->c_phase]) : -1,
                     l->c_step >= 0 ? name_idx(d, cells[l->c_step]) : -1,
                     cell_num(cells, n, l->c_live),
                     cell_num(cells, n, l->c_ins),
                     cell_num(cells, n, l->c_del)};
    label_add(&d->nodes[ni], &lab);
    if (l->c_role >= 0 && *cells[l->c_role] && !d->nodes[ni].role)
        d->nodes[ni].role = strdup(cells[l->c_role]);
    for (int i = 0; i < n; i++) {
        double v;
        if (l->metric_col[i] && parse_num(cells[i], &v))
            series_add(series_for(d, ni, l->names[i], true), t, v);
    }
    return true;
}

static bool read_long_row(rpt_data *d, const layout *l, char **cells, int n)
{
    int64_t t;
    double v;
    if (n <= l->c_metric || n <= l->c_value || !row_time(l, cells, n, &t))
        return false;
    if (!parse_num(cells[l->c_value], &v))
        return *cells[l->c_value] == 0 || !wanted_cached(d, cells[l->c_metric]) ? true : false;
    if (!wanted_cached(d, cells[l->c_metric]))
        return true;
    const char *node =
        l->c_node >= 0 && l->c_node < n && *cells[l->c_node] ? cells[l->c_node] : "server";
    rpt_series *s = series_for(d, node_idx(d, node), cells[l->c_metric], false);
    if (!s->from_wide)
        series_add(s, t, v);
    return true;
}

long rpt_data_read_csv(rpt_data *d, const char *path, vm_err *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return vm_err_set(err, VM_EIO, "%s: %s", path, strerror(errno));
    long rows = rpt_data_read_stream(d, f, path, err);
    fclose(f);
    return rows;
}

long rpt_data_read_stream(rpt_data *d, FILE *f, const char *path, vm_err *err)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    layout l;
    bool have_header = false;
    long rows = 0;
    char **cells = malloc(MAX_COLS * sizeof(char *));
    while ((len = getline(&line, &cap, f)) > 0) {
        if (line[len - 1] != '\n') {
            d->partial_tail = true; /* still being written, or cut by a crash */
            break;
        }
        line[--len] = 0;
        if (len && line[len - 1] == '\r')
            line[--len] = 0;
        if (!len || line[0] == '#')
            continue;
        if (!have_header) {
            if (read_header(d, line, &l, path, err) < 0) {
                free(cells);
                free(line);
                return -1;
            }
            have_header = true;
            continue;
        }
        int n = split_csv(line, cells, MAX_COLS);
        bool ok = l.wide ? read_wide_row(d, &l, cells, n) : read_long_row(d, &l, cells, n);
        if (ok)
            rows++;
        else
            d->bad_rows++;
    }
    free(cells);
    free(line);
    if (!have_header)
        return vm_err_set(err, VM_EINPUT, "%s: empty (no header)", path);
    layout_free(&l);
    d->rows += rows;
    d->files++;
    return rows;
}

/* ---- after reading ---- */

static int cmp_i64(int64_t a, int64_t b)
{
    return a < b ? -1 : a > b;
}

static int cmp_label(const void *a, const void *b)
{
    return cmp_i64(((const rpt_label *)a)->t_ms, ((const rpt_label *)b)->t_ms);
}

typedef struct tv {
    int64_t t;
    double v;
} tv;

static int cmp_tv(const void *a, const void *b)
{
    return cmp_i64(((const tv *)a)->t, ((const tv *)b)->t);
}

static void sort_series(rpt_series *s)
{
    bool sorted = true;
    for (size_t i = 1; i < s->n && sorted; i++)
        sorted = s->t_ms[i - 1] <= s->t_ms[i];
    if (sorted)
        return;
    tv *tmp = malloc(s->n * sizeof(*tmp));
    for (size_t i = 0; i < s->n; i++)
        tmp[i] = (tv){s->t_ms[i], s->v[i]};
    qsort(tmp, s->n, sizeof(*tmp), cmp_tv);
    for (size_t i = 0; i < s->n; i++) {
        s->t_ms[i] = tmp[i].t;
        s->v[i] = tmp[i].v;
    }
    free(tmp);
}

void rpt_data_finish(rpt_data *d)
{
    bool any = false;
    for (size_t i = 0; i < d->nnodes; i++) {
        rpt_node *n = &d->nodes[i];
        if (n->nlabels) /* qsort(NULL, 0, ...) is undefined */
            qsort(n->labels, n->nlabels, sizeof(*n->labels), cmp_label);
        for (size_t j = 0; j < n->nlabels; j++) {
            int64_t t = n->labels[j].t_ms;
            if (!any || t < d->t0_ms)
                d->t0_ms = t;
            if (!any || t > d->t1_ms)
                d->t1_ms = t;
            any = true;
        }
        for (size_t j = 0; j < n->nseries; j++) {
            rpt_series *s = &n->series[j];
            sort_series(s);
            if (!s->n)
                continue;
            if (!any || s->t_ms[0] < d->t0_ms)
                d->t0_ms = s->t_ms[0];
            if (!any || s->t_ms[s->n - 1] > d->t1_ms)
                d->t1_ms = s->t_ms[s->n - 1];
            any = true;
        }
    }
}

/* ---- queries ---- */

static const rpt_series *find_exact(const rpt_node *n, const char *name)
{
    for (size_t i = 0; i < n->nseries; i++)
        if (!strcmp(n->series[i].metric, name) && n->series[i].n)
            return &n->series[i];
    return NULL;
}

const rpt_series *rpt_node_series(const rpt_node *n, const char *canonical)
{
    for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++) {
        if (strcmp(aliases[i].canonical, canonical))
            continue;
        for (int j = 0; j < 4 && aliases[i].names[j]; j++) {
            const rpt_series *s = find_exact(n, aliases[i].names[j]);
            if (s)
                return s;
        }
        return NULL;
    }
    return find_exact(n, canonical);
}

size_t rpt_node_category(const rpt_node *n, const char *category, const rpt_series **out,
                         size_t max)
{
    size_t k = 0;
    for (size_t i = 0; i < n->nseries && k < max; i++)
        if (n->series[i].n && is_category(n->series[i].metric, category))
            out[k++] = &n->series[i];
    return k;
}

double rpt_series_at(const rpt_series *s, int64_t t_ms)
{
    if (!s || !s->n || t_ms < s->t_ms[0])
        return NAN;
    size_t lo = 0, hi = s->n; /* last index with t <= t_ms */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (s->t_ms[mid] <= t_ms)
            lo = mid;
        else
            hi = mid;
    }
    return s->v[lo];
}

double rpt_series_nth_at(const rpt_series *s, int64_t t_ms, size_t nth)
{
    if (!s || !s->n)
        return NAN;
    size_t lo = 0, hi = s->n; /* the first index with t >= t_ms */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (s->t_ms[mid] < t_ms)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo + nth < s->n && s->t_ms[lo + nth] == t_ms)
        return s->v[lo + nth];
    return rpt_series_at(s, t_ms);
}

const rpt_label *rpt_node_label_at(const rpt_node *n, int64_t t_ms)
{
    if (!n->nlabels || t_ms < n->labels[0].t_ms)
        return NULL;
    size_t lo = 0, hi = n->nlabels;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (n->labels[mid].t_ms <= t_ms)
            lo = mid;
        else
            hi = mid;
    }
    return &n->labels[lo];
}
