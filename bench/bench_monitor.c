/* bench_monitor: what the memory monitor costs the workload.
 *
 * One process, one server, alternating rounds of the same ingest workload
 * (HSET <key> vector <float32 blob> of a dataset's base vectors, cycling
 * over N keys so memory stays flat, through the pipelined engine) with and
 * without the monitor sampling every source at --interval (default 1 s)
 * into the usual outputs (wide + long CSV).  Rounds alternate A B B A ... so
 * a drifting machine load cancels out.  Prints the throughput of each round
 * and the ratio monitored / unmonitored (median of the per-pair ratios and
 * the ratio of the totals); the goal is >= 0.99.
 *
 *   bench_monitor -p PORT --dataset DIR [-h HOST] [--rounds 4] [--seconds 5]
 *                 [--interval 1s] [-c 8] [-P 16] [--out DIR]
 *
 * bench/bench_monitor.sh starts a server (redis-server, or valkey-search when
 * VALKEY_SERVER and VALKEY_SEARCH_MODULE are set) and runs it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dataset/ds_dataset.h"
#include "export/exp_outputs.h"
#include "monitor/mon_info.h"
#include "monitor/mon_sampler.h"
#include "net/net_client.h"
#include "engine/eng.h"
#include "net/resp.h"
#include "util/clock.h"
#include "util/parse.h"

typedef struct bench_wl {
    const ds_vecfile *base;
    uint64_t nkeys;
    _Atomic uint64_t next;
    _Atomic uint64_t done;
} bench_wl;

static int wl_next(void *ctx, int thread, uint64_t *tag)
{
    (void)thread;
    bench_wl *w = ctx;
    *tag = atomic_fetch_add(&w->next, 1);
    return 1; /* the engine's duration_ms ends the round */
}

static void wl_emit(void *ctx, uint64_t tag, strbuf *out)
{
    bench_wl *w = ctx;
    uint64_t id = tag % w->nkeys;
    float row[4096];
    ds_vecfile_row_f32(w->base, id, row);
    resp_add_array(out, 4);
    resp_add_bulk(out, "HSET", 4);
    resp_add_bulk_key(out, "bench:", 6, id);
    resp_add_bulk(out, "vector", 6);
    resp_add_blob(out, row, (size_t)w->base->dim * sizeof(float));
}

