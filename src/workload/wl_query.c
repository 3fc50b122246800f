/* wl_query: see wl_query.h. */
#include "wl_query.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../net/resp.h"
#include "../util/clock.h"
#include "../vecmath/knn.h"

uint64_t wl_query_items(const wl_query *w)
{
    return (uint64_t)w->ncopies * w->nq;
}

int wl_query_init(wl_query *w, vm_err *err)
{
    uint64_t items = wl_query_items(w);
    w->returned = malloc(items * w->k * sizeof(int64_t));
    w->nreturned = calloc(items, sizeof(uint32_t));
    w->sent_ns = calloc(items, sizeof(uint64_t));
    w->latency_ms = calloc(items, sizeof(double));
    if (!w->returned || !w->nreturned || !w->sent_ns || !w->latency_ms) {
        wl_query_free(w);
        return vm_err_set(err, VM_ENOMEM, "out of memory for %llu queries",
                          (unsigned long long)items);
    }
    for (uint64_t i = 0; i < items * w->k; i++)
        w->returned[i] = -1;
    if (w->fanout > 1) {
        w->cand = malloc(items * w->fanout * w->k * sizeof(int64_t));
        w->ncand = calloc(items * w->fanout, sizeof(uint32_t));
        w->parts = calloc(items, sizeof(*w->parts));
        if (!w->cand || !w->ncand || !w->parts || !w->base) {
            wl_query_free(w);
            return vm_err_set(err, VM_ENOMEM, "out of memory for %llu queries to %u shards",
                              (unsigned long long)items, w->fanout);
        }
    }
    atomic_init(&w->next, 0);
    return 0;
}

static uint32_t fan(const wl_query *w)
{
    return w->fanout > 1 ? w->fanout : 1;
}

void wl_query_free(wl_query *w)
{
    free(w->returned);
    free(w->nreturned);
    free(w->sent_ns);
    free(w->latency_ms);
    free(w->cand);
    free(w->ncand);
    free((void *)w->parts);
    w->cand = NULL;
    w->ncand = NULL;
    w->parts = NULL;
    w->returned = NULL;
    w->nreturned = NULL;
    w->sent_ns = NULL;
    w->latency_ms = NULL;
}

static int q_next(void *ctx, int thread, uint64_t *tag)
{
    wl_query *w = ctx;
    (void)thread;
    uint64_t i = atomic_fetch_add(&w->next, 1);
    if (i >= wl_query_items(w) * fan(w))
        return 0;
    *tag = i;
    return 1;
}

void wl_add_knn_search(strbuf *out, const char *index, const char *field, uint32_t k,
                       int ef_runtime, const ds_vecfile *queries, uint64_t q, uint32_t copy,
                       const xp_plan *plan, bool normalize)
{
    char query[320];
    if (ef_runtime)
        snprintf(query, sizeof(query), "*=>[KNN %u @%s $B EF_RUNTIME %d]", k, field, ef_runtime);
    else
        snprintf(query, sizeof(query), "*=>[KNN %u @%s $B]", k, field);
    resp_add_array(out, 13);
    resp_add_bulk_str(out, "FT.SEARCH");
    resp_add_bulk_str(out, index);
    resp_add_bulk_str(out, query);
    resp_add_bulk_str(out, "PARAMS");
    resp_add_bulk_str(out, "2");
    resp_add_bulk_str(out, "B");
    wl_add_vector_blob(out, queries, q, copy, plan, normalize);
    resp_add_bulk_str(out, "LIMIT");
    resp_add_bulk_str(out, "0");
    resp_add_bulk_u64(out, k);
    resp_add_bulk_str(out, "NOCONTENT");
    resp_add_bulk_str(out, "DIALECT");
    resp_add_bulk_str(out, "2");
}

static void q_emit(void *ctx, uint64_t tag, strbuf *out)
{
    wl_query *w = ctx;
    uint64_t item = tag / fan(w);
    wl_add_knn_search(out, w->index, w->field, w->k, w->ef_runtime, w->queries, item % w->nq,
                      w->copies[item / w->nq], w->plan, w->normalize);
    if (tag % fan(w) == 0)
        w->sent_ns[item] = clk_mono_ns();
}

typedef struct cand_d {
    float d2;
    int64_t id;
} cand_d;

