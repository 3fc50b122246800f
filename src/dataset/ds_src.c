/* ds_src: mapped and in-memory sources, and the common entry points; HDF5
 * is in ds_src_hdf5.c and parquet in ds_parquet.c.  See ds_src.h. */
#include "ds_src.h"

#include <stdlib.h>
#include <string.h>

const char *ds_fmt_name(ds_fmt f)
{
    switch (f) {
    case DS_FMT_TEXMEX: return "TEXMEX";
    case DS_FMT_BIGANN: return "big-ann";
    case DS_FMT_NPY: return "npy";
    case DS_FMT_HDF5: return "HDF5";
    case DS_FMT_PARQUET: return "parquet";
    }
    return "?";
}

static void convert_row(const uint8_t *p, ds_elem from, uint32_t dim, ds_elem want, void *out)
{
    float *of = out;
    int64_t *oi = out;
    for (uint32_t j = 0; j < dim; j++) {
        double v = 0;
        int64_t iv = 0;
        bool is_int = true;
        switch (from) {
        case DS_U8: iv = p[j]; break;
        case DS_I8: iv = (int8_t)p[j]; break;
        case DS_I32: {
            int32_t x;
            memcpy(&x, p + 4 * j, 4);
            iv = x;
            break;
        }
        case DS_I64: memcpy(&iv, p + 8 * j, 8); break;
        case DS_F32: {
            float x;
            memcpy(&x, p + 4 * j, 4);
            v = x;
            is_int = false;
            if (want == DS_F32) {
                of[j] = x;
                continue;
            }
            break;
        }
        case DS_F64:
            memcpy(&v, p + 8 * j, 8);
            is_int = false;
            break;
        }
        if (want == DS_F32)
            of[j] = is_int ? (float)iv : (float)v;
        else
            oi[j] = is_int ? iv : v >= -9.2e18 && v <= 9.2e18 ? (int64_t)v : INT64_MIN;
    }
}

typedef struct mem_impl {
    const uint8_t *rows;
    size_t stride;
} mem_impl;

static int rows_read(const uint8_t *rows, size_t stride, ds_src *s, uint64_t first,
                     uint64_t count, ds_elem want, void *out, int64_t *ids, vm_err *err)
{
    if (first > s->n || count > s->n - first)
        return vm_err_set(err, VM_EINTERNAL, "%s: rows %llu..%llu past the end (%llu)", s->desc,
                          (unsigned long long)first, (unsigned long long)(first + count),
                          (unsigned long long)s->n);
    size_t osz = want == DS_F32 ? 4 : 8;
    for (uint64_t i = 0; i < count; i++) {
        const uint8_t *p = rows + (size_t)(first + i) * stride;
        void *o = (uint8_t *)out + (size_t)i * s->dim * osz;
        if (want == DS_F32 && s->elem == DS_F32)
            memcpy(o, p, (size_t)s->dim * 4);
        else
            convert_row(p, s->elem, s->dim, want, o);
        if (ids)
            ids[i] = (int64_t)(first + i);
    }
    return 0;
}

static int vf_read(ds_src *s, uint64_t first, uint64_t count, ds_elem want, void *out,
                   int64_t *ids, vm_err *err)
{
    return rows_read(s->vf.map + s->vf.first_row, s->vf.row_stride, s, first, count, want, out,
                     ids, err);
}

static void vf_close(ds_src *s)
{
    ds_vecfile_close(&s->vf);
}

static const ds_src_ops vf_ops = {vf_read, vf_close};

static int mem_read(ds_src *s, uint64_t first, uint64_t count, ds_elem want, void *out,
                    int64_t *ids, vm_err *err)
{
    mem_impl *m = s->impl;
    return rows_read(m->rows, m->stride, s, first, count, want, out, ids, err);
}

static void mem_close(ds_src *s)
{
    free(s->impl);
}

static const ds_src_ops mem_ops = {mem_read, mem_close};

static void from_vf(ds_src *s)
{
    s->desc = strdup(s->vf.path);
    s->fmt = s->vf.layout == DS_TEXMEX ? DS_FMT_TEXMEX
             : s->vf.layout == DS_BIGANN ? DS_FMT_BIGANN
                                         : DS_FMT_NPY;
    s->n = s->vf.n;
    s->dim = s->vf.dim;
    s->elem = s->vf.elem;
    s->mapped = true;
    s->ops = &vf_ops;
}

int ds_src_open_vecfile(ds_src *s, const char *path, vm_err *err)
{
    memset(s, 0, sizeof(*s));
    if (ds_vecfile_open(&s->vf, path, err) < 0)
        return -1;
    from_vf(s);
    return 0;
}

int ds_src_open_vecfile_as(ds_src *s, const char *path, ds_layout layout, ds_elem elem,
                           vm_err *err)
{
    memset(s, 0, sizeof(*s));
    if (ds_vecfile_open_as(&s->vf, path, layout, elem, err) < 0)
        return -1;
    from_vf(s);
    return 0;
}

void ds_src_view(ds_src *s, const char *desc, ds_fmt fmt, const uint8_t *rows, uint64_t n,
                 uint32_t dim, ds_elem elem)
{
    memset(s, 0, sizeof(*s));
    s->desc = strdup(desc);
    s->fmt = fmt;
    s->n = n;
    s->dim = dim;
    s->elem = elem;
    mem_impl *m = calloc(1, sizeof(*m));
    m->rows = rows;
    m->stride = (size_t)dim * ds_elem_size(elem);
    s->impl = m;
    s->ops = &mem_ops;
}

int ds_src_read_f32(ds_src *s, uint64_t first, uint64_t count, float *out, int64_t *ids,
                    vm_err *err)
{
    return s->ops->read(s, first, count, DS_F32, out, ids, err);
}

int ds_src_read_i64(ds_src *s, uint64_t first, uint64_t count, int64_t *out, int64_t *ids,
                    vm_err *err)
{
    return s->ops->read(s, first, count, DS_I64, out, ids, err);
}

void ds_src_close(ds_src *s)
{
    if (s->ops && s->ops->close)
        s->ops->close(s);
    free(s->desc);
    memset(s, 0, sizeof(*s));
}
