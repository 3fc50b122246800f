/* sc_steps: the step table — every step a scenario can use, declared once
 * here: its keys (with their parsers), its check and its executor; see
 * sc_steps.h.  The executors live in the sc_exec_*.c units, by concern. */
#include "sc_steps.h"

#include "../lifecycle/lc_restart.h"

#include <stdlib.h>
#include <string.h>

/* --- executors (sc_exec_*.c, sc_parallel.c) ---------------------------------- */

sc_step_run sc_run_create_index, sc_run_drop_index;                      /* sc_exec_index.c */
sc_step_replay sc_replay_create_index, sc_replay_drop_index;             /* sc_exec_index.c */
sc_step_run sc_run_prefill, sc_run_expand, sc_run_shrink, sc_run_regrow; /* sc_exec_data.c */
sc_step_run sc_run_query, sc_run_mixed, sc_run_workload;                 /* sc_exec_traffic.c */
sc_step_run sc_run_wait, sc_run_config_set, sc_run_restart;              /* sc_exec_server.c */
sc_step_run sc_run_checkpoint, sc_run_assert, sc_run_info;               /* sc_exec_record.c */
sc_step_run sc_run_parallel;                                             /* sc_parallel.c */

/* --- keys that need more than a typed field ---------------------------------- */

/* until: memory_stable or indexed */
static int key_until(const sc_parse *p, const sc_key *k, const yd_node *v, sc_step *s)
{
    if (sc_want_scalar(p, v, k->name, "memory_stable or indexed") < 0)
        return -1;
    if (!strcmp(v->value, "memory_stable"))
        s->until = SC_WAIT_MEMORY_STABLE;
    else if (!strcmp(v->value, "indexed"))
        s->until = SC_WAIT_INDEXED;
    else
        return sc_parse_at(p, v, "'until' must be memory_stable or indexed, got '%s'", v->value);
    return 0;
}

/* steps: a list of steps (repeat, parallel) */
static int key_steps(const sc_parse *p, const sc_key *k, const yd_node *v, sc_step *s)
{
    (void)k;
    if (v->kind != YD_SEQ)
        return sc_parse_at(p, v, "'steps' must be a list of steps");
    return sc_plan_read_steps(p, v, sc_step_name(s), &s->children, &s->nchildren);
}

/* a workload's own settings go to it untouched */
static int workload_param(const sc_parse *p, const char *key, const yd_node *v, sc_step *s)
{
    if (v->kind != YD_SCALAR)
        return sc_parse_at(p, v, "workload setting '%s' must be a value", key);
    sc_kv *kv = realloc(s->params, (s->nparams + 1) * sizeof(sc_kv));
    if (!kv)
        abort(); /* strbuf's rule: nothing useful happens without memory */
    s->params = kv;
    s->params[s->nparams].key = strdup(key);
    s->params[s->nparams].value = strdup(v->value);
    s->nparams++;
    return 0;
}

/* config_set: a map of name: value */
static int config_map(const sc_parse *p, const yd_node *m, sc_step *s)
{
    if (m->kind != YD_MAP)
        return sc_parse_at(p, m, "'config_set' must be a map of name: value");
    s->configs = calloc(m->n ? m->n : 1, sizeof(sc_kv));
    s->nconfigs = m->n;
    for (size_t i = 0; i < m->n; i++) {
        if (m->items[i]->kind != YD_SCALAR)
            return sc_parse_at(p, m->items[i], "'%s' in config_set must be a value", m->keys[i]);
        s->configs[i].key = strdup(m->keys[i]);
        s->configs[i].value = strdup(m->items[i]->value);
    }
    return 1;
}

/* parallel: [steps] is short for parallel: {steps: [...]} */
static int parallel_list(const sc_parse *p, const yd_node *v, sc_step *s)
{
    if (v->kind != YD_SEQ)
        return 0;
    return sc_plan_read_steps(p, v, "parallel", &s->children, &s->nchildren) < 0 ? -1 : 1;
}

