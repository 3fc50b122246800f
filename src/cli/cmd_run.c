/* cmd_run: `valkey-memstress run NAME` — run a built-in lifecycle. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../scenario/sc_default.h"
#include "cli.h"

static const char usage[] =
    "valkey-memstress run [default] --dataset PATH [--out DIR] [--interval 1s] [--limit N]\n"
    "       [--index NAME --algorithm HNSW|FLAT --m M --metric L2] [connection options]\n"
    "       valkey-memstress run --list";
static const char summary[] =
    "Run a built-in lifecycle and leave its results in a run folder (memory.csv,\n"
    "summary.json).  Built-ins:\n"
    "  default   prefill the dataset while sampling memory (baseline, prefill, settle)";

int cmd_run(int argc, char **argv)
{
    const char *dataset = NULL, *out = NULL, *index = NULL, *algorithm = "HNSW", *metric = "L2";
    uint64_t interval_ms = 1000, limit = 0;
    int m = 0, efc = 0;
    bool list = false;
    cli_conn conn;
    cli_conn_defaults(&conn);
    const struct opt own[] = {
        {OPT_GROUP, 0, NULL, NULL, NULL, "Run:", 0, 0, NULL, false},
        {OPT_BOOL, 0, "list", &list, NULL, "list the built-in scenarios", 0, 0, NULL, false},
        {OPT_STRING, 0, "dataset", &dataset, "PATH", "dataset folder or base file (required)", 0, 0, NULL, false},
        {OPT_STRING, 0, "out", &out, "DIR", "run folder (default runs/<run-id>)", 0, 0, NULL, false},
        {OPT_DURATION, 0, "interval", &interval_ms, "DURATION", "memory sampling interval (default 1s)", 0, 0, NULL, false},
        {OPT_U64, 0, "limit", &limit, "N", "load only the first N vectors", 0, 0, NULL, false},
        {OPT_STRING, 0, "index", &index, "NAME", "create a valkey-search index first", 0, 0, NULL, false},
        {OPT_STRING, 0, "algorithm", &algorithm, "ALGO", "HNSW (default) or FLAT", 0, 0, NULL, false},
        {OPT_INT, 0, "m", &m, "M", "HNSW M", 1, 512, NULL, false},
        {OPT_INT, 0, "ef-construction", &efc, "EF", "HNSW EF_CONSTRUCTION", 1, 100000, NULL, false},
        {OPT_STRING, 0, "metric", &metric, "METRIC", "L2 (default), IP or COSINE", 0, 0, NULL, false},
        OPT_END_ROW,
    };
    const struct opt *conn_tab = cli_conn_options(&conn);
    const struct opt *tables[] = {own, conn_tab, NULL};
    int rc;
    vm_err err = {0};
    char *out_alloc = NULL;
    if (cli_parse(&argc, argv, tables, usage, summary, &rc) < 0)
        goto out;
    if (list) {
        printf("default  prefill a dataset while sampling memory (baseline, prefill, settle)\n");
        rc = CLI_OK;
        goto out;
    }
    rc = CLI_USAGE;
    if (argc > 1 || (argc == 1 && strcmp(argv[0], "default"))) {
        cli_errorf("run", "unknown scenario '%s' (see run --list)", argv[argc - 1]);
        goto out;
    }
    if (!dataset) {
        cli_errorf("run", "--dataset PATH is required");
        goto out;
    }
    if (interval_ms == 0) {
        cli_errorf("run", "--interval must be more than 0");
        goto out;
    }
    sc_default_conf sc = {.interval_ms = interval_ms};
    sc.prefill = (lc_prefill_conf){.dataset = dataset, .limit = limit, .prefix = "vec:",
                                   .field = "vector", .create_index = index != NULL};
    sc.prefill.index.name = index;
    sc.prefill.index.m = m;
    sc.prefill.index.ef_construction = efc;
    if (idx_parse_algo(algorithm, &sc.prefill.index.algo, &err) < 0 ||
        idx_parse_metric(metric, &sc.prefill.index.metric, &err) < 0 ||
        cli_conn_finish(&conn, &err) < 0) {
        cli_error("run", &err);
        goto out;
    }
    char run_id[64];
    cli_run_id(run_id);
    sc.run_id = run_id;
    if (!out) {
        size_t n = strlen(run_id) + 8;
        out_alloc = malloc(n);
        snprintf(out_alloc, n, "runs/%s", run_id);
        out = out_alloc;
    }
    sc.out_dir = out;
    if (cli_mkdirs(out, &err) < 0) {
        cli_error("run", &err);
        rc = CLI_FAIL;
        goto out;
    }
    cli_install_signals();
    eng_config ec = cli_conn_engine(&conn, &cli_interrupted);
    cli_progress prog;
    prog.tty = false;
    lc_progress lp = {cli_progress_on_start, cli_progress_tick, &prog};
    sc_default_result res;
    int r = sc_default_run(&sc, &ec, &lp, &res, &err);
    if (res.prefill.vectors)
        cli_progress_end(&prog);
    if (res.prefill.module_missing)
        fprintf(stderr, "valkey-memstress run: warning: %s:%d has no search module; index '%s' "
                        "not created, loading plain hashes\n",
                conn.ep.host, conn.ep.port, index);
    if (r < 0) {
        cli_error("run", &err);
        rc = CLI_FAIL;
        goto out;
    }
    printf("run %s: %llu vectors in %.2f s (%.0f/s), %llu errors; %ld memory samples; "
           "used_memory %.0f -> %.0f bytes (peak %.0f)\nresults: %s/memory.csv, %s/summary.json\n",
           run_id, (unsigned long long)res.prefill.vectors, res.prefill.seconds,
           res.prefill.seconds > 0 ? (double)res.prefill.vectors / res.prefill.seconds : 0.0,
           (unsigned long long)res.prefill.errors, res.samples, res.used_memory_start,
           res.used_memory_end, res.used_memory_peak, out, out);
    rc = res.prefill.errors ? CLI_FAIL : CLI_OK;
out:
    free(out_alloc);
    free((void *)conn_tab);
    cli_conn_release(&conn);
    return rc;
}
