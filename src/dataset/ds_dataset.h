/* ds_dataset: a dataset as the tool sees it — base vectors, and when the
 * source has them, query vectors and ground truth — opened from a folder or
 * a single base file. */
#ifndef DS_DATASET_H
#define DS_DATASET_H

#include <stdbool.h>

#include "ds_vecfile.h"

typedef struct ds_dataset {
    char *name;          /* folder or file name, for reports */
    ds_vecfile base;
    ds_vecfile query;    /* .map == NULL when absent */
    ds_vecfile gt;       /* ids (gt.dists: distances, when the file has them);
                          * .map == NULL when absent */
} ds_dataset;

/* path: a folder holding TEXMEX (*_base.fvecs / *_query.fvecs /
 * *_groundtruth.ivecs, or .bvecs), big-ann (base*.fbin|u8bin, query*,
 * groundtruth*.ibin, GT*.bin) or .npy files, a prepared folder (base.fbin,
 * query.fbin, gt.bin, manifest.json: see prep/prep_prepare.h), or one base vector
 * file.  HDF5 and parquet sources are refused with a pointer to
 * 'dataset prepare' (they cannot be mapped as rows).
 *
 * A folder may hold a loader's part of a larger base (`dataset download
 * --rows A..B`): then rows.json says so — {"rows_first": A, "rows_end": B,
 * "rows_total": N, ...} — and base is opened as ids A..B-1 of an id space
 * of N (ds_vecfile's row_lo / row_hi): keys, expansion and liveness keep
 * the whole set's ids, and what needs every row (a NormMax pass, brute
 * force) refuses it. */
int ds_dataset_open(ds_dataset *ds, const char *path, vm_err *err);
void ds_dataset_close(ds_dataset *ds);

/* rows.json's numbers: ids [first, end) of total. */
typedef struct ds_rows {
    uint64_t first, end, total;
} ds_rows;
/* Parse the text of a rows.json (it comes with a downloaded folder: any
 * bytes); -1 with err unless it holds rows_first <= rows_end <= rows_total. */
int ds_rows_parse(const char *text, size_t len, ds_rows *out, vm_err *err);
static inline bool ds_has_query(const ds_dataset *ds) { return ds->query.map != NULL; }
static inline bool ds_has_gt(const ds_dataset *ds) { return ds->gt.map != NULL; }

#endif
