/* test_report: the report engine (src/report/) without gnuplot — reading
 * run folders by column name (wide and long CSVs, missing columns, a
 * partial last line, bad rows, quoted cells), summary.json (index
 * parameters, secrets redacted), the analysis (phases, findings, the model
 * against real valkey-search 1.0.3 figures from the reference transcript)
 * and the HTML / Markdown page (sections, escaping). */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "report/rpt_analyze.h"
#include "report/rpt_compare.h"
#include "report/rpt_data.h"
#include "report/rpt_fmt.h"
#include "report/rpt_page.h"
#include "report/rpt_plot.h"
#include "report/rpt_run.h"
#include "util/strbuf.h"

static char tmpdir[256];

static void write_file(const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static char *read_all(const char *name)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    strbuf sb = STRBUF_INIT;
    if (sb_read_file(&sb, path) < 0) {
        sb_release(&sb);
        return NULL;
    }
    return sb_detach(&sb, NULL);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/vm-test-report.XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void test_wide_by_name(void **state)
{
    (void)state;
    /* columns in an unusual order, an unknown one, an empty cell, a bad row,
     * CRLF, and a last line cut mid-write */
    write_file("memory.csv",
               "phase,used_memory,node,time_unix_ms,live_vectors,extra_thing,jemalloc.active\r\n"
               "baseline,1000,n1,1000,0,7,2000\r\n"
               "load,5000,n1,2000,10,7,\r\n"
               "load,garbage-row\r\n"
               "load,9000,n1,3000,20,7,9500\r\n"
               "load,9100,n1,40");
    rpt_data d;
    rpt_data_init(&d);
    vm_err err = {0};
    char path[512];
    snprintf(path, sizeof(path), "%s/memory.csv", tmpdir);
    assert_int_equal(rpt_data_read_csv(&d, path, &err), 3);
    rpt_data_finish(&d);
    assert_true(d.partial_tail);
    assert_int_equal(d.bad_rows, 1);
    assert_int_equal(d.nnodes, 1);
    const rpt_node *n = &d.nodes[0];
    assert_string_equal(n->name, "n1");
    assert_int_equal(n->nlabels, 3);
    assert_true(n->labels[2].live == 20);
    assert_true(isnan(n->labels[0].deleted)); /* no deleted_total column */
    const rpt_series *u = rpt_node_series(n, "used_memory");
    assert_non_null(u);
    assert_int_equal(u->n, 3);
    /* jemalloc.active is an alias of allocator_active; its empty cell is skipped */
    const rpt_series *a = rpt_node_series(n, "allocator_active");
    assert_non_null(a);
    assert_int_equal(a->n, 2);
    assert_null(rpt_node_series(n, "extra_thing")); /* not a metric the report draws */
    assert_true(rpt_series_at(u, 2500) == 5000);
    assert_true(isnan(rpt_series_at(u, 999)));
    assert_string_equal(rpt_data_name(&d, rpt_node_label_at(n, 3000)->phase), "load");
    assert_int_equal(d.t0_ms, 1000);
    assert_int_equal(d.t1_ms, 3000);
    rpt_data_free(&d);
}

static void test_long_csv(void **state)
{
    (void)state;
    /* times as ISO, seconds and ms; quoted cells; a text value; wide wins */
    write_file("a_wide.csv", "time_unix_ms,node,used_memory\n1795272707000,n1,100\n");
    write_file("long.csv", "time,node,metric,value\n"
                           "2026-11-21T14:51:47.000Z,n1,search_used_memory_bytes,18480\n"
                           "1795272708.5,n1,search_used_memory_bytes,4821984\n"
                           "1795272709000,\"n1\",\"recall_at_10\",0.95\n"
                           "1795272709000,n1,used_memory,999\n"
                           "1795272709000,n1,state,ready\n"
                           "1795272709000,n1,some_other_metric,5\n");
    rpt_data d;
    rpt_data_init(&d);
    vm_err err = {0};
    char path[512];
    snprintf(path, sizeof(path), "%s/a_wide.csv", tmpdir);
    assert_int_equal(rpt_data_read_csv(&d, path, &err), 1);
    snprintf(path, sizeof(path), "%s/long.csv", tmpdir);
    assert_true(rpt_data_read_csv(&d, path, &err) >= 4);
    rpt_data_finish(&d);
    const rpt_node *n = &d.nodes[0];
    const rpt_series *s = rpt_node_series(n, "search_used_memory_bytes");
    assert_non_null(s);
    assert_int_equal(s->n, 2);
    assert_int_equal(s->t_ms[0], 1795272707000LL);
    assert_int_equal(s->t_ms[1], 1795272708500LL);
    assert_int_equal(rpt_node_series(n, "used_memory")->n, 1); /* the wide value only */
    const rpt_series *r[4];
    assert_int_equal(rpt_node_category(n, "recall", r, 4), 1);
    assert_null(rpt_node_series(n, "some_other_metric"));
    rpt_data_free(&d);

    /* a CSV without a time column is refused with its name */
    write_file("bad.csv", "a,b\n1,2\n");
    rpt_data_init(&d);
    snprintf(path, sizeof(path), "%s/bad.csv", tmpdir);
    assert_int_equal(rpt_data_read_csv(&d, path, &err), -1);
    assert_non_null(strstr(err.msg, "bad.csv"));
    rpt_data_free(&d);
}

static void test_secrets(void **state)
{
    (void)state;
    assert_true(rpt_key_is_secret("password"));
    assert_true(rpt_key_is_secret("server.requirepass"));
    assert_true(rpt_key_is_secret("PUSH_TOKEN"));
    assert_false(rpt_key_is_secret("author"));
    assert_false(rpt_key_is_secret("used_memory"));
    char url[] = "valkey://alice:s3cret@10.0.0.1:6379/0 and https://u:p@h/x";
    rpt_redact_url(url);
    assert_string_equal(url, "valkey://10.0.0.1:6379/0 and https://h/x");
}

/* A run folder built from the reference transcript's SNAPSHOT lines: real
 * valkey-search 1.0.3 memory for 100k x 128-d HNSW M 16, insert, delete
 * 50 %, reinsert. */
static int reference_run(void)
{
    const char *ref = getenv("VM_REFERENCE");
    char path[1024];
    snprintf(path, sizeof(path), "%s/valkey-search-1.0.3/05-bench-100k-hnsw-1conn.txt",
             ref ? ref : "../shared/reference");
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    strbuf csv = STRBUF_INIT;
    sb_addstr(&csv, "time_unix_ms,node,run_id,phase,live_vectors,deleted_total,used_memory,"
                    "used_memory_rss,search_used_memory_bytes\n");
    char line[4096];
    long t = 1795272700000L, prev = 0, deleted = 0;
    while (fgets(line, sizeof(line), f)) {
        if (strncmp(line, "SNAPSHOT phase=", 15))
            continue;
        char phase[64];
        sscanf(line + 15, "%63s", phase);
        const char *names[] = {
            "dbsize=", " used_memory=", "used_memory_rss=", "search_used_memory_bytes="};
        long v[4];
        for (int i = 0; i < 4; i++)
            v[i] = strtol(strstr(line, names[i]) + strlen(names[i]), NULL, 10);
        if (v[0] < prev)
            deleted += prev - v[0];
        prev = v[0];
        const char *ph = !strcmp(phase, "empty")           ? "baseline"
                         : !strcmp(phase, "after_create")  ? "create"
                         : !strncmp(phase, "after_del", 9) ? "delete"
                         : !strcmp(phase, "after_insert")  ? "insert"
                                                           : "reinsert";
        t += 10000;
        sb_addf(&csv, "%ld,127.0.0.1:7100,ref-05,%s,%ld,%ld,%ld,%ld,%ld\n", t, ph, v[0], deleted,
                v[1], v[2], v[3]);
    }
    fclose(f);
    write_file("memory.csv", csv.buf);
    sb_release(&csv);
    write_file(
        "summary.json",
        "{\"run_id\": \"ref-05\", \"scenario\": \"reference\",\n"
        " \"index\": {\"algorithm\": \"HNSW\", \"dim\": 128, \"m\": 16, \"prefix\": \"vec:\"},\n"
        " \"server\": {\"software\": \"valkey\", \"version\": \"8.1.1\", \"search_module\": "
        "\"1.0.3\"},\n"
        " \"environment\": {\"server\": \"valkey 8.1\", \"url\": \"valkey://u:hunter2@h:1\",\n"
        "   \"auth\": {\"password\": \"hunter2\"}},\n"
        " \"phases\": [{\"phase\": \"insert\", \"vectors\": 100000, \"errors\": 0}]}\n");
    return 0;
}

static bool has_finding(const rpt_analysis *an, const char *a, const char *b)
{
    for (size_t i = 0; i < an->findings.n; i++)
        if (strstr(an->findings.v[i], a) && (!b || strstr(an->findings.v[i], b)))
            return true;
    return false;
}

static void test_reference_analysis(void **state)
{
    (void)state;
    if (reference_run() < 0) {
        print_message("reference transcript not found: skipped\n");
        skip();
    }
    rpt_run run;
    vm_err err = {0};
    assert_int_equal(rpt_run_load(&run, tmpdir, &err), 0);
    assert_true(run.have_summary);
    assert_true(run.have_index);
    assert_int_equal(run.model.dim, 128);
    assert_int_equal(run.model.m, 16);
    assert_int_equal(run.model.release, MDL_REL_1_0); /* the layout of the module measured */
    for (size_t i = 0; i < run.env.n; i++)
        assert_null(strstr(run.env.v[i].value, "hunter2"));
    rpt_analysis an;
    assert_int_equal(rpt_analyze(&run, NULL, false, &an, &err), 0);
    /* baseline, create, insert, delete (three snapshots), reinsert */
    assert_int_equal(an.nphases, 5);
    assert_string_equal(an.phases[3].name, "delete");
    assert_int_equal(an.phases[3].last - an.phases[3].first + 1, 3);
    assert_int_equal(an.phases[2].info, 0); /* joined with summary.json's phase */
    assert_true(an.model_ok);
    assert_true(an.have_search);
    /* the reference's own words: deleting half frees ~3 % of module memory */
    assert_true(has_finding(&an, "after deleting 50 % of the vectors", "search memory fell 3."));
    assert_true(has_finding(&an, "insert: 100,000 vectors added", "1137 B per vector"));
    assert_true(has_finding(&an, "Hysteresis", "did not give back"));
    assert_true(has_finding(&an, "Model:", "explained"));
    /* the model explains the measured module memory at every phase end */
    for (size_t x = 0; x < an.nphases; x++) {
        const rpt_phase *p = &an.phases[x];
        if (!p->have_model || p->live_end == 0)
            continue;
        double rel = p->pred_module / p->meas_module;
        if (rel < 0.99 || rel > 1.01)
            fail_msg("%s: predicted %.0f, measured %.0f", p->name, p->pred_module, p->meas_module);
        rel = p->pred_used / p->meas_used;
        if (rel < 0.97 || rel > 1.03)
            fail_msg("%s: used_memory predicted %.0f, measured %.0f", p->name, p->pred_used,
                     p->meas_used);
    }

    /* the page: every section, no secret, plots skipped with a reason */
    rpt_plots plots;
    memset(&plots, 0, sizeof(plots));
    plots.n = 1;
    snprintf(plots.p[0].name, sizeof(plots.p[0].name), "latency");
    snprintf(plots.p[0].title, sizeof(plots.p[0].title), "Latency <percentiles>");
    snprintf(plots.p[0].note, sizeof(plots.p[0].note), "no latency");
    assert_int_equal(rpt_page_write(&run, &an, &plots, tmpdir, "test", &err), 0);
    char *html = read_all("index.html"), *md = read_all("summary.md");
    assert_non_null(html);
    assert_non_null(md);
    const char *ids[] = {"findings", "plots",       "phases", "model",
                         "scenario", "environment", "nodes",  "notes"};
    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
        char want[64];
        snprintf(want, sizeof(want), "<section id=\"%s\">", ids[i]);
        assert_non_null(strstr(html, want));
    }
    assert_null(strstr(html, "hunter2"));
    assert_null(strstr(md, "hunter2"));
    assert_non_null(strstr(html, "Latency &lt;percentiles&gt;: skipped - no latency"));
    assert_null(strstr(html, "<script"));
    assert_non_null(strstr(md, "| delete |"));
    assert_non_null(strstr(md, "## Model against measurement"));
    free(html);
    free(md);
    rpt_analysis_free(&an);
    rpt_run_free(&run);
}

