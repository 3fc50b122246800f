/* sum_json: the JSON form of a run's summary (summary.json), written with
 * json-c in the house form (util/json_w.h); the numbers are sum_run.h's.
 *
 *   { "run_id", "scenario", "dataset", "started", "finished", "seconds",
 *     "samples",
 *     "phases": [ { "phase", "step", "started", "seconds", "operations",
 *                   "errors", "vectors", "ops_per_second",
 *                   "client_cpu_seconds",
 *                   "recall": null | {"k", "queries", "mean", "min", "p5",
 *                                     "p50", "rule"},
 *                   "live_vectors_end",
 *                   "memory": { "<node>": NODE } } ],
 *     "windows": [ { "phase", "memory": { "<node>": NODE } } ],
 *     "nodes": { "<node>": NODE },          whole run
 *     "used_memory_bytes": {start, end, peak}   summed over nodes
 *     "bytes_per_live_vector": {"used_memory", "search"}  at the end, all nodes
 *     "bytes_per_vector": (used_memory end - start) / vectors inserted
 *     "push": {"pushes", "failed_attempts", "dropped"} when a pushgateway
 *             was used,
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
 * Keys come in this order; times are ISO-8601 UTC; numbers that were never
 * measured are null. */
#ifndef SUM_JSON_H
#define SUM_JSON_H

#include "sum_run.h"

/* Write path whole (to path.tmp, then renamed into place). */
int sum_write(sum_run *s, const char *path, vm_err *err);
/* The JSON text (malloc'd, ends in a newline), for tests. */
char *sum_render(sum_run *s);

#endif
