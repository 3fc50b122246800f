/* ds_dataset: find the parts of a dataset in a folder; see ds_dataset.h. */
#include "ds_dataset.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "../util/strbuf.h"
#include "../util/vm_map.h"
#include "ds_catalog.h"

static bool has_vec_ext(const char *n)
{
    static const char *exts[] = {".fvecs", ".bvecs", ".fbin", ".u8bin", ".i8bin", ".npy"};
    size_t ln = strlen(n);
    for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
        size_t le = strlen(exts[i]);
        if (ln > le && !strcmp(n + ln - le, exts[i]))
            return true;
    }
    return false;
}

static bool is_gt_name(const char *nm)
{
    size_t ln = strlen(nm);
    bool ext = (ln > 6 && !strcmp(nm + ln - 6, ".ivecs")) ||
               (ln > 5 && !strcmp(nm + ln - 5, ".ibin")) ||
               (ln > 4 && !strcmp(nm + ln - 4, ".bin")) || (ln > 4 && !strcmp(nm + ln - 4, ".npy"));
    if (!ext)
        return false;
    return strstr(nm, "groundtruth") || strstr(nm, "neighbors") || !strncmp(nm, "gt", 2) ||
           !strncmp(nm, "GT", 2);
}

/* Pick the first (sorted) file in dir whose name contains role and has a
 * vector extension (or, for ground truth, a ground-truth name: *groundtruth*,
 * *neighbors*, gt* / GT* with .ivecs / .ibin / .bin / .npy). */
static char *find_part(const char *dir, const char *role, bool gt)
{
    struct dirent **list;
    int n = scandir(dir, &list, NULL, alphasort);
    if (n < 0)
        return NULL;
    char *found = NULL;
    for (int i = 0; i < n; i++) {
        const char *nm = list[i]->d_name;
        bool ok = gt ? is_gt_name(nm) : strstr(nm, role) != NULL && has_vec_ext(nm);
        if (ok && !found) {
            strbuf p = STRBUF_INIT;
            sb_addf(&p, "%s/%s", dir, nm);
            found = sb_detach(&p, NULL);
        }
        free(list[i]);
    }
    free(list);
    return found;
}

/* A folder of files that cannot be mapped as rows (HDF5, parquet) */
static bool has_unmappable(const char *dir)
{
    struct dirent **list;
    int n = scandir(dir, &list, NULL, alphasort);
    if (n < 0)
        return false;
    bool found = false;
    for (int i = 0; i < n; i++) {
        const char *nm = list[i]->d_name;
        size_t ln = strlen(nm);
        if ((ln > 5 && !strcmp(nm + ln - 5, ".hdf5")) || (ln > 8 && !strcmp(nm + ln - 8, ".parquet")))
            found = true;
        free(list[i]);
    }
    free(list);
    return found;
}

static int rows_u64(json_object *m, const char *key, uint64_t *out)
{
    json_object *v;
    if (!json_object_object_get_ex(m, key, &v) || !json_object_is_type(v, json_type_int) ||
        json_object_get_int64(v) < 0)
        return -1;
    *out = (uint64_t)json_object_get_int64(v);
    return 0;
}

int ds_rows_parse(const char *text, size_t len, ds_rows *out, vm_err *err)
{
    json_tokener *tok = text && len && len < INT32_MAX ? json_tokener_new() : NULL;
    json_object *m = tok ? json_tokener_parse_ex(tok, text, (int)len) : NULL;
    if (tok)
        json_tokener_free(tok);
    int rc = 0;
    if (!m || !json_object_is_type(m, json_type_object) ||
        rows_u64(m, "rows_first", &out->first) < 0 || rows_u64(m, "rows_end", &out->end) < 0 ||
        rows_u64(m, "rows_total", &out->total) < 0 || out->first > out->end ||
        out->end > out->total)
        rc = vm_err_param(err, "dataset", VM_EINPUT,
                          "expected {\"rows_first\": A, \"rows_end\": B, \"rows_total\": N} "
                          "with A <= B <= N");
    json_object_put(m);
    return rc;
}

/* dir/rows.json, when a partial download left one: the base file holds
 * only ids rows_first .. rows_end-1 of rows_total (ds_dataset.h). */
