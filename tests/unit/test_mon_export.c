/* What the monitor's samples become: units, Prometheus names and text,
 * pushgateway group paths, the wide and long CSV rows (whole, quoted, with
 * a units sidecar), the derived memory figures (unreturned memory after a
 * shrink) and the JSON summary. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h> /* after the headers it needs */
#include <json-c/json.h>

#include "export/csv_long.h"
#include "export/csv_row.h"
#include "export/csv_wide.h"
#include "export/prom_push.h"
#include "export/prom_text.h"
#include "export/sum_json.h"
#include "monitor/mon_derive.h"
#include "monitor/mon_fields.h"
#include "monitor/mon_units.h"
#include "near.h"
#include "transcript.h"
#include "util/hist.h"

static void check_name(const char *field, const char *name, const char *labels, double scale,
                       bool counter)
{
    strbuf n = STRBUF_INIT, l = STRBUF_INIT;
    mon_fields fs = {0};
    mon_fields_set(&fs, field, 1); /* the field carries its unit and kind */
    double sc;
    prom_name(&fs.v[0], &n, &l, &sc);
    bool c = fs.v[0].counter;
    if (strcmp(n.buf, name) || strcmp(l.buf ? l.buf : "", labels) || sc != scale || c != counter)
        fail_msg("%s -> %s{%s} x%g %s, expected %s{%s} x%g %s", field, n.buf, l.buf ? l.buf : "",
                 sc, c ? "counter" : "gauge", name, labels, scale, counter ? "counter" : "gauge");
    sb_release(&n);
    sb_release(&l);
    mon_fields_free(&fs);
}

static void prom_names_carry_units(void **state)
{
    (void)state;
    check_name("used_memory", "valkey_memstress_used_memory_bytes", "", 1, false);
    check_name("search_used_memory_bytes", "valkey_memstress_search_used_memory_bytes", "", 1,
               false);
    check_name("used_memory_peak_perc", "valkey_memstress_used_memory_peak_ratio", "", 0.01, false);
    check_name("mem_fragmentation_ratio", "valkey_memstress_mem_fragmentation_ratio", "", 1, false);
    check_name("used_cpu_sys", "valkey_memstress_used_cpu_sys_seconds_total", "", 1, true);
    check_name("total_commands_processed", "valkey_memstress_total_commands_processed_total", "", 1,
               true);
    check_name("search_successful_requests_count",
               "valkey_memstress_search_successful_requests_count_total", "", 1, true);
    check_name("search_hnsw_vector_index_search_latency_usec.p99.9",
               "valkey_memstress_search_hnsw_vector_index_search_latency_seconds",
               "quantile=\"0.999\"", 1e-6, false);
    check_name("ft.idx.num_docs", "valkey_memstress_ft_index_num_docs", "index=\"idx\"", 1, false);
    check_name("ft.idx.vec.capacity", "valkey_memstress_ft_attribute_capacity",
               "index=\"idx\",attribute=\"vec\"", 1, false);
    check_name("ft.num_docs", "valkey_memstress_ft_num_docs", "", 1, false);
    check_name("jemalloc.bin.64.util", "valkey_memstress_jemalloc_bin_util_ratio", "size=\"64\"", 1,
               false);
    check_name("jemalloc.bin.64.nmalloc", "valkey_memstress_jemalloc_bin_nmalloc_total",
               "size=\"64\"", 1, true);
    check_name("jemalloc.large.16384.allocated", "valkey_memstress_jemalloc_large_allocated_bytes",
               "size=\"16384\"", 1, false);
    check_name("db0.keys", "valkey_memstress_keyspace_keys", "db=\"db0\"", 1, false);
    check_name("db0.avg_ttl", "valkey_memstress_keyspace_avg_ttl_seconds", "db=\"db0\"", 1e-3,
               false);
    check_name("memstats.keys.bytes-per-key", "valkey_memstress_memstats_keys_bytes_per_key_bytes",
               "", 1, false);
    check_name("proc.rss_bytes", "valkey_memstress_proc_rss_bytes", "", 1, false);
    check_name("proc.cpu_user_seconds", "valkey_memstress_proc_cpu_user_seconds_total", "", 1,
               true);
    check_name("uptime_in_seconds", "valkey_memstress_uptime_seconds", "", 1, false);
    check_name("derived.unreturned_bytes", "valkey_memstress_derived_unreturned_bytes", "", 1,
               false);
    assert_string_equal(mon_unit_name(mon_unit_of("used_memory")), "bytes");
    assert_string_equal(mon_unit_name(mon_unit_of("connected_clients")), "count");
    assert_string_equal(mon_unit_name(mon_unit_of("jemalloc.frag_ratio")), "ratio");
    assert_string_equal(mon_unit_name(mon_unit_of("memstats.dataset.percentage")), "percent");
}

