/* prom_text: Prometheus text exposition format 0.0.4 for a memory sample.
 *
 * Names are valkey_memstress_<field> with the unit in the name as
 * Prometheus wants it: bytes end in _bytes (used_memory ->
 * valkey_memstress_used_memory_bytes), times are converted to seconds and
 * end in _seconds (…_latency_usec -> …_latency_seconds), percentages
 * become _ratio (0..1), counters end in _total — the unit and the kind
 * each field carries (mon_fields.h).  Fields
 * with a name part that is really a label become labels:
 *   ft.<index>.<name>              valkey_memstress_ft_index_<name>{index=}
 *   ft.<index>.<attribute>.<name>  valkey_memstress_ft_attribute_<name>{index=,attribute=}
 *   jemalloc.bin.<size>.<name>     valkey_memstress_jemalloc_bin_<name>{size=}
 *   jemalloc.large.<size>.<name>   valkey_memstress_jemalloc_large_<name>{size=}
 *   db<N>.<name> (keyspace)        valkey_memstress_keyspace_<name>{db=}
 *   <name>.p<NN> (percentiles)     valkey_memstress_<name>{quantile="0.NN"}
 * The sample's own numbers: valkey_memstress_live_vectors,
 * valkey_memstress_inserted_vectors_total, valkey_memstress_deleted_vectors_total,
 * valkey_memstress_sample_timestamp_seconds and valkey_memstress_sample_info
 * {phase=,step=,role=} 1.  Histograms (latency) render as _bucket{le=} /
 * _sum / _count.  Every metric name appears once with one TYPE line, and a
 * (name, labels) pair once: the pushgateway refuses anything else. */
#ifndef PROM_TEXT_H
#define PROM_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../monitor/mon_sampler.h"
#include "../util/strbuf.h"

#define PROM_PREFIX "valkey_memstress_"

typedef struct prom_hist {
    const char *name;   /* after the prefix, e.g. "query_latency_seconds" */
    const char *labels; /* extra labels, e.g. "op=\"search\"", or NULL */
    size_t nbuckets;
    const double *le;       /* upper bounds, increasing (no +Inf) */
    const uint64_t *counts; /* cumulative count per bucket */
    double sum;
    uint64_t count; /* the +Inf bucket */
} prom_hist;

/* The Prometheus form of a field: name (with prefix, unit suffix and
 * _total for a counter), labels ("" or 'k="v",k2="v2"') and the factor to
 * bring the value to base units — from the field's name, unit and kind. */
void prom_name(const mon_field *f, strbuf *name, strbuf *labels, double *scale);

/* A list of series collected before rendering (sorted, deduplicated). */
typedef struct prom_series {
    char *name, *labels;
    double value;
    char type; /* 'g' gauge, 'c' counter */
} prom_series;

typedef struct prom_set {
    prom_series *v;
    size_t n, cap;
} prom_set;

void prom_set_add(prom_set *set, const char *name, const char *labels, double value, char type);
/* Every field of the sample and its labels. */
void prom_set_add_sample(prom_set *set, const mon_sample *s);
/* Render (sorted by name, one TYPE line per name, duplicates dropped). */
void prom_set_render(prom_set *set, strbuf *out);
void prom_set_free(prom_set *set);

/* A histogram's exposition lines (with its TYPE line). */
void prom_render_hist(strbuf *out, const prom_hist *h);
/* A latency histogram of the tool (util/hist.h, nanoseconds) as
 * valkey_memstress_<name>{labels,le=} in seconds, on fixed bounds from
 * 100 µs to 10 s (PROM_LATENCY_BOUNDS). */
struct hist;
void prom_render_latency(strbuf *out, const char *name, const char *labels, const struct hist *h);
#define PROM_LATENCY_BOUNDS 16
/* Escape a label value (\\, \", \n). */
void prom_add_label_value(strbuf *out, const char *v);

#endif
