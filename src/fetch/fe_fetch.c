/* fe_fetch: fetch a catalog entry, or only some of its rows; see
 * fe_fetch.h. */
#include "fe_fetch.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../dataset/ds_parquet.h"
#include "../util/json_w.h"
#include "../util/strbuf.h"
#include "../util/strvec.h"
#include "../util/vm_grow.h"
#include "../util/vm_slice.h"

typedef struct fetch_ctx {
    const ds_cat_entry *e;
    const fe_fetch_opts *o;
    char base[1024];          /* URL ending in '/' */
    const char *bearer;       /* $HF_TOKEN when base is the hub's host, else NULL */
    uint32_t nshards;
    uint64_t *shard_rows;     /* nshards counts */
} fetch_ctx;

static int mkdirs(const char *path, vm_err *err)
{
    char p[1024];
    snprintf(p, sizeof(p), "%s", path);
    for (char *s = p + 1;; s++) {
        if (*s == '/' || *s == '\0') {
            char c = *s;
            *s = '\0';
            if (mkdir(p, 0755) < 0 && errno != EEXIST)
                return vm_err_set(err, VM_EIO, "cannot create folder '%s': %s", p, strerror(errno));
            *s = c;
            if (!c)
                break;
        }
    }
    return 0;
}

/* "scheme://host[:port]" of url, its length */
static size_t origin_len(const char *url)
{
    const char *s = strstr(url, "://");
    if (!s)
        return 0;
    const char *slash = strchr(s + 3, '/');
    return slash ? (size_t)(slash - url) : strlen(url);
}

/* path relative to the base, or a URL of its own (mirrored by its path) */
static void file_url(const fetch_ctx *c, const char *path, strbuf *url)
{
    size_t ol = origin_len(path);
    if (ol && !c->o->mirror)
        sb_addf(url, "%s", path);
    else if (ol)
        sb_addf(url, "%s%s", c->base, path[ol] == '/' ? path + ol + 1 : path + ol);
    else
        sb_addf(url, "%s%s", c->base, path);
}

/* The token goes only where the hub is: an HF entry whose base (or
 * mirror) has HF_ENDPOINT's origin. */
static const char *hf_bearer(const ds_cat_entry *e, const char *base)
{
    const char *tok = getenv("HF_TOKEN");
    if (!e->hf_repo || !tok || !*tok)
        return NULL;
    char ep[512];
    ds_catalog_hf_endpoint(ep, sizeof(ep));
    size_t ol = origin_len(ep);
    return ol && origin_len(base) == ol && !strncasecmp(base, ep, ol) ? tok : NULL;
}

static int ctx_init(fetch_ctx *c, const ds_cat_entry *e, const fe_fetch_opts *o)
{
    memset(c, 0, sizeof(*c));
    c->e = e;
    c->o = o;
    if (o->mirror) {
        size_t l = strlen(o->mirror);
        snprintf(c->base, sizeof(c->base), "%s%s", o->mirror, l && o->mirror[l - 1] == '/' ? "" : "/");
    } else {
        ds_catalog_base_url(e, c->base, sizeof(c->base));
    }
    c->bearer = hf_bearer(e, c->base);
    return 0;
}

/* One file into folder: downloaded (resumed, verified), unpacked if an archive. */
static int fetch_one(const fetch_ctx *c, const ds_cat_file *f, const char *folder,
                     uint64_t first, uint64_t rows, uint32_t row_bytes, vm_err *err)
{
    const fe_fetch_opts *o = c->o;
    strbuf url = STRBUF_INIT, dest = STRBUF_INIT;
    file_url(c, f->path, &url);
    const char *local = f->local;
    if (!local) {
        local = strrchr(f->path, '/');
        local = local ? local + 1 : f->path;
    }
    sb_addf(&dest, "%s/%s", folder, local);
    fe_request r = {.url = url.buf, .dest = dest.buf, .bytes = f->bytes, .sha256 = f->sha256,
                    .crop_rows = rows, .crop_first = first, .crop_row_bytes = row_bytes,
                    .bearer = c->bearer, .progress = o->progress,
                    .progress_ctx = o->progress_ctx, .cancel = o->cancel};
    if (rows)
        r.bytes = 0; /* the crop size is checked by fe_download itself */
    fe_result res;
    int rc = fe_download(&r, &res, err);
    if (rc == 0 && f->extract) {
        strbuf mark = STRBUF_INIT;
        sb_addf(&mark, "%s.extracted", dest.buf);
        struct stat st;
        if (stat(mark.buf, &st) < 0) {
            rc = fe_extract(dest.buf, folder, err);
            FILE *m = rc == 0 ? fopen(mark.buf, "w") : NULL;
            if (m)
                fclose(m);
        }
        sb_release(&mark);
    }
    if (rc == 0 && o->on_file)
        o->on_file(o->on_file_ctx, url.buf, dest.buf, &res);
    sb_release(&url);
    sb_release(&dest);
    return rc;
}

