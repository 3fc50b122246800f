/* gt: see gt.h for the filter rule and the recall rule. */
#include "gt.h"

#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "knn.h"

static int is_live(const uint64_t *live, uint64_t i)
{
    return !live || (live[i >> 6] >> (i & 63) & 1);
}

int gt_compute(const ds_vecfile *base, const ds_vecfile *queries, const ds_vecfile *deep,
               const uint64_t *live, uint32_t k, gt_truth *out, vm_err *err)
{
    memset(out, 0, sizeof(*out));
    uint32_t nq = (uint32_t)queries->n, dim = base->dim;
    if (queries->dim != dim)
        return vm_err_set(err, VM_EINPUT, "queries have dimension %u, base %u", queries->dim, dim);
    if (deep && deep->n < nq)
        return vm_err_set(err, VM_EINPUT, "%s: ground truth has %llu rows for %u queries",
                          deep->path, (unsigned long long)deep->n, nq);
    out->k = k;
    out->nq = nq;
    out->ids = malloc((size_t)nq * k * sizeof(int64_t));
    out->dist2 = malloc((size_t)nq * k * sizeof(float));
    float *qv = malloc((size_t)nq * dim * sizeof(float));
    float *row = malloc((size_t)dim * sizeof(float));
    uint32_t *redo = malloc((size_t)nq * sizeof(uint32_t));
    uint32_t nredo = 0;
    for (uint32_t q = 0; q < nq; q++)
        ds_vecfile_row_f32(queries, q, qv + (size_t)q * dim);
    for (uint32_t q = 0; q < nq; q++) {
        uint32_t got = 0;
        if (deep) {
            const uint8_t *g = ds_vecfile_row(deep, q);
            for (uint32_t j = 0; j < deep->dim && got < k; j++) {
                int32_t id;
                memcpy(&id, g + 4 * (size_t)j, 4);
                if (id < 0 || (uint64_t)id >= base->n || !is_live(live, (uint64_t)id))
                    continue;
                ds_vecfile_row_f32(base, (uint64_t)id, row);
                out->ids[(size_t)q * k + got] = id;
                out->dist2[(size_t)q * k + got] = knn_dist2(qv + (size_t)q * dim, row, dim);
                got++;
            }
        }
        if (got < k)
            redo[nredo++] = q;
    }
    int rc = 0;
    if (nredo) {
        float *rq = malloc((size_t)nredo * dim * sizeof(float));
        for (uint32_t i = 0; i < nredo; i++)
            memcpy(rq + (size_t)i * dim, qv + (size_t)redo[i] * dim, dim * sizeof(float));
        knn_result kr;
        rc = knn_search(base, live, rq, nredo, k, &kr, err);
        if (rc == 0) {
            for (uint32_t i = 0; i < nredo; i++) {
                memcpy(out->ids + (size_t)redo[i] * k, kr.ids + (size_t)i * k, k * sizeof(int64_t));
                memcpy(out->dist2 + (size_t)redo[i] * k, kr.dist2 + (size_t)i * k,
                       k * sizeof(float));
            }
            knn_result_free(&kr);
        }
        free(rq);
    }
    out->recomputed = nredo;
    free(qv);
    free(row);
    free(redo);
    if (rc < 0)
        gt_free(out);
    return rc;
}

void gt_free(gt_truth *t)
{
    free(t->ids);
    free(t->dist2);
    t->ids = NULL;
    t->dist2 = NULL;
}

double gt_recall(const gt_truth *t, uint32_t q, const ds_vecfile *base, const float *query,
                 const int64_t *returned, uint32_t nret)
{
    uint32_t k = t->k;
    /* the k-th true distance; fewer than k live vectors: count what exists */
    uint32_t have = 0;
    float dk = 0;
    for (uint32_t j = 0; j < k; j++)
        if (t->ids[(size_t)q * k + j] >= 0) {
            have++;
            dk = t->dist2[(size_t)q * k + j];
        }
    if (have == 0)
        return 1.0;
    double limit = (double)dk * (1 + 1e-5) + 1e-6;
    float *row = malloc((size_t)base->dim * sizeof(float));
    uint32_t ok = 0;
    for (uint32_t i = 0; i < nret && i < k; i++) {
        if (returned[i] < 0 || (uint64_t)returned[i] >= base->n)
            continue;
        /* no id twice: a duplicate in a reply is not a second hit */
        int dup = 0;
        for (uint32_t j = 0; j < i; j++)
            if (returned[j] == returned[i])
                dup = 1;
        if (dup)
            continue;
        ds_vecfile_row_f32(base, (uint64_t)returned[i], row);
        if ((double)knn_dist2(query, row, base->dim) <= limit)
            ok++;
    }
    free(row);
    return (double)(ok > have ? have : ok) / have;
}
