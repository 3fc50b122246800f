/* live_set: see live_set.h. */
#include "live_set.h"

#include <stdlib.h>
#include <string.h>

#include "../util/vm_grow.h"

void live_init(live_set *l, uint64_t n)
{
    memset(l, 0, sizeof(*l));
    l->n = n;
}

void live_free(live_set *l)
{
    for (uint32_t c = 0; c < l->copies; c++)
        free((void *)l->words[c]);
    free(l->words);
    memset(l, 0, sizeof(*l));
}

void live_ensure_copies(live_set *l, uint32_t copies)
{
    if (copies <= l->copies)
        return;
    l->words = vm_xrealloc_array(l->words, copies, sizeof(*l->words));
    size_t nw = live_nwords(l);
    for (uint32_t c = l->copies; c < copies; c++) {
        l->words[c] = calloc(nw ? nw : 1, sizeof(uint64_t));
        if (!l->words[c])
            abort();
    }
    l->copies = copies;
}

uint64_t live_count(const live_set *l, uint32_t copy)
{
    uint64_t total = 0;
    for (uint32_t c = 0; c < l->copies; c++) {
        if (copy != LIVE_ALL_COPIES && c != copy)
            continue;
        for (size_t w = 0; w < live_nwords(l); w++)
            total += (uint64_t)__builtin_popcountll(atomic_load(&l->words[c][w]));
    }
    return total;
}

/* The bits of word w that fall in ids [lo, hi). */
static uint64_t range_mask(size_t w, uint64_t lo, uint64_t hi)
{
    uint64_t base = (uint64_t)w * 64;
    if (base + 64 <= lo || base >= hi)
        return 0;
    uint64_t a = lo > base ? lo - base : 0, b = hi < base + 64 ? hi - base : 64;
    uint64_t upto = b == 64 ? ~0ull : (1ull << b) - 1;
    return upto & ~((1ull << a) - 1);
}

void live_keep_range(live_set *l, uint64_t lo, uint64_t hi)
{
    for (uint32_t c = 0; c < l->copies; c++)
        for (size_t w = 0; w < live_nwords(l); w++) {
            uint64_t m = range_mask(w, lo, hi);
            /* a word already clear is not written: its page may stay unmapped */
            if (atomic_load(&l->words[c][w]) & ~m)
                atomic_fetch_and(&l->words[c][w], m);
        }
}

uint64_t live_count_outside(const live_set *l, uint64_t lo, uint64_t hi)
{
    uint64_t total = 0;
    for (uint32_t c = 0; c < l->copies; c++)
        for (size_t w = 0; w < live_nwords(l); w++)
            total += (uint64_t)__builtin_popcountll(atomic_load(&l->words[c][w]) &
                                                    ~range_mask(w, lo, hi));
    return total;
}

void live_or_range(live_set *dst, const live_set *src, uint64_t lo, uint64_t hi)
{
    live_ensure_copies(dst, src->copies);
    for (uint32_t c = 0; c < src->copies; c++)
        for (size_t w = 0; w < live_nwords(src) && w < live_nwords(dst); w++) {
            uint64_t bits = atomic_load(&src->words[c][w]) & range_mask(w, lo, hi);
            if (bits)
                atomic_fetch_or(&dst->words[c][w], bits);
        }
}
