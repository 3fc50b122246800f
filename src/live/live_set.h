/* live_set: which vectors the server holds — per copy (copy 0 the original,
 * copy c > 0 the expanded copy c) one bitmap of n bits, bit id set while the
 * key of (copy, id) exists.  Workloads set a bit when the server acknowledges
 * an insert and clear it when it acknowledges a delete; ground truth reads
 * the bitmaps to filter its lists (gt.h).
 *
 * Bits are set and cleared with relaxed atomics: the engine's threads mark
 * the items they claimed, each bit by one thread at a time, and a count
 * taken meanwhile is a snapshot, not a barrier.  Growing (live_ensure_copies)
 * is not atomic: it happens between runs, never while workloads mark. */
#ifndef LIVE_SET_H
#define LIVE_SET_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct live_set {
    uint64_t n;               /* ids per copy */
    uint32_t copies;          /* copies 0 .. copies-1 have bitmaps */
    _Atomic uint64_t **words; /* words[copy] = n bits, 64 to a word */
} live_set;

/* "every copy", for live_count */
#define LIVE_ALL_COPIES UINT32_MAX

/* An empty set of n ids per copy, with no copies yet. */
void live_init(live_set *l, uint64_t n);
void live_free(live_set *l);
/* Make sure copies 0..copies-1 have bitmaps (new ones all dead). */
void live_ensure_copies(live_set *l, uint32_t copies);

/* Whether (copy, id) is live; a copy without a bitmap has none live. */
static inline bool live_test(const live_set *l, uint32_t copy, uint64_t id)
{
    return copy < l->copies &&
           (atomic_load_explicit(&l->words[copy][id >> 6], memory_order_relaxed) >> (id & 63) & 1);
}
/* Mark (copy, id) live (on) or dead; copy must have a bitmap. */
static inline void live_mark(live_set *l, uint32_t copy, uint64_t id, bool on)
{
    uint64_t bit = 1ull << (id & 63);
    if (on)
        atomic_fetch_or_explicit(&l->words[copy][id >> 6], bit, memory_order_relaxed);
    else
        atomic_fetch_and_explicit(&l->words[copy][id >> 6], ~bit, memory_order_relaxed);
}
/* Live ids in one copy, or in all when copy == LIVE_ALL_COPIES. */
uint64_t live_count(const live_set *l, uint32_t copy);
/* Drop every live bit outside ids [lo, hi) (of every copy). */
void live_keep_range(live_set *l, uint64_t lo, uint64_t hi);
/* Live bits outside ids [lo, hi), over every copy. */
uint64_t live_count_outside(const live_set *l, uint64_t lo, uint64_t hi);
/* dst |= src's bits within ids [lo, hi), every copy (dst grows to src's
 * copies; both have the same n). */
void live_or_range(live_set *dst, const live_set *src, uint64_t lo, uint64_t hi);
/* The bitmap of a copy as plain words (for knn / gt). */
static inline const uint64_t *live_words(const live_set *l, uint32_t copy)
{
    return (const uint64_t *)l->words[copy];
}
/* 64-bit words in one copy's bitmap. */
static inline size_t live_nwords(const live_set *l)
{
    return (size_t)((l->n + 63) / 64);
}

#endif
