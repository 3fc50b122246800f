/* lc_session: see lc_session.h. */
#include "lc_session.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../dataset/ds_set.h"
#include "../util/vm_slice.h"

double lc_norm_max(const ds_vecfile *f, uint64_t n)
{
    float *row = malloc((size_t)f->dim * sizeof(float));
    double best = 0;
    uint64_t end = n < f->row_hi ? n : f->row_hi;
    for (uint64_t i = f->row_lo; i < end; i++) {
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
        if (!ds_vecfile_whole(&s->ds.base))
            manifest_norm = 0; /* a part's own figure, not the whole set's */
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
    s->resumed = found;
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

/* NormMax over the rows present and the queries. */
static double data_norm_max(const lc_session *s)
{
    double r = lc_norm_max(&s->ds.base, s->ds.base.n);
    if (ds_has_query(&s->ds)) {
        double q = lc_norm_max(&s->ds.query, s->ds.query.n);
        r = q > r ? q : r;
    }
    return r;
}

int lc_session_need_plan(lc_session *s, vm_err *err)
{
    if (s->st.step > 0)
        return 0;
    if (!ds_vecfile_whole(&s->ds.base))
        return vm_err_param(
            err, "norm_max", VM_EINPUT,
            "expansion needs the NormMax of the whole dataset, and %s holds ids %llu..%llu of "
            "%llu only: give the whole set's (the prepared manifest's norm_max, or `dataset info` "
            "on the whole set) to prefill, the same on every loader",
            s->ds.base.path, (unsigned long long)s->ds.base.row_lo,
            (unsigned long long)s->ds.base.row_hi - 1, (unsigned long long)s->ds.base.n);
    double r = data_norm_max(s);
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

int lc_session_set_norm_max(lc_session *s, double norm_max, vm_err *err)
{
    if (!(norm_max > 0 && isfinite(norm_max)))
        return vm_err_param(err, "norm_max", VM_EINPUT, "NormMax %g is not a positive number",
                            norm_max);
    /* a new state's figure is the dataset manifest's, which this one replaces */
    if (s->resumed && s->st.step > 0 && s->st.norm_max != norm_max)
        return vm_err_param(err, "norm_max", VM_EINPUT,
                            "state folder %s expands with NormMax %.17g, not %.17g: use another "
                            "state folder",
                            s->st.dir, s->st.norm_max, norm_max);
    /* it must bound the rows this loader has and the queries */
    double r = data_norm_max(s);
    if (r > norm_max)
        return vm_err_param(err, "norm_max", VM_EINPUT,
                            "NormMax %.17g is below a norm of the data (%.17g): expanded copies "
                            "would no longer keep ground truth exact",
                            norm_max, r);
    xp_plan_init(&s->plan, norm_max, s->st.dim);
    s->st.norm_max = norm_max;
    s->st.step = s->plan.step;
    return 0;
}

int lc_session_slice(lc_session *s, uint32_t i, uint32_t n, vm_err *err)
{
    uint64_t lo = s->st.part_first, hi = s->st.part_end;
    if (n) {
        vm_slice_range(s->st.live.n, i, n, &lo, &hi);
        if (lo < s->st.part_first || hi > s->st.part_end)
            return vm_err_param(err, "slice", VM_EINPUT,
                                "slice %u/%u is ids %llu..%llu, and state folder %s holds ids "
                                "%llu..%llu only (slice %u/%u): give each loader its own state",
                                i, n, (unsigned long long)lo, (unsigned long long)hi - 1,
                                s->st.dir, (unsigned long long)s->st.part_first,
                                (unsigned long long)s->st.part_end - 1, s->st.slice_i,
                                s->st.slice_n);
        if (lo != s->st.part_first || hi != s->st.part_end) {
            /* a whole (or wider) state narrowed: it vouches for this part only */
            live_keep_range(&s->st.live, lo, hi);
            s->st.part_first = lo;
            s->st.part_end = hi;
        }
        s->st.slice_i = i;
        s->st.slice_n = n;
    }
    return 0;
}

int lc_session_need_rows(const lc_session *s, vm_err *err)
{
    const ds_vecfile *b = &s->ds.base;
    if (s->st.part_first >= b->row_lo && s->st.part_end <= b->row_hi)
        return 0;
    return vm_err_param(err, "slice", VM_EINPUT,
                        "%s holds ids %llu..%llu only, and this loader writes ids %llu..%llu: "
                        "give it its slice (--slice I/N) or fetch its rows (dataset download "
                        "--slice I/N)",
                        b->path, (unsigned long long)b->row_lo, (unsigned long long)b->row_hi - 1,
                        (unsigned long long)s->st.part_first,
                        (unsigned long long)s->st.part_end - 1);
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
