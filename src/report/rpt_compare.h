/* rpt_compare: two runs on one page — typically the same scenario on two
 * releases (grow-shrink on valkey-search 1.0.3 and on 1.2.1) — with their
 * memory curves overlaid, the figures a run is read for side by side
 * (bytes per live vector, memory not returned after deletes, module memory
 * and what deletes gave back, reclaimable memory, recall) and a list of
 * what changed, in words.
 *
 * Each side is loaded and analysed as `report` does for one run (rpt_run,
 * rpt_analyze, rpt_headline); this unit only sets them side by side.  A
 * side is named by its server and module ("valkey-search 1.2.1 on valkey
 * 9.0.4"), or by its folder when the run does not say. */
#ifndef RPT_COMPARE_H
#define RPT_COMPARE_H

#include "rpt_analyze.h"
#include "rpt_headline.h"
#include "rpt_run.h"

typedef struct rpt_side {
    rpt_run run;
    rpt_analysis an;
    rpt_headline head;
    char label[160];
    /* module memory around the first shrink (NAN when not measured) */
    double module_before, module_after, module_peak;
    double reclaimable_after; /* search_index_reclaimable_memory, summed, after it */
    double used_peak;
} rpt_side;

typedef struct rpt_compare {
    rpt_side side[2];
    strvec findings;
} rpt_compare;

/* Load and analyse both run folders; -1 with err naming the folder that
 * could not be read. */
int rpt_compare_load(rpt_compare *c, const char *dir_a, const char *dir_b, vm_err *err);
void rpt_compare_free(rpt_compare *c);

/* Write out_dir/compare.html and out_dir/compare.md (plots under
 * out_dir/plots, drawn with gnuplot when it is there). */
int rpt_compare_write(const rpt_compare *c, const char *out_dir, const char *gnuplot,
                      const char *generator, vm_err *err);

#endif
