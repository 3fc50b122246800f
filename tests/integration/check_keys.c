/* vm_check_keys: verify that N keys <prefix><id> hold, in hash field <field>,
 * exactly the bytes of row id of a TEXMEX .fvecs file, and that the server
 * holds nothing else.  On a Valkey Cluster each key must be on the master
 * that owns its slot and the masters together hold nothing else; a server
 * without cluster support is one node owning every slot.  The slot of each key is asked of the server
 * (CLUSTER KEYSLOT) and the owner read from CLUSTER SLOTS, so nothing here
 * shares code with the tool under test.  Reads never follow redirections:
 * a key found only through MOVED would be on the wrong node.
 *
 * It uses hiredis's own blocking client and plain stdio on the dataset,
 * sharing no code with the tool under test.
 *
 * usage: vm_check_keys HOST PORT FVECS N PREFIX FIELD */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hiredis/hiredis.h>

#define MAXN 64

static struct {
    char host[128];
    int port;
    redisContext *c;
} nodes[MAXN];
static int nnodes;
static int owner[16384];

static int node_index(const char *host, int port)
{
    for (int i = 0; i < nnodes; i++)
        if (nodes[i].port == port && !strcmp(nodes[i].host, host))
            return i;
    if (nnodes == MAXN)
        return -1;
    snprintf(nodes[nnodes].host, sizeof(nodes[nnodes].host), "%s", host);
    nodes[nnodes].port = port;
    nodes[nnodes].c = redisConnect(host, port);
    if (!nodes[nnodes].c || nodes[nnodes].c->err) {
        fprintf(stderr, "connect %s:%d failed\n", host, port);
        exit(1);
    }
    return nnodes++;
}

int main(int argc, char **argv)
{
    if (argc != 7) {
        fprintf(stderr, "usage: vm_check_keys HOST PORT FVECS N PREFIX FIELD\n");
        return 2;
    }
    long n = atol(argv[4]);
    redisContext *seed = redisConnect(argv[1], atoi(argv[2]));
    if (!seed || seed->err) {
        fprintf(stderr, "connect: %s\n", seed ? seed->errstr : "oom");
        return 1;
    }
    for (int s = 0; s < 16384; s++)
        owner[s] = -1;
    redisReply *slots = redisCommand(seed, "CLUSTER SLOTS");
    bool cluster = slots && slots->type == REDIS_REPLY_ARRAY;
    if (!cluster) {
        if (!slots || slots->type != REDIS_REPLY_ERROR) {
            fprintf(stderr, "CLUSTER SLOTS failed\n");
            return 1;
        }
        /* cluster support disabled: one node owns every slot */
        int idx = node_index(argv[1], atoi(argv[2]));
        for (int s = 0; s < 16384; s++)
            owner[s] = idx;
        slots->elements = 0;
    }
    for (size_t i = 0; i < slots->elements; i++) {
        redisReply *e = slots->element[i];
        redisReply *m = e->element[2];
        const char *host = m->element[0]->len ? m->element[0]->str : argv[1];
        int idx = node_index(host, (int)m->element[1]->integer);
        for (long long s = e->element[0]->integer; s <= e->element[1]->integer; s++)
            owner[s] = idx;
    }
    freeReplyObject(slots);
    FILE *f = fopen(argv[3], "rb");
    if (!f) {
        perror(argv[3]);
        return 1;
    }
    int bad = 0;
    for (long id = 0; id < n; id++) {
        int d;
        if (fread(&d, 4, 1, f) != 1 || d <= 0 || d > 100000) {
            fprintf(stderr, "%s: short read at row %ld\n", argv[3], id);
            return 1;
        }
        char *row = malloc((size_t)d * 4);
        if (fread(row, 4, (size_t)d, f) != (size_t)d) {
            fprintf(stderr, "%s: short row %ld\n", argv[3], id);
            return 1;
        }
        char key[256];
        snprintf(key, sizeof(key), "%s%ld", argv[5], id);
        int slot = 0;
        if (cluster) {
            redisReply *ks = redisCommand(seed, "CLUSTER KEYSLOT %s", key);
            slot = ks && ks->type == REDIS_REPLY_INTEGER ? (int)ks->integer : -1;
            freeReplyObject(ks);
        }
        if (slot < 0 || owner[slot] < 0) {
            fprintf(stderr, "key %s: slot %d has no owner\n", key, slot);
            return 1;
        }
        redisReply *r = redisCommand(nodes[owner[slot]].c, "HGET %s %s", key, argv[6]);
        if (!r || r->type != REDIS_REPLY_STRING || r->len != (size_t)d * 4 ||
            memcmp(r->str, row, (size_t)d * 4) != 0) {
            if (bad++ < 5)
                fprintf(stderr, "key %s (slot %d): wrong or missing on %s:%d: %s\n", key, slot,
                        nodes[owner[slot]].host, nodes[owner[slot]].port,
                        r && r->type == REDIS_REPLY_ERROR ? r->str : "");
        }
        freeReplyObject(r);
        free(row);
    }
    long long total = 0;
    for (int i = 0; i < nnodes; i++) {
        redisReply *r = redisCommand(nodes[i].c, "DBSIZE");
        long long k = r && r->type == REDIS_REPLY_INTEGER ? r->integer : -1;
        freeReplyObject(r);
        printf("%s:%d holds %lld keys\n", nodes[i].host, nodes[i].port, k);
        total += k;
        redisFree(nodes[i].c);
    }
    if (total != n) {
        fprintf(stderr, "the masters hold %lld keys, expected %ld\n", total, n);
        bad++;
    }
    fclose(f);
    redisFree(seed);
    if (bad) {
        fprintf(stderr, "%d problems\n", bad);
        return 1;
    }
    printf("ok: %ld keys on their slot's master, matching %s byte for byte\n", n, argv[3]);
    return 0;
}
