/* test_plan: the capacity plan (src/model/mdl_plan.h) — the shard count of
 * the issue's example against a hand computation, its monotony in vectors,
 * the headroom formula, loaders and hours, the errors naming the parameter,
 * and the rates read from a summary.json the tool's own writer
 * (export/sum_json.h) produced. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <json-c/json.h>
#include <math.h>
#include <stdlib.h>

#include "export/sum_json.h"
#include "export/sum_run.h"
#include "model/mdl_plan.h"
#include "util/parse.h"

#define assert_near(a, b, eps) assert_true(fabs((double)(a) - (double)(b)) <= (eps))

static const double GiB = 1073741824.0;

static void plan_issue_example(mdl_plan_conf *c)
{
    mdl_plan_defaults(c);
    c->p.dim = 128;
    c->p.m = 16;
    c->vectors = 1000000000;
    c->node_bytes = 64ull << 30;
}

/* 1e9 x 128 HNSW M 16 on 64 GiB, release 1.2, by hand:
 *   headroom = 1 - 0.95 / (1.10 x 1.20) = 0.28030; usable = 64 GiB x
 *   0.71970 = 49.457e9 B;
 *   a shard of ~26-27M vectors (the hash maps at capacity 2^25 - 1, from
 *   16.8M to 29.4M keys) costs per vector: vectors 534.8 (520-byte slots,
 *   78 per 40 KiB chunk + 752 B), handles 16, level 0 153.6 (152 B, chunks),
 *   upper 5.33, per-slot 59.6, label map 47.3, tracked 25.5, key->id 35.7,
 *   id->key 25.5, keys 32, intern table 25.5, schema maps 102.7 (hash maps:
 *   33,554,431 slots x their bytes / 26.3M) and the hash 810:
 *   ~1873.7 B;
 *   1e9 x 1873.7 / 49.457e9 = 37.89 -> 38 shards (26,315,790 vectors each,
 *   49.31e9 B); 37 would hold 27,027,028 each: ~1862 B x 27.0M = 50.3e9 B,
 *   more than usable. */
static void issue_example_needs_38_shards(void **state)
{
    (void)state;
    mdl_plan_conf c;
    mdl_plan pl;
    vm_err err = {0};
    plan_issue_example(&c);
    assert_int_equal(mdl_plan_compute(&c, &pl, &err), 0);
    assert_near(pl.headroom, 1 - 0.95 / (1.10 * 1.20), 1e-12);
    assert_near(pl.usable_bytes, 64 * GiB * 0.95 / 1.32, 1);
    assert_int_equal(pl.shards, 38);
    assert_int_equal(pl.shard_vectors, 26315790);
    assert_true(fabs(pl.bytes_per_vector - 1873.7) < 1.0);
    /* the brief's formula with the hand figure agrees */
    assert_int_equal((uint64_t)ceil(1e9 * 1873.7 / (64 * GiB * 0.95 / 1.32)), pl.shards);
    assert_true(pl.shard_bytes <= pl.usable_bytes);
    /* one shard fewer does not fit: the model for 27,027,028 vectors */
    mdl_params p = c.p;
    p.live = (1000000000ull + 36) / 37;
    mdl_prediction pr;
    assert_int_equal(mdl_predict(&p, &pr, &err), 0);
    assert_true(c.base_bytes + pr.module_bytes + pr.keyspace_bytes > pl.usable_bytes);
    /* hours at 3000 vectors/s per shard, 38 shards at once */
    assert_near(pl.ingest_rate, 3000.0 * 38, 1e-6);
    assert_near(pl.hours, 1e9 / (3000.0 * 38) / 3600, 1e-9);
    assert_false(pl.loader_bound);
    /* 114,000/s is under half of one loader's 500,000/s, but the base as
     * float32 is 512 GB: eight loaders of at most 64 GiB each */
    assert_int_equal(pl.loaders, 8);
    assert_true(1e9 * 128 * 4.0 / 8 <= 64.0 * 1024 * 1024 * 1024);
    assert_true(1e9 * 128 * 4.0 / 7 > 64.0 * 1024 * 1024 * 1024);
}

