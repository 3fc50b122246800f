/* rpt_loaders: the loaders of a sliced run, for the report of the run
 * that monitored it.  Each loader (`run --set slice=I/N --no-monitor`, or
 * any run folder) left a summary.json: its slice, and per phase what it
 * did.  The report of the monitor's folder shows them side by side — what
 * each wrote, deleted and asked, how fast — and in all: N loaders' work is
 * one run's. */
#ifndef RPT_LOADERS_H
#define RPT_LOADERS_H

#include <stddef.h>

#include "../util/vm_err.h"
#include "rpt_doc.h"

typedef struct rpt_loader {
    char *dir, *run_id, *slice, *started, *finished;
    double seconds;
    double vectors;    /* inserted: prefill, expand, regrow phases */
    double deleted;    /* shrink phases */
    double operations; /* every phase's */
    double errors;
    double load_seconds; /* the inserting phases' */
} rpt_loader;

typedef struct rpt_loaders {
    rpt_loader *v;
    size_t n;
} rpt_loaders;

/* Read dirs[i]/summary.json for each; -1 with err naming the folder. */
int rpt_loaders_load(rpt_loaders *l, char *const *dirs, size_t n, vm_err *err);
void rpt_loaders_free(rpt_loaders *l);
/* The "Loaders" section: a row per loader and the total. */
void rpt_loaders_section(rpt_doc *d, const rpt_loaders *l);
/* Sum of the loaders' vectors, and of their insert rates (loaders run
 * side by side: their rates add up). */
void rpt_loaders_total(const rpt_loaders *l, double *vectors, double *rate);

#endif
