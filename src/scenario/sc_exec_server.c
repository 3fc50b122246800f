/* sc_exec_server: the executors that wait on the server or change it —
 * wait (a duration, until memory is stable, until the index has caught
 * up), config_set (restored at the end, sc_restore.c) and restart (the
 * servers reload their RDB; lc_restart.h). */
#include <stdlib.h>
#include <string.h>

#include "../lifecycle/lc_restart.h"
#include "../util/clock.h"
#include "sc_exec.h"

sc_step_run sc_run_wait, sc_run_config_set, sc_run_restart;

static void sleep_ms(const sc_runner *r, uint64_t ms)
{
    uint64_t end = clk_mono_ns() + ms * 1000000ull;
    while (clk_mono_ns() < end && !sc_stopped(r))
        clk_sleep_ns(20000000ull);
}

static int wait_indexed(sc_runner *r, const sc_step *st, vm_err *err)
{
    if (!r->module || !r->index_exists)
        return 0;
    idx_info info;
    vm_err e = {0};
    if (lc_servers_index_wait(&r->srv, sc_index_name(r), st->timeout_ms, &info, &e) < 0) {
        if (strstr(e.msg, "still indexing")) {
            sc_note(r, "wait: %s", e.msg);
            return 0;
        }
        *err = e;
        return -1;
    }
    return 0;
}

/* The window is full and its values within tolerance of its highest. */
static bool stable(const double *win, size_t n, double tolerance)
{
    double lo = win[0], hi = win[0];
    for (size_t i = 1; i < n; i++) {
        lo = win[i] < lo ? win[i] : lo;
        hi = win[i] > hi ? win[i] : hi;
    }
    return hi <= 0 || (hi - lo) / hi <= tolerance;
}

/* memory_stable: used_memory within tolerance over the window */
static int wait_memory_stable(sc_runner *r, const sc_step *st, vm_err *err)
{
    uint64_t t0 = clk_mono_ns(), step_ns = 250000000ull;
    size_t cap = (size_t)(st->window_ms * 1000000ull / step_ns) + 1, n = 0, head = 0;
    double *win = calloc(cap, sizeof(double));
    int rc = 0;
    for (;;) {
        double v = sc_info_used_memory(r);
        if (v < 0) {
            rc = vm_err_set(err, VM_ECONN, "%s: INFO memory failed during wait",
                            r->srv.node[0].cl.name);
            break;
        }
        win[head] = v;
        head = (head + 1) % cap;
        if (n < cap)
            n++;
        if (n == cap && stable(win, n, st->tolerance))
            break;
        if (clk_mono_ns() - t0 > st->timeout_ms * 1000000ull) {
            sc_note(r, "wait: memory not stable within %.1f%% after %llu ms; going on",
                    st->tolerance * 100, (unsigned long long)st->timeout_ms);
            break;
        }
        if (sc_stopped(r))
            break;
        clk_sleep_ns(step_ns);
    }
    free(win);
    return rc;
}

int sc_run_wait(sc_exec *x, const sc_step *st, vm_err *err)
{
    if (st->until == SC_WAIT_DURATION) {
        sleep_ms(x->r, st->duration_ms);
        return 0;
    }
    if (st->until == SC_WAIT_INDEXED)
        return wait_indexed(x->r, st, err);
    return wait_memory_stable(x->r, st, err);
}

int sc_run_config_set(sc_exec *x, const sc_step *st, vm_err *err)
{
    sc_runner *r = x->r;
    for (size_t i = 0; i < st->nconfigs; i++) {
        const char *k = st->configs[i].key, *v = st->configs[i].value;
        if (!sc_restore_has(r, k) && sc_restore_remember(r, st, k, err) < 0)
            return -1;
        if (lc_servers_config_set(&r->srv, k, v, err) < 0)
            return vm_err_prefix(err, "%s:%d:%d", r->sc->file, st->line, st->col);
        if (r->srv.skipped)
            sc_note(r,
                    "config %s = %s on every node but %d failed or unreachable one%s without "
                    "slots (restored at the end)",
                    k, v, r->srv.skipped, r->srv.skipped > 1 ? "s" : "");
        else
            sc_note(r, "config %s = %s%s (restored at the end)", k, v,
                    r->srv.n > 1 ? " on every node" : "");
    }
    return 0;
}

/* Restart, then wait for the index: 1.0 backfills it from the keyspace,
 * 1.2 loads it from the RDB (what the first FT.INFO after the restart
 * tells).  The monitor samples at the step's start and end, so the
 * memory before and after the load is in the CSV. */
int sc_run_restart(sc_exec *x, const sc_step *st, vm_err *err)
{
    sc_runner *r = x->r;
    lc_restart_how how = LC_RESTART_DEBUG_RELOAD;
    if (st->restart_how && lc_restart_parse(st->restart_how, &how, err) < 0)
        return -1;
    double down = 0, before = sc_info_used_memory(r);
    if (lc_restart(&r->srv, r->c->eng.ep, how, st->command, st->timeout_ms, &down, err) < 0)
        return vm_err_prefix(err, "%s:%d:%d", r->sc->file, st->line, st->col);
    if (!r->module || !r->index_exists) {
        sc_note(r, "restart: the server(s) answered again after %.1f s", down);
        return 0;
    }
    uint64_t t0 = clk_mono_ns();
    idx_info info;
    vm_err e = {0};
    bool backfill = idx_info_get(&r->srv.node[0].cl, sc_index_name(r), &info, &e) == 0 &&
                    (info.backfill_in_progress || info.mutation_queue_size > 0 ||
                     (info.state[0] && strcmp(info.state, "ready")));
    if (lc_servers_index_wait(&r->srv, sc_index_name(r), st->timeout_ms, &info, err) < 0)
        return vm_err_prefix(err, "%s:%d:%d", r->sc->file, st->line, st->col);
    sc_note(r,
            "restart (%s): the server(s) answered again after %.1f s; the index was ready %.1f s "
            "later (%s); %llu documents; used_memory %.0f before, %.0f after",
            how == LC_RESTART_DEBUG_RELOAD ? "DEBUG RELOAD" : "by command", down,
            (double)(clk_mono_ns() - t0) / 1e9,
            backfill ? "backfilled from the keyspace" : "loaded with the RDB, no backfill",
            (unsigned long long)info.num_docs, before, sc_info_used_memory(r));
    return 0;
}
