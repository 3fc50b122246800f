/* csv_long: the long ("tidy") CSV of memory samples — one row per metric
 * per node per sample, keeping every numeric field every source gave:
 *
 *   time_iso,time_unix_ms,node,metric,value,unit
 *
 * metric is the field name (used_memory, memstats.db.0.overhead.hashtable.main,
 * jemalloc.bin.64.util, ft.idx.vec.capacity, ...; see README), unit the
 * one the field carries (mon_fields.h: bytes, ratio, percent, seconds,
 * count, ...).  The
 * tool's own numbers come as tool.live_vectors, tool.inserted_total and
 * tool.deleted_total; the text labels (run id, step, phase) are in the wide
 * file at the same time_unix_ms and node.
 *
 * Crash-safe like the wide file: every row is one write(2) on an O_APPEND
 * descriptor (csv_row.h). */
#ifndef CSV_LONG_H
#define CSV_LONG_H

#include "../monitor/mon_sampler.h"
#include "../util/strbuf.h"

typedef struct csv_long {
    int fd;
    char *path;
    strbuf row;
} csv_long;

int csv_long_open(csv_long *w, const char *path, vm_err *err);
int csv_long_write(csv_long *w, const mon_sample *s, vm_err *err);
void csv_long_close(csv_long *w);
int csv_long_sink(void *ctx, const mon_sample *s, vm_err *err);

#endif
