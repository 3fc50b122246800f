/* ds_npy: the header of a NumPy .npy file.
 *
 * "\x93NUMPY", major, minor, a little-endian header length (uint16 in
 * version 1, uint32 in 2 and 3), then a Python dict literal such as
 * {'descr': '<f4', 'fortran_order': False, 'shape': (10000, 128), }
 * padded with spaces to a 64-byte boundary; the raw array follows.  Only
 * the three keys are read, by hand: there is no NumPy in C, and the
 * grammar used by numpy.save is tiny.  The parser takes untrusted bytes
 * and has a fuzz target (fuzz/fuzz_npy.c). */
#ifndef DS_NPY_H
#define DS_NPY_H

#include <stddef.h>
#include <stdint.h>

#include "../util/vm_err.h"
#include "ds_elem.h"

typedef struct ds_npy_header {
    ds_elem elem;
    uint64_t rows;     /* shape[0] */
    uint32_t cols;     /* shape[1]; 1 for a 1-D array */
    size_t data_off;   /* where the array starts */
} ds_npy_header;

/* Parse the header at buf[0..len).  Refuses (naming what) big-endian or
 * Fortran-order arrays, element types other than f4 f8 u1 i1 i4 i8, and
 * arrays of more than two dimensions. */
int ds_npy_parse(const uint8_t *buf, size_t len, ds_npy_header *h, vm_err *err);

#endif
