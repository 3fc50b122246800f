/* wl_mix: a query / ingest mix (70/30 by default) — FT.SEARCH KNN of random
 * queries in random live copies, and HSET re-writes of random live vectors
 * (updates: the live set and its ground truth do not change).  Written only
 * against the public plugin contract (include/valkey-memstress/workload.h):
 * the tool registers it as the built-in "mix", and the same file builds the
 * example plugin examples/plugins/mix.so (with -DVMS_AS_PLUGIN).
 *
 * Settings: query_share (0..1, default 0.7), k (10), ef_runtime (0 = the
 * index's), seed (1). */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "valkey-memstress/workload.h"

typedef struct mix {
    const vms_host *h;
    double query_share;
    uint32_t k;
    int ef_runtime;
    uint64_t seed;
    _Atomic uint64_t seq;
    _Atomic uint64_t queries, writes, errors, misses;
} mix;

static uint64_t mix64(uint64_t z)
{
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void *mix_create(const vms_host *h, const char *const *keys, const char *const *values,
                        size_t n, char *err, size_t errlen)
{
    mix *m = calloc(1, sizeof(*m));
    m->h = h;
    m->query_share = 0.7;
    m->k = 10;
    m->seed = 1;
    for (size_t i = 0; i < n; i++) {
        char *end;
        double v = strtod(values[i], &end);
        if (*end || end == values[i]) {
            snprintf(err, errlen, "mix: '%s' must be a number, got '%s'", keys[i], values[i]);
            free(m);
            return NULL;
        }
        if (!strcmp(keys[i], "query_share") && v >= 0 && v <= 1)
            m->query_share = v;
        else if (!strcmp(keys[i], "k") && v >= 1 && v <= 10000)
            m->k = (uint32_t)v;
        else if (!strcmp(keys[i], "ef_runtime") && v >= 0 && v <= 100000)
            m->ef_runtime = (int)v;
        else if (!strcmp(keys[i], "seed") && v >= 0)
            m->seed = (uint64_t)v;
        else {
            snprintf(err, errlen, "mix: unknown or out-of-range setting '%s' (query_share 0..1, k, ef_runtime, seed)", keys[i]);
            free(m);
            return NULL;
        }
    }
    if (h->vectors(h->ctx) == 0 || h->copies(h->ctx) == 0) {
        snprintf(err, errlen, "mix: no vectors loaded yet (run prefill first)");
        free(m);
        return NULL;
    }
    if (m->query_share > 0 && (!h->queries(h->ctx) || !*h->index(h->ctx))) {
        snprintf(err, errlen, "mix: queries need an index and query vectors");
        free(m);
        return NULL;
    }
    return m;
}

/* tag: bit 63 = query; low bits pick (copy, id) or (copy, query) */
#define Q_BIT (1ull << 63)

static int mix_next(void *w, int thread, uint64_t *tag)
{
    mix *m = w;
    (void)thread;
    uint64_t r = mix64(m->seed ^ atomic_fetch_add(&m->seq, 1));
    bool query = (double)(r >> 11) * (1.0 / 9007199254740992.0) < m->query_share;
    uint32_t copies = m->h->copies(m->h->ctx);
    uint64_t n = m->h->vectors(m->h->ctx);
    uint64_t r2 = mix64(r);
    for (int tries = 0; tries < 64; tries++, r2 = mix64(r2)) {
        uint32_t copy = (uint32_t)(r2 % copies);
        if (query) {
            uint32_t q = (uint32_t)((r2 >> 24) % m->h->queries(m->h->ctx));
            *tag = Q_BIT | ((uint64_t)copy << 32) | q;
            return 1;
        }
        uint64_t id = (r2 >> 24) % n;
        if (m->h->is_live(m->h->ctx, copy, id)) { /* rewrite what is live only */
            *tag = ((uint64_t)copy << 40) | id;
            return 1;
        }
    }
    atomic_fetch_add(&m->misses, 1);
    *tag = Q_BIT; /* nothing live found: a query of copy 0, query 0 */
    return 1;
}

static void mix_emit(void *w, uint64_t tag, vms_buf *out)
{
    mix *m = w;
    if (tag & Q_BIT)
        m->h->add_knn_query(m->h->ctx, out, (uint32_t)((tag & ~Q_BIT) >> 32),
                            (uint32_t)(tag & 0xffffffffu), m->k, m->ef_runtime);
    else
        m->h->add_hset_vector(m->h->ctx, out, (uint32_t)(tag >> 40), tag & ((1ull << 40) - 1));
}

static int mix_reply(void *w, int thread, uint64_t tag, const vms_reply *r)
{
    mix *m = w;
    (void)thread;
    if (m->h->reply_type(r) == VMS_REPLY_ERROR)
        atomic_fetch_add(&m->errors, 1);
    else if (tag & Q_BIT)
        atomic_fetch_add(&m->queries, 1);
    else
        atomic_fetch_add(&m->writes, 1);
    return 0;
}

static int mix_op_of(void *w, uint64_t tag)
{
    (void)w;
    return (tag & Q_BIT) ? 0 : 1;
}

static const char *const mix_ops[] = {"query", "hset"};

static void mix_report(void *w, vms_metric_fn metric, void *ctx)
{
    mix *m = w;
    uint64_t q = atomic_load(&m->queries), wr = atomic_load(&m->writes);
    metric(ctx, "queries", (double)q);
    metric(ctx, "writes", (double)wr);
    metric(ctx, "errors", (double)atomic_load(&m->errors));
    metric(ctx, "query_share", q + wr ? (double)q / (double)(q + wr) : 0);
}

static void mix_destroy(void *w)
{
    free(w);
}

static const vms_workload mix_workload = {
    VMS_WORKLOAD_ABI, "mix", "random KNN queries and re-writes of live vectors (70/30 by default)",
    mix_create, mix_next, mix_emit, mix_reply, mix_op_of, mix_ops, 2, mix_report, mix_destroy};

#ifdef VMS_AS_PLUGIN
const vms_workload *vms_workload_entry(void)
{
    return &mix_workload;
}
#else
const vms_workload *wl_mix_workload(void);
const vms_workload *wl_mix_workload(void)
{
    return &mix_workload;
}
#endif
