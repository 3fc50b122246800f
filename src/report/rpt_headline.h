/* rpt_headline: the three figures a run is read for first, in one line
 * each — what a live vector costs, how much of what deleted vectors took the
 * server kept, and the recall the index gave.  The quickstart prints them;
 * the report puts them above its findings.
 *
 * Bytes per live vector: used_memory's growth since the first sample, at
 * the first sample with the most live vectors, divided by that count.
 * Memory not returned: at the first shrink (a phase ending with fewer live
 * vectors than it began with), what the deleted vectors took on the way up
 * (used_memory on the growth curve at the live count before, less at the
 * count after, interpolated) minus what came back by the end of the last
 * phase that still holds the shrunk count (the settle waits after it).
 * Recall: the lowest mean recall of the query steps in summary.json. */
#ifndef RPT_HEADLINE_H
#define RPT_HEADLINE_H

#include "rpt_analyze.h"

typedef struct rpt_headline {
    char line[3][512]; /* "bytes per live vector: ...", "memory not returned ...", "recall ..." */
    /* the figures, NAN when not measured */
    double bytes_per_vector, at_live;
    double not_returned, deleted_took, deleted;
    double recall;
} rpt_headline;

void rpt_headline_compute(const rpt_run *run, const rpt_analysis *an, rpt_headline *h);

#endif
