/* sum_json: the JSON summary of a run (summary.json).
 *
 * The caller names the phases it runs (sum_phase_begin / sum_phase_end with
 * their operation counts, errors and, for query phases, recall); the
 * monitor's samples (sum_sink, a mon_sink_fn) are attributed to the phase
 * their phase label names.  Samples under a label that is not a phase the
 * caller began (baseline, settle) are kept as "windows".  Written:
 *
 *   { "run_id", "scenario", "dataset", "started", "finished", "seconds",
 *     "samples",
 *     "phases": [ { "phase", "step", "started", "seconds", "operations",
 *                   "errors", "vectors", "ops_per_second",
 *                   "recall": null | {"k", "queries", "mean", "min", "p50",
 *                                     "p5", "rule"},
 *                   "live_vectors_end",
 *                   "memory": { "<node>": NODE } } ],
 *     "windows": [ { "phase", "memory": { "<node>": NODE } } ],
 *     "nodes": { "<node>": NODE },          whole run
 *     "used_memory_bytes": {start, end, peak}   summed over nodes
 *     "bytes_per_live_vector": {"used_memory", "search"}  at the end, all nodes
 *     "bytes_per_vector": (used_memory end - start) / vectors inserted
 *     "push": {...} when a pushgateway was used,
 *     "server": {"software", "version", "search_module"} when known }
 *
 *   NODE = { "role", "samples",
 *            "used_memory_bytes": {start, end, peak},
 *            "search_used_memory_bytes": {...}, "rss_bytes": {...},
 *            "live_vectors_end",
 *            "bytes_per_live_vector": {"used_memory", "search"},
 *            "unreturned_bytes", "search_unreturned_bytes",
 *            "fragmentation": {"mem_fragmentation_ratio", "allocator_frag_ratio",
 *                              "jemalloc_frag_ratio", "jemalloc_bins_util"} }
 *
 * Numbers that were never measured are null.  Thread-safe: the sink runs on
 * the monitor thread, the phase calls on the caller's. */
#ifndef SUM_JSON_H
#define SUM_JSON_H

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

typedef struct sum_run sum_run;

sum_run *sum_open(const char *run_id, const char *scenario, const char *dataset);
/* Start a phase (ends an open one with zero counts). */
void sum_phase_begin(sum_run *s, const char *phase, const char *step);
/* End the open phase with its counts. */
void sum_phase_end(sum_run *s, const sum_phase_stats *st);
/* A mon_sink_fn: memory per node per phase label. */
int sum_sink(void *ctx, const mon_sample *smp, vm_err *err);
/* Pushgateway figures for the "push" object (optional). */
void sum_set_push(sum_run *s, uint64_t pushes, uint64_t failed_attempts, uint64_t dropped);
/* What was measured (the "server" object): software "valkey" or "redis",
 * its version, the search module's version (NULL = not loaded). */
void sum_set_server(sum_run *s, const char *software, const char *version,
                    const char *search_module);
/* What the caller may want to print: used_memory start/end/peak summed over
 * nodes, and the number of samples. */
void sum_used_memory(sum_run *s, double *start, double *end, double *peak, long *samples);
/* Render and write path (whole, then renamed into place). */
int sum_write(sum_run *s, const char *path, vm_err *err);
/* The JSON text (malloc'd), for tests. */
char *sum_render(sum_run *s);
void sum_free(sum_run *s);

#endif
