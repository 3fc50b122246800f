/* ds_prepare: the one canonical layout the tool ingests from, and the
 * commands that make or check it.
 *
 * A prepared folder reuses big-ann-benchmarks' public formats:
 *   base.fbin    uint32 n, d; float32 rows (row i = the vector with id i)
 *                (base.u8bin with --type uint8 for uint8 data: BIGANN)
 *   query.fbin   the same for the queries
 *   gt.bin       uint32 nq, k; int32 ids[nq*k]; float32 dists[nq*k]
 *   manifest.json  written last (its presence marks a complete folder):
 *                metric, normalized, counts, dim, element type, NormMax,
 *                the distance kind in gt.bin, the source files and their
 *                SHA-256, and the SHA-256 of the files above.
 * Ground-truth distances are always recomputed from the written vectors
 * (squared L2; 1 − cos for cosine data that is not normalised; −dot for
 * IP), so every source of the same data yields byte-identical files.
 * Vectors are streamed block by block and written in place by id (parquet
 * rows carry ids in any order): nothing holds a whole base file. */
#ifndef DS_PREPARE_H
#define DS_PREPARE_H

#include <stdbool.h>
#include <stdint.h>

#include "ds_set.h"

/* stage ("base", "queries", "ground truth", ...), done, total */
typedef void (*ds_progress_fn)(void *ctx, const char *stage, uint64_t done, uint64_t total);

/* Max L2 norm over the rows of src; refuses NaN / Inf naming the row. */
int ds_norm_max(ds_src *src, double *out, ds_progress_fn fn, void *ctx, vm_err *err);

typedef struct ds_prepare_opts {
    const char *out;
    bool normalize;      /* unit-normalise base and queries (cosine data) */
    bool no_checksums;   /* skip SHA-256 of the source files */
    bool keep_uint8;     /* uint8 data stays uint8: base.u8bin / query.u8bin */
    uint32_t gt_k;       /* compute a ground truth this deep when the source has none */
    ds_progress_fn progress;
    void *progress_ctx;
} ds_prepare_opts;

typedef struct ds_prepare_result {
    uint64_t n_base, n_query;
    uint32_t dim, gt_k;
    double norm_max;
} ds_prepare_result;

int ds_prepare(ds_set *s, const ds_prepare_opts *o, ds_prepare_result *r, vm_err *err);

/* Exact k nearest base rows of nq float32 queries (squared L2, or cosine
 * when normalize is set: both sides unit-normalised first), streaming the
 * base through BLAS (vecmath/knn.h).  ids are base row ids (the source's
 * own ids when it has them); dists ascending. */
int ds_exact_knn(ds_src *base, const float *queries, uint32_t nq, uint32_t k, bool normalize,
                 int64_t *ids, float *dists, ds_progress_fn fn, void *ctx, vm_err *err);

typedef struct ds_verify_opts {
    uint32_t sample;     /* queries to check (default 100); all with all */
    bool all;
    ds_progress_fn progress;
    void *progress_ctx;
} ds_verify_opts;

typedef struct ds_verify_result {
    uint32_t checked, k;
    uint32_t bad_queries;       /* ground truth differs from brute force */
    char first_bad[256];
    uint32_t checksums_ok, checksums_bad;
    char first_bad_file[256];
} ds_verify_result;

/* Brute force on a sample of queries against the ground truth (distances
 * compared rank by rank, so ties in either order pass), the manifest's
 * checksums when the folder is prepared, and FILE.sha256 sidecars left by
 * `dataset download`. */
int ds_verify(ds_set *s, const ds_verify_opts *o, ds_verify_result *r, vm_err *err);

typedef struct ds_generate_opts {
    uint64_t n;
    uint32_t dim, queries, k, clusters;
    uint64_t seed;
    bool no_gt;
    bool u8;             /* uint8 values (base.u8bin / query.u8bin) */
    const char *out;
    ds_progress_fn progress;
    void *progress_ctx;
} ds_generate_opts;

/* Gaussian clusters, reproducible from the seed, in the prepared layout. */
int ds_generate(const ds_generate_opts *o, vm_err *err);

/* Shared by prepare and generate: write manifest.json last in dir, with the
 * SHA-256 of the prepared files found there.  sources: JSON array text
 * ("[]" when none). */
typedef struct ds_manifest {
    const char *source_format, *source_path;
    ds_metric metric;
    bool normalized;
    const char *elem;          /* "float32" / "uint8" */
    uint64_t n_base, n_query;
    uint32_t dim, gt_k;
    double norm_max;
    const char *gt_distance;   /* "squared_l2", "cosine_distance", "negative_inner_product" */
    const char *sources_json;
} ds_manifest;
int ds_manifest_write(const char *dir, const ds_manifest *m, vm_err *err);

#endif
