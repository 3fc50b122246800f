/* knn_src: see knn_src.h.  Blocks of the base are read as float32, handed
 * to knn_search as a plain in-memory vecfile, and each block's k best are
 * merged into the running k best of every query. */
#include "knn_src.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "knn.h"

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

int knn_src_exact(ds_src *base, const float *queries, uint32_t nq, uint32_t k, bool normalize,
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
            ds_vecfile view = {.map = (const uint8_t *)block,
                               .map_bytes = c * dim * 4,
                               .n = c,
                               .dim = dim,
                               .elem = DS_F32,
                               .layout = DS_BIGANN,
                               .row_stride = (size_t)dim * 4,
                               .first_row = 0};
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
