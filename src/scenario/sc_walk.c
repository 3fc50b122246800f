/* sc_walk: plan execution — walk the steps in order, repeats unrolled,
 * each leaf step run through its row of the step table (sc_steps.h) with
 * an sc_exec of its own; the leaves done before a resume are skipped (their
 * rows' replay says what they left behind); progress is saved after every
 * leaf.  A step's phase (label, path) labels the monitor's samples, and
 * every step has samples of its own at its start and end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sc_exec.h"

static void set_phase(sc_runner *r, const sc_step *st, const char *path)
{
    pthread_mutex_lock(&r->mu);
    snprintf(r->phase, sizeof(r->phase), "%s", st->label ? st->label : sc_step_name(st));
    snprintf(r->step, sizeof(r->step), "%s", path);
    pthread_mutex_unlock(&r->mu);
    sum_phase_begin(r->sum, r->phase, path);
}

/* merge a step's latency histograms by operation name (the engine's own
 * totals merge by index, which differs between workloads) and hand the
 * pushgateway the latency so far */
static void merge_totals(sc_runner *r, const eng_stats *tot)
{
    pthread_mutex_lock(&r->mu);
    for (int k = 0; k < tot->nops; k++) {
        const char *op = tot->op_names[k] ? tot->op_names[k] : "cmd";
        int i = 0;
        while (i < r->nlat && strcmp(r->lat[i].op, op))
            i++;
        if (i == r->nlat) {
            if (i == SC_MAX_OPS)
                continue;
            r->lat[i].op = op; /* names are static strings of the workloads */
            hist_init(&r->lat[i].h);
            r->nlat++;
        }
        hist_merge(&r->lat[i].h, &tot->latency[k]);
        if (r->out_open)
            exp_set_latency(&r->out, op, &r->lat[i].h);
    }
    pthread_mutex_unlock(&r->mu);
}

/* An error a lower layer made naming a parameter (vm_err.h) in the
 * scenario's words: where the step is (file:line:col) and the key at
 * fault — a step key ("fraction") or a path from the root ("index.m",
 * "dataset") — so no command-line flag is shown for it.  The connection's
 * parameters stay: they are run's own options, and the CLI names them. */
static void scenario_words(const sc_runner *r, const sc_step *st, vm_err *err)
{
    static const char *const conn[] = {"cacert", "cert", "key", "cluster", "push", NULL};
    if (!err || !err->param)
        return;
    for (int i = 0; conn[i]; i++)
        if (!strcmp(err->param, conn[i]))
            return;
    const char *key = err->param;
    size_t fl = strlen(r->sc->file);
    if (strncmp(err->msg, r->sc->file, fl) != 0)
        vm_err_prefix(err, "%s:%d:%d: '%s'", r->sc->file, st->line, st->col, key);
    else
        vm_err_prefix(err, "'%s'", key);
    err->param = NULL;
}

int sc_walk_leaf(sc_runner *r, const sc_step *st, const char *path, uint32_t first, uint32_t end,
                 vm_err *err)
{
    sum_phase_stats ps;
    memset(&ps, 0, sizeof(ps));
    eng_stats *tot = malloc(sizeof(*tot)); /* histograms are large: not on the stack */
    eng_stats_init(tot);
    sc_exec x = {
        .r = r, .path = path, .ps = &ps, .totals = tot, .planned_first = first, .planned_end = end};
    int rc = st->def->run ? st->def->run(&x, st, err) : 0;
    if (rc < 0)
        scenario_words(r, st, err);
    if (tot->nops)
        merge_totals(r, tot);
    free(tot);
    ps.live_vectors_end = live_count(&r->s.st.live, LC_ALL_COPIES);
    sum_phase_end(r->sum, &ps);
    return rc;
}

/* A leaf done before the resume: not run again. */
static void replay(sc_runner *r, const sc_step *st)
{
    if (st->def->replay)
        st->def->replay(r, st);
    r->leaf++;
}

/* Run one leaf and save the progress after it; 1 when the run was stopped
 * during it (an interrupted step is not done: it resumes). */
static int run_leaf(sc_runner *r, const sc_step *st, const char *path, vm_err *err)
{
    sc_note(r, "step %s", path);
    set_phase(r, st, path);
    sc_step_sample(r);
    if (sc_walk_leaf(r, st, path, 0, 0, err) < 0)
        return -1;
    sc_step_sample(r);
    if (sc_stopped(r))
        return 1;
    r->leaf++;
    r->have_target = false;
    if (sc_checkpoint_save(r, err) < 0 || lc_session_save(&r->s, err) < 0)
        return -1;
    r->res->leaves_done = r->leaf;
    return 0;
}

int sc_walk(sc_runner *r, const sc_step *steps, size_t n, const char *prefix, vm_err *err)
{
    for (size_t i = 0; i < n && !sc_stopped(r); i++) {
        const sc_step *st = &steps[i];
        char path[160];
        snprintf(path, sizeof(path), "%s%s%zu:%s", prefix, *prefix ? "/" : "", i + 1,
                 sc_step_name(st));
        if (st->def->flags & SC_STEP_UNROLLED) {
            for (uint32_t t = 0; t < st->times && !sc_stopped(r); t++) {
                char p2[180];
                snprintf(p2, sizeof(p2), "%s[%u]", path, t + 1);
                if (sc_walk(r, st->children, st->nchildren, p2, err) < 0)
                    return -1;
            }
            continue;
        }
        if (r->leaf < r->resume_done) {
            replay(r, st);
            continue;
        }
        int rc = run_leaf(r, st, path, err);
        if (rc < 0)
            return -1;
        if (rc > 0)
            break;
    }
    return 0;
}
