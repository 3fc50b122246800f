/* prep_holdout: queries held out of a base (`dataset prepare
 * --queries-from-base Q`), for sources that ship none — the hub's
 * embedding sets.
 *
 * The rule, so anyone can redraw the same rows: Robert Floyd's sampling
 * (Bentley, "A sample of brilliance", CACM 1987) over the source rows
 * 0..n-1 with splitmix64 (util/rng.h) from state = seed:
 *     for j = n-Q .. n-1:  t = floor(rng_unit(state) * (j+1));
 *                          take t, or j when t is taken already.
 * The Q rows are then sorted: query i is the i-th held-out row in source
 * order, and the other rows keep their order as base ids 0..n-Q-1.
 * A source row is its position, or its id when the rows carry ids. */
#ifndef PREP_HOLDOUT_H
#define PREP_HOLDOUT_H

#include <stdbool.h>
#include <stdint.h>

#include "../util/vm_err.h"

#define PREP_HOLDOUT_SEED 1 /* the seed when none is given */

/* Q distinct rows of 0..n-1, ascending, into *rows (the caller frees).
 * Refuses Q = 0 and Q >= n (no base would be left). */
int prep_holdout_draw(uint64_t n, uint64_t q, uint64_t seed, uint64_t **rows, vm_err *err);

/* Where source row x goes: true with *at its query number when held out,
 * false with *at its base row. */
bool prep_holdout_place(const uint64_t *held, uint64_t q, uint64_t x, uint64_t *at);

#endif
