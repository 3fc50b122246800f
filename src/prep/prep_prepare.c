/* prep_prepare: convert any dataset layout into the prepared folder, and the
 * manifest written last; see prep_prepare.h. */
#include "prep_prepare.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../dataset/ds_checksum.h"
#include "../util/json_w.h"
#include "../util/strbuf.h"
#include "../util/vm_write.h"
#include "../vecmath/knn_src.h"
#include "prep_holdout.h"

#define BLOCK_BYTES (32u << 20)

static uint64_t block_rows(uint32_t dim)
{
    uint64_t r = BLOCK_BYTES / ((uint64_t)dim * 8);
    return r ? r : 1;
}

static bool finite_row(const float *v, uint32_t dim, uint32_t *at)
{
    for (uint32_t j = 0; j < dim; j++)
        if (!isfinite(v[j])) {
            *at = j;
            return false;
        }
    return true;
}

static double norm2(const float *v, uint32_t dim)
{
    double s = 0;
    for (uint32_t j = 0; j < dim; j++)
        s += (double)v[j] * v[j];
    return s;
}

int prep_norm_max(ds_src *src, double *out, ds_progress_fn fn, void *ctx, vm_err *err)
{
    uint64_t br = block_rows(src->dim);
    float *buf = malloc(br * src->dim * sizeof(float));
    double best = 0;
    int rc = 0;
    for (uint64_t i = 0; i < src->n && rc == 0; i += br) {
        uint64_t c = src->n - i < br ? src->n - i : br;
        rc = ds_src_read_f32(src, i, c, buf, NULL, err);
        for (uint64_t r = 0; r < c && rc == 0; r++) {
            const float *v = buf + r * src->dim;
            uint32_t at;
            if (!finite_row(v, src->dim, &at))
                rc = vm_err_set(err, VM_EINPUT, "%s: row %llu value %u is %g", src->desc,
                                (unsigned long long)(i + r), at, (double)v[at]);
            double s = norm2(v, src->dim);
            if (s > best)
                best = s;
        }
        if (fn)
            fn(ctx, "norm", i + c, src->n);
    }
    free(buf);
    *out = sqrt(best);
    return rc;
}

