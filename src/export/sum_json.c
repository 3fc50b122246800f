/* sum_json: see sum_json.h.  The JSON is written by hand with strbuf: it
 * is output only (no parsing), a few dozen lines, and needs nothing but
 * string escaping. */
#include "sum_json.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../util/clock.h"
#include "../util/strbuf.h"

typedef struct range {
    double start, end, peak;
    bool any;
} range;

typedef struct node_mem {
    char *node;
    const char *role;
    long samples;
    range used, search, rss;
    double live_end, startup_end;
    double bpv_used, bpv_search, unreturned, search_unreturned;
    double frag_mem, frag_alloc, frag_je, bins_util;
} node_mem;

typedef struct window {
    char *phase, *step;
    bool is_phase; /* begun by the caller (else a label seen in samples) */
    bool open;
    uint64_t started_ms;
    double seconds;
    sum_phase_stats st;
    char *recall_rule;
    node_mem *nodes;
    size_t n, cap;
} window;

struct sum_run {
    pthread_mutex_t mu;
    char *run_id, *scenario, *dataset;
    uint64_t started_ms, t0_ns;
    long samples;
    window *w;
    size_t nw, capw;
    window all; /* the whole run */
    uint64_t vectors_total;
    bool have_push;
    uint64_t pushes, push_failed, push_dropped;
    char *software, *version, *search_module; /* software NULL: not told */
};

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

sum_run *sum_open(const char *run_id, const char *scenario, const char *dataset)
{
    sum_run *s = calloc(1, sizeof(*s));
    if (!s)
        abort();
    pthread_mutex_init(&s->mu, NULL);
    s->run_id = dup_or_null(run_id);
    s->scenario = dup_or_null(scenario);
    s->dataset = dup_or_null(dataset);
    s->started_ms = clk_wall_ms();
    s->t0_ns = clk_mono_ns();
    return s;
}

static window *add_window(sum_run *s, const char *phase, const char *step, bool is_phase)
{
    if (s->nw == s->capw) {
        s->capw = s->capw ? s->capw * 2 : 8;
        s->w = realloc(s->w, s->capw * sizeof(*s->w));
        if (!s->w)
            abort();
    }
    window *w = &s->w[s->nw++];
    memset(w, 0, sizeof(*w));
    w->phase = strdup(phase ? phase : "");
    w->step = dup_or_null(step);
    w->is_phase = is_phase;
    w->started_ms = clk_wall_ms();
    return w;
}

static window *open_phase(sum_run *s)
{
    for (size_t i = s->nw; i > 0; i--)
        if (s->w[i - 1].is_phase && s->w[i - 1].open)
            return &s->w[i - 1];
    return NULL;
}

static void close_phase(window *w)
{
    w->open = false;
    w->seconds = (double)(clk_wall_ms() - w->started_ms) / 1000.0;
}

void sum_phase_begin(sum_run *s, const char *phase, const char *step)
{
    pthread_mutex_lock(&s->mu);
    window *o = open_phase(s);
    if (o)
        close_phase(o);
    /* a label already seen in samples before the phase was begun: promote it */
    window *w = NULL;
    for (size_t i = 0; i < s->nw && !w; i++)
        if (!s->w[i].is_phase && !strcmp(s->w[i].phase, phase))
            w = &s->w[i];
    if (w) {
        w->is_phase = true;
        free(w->step);
        w->step = dup_or_null(step);
        w->started_ms = clk_wall_ms();
    } else {
        w = add_window(s, phase, step, true);
    }
    w->open = true;
    pthread_mutex_unlock(&s->mu);
}

void sum_phase_end(sum_run *s, const sum_phase_stats *st)
{
    pthread_mutex_lock(&s->mu);
    window *w = open_phase(s);
    if (w) {
        close_phase(w);
        w->st = *st;
        free(w->recall_rule);
        w->recall_rule = dup_or_null(st->recall.rule);
        w->st.recall.rule = w->recall_rule;
        s->vectors_total += st->vectors;
    }
    pthread_mutex_unlock(&s->mu);
}