static void shards_grow_with_vectors(void **state)
{
    (void)state;
    mdl_plan_conf c;
    mdl_plan pl;
    vm_err err = {0};
    plan_issue_example(&c);
    uint64_t last = 0;
    for (uint64_t v = 1000000; v <= 4000000000ull; v = v * 3 / 2) {
        c.vectors = v;
        assert_int_equal(mdl_plan_compute(&c, &pl, &err), 0);
        assert_true(pl.shards >= last);
        assert_true(pl.shard_bytes <= pl.usable_bytes);
        assert_true(pl.hours > 0);
        last = pl.shards;
    }
    assert_true(last > 100);
    /* --expand 9 is ten times the vectors; a replica doubles nodes, not shards */
    c.vectors = 100000000;
    c.expand = 9;
    c.replicas = 1;
    assert_int_equal(mdl_plan_compute(&c, &pl, &err), 0);
    assert_int_equal(pl.total_vectors, 1000000000ull);
    assert_int_equal(pl.shards, 38);
    assert_int_equal(pl.nodes, 76);
    /* more headroom, more shards; 1.0's layout (shared_ptr interning) costs more */
    c.headroom = 0.5;
    mdl_plan more;
    assert_int_equal(mdl_plan_compute(&c, &more, &err), 0);
    assert_true(more.shards > pl.shards);
    c.headroom = -1;
    c.p.release = MDL_REL_1_0;
    assert_int_equal(mdl_plan_compute(&c, &more, &err), 0);
    assert_true(more.shards >= pl.shards);
    assert_true(more.bytes_per_vector > pl.bytes_per_vector);
}

static void loaders_bound_the_rate_when_given(void **state)
{
    (void)state;
    mdl_plan_conf c;
    mdl_plan pl;
    vm_err err = {0};
    plan_issue_example(&c);
    c.rate_per_shard = 50000; /* 38 x 50k = 1.9M/s: 8 loaders at half a core each */
    assert_int_equal(mdl_plan_compute(&c, &pl, &err), 0);
    assert_int_equal(pl.loaders, 8);
    assert_false(pl.loader_bound);
    c.loaders = 2; /* 2 x 500k = 1M/s < 1.9M/s */
    assert_int_equal(mdl_plan_compute(&c, &pl, &err), 0);
    assert_true(pl.loader_bound);
    assert_near(pl.ingest_rate, 1e6, 1e-6);
    assert_near(pl.hours, 1e9 / 1e6 / 3600, 1e-9);
}

static void errors_name_the_parameter(void **state)
{
    (void)state;
    mdl_plan_conf c;
    mdl_plan pl;
    vm_err err = {0};
    plan_issue_example(&c);
    c.node_bytes = 4 << 20; /* less than the base: server, module, empty index */
    assert_int_equal(mdl_plan_compute(&c, &pl, &err), -1);
    assert_string_equal(err.param, "node_memory");
    assert_non_null(strstr(err.msg, "base"));
    plan_issue_example(&c);
    c.vectors = 0;
    assert_int_equal(mdl_plan_compute(&c, &pl, &err), -1);
    assert_string_equal(err.param, "vectors");
    plan_issue_example(&c);
    c.headroom = 1.0;
    assert_int_equal(mdl_plan_compute(&c, &pl, &err), -1);
    assert_string_equal(err.param, "headroom");
    plan_issue_example(&c);
    c.rate_per_shard = 0;
    assert_int_equal(mdl_plan_compute(&c, &pl, &err), -1);
    assert_string_equal(err.param, "rate");
    mdl_run_rates rr;
    assert_int_equal(mdl_plan_read_run("{\"run_id\": 1}", &rr, &err), -1);
    assert_string_equal(err.param, "from");
    assert_int_equal(mdl_plan_read_run("{\"phases\": []}", &rr, &err), -1);
    assert_string_equal(err.param, "from");
}

