/* rpt_run: see rpt_run.h.  summary.json is read with json-c (a Debian
 * library) and walked generically: the report shows whatever the run wrote,
 * so a richer summary from a newer monitor needs no change here. */
#include "rpt_run.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "../dataset/ds_dataset.h"
#include "../util/vm_grow.h"
#include "../util/yaml_doc.h"

enum { MAX_KV = 400, MAX_DEPTH = 4, MAX_ARRAY = 24 };

void rpt_run_note(rpt_run *r, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    sv_push(&r->notes, buf);
}

static void kv_add(rpt_kvlist *l, const char *key, const char *value)
{
    if (l->n >= MAX_KV)
        return;
    VM_GROW(l->v, l->n + 1, l->cap);
    l->v[l->n].key = strdup(key);
    l->v[l->n].value = strdup(value);
    l->n++;
}

static void kv_free(rpt_kvlist *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].key);
        free(l->v[i].value);
    }
    free(l->v);
    memset(l, 0, sizeof(*l));
}

bool rpt_key_is_secret(const char *key)
{
    static const char *words[] = {"pass",       "secret", "token",   "auth",
                                  "credential", "apikey", "api_key", NULL};
    char low[256];
    size_t i = 0;
    for (; key[i] && i < sizeof(low) - 1; i++)
        low[i] = (char)tolower((unsigned char)key[i]);
    low[i] = 0;
    for (const char **w = words; *w; w++)
        if (strstr(low, *w) && !strstr(low, "author"))
            return true;
    return false;
}

void rpt_redact_url(char *v)
{
    /* scheme://user:pass@host -> scheme://host, wherever it occurs */
    char *p = v;
    while ((p = strstr(p, "://"))) {
        char *auth = p + 3;
        char *end = auth + strcspn(auth, "/ ?#,;\"");
        char *at = NULL;
        for (char *q = auth; q < end; q++)
            if (*q == '@')
                at = q;
        if (at)
            memmove(auth, at + 1, strlen(at + 1) + 1);
        p = auth;
    }
}

static void scalar_text(json_object *o, char *buf, size_t cap)
{
    switch (json_object_get_type(o)) {
    case json_type_null:
        snprintf(buf, cap, "null");
        break;
    case json_type_boolean:
        snprintf(buf, cap, "%s", json_object_get_boolean(o) ? "true" : "false");
        break;
    case json_type_double:
        snprintf(buf, cap, "%.6g", json_object_get_double(o));
        break;
    case json_type_int:
        snprintf(buf, cap, "%lld", (long long)json_object_get_int64(o));
        break;
    default:
        snprintf(buf, cap, "%s", json_object_get_string(o));
        break;
    }
}

static bool is_scalar(json_object *o)
{
    json_type t = json_object_get_type(o);
    return t != json_type_object && t != json_type_array;
}

static void flatten(rpt_kvlist *out, const char *key, json_object *o, int depth, bool secret)
{
    char val[1024];
    secret = secret || rpt_key_is_secret(key);
    if (is_scalar(o)) {
        if (secret && json_object_get_type(o) != json_type_null) {
            kv_add(out, key, "(redacted)");
            return;
        }
        scalar_text(o, val, sizeof(val));
        rpt_redact_url(val);
        kv_add(out, key, val);
        return;
    }
    if (depth >= MAX_DEPTH) {
        kv_add(out, key, "(nested)");
        return;
    }
    char child[512];
    if (json_object_get_type(o) == json_type_array) {
        size_t n = json_object_array_length(o);
        bool scalars = n <= MAX_ARRAY;
        for (size_t i = 0; i < n && scalars; i++)
            scalars = is_scalar(json_object_array_get_idx(o, i));
        if (scalars && !secret) { /* a short list of scalars on one line */
            strbuf sb = STRBUF_INIT;
            for (size_t i = 0; i < n; i++) {
                scalar_text(json_object_array_get_idx(o, i), val, sizeof(val));
                sb_addf(&sb, "%s%s", i ? ", " : "", val);
            }
            rpt_redact_url(sb.buf ? sb.buf : val);
            kv_add(out, key, sb.buf ? sb.buf : "");
            sb_release(&sb);
            return;
        }
        for (size_t i = 0; i < n && i < MAX_ARRAY; i++) {
            snprintf(child, sizeof(child), "%s[%zu]", key, i);
            flatten(out, child, json_object_array_get_idx(o, i), depth + 1, secret);
        }
        return;
    }
    json_object_object_foreach(o, k, v)
    {
        snprintf(child, sizeof(child), "%s%s%s", key, *key ? "." : "", k);
        flatten(out, child, v, depth + 1, secret);
    }
}

