/* gt: ground truth that stays exact after any sequence of expand / shrink /
 * regrow (DESIGN.md §4).
 *
 * Distances inside a copy equal the original's (xp_expand.h), so the truth
 * for query q in copy n is the truth for q over the LIVE vectors of copy n:
 * the dataset's deep list (usually 100 ids) filtered by liveness — the first
 * k survivors are exact, since any live vector missing from the deep list is
 * farther than all of it — and, where fewer than k survive, q's neighbours
 * recomputed by brute force over the live vectors of that copy (knn.h).
 *
 * Recall rule: a returned vector counts as correct when it is live, in the
 * query's copy, and its distance ≤ the k-th true distance × (1 + 1e-5) +
 * 1e-6 (ties count, ann-benchmarks style).  With ground truth ids only the
 * rule is the same because distances are recomputed from the vectors. */
#ifndef GT_H
#define GT_H

#include <stdint.h>

#include "../dataset/ds_vecfile.h"

typedef struct gt_truth {
    uint32_t k;
    uint32_t nq;
    int64_t *ids;     /* nq × k original ids (−1 = none) */
    float *dist2;     /* nq × k */
    uint32_t recomputed; /* queries that needed brute force */
} gt_truth;

/* The exact top-k for every query over base rows live in `live` (a bitmap,
 * NULL = all).  deep (may be NULL) is the dataset's ground-truth file. */
int gt_compute(const ds_vecfile *base, const ds_vecfile *queries, const ds_vecfile *deep,
               const uint64_t *live, uint32_t k, gt_truth *out, vm_err *err);
void gt_free(gt_truth *t);

/* Recall of one query's answer: returned[i] is the original id of a returned
 * vector of the right copy and live, or −1 for a wrong one.  Returns the
 * share of the k slots answered correctly (tie-aware). */
double gt_recall(const gt_truth *t, uint32_t q, const ds_vecfile *base, const float *query,
                 const int64_t *returned, uint32_t nret);

#endif
