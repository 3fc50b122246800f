/* sc_steps: the steps a scenario can use, one table row each (sc_steps.c):
 * its name, the keys it takes (with their parsers, sc_keys.h), the check of
 * the whole step once its keys are read, and its executor.  The plan
 * (sc_plan.c) reads and checks a step through its row; the runner
 * (sc_walk.c) runs it through its row.  Nothing else knows the steps by
 * name, so adding one touches its row, its executor and its test.
 *
 * An executor is declared with the function type sc_step_run where it is
 * defined (an sc_exec_*.c unit, grouped by concern) and where its row is:
 *
 *   sc_step_run sc_run_info;
 *   int sc_run_info(struct sc_exec *x, const sc_step *st, vm_err *err) { ... } */
#ifndef SC_STEPS_H
#define SC_STEPS_H

#include "sc_keys.h"
#include "sc_plan.h"

struct sc_exec;   /* a leaf step running (sc_exec.h) */
struct sc_runner; /* the run (sc_exec.h) */

/* Run step st: 0, or -1 with err (the run stops; it can be resumed). */
typedef int sc_step_run(struct sc_exec *x, const sc_step *st, vm_err *err);
/* A step done before a resume is not run again: tell the run what it
 * left behind (an index created or dropped). */
typedef void sc_step_replay(struct sc_runner *r, const sc_step *st);
/* Check the whole step (keypos: where its name is written; settings: its
 * map of keys, NULL when it had none): 0, or -1 with the error. */
typedef int sc_step_check(const sc_parse *p, sc_step *s, const yd_node *keypos,
                          const yd_node *settings);
/* Read a value that is not a map of keys (config_set's map of configs,
 * parallel's list of steps): 1 when taken, 0 to read it as keys, -1. */
typedef int sc_step_value(const sc_parse *p, const yd_node *v, sc_step *s);
/* Read a key the row does not list (a workload's own settings). */
typedef int sc_step_other(const sc_parse *p, const char *key, const yd_node *v, sc_step *s);

enum {
    SC_STEP_NEEDS_SETTINGS = 1 << 0, /* "- repeat" alone is refused */
    SC_STEP_IN_PARALLEL = 1 << 1,    /* may be a child of a parallel step */
    SC_STEP_UNROLLED = 1 << 2,       /* not a leaf: the walker runs its steps `times` times */
};

/* Which copies of the dataset a step inserts, for the parallel step that
 * plans every child's copies before any of them starts. */
typedef enum sc_copies_role {
    SC_COPIES_NONE,
    SC_COPIES_FIRST, /* copies 0 .. copies (prefill) */
    SC_COPIES_NEXT,  /* `copies` more after the last one (expand) */
} sc_copies_role;

typedef struct sc_step_def {
    const char *name;
    const sc_key *keys;     /* the keys it takes, SC_KEY_END-ended */
    sc_step_check *check;   /* NULL: nothing to check */
    sc_step_run *run;       /* NULL: nothing to run (repeat: the walker unrolls it) */
    unsigned flags;         /* SC_STEP_* */
    sc_step_value *value;   /* NULL: the value is a map of keys */
    sc_step_other *other;   /* NULL: keys not listed are refused */
    sc_step_replay *replay; /* NULL: nothing to tell */
    sc_copies_role copies;
} sc_step_def;

/* name, keys, check, executor, then optional designated fields. */
#define SC_STEP(step, keys_, check_, run_, ...)                                                    \
    {                                                                                              \
        .name = #step, .keys = keys_, .check = check_, .run = run_, __VA_ARGS__                    \
    }

/* The table, ended by a row without a name. */
extern const sc_step_def sc_steps[];
/* The row named name; NULL when there is none. */
const sc_step_def *sc_step_find(const char *name);
/* "create_index, drop_index, ...": the names of the rows with every flag of
 * flags (0: all), for messages. */
void sc_step_list(unsigned flags, char *out, size_t cap);

#endif
