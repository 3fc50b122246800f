/* ds_set: recognise a dataset's layout and open its parts; see ds_set.h. */
#include "ds_set.h"

#include <dirent.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "../util/strbuf.h"
#include "../util/strvec.h"
#include "../util/vm_grow.h"
#include "ds_catalog.h"
#include "ds_hf.h"
#include "ds_parquet.h"

const char *ds_metric_name(ds_metric m)
{
    switch (m) {
    case DS_METRIC_L2: return "L2";
    case DS_METRIC_COSINE: return "COSINE";
    case DS_METRIC_IP: return "IP";
    default: return "unknown";
    }
}

int ds_metric_parse(const char *s, ds_metric *out)
{
    static const struct {
        const char *n;
        ds_metric m;
    } names[] = {{"l2", DS_METRIC_L2},         {"euclidean", DS_METRIC_L2},
                 {"cosine", DS_METRIC_COSINE}, {"angular", DS_METRIC_COSINE},
                 {"ip", DS_METRIC_IP},         {"dot", DS_METRIC_IP},
                 {"inner_product", DS_METRIC_IP}};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (!strcasecmp(s, names[i].n)) {
            *out = names[i].m;
            return 0;
        }
    return -1;
}

static bool ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcmp(s + a - b, suf);
}

static void add_file(ds_set *s, const char *path)
{
    s->files = vm_xrealloc_array(s->files, s->nfiles + 1, sizeof(char *));
    s->files[s->nfiles++] = strdup(path);
}

/* sorted names in dir */
static char **list_dir(const char *dir, int *n)
{
    struct dirent **ents;
    *n = scandir(dir, &ents, NULL, alphasort);
    if (*n < 0)
        return NULL;
    char **names = calloc((size_t)*n + 1, sizeof(char *));
    for (int i = 0; i < *n; i++) {
        names[i] = strdup(ents[i]->d_name);
        free(ents[i]);
    }
    free(ents);
    return names;
}

static void free_list(char **l, int n)
{
    for (int i = 0; i < n; i++)
        free(l[i]);
    free(l);
}

static char *join(const char *dir, const char *name)
{
    strbuf p = STRBUF_INIT;
    sb_addf(&p, "%s/%s", dir, name);
    return sb_detach(&p, NULL);
}

static bool names_has(char **names, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(names[i], name))
            return true;
    return false;
}

/* ---- one file per role -------------------------------------------------- */

