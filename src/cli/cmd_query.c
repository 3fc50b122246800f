/* cmd_query: `valkey-memstress query` — KNN queries for the dataset's query
 * vectors in each live copy, with recall measured against ground truth that
 * stays exact after any expand / shrink / regrow (src/vecmath/gt.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lifecycle/lc_ops.h"
#include "../lifecycle/lc_servers.h"
#include "../util/json_w.h"
#include "../util/vm_grow.h"
#include "../util/vm_slice.h"
#include "cli.h"

static const char usage[] =
    "valkey-memstress query --state DIR [--index NAME] -k K [--ef-runtime EF] [--copies all|LIST]\n"
    "       [--queries N] [--slice I/N] [--json FILE] [--wait 10m] [connection options]";
static const char summary[] =
    "Send FT.SEARCH <index> \"*=>[KNN k @<field> $B EF_RUNTIME ef]\" ... NOCONTENT DIALECT 2 for\n"
    "the dataset's queries in each live copy (shifted by V_n), map the returned keys back to\n"
    "(copy, id), and report recall@k, QPS and latency.  Waits first until the index has\n"
    "caught up (no backfill, empty mutation queue, state ready).";

static int parse_copies(const char *s, uint32_t **out, uint32_t *n, vm_err *err)
{
    *out = NULL;
    *n = 0;
    if (!s || !strcmp(s, "all"))
        return 0;
    uint32_t cap = 8;
    *out = malloc(cap * sizeof(uint32_t));
    const char *p = s;
    while (*p) {
        char *end;
        unsigned long lo = strtoul(p, &end, 10), hi = lo;
        if (end == p)
            goto bad;
        if (!strncmp(end, "..", 2)) {
            const char *q = end + 2;
            hi = strtoul(q, &end, 10);
            if (end == q || hi < lo)
                goto bad;
        }
        if (hi - lo > (1u << 24))
            goto bad;
        for (unsigned long c = lo; c <= hi; c++) {
            VM_GROW(*out, *n + 1, cap);
            (*out)[(*n)++] = (uint32_t)c;
        }
        if (*end == ',')
            end++;
        else if (*end)
            goto bad;
        p = end;
    }
    if (*n)
        return 0;
bad:
    free(*out);
    *out = NULL;
    return vm_err_set(err, VM_EINPUT, "--copies '%s': expected all, or a list like 0,2,5..7", s);
}

static json_object *per_copy_json(const lc_query_result *r)
{
    json_object *a = json_object_new_array();
    for (uint32_t i = 0; i < r->ncopies; i++) {
        json_object *c = json_object_new_object();
        jw_add(c, "copy", json_object_new_int64(r->per_copy[i].copy));
        jw_add(c, "queries", json_object_new_int64(r->per_copy[i].queries));
        jw_add(c, "mean", jw_num_fixed(r->per_copy[i].mean, 6));
        jw_add(c, "min", jw_num_fixed(r->per_copy[i].min, 6));
        json_object_array_add(a, c);
    }
    return a;
}

static int write_json(const char *path, const lc_query_result *r, vm_err *err)
{
    static const char *const recall[] = {"mean", "min", "p5", "perfect_share"};
    static const char *const latency[] = {"p50", "p90", "p99", "p999", "max"};
    double rv[] = {r->mean, r->min, r->p5, r->perfect_share};
    double lv[] = {r->lat_p50_ms, r->lat_p90_ms, r->lat_p99_ms, r->lat_p999_ms, r->lat_max_ms};
    json_object *o = json_object_new_object();
    jw_add(o, "k", json_object_new_int64(r->k));
    jw_add(o, "queries", json_object_new_uint64(r->queries));
    jw_add(o, "errors", json_object_new_uint64(r->errors));
    jw_add(o, "recall", jw_fixed_object(recall, rv, 4, 6));
    jw_add(o, "per_copy", per_copy_json(r));
    jw_add(o, "qps", jw_num_fixed(r->qps, 2));
    jw_add(o, "seconds", jw_num_fixed(r->seconds, 3));
    jw_add(o, "latency_ms", jw_fixed_object(latency, lv, 5, 3));
    jw_add(o, "gt_recomputed", json_object_new_int64(r->gt_recomputed));
    jw_add(o, "shards_merged", json_object_new_int64(r->shards > 1 ? r->shards : 0));
    jw_add(o, "masters_changed", jw_str(r->masters_changed));
    jw_add(o, "failovers", jw_str(r->failovers));
    jw_add(o, "recall_rule", jw_str(r->rule));
    /* written in place, not renamed over: --json /dev/stdout works */
    FILE *f = fopen(path, "w");
    int rc = 0;
    if (!f || fprintf(f, "%s\n", jw_text(o)) < 0)
        rc = vm_err_set(err, VM_EIO, "--json %s: cannot write", path);
    if (f && fclose(f) != 0 && rc == 0)
        rc = vm_err_set(err, VM_EIO, "--json %s: cannot write", path);
    json_object_put(o);
    return rc;
}