static void test_unfinished_run(void **state)
{
    (void)state;
    /* no summary.json, a node name that is HTML, a partial last line */
    char dir[300];
    snprintf(dir, sizeof(dir), "%s/live", tmpdir);
    mkdir(dir, 0755);
    write_file("live/memory.csv", "time_iso,node,phase,live_vectors,used_memory\n"
                                  "2026-11-21T14:51:47.000Z,<b>x</b>,load,0,100\n"
                                  "2026-11-21T14:51:48.000Z,<b>x</b>,load,10,200\n"
                                  "2026-11-21T14:51:48.500Z,<b>x</b>,load,2892758128791646720,200\n"
                                  "2026-11-21T14:51:49.0");
    rpt_run run;
    vm_err err = {0};
    assert_int_equal(rpt_run_load(&run, dir, &err), 0);
    assert_false(run.have_summary);
    assert_true(run.notes.n >= 2); /* no summary, partial line */
    rpt_analysis an;
    assert_int_equal(rpt_analyze(&run, NULL, false, &an, &err), 0);
    assert_false(an.model_ok); /* dimension unknown */
    assert_non_null(strstr(an.model_note, "--dim"));
    assert_true(has_finding(&an, "no summary.json", NULL));
    /* with the dimension given the model runs; the damaged count is ignored */
    rpt_analysis an2;
    mdl_params mp = run.model;
    mp.dim = 4;
    assert_int_equal(rpt_analyze(&run, &mp, true, &an2, &err), 0);
    assert_true(an2.model_ok);
    assert_true(isnan(an2.tl.live[2]));
    rpt_analysis_free(&an2);
    rpt_plots plots;
    memset(&plots, 0, sizeof(plots));
    assert_int_equal(rpt_page_write(&run, &an, &plots, dir, "test", &err), 0);
    char *html = read_all("live/index.html");
    assert_non_null(html);
    assert_null(strstr(html, "<b>x</b>"));
    assert_non_null(strstr(html, "&lt;b&gt;x&lt;/b&gt;"));
    free(html);
    rpt_analysis_free(&an);
    rpt_run_free(&run);

    /* a folder with no samples is an error naming it */
    snprintf(dir, sizeof(dir), "%s/empty", tmpdir);
    mkdir(dir, 0755);
    assert_int_equal(rpt_run_load(&run, dir, &err), -1);
    assert_non_null(strstr(err.msg, "no samples"));
    rpt_run_free(&run);
}

