/* wl_stream: the stream written for real siftsmall rows holds, at the
 * computed offset of every id, exactly the HSET prefill's workload builds
 * for it (ids across 1 to 4 digits); it is opened only for the same prefix,
 * field and dimension and at its full length. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "dataset/ds_vecfile.h"
#include "shared_data.h"
#include "workload/wl_ingest.h"
#include "workload/wl_stream.h"
#include "workload/wl_stream_write.h"

SHARED_SIFTSMALL_BASE

static void stream_matches_the_workload(void **state)
{
    (void)state;
    char dir[] = "/tmp/vm-stream-XXXXXX";
    assert_non_null(mkdtemp(dir));
    vm_err err = {0};
    const uint64_t n = 1500;
    assert_int_equal(wl_stream_write(&g_base, n, "doc:", "emb", dir, &err), 0);
    char path[256];
    snprintf(path, sizeof(path), "%s/base.resp", dir);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    assert_int_equal((uint64_t)size, wl_stream_offset(4, 3, 512, n));
    char *all = malloc((size_t)size);
    fseek(f, 0, SEEK_SET);
    assert_int_equal(fread(all, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    wl_ingest w;
    wl_ingest_init(&w, &g_base, "doc:", "emb", 0, n);
    strbuf sb = STRBUF_INIT;
    for (uint64_t id = 0; id < n; id++) {
        sb.len = 0;
        wl_ingest_emit_item(&w, WL_TAG(0, id), &sb);
        uint64_t a = wl_stream_offset(4, 3, 512, id), b = wl_stream_offset(4, 3, 512, id + 1);
        assert_int_equal(b - a, sb.len);
        assert_memory_equal(all + a, sb.buf, sb.len);
    }
    sb_release(&sb);
    free(all);
    wl_stream s;
    assert_int_equal(wl_stream_open(&s, dir, "doc:", "emb", 128, &err), 1);
    assert_true(s.fd >= 0);
    assert_int_equal(s.n, n);
    for (uint64_t id = 0; id < n; id++) {
        uint64_t off, len;
        wl_stream_range(&s, id, &off, &len);
        assert_int_equal(off, wl_stream_offset(4, 3, 512, id));
        assert_int_equal(off + len, wl_stream_offset(4, 3, 512, id + 1));
    }
    wl_stream_close(&s);
    /* other keys, another dimension: not this stream */
    assert_int_equal(wl_stream_open(&s, dir, "vec:", "emb", 128, &err), 0);
    assert_int_equal(wl_stream_open(&s, dir, "doc:", "vector", 128, &err), 0);
    assert_int_equal(wl_stream_open(&s, dir, "doc:", "emb", 96, &err), 0);
    assert_int_equal(s.fd, -1);
    /* cut short: not used */
    assert_int_equal(truncate(path, size - 1), 0);
    assert_int_equal(wl_stream_open(&s, dir, "doc:", "emb", 128, &err), 0);
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

static void offsets_by_digit_count(void **state)
{
    (void)state;
    /* "*4\r\n$4\r\nHSET\r\n" 14, "$5\r\nvec:0\r\n" 11, "$6\r\nvector\r\n" 12,
     * "$512\r\n" + 512 + "\r\n" 520: 557 bytes for a one-digit id */
    assert_int_equal(wl_stream_offset(4, 6, 512, 0), 0);
    assert_int_equal(wl_stream_offset(4, 6, 512, 1), 557);
    assert_int_equal(wl_stream_offset(4, 6, 512, 10), 5570);
    assert_int_equal(wl_stream_offset(4, 6, 512, 11), 5570 + 558);
    assert_int_equal(wl_stream_offset(4, 6, 512, 100), 5570 + 90 * 558);
    /* a key of 10 characters and more: its length takes two digits */
    assert_int_equal(wl_stream_offset(8, 6, 512, 101) - wl_stream_offset(8, 6, 512, 100),
                     14 + (1 + 2 + 2 + 11 + 2) + 12 + 520);
}

static void meta_lines(void **state)
{
    (void)state;
    wl_stream_meta m;
    const char good[] = "prefix doc: x\nfield emb\nn 1500\nbytes 123\ndim 128\n";
    wl_stream_parse_meta(good, sizeof(good) - 1, &m);
    assert_string_equal(m.prefix, "doc: x"); /* a value runs to the line's end */
    assert_string_equal(m.field, "emb");
    assert_int_equal(m.n, 1500);
    assert_int_equal(m.bytes, 123);
    assert_int_equal(m.dim, 128);
    /* no final newline, unknown and broken lines, a NUL inside, an overlong value */
    static const char odd0[] = "junk\nnn 5\nn\nfield a\0b\ndim 7";
    char odd[600];
    wl_stream_parse_meta(odd0, sizeof(odd0) - 1, &m);
    assert_int_equal(m.n, 0);
    assert_int_equal(m.dim, 7);
    assert_int_equal(m.field[0], 'a');
    memset(odd, 'x', sizeof(odd));
    memcpy(odd, "prefix ", 7);
    wl_stream_parse_meta(odd, sizeof(odd), &m);
    assert_int_equal(strlen(m.prefix), sizeof(m.prefix) - 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(offsets_by_digit_count),
        cmocka_unit_test(meta_lines),
        cmocka_unit_test(stream_matches_the_workload),
    };
    return cmocka_run_group_tests(tests, open_base, close_base);
}
