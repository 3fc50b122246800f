/* sum_run: the numbers of a run's summary — what summary.json says
 * (sum_json.h writes them).
 *
 * The caller names the phases it runs (sum_phase_begin / sum_phase_end with
 * their operation counts, errors and, for query phases, recall); the
 * monitor's samples (sum_sink, a mon_sink_fn) are attributed to the phase
 * their phase label names, per node: used_memory, search memory and RSS
 * (start, end, peak), and the last of the derived and fragmentation
 * figures.  Samples under a label that is not a phase the caller began
 * (baseline, settle) are kept as windows of their own; the whole run is one
 * more window.  Thread-safe: the sink runs on the monitor thread, the phase
 * calls on the caller's; a writer reads everything through a view taken
 * under the run's lock (sum_view_begin / sum_view_end). */
#ifndef SUM_RUN_H
#define SUM_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "../monitor/mon_sampler.h"

typedef struct sum_recall {
    bool present;
    int k;
    uint64_t queries;
    double mean, min, p5, p50;
    const char *rule; /* how ties were counted, e.g. "distance <= kth + eps" */
} sum_recall;

typedef struct sum_phase_stats {
    uint64_t operations;
    uint64_t errors;
    uint64_t vectors;          /* vectors this phase inserted (or deleted) */
    uint64_t live_vectors_end; /* the tool's live count when it ended */
    double client_cpu_s;       /* the tool's CPU for the phase's operations */
    sum_recall recall;
} sum_phase_stats;

/* A figure over a window: its first, last and highest value. */
typedef struct sum_range {
    double start, end, peak;
    bool any; /* false: never measured */
} sum_range;

/* One node over a window.  NaN: never measured. */
typedef struct sum_node {
    char *node;
    const char *role;
    long samples;
    sum_range used;   /* used_memory */
    sum_range search; /* search_used_memory_bytes */
    sum_range rss;    /* proc.rss_bytes, else used_memory_rss */
    double live_end, startup_end;
    double bpv_used, bpv_search, unreturned, search_unreturned;
    double frag_mem, frag_alloc, frag_je, bins_util;
} sum_node;

/* A phase the caller began, or a label only the samples named. */
typedef struct sum_window {
    char *phase, *step;
    bool is_phase; /* begun by the caller (else a label seen in samples) */
    bool open;
    uint64_t started_ms;
    double seconds;     /* once closed */
    sum_phase_stats st; /* as the caller ended it */
    char *recall_rule;  /* st.recall.rule points here */
    sum_node *nodes;
    size_t n, cap;
} sum_window;

typedef struct sum_run sum_run;

sum_run *sum_open(const char *run_id, const char *scenario, const char *dataset);
/* Start a phase (ends an open one with zero counts). */
void sum_phase_begin(sum_run *s, const char *phase, const char *step);
/* End the open phase with its counts. */
void sum_phase_end(sum_run *s, const sum_phase_stats *st);
/* A mon_sink_fn: memory per node per phase label. */
int sum_sink(void *ctx, const mon_sample *smp, vm_err *err);
/* Pushgateway figures (optional). */
void sum_set_push(sum_run *s, uint64_t pushes, uint64_t failed_attempts, uint64_t dropped);
/* What was measured: software "valkey" or "redis", its version, the search
 * module's version (NULL = not loaded). */
void sum_set_server(sum_run *s, const char *software, const char *version,
                    const char *search_module);
/* The run is loader i of n of a sliced run (util/vm_slice.h). */
void sum_set_slice(sum_run *s, uint32_t i, uint32_t n);
/* What the caller may want to print: used_memory start/end/peak summed over
 * nodes, and the number of samples. */
void sum_used_memory(sum_run *s, double *start, double *end, double *peak, long *samples);
void sum_free(sum_run *s);

/* The whole run as a writer reads it.  NaN: not known. */
typedef struct sum_view {
    const char *run_id, *scenario, *dataset;
    uint64_t started_ms, now_ms;
    double seconds; /* since sum_open, on the monotonic clock */
    long samples;
    const sum_window *w; /* phases and windows, in the order they appeared */
    size_t nw;
    const sum_window *all;                  /* the whole run; all->n == 0: no sample */
    double used_start, used_end, used_peak; /* used_memory summed over nodes */
    /* at the end, over all nodes: sum(used - startup) / sum(live) and
     * sum(search) / sum(live) */
    double bpv_used, bpv_search;
    double bytes_per_vector; /* (used end - start) / vectors the phases inserted */
    bool have_push;
    uint64_t pushes, push_failed, push_dropped;
    const char *software, *version, *search_module; /* software NULL: not told */
    uint32_t slice_i, slice_n; /* slice_n 0: the whole run */
} sum_view;

/* Lock s and fill v; v's pointers hold until sum_view_end(s). */
void sum_view_begin(sum_run *s, sum_view *v);
void sum_view_end(sum_run *s);
/* How long a window lasted by now_ms (an open phase lasts until now). */
double sum_window_seconds(const sum_window *w, uint64_t now_ms);
/* Operations per second of a closed phase (NaN while open or empty). */
double sum_window_ops_per_second(const sum_window *w);

#endif
