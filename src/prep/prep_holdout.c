/* prep_holdout: draw the held-out rows and place every row; see prep_holdout.h. */
#include "prep_holdout.h"

#include <stdlib.h>

#include "../util/rng.h"

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

int prep_holdout_draw(uint64_t n, uint64_t q, uint64_t seed, uint64_t **rows, vm_err *err)
{
    *rows = NULL;
    if (q == 0)
        return vm_err_param(err, "queries_from_base", VM_EINPUT,
                            "0 queries: hold out at least one base row");
    if (q >= n)
        return vm_err_param(err, "queries_from_base", VM_EINPUT,
                            "%llu queries out of a base of %llu rows would leave no base",
                            (unsigned long long)q, (unsigned long long)n);
    uint64_t *taken = calloc((n + 63) / 64, 8), *out = malloc(q * sizeof(uint64_t));
    if (!taken || !out) {
        free(taken);
        free(out);
        return vm_err_set(err, VM_ENOMEM, "no memory to draw %llu of %llu rows",
                          (unsigned long long)q, (unsigned long long)n);
    }
    uint64_t state = seed, got = 0;
    for (uint64_t j = n - q; j < n; j++) {
        uint64_t t = (uint64_t)(rng_unit(&state) * (double)(j + 1));
        if (t > j) /* rounding at the top of [0, 1) */
            t = j;
        if (taken[t >> 6] >> (t & 63) & 1)
            t = j;
        taken[t >> 6] |= 1ull << (t & 63);
        out[got++] = t;
    }
    free(taken);
    qsort(out, q, sizeof(uint64_t), cmp_u64);
    *rows = out;
    return 0;
}

bool prep_holdout_place(const uint64_t *held, uint64_t q, uint64_t x, uint64_t *at)
{
    uint64_t lo = 0, hi = q; /* first held row >= x */
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (held[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < q && held[lo] == x) {
        *at = lo;
        return true;
    }
    *at = x - lo;
    return false;
}
