/* knn: brute-force exact kNN with BLAS; see knn.h. */
#include "knn.h"

#include "blas.h"

#include <float.h>
#include <stdlib.h>
#include <string.h>

#define KNN_BLOCK 4096

float knn_dist2(const float *a, const float *b, uint32_t dim)
{
    double s = 0;
    for (uint32_t i = 0; i < dim; i++) {
        double d = (double)a[i] - (double)b[i];
        s += d * d;
    }
    return (float)s;
}

/* max-heap of (dist, id) of size k: heap[0] is the worst kept */
static void heap_push(float *hd, int64_t *hi, uint32_t *n, uint32_t k, float d, int64_t id)
{
    if (*n == k) {
        if (d >= hd[0])
            return;
        /* replace root, sift down */
        uint32_t i = 0;
        for (;;) {
            uint32_t l = 2 * i + 1, r = l + 1, m = i;
            float md = d;
            if (l < k && hd[l] > md)
                m = l, md = hd[l];
            if (r < k && hd[r] > md)
                m = r;
            if (m == i)
                break;
            hd[i] = hd[m];
            hi[i] = hi[m];
            i = m;
        }
        hd[i] = d;
        hi[i] = id;
        return;
    }
    uint32_t i = (*n)++;
    while (i > 0) {
        uint32_t p = (i - 1) / 2;
        if (hd[p] >= d)
            break;
        hd[i] = hd[p];
        hi[i] = hi[p];
        i = p;
    }
    hd[i] = d;
    hi[i] = id;
}

typedef struct knn_pair {
    float d;
    int64_t id;
} knn_pair;

static int cmp_pair(const void *a, const void *b)
{
    const knn_pair *x = a, *y = b;
    if (x->d != y->d)
        return x->d < y->d ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* The scratch of one search: a block of base rows, their squared norms and
 * ids, their dot products with every query, the queries' squared norms and
 * each query's heap size. */
typedef struct knn_scratch {
    float *block, *bnorm, *dots, *qnorm;
    int64_t *bid;
    uint32_t *hn;
} knn_scratch;

static void scratch_free(knn_scratch *w)
{
    free(w->block), free(w->bnorm), free(w->bid), free(w->dots), free(w->qnorm), free(w->hn);
}

/* Read the next live rows of base from *i into w->block (at most
 * KNN_BLOCK); their count. */
static uint32_t load_block(const ds_vecfile *base, const uint64_t *live, uint64_t *i,
                           knn_scratch *w)
{
    uint32_t dim = base->dim, nb = 0;
    for (; *i < base->n && nb < KNN_BLOCK; (*i)++) {
        uint64_t r = *i;
        if (live && !(live[r >> 6] >> (r & 63) & 1))
            continue;
        float *row = w->block + (size_t)nb * dim;
        ds_vecfile_row_f32(base, r, row);
        double s = 0;
        for (uint32_t j = 0; j < dim; j++)
            s += (double)row[j] * row[j];
        w->bnorm[nb] = (float)s;
        w->bid[nb] = (int64_t)r;
        nb++;
    }
    return nb;
}

/* Sort query q's heap of kk candidates; recompute the kept distances
 * exactly (the GEMM form loses precision by cancellation), re-sort on the
 * exact values and keep the first k.  row is scratch for one vector. */
static void finish_query(const ds_vecfile *base, const float *qv, uint32_t q, uint32_t n,
                         uint32_t k, uint32_t kk, float *row, knn_result *out)
{
    uint32_t dim = base->dim;
    knn_pair tmp[1024], *pairs = kk <= 1024 ? tmp : malloc(kk * sizeof(*pairs));
    for (uint32_t j = 0; j < n; j++) {
        pairs[j].id = out->ids[(size_t)q * kk + j];
        ds_vecfile_row_f32(base, (uint64_t)pairs[j].id, row);
        pairs[j].d = knn_dist2(qv, row, dim);
    }
    qsort(pairs, n, sizeof(*pairs), cmp_pair);
    for (uint32_t j = 0; j < k; j++) {
        out->ids[(size_t)q * k + j] = j < n ? pairs[j].id : -1;
        out->dist2[(size_t)q * k + j] = j < n ? pairs[j].d : FLT_MAX;
    }
    if (pairs != tmp)
        free(pairs);
}

int knn_search(const ds_vecfile *base, const uint64_t *live, const float *queries, uint32_t nq,
               uint32_t k, knn_result *out, vm_err *err)
{
    uint32_t dim = base->dim;
    memset(out, 0, sizeof(*out));
    if (k == 0 || nq == 0)
        return vm_err_set(err, VM_EINPUT, "knn: k and the query count must be positive");
    out->k = k;
    /* keep a margin of candidates beyond k: the GEMM distances are rounded,
     * the final order comes from exact distances over these candidates */
    uint32_t kk = k + 16;
    out->ids = malloc((size_t)nq * kk * sizeof(int64_t));
    out->dist2 = malloc((size_t)nq * kk * sizeof(float));
    knn_scratch w = {.block = malloc((size_t)KNN_BLOCK * dim * sizeof(float)),
                     .bnorm = malloc(KNN_BLOCK * sizeof(float)),
                     .bid = malloc(KNN_BLOCK * sizeof(int64_t)),
                     .dots = malloc((size_t)KNN_BLOCK * nq * sizeof(float)),
                     .qnorm = malloc((size_t)nq * sizeof(float)),
                     .hn = calloc(nq, sizeof(uint32_t))};
    if (!out->ids || !out->dist2 || !w.block || !w.bnorm || !w.bid || !w.dots || !w.qnorm ||
        !w.hn) {
        scratch_free(&w);
        knn_result_free(out);
        return vm_err_set(err, VM_ENOMEM, "knn: out of memory for %u queries", nq);
    }
    for (uint32_t q = 0; q < nq; q++) {
        double s = 0;
        for (uint32_t j = 0; j < dim; j++)
            s += (double)queries[(size_t)q * dim + j] * queries[(size_t)q * dim + j];
        w.qnorm[q] = (float)s;
    }
    uint64_t i = 0;
    while (i < base->n) {
        uint32_t nb = load_block(base, live, &i, &w);
        if (!nb)
            break;
        /* dots[b][q] = block[b] · queries[q] */
        if (blas_sgemm_nt((int)nb, (int)nq, (int)dim, w.block, queries, w.dots, err) < 0) {
            scratch_free(&w);
            knn_result_free(out);
            return -1;
        }
        for (uint32_t b = 0; b < nb; b++) {
            const float *drow = w.dots + (size_t)b * nq;
            for (uint32_t q = 0; q < nq; q++) {
                float d = w.bnorm[b] - 2.0f * drow[q] + w.qnorm[q];
                heap_push(out->dist2 + (size_t)q * kk, out->ids + (size_t)q * kk, &w.hn[q], kk, d,
                          w.bid[b]);
            }
        }
    }
    for (uint32_t q = 0; q < nq; q++)
        finish_query(base, queries + (size_t)q * dim, q, w.hn[q], k, kk, w.block, out);
    scratch_free(&w);
    return 0;
}

void knn_result_free(knn_result *r)
{
    free(r->ids);
    free(r->dist2);
    r->ids = NULL;
    r->dist2 = NULL;
}
