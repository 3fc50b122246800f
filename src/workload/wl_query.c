/* wl_query: see wl_query.h. */
#include "wl_query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../net/net_resp.h"
#include "../util/clock.h"

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
    atomic_init(&w->next, 0);
    return 0;
}

void wl_query_free(wl_query *w)
{
    free(w->returned);
    free(w->nreturned);
    free(w->sent_ns);
    free(w->latency_ms);
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
    if (i >= wl_query_items(w))
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

static void q_emit(void *ctx, uint64_t item, strbuf *out)
{
    wl_query *w = ctx;
    wl_add_knn_search(out, w->index, w->field, w->k, w->ef_runtime, w->queries, item % w->nq,
                      w->copies[item / w->nq], w->plan, w->normalize);
    w->sent_ns[item] = clk_mono_ns();
}

static int q_reply(void *ctx, int thread, uint64_t item, const redisReply *r, vm_err *err)
{
    wl_query *w = ctx;
    (void)thread;
    (void)err;
    w->latency_ms[item] = (double)(clk_mono_ns() - w->sent_ns[item]) / 1e6;
    if (r->type == REDIS_REPLY_ERROR) {
        atomic_fetch_add(&w->errors, 1);
        int expect = 0;
        if (atomic_compare_exchange_strong(&w->have_error, &expect, 1))
            snprintf(w->first_error, sizeof(w->first_error), "%.*s", (int)r->len, r->str);
        return 0;
    }
    uint32_t copy = w->copies[item / w->nq];
    uint32_t n = 0;
    /* [total, key, key, ...] with NOCONTENT; tolerate [total, key, [fields]...] */
    for (size_t i = 1; r->type == REDIS_REPLY_ARRAY && i < r->elements && n < w->k; i++) {
        const redisReply *e = r->element[i];
        if (e->type != REDIS_REPLY_STRING)
            continue;
        uint32_t c;
        uint64_t id;
        int64_t v = -1;
        if (xp_parse_key(e->str, e->len, w->prefix, &c, &id) == 0 && c == copy &&
            id < w->state->n && lc_live_get(w->state, c, id))
            v = (int64_t)id;
        w->returned[item * w->k + n++] = v;
    }
    w->nreturned[item] = n;
    atomic_fetch_add(&w->done, 1);
    return 0;
}

/* FT.SEARCH names no key: any master may take it (with the coordinator,
 * valkey-search merges the shards' answers) */
static int q_slot(void *ctx, uint64_t tag)
{
    (void)ctx;
    (void)tag;
    return -1;
}

eng_workload wl_query_workload(wl_query *w)
{
    static const char *const ops[] = {"ft.search"};
    eng_workload wl = {w, q_next, q_emit, q_reply, true};
    wl.slot = q_slot;
    wl.op_names = ops;
    wl.nops = 1;
    return wl;
}
