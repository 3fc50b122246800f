/* ds_dataset: find the parts of a dataset in a folder; see ds_dataset.h. */
#include "ds_dataset.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../util/strbuf.h"

static bool has_vec_ext(const char *n)
{
    static const char *exts[] = {".fvecs", ".bvecs", ".fbin", ".u8bin", ".i8bin"};
    size_t ln = strlen(n);
    for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
        size_t le = strlen(exts[i]);
        if (ln > le && !strcmp(n + ln - le, exts[i]))
            return true;
    }
    return false;
}

/* Pick the first (sorted) file in dir whose name contains role and has a
 * vector extension (or, for ground truth, .ivecs / .ibin / .bin). */
static char *find_part(const char *dir, const char *role, bool gt)
{
    struct dirent **list;
    int n = scandir(dir, &list, NULL, alphasort);
    if (n < 0)
        return NULL;
    char *found = NULL;
    for (int i = 0; i < n; i++) {
        const char *nm = list[i]->d_name;
        size_t ln = strlen(nm);
        bool ok = strstr(nm, role) != NULL;
        if (ok && gt)
            ok = (ln > 6 && !strcmp(nm + ln - 6, ".ivecs")) ||
                 (ln > 5 && !strcmp(nm + ln - 5, ".ibin"));
        else if (ok)
            ok = has_vec_ext(nm);
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

int ds_dataset_open(ds_dataset *ds, const char *path, vm_err *err)
{
    memset(ds, 0, sizeof(*ds));
    struct stat st;
    if (stat(path, &st) < 0)
        return vm_err_set(err, VM_EINPUT, "dataset '%s': %s", path, strerror(errno));
    const char *slash = strrchr(path, '/');
    ds->name = strdup(slash && slash[1] ? slash + 1 : path);
    if (!S_ISDIR(st.st_mode)) {
        if (ds_vecfile_open(&ds->base, path, err) < 0) {
            ds_dataset_close(ds);
            return -1;
        }
        return 0;
    }
    char *base = find_part(path, "base", false);
    if (!base) {
        ds_dataset_close(ds);
        return vm_err_set(err, VM_EINPUT,
                          "dataset '%s': no base vector file (*base*.fvecs, .bvecs, .fbin, .u8bin)",
                          path);
    }
    int rc = ds_vecfile_open(&ds->base, base, err);
    free(base);
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
