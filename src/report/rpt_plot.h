/* rpt_plot: the report's pictures, drawn by gnuplot (Debian's gnuplot-nox)
 * as a child process.  For each plot a data file (NAME.dat) and a script
 * (NAME.gp) are written to the plots folder and gnuplot renders NAME.png
 * (pngcairo) and NAME.svg from them; the scripts stay, so a person can
 * re-draw or restyle a plot by hand.
 *
 * Plots: memory vs time per node with phase bands; memory vs live vectors
 * (the grow / shrink hysteresis loop, with the model's curve); bytes per
 * live vector over time; fragmentation ratios; recall and throughput;
 * latency percentiles; per-node balance (clusters); predicted vs measured
 * per phase.  A plot whose data the run does not have is skipped with the
 * reason, never an error. */
#ifndef RPT_PLOT_H
#define RPT_PLOT_H

#include <stdbool.h>

#include "rpt_analyze.h"
#include "rpt_run.h"

#define RPT_MAX_PLOTS 10

typedef struct rpt_plot {
    char name[32]; /* file stem: "memory_time" */
    char title[96];
    char caption[400]; /* what it shows and how to read it */
    bool made;         /* NAME.png and NAME.svg exist */
    char note[300];    /* why it was skipped, or gnuplot's complaint */
} rpt_plot;

typedef struct rpt_plots {
    rpt_plot p[RPT_MAX_PLOTS];
    int n;
    int made;
    bool gnuplot_missing;
} rpt_plots;

/* Write data and scripts into dir (created) and run gnuplot (the program
 * named gnuplot, looked up in PATH when it has no '/').  Fails only when dir
 * cannot be written; each plot says whether it was made. */
int rpt_plots_render(const rpt_run *run, const rpt_analysis *an, const char *dir,
                     const char *gnuplot, rpt_plots *out, vm_err *err);

#endif