static bool is_env_key(const char *k)
{
    static const char *keys[] = {"environment", "env",    "server", "servers", "node_info",
                                 "modules",     "module", "config", "configs", "index",
                                 "indexes",     "host",   "tool",   "system",  "versions",
                                 "version",     "valkey", "search", "cluster", NULL};
    for (const char **p = keys; *p; p++)
        if (!strcasecmp(k, *p))
            return true;
    return false;
}

static json_object *get_ci(json_object *o, const char *const *names)
{
    if (!o || json_object_get_type(o) != json_type_object)
        return NULL;
    for (const char *const *n = names; *n; n++) {
        json_object_object_foreach(o, k, v)
        {
            if (!strcasecmp(k, *n))
                return v;
        }
    }
    return NULL;
}

static bool get_num(json_object *o, const char *const *names, double *out)
{
    json_object *v = get_ci(o, names);
    if (!v)
        return false;
    json_type t = json_object_get_type(v);
    if (t == json_type_int || t == json_type_double) {
        *out = json_object_get_double(v);
        return true;
    }
    if (t == json_type_string) {
        char *end;
        double d = strtod(json_object_get_string(v), &end);
        if (end != json_object_get_string(v) && !*end) {
            *out = d;
            return true;
        }
    }
    return false;
}

/* The object describing the index: "index", scenario.index, config.index,
 * indexes[0], or any object near the top holding an "algorithm". */
static json_object *find_index(json_object *root, int depth)
{
    static const char *idx[] = {"index", NULL};
    static const char *idxs[] = {"indexes", NULL};
    json_object *o = get_ci(root, idx);
    if (o && json_object_get_type(o) == json_type_object)
        return o;
    o = get_ci(root, idxs);
    if (o && json_object_get_type(o) == json_type_array && json_object_array_length(o) > 0)
        return json_object_array_get_idx(o, 0);
    if (get_ci(root, (const char *[]){"algorithm", NULL}) && depth > 0)
        return root;
    if (depth >= 2 || json_object_get_type(root) != json_type_object)
        return NULL;
    json_object_object_foreach(root, k, v)
    {
        (void)k;
        if (json_object_get_type(v) == json_type_object) {
            json_object *f = find_index(v, depth + 1);
            if (f)
                return f;
        }
    }
    return NULL;
}

/* The model follows the layout of the module the run measured
 * (summary.json's server.search_module, "1.2.1"); without one, the
 * default (the current line). */
static void read_release(rpt_run *r, json_object *root)
{
    json_object *srv = get_ci(root, (const char *[]){"server", NULL});
    json_object *mod = srv && json_object_get_type(srv) == json_type_object
                           ? get_ci(srv, (const char *[]){"search_module", NULL})
                           : NULL;
    vm_err e = {0};
    if (mod && json_object_get_type(mod) == json_type_string &&
        mdl_parse_release(json_object_get_string(mod), &r->model.release, &e) == 0)
        snprintf(r->model_release_source, sizeof(r->model_release_source),
                 "the server's valkey-search %s", json_object_get_string(mod));
}

