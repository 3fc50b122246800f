/* sum_run: the summary's numbers; see sum_run.h. */
#include "sum_run.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../util/clock.h"
#include "../util/vm_grow.h"

struct sum_run {
    pthread_mutex_t mu;
    char *run_id, *scenario, *dataset;
    uint64_t started_ms, t0_ns;
    long samples;
    sum_window *w;
    size_t nw, capw;
    sum_window all; /* the whole run */
    uint64_t vectors_total;
    bool have_push;
    uint64_t pushes, push_failed, push_dropped;
    char *software, *version, *search_module; /* software NULL: not told */
    uint32_t slice_i, slice_n;                /* slice_n 0: not a loader's part */
};

void sum_set_slice(sum_run *s, uint32_t i, uint32_t n)
{
    pthread_mutex_lock(&s->mu);
    s->slice_i = i;
    s->slice_n = n;
    pthread_mutex_unlock(&s->mu);
}

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

static sum_window *add_window(sum_run *s, const char *phase, const char *step, bool is_phase)
{
    VM_GROW(s->w, s->nw + 1, s->capw);
    sum_window *w = &s->w[s->nw++];
    memset(w, 0, sizeof(*w));
    w->phase = strdup(phase ? phase : "");
    w->step = dup_or_null(step);
    w->is_phase = is_phase;
    w->started_ms = clk_wall_ms();
    return w;
}

static sum_window *open_phase(sum_run *s)
{
    for (size_t i = s->nw; i > 0; i--)
        if (s->w[i - 1].is_phase && s->w[i - 1].open)
            return &s->w[i - 1];
    return NULL;
}

static void close_phase(sum_window *w)
{
    w->open = false;
    w->seconds = (double)(clk_wall_ms() - w->started_ms) / 1000.0;
}

void sum_phase_begin(sum_run *s, const char *phase, const char *step)
{
    pthread_mutex_lock(&s->mu);
    sum_window *o = open_phase(s);
    if (o)
        close_phase(o);
    /* a label already seen in samples before the phase was begun: promote it */
    sum_window *w = NULL;
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
    sum_window *w = open_phase(s);
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

static sum_node *node_in(sum_window *w, const char *node)
{
    for (size_t i = 0; i < w->n; i++)
        if (!strcmp(w->nodes[i].node, node))
            return &w->nodes[i];
    VM_GROW(w->nodes, w->n + 1, w->cap);
    sum_node *m = &w->nodes[w->n++];
    memset(m, 0, sizeof(*m));
    m->node = strdup(node);
    m->bpv_used = m->bpv_search = m->unreturned = m->search_unreturned = NAN;
    m->frag_mem = m->frag_alloc = m->frag_je = m->bins_util = m->live_end = NAN;
    return m;
}

static void range_add(sum_range *r, const double *v)
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

static void node_add(sum_node *m, const mon_sample *smp)
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
    sum_window *w = NULL;
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

static void totals(const sum_window *w, double *start, double *end, double *peak)
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

static void fill_ratios(const sum_run *s, sum_view *v)
{
    double used = 0, search = 0, live = 0;
    bool have_search = false;
    for (size_t i = 0; i < s->all.n; i++) {
        const sum_node *m = &s->all.nodes[i];
        if (m->used.any)
            used += m->used.end - m->startup_end;
        if (m->search.any)
            search += m->search.end, have_search = true;
        if (!isnan(m->live_end))
            live += m->live_end;
    }
    v->bpv_used = live > 0 && s->all.n ? used / live : NAN;
    v->bpv_search = live > 0 && have_search ? search / live : NAN;
    v->bytes_per_vector = s->vectors_total && s->all.n
                              ? (v->used_end - v->used_start) / (double)s->vectors_total
                              : NAN;
}

void sum_view_begin(sum_run *s, sum_view *v)
{
    pthread_mutex_lock(&s->mu);
    memset(v, 0, sizeof(*v));
    v->run_id = s->run_id;
    v->scenario = s->scenario;
    v->dataset = s->dataset;
    v->started_ms = s->started_ms;
    v->now_ms = clk_wall_ms();
    v->seconds = (double)(clk_mono_ns() - s->t0_ns) / 1e9;
    v->samples = s->samples;
    v->w = s->w;
    v->nw = s->nw;
    v->all = &s->all;
    totals(&s->all, &v->used_start, &v->used_end, &v->used_peak);
    fill_ratios(s, v);
    v->have_push = s->have_push;
    v->pushes = s->pushes;
    v->push_failed = s->push_failed;
    v->push_dropped = s->push_dropped;
    v->software = s->software;
    v->slice_i = s->slice_i;
    v->slice_n = s->slice_n;
    v->version = s->version;
    v->search_module = s->search_module;
}

void sum_view_end(sum_run *s)
{
    pthread_mutex_unlock(&s->mu);
}

double sum_window_seconds(const sum_window *w, uint64_t now_ms)
{
    return w->open ? (double)(now_ms - w->started_ms) / 1000.0 : w->seconds;
}

double sum_window_ops_per_second(const sum_window *w)
{
    return w->seconds > 0 ? (double)w->st.operations / w->seconds : NAN;
}

static void free_window(sum_window *w)
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
