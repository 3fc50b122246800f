/* hist: a log-bucketed latency histogram (HDR-style) with a fixed size, so
 * that recording is one array increment and merging is a vector add.
 *
 * Values are nanoseconds.  Below 128 every value has its own bucket; above,
 * each power of two is split into 64 equal sub-buckets, so a reported value
 * is never more than 1/64 (1.6 %) above the true one.  Values of 2^36 ns
 * (68.7 s) and more share the last bucket; the exact maximum is kept apart.
 * Written by hand: Debian packages no C HdrHistogram, and this is 40 lines. */
#ifndef HIST_H
#define HIST_H

#include <stdint.h>

#define HIST_SUB_BITS 6
#define HIST_MAX_BITS 36
#define HIST_BUCKETS (((HIST_MAX_BITS - HIST_SUB_BITS) << HIST_SUB_BITS) + (1 << HIST_SUB_BITS))

typedef struct hist {
    uint64_t count;
    uint64_t sum_ns;
    uint64_t min_ns, max_ns; /* exact; min is UINT64_MAX while empty */
    uint64_t buckets[HIST_BUCKETS];
} hist;

void hist_init(hist *h);
/* Bucket index of a value (exposed for tests and exporters). */
static inline unsigned hist_index(uint64_t v)
{
    if (v < (2u << HIST_SUB_BITS))
        return (unsigned)v;
    if (v >> HIST_MAX_BITS)
        return HIST_BUCKETS - 1;
    unsigned shift = (unsigned)(63 - __builtin_clzll(v)) - HIST_SUB_BITS;
    return (shift << HIST_SUB_BITS) + (unsigned)(v >> shift);
}

static inline void hist_record(hist *h, uint64_t v_ns)
{
    h->buckets[hist_index(v_ns)]++;
    h->count++;
    h->sum_ns += v_ns;
    if (v_ns < h->min_ns)
        h->min_ns = v_ns;
    if (v_ns > h->max_ns)
        h->max_ns = v_ns;
}

/* Largest value that falls in bucket i. */
uint64_t hist_bucket_upper(unsigned i);
void hist_merge(hist *dst, const hist *src);
/* The value at quantile q in [0, 1] (0.99 = p99): the upper edge of the
 * bucket holding it, capped at the exact maximum.  0 when empty. */
uint64_t hist_quantile(const hist *h, double q);
double hist_mean(const hist *h);
/* How many values are <= v_ns (counted by whole buckets: a bucket counts
 * when its upper edge is <= v_ns) — for cumulative "le" exports. */
uint64_t hist_count_le(const hist *h, uint64_t v_ns);

#endif
