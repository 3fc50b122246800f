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
    "valkey-memstress monitor [--interval 1s] [--duration 10s] (--out DIR | --csv FILE | --push "
    "URL)\n"
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

typedef struct monitor_opts {
    uint64_t interval_ms, duration_ms, refresh_ms, push_timeout_ms;
    const char *csv, *out, *sections, *run_id, *sources;
    const char *push_url, *push_job, *push_user, *push_password, *push_cacert;
    bool push_delete, push_insecure, no_long;
    int push_retries;
    unsigned src_mask; /* from sources */
} monitor_opts;

/* What the options say together; an error names the option. */
static int check_opts(monitor_opts *o, int argc, char **argv)
{
    vm_err err = {0};
    const char *why = NULL;
    if (argc > 0) {
        cli_errorf("monitor", "unexpected argument '%s' (see --help)", argv[0]);
        return -1;
    }
    if (!o->csv && !o->out && !o->push_url)
        why = "nowhere to write: give --out DIR, --csv FILE or --push URL";
    else if (o->interval_ms == 0)
        why = "--interval must be more than 0";
    if (why) {
        cli_errorf("monitor", "%s", why);
        return -1;
    }
    if (mon_sources_parse(o->sources, &o->src_mask, &err) < 0) {
        cli_error("monitor", &err);
        return -1;
    }
    if (!o->push_password)
        o->push_password = getenv("VM_PUSH_PASSWORD");
    return 0;
}

/* What the server runs, for summary.json; asked before any file is made,
 * so that a wrong host leaves no empty CSV behind. */
static int describe_server(const cli_conn *conn, lc_server_desc *desc, vm_err *err)
{
    net_client probe;
    int rc = net_client_open(&probe, &conn->ep, conn->ep.host, conn->ep.port, err) < 0 ||
                     lc_server_describe(&probe, desc, err) < 0
                 ? -1
                 : 0;
    net_client_close(&probe);
    return rc;
}

static void print_push_stats(const prom_push_stats *ps, bool delete_at_end, int push_rc,
                             const vm_err *perr)
{
    fprintf(stderr, "monitor: %llu pushes, %llu failed attempts, %llu dropped%s\n",
            (unsigned long long)ps->pushes, (unsigned long long)ps->failed_attempts,
            (unsigned long long)ps->dropped,
            delete_at_end ? (ps->deleted ? ", groups deleted" : ", delete failed") : "");
    if (push_rc < 0)
        fprintf(stderr, "valkey-memstress monitor: warning: last push failed: %s\n", perr->msg);
}

/* Sample until the duration ends or Ctrl-C, into the outputs the options
 * name; returns a CLI_* code. */
/* The pushgateway settings of the options, labelled with the server. */
static prom_push_conf push_conf(const monitor_opts *o, const char *run_id,
                                const lc_server_desc *desc)
{
    return (prom_push_conf){.url = o->push_url,
                            .job = o->push_job,
                            .run_id = run_id,
                            .user = o->push_user,
                            .password = o->push_password,
                            .cacert = o->push_cacert,
                            .insecure = o->push_insecure,
                            .retries = o->push_retries ? o->push_retries : -1,
                            .timeout_ms = o->push_timeout_ms,
                            .delete_at_end = o->push_delete,
                            .notice = notice,
                            .server = desc->software,
                            .server_version = desc->version,
                            .search_module = desc->search ? desc->search_version : NULL};
}

/* Close the outputs after n samples (n < 0: the sampling failed with
 * err), write the summary and say what was written; the exit code. */
static int monitor_end(const monitor_opts *o, exp_outputs *outs, sum_run *sum, long n, vm_err *err)
{
    prom_push_stats ps = {0};
    vm_err perr = {0};
    bool had_push = outs->push != NULL;
    int prc = exp_close(outs, &ps, &perr);
    if (n < 0) {
        cli_error("monitor", err);
        return CLI_FAIL;
    }
    if (had_push)
        print_push_stats(&ps, o->push_delete, prc, &perr);
    if (sum) {
        strbuf p = STRBUF_INIT;
        sb_addf(&p, "%s/summary.json", o->out);
        int wrc = sum_write(sum, p.buf, err);
        sb_release(&p);
        if (wrc < 0) {
            cli_error("monitor", err);
            return CLI_FAIL;
        }
    }
    const char *csv = o->csv, *out = o->out;
    fprintf(stderr, "monitor: %ld samples written%s%s%s%s\n", n, out || csv ? " to " : "",
            csv   ? csv
            : out ? out
                  : "",
            csv && out ? " and " : "", csv && out ? out : "");
    return CLI_OK;
}

