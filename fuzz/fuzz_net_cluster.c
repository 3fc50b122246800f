/* fuzz_net_cluster: what a cluster node answers decides where the engine
 * connects and sends: CLUSTER SHARDS / CLUSTER SLOTS replies (read by
 * hiredis's reader, as on a real connection) go through both topology
 * parsers, and the same bytes as one error line through the MOVED / ASK
 * reader, the error classifier and the key-slot function. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <hiredis/hiredis.h>

#include "net/net_cluster.h"
#include "engine/eng_int.h"
#include "net/errclass.h"

/* hiredis allocates what a "*N" or "$N" header announces: a count of 7
 * digits or more tests hiredis's allocator, not our parsers. */
static int huge_count(const uint8_t *d, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (d[i] != '*' && d[i] != '$')
            continue;
        size_t j = i + 1, digits = 0;
        while (j < n && d[j] >= '0' && d[j] <= '9')
            j++, digits++;
        if (digits >= 7)
            return 1;
    }
    return 0;
}

static void check_topo(const net_cluster_topo *t)
{
    /* every slot points at a master inside the node list */
    for (int s = 0; s < NET_CLUSTER_SLOTS; s++) {
        int n = net_cluster_slot_node(t, (uint16_t)s);
        if (n >= t->nnodes || (n >= 0 && !t->nodes[n].is_master))
            __builtin_trap();
    }
    for (int i = 0; i < t->nnodes; i++)
        if (t->nodes[i].master >= t->nnodes || t->nodes[i].port < 1 || t->nodes[i].port > 65535)
            __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char line[600];
    size_t n = size < sizeof(line) - 1 ? size : sizeof(line) - 1;
    memcpy(line, data, n);
    line[n] = '\0';
    int slot, port;
    char host[256];
    if (eng_route_parse_redirect(line, n, &slot, host, sizeof(host), &port) == 0 &&
        (slot < 0 || slot >= NET_CLUSTER_SLOTS || port < 1 || port > 65535))
        __builtin_trap();
    (void)errclass_of(line, n);
    if (net_cluster_slot(data, size) >= NET_CLUSTER_SLOTS)
        __builtin_trap();
    (void)eng_route_resp_slot((const char *)data, size);

    if (huge_count(data, size))
        return 0;
    redisReader *rd = redisReaderCreate();
    if (!rd)
        return 0;
    redisReaderFeed(rd, (const char *)data, size);
    void *r = NULL;
    if (redisReaderGetReply(rd, &r) == REDIS_OK && r) {
        net_cluster_topo t;
        vm_err err;
        if (net_cluster_parse_shards(r, "seed", size & 1, &t, &err) == 0) {
            check_topo(&t);
            net_cluster_free(&t);
        }
        if (net_cluster_parse_slots(r, "seed", &t, &err) == 0) {
            check_topo(&t);
            net_cluster_topo copy;
            if (net_cluster_copy(&copy, &t, &err) == 0)
                net_cluster_free(&copy);
            net_cluster_free(&t);
        }
        freeReplyObject(r);
    }
    redisReaderFree(rd);
    return 0;
}