static node_mem *node_in(window *w, const char *node)
{
    for (size_t i = 0; i < w->n; i++)
        if (!strcmp(w->nodes[i].node, node))
            return &w->nodes[i];
    if (w->n == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 4;
        w->nodes = realloc(w->nodes, w->cap * sizeof(*w->nodes));
        if (!w->nodes)
            abort();
    }
    node_mem *m = &w->nodes[w->n++];
    memset(m, 0, sizeof(*m));
    m->node = strdup(node);
    m->bpv_used = m->bpv_search = m->unreturned = m->search_unreturned = NAN;
    m->frag_mem = m->frag_alloc = m->frag_je = m->bins_util = m->live_end = NAN;
    return m;
}

static void range_add(range *r, const double *v)
{
    if (!v)
        return;
    if (!r->any)
        r->start = r->peak = *v;
    r->any = true;
    r->end = *v;
    if (*v > r->peak)
        r->peak = *v;
}

static double get(const mon_sample *smp, const char *name)
{
    const double *v = mon_fields_get(&smp->fields, name);
    return v ? *v : NAN;
}

static void node_add(node_mem *m, const mon_sample *smp)
{
    const mon_fields *f = &smp->fields;
    m->role = smp->role;
    m->samples++;
    range_add(&m->used, mon_fields_get(f, "used_memory"));
    range_add(&m->search, mon_fields_get(f, "search_used_memory_bytes"));
    const double *rss = mon_fields_get(f, "proc.rss_bytes");
    range_add(&m->rss, rss ? rss : mon_fields_get(f, "used_memory_rss"));
    m->live_end = get(smp, "derived.live_vectors");
    m->bpv_used = get(smp, "derived.used_memory_per_vector_bytes");
    m->bpv_search = get(smp, "derived.search_memory_per_vector_bytes");
    m->unreturned = get(smp, "derived.unreturned_bytes");
    m->search_unreturned = get(smp, "derived.search_unreturned_bytes");
    m->frag_mem = get(smp, "mem_fragmentation_ratio");
    m->frag_alloc = get(smp, "allocator_frag_ratio");
    m->frag_je = get(smp, "jemalloc.frag_ratio");
    m->bins_util = get(smp, "jemalloc.bins_util");
    double st = get(smp, "used_memory_startup");
    m->startup_end = isnan(st) ? 0 : st;
}

int sum_sink(void *ctx, const mon_sample *smp, vm_err *err)
{
    (void)err;
    sum_run *s = ctx;
    pthread_mutex_lock(&s->mu);
    s->samples++;
    const char *ph = smp->labels.phase ? smp->labels.phase : "";
    window *w = NULL;
    for (size_t i = s->nw; i > 0 && !w; i--) /* the latest window of that name */
        if (!strcmp(s->w[i - 1].phase, ph))
            w = &s->w[i - 1];
    if (!w)
        w = add_window(s, ph, smp->labels.step, false);
    node_add(node_in(w, smp->node), smp);
    node_add(node_in(&s->all, smp->node), smp);
    pthread_mutex_unlock(&s->mu);
    return 0;
}

void sum_set_push(sum_run *s, uint64_t pushes, uint64_t failed_attempts, uint64_t dropped)
{
    pthread_mutex_lock(&s->mu);
    s->have_push = true;
    s->pushes = pushes;
    s->push_failed = failed_attempts;
    s->push_dropped = dropped;
    pthread_mutex_unlock(&s->mu);
}

void sum_set_server(sum_run *s, const char *software, const char *version,
                    const char *search_module)
{
    pthread_mutex_lock(&s->mu);
    free(s->software);
    free(s->version);
    free(s->search_module);
    s->software = dup_or_null(software);
    s->version = dup_or_null(version);
    s->search_module = dup_or_null(search_module);
    pthread_mutex_unlock(&s->mu);
}

static void totals(const window *w, double *start, double *end, double *peak)
{
    *start = *end = *peak = 0;
    for (size_t i = 0; i < w->n; i++)
        if (w->nodes[i].used.any) {
            *start += w->nodes[i].used.start;
            *end += w->nodes[i].used.end;
            *peak += w->nodes[i].used.peak;
        }
}

