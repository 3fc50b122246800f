/* ds_parquet: the parquet vector source — one or more files read as one
 * sequence of rows (ds_src.h): the list column of each row through the
 * column reader, its id from an `id` column when there is one, and a seek
 * that reopens the row group holding the row.  Why hand-written and what
 * is supported: ds_parquet.h; how the reader is split: ds_parquet_int.h. */
#include <stdlib.h>
#include <string.h>

#include "ds_parquet_int.h"

typedef struct pq_impl {
    pq_file *files;
    size_t nfiles;
    int *vleaf, *ileaf; /* per file: vector column, id column (-1 none) */
    size_t fi;          /* current file */
    uint32_t rg;        /* current row group */
    int64_t rg_left;    /* rows left in it */
    bool open;
    pq_col vc, ic;
    uint64_t next_row;
    float *skip; /* scratch for skipped rows */
} pq_impl;

static void pq_close_cols(pq_impl *p)
{
    if (p->open) {
        pq_col_close(&p->vc);
        pq_col_close(&p->ic);
        p->open = false;
    }
}

static int pq_open_rg(ds_src *s, vm_err *err)
{
    pq_impl *p = s->impl;
    pq_close_cols(p);
    pq_file *f = &p->files[p->fi];
    if (pq_col_open(&p->vc, f, (uint32_t)p->vleaf[p->fi], p->rg, err) < 0)
        return -1;
    if (p->ileaf[p->fi] >= 0 && pq_col_open(&p->ic, f, (uint32_t)p->ileaf[p->fi], p->rg, err) < 0) {
        pq_col_close(&p->vc);
        return -1;
    }
    p->open = true;
    p->rg_left = f->meta.rg_rows[p->rg];
    return 0;
}

/* Position at global row `row` (reopening from the containing row group). */
static int pq_seek(ds_src *s, uint64_t row, vm_err *err)
{
    pq_impl *p = s->impl;
    uint64_t base = 0;
    for (size_t fi = 0; fi < p->nfiles; fi++)
        for (uint32_t rg = 0; rg < p->files[fi].meta.nrg; rg++) {
            uint64_t r = (uint64_t)p->files[fi].meta.rg_rows[rg];
            if (row < base + r) {
                p->fi = fi;
                p->rg = rg;
                if (pq_open_rg(s, err) < 0)
                    return -1;
                p->next_row = base;
                return 0;
            }
            base += r;
        }
    return vm_err_set(err, VM_EINTERNAL, "%s: row %llu past the end", s->desc,
                      (unsigned long long)row);
}

static int pq_next_rg(ds_src *s, vm_err *err)
{
    pq_impl *p = s->impl;
    do {
        if (++p->rg >= p->files[p->fi].meta.nrg) {
            p->rg = 0;
            if (++p->fi >= p->nfiles)
                return vm_err_set(err, VM_EINTERNAL, "%s: read past the last row", s->desc);
        }
    } while (p->files[p->fi].meta.rg_rows[p->rg] == 0);
    return pq_open_rg(s, err);
}

static int pq_read_row(ds_src *s, ds_elem want, void *out, int64_t *id, vm_err *err)
{
    pq_impl *p = s->impl;
    if (!p->open || p->rg_left == 0)
        if (pq_next_rg(s, err) < 0)
            return -1;
    uint32_t got;
    if (pq_col_row(&p->vc, want, out, s->dim, &got, err) < 0)
        return -1;
    if (got != s->dim)
        return vm_err_set(err, VM_EINPUT, "%s: row %llu has %u values, row 0 has %u%s",
                          p->files[p->fi].path, (unsigned long long)p->next_row, got, s->dim,
                          got == 0 ? " (null or empty list)" : "");
    if (id) {
        if (p->ileaf[p->fi] >= 0) {
            if (pq_col_row(&p->ic, DS_I64, id, 1, &got, err) < 0)
                return -1;
            if (got != 1)
                return vm_err_set(err, VM_EINPUT, "%s: row %llu has a null id",
                                  p->files[p->fi].path, (unsigned long long)p->next_row);
        } else {
            *id = (int64_t)p->next_row;
        }
    } else if (p->ileaf[p->fi] >= 0) {
        int64_t dummy;
        if (pq_col_row(&p->ic, DS_I64, &dummy, 1, &got, err) < 0)
            return -1;
    }
    p->rg_left--;
    p->next_row++;
    return 0;
}

