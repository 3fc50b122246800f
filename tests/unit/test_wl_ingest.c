/* wl_ingest: the HSET each item becomes is exactly what hiredis's formatter
 * (redisFormatCommandArgv) makes of the same arguments, for real siftsmall
 * rows read through the .fvecs layout (a 4-byte dimension before each row):
 * the one-reservation fast path (original float32 vector, no attributes) for
 * ids of every digit count, and the general path (TAG and NUMERIC fields);
 * and the DEL the shrink side sends for an original or an expanded copy. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h> /* after the headers it needs */

#include <hiredis/hiredis.h>
#include <pthread.h>

#include "dataset/ds_vecfile.h"
#include "shared_data.h"
#include "workload/wl_delete.h"
#include "workload/wl_ingest.h"

SHARED_SIFTSMALL_BASE

/* what hiredis makes of argv; the row's bytes come from an independent read */
static void expect_command(const strbuf *got, int argc, const char **argv, const size_t *lens)
{
    char *ref = NULL;
    int n = redisFormatCommandArgv(&ref, argc, argv, lens);
    assert_true(n > 0);
    assert_int_equal(got->len, (size_t)n);
    assert_memory_equal(got->buf, ref, (size_t)n);
    assert_int_equal(got->buf[got->len], '\0');
    free(ref);
}

static void row_of(uint64_t id, float *row)
{
    /* .fvecs: int32 dim, then dim float32, per row */
    const unsigned char *p = g_base.map + id * (4 + 4 * (size_t)g_base.dim) + 4;
    memcpy(row, p, 4 * (size_t)g_base.dim);
}

static void plain_rows_match_hiredis(void **state)
{
    (void)state;
    assert_int_equal(g_base.dim, 128);
    assert_int_equal(g_base.n, 10000);
    /* prefixes and fields around the sizes the fast path copies whole (16
     * bytes of prefix, 48 of field header), and past them */
    const char *prefixes[] = {"vec:", "", "abcdefghijklmnop", "abcdefghijklmnopq",
                              "a-rather-long-prefix-of-sixty-characters-for-the-slow-path:"};
    const char *fields[] = {"vector", "v", "a_field_name_of_thirty_chars__",
                            "a_field_name_that_is_longer_than_the_fast_path_takes"};
    uint64_t ids[] = {0, 9, 10, 99, 100, 999, 1000, 9999};
    strbuf sb = STRBUF_INIT;
    float row[128];
    wl_ingest w;
    for (size_t pi = 0; pi < sizeof(prefixes) / sizeof(prefixes[0]); pi++)
        for (size_t fi = 0; fi < sizeof(fields) / sizeof(fields[0]); fi++) {
            wl_ingest_init(&w, &g_base, prefixes[pi], fields[fi], 0, g_base.n);
            for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
                char key[96];
                snprintf(key, sizeof(key), "%s%llu", prefixes[pi], (unsigned long long)ids[i]);
                row_of(ids[i], row);
                const char *argv[] = {"HSET", key, fields[fi], (const char *)row};
                size_t lens[] = {4, strlen(key), strlen(fields[fi]), sizeof(row)};
                sb.len = 0;
                wl_ingest_emit_item(&w, WL_TAG(0, ids[i]), &sb);
                expect_command(&sb, 4, argv, lens);
            }
        }
    /* every id in order, as the engine claims them: the key's digits are
     * carried from one command to the next (9 -> 10, 99 -> 100 ...), and a
     * new workload with another prefix at the same address starts afresh */
    for (int round = 0; round < 2; round++) {
        const char *prefix = round ? "k" : "vec:";
        wl_ingest_init(&w, &g_base, prefix, "vector", 0, g_base.n);
        for (uint64_t id = 0; id < g_base.n; id++) {
            char key[32];
            snprintf(key, sizeof(key), "%s%llu", prefix, (unsigned long long)id);
            row_of(id, row);
            const char *argv[] = {"HSET", key, "vector", (const char *)row};
            size_t lens[] = {4, strlen(key), 6, sizeof(row)};
            sb.len = 0;
            wl_ingest_emit_item(&w, WL_TAG(0, id), &sb);
            expect_command(&sb, 4, argv, lens);
        }
    }
    wl_ingest_init(&w, &g_base, "vec:", "vector", 0, g_base.n);
    /* appended, not overwritten: two items back to back */
    sb.len = 0;
    wl_ingest_emit_item(&w, WL_TAG(0, 1), &sb);
    size_t one = sb.len;
    wl_ingest_emit_item(&w, WL_TAG(0, 2), &sb);
    assert_int_equal(sb.len, 2 * one);
    assert_memory_equal(sb.buf + one, "*4\r\n$4\r\nHSET\r\n$5\r\nvec:2\r\n", 25);
    sb_release(&sb);
}

static void attributes_match_hiredis(void **state)
{
    (void)state;
    wl_ingest w;
    wl_ingest_init(&w, &g_base, "doc:", "emb", 0, g_base.n);
    w.tag_field = "tag";
    w.numeric_field = "num";
    strbuf sb = STRBUF_INIT;
    float row[128];
    row_of(1234, row);
    char t[8], num[24];
    wl_tag_value(1234, t);
    snprintf(num, sizeof(num), "%llu", (unsigned long long)wl_numeric_value(1234));
    const char *argv[] = {"HSET", "doc:1234", "emb", (const char *)row, "tag", t, "num", num};
    size_t lens[] = {4, 8, 3, sizeof(row), 3, strlen(t), 3, strlen(num)};
    wl_ingest_emit_item(&w, WL_TAG(0, 1234), &sb);
    expect_command(&sb, 8, argv, lens);
    sb_release(&sb);
}

