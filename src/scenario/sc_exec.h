/* sc_exec: what the units of the runner share (internal to src/scenario/).
 *
 * sc_runner is the run: its session (the live set), the servers, the
 * outputs and the monitor, the checkpoint's progress and the configs to
 * restore.  sc_exec is one leaf step running: its path, the phase stats it
 * fills, the engine totals of its engine runs, and the copies a parallel
 * parent planned for it.  Both are passed explicitly to every executor;
 * nothing is kept in a thread-local or a static (the children of a
 * parallel step each run with an sc_exec of their own, on their own thread).
 *
 * Units: sc_runner.c (open and close the run, the monitor's view of it),
 * sc_walk.c (walking the plan), sc_checkpoint.c (resume), sc_parallel.c
 * (the threads of a parallel step), sc_restore.c (configs given back at the
 * end), sc_exec_*.c (the executors, by concern), sc_exec.c (their helpers). */
#ifndef SC_EXEC_H
#define SC_EXEC_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "../export/exp_outputs.h"
#include "../lifecycle/lc_ops.h"
#include "../lifecycle/lc_plugin.h"
#include "../lifecycle/lc_servers.h"
#include "../monitor/mon_sampler.h"
#include "../util/hist.h"
#include "sc_runner.h"
#include "sc_steps.h"

#define SC_MAX_NODES 64
#define SC_MAX_OPS 16

typedef struct sc_runner {
    const sc_run_conf *c;
    const sc_scenario *sc;
    sc_run_result *res;
    lc_session s;
    bool session_open;
    lc_servers srv; /* the server, or every node of the cluster */
    bool ctl_open;
    bool module, index_exists, said_no_module;
    exp_outputs out;
    bool out_open;
    sum_run *sum;
    mon_thread mon;
    bool mon_on;
    pthread_mutex_t mu; /* phase, step, nodes, notes, lat */
    char phase[96], step[160];
    char mon_phase[96], mon_step[160]; /* the monitor thread's copies of the labels */
    struct {
        char node[80];
        double used;
    } nodes[SC_MAX_NODES];
    int nnodes;
    double baseline;
    bool have_baseline;
    /* for assertions */
    double recall_mean, recall_min;
    bool have_recall;
    double shrink_mem_before, shrink_share;
    bool have_shrink;
    /* checkpoint (sc_checkpoint.c): leaf steps done, and the target of the
     * leaf step in progress */
    uint64_t leaf, resume_done;
    bool have_target;
    uint64_t target_leaf, target_live, target_copies;
    /* configs to put back at the end (sc_restore.c) */
    sc_kv *restore;
    char **restore_node; /* [nrestore]: the node's host:port, NULL = every node */
    size_t nrestore;
    uint64_t last_save_ns; /* the bitmaps' last save while a step runs */
    /* latency per operation name over every engine run of the scenario */
    struct {
        const char *op;
        hist h;
    } lat[SC_MAX_OPS];
    int nlat;
} sc_runner;

typedef struct sc_exec {
    sc_runner *r;
    const char *path;    /* "3:repeat[2]/1:expand" */
    sum_phase_stats *ps; /* what the step did, for summary.json */
    eng_stats *totals;   /* this leaf's engine totals (merged into the run's after it) */
    /* copies planned by a parallel parent (sc_parallel.c); end 0: the step
     * plans its own */
    uint32_t planned_first, planned_end;
} sc_exec;

/* --- the walk (sc_walk.c) ------------------------------------------------- */

/* Run one leaf step with an sc_exec of its own (planned copies: first..end,
 * end 0 for none) and close its phase in the summary. */
int sc_walk_leaf(sc_runner *r, const sc_step *st, const char *path, uint32_t first, uint32_t end,
                 vm_err *err);
/* Walk steps (repeats unrolled), skipping the leaves done before a resume,
 * saving progress after each leaf. */
int sc_walk(sc_runner *r, const sc_step *steps, size_t n, const char *prefix, vm_err *err);

/* --- checkpoints (sc_checkpoint.c) ----------------------------------------- */

int sc_checkpoint_save(sc_runner *r, vm_err *err);
int sc_checkpoint_load(sc_runner *r, vm_err *err);
/* The leaf step running now recorded its target before the run stopped. */
bool sc_checkpoint_resuming(const sc_runner *r);
/* Record the target of the leaf step running now and save it. */
int sc_checkpoint_target(sc_runner *r, uint64_t live, uint64_t copies, vm_err *err);

/* --- configs to restore (sc_restore.c) -------------------------------------- */

/* A config value to put back at the end: on node (host:port), or on every
 * node when NULL. */
void sc_restore_add(sc_runner *r, const char *node, const char *key, const char *value);
/* key's value is remembered already. */
bool sc_restore_has(const sc_runner *r, const char *key);
/* Remember every node's value of key (one entry when they agree) and save
 * the checkpoint; st names the step in messages. */
int sc_restore_remember(sc_runner *r, const sc_step *st, const char *key, vm_err *err);
/* Put every remembered value back, the last set first. */
void sc_restore_all(sc_runner *r);
void sc_restore_free(sc_runner *r);

/* --- helpers for executors (sc_exec.c) -------------------------------------- */

void sc_note(sc_runner *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool sc_stopped(const sc_runner *r);
/* used_memory summed over the nodes, from the monitor's latest samples. */
double sc_mem_now(sc_runner *r);
/* used_memory of the server asked now (summed over the masters); -1 when
 * it cannot be read. */
double sc_info_used_memory(sc_runner *r);
/* "<out_dir>/<name>" (the caller frees it). */
char *sc_path_in(const sc_runner *r, const char *name);
/* Write a file whole (through NAME.tmp, fsync'd, renamed). */
int sc_write_file(const char *path, const char *text, size_t len, vm_err *err);
/* Append line to a file of the run folder, writing header first into a new one. */
void sc_append_line(sc_runner *r, const char *name, const char *header, const char *line);
/* A sample now, labelled with the current step. */
void sc_step_sample(sc_runner *r);
/* The engine settings of a step: the run's, with the step's clients and
 * rate, counting into x's totals. */
eng_config sc_step_eng(const sc_exec *x, const sc_step *st);
/* Progress of a load: passed on to the run's, and the bitmaps saved every
 * second. */
lc_progress sc_progress(sc_runner *r);
/* The engine's tick callback of the same (ctx: the runner). */
void sc_tick(void *ctx);
/* false (with a note, once) when the server has no search module. */
bool sc_need_module(sc_runner *r, const char *what);
const char *sc_index_name(const sc_runner *r);
/* Fill the phase stats from an operation's result and say how it went. */
void sc_op_done(sc_runner *r, const lc_op_result *o, sum_phase_stats *ps, const char *what);

#endif