static void shard_path(const ds_cat_entry *e, uint32_t i, char *out, size_t n)
{
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    snprintf(out, n, e->shard_fmt, i);
#pragma GCC diagnostic pop
}

/* Rows in shard i from its parquet footer (two suffix ranges: the last 8
 * bytes give the footer's length).  1: no such shard (a probe's end). */
static int footer_rows(const fetch_ctx *c, uint32_t i, uint64_t *rows, vm_err *err)
{
    char p[512];
    shard_path(c->e, i, p, sizeof(p));
    strbuf url = STRBUF_INIT, buf = STRBUF_INIT;
    file_url(c, p, &url);
    long code = 0;
    int rc = fe_fetch_tail(url.buf, c->bearer, 8, &buf, &code, err);
    if (rc == 1 && code != 404)
        rc = vm_err_set(err, VM_EIO, "%s: HTTP %ld", url.buf, code);
    uint32_t flen = 0;
    if (rc == 0) {
        memcpy(&flen, buf.buf, 4); /* little-endian, as the format says */
        if (memcmp(buf.buf + 4, "PAR1", 4) || flen == 0 || flen > (64u << 20))
            rc = vm_err_set(err, VM_EINPUT, "%s: not a parquet file (no footer)", url.buf);
    }
    if (rc == 0 && (rc = fe_fetch_tail(url.buf, c->bearer, flen + 8ull, &buf, &code, err)) == 1)
        rc = vm_err_set(err, VM_EIO, "%s: HTTP %ld", url.buf, code);
    if (rc == 0) {
        pq_meta m;
        memset(&m, 0, sizeof(m));
        if (pq_meta_parse((const uint8_t *)buf.buf, flen, &m, err) < 0)
            rc = vm_err_prefix(err, "%s", url.buf);
        else
            *rows = (uint64_t)m.num_rows;
        pq_meta_free(&m);
    }
    sb_release(&url);
    sb_release(&buf);
    return rc;
}

/* Every shard's row count: the catalog's, else the footers' (probing the
 * count when it is not published). */
static int shard_counts(fetch_ctx *c, vm_err *err)
{
    const ds_cat_entry *e = c->e;
    size_t cap = 0;
    for (uint32_t i = 0; !e->shard_count || i < e->shard_count; i++) {
        uint64_t rows = 0;
        int rc = e->shard_rows ? (rows = e->shard_rows[i], 0) : footer_rows(c, i, &rows, err);
        if (rc < 0)
            return -1;
        if (rc == 1 && i == 0)
            return vm_err_set(err, VM_EIO, "%s: no shard 0 (HTTP 404)", e->name);
        if (rc == 1 && e->shard_count)
            return vm_err_set(err, VM_EIO, "%s: shard %u of %u missing (HTTP 404)", e->name, i,
                              e->shard_count);
        if (rc == 1)
            break;
        VM_GROW(c->shard_rows, i + 1, cap);
        c->shard_rows[i] = rows;
        c->nshards = i + 1;
    }
    return 0;
}

