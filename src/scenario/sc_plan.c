/* sc_plan: scenario schema and validation; see sc_plan.h.  A step is read
 * and checked through its row of the step table (sc_steps.h); this file
 * knows the scenario's own keys (name, dataset, index, monitor, steps) and
 * the shapes a step may be written in. */
#include "sc_plan.h"

#include <stdlib.h>
#include <string.h>

#include "../util/vm_slice.h"
#include "sc_keys.h"
#include "sc_steps.h"

const char *sc_step_name(const sc_step *s)
{
    return s && s->def ? s->def->name : "?";
}

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

/* "- drop_index:" (no value): a step without settings */
static bool is_null(const yd_node *v)
{
    return v->kind == YD_SCALAR &&
           (!*v->value || !strcmp(v->value, "~") || !strcmp(v->value, "null"));
}

/* The keys of step s written as the map m: checked against its row's
 * (unless the row takes any other key), then each read by its parser. */
static int read_keys(const sc_parse *p, sc_step *s, const yd_node *m)
{
    const sc_step_def *d = s->def;
    if (!d->other && sc_check_step_keys(p, m, d->name, d->keys) < 0)
        return -1;
    for (size_t i = 0; i < m->n; i++) {
        const sc_key *k = sc_key_find(d->keys, m->keys[i]);
        int rc = k ? k->parse(p, k, m->items[i], s) : d->other(p, m->keys[i], m->items[i], s);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* "- drop_index" is shorthand for "- drop_index: {}"; 1 when item is one. */
static int read_shorthand(const sc_parse *p, const yd_node *item, sc_step *s)
{
    const sc_step_def *d = item->kind == YD_SCALAR ? sc_step_find(item->value) : NULL;
    if (!d)
        return 0;
    s->def = d;
    if (d->flags & SC_STEP_NEEDS_SETTINGS)
        return sc_parse_at(p, item, "'%s' needs settings", item->value);
    return 1;
}

static int read_step(const sc_parse *p, const yd_node *item, sc_step *s)
{
    step_defaults(s);
    s->line = item->line;
    s->col = item->col;
    int rc = read_shorthand(p, item, s);
    if (rc != 0)
        return rc < 0 ? -1 : 0;
    char list[300]; /* the step names, for messages */
    if (item->kind != YD_MAP || item->n != 1) {
        sc_step_list(0, list, sizeof(list));
        if (item->kind == YD_SCALAR)
            return sc_parse_at(p, item, "unknown step '%s' (expected one of: %s)", item->value,
                               list);
        return sc_parse_at(
            p, item, "a step is a one-key map, e.g. '- shrink: {fraction: 0.5}' (steps: %s)", list);
    }
    const char *name = item->keys[0];
    const yd_node *v = item->items[0];
    yd_node keypos = {.line = item->key_line[0], .col = item->key_col[0]};
    if (!(s->def = sc_step_find(name))) {
        sc_step_list(0, list, sizeof(list));
        return sc_parse_at(p, &keypos, "unknown step '%s' (expected one of: %s)", name, list);
    }
    int took = s->def->value ? s->def->value(p, v, s) : 0;
    if (took < 0)
        return -1;
    if (!took && is_null(v))
        return 0;
    if (!took && v->kind != YD_MAP)
        return sc_parse_at(p, v, "the settings of '%s' must be a map, e.g. {key: value}", name);
    if (!took && read_keys(p, s, v) < 0)
        return -1;
    return s->def->check ? s->def->check(p, s, &keypos, took ? NULL : v) : 0;
}

int sc_plan_read_steps(const sc_parse *p, const yd_node *seq, const char *where, sc_step **out,
                       size_t *n)
{
    if (seq->kind != YD_SEQ)
        return sc_parse_at(p, seq, "'%s' must be a list of steps", where);
    *out = calloc(seq->n ? seq->n : 1, sizeof(sc_step));
    *n = seq->n;
    for (size_t i = 0; i < seq->n; i++)
        if (read_step(p, seq->items[i], &(*out)[i]) < 0)
            return -1;
    return 0;
}

static int parse_index(const sc_parse *c, const yd_node *m, sc_scenario *s)
{
    static const char *const keys[] = {
        "name",       "algorithm",   "metric",     "m",         "ef_construction",
        "ef_runtime", "initial_cap", "block_size", "tag_field", "numeric_field",
        "text_field", NULL};
    if (m->kind != YD_MAP)
        return sc_parse_at(c, m, "'index' must be a map, e.g. {name: idx, algorithm: HNSW, m: 16}");
    if (sc_check_keys(c, m, "index", keys) < 0)
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
        if (!strcmp(k, "name") || !strcmp(k, "tag_field") || !strcmp(k, "numeric_field") ||
            !strcmp(k, "text_field")) {
            r = sc_get_str(c, v, k, &str);
            if (r == 0 && !strcmp(k, "name")) {
                free((char *)x->name);
                x->name = str;
            } else if (r == 0 && !strcmp(k, "tag_field"))
                x->tag_field = str;
            else if (r == 0 && !strcmp(k, "text_field"))
                x->text_field = str;
            else if (r == 0)
                x->numeric_field = str;
        } else if (!strcmp(k, "algorithm")) {
            if ((r = sc_want_scalar(c, v, k, "HNSW or FLAT")) == 0 &&
                idx_parse_algo(v->value, &x->algo, &e) < 0)
                r = sc_parse_at(c, v, "'algorithm' must be HNSW or FLAT, got '%s'", v->value);
        } else if (!strcmp(k, "metric")) {
            if ((r = sc_want_scalar(c, v, k, "L2, IP or COSINE")) == 0 &&
                idx_parse_metric(v->value, &x->metric, &e) < 0)
                r = sc_parse_at(c, v, "'metric' must be L2, IP or COSINE, got '%s'", v->value);
        } else if (!strcmp(k, "initial_cap")) {
            r = sc_get_u64(c, v, k, &x->initial_cap);
        } else {
            if ((r = sc_get_u64(c, v, k, &u)) == 0 && u > 1000000)
                r = sc_parse_at(c, v, "'%s' is too large (%llu)", k, (unsigned long long)u);
            if (!strcmp(k, "m"))
                x->m = (int)u;
            else if (!strcmp(k, "ef_construction"))
                x->ef_construction = (int)u;
            else if (!strcmp(k, "ef_runtime"))
                x->ef_runtime = (int)u;
            else
                x->block_size = (int)u;
        }
        if (r < 0)
            return -1;
    }
    s->create_index = true;
    return 0;
}

static int read_monitor(const sc_parse *c, const yd_node *v, sc_scenario *s)
{
    static const char *const mk[] = {"interval", NULL};
    int r;
    if (v->kind != YD_MAP)
        r = sc_parse_at(c, v, "'monitor' must be a map, e.g. {interval: 1s}");
    else if ((r = sc_check_keys(c, v, "monitor", mk)) == 0 && yd_map_get(v, "interval"))
        r = sc_get_duration(c, yd_map_get(v, "interval"), "interval", &s->interval_ms);
    if (r == 0 && s->interval_ms == 0)
        r = sc_parse_at(c, yd_map_get(v, "interval"), "'interval' must be more than 0");
    return r;
}

/* slice: I/N — loader I of N (util/vm_slice.h) */
static int read_slice(const sc_parse *c, const yd_node *v, sc_scenario *s)
{
    char *text = NULL;
    if (sc_get_str(c, v, "slice", &text) < 0)
        return -1;
    vm_err e = {0};
    int r = vm_slice_parse(text, &s->slice_i, &s->slice_n, &e);
    free(text);
    return r < 0 ? sc_parse_at(c, v, "%s", e.msg) : 0;
}

int sc_plan_build(const yd_node *root, const char *file, sc_scenario *s, vm_err *err)
{
    sc_parse c = {file, err};
    memset(s, 0, sizeof(*s));
    s->file = strdup(file);
    s->interval_ms = 1000;
    if (root->kind != YD_MAP)
        return sc_parse_at(&c, root, "a scenario is a map with name, dataset, index, steps");
    static const char *const keys[] = {"name",  "description", "dataset", "limit", "slice",
                                       "prefix", "field",      "index",   "monitor", "steps",
                                       NULL};
    if (sc_check_keys(&c, root, "the scenario", keys) < 0)
        return -1;
    for (size_t i = 0; i < root->n; i++) {
        const char *k = root->keys[i];
        const yd_node *v = root->items[i];
        int r = 0;
        if (!strcmp(k, "name"))
            r = sc_get_str(&c, v, k, &s->name);
        else if (!strcmp(k, "description"))
            r = sc_get_str(&c, v, k, &s->description);
        else if (!strcmp(k, "dataset"))
            r = sc_get_str(&c, v, k, &s->dataset);
        else if (!strcmp(k, "limit"))
            r = sc_get_u64(&c, v, k, &s->limit);
        else if (!strcmp(k, "slice"))
            r = read_slice(&c, v, s);
        else if (!strcmp(k, "prefix"))
            r = sc_get_str(&c, v, k, &s->prefix);
        else if (!strcmp(k, "field"))
            r = sc_get_str(&c, v, k, &s->field);
        else if (!strcmp(k, "index"))
            r = parse_index(&c, v, s);
        else if (!strcmp(k, "monitor"))
            r = read_monitor(&c, v, s);
        else if (!strcmp(k, "steps"))
            r = sc_plan_read_steps(&c, v, "steps", &s->steps, &s->nsteps);
        if (r < 0)
            return -1;
    }
    if (!s->name)
        return sc_parse_at(&c, root, "the scenario needs a 'name'");
    if (!s->dataset)
        return sc_parse_at(
            &c, root, "the scenario needs a 'dataset' (a folder or file; or --set dataset=PATH)");
    if (!s->steps || !s->nsteps)
        return sc_parse_at(&c, root, "the scenario needs 'steps' (a list)");
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
        free(s->restart_how);
        free(s->command);
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
    free((char *)s->index.text_field);
    memset(s, 0, sizeof(*s));
}

uint64_t sc_plan_leaf_count(const sc_step *steps, size_t n)
{
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        if (steps[i].def && (steps[i].def->flags & SC_STEP_UNROLLED))
            total += (uint64_t)steps[i].times *
                     sc_plan_leaf_count(steps[i].children, steps[i].nchildren);
        else
            total++; /* a parallel step is one leaf: it runs whole */
    }
    return total;
}
