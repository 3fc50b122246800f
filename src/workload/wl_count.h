/* wl_count: a count every worker thread adds to — commands acknowledged —
 * without one shared cache line moving between cores on every reply.
 *
 * Each worker adds to its own counter (reply()'s thread index modulo
 * WL_COUNT_SLOTS; threads sharing a slot still add atomically), 64 bytes
 * from the next, and the total is the sum.  `shown` is what a progress
 * display reads while the run goes: brought up to date 256 at a time per
 * slot, so it is never ahead of the truth and at most 255 per slot behind,
 * and made whole by wl_count_finish once the run is over. */
#ifndef WL_COUNT_H
#define WL_COUNT_H

#include <stdatomic.h>
#include <stdint.h>

#define WL_COUNT_SLOTS 64

typedef struct wl_count {
    _Atomic uint64_t shown;
    struct {
        _Atomic uint64_t n;
        char pad[56];
    } slot[WL_COUNT_SLOTS];
} wl_count;

static inline void wl_count_add(wl_count *c, int thread)
{
    uint64_t n = atomic_fetch_add_explicit(&c->slot[(unsigned)thread % WL_COUNT_SLOTS].n, 1,
                                           memory_order_relaxed) +
                 1;
    if (n % 256 == 0)
        atomic_fetch_add_explicit(&c->shown, 256, memory_order_relaxed);
}

/* The total so far (exact once the workers are done). */
uint64_t wl_count_sum(const wl_count *c);
/* The total, also left in shown: for when the run is over. */
uint64_t wl_count_finish(wl_count *c);

#endif
