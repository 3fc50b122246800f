/* net_cluster: key → slot (CRC16 with hash tags) on values every cluster
 * client agrees on, and the CLUSTER SHARDS / CLUSTER SLOTS parsers on the
 * replies a real redis-server 7 gives (captured bytes, plus replicas). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "net/net_cluster.h"

static uint16_t slot_of(const char *k)
{
    return net_cluster_slot(k, strlen(k));
}

static void slot_known_values(void **state)
{
    (void)state;
    assert_int_equal(slot_of("foo"), 12182);
    assert_int_equal(slot_of("bar"), 5061);
    assert_int_equal(slot_of("hello"), 866);
    /* CRC16/XMODEM check value of "123456789" is 0x31C3 */
    assert_int_equal(slot_of("123456789"), 0x31C3);
    assert_int_equal(slot_of(""), 0);
}

static void slot_hash_tags(void **state)
{
    (void)state;
    assert_int_equal(slot_of("{user1000}.following"), slot_of("{user1000}.followers"));
    assert_int_equal(slot_of("{user1000}.following"), slot_of("user1000"));
    /* only the first {...} counts */
    assert_int_equal(slot_of("foo{bar}{zap}"), slot_of("bar"));
    /* "{}" is not a tag: the whole key is hashed */
    assert_int_not_equal(slot_of("foo{}{bar}"), slot_of("bar"));
    /* the tag starts after the first '{' and ends at the next '}' */
    assert_int_equal(slot_of("foo{{bar}}zap"), slot_of("{bar"));
    /* no closing brace: whole key */
    assert_int_not_equal(slot_of("{foo"), slot_of("foo"));
    /* binary keys with NULs are hashed over their length */
    assert_int_not_equal(net_cluster_slot("a\0b", 3), net_cluster_slot("a", 1));
}

static redisReply *parse_resp(const char *s, size_t n)
{
    redisReader *rd = redisReaderCreate();
    redisReaderFeed(rd, s, n);
    void *obj = NULL;
    assert_int_equal(redisReaderGetReply(rd, &obj), REDIS_OK);
    assert_non_null(obj);
    redisReaderFree(rd);
    return obj;
}

/* CLUSTER SHARDS from redis-server 7.0.15, 3 masters (captured) */
static const char shards_3[] =
    "*3\r\n*4\r\n$5\r\nslots\r\n*2\r\n:5461\r\n:10922\r\n$5\r\nnodes\r\n*1\r\n*14\r\n$2\r\nid\r\n$40\r\n"
    "cca04a60a357672c5598b5e3423dd8a976c99f38\r\n$4\r\nport\r\n:44954\r\n$2\r\nip\r\n$9\r\n"
    "127.0.0.1\r\n$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$18\r\n"
    "replication-offset\r\n:0\r\n$6\r\nhealth\r\n$6\r\nonline\r\n*4\r\n$5\r\nslots\r\n*2\r\n"
    ":10923\r\n:16383\r\n$5\r\nnodes\r\n*1\r\n*14\r\n$2\r\nid\r\n$40\r\n"
    "418bb9853884169eec1789101ac99eca18360b9c\r\n$4\r\nport\r\n:43949\r\n$2\r\nip\r\n$9\r\n"
    "127.0.0.1\r\n$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$18\r\n"
    "replication-offset\r\n:0\r\n$6\r\nhealth\r\n$6\r\nonline\r\n*4\r\n$5\r\nslots\r\n*2\r\n"
    ":0\r\n:5460\r\n$5\r\nnodes\r\n*1\r\n*14\r\n$2\r\nid\r\n$40\r\n"
    "c0ff28d492c256b7e49b63e46b84ec94b0529b30\r\n$4\r\nport\r\n:47222\r\n$2\r\nip\r\n$9\r\n"
    "127.0.0.1\r\n$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$18\r\n"
    "replication-offset\r\n:0\r\n$6\r\nhealth\r\n$6\r\nonline\r\n";

static void shards_three_masters(void **state)
{
    (void)state;
    redisReply *r = parse_resp(shards_3, sizeof(shards_3) - 1);
    net_cluster_topo t;
    vm_err err = {0};
    assert_int_equal(net_cluster_parse_shards(r, "seed", false, &t, &err), 0);
    freeReplyObject(r);
    assert_int_equal(t.nnodes, 3);
    assert_int_equal(t.nmasters, 3);
    assert_true(t.from_shards);
    assert_int_equal(net_cluster_uncovered(&t), 0);
    int n0 = net_cluster_slot_node(&t, 0);
    assert_true(n0 >= 0);
    assert_int_equal(t.nodes[n0].port, 47222);
    assert_string_equal(t.nodes[n0].host, "127.0.0.1");
    assert_string_equal(t.nodes[n0].id, "c0ff28d492c256b7e49b63e46b84ec94b0529b30");
    assert_true(t.nodes[n0].is_master);
    assert_true(t.nodes[n0].online);
    assert_int_equal(t.nodes[n0].nranges, 1);
    assert_int_equal(t.nodes[n0].ranges[0].last, 5460);
    assert_int_equal(t.nodes[net_cluster_slot_node(&t, 5461)].port, 44954);
    assert_int_equal(t.nodes[net_cluster_slot_node(&t, 16383)].port, 43949);
    /* "foo" → 12182 → the third master */
    assert_int_equal(t.nodes[net_cluster_slot_node(&t, slot_of("foo"))].port, 43949);
    assert_int_equal(net_cluster_find(&t, "127.0.0.1", 44954), net_cluster_slot_node(&t, 6000));
    assert_int_equal(net_cluster_find(&t, "127.0.0.1", 1), -1);
    net_cluster_free(&t);
    assert_null(t.nodes);
}

