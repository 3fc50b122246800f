/* knn: exact k-nearest-neighbour search by brute force (squared L2), the
 * ground-truth recomputation of DESIGN.md §4.  Distances come from one BLAS
 * GEMM per block of base rows: ‖x − q‖² = ‖x‖² − 2·x·q + ‖q‖², with a
 * bounded max-heap of the k best per query.  Rows may be skipped by a
 * liveness bitmap.  OpenBLAS (Debian) does the arithmetic. */
#ifndef KNN_H
#define KNN_H

#include <stdint.h>

#include "../dataset/ds_vecfile.h"

typedef struct knn_result {
    uint32_t k;
    int64_t *ids;   /* nq × k, ascending distance; −1 where fewer than k rows exist */
    float *dist2;   /* nq × k squared L2 */
} knn_result;

/* Exact kNN of the nq float32 queries (row-major, dim each) over the rows of
 * base whose bit is set in live (NULL = all rows). */
int knn_search(const ds_vecfile *base, const uint64_t *live, const float *queries, uint32_t nq,
               uint32_t k, knn_result *out, vm_err *err);
void knn_result_free(knn_result *r);

/* Squared L2 distance, accumulated in double then rounded to float. */
float knn_dist2(const float *a, const float *b, uint32_t dim);

#endif
