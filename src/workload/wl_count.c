/* wl_count: see wl_count.h. */
#include "wl_count.h"

uint64_t wl_count_sum(const wl_count *c)
{
    uint64_t t = 0;
    for (int i = 0; i < WL_COUNT_SLOTS; i++)
        t += atomic_load_explicit(&c->slot[i].n, memory_order_relaxed);
    return t;
}

uint64_t wl_count_finish(wl_count *c)
{
    uint64_t t = wl_count_sum(c);
    atomic_store(&c->shown, t);
    return t;
}