static int pq_read(ds_src *s, uint64_t first, uint64_t count, ds_elem want, void *out, int64_t *ids,
                   vm_err *err)
{
    pq_impl *p = s->impl;
    if (first > s->n || count > s->n - first)
        return vm_err_set(err, VM_EINTERNAL, "%s: rows past the end", s->desc);
    if (first != p->next_row || !p->open) {
        if (first < p->next_row || !p->open || first - p->next_row > (uint64_t)p->rg_left) {
            if (pq_seek(s, first, err) < 0)
                return -1;
        }
        if (!p->skip)
            p->skip = malloc((size_t)s->dim * 8);
        while (p->next_row < first)
            if (pq_read_row(s, DS_I64, p->skip, NULL, err) < 0)
                return -1;
    }
    size_t osz = want == DS_F32 ? 4 : 8;
    for (uint64_t i = 0; i < count; i++)
        if (pq_read_row(s, want, (uint8_t *)out + (size_t)i * s->dim * osz, ids ? ids + i : NULL,
                        err) < 0)
            return -1;
    return 0;
}

static void pq_src_close(ds_src *s)
{
    pq_impl *p = s->impl;
    if (!p)
        return;
    pq_close_cols(p);
    for (size_t i = 0; i < p->nfiles; i++)
        pq_file_close(&p->files[i]);
    free(p->files);
    free(p->vleaf);
    free(p->ileaf);
    free(p->skip);
    free(p);
}

static const ds_src_ops pq_ops = {pq_read, pq_src_close};

static bool float_list(const pq_leaf *l)
{
    return l->max_rep == 1 && (l->type == PQ_FLOAT || l->type == PQ_DOUBLE);
}

/* The vector column: the one named, else a usual name, else the only list
 * of floats or doubles (the hub's sets name theirs after the model), else
 * the first list of numbers (ids: ground truth).  -1: none; -2: several
 * lists of floats, none usual: the caller must be told which. */
static int pick_column(const pq_meta *m, const char *column)
{
    if (column)
        return pq_find_leaf(m, column);
    static const char *pref[] = {"emb", "embedding", "vector", "neighbors_id"};
    for (size_t i = 0; i < sizeof(pref) / sizeof(pref[0]); i++) {
        int l = pq_find_leaf(m, pref[i]);
        if (l >= 0 && m->leaf[l].max_rep > 0)
            return l;
    }
    int only = -1;
    for (uint32_t i = 0; i < m->nleaf; i++)
        if (float_list(&m->leaf[i]))
            only = only == -1 ? (int)i : -2;
    if (only != -1)
        return only;
    for (uint32_t i = 0; i < m->nleaf; i++)
        if (m->leaf[i].max_rep == 1 && pq_type_width(m->leaf[i].type))
            return (int)i;
    return -1;
}

static int ambiguous(const pq_meta *m, const char *path, vm_err *err)
{
    strbuf names = STRBUF_INIT;
    for (uint32_t i = 0; i < m->nleaf; i++)
        if (float_list(&m->leaf[i]))
            sb_addf(&names, "%s%s", names.len ? ", " : "", m->leaf[i].top);
    vm_err_param(err, "column", VM_EINPUT,
                 "%s: several lists of numbers (%s): name the embedding column", path, names.buf);
    sb_release(&names);
    return -1;
}

/* Open file i and choose its vector and id columns (the vector column
 * named as in the files before it); the error is set, the caller closes. */
