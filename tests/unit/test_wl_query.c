/* wl_query's fan-out (a cluster whose search module runs without the
 * coordinator): each KNN goes to every master, and once the last shard has
 * answered the candidates are merged into the k nearest by true distance
 * over real siftsmall vectors — duplicates once, keys of another copy or
 * not live ranked last, nothing delivered before every shard answered, and
 * an error reply keeps the query from counting as answered. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <hiredis/hiredis.h>

#include "dataset/ds_vecfile.h"
#include "live/live_set.h"
#include "vecmath/knn.h"
#include "workload/wl_query.h"
#include "shared_data.h"

static ds_vecfile g_base, g_query;

static int open_sets(void **state)
{
    (void)state;
    open_shared_vecfile(&g_base, "siftsmall/siftsmall_base.fvecs");
    open_shared_vecfile(&g_query, "siftsmall/siftsmall_query.fvecs");
    return 0;
}

static int close_sets(void **state)
{
    (void)state;
    ds_vecfile_close(&g_base);
    ds_vecfile_close(&g_query);
    return 0;
}

typedef struct ranked {
    float d2;
    int64_t id;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b; /* ties by id, as the merge breaks them */
    if (x->d2 != y->d2)
        return x->d2 < y->d2 ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

/* every base vector of siftsmall by distance to query q */
static ranked *by_distance(uint32_t q)
{
    ranked *r = malloc(g_base.n * sizeof(ranked));
    float qv[128], row[128];
    ds_vecfile_row_f32(&g_query, q, qv);
    for (uint64_t i = 0; i < g_base.n; i++) {
        ds_vecfile_row_f32(&g_base, i, row);
        r[i] = (ranked){knn_dist2(qv, row, 128), (int64_t)i};
    }
    qsort(r, g_base.n, sizeof(ranked), cmp_ranked);
    return r;
}

/* FT.SEARCH ... NOCONTENT's answer: [total, key, key, ...] */
static redisReply *search_reply(const char *const *keys, size_t n)
{
    redisReply *r = calloc(1, sizeof(*r));
    r->type = REDIS_REPLY_ARRAY;
    r->elements = n + 1;
    r->element = calloc(n + 1, sizeof(redisReply *));
    r->element[0] = calloc(1, sizeof(redisReply));
    r->element[0]->type = REDIS_REPLY_INTEGER;
    r->element[0]->integer = (long long)n;
    for (size_t i = 0; i < n; i++) {
        redisReply *e = calloc(1, sizeof(*e));
        e->type = REDIS_REPLY_STRING;
        e->str = strdup(keys[i]);
        e->len = strlen(keys[i]);
        r->element[i + 1] = e;
    }
    return r;
}

static void answer(eng_workload *wl, uint64_t tag, const char *const *keys, size_t n)
{
    redisReply *r = search_reply(keys, n);
    vm_err err = {0};
    assert_int_equal(wl->reply(wl->ctx, 0, tag, r, &err), 0);
    freeReplyObject(r);
}

/* nq queries of copy 0, k each, fanned out to the masters of slots[fanout] */
static void fanned_query(wl_query *w, live_set *live, uint32_t k, uint32_t nq, uint32_t fanout,
                         const int *slots)
{
    static const uint32_t copy0[] = {0};
    memset(w, 0, sizeof(*w));
    w->queries = &g_query;
    w->index = "idx";
    w->field = "vector";
    w->prefix = "vec:";
    w->k = k;
    w->copies = copy0;
    w->ncopies = 1;
    w->nq = nq;
    w->live = live;
    w->fanout = fanout;
    static wl_fan_target fan[8]; /* by slot: no host */
    for (uint32_t i = 0; i < fanout && i < 8; i++)
        fan[i] = (wl_fan_target){.slot = slots[i]};
    w->fan = fan;
    w->base = &g_base;
    assert_int_equal(wl_query_init(w, &(vm_err){0}), 0);
}