typedef struct query_opts {
    const char *state, *index, *copies_s, *json, *slice;
    int k, ef;
    uint64_t nq, wait_ms;
} query_opts;

/* Wait until every master of a cluster (or the one server) has caught up
 * indexing; prints the error and returns -1 when it does not. */
static int query_wait(cli_conn *conn, const char *index, uint64_t wait_ms)
{
    vm_err err = {0};
    lc_servers sv;
    idx_info info;
    if (lc_servers_open(&sv, &conn->ep, &err) < 0 ||
        (*index && lc_servers_index_wait(&sv, index, wait_ms, &info, &err) < 0)) {
        cli_error("query", &err);
        lc_servers_close(&sv);
        return -1;
    }
    lc_servers_close(&sv);
    return 0;
}

/* Print the recall and latency of a finished query run. */
static void query_print(const lc_query_result *res, const eng_stats *totals)
{
    printf("query: %llu queries, k=%u, %.0f qps; recall mean %.4f, min %.4f, p5 %.4f, perfect "
           "%.1f%%; latency ms p50 %.2f p99 %.2f max %.2f\n",
           (unsigned long long)res->queries, res->k, res->qps, res->mean, res->min, res->p5,
           100 * res->perfect_share, res->lat_p50_ms, res->lat_p99_ms, res->lat_max_ms);
    if (res->shards > 1)
        printf("  each query sent to the %u masters and merged here (the search module runs "
               "without --use-coordinator)\n",
               res->shards);
    if (res->masters_changed[0])
        printf("  warning: the masters changed during the queries (%s); each query went to the "
               "masters of the start, so a new master's keys were not searched and recall may "
               "read low\n",
               res->masters_changed);
    if (res->failovers[0])
        printf("  failover during the queries (%s): the parts of a master that went away were sent "
               "by slot to the master that took over\n",
               res->failovers);
    for (uint32_t i = 0; i < res->ncopies; i++)
        printf("  copy %u: %u queries, recall mean %.4f, min %.4f\n", res->per_copy[i].copy,
               res->per_copy[i].queries, res->per_copy[i].mean, res->per_copy[i].min);
    /* per FT.SEARCH sent (a fanned-out query is one per master), the
     * client's CPU, and what the engine did for the cluster and faults */
    cli_print_eng_stats(stdout, "query", totals);
}

