/* lc_select: which vectors a shrink deletes and a regrow re-inserts.
 *
 * Each (copy, id) has a draw u = rng_draw(seed, stream, WL_TAG(copy, id))
 * (util/rng.h): a function of the seed, the item and the stream alone —
 * the stream being the how-manieth shrink (or regrow) of the state this
 * is (lc_draw_stream), so that each draws anew.  A selection
 * by fraction F takes every candidate whose draw is under F·2^64 — on
 * average F of them, and exactly the same set whether one loader looks at
 * every id or N loaders each look at their slice (util/vm_slice.h), which
 * is what lets a 1B run shrink from many hosts.  A selection by count K
 * takes the K candidates with the smallest draws (ties by tag): exact, but
 * of the ids this state holds, so a slice's K are its own.
 *
 * Candidates are the live items (shrink) or the dead ones (regrow) of one
 * copy or of all, within the state's part.  The chosen tags come back in a
 * seeded random order, so the server does not see them id by id. */
#ifndef LC_SELECT_H
#define LC_SELECT_H

#include <stdbool.h>
#include <stdint.h>

#include "lc_state.h"

enum { LC_DRAW_DELETE = 1, LC_DRAW_REINSERT = 2 };
/* The stream of the round-th shrink (LC_DRAW_DELETE) or regrow of a state. */
static inline uint64_t lc_draw_stream(uint64_t kind, uint64_t round)
{
    return kind + (round << 8);
}

typedef struct lc_select_conf {
    uint32_t copy;   /* a copy, or LIVE_ALL_COPIES */
    bool live;       /* candidates: live items (true) or dead ones */
    uint64_t stream; /* LC_DRAW_* */
    uint64_t seed;
    double fraction; /* used when count == 0, in [0, 1] */
    uint64_t count;  /* exactly this many (<= the candidates) */
} lc_select_conf;

/* Candidates of q in st (the live or dead items of its copies in the part). */
uint64_t lc_select_pool(const lc_state *st, const lc_select_conf *q);
/* How many lc_select would choose by fraction (q->count is ignored). */
uint64_t lc_select_count(const lc_state *st, const lc_select_conf *q);
/* The chosen tags (WL_TAG), malloc'ed, their number in *n. */
uint64_t *lc_select(const lc_state *st, const lc_select_conf *q, uint64_t *n);

#endif
