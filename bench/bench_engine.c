/* bench_engine: the load engine alone — HSET vec:<id> vector <blob> for
 * every row of a big-ann .fbin file, through eng_run() with the smallest
 * possible workload (claim ids, encode, count replies).  bench_ingest.sh
 * runs it next to `valkey-memstress prefill` and redis-benchmark so the
 * engine's own cost per vector can be told apart from the lifecycle layer's
 * (dataset checks, liveness, progress).
 *
 * usage: bench_engine HOST PORT FBIN CLIENTS PIPELINE THREADS
 * prints: "bench_engine: N vectors, S s, R vectors/s, E errors" */
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/eng.h"
#include "net/resp.h"

typedef struct bench_wl {
    const unsigned char *rows;
    uint32_t dim;
    uint64_t n;
    _Atomic uint64_t next, done, errors;
} bench_wl;

#define CLAIM 64
static _Thread_local uint64_t claim_cur, claim_end;

static int b_next(void *ctx, int thread, uint64_t *tag)
{
    bench_wl *w = ctx;
    (void)thread;
    if (claim_cur >= claim_end) {
        uint64_t s = atomic_fetch_add_explicit(&w->next, CLAIM, memory_order_relaxed);
        if (s >= w->n)
            return 0;
        claim_cur = s;
        claim_end = s + CLAIM < w->n ? s + CLAIM : w->n;
    }
    *tag = claim_cur++;
    return 1;
}

/* Rows are emitted in id order: touching the row 8 ahead now hides most of
 * the memory latency of the blob copy (≈ 0.04 s of CPU per million 512-byte
 * rows on the reference machine) — what an ingest workload should do too. */
#define PREFETCH_AHEAD 8

static void b_emit(void *ctx, uint64_t id, strbuf *out)
{
    bench_wl *w = ctx;
    size_t row = (size_t)w->dim * 4;
    if (id + PREFETCH_AHEAD < w->n) {
        const unsigned char *ahead = w->rows + (id + PREFETCH_AHEAD) * row;
        for (size_t off = 0; off < row; off += 64)
            __builtin_prefetch(ahead + off);
    }
    resp_add_array(out, 4);
    resp_add_bulk(out, "HSET", 4);
    resp_add_bulk_key(out, "vec:", 4, id);
    resp_add_bulk(out, "vector", 6);
    resp_add_blob(out, w->rows + id * row, row);
}

static int b_reply(void *ctx, int thread, uint64_t tag, const redisReply *r, vm_err *err)
{
    bench_wl *w = ctx;
    (void)thread;
    (void)tag;
    (void)err;
    atomic_fetch_add_explicit(r->type == REDIS_REPLY_ERROR ? &w->errors : &w->done, 1,
                              memory_order_relaxed);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 7) {
        fprintf(stderr, "usage: bench_engine HOST PORT FBIN CLIENTS PIPELINE THREADS\n");
        return 2;
    }
    int fd = open(argv[3], O_RDONLY);
    struct stat sta;
    uint32_t hdr[2];
    if (fd < 0 || fstat(fd, &sta) < 0 || pread(fd, hdr, 8, 0) != 8 || hdr[1] == 0 ||
        (uint64_t)sta.st_size < 8 + (uint64_t)hdr[0] * hdr[1] * 4) {
        fprintf(stderr, "bench_engine: %s is not a float32 .fbin file\n", argv[3]);
        return 1;
    }
    const unsigned char *map = mmap(NULL, (size_t)sta.st_size, PROT_READ, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    bench_wl w = {.rows = map + 8, .dim = hdr[1], .n = hdr[0]};
    net_endpoint ep;
    net_endpoint_init(&ep);
    snprintf(ep.host, sizeof(ep.host), "%s", argv[1]);
    ep.port = atoi(argv[2]);
    eng_workload wl = {&w, b_next, b_emit, b_reply, false};
    eng_config cfg = {&ep, atoi(argv[6]), atoi(argv[4]), atoi(argv[5]), 0, NULL};
    eng_stats *st = malloc(sizeof(*st));
    vm_err err = {0};
    if (!st || eng_run(&cfg, &wl, NULL, NULL, 0, st, &err) < 0) {
        fprintf(stderr, "bench_engine: %s\n", err.msg);
        return 1;
    }
    printf("bench_engine: %llu vectors, %.2f s, %.0f vectors/s, %llu errors\n",
           (unsigned long long)atomic_load(&w.done), st->seconds,
           st->seconds > 0 ? (double)atomic_load(&w.done) / st->seconds : 0.0,
           (unsigned long long)atomic_load(&w.errors));
    free(st);
    return atomic_load(&w.errors) ? 1 : 0;
}