static void read_index(rpt_run *r, json_object *root)
{
    mdl_params_defaults(&r->model);
    json_object *ix = find_index(root, 0);
    double v;
    if (ix) {
        json_object *alg = get_ci(ix, (const char *[]){"algorithm", "algo", NULL});
        json_object *algo_obj = NULL;
        if (alg && json_object_get_type(alg) == json_type_object) {
            algo_obj = alg;
            alg = get_ci(alg, (const char *[]){"name", NULL});
        }
        if (alg && json_object_get_type(alg) == json_type_string) {
            vm_err e = {0};
            mdl_algo a;
            if (mdl_parse_algo(json_object_get_string(alg), &a, &e) == 0) {
                r->model.algo = a;
                r->model.block_size = mdl_default_block(a);
                r->have_index = true;
            }
        }
        if (get_num(ix, (const char *[]){"dim", "dims", "dimension", "dimensions", NULL}, &v) &&
            v > 0)
            r->model.dim = (uint32_t)v;
        if ((get_num(ix, (const char *[]){"m", NULL}, &v) ||
             get_num(algo_obj, (const char *[]){"m", NULL}, &v)) &&
            v >= 2)
            r->model.m = (uint32_t)v;
        if (get_num(ix, (const char *[]){"initial_cap", "initial_capacity", NULL}, &v) && v > 0)
            r->model.initial_cap = (uint64_t)v;
        if (get_num(ix, (const char *[]){"block_size", NULL}, &v) && v > 0)
            r->model.block_size = (uint64_t)v;
        snprintf(r->model_source, sizeof(r->model_source), "summary.json index");
        json_object *pre = get_ci(ix, (const char *[]){"prefix", "key_prefix", "prefixes", NULL});
        if (pre && json_object_get_type(pre) == json_type_array && json_object_array_length(pre))
            pre = json_object_array_get_idx(pre, 0);
        if (pre && json_object_get_type(pre) == json_type_string)
            snprintf(r->key_prefix, sizeof(r->key_prefix), "%s", json_object_get_string(pre));
    }
    read_release(r, root);
    /* the dimension from the dataset when the index does not say */
    json_object *ds = get_ci(root, (const char *[]){"dataset", NULL});
    if (r->model.dim == 0 && ds) {
        if (json_object_get_type(ds) == json_type_object &&
            get_num(ds, (const char *[]){"dim", "dims", "dimension", NULL}, &v) && v > 0)
            r->model.dim = (uint32_t)v;
        json_object *path = json_object_get_type(ds) == json_type_string
                                ? ds
                                : get_ci(ds, (const char *[]){"path", NULL});
        if (r->model.dim == 0 && path && json_object_get_type(path) == json_type_string) {
            ds_dataset d;
            vm_err e = {0};
            if (ds_dataset_open(&d, json_object_get_string(path), &e) == 0) {
                r->model.dim = d.base.dim;
                ds_dataset_close(&d);
                if (!ix)
                    snprintf(r->model_source, sizeof(r->model_source), "dataset %s",
                             json_object_get_string(path));
            }
        }
    }
}

static void read_summary(rpt_run *r, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        rpt_run_note(r, "no summary.json: the run is still going or did not finish; the "
                        "report is built from the CSV alone");
        mdl_params_defaults(&r->model);
        return;
    }
    json_object *root = json_object_from_file(path);
    if (!root || json_object_get_type(root) != json_type_object) {
        rpt_run_note(r, "summary.json does not parse (%s); the report is built from the CSV alone",
                     root ? "not an object" : json_util_get_last_err());
        json_object_put(root);
        mdl_params_defaults(&r->model);
        return;
    }
    r->have_summary = true;
    json_object_object_foreach(root, k, v)
    {
        bool window = !strcasecmp(k, "windows");
        if ((window || !strcasecmp(k, "phases")) && json_object_get_type(v) == json_type_array) {
            size_t n = json_object_array_length(v);
            r->phases = vm_xrealloc_array(r->phases, r->nphases + n + 1, sizeof(*r->phases));
            for (size_t i = 0; i < n; i++) {
                json_object *ph = json_object_array_get_idx(v, i);
                json_object *nm = get_ci(ph, (const char *[]){"phase", "name", NULL});
                rpt_phase_info *pi = &r->phases[r->nphases++];
                memset(pi, 0, sizeof(*pi));
                pi->window = window;
                char name[128];
                if (nm && is_scalar(nm))
                    scalar_text(nm, name, sizeof(name));
                else
                    snprintf(name, sizeof(name), "phase %zu", i + 1);
                pi->name = strdup(name);
                if (json_object_get_type(ph) != json_type_object)
                    continue;
                json_object_object_foreach(ph, pk, pv)
                {
                    if (strcasecmp(pk, "phase") && strcasecmp(pk, "name"))
                        flatten(&pi->kv, pk, pv, 1, false);
                }
            }
        } else if (!strcasecmp(k, "nodes")) {
            flatten(&r->node_summary, "", v, 0, false);
        } else if (is_env_key(k)) {
            flatten(&r->env, k, v, 0, false);
        } else {
            flatten(&r->scenario, k, v, 0, false);
        }
    }
    read_index(r, root);
    json_object_put(root);
}

static double last_value(const rpt_node *n, const char *metric)
{
    const rpt_series *s = rpt_node_series(n, metric);
    return s && s->n ? s->v[s->n - 1] : -1;
}

/* What the samples themselves say about the servers: the environment when
 * summary.json records none. */