static int monitor_run(const monitor_opts *o, const cli_conn *conn)
{
    vm_err err = {0};
    char rid[64];
    const char *run_id = o->run_id;
    if (!run_id) {
        cli_run_id(rid);
        run_id = rid;
    }
    lc_server_desc desc;
    if (describe_server(conn, &desc, &err) < 0 || (o->out && cli_mkdirs(o->out, &err) < 0)) {
        cli_error("monitor", &err);
        return CLI_FAIL;
    }
    sum_run *sum = NULL;
    if (o->out) {
        sum = sum_open(run_id, "monitor", NULL);
        sum_set_server(sum, desc.software, desc.version, desc.search ? desc.search_version : NULL);
    }
    prom_push_conf pc = push_conf(o, run_id, &desc);
    exp_conf ec = {
        .out_dir = o->out, .csv_path = o->csv, .no_long = o->no_long, .push = &pc, .summary = sum};
    exp_outputs outs;
    memset(&outs, 0, sizeof(outs));
    if (exp_open(&outs, &ec, &err) < 0) {
        cli_error("monitor", &err);
        sum_free(sum);
        return CLI_FAIL;
    }
    cli_install_signals();
    mon_labels lab = {.run_id = run_id, .step = "monitor", .phase = "monitor"};
    mon_config mc = {.ep = &conn->ep,
                     .interval_ms = o->interval_ms,
                     .duration_ms = o->duration_ms,
                     .sections = o->sections,
                     .sink = exp_sink,
                     .sink_ctx = &outs,
                     .labels = mon_labels_static,
                     .labels_ctx = &lab,
                     .sources = o->src_mask,
                     .topology_refresh_ms = o->refresh_ms,
                     .notice = notice};
    if (sum)
        sum_phase_begin(sum, "monitor", "monitor");
    long n = mon_run(&mc, &cli_interrupted, &err);
    if (sum)
        sum_phase_end(sum, &(sum_phase_stats){0});
    int rc = monitor_end(o, &outs, sum, n, &err);
    sum_free(sum);
    return rc;
}

int cmd_monitor(int argc, char **argv)
{
    monitor_opts o = {.interval_ms = 1000,
                      .refresh_ms = 10000,
                      .push_timeout_ms = 5000,
                      .sources = "all",
                      .push_job = "valkey_memstress",
                      .push_retries = 3};
    cli_conn conn;
    cli_conn_defaults(&conn);
    const struct opt own[] = {
        OPT_GROUP_ROW("Monitor:"),
        OPT_DUR_ROW("interval", &o.interval_ms, "time between samples (default 1s; 200ms allowed)"),
        OPT_DUR_ROW("duration", &o.duration_ms, "stop after this long (default: until Ctrl-C)"),
        OPT_STR_ROW("out", &o.out, "DIR",
                    "write memory.csv, memory.units.csv, memory_long.csv, summary.json here"),
        OPT_STR_ROW("csv", &o.csv, "FILE", "write the wide CSV (core columns) to FILE"),
        OPT_BOOL_ROW("no-long", &o.no_long, "with --out: skip memory_long.csv"),
        OPT_STR_ROW("sources", &o.sources, "LIST",
                    "info,dbsize,memstats,malloc,ftinfo,proc or all (default all)"),
        OPT_STR_ROW("sections", &o.sections, "LIST",
                    "INFO sections (default \"" MON_DEFAULT_SECTIONS "\")"),
        OPT_DUR_ROW("topology-refresh", &o.refresh_ms,
                    "cluster: re-read the node list this often (default 10s)"),
        OPT_STR_ROW("run-id", &o.run_id, "ID", "run id written in every row (default: a new one)"),
        OPT_GROUP_ROW("Pushgateway:"),
        OPT_SECRET_ROW(0, "push", &o.push_url, "URL",
                       "push every sample to this pushgateway (http[s]://[user:pass@]host:port)"),
        OPT_STR_ROW("push-job", &o.push_job, "NAME", "job label (default valkey_memstress)"),
        OPT_STR_ROW("push-user", &o.push_user, "USER", "basic auth user"),
        OPT_SECRET_ROW(0, "push-password", &o.push_password, "PASSWORD",
                       "basic auth password (or VM_PUSH_PASSWORD); never shown"),
        OPT_STR_ROW("push-cacert", &o.push_cacert, "FILE",
                    "CA bundle to verify an https pushgateway"),
        OPT_BOOL_ROW("push-insecure", &o.push_insecure,
                     "do not verify the pushgateway's certificate"),
        OPT_INT_ROW("push-retries", &o.push_retries, "N", "retries of a failed push (default 3)", 0,
                    100),
        OPT_DUR_ROW("push-timeout", &o.push_timeout_ms, "per push request (default 5s)"),
        OPT_BOOL_ROW("push-delete", &o.push_delete,
                     "delete this run's groups from the gateway at the end"),
        OPT_END_ROW,
    };
    const struct opt *conn_tab = cli_conn_options(&conn);
    const struct opt *tables[] = {own, conn_tab, NULL};
    int rc;
    vm_err err = {0};
    if (cli_parse(&argc, argv, tables, usage, summary, &rc) < 0)
        goto out;
    rc = CLI_USAGE;
    if (check_opts(&o, argc, argv) < 0)
        goto out;
    if (cli_conn_finish(&conn, &err) < 0) {
        cli_error("monitor", &err);
        goto out;
    }
    rc = monitor_run(&o, &conn);
out:
    free((void *)conn_tab);
    cli_conn_release(&conn);
    return rc;
}