/* a TEXT attribute: the original's generated text, also in an expanded
 * copy (so a text filter selects the same ids in every copy) */
static void text_attribute_matches_hiredis(void **state)
{
    (void)state;
    ds_text text;
    vm_err err = {0};
    assert_int_equal(ds_text_init(&text, &(ds_text_conf){.vocab = 300, .seed = 5}, &err), 0);
    wl_ingest w;
    wl_ingest_init(&w, &g_base, "doc:", "emb", 0, g_base.n);
    w.text_field = "body";
    w.text = &text;
    strbuf doc = STRBUF_INIT, sb = STRBUF_INIT;
    ds_text_doc(&text, 77, &doc);
    assert_true(doc.len > 3);
    float row[128];
    row_of(77, row);
    const char *argv[] = {"HSET", "doc:77", "emb", (const char *)row, "body", doc.buf};
    size_t lens[] = {4, 6, 3, sizeof(row), 4, doc.len};
    wl_ingest_emit_item(&w, WL_TAG(0, 77), &sb);
    expect_command(&sb, 6, argv, lens);
    sb_reset(&sb);
    xp_plan plan;
    xp_plan_init(&plan, 1000.0, 128); /* only the key and the text are checked */
    w.plan = &plan;
    wl_ingest_emit_item(&w, WL_TAG(3, 77), &sb);
    assert_non_null(memmem(sb.buf, sb.len, "expand_3_doc:77", 15));
    assert_non_null(memmem(sb.buf, sb.len, doc.buf, doc.len));
    sb_release(&sb);
    sb_release(&doc);
    ds_text_free(&text);
}

static void delete_commands_match_hiredis(void **state)
{
    (void)state;
    /* short prefixes go through the key's stack buffer, long ones (with the
     * expand_<n>_ head, past 64 bytes) the slow way: the same bytes */
    const char *prefixes[] = {"vec:", "",
                              "a-rather-long-prefix-of-sixty-characters-for-the-slow-path:",
                              "a-prefix-of-fifty-characters-near-the-stack-room:"};
    uint32_t copies[] = {0, 1, 3, 99, (1u << 24) - 1};
    uint64_t ids[] = {0, 7, 10, 9999, 123456789012ull};
    strbuf sb = STRBUF_INIT;
    for (size_t pi = 0; pi < sizeof(prefixes) / sizeof(prefixes[0]); pi++)
        for (size_t ci = 0; ci < sizeof(copies) / sizeof(copies[0]); ci++)
            for (size_t ii = 0; ii < sizeof(ids) / sizeof(ids[0]); ii++) {
                uint64_t tag = WL_TAG(copies[ci], ids[ii] & ((1ull << 40) - 1));
                wl_delete d;
                wl_delete_init(&d, prefixes[pi], &tag, 1, NULL);
                eng_workload wl = wl_delete_workload(&d);
                char key[160];
                if (copies[ci])
                    snprintf(key, sizeof(key), "expand_%u_%s%llu", copies[ci], prefixes[pi],
                             (unsigned long long)WL_TAG_ID(tag));
                else
                    snprintf(key, sizeof(key), "%s%llu", prefixes[pi],
                             (unsigned long long)WL_TAG_ID(tag));
                const char *argv[] = {"DEL", key};
                size_t lens[] = {3, strlen(key)};
                sb.len = 0;
                wl.emit(wl.ctx, tag, &sb);
                expect_command(&sb, 2, argv, lens);
            }
    sb_release(&sb);
}

/* Replies from several worker threads at once, two of them sharing a
 * counter slot (thread indexes 1 and 1 + WL_COUNT_SLOTS): every acknowledgement
 * counted once, and the progress figure never ahead of them. */
typedef struct acker {
    wl_ingest *w;
    eng_workload wl;
    int thread;
    int n;
} acker;

static void *ack_many(void *arg)
{
    acker *a = arg;
    redisReply r = {.type = REDIS_REPLY_INTEGER, .integer = 1};
    vm_err e = {0};
    for (int i = 0; i < a->n; i++)
        if (a->wl.reply(a->wl.ctx, a->thread, WL_TAG(0, (uint64_t)i), &r, &e) != 0)
            return arg;
    return NULL;
}

static void acknowledgements_counted_once_across_threads(void **state)
{
    (void)state;
    static wl_ingest w; /* 4 KB of counters: not on the stack */
    wl_ingest_init(&w, &g_base, "vec:", "vector", 0, g_base.n);
    int threads[] = {0, 1, 2, 3, 1 + WL_COUNT_SLOTS};
    enum { NT = 5, PER = 100003 };
    acker a[NT];
    pthread_t tid[NT];
    for (int i = 0; i < NT; i++) {
        a[i] = (acker){&w, wl_ingest_workload(&w), threads[i], PER};
        assert_int_equal(pthread_create(&tid[i], NULL, ack_many, &a[i]), 0);
    }
    for (int i = 0; i < NT; i++) {
        void *rc;
        pthread_join(tid[i], &rc);
        assert_null(rc);
    }
    uint64_t progress = atomic_load(&w.acked.shown);
    assert_true(progress <= (uint64_t)NT * PER);
    assert_true(progress + 256ull * NT >= (uint64_t)NT * PER);
    assert_int_equal(wl_count_finish(&w.acked), (uint64_t)NT * PER);
    assert_int_equal(atomic_load(&w.acked.shown), (uint64_t)NT * PER);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_rows_match_hiredis),
        cmocka_unit_test(attributes_match_hiredis),
        cmocka_unit_test(text_attribute_matches_hiredis),
        cmocka_unit_test(delete_commands_match_hiredis),
        cmocka_unit_test(acknowledgements_counted_once_across_threads),
    };
    return cmocka_run_group_tests(tests, open_base, close_base);
}
