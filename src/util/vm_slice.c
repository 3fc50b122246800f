/* vm_slice: the loader-slice formula and its parsers; see vm_slice.h. */
#include "vm_slice.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void vm_slice_range(uint64_t n, uint32_t i, uint32_t count, uint64_t *first, uint64_t *end)
{
    /* 128-bit products: i*n overflows 64 bits for n near 2^64 */
    *first = (uint64_t)((unsigned __int128)i * n / count);
    *end = (uint64_t)((unsigned __int128)(i + 1ull) * n / count);
}

/* a whole number with nothing after it up to stop (or the end) */
static int whole(const char *s, const char *stop, uint64_t *out)
{
    if (s == stop || *s < '0' || *s > '9')
        return -1;
    char *e;
    errno = 0;
    unsigned long long v = strtoull(s, &e, 10);
    if (errno || e != stop)
        return -1;
    *out = v;
    return 0;
}

int vm_slice_parse(const char *s, uint32_t *i, uint32_t *count, vm_err *err)
{
    const char *slash = s ? strchr(s, '/') : NULL;
    uint64_t a, b;
    if (!slash || whole(s, slash, &a) < 0 || whole(slash + 1, slash + 1 + strlen(slash + 1), &b) < 0)
        return vm_err_param(err, "slice", VM_EINPUT,
                            "'%s' is not I/N (loader I of N, counted from 0: 0/4 .. 3/4)",
                            s ? s : "");
    if (b == 0 || b > UINT32_MAX)
        return vm_err_param(err, "slice", VM_EINPUT, "'%s': N must be 1 .. %u", s, UINT32_MAX);
    if (a >= b)
        return vm_err_param(err, "slice", VM_EINPUT,
                            "'%s': I must be below N (loaders are 0 .. %llu)", s,
                            (unsigned long long)(b - 1));
    *i = (uint32_t)a;
    *count = (uint32_t)b;
    return 0;
}

int vm_rows_parse(const char *s, uint64_t *first, uint64_t *end, vm_err *err)
{
    const char *dots = s ? strstr(s, "..") : NULL;
    uint64_t a, b;
    if (!dots || whole(s, dots, &a) < 0 || whole(dots + 2, dots + 2 + strlen(dots + 2), &b) < 0)
        return vm_err_param(err, "rows", VM_EINPUT,
                            "'%s' is not A..B (ids A inclusive to B exclusive, e.g. 0..1000)",
                            s ? s : "");
    if (a >= b)
        return vm_err_param(err, "rows", VM_EINPUT, "'%s': A must be below B (an empty or "
                            "reversed range)", s);
    *first = a;
    *end = b;
    return 0;
}
