/* ds_parquet_col: the column reader — one column chunk of one row group,
 * read row by row: a row is the values between two repetition level 0
 * entries (one value for a plain column), nulls and empty lists being
 * short rows.  Pages are loaded as needed (ds_parquet_page.c); values are
 * converted to float32 or int64 on the way out. */
#include <stdlib.h>
#include <string.h>

#include "ds_parquet_int.h"

int pq_col_open(pq_col *c, const pq_file *f, uint32_t leaf, uint32_t rg, vm_err *err)
{
    memset(c, 0, sizeof(*c));
    c->f = f;
    c->leaf = &f->meta.leaf[leaf];
    c->ck = &f->meta.chunk[(size_t)rg * f->meta.nleaf + leaf];
    c->width = pq_type_width(c->leaf->type);
    if (!c->width)
        return vm_err_set(err, VM_EINPUT, "%s: column %s has type %s, not a number", f->path,
                          c->leaf->path, pq_type_name(c->leaf->type));
    int64_t start = c->ck->dict_off > 0 && c->ck->dict_off < c->ck->data_off ? c->ck->dict_off
                                                                             : c->ck->data_off;
    c->pos = f->map + start;
    c->end = c->pos + c->ck->comp_bytes;
    return 0;
}

void pq_col_close(pq_col *c)
{
    sb_release(&c->dict_buf);
    sb_release(&c->page_buf);
    free(c->def);
    free(c->rep);
    free(c->idx);
    memset(c, 0, sizeof(*c));
}

/* float to int64 without undefined behaviour for NaN or huge values */
static inline int64_t to_i64(double d)
{
    return d >= -9.2e18 && d <= 9.2e18 ? (int64_t)d : INT64_MIN;
}

static inline void put_value(const pq_col *c, const uint8_t *src, ds_elem want, void *out,
                             uint32_t k)
{
    double d;
    int64_t i;
    switch (c->leaf->type) {
    case PQ_FLOAT: {
        float x;
        memcpy(&x, src, 4);
        if (want == DS_F32) {
            ((float *)out)[k] = x;
            return;
        }
        d = x;
        i = to_i64(d);
        break;
    }
    case PQ_DOUBLE:
        memcpy(&d, src, 8);
        i = to_i64(d);
        break;
    case PQ_INT32: {
        int32_t x;
        memcpy(&x, src, 4);
        i = x;
        d = (double)x;
        break;
    }
    default:
        memcpy(&i, src, 8);
        d = (double)i;
        break;
    }
    if (want == DS_F32)
        ((float *)out)[k] = (float)d;
    else
        ((int64_t *)out)[k] = i;
}

int pq_col_row(pq_col *c, ds_elem want, void *out, uint32_t cap, uint32_t *got, vm_err *err)
{
    uint32_t n = 0;
    bool first = true, done = false;
    const uint32_t maxdef = (uint32_t)c->leaf->max_def;
    const bool has_rep = c->leaf->max_rep > 0;
    const bool f32 = c->leaf->type == PQ_FLOAT && want == DS_F32;
    while (!done) {
        if (c->ent == c->n_ent) {
            int r = pq_page_load(c, err);
            if (r < 0)
                return -1;
            if (r == 0) {
                if (first)
                    return vm_err_set(err, VM_EINPUT,
                                      "%s: column %s: fewer rows than the metadata says",
                                      c->f->path, c->leaf->path);
                break;
            }
            continue;
        }
        /* the hot loop works on locals: one page's levels and values */
        const uint32_t *rep = c->rep, *def = c->def, *idx = c->idx;
        const uint8_t *vals = c->use_dict ? c->dict : c->vals;
        const bool dict = c->use_dict;
        const size_t width = (size_t)c->width;
        uint32_t ent = c->ent, nent = c->n_ent, val = c->val;
        while (ent < nent) {
            if (has_rep && !first && rep[ent] == 0) {
                done = true;
                break;
            }
            first = false;
            uint32_t d = maxdef ? def[ent] : 0;
            ent++;
            if (d != maxdef)
                continue; /* null / empty list: the caller sees a short row */
            if (val >= c->n_vals) {
                c->ent = ent;
                return pq_col_err(c, err, "more levels than values", NULL);
            }
            uint32_t k = val++;
            if (dict) {
                k = idx[k];
                if (k >= c->dict_n) {
                    c->ent = ent;
                    return pq_col_err(c, err, "dictionary index out of range", NULL);
                }
            }
            if (n < cap) {
                if (f32)
                    memcpy((float *)out + n, vals + (size_t)k * 4, 4);
                else
                    put_value(c, vals + (size_t)k * width, want, out, n);
            }
            n++;
            if (!has_rep) {
                done = true;
                break;
            }
        }
        c->ent = ent;
        c->val = val;
    }
    *got = n;
    return 0;
}