void sum_used_memory(sum_run *s, double *start, double *end, double *peak, long *samples)
{
    pthread_mutex_lock(&s->mu);
    totals(&s->all, start, end, peak);
    *samples = s->samples;
    pthread_mutex_unlock(&s->mu);
}

/* --- rendering ----------------------------------------------------------- */

static void j_str(strbuf *o, const char *s)
{
    if (!s) {
        sb_addstr(o, "null");
        return;
    }
    sb_addch(o, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            sb_addch(o, '\\'), sb_addch(o, (char)*p);
        else if (*p < 0x20)
            sb_addf(o, "\\u%04x", *p);
        else
            sb_addch(o, (char)*p);
    }
    sb_addch(o, '"');
}

static void j_num(strbuf *o, double v)
{
    if (!isfinite(v))
        sb_addstr(o, "null");
    else if (v == (double)(long long)v && fabs(v) < 9e15)
        sb_addf(o, "%lld", (long long)v);
    else
        sb_addf(o, "%.6g", v);
}

static void j_key(strbuf *o, const char *k)
{
    j_str(o, k);
    sb_addstr(o, ": ");
}

static void j_range(strbuf *o, const char *k, const range *r)
{
    j_key(o, k);
    if (!r->any) {
        sb_addstr(o, "null");
        return;
    }
    sb_addstr(o, "{\"start\": ");
    j_num(o, r->start);
    sb_addstr(o, ", \"end\": ");
    j_num(o, r->end);
    sb_addstr(o, ", \"peak\": ");
    j_num(o, r->peak);
    sb_addch(o, '}');
}

static void j_time(strbuf *o, uint64_t ms)
{
    char iso[32];
    clk_iso8601(ms, iso);
    j_str(o, iso);
}

static void j_node(strbuf *o, const node_mem *m, const char *ind)
{
    sb_addf(o, "{\n%s  ", ind);
    j_key(o, "role");
    j_str(o, m->role);
    sb_addf(o, ",\n%s  \"samples\": %ld,\n%s  ", ind, m->samples, ind);
    j_range(o, "used_memory_bytes", &m->used);
    sb_addf(o, ",\n%s  ", ind);
    j_range(o, "search_used_memory_bytes", &m->search);
    sb_addf(o, ",\n%s  ", ind);
    j_range(o, "rss_bytes", &m->rss);
    sb_addf(o, ",\n%s  \"live_vectors_end\": ", ind);
    j_num(o, m->live_end);
    sb_addf(o, ",\n%s  \"bytes_per_live_vector\": {\"used_memory\": ", ind);
    j_num(o, m->bpv_used);
    sb_addstr(o, ", \"search\": ");
    j_num(o, m->bpv_search);
    sb_addf(o, "},\n%s  \"unreturned_bytes\": ", ind);
    j_num(o, m->unreturned);
    sb_addstr(o, ", \"search_unreturned_bytes\": ");
    j_num(o, m->search_unreturned);
    sb_addf(o, ",\n%s  \"fragmentation\": {\"mem_fragmentation_ratio\": ", ind);
    j_num(o, m->frag_mem);
    sb_addstr(o, ", \"allocator_frag_ratio\": ");
    j_num(o, m->frag_alloc);
    sb_addstr(o, ", \"jemalloc_frag_ratio\": ");
    j_num(o, m->frag_je);
    sb_addstr(o, ", \"jemalloc_bins_util\": ");
    j_num(o, m->bins_util);
    sb_addf(o, "}\n%s}", ind);
}

static void j_nodes(strbuf *o, const window *w, const char *ind)
{
    if (w->n == 0) {
        sb_addstr(o, "{}");
        return;
    }
    char inner[32];
    snprintf(inner, sizeof(inner), "%s  ", ind);
    sb_addstr(o, "{");
    for (size_t i = 0; i < w->n; i++) {
        sb_addf(o, "%s\n%s", i ? "," : "", inner);
        j_key(o, w->nodes[i].node);
        j_node(o, &w->nodes[i], inner);
    }
    sb_addf(o, "\n%s}", ind);
}