static int cmp_cand(const void *a, const void *b)
{
    const cand_d *x = a, *y = b;
    if (x->d2 != y->d2)
        return x->d2 < y->d2 ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

/* Every shard has answered item: the k nearest of their candidates. */
static void merge_shards(wl_query *w, uint64_t item)
{
    uint32_t f = w->fanout, k = w->k, dim = w->base->dim, n = 0;
    cand_d *c = malloc((size_t)f * k * sizeof(cand_d));
    float *q = malloc((size_t)dim * 2 * sizeof(float)), *row = q + dim;
    if (!c || !q)
        abort(); /* strbuf's rule: nothing useful happens without memory */
    ds_vecfile_row_f32(w->queries, item % w->nq, q);
    for (uint32_t p = 0; p < f; p++) {
        const int64_t *ids = w->cand + (item * f + p) * k;
        for (uint32_t i = 0; i < w->ncand[item * f + p]; i++) {
            bool dup = false;
            for (uint32_t j = 0; j < n && ids[i] >= 0; j++)
                dup = dup || c[j].id == ids[i];
            if (dup)
                continue;
            c[n].id = ids[i];
            c[n].d2 = INFINITY; /* another copy, or not live: ranks last */
            if (ids[i] >= 0 && (uint64_t)ids[i] < w->base->n) {
                ds_vecfile_row_f32(w->base, (uint64_t)ids[i], row);
                c[n].d2 = knn_dist2(q, row, dim);
            }
            n++;
        }
    }
    qsort(c, n, sizeof(cand_d), cmp_cand);
    uint32_t keep = n < k ? n : k;
    for (uint32_t i = 0; i < keep; i++)
        w->returned[item * k + i] = c[i].id;
    w->nreturned[item] = keep;
    free(c);
    free(q);
}

static int q_reply(void *ctx, int thread, uint64_t tag, const redisReply *r, vm_err *err)
{
    wl_query *w = ctx;
    (void)err;
    uint64_t item = tag / fan(w), part = tag % fan(w);
    if (r->type == REDIS_REPLY_ERROR) {
        atomic_fetch_add(&w->errors, 1);
        int expect = 0;
        if (atomic_compare_exchange_strong(&w->have_error, &expect, 1))
            snprintf(w->first_error, sizeof(w->first_error), "%.*s", (int)r->len, r->str);
        return 0;
    }
    uint32_t copy = w->copies[item / w->nq];
    uint32_t n = 0;
    bool fanned = w->fanout > 1;
    int64_t *dst = fanned ? w->cand + (item * w->fanout + part) * w->k : w->returned + item * w->k;
    /* [total, key, key, ...] with NOCONTENT; tolerate [total, key, [fields]...] */
    for (size_t i = 1; r->type == REDIS_REPLY_ARRAY && i < r->elements && n < w->k; i++) {
        const redisReply *e = r->element[i];
        if (e->type != REDIS_REPLY_STRING)
            continue;
        uint32_t c;
        uint64_t id;
        int64_t v = -1;
        if (xp_parse_key(e->str, e->len, w->prefix, &c, &id) == 0 && c == copy && id < w->live->n &&
            live_test(w->live, c, id))
            v = (int64_t)id;
        dst[n++] = v;
    }
    if (fanned) {
        w->ncand[item * w->fanout + part] = n;
        /* the last shard to answer merges (acq_rel: it sees the others' ids) */
        if (atomic_fetch_add_explicit(&w->parts[item], 1, memory_order_acq_rel) + 1 < w->fanout)
            return 0;
        merge_shards(w, item);
    } else {
        w->nreturned[item] = n;
    }
    w->latency_ms[item] = (double)(clk_mono_ns() - w->sent_ns[item]) / 1e6;
    wl_count_add(&w->done, thread);
    return 0;
}

/* FT.SEARCH names no key: any master may take it (with the coordinator,
 * valkey-search merges the shards' answers); fanned out, part p goes to the
 * master serving fan[p].slot (wl_query.h) */
static int q_slot(void *ctx, uint64_t tag)
{
    const wl_query *w = ctx;
    return w->fanout > 1 ? w->fan[tag % w->fanout].slot : -1;
}

/* fanned out: part p to its master, by address (see wl_query.h) */
static int q_node(void *ctx, uint64_t tag, const char **host, int *port)
{
    const wl_query *w = ctx;
    if (w->fanout <= 1 || !w->fan[tag % w->fanout].host[0])
        return 0;
    *host = w->fan[tag % w->fanout].host;
    *port = w->fan[tag % w->fanout].port;
    return 1;
}

eng_workload wl_query_workload(wl_query *w)
{
    static const char *const ops[] = {"ft.search"};
    eng_workload wl = {w, q_next, q_emit, q_reply, true};
    wl.slot = q_slot;
    wl.node_of = q_node;
    wl.op_names = ops;
    wl.nops = 1;
    return wl;
}
