/* Engine internals that need no server: reading MOVED / ASK targets, finding
 * the key of an encoded command (routing when a workload gives no slot),
 * the retry backoff, and eng_stats_add merging runs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "engine/eng_int.h"
#include "net/resp.h"

static void redirect_targets(void **state)
{
    (void)state;
    int slot, port;
    char host[64];
    const char *m = "MOVED 3999 127.0.0.1:6381";
    assert_int_equal(eng_route_parse_redirect(m, strlen(m), &slot, host, sizeof(host), &port), 0);
    assert_int_equal(slot, 3999);
    assert_string_equal(host, "127.0.0.1");
    assert_int_equal(port, 6381);
    m = "ASK 16383 node-7.example.com:30001";
    assert_int_equal(eng_route_parse_redirect(m, strlen(m), &slot, host, sizeof(host), &port), 0);
    assert_int_equal(slot, 16383);
    assert_string_equal(host, "node-7.example.com");
    assert_int_equal(port, 30001);
    /* IPv6, with and without brackets; an empty host (unknown endpoint) */
    m = "MOVED 1 ::1:7000";
    assert_int_equal(eng_route_parse_redirect(m, strlen(m), &slot, host, sizeof(host), &port), 0);
    assert_string_equal(host, "::1");
    m = "MOVED 1 [fe80::1]:7000";
    assert_int_equal(eng_route_parse_redirect(m, strlen(m), &slot, host, sizeof(host), &port), 0);
    assert_string_equal(host, "fe80::1");
    assert_int_equal(port, 7000);
    m = "MOVED 12 :7001";
    assert_int_equal(eng_route_parse_redirect(m, strlen(m), &slot, host, sizeof(host), &port), 0);
    assert_string_equal(host, "");
    assert_int_equal(port, 7001);
    /* malformed */
    const char *bad[] = {"MOVED", "MOVED 3999", "MOVED x 1.2.3.4:5", "MOVED 16384 h:1",
                         "MOVED 1 host", "MOVED 1 host:0", "MOVED 1 host:99999", "MOVED -1 h:1"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(
            eng_route_parse_redirect(bad[i], strlen(bad[i]), &slot, host, sizeof(host), &port),
            -1);
    /* a host longer than the buffer */
    m = "MOVED 1 a-very-long-host-name-that-does-not-fit-in-sixteen:1";
    assert_int_equal(eng_route_parse_redirect(m, strlen(m), &slot, host, 16, &port), -1);
}

static void key_slot_of_encoded_commands(void **state)
{
    (void)state;
    strbuf sb = STRBUF_INIT;
    const char *hset[] = {"HSET", "{user1000}.following", "f", "v"};
    resp_add_command(&sb, 4, hset, NULL);
    assert_int_equal(eng_route_resp_slot(sb.buf, sb.len), net_cluster_slot("user1000", 8));
    sb.len = 0;
    resp_add_array(&sb, 4);
    resp_add_bulk(&sb, "HSET", 4);
    resp_add_bulk_key(&sb, "vec:", 4, 1234567);
    resp_add_bulk(&sb, "vector", 6);
    static char blob[512];
    resp_add_blob(&sb, blob, sizeof(blob));
    assert_int_equal(eng_route_resp_slot(sb.buf, sb.len), net_cluster_slot("vec:1234567", 11));
    sb.len = 0;
    const char *foo[] = {"DEL", "foo"};
    resp_add_command(&sb, 2, foo, NULL);
    assert_int_equal(eng_route_resp_slot(sb.buf, sb.len), 12182);
    /* no key: any node */
    sb.len = 0;
    const char *ping[] = {"PING"};
    resp_add_command(&sb, 1, ping, NULL);
    assert_int_equal(eng_route_resp_slot(sb.buf, sb.len), ENG_SLOT_ANY);
    /* truncated or not RESP */
    assert_int_equal(eng_route_resp_slot("*2\r\n$3\r\nDEL\r\n$3\r\nfo", 18), ENG_SLOT_ANY);
    assert_int_equal(eng_route_resp_slot("PING\r\n", 6), ENG_SLOT_ANY);
    assert_int_equal(eng_route_resp_slot("", 0), ENG_SLOT_ANY);
    sb_release(&sb);
}

static void backoff_grows_and_caps(void **state)
{
    (void)state;
    uint64_t prev = 0;
    for (unsigned a = 0; a < 20; a++) {
        uint64_t b = eng_reply_backoff_ns(a);
        assert_true(b >= prev);
        assert_true(b >= 10000000ull && b <= 1000000000ull);
        prev = b;
    }
    assert_int_equal(eng_reply_backoff_ns(0), 10000000ull);
    assert_int_equal(eng_reply_backoff_ns(19), 1000000000ull);
}

static void stats_add_merges(void **state)
{
    (void)state;
    eng_stats *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
    eng_stats_init(a);
    eng_stats_init(b);
    b->sent = 5;
    b->replies = 4;
    b->moved = 2;
    b->errors_by_class[ERRC_OOM] = 3;
    b->op_names[0] = "hset";
    snprintf(b->first_error, sizeof(b->first_error), "OOM command not allowed");
    hist_record(&b->latency[0], 1000);
    hist_record(&b->latency[0], 3000);
    eng_stats_add(a, b);
    eng_stats_add(a, b);
    assert_int_equal(a->sent, 10);
    assert_int_equal(a->replies, 8);
    assert_int_equal(a->moved, 4);
    assert_int_equal(a->errors_by_class[ERRC_OOM], 6);
    assert_string_equal(a->op_names[0], "hset");
    assert_string_equal(a->first_error, "OOM command not allowed");
    assert_int_equal(a->latency[0].count, 4);
    assert_int_equal(a->latency[0].max_ns, 3000);
    assert_int_equal(a->latency[0].min_ns, 1000);
    free(a);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(redirect_targets),
        cmocka_unit_test(key_slot_of_encoded_commands),
        cmocka_unit_test(backoff_grows_and_caps),
        cmocka_unit_test(stats_add_merges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
