/* FT.CREATE arguments and FT.INFO parsing, checked against what a real
 * valkey-search 1.0.3 accepted and answered (shared/reference). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h> /* after the headers it needs */

#include "search/idx.h"
#include "transcript.h"
#include "util/strbuf.h"

static void join(const char **argv, int argc, strbuf *out)
{
    sb_reset(out);
    for (int i = 0; i < argc; i++) {
        if (i)
            sb_addch(out, ' ');
        sb_addstr(out, argv[i]);
    }
}

static void create_hnsw_matches_reference_syntax(void **state)
{
    (void)state;
    idx_spec s = {.name = "idx_hnsw_params",
                  .prefix = "hp:",
                  .field = "vec",
                  .algo = IDX_HNSW,
                  .metric = IDX_IP,
                  .dim = 4,
                  .m = 32,
                  .ef_construction = 400,
                  .initial_cap = 50000,
                  .ef_runtime = 20};
    strbuf store = STRBUF_INIT, line = STRBUF_INIT;
    const char *argv[64];
    int argc = idx_create_args(&s, &store, argv, 64);
    join(argv, argc, &line);
    /* the reference created this index with the same words (its order
     * puts INITIAL_CAP before EF_RUNTIME; the server takes either) */
    assert_string_equal(line.buf,
                        "FT.CREATE idx_hnsw_params ON HASH PREFIX 1 hp: SCHEMA vec VECTOR HNSW 14 "
                        "TYPE FLOAT32 DIM 4 DISTANCE_METRIC IP M 32 EF_CONSTRUCTION 400 EF_RUNTIME "
                        "20 INITIAL_CAP 50000");
    sb_release(&store);
    sb_release(&line);
}

static void create_flat_with_attributes_and_expand_prefix(void **state)
{
    (void)state;
    idx_spec s = {.name = "idx",
                  .prefix = "vec:",
                  .field = "vector",
                  .algo = IDX_FLAT,
                  .metric = IDX_L2,
                  .dim = 128,
                  .block_size = 512,
                  .initial_cap = 1000,
                  .expand_prefix = true,
                  .tag_field = "color",
                  .numeric_field = "price"};
    strbuf store = STRBUF_INIT, line = STRBUF_INIT;
    const char *argv[64];
    int argc = idx_create_args(&s, &store, argv, 64);
    join(argv, argc, &line);
    assert_string_equal(line.buf,
                        "FT.CREATE idx ON HASH PREFIX 2 vec: expand_ SCHEMA vector VECTOR FLAT 10 "
                        "TYPE FLOAT32 DIM 128 DISTANCE_METRIC L2 BLOCK_SIZE 512 INITIAL_CAP 1000 "
                        "color TAG price NUMERIC");
    sb_release(&store);
    sb_release(&line);
}

static void info_parses_reference_hnsw(void **state)
{
    (void)state;
    char *file = tr_reference("01-ft-create-search-info.txt");
    assert_non_null(file);
    redisReply *r = tr_reply(file, "127.0.0.1:7100> FT.INFO idx", 0);
    free(file);
    assert_non_null(r);
    idx_info info;
    vm_err err = {0};
    assert_int_equal(idx_info_parse(r, &info, &err), 0);
    assert_int_equal(info.num_docs, 4);
    assert_int_equal(info.num_records, 4);
    assert_int_equal(info.vector_capacity, 10240);
    assert_int_equal(info.vector_size, 4);
    assert_int_equal(info.mutation_queue_size, 0);
    assert_false(info.backfill_in_progress);
    assert_string_equal(info.state, "ready");
    freeReplyObject(r);
}

/* valkey-search 1.2.1: the same FT.INFO keys plus user_indexed_memory per
 * attribute and the TEXT counters */
static void info_parses_release_1_2(void **state)
{
    (void)state;
    char *file = tr_reference_of("1.2.1", "02-deletes-reclaimable.txt");
    assert_non_null(file);
    idx_info info;
    vm_err err = {0};
    redisReply *r = tr_reply(file, "127.0.0.1:6379> FT.INFO idx", 0);
    assert_non_null(r);
    assert_int_equal(idx_info_parse(r, &info, &err), 0);
    assert_int_equal(info.num_docs, 10000);
    assert_int_equal(info.vector_size, 10000);
    assert_int_equal(info.vector_capacity, 10240);
    assert_int_equal(info.indexed_bytes, 5120000); /* 10,000 x 128 x 4 */
    freeReplyObject(r);
    r = tr_reply(file, "127.0.0.1:6379> FT.INFO idx", 1); /* after deleting half */
    assert_non_null(r);
    assert_int_equal(idx_info_parse(r, &info, &err), 0);
    assert_int_equal(info.num_docs, 5000);
    freeReplyObject(r);
    free(file);

    file = tr_reference_of("1.2.1", "01-standalone-text-cluster.txt");
    assert_non_null(file);
    r = tr_reply(file, "127.0.0.1:7211> FT.INFO t", 0);
    free(file);
    assert_non_null(r);
    assert_int_equal(idx_info_parse(r, &info, &err), 0);
    assert_int_equal(info.num_docs, 6);
    assert_int_equal(info.num_records, 4);
    assert_int_equal(info.num_terms, 13);
    assert_int_equal(info.term_occurrences, 15);
    assert_int_equal(info.indexed_bytes, 94);
    assert_int_equal(info.vector_capacity, 0); /* no vector attribute */
    freeReplyObject(r);
}

