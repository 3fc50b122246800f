/* ds_vecfile: one memory-mapped file of vectors, read in place.
 *
 * Formats, told apart by extension:
 *   TEXMEX  .fvecs .bvecs .ivecs  — every row is int32 d, then d values;
 *   big-ann .fbin .u8bin .i8bin .ibin — uint32 n, uint32 d, then n·d values;
 *   big-ann ground truth .bin (and .ibin) — uint32 n, k; int32 ids[n·k], then
 *           float32 dists[n·k]; the ids-only variant (no dists) is told apart
 *           by the file size (8 + 4nk instead of 8 + 8nk);
 *   NumPy   .npy — a 2-D C-order little-endian array (see ds_npy.h).
 * A file is never read whole: rows are addressed inside the mapping and the
 * kernel pages them in as the loader streams through. */
#ifndef DS_VECFILE_H
#define DS_VECFILE_H

#include <stddef.h>
#include <stdint.h>

#include "../util/vm_err.h"
#include "ds_elem.h"

typedef enum ds_layout { DS_TEXMEX, DS_BIGANN, DS_NPY } ds_layout;

typedef struct ds_vecfile {
    char *path;
    const uint8_t *map;  /* whole file, read-only */
    size_t map_bytes;
    uint64_t n;          /* rows */
    uint32_t dim;
    ds_elem elem;
    ds_layout layout;
    size_t row_stride;   /* bytes from one row's values to the next */
    size_t first_row;    /* offset of row 0's values */
    const uint8_t *dists; /* big-ann ground truth: float32 n x dim distances, else NULL */
    /* The rows present: ids [row_lo, row_hi) of an id space of n.  Both 0
     * and n for a whole file; a loader's part of a larger file (fetched
     * with `dataset download --rows A..B`, see ds_dataset.h) holds ids A..B
     * only — row id is then at first_row + (id − A)·stride, which
     * ds_vecfile_row computes from first_row alone (it is stored less A
     * rows, modulo 2^64), and nothing may read an id outside the range. */
    uint64_t row_lo, row_hi;
} ds_vecfile;

/* Open and validate (size consistent with the header; a truncated file is
 * refused naming the file and the bytes missing). */
int ds_vecfile_open(ds_vecfile *f, const char *path, vm_err *err);
/* The same for a file whose name says nothing (e.g. big-ann's "bigann-10M"
 * ground truth): the caller names the layout and element type. */
int ds_vecfile_open_as(ds_vecfile *f, const char *path, ds_layout layout, ds_elem elem,
                       vm_err *err);
/* Rows [first, first + count) of f as a file of their own (row 0 = row
 * first): same mapping, nothing copied.  first + count <= f->n. */
ds_vecfile ds_vecfile_view(const ds_vecfile *f, uint64_t first, uint64_t count);
/* Make f the part [lo, lo + f->n) of an id space of n ids (see row_lo). */
void ds_vecfile_set_part(ds_vecfile *f, uint64_t lo, uint64_t n);
/* Whether every id of [0, n) is present (no part of a larger file). */
static inline int ds_vecfile_whole(const ds_vecfile *f)
{
    return f->row_lo == 0 && f->row_hi >= f->n;
}
/* true when path has one of the extensions ds_vecfile_open knows */
int ds_vecfile_known_ext(const char *path);
const char *ds_layout_name(ds_layout l);
void ds_vecfile_close(ds_vecfile *f);

static inline const void *ds_vecfile_row(const ds_vecfile *f, uint64_t i)
{
    /* one unsigned sum first: a part's first_row is stored less row_lo rows */
    return f->map + (f->first_row + (size_t)i * f->row_stride);
}
static inline size_t ds_vecfile_row_bytes(const ds_vecfile *f)
{
    return (size_t)f->dim * ds_elem_size(f->elem);
}
/* Row i as dim float32 values (little-endian) at out, which need not be
 * aligned (it may point into an output buffer); other types are converted. */
void ds_vecfile_row_f32(const ds_vecfile *f, uint64_t i, void *out);

/* Row i as dim int64 values (ground-truth ids); floats are truncated. */
void ds_vecfile_row_i64(const ds_vecfile *f, uint64_t i, int64_t *out);

#endif