static int create_out(const char *dir, const char *name, char **path, int *fd, vm_err *err)
{
    strbuf p = STRBUF_INIT;
    sb_addf(&p, "%s/%s", dir, name);
    *path = sb_detach(&p, NULL);
    *fd = open(*path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (*fd < 0)
        return vm_err_set(err, VM_EIO, "%s: %s", *path, strerror(errno));
    return 0;
}

/* A row's id (from a source with ids) in range and not seen before; marks
 * it seen. */
static int check_id(const ds_src *src, uint64_t row, int64_t id, uint64_t *seen, vm_err *err)
{
    if (id < 0 || (uint64_t)id >= src->n)
        return vm_err_set(err, VM_EINPUT, "%s: row %llu has id %lld, outside 0..%llu", src->desc,
                          (unsigned long long)row, (long long)id, (unsigned long long)(src->n - 1));
    if (seen[id >> 6] >> (id & 63) & 1)
        return vm_err_set(err, VM_EINPUT, "%s: id %lld appears twice", src->desc, (long long)id);
    seen[id >> 6] |= 1ull << (id & 63);
    return 0;
}

/* Check rows i..i+c of src in buf (finite, not zero when normalising,
 * ids in range and unique when seen) and normalise them if asked.
 * *best keeps the largest squared norm. */
static int check_rows(const ds_src *src, float *buf, const int64_t *ids, uint64_t i, uint64_t c,
                      bool normalize, uint64_t *seen, double *best, vm_err *err)
{
    uint32_t dim = src->dim;
    for (uint64_t r = 0; r < c; r++) {
        float *v = buf + r * dim;
        uint32_t at;
        if (!finite_row(v, dim, &at))
            return vm_err_set(err, VM_EINPUT, "%s: row %llu value %u is %g", src->desc,
                              (unsigned long long)(i + r), at, (double)v[at]);
        double s = norm2(v, dim);
        if (normalize) {
            if (s == 0)
                return vm_err_set(err, VM_EINPUT,
                                  "%s: row %llu is the zero vector: no direction to normalise",
                                  src->desc, (unsigned long long)(i + r));
            float inv = (float)(1.0 / sqrt(s));
            for (uint32_t j = 0; j < dim; j++)
                v[j] *= inv;
            s = norm2(v, dim);
        }
        if (s > *best)
            *best = s;
        if (seen && check_id(src, i + r, ids[r], seen, err) < 0)
            return -1;
    }
    return 0;
}

/* Where a source's rows go: one big-ann file (row = id), or with rows
 * held out (prep_holdout.h) the base file and the query file. */
typedef struct vec_out {
    const char *name[2]; /* base, queries */
    int fd[2];
    char *path[2];
    const uint64_t *held; /* NULL: no rows held out */
    uint64_t nheld;
} vec_out;

/* Source row x's file (0 base, 1 queries) and its row there. */
static int place(const vec_out *w, uint64_t x, uint64_t *at)
{
    if (!w->held) {
        *at = x;
        return 0;
    }
    return prep_holdout_place(w->held, w->nheld, x, at) ? 1 : 0;
}

/* Write c rows (source rows i.., or where their ids say when has_ids) to
 * their places: a run bound for consecutive rows of one file in one write. */
static int write_rows(const vec_out *w, const uint8_t *rows, size_t row_bytes, const int64_t *ids,
                      uint64_t i, uint64_t c, bool has_ids, vm_err *err)
{
    uint64_t r0 = 0, at0 = 0;
    int f0 = -1, rc = 0;
    for (uint64_t r = 0; r <= c && rc == 0; r++) {
        uint64_t at = 0;
        int f = r < c ? place(w, has_ids ? (uint64_t)ids[r] : i + r, &at) : -1;
        if (f0 >= 0 && f == f0 && at == at0 + (r - r0))
            continue;
        if (f0 >= 0)
            rc = vm_write_all_at(w->fd[f0], rows + r0 * row_bytes, (r - r0) * row_bytes,
                                 (off_t)(8 + at0 * row_bytes), w->path[f0], err);
        f0 = f;
        at0 = at;
        r0 = r;
    }
    return rc;
}

/* Create the output file(s) with their big-ann headers. */
static int open_outs(const char *dir, const ds_src *src, vec_out *w, vm_err *err)
{
    uint64_t n[2] = {src->n - w->nheld, w->nheld};
    int rc = 0;
    for (int f = 0; f < (w->held ? 2 : 1) && rc == 0; f++) {
        rc = create_out(dir, w->name[f], &w->path[f], &w->fd[f], err);
        uint32_t hdr[2] = {(uint32_t)n[f], src->dim};
        if (rc == 0 && n[f] > UINT32_MAX)
            rc = vm_err_set(err, VM_EINPUT, "%s: %llu rows do not fit a big-ann header",
                            src->desc, (unsigned long long)n[f]);
        if (rc == 0)
            rc = vm_write_all_at(w->fd[f], hdr, 8, 0, w->path[f], err);
    }
    return rc;
}

static int close_outs(vec_out *w, int rc, vm_err *err)
{
    for (int f = 0; f < 2; f++) {
        if (w->fd[f] >= 0 && close(w->fd[f]) < 0 && rc == 0)
            rc = vm_err_set(err, VM_EIO, "%s: close: %s", w->path[f], strerror(errno));
        free(w->path[f]);
    }
    return rc;
}

/* Stream src into the big-ann file(s) of w, block by block. */
static int write_vectors(ds_src *src, const char *dir, vec_out *w, bool normalize,
                         double *norm_max, const prep_prepare_opts *o, const char *stage,
                         vm_err *err)
{
    const bool u8 = o->keep_uint8;
    uint32_t dim = src->dim;
    w->fd[0] = w->fd[1] = -1;
    w->path[0] = w->path[1] = NULL;
    int rc = open_outs(dir, src, w, err);
    uint64_t br = block_rows(dim);
    float *buf = malloc(br * dim * sizeof(float));
    int64_t *ids = malloc(br * sizeof(int64_t));
    uint64_t *seen = src->has_ids ? calloc((src->n + 63) / 64, 8) : NULL;
    size_t row_bytes = (size_t)dim * (u8 ? 1 : 4);
    uint8_t *bytes = u8 ? malloc(br * dim) : NULL;
    double best = 0;
    for (uint64_t i = 0; i < src->n && rc == 0; i += br) {
        uint64_t c = src->n - i < br ? src->n - i : br;
        rc = ds_src_read_f32(src, i, c, buf, ids, err);
        if (rc == 0)
            rc = check_rows(src, buf, ids, i, c, normalize, seen, &best, err);
        const uint8_t *rows = (const uint8_t *)buf;
        if (rc == 0 && u8) { /* uint8 source values are whole numbers 0..255 */
            for (size_t j = 0; j < c * dim; j++)
                bytes[j] = (uint8_t)buf[j];
            rows = bytes;
        }
        if (rc == 0)
            rc = write_rows(w, rows, row_bytes, ids, i, c, seen != NULL, err);
        if (o->progress)
            o->progress(o->progress_ctx, stage, i + c, src->n);
    }
    rc = close_outs(w, rc, err);
    free(buf);
    free(bytes);
    free(ids);
    free(seen);
    if (best > *norm_max * *norm_max)
        *norm_max = sqrt(best);
    return rc;
}

static float distance(const float *a, const float *b, uint32_t dim, ds_metric m, bool normalized)
{
    double s = 0, na = 0, nb = 0;
    if (m == DS_METRIC_L2 || normalized || m == DS_METRIC_UNKNOWN) {
        for (uint32_t j = 0; j < dim; j++) {
            double d = (double)a[j] - b[j];
            s += d * d;
        }
        return (float)s;
    }
    for (uint32_t j = 0; j < dim; j++) {
        s += (double)a[j] * b[j];
        na += (double)a[j] * a[j];
        nb += (double)b[j] * b[j];
    }
    if (m == DS_METRIC_IP)
        return (float)-s;
    return na > 0 && nb > 0 ? (float)(1.0 - s / sqrt(na * nb)) : 1.0f;
}

static const char *gt_distance_name(ds_metric m, bool normalized)
{
    if (m == DS_METRIC_COSINE && !normalized)
        return "cosine_distance";
    if (m == DS_METRIC_IP)
        return "negative_inner_product";
    return "squared_l2";
}

/* gt.bin from the source's ids (distances recomputed) or by brute force */
/* The source's ground truth (ids of k neighbours of each of nq queries)
 * into gid, checked against the base's n; row is scratch for k ids. */
static int read_gt(ds_set *s, uint64_t base_n, uint64_t nq, uint32_t k, int64_t *row, int32_t *gid,
                   vm_err *err)
{
    int rc = 0;
    uint8_t *have = calloc(nq ? nq : 1, 1);
    for (uint64_t r = 0; r < s->gt.n && rc == 0; r++) {
        int64_t qid;
        rc = ds_src_read_i64(&s->gt, r, 1, row, &qid, err);
        if (rc < 0)
            break;
        if (qid < 0 || (uint64_t)qid >= nq || have[qid]) {
            rc = vm_err_set(err, VM_EINPUT,
                            "%s: row %llu is for query %lld: out of range or repeated", s->gt.desc,
                            (unsigned long long)r, (long long)qid);
            break;
        }
        have[qid] = 1;
        for (uint32_t j = 0; j < k; j++) {
            if (row[j] < 0 || (uint64_t)row[j] >= base_n) {
                rc = vm_err_set(err, VM_EINPUT,
                                "%s: query %lld neighbour %u is id %lld, outside 0..%llu",
                                s->gt.desc, (long long)qid, j, (long long)row[j],
                                (unsigned long long)(base_n - 1));
                break;
            }
            gid[(size_t)qid * k + j] = (int32_t)row[j];
        }
    }
    free(have);
    return rc;
}

/* Write gt.bin: the header, nq*k ids, then nq*k distances. */
static int write_gt_file(const char *dir, uint64_t nq, uint32_t k, const int32_t *gid,
                         const float *gd, vm_err *err)
{
    char *path;
    int fd;
    int rc = create_out(dir, "gt.bin", &path, &fd, err);
    uint32_t hdr[2] = {(uint32_t)nq, k};
    if (rc == 0)
        rc = vm_write_all_at(fd, hdr, 8, 0, path, err);
    if (rc == 0)
        rc = vm_write_all_at(fd, gid, nq * k * 4, 8, path, err);
    if (rc == 0)
        rc = vm_write_all_at(fd, gd, nq * k * 4, (off_t)(8 + nq * k * 4), path, err);
    if (fd >= 0)
        close(fd);
    free(path);
    return rc;
}

/* Open the written base and query files of dir. */
static int open_written(const char *dir, const prep_prepare_opts *o, ds_src *base, ds_src *query,
                        vm_err *err)
{
    const char *ext = o->keep_uint8 ? "u8bin" : "fbin";
    strbuf p = STRBUF_INIT;
    sb_addf(&p, "%s/base.%s", dir, ext);
    char *bpath = sb_detach(&p, NULL);
    sb_addf(&p, "%s/query.%s", dir, ext);
    char *qpath = sb_detach(&p, NULL);
    int rc = ds_src_open_vecfile(base, bpath, err);
    if (rc == 0 && (rc = ds_src_open_vecfile(query, qpath, err)) < 0)
        ds_src_close(base);
    free(bpath);
    free(qpath);
    return rc;
}

static int write_gt(ds_set *s, const char *dir, const prep_prepare_opts *o, bool normalized,
                    uint32_t *k_out, vm_err *err)
{
    ds_src base, query;
    if (open_written(dir, o, &base, &query, err) < 0)
        return -1;
    uint64_t nq = query.n;
    uint32_t k = s->has_gt ? s->gt.dim : o->gt_k, dim = base.dim;
    int32_t *gid = malloc(nq * k * sizeof(int32_t));
    float *gd = malloc(nq * k * sizeof(float));
    int64_t *row = malloc((size_t)(k > nq * k ? k : nq * k) * sizeof(int64_t));
    float *qs = malloc(nq * dim * sizeof(float)), *bv = malloc((size_t)dim * sizeof(float));
    int rc = ds_src_read_f32(&query, 0, nq, qs, NULL, err);
    if (rc == 0 && s->has_gt) {
        rc = read_gt(s, base.n, nq, k, row, gid, err);
    } else if (rc == 0) {
        if (s->metric == DS_METRIC_IP)
            rc = vm_err_set(err, VM_EINPUT,
                            "%s: computing inner-product ground truth is not supported", s->path);
        if (rc == 0)
            rc = knn_src_exact(&base, qs, (uint32_t)nq, k,
                               s->metric == DS_METRIC_COSINE && !normalized, row, gd, o->progress,
                               o->progress_ctx, err);
        for (uint64_t i = 0; rc == 0 && i < nq * k; i++)
            gid[i] = (int32_t)row[i];
    }
    /* distances always from the written vectors: the same for every source */
    for (uint64_t q = 0; q < nq && rc == 0; q++)
        for (uint32_t j = 0; j < k; j++) {
            ds_vecfile_row_f32(&base.vf, (uint64_t)gid[q * k + j], bv);
            gd[q * k + j] = distance(qs + q * dim, bv, dim, s->metric, normalized);
        }
    if (rc == 0)
        rc = write_gt_file(dir, nq, k, gid, gd, err);
    free(gid);
    free(gd);
    free(row);
    free(qs);
    free(bv);
    ds_src_close(&base);
    ds_src_close(&query);
    *k_out = k;
    return rc;
}

/* {"base.fbin": "<hex>", ...} for the prepared files found in dir */
static json_object *prepared_sha256(const char *dir, vm_err *err)
{
    static const char *names[] = {"base.fbin", "base.u8bin", "query.fbin", "query.u8bin", "gt.bin"};
    json_object *o = json_object_new_object();
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        strbuf p = STRBUF_INIT;
        sb_addf(&p, "%s/%s", dir, names[i]);
        char hex[65];
        int rc = access(p.buf, R_OK) == 0 ? ds_sha256_file(p.buf, hex, err) : 1;
        sb_release(&p);
        if (rc < 0) {
            json_object_put(o);
            return NULL;
        }
        if (rc == 0)
            jw_add(o, names[i], json_object_new_string(hex));
    }
    return o;
}

