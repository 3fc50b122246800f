/* rpt_data: a run's samples as the report reads them back from its CSV
 * files — finished, crashed or still being written.
 *
 * Two layouts are read, told apart by their header, columns found by NAME:
 *   wide: time_unix_ms (or time_iso), node, run_id, step, phase,
 *         live_vectors, inserted_total, deleted_total, then one column per
 *         metric (memory.csv);
 *   long: time (unix ms, unix seconds or ISO-8601), node, metric, value
 *         (one row per metric per sample).
 * Missing columns, empty cells and rows that do not parse are skipped and
 * counted; a last line without its newline (a run still going, or killed
 * mid-write) is ignored.  Only the metrics a report draws are kept (memory,
 * allocator, fragmentation, index size, recall, throughput, latency), so a
 * long run with hundreds of fields stays small in memory.  A metric has a
 * canonical name and the aliases the monitor may write it under
 * ("allocator_active" or "jemalloc.active"). */
#ifndef RPT_DATA_H
#define RPT_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../util/strbuf.h"
#include "../util/vm_err.h"

typedef struct rpt_series {
    char *metric;
    bool from_wide; /* the wide file's value wins over the long file's */
    size_t n, cap;
    int64_t *t_ms;
    double *v;
} rpt_series;

/* The labels of one wide-CSV row. */
typedef struct rpt_label {
    int64_t t_ms;
    int phase, step;                /* index into rpt_data.names, -1 = none */
    double live, inserted, deleted; /* NAN when absent */
} rpt_label;

typedef struct rpt_node {
    char *name;
    char *role; /* the wide file's role column, or NULL */
    rpt_label *labels;
    size_t nlabels, labels_cap;
    rpt_series *series;
    size_t nseries, series_cap;
} rpt_node;

typedef struct rpt_data {
    rpt_node *nodes;
    size_t nnodes, nodes_cap;
    char **names; /* phase and step labels, interned */
    size_t nnames, names_cap;
    char *run_id;
    int64_t t0_ms, t1_ms; /* first and last sample */
    long rows, bad_rows;
    int files;
    bool partial_tail; /* a file ended mid-line */
    void *index;       /* (node, metric) -> series lookup */
} rpt_data;

void rpt_data_init(rpt_data *d);
void rpt_data_free(rpt_data *d);

/* Read one CSV file (wide or long).  Returns rows read, or -1 with err when
 * the file cannot be opened or its header names neither layout. */
long rpt_data_read_csv(rpt_data *d, const char *path, vm_err *err);
/* The same from an open stream; name is for messages. */
long rpt_data_read_stream(rpt_data *d, FILE *f, const char *name, vm_err *err);
/* After the last file: order samples by time, set t0 / t1. */
void rpt_data_finish(rpt_data *d);

/* Is a metric name one the report keeps? */
bool rpt_metric_wanted(const char *name);

/* The series of canonical metric on node (trying its aliases), or NULL. */
const rpt_series *rpt_node_series(const rpt_node *n, const char *canonical);
/* Every series of the node whose name matches a category: "recall", "qps",
 * "latency"; fills out up to max and returns how many. */
size_t rpt_node_category(const rpt_node *n, const char *category, const rpt_series **out,
                         size_t max);
/* The value in force at t: the last sample at or before t, else NAN. */
double rpt_series_at(const rpt_series *s, int64_t t_ms);
/* The nth (from 0) value stamped exactly t_ms, for rows that share a
 * millisecond; rpt_series_at(t_ms) when there are fewer. */
double rpt_series_nth_at(const rpt_series *s, int64_t t_ms, size_t nth);
/* The labels in force at t (the last row at or before t), or NULL. */
const rpt_label *rpt_node_label_at(const rpt_node *n, int64_t t_ms);
const char *rpt_data_name(const rpt_data *d, int idx);

#endif