/* The range asked: --rows, or --slice's share of n rows; checked against n. */
static int asked_range(const fe_fetch_opts *o, uint64_t n, uint64_t *a, uint64_t *b, vm_err *err)
{
    if (o->slice_set) {
        vm_slice_range(n, o->slice_i, o->slice_n, a, b);
        if (*a == *b)
            return vm_err_param(err, "slice", VM_EINPUT,
                                "%u/%u of %llu rows is empty: fewer rows than loaders",
                                o->slice_i, o->slice_n, (unsigned long long)n);
        return 0;
    }
    *a = o->rows_first;
    *b = o->rows_end;
    if (*b > n)
        return vm_err_param(err, "rows", VM_EINPUT,
                            "%llu..%llu goes beyond the base's %llu rows (ids 0..%llu)",
                            (unsigned long long)*a, (unsigned long long)*b, (unsigned long long)n,
                            (unsigned long long)(n ? n - 1 : 0));
    return 0;
}

/* rows.json next to the part's files (ds_dataset.h reads it), written
 * whole through json_w: a temporary file renamed. */
static int write_rows_json(const char *folder, const fe_rows_info *ri, bool parquet,
                           const char *const *files, uint32_t nfiles, vm_err *err)
{
    if (!nfiles)
        return vm_err_param(err, "rows", VM_EINPUT, "no file holds rows %llu..%llu",
                            (unsigned long long)ri->asked_first,
                            (unsigned long long)ri->asked_end);
    json_object *o = json_object_new_object();
    jw_add(o, "rows_first", json_object_new_uint64(ri->first));
    jw_add(o, "rows_end", json_object_new_uint64(ri->end));
    jw_add(o, "rows_total", json_object_new_uint64(ri->total));
    jw_add(o, "file", jw_str(files[0]));
    if (parquet) {
        jw_add(o, "asked_first", json_object_new_uint64(ri->asked_first));
        jw_add(o, "asked_end", json_object_new_uint64(ri->asked_end));
        json_object *a = json_object_new_array();
        for (uint32_t i = 0; i < nfiles; i++)
            json_object_array_add(a, jw_str(files[i]));
        jw_add(o, "files", a);
    }
    strbuf p = STRBUF_INIT;
    sb_addf(&p, "%s/rows.json", folder);
    int rc = jw_write_file(p.buf, o, err);
    json_object_put(o);
    sb_release(&p);
    return rc;
}

static uint32_t bigann_elem_bytes(const char *path)
{
    size_t l = strlen(path);
    if (l > 6 && (!strcmp(path + l - 6, ".u8bin") || !strcmp(path + l - 6, ".i8bin")))
        return 1;
    if (l > 5 && !strcmp(path + l - 5, ".fbin"))
        return 4;
    return 0;
}

static void part_folder(const char *dir, const ds_cat_entry *e, uint64_t a, uint64_t b, char *out,
                        size_t n)
{
    snprintf(out, n, "%s/%s/rows-%llu-%llu", dir, e->name, (unsigned long long)a,
             (unsigned long long)b);
}

/* big-ann: rows A..B of files[0] by range, the other files whole. */
static int fetch_rows_bigann(const fetch_ctx *c, const char *dir, char *out, size_t out_len,
                             fe_rows_info *ri, vm_err *err)
{
    const ds_cat_entry *e = c->e;
    const ds_cat_file *base = &e->files[0];
    uint32_t row = base->crop_row_bytes ? base->crop_row_bytes
                                        : bigann_elem_bytes(base->path) * e->dim;
    uint64_t a, b;
    if (asked_range(c->o, e->n_base, &a, &b, err) < 0)
        return -1;
    part_folder(dir, e, a, b, out, out_len);
    if (mkdirs(out, err) < 0)
        return -1;
    /* the crop's source is the 10^9-row file: row ids are the same */
    if (fetch_one(c, base, out, a, b - a, row, err) < 0)
        return -1;
    for (int i = 1; i < DS_CAT_MAX_FILES && e->files[i].path; i++)
        if (fetch_one(c, &e->files[i], out, 0, 0, 0, err) < 0)
            return -1;
    *ri = (fe_rows_info){a, b, e->n_base, a, b, 1};
    const char *local = base->local ? base->local : strrchr(base->path, '/');
    local = base->local ? local : local ? local + 1 : base->path;
    return write_rows_json(out, ri, false, &local, 1, err);
}

