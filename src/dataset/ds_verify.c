/* ds_verify: exact kNN over any vector source (blocks of the base handed
 * to vecmath's BLAS search, results merged), and `dataset verify`: ground
 * truth against brute force, recorded checksums against the files. */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../util/strbuf.h"
#include "../vecmath/knn.h"
#include "ds_checksum.h"
#include "ds_prepare.h"

#define KNN_SRC_BLOCK_BYTES (64u << 20)
#define KNN_QCHUNK 1024u

static void normalize_rows(float *v, uint64_t rows, uint32_t dim)
{
    for (uint64_t r = 0; r < rows; r++) {
        float *x = v + r * dim;
        double s = 0;
        for (uint32_t j = 0; j < dim; j++)
            s += (double)x[j] * x[j];
        if (s > 0) {
            float inv = (float)(1.0 / sqrt(s));
            for (uint32_t j = 0; j < dim; j++)
                x[j] *= inv;
        }
    }
}

/* merge sorted (ids, d) of length k with sorted (nid, nd) of length k */
static void merge_topk(int64_t *ids, float *d, const int64_t *nid, const float *nd, uint32_t k,
                       int64_t *tid, float *td)
{
    uint32_t a = 0, b = 0;
    for (uint32_t o = 0; o < k; o++) {
        bool take_a = b >= k || nid[b] < 0 || (a < k && ids[a] >= 0 && d[a] <= nd[b]);
        if (take_a && a < k && ids[a] >= 0) {
            tid[o] = ids[a];
            td[o] = d[a++];
        } else if (b < k && nid[b] >= 0) {
            tid[o] = nid[b];
            td[o] = nd[b++];
        } else {
            tid[o] = -1;
            td[o] = INFINITY;
        }
    }
    memcpy(ids, tid, k * sizeof(int64_t));
    memcpy(d, td, k * sizeof(float));
}

int ds_exact_knn(ds_src *base, const float *queries, uint32_t nq, uint32_t k, bool normalize,
                 int64_t *ids, float *dists, ds_progress_fn fn, void *ctx, vm_err *err)
{
    uint32_t dim = base->dim;
    uint64_t br = KNN_SRC_BLOCK_BYTES / ((uint64_t)dim * 4);
    if (br < 1024)
        br = 1024;
    if (br > base->n)
        br = base->n;
    float *block = malloc(br * dim * sizeof(float));
    int64_t *rid = malloc(br * sizeof(int64_t));
    float *qn = malloc((size_t)nq * dim * sizeof(float));
    int64_t *tid = malloc(k * sizeof(int64_t));
    float *td = malloc(k * sizeof(float));
    if (!block || !rid || !qn || !tid || !td) {
        free(block), free(rid), free(qn), free(tid), free(td);
        return vm_err_set(err, VM_ENOMEM, "knn: out of memory");
    }
    memcpy(qn, queries, (size_t)nq * dim * sizeof(float));
    if (normalize)
        normalize_rows(qn, nq, dim);
    for (size_t i = 0; i < (size_t)nq * k; i++) {
        ids[i] = -1;
        dists[i] = INFINITY;
    }
    int rc = 0;
    uint64_t passes = (nq + KNN_QCHUNK - 1) / KNN_QCHUNK, done = 0;
    for (uint32_t q0 = 0; q0 < nq && rc == 0; q0 += KNN_QCHUNK) {
        uint32_t qc = nq - q0 < KNN_QCHUNK ? nq - q0 : KNN_QCHUNK;
        for (uint64_t i = 0; i < base->n && rc == 0; i += br) {
            uint64_t c = base->n - i < br ? base->n - i : br;
            if (ds_src_read_f32(base, i, c, block, rid, err) < 0) {
                rc = -1;
                break;
            }
            if (normalize)
                normalize_rows(block, c, dim);
            ds_vecfile view = {.map = (const uint8_t *)block, .map_bytes = c * dim * 4, .n = c,
                               .dim = dim, .elem = DS_F32, .layout = DS_BIGANN,
                               .row_stride = (size_t)dim * 4, .first_row = 0};
            knn_result kr;
            uint32_t kk = k < c ? k : (uint32_t)c;
            if (knn_search(&view, NULL, qn + (size_t)q0 * dim, qc, kk, &kr, err) < 0) {
                rc = -1;
                break;
            }
            int64_t *nid = malloc(k * sizeof(int64_t));
            float *nd = malloc(k * sizeof(float));
            for (uint32_t q = 0; q < qc; q++) {
                for (uint32_t j = 0; j < k; j++) {
                    int64_t local = j < kk ? kr.ids[(size_t)q * kk + j] : -1;
                    nid[j] = local >= 0 ? rid[local] : -1;
                    nd[j] = local >= 0 ? kr.dist2[(size_t)q * kk + j] : INFINITY;
                }
                merge_topk(ids + (size_t)(q0 + q) * k, dists + (size_t)(q0 + q) * k, nid, nd, k,
                           tid, td);
            }
            free(nid);
            free(nd);
            knn_result_free(&kr);
            done += c;
            if (fn)
                fn(ctx, "brute force", done, base->n * passes);
        }
    }
    free(block);
    free(rid);
    free(qn);
    free(tid);
    free(td);
    return rc;
}

static void check_one(const char *path, const char *want, ds_verify_result *r, vm_err *err)
{
    char got[65];
    if (ds_sha256_file(path, got, err) == 0 && !strcasecmp(want, got)) {
        r->checksums_ok++;
        return;
    }
    if (!r->checksums_bad)
        snprintf(r->first_bad_file, sizeof(r->first_bad_file), "%s", path);
    r->checksums_bad++;
}