/* --- checks --------------------------------------------------------------- */

static int check_restart(const sc_parse *p, sc_step *s, const yd_node *at, const yd_node *keys)
{
    (void)keys;
    lc_restart_how how = LC_RESTART_DEBUG_RELOAD;
    vm_err e = {0};
    if (s->restart_how && lc_restart_parse(s->restart_how, &how, &e) < 0)
        return sc_parse_at(p, at, "restart: 'how' must be debug-reload or command, got '%s'",
                           s->restart_how);
    if (how == LC_RESTART_COMMAND && (!s->command || !*s->command))
        return sc_parse_at(p, at, "restart: how: command needs 'command' (the shell command "
                                  "that restarts the servers)");
    if (how == LC_RESTART_DEBUG_RELOAD && s->command)
        return sc_parse_at(p, at, "restart: 'command' goes with how: command");
    if (!s->timeout_ms)
        s->timeout_ms = 5 * 60 * 1000;
    return 0;
}

static int check_shrink(const sc_parse *p, sc_step *s, const yd_node *at, const yd_node *keys)
{
    (void)keys;
    if ((s->fraction > 0) == (s->count > 0))
        return sc_parse_at(p, at, "shrink needs exactly one of 'fraction' (0..1] or 'count'");
    return 0;
}

static int check_regrow(const sc_parse *p, sc_step *s, const yd_node *at, const yd_node *keys)
{
    (void)p, (void)at, (void)keys;
    if (s->fraction == 0)
        s->fraction = 1;
    return 0;
}

static int check_expand(const sc_parse *p, sc_step *s, const yd_node *at, const yd_node *keys)
{
    (void)keys;
    if (s->copies == 0)
        return sc_parse_at(p, at, "expand needs 'copies' (how many expanded copies to add)");
    return 0;
}

static int check_repeat(const sc_parse *p, sc_step *s, const yd_node *at, const yd_node *keys)
{
    (void)keys;
    if (!s->children || !s->nchildren)
        return sc_parse_at(p, at, "repeat needs 'steps' (a list) and 'times'");
    return 0;
}

static int check_parallel(const sc_parse *p, sc_step *s, const yd_node *at, const yd_node *keys)
{
    (void)keys;
    if (s->nchildren < 2)
        return sc_parse_at(p, at, "parallel needs 'steps' with at least two steps");
    for (size_t i = 0; i < s->nchildren; i++) {
        const sc_step *c = &s->children[i];
        if (c->def->flags & SC_STEP_IN_PARALLEL)
            continue;
        char can[200];
        sc_step_list(SC_STEP_IN_PARALLEL, can, sizeof(can));
        yd_node pos = {.line = c->line, .col = c->col};
        return sc_parse_at(p, &pos, "'%s' cannot run in parallel (%s can)", sc_step_name(c), can);
    }
    return 0;
}

static int check_mixed(const sc_parse *p, sc_step *s, const yd_node *at, const yd_node *keys)
{
    (void)keys;
    if (!s->duration_ms)
        return sc_parse_at(p, at, "mixed needs a 'duration' (e.g. 30s)");
    return 0;
}

static int check_workload(const sc_parse *p, sc_step *s, const yd_node *at, const yd_node *keys)
{
    (void)keys;
    if (!s->workload)
        return sc_parse_at(p, at,
                           "workload needs a 'name' (and 'plugin: FILE.so' for an external one)");
    if (!s->duration_ms && !s->count)
        return sc_parse_at(p, at, "workload needs a 'duration' (e.g. 30s) or a 'count'");
    return 0;
}

static int check_wait(const sc_parse *p, sc_step *s, const yd_node *at, const yd_node *keys)
{
    bool have_until = yd_map_get(keys, "until"), have_duration = yd_map_get(keys, "duration");
    if (!have_until && !have_duration)
        return sc_parse_at(p, at, "wait needs a 'duration', or 'until: memory_stable|indexed'");
    if (!have_until)
        s->until = SC_WAIT_DURATION;
    return 0;
}