/* One shard, a master with two ranges, a replica listed FIRST, a failed
 * replica with an unknown endpoint ("?"), and TLS ports. */
static const char shards_repl[] =
    "*1\r\n*4\r\n$5\r\nslots\r\n*4\r\n:0\r\n:99\r\n:200\r\n:299\r\n$5\r\nnodes\r\n*3\r\n"
    "*12\r\n$2\r\nid\r\n$3\r\nbbb\r\n$4\r\nport\r\n:7002\r\n$8\r\ntls-port\r\n:8002\r\n"
    "$8\r\nendpoint\r\n$8\r\nreplica1\r\n$4\r\nrole\r\n$7\r\nreplica\r\n$6\r\nhealth\r\n$6\r\nonline\r\n"
    "*12\r\n$2\r\nid\r\n$3\r\naaa\r\n$4\r\nport\r\n:7001\r\n$8\r\ntls-port\r\n:8001\r\n"
    "$8\r\nendpoint\r\n$7\r\nmaster1\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$6\r\nhealth\r\n$6\r\nonline\r\n"
    "*12\r\n$2\r\nid\r\n$3\r\nccc\r\n$4\r\nport\r\n:7003\r\n$2\r\nip\r\n$0\r\n\r\n"
    "$8\r\nendpoint\r\n$1\r\n?\r\n$4\r\nrole\r\n$7\r\nreplica\r\n$6\r\nhealth\r\n$6\r\nfailed\r\n";

static void shards_replicas_and_tls(void **state)
{
    (void)state;
    redisReply *r = parse_resp(shards_repl, sizeof(shards_repl) - 1);
    net_cluster_topo t;
    vm_err err = {0};
    assert_int_equal(net_cluster_parse_shards(r, "seed.example", true, &t, &err), 0);
    assert_int_equal(t.nnodes, 3);
    assert_int_equal(t.nmasters, 1);
    /* masters come first whatever the server's order */
    assert_true(t.nodes[0].is_master);
    assert_string_equal(t.nodes[0].host, "master1");
    assert_int_equal(t.nodes[0].port, 8001); /* TLS port under TLS */
    assert_int_equal(t.nodes[0].master, -1);
    assert_int_equal(t.nodes[0].nranges, 2);
    assert_false(t.nodes[1].is_master);
    assert_int_equal(t.nodes[1].master, 0);
    assert_int_equal(t.nodes[2].master, 0);
    int failed = strcmp(t.nodes[1].id, "ccc") == 0 ? 1 : 2;
    assert_false(t.nodes[failed].online);
    assert_string_equal(t.nodes[failed].host, "seed.example");
    assert_int_equal(t.nodes[failed].port, 7003); /* no tls-port: plain one */
    assert_int_equal(net_cluster_slot_node(&t, 99), 0);
    assert_int_equal(net_cluster_slot_node(&t, 100), -1);
    assert_int_equal(net_cluster_slot_node(&t, 250), 0);
    assert_int_equal(net_cluster_uncovered(&t), NET_CLUSTER_SLOTS - 200);
    net_cluster_free(&t);

    /* without TLS the plain ports are used */
    assert_int_equal(net_cluster_parse_shards(r, "seed", false, &t, &err), 0);
    assert_int_equal(t.nodes[0].port, 7001);
    net_cluster_free(&t);
    freeReplyObject(r);
}

/* After a failover, as Valkey 8.1.7 answers it (seen with a master
 * SIGKILLed and its replica elected): the shard lists the failed old master
 * first, still with role master, then the new one. */
static const char shards_failover[] =
    "*1\r\n*4\r\n$5\r\nslots\r\n*2\r\n:10923\r\n:16383\r\n$5\r\nnodes\r\n*2\r\n"
    "*12\r\n$2\r\nid\r\n$3\r\nold\r\n$4\r\nport\r\n:41398\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n"
    "$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$6\r\nhealth\r\n$4\r\nfail\r\n"
    "*12\r\n$2\r\nid\r\n$3\r\nnew\r\n$4\r\nport\r\n:22859\r\n$2\r\nip\r\n$9\r\n127.0.0.1\r\n"
    "$8\r\nendpoint\r\n$9\r\n127.0.0.1\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$6\r\nhealth\r\n$6\r\nonline\r\n";

