/* sc_exec_data: the executors that change what the server holds — prefill
 * and expand (insert copies of the dataset), shrink and regrow (delete and
 * re-insert at random).  Each records its target in the checkpoint before
 * it starts, so a resumed step goes on towards the same target. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../util/clock.h"
#include "sc_exec.h"

sc_step_run sc_run_prefill, sc_run_expand, sc_run_shrink, sc_run_regrow;

/* Vectors the server holds: the index's documents, else the keys; summed
 * over the masters of a cluster.  0 when it cannot be asked. */
static uint64_t server_count(sc_runner *r)
{
    vm_err e = {0};
    uint64_t n = 0;
    if (lc_servers_count(&r->srv, sc_index_name(r), r->module && r->index_exists, &n, &e) < 0)
        sc_note(r, "could not count what the server holds: %s", e.msg);
    return n;
}

/* The copies first..end an insert writes: planned by a parallel parent,
 * recorded before a resume, or planned here (and recorded). */
static int insert_range(sc_exec *x, const sc_step *st, bool prefill, uint32_t *first, uint32_t *end,
                        vm_err *err)
{
    sc_runner *r = x->r;
    if (x->planned_end) {
        *first = x->planned_first;
        *end = x->planned_end;
    } else if (sc_checkpoint_resuming(r)) {
        *end = (uint32_t)r->target_copies; /* resuming this very step */
        *first = prefill ? 0 : *end - st->copies;
    } else {
        *first = prefill ? 0 : r->s.st.live.copies;
        *end = prefill ? 1 + st->copies : r->s.st.live.copies + st->copies;
        if (sc_checkpoint_target(r, 0, *end, err) < 0)
            return -1;
    }
    return 0;
}

/* skip_if_present: the server holds the copies already (1 when skipped). */
static int skip_present(sc_runner *r, uint32_t end, vm_err *err)
{
    uint64_t want = r->s.st.live.n * end, have = server_count(r);
    if (have < want)
        return 0;
    live_ensure_copies(&r->s.st.live, end);
    for (uint32_t c = 0; c < end; c++)
        for (uint64_t id = 0; id < r->s.st.live.n; id++)
            live_mark(&r->s.st.live, c, id, true);
    sc_note(r, "prefill skipped: the server already holds %llu of the %llu vectors",
            (unsigned long long)have, (unsigned long long)want);
    return lc_session_save(&r->s, err) < 0 ? -1 : 1;
}

/* The first OOM reply: a sample and a row in checkpoints.csv. */
static void first_oom(sc_runner *r, const lc_op_result *res)
{
    sc_step_sample(r); /* the figure of now, not of the last tick */
    char line[256];
    char iso[32];
    clk_iso8601(clk_wall_ms(), iso);
    snprintf(line, sizeof(line), "%s,first_oom,%llu,%llu,%.0f\n", iso, (unsigned long long)r->leaf,
             (unsigned long long)res->live_at_oom, sc_mem_now(r));
    sc_append_line(r, "checkpoints.csv", "time_iso,label,leaf,live_vectors,used_memory_bytes\n",
                   line);
    sc_note(r, "first OOM reply after %llu live vectors: insert stopped there",
            (unsigned long long)res->live_at_oom);
}

static int insert(sc_exec *x, const sc_step *st, bool prefill, vm_err *err)
{
    sc_runner *r = x->r;
    uint32_t first, end;
    if (insert_range(x, st, prefill, &first, &end, err) < 0)
        return -1;
    if (prefill && st->skip_if_present) {
        int skipped = skip_present(r, end, err);
        if (skipped != 0)
            return skipped < 0 ? -1 : 0;
    }
    eng_config e = sc_step_eng(x, st);
    lc_insert_opts o = {.skip_live = true, .stop_on_oom = st->stop_on_oom};
    lc_progress p = sc_progress(r);
    lc_op_result res;
    int rc = lc_insert_copies(&r->s, &e, first, end, &o, &p, &res, err);
    sc_op_done(r, &res, x->ps, prefill ? "prefill" : "expand");
    if (res.oom)
        first_oom(r, &res);
    return rc;
}

int sc_run_prefill(sc_exec *x, const sc_step *st, vm_err *err)
{
    return insert(x, st, true, err);
}

int sc_run_expand(sc_exec *x, const sc_step *st, vm_err *err)
{
    return insert(x, st, false, err);
}

/* The live count a shrink or regrow goes to: recorded before a resume, or
 * worked out here (and recorded).  By fraction, the step chooses by the
 * seeded draws (lifecycle/lc_select.h: the loaders of a sliced run choose
 * what one loader does), so the target is what the draws pick; *by_draw
 * says so.  A count, or a resumed step, goes to its target by count. */
static int live_target(sc_runner *r, const sc_step *st, bool shrink, uint32_t copy, uint64_t live,
                       uint64_t *target, bool *by_draw, vm_err *err)
{
    *by_draw = false;
    if (sc_checkpoint_resuming(r)) {
        *target = r->target_live;
        return 0;
    }
    if (shrink && st->count) {
        *target = st->count > live ? 0 : live - st->count;
    } else {
        uint64_t n = lc_planned(&r->s, shrink, copy, st->fraction, st->seed);
        *target = shrink ? live - n : live + n;
        *by_draw = true;
    }
    return sc_checkpoint_target(r, *target, 0, err);
}

static int shrink_regrow(sc_exec *x, const sc_step *st, bool shrink, vm_err *err)
{
    sc_runner *r = x->r;
    uint32_t copy = st->copy < 0 ? LC_ALL_COPIES : (uint32_t)st->copy;
    if (copy != LC_ALL_COPIES && copy >= r->s.st.live.copies)
        return vm_err_set(err, VM_EINPUT, "%s:%d:%d: copy %u does not exist (0..%u)", r->sc->file,
                          st->line, st->col, copy, r->s.st.live.copies - 1);
    uint64_t live = live_count(&r->s.st.live, copy), target;
    bool by_draw;
    if (live_target(r, st, shrink, copy, live, &target, &by_draw, err) < 0)
        return -1;
    eng_config e = sc_step_eng(x, st);
    lc_progress p = sc_progress(r);
    lc_op_result res;
    memset(&res, 0, sizeof(res));
    int rc = 0;
    double f = by_draw ? st->fraction : 0;
    if (shrink && live > target) {
        r->shrink_mem_before = sc_mem_now(r);
        r->shrink_share =
            live ? (double)(live - target) / (double)live_count(&r->s.st.live, LC_ALL_COPIES) : 0;
        r->have_shrink = true;
        rc = lc_shrink(&r->s, &e, copy, f, by_draw ? 0 : live - target, st->seed, &p, &res, err);
    } else if (!shrink && target > live) {
        rc = lc_regrow(&r->s, &e, copy, f, by_draw ? 0 : target - live, st->seed, &p, &res, err);
    }
    sc_op_done(r, &res, x->ps, shrink ? "shrink" : "regrow");
    return rc;
}

int sc_run_shrink(sc_exec *x, const sc_step *st, vm_err *err)
{
    return shrink_regrow(x, st, true, err);
}

int sc_run_regrow(sc_exec *x, const sc_step *st, vm_err *err)
{
    return shrink_regrow(x, st, false, err);
}