static json_object *manifest_json(const prep_manifest *m)
{
    json_object *o = json_object_new_object();
    jw_add(o, "layout", jw_str("valkey-memstress prepared v1 (big-ann fbin + gt.bin)"));
    jw_add(o, "metric", jw_str(ds_metric_name(m->metric)));
    jw_add(o, "normalized", json_object_new_boolean(m->normalized));
    if (m->metric == DS_METRIC_COSINE && !m->normalized)
        jw_add(o, "note", jw_str("cosine data kept as is: normalise before indexing as L2"));
    jw_add(o, "element_type", jw_str(m->elem));
    static const char *const counts[] = {"dim", "base_count", "query_count", "gt_k"};
    uint64_t n[] = {m->dim, m->n_base, m->n_query, m->gt_k};
    for (size_t i = 0; i < 4; i++)
        jw_add(o, counts[i], json_object_new_uint64(n[i]));
    jw_add(o, "gt_distance", jw_str(m->gt_distance));
    jw_add(o, "norm_max", jw_num_sig(m->norm_max, 9));
    json_object *src = json_object_new_object();
    jw_add(src, "format", jw_str(m->source_format ? m->source_format : "generated"));
    jw_add(src, "path", jw_str(m->source_path ? m->source_path : ""));
    jw_add(src, "files", m->sources ? json_object_get(m->sources) : json_object_new_array());
    jw_add(o, "source", src);
    if (m->queries_from_base)
        jw_add(o, "queries_from_base", json_object_get(m->queries_from_base));
    return o;
}