/* A field carries its unit and kind from the moment it is added; a set
 * refilled in the same order (the sampler's case) keeps them, and a
 * different name at a position gets its own. */
static void fields_carry_units_across_refills(void **state)
{
    (void)state;
    mon_fields f = {0};
    mon_fields_add(&f, "used_memory", 11, 1);
    mon_fields_add(&f, "total_commands_processed", 24, 2);
    assert_int_equal(f.v[0].unit, MON_U_BYTES);
    assert_string_equal(f.v[0].unit_name, "bytes");
    assert_false(f.v[0].counter);
    assert_string_equal(f.v[1].unit_name, "count");
    assert_true(f.v[1].counter);
    const char *kept = f.v[0].name;
    mon_fields_clear(&f);
    assert_int_equal(f.n, 0);
    assert_null(mon_fields_get(&f, "used_memory"));
    mon_fields_add(&f, "used_memory", 11, 3);
    assert_ptr_equal(f.v[0].name, kept);
    mon_fields_add(&f, "mem_fragmentation_ratio", 23, 1.5);
    assert_string_equal(f.v[1].name, "mem_fragmentation_ratio");
    assert_string_equal(f.v[1].unit_name, "ratio");
    assert_false(f.v[1].counter);
    mon_fields_set(&f, "used_cpu_sys", 0.25);
    assert_int_equal(f.n, 3);
    assert_string_equal(f.v[2].unit_name, "seconds");
    assert_true(f.v[2].counter);
    assert_double_equal(*mon_fields_get(&f, "used_memory"), 3, 0);
    mon_fields_clear(&f);
    mon_fields_add(&f, "x", 1, 0); /* fewer fields than before: the rest stay owned */
    mon_fields_free(&f);
    assert_null(f.v);
}

static mon_sample sample(const char *node, const char *phase, uint64_t live)
{
    mon_sample s;
    memset(&s, 0, sizeof(s));
    s.wall_ms = 1795273449596ull;
    s.node = node;
    s.role = "master";
    s.labels = (mon_labels){"run-1", phase, phase, live, live, 0};
    return s;
}

static void prom_text_is_valid_exposition(void **state)
{
    (void)state;
    mon_sample s = sample("127.0.0.1:6379", "pre\"fill", 10);
    mon_fields_set(&s.fields, "used_memory", 1234567);
    mon_fields_set(&s.fields, "ft.idx.vec.size", 10);
    mon_fields_set(&s.fields, "ft.other.vec.size", 20);
    mon_fields_set(&s.fields, "used_memory_rss", 0.5);
    mon_fields_add(&s.fields, "used_memory", 11, 999); /* a duplicate: first one wins */
    prom_set set = {0};
    prom_set_add_sample(&set, &s);
    strbuf out = STRBUF_INIT;
    prom_set_render(&set, &out);
    const char *t = out.buf;
    assert_non_null(strstr(t, "# TYPE valkey_memstress_used_memory_bytes gauge\n"
                              "valkey_memstress_used_memory_bytes 1234567\n"));
    assert_null(strstr(t, " 999\n"));
    assert_non_null(strstr(t, "valkey_memstress_used_memory_rss_bytes 0.5\n"));
    /* one TYPE line for two series of one name */
    const char *ty = "# TYPE valkey_memstress_ft_attribute_size gauge\n";
    const char *a = strstr(t, ty);
    assert_non_null(a);
    assert_null(strstr(a + 1, ty));
    assert_non_null(
        strstr(t, "valkey_memstress_ft_attribute_size{index=\"idx\",attribute=\"vec\"} 10\n"));
    assert_non_null(
        strstr(t, "valkey_memstress_ft_attribute_size{index=\"other\",attribute=\"vec\"} 20\n"));
    assert_non_null(strstr(t, "# TYPE valkey_memstress_inserted_vectors_total counter\n"));
    assert_non_null(strstr(t, "valkey_memstress_live_vectors 10\n"));
    /* label values escaped */
    assert_non_null(strstr(t, "phase=\"pre\\\"fill\""));
    /* every line: "# TYPE name type" or "name[{...}] value" */
    strbuf copy = STRBUF_INIT;
    sb_addstr(&copy, t);
    for (char *line = strtok(copy.buf, "\n"); line; line = strtok(NULL, "\n")) {
        if (!strncmp(line, "# TYPE ", 7))
            continue;
        assert_int_equal(strncmp(line, "valkey_memstress_", 17), 0);
        char *sp = strrchr(line, ' ');
        assert_non_null(sp);
        char *end;
        strtod(sp + 1, &end);
        assert_int_equal(*end, '\0');
    }
    sb_release(&copy);
    prom_set_free(&set);
    sb_release(&out);
    mon_fields_free(&s.fields);
}

