/* prep_verify: `dataset verify` — checks a dataset folder, prepared or
 * not: its ground truth against brute force over its base (knn_src.h), the
 * SHA-256 its manifest records for the prepared files (prep_prepare.h),
 * and the FILE.sha256 sidecars `dataset download` leaves. */
#ifndef PREP_VERIFY_H
#define PREP_VERIFY_H

#include <stdbool.h>
#include <stdint.h>

#include "../dataset/ds_set.h"

typedef struct prep_verify_opts {
    uint32_t sample; /* queries to check (default 100); all with all */
    bool all;
    ds_progress_fn progress;
    void *progress_ctx;
} prep_verify_opts;

typedef struct prep_verify_result {
    uint32_t checked, k;
    uint32_t bad_queries; /* ground truth differs from brute force */
    char first_bad[256];
    uint32_t checksums_ok, checksums_bad;
    char first_bad_file[256];
} prep_verify_result;

/* Brute force on a sample of queries against the ground truth (distances
 * compared rank by rank, so ties in either order pass), the manifest's
 * checksums when the folder is prepared, and FILE.sha256 sidecars left by
 * `dataset download`. */
int prep_verify(ds_set *s, const prep_verify_opts *o, prep_verify_result *r, vm_err *err);

#endif