/* Plot data and scripts for latency (from the module's INFO SEARCH
 * percentiles, microseconds -> ms) and recall / QPS (from summary.json's
 * phases), without drawing: "gnuplot" here is true(1), which draws nothing. */
static void test_plot_data(void **state)
{
    (void)state;
    write_file("memory.csv", "time_unix_ms,node,phase,live_vectors,used_memory\n"
                             "1000,n1,load,0,100\n2000,n1,query,10,200\n3000,n1,query,10,210\n");
    write_file("memory_long.csv", "time_unix_ms,node,metric,value\n"
                                  "2000,n1,search_hnsw_vector_index_search_latency_usec.p50,24.5\n"
                                  "3000,n1,search_hnsw_vector_index_search_latency_usec.p50,30\n"
                                  "3000,n1,search_hnsw_vector_index_search_latency_usec.p99,90\n");
    write_file("summary.json", "{\"phases\": [{\"phase\": \"query\", \"ops_per_second\": 1234,"
                               " \"recall\": {\"k\": 10, \"mean\": 0.97, \"min\": 0.8}}]}");
    rpt_run run;
    rpt_analysis an;
    vm_err err = {0};
    assert_int_equal(rpt_run_load(&run, tmpdir, &err), 0);
    assert_int_equal(rpt_analyze(&run, NULL, false, &an, &err), 0);
    assert_true(has_finding(&an, "query: recall@10 mean 0.97, min 0.8", "1234 queries per second"));
    char dir[400];
    snprintf(dir, sizeof(dir), "%s/plots", tmpdir);
    rpt_plots plots;
    assert_int_equal(rpt_plots_render(&run, &an, dir, "true", &plots, &err), 0);
    assert_int_equal(plots.made, 0); /* true(1) draws nothing: said per plot */
    bool saw_latency = false;
    for (int i = 0; i < plots.n; i++) {
        if (!strcmp(plots.p[i].name, "latency")) {
            saw_latency = true;
            assert_non_null(strstr(plots.p[i].note, "wrote no image"));
        }
        if (!strcmp(plots.p[i].name, "node_balance"))
            assert_non_null(strstr(plots.p[i].note, "one node"));
    }
    assert_true(saw_latency);
    char *lat = read_all("plots/latency.dat"), *gp = read_all("plots/latency.gp");
    char *rq = read_all("plots/recall_qps.dat");
    assert_non_null(lat);
    assert_non_null(gp);
    assert_non_null(rq);
    assert_non_null(strstr(lat, " 0.0245\n")); /* 24.5 us in ms, at t = 1 s */
    assert_non_null(strstr(gp, "set logscale y"));
    assert_non_null(strstr(gp, "set output 'latency.svg'"));
    assert_non_null(strstr(rq, " 0.97\n"));
    assert_non_null(strstr(rq, " 1234\n"));
    free(lat);
    free(gp);
    free(rq);
    rpt_analysis_free(&an);
    rpt_run_free(&run);
}

