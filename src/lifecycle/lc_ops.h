/* lc_ops: the lifecycle operations on a session — insert copies (prefill,
 * expand), shrink by uniformly random deletion, regrow, and KNN queries
 * whose recall is measured against ground truth kept exact (gt.h).  Each
 * runs its workload on the engine, updates the liveness bitmaps as the
 * server acknowledges, and saves the state when it ends (also on error or
 * interruption: what was acknowledged is never forgotten). */
#ifndef LC_OPS_H
#define LC_OPS_H

#include "../engine/eng.h"
#include "lc_progress.h"
#include "lc_session.h"

typedef struct lc_op_result {
    uint64_t ok;          /* acknowledged commands */
    uint64_t errors;      /* error replies */
    uint64_t missing;     /* DEL of a key that was already gone */
    uint64_t planned;     /* items the operation set out to do */
    char first_error[256];
    double seconds;
    double cpu_s;         /* the client's CPU over it (eng_stats.cpu_s) */
    bool oom;             /* stop_on_oom: an OOM reply stopped the insert */
    uint64_t live_at_oom; /* the live count (all copies) at that reply */
    char stream[512];     /* the originals came from this encoded file (wl_stream.h), "" = none */
} lc_op_result;

typedef struct lc_insert_opts {
    bool skip_live;       /* leave out items already live (resume, re-run) */
    bool stop_on_oom;     /* stop at the first OOM reply, record the live count */
    bool stream;          /* splice the originals from the dataset's base.resp (wl_stream.h) */
} lc_insert_opts;

/* HSET copies [copy_first, copy_end) (ids 0 .. st.live.n).  Copies above 0 need
 * an L2 (or normalised cosine) dataset. */
int lc_insert_copies(lc_session *s, const eng_config *eng, uint32_t copy_first,
                     uint32_t copy_end, const lc_insert_opts *opts, const lc_progress *prog,
                     lc_op_result *res, vm_err *err);

#define LC_ALL_COPIES LIVE_ALL_COPIES

/* Delete live vectors of copy (or every copy) in the state's part: count
 * of them exactly, or (count == 0) each one whose seeded draw is under
 * fraction — the rule that gives N slices the victims one loader picks
 * (lc_select.h). */
int lc_shrink(lc_session *s, const eng_config *eng, uint32_t copy, double fraction,
              uint64_t count, uint64_t seed, const lc_progress *prog, lc_op_result *res,
              vm_err *err);
/* Re-insert deleted vectors of copy (or every copy) in the state's part
 * under their own keys: count of them, or each one whose seeded draw is
 * under fraction (1 = all), as lc_shrink chooses. */
int lc_regrow(lc_session *s, const eng_config *eng, uint32_t copy, double fraction,
              uint64_t count, uint64_t seed, const lc_progress *prog, lc_op_result *res,
              vm_err *err);

/* How many vectors lc_shrink (shrink true) or lc_regrow would choose by
 * fraction now, in the state's next round. */
uint64_t lc_planned(const lc_session *s, bool shrink, uint32_t copy, double fraction,
                    uint64_t seed);

typedef struct lc_copy_recall {
    uint32_t copy;
    uint32_t queries;
    double mean, min;
} lc_copy_recall;

typedef struct lc_query_result {
    uint32_t k;
    uint64_t queries, errors;
    double mean, min, p5, perfect_share;
    double qps, seconds;
    double cpu_s;            /* the client's CPU over the queries */
    double lat_p50_ms, lat_p90_ms, lat_p99_ms, lat_p999_ms, lat_max_ms;
    lc_copy_recall *per_copy;
    uint32_t ncopies;
    uint32_t gt_recomputed;  /* queries whose truth needed brute force */
    uint32_t shards;         /* > 1: each query went to that many masters, merged here */
    /* fanned out: "" when the masters serving slots at the end were the
     * ones asked; else which joined ("127.0.0.1:7004 joined": its keys were
     * not searched, recall may read low) and which left */
    char masters_changed[256];
    char failovers[256];  /* "X took over from Y": asked in Y's place, nothing missed */
    char first_error[256];
    const char *rule;        /* the recall rule, for reports */
} lc_query_result;

typedef struct lc_query_conf {
    const char *index;
    uint32_t k;
    int ef_runtime;
    const uint32_t *copies;  /* NULL = every copy with a live vector */
    uint32_t ncopies;
    uint32_t queries;        /* per copy, 0 = all */
    /* loader slice_i of slice_n asks only its part of those queries
     * (util/vm_slice.h); 0 = all.  Recall needs the whole live set: the
     * state must be whole (one loader's, or the loaders' merged). */
    uint32_t slice_i, slice_n;
} lc_query_conf;

int lc_query(lc_session *s, const eng_config *eng, const lc_query_conf *q, lc_query_result *res,
             vm_err *err);
/* What lc_query checks before it asks anything: the state knows every
 * live vector (not one loader's slice), the dataset has every row. */
int lc_query_check(const lc_session *s, const lc_query_conf *q, vm_err *err);
void lc_query_result_free(lc_query_result *r);

#endif
