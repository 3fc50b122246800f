/* rpt_run: a run folder loaded for a report — every CSV in it (rpt_data),
 * and what its summary.json says when there is one (json-c): the scenario,
 * the environment (server and module versions, configs), per-phase details
 * and the index parameters the memory model needs.  A folder without
 * summary.json (a run still going, or one that crashed) loads from its CSVs
 * alone.  Values whose key names a secret (password, token, auth...) and the
 * user:password part of URLs are redacted on the way in, so no report can
 * show them. */
#ifndef RPT_RUN_H
#define RPT_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "../model/mdl_vs.h"
#include "../util/strvec.h"
#include "rpt_data.h"

typedef struct rpt_kv {
    char *key;
    char *value;
} rpt_kv;

typedef struct rpt_kvlist {
    rpt_kv *v;
    size_t n, cap;
} rpt_kvlist;

typedef struct rpt_phase_info {
    char *name;
    bool window;   /* a span the run did not begin as a phase (baseline, settle) */
    rpt_kvlist kv; /* the phase's fields, flattened ("memory.peak") */
} rpt_phase_info;

typedef struct rpt_run {
    char *dir;
    rpt_data data;
    bool have_summary;       /* summary.json read and parsed */
    rpt_kvlist scenario;     /* the summary's top-level scalars */
    rpt_kvlist env;          /* environment, server, modules, config, index... */
    rpt_kvlist sampled;      /* facts read off the samples: roles, maxmemory, module */
    rpt_kvlist node_summary; /* the summary's "nodes" object, flattened */
    rpt_phase_info *phases;  /* the summary's "phases" and "windows" arrays */
    size_t nphases;
    /* index parameters for the model */
    bool have_index; /* the summary described an index */
    mdl_params model;
    char model_source[160]; /* where the parameters came from, for people */
    char model_release_source[80]; /* why that release's layout ("" = the default) */
    char key_prefix[64];    /* key prefix of the vectors (default "vec:") */
    strvec notes;           /* things a reader should know (skipped files...) */
    /* the loaders of a sliced run this folder monitored (rpt_loaders.h),
     * the caller's; NULL = none */
    const struct rpt_loaders *loaders;
} rpt_run;

/* Load dir.  Fails (-1, err) only when no CSV in it yields a sample. */
int rpt_run_load(rpt_run *r, const char *dir, vm_err *err);
void rpt_run_free(rpt_run *r);
/* A field of summary.json's phase `info` ("recall.mean"), or NULL when the
 * phase or the field is missing or null. */
const char *rpt_phase_value(const rpt_run *r, int info, const char *key);
void rpt_run_note(rpt_run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The value of key in a list, or NULL (a JSON null reads as "null"). */
const char *rpt_kv_get(const rpt_kvlist *kv, const char *key);

/* Exposed for tests: is this key a secret; strip user:pass@ from a URL. */
bool rpt_key_is_secret(const char *key);
void rpt_redact_url(char *value);

#endif