/* One side of a comparison: grow to 1,000 vectors (2 MB of used_memory at
 * 500, 3 MB at 1,000), delete half, wait; after the delete used_memory stands at
 * after_delete (returned share = (3e6 - after_delete) / 1e6). */
static void compare_side(const char *name, const char *module, double after_delete,
                         double reclaimable)
{
    char dir[600], path[700];
    snprintf(dir, sizeof(dir), "%s/%s", tmpdir, name);
    assert_int_equal(mkdir(dir, 0755), 0);
    snprintf(path, sizeof(path), "%s/memory.csv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("time_unix_ms,node,run_id,phase,live_vectors,deleted_total,used_memory,"
          "search_used_memory_bytes,search_index_reclaimable_memory\n",
          f);
    const struct {
        const char *phase;
        double live, deleted, used, search, reclaim;
    } row[] = {
        {"baseline", 0, 0, 1e6, 5e4, 0},
        {"prefill", 500, 0, 2e6, 6e5, 0},
        {"prefill", 1000, 0, 3e6, 1.2e6, 0},
        {"shrink", 1000, 0, 3e6, 1.2e6, 0}, /* sampled as the step starts */
        {"shrink", 500, 500, after_delete, 1.15e6, reclaimable},
        {"settle", 500, 500, after_delete, 1.15e6, reclaimable},
        {"settle", 500, 500, after_delete, 1.15e6, reclaimable},
    };
    for (size_t i = 0; i < sizeof(row) / sizeof(row[0]); i++)
        fprintf(f, "%lld,127.0.0.1:7000,%s,%s,%.0f,%.0f,%.0f,%.0f,%.0f\n",
                1795272700000LL + (long long)i * 10000, name, row[i].phase, row[i].live,
                row[i].deleted, row[i].used, row[i].search, row[i].reclaim);
    fclose(f);
    snprintf(path, sizeof(path), "%s/summary.json", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f,
            "{\"run_id\": \"%s\", \"scenario\": \"grow-shrink\", \"server\": {\"software\": "
            "\"valkey\", \"version\": \"9.0.4\", \"search_module\": \"%s\"}}\n",
            name, module);
    fclose(f);
}

