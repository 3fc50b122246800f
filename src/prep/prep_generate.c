/* prep_generate: synthetic datasets in the prepared layout — Gaussian
 * clusters from a seeded generator (splitmix64 + xoshiro256**, Box–Muller),
 * streamed to disk block by block, with exact ground truth by BLAS brute
 * force unless asked not to.  Block b draws from its own stream seeded by
 * (seed, b), so the output depends on the seed only. */
#include "prep_generate.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/strbuf.h"
#include "../util/vm_write.h"
#include "../vecmath/knn_src.h"
#include "prep_prepare.h"

#define GEN_BLOCK_ROWS 8192u

typedef struct rng {
    uint64_t s[4];
} rng;

static uint64_t splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void rng_seed(rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed ^ (stream * 0xd1342543de82ef95ull);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix(&x);
}

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t rng_next(rng *r)
{
    uint64_t *s = r->s;
    uint64_t res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return res;
}

static inline double rng_unit(rng *r) /* (0, 1] */
{
    return ((double)(rng_next(r) >> 11) + 1.0) * 0x1.0p-53;
}

/* n standard normal values */
static void gauss(rng *r, float *out, uint32_t n)
{
    for (uint32_t i = 0; i < n; i += 2) {
        double u = rng_unit(r), v = rng_unit(r);
        double m = sqrt(-2.0 * log(u));
        out[i] = (float)(m * cos(2 * M_PI * v));
        if (i + 1 < n)
            out[i + 1] = (float)(m * sin(2 * M_PI * v));
    }
}

typedef struct gen {
    const prep_generate_opts *o;
    float *centers; /* clusters x dim */
    double norm_max2;
} gen;

/* rows [first, first+c) of stream `stream` into out (float32) */
static void gen_rows(gen *g, uint64_t stream, uint64_t first, uint64_t c, float *out)
{
    const prep_generate_opts *o = g->o;
    rng r;
    rng_seed(&r, o->seed, stream * 0x100000000ull + first / GEN_BLOCK_ROWS);
    float sigma = o->u8 ? 12.0f : 0.25f;
    for (uint64_t i = 0; i < c; i++) {
        float *v = out + i * o->dim;
        uint32_t cl = (uint32_t)(rng_next(&r) % o->clusters);
        gauss(&r, v, o->dim);
        const float *ctr = g->centers + (size_t)cl * o->dim;
        double s = 0;
        for (uint32_t j = 0; j < o->dim; j++) {
            float x = ctr[j] + sigma * v[j];
            if (o->u8)
                x = x < 0 ? 0 : x > 255 ? 255 : nearbyintf(x);
            v[j] = x;
            s += (double)x * x;
        }
        if (s > g->norm_max2)
            g->norm_max2 = s;
    }
}

static int gen_file(gen *g, const char *name, uint64_t stream, uint64_t n, const char *stage,
                    vm_err *err)
{
    const prep_generate_opts *o = g->o;
    strbuf p = STRBUF_INIT;
    sb_addf(&p, "%s/%s", o->out, name);
    int fd = open(p.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        vm_err_set(err, VM_EIO, "%s: %s", p.buf, strerror(errno));
        sb_release(&p);
        return -1;
    }
    uint32_t hdr[2] = {(uint32_t)n, o->dim};
    int rc = vm_write_all_at(fd, hdr, 8, -1, p.buf, err);
    float *buf = malloc((size_t)GEN_BLOCK_ROWS * o->dim * sizeof(float));
    uint8_t *u8 = o->u8 ? malloc((size_t)GEN_BLOCK_ROWS * o->dim) : NULL;
    for (uint64_t i = 0; i < n && rc == 0; i += GEN_BLOCK_ROWS) {
        uint64_t c = n - i < GEN_BLOCK_ROWS ? n - i : GEN_BLOCK_ROWS;
        gen_rows(g, stream, i, c, buf);
        if (u8) {
            for (size_t j = 0; j < c * o->dim; j++)
                u8[j] = (uint8_t)buf[j];
            rc = vm_write_all_at(fd, u8, c * o->dim, -1, p.buf, err);
        } else {
            rc = vm_write_all_at(fd, buf, c * o->dim * sizeof(float), -1, p.buf, err);
        }
        if (o->progress)
            o->progress(o->progress_ctx, stage, i + c, n);
    }
    if (close(fd) < 0 && rc == 0)
        rc = vm_err_set(err, VM_EIO, "%s: close: %s", p.buf, strerror(errno));
    free(buf);
    free(u8);
    sb_release(&p);
    return rc;
}

