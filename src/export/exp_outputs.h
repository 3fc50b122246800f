/* exp_outputs: where a run's memory samples go, behind one mon_sink_fn —
 * the wide CSV, the long CSV, the pushgateway and the run summary, each
 * optional.  Used by the monitor command and by the scenarios, so every
 * entry point writes the same files the same way.
 *
 * With out_dir: <out_dir>/memory.csv (wide; csv_path overrides it),
 * <out_dir>/memory.units.csv (units of the wide columns) and
 * <out_dir>/memory_long.csv (every field).  Without out_dir only csv_path
 * (and its .units.csv) is written.  The summary is the caller's (it also
 * records phases); exp only feeds it samples and push figures. */
#ifndef EXP_OUTPUTS_H
#define EXP_OUTPUTS_H

#include <pthread.h>
#include <stdbool.h>

#include "csv_long.h"
#include "csv_wide.h"
#include "prom_push.h"
#include "sum_json.h"

typedef struct exp_conf {
    const char *out_dir;        /* NULL: no folder */
    const char *csv_path;       /* wide CSV; NULL: <out_dir>/memory.csv */
    bool no_long;               /* skip memory_long.csv */
    const prom_push_conf *push; /* NULL or url NULL: no push */
    sum_run *summary;           /* NULL: none (not owned) */
} exp_conf;

struct hist;

typedef struct exp_latency {
    char op[32];
    struct hist *h;
} exp_latency;

typedef struct exp_outputs {
    csv_wide wide;
    csv_long lng;
    bool have_wide, have_long;
    prom_push *push;
    sum_run *summary;
    char *wide_path, *long_path;
    long samples;
    prom_push_conf push_conf; /* a copy, with the latency hook */
    pthread_mutex_t lat_mu;
    exp_latency *lat; /* latency histograms pushed with every sample */
    size_t nlat;
} exp_outputs;

int exp_open(exp_outputs *o, const exp_conf *c, vm_err *err);
/* The mon_sink_fn: every output in turn; a CSV write failure is an error
 * (the run has lost its record), a push failure never is. */
int exp_sink(void *ctx, const mon_sample *s, vm_err *err);
/* Close everything; push figures go to the summary.  Returns -1 with
 * push_err set when the last push failed (not an error of the run). */
int exp_close(exp_outputs *o, prom_push_stats *push_stats, vm_err *push_err);
/* Latency of the workload's operation op (engine histograms, ns): pushed as
 * valkey_memstress_command_latency_seconds{op=} with every sample from now
 * on (a later call for the same op replaces it).  Thread-safe. */
void exp_set_latency(exp_outputs *o, const char *op, const struct hist *h);

#endif
