/* vm_grow: growing arrays; see vm_grow.h. */
#include "vm_grow.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static void out_of_memory(void)
{
    fputs("valkey-memstress: out of memory\n", stderr);
    abort();
}

void *vm_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        out_of_memory();
    return q;
}

void *vm_xrealloc_array(void *p, size_t n, size_t elem)
{
    if (elem && n > SIZE_MAX / elem)
        out_of_memory();
    return vm_xrealloc(p, n * elem);
}

void *vm_grow(void *p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return p;
    size_t n = *cap > SIZE_MAX / 2 ? SIZE_MAX : *cap * 2;
    if (n < need)
        n = need;
    if (n < 8)
        n = 8;
    p = vm_xrealloc_array(p, n, elem);
    *cap = n;
    return p;
}