static int check_assert(const sc_parse *p, sc_step *s, const yd_node *at, const yd_node *keys)
{
    (void)keys;
    if (s->recall_min < 0 && s->bytes_per_vector_max < 0 && s->memory_returned_min < 0)
        return sc_parse_at(p, at,
                           "assert needs at least one of recall_min, bytes_per_vector_max, "
                           "memory_returned_min");
    return 0;
}

/* --- keys ------------------------------------------------------------------- */

/* One key or step per line. */
/* clang-format off */
#define LABEL SC_KEY(label, sc_key_str, label, 0, 0)
#define SKIP_IF_PRESENT SC_KEY(skip_if_present, sc_key_bool, skip_if_present, 0, 0)
#define STOP_ON_OOM SC_KEY(stop_on_oom, sc_key_bool, stop_on_oom, 0, 0)
#define COPIES SC_KEY(copies, sc_key_u32, copies, 0, (1u << 24) - 2)
#define FRACTION SC_KEY(fraction, sc_key_double, fraction, 0, 1)
#define COUNT SC_KEY(count, sc_key_u64, count, 0, 0)
#define COPY SC_KEY(copy, sc_key_int_max, copy, 0, 1u << 24)
#define SEED SC_KEY(seed, sc_key_u64, seed, 0, 0)
#define K SC_KEY(k, sc_key_u32, k, 0, 10000)
#define EF_RUNTIME SC_KEY(ef_runtime, sc_key_int_max, ef_runtime, 0, 100000)
#define QUERIES SC_KEY(queries, sc_key_u32, queries, 0, UINT32_MAX)
#define CLIENTS SC_KEY(clients, sc_key_int_max, clients, 0, 100000)
#define RATE SC_KEY(rate, sc_key_rate, rate, 0, 0)
#define DURATION SC_KEY(duration, sc_key_duration, duration_ms, 0, 0)
#define QUERY_SHARE SC_KEY(query_share, sc_key_double, query_share, 0, 1)
#define TIMES SC_KEY(times, sc_key_u32, times, 0, 1000000)
#define STEPS SC_KEY(steps, key_steps, children, 0, 0)
#define UNTIL SC_KEY(until, key_until, until, 0, 0)
#define WINDOW SC_KEY(window, sc_key_duration, window_ms, 0, 0)
#define TOLERANCE SC_KEY(tolerance, sc_key_double, tolerance, 0, 1)
#define TIMEOUT SC_KEY(timeout, sc_key_duration, timeout_ms, 0, 0)
#define RECALL_MIN SC_KEY(recall_min, sc_key_double, recall_min, 0, 1)
#define BYTES_PER_VECTOR_MAX SC_KEY(bytes_per_vector_max, sc_key_double, bytes_per_vector_max, 0, 1e12)
#define MEMORY_RETURNED_MIN SC_KEY(memory_returned_min, sc_key_double, memory_returned_min, 0, 1)
#define NAME SC_KEY(name, sc_key_str, workload, 0, 0)
#define PLUGIN SC_KEY(plugin, sc_key_str, plugin, 0, 0)
#define END SC_KEY_END

