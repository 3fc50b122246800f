/* vm_slice: see vm_slice.h. */
#include "vm_slice.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

#define VM_SLICE_MAX (1u << 20)

int vm_slice_parse(const char *s, uint32_t *i, uint32_t *count, vm_err *err)
{
    char *end;
    if (!s || !isdigit((unsigned char)*s))
        goto bad;
    errno = 0;
    unsigned long long a = strtoull(s, &end, 10);
    if (*end != '/' || !isdigit((unsigned char)end[1]))
        goto bad;
    unsigned long long b = strtoull(end + 1, &end, 10);
    if (*end || errno)
        goto bad;
    if (b < 1 || b > VM_SLICE_MAX)
        return vm_err_param(err, "slice", VM_EINPUT, "slice '%s': N must be in [1, %u]", s,
                            VM_SLICE_MAX);
    if (a >= b)
        return vm_err_param(err, "slice", VM_EINPUT,
                            "slice '%s': loader I must be in [0, N-1] (loaders count from 0)", s);
    *i = (uint32_t)a;
    *count = (uint32_t)b;
    return 0;
bad:
    return vm_err_param(err, "slice", VM_EINPUT,
                        "slice '%s' is not I/N (loader I of N, e.g. 0/4)", s ? s : "");
}

void vm_slice_range(uint64_t n, uint32_t i, uint32_t count, uint64_t *first, uint64_t *end)
{
    /* ids are under 2^40 (WL_TAG) and count <= 2^20: n·(i+1) < 2^60 */
    *first = n * i / count;
    *end = n * (i + 1) / count;
}
