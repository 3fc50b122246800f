/* lc_session: see lc_session.h. */
#include "lc_session.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../dataset/ds_set.h"

double lc_norm_max(const ds_vecfile *f, uint64_t n)
{
    float *row = malloc((size_t)f->dim * sizeof(float));
    double best = 0;
    for (uint64_t i = 0; i < n && i < f->n; i++) {
        ds_vecfile_row_f32(f, i, row);
        double s = 0;
        for (uint32_t j = 0; j < f->dim; j++)
            s += (double)row[j] * row[j];
        if (s > best)
            best = s;
    }
    free(row);
    return sqrt(best);
}

static int open_dataset(lc_session *s, const char *path, vm_err *err)
{
    if (ds_dataset_open(&s->ds, path, err) < 0)
        return -1;
    s->base = s->ds.base;
    return 0;
}

int lc_session_create(lc_session *s, const lc_create_conf *c, vm_err *err)
{
    memset(s, 0, sizeof(*s));
    char abs[PATH_MAX];
    const char *dpath = realpath(c->dataset, abs) ? abs : c->dataset;
    const char *metric = c->metric ? c->metric : "L2";
    bool found = false;
    if (c->state_dir && lc_state_load(&s->st, c->state_dir, &found, err) < 0)
        return -1;
    if (found) {
        if (strcmp(s->st.dataset, dpath) || strcmp(s->st.prefix, c->prefix) ||
            strcmp(s->st.field, c->field)) {
            vm_err_param(err, "state", VM_EINPUT,
                         "state folder %s holds dataset %s (prefix %s, field %s), not %s (prefix "
                         "%s, field %s): use another state folder",
                         c->state_dir, s->st.dataset, s->st.prefix, s->st.field, dpath, c->prefix,
                         c->field);
            lc_state_free(&s->st);
            return -1;
        }
        if (open_dataset(s, s->st.dataset, err) < 0) {
            lc_state_free(&s->st);
            return -1;
        }
    } else {
        /* the data's own metric (prepared manifest, HDF5 attribute) wins over
         * the index's: it decides whether expansion keeps recall exact */
        ds_set info;
        ds_set_spec spec = {.path = dpath};
        vm_err ignore = {0};
        double manifest_norm = 0;
        if (ds_set_open(&info, &spec, &ignore) == 0) {
            manifest_norm = info.norm_max;
            bool unnormalised_cosine = info.metric == DS_METRIC_COSINE && !info.normalized;
            if (info.metric != DS_METRIC_UNKNOWN)
                metric = info.metric == DS_METRIC_COSINE ? "COSINE"
                         : info.metric == DS_METRIC_IP   ? "IP"
                                                         : "L2";
            ds_set_close(&info);
            if (unnormalised_cosine)
                return vm_err_param(
                    err, "dataset", VM_EINPUT,
                    "dataset %s is angular (cosine) and not normalised: run "
                    "'valkey-memstress dataset prepare %s --normalize --out DIR' and "
                    "use DIR (exact recall and expansion need unit vectors under L2)",
                    dpath, dpath);
        }
        if (open_dataset(s, dpath, err) < 0)
            return -1;
        uint64_t n = c->limit && c->limit < s->ds.base.n ? c->limit : s->ds.base.n;
        /* NormMax over the whole file holds for any --limit too (it only
         * needs to bound the norms); 0 = not known yet (lc_session_need_plan) */
        double r = manifest_norm;
        xp_plan p = {0};
        if (r > 0)
            xp_plan_init(&p, r, s->ds.base.dim);
        lc_state_init(&s->st, c->state_dir ? c->state_dir : "", dpath, c->prefix, c->field,
                      c->index, metric, n, s->ds.base.dim, r, p.step);
        live_ensure_copies(&s->st.live, 1);
    }
    s->persist = c->state_dir != NULL;
    if (s->st.live.n > s->ds.base.n || s->st.dim != s->ds.base.dim) {
        vm_err_param(err, "state", VM_EINPUT,
                     "state folder %s: dataset %s no longer matches (%llu x %u)", s->st.dir,
                     s->st.dataset, (unsigned long long)s->ds.base.n, s->ds.base.dim);
        lc_session_close(s);
        return -1;
    }
    s->base.n = s->st.live.n;
    s->plan.norm_max = s->st.norm_max;
    s->plan.step = s->st.step;
    s->plan.dim = s->st.dim;
    return 0;
}

int lc_session_need_plan(lc_session *s, vm_err *err)
{
    if (s->st.step > 0)
        return 0;
    double r = lc_norm_max(&s->ds.base, s->ds.base.n);
    if (ds_has_query(&s->ds)) {
        double q = lc_norm_max(&s->ds.query, s->ds.query.n);
        if (q > r)
            r = q;
    }
    xp_plan_init(&s->plan, r, s->st.dim);
    s->st.norm_max = r;
    s->st.step = s->plan.step;
    return lc_session_save(s, err);
}

int lc_session_open(lc_session *s, const char *state_dir, vm_err *err)
{
    memset(s, 0, sizeof(*s));
    bool found = false;
    if (lc_state_load(&s->st, state_dir, &found, err) < 0)
        return -1;
    if (!found)
        return vm_err_param(err, "state", VM_EINPUT,
                            "state folder %s has no lifecycle state (a prefill writes one there)",
                            state_dir);
    lc_create_conf c = {.state_dir = state_dir, .dataset = s->st.dataset, .prefix = s->st.prefix,
                        .field = s->st.field, .index = s->st.index, .metric = s->st.metric};
    lc_state keep = s->st;
    memset(&s->st, 0, sizeof(s->st));
    /* reopen through create so the checks are the same */
    int rc = lc_session_create(s, &c, err);
    lc_state_free(&keep);
    return rc;
}

int lc_session_save(lc_session *s, vm_err *err)
{
    return s->persist ? lc_state_save(&s->st, err) : 0;
}

int lc_session_attrs(lc_session *s, wl_ingest *w, vm_err *err)
{
    w->tag_field = *s->st.tag_field ? s->st.tag_field : NULL;
    w->numeric_field = *s->st.numeric_field ? s->st.numeric_field : NULL;
    w->text_field = NULL;
    w->text = NULL;
    if (!*s->st.text_field)
        return 0;
    if (!s->have_text) {
        if (ds_text_init(&s->text, &s->st.text, err) < 0)
            return -1;
        s->have_text = true;
    }
    w->text_field = s->st.text_field;
    w->text = &s->text;
    return 0;
}

void lc_session_close(lc_session *s)
{
    if (s->have_text)
        ds_text_free(&s->text);
    s->have_text = false;
    ds_dataset_close(&s->ds);
    lc_state_free(&s->st);
}
