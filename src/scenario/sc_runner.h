/* sc_runner: executes a validated scenario (sc_plan.h) against a server or
 * cluster, with the memory monitor running on its own connections for the
 * whole run, and leaves a run folder:
 *
 *   scenario.yaml   the resolved scenario (for --resume)
 *   state/          what is live (lc_state.h)
 *   checkpoint      progress: leaf steps done, the target of the step in
 *                   progress, server configs to restore
 *   memory*.csv     samples (exp_outputs.h); summary.json (sum_json.h)
 *   checkpoints.csv labelled snapshots; assertions.txt
 *
 * Progress is saved before and after every leaf step, and the liveness
 * bitmaps every second while a step runs, so a run killed at any point
 * resumes (run --resume DIR) without re-inserting or losing a vector:
 * inserts skip what is live, a shrink or regrow resumes towards its
 * recorded target live count.  SIGINT (the stop flag) finishes in-flight
 * work, saves, and ends the run as interrupted.
 *
 * Inside, the runner is split by concern (sc_exec.h): walking the plan,
 * the step executors, checkpoints, parallel steps, config restores. */
#ifndef SC_RUNNER_H
#define SC_RUNNER_H

#include "../export/prom_push.h"
#include "../lifecycle/lc_prefill.h"
#include "../engine/eng.h"
#include "sc_plan.h"

typedef struct sc_run_conf {
    const sc_scenario *sc;
    const char *resolved_yaml;  /* written to scenario.yaml (new runs) */
    const char *out_dir;
    const char *run_id;
    eng_config eng;             /* endpoint, threads, clients, pipeline, stop flag... */
    const prom_push_conf *push; /* NULL: no pushgateway */
    bool resume;
    bool no_monitor;            /* sample nothing (a loader: another process monitors) */
    /* narration: one line per event (the CLI prints them) */
    void (*note)(void *ctx, const char *line);
    void *note_ctx;
    const lc_progress *prog;    /* progress of loads (may be NULL) */
} sc_run_conf;

typedef struct sc_run_result {
    uint64_t leaves_done, leaves_total;
    int asserts_passed, asserts_failed;
    bool interrupted;
    uint64_t live_end;
    double used_memory_start, used_memory_end, used_memory_peak;
    long samples;
} sc_run_result;

int sc_run(const sc_run_conf *c, sc_run_result *res, vm_err *err);

#endif