static void shards_failover_online_master_wins(void **state)
{
    (void)state;
    redisReply *r = parse_resp(shards_failover, sizeof(shards_failover) - 1);
    net_cluster_topo t;
    vm_err err = {0};
    assert_int_equal(net_cluster_parse_shards(r, "seed", false, &t, &err), 0);
    int m = net_cluster_slot_node(&t, 12000);
    assert_true(m >= 0);
    assert_int_equal(t.nodes[m].port, 22859);
    assert_true(t.nodes[m].online);
    int old = net_cluster_find(&t, "127.0.0.1", 41398);
    assert_true(old >= 0);
    assert_int_equal(t.nodes[old].nranges, 0); /* serves nothing: the engine drops it */
    net_cluster_free(&t);
    freeReplyObject(r);
}

/* CLUSTER SLOTS: captured 3 masters, then one master in two ranges with a
 * replica (deduplicated by id). */
static const char slots_3[] =
    "*3\r\n*3\r\n:0\r\n:5460\r\n*4\r\n$9\r\n127.0.0.1\r\n:47222\r\n$40\r\n"
    "c0ff28d492c256b7e49b63e46b84ec94b0529b30\r\n*0\r\n*3\r\n:5461\r\n:10922\r\n*4\r\n$9\r\n"
    "127.0.0.1\r\n:44954\r\n$40\r\ncca04a60a357672c5598b5e3423dd8a976c99f38\r\n*0\r\n*3\r\n"
    ":10923\r\n:16383\r\n*4\r\n$9\r\n127.0.0.1\r\n:43949\r\n$40\r\n"
    "418bb9853884169eec1789101ac99eca18360b9c\r\n*0\r\n";
static const char slots_repl[] =
    "*2\r\n*4\r\n:0\r\n:10\r\n*3\r\n$1\r\nm\r\n:1\r\n$2\r\nm1\r\n*3\r\n$0\r\n\r\n:2\r\n$2\r\nr1\r\n"
    "*4\r\n:20\r\n:30\r\n*3\r\n$1\r\nm\r\n:1\r\n$2\r\nm1\r\n*3\r\n$0\r\n\r\n:2\r\n$2\r\nr1\r\n";

static void slots_parse(void **state)
{
    (void)state;
    redisReply *r = parse_resp(slots_3, sizeof(slots_3) - 1);
    net_cluster_topo t;
    vm_err err = {0};
    assert_int_equal(net_cluster_parse_slots(r, "seed", &t, &err), 0);
    freeReplyObject(r);
    assert_int_equal(t.nnodes, 3);
    assert_int_equal(t.nmasters, 3);
    assert_false(t.from_shards);
    assert_int_equal(net_cluster_uncovered(&t), 0);
    assert_int_equal(t.nodes[net_cluster_slot_node(&t, slot_of("foo"))].port, 43949);
    net_cluster_free(&t);

    r = parse_resp(slots_repl, sizeof(slots_repl) - 1);
    assert_int_equal(net_cluster_parse_slots(r, "seed", &t, &err), 0);
    freeReplyObject(r);
    assert_int_equal(t.nnodes, 2);
    assert_int_equal(t.nmasters, 1);
    assert_int_equal(t.nodes[0].nranges, 2);
    assert_false(t.nodes[1].is_master);
    assert_int_equal(t.nodes[1].master, 0);
    assert_string_equal(t.nodes[1].host, "seed"); /* empty address: the seed's */
    assert_int_equal(net_cluster_slot_node(&t, 25), 0);
    assert_int_equal(net_cluster_slot_node(&t, 15), -1);
    net_cluster_free(&t);
}

static void malformed_replies(void **state)
{
    (void)state;
    net_cluster_topo t;
    vm_err err = {0};
    static const char bad_range[] =
        "*1\r\n*3\r\n:10\r\n:99999\r\n*2\r\n$1\r\nm\r\n:1\r\n";
    redisReply *r = parse_resp(bad_range, sizeof(bad_range) - 1);
    assert_int_equal(net_cluster_parse_slots(r, "seed", &t, &err), -1);
    assert_non_null(strstr(err.msg, "99999"));
    freeReplyObject(r);
    static const char not_array[] = "+OK\r\n";
    r = parse_resp(not_array, sizeof(not_array) - 1);
    assert_int_equal(net_cluster_parse_shards(r, "seed", false, &t, &err), -1);
    assert_non_null(strstr(err.msg, "CLUSTER SHARDS"));
    freeReplyObject(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(slot_known_values),
        cmocka_unit_test(slot_hash_tags),
        cmocka_unit_test(shards_three_masters),
        cmocka_unit_test(shards_replicas_and_tls),
        cmocka_unit_test(shards_failover_online_master_wins),
        cmocka_unit_test(slots_parse),
        cmocka_unit_test(malformed_replies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
