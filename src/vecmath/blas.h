/* blas: the one BLAS routine the tool uses (SGEMM), loaded on first use.
 *
 * OpenBLAS starts its thread pool when it is loaded, and those threads spin
 * (sched_yield) for a while before they sleep: linked into the binary, every
 * command paid for them, prefill included, although only exact kNN (ground
 * truth, recall) multiplies matrices.  So the library is opened with dlopen()
 * the first time a product is needed. */
#ifndef VM_VECMATH_BLAS_H
#define VM_VECMATH_BLAS_H

#include "../util/vm_err.h"

/* C[m x n] = A[m x k] · B[n x k]^T, all row-major float32.  -1 with err set
 * when no BLAS library can be loaded. */
int blas_sgemm_nt(int m, int n, int k, const float *a, const float *b, float *c, vm_err *err);

#endif
