/* hist: see hist.h. */
#include "hist.h"

#include <string.h>

void hist_init(hist *h)
{
    memset(h, 0, sizeof(*h));
    h->min_ns = UINT64_MAX;
}

uint64_t hist_bucket_upper(unsigned i)
{
    if (i < (2u << HIST_SUB_BITS))
        return i;
    if (i >= HIST_BUCKETS - 1)
        return UINT64_MAX;
    unsigned shift = (i >> HIST_SUB_BITS) - 1;
    uint64_t top = i - ((uint64_t)shift << HIST_SUB_BITS);
    return ((top + 1) << shift) - 1;
}

void hist_merge(hist *dst, const hist *src)
{
    if (!src->count)
        return;
    for (unsigned i = 0; i < HIST_BUCKETS; i++)
        dst->buckets[i] += src->buckets[i];
    dst->count += src->count;
    dst->sum_ns += src->sum_ns;
    if (src->min_ns < dst->min_ns)
        dst->min_ns = src->min_ns;
    if (src->max_ns > dst->max_ns)
        dst->max_ns = src->max_ns;
}

uint64_t hist_quantile(const hist *h, double q)
{
    if (!h->count)
        return 0;
    if (q <= 0)
        return h->min_ns;
    uint64_t target = (uint64_t)(q * (double)h->count + 0.9999999);
    if (target < 1)
        target = 1;
    if (target >= h->count)
        return h->max_ns;
    uint64_t seen = 0;
    for (unsigned i = 0; i < HIST_BUCKETS; i++) {
        seen += h->buckets[i];
        if (seen >= target) {
            uint64_t up = hist_bucket_upper(i);
            if (up > h->max_ns)
                up = h->max_ns;
            return up < h->min_ns ? h->min_ns : up;
        }
    }
    return h->max_ns;
}

double hist_mean(const hist *h)
{
    return h->count ? (double)h->sum_ns / (double)h->count : 0.0;
}

uint64_t hist_count_le(const hist *h, uint64_t v_ns)
{
    uint64_t n = 0;
    for (unsigned i = 0; i < HIST_BUCKETS && hist_bucket_upper(i) <= v_ns; i++)
        n += h->buckets[i];
    return n;
}
