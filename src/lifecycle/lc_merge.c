/* lc_merge: see lc_merge.h. */
#include "lc_merge.h"

#include <stdlib.h>
#include <string.h>

#define SAME_STR(f)                                                                                \
    if (strcmp(a->f, b->f))                                                                        \
        return vm_err_param(err, "state", VM_EINPUT,                                               \
                            "%s and %s are not parts of one run: " #f " '%s' and '%s'", a->dir,    \
                            b->dir, a->f, b->f);
#define SAME_NUM(f, fmt, cast)                                                                     \
    if (a->f != b->f)                                                                              \
        return vm_err_param(err, "state", VM_EINPUT,                                               \
                            "%s and %s are not parts of one run: " #f " " fmt " and " fmt, a->dir, \
                            b->dir, (cast)a->f, (cast)b->f);

/* Whether b describes the same run as a (all but the part and the bits). */
static int same_run(const lc_state *a, const lc_state *b, vm_err *err)
{
    SAME_NUM(live.n, "%llu", unsigned long long)
    SAME_NUM(dim, "%u", unsigned)
    SAME_STR(prefix)
    SAME_STR(field)
    SAME_STR(metric)
    SAME_STR(index)
    SAME_STR(tag_field)
    SAME_STR(numeric_field)
    SAME_STR(text_field)
    if (*a->text_field) {
        SAME_NUM(text.vocab, "%u", unsigned)
        SAME_NUM(text.words, "%u", unsigned)
        SAME_NUM(text.zipf_s, "%g", double)
        SAME_NUM(text.seed, "%llu", unsigned long long)
    }
    /* expanded copies are x + V_n with V_n from NormMax: one value for all */
    if (a->step > 0 && b->step > 0)
        SAME_NUM(norm_max, "%.17g", double)
    return 0;
}

static int by_part(const void *x, const void *y)
{
    const lc_state *a = x, *b = y;
    return (a->part_first > b->part_first) - (a->part_first < b->part_first);
}

/* Sorted by part: no overlap, no gap, no bit outside a part. */
static int check_parts(lc_state *st, int n, vm_err *err)
{
    qsort(st, (size_t)n, sizeof(*st), by_part);
    for (int i = 0; i < n; i++) {
        uint64_t stray = live_count_outside(&st[i].live, st[i].part_first, st[i].part_end);
        if (stray)
            return vm_err_param(err, "state", VM_EINPUT,
                                "%s holds %llu live vectors outside its part %llu..%llu: not a "
                                "loader's state",
                                st[i].dir, (unsigned long long)stray,
                                (unsigned long long)st[i].part_first,
                                (unsigned long long)st[i].part_end - 1);
        if (i == 0)
            continue;
        const lc_state *p = &st[i - 1], *c = &st[i];
        if (c->part_first < p->part_end)
            return vm_err_param(err, "state", VM_EINPUT,
                                "%s (ids %llu..%llu) and %s (ids %llu..%llu) overlap: each id "
                                "belongs to one loader",
                                p->dir, (unsigned long long)p->part_first,
                                (unsigned long long)p->part_end - 1, c->dir,
                                (unsigned long long)c->part_first,
                                (unsigned long long)c->part_end - 1);
        if (c->part_first > p->part_end)
            return vm_err_param(err, "state", VM_EINPUT,
                                "no state holds ids %llu..%llu (between %s and %s): merge the "
                                "loader that owns them too",
                                (unsigned long long)p->part_end,
                                (unsigned long long)c->part_first - 1, p->dir, c->dir);
    }
    return 0;
}

static int load_all(lc_state *st, const char *const *dirs, int n, vm_err *err)
{
    for (int i = 0; i < n; i++) {
        bool found = false;
        if (lc_state_load(&st[i], dirs[i], &found, err) < 0)
            return -1;
        if (!found)
            return vm_err_param(err, "state", VM_EINPUT,
                                "%s has no lifecycle state (prefill --state writes one)", dirs[i]);
        if (i > 0 && same_run(&st[0], &st[i], err) < 0)
            return -1;
    }
    return 0;
}

/* The merged state, from sorted, checked parts. */
static void join(lc_state *m, const lc_state *st, int n, const char *out, const char *dataset)
{
    const lc_state *a = &st[0];
    lc_state_init(m, out, dataset ? dataset : a->dataset, a->prefix, a->field, a->index,
                  a->metric, a->live.n, a->dim, 0, 0);
    free(m->tag_field), free(m->numeric_field), free(m->text_field);
    m->tag_field = strdup(a->tag_field);
    m->numeric_field = strdup(a->numeric_field);
    m->text_field = strdup(a->text_field);
    m->text = a->text;
    m->part_first = st[0].part_first;
    m->part_end = st[n - 1].part_end;
    live_ensure_copies(&m->live, 1);
    for (int i = 0; i < n; i++) {
        if (st[i].step > 0) {
            m->norm_max = st[i].norm_max;
            m->step = st[i].step;
        }
        m->inserted += st[i].inserted;
        /* the rounds the loaders drew (equal when they ran the same commands) */
        m->shrinks = st[i].shrinks > m->shrinks ? st[i].shrinks : m->shrinks;
        m->regrows = st[i].regrows > m->regrows ? st[i].regrows : m->regrows;
        m->deleted += st[i].deleted;
        live_or_range(&m->live, &st[i].live, st[i].part_first, st[i].part_end);
    }
}

int lc_state_merge(const char *out, const char *const *dirs, int ndirs, const char *dataset,
                   lc_merge_result *res, vm_err *err)
{
    memset(res, 0, sizeof(*res));
    if (ndirs < 1)
        return vm_err_param(err, "state", VM_EINPUT, "no state folders to merge");
    lc_state probe;
    bool found = false;
    if (lc_state_load(&probe, out, &found, err) < 0 || found) {
        if (found)
            lc_state_free(&probe);
        return found ? vm_err_param(err, "out", VM_EINPUT,
                                    "%s already holds a state: merge into a new folder", out)
                     : -1;
    }
    lc_state *st = calloc((size_t)ndirs, sizeof(*st));
    int rc = load_all(st, dirs, ndirs, err);
    if (rc == 0)
        rc = check_parts(st, ndirs, err);
    if (rc == 0) {
        lc_state m;
        join(&m, st, ndirs, out, dataset);
        rc = lc_state_save(&m, err);
        res->part_first = m.part_first;
        res->part_end = m.part_end;
        res->copies = m.live.copies;
        res->live = live_count(&m.live, LIVE_ALL_COPIES);
        lc_state_free(&m);
    }
    for (int i = 0; i < ndirs; i++)
        lc_state_free(&st[i]);
    free(st);
    return rc;
}
