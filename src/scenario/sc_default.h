/* sc_default: the built-in default lifecycle — baseline samples, prefill
 * with continuous memory sampling, settle samples — leaving memory.csv and
 * summary.json in a run folder.  The scenario runner (YAML) grows from it. */
#ifndef SC_DEFAULT_H
#define SC_DEFAULT_H

#include "../lifecycle/lc_prefill.h"

typedef struct sc_default_conf {
    lc_prefill_conf prefill;
    const char *out_dir;
    const char *run_id;
    uint64_t interval_ms;
} sc_default_conf;

typedef struct sc_default_result {
    lc_prefill_result prefill;
    long samples;
    double used_memory_start, used_memory_end, used_memory_peak;
} sc_default_result;

int sc_default_run(const sc_default_conf *conf, const eng_config *eng, const lc_progress *prog,
                   sc_default_result *res, vm_err *err);

#endif
