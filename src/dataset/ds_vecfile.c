/* ds_vecfile: mapping and validation of vector files; see ds_vecfile.h. */
#include "ds_vecfile.h"

#include "ds_npy.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/vm_map.h"

const char *ds_layout_name(ds_layout l)
{
    switch (l) {
    case DS_TEXMEX: return "TEXMEX";
    case DS_BIGANN: return "big-ann";
    case DS_NPY: return "npy";
    }
    return "?";
}

static int ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcmp(s + a - b, suf);
}

static int detect(const char *path, ds_layout *layout, ds_elem *elem)
{
    static const struct {
        const char *ext;
        ds_layout layout;
        ds_elem elem;
    } kinds[] = {
        {".fvecs", DS_TEXMEX, DS_F32}, {".bvecs", DS_TEXMEX, DS_U8},
        {".ivecs", DS_TEXMEX, DS_I32}, {".fbin", DS_BIGANN, DS_F32},
        {".u8bin", DS_BIGANN, DS_U8},  {".i8bin", DS_BIGANN, DS_I8},
        {".ibin", DS_BIGANN, DS_I32},  {".bin", DS_BIGANN, DS_I32},
        {".npy", DS_NPY, DS_F32},
    };
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (ends_with(path, kinds[i].ext)) {
            *layout = kinds[i].layout;
            *elem = kinds[i].elem;
            return 0;
        }
    return -1;
}

int ds_vecfile_known_ext(const char *path)
{
    ds_layout l;
    ds_elem e;
    return detect(path, &l, &e) == 0;
}

static int open_texmex(ds_vecfile *f, vm_err *err)
{
    const char *path = f->path;
    size_t size = f->map_bytes, es = ds_elem_size(f->elem);
    int32_t d;
    memcpy(&d, f->map, 4);
    if (d <= 0 || d > 1 << 20)
        return vm_err_set(err, VM_EINPUT, "%s: bad dimension %d in the first row", path, d);
    f->dim = (uint32_t)d;
    f->row_stride = 4 + (size_t)d * es;
    f->first_row = 4;
    f->n = size / f->row_stride;
    size_t rest = size % f->row_stride;
    if (rest)
        return vm_err_set(err, VM_EINPUT,
                          "%s: truncated: the last row is missing %zu bytes (row size %zu)", path,
                          f->row_stride - rest, f->row_stride);
    /* every row repeats d: check the last one too (cheap, catches a wrong
     * element type or a concatenation of different files) */
    int32_t dl;
    memcpy(&dl, f->map + (f->n - 1) * f->row_stride, 4);
    if (dl != d)
        return vm_err_set(err, VM_EINPUT, "%s: row %llu says dimension %d, row 0 says %d: not a %s file",
                          path, (unsigned long long)(f->n - 1), dl, d, ds_elem_name(f->elem));
    return 0;
}

static int open_bigann(ds_vecfile *f, vm_err *err)
{
    const char *path = f->path;
    size_t size = f->map_bytes;
    uint32_t hdr[2];
    memcpy(hdr, f->map, 8);
    if (hdr[1] == 0 || hdr[1] > 1 << 20)
        return vm_err_set(err, VM_EINPUT, "%s: bad dimension %u in the header", path, hdr[1]);
    f->n = hdr[0];
    f->dim = hdr[1];
    f->row_stride = (size_t)f->dim * ds_elem_size(f->elem);
    f->first_row = 8;
    size_t body = (size_t)f->n * f->row_stride;
    size_t want = 8 + body;
    if (size < want)
        return vm_err_set(err, VM_EINPUT,
                          "%s: truncated: header says %llu x %u but %zu bytes are missing", path,
                          (unsigned long long)hdr[0], hdr[1], want - size);
    if (size == want)
        return 0;
    /* ground truth: int32 ids then float32 distances, same n x k */
    if (f->elem == DS_I32 && size == want + body) {
        f->dists = f->map + want;
        return 0;
    }
    return vm_err_set(err, VM_EINPUT,
                      "%s: header says %llu x %u (%zu bytes) but the file has %zu bytes", path,
                      (unsigned long long)hdr[0], hdr[1], want, size);
}

static int open_npy(ds_vecfile *f, vm_err *err)
{
    ds_npy_header h;
    if (ds_npy_parse(f->map, f->map_bytes, &h, err) < 0)
        return vm_err_prefix(err, "%s", f->path);
    f->elem = h.elem;
    f->n = h.rows;
    f->dim = h.cols;
    f->row_stride = (size_t)h.cols * ds_elem_size(h.elem);
    f->first_row = h.data_off;
    if (h.rows > (f->map_bytes - h.data_off) / f->row_stride)
        return vm_err_set(err, VM_EINPUT, "%s: truncated: shape (%llu, %u) needs %llu bytes of data, %zu present",
                          f->path, (unsigned long long)h.rows, h.cols,
                          (unsigned long long)h.rows * f->row_stride, f->map_bytes - h.data_off);
    return 0;
}

