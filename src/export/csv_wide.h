/* csv_wide: the wide CSV of memory samples — one row per node per sample,
 * one column per metric of a fixed, documented core set, the same for every
 * server and every run, so plots and scripts can rely on it.  Every numeric
 * field the sources give is in the long CSV (csv_long.h); this file is the
 * one to plot.
 *
 * Columns: the labels time_iso, time_unix_ms, run_id, node, step, phase,
 * live_vectors, inserted_total, deleted_total, role, then csv_wide_columns[]
 * (used_memory, used_memory_rss, ... see csv_wide.c and the README).  A
 * metric the server does not have (search_used_memory_bytes on redis-server)
 * is an empty cell.  Units are in a sidecar written next to the file
 * (memory.csv -> memory.units.csv: column,unit,description), so the CSV
 * itself keeps one header line.
 *
 * Crash-safe: each row is built whole and written with one write(2) on an
 * O_APPEND descriptor (csv_row.h). */
#ifndef CSV_WIDE_H
#define CSV_WIDE_H

#include "../monitor/mon_sampler.h"
#include "../util/strbuf.h"

typedef struct csv_column {
    const char *name;
    const char *what;
} csv_column;

/* The metric columns after the labels, NULL-terminated. */
extern const csv_column csv_wide_columns[];
extern const csv_column csv_wide_labels[];

typedef struct csv_wide {
    int fd;
    char *path;
    strbuf row;
} csv_wide;

/* Create path (truncating) and write the header; also write the units
 * sidecar csv_wide_units_path(path). */
int csv_wide_open(csv_wide *w, const char *path, vm_err *err);
int csv_wide_write(csv_wide *w, const mon_sample *s, vm_err *err);
void csv_wide_close(csv_wide *w);
/* A mon_sink_fn over a csv_wide. */
int csv_wide_sink(void *ctx, const mon_sample *s, vm_err *err);
/* "dir/memory.csv" -> "dir/memory.units.csv" (malloc'd). */
char *csv_wide_units_path(const char *path);

#endif
