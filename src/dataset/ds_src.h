/* ds_src: a vector source — n rows of dim values — whatever the file format.
 *
 * The one interface through which the dataset commands (info, verify,
 * prepare) read base vectors, queries, ground-truth ids and distances.
 * Sources that can be mapped (TEXMEX, big-ann, .npy) are read in place;
 * HDF5 (libhdf5 hyperslabs) and parquet (ds_parquet.h) are decoded block
 * by block.  Reads are cheapest in order: a reader streams, it never holds
 * a whole base file in memory.  The load engine does not use this: it maps
 * the prepared layout directly (ds_dataset.h). */
#ifndef DS_SRC_H
#define DS_SRC_H

#include <stdbool.h>
#include <stdint.h>

#include "../util/vm_err.h"
#include "ds_vecfile.h"

/* Progress of a long pass over sources (norms, conversion, brute force):
 * stage ("base", "queries", "ground truth", ...), done, total. */
typedef void (*ds_progress_fn)(void *ctx, const char *stage, uint64_t done, uint64_t total);

typedef enum ds_fmt { DS_FMT_TEXMEX, DS_FMT_BIGANN, DS_FMT_NPY, DS_FMT_HDF5, DS_FMT_PARQUET } ds_fmt;

typedef struct ds_src ds_src;

typedef struct ds_src_ops {
    /* rows [first, first+count) into out as float32 (want == DS_F32) or
     * int64 (want == DS_I64); ids (may be NULL) gets each row's id. */
    int (*read)(ds_src *s, uint64_t first, uint64_t count, ds_elem want, void *out, int64_t *ids,
                vm_err *err);
    void (*close)(ds_src *s);
} ds_src_ops;

struct ds_src {
    char *desc;        /* file, "file:/dataset" or "file[column]": names it in errors */
    ds_fmt fmt;
    uint64_t n;
    uint32_t dim;
    ds_elem elem;      /* element type as stored */
    bool has_ids;      /* rows carry their own id (parquet 'id' column), else id = row */
    bool mapped;       /* vf maps the rows in place */
    ds_vecfile vf;
    const ds_src_ops *ops;
    void *impl;
};

const char *ds_fmt_name(ds_fmt f);

/* A mapped file (see ds_vecfile.h); ds_src_open_vecfile_as for names that
 * carry no extension. */
int ds_src_open_vecfile(ds_src *s, const char *path, vm_err *err);
int ds_src_open_vecfile_as(ds_src *s, const char *path, ds_layout layout, ds_elem elem,
                           vm_err *err);
/* A read-only view of n x dim values in memory owned by someone else (the
 * distances half of a big-ann ground-truth file). */
void ds_src_view(ds_src *s, const char *desc, ds_fmt fmt, const uint8_t *rows, uint64_t n,
                 uint32_t dim, ds_elem elem);
/* One dataset of an HDF5 file (ann-benchmarks: train, test, neighbors,
 * distances).  Any integer or float type; libhdf5 converts. */
int ds_src_open_hdf5(ds_src *s, const char *path, const char *dataset, vm_err *err);
/* The string attribute name of the HDF5 file's root ("distance"), into
 * out; 0 when found, 1 when absent, -1 on error. */
int ds_hdf5_root_attr(const char *path, const char *name, char *out, size_t out_len,
                      vm_err *err);
/* true when the HDF5 file has a dataset of that name */
bool ds_hdf5_has(const char *path, const char *dataset);

int ds_src_read_f32(ds_src *s, uint64_t first, uint64_t count, float *out, int64_t *ids,
                    vm_err *err);
int ds_src_read_i64(ds_src *s, uint64_t first, uint64_t count, int64_t *out, int64_t *ids,
                    vm_err *err);
void ds_src_close(ds_src *s);

#endif
