/* ds_set: a dataset as a set of vector sources — base, queries, ground-truth
 * ids and distances — opened from any public layout:
 *   a prepared folder (manifest.json + base.fbin / query.fbin / gt.bin);
 *   a TEXMEX or big-ann folder (names as in ds_dataset.h), or .npy files;
 *   an ann-benchmarks .hdf5 file (train, test, neighbors, distances and the
 *     root attribute `distance`), or a folder holding one;
 *   a VectorDBBench folder (train.parquet or shuffle_train-NN-of-MM.parquet,
 *     test.parquet, neighbors.parquet) or a single parquet file;
 *   a HuggingFace dataset folder: parquet shards under data/ or
 *     refs/convert/parquet/ (ds_hf.h), base only, row position = id;
 *   explicit --base / --queries / --gt files.
 * A folder may also hold rows.json, left by a partial download: its files
 * hold only rows rows_first..rows_end of a base of rows_total.
 * This is what `dataset info | verify | prepare` read; the load engine maps
 * the prepared layout through ds_dataset.h instead. */
#ifndef DS_SET_H
#define DS_SET_H

#include <stdbool.h>

#include "ds_src.h"

typedef enum ds_metric { DS_METRIC_UNKNOWN, DS_METRIC_L2, DS_METRIC_COSINE, DS_METRIC_IP } ds_metric;

const char *ds_metric_name(ds_metric m);
/* l2 / euclidean, cosine / angular, ip / dot / inner_product */
int ds_metric_parse(const char *s, ds_metric *out);

typedef struct ds_set_spec {
    const char *path;   /* folder or file; NULL when base is given */
    const char *base, *query, *gt;
    ds_metric metric;   /* UNKNOWN: from the source (HDF5 attribute, manifest) */
    const char *column; /* parquet: the vector column of base and queries (NULL: guessed) */
} ds_set_spec;

typedef struct ds_set {
    char *path;
    const char *format;      /* "TEXMEX", "big-ann", "prepared", "HDF5", "parquet", "npy" */
    ds_src base, query, gt, gt_dist;
    bool has_base, has_query, has_gt, has_gt_dist;
    ds_metric metric;
    const char *metric_from; /* "HDF5 attribute", "manifest", "option", NULL */
    bool normalized;         /* prepared with unit-normalised vectors */
    double norm_max;         /* NormMax recorded in a prepared manifest, 0 = unknown */
    char **files;            /* the files read, for checksums */
    size_t nfiles;
    const char *column;      /* the spec's */
    char *rows_json;         /* path of a partial download's rows.json, else NULL */
    uint64_t rows_first, rows_end, rows_total; /* what it says (0 when unreadable) */
} ds_set;

int ds_set_open(ds_set *s, const ds_set_spec *spec, vm_err *err);
void ds_set_close(ds_set *s);

#endif