static void prom_histogram_and_group_path(void **state)
{
    (void)state;
    const double le[] = {0.001, 0.01};
    const uint64_t counts[] = {3, 7};
    prom_hist h = {"query_latency_seconds", "op=\"search\"", 2, le, counts, 0.05, 9};
    strbuf out = STRBUF_INIT;
    prom_render_hist(&out, &h);
    assert_string_equal(
        out.buf, "# TYPE valkey_memstress_query_latency_seconds histogram\n"
                 "valkey_memstress_query_latency_seconds_bucket{op=\"search\",le=\"0.001\"} 3\n"
                 "valkey_memstress_query_latency_seconds_bucket{op=\"search\",le=\"0.01\"} 7\n"
                 "valkey_memstress_query_latency_seconds_bucket{op=\"search\",le=\"+Inf\"} 9\n"
                 "valkey_memstress_query_latency_seconds_sum{op=\"search\"} 0.05\n"
                 "valkey_memstress_query_latency_seconds_count{op=\"search\"} 9\n");
    sb_reset(&out);
    prom_push_group_path(&out, "valkey_memstress", "20261121-1", "127.0.0.1:6379");
    assert_string_equal(out.buf,
                        "/metrics/job/valkey_memstress/run/20261121-1/instance/127.0.0.1:6379");
    sb_reset(&out);
    prom_push_group_path(&out, "j", "a/b", "[::1]:6379");
    /* base64url of "a/b" = YS9i, of "[::1]:6379" = Wzo6MV06NjM3OQ== */
    assert_string_equal(out.buf, "/metrics/job/j/run@base64/YS9i/instance@base64/Wzo6MV06NjM3OQ==");
    sb_release(&out);
}

static void prom_latency_from_engine_histogram(void **state)
{
    (void)state;
    hist *h = malloc(sizeof(hist));
    hist_init(h);
    for (int i = 0; i < 90; i++)
        hist_record(h, 200000); /* 0.2 ms */
    for (int i = 0; i < 10; i++)
        hist_record(h, 30000000); /* 30 ms */
    strbuf out = STRBUF_INIT;
    prom_render_latency(&out, "command_latency_seconds", "op=\"hset\"", h);
    const char *t = out.buf;
    assert_non_null(strstr(t, "# TYPE valkey_memstress_command_latency_seconds histogram\n"));
    assert_non_null(strstr(t, "_bucket{op=\"hset\",le=\"0.0001\"} 0\n"));
    assert_non_null(strstr(t, "_bucket{op=\"hset\",le=\"0.00025\"} 90\n"));
    assert_non_null(strstr(t, "_bucket{op=\"hset\",le=\"0.025\"} 90\n"));
    assert_non_null(strstr(t, "_bucket{op=\"hset\",le=\"0.05\"} 100\n"));
    assert_non_null(strstr(t, "_bucket{op=\"hset\",le=\"+Inf\"} 100\n"));
    assert_non_null(strstr(t, "_sum{op=\"hset\"} 0.318\n"));
    assert_non_null(strstr(t, "_count{op=\"hset\"} 100\n"));
    sb_release(&out);
    free(h);
}

static char *tmp_path(const char *name)
{
    static char dir[256];
    if (!dir[0]) {
        snprintf(dir, sizeof(dir), "/tmp/vm-test-export.XXXXXX");
        assert_non_null(mkdtemp(dir));
    }
    char *p = malloc(512);
    snprintf(p, 512, "%s/%s", dir, name);
    return p;
}

