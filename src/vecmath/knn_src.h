/* knn_src: exact kNN over any vector source (ds_src.h) — parquet, HDF5,
 * TEXMEX, big-ann — not only a mapped vecfile: the base is streamed in
 * blocks through knn_search (knn.h) and the results merged, so no source
 * is ever held whole.  The ground truth of `dataset prepare` and
 * `generate`, and the brute force of `dataset verify` (prep/). */
#ifndef KNN_SRC_H
#define KNN_SRC_H

#include <stdbool.h>
#include <stdint.h>

#include "../dataset/ds_src.h"
#include "../util/vm_err.h"

/* Exact k nearest base rows of nq float32 queries (squared L2, or cosine
 * when normalize is set: both sides unit-normalised first).  ids are base
 * row ids (the source's own ids when it has them); dists ascending.  fn
 * (may be NULL) is told "brute force" progress. */
int knn_src_exact(ds_src *base, const float *queries, uint32_t nq, uint32_t k, bool normalize,
                  int64_t *ids, float *dists, ds_progress_fn fn, void *ctx, vm_err *err);

#endif
