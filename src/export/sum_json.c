/* sum_json: summary.json from sum_run's numbers with json-c; see
 * sum_json.h.  Keys are added in the order the file has always had. */
#include "sum_json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../util/clock.h"
#include "../util/json_w.h"

static void add(json_object *o, const char *key, json_object *v)
{
    json_object_object_add(o, key, v);
}

static json_object *j_range(const sum_range *r)
{
    if (!r->any)
        return NULL;
    json_object *o = json_object_new_object();
    add(o, "start", jw_num(r->start));
    add(o, "end", jw_num(r->end));
    add(o, "peak", jw_num(r->peak));
    return o;
}

static json_object *j_time(uint64_t ms)
{
    char iso[32];
    clk_iso8601(ms, iso);
    return json_object_new_string(iso);
}

static json_object *j_pair(const char *k1, double v1, const char *k2, double v2)
{
    json_object *o = json_object_new_object();
    add(o, k1, jw_num(v1));
    add(o, k2, jw_num(v2));
    return o;
}

static json_object *j_node(const sum_node *m)
{
    json_object *o = json_object_new_object();
    add(o, "role", jw_str(m->role));
    add(o, "samples", json_object_new_int64(m->samples));
    add(o, "used_memory_bytes", j_range(&m->used));
    add(o, "search_used_memory_bytes", j_range(&m->search));
    add(o, "rss_bytes", j_range(&m->rss));
    add(o, "live_vectors_end", jw_num(m->live_end));
    add(o, "bytes_per_live_vector", j_pair("used_memory", m->bpv_used, "search", m->bpv_search));
    add(o, "unreturned_bytes", jw_num(m->unreturned));
    add(o, "search_unreturned_bytes", jw_num(m->search_unreturned));
    json_object *f =
        j_pair("mem_fragmentation_ratio", m->frag_mem, "allocator_frag_ratio", m->frag_alloc);
    add(f, "jemalloc_frag_ratio", jw_num(m->frag_je));
    add(f, "jemalloc_bins_util", jw_num(m->bins_util));
    add(o, "fragmentation", f);
    return o;
}

static json_object *j_nodes(const sum_window *w)
{
    json_object *o = json_object_new_object();
    for (size_t i = 0; i < w->n; i++)
        add(o, w->nodes[i].node, j_node(&w->nodes[i]));
    return o;
}

static json_object *j_recall(const sum_recall *r)
{
    if (!r->present)
        return NULL;
    json_object *o = json_object_new_object();
    add(o, "k", json_object_new_int64(r->k));
    add(o, "queries", json_object_new_uint64(r->queries));
    add(o, "mean", jw_num(r->mean));
    add(o, "min", jw_num(r->min));
    add(o, "p5", jw_num(r->p5));
    add(o, "p50", jw_num(r->p50));
    add(o, "rule", jw_str(r->rule));
    return o;
}

static json_object *j_phase(const sum_window *w, uint64_t now_ms)
{
    const sum_phase_stats *st = &w->st;
    json_object *o = json_object_new_object();
    add(o, "phase", jw_str(w->phase));
    add(o, "step", jw_str(w->step));
    add(o, "started", j_time(w->started_ms));
    add(o, "seconds", jw_num(sum_window_seconds(w, now_ms)));
    add(o, "operations", json_object_new_uint64(st->operations));
    add(o, "errors", json_object_new_uint64(st->errors));
    add(o, "vectors", json_object_new_uint64(st->vectors));
    add(o, "ops_per_second", jw_num(sum_window_ops_per_second(w)));
    /* what the client spent, to weigh against the server's work */
    add(o, "client_cpu_seconds", jw_num(st->operations ? st->client_cpu_s : NAN));
    add(o, "recall", j_recall(&st->recall));
    add(o, "live_vectors_end", json_object_new_uint64(st->live_vectors_end));
    add(o, "memory", j_nodes(w));
    return o;
}

/* "phases" (is_phase true) or "windows" (false), in the order they came. */
static json_object *j_windows(const sum_view *v, bool phases)
{
    json_object *a = json_object_new_array();
    for (size_t i = 0; i < v->nw; i++) {
        const sum_window *w = &v->w[i];
        if (w->is_phase != phases)
            continue;
        if (phases) {
            json_object_array_add(a, j_phase(w, v->now_ms));
            continue;
        }
        json_object *o = json_object_new_object();
        add(o, "phase", jw_str(w->phase));
        add(o, "memory", j_nodes(w));
        json_object_array_add(a, o);
    }
    return a;
}

/* What the whole run measured, after the header keys. */
static void add_totals(json_object *o, const sum_view *v)
{
    add(o, "nodes", j_nodes(v->all));
    sum_range used = {v->used_start, v->used_end, v->used_peak, v->all->n > 0};
    add(o, "used_memory_bytes", j_range(&used));
    add(o, "bytes_per_live_vector", j_pair("used_memory", v->bpv_used, "search", v->bpv_search));
    add(o, "bytes_per_vector", jw_num(v->bytes_per_vector));
    if (v->have_push) {
        json_object *p = json_object_new_object();
        add(p, "pushes", json_object_new_uint64(v->pushes));
        add(p, "failed_attempts", json_object_new_uint64(v->push_failed));
        add(p, "dropped", json_object_new_uint64(v->push_dropped));
        add(o, "push", p);
    }
    if (v->software) {
        json_object *sv = json_object_new_object();
        add(sv, "software", jw_str(v->software));
        add(sv, "version", jw_str(v->version));
        add(sv, "search_module", jw_str(v->search_module));
        add(o, "server", sv);
    }
}

/* The document, built under the run's lock. */
static json_object *summary(sum_run *s)
{
    sum_view v;
    sum_view_begin(s, &v);
    json_object *o = json_object_new_object();
    add(o, "run_id", jw_str(v.run_id));
    add(o, "scenario", jw_str(v.scenario));
    add(o, "dataset", jw_str(v.dataset));
    if (v.slice_n) {
        char sl[32];
        snprintf(sl, sizeof(sl), "%u/%u", v.slice_i, v.slice_n);
        add(o, "slice", jw_str(sl));
    }
    add(o, "started", j_time(v.started_ms));
    add(o, "finished", j_time(v.now_ms));
    add(o, "seconds", jw_num(v.seconds));
    add(o, "samples", json_object_new_int64(v.samples));
    add(o, "phases", j_windows(&v, true));
    add(o, "windows", j_windows(&v, false));
    add_totals(o, &v);
    sum_view_end(s);
    return o;
}

char *sum_render(sum_run *s)
{
    json_object *o = summary(s);
    const char *text = jw_text(o);
    size_t n = strlen(text);
    char *out = malloc(n + 2);
    if (!out)
        abort();
    memcpy(out, text, n);
    memcpy(out + n, "\n", 2);
    json_object_put(o);
    return out;
}

int sum_write(sum_run *s, const char *path, vm_err *err)
{
    json_object *o = summary(s);
    int rc = jw_write_file(path, o, err);
    json_object_put(o);
    return rc;
}