static int open_parquet_role(ds_set *s, ds_src *src, const char *const *paths, size_t n,
                             const char *col, vm_err *err)
{
    if (ds_src_open_parquet(src, paths, n, col, err) < 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        add_file(s, paths[i]);
    return 0;
}

static int open_vec_role(ds_set *s, ds_src *src, const char *path, vm_err *err)
{
    if (ends_with(path, ".parquet"))
        return open_parquet_role(s, src, &path, 1, src == &s->gt ? NULL : s->column, err);
    int rc;
    if (ds_vecfile_known_ext(path))
        rc = ds_src_open_vecfile(src, path, err);
    else /* big-ann GT files carry no extension ("bigann-10M") */
        rc = ds_src_open_vecfile_as(src, path, DS_BIGANN, DS_I32, err);
    if (rc == 0)
        add_file(s, path);
    return rc;
}

static int open_gt_role(ds_set *s, const char *path, vm_err *err)
{
    if (open_vec_role(s, &s->gt, path, err) < 0)
        return -1;
    s->has_gt = true;
    if (s->gt.mapped && s->gt.vf.dists) {
        ds_src_view(&s->gt_dist, path, DS_FMT_BIGANN, s->gt.vf.dists, s->gt.n, s->gt.dim, DS_F32);
        s->has_gt_dist = true;
    }
    return 0;
}

/* ---- layouts ------------------------------------------------------------ */

static int open_hdf5(ds_set *s, const char *path, vm_err *err)
{
    s->format = "HDF5";
    add_file(s, path);
    if (ds_src_open_hdf5(&s->base, path, "train", err) < 0)
        return -1;
    s->has_base = true;
    if (ds_hdf5_has(path, "test")) {
        if (ds_src_open_hdf5(&s->query, path, "test", err) < 0)
            return -1;
        s->has_query = true;
    }
    if (ds_hdf5_has(path, "neighbors")) {
        if (ds_src_open_hdf5(&s->gt, path, "neighbors", err) < 0)
            return -1;
        s->has_gt = true;
    }
    if (ds_hdf5_has(path, "distances")) {
        if (ds_src_open_hdf5(&s->gt_dist, path, "distances", err) < 0)
            return -1;
        s->has_gt_dist = true;
    }
    char d[64];
    int r = ds_hdf5_root_attr(path, "distance", d, sizeof(d), err);
    if (r < 0)
        return -1;
    if (r == 0) {
        if (ds_metric_parse(d, &s->metric) < 0)
            return vm_err_set(err, VM_EINPUT, "%s: distance '%s' not supported (euclidean, angular, dot)",
                              path, d);
        s->metric_from = "HDF5 attribute";
    }
    return 0;
}

/* train files: shuffle_train*.parquet, else train*.parquet (sorted: -00-of-10 first) */
static int open_parquet_dir(ds_set *s, const char *dir, char **names, int n, vm_err *err)
{
    s->format = "parquet";
    const char *pref[] = {"shuffle_train", "train"};
    for (int p = 0; p < 2 && !s->has_base; p++) {
        strvec paths = STRVEC_INIT;
        for (int i = 0; i < n; i++)
            if (!strncmp(names[i], pref[p], strlen(pref[p])) && ends_with(names[i], ".parquet"))
                sv_push_nodup(&paths, join(dir, names[i]));
        size_t np = paths.n;
        int rc = np ? open_parquet_role(s, &s->base, (const char *const *)paths.v, np, s->column,
                                        err)
                    : 0;
        sv_clear(&paths);
        if (rc < 0)
            return -1;
        if (np)
            s->has_base = true;
    }
    for (int i = 0; i < n; i++) {
        const char *nm = names[i];
        if (!ends_with(nm, ".parquet"))
            continue;
        char *p = join(dir, nm);
        int rc = 0;
        if (!s->has_query && (!strcmp(nm, "test.parquet") || !strncmp(nm, "query", 5))) {
            rc = open_parquet_role(s, &s->query, (const char *const *)&p, 1, s->column, err);
            s->has_query = rc == 0;
        } else if (!s->has_gt && !strncmp(nm, "neighbors", 9) &&
                   (!strcmp(nm, "neighbors.parquet") || !names_has(names, n, "neighbors.parquet"))) {
            rc = open_parquet_role(s, &s->gt, (const char *const *)&p, 1, "neighbors_id", err);
            s->has_gt = rc == 0;
        }
        free(p);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static bool vec_ext(const char *nm)
{
    return ends_with(nm, ".fvecs") || ends_with(nm, ".bvecs") || ends_with(nm, ".fbin") ||
           ends_with(nm, ".u8bin") || ends_with(nm, ".i8bin") || ends_with(nm, ".npy");
}

static bool gt_name(const char *nm)
{
    bool ext = ends_with(nm, ".ivecs") || ends_with(nm, ".ibin") || ends_with(nm, ".bin") ||
               ends_with(nm, ".npy");
    return ext && (strstr(nm, "groundtruth") || strstr(nm, "neighbors") || !strncmp(nm, "gt", 2) ||
                   !strncmp(nm, "GT", 2));
}

/* What the manifest (prep_prepare.h) says of the vectors: metric,
 * normalized, norm_max.  A missing or unreadable manifest says nothing. */
static int open_manifest(ds_set *s, const char *dir, vm_err *err)
{
    char *mp = join(dir, "manifest.json");
    json_object *m = json_object_from_file(mp), *v;
    free(mp);
    if (json_object_object_get_ex(m, "metric", &v) && json_object_is_type(v, json_type_string) &&
        ds_metric_parse(json_object_get_string(v), &s->metric) == 0)
        s->metric_from = "manifest";
    if (json_object_object_get_ex(m, "normalized", &v))
        s->normalized = json_object_get_boolean(v);
    if (json_object_object_get_ex(m, "norm_max", &v))
        s->norm_max = json_object_get_double(v);
    json_object_put(m);
    (void)err;
    return 0;
}

static int open_vec_dir(ds_set *s, const char *dir, char **names, int n, vm_err *err)
{
    const char *base = NULL, *query = NULL, *gt = NULL;
    for (int i = 0; i < n; i++) {
        const char *nm = names[i];
        if (gt_name(nm)) {
            if (!gt)
                gt = nm;
        } else if (vec_ext(nm) && strstr(nm, "base")) {
            if (!base)
                base = nm;
        } else if (vec_ext(nm) && (strstr(nm, "query") || strstr(nm, "queries"))) {
            if (!query)
                query = nm;
        }
    }
    if (!base)
        return 1;
    char *p = join(dir, base);
    int rc = open_vec_role(s, &s->base, p, err);
    free(p);
    if (rc < 0)
        return -1;
    s->has_base = true;
    s->format = ds_fmt_name(s->base.fmt);
    if (query) {
        p = join(dir, query);
        rc = open_vec_role(s, &s->query, p, err);
        free(p);
        if (rc < 0)
            return -1;
        s->has_query = true;
    }
    if (gt) {
        p = join(dir, gt);
        rc = open_gt_role(s, p, err);
        free(p);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* A HuggingFace folder: its shards are the base (1: none found). */
static int open_hf_dir(ds_set *s, const char *dir, vm_err *err)
{
    strvec paths = STRVEC_INIT;
    ds_hf_shards(dir, &paths);
    int rc = 1;
    if (paths.n) {
        rc = open_parquet_role(s, &s->base, (const char *const *)paths.v, paths.n, s->column, err);
        s->has_base = rc == 0;
        s->format = "HuggingFace parquet";
    }
    sv_clear(&paths);
    return rc;
}

/* rows.json of a partial download: what it says, when it says it. */
static void open_rows_json(ds_set *s, const char *dir)
{
    s->rows_json = join(dir, "rows.json");
    json_object *m = json_object_from_file(s->rows_json), *v;
    static const char *const keys[] = {"rows_first", "rows_end", "rows_total"};
    uint64_t *out[] = {&s->rows_first, &s->rows_end, &s->rows_total};
    for (size_t i = 0; i < 3; i++)
        if (json_object_object_get_ex(m, keys[i], &v))
            *out[i] = (uint64_t)json_object_get_int64(v);
    json_object_put(m);
}

static int open_dir(ds_set *s, const char *dir, vm_err *err)
{
    int n;
    char **names = list_dir(dir, &n);
    if (!names)
        return vm_err_set(err, VM_EINPUT, "dataset '%s': %s", dir, strerror(errno));
    int rc = 1;
    if (names_has(names, n, "manifest.json")) {
        rc = open_vec_dir(s, dir, names, n, err);
        if (rc == 0) {
            s->format = "prepared";
            open_manifest(s, dir, err);
        }
    }
    if (rc == 1)
        rc = open_vec_dir(s, dir, names, n, err);
    if (rc == 1) {
        for (int i = 0; i < n && rc == 1; i++)
            if (ends_with(names[i], ".hdf5")) {
                char *p = join(dir, names[i]);
                rc = open_hdf5(s, p, err);
                free(p);
            }
    }
    if (rc == 1) {
        bool pq = false;
        for (int i = 0; i < n; i++)
            pq |= ends_with(names[i], ".parquet");
        if (pq)
            rc = open_parquet_dir(s, dir, names, n, err);
        if (rc == 0 && !s->has_base && !s->has_query && !s->has_gt)
            rc = 1; /* parquet files, but none named like a dataset part */
    }
    if (rc == 1)
        rc = open_hf_dir(s, dir, err);
    if (rc == 0 && names_has(names, n, "rows.json"))
        open_rows_json(s, dir);
    free_list(names, n);
    if (rc == 1)
        return vm_err_set(err, VM_EINPUT,
                          "dataset '%s': no dataset files recognised (*base*.fvecs|bvecs|fbin|u8bin|npy, "
                          "*.hdf5, train*.parquet / test.parquet / neighbors*.parquet, "
                          "data/*.parquet, refs/convert/parquet/)",
                          dir);
    return rc;
}

static int open_file(ds_set *s, const char *path, vm_err *err)
{
    if (ends_with(path, ".hdf5") || ends_with(path, ".h5"))
        return open_hdf5(s, path, err);
    if (ends_with(path, ".parquet")) {
        s->format = "parquet";
        ds_src tmp;
        if (open_parquet_role(s, &tmp, &path, 1, s->column, err) < 0)
            return -1;
        /* a list of integers is ground truth (neighbors_id), else vectors */
        if (tmp.elem == DS_I64 || tmp.elem == DS_I32) {
            s->gt = tmp;
            s->has_gt = true;
        } else {
            s->base = tmp;
            s->has_base = true;
        }
        return 0;
    }
    if (gt_name(strrchr(path, '/') ? strrchr(path, '/') + 1 : path)) {
        if (open_gt_role(s, path, err) < 0)
            return -1;
        s->format = ds_fmt_name(s->gt.fmt);
        return 0;
    }
    if (open_vec_role(s, &s->base, path, err) < 0)
        return -1;
    s->has_base = true;
    s->format = ds_fmt_name(s->base.fmt);
    return 0;
}

static int check(ds_set *s, vm_err *err)
{
    if (s->has_base && s->has_query && s->base.dim != s->query.dim)
        return vm_err_set(err, VM_EINPUT, "%s: queries have dimension %u, base (%s) %u",
                          s->query.desc, s->query.dim, s->base.desc, s->base.dim);
    if (s->has_query && s->has_gt && s->gt.n != s->query.n)
        return vm_err_set(err, VM_EINPUT, "%s: ground truth for %llu queries, %s has %llu",
                          s->gt.desc, (unsigned long long)s->gt.n, s->query.desc,
                          (unsigned long long)s->query.n);
    if (s->has_gt_dist && (s->gt_dist.n != s->gt.n || s->gt_dist.dim != s->gt.dim))
        return vm_err_set(err, VM_EINPUT, "%s: distances are %llu x %u, ids %llu x %u",
                          s->gt_dist.desc, (unsigned long long)s->gt_dist.n, s->gt_dist.dim,
                          (unsigned long long)s->gt.n, s->gt.dim);
    if (s->has_gt && (s->gt.elem == DS_F32 || s->gt.elem == DS_F64))
        return vm_err_set(err, VM_EINPUT, "%s: ground-truth ids are floating point", s->gt.desc);
    return 0;
}

int ds_set_open(ds_set *s, const ds_set_spec *spec, vm_err *err)
{
    memset(s, 0, sizeof(*s));
    s->column = spec->column;
    int rc = 0;
    if (spec->path) {
        s->path = strdup(spec->path);
        struct stat st;
        char cat[1024];
        if (stat(spec->path, &st) < 0 &&
            ds_catalog_resolve(spec->path, NULL, cat, sizeof(cat)) == 0 && stat(cat, &st) == 0) {
            free(s->path);
            s->path = strdup(cat);
        }
        if (stat(s->path, &st) < 0)
            rc = vm_err_set(err, VM_EINPUT, "dataset '%s': %s%s", spec->path, strerror(errno),
                            ds_catalog_find(spec->path) ? " (a catalog name: 'dataset download' it first)" : "");
        else if (S_ISDIR(st.st_mode))
            rc = open_dir(s, s->path, err);
        else
            rc = open_file(s, s->path, err);
    } else {
        s->path = strdup(spec->base ? spec->base : "?");
        if (!spec->base)
            rc = vm_err_param(err, "base", VM_EINPUT,
                              "no dataset given: a path or a base vector file");
        if (rc == 0) {
            rc = open_vec_role(s, &s->base, spec->base, err);
            s->has_base = rc == 0;
            s->format = rc == 0 ? ds_fmt_name(s->base.fmt) : NULL;
        }
    }
    if (rc == 0 && spec->query) {
        if (s->has_query)
            ds_src_close(&s->query);
        rc = open_vec_role(s, &s->query, spec->query, err);
        s->has_query = rc == 0;
    }
    if (rc == 0 && spec->gt) {
        if (s->has_gt)
            ds_src_close(&s->gt);
        if (s->has_gt_dist)
            ds_src_close(&s->gt_dist);
        s->has_gt = s->has_gt_dist = false;
        rc = open_gt_role(s, spec->gt, err);
    }
    if (rc == 0 && spec->metric != DS_METRIC_UNKNOWN) {
        s->metric = spec->metric;
        s->metric_from = "option";
    }
    if (rc == 0)
        rc = check(s, err);
    if (rc < 0) {
        ds_set_close(s);
        return -1;
    }
    return 0;
}

void ds_set_close(ds_set *s)
{
    if (s->has_base)
        ds_src_close(&s->base);
    if (s->has_query)
        ds_src_close(&s->query);
    if (s->has_gt)
        ds_src_close(&s->gt);
    if (s->has_gt_dist)
        ds_src_close(&s->gt_dist);
    for (size_t i = 0; i < s->nfiles; i++)
        free(s->files[i]);
    free(s->files);
    free(s->path);
    free(s->rows_json);
    memset(s, 0, sizeof(*s));
}
