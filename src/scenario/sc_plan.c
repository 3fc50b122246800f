/* sc_plan: scenario schema and validation; see sc_plan.h. */
#include "sc_plan.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../util/parse.h"

static const char *step_names[SC_STEP_KINDS] = {
    "create_index", "drop_index", "prefill", "expand", "shrink", "regrow", "query", "parallel",
    "mixed", "workload", "repeat", "wait", "config_set", "checkpoint", "assert"};

const char *sc_step_name(sc_step_kind k)
{
    return k < SC_STEP_KINDS ? step_names[k] : "?";
}

typedef struct ctx {
    const char *file;
    vm_err *err;
} ctx;

static int at(ctx *c, const yd_node *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int at(ctx *c, const yd_node *n, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (n && n->line)
        return vm_err_set(c->err, VM_EINPUT, "%s:%d:%d: %s", c->file, n->line, n->col, msg);
    return vm_err_set(c->err, VM_EINPUT, "%s: %s", c->file, msg);
}

/* --- typed getters: each names the key and what it expected ------------- */

static int want_scalar(ctx *c, const yd_node *v, const char *key, const char *what)
{
    if (v->kind != YD_SCALAR)
        return at(c, v, "'%s' must be %s, got a %s", key, what, v->kind == YD_MAP ? "map" : "list");
    return 0;
}

static int get_u64(ctx *c, const yd_node *v, const char *key, uint64_t *out)
{
    vm_err e = {0};
    if (want_scalar(c, v, key, "a whole number") < 0)
        return -1;
    if (parse_u64(key, v->value, out, &e) < 0)
        return at(c, v, "'%s' must be a whole number, got '%s'", key, v->value);
    return 0;
}

static int get_u32(ctx *c, const yd_node *v, const char *key, uint32_t max, uint32_t *out)
{
    uint64_t x;
    if (get_u64(c, v, key, &x) < 0)
        return -1;
    if (x > max)
        return at(c, v, "'%s' must be at most %u, got %llu", key, max, (unsigned long long)x);
    *out = (uint32_t)x;
    return 0;
}

static int get_double(ctx *c, const yd_node *v, const char *key, double lo, double hi, double *out)
{
    vm_err e = {0};
    if (want_scalar(c, v, key, "a number") < 0)
        return -1;
    if (parse_double(key, v->value, out, &e) < 0)
        return at(c, v, "'%s' must be a number, got '%s'", key, v->value);
    if (*out < lo || *out > hi)
        return at(c, v, "'%s' must be within [%g, %g], got %g", key, lo, hi, *out);
    return 0;
}

static int get_bool(ctx *c, const yd_node *v, const char *key, bool *out)
{
    if (want_scalar(c, v, key, "true or false") < 0)
        return -1;
    if (!strcasecmp(v->value, "true") || !strcasecmp(v->value, "yes"))
        *out = true;
    else if (!strcasecmp(v->value, "false") || !strcasecmp(v->value, "no"))
        *out = false;
    else
        return at(c, v, "'%s' must be true or false, got '%s'", key, v->value);
    return 0;
}

static int get_duration(ctx *c, const yd_node *v, const char *key, uint64_t *out)
{
    vm_err e = {0};
    if (want_scalar(c, v, key, "a duration") < 0)
        return -1;
    if (parse_duration_ms(key, v->value, out, &e) < 0)
        return at(c, v, "'%s' must be a duration like 500ms, 10s, 5m; got '%s'", key, v->value);
    return 0;
}

static int get_str(ctx *c, const yd_node *v, const char *key, char **out)
{
    if (want_scalar(c, v, key, "text") < 0)
        return -1;
    free(*out);
    *out = strdup(v->value);
    return 0;
}

/* Reject keys not in allowed (NULL-terminated), naming what is allowed. */
static int check_keys(ctx *c, const yd_node *m, const char *where, const char *const *allowed)
{
    for (size_t i = 0; i < m->n; i++) {
        bool ok = false;
        for (const char *const *a = allowed; *a; a++)
            if (!strcmp(m->keys[i], *a))
                ok = true;
        if (!ok) {
            char list[400] = "";
            for (const char *const *a = allowed; *a; a++) {
                strncat(list, *a, sizeof(list) - strlen(list) - 3);
                if (a[1])
                    strncat(list, ", ", sizeof(list) - strlen(list) - 1);
            }
            yd_node pos = {.line = m->key_line[i], .col = m->key_col[i]};
            return at(c, &pos, "unknown key '%s' in %s (expected one of: %s)", m->keys[i], where,
                      list);
        }
    }
    return 0;
}

static int parse_steps(ctx *c, const yd_node *seq, const char *where, sc_step **out, size_t *n);

static void step_defaults(sc_step *s)
{
    memset(s, 0, sizeof(*s));
    s->copy = -1;
    s->seed = 1;
    s->k = 10;
    s->recall_min = s->bytes_per_vector_max = s->memory_returned_min = -1;
    s->tolerance = 0.01;
    s->window_ms = 10000;
    s->timeout_ms = 600000;
    s->times = 1;
    s->query_share = 0.7;
}

static int parse_kvs(ctx *c, const yd_node *m, sc_kv **out, size_t *n, const char *what)
{
    if (m->kind != YD_MAP)
        return at(c, m, "'%s' must be a map of name: value", what);
    *out = calloc(m->n ? m->n : 1, sizeof(sc_kv));
    *n = m->n;
    for (size_t i = 0; i < m->n; i++) {
        if (m->items[i]->kind != YD_SCALAR)
            return at(c, m->items[i], "'%s' in %s must be a value", m->keys[i], what);
        (*out)[i].key = strdup(m->keys[i]);
        (*out)[i].value = strdup(m->items[i]->value);
    }
    return 0;
}

/* "prefill, expand, ...": the step names, for error messages. */
static void step_list(char *list, size_t n)
{
    list[0] = '\0';
    for (int k = 0; k < SC_STEP_KINDS; k++) {
        strncat(list, step_names[k], n - strlen(list) - 1);
        if (k + 1 < SC_STEP_KINDS)
            strncat(list, ", ", n - strlen(list) - 1);
    }
}

/* The settings a step of kind takes (NULL: any, a workload's own). */
static const char *const *step_keys(sc_step_kind kind)
{
    /* clang-format off: one table row per line */
    static const char *const k_index[] = {"label", NULL};
    static const char *const k_prefill[] = {"label", "skip_if_present", "copies", "stop_on_oom", "clients", "rate", NULL};
    static const char *const k_expand[] = {"label", "copies", "stop_on_oom", "clients", "rate", NULL};
    static const char *const k_shrink[] = {"label", "fraction", "count", "copy", "seed", "clients", NULL};
    static const char *const k_regrow[] = {"label", "fraction", "copy", "seed", "clients", NULL};
    static const char *const k_query[] = {"label", "k", "ef_runtime", "queries", "clients", "rate", NULL};
    static const char *const k_parallel[] = {"label", "steps", NULL};
    static const char *const k_mixed[] = {"label", "query_share", "duration", "k", "ef_runtime", "clients", "rate", NULL};
    static const char *const k_repeat[] = {"label", "times", "steps", NULL};
    static const char *const k_wait[] = {"label", "duration", "until", "window", "tolerance", "timeout", NULL};
    static const char *const k_checkpoint[] = {"label", NULL};
    static const char *const k_assert[] = {"label", "recall_min", "bytes_per_vector_max", "memory_returned_min", NULL};
    switch (kind) {
    case SC_CREATE_INDEX: case SC_DROP_INDEX: return k_index;
    case SC_PREFILL: return k_prefill;
    case SC_EXPAND: return k_expand;
    case SC_SHRINK: return k_shrink;
    case SC_REGROW: return k_regrow;
    case SC_QUERY: return k_query;
    case SC_PARALLEL: return k_parallel;
    case SC_MIXED: return k_mixed;
    case SC_REPEAT: return k_repeat;
    case SC_WAIT: return k_wait;
    case SC_CHECKPOINT: return k_checkpoint;
    case SC_ASSERT: return k_assert;
    default: return NULL;
    }
    /* clang-format on */
}

/* One setting k: x of step s (name: the step's name, for messages). */
static int parse_setting(ctx *c, sc_step *s, const char *name, const char *k, const yd_node *x,
                         bool *have_until, bool *have_duration)
{
    int r = 0;
    uint64_t u;
    /* a workload's own settings go to it untouched; the runner keeps
     * label, name, plugin, duration, count, clients and rate */
    if (s->kind == SC_WORKLOAD && strcmp(k, "label") && strcmp(k, "name") &&
        strcmp(k, "plugin") && strcmp(k, "duration") && strcmp(k, "count") &&
        strcmp(k, "clients") && strcmp(k, "rate")) {
        if (x->kind != YD_SCALAR)
            return at(c, x, "workload setting '%s' must be a value", k);
        s->params = realloc(s->params, (s->nparams + 1) * sizeof(sc_kv));
        s->params[s->nparams].key = strdup(k);
        s->params[s->nparams].value = strdup(x->value);
        s->nparams++;
        return 0;
    }
    /* clang-format off: one setting per line */
    if (!strcmp(k, "label")) r = get_str(c, x, k, &s->label);
    else if (!strcmp(k, "skip_if_present")) r = get_bool(c, x, k, &s->skip_if_present);
    else if (!strcmp(k, "stop_on_oom")) r = get_bool(c, x, k, &s->stop_on_oom);
    else if (!strcmp(k, "copies")) r = get_u32(c, x, k, (1u << 24) - 2, &s->copies);
    else if (!strcmp(k, "fraction")) r = get_double(c, x, k, 0, 1, &s->fraction);
    else if (!strcmp(k, "count")) r = get_u64(c, x, k, &s->count);
    else if (s->kind == SC_WORKLOAD && !strcmp(k, "name")) r = get_str(c, x, k, &s->workload);
    else if (s->kind == SC_WORKLOAD && !strcmp(k, "plugin")) r = get_str(c, x, k, &s->plugin);
    else if (!strcmp(k, "copy")) { r = get_u64(c, x, k, &u); s->copy = (int)(u < (1u << 24) ? u : (1u << 24)); }
    else if (!strcmp(k, "seed")) r = get_u64(c, x, k, &s->seed);
    else if (!strcmp(k, "k")) r = get_u32(c, x, k, 10000, &s->k);
    else if (!strcmp(k, "ef_runtime")) { r = get_u64(c, x, k, &u); s->ef_runtime = (int)(u > 100000 ? 100000 : u); }
    else if (!strcmp(k, "queries")) r = get_u32(c, x, k, UINT32_MAX, &s->queries);
    else if (!strcmp(k, "clients")) { r = get_u64(c, x, k, &u); s->clients = (int)(u > 100000 ? 100000 : u); }
    else if (!strcmp(k, "rate")) {
        r = get_u64(c, x, k, &s->rate);
        if (r == 0 && s->rate == 0)
            r = at(c, x, "rate 0 would send nothing: leave rate out for no limit");
    }
    else if (!strcmp(k, "duration")) { r = get_duration(c, x, k, &s->duration_ms); *have_duration = true; }
    else if (!strcmp(k, "query_share")) r = get_double(c, x, k, 0, 1, &s->query_share);
    else if (!strcmp(k, "times")) r = get_u32(c, x, k, 1000000, &s->times);
    else if (!strcmp(k, "window")) r = get_duration(c, x, k, &s->window_ms);
    else if (!strcmp(k, "timeout")) r = get_duration(c, x, k, &s->timeout_ms);
    else if (!strcmp(k, "tolerance")) r = get_double(c, x, k, 0, 1, &s->tolerance);
    else if (!strcmp(k, "recall_min")) r = get_double(c, x, k, 0, 1, &s->recall_min);
    else if (!strcmp(k, "bytes_per_vector_max")) r = get_double(c, x, k, 0, 1e12, &s->bytes_per_vector_max);
    else if (!strcmp(k, "memory_returned_min")) r = get_double(c, x, k, 0, 1, &s->memory_returned_min);
    else if (!strcmp(k, "until")) {
        *have_until = true;
        if ((r = want_scalar(c, x, k, "memory_stable or indexed")) == 0) {
            if (!strcmp(x->value, "memory_stable")) s->until = SC_WAIT_MEMORY_STABLE;
            else if (!strcmp(x->value, "indexed")) s->until = SC_WAIT_INDEXED;
            else r = at(c, x, "'until' must be memory_stable or indexed, got '%s'", x->value);
        }
    } else if (!strcmp(k, "steps")) {
        if (x->kind != YD_SEQ)
            r = at(c, x, "'steps' must be a list of steps");
        else
            r = parse_steps(c, x, name, &s->children, &s->nchildren);
    }
    /* clang-format on */
    return r;
}

/* The rules about a whole step, once its settings are read (keypos: where
 * its name is, for messages). */
static int check_step(ctx *c, sc_step *s, const yd_node *keypos, bool have_until,
                      bool have_duration)
{
    switch (s->kind) {
    case SC_SHRINK:
        if ((s->fraction > 0) == (s->count > 0))
            return at(c, keypos, "shrink needs exactly one of 'fraction' (0..1] or 'count'");
        break;
    case SC_REGROW:
        if (s->fraction == 0)
            s->fraction = 1;
        break;
    case SC_EXPAND:
        if (s->copies == 0)
            return at(c, keypos, "expand needs 'copies' (how many expanded copies to add)");
        break;
    case SC_REPEAT:
        if (!s->children || !s->nchildren)
            return at(c, keypos, "repeat needs 'steps' (a list) and 'times'");
        break;
    case SC_PARALLEL:
        if (s->nchildren < 2)
            return at(c, keypos, "parallel needs 'steps' with at least two steps");
        for (size_t i = 0; i < s->nchildren; i++) {
            sc_step_kind ck = s->children[i].kind;
            if (ck != SC_PREFILL && ck != SC_EXPAND && ck != SC_QUERY && ck != SC_MIXED &&
                ck != SC_WORKLOAD && ck != SC_WAIT) {
                yd_node pos = {.line = s->children[i].line, .col = s->children[i].col};
                return at(c, &pos, "'%s' cannot run in parallel (prefill, expand, query, mixed, workload, wait can)",
                          sc_step_name(ck));
            }
        }
        break;
    case SC_MIXED:
        if (!s->duration_ms)
            return at(c, keypos, "mixed needs a 'duration' (e.g. 30s)");
        break;
    case SC_WORKLOAD:
        if (!s->workload)
            return at(c, keypos, "workload needs a 'name' (and 'plugin: FILE.so' for an external one)");
        if (!s->duration_ms && !s->count)
            return at(c, keypos, "workload needs a 'duration' (e.g. 30s) or a 'count'");
        break;
    case SC_WAIT:
        if (!have_until && !have_duration)
            return at(c, keypos, "wait needs a 'duration', or 'until: memory_stable|indexed'");
        if (!have_until)
            s->until = SC_WAIT_DURATION;
        break;
    case SC_ASSERT:
        if (s->recall_min < 0 && s->bytes_per_vector_max < 0 && s->memory_returned_min < 0)
            return at(c, keypos, "assert needs at least one of recall_min, bytes_per_vector_max, memory_returned_min");
        break;
    default:
        break;
    }
    return 0;
}

static int parse_step(ctx *c, const yd_node *item, sc_step *s)
{
    step_defaults(s);
    s->line = item->line;
    s->col = item->col;
    if (item->kind == YD_SCALAR) {
        /* "- drop_index" is shorthand for "- drop_index: {}" */
        yd_node fake = *item;
        for (int k = 0; k < SC_STEP_KINDS; k++)
            if (!strcmp(item->value, step_names[k])) {
                s->kind = (sc_step_kind)k;
                if (k == SC_REPEAT || k == SC_PARALLEL || k == SC_CONFIG_SET || k == SC_WORKLOAD)
                    return at(c, &fake, "'%s' needs settings", item->value);
                return 0;
            }
    }
    char list[300];
    if (item->kind != YD_MAP || item->n != 1) {
        step_list(list, sizeof(list));
        if (item->kind == YD_SCALAR)
            return at(c, item, "unknown step '%s' (expected one of: %s)", item->value, list);
        return at(c, item, "a step is a one-key map, e.g. '- shrink: {fraction: 0.5}' (steps: %s)",
                  list);
    }
    const char *name = item->keys[0];
    const yd_node *v = item->items[0];
    yd_node keypos = {.line = item->key_line[0], .col = item->key_col[0]};
    int kind = -1;
    for (int k = 0; k < SC_STEP_KINDS; k++)
        if (!strcmp(name, step_names[k]))
            kind = k;
    if (kind < 0) {
        step_list(list, sizeof(list));
        return at(c, &keypos, "unknown step '%s' (expected one of: %s)", name, list);
    }
    s->kind = (sc_step_kind)kind;
    bool list_form = kind == SC_PARALLEL && v->kind == YD_SEQ; /* parallel: [steps] */
    if (list_form && parse_steps(c, v, "parallel", &s->children, &s->nchildren) < 0)
        return -1;
    if (kind == SC_CONFIG_SET)
        return parse_kvs(c, v, &s->configs, &s->nconfigs, "config_set");
    if (v->kind == YD_SCALAR && (!*v->value || !strcmp(v->value, "~") || !strcmp(v->value, "null")))
        return 0; /* "- drop_index:" */
    if (!list_form && v->kind != YD_MAP)
        return at(c, v, "the settings of '%s' must be a map, e.g. {key: value}", name);
    const char *const *allowed = step_keys(s->kind);
    if (!list_form && allowed && check_keys(c, v, name, allowed) < 0)
        return -1;
    bool have_until = false, have_duration = false;
    for (size_t i = 0; !list_form && i < v->n; i++)
        if (parse_setting(c, s, name, v->keys[i], v->items[i], &have_until, &have_duration) < 0)
            return -1;
    return check_step(c, s, &keypos, have_until, have_duration);
}

static int parse_steps(ctx *c, const yd_node *seq, const char *where, sc_step **out, size_t *n)
{
    if (seq->kind != YD_SEQ)
        return at(c, seq, "'%s' must be a list of steps", where);
    *out = calloc(seq->n ? seq->n : 1, sizeof(sc_step));
    *n = seq->n;
    for (size_t i = 0; i < seq->n; i++)
        if (parse_step(c, seq->items[i], &(*out)[i]) < 0)
            return -1;
    return 0;
}

static int parse_index(ctx *c, const yd_node *m, sc_scenario *s)
{
    static const char *const keys[] = {"name", "algorithm", "metric", "m", "ef_construction",
                                       "ef_runtime", "initial_cap", "block_size", "tag_field",
                                       "numeric_field", NULL};
    if (m->kind != YD_MAP)
        return at(c, m, "'index' must be a map, e.g. {name: idx, algorithm: HNSW, m: 16}");
    if (check_keys(c, m, "index", keys) < 0)
        return -1;
    idx_spec *x = &s->index;
    x->name = strdup("idx");
    for (size_t i = 0; i < m->n; i++) {
        const char *k = m->keys[i];
        const yd_node *v = m->items[i];
        uint64_t u;
        int r = 0;
        vm_err e = {0};
        char *str = NULL;
        if (!strcmp(k, "name") || !strcmp(k, "tag_field") || !strcmp(k, "numeric_field")) {
            r = get_str(c, v, k, &str);
            if (r == 0 && !strcmp(k, "name")) { free((char *)x->name); x->name = str; }
            else if (r == 0 && !strcmp(k, "tag_field")) x->tag_field = str;
            else if (r == 0) x->numeric_field = str;
        } else if (!strcmp(k, "algorithm")) {
            if ((r = want_scalar(c, v, k, "HNSW or FLAT")) == 0 && idx_parse_algo(v->value, &x->algo, &e) < 0)
                r = at(c, v, "'algorithm' must be HNSW or FLAT, got '%s'", v->value);
        } else if (!strcmp(k, "metric")) {
            if ((r = want_scalar(c, v, k, "L2, IP or COSINE")) == 0 && idx_parse_metric(v->value, &x->metric, &e) < 0)
                r = at(c, v, "'metric' must be L2, IP or COSINE, got '%s'", v->value);
        } else if (!strcmp(k, "initial_cap")) {
            r = get_u64(c, v, k, &x->initial_cap);
        } else {
            if ((r = get_u64(c, v, k, &u)) == 0 && u > 1000000)
                r = at(c, v, "'%s' is too large (%llu)", k, (unsigned long long)u);
            if (!strcmp(k, "m")) x->m = (int)u;
            else if (!strcmp(k, "ef_construction")) x->ef_construction = (int)u;
            else if (!strcmp(k, "ef_runtime")) x->ef_runtime = (int)u;
            else x->block_size = (int)u;
        }
        if (r < 0)
            return -1;
    }
    s->create_index = true;
    return 0;
}

int sc_plan_build(const yd_node *root, const char *file, sc_scenario *s, vm_err *err)
{
    ctx c = {file, err};
    memset(s, 0, sizeof(*s));
    s->file = strdup(file);
    s->interval_ms = 1000;
    if (root->kind != YD_MAP)
        return at(&c, root, "a scenario is a map with name, dataset, index, steps");
    static const char *const keys[] = {"name", "description", "dataset", "limit", "prefix",
                                       "field", "index", "monitor", "steps", NULL};
    if (check_keys(&c, root, "the scenario", keys) < 0)
        return -1;
    for (size_t i = 0; i < root->n; i++) {
        const char *k = root->keys[i];
        const yd_node *v = root->items[i];
        int r = 0;
        if (!strcmp(k, "name")) r = get_str(&c, v, k, &s->name);
        else if (!strcmp(k, "description")) r = get_str(&c, v, k, &s->description);
        else if (!strcmp(k, "dataset")) r = get_str(&c, v, k, &s->dataset);
        else if (!strcmp(k, "limit")) r = get_u64(&c, v, k, &s->limit);
        else if (!strcmp(k, "prefix")) r = get_str(&c, v, k, &s->prefix);
        else if (!strcmp(k, "field")) r = get_str(&c, v, k, &s->field);
        else if (!strcmp(k, "index")) r = parse_index(&c, v, s);
        else if (!strcmp(k, "monitor")) {
            static const char *const mk[] = {"interval", NULL};
            if (v->kind != YD_MAP)
                r = at(&c, v, "'monitor' must be a map, e.g. {interval: 1s}");
            else if ((r = check_keys(&c, v, "monitor", mk)) == 0 && yd_map_get(v, "interval"))
                r = get_duration(&c, yd_map_get(v, "interval"), "interval", &s->interval_ms);
            if (r == 0 && s->interval_ms == 0)
                r = at(&c, yd_map_get(v, "interval"), "'interval' must be more than 0");
        } else if (!strcmp(k, "steps")) r = parse_steps(&c, v, "steps", &s->steps, &s->nsteps);
        if (r < 0)
            return -1;
    }
    if (!s->name)
        return at(&c, root, "the scenario needs a 'name'");
    if (!s->dataset)
        return at(&c, root, "the scenario needs a 'dataset' (a folder or file; or --set dataset=PATH)");
    if (!s->steps || !s->nsteps)
        return at(&c, root, "the scenario needs 'steps' (a list)");
    if (!s->prefix)
        s->prefix = strdup("vec:");
    if (!s->field)
        s->field = strdup("vector");
    return 0;
}

static void free_steps(sc_step *st, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        sc_step *s = &st[i];
        free(s->label);
        free(s->workload);
        free(s->plugin);
        for (size_t j = 0; j < s->nparams; j++)
            free(s->params[j].key), free(s->params[j].value);
        free(s->params);
        for (size_t j = 0; j < s->nconfigs; j++)
            free(s->configs[j].key), free(s->configs[j].value);
        free(s->configs);
        free_steps(s->children, s->nchildren);
    }
    free(st);
}

void sc_plan_free(sc_scenario *s)
{
    free_steps(s->steps, s->nsteps);
    free(s->file), free(s->name), free(s->description), free(s->dataset), free(s->prefix),
        free(s->field);
    free((char *)s->index.name);
    free((char *)s->index.tag_field);
    free((char *)s->index.numeric_field);
    memset(s, 0, sizeof(*s));
}

uint64_t sc_plan_leaf_count(const sc_step *steps, size_t n)
{
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        if (steps[i].kind == SC_REPEAT)
            total += (uint64_t)steps[i].times * sc_plan_leaf_count(steps[i].children, steps[i].nchildren);
        else
            total++; /* a parallel step is one leaf: it runs whole */
    }
    return total;
}