static int count_cells(const char *line)
{
    int n = 1;
    bool q = false;
    for (; *line && *line != '\n'; line++) {
        if (*line == '"')
            q = !q;
        else if (*line == ',' && !q)
            n++;
    }
    return n;
}

static void csv_files_have_whole_rows_and_units(void **state)
{
    (void)state;
    char *wide_p = tmp_path("memory.csv"), *long_p = tmp_path("memory_long.csv");
    csv_wide w;
    csv_long l;
    vm_err err = {0};
    assert_int_equal(csv_wide_open(&w, wide_p, &err), 0);
    assert_int_equal(csv_long_open(&l, long_p, &err), 0);
    mon_sample s = sample("node,with\"odd", "prefill", 5);
    mon_fields_set(&s.fields, "used_memory", 1000);
    mon_fields_set(&s.fields, "mem_fragmentation_ratio", 1.25);
    mon_fields_set(&s.fields, "memstats.db.0.overhead.hashtable.main", 744);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(csv_wide_write(&w, &s, &err), 0);
        assert_int_equal(csv_long_write(&l, &s, &err), 0);
    }
    csv_wide_close(&w);
    csv_long_close(&l);
    char *wide = tr_slurp(wide_p, NULL), *lng = tr_slurp(long_p, NULL);
    /* header: the label columns first, then used_memory */
    static const char head[] = "time_iso,time_unix_ms,run_id,node,step,phase,live_vectors,"
                               "inserted_total,deleted_total,role,used_memory,";
    assert_int_equal(strncmp(wide, head, sizeof(head) - 1), 0);
    int ncol = count_cells(wide);
    int rows = 0;
    for (char *p = wide; *p; p = strchr(p, '\n') + 1, rows++)
        assert_int_equal(count_cells(p), ncol);
    assert_int_equal(rows, 4);
    assert_non_null(strstr(wide, ",\"node,with\"\"odd\",prefill,prefill,5,5,0,master,1000,"));
    assert_non_null(strstr(wide, ",1.25,"));
    /* long: 3 tool rows + 3 fields per sample */
    rows = 0;
    for (char *p = lng; *p; p = strchr(p, '\n') + 1, rows++)
        assert_int_equal(count_cells(p), 6);
    assert_int_equal(rows, 1 + 3 * 6);
    assert_non_null(strstr(lng, ",memstats.db.0.overhead.hashtable.main,744,bytes\n"));
    assert_non_null(strstr(lng, ",tool.live_vectors,5,count\n"));
    /* units sidecar */
    char *units_p = csv_wide_units_path(wide_p);
    assert_non_null(strstr(units_p, "memory.units.csv"));
    char *units = tr_slurp(units_p, NULL);
    assert_non_null(units);
    assert_non_null(strstr(units, "\nused_memory,bytes,"));
    assert_non_null(strstr(units, "\nmem_fragmentation_ratio,ratio,"));
    assert_non_null(strstr(units, "\ntime_unix_ms,unix_milliseconds,"));
    unlink(units_p);
    unlink(wide_p);
    unlink(long_p);
    free(units);
    free(units_p);
    free(wide);
    free(lng);
    free(wide_p);
    free(long_p);
    mon_fields_free(&s.fields);
}

/* A resumed run appends: the rows before stay, the header is not written
 * again, a row cut by a crash is ended first; another header is refused. */
static void csv_append_keeps_rows(void **state)
{
    (void)state;
    char *p = tmp_path("append.csv");
    vm_err err = {0};
    int fd;
    assert_int_equal(csv_open_append(p, "a,b\n", &fd, &err), 0);
    assert_int_equal(csv_write_whole(fd, "1,2\n3,", 6, p, &err), 0); /* a cut row */
    close(fd);
    assert_int_equal(csv_open_append(p, "a,b\n", &fd, &err), 0);
    assert_int_equal(csv_write_whole(fd, "5,6\n", 4, p, &err), 0);
    close(fd);
    char buf[64] = {0};
    FILE *f = fopen(p, "r");
    assert_non_null(f);
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    assert_int_equal(n, strlen("a,b\n1,2\n3,\n5,6\n"));
    assert_string_equal(buf, "a,b\n1,2\n3,\n5,6\n");
    assert_int_equal(csv_open_append(p, "x,y,z\n", &fd, &err), -1);
    assert_int_equal(fd, -1);
    assert_non_null(strstr(err.msg, "other columns"));
    free(p);
}