int prep_manifest_write(const char *dir, const prep_manifest *m, vm_err *err)
{
    json_object *sha = prepared_sha256(dir, err);
    if (!sha)
        return -1;
    json_object *o = manifest_json(m);
    jw_add(o, "sha256", sha);
    strbuf fin = STRBUF_INIT;
    sb_addf(&fin, "%s/manifest.json", dir);
    int rc = jw_write_file(fin.buf, o, err);
    if (rc < 0) /* named as before: the folder's manifest, not its .tmp */
        vm_err_set(err, VM_EIO, "%s: %s", fin.buf, strerror(errno));
    sb_release(&fin);
    json_object_put(o);
    return rc;
}

/* [{"path": ..., "bytes": ..., "sha256": ...}] for the source files read */
static json_object *sources_json(const ds_set *s, bool no_checksums, vm_err *err)
{
    json_object *a = json_object_new_array();
    for (size_t i = 0; i < s->nfiles; i++) {
        struct stat st;
        char hex[65] = "";
        if (stat(s->files[i], &st) < 0)
            st.st_size = 0;
        if (!no_checksums && ds_sha256_file(s->files[i], hex, err) < 0) {
            json_object_put(a);
            return NULL;
        }
        json_object *f = json_object_new_object();
        jw_add(f, "path", jw_str(s->files[i]));
        jw_add(f, "bytes", json_object_new_int64((int64_t)st.st_size));
        jw_add(f, "sha256", jw_str(hex));
        json_object_array_add(a, f);
    }
    return a;
}