static int rows_part(const char *dir, ds_vecfile *base, vm_err *err)
{
    strbuf p = STRBUF_INIT;
    sb_addf(&p, "%s/rows.json", dir);
    vm_map map;
    vm_err quiet = {0};
    if (vm_map_file(p.buf, &map, &quiet) < 0) {
        struct stat st;
        int rc = stat(p.buf, &st) == 0 ? vm_err_param(err, "dataset", VM_EIO, "%s", quiet.msg) : 0;
        sb_release(&p);
        return rc; /* no rows.json: the whole base */
    }
    ds_rows r;
    int rc = ds_rows_parse((const char *)map.data, map.size, &r, err);
    vm_unmap(&map);
    if (rc < 0)
        vm_err_prefix(err, "%s", p.buf);
    else if (r.end - r.first != base->n)
        rc = vm_err_param(err, "dataset", VM_EINPUT,
                          "%s says rows %llu..%llu, but %s holds %llu rows", p.buf,
                          (unsigned long long)r.first, (unsigned long long)r.end, base->path,
                          (unsigned long long)base->n);
    else
        ds_vecfile_set_part(base, r.first, r.total);
    sb_release(&p);
    return rc;
}

int ds_dataset_open(ds_dataset *ds, const char *path, vm_err *err)
{
    memset(ds, 0, sizeof(*ds));
    struct stat st;
    char cat[1024];
    if (stat(path, &st) < 0 && ds_catalog_resolve(path, NULL, cat, sizeof(cat)) == 0)
        path = cat; /* a catalog name, downloaded */
    if (stat(path, &st) < 0)
        return vm_err_set(err, VM_EINPUT, "dataset '%s': %s", path, strerror(errno));
    const char *slash = strrchr(path, '/');
    ds->name = strdup(slash && slash[1] ? slash + 1 : path);
    if (!S_ISDIR(st.st_mode)) {
        size_t pl = strlen(path);
        if ((pl > 5 && !strcmp(path + pl - 5, ".hdf5")) ||
            (pl > 8 && !strcmp(path + pl - 8, ".parquet"))) {
            ds_dataset_close(ds);
            return vm_err_set(err, VM_EINPUT,
                              "dataset '%s': HDF5 / parquet files are read through 'dataset "
                              "prepare %s --out DIR'; then use DIR",
                              path, path);
        }
        if (ds_vecfile_open(&ds->base, path, err) < 0) {
            ds_dataset_close(ds);
            return -1;
        }
        return 0;
    }
    char *base = find_part(path, "base", false);
    if (!base && has_unmappable(path)) {
        ds_dataset_close(ds);
        return vm_err_set(err, VM_EINPUT,
                          "dataset '%s': HDF5 / parquet files are read through 'dataset prepare "
                          "%s --out DIR'; then use DIR",
                          path, path);
    }
    if (!base) {
        ds_dataset_close(ds);
        return vm_err_set(err, VM_EINPUT,
                          "dataset '%s': no base vector file (*base*.fvecs, .bvecs, .fbin, .u8bin)",
                          path);
    }
    int rc = ds_vecfile_open(&ds->base, base, err);
    free(base);
    if (rc == 0)
        rc = rows_part(path, &ds->base, err);
    char *q = rc == 0 ? find_part(path, "query", false) : NULL;
    if (q) {
        rc = ds_vecfile_open(&ds->query, q, err);
        free(q);
        if (rc == 0 && ds->query.dim != ds->base.dim)
            rc = vm_err_set(err, VM_EINPUT, "dataset '%s': queries have dimension %u, base %u",
                            path, ds->query.dim, ds->base.dim);
    }
    char *g = rc == 0 ? find_part(path, "groundtruth", true) : NULL;
    if (g) {
        rc = ds_vecfile_open(&ds->gt, g, err);
        free(g);
        if (rc == 0 && ds_has_query(ds) && ds->gt.n != ds->query.n)
            rc = vm_err_set(err, VM_EINPUT, "dataset '%s': %llu queries but ground truth for %llu",
                            path, (unsigned long long)ds->query.n, (unsigned long long)ds->gt.n);
    }
    if (rc < 0) {
        ds_dataset_close(ds);
        return -1;
    }
    return 0;
}

void ds_dataset_close(ds_dataset *ds)
{
    ds_vecfile_close(&ds->base);
    ds_vecfile_close(&ds->query);
    ds_vecfile_close(&ds->gt);
    free(ds->name);
    ds->name = NULL;
}
