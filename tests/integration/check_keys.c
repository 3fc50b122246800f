/* vm_check_keys: verify that N keys <prefix><id> hold, in hash field
 * <field>, exactly the bytes of row id of a TEXMEX .fvecs file, and that
 * the database holds nothing else.  Uses hiredis's own blocking client and
 * plain stdio on the dataset, sharing no code with the tool under test.
 *
 * usage: vm_check_keys HOST PORT FVECS N PREFIX FIELD */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hiredis/hiredis.h>

int main(int argc, char **argv)
{
    if (argc != 7) {
        fprintf(stderr, "usage: vm_check_keys HOST PORT FVECS N PREFIX FIELD\n");
        return 2;
    }
    long n = atol(argv[4]);
    redisContext *c = redisConnect(argv[1], atoi(argv[2]));
    if (!c || c->err) {
        fprintf(stderr, "connect: %s\n", c ? c->errstr : "oom");
        return 1;
    }
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
        redisReply *r = redisCommand(c, "HGET %s %s", key, argv[6]);
        if (!r || r->type != REDIS_REPLY_STRING || r->len != (size_t)d * 4 ||
            memcmp(r->str, row, (size_t)d * 4) != 0) {
            if (bad++ < 5)
                fprintf(stderr, "key %s: wrong or missing value\n", key);
        }
        freeReplyObject(r);
        free(row);
    }
    redisReply *r = redisCommand(c, "DBSIZE");
    long long dbsize = r && r->type == REDIS_REPLY_INTEGER ? r->integer : -1;
    freeReplyObject(r);
    if (dbsize != n) {
        fprintf(stderr, "DBSIZE is %lld, expected %ld\n", dbsize, n);
        bad++;
    }
    fclose(f);
    redisFree(c);
    if (bad) {
        fprintf(stderr, "%d problems\n", bad);
        return 1;
    }
    printf("ok: %ld keys match %s byte for byte\n", n, argv[3]);
    return 0;
}