static bool has_compare_finding(const rpt_compare *c, const char *a, const char *b)
{
    for (size_t i = 0; i < c->findings.n; i++)
        if (strstr(c->findings.v[i], a) && (!b || strstr(c->findings.v[i], b)))
            return true;
    return false;
}

static void test_compare(void **state)
{
    (void)state;
    compare_side("old", "1.0.3", 2.6e6, 0);      /* returns 40 % */
    compare_side("new", "1.2.1", 2.1e6, 2.56e5); /* returns 90 % */
    char a[600], b[600];
    snprintf(a, sizeof(a), "%s/old", tmpdir);
    snprintf(b, sizeof(b), "%s/new", tmpdir);
    rpt_compare c;
    vm_err err = {0};
    assert_int_equal(rpt_compare_load(&c, a, b, &err), 0);
    assert_string_equal(c.side[0].label, "valkey-search 1.0.3 on valkey 9.0.4");
    assert_string_equal(c.side[1].label, "valkey-search 1.2.1 on valkey 9.0.4");
    assert_true(has_compare_finding(&c, "returned 40 %", "1.2.1 on valkey 9.0.4 returns more"));
    assert_true(has_compare_finding(&c, "1.2.1 on valkey 9.0.4 90 %", NULL));
    assert_true(has_compare_finding(&c, "reclaimable", "250.0 KiB"));
    assert_false(has_compare_finding(&c, "different scenarios", NULL));
    assert_int_equal(rpt_compare_write(&c, tmpdir, NULL, "test", &err), 0);
    char *md = read_all("compare.md");
    assert_non_null(md);
    assert_non_null(strstr(md, "| returned after deletes | 40.0 % | 90.0 % |"));
    free(md);
    rpt_compare_free(&c);
    /* the other way round, the other side returns more */
    assert_int_equal(rpt_compare_load(&c, b, a, &err), 0);
    assert_true(has_compare_finding(&c, "returned 90 %", "1.2.1 on valkey 9.0.4 returns more"));
    rpt_compare_free(&c);
    /* a folder that is no run */
    assert_int_equal(rpt_compare_load(&c, a, "/nonexistent/run", &err), -1);
    assert_non_null(strstr(err.msg, "/nonexistent/run"));
}