/* Run the queries in the open session s and print them; the exit code. */
static int query_go(const query_opts *o, cli_conn *conn, lc_session *s, const char *index,
                    uint32_t *copies, uint32_t ncopies)
{
    vm_err err = {0};
    cli_install_signals();
    eng_config ec = cli_conn_engine(conn, &cli_interrupted);
    ec.open_loop = ec.rate_ops > 0; /* rate-limited queries: latency includes queueing */
    eng_stats totals;
    eng_stats_init(&totals);
    ec.totals = &totals;
    lc_query_conf qc = {index, (uint32_t)o->k, o->ef, copies, ncopies, (uint32_t)o->nq, 0, 0};
    if (o->slice && vm_slice_parse(o->slice, &qc.slice_i, &qc.slice_n, &err) < 0) {
        cli_error("query", &err);
        return CLI_USAGE;
    }
    lc_query_result res;
    int rc = CLI_FAIL;
    if (lc_query(s, &ec, &qc, &res, &err) < 0) {
        cli_error("query", &err);
    } else if (res.errors) {
        cli_errorf("query", "%llu of %llu queries failed: %s", (unsigned long long)res.errors,
                   (unsigned long long)(res.queries + res.errors), res.first_error);
    } else {
        query_print(&res, &totals);
        if (o->json && write_json(o->json, &res, &err) < 0)
            cli_error("query", &err);
        else
            rc = CLI_OK;
    }
    lc_query_result_free(&res);
    return rc;
}

int cmd_query(int argc, char **argv)
{
    query_opts o = {.k = 10, .wait_ms = 600000};
    cli_conn conn;
    cli_conn_defaults(&conn);
    const struct opt own[] = {
        OPT_GROUP_ROW("Query:"),
        OPT_STR_ROW("state", &o.state, "DIR", "lifecycle state folder (required)"),
        OPT_STR_ROW("index", &o.index, "NAME", "index to query (default: the one prefill created)"),
        OPT_INT_ROW_S('k', "k", &o.k, "K", "neighbours per query (default 10)", 1, 10000),
        OPT_INT_ROW("ef-runtime", &o.ef, "EF", "HNSW EF_RUNTIME (default: the index's)", 1, 100000),
        OPT_STR_ROW("copies", &o.copies_s, "LIST", "all (default) or e.g. 0,2,5..7"),
        OPT_U64_ROW("queries", &o.nq, "N", "first N query vectors per copy (default all)"),
        OPT_STR_ROW("slice", &o.slice, "I/N",
                    "loader I of N asks only its part of the queries (a whole or merged state)"),
        OPT_STR_ROW("json", &o.json, "FILE", "write the results as JSON"),
        OPT_DUR_ROW("wait", &o.wait_ms,
                    "wait at most this long for indexing to catch up (default 10m)"),
        OPT_END_ROW,
    };
    const struct opt *conn_tab = cli_conn_options(&conn);
    const struct opt *tables[] = {own, conn_tab, NULL};
    int rc;
    vm_err err = {0};
    uint32_t *copies = NULL, ncopies = 0;
    lc_session s;
    bool open = false;
    if (cli_parse(&argc, argv, tables, usage, summary, &rc) < 0)
        goto out;
    rc = CLI_USAGE;
    if (argc > 0) {
        cli_errorf("query", "unexpected argument '%s' (see --help)", argv[0]);
        goto out;
    }
    if (!o.state) {
        cli_errorf("query", "--state DIR is required (the folder prefill --state wrote)");
        goto out;
    }
    if (parse_copies(o.copies_s, &copies, &ncopies, &err) < 0 || cli_conn_finish(&conn, &err) < 0) {
        cli_error("query", &err);
        goto out;
    }
    rc = CLI_FAIL;
    if (lc_session_open(&s, o.state, &err) < 0) {
        cli_error("query", &err);
        goto out;
    }
    open = true;
    const char *index = o.index ? o.index : s.st.index;
    lc_query_conf early = {0};
    if (lc_query_check(&s, &early, &err) < 0) { /* before waiting on the index */
        cli_error("query", &err);
        goto out;
    }
    if (query_wait(&conn, index, o.wait_ms) < 0)
        goto out;
    rc = query_go(&o, &conn, &s, index, copies, ncopies);
out:
    if (open)
        lc_session_close(&s);
    free(copies);
    free((void *)conn_tab);
    cli_conn_release(&conn);
    return rc;
}
