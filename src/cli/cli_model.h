/* cli_model: the memory-model options `model` and `report` share — an
 * option table bound to a cli_model_opts, and the step that folds the
 * options a person gave into an mdl_params (options not given leave the
 * params as they were, so `report` can override what it read from a run). */
#ifndef CLI_MODEL_H
#define CLI_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "../model/mdl_vs.h"
#include "opt.h"

typedef struct cli_model_opts {
    const char *algorithm, *type, *release;
    int dim, m, key_length, field_length, threads, tags, tag_length, numerics, texts;
    uint64_t initial_cap, block_size, tag_values, numeric_values, text_terms;
    double text_postings;
} cli_model_opts;

/* Everything "not given". */
void cli_model_defaults(cli_model_opts *o);
/* The index-parameter options (malloc'd; free it).  with_counts adds
 * --vectors / --deleted / --peak (the `model` command; `report` takes the
 * counts from the run). */
struct opt *cli_model_options(cli_model_opts *o, bool with_counts, uint64_t *vectors,
                              uint64_t *deleted, uint64_t *peak);
/* Override p with the options given; -1 with err for a bad value. */
int cli_model_apply(const cli_model_opts *o, mdl_params *p, vm_err *err);
/* An opt_cb: a count as parse_count reads it ("1e9", "10M") into
 * (uint64_t *)o->value. */
int cli_model_parse_count(const struct opt *o, const char *arg, vm_err *err);
/* true when the person gave an index parameter. */
bool cli_model_any(const cli_model_opts *o);

/* `model --plan`: a capacity plan (model/mdl_plan.h). */
typedef struct cli_plan_opts {
    bool plan;
    uint64_t node_bytes; /* 0: not given */
    double headroom;     /* < 0: computed */
    double rate;         /* vectors/s per shard, < 0: default or --from */
    int replicas, expand, loaders;
    const char *from;
} cli_plan_opts;

void cli_plan_defaults(cli_plan_opts *o);
/* The plan's options (malloc'd; free it). */
struct opt *cli_plan_options(cli_plan_opts *o);
/* true when a plan-only option was given (without --plan it is an error). */
bool cli_plan_any(const cli_plan_opts *o);
/* Compute and print the plan for p's index; CLI_OK or CLI_USAGE / an
 * error status after printing the error. */
int cli_plan_run(const cli_plan_opts *o, const mdl_params *p, uint64_t vectors, bool json);

#endif