/* What --queries-from-base and --gt-k need of the source. */
static int check_holdout(const ds_set *s, const prep_prepare_opts *o, vm_err *err)
{
    if (s->rows_json && (o->gt_k || o->queries_from_base))
        return vm_err_param(
            err, o->queries_from_base ? "queries_from_base" : "gt_k", VM_EINPUT,
            "%s holds only rows %llu..%llu of %llu (%s): exact ground truth needs every row; "
            "prepare the whole set once, or use the published ground truth",
            s->path, (unsigned long long)s->rows_first, (unsigned long long)s->rows_end,
            (unsigned long long)s->rows_total, s->rows_json);
    if (!o->queries_from_base)
        return 0;
    if (s->has_query || s->has_gt)
        return vm_err_param(err, "queries_from_base", VM_EINPUT,
                            "%s already has queries%s: prepare it as it is, or give only its "
                            "base file to hold queries out of it",
                            s->path, s->has_gt ? " and ground truth" : "");
    if (s->metric == DS_METRIC_IP)
        return vm_err_param(err, "queries_from_base", VM_EINPUT,
                            "%s: computing inner-product ground truth is not supported", s->path);
    uint64_t left = s->base.n > o->queries_from_base ? s->base.n - o->queries_from_base : 0;
    if (left && o->gt_k > left)
        return vm_err_param(err, "gt_k", VM_EINPUT,
                            "ground truth %u deep, but only %llu base rows are left", o->gt_k,
                            (unsigned long long)left);
    return 0;
}

