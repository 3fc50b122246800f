/* prep_prepare: the one canonical layout the tool ingests from, and
 * `dataset prepare`, which converts any source into it (prep_generate.h
 * makes one from nothing, prep_verify.h checks one; ds_dataset.h opens it
 * for the load).
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
 * With queries held out of the base (prep_holdout.h), the manifest says
 * which: queries_from_base {count, seed, rule, held_out: [source rows]},
 * the list in the manifest itself whatever its length.  A source folder's
 * rows.json (a partial download) is copied beside the files unchanged;
 * such a source gets no computed ground truth (it needs every row).
 * Vectors are streamed block by block and written in place by id (parquet
 * rows carry ids in any order): nothing holds a whole base file. */
#ifndef PREP_PREPARE_H
#define PREP_PREPARE_H

#include <stdbool.h>
#include <stdint.h>

#include "../dataset/ds_set.h"

/* Max L2 norm over the rows of src; refuses NaN / Inf naming the row. */
int prep_norm_max(ds_src *src, double *out, ds_progress_fn fn, void *ctx, vm_err *err);

typedef struct prep_prepare_opts {
    const char *out;
    bool normalize;    /* unit-normalise base and queries (cosine data) */
    bool no_checksums; /* skip SHA-256 of the source files */
    bool keep_uint8;   /* uint8 data stays uint8: base.u8bin / query.u8bin */
    uint32_t gt_k;     /* compute a ground truth this deep when the source has none */
    /* hold this many base rows out as the queries (prep_holdout.h); the
     * source must have no queries; gt_k 0 then means PREP_HOLDOUT_GT_K */
    uint64_t queries_from_base;
    uint64_t seed; /* of the held-out rows: PREP_HOLDOUT_SEED unless given */
    ds_progress_fn progress;
    void *progress_ctx;
} prep_prepare_opts;

typedef struct prep_prepare_result {
    uint64_t n_base, n_query;
    uint32_t dim, gt_k;
    double norm_max;
} prep_prepare_result;

/* The ground-truth depth of held-out queries when none is asked for. */
#define PREP_HOLDOUT_GT_K 100

int prep_prepare(ds_set *s, const prep_prepare_opts *o, prep_prepare_result *r, vm_err *err);

/* Shared by prepare and generate: write manifest.json last in dir (through
 * json_w), with the SHA-256 of the prepared files found there.  sources: a
 * json-c array of {"path", "bytes", "sha256"} for the files read, still
 * the caller's; NULL writes []. */
typedef struct prep_manifest {
    const char *source_format, *source_path;
    ds_metric metric;
    bool normalized;
    const char *elem; /* "float32" / "uint8" */
    uint64_t n_base, n_query;
    uint32_t dim, gt_k;
    double norm_max;
    const char *gt_distance; /* "squared_l2", "cosine_distance", "negative_inner_product" */
    struct json_object *sources;
    struct json_object *queries_from_base; /* or NULL; still the caller's */
} prep_manifest;
int prep_manifest_write(const char *dir, const prep_manifest *m, vm_err *err);

#endif
