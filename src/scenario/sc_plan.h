/* sc_plan: a scenario as typed steps, built from the YAML tree and checked
 * whole before anything runs.  What a step is, takes and checks is its row
 * of the step table (sc_steps.h); the plan looks steps up there.  Every
 * error names file, line and column and says what was expected
 * ("grow.yaml:9:9: unknown step 'shrnk' (expected one of: ...)").  The
 * runner (sc_runner.h) executes a plan; nothing here touches a server. */
#ifndef SC_PLAN_H
#define SC_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "../search/idx.h"
#include "sc_yaml.h"

typedef enum sc_wait_until { SC_WAIT_DURATION, SC_WAIT_MEMORY_STABLE, SC_WAIT_INDEXED } sc_wait_until;

typedef struct sc_kv {
    char *key, *value;
} sc_kv;

struct sc_step_def;

/* One step of a scenario: its row of the step table (sc_steps.h) and the
 * settings read for it.  The fields are shared by the steps that take a
 * setting of that name; a step's row lists the ones it takes. */
typedef struct sc_step {
    const struct sc_step_def *def; /* what the step is: name, keys, check, executor */
    int line, col;
    char *label;              /* phase label (default: the step name) */
    /* prefill / expand / shrink / regrow */
    bool skip_if_present;
    uint32_t copies;          /* prefill: expanded copies too; expand: copies to add */
    double fraction;          /* shrink / regrow (0 = unset) */
    uint64_t count;           /* shrink */
    int copy;                 /* shrink / regrow: -1 = all */
    uint64_t seed;
    bool stop_on_oom;         /* prefill / expand: stop at the first OOM reply */
    /* query / mixed / workload */
    uint32_t k;
    int ef_runtime;
    uint32_t queries;         /* per copy, 0 = all */
    int clients;              /* 0 = the run's */
    uint64_t rate;            /* ops/s, 0 = unlimited */
    uint64_t duration_ms;     /* mixed / workload / wait */
    double query_share;       /* mixed: share of queries (0.7 = 70/30) */
    char *workload;           /* workload: registered name */
    char *plugin;             /* workload: shared object to load */
    sc_kv *params;            /* workload: its own settings */
    size_t nparams;
    /* repeat / parallel */
    uint32_t times;
    struct sc_step *children;
    size_t nchildren;
    /* wait */
    sc_wait_until until;
    uint64_t window_ms;
    double tolerance;         /* memory_stable: relative change allowed */
    uint64_t timeout_ms;
    /* restart */
    char *restart_how;        /* debug-reload (default) or command */
    char *command;            /* restart by command: the shell command */
    /* config_set: name → value */
    sc_kv *configs;
    size_t nconfigs;
    /* assert */
    double recall_min;        /* < 0 = unset */
    double bytes_per_vector_max;
    double memory_returned_min;
} sc_step;

typedef struct sc_scenario {
    char *file;               /* for messages */
    char *name;
    char *description;
    char *dataset;            /* folder, file, or catalog name */
    uint64_t limit;
    uint32_t slice_i, slice_n; /* 'slice: I/N': this loader's part (0/0: all) */
    char *prefix, *field;
    bool create_index;        /* an index section was given */
    idx_spec index;           /* strings owned by the scenario */
    uint64_t interval_ms;     /* monitor */
    sc_step *steps;
    size_t nsteps;
} sc_scenario;

/* Build and validate. */
int sc_plan_build(const yd_node *root, const char *file, sc_scenario *out, vm_err *err);
void sc_plan_free(sc_scenario *s);
/* The step's name as written in YAML ("?" for a step not read). */
const char *sc_step_name(const sc_step *s);
/* Leaf steps executed in order, repeats unrolled (for checkpoints). */
uint64_t sc_plan_leaf_count(const sc_step *steps, size_t n);

#endif
