/* prep_generate: `dataset generate` — a synthetic dataset in the prepared
 * layout (prep_prepare.h): Gaussian clusters, reproducible from a seed,
 * with exact ground truth unless asked not to. */
#ifndef PREP_GENERATE_H
#define PREP_GENERATE_H

#include <stdbool.h>
#include <stdint.h>

#include "../dataset/ds_src.h"
#include "../util/vm_err.h"

typedef struct prep_generate_opts {
    uint64_t n;
    uint32_t dim, queries, k, clusters;
    uint64_t seed;
    bool no_gt;
    bool u8; /* uint8 values (base.u8bin / query.u8bin) */
    const char *out;
    ds_progress_fn progress;
    void *progress_ctx;
} prep_generate_opts;

/* Gaussian clusters, reproducible from the seed, in the prepared layout. */
int prep_generate(const prep_generate_opts *o, vm_err *err);

#endif
