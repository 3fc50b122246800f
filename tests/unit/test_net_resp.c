/* net_resp: the hand-written encoder produces exactly the RESP that
 * hiredis's own formatter does (redisFormatCommandArgv), for commands with
 * empty, binary and long arguments, numbers of every digit count, and keys
 * built from a prefix and an id. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <hiredis/hiredis.h>

#include "net/resp.h"

static void same_as_hiredis(int argc, const char **argv, const size_t *lens)
{
    char *ref = NULL;
    int n = redisFormatCommandArgv(&ref, argc, argv, lens);
    assert_true(n > 0);
    strbuf sb = STRBUF_INIT;
    resp_add_command(&sb, argc, argv, lens);
    assert_int_equal(sb.len, (size_t)n);
    assert_memory_equal(sb.buf, ref, (size_t)n);
    assert_int_equal(sb.buf[sb.len], '\0');
    free(ref);
    sb_release(&sb);
}

static void commands_match_hiredis(void **state)
{
    (void)state;
    const char *a1[] = {"PING"};
    same_as_hiredis(1, a1, NULL);
    const char *a2[] = {"HSET", "vec:1", "vector", ""};
    same_as_hiredis(4, a2, NULL);
    static char blob[70000];
    for (size_t i = 0; i < sizeof(blob); i++)
        blob[i] = (char)(i * 7);
    const char *a3[] = {"HSET", "k", "f", blob};
    size_t l3[] = {4, 1, 1, sizeof(blob)};
    same_as_hiredis(4, a3, l3);
    size_t l4[] = {4, 1, 1, 512};
    same_as_hiredis(4, a3, l4);
    /* many arguments: a two-digit array header */
    const char *many[123];
    for (int i = 0; i < 123; i++)
        many[i] = i % 2 ? "x" : "yy";
    same_as_hiredis(123, many, NULL);
}

static void numbers_every_width(void **state)
{
    (void)state;
    uint64_t vals[] = {0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 9999, 10000, 12345, 99999,
                       100000, 1000000, 4294967295ull, 10000000000ull, UINT64_MAX};
    for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
        char want[32], got[32];
        int n = snprintf(want, sizeof(want), "%llu", (unsigned long long)vals[i]);
        assert_int_equal(resp_digits(vals[i]), (unsigned)n);
        unsigned m = resp_put_u64(got, vals[i]);
        got[m] = '\0';
        assert_string_equal(got, want);
        strbuf sb = STRBUF_INIT;
        resp_add_bulk_u64(&sb, vals[i]);
        char expect[64];
        snprintf(expect, sizeof(expect), "$%d\r\n%s\r\n", n, want);
        assert_string_equal(sb.buf, expect);
        sb_release(&sb);
    }
}

static void keys_from_prefix_and_id(void **state)
{
    (void)state;
    strbuf sb = STRBUF_INIT;
    resp_add_bulk_key(&sb, "vec:", 4, 0);
    resp_add_bulk_key(&sb, "expand_3_vec:", 13, 123456789);
    resp_add_bulk_key(&sb, "", 0, 42);
    assert_string_equal(sb.buf, "$5\r\nvec:0\r\n$22\r\nexpand_3_vec:123456789\r\n$2\r\n42\r\n");
    sb_release(&sb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(commands_match_hiredis),
        cmocka_unit_test(numbers_every_width),
        cmocka_unit_test(keys_from_prefix_and_id),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