static void j_recall(strbuf *o, const sum_recall *r)
{
    if (!r->present) {
        sb_addstr(o, "null");
        return;
    }
    sb_addf(o, "{\"k\": %d, \"queries\": %llu, \"mean\": ", r->k, (unsigned long long)r->queries);
    j_num(o, r->mean);
    sb_addstr(o, ", \"min\": ");
    j_num(o, r->min);
    sb_addstr(o, ", \"p5\": ");
    j_num(o, r->p5);
    sb_addstr(o, ", \"p50\": ");
    j_num(o, r->p50);
    sb_addstr(o, ", \"rule\": ");
    j_str(o, r->rule);
    sb_addch(o, '}');
}

static void j_phase(strbuf *o, const window *w)
{
    const sum_phase_stats *st = &w->st;
    sb_addstr(o, "    {");
    j_key(o, "phase");
    j_str(o, w->phase);
    sb_addstr(o, ", ");
    j_key(o, "step");
    j_str(o, w->step);
    sb_addstr(o, ", \"started\": ");
    j_time(o, w->started_ms);
    sb_addstr(o, ", \"seconds\": ");
    j_num(o, w->open ? (double)(clk_wall_ms() - w->started_ms) / 1000.0 : w->seconds);
    sb_addf(o,
            ",\n     \"operations\": %llu, \"errors\": %llu, \"vectors\": %llu, "
            "\"ops_per_second\": ",
            (unsigned long long)st->operations, (unsigned long long)st->errors,
            (unsigned long long)st->vectors);
    j_num(o, w->seconds > 0 ? (double)st->operations / w->seconds : NAN);
    /* what the client spent, to weigh against the server's work */
    sb_addstr(o, ", \"client_cpu_seconds\": ");
    j_num(o, st->operations ? st->client_cpu_s : NAN);
    sb_addstr(o, ",\n     \"recall\": ");
    j_recall(o, &st->recall);
    sb_addf(o, ",\n     \"live_vectors_end\": %llu,\n     \"memory\": ",
            (unsigned long long)st->live_vectors_end);
    j_nodes(o, w, "     ");
    sb_addstr(o, "}");
}