static void read_sampled(rpt_run *r)
{
    char key[300], val[160];
    for (size_t i = 0; i < r->data.nnodes; i++) {
        const rpt_node *n = &r->data.nodes[i];
        if (n->role) {
            snprintf(key, sizeof(key), "%s role", n->name);
            kv_add(&r->sampled, key, n->role);
        }
        double mm = last_value(n, "maxmemory"), tm = last_value(n, "total_system_memory");
        if (mm >= 0) {
            snprintf(key, sizeof(key), "%s maxmemory", n->name);
            snprintf(val, sizeof(val), mm == 0 ? "0 (no limit)" : "%.0f bytes", mm);
            kv_add(&r->sampled, key, val);
        }
        if (tm > 0) {
            snprintf(key, sizeof(key), "%s total_system_memory", n->name);
            snprintf(val, sizeof(val), "%.0f bytes (%.1f GiB)", tm, tm / 1073741824.0);
            kv_add(&r->sampled, key, val);
        }
        snprintf(key, sizeof(key), "%s search module", n->name);
        double idx = last_value(n, "search_number_of_indexes");
        if (rpt_node_series(n, "search_used_memory_bytes")) {
            if (idx >= 0)
                snprintf(val, sizeof(val), "loaded (INFO SEARCH sampled), %.0f index(es)", idx);
            else
                snprintf(val, sizeof(val), "loaded (INFO SEARCH sampled)");
        } else {
            snprintf(val, sizeof(val), "no search_used_memory_bytes in the samples");
        }
        kv_add(&r->sampled, key, val);
        snprintf(key, sizeof(key), "%s allocator statistics", n->name);
        kv_add(&r->sampled, key,
               rpt_node_series(n, "allocator_active") ? "jemalloc (allocator_* / MALLOC-STATS)"
                                                      : "none sampled");
    }
}

/* dim of a dataset folder or file, 0 when it cannot be opened */
static uint32_t dataset_dim(const char *path)
{
    ds_dataset d;
    vm_err e = {0};
    if (ds_dataset_open(&d, path, &e) < 0)
        return 0;
    uint32_t dim = d.base.dim;
    ds_dataset_close(&d);
    return dim;
}

static const char *yaml_str(const yd_node *map, const char *key)
{
    const yd_node *v = yd_map_get(map, key);
    return v && v->kind == YD_SCALAR ? v->value : NULL;
}

/* The scenario the run executed (scenario.yaml in the run folder): its
 * settings for the Scenario table, its step list, and the index parameters
 * when summary.json did not give them. */
static void read_scenario_yaml(rpt_run *r, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return;
    yd_node *root = NULL;
    vm_err e = {0};
    if (yd_load(path, "scenario", &root, &e) < 0 || !root || root->kind != YD_MAP) {
        rpt_run_note(r, "scenario.yaml not read: %s", e.msg[0] ? e.msg : "not a map");
        yd_free(root);
        return;
    }
    char key[256], val[1024];
    for (size_t i = 0; i < root->n; i++) {
        const yd_node *v = root->items[i];
        if (!strcmp(root->keys[i], "steps") && v->kind == YD_SEQ) {
            strbuf sb = STRBUF_INIT;
            for (size_t j = 0; j < v->n; j++) {
                const yd_node *s = v->items[j];
                if (s->kind == YD_MAP && s->n)
                    sb_addf(&sb, "%s%s", j ? ", " : "", s->keys[0]);
            }
            kv_add(&r->scenario, "scenario.yaml steps", sb.buf ? sb.buf : "");
            sb_release(&sb);
        } else if (v->kind == YD_SCALAR) {
            snprintf(key, sizeof(key), "scenario.yaml %s", root->keys[i]);
            snprintf(val, sizeof(val), "%s",
                     rpt_key_is_secret(root->keys[i]) ? "(redacted)" : v->value);
            rpt_redact_url(val);
            kv_add(&r->scenario, key, val);
        } else if (v->kind == YD_MAP) {
            for (size_t j = 0; j < v->n; j++) {
                if (v->items[j]->kind != YD_SCALAR)
                    continue;
                snprintf(key, sizeof(key), "scenario.yaml %s.%s", root->keys[i], v->keys[j]);
                snprintf(val, sizeof(val), "%s",
                         rpt_key_is_secret(v->keys[j]) ? "(redacted)" : v->items[j]->value);
                rpt_redact_url(val);
                kv_add(&r->scenario, key, val);
            }
        }
    }
    const yd_node *ix = yd_map_get(root, "index");
    if (!r->have_index && ix && ix->kind == YD_MAP) {
        const char *s;
        mdl_algo a;
        if ((s = yaml_str(ix, "algorithm")) && mdl_parse_algo(s, &a, &e) == 0) {
            r->model.algo = a;
            r->model.block_size = mdl_default_block(a);
            r->have_index = true;
            snprintf(r->model_source, sizeof(r->model_source), "scenario.yaml index");
        }
        if ((s = yaml_str(ix, "m")) && atoi(s) >= 2)
            r->model.m = (uint32_t)atoi(s);
        if ((s = yaml_str(ix, "dim")) && atoi(s) > 0)
            r->model.dim = (uint32_t)atoi(s);
        if ((s = yaml_str(ix, "initial_cap")) && atoll(s) > 0)
            r->model.initial_cap = (uint64_t)atoll(s);
        if ((s = yaml_str(ix, "block_size")) && atoll(s) > 0)
            r->model.block_size = (uint64_t)atoll(s);
        if ((s = yaml_str(ix, "prefix")))
            snprintf(r->key_prefix, sizeof(r->key_prefix), "%s", s);
    }
    const char *ds = yaml_str(root, "dataset");
    if (r->model.dim == 0 && ds)
        r->model.dim = dataset_dim(ds);
    yd_free(root);
}

