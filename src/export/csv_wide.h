/* csv_wide: the wide CSV of memory samples — one row per sample, one column
 * per field.  Crash-safe: each row is built whole in memory and written with
 * one write(2) on an O_APPEND descriptor, so a crash or SIGKILL leaves only
 * whole rows and the file can be tailed while the run goes on.
 *
 * Columns: time_iso, time_unix_ms, run_id, node, step, phase, live_vectors,
 * inserted_total, deleted_total, then every numeric field of the first
 * sample in the order the server gave them (INFO names: used_memory is in
 * bytes, *_ratio are ratios, ...). A field absent from a later sample is an
 * empty cell; a field new in a later sample is not a column. */
#ifndef CSV_WIDE_H
#define CSV_WIDE_H

#include "../monitor/mon_sampler.h"
#include "../util/strbuf.h"

typedef struct csv_wide {
    int fd;
    char *path;
    char **cols;
    size_t ncols;
    strbuf row;
} csv_wide;

int csv_wide_open(csv_wide *w, const char *path, vm_err *err);
int csv_wide_write(csv_wide *w, const mon_sample *s, vm_err *err);
void csv_wide_close(csv_wide *w);
/* A mon_sink_fn over a csv_wide. */
int csv_wide_sink(void *ctx, const mon_sample *s, vm_err *err);

#endif