/* FILE.sha256 next to downloaded files ("<hex>  <name>", as sha256sum writes) */
static void check_sidecars(const char *dir, ds_verify_result *r, vm_err *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l <= 7 || strcmp(e->d_name + l - 7, ".sha256"))
            continue;
        strbuf sp = STRBUF_INIT, fp = STRBUF_INIT;
        sb_addf(&sp, "%s/%s", dir, e->d_name);
        sb_addf(&fp, "%s/%.*s", dir, (int)(l - 7), e->d_name);
        FILE *f = fopen(sp.buf, "r");
        char want[65] = "";
        if (f) {
            if (fscanf(f, "%64s", want) != 1)
                want[0] = '\0';
            fclose(f);
        }
        if (strlen(want) == 64)
            check_one(fp.buf, want, r, err);
        sb_release(&sp);
        sb_release(&fp);
    }
    closedir(d);
}

static int check_checksums(ds_set *s, ds_verify_result *r, vm_err *err)
{
    check_sidecars(s->path, r, err);
    strbuf mp = STRBUF_INIT;
    sb_addf(&mp, "%s/manifest.json", s->path);
    FILE *f = fopen(mp.buf, "r");
    sb_release(&mp);
    if (!f)
        return 0;
    strbuf t = STRBUF_INIT;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
        sb_add(&t, buf, n);
    fclose(f);
    const char *sha = strstr(t.buf ? t.buf : "", "\"sha256\": {");
    static const char *names[] = {"base.fbin", "base.u8bin", "query.fbin", "query.u8bin", "gt.bin"};
    for (size_t i = 0; sha && i < sizeof(names) / sizeof(names[0]); i++) {
        char pat[64];
        snprintf(pat, sizeof(pat), "\"%s\": \"", names[i]);
        const char *p = strstr(sha, pat);
        if (!p || strlen(p + strlen(pat)) < 64)
            continue;
        char want[65];
        memcpy(want, p + strlen(pat), 64);
        want[64] = '\0';
        strbuf fp = STRBUF_INIT;
        sb_addf(&fp, "%s/%s", s->path, names[i]);
        check_one(fp.buf, want, r, err);
        sb_release(&fp);
    }
    sb_release(&t);
    return 0;
}

int ds_verify(ds_set *s, const ds_verify_opts *o, ds_verify_result *r, vm_err *err)
{
    memset(r, 0, sizeof(*r));
    if (check_checksums(s, r, err) < 0)
        return -1;
    if (!s->has_base || !s->has_query || !s->has_gt)
        return 0; /* nothing to brute-force against */
    if (s->metric == DS_METRIC_IP)
        return vm_err_set(err, VM_EINPUT, "%s: verifying inner-product ground truth is not supported",
                          s->path);
    uint64_t nq = s->query.n;
    uint32_t m = o->all || o->sample == 0 || o->sample >= nq ? (uint32_t)nq : o->sample;
    if (!o->all && o->sample == 0 && m > 100)
        m = 100;
    uint32_t k = s->gt.dim < 100 ? s->gt.dim : 100;
    uint32_t kb = k + 16; /* brute-force deeper: a tie at rank k may list either vector */
    if (kb > s->base.n)
        kb = (uint32_t)s->base.n;
    uint32_t dim = s->base.dim;
    float *qs = malloc((size_t)m * dim * sizeof(float));
    uint64_t *qi = malloc(m * sizeof(uint64_t));
    int rc = 0;
    for (uint32_t i = 0; i < m && rc == 0; i++) {
        qi[i] = (uint64_t)i * nq / m;
        rc = ds_src_read_f32(&s->query, qi[i], 1, qs + (size_t)i * dim, NULL, err);
    }
    int64_t *bid = malloc((size_t)m * kb * sizeof(int64_t));
    float *bd = malloc((size_t)m * kb * sizeof(float));
    bool cosine = s->metric == DS_METRIC_COSINE && !s->normalized;
    if (rc == 0)
        rc = ds_exact_knn(&s->base, qs, m, kb, cosine, bid, bd, o->progress, o->progress_ctx, err);
    int64_t *g = malloc((size_t)s->gt.dim * sizeof(int64_t));
    for (uint32_t i = 0; i < m && rc == 0; i++) {
        rc = ds_src_read_i64(&s->gt, qi[i], 1, g, NULL, err);
        if (rc < 0)
            break;
        r->checked++;
        const int64_t *ti = bid + (size_t)i * kb;
        const float *tdist = bd + (size_t)i * kb;
        for (uint32_t j = 0; j < k; j++) {
            /* the listed id's true distance, from the deeper brute-force list */
            float dj = INFINITY;
            for (uint32_t b = 0; b < kb; b++)
                if (ti[b] == g[j]) {
                    dj = tdist[b];
                    break;
                }
            float want = tdist[j];
            if (!(dj <= want + fabsf(want) * 1e-4f + 1e-5f)) {
                if (!r->bad_queries)
                    snprintf(r->first_bad, sizeof(r->first_bad),
                             "query %llu rank %u: ground truth says id %lld, brute force finds id %lld "
                             "(distance %g)",
                             (unsigned long long)qi[i], j, (long long)g[j], (long long)ti[j],
                             (double)want);
                r->bad_queries++;
                break;
            }
        }
    }
    r->k = k;
    free(g);
    free(qs);
    free(qi);
    free(bid);
    free(bd);
    return rc;
}
