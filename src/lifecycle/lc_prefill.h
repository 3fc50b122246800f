/* lc_prefill: the prefill step of a lifecycle — open (or resume) the state,
 * create the index when asked and the server can, then write the original
 * vectors and, with expand > 0, copies 1..expand after them.  Shared by the
 * `prefill` command and by scenarios (`run`). */
#ifndef LC_PREFILL_H
#define LC_PREFILL_H

#include <stdbool.h>
#include <stdint.h>

#include "../dataset/ds_text.h"
#include "../engine/eng.h"
#include "../search/idx.h"
#include "lc_progress.h"

typedef struct lc_prefill_conf {
    const char *dataset;   /* folder or base file */
    uint64_t limit;        /* 0 = all base vectors */
    const char *prefix;    /* key prefix, default "vec:" */
    const char *field;     /* hash field, default "vector" */
    const char *state_dir; /* --state: where liveness is kept (NULL = memory only) */
    uint32_t expand;       /* expanded copies written after the original */
    bool create_index;
    idx_spec index;    /* name, algo, metric, m, ef... (dim and prefix filled in) */
    bool stream;       /* splice the originals from the dataset's base.resp */
    ds_text_conf text; /* with index.text_field: how the text is generated */
    uint32_t slice_i, slice_n; /* loader slice_i of slice_n (0 = the whole id space) */
    double norm_max;   /* > 0: the whole set's NormMax, given (a loader with its rows only) */
} lc_prefill_conf;

typedef struct lc_prefill_result {
    uint64_t vectors; /* acknowledged HSETs */
    uint64_t errors;  /* error replies */
    char first_error[256];
    double seconds;
    uint32_t dim;
    double norm_max;
    bool index_created;
    bool module_missing; /* --index asked, server has no search module */
    char stream[512];    /* the originals were spliced from this file, "" = built */
    double server_cpu_s; /* INFO cpu used_cpu_sys + user over the load, summed over
                            the masters; < 0 when it could not be asked */
    int servers;         /* masters driven (1 without a cluster) */
} lc_prefill_result;

int lc_prefill(const lc_prefill_conf *conf, const eng_config *eng, const lc_progress *prog,
               lc_prefill_result *res, vm_err *err);

#endif