static int open_file(ds_src *s, pq_impl *p, size_t i, const char *const *paths, const char *column,
                     const char **colname, vm_err *err)
{
    if (pq_file_open(&p->files[i], paths[i], err) < 0)
        return -1;
    p->nfiles++;
    const pq_meta *m = &p->files[i].meta;
    int l = pick_column(m, *colname ? *colname : column);
    if (l == -2)
        return ambiguous(m, paths[i], err);
    if (l < 0 && column)
        return vm_err_param(err, "column", VM_EINPUT, "%s: no column '%s'", paths[i], column);
    if (l < 0)
        return vm_err_set(err, VM_EINPUT, "%s: no vector column (a list of numbers)", paths[i]);
    if (m->leaf[l].max_rep != 1 || !pq_type_width(m->leaf[l].type))
        return vm_err_set(err, VM_EINPUT, "%s: column %s is a %s%s, not a list of numbers",
                          paths[i], m->leaf[l].path, m->leaf[l].max_rep ? "nested list of " : "",
                          pq_type_name(m->leaf[l].type));
    *colname = m->leaf[l].top;
    p->vleaf[i] = l;
    int il = pq_find_leaf(m, "id");
    p->ileaf[i] = il >= 0 && m->leaf[il].max_rep == 0 && pq_type_width(m->leaf[il].type) &&
                          (m->leaf[il].type == PQ_INT32 || m->leaf[il].type == PQ_INT64)
                      ? il
                      : -1;
    if (i > 0 && (p->files[i].meta.leaf[l].type != p->files[0].meta.leaf[p->vleaf[0]].type ||
                  (p->ileaf[i] < 0) != (p->ileaf[0] < 0)))
        return vm_err_set(err, VM_EINPUT, "%s: columns differ from %s", paths[i], paths[0]);
    s->n += (uint64_t)m->num_rows;
    return 0;
}

/* The row length: the first row's count of values. */
static int measure_dim(ds_src *s, pq_impl *p, const char *path, const pq_leaf *lf, vm_err *err)
{
    if (pq_seek(s, 0, err) < 0)
        return -1;
    uint32_t got;
    float *tmp = malloc((size_t)(1u << 20) * 8);
    int rc = pq_col_row(&p->vc, DS_I64, tmp, 1u << 20, &got, err);
    free(tmp);
    if (rc < 0 || got == 0) {
        if (rc == 0)
            vm_err_set(err, VM_EINPUT, "%s: row 0 of %s is null or empty", path, lf->path);
        return -1;
    }
    s->dim = got;
    pq_close_cols(p); /* the next read reopens at row 0 */
    p->next_row = 0;
    return 0;
}

int ds_src_open_parquet(ds_src *s, const char *const *paths, size_t npaths, const char *column,
                        vm_err *err)
{
    memset(s, 0, sizeof(*s));
    pq_impl *p = calloc(1, sizeof(*p));
    s->impl = p;
    s->ops = &pq_ops;
    s->fmt = DS_FMT_PARQUET;
    p->files = calloc(npaths, sizeof(pq_file));
    p->vleaf = calloc(npaths, sizeof(int));
    p->ileaf = calloc(npaths, sizeof(int));
    const char *colname = NULL;
    for (size_t i = 0; i < npaths; i++)
        if (open_file(s, p, i, paths, column, &colname, err) < 0) {
            ds_src_close(s);
            return -1;
        }
    const pq_leaf *lf = &p->files[0].meta.leaf[p->vleaf[0]];
    s->elem = lf->type == PQ_FLOAT    ? DS_F32
              : lf->type == PQ_DOUBLE ? DS_F64
              : lf->type == PQ_INT32  ? DS_I32
                                      : DS_I64;
    s->has_ids = p->ileaf[0] >= 0;
    strbuf d = STRBUF_INIT;
    sb_addf(&d, "%s%s[%s]", paths[0], npaths > 1 ? "…" : "", lf->top);
    s->desc = sb_detach(&d, NULL);
    if (s->n == 0) {
        ds_src_close(s);
        return vm_err_set(err, VM_EINPUT, "%s: no rows", paths[0]);
    }
    if (measure_dim(s, p, paths[0], lf, err) < 0) {
        ds_src_close(s);
        return -1;
    }
    return 0;
}
