/* cmd_monitor: `valkey-memstress monitor` — sample INFO into a CSV. */
#include <stdio.h>
#include <stdlib.h>

#include "../export/csv_wide.h"
#include "../monitor/mon_sampler.h"
#include "../net/net_client.h"
#include "cli.h"

static const char usage[] =
    "valkey-memstress monitor [--interval 1s] [--duration 10s] --csv FILE [--sections memory]\n"
    "       [--run-id ID] [connection options]";
static const char summary[] =
    "Sample the server's memory (every numeric field of INFO MEMORY) at a fixed interval\n"
    "and write one whole CSV row per sample. Without --duration it runs until Ctrl-C.";

int cmd_monitor(int argc, char **argv)
{
    uint64_t interval_ms = 1000, duration_ms = 0;
    const char *csv = NULL, *sections = "memory", *run_id = NULL;
    cli_conn conn;
    cli_conn_defaults(&conn);
    const struct opt own[] = {
        {OPT_GROUP, 0, NULL, NULL, NULL, "Monitor:", 0, 0, NULL, false},
        {OPT_DURATION, 0, "interval", &interval_ms, "DURATION", "time between samples (default 1s; 200ms allowed)", 0, 0, NULL, false},
        {OPT_DURATION, 0, "duration", &duration_ms, "DURATION", "stop after this long (default: until Ctrl-C)", 0, 0, NULL, false},
        {OPT_STRING, 0, "csv", &csv, "FILE", "write samples to this CSV (required)", 0, 0, NULL, false},
        {OPT_STRING, 0, "sections", &sections, "LIST", "INFO sections, space-separated (default memory)", 0, 0, NULL, false},
        {OPT_STRING, 0, "run-id", &run_id, "ID", "run id written in every row", 0, 0, NULL, false},
        OPT_END_ROW,
    };
    const struct opt *conn_tab = cli_conn_options(&conn);
    const struct opt *tables[] = {own, conn_tab, NULL};
    int rc;
    vm_err err = {0};
    csv_wide w = {.fd = -1};
    if (cli_parse(&argc, argv, tables, usage, summary, &rc) < 0)
        goto out;
    rc = CLI_USAGE;
    if (argc > 0) {
        cli_errorf("monitor", "unexpected argument '%s' (see --help)", argv[0]);
        goto out;
    }
    if (!csv) {
        cli_errorf("monitor", "--csv FILE is required");
        goto out;
    }
    if (interval_ms == 0) {
        cli_errorf("monitor", "--interval must be more than 0");
        goto out;
    }
    if (cli_conn_finish(&conn, &err) < 0) {
        cli_error("monitor", &err);
        goto out;
    }
    char rid[64];
    if (!run_id) {
        cli_run_id(rid);
        run_id = rid;
    }
    /* connect before creating the file: a wrong host leaves no empty CSV */
    {
        net_client probe;
        if (net_client_open(&probe, &conn.ep, conn.ep.host, conn.ep.port, &err) < 0) {
            cli_error("monitor", &err);
            rc = CLI_FAIL;
            goto out;
        }
        net_client_close(&probe);
    }
    if (csv_wide_open(&w, csv, &err) < 0) {
        cli_error("monitor", &err);
        rc = CLI_FAIL;
        goto out;
    }
    cli_install_signals();
    mon_labels lab = {.run_id = run_id, .step = "monitor", .phase = "monitor"};
    mon_config mc = {.ep = &conn.ep, .interval_ms = interval_ms, .duration_ms = duration_ms,
                     .sections = sections, .sink = csv_wide_sink, .sink_ctx = &w,
                     .labels = mon_labels_static, .labels_ctx = &lab};
    long n = mon_run(&mc, &cli_interrupted, &err);
    if (n < 0) {
        cli_error("monitor", &err);
        rc = CLI_FAIL;
        goto out;
    }
    fprintf(stderr, "monitor: %ld samples written to %s\n", n, csv);
    rc = CLI_OK;
out:
    csv_wide_close(&w);
    free((void *)conn_tab);
    cli_conn_release(&conn);
    return rc;
}