static void sizes_and_counts_parse(void **state)
{
    (void)state;
    uint64_t v;
    vm_err err = {0};
    assert_int_equal(parse_size("64GiB", &v, &err), 0);
    assert_int_equal(v, 64ull << 30);
    assert_int_equal(parse_size("64G", &v, &err), 0);
    assert_int_equal(v, 64ull << 30);
    assert_int_equal(parse_size("64gb", &v, &err), 0);
    assert_int_equal(v, 64000000000ull);
    assert_int_equal(parse_size("1.5TiB", &v, &err), 0);
    assert_int_equal(v, 3ull << 39);
    assert_int_equal(parse_size("4096", &v, &err), 0);
    assert_int_equal(v, 4096);
    assert_int_equal(parse_size("64Gx", &v, &err), -1);
    assert_int_equal(parse_size("-1G", &v, &err), -1);
    assert_int_equal(parse_count("1e9", &v, &err), 0);
    assert_int_equal(v, 1000000000ull);
    assert_int_equal(parse_count("1000000000", &v, &err), 0);
    assert_int_equal(v, 1000000000ull);
    assert_int_equal(parse_count("10M", &v, &err), 0);
    assert_int_equal(v, 10000000ull);
    assert_int_equal(parse_count("2.5e6", &v, &err), 0);
    assert_int_equal(v, 2500000ull);
    assert_int_equal(parse_count("1.5", &v, &err), -1);
    assert_int_equal(parse_count("-1e9", &v, &err), -1);
}

static mon_sample sample(const char *node, const char *role, const char *phase, double frag)
{
    mon_sample s;
    memset(&s, 0, sizeof(s));
    s.wall_ms = 1795273449596ull;
    s.node = node;
    s.role = role;
    s.labels = (mon_labels){"run-1", phase, phase, 0, 0, 0};
    mon_fields_set(&s.fields, "used_memory", 1000000);
    mon_fields_set(&s.fields, "allocator_frag_ratio", frag);
    return s;
}

/* a summary.json rendered by sum_json for a prefill over two masters and
 * a replica: the rate is vectors / seconds / 2 */
static void reads_a_run_summary(void **state)
{
    (void)state;
    sum_run *s = sum_open("run-1", "default", "gen");
    sum_phase_begin(s, "prefill", "1:prefill");
    mon_sample a = sample("a:1", "master", "prefill", 1.04);
    mon_sample b = sample("b:2", "master", "prefill", 1.12);
    mon_sample r = sample("c:3", "replica", "prefill", 1.30);
    sum_sink(s, &a, NULL);
    sum_sink(s, &b, NULL);
    sum_sink(s, &r, NULL);
    struct timespec ts = {0, 30 * 1000000};
    nanosleep(&ts, NULL);
    sum_phase_stats st = {.operations = 60000, .vectors = 60000, .client_cpu_s = 0.12};
    sum_phase_end(s, &st);
    sum_phase_begin(s, "query", "2:query");
    sum_phase_stats q = {.operations = 500, .vectors = 0, .client_cpu_s = 0.5};
    sum_phase_end(s, &q);
    char *text = sum_render(s);
    json_object *o = json_tokener_parse(text);
    json_object *ph = json_object_array_get_idx(json_object_object_get(o, "phases"), 0);
    double seconds = json_object_get_double(json_object_object_get(ph, "seconds"));
    assert_true(seconds >= 0.03);

    mdl_run_rates rr;
    vm_err err = {0};
    assert_int_equal(mdl_plan_read_run(text, &rr, &err), 0);
    assert_int_equal(rr.vectors, 60000);
    assert_int_equal(rr.masters, 2);
    assert_near(rr.seconds, seconds, 1e-9);
    assert_near(rr.rate_per_shard, 60000 / seconds / 2, 1e-6);
    assert_near(rr.loader_rate, 60000 / 0.12, 1e-6);
    assert_near(rr.fragmentation, 1.30, 1e-9); /* the highest node's */
    json_object_put(o);
    free(text);
    mon_fields_free(&a.fields);
    mon_fields_free(&b.fields);
    mon_fields_free(&r.fields);
    sum_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(issue_example_needs_38_shards),
        cmocka_unit_test(shards_grow_with_vectors),
        cmocka_unit_test(loaders_bound_the_rate_when_given),
        cmocka_unit_test(errors_name_the_parameter),
        cmocka_unit_test(sizes_and_counts_parse),
        cmocka_unit_test(reads_a_run_summary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
