/* rpt_gp: one gnuplot picture as the report writes it — a data file
 * (NAME.dat, one block per curve), a script (NAME.gp) of common settings,
 * the picture's own and its plot command, then gnuplot run in the plots
 * folder to render NAME.png and NAME.svg.  rpt_plot (one run's plots) and
 * rpt_compare (two runs overlaid) draw with it. */
#ifndef RPT_GP_H
#define RPT_GP_H

#include <stdio.h>

#include "../util/strbuf.h"
#include "rpt_plot.h"

typedef struct rpt_gp {
    const char *dir; /* the plots folder */
    rpt_plot *pl;    /* the picture's entry in the list */
    FILE *dat;
    strbuf gp;  /* settings */
    strbuf cmd; /* the plot command */
    int blocks; /* data blocks written (gnuplot "index") */
    int curves;
} rpt_gp;

/* Line colours of the report, in order. */
extern const char *const rpt_gp_colors[10];

/* Take the next entry of out for picture NAME and open NAME.dat; -1 (with
 * the entry's note) when it cannot be written. */
int rpt_gp_begin(rpt_gp *g, rpt_plots *out, const char *name, const char *title,
                 const char *caption);
/* Start a data block; returns its index. */
int rpt_gp_block(rpt_gp *g, const char *what);
/* Add one curve to the plot command. */
void rpt_gp_curve(rpt_gp *g, int blk, const char *using_, const char *style, const char *title);
/* Write (x, y) pairs, thinned to a few thousand by keeping each bucket's
 * lowest and highest point (peaks survive). */
void rpt_gp_xy(FILE *f, const double *x, const double *y, size_t n);
/* Close the data, write the script and run gnuplot (a picture with no
 * curve is dropped with a note); the entry says whether it was made. */
void rpt_gp_finish(rpt_gp *g, const char *gnuplot, rpt_plots *out);

void rpt_gp_quote(strbuf *sb, const char *s);
/* Bytes unit for an axis whose largest value is max ("MiB"): its size. */
double rpt_gp_bytes_unit(double max, const char **name);
void rpt_gp_note(rpt_plot *pl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
