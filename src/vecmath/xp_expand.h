/* xp_expand: the expansion maths of DESIGN.md §3.
 *
 * Expand_n(D) = { x + V_n : x in D }, V_0 = 0.  With R = NormMax (max ‖x‖
 * over base and queries) every offset is a multiple of one axis vector:
 *
 *   V_n = sign · mult · s · e_axis,   j = n − 1,  axis = j mod dim,
 *   r = j / dim,  sign = + for even r, − for odd r,  mult = r / 2 + 1,
 *
 * with the step s the smallest power of two above 4R.  Separation proof:
 * two offsets on different axes are at least s·√2 apart; on the same axis
 * their multiples differ (or their signs do), so they are at least s apart;
 * and ‖V_n − V_0‖ = mult·s ≥ s.  Hence ‖V_n − V_m‖ ≥ s > 4R ≥ 2R + D for
 * every D ≤ 2R.  So for a query q + V_n and any x, y:
 *   ‖(q + V_n) − (x + V_n)‖ = ‖q − x‖ ≤ 2R  <  s − 2R ≤ ‖(q + V_n) − (y + V_m)‖,
 * every vector of copy n is nearer than every vector of another copy — even
 * after any deletions — and distances inside a copy are those of the
 * original: ground truth carries over with no recomputation.  A power-of-two
 * step keeps x + V_n exact in float32 for integer-valued data (SIFT) and
 * changes one coordinate only, so distances move by at most an ulp.
 * Inner product is not translation invariant: expansion refuses it. */
#ifndef XP_EXPAND_H
#define XP_EXPAND_H

#include <stdint.h>

#include "../util/strbuf.h"

typedef struct xp_plan {
    double norm_max;  /* R */
    float step;       /* s, power of two > 4R */
    uint32_t dim;
} xp_plan;

void xp_plan_init(xp_plan *p, double norm_max, uint32_t dim);
/* V_n = value · e_axis (n >= 1); n = 0 gives value 0. */
void xp_offset(const xp_plan *p, uint32_t n, uint32_t *axis, float *value);
/* v += V_n, in place (v has dim floats, may be unaligned bytes). */
void xp_apply(const xp_plan *p, uint32_t n, void *v);
/* ‖V_n − V_m‖ (for the proof test and reports). */
double xp_separation(const xp_plan *p, uint32_t n, uint32_t m);
/* Key of copy n of the vector whose original key is <prefix><id>:
 * <prefix><id> for n = 0, expand_<n>_<prefix><id> otherwise. */
void xp_key(strbuf *out, const char *prefix, uint32_t copy, uint64_t id);
/* Parse a key back: returns 0 with copy and id, -1 when it is not ours. */
int xp_parse_key(const char *key, size_t len, const char *prefix, uint32_t *copy, uint64_t *id);

#endif