static void derive_unreturned_after_shrink(void **state)
{
    (void)state;
    mon_derive d = {0};
    mon_fields f = {0};
    /* grow: 0..1000 vectors, used_memory = 1e6 + 2000 per vector */
    for (int live = 0; live <= 1000; live += 100) {
        mon_fields_clear(&f);
        mon_fields_set(&f, "used_memory", 1e6 + 2000.0 * live);
        mon_fields_set(&f, "used_memory_startup", 1e6);
        mon_fields_set(&f, "search_used_memory_bytes", 1000.0 * live);
        mon_derive_apply(&d, live, &f);
        assert_double_equal(*mon_fields_get(&f, "derived.unreturned_bytes"), 0, 0);
    }
    assert_double_equal(*mon_fields_get(&f, "derived.used_memory_per_vector_bytes"), 2000, 1e-9);
    assert_double_equal(*mon_fields_get(&f, "derived.search_memory_per_vector_bytes"), 1000, 1e-9);
    /* shrink to 450: only 500 bytes per deleted vector come back */
    mon_fields_clear(&f);
    mon_fields_set(&f, "used_memory", 1e6 + 2000.0 * 1000 - 500.0 * 550);
    mon_fields_set(&f, "search_used_memory_bytes", 1000.0 * 1000);
    mon_derive_apply(&d, 450, &f);
    /* on the way up, 450 vectors held 1e6 + 900000 */
    assert_double_equal(*mon_fields_get(&f, "derived.unreturned_bytes"),
                        (2000.0 * 1000 - 500.0 * 550) - 2000.0 * 450, 1e-6);
    assert_double_equal(*mon_fields_get(&f, "derived.search_unreturned_bytes"),
                        1000.0 * 1000 - 1000.0 * 450, 1e-6);
    assert_double_equal(mon_curve_at(&d.used, 450), 1e6 + 900000, 1e-6);
    assert_true(mon_curve_at(&d.used, -1) < 0);
    mon_fields_free(&f);
    mon_derive_free(&d);
}

/* The value at a path of keys and array indexes ("phases/0/memory"); NULL
 * for a JSON null or a missing key (jhas tells them apart). */
static json_object *jwalk(json_object *o, const char *path, bool *found)
{
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", path);
    *found = true;
    for (char *save = NULL, *k = strtok_r(buf, "/", &save); k; k = strtok_r(NULL, "/", &save)) {
        json_object *next = NULL;
        if (json_object_is_type(o, json_type_array))
            next = json_object_array_get_idx(o, (size_t)atoi(k));
        else if (!json_object_object_get_ex(o, k, &next))
            *found = false;
        if (!*found)
            return NULL;
        o = next;
    }
    return o;
}

static json_object *jget(json_object *o, const char *path)
{
    bool found;
    return jwalk(o, path, &found);
}

static bool jhas(json_object *o, const char *path)
{
    bool found;
    jwalk(o, path, &found);
    return found;
}

static const char *jget_str(json_object *o, const char *path)
{
    json_object *v = jget(o, path);
    if (!json_object_is_type(v, json_type_string))
        fail_msg("%s is not a string", path);
    return json_object_get_string(v);
}

static int64_t jget_int(json_object *o, const char *path)
{
    json_object *v = jget(o, path);
    if (!json_object_is_type(v, json_type_int))
        fail_msg("%s is not an integer", path);
    return json_object_get_int64(v);
}