/* sharded parquet: the shards holding rows A..B, whole. */
static int fetch_rows_parquet(fetch_ctx *c, const char *dir, char *out, size_t out_len,
                              fe_rows_info *ri, vm_err *err)
{
    if (shard_counts(c, err) < 0)
        return -1;
    uint64_t n = 0, a, b, at = 0;
    for (uint32_t i = 0; i < c->nshards; i++)
        n += c->shard_rows[i];
    if (asked_range(c->o, n, &a, &b, err) < 0)
        return -1;
    part_folder(dir, c->e, a, b, out, out_len);
    if (mkdirs(out, err) < 0)
        return -1;
    strvec names = STRVEC_INIT; /* the fetched shards' file names */
    *ri = (fe_rows_info){.total = n, .asked_first = a, .asked_end = b};
    int rc = 0;
    for (uint32_t i = 0; i < c->nshards && rc == 0; at += c->shard_rows[i], i++) {
        if (at + c->shard_rows[i] <= a || at >= b || !c->shard_rows[i])
            continue;
        char p[512];
        shard_path(c->e, i, p, sizeof(p));
        ds_cat_file f = {.path = p, .sha256 = ""};
        if ((rc = fetch_one(c, &f, out, 0, 0, 0, err)) < 0)
            break;
        if (!ri->files)
            ri->first = at;
        ri->end = at + c->shard_rows[i];
        sv_push(&names, strrchr(p, '/') ? strrchr(p, '/') + 1 : p);
        ri->files++;
    }
    if (rc == 0)
        rc = write_rows_json(out, ri, true, (const char *const *)names.v, (uint32_t)names.n, err);
    sv_clear(&names);
    return rc;
}

/* The whole entry into DIR/NAME. */
static int fetch_all(fetch_ctx *c, const char *out, vm_err *err)
{
    const ds_cat_entry *e = c->e;
    for (int i = 0; i < DS_CAT_MAX_FILES && e->files[i].path; i++) {
        const ds_cat_file *f = &e->files[i];
        if (fetch_one(c, f, out, 0, f->crop_rows, f->crop_row_bytes, err) < 0)
            return -1;
    }
    if (!e->shard_fmt)
        return 0;
    uint32_t count = e->shard_count;
    if (!count) { /* not published: count by probing the footers */
        if (shard_counts(c, err) < 0)
            return -1;
        count = c->nshards;
    }
    for (uint32_t i = 0; i < count; i++) {
        char p[512];
        shard_path(e, i, p, sizeof(p));
        ds_cat_file f = {.path = p, .sha256 = ""};
        if (fetch_one(c, &f, out, 0, 0, 0, err) < 0)
            return -1;
    }
    return 0;
}

int fe_fetch_entry(const ds_cat_entry *e, const fe_fetch_opts *o, char *out_dir, size_t out_len,
                   fe_rows_info *rows, vm_err *err)
{
    char dir[1024];
    if (o->dir)
        snprintf(dir, sizeof(dir), "%s", o->dir);
    else
        ds_catalog_dir(dir, sizeof(dir));
    fetch_ctx c;
    ctx_init(&c, e, o);
    fe_rows_info ri = {0};
    int rc;
    if (o->rows_set || o->slice_set) {
        if (e->shard_fmt)
            rc = fetch_rows_parquet(&c, dir, out_dir, out_len, &ri, err);
        else if (e->files[0].path && bigann_elem_bytes(e->files[0].path) && e->n_base)
            rc = fetch_rows_bigann(&c, dir, out_dir, out_len, &ri, err);
        else
            rc = vm_err_param(err, o->slice_set ? "slice" : "rows", VM_EINPUT,
                              "%s has no big-ann or sharded parquet base: it is fetched whole",
                              e->name);
    } else {
        snprintf(out_dir, out_len, "%s/%s", dir, e->name);
        rc = mkdirs(out_dir, err);
        if (rc == 0)
            rc = fetch_all(&c, out_dir, err);
    }
    free(c.shard_rows);
    if (rows)
        *rows = ri;
    return rc;
}
