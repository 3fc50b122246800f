/* rng: splitmix64, the small seeded generator the tool draws reproducible
 * choices from (generated text, deletions): the same seed gives the same
 * sequence on every host and every build, so loaders started anywhere agree
 * on what was drawn.  Not for anything secret. */
#ifndef UTIL_RNG_H
#define UTIL_RNG_H

#include <stdint.h>

static inline uint64_t rng_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* a double in [0, 1) with 53 random bits */
static inline double rng_unit(uint64_t *state)
{
    return (double)(rng_splitmix64(state) >> 11) * 0x1.0p-53;
}

/* A draw that is a function of (seed, stream, key) alone — not of the order
 * in which anything was visited — so N loaders that each look at their own
 * keys draw exactly what one loader that looks at all of them draws.
 * stream separates independent uses of one seed (deleting, re-inserting). */
static inline uint64_t rng_draw(uint64_t seed, uint64_t stream, uint64_t key)
{
    uint64_t s = seed ^ (stream * 0xd6e8feb86659fd93ull);
    uint64_t t = rng_splitmix64(&s) ^ key;
    return rng_splitmix64(&t);
}

#endif