static const sc_key label_keys[] = {LABEL, END};
static const sc_key prefill_keys[] = {LABEL, SKIP_IF_PRESENT, COPIES, STOP_ON_OOM, CLIENTS, RATE, END};
static const sc_key expand_keys[] = {LABEL, COPIES, STOP_ON_OOM, CLIENTS, RATE, END};
static const sc_key shrink_keys[] = {LABEL, FRACTION, COUNT, COPY, SEED, CLIENTS, END};
static const sc_key regrow_keys[] = {LABEL, FRACTION, COPY, SEED, CLIENTS, END};
static const sc_key query_keys[] = {LABEL, K, EF_RUNTIME, QUERIES, CLIENTS, RATE, END};
static const sc_key parallel_keys[] = {LABEL, STEPS, END};
static const sc_key mixed_keys[] = {LABEL, QUERY_SHARE, DURATION, K, EF_RUNTIME, CLIENTS, RATE, END};
/* the runner's; any other key is the workload's own (workload_param) */
static const sc_key workload_keys[] = {LABEL, NAME, PLUGIN, DURATION, COUNT, CLIENTS, RATE, END};
static const sc_key repeat_keys[] = {LABEL, TIMES, STEPS, END};
static const sc_key wait_keys[] = {LABEL, DURATION, UNTIL, WINDOW, TOLERANCE, TIMEOUT, END};
static const sc_key restart_keys[] = {LABEL, SC_KEY(how, sc_key_str, restart_how, 0, 0), SC_KEY(command, sc_key_str, command, 0, 0), TIMEOUT, END};
static const sc_key assert_keys[] = {LABEL, RECALL_MIN, BYTES_PER_VECTOR_MAX, MEMORY_RETURNED_MIN, END};

/* --- the table ---------------------------------------------------------------- */

#define NEEDS_SETTINGS .flags = SC_STEP_NEEDS_SETTINGS
#define IN_PARALLEL .flags = SC_STEP_IN_PARALLEL

const sc_step_def sc_steps[] = {
    SC_STEP(create_index, label_keys, NULL, sc_run_create_index, .replay = sc_replay_create_index),
    SC_STEP(drop_index, label_keys, NULL, sc_run_drop_index, .replay = sc_replay_drop_index),
    SC_STEP(prefill, prefill_keys, NULL, sc_run_prefill, IN_PARALLEL, .copies = SC_COPIES_FIRST),
    SC_STEP(expand, expand_keys, check_expand, sc_run_expand, IN_PARALLEL, .copies = SC_COPIES_NEXT),
    SC_STEP(shrink, shrink_keys, check_shrink, sc_run_shrink),
    SC_STEP(regrow, regrow_keys, check_regrow, sc_run_regrow),
    SC_STEP(query, query_keys, NULL, sc_run_query, IN_PARALLEL),
    SC_STEP(parallel, parallel_keys, check_parallel, sc_run_parallel, NEEDS_SETTINGS, .value = parallel_list),
    SC_STEP(mixed, mixed_keys, check_mixed, sc_run_mixed, IN_PARALLEL),
    SC_STEP(workload, workload_keys, check_workload, sc_run_workload, .flags = SC_STEP_NEEDS_SETTINGS | SC_STEP_IN_PARALLEL, .other = workload_param),
    SC_STEP(repeat, repeat_keys, check_repeat, NULL, .flags = SC_STEP_NEEDS_SETTINGS | SC_STEP_UNROLLED),
    SC_STEP(wait, wait_keys, check_wait, sc_run_wait, IN_PARALLEL),
    SC_STEP(config_set, NULL, NULL, sc_run_config_set, NEEDS_SETTINGS, .value = config_map),
    SC_STEP(checkpoint, label_keys, NULL, sc_run_checkpoint),
    SC_STEP(assert, assert_keys, check_assert, sc_run_assert),
    SC_STEP(info, label_keys, NULL, sc_run_info),
    SC_STEP(restart, restart_keys, check_restart, sc_run_restart),
    {.name = NULL},
};
/* clang-format on */

const sc_step_def *sc_step_find(const char *name)
{
    for (const sc_step_def *d = sc_steps; d->name; d++)
        if (!strcmp(d->name, name))
            return d;
    return NULL;
}

void sc_step_list(unsigned flags, char *out, size_t cap)
{
    out[0] = '\0';
    for (const sc_step_def *d = sc_steps; d->name; d++) {
        if ((d->flags & flags) != flags)
            continue;
        if (out[0])
            strncat(out, ", ", cap - strlen(out) - 1);
        strncat(out, d->name, cap - strlen(out) - 1);
    }
}