static void fanned_out_and_merged(void **state)
{
    (void)state;
    live_set live;
    live_init(&live, g_base.n);
    live_ensure_copies(&live, 2);
    for (uint64_t i = 0; i < g_base.n; i++)
        live_mark(&live, 0, i, true);
    int slots[] = {0, 5461, 10923};
    wl_query w;
    fanned_query(&w, &live, 10, 2, 3, slots);
    eng_workload wl = wl_query_workload(&w);
    /* 2 queries x 3 shards, each part to its master's slot */
    uint64_t tag, n = 0;
    while (wl.next(wl.ctx, 0, &tag)) {
        assert_int_equal(wl.slot(wl.ctx, tag), slots[tag % 3]);
        n++;
    }
    assert_int_equal(n, 6);

    /* query 0: the true 30 nearest dealt round-robin to the shards, each
     * shard's 10 in a shuffled order; shard 2 also names a key of copy 1
     * and repeats one of shard 0's ids */
    ranked *r0 = by_distance(0);
    char keys[3][12][32];
    const char *kp[3][12];
    size_t nk[3] = {0, 0, 0};
    for (int i = 29; i >= 0; i--) {
        int s = i % 3;
        snprintf(keys[s][nk[s]], 32, "vec:%lld", (long long)r0[i].id);
        kp[s][nk[s]] = keys[s][nk[s]];
        nk[s]++;
    }
    snprintf(keys[2][nk[2]], 32, "expand_1_vec:%lld", (long long)r0[0].id);
    kp[2][nk[2]] = keys[2][nk[2]];
    nk[2]++;
    snprintf(keys[2][nk[2]], 32, "vec:%lld", (long long)r0[3].id);
    kp[2][nk[2]] = keys[2][nk[2]];
    nk[2]++;
    answer(&wl, 0 * 3 + 2, kp[2], nk[2]);
    answer(&wl, 0 * 3 + 0, kp[0], nk[0]);
    assert_int_equal(wl_count_sum(&w.done), 0); /* not before every shard */
    answer(&wl, 0 * 3 + 1, kp[1], nk[1]);
    assert_int_equal(wl_count_sum(&w.done), 1);
    assert_int_equal(w.nreturned[0], 10);
    for (int i = 0; i < 10; i++)
        assert_int_equal(w.returned[i], r0[i].id);
    assert_true(w.latency_ms[0] >= 0);

    /* query 1: only three live candidates of the query's copy over all
     * shards; the rest rank after them as wrong answers (-1) */
    ranked *r1 = by_distance(1);
    char a[3][32], b[3][32];
    for (int i = 0; i < 3; i++) {
        snprintf(a[i], 32, "vec:%lld", (long long)r1[2 - i].id);
        snprintf(b[i], 32, "expand_1_vec:%lld", (long long)r1[i].id);
    }
    const char *p0[] = {a[0], b[0]}, *p1[] = {b[1], a[1]}, *p2[] = {a[2], b[2]};
    answer(&wl, 1 * 3 + 0, p0, 2);
    answer(&wl, 1 * 3 + 1, p1, 2);
    answer(&wl, 1 * 3 + 2, p2, 2);
    assert_int_equal(wl_count_sum(&w.done), 2);
    assert_int_equal(w.nreturned[1], 6);
    for (int i = 0; i < 3; i++)
        assert_int_equal(w.returned[10 + i], r1[i].id);
    for (int i = 3; i < 6; i++)
        assert_int_equal(w.returned[10 + i], -1);
    free(r0);
    free(r1);
    wl_query_free(&w);
    live_free(&live);
}

static void an_error_keeps_the_query_unanswered(void **state)
{
    (void)state;
    live_set live;
    live_init(&live, g_base.n);
    live_ensure_copies(&live, 1);
    int slots[] = {1, 2};
    wl_query w;
    fanned_query(&w, &live, 5, 1, 2, slots);
    eng_workload wl = wl_query_workload(&w);
    redisReply e = {.type = REDIS_REPLY_ERROR, .str = "Index with name 'idx' not found", .len = 31};
    assert_int_equal(wl.reply(wl.ctx, 0, 1, &e, &(vm_err){0}), 0);
    const char *k[] = {"vec:1"};
    answer(&wl, 0, k, 1);
    assert_int_equal(atomic_load(&w.errors), 1);
    assert_int_equal(wl_count_sum(&w.done), 0);
    assert_string_equal(w.first_error, "Index with name 'idx' not found");
    wl_query_free(&w);
    live_free(&live);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fanned_out_and_merged),
        cmocka_unit_test(an_error_keeps_the_query_unanswered),
    };
    return cmocka_run_group_tests(tests, open_sets, close_sets);
}