static int wl_reply(void *ctx, int thread, uint64_t tag, const redisReply *r, vm_err *err)
{
    (void)thread;
    (void)tag;
    (void)err;
    bench_wl *w = ctx;
    if (r->type != REDIS_REPLY_ERROR)
        atomic_fetch_add(&w->done, 1);
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Microseconds the server spent in the monitor's commands since RESETSTAT
 * (INFO commandstats: INFO, MEMORY *, DBSIZE, FT.*; the workload sends
 * only HSET). */
static double monitor_usec(net_client *cl)
{
    vm_err e = {0};
    redisReply *r = net_client_cmd(cl, &e, "INFO", "commandstats", NULL);
    if (!r)
        return 0;
    mon_fields f = {0};
    if (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS)
        mon_info_parse(r->str, r->len, &f);
    freeReplyObject(r);
    double us = 0;
    for (size_t i = 0; i < f.n; i++) {
        const char *n = f.v[i].name;
        size_t len = strlen(n);
        if (len < 5 || strcmp(n + len - 5, ".usec"))
            continue;
        if (!strncmp(n, "cmdstat_info.", 13) || !strncmp(n, "cmdstat_memory", 14) ||
            !strncmp(n, "cmdstat_dbsize.", 15) || !strncasecmp(n, "cmdstat_ft.", 11))
            us += f.v[i].value;
    }
    mon_fields_free(&f);
    return us;
}

static void usage(void)
{
    fprintf(stderr, "usage: bench_monitor -p PORT --dataset DIR [-h HOST] [--rounds N] "
                    "[--seconds S] [--interval DURATION] [-c CLIENTS] [-P PIPELINE] "
                    "[--out DIR]\n");
    exit(2);
}

/* One round of the workload: ops/s. */
static double round_ops(const eng_config *ec, bench_wl *w, vm_err *err)
{
    atomic_store(&w->done, 0);
    eng_workload wl = {.ctx = w, .next = wl_next, .emit = wl_emit, .reply = wl_reply};
    eng_stats st;
    eng_stats_init(&st);
    if (eng_run(ec, &wl, NULL, NULL, 0, &st, err) < 0)
        return -1;
    return st.seconds > 0 ? (double)atomic_load(&w->done) / st.seconds : 0;
}

int main(int argc, char **argv)
{
    const char *host = "127.0.0.1", *dataset = NULL, *out = "/tmp/bench_monitor";
    int port = 0, rounds = 4, clients = 8, pipeline = 16;
    uint64_t seconds = 5, interval_ms = 1000;
    vm_err err = {0};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v)
            usage();
        i++;
        if (!strcmp(a, "-h"))
            host = v;
        else if (!strcmp(a, "-p"))
            port = atoi(v);
        else if (!strcmp(a, "--dataset"))
            dataset = v;
        else if (!strcmp(a, "--rounds"))
            rounds = atoi(v);
        else if (!strcmp(a, "--seconds"))
            seconds = strtoull(v, NULL, 10);
        else if (!strcmp(a, "-c"))
            clients = atoi(v);
        else if (!strcmp(a, "-P"))
            pipeline = atoi(v);
        else if (!strcmp(a, "--out"))
            out = v;
        else if (!strcmp(a, "--interval")) {
            if (parse_duration_ms("--interval", v, &interval_ms, &err) < 0) {
                fprintf(stderr, "bench_monitor: %s\n", err.msg);
                return 2;
            }
        } else
            usage();
    }
    if (!port || !dataset || rounds < 1 || seconds < 1)
        usage();
    ds_dataset ds;
    if (ds_dataset_open(&ds, dataset, &err) < 0) {
        fprintf(stderr, "bench_monitor: %s\n", err.msg);
        return 1;
    }
    if (ds.base.dim > 4096) {
        fprintf(stderr, "bench_monitor: dimension %u > 4096\n", ds.base.dim);
        return 1;
    }
    net_endpoint ep;
    net_endpoint_init(&ep);
    snprintf(ep.host, sizeof(ep.host), "%s", host);
    ep.port = port;
    if (net_endpoint_prepare(&ep, &err) < 0) {
        fprintf(stderr, "bench_monitor: %s\n", err.msg);
        return 1;
    }
    atomic_bool stop = false;
    eng_config ec = {.ep = &ep,
                     .threads = 2,
                     .clients = clients,
                     .pipeline = pipeline,
                     .stop = &stop,
                     .duration_ms = seconds * 1000};
    bench_wl w = {.base = &ds.base, .nkeys = ds.base.n};
    atomic_init(&w.next, 0);
    atomic_init(&w.done, 0);
    exp_outputs outs;
    exp_conf xc = {.out_dir = out};
    char mk[600];
    snprintf(mk, sizeof(mk), "mkdir -p '%s'", out);
    if (system(mk) != 0 || exp_open(&outs, &xc, &err) < 0) {
        fprintf(stderr, "bench_monitor: %s\n", err.msg[0] ? err.msg : "cannot create --out");
        return 1;
    }
    /* the monitor runs all along on its own thread; between rounds it is
     * paused or not, so both kinds of round see the same schedule */
    atomic_bool paused = true;
    mon_labels lab = {.run_id = "bench", .step = "bench", .phase = "monitored"};
    mon_config mc = {.ep = &ep,
                     .interval_ms = interval_ms,
                     .sink = exp_sink,
                     .sink_ctx = &outs,
                     .labels = mon_labels_static,
                     .labels_ctx = &lab,
                     .paused = &paused};
    mon_thread mt;
    if (mon_start(&mt, &mc, &err) < 0) {
        fprintf(stderr, "bench_monitor: %s\n", err.msg);
        return 1;
    }
    /* the server's own account of the monitor's commands, from zero */
    net_client cl;
    if (net_client_open(&cl, &ep, ep.host, ep.port, &err) < 0) {
        fprintf(stderr, "bench_monitor: %s\n", err.msg);
        return 1;
    }
    redisReply *rr = net_client_cmd(&cl, &err, "CONFIG", "RESETSTAT", NULL);
    if (rr)
        freeReplyObject(rr);
    /* warm-up: keys created, connections and caches hot */
    if (round_ops(&ec, &w, &err) < 0) {
        fprintf(stderr, "bench_monitor: %s\n", err.msg);
        return 1;
    }
    double *ratio = calloc((size_t)rounds, sizeof(double));
    double sum_a = 0, sum_b = 0;
    for (int r = 0; r < rounds; r++) {
        double a = 0, b = 0;
        for (int k = 0; k < 2; k++) {
            bool monitored = (k == 0) == (r % 2 == 1); /* A B, B A, A B, ... */
            atomic_store(&paused, !monitored);
            double ops = round_ops(&ec, &w, &err);
            if (ops < 0) {
                fprintf(stderr, "bench_monitor: %s\n", err.msg);
                return 1;
            }
            printf("round %d %-11s %10.0f HSET/s\n", r + 1, monitored ? "monitored" : "unmonitored",
                   ops);
            if (monitored)
                b = ops;
            else
                a = ops;
        }
        ratio[r] = a > 0 ? b / a : 0;
        sum_a += a;
        sum_b += b;
    }
    atomic_store(&paused, true);
    vm_err merr = {0};
    long samples = mon_stop(&mt, &merr);
    qsort(ratio, (size_t)rounds, sizeof(double), cmp_double);
    double median =
        rounds % 2 ? ratio[rounds / 2] : (ratio[rounds / 2 - 1] + ratio[rounds / 2]) / 2;
    exp_close(&outs, NULL, NULL);
    double mon_usec = monitor_usec(&cl);
    net_client_close(&cl);
    double mon_s = (double)rounds * (double)seconds;
    printf("server time in the monitor's commands: %.2f ms per monitored second (%.3f %% of "
           "one core)\n",
           mon_usec / 1000.0 / mon_s, mon_usec / 1e6 / mon_s * 100.0);
    printf("monitor at %llu ms: %ld samples; throughput ratio monitored/unmonitored: "
           "median %.4f, totals %.4f (goal >= 0.99)\n",
           (unsigned long long)interval_ms, samples, median, sum_a > 0 ? sum_b / sum_a : 0);
    free(ratio);
    net_endpoint_release(&ep);
    ds_dataset_close(&ds);
    return 0;
}
