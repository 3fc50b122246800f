/* hist: bucket edges are contiguous and tight (≤ 1/64 relative error),
 * quantiles of known distributions, merge equals recording in one. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/hist.h"

static void buckets_contiguous_and_tight(void **state)
{
    (void)state;
    uint64_t prev_upper = 0;
    for (unsigned i = 1; i < HIST_BUCKETS - 1; i++) {
        uint64_t up = hist_bucket_upper(i);
        assert_true(up > prev_upper);
        /* the first value of bucket i is the one after bucket i-1 */
        assert_int_equal(hist_index(prev_upper + 1), i);
        assert_int_equal(hist_index(up), i);
        /* width relative to the lower edge */
        uint64_t lo = prev_upper + 1;
        assert_true((double)(up - lo) <= (double)lo / 64.0 + 1e-9);
        prev_upper = up;
    }
    assert_int_equal(hist_index(UINT64_MAX), HIST_BUCKETS - 1);
    assert_int_equal(hist_index((1ull << 36) - 1), HIST_BUCKETS - 1);
}

static void quantiles_of_uniform(void **state)
{
    (void)state;
    hist *h = malloc(sizeof(*h));
    hist_init(h);
    assert_int_equal(hist_quantile(h, 0.5), 0);
    /* 1..100000 µs in ns */
    for (uint64_t v = 1; v <= 100000; v++)
        hist_record(h, v * 1000);
    assert_int_equal(h->count, 100000);
    assert_int_equal(h->min_ns, 1000);
    assert_int_equal(h->max_ns, 100000000);
    double p50 = (double)hist_quantile(h, 0.5), p99 = (double)hist_quantile(h, 0.99);
    double p999 = (double)hist_quantile(h, 0.999);
    assert_true(p50 >= 50000000.0 && p50 <= 50000000.0 * (1 + 1.0 / 64));
    assert_true(p99 >= 99000000.0 && p99 <= 99000000.0 * (1 + 1.0 / 64));
    assert_true(p999 >= 99900000.0 && p999 <= 100000000.0);
    assert_int_equal(hist_quantile(h, 1.0), 100000000);
    assert_true(hist_mean(h) > 50000000.0 && hist_mean(h) < 50001000.0);
    /* cumulative counts never overstate */
    uint64_t le = hist_count_le(h, 10000000);
    assert_true(le <= 10000 && le >= 9800);
    free(h);
}

static void merge_equals_single(void **state)
{
    (void)state;
    hist *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b)), *all = malloc(sizeof(*all));
    hist_init(a);
    hist_init(b);
    hist_init(all);
    uint64_t x = 12345;
    for (int i = 0; i < 10000; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        uint64_t v = (x >> 40) % 5000000;
        hist_record(i % 3 ? a : b, v);
        hist_record(all, v);
    }
    hist_merge(a, b);
    assert_memory_equal(a, all, sizeof(*a));
    free(a);
    free(b);
    free(all);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(buckets_contiguous_and_tight),
        cmocka_unit_test(quantiles_of_uniform),
        cmocka_unit_test(merge_equals_single),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