int ds_vecfile_open(ds_vecfile *f, const char *path, vm_err *err)
{
    ds_layout layout;
    ds_elem elem;
    memset(f, 0, sizeof(*f));
    if (detect(path, &layout, &elem) < 0)
        return vm_err_set(err, VM_EINPUT,
                          "%s: unknown vector file type (expected .fvecs .bvecs .ivecs .fbin "
                          ".u8bin .i8bin .ibin .bin .npy)",
                          path);
    return ds_vecfile_open_as(f, path, layout, elem, err);
}

int ds_vecfile_open_as(ds_vecfile *f, const char *path, ds_layout layout, ds_elem elem,
                       vm_err *err)
{
    memset(f, 0, sizeof(*f));
    f->layout = layout;
    f->elem = elem;
    vm_map m;
    if (vm_map_file(path, &m, err) < 0)
        return -1;
    size_t size = m.size;
    if (size < 8) {
        vm_unmap(&m);
        return vm_err_set(err, VM_EINPUT, "%s: truncated: %zu bytes, not even a header", path,
                          size);
    }
    madvise((void *)m.data, size, MADV_SEQUENTIAL);
    f->map = m.data;
    f->map_bytes = size;
    f->path = strdup(path);
    int rc = layout == DS_TEXMEX ? open_texmex(f, err)
             : layout == DS_BIGANN ? open_bigann(f, err)
                                   : open_npy(f, err);
    if (rc < 0)
        ds_vecfile_close(f);
    else
        f->row_hi = f->n; /* every row present */
    return rc;
}

ds_vecfile ds_vecfile_view(const ds_vecfile *f, uint64_t first, uint64_t count)
{
    ds_vecfile v = *f;
    /* v.path is borrowed: a view is never closed */
    v.first_row = f->first_row + (size_t)first * f->row_stride;
    if (f->dists)
        v.dists = f->dists + (size_t)first * f->dim * 4;
    v.n = count;
    v.row_lo = 0;
    v.row_hi = count;
    return v;
}

void ds_vecfile_set_part(ds_vecfile *f, uint64_t lo, uint64_t n)
{
    f->row_lo = lo;
    f->row_hi = lo + f->n;
    f->first_row -= (size_t)lo * f->row_stride;
    f->n = n;
}

void ds_vecfile_close(ds_vecfile *f)
{
    if (f->map)
        munmap((void *)f->map, f->map_bytes);
    free(f->path);
    memset(f, 0, sizeof(*f));
}

void ds_vecfile_row_f32(const ds_vecfile *f, uint64_t i, void *out)
{
    const uint8_t *p = ds_vecfile_row(f, i);
    uint8_t *o = out;
    float v;
    switch (f->elem) {
    case DS_F32:
        memcpy(o, p, (size_t)f->dim * 4);
        return;
    case DS_U8:
        for (uint32_t j = 0; j < f->dim; j++) {
            v = (float)p[j];
            memcpy(o + 4 * j, &v, 4);
        }
        return;
    case DS_I8:
        for (uint32_t j = 0; j < f->dim; j++) {
            v = (float)(int8_t)p[j];
            memcpy(o + 4 * j, &v, 4);
        }
        return;
    case DS_I32:
        for (uint32_t j = 0; j < f->dim; j++) {
            int32_t x;
            memcpy(&x, p + 4 * j, 4);
            v = (float)x;
            memcpy(o + 4 * j, &v, 4);
        }
        return;
    case DS_F64:
        for (uint32_t j = 0; j < f->dim; j++) {
            double x;
            memcpy(&x, p + 8 * j, 8);
            v = (float)x;
            memcpy(o + 4 * j, &v, 4);
        }
        return;
    case DS_I64:
        for (uint32_t j = 0; j < f->dim; j++) {
            int64_t x;
            memcpy(&x, p + 8 * j, 8);
            v = (float)x;
            memcpy(o + 4 * j, &v, 4);
        }
        return;
    }
}

void ds_vecfile_row_i64(const ds_vecfile *f, uint64_t i, int64_t *out)
{
    const uint8_t *p = ds_vecfile_row(f, i);
    for (uint32_t j = 0; j < f->dim; j++) {
        switch (f->elem) {
        case DS_U8: out[j] = p[j]; break;
        case DS_I8: out[j] = (int8_t)p[j]; break;
        case DS_I32: {
            int32_t x;
            memcpy(&x, p + 4 * j, 4);
            out[j] = x;
            break;
        }
        case DS_I64: memcpy(&out[j], p + 8 * j, 8); break;
        case DS_F32: {
            float x;
            memcpy(&x, p + 4 * j, 4);
            out[j] = x >= -9.2e18f && x <= 9.2e18f ? (int64_t)x : INT64_MIN;
            break;
        }
        case DS_F64: {
            double x;
            memcpy(&x, p + 8 * j, 8);
            out[j] = x >= -9.2e18 && x <= 9.2e18 ? (int64_t)x : INT64_MIN;
            break;
        }
        }
    }
}
