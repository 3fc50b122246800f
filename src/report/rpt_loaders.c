/* rpt_loaders: see rpt_loaders.h. */
#include "rpt_loaders.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "../util/strbuf.h"

static char *str_of(json_object *o, const char *key)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return strdup(json_object_get_string(v));
}

static double num_of(json_object *o, const char *key)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) ||
        !(json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double)))
        return 0;
    return json_object_get_double(v);
}

static bool inserts(const char *phase)
{
    return !strcmp(phase, "prefill") || !strcmp(phase, "expand") || !strcmp(phase, "regrow");
}

static void add_phase(rpt_loader *l, json_object *ph)
{
    json_object *nm;
    const char *name = json_object_object_get_ex(ph, "phase", &nm) ? json_object_get_string(nm) : "";
    double vectors = num_of(ph, "vectors");
    l->operations += num_of(ph, "operations");
    l->errors += num_of(ph, "errors");
    if (inserts(name)) {
        l->vectors += vectors;
        l->load_seconds += num_of(ph, "seconds");
    } else if (!strcmp(name, "shrink")) {
        l->deleted += vectors;
    }
}

static int load_one(rpt_loader *l, const char *dir, vm_err *err)
{
    strbuf p = STRBUF_INIT;
    sb_addf(&p, "%s/summary.json", dir);
    json_object *root = json_object_from_file(p.buf);
    sb_release(&p);
    if (!root || !json_object_is_type(root, json_type_object)) {
        json_object_put(root);
        return vm_err_param(err, "loader", VM_EINPUT,
                            "%s has no readable summary.json (a loader's run folder: run ... "
                            "--set slice=I/N --no-monitor --out DIR)",
                            dir);
    }
    l->dir = strdup(dir);
    l->run_id = str_of(root, "run_id");
    l->slice = str_of(root, "slice");
    l->started = str_of(root, "started");
    l->finished = str_of(root, "finished");
    l->seconds = num_of(root, "seconds");
    json_object *phases;
    if (json_object_object_get_ex(root, "phases", &phases) &&
        json_object_is_type(phases, json_type_array))
        for (size_t i = 0; i < json_object_array_length(phases); i++)
            add_phase(l, json_object_array_get_idx(phases, i));
    json_object_put(root);
    return 0;
}

int rpt_loaders_load(rpt_loaders *l, char *const *dirs, size_t n, vm_err *err)
{
    l->v = calloc(n ? n : 1, sizeof(*l->v));
    l->n = 0;
    if (!l->v)
        abort();
    for (size_t i = 0; i < n; i++) {
        if (load_one(&l->v[i], dirs[i], err) < 0)
            return -1;
        l->n++;
    }
    return 0;
}

void rpt_loaders_free(rpt_loaders *l)
{
    for (size_t i = 0; i < l->n; i++) {
        rpt_loader *x = &l->v[i];
        free(x->dir), free(x->run_id), free(x->slice), free(x->started), free(x->finished);
    }
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

void rpt_loaders_total(const rpt_loaders *l, double *vectors, double *rate)
{
    *vectors = *rate = 0;
    for (size_t i = 0; i < l->n; i++) {
        *vectors += l->v[i].vectors;
        if (l->v[i].load_seconds > 0)
            *rate += l->v[i].vectors / l->v[i].load_seconds;
    }
}

void rpt_loaders_section(rpt_doc *d, const rpt_loaders *l)
{
    rpt_doc_h2(d, "loaders", "Loaders");
    rpt_doc_para(d, NULL,
                 "The run was loaded by %zu loaders (--slice I/N), each writing its part of every "
                 "copy's ids, while this folder's monitor sampled the servers.",
                 l->n);
    static const char *head[] = {"loader", "slice",   "run",    "inserted", "deleted",
                                 "errors", "seconds", "inserted/s"};
    rpt_tbl t;
    rpt_tbl_init(&t, 8, head);
    double del = 0, errs = 0;
    for (size_t i = 0; i < l->n; i++) {
        const rpt_loader *x = &l->v[i];
        rpt_tbl_cell(&t, "%s", x->dir);
        rpt_tbl_cell(&t, "%s", x->slice ? x->slice : "whole");
        rpt_tbl_cell(&t, "%s", x->run_id ? x->run_id : "?");
        rpt_tbl_count(&t, x->vectors);
        rpt_tbl_count(&t, x->deleted);
        rpt_tbl_count(&t, x->errors);
        rpt_tbl_cell(&t, "%.1f", x->seconds);
        rpt_tbl_count(&t, x->load_seconds > 0 ? x->vectors / x->load_seconds : 0);
        del += x->deleted;
        errs += x->errors;
    }
    double vectors, rate;
    rpt_loaders_total(l, &vectors, &rate);
    rpt_tbl_cell(&t, "all %zu", l->n);
    rpt_tbl_cell(&t, "%s", "");
    rpt_tbl_cell(&t, "%s", "");
    rpt_tbl_count(&t, vectors);
    rpt_tbl_count(&t, del);
    rpt_tbl_count(&t, errs);
    rpt_tbl_cell(&t, "%s", "");
    rpt_tbl_count(&t, rate);
    rpt_tbl_emit(d, &t);
}
