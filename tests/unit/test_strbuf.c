/* strbuf and number formatting: growth, consume, detach, fmt_u64 edges. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/strbuf.h"

static void strbuf_grows_and_keeps_nul(void **state)
{
    (void)state;
    strbuf sb = STRBUF_INIT;
    for (int i = 0; i < 1000; i++)
        sb_addch(&sb, (char)('a' + i % 26));
    assert_int_equal(sb.len, 1000);
    assert_int_equal(sb.buf[1000], '\0');
    assert_int_equal(sb.buf[27], 'b');
    sb_addf(&sb, "%d-%s", 42, "x");
    assert_string_equal(sb.buf + 1000, "42-x");
    sb_release(&sb);
    assert_int_equal(sb.len, 0);
}

static void strbuf_consume_and_detach(void **state)
{
    (void)state;
    strbuf sb = STRBUF_INIT;
    sb_addstr(&sb, "hello world");
    sb_consume(&sb, 6);
    assert_string_equal(sb.buf, "world");
    sb_consume(&sb, 100);
    assert_int_equal(sb.len, 0);
    sb_addstr(&sb, "kept");
    size_t n;
    char *s = sb_detach(&sb, &n);
    assert_int_equal(n, 4);
    assert_string_equal(s, "kept");
    assert_int_equal(sb.len, 0);
    free(s);
    s = sb_detach(&sb, &n); /* empty detach still gives a string */
    assert_int_equal(n, 0);
    assert_string_equal(s, "");
    free(s);
}

static void fmt_u64_edges(void **state)
{
    (void)state;
    char d[21];
    d[fmt_u64(d, 0)] = '\0';
    assert_string_equal(d, "0");
    d[fmt_u64(d, 9)] = '\0';
    assert_string_equal(d, "9");
    d[fmt_u64(d, 10)] = '\0';
    assert_string_equal(d, "10");
    d[fmt_u64(d, UINT64_MAX)] = '\0';
    assert_string_equal(d, "18446744073709551615");
    strbuf sb = STRBUF_INIT;
    sb_add_u64(&sb, 1234567890123ull);
    assert_string_equal(sb.buf, "1234567890123");
    sb_release(&sb);
}

static void read_file_whole_or_fails(void **state)
{
    (void)state;
    const char *root = getenv("VM_DATASETS");
    char path[4096];
    snprintf(path, sizeof(path), "%s/siftsmall/siftsmall_query.fvecs", root ? root : "../shared/datasets");
    strbuf sb = STRBUF_INIT;
    sb_addstr(&sb, "x");
    assert_int_equal(sb_read_file(&sb, path), 0);
    assert_int_equal(sb.len, 1 + 100 * (4 + 128 * 4)); /* appended, whole */
    int32_t d;
    memcpy(&d, sb.buf + 1, 4);
    assert_int_equal(d, 128);
    assert_int_equal(sb_read_file(&sb, "/nonexistent/file"), -1);
    sb_release(&sb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(strbuf_grows_and_keeps_nul),
        cmocka_unit_test(strbuf_consume_and_detach),
        cmocka_unit_test(fmt_u64_edges),
        cmocka_unit_test(read_file_whole_or_fails),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