/* MODULE LIST's ver: decimal up to 1.0.x, major<<16|minor<<8|patch after */
static void version_decodes_both_encodings(void **state)
{
    (void)state;
    const struct {
        const char *release, *file, *prompt;
        const char *want;
    } cases[] = {
        {"1.0.3", "02-info-memory.txt", "127.0.0.1:7100> MODULE LIST", "1.0.3"},
        {"1.2.1", "01-standalone-text-cluster.txt", "127.0.0.1:7211> MODULE LIST", "1.2.1"},
    };
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        char *file = tr_reference_of(cases[c].release, cases[c].file);
        assert_non_null(file);
        redisReply *r = tr_reply(file, cases[c].prompt, 0);
        free(file);
        assert_non_null(r);
        assert_int_equal(r->type, REDIS_REPLY_ARRAY);
        long long ver = -1;
        const redisReply *m = r->element[0];
        for (size_t j = 0; j + 1 < m->elements; j += 2)
            if (!strcmp(m->element[j]->str, "ver"))
                ver = m->element[j + 1]->integer;
        char buf[32];
        idx_version_format(idx_version_decode(ver), buf, sizeof(buf));
        assert_string_equal(buf, cases[c].want);
        freeReplyObject(r);
    }
    char buf[32];
    idx_version_format(idx_version_decode(0x010100), buf, sizeof(buf));
    assert_string_equal(buf, "1.1.0");
    idx_version_format(idx_version_decode(10100), buf, sizeof(buf)); /* a decimal 1.1.0 */
    assert_string_equal(buf, "1.1.0");
    idx_version_format(idx_version_decode(0), buf, sizeof(buf));
    assert_string_equal(buf, "unknown");
    assert_true(idx_version_cmp(idx_version_decode(66049), idx_version_decode(10003)) > 0);
    assert_int_equal(idx_version_cmp(idx_version_decode(10003), (idx_version){1, 0, 3}), 0);
    assert_true(idx_version_cmp((idx_version){1, 0, 9}, (idx_version){1, 1, 0}) < 0);
}

static void create_text_attribute(void **state)
{
    (void)state;
    idx_spec s = {.name = "tv",
                  .prefix = "vec:",
                  .field = "vector",
                  .algo = IDX_HNSW,
                  .metric = IDX_L2,
                  .dim = 128,
                  .text_field = "body",
                  .tag_field = "tag"};
    strbuf store = STRBUF_INIT, line = STRBUF_INIT;
    const char *argv[48];
    int argc = idx_create_args(&s, &store, argv, 48);
    join(argv, argc, &line);
    assert_string_equal(line.buf, "FT.CREATE tv ON HASH PREFIX 1 vec: SCHEMA vector VECTOR HNSW 6 "
                                  "TYPE FLOAT32 DIM 128 DISTANCE_METRIC L2 body TEXT NOSTEM tag TAG");
    sb_release(&store);
    sb_release(&line);
}

static void info_refuses_error_and_garbage(void **state)
{
    (void)state;
    idx_info info;
    vm_err err = {0};
    redisReply e = {
        .type = REDIS_REPLY_ERROR, .str = "Index with name 'nosuch' not found", .len = 34};
    assert_int_equal(idx_info_parse(&e, &info, &err), -1);
    assert_non_null(strstr(err.msg, "nosuch"));
    redisReply one = {.type = REDIS_REPLY_STRING, .str = "num_docs", .len = 8};
    redisReply *els[1] = {&one};
    redisReply odd = {.type = REDIS_REPLY_ARRAY, .elements = 1, .element = els};
    assert_int_equal(idx_info_parse(&odd, &info, &err), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(create_hnsw_matches_reference_syntax),
        cmocka_unit_test(create_flat_with_attributes_and_expand_prefix),
        cmocka_unit_test(info_parses_reference_hnsw),
        cmocka_unit_test(info_refuses_error_and_garbage),
        cmocka_unit_test(info_parses_release_1_2),
        cmocka_unit_test(version_decodes_both_encodings),
        cmocka_unit_test(create_text_attribute),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
