/* ds_src_hdf5: ann-benchmarks HDF5 datasets as vector sources, through
 * libhdf5 (Debian's libhdf5-dev).  Rows are read as hyperslabs converted by
 * the library to float32 or int64, so float64 distances and int64
 * neighbours need nothing of ours.  libhdf5's own error printing is turned
 * off: the engine never prints, errors come back in vm_err. */
#include <hdf5.h>
#include <stdlib.h>
#include <string.h>

#include "ds_src.h"

typedef struct h5_impl {
    hid_t file, dset, space;
} h5_impl;

static void quiet(void)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

static int h5_read(ds_src *s, uint64_t first, uint64_t count, ds_elem want, void *out,
                   int64_t *ids, vm_err *err)
{
    h5_impl *h = s->impl;
    if (first > s->n || count > s->n - first)
        return vm_err_set(err, VM_EINTERNAL, "%s: rows past the end", s->desc);
    if (count == 0)
        return 0;
    hsize_t start[2] = {first, 0}, cnt[2] = {count, s->dim};
    hid_t fs = H5Scopy(h->space);
    int rank = H5Sget_simple_extent_ndims(fs);
    herr_t rc = H5Sselect_hyperslab(fs, H5S_SELECT_SET, start, NULL, cnt, NULL);
    hsize_t mdims[2] = {count, s->dim};
    hid_t ms = H5Screate_simple(rank, mdims, NULL);
    if (rc >= 0)
        rc = H5Dread(h->dset, want == DS_F32 ? H5T_NATIVE_FLOAT : H5T_NATIVE_INT64, ms, fs,
                     H5P_DEFAULT, out);
    H5Sclose(ms);
    H5Sclose(fs);
    if (rc < 0)
        return vm_err_set(err, VM_EIO, "%s: cannot read rows %llu..%llu", s->desc,
                          (unsigned long long)first, (unsigned long long)(first + count));
    if (ids)
        for (uint64_t i = 0; i < count; i++)
            ids[i] = (int64_t)(first + i);
    return 0;
}

static void h5_close(ds_src *s)
{
    h5_impl *h = s->impl;
    if (!h)
        return;
    if (h->space >= 0)
        H5Sclose(h->space);
    if (h->dset >= 0)
        H5Dclose(h->dset);
    if (h->file >= 0)
        H5Fclose(h->file);
    free(h);
}

static const ds_src_ops h5_ops = {h5_read, h5_close};

int ds_src_open_hdf5(ds_src *s, const char *path, const char *dataset, vm_err *err)
{
    memset(s, 0, sizeof(*s));
    quiet();
    h5_impl *h = calloc(1, sizeof(*h));
    h->file = h->dset = h->space = -1;
    s->impl = h;
    s->ops = &h5_ops;
    s->fmt = DS_FMT_HDF5;
    size_t dl = strlen(path) + strlen(dataset) + 3;
    s->desc = malloc(dl);
    snprintf(s->desc, dl, "%s:/%s", path, dataset);
    h->file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (h->file < 0) {
        ds_src_close(s);
        return vm_err_set(err, VM_EINPUT, "%s: not an HDF5 file (or unreadable)", path);
    }
    h->dset = H5Dopen2(h->file, dataset, H5P_DEFAULT);
    if (h->dset < 0) {
        ds_src_close(s);
        return vm_err_set(err, VM_EINPUT, "%s: no dataset '%s'", path, dataset);
    }
    h->space = H5Dget_space(h->dset);
    int rank = H5Sget_simple_extent_ndims(h->space);
    hsize_t dims[2] = {0, 1};
    if (rank < 1 || rank > 2 || H5Sget_simple_extent_dims(h->space, dims, NULL) < 0) {
        ds_src_close(s);
        return vm_err_set(err, VM_EINPUT, "%s:/%s: %d dimensions, expected 2", path, dataset,
                          rank);
    }
    hid_t t = H5Dget_type(h->dset);
    H5T_class_t cls = H5Tget_class(t);
    size_t sz = H5Tget_size(t);
    H5T_sign_t sign = cls == H5T_INTEGER ? H5Tget_sign(t) : H5T_SGN_NONE;
    H5Tclose(t);
    if (cls == H5T_FLOAT)
        s->elem = sz == 8 ? DS_F64 : DS_F32;
    else if (cls == H5T_INTEGER)
        s->elem = sz == 1 ? (sign == H5T_SGN_NONE ? DS_U8 : DS_I8) : sz == 8 ? DS_I64 : DS_I32;
    else {
        ds_src_close(s);
        return vm_err_set(err, VM_EINPUT, "%s:/%s: neither integer nor float data", path,
                          dataset);
    }
    if (dims[1] == 0 || dims[1] > (1u << 20)) {
        ds_src_close(s);
        return vm_err_set(err, VM_EINPUT, "%s:/%s: bad row length %llu", path, dataset,
                          (unsigned long long)dims[1]);
    }
    s->n = dims[0];
    s->dim = (uint32_t)dims[1];
    return 0;
}

bool ds_hdf5_has(const char *path, const char *dataset)
{
    quiet();
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0)
        return false;
    bool ok = H5Lexists(f, dataset, H5P_DEFAULT) > 0;
    H5Fclose(f);
    return ok;
}

int ds_hdf5_root_attr(const char *path, const char *name, char *out, size_t out_len,
                      vm_err *err)
{
    quiet();
    out[0] = '\0';
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0)
        return vm_err_set(err, VM_EINPUT, "%s: not an HDF5 file (or unreadable)", path);
    if (H5Aexists(f, name) <= 0) {
        H5Fclose(f);
        return 1;
    }
    hid_t a = H5Aopen(f, name, H5P_DEFAULT);
    hid_t t = H5Aget_type(a);
    int rc = 0;
    if (H5Tget_class(t) != H5T_STRING) {
        rc = vm_err_set(err, VM_EINPUT, "%s: attribute '%s' is not a string", path, name);
    } else if (H5Tis_variable_str(t) > 0) {
        char *v = NULL;
        hid_t mt = H5Tcopy(H5T_C_S1);
        H5Tset_size(mt, H5T_VARIABLE);
        H5Tset_cset(mt, H5Tget_cset(t)); /* h5py writes UTF-8: no conversion across sets */
        if (H5Aread(a, mt, &v) >= 0 && v) {
            snprintf(out, out_len, "%s", v);
            H5free_memory(v);
        } else {
            rc = vm_err_set(err, VM_EINPUT, "%s: cannot read attribute '%s'", path, name);
        }
        H5Tclose(mt);
    } else {
        size_t sz = H5Tget_size(t);
        char *v = calloc(1, sz + 1);
        hid_t mt = H5Tcopy(H5T_C_S1);
        H5Tset_size(mt, sz);
        H5Tset_cset(mt, H5Tget_cset(t));
        if (H5Aread(a, mt, v) >= 0)
            snprintf(out, out_len, "%s", v);
        else
            rc = vm_err_set(err, VM_EINPUT, "%s: cannot read attribute '%s'", path, name);
        H5Tclose(mt);
        free(v);
    }
    H5Tclose(t);
    H5Aclose(a);
    H5Fclose(f);
    return rc;
}
