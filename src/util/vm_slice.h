/* vm_slice: which rows of a base of n rows loader I of N owns.
 *
 * The one formula shared by `dataset download --slice I/N` (fetch only
 * those rows) and the loaders that read them: loader I owns the ids
 * [floor(I*n/N), floor((I+1)*n/N)).  The N ranges are disjoint, cover
 * 0..n-1 with no gap, and differ in size by at most one row. */
#ifndef VM_SLICE_H
#define VM_SLICE_H

#include <stdint.h>

#include "vm_err.h"

/* The range of loader i of count over n rows: ids first .. end-1.
 * i < count and count >= 1 (vm_slice_parse checks it). */
void vm_slice_range(uint64_t n, uint32_t i, uint32_t count, uint64_t *first, uint64_t *end);

/* Parse "I/N" (0 <= I < N, N >= 1); errors name the parameter "slice". */
int vm_slice_parse(const char *s, uint32_t *i, uint32_t *count, vm_err *err);

/* Parse "A..B" (ids A inclusive to B exclusive, A < B); errors name the
 * parameter "rows".  The bound against the base's n is the caller's. */
int vm_rows_parse(const char *s, uint64_t *first, uint64_t *end, vm_err *err);

#endif
