/* cmd_monitor: `valkey-memstress monitor` — sample every node's memory at a
 * fixed interval into CSV files, a pushgateway and a summary. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../export/exp_outputs.h"
#include "../lifecycle/lc_servers.h"
#include "../monitor/mon_sampler.h"
#include "../net/net_client.h"
#include "../util/strbuf.h"
#include "cli.h"

static const char usage[] =
    "valkey-memstress monitor [--interval 1s] [--duration 10s] (--out DIR | --csv FILE | --push URL)\n"
    "       [--sources LIST] [--sections LIST] [--run-id ID] [push options] [connection options]";
static const char summary[] =
    "Sample the memory of the server — of every master and replica with --cluster — at a\n"
    "fixed interval, over a connection of its own per node: INFO (memory, stats, cpu, clients,\n"
    "keyspace, module sections such as search_*), DBSIZE, MEMORY STATS, MEMORY MALLOC-STATS,\n"
    "FT.INFO per index, and the server's RSS from /proc when it runs on this host.\n"
    "--out DIR writes DIR/memory.csv (core columns), DIR/memory.units.csv, DIR/memory_long.csv\n"
    "(every field) and DIR/summary.json; --csv FILE writes the wide CSV there instead.\n"
    "--push URL sends each sample to a Prometheus pushgateway. Without --duration it runs\n"
    "until Ctrl-C.";

static void notice(void *ctx, const char *msg)
{
    (void)ctx;
    fprintf(stderr, "valkey-memstress monitor: %s\n", msg);
}

int cmd_monitor(int argc, char **argv)
{
    uint64_t interval_ms = 1000, duration_ms = 0, refresh_ms = 10000, push_timeout_ms = 5000;
    const char *csv = NULL, *out = NULL, *sections = NULL, *run_id = NULL, *sources = "all";
    const char *push_url = NULL, *push_job = "valkey_memstress", *push_user = NULL,
               *push_password = NULL, *push_cacert = NULL;
    bool push_delete = false, push_insecure = false, no_long = false;
    int push_retries = 3;
    cli_conn conn;
    cli_conn_defaults(&conn);
    const struct opt own[] = {
        {OPT_GROUP, 0, NULL, NULL, NULL, "Monitor:", 0, 0, NULL, false},
        {OPT_DURATION, 0, "interval", &interval_ms, "DURATION", "time between samples (default 1s; 200ms allowed)", 0, 0, NULL, false},
        {OPT_DURATION, 0, "duration", &duration_ms, "DURATION", "stop after this long (default: until Ctrl-C)", 0, 0, NULL, false},
        {OPT_STRING, 0, "out", &out, "DIR", "write memory.csv, memory.units.csv, memory_long.csv, summary.json here", 0, 0, NULL, false},
        {OPT_STRING, 0, "csv", &csv, "FILE", "write the wide CSV (core columns) to FILE", 0, 0, NULL, false},
        {OPT_BOOL, 0, "no-long", &no_long, NULL, "with --out: skip memory_long.csv", 0, 0, NULL, false},
        {OPT_STRING, 0, "sources", &sources, "LIST", "info,dbsize,memstats,malloc,ftinfo,proc or all (default all)", 0, 0, NULL, false},
        {OPT_STRING, 0, "sections", &sections, "LIST", "INFO sections (default \"" MON_DEFAULT_SECTIONS "\")", 0, 0, NULL, false},
        {OPT_DURATION, 0, "topology-refresh", &refresh_ms, "DURATION", "cluster: re-read the node list this often (default 10s)", 0, 0, NULL, false},
        {OPT_STRING, 0, "run-id", &run_id, "ID", "run id written in every row (default: a new one)", 0, 0, NULL, false},
        {OPT_GROUP, 0, NULL, NULL, NULL, "Pushgateway:", 0, 0, NULL, false},
        {OPT_STRING, 0, "push", &push_url, "URL", "push every sample to this pushgateway (http[s]://[user:pass@]host:port)", 0, 0, NULL, true},
        {OPT_STRING, 0, "push-job", &push_job, "NAME", "job label (default valkey_memstress)", 0, 0, NULL, false},
        {OPT_STRING, 0, "push-user", &push_user, "USER", "basic auth user", 0, 0, NULL, false},
        {OPT_STRING, 0, "push-password", &push_password, "PASSWORD", "basic auth password (or VM_PUSH_PASSWORD); never shown", 0, 0, NULL, true},
        {OPT_STRING, 0, "push-cacert", &push_cacert, "FILE", "CA bundle to verify an https pushgateway", 0, 0, NULL, false},
        {OPT_BOOL, 0, "push-insecure", &push_insecure, NULL, "do not verify the pushgateway's certificate", 0, 0, NULL, false},
        {OPT_INT, 0, "push-retries", &push_retries, "N", "retries of a failed push (default 3)", 0, 100, NULL, false},
        {OPT_DURATION, 0, "push-timeout", &push_timeout_ms, "DURATION", "per push request (default 5s)", 0, 0, NULL, false},
        {OPT_BOOL, 0, "push-delete", &push_delete, NULL, "delete this run's groups from the gateway at the end", 0, 0, NULL, false},
        OPT_END_ROW,
    };
    const struct opt *conn_tab = cli_conn_options(&conn);
    const struct opt *tables[] = {own, conn_tab, NULL};
    int rc;
    vm_err err = {0};
    exp_outputs outs;
    memset(&outs, 0, sizeof(outs));
    bool outs_open = false;
    sum_run *sum = NULL;
    unsigned src_mask = 0;
    if (cli_parse(&argc, argv, tables, usage, summary, &rc) < 0)
        goto out;
    rc = CLI_USAGE;
    if (argc > 0) {
        cli_errorf("monitor", "unexpected argument '%s' (see --help)", argv[0]);
        goto out;
    }
    if (!csv && !out && !push_url) {
        cli_errorf("monitor", "nowhere to write: give --out DIR, --csv FILE or --push URL");
        goto out;
    }
    if (interval_ms == 0) {
        cli_errorf("monitor", "--interval must be more than 0");
        goto out;
    }
    if (mon_sources_parse(sources, &src_mask, &err) < 0) {
        cli_errorf("monitor", "--sources: %s", err.msg);
        goto out;
    }
    if (!push_password)
        push_password = getenv("VM_PUSH_PASSWORD");
    if (cli_conn_finish(&conn, &err) < 0) {
        cli_error("monitor", &err);
        goto out;
    }
    rc = CLI_FAIL;
    char rid[64];
    if (!run_id) {
        cli_run_id(rid);
        run_id = rid;
    }
    /* connect before creating files: a wrong host leaves no empty CSV; and
     * learn what is measured, for summary.json */
    lc_server_desc desc;
    {
        net_client probe;
        if (net_client_open(&probe, &conn.ep, conn.ep.host, conn.ep.port, &err) < 0 ||
            lc_server_describe(&probe, &desc, &err) < 0) {
            cli_error("monitor", &err);
            net_client_close(&probe);
            goto out;
        }
        net_client_close(&probe);
    }
    if (out && cli_mkdirs(out, &err) < 0) {
        cli_error("monitor", &err);
        goto out;
    }
    if (out) {
        sum = sum_open(run_id, "monitor", NULL);
        sum_set_server(sum, desc.software, desc.version,
                       desc.search ? desc.search_version : NULL);
    }
    prom_push_conf pc = {.url = push_url, .job = push_job, .run_id = run_id, .user = push_user,
                         .password = push_password, .cacert = push_cacert,
                         .insecure = push_insecure, .retries = push_retries ? push_retries : -1,
                         .timeout_ms = push_timeout_ms, .delete_at_end = push_delete,
                         .notice = notice};
    exp_conf ec = {.out_dir = out, .csv_path = csv, .no_long = no_long, .push = &pc,
                   .summary = sum};
    if (exp_open(&outs, &ec, &err) < 0) {
        cli_error("monitor", &err);
        goto out;
    }
    outs_open = true;
    cli_install_signals();
    mon_labels lab = {.run_id = run_id, .step = "monitor", .phase = "monitor"};
    mon_config mc = {.ep = &conn.ep, .interval_ms = interval_ms, .duration_ms = duration_ms,
                     .sections = sections, .sink = exp_sink, .sink_ctx = &outs,
                     .labels = mon_labels_static, .labels_ctx = &lab, .sources = src_mask,
                     .topology_refresh_ms = refresh_ms, .notice = notice};
    if (sum)
        sum_phase_begin(sum, "monitor", "monitor");
    long n = mon_run(&mc, &cli_interrupted, &err);
    if (sum)
        sum_phase_end(sum, &(sum_phase_stats){0});
    prom_push_stats ps = {0};
    vm_err perr = {0};
    bool had_push = outs.push != NULL;
    int prc = exp_close(&outs, &ps, &perr);
    outs_open = false;
    if (n < 0) {
        cli_error("monitor", &err);
        goto out;
    }
    if (had_push) {
        fprintf(stderr, "monitor: %llu pushes, %llu failed attempts, %llu dropped%s\n",
                (unsigned long long)ps.pushes, (unsigned long long)ps.failed_attempts,
                (unsigned long long)ps.dropped,
                push_delete ? (ps.deleted ? ", groups deleted" : ", delete failed") : "");
        if (prc < 0)
            fprintf(stderr, "valkey-memstress monitor: warning: last push failed: %s\n",
                    perr.msg);
    }
    if (sum) {
        strbuf p = STRBUF_INIT;
        sb_addf(&p, "%s/summary.json", out);
        int wrc = sum_write(sum, p.buf, &err);
        sb_release(&p);
        if (wrc < 0) {
            cli_error("monitor", &err);
            goto out;
        }
    }
    fprintf(stderr, "monitor: %ld samples written%s%s%s%s\n", n, out || csv ? " to " : "",
            csv ? csv : out ? out : "", csv && out ? " and " : "", csv && out ? out : "");
    rc = CLI_OK;
out:
    if (outs_open)
        exp_close(&outs, NULL, NULL);
    sum_free(sum);
    free((void *)conn_tab);
    cli_conn_release(&conn);
    return rc;
}