char *sum_render(sum_run *s)
{
    pthread_mutex_lock(&s->mu);
    strbuf o = STRBUF_INIT;
    uint64_t now = clk_wall_ms();
    sb_addstr(&o, "{\n  \"run_id\": ");
    j_str(&o, s->run_id);
    sb_addstr(&o, ",\n  \"scenario\": ");
    j_str(&o, s->scenario);
    sb_addstr(&o, ",\n  \"dataset\": ");
    j_str(&o, s->dataset);
    sb_addstr(&o, ",\n  \"started\": ");
    j_time(&o, s->started_ms);
    sb_addstr(&o, ",\n  \"finished\": ");
    j_time(&o, now);
    sb_addstr(&o, ",\n  \"seconds\": ");
    j_num(&o, (double)(clk_mono_ns() - s->t0_ns) / 1e9);
    sb_addf(&o, ",\n  \"samples\": %ld,\n  \"phases\": [", s->samples);
    size_t k = 0;
    for (size_t i = 0; i < s->nw; i++)
        if (s->w[i].is_phase) {
            sb_addstr(&o, k++ ? ",\n" : "\n");
            j_phase(&o, &s->w[i]);
        }
    sb_addstr(&o, k ? "\n  ],\n  \"windows\": [" : "],\n  \"windows\": [");
    k = 0;
    for (size_t i = 0; i < s->nw; i++)
        if (!s->w[i].is_phase) {
            sb_addstr(&o, k++ ? ",\n    {" : "\n    {");
            j_key(&o, "phase");
            j_str(&o, s->w[i].phase);
            sb_addstr(&o, ", \"memory\": ");
            j_nodes(&o, &s->w[i], "     ");
            sb_addch(&o, '}');
        }
    sb_addstr(&o, k ? "\n  ],\n  \"nodes\": " : "],\n  \"nodes\": ");
    j_nodes(&o, &s->all, "  ");
    double start, end, peak;
    totals(&s->all, &start, &end, &peak);
    sb_addstr(&o, ",\n  \"used_memory_bytes\": ");
    if (s->all.n) {
        sb_addstr(&o, "{\"start\": ");
        j_num(&o, start);
        sb_addstr(&o, ", \"end\": ");
        j_num(&o, end);
        sb_addstr(&o, ", \"peak\": ");
        j_num(&o, peak);
        sb_addch(&o, '}');
    } else {
        sb_addstr(&o, "null");
    }
    /* all nodes at the end: sum(used - startup) / sum(live), sum(search) / sum(live) */
    double used = 0, search = 0, live = 0;
    bool have_search = false;
    for (size_t i = 0; i < s->all.n; i++) {
        const node_mem *m = &s->all.nodes[i];
        if (m->used.any)
            used += m->used.end - m->startup_end;
        if (m->search.any)
            search += m->search.end, have_search = true;
        if (!isnan(m->live_end))
            live += m->live_end;
    }
    sb_addstr(&o, ",\n  \"bytes_per_live_vector\": {\"used_memory\": ");
    j_num(&o, live > 0 && s->all.n ? used / live : NAN);
    sb_addstr(&o, ", \"search\": ");
    j_num(&o, live > 0 && have_search ? search / live : NAN);
    sb_addstr(&o, "},\n  \"bytes_per_vector\": ");
    j_num(&o, s->vectors_total && s->all.n ? (end - start) / (double)s->vectors_total : NAN);
    if (s->have_push)
        sb_addf(&o,
                ",\n  \"push\": {\"pushes\": %llu, \"failed_attempts\": %llu, "
                "\"dropped\": %llu}",
                (unsigned long long)s->pushes, (unsigned long long)s->push_failed,
                (unsigned long long)s->push_dropped);
    if (s->software) {
        sb_addstr(&o, ",\n  \"server\": {\"software\": ");
        j_str(&o, s->software);
        sb_addstr(&o, ", \"version\": ");
        j_str(&o, s->version);
        sb_addstr(&o, ", \"search_module\": ");
        j_str(&o, s->search_module);
        sb_addch(&o, '}');
    }
    sb_addstr(&o, "\n}\n");
    pthread_mutex_unlock(&s->mu);
    return sb_detach(&o, NULL);
}

int sum_write(sum_run *s, const char *path, vm_err *err)
{
    char *text = sum_render(s);
    strbuf tmp = STRBUF_INIT;
    sb_addf(&tmp, "%s.tmp", path);
    FILE *f = fopen(tmp.buf, "w");
    int rc = 0;
    size_t n = strlen(text);
    if (!f || fwrite(text, 1, n, f) != n)
        rc = vm_err_set(err, VM_EIO, "%s: %s", tmp.buf, strerror(errno));
    if (f && fclose(f) != 0 && rc == 0)
        rc = vm_err_set(err, VM_EIO, "%s: %s", tmp.buf, strerror(errno));
    if (rc == 0 && rename(tmp.buf, path) != 0)
        rc = vm_err_set(err, VM_EIO, "%s: %s", path, strerror(errno));
    if (rc < 0)
        unlink(tmp.buf);
    sb_release(&tmp);
    free(text);
    return rc;
}

static void free_window(window *w)
{
    for (size_t i = 0; i < w->n; i++)
        free(w->nodes[i].node);
    free(w->nodes);
    free(w->phase);
    free(w->step);
    free(w->recall_rule);
}

void sum_free(sum_run *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nw; i++)
        free_window(&s->w[i]);
    free(s->w);
    free_window(&s->all);
    free(s->run_id);
    free(s->scenario);
    free(s->dataset);
    free(s->software);
    free(s->version);
    free(s->search_module);
    pthread_mutex_destroy(&s->mu);
    free(s);
}