static int check_source(ds_set *s, const prep_prepare_opts *o, vm_err *err)
{
    if (!s->has_base)
        return vm_err_set(err, VM_EINPUT, "%s: no base vectors to prepare", s->path);
    if (s->metric == DS_METRIC_UNKNOWN) /* TEXMEX / big-ann / parquet say nothing: SIFT-style L2 */
        s->metric = DS_METRIC_L2;
    if (check_holdout(s, o, err) < 0)
        return -1;
    if (!s->has_query && !o->queries_from_base && (s->has_gt || o->gt_k))
        return vm_err_set(err, VM_EINPUT, "%s: ground truth without queries", s->path);
    if (o->normalize && s->metric == DS_METRIC_IP)
        return vm_err_set(err, VM_EINPUT, "%s: inner-product data must not be normalised", s->path);
    if (o->keep_uint8 &&
        (o->normalize || s->base.elem != DS_U8 || (s->has_query && s->query.elem != DS_U8)))
        return vm_err_param(err, "type", VM_EINPUT,
                            "%s: uint8 output needs uint8 base and queries, not normalised",
                            s->path);
    return 0;
}

/* Copy a partial download's rows.json into dir unchanged. */
static int copy_rows_json(const ds_set *s, const char *dir, vm_err *err)
{
    strbuf in = STRBUF_INIT;
    if (sb_read_file(&in, s->rows_json) < 0) {
        sb_release(&in);
        return vm_err_set(err, VM_EIO, "%s: %s", s->rows_json, strerror(errno));
    }
    char *path;
    int fd;
    int rc = create_out(dir, "rows.json", &path, &fd, err);
    if (rc == 0)
        rc = vm_write_all_at(fd, in.buf, in.len, 0, path, err);
    if (fd >= 0)
        close(fd);
    free(path);
    sb_release(&in);
    return rc;
}

/* {"count", "seed", "rule", "held_out": [source rows]} */
static json_object *holdout_json(const prep_prepare_opts *o, const uint64_t *held)
{
    json_object *h = json_object_new_object(), *a = json_object_new_array();
    jw_add(h, "count", json_object_new_uint64(o->queries_from_base));
    jw_add(h, "seed", json_object_new_uint64(o->seed));
    jw_add(h, "rule", jw_str("Floyd's sampling over splitmix64(seed), sorted: query i = the "
                             "i-th held-out source row (prep_holdout.h)"));
    for (uint64_t i = 0; i < o->queries_from_base; i++)
        json_object_array_add(a, json_object_new_uint64(held[i]));
    jw_add(h, "held_out", a);
    return h;
}