static void test_fmt(void **state)
{
    (void)state;
    strbuf sb = STRBUF_INIT;
    rpt_fmt_bytes(&sb, 118526304);
    assert_string_equal(sb.buf, "113.0 MiB");
    sb_reset(&sb);
    rpt_fmt_bytes(&sb, -4000000);
    assert_string_equal(sb.buf, "-3.81 MiB");
    sb_reset(&sb);
    rpt_fmt_count(&sb, 1234567);
    assert_string_equal(sb.buf, "1,234,567");
    sb_reset(&sb);
    rpt_fmt_change(&sb, 200, 150);
    assert_string_equal(sb.buf, "-25.0 %");
    sb_reset(&sb);
    rpt_md_escape(&sb, "a|b\nc");
    assert_string_equal(sb.buf, "a\\|b c");
    sb_release(&sb);
}

/* the fuzz target itself, replayed below on its regression inputs */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
#include "../../fuzz/fuzz_report_csv.c"

/* The fuzz corpus's regression inputs (damaged CSVs that once met
 * undefined behaviour: qsort of NULL, times out of range, spans that
 * overflow) read and analysed without a report from the sanitizers (this
 * test also runs under ASan + UBSan, fatal). */
static void test_fuzz_regressions(void **state)
{
    (void)state;
    const char *dir = getenv("VM_FUZZ_CORPUS");
    if (!dir)
        skip();
    char path[1024];
    snprintf(path, sizeof(path), "%s/report_csv", dir);
    DIR *d = opendir(path);
    assert_non_null(d);
    int seen = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        char file[1400];
        snprintf(file, sizeof(file), "%s/%s", path, e->d_name);
        FILE *f = fopen(file, "rb");
        assert_non_null(f);
        static uint8_t buf[1 << 20];
        size_t n = fread(buf, 1, sizeof(buf), f);
        fclose(f);
        LLVMFuzzerTestOneInput(buf, n); /* exactly what the fuzz target runs */
        seen++;
    }
    closedir(d);
    assert_true(seen >= 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_wide_by_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_csv, setup, teardown),
        cmocka_unit_test(test_secrets),
        cmocka_unit_test_setup_teardown(test_reference_analysis, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unfinished_run, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plot_data, setup, teardown),
        cmocka_unit_test_setup_teardown(test_compare, setup, teardown),
        cmocka_unit_test(test_fmt),
        cmocka_unit_test(test_fuzz_regressions),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
