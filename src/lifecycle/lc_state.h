/* lc_state: what is live, kept in the --state folder so that a later command
 * or a resumed run knows exactly which vectors the server holds.
 *
 *   manifest   "key value" lines: dataset, prefix, field, n, dim, metric,
 *              norm_max, step, copies, index, inserted, deleted
 *   live.bin   "VMLIVE1\0", uint32 copies, uint64 n, then per copy a bitmap
 *              of n bits (1 = live), 64-bit little-endian words
 * Both are written to a temporary file and renamed, so a crash leaves the
 * previous state or the new one, never a mix. */
#ifndef LC_STATE_H
#define LC_STATE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "../util/vm_err.h"

typedef struct lc_state {
    char *dir;
    char *dataset;      /* absolute path */
    char *prefix;
    char *field;
    char *index;        /* may be empty */
    char *metric;       /* L2 / COSINE / IP */
    char *tag_field;    /* generated TAG attribute, empty = none */
    char *numeric_field;/* generated NUMERIC attribute, empty = none */
    uint64_t n;         /* vectors per copy */
    uint32_t dim;
    double norm_max;
    float step;
    uint32_t copies;    /* copies 0 .. copies-1 have bitmaps */
    uint64_t inserted;  /* cumulative acknowledged inserts */
    uint64_t deleted;   /* cumulative acknowledged deletes */
    _Atomic uint64_t **live; /* live[copy] = n bits */
} lc_state;

/* Load dir/manifest and dir/live.bin; *found = false (and 0) when the folder
 * has no state yet. */
int lc_state_load(lc_state *s, const char *dir, bool *found, vm_err *err);
/* A new empty state (no copies) for a dataset. */
void lc_state_init(lc_state *s, const char *dir, const char *dataset, const char *prefix,
                   const char *field, const char *index, const char *metric, uint64_t n,
                   uint32_t dim, double norm_max, float step);
int lc_state_save(const lc_state *s, vm_err *err);
void lc_state_free(lc_state *s);

/* Make sure copies 0..copies-1 have bitmaps (new ones all dead). */
void lc_state_ensure_copies(lc_state *s, uint32_t copies);

static inline bool lc_live_get(const lc_state *s, uint32_t copy, uint64_t id)
{
    return copy < s->copies &&
           (atomic_load_explicit(&s->live[copy][id >> 6], memory_order_relaxed) >> (id & 63) & 1);
}
static inline void lc_live_set(lc_state *s, uint32_t copy, uint64_t id, bool on)
{
    uint64_t bit = 1ull << (id & 63);
    if (on)
        atomic_fetch_or_explicit(&s->live[copy][id >> 6], bit, memory_order_relaxed);
    else
        atomic_fetch_and_explicit(&s->live[copy][id >> 6], ~bit, memory_order_relaxed);
}
/* Live vectors in one copy, or in all when copy == UINT32_MAX. */
uint64_t lc_live_count(const lc_state *s, uint32_t copy);
/* The bitmap of a copy as plain words (for knn/gt). */
static inline const uint64_t *lc_live_words(const lc_state *s, uint32_t copy)
{
    return (const uint64_t *)s->live[copy];
}

#endif
