/* vm_slice: loader I of N — the fixed part of an id space of n ids that
 * one of N loaders owns, the same on every host:
 *
 *     ids [floor(I·n / N), floor((I+1)·n / N))
 *
 * contiguous, so a loader can fetch just its rows of a remote file (HTTP
 * ranges); the N parts tile [0, n) with sizes differing by at most one.
 * Every copy of a lifecycle (the original and each expanded copy) is cut
 * the same way: loader I owns ids [first, end) of every copy. */
#ifndef VM_SLICE_H
#define VM_SLICE_H

#include <stdint.h>

#include "vm_err.h"

/* Parse "I/N" (0 <= I < N, 1 <= N <= 2^20) into *i and *count. */
int vm_slice_parse(const char *s, uint32_t *i, uint32_t *count, vm_err *err);
/* Loader i of count's ids of [0, n). */
void vm_slice_range(uint64_t n, uint32_t i, uint32_t count, uint64_t *first, uint64_t *end);

#endif