static int gen_gt(const prep_generate_opts *o, vm_err *err)
{
    const char *ext = o->u8 ? "u8bin" : "fbin";
    strbuf bp = STRBUF_INIT, qp = STRBUF_INIT, gp = STRBUF_INIT;
    sb_addf(&bp, "%s/base.%s", o->out, ext);
    sb_addf(&qp, "%s/query.%s", o->out, ext);
    sb_addf(&gp, "%s/gt.bin", o->out);
    ds_src base, query;
    int rc = ds_src_open_vecfile(&base, bp.buf, err);
    if (rc == 0 && (rc = ds_src_open_vecfile(&query, qp.buf, err)) < 0)
        ds_src_close(&base);
    uint32_t nq = o->queries, k = o->k;
    int64_t *ids = NULL;
    float *d = NULL, *qs = NULL;
    if (rc == 0) {
        ids = malloc((size_t)nq * k * sizeof(int64_t));
        d = malloc((size_t)nq * k * sizeof(float));
        qs = malloc((size_t)nq * o->dim * sizeof(float));
        rc = ds_src_read_f32(&query, 0, nq, qs, NULL, err);
        if (rc == 0)
            rc = knn_src_exact(&base, qs, nq, k, false, ids, d, o->progress, o->progress_ctx, err);
        ds_src_close(&base);
        ds_src_close(&query);
    }
    if (rc == 0) {
        int fd = open(gp.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0)
            rc = vm_err_set(err, VM_EIO, "%s: %s", gp.buf, strerror(errno));
        int32_t *i32 = malloc((size_t)nq * k * sizeof(int32_t));
        for (size_t i = 0; i < (size_t)nq * k; i++)
            i32[i] = (int32_t)ids[i];
        uint32_t hdr[2] = {nq, k};
        if (rc == 0)
            rc = vm_write_all_at(fd, hdr, 8, -1, gp.buf, err);
        if (rc == 0)
            rc = vm_write_all_at(fd, i32, (size_t)nq * k * 4, -1, gp.buf, err);
        if (rc == 0)
            rc = vm_write_all_at(fd, d, (size_t)nq * k * 4, -1, gp.buf, err);
        if (fd >= 0)
            close(fd);
        free(i32);
    }
    free(ids);
    free(d);
    free(qs);
    sb_release(&bp);
    sb_release(&qp);
    sb_release(&gp);
    return rc;
}

int prep_generate(const prep_generate_opts *o0, vm_err *err)
{
    prep_generate_opts o = *o0;
    if (!o.n || o.n > UINT32_MAX)
        return vm_err_param(err, "n", VM_EINPUT, "vector count %llu is not in [1, %u]",
                            (unsigned long long)o.n, UINT32_MAX);
    if (!o.dim || o.dim > (1u << 16))
        return vm_err_param(err, "dim", VM_EINPUT, "dimension %u is not in [1, 65536]", o.dim);
    if (!o.clusters)
        o.clusters = 16;
    if (!o.queries)
        o.no_gt = true;
    if (!o.k)
        o.k = 100;
    if (o.k > o.n)
        o.k = (uint32_t)o.n;
    if (mkdir(o.out, 0755) < 0 && errno != EEXIST)
        return vm_err_set(err, VM_EIO, "%s: %s", o.out, strerror(errno));
    strbuf mp = STRBUF_INIT;
    sb_addf(&mp, "%s/manifest.json", o.out);
    unlink(mp.buf);
    sb_release(&mp);
    gen g = {.o = &o};
    g.centers = malloc((size_t)o.clusters * o.dim * sizeof(float));
    rng r;
    rng_seed(&r, o.seed, 0xc1u);
    for (size_t i = 0; i < (size_t)o.clusters * o.dim; i++)
        g.centers[i] = o.u8 ? (float)(32 + rng_next(&r) % 192) : (float)(rng_unit(&r) * 2 - 1);
    const char *ext = o.u8 ? "u8bin" : "fbin";
    char bn[32], qn[32];
    snprintf(bn, sizeof(bn), "base.%s", ext);
    snprintf(qn, sizeof(qn), "query.%s", ext);
    int rc = gen_file(&g, bn, 1, o.n, "base", err);
    if (rc == 0 && o.queries)
        rc = gen_file(&g, qn, 2, o.queries, "queries", err);
    if (rc == 0 && !o.no_gt)
        rc = gen_gt(&o, err);
    free(g.centers);
    if (rc < 0)
        return -1;
    char src[160];
    snprintf(src, sizeof(src), "generate --n %llu --dim %u --clusters %u --seed %llu",
             (unsigned long long)o.n, o.dim, o.clusters, (unsigned long long)o.seed);
    prep_manifest m = {.source_format = "generated",
                       .source_path = src,
                       .metric = DS_METRIC_L2,
                       .elem = o.u8 ? "uint8" : "float32",
                       .n_base = o.n,
                       .n_query = o.queries,
                       .dim = o.dim,
                       .gt_k = o.no_gt ? 0 : o.k,
                       .norm_max = sqrt(g.norm_max2),
                       .gt_distance = "squared_l2"};
    return prep_manifest_write(o.out, &m, err);
}