/* base (and queries) into o->out: the base split when rows are held out */
static int prepare_vectors(ds_set *s, const prep_prepare_opts *o, const uint64_t *held,
                           double *nm, vm_err *err)
{
    bool u8 = o->keep_uint8;
    vec_out w = {.name = {u8 ? "base.u8bin" : "base.fbin", u8 ? "query.u8bin" : "query.fbin"},
                 .held = held,
                 .nheld = held ? o->queries_from_base : 0};
    if (write_vectors(&s->base, o->out, &w, o->normalize, nm, o, "base", err) < 0)
        return -1;
    vec_out q = {.name = {w.name[1], NULL}};
    if (s->has_query && write_vectors(&s->query, o->out, &q, o->normalize, nm, o, "queries", err) < 0)
        return -1;
    return 0;
}

static int prepare_manifest(ds_set *s, const prep_prepare_opts *o, const prep_prepare_result *r,
                            json_object *holdout, vm_err *err)
{
    bool normalized = o->normalize || s->normalized;
    json_object *src = sources_json(s, o->no_checksums, err);
    if (!src)
        return -1;
    prep_manifest m = {
        .source_format = s->format,
        .source_path = s->path,
        .metric = s->metric,
        .normalized = normalized,
        .elem = o->keep_uint8 ? "uint8" : "float32",
        .n_base = r->n_base,
        .n_query = r->n_query,
        .dim = r->dim,
        .gt_k = r->gt_k,
        .norm_max = r->norm_max,
        .gt_distance = gt_distance_name(s->metric, normalized),
        .sources = src,
        .queries_from_base = holdout,
    };
    int rc = prep_manifest_write(o->out, &m, err);
    json_object_put(src);
    return rc;
}

int prep_prepare(ds_set *s, const prep_prepare_opts *opts, prep_prepare_result *r, vm_err *err)
{
    memset(r, 0, sizeof(*r));
    prep_prepare_opts o = *opts;
    if (check_source(s, &o, err) < 0)
        return -1;
    uint64_t *held = NULL;
    if (o.queries_from_base) {
        uint64_t left = s->base.n > o.queries_from_base ? s->base.n - o.queries_from_base : 0;
        if (!o.gt_k) /* the default depth, or all that is left */
            o.gt_k = left < PREP_HOLDOUT_GT_K ? (uint32_t)left : PREP_HOLDOUT_GT_K;
        if (prep_holdout_draw(s->base.n, o.queries_from_base, o.seed, &held, err) < 0)
            return -1;
    }
    if (mkdir(o.out, 0755) < 0 && errno != EEXIST) {
        free(held);
        return vm_err_set(err, VM_EIO, "%s: %s", o.out, strerror(errno));
    }
    /* an older manifest would vouch for files being rewritten */
    strbuf mp = STRBUF_INIT;
    sb_addf(&mp, "%s/manifest.json", o.out);
    unlink(mp.buf);
    sb_release(&mp);
    bool has_q = s->has_query || held;
    int rc = prepare_vectors(s, &o, held, &r->norm_max, err);
    if (rc == 0 && has_q && (s->has_gt || o.gt_k))
        rc = write_gt(s, o.out, &o, o.normalize || s->normalized, &r->gt_k, err);
    if (rc == 0 && s->rows_json)
        rc = copy_rows_json(s, o.out, err);
    r->n_base = s->base.n - (held ? o.queries_from_base : 0);
    r->n_query = held ? o.queries_from_base : s->has_query ? s->query.n : 0;
    r->dim = s->base.dim;
    json_object *h = held ? holdout_json(&o, held) : NULL;
    if (rc == 0)
        rc = prepare_manifest(s, &o, r, h, err);
    json_object_put(h);
    free(held);
    return rc;
}
