/* blas: SGEMM from OpenBLAS (or any CBLAS), opened on first use; see blas.h. */
#include "blas.h"

#include <cblas.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

typedef __typeof__(cblas_sgemm) *sgemm_fn; /* as the header at hand declares it */

static pthread_once_t once = PTHREAD_ONCE_INIT;
static sgemm_fn sgemm;
static char why[512];

static void load(void)
{
    /* the library found when the tool was built first, then the usual sonames */
    static const char *const names[] = {
#ifdef VM_BLAS_LIB
        VM_BLAS_LIB,
#endif
        "libopenblas.so.0", "libcblas.so.3", "libblas.so.3"};
    size_t n = 0;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        void *h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
        if (!h) {
            const char *e = dlerror();
            if (n < sizeof(why))
                n += (size_t)snprintf(why + n, sizeof(why) - n, "%s%s", n ? "; " : "", e);
            continue;
        }
        /* POSIX's way to turn the object pointer into a function pointer */
        *(void **)&sgemm = dlsym(h, "cblas_sgemm");
        if (sgemm)
            return;
        dlclose(h);
    }
}

int blas_sgemm_nt(int m, int n, int k, const float *a, const float *b, float *c, vm_err *err)
{
    pthread_once(&once, load);
    if (!sgemm)
        return vm_err_set(err, VM_EINTERNAL,
                          "exact kNN needs a BLAS library with cblas_sgemm (Debian: "
                          "libopenblas0): %s",
                          why);
    sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, k, 1.0f, a, k, b, k, 0.0f, c, n);
    return 0;
}