static void summary_json_per_phase_and_node(void **state)
{
    (void)state;
    sum_run *s = sum_open("run-1", "default", "siftsmall");
    mon_sample b = sample("n1:1", "baseline", 0);
    mon_fields_set(&b.fields, "used_memory", 1000);
    sum_sink(s, &b, NULL);
    sum_phase_begin(s, "prefill", "prefill");
    mon_sample p = sample("n1:1", "prefill", 10);
    mon_fields_set(&p.fields, "used_memory", 5000);
    mon_fields_set(&p.fields, "derived.used_memory_per_vector_bytes", 400);
    sum_sink(s, &p, NULL);
    mon_fields_set(&p.fields, "used_memory", 4000);
    sum_sink(s, &p, NULL);
    mon_sample q = sample("n2:2", "prefill", 10);
    mon_fields_set(&q.fields, "used_memory", 7000);
    sum_sink(s, &q, NULL);
    sum_phase_stats st = {.operations = 12, .errors = 2, .vectors = 10, .live_vectors_end = 10};
    st.recall = (sum_recall){true, 10, 100, 0.95, 0.5, 0.7, 1.0, "distance <= kth + eps"};
    sum_phase_end(s, &st);
    char *j = sum_render(s);
    json_object *o = json_tokener_parse(j);
    assert_non_null(o);
    /* phases[0] is prefill (baseline is a window), with its counts and memory */
    assert_string_equal(jget_str(o, "phases/0/phase"), "prefill");
    assert_int_equal(json_object_array_length(jget(o, "phases")), 1);
    assert_int_equal(jget_int(o, "phases/0/operations"), 12);
    assert_int_equal(jget_int(o, "phases/0/errors"), 2);
    assert_int_equal(jget_int(o, "phases/0/vectors"), 10);
    assert_int_equal(jget_int(o, "phases/0/recall/k"), 10);
    assert_int_equal(jget_int(o, "phases/0/recall/queries"), 100);
    assert_double_equal(json_object_get_double(jget(o, "phases/0/recall/mean")), 0.95, 0);
    assert_string_equal(jget_str(o, "phases/0/recall/rule"), "distance <= kth + eps");
    assert_int_equal(jget_int(o, "phases/0/memory/n1:1/used_memory_bytes/start"), 5000);
    assert_int_equal(jget_int(o, "phases/0/memory/n1:1/used_memory_bytes/end"), 4000);
    assert_int_equal(jget_int(o, "phases/0/memory/n1:1/used_memory_bytes/peak"), 5000);
    assert_string_equal(jget_str(o, "windows/0/phase"), "baseline");
    /* the whole run, summed over nodes: start 1000 + 7000, end 4000 + 7000 */
    assert_int_equal(jget_int(o, "used_memory_bytes/start"), 8000);
    assert_int_equal(jget_int(o, "used_memory_bytes/end"), 11000);
    assert_int_equal(jget_int(o, "used_memory_bytes/peak"), 12000);
    /* whole numbers are integers in the text, never measured is null */
    assert_true(json_object_is_type(jget(o, "bytes_per_vector"), json_type_int));
    assert_int_equal(jget_int(o, "bytes_per_vector"), 300);
    assert_true(jhas(o, "bytes_per_live_vector/search") &&
                !jget(o, "bytes_per_live_vector/search"));
    assert_false(jhas(o, "push"));
    double a, e, pk;
    long n;
    sum_used_memory(s, &a, &e, &pk, &n);
    assert_double_equal(e, 11000, 0);
    assert_int_equal(n, 4);
    /* no "server" until told; then what was measured, null for no module */
    assert_false(jhas(o, "server"));
    json_object_put(o);
    free(j);
    sum_set_server(s, "redis", "7.0.15", NULL);
    sum_set_push(s, 3, 1, 0);
    j = sum_render(s);
    o = json_tokener_parse(j);
    assert_string_equal(jget_str(o, "server/software"), "redis");
    assert_string_equal(jget_str(o, "server/version"), "7.0.15");
    assert_true(jhas(o, "server/search_module") && !jget(o, "server/search_module"));
    assert_int_equal(jget_int(o, "push/pushes"), 3);
    json_object_put(o);
    free(j);
    sum_set_server(s, "valkey", "8.1.1", "1.0.3");
    j = sum_render(s);
    o = json_tokener_parse(j);
    assert_string_equal(jget_str(o, "server/version"), "8.1.1");
    assert_string_equal(jget_str(o, "server/search_module"), "1.0.3");
    json_object_put(o);
    free(j);
    sum_free(s);
    mon_fields_free(&b.fields);
    mon_fields_free(&p.fields);
    mon_fields_free(&q.fields);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(prom_names_carry_units),
        cmocka_unit_test(fields_carry_units_across_refills),
        cmocka_unit_test(prom_text_is_valid_exposition),
        cmocka_unit_test(prom_histogram_and_group_path),
        cmocka_unit_test(prom_latency_from_engine_histogram),
        cmocka_unit_test(csv_files_have_whole_rows_and_units),
        cmocka_unit_test(csv_append_keeps_rows),
        cmocka_unit_test(derive_unreturned_after_shrink),
        cmocka_unit_test(summary_json_per_phase_and_node),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
