/* rpt_analyze: what a report says about a run — a timeline of totals over
 * the nodes, the phases (contiguous spans of one phase label), per-phase
 * memory at start / end / peak, the memory model's prediction at each
 * phase's end against what was measured, and findings in plain language
 * ("after deleting 50 % of vectors, search memory fell 3 %").
 *
 * Totals over nodes: each node's value in force at a time (its last sample
 * at or before it), summed; the timeline's times are those of the node with
 * the most samples.  The live vector count is the tool's own (the labels of
 * the CSV), the same on every node's row. */
#ifndef RPT_ANALYZE_H
#define RPT_ANALYZE_H

#include "../model/mdl_vs.h"
#include "../util/strvec.h"
#include "rpt_run.h"

enum {
    RPT_USED = 0,  /* used_memory */
    RPT_SEARCH,    /* search_used_memory_bytes */
    RPT_RSS,       /* used_memory_rss */
    RPT_ALLOCATED, /* allocator allocated */
    RPT_ACTIVE,    /* allocator active */
    RPT_RESIDENT,  /* allocator resident */
    RPT_NMETRICS
};

/* The canonical name of timeline metric i (rpt_data names). */
const char *rpt_metric_name(int i);
/* A short label for people: "used_memory", "search module", "RSS"... */
const char *rpt_metric_label(int i);

typedef struct rpt_timeline {
    size_t n;
    int64_t *t_ms;
    int *phase;              /* index into rpt_analysis.phases */
    double *live, *deleted;  /* NAN when the CSV has no label */
    double *m[RPT_NMETRICS]; /* totals over nodes; NAN when no node has it */
    bool have[RPT_NMETRICS];
} rpt_timeline;

typedef struct rpt_phase {
    char name[112];     /* "prefill", "grow (2)" */
    const char *label;  /* the raw label, or NULL */
    size_t first, last; /* timeline indexes */
    double live_start, live_end, deleted_end, live_peak_so_far;
    double start[RPT_NMETRICS], end[RPT_NMETRICS], peak[RPT_NMETRICS];
    double frag_end; /* largest mem_fragmentation_ratio over nodes */
    int info;        /* index into rpt_run.phases, or -1 */
    bool have_model;
    mdl_prediction pred;             /* summed over nodes */
    double pred_module, meas_module; /* NAN when not measured */
    double pred_used, meas_used;     /* NAN when no baseline */
    double meas_capacity;            /* FT.INFO capacity summed over nodes, or NAN */
} rpt_phase;

typedef struct rpt_analysis {
    rpt_timeline tl;
    rpt_phase *phases;
    size_t nphases;
    strvec findings;
    /* the model */
    bool model_ok;        /* parameters known: predictions were made */
    char model_note[640]; /* what was assumed / why there is no model */
    mdl_params model;     /* parameters used (counts of the last phase) */
    bool have_search;     /* some node has search_used_memory_bytes */
    int model_nodes;      /* shards the vectors are spread over */
    double module_idle;   /* module bytes before the index (added to predictions) */
    /* time axis for plots */
    double t_div;
    const char *t_unit;
} rpt_analysis;

/* model_over: the person's overrides (may be NULL).  Never fails on data:
 * what cannot be computed is left NAN and said in model_note / findings. */
int rpt_analyze(const rpt_run *run, const mdl_params *model_over, bool over_given, rpt_analysis *an,
                vm_err *err);
void rpt_analysis_free(rpt_analysis *an);

/* The model's prediction of module bytes, summed over shards, for a live /
 * deleted / peak count (used by plots for the predicted curve). */
double rpt_predict_module(const rpt_analysis *an, double live, double deleted, double peak);

#endif