static int cmp_csv(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    /* memory.csv first: it carries the phase labels */
    int mx = !strcmp(x, "memory.csv"), my = !strcmp(y, "memory.csv");
    if (mx != my)
        return my - mx;
    return strcmp(x, y);
}

int rpt_run_load(rpt_run *r, const char *dir, vm_err *err)
{
    memset(r, 0, sizeof(*r));
    r->dir = strdup(dir);
    snprintf(r->key_prefix, sizeof(r->key_prefix), "vec:"); /* run / prefill default */
    rpt_data_init(&r->data);
    DIR *dp = opendir(dir);
    if (!dp)
        return vm_err_set(err, VM_EIO, "%s: %s", dir, strerror(errno));
    strvec names = STRVEC_INIT;
    struct dirent *de;
    while ((de = readdir(dp))) {
        size_t len = strlen(de->d_name);
        /* memory.units.csv documents the columns; it holds no samples */
        if (len > 4 && !strcmp(de->d_name + len - 4, ".csv") &&
            !(len > 10 && !strcmp(de->d_name + len - 10, ".units.csv")))
            sv_push(&names, de->d_name);
    }
    closedir(dp);
    if (names.n)
        qsort(names.v, names.n, sizeof(char *), cmp_csv);
    strbuf path = STRBUF_INIT;
    for (size_t i = 0; i < names.n; i++) {
        sb_reset(&path);
        sb_addf(&path, "%s/%s", dir, names.v[i]);
        vm_err e = {0};
        if (rpt_data_read_csv(&r->data, path.buf, &e) < 0)
            rpt_run_note(r, "%s not used: %s", names.v[i], e.msg);
    }
    sv_clear(&names);
    rpt_data_finish(&r->data);
    if (r->data.rows == 0) {
        sb_release(&path);
        return vm_err_set(err, VM_EINPUT, "%s: no samples in any CSV file (is it a run folder?)",
                          dir);
    }
    if (r->data.partial_tail)
        rpt_run_note(r, "a CSV ends mid-line: the run is still writing it, or was killed; the "
                        "partial line was left out");
    if (r->data.bad_rows)
        rpt_run_note(r, "%ld CSV row(s) did not parse and were left out", r->data.bad_rows);
    read_sampled(r);
    sb_reset(&path);
    sb_addf(&path, "%s/summary.json", dir);
    read_summary(r, path.buf);
    sb_reset(&path);
    sb_addf(&path, "%s/scenario.yaml", dir);
    read_scenario_yaml(r, path.buf);
    sb_release(&path);
    return 0;
}

void rpt_run_free(rpt_run *r)
{
    rpt_data_free(&r->data);
    kv_free(&r->scenario);
    kv_free(&r->env);
    kv_free(&r->sampled);
    kv_free(&r->node_summary);
    for (size_t i = 0; i < r->nphases; i++) {
        free(r->phases[i].name);
        kv_free(&r->phases[i].kv);
    }
    free(r->phases);
    sv_clear(&r->notes);
    free(r->dir);
    memset(r, 0, sizeof(*r));
}

const char *rpt_phase_value(const rpt_run *r, int info, const char *key)
{
    if (info < 0 || (size_t)info >= r->nphases)
        return NULL;
    const rpt_kvlist *kv = &r->phases[info].kv;
    for (size_t i = 0; i < kv->n; i++)
        if (!strcmp(kv->v[i].key, key))
            return strcmp(kv->v[i].value, "null") ? kv->v[i].value : NULL;
    return NULL;
}

const char *rpt_kv_get(const rpt_kvlist *kv, const char *key)
{
    for (size_t i = 0; i < kv->n; i++)
        if (!strcmp(kv->v[i].key, key))
            return kv->v[i].value;
    return NULL;
}
