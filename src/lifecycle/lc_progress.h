/* lc_progress: how a lifecycle operation (lc_ops.h) or a whole prefill
 * (lc_prefill.h) tells its caller how far it got — the caller prints a bar,
 * a scenario samples; the operation itself never prints. */
#ifndef LC_PROGRESS_H
#define LC_PROGRESS_H

#include <stdatomic.h>
#include <stdint.h>

/* Progress hooks: on_start(total, &done) before the load begins, then
 * tick() every 200 ms while it runs. */
typedef struct lc_progress {
    void (*on_start)(void *ctx, uint64_t total, _Atomic uint64_t *done);
    void (*tick)(void *ctx);
    void *ctx;
} lc_progress;

#endif
