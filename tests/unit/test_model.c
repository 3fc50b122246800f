/* test_model: the valkey-search memory model (src/model/) against the
 * figures measured on real valkey-search 1.0.3 in the reference transcripts
 * ($VM_REFERENCE/valkey-search-1.0.3/05-bench-100k-hnsw-*.txt: 100k x 128-d
 * FLOAT32, HNSW M 16, INITIAL_CAP 10240; insert, delete 50 %, reinsert 50k
 * new keys), and the allocator / container rules it is built from.
 *
 * Tolerance: 1 % of the module total, 1 % of the bytes per vector.  What
 * the model cannot know moves the total by less than that: the number of
 * visited lists (one per thread that searched at once: 229 KB each at
 * 102400 slots, 0.2 %), insertion-order effects on the hash tables' growth,
 * and the few KB of query and thread-pool state.  The keyspace part is an
 * estimate (+-10 % per key, see mdl_vs.h); used_memory is checked to 2 %. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/mdl_alloc.h"
#include "model/mdl_vs.h"

/* One SNAPSHOT line of a 05-bench transcript. */
typedef struct snap {
    char phase[64];
    double used_memory, search_bytes, dbsize, capacity;
} snap;

static double field(const char *line, const char *name)
{
    char key[80];
    snprintf(key, sizeof(key), " %s=", name);
    const char *p = strstr(line, key);
    return p ? strtod(p + strlen(key), NULL) : -1;
}

/* Read the SNAPSHOT lines of a transcript; returns how many. */
static int read_snaps(const char *file, snap *out, int max)
{
    const char *ref = getenv("VM_REFERENCE");
    char path[1024];
    snprintf(path, sizeof(path), "%s/valkey-search-1.0.3/%s", ref ? ref : "../shared/reference",
             file);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char line[4096];
    int n = 0;
    while (n < max && fgets(line, sizeof(line), f)) {
        if (strncmp(line, "SNAPSHOT phase=", 15))
            continue;
        sscanf(line + 15, "%63s", out[n].phase);
        out[n].used_memory = field(line, "used_memory");
        out[n].search_bytes = field(line, "search_used_memory_bytes");
        out[n].dbsize = field(line, "dbsize");
        out[n].capacity = field(line, "vec_capacity");
        n++;
    }
    fclose(f);
    return n;
}

static const snap *find(const snap *s, int n, const char *phase)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(s[i].phase, phase))
            return &s[i];
    return NULL;
}

static mdl_prediction predict_release(mdl_release rel, uint32_t key_bytes, uint64_t live,
                                      uint64_t deleted, uint64_t peak)
{
    mdl_params p;
    mdl_params_defaults(&p);
    p.release = rel;
    if (key_bytes)
        p.key_bytes = key_bytes;
    p.dim = 128;
    p.live = live;
    p.deleted = deleted;
    p.peak_live = peak;
    mdl_prediction pr;
    vm_err err = {0};
    assert_int_equal(mdl_predict(&p, &pr, &err), 0);
    return pr;
}

/* the 05-bench transcripts are of 1.0.3 */
static mdl_prediction predict(uint64_t live, uint64_t deleted, uint64_t peak)
{
    return predict_release(MDL_REL_1_0, 0, live, deleted, peak);
}

static void assert_within(double got, double want, double tol, const char *what)
{
    double rel = (got - want) / want;
    if (rel > tol || rel < -tol)
        fail_msg("%s: predicted %.0f, measured %.0f (%+.2f %%, tolerance %.1f %%)", what, got, want,
                 rel * 100, tol * 100);
}

static void check_transcript(const char *file)
{
    snap s[16];
    int n = read_snaps(file, s, 16);
    if (n < 0) {
        print_message("reference %s not found: skipped\n", file);
        skip();
    }
    const snap *empty = find(s, n, "empty"), *created = find(s, n, "after_create"),
               *ins = find(s, n, "after_insert"), *del = find(s, n, "after_del_50000");
    assert_non_null(empty);
    assert_non_null(created);
    assert_non_null(ins);
    assert_non_null(del);
    /* the module's own footprint before any index */
    double idle = empty->search_bytes;

    mdl_prediction p0 = predict(0, 0, 0);
    assert_within(p0.module_bytes + idle, created->search_bytes, 0.01, "after FT.CREATE");
    assert_int_equal(p0.capacity, (uint64_t)created->capacity);

    mdl_prediction p1 = predict(100000, 0, 0);
    assert_within(p1.module_bytes + idle, ins->search_bytes, 0.01, "after 100k inserts");
    assert_int_equal(p1.capacity, (uint64_t)ins->capacity);
    double per_vec = (p1.module_bytes - p0.module_bytes) / 1e5;
    double per_vec_meas = (ins->search_bytes - created->search_bytes) / 1e5;
    assert_within(per_vec, per_vec_meas, 0.01, "module bytes per vector");
    /* the README's figure: ~1,137 B per vector in the module */
    assert_true(per_vec > 1100 && per_vec < 1180);

    /* deleting half frees almost nothing: only the key strings */
    mdl_prediction p2 = predict(50000, 50000, 100000);
    double freed = p1.module_bytes - p2.module_bytes,
           freed_meas = ins->search_bytes - del->search_bytes;
    assert_within(freed, freed_meas, 0.02, "module bytes freed by deleting 50k");
    assert_int_equal(p2.capacity, (uint64_t)del->capacity);

    /* used_memory = the server before the index + module + keyspace */
    double used = empty->used_memory - idle + p1.module_bytes + idle + p1.keyspace_bytes;
    assert_within(used, ins->used_memory, 0.02, "used_memory after 100k inserts");
    double key_freed = (ins->used_memory - del->used_memory - freed_meas) / 50000;
    double key_model = p1.keyspace_bytes / 100000;
    assert_within(key_model, key_freed, 0.10, "keyspace bytes per hash");

    const snap *re = find(s, n, "after_reinsert_50000_new");
    if (re) { /* only the 1-connection transcript has it */
        mdl_prediction p3 = predict(100000, 50000, 100000);
        assert_within(p3.module_bytes + idle, re->search_bytes, 0.01, "after reinserting 50k");
        assert_int_equal(p3.capacity, (uint64_t)re->capacity);
    }
}

static void test_reference_1conn(void **state)
{
    (void)state;
    check_transcript("05-bench-100k-hnsw-1conn.txt");
}

static void test_reference_4conn(void **state)
{
    (void)state;
    check_transcript("05-bench-100k-hnsw-4conn.txt");
}

/* valkey-search 1.2.1 (02-deletes-reclaimable.txt): 10,000 siftsmall
 * vectors under keys vec:<id> (8 bytes for most), 5,000 deleted, the same
 * 5,000 re-inserted.  INFO SEARCH's search_used_memory_bytes and
 * search_index_reclaimable_memory and FT.INFO's capacity, in that order,
 * once per phase. */
static void test_reference_1_2(void **state)
{
    (void)state;
    const char *ref = getenv("VM_REFERENCE");
    char path[1024];
    snprintf(path, sizeof(path), "%s/valkey-search-1.2.1/02-deletes-reclaimable.txt",
             ref ? ref : "../shared/reference");
    FILE *f = fopen(path, "r");
    if (!f) {
        print_message("reference %s not found: skipped\n", path);
        skip();
    }
    double used[3] = {0}, reclaim[3] = {0}, cap[3] = {0};
    int nu = 0, nr = 0, nc = 0;
    char line[4096];
    bool cap_next = false;
    while (fgets(line, sizeof(line), f)) {
        if (!strncmp(line, "search_used_memory_bytes:", 25) && nu < 3)
            used[nu++] = strtod(line + 25, NULL);
        else if (!strncmp(line, "search_index_reclaimable_memory:", 32) && nr < 3)
            reclaim[nr++] = strtod(line + 32, NULL);
        else if (cap_next && nc < 3)
            cap[nc++] = strtod(strstr(line, "(integer)") + 9, NULL);
        cap_next = strstr(line, ") capacity") != NULL;
    }
    fclose(f);
    assert_int_equal(nu, 3);
    assert_int_equal(nr, 3);
    assert_int_equal(nc, 3);
    const struct {
        uint64_t live, deleted, peak;
        const char *what;
    } phase[3] = {{10000, 0, 0, "10,000 vectors"},
                  {5000, 5000, 10000, "5,000 deleted"},
                  {10000, 5000, 10000, "the 5,000 re-inserted"}};
    /* the module before any index: INFO SEARCH on a fresh 1.2.1 server */
    const double idle = 55416;
    for (int i = 0; i < 3; i++) {
        mdl_prediction pr =
            predict_release(MDL_REL_1_2, 8, phase[i].live, phase[i].deleted, phase[i].peak);
        assert_within(pr.module_bytes + idle, used[i], 0.01, phase[i].what);
        assert_int_equal(pr.capacity, (uint64_t)cap[i]);
        assert_true(pr.reclaimable_bytes == reclaim[i]);
        /* the 1.0 layout does not explain 1.2.1 to 1 % */
        mdl_prediction old =
            predict_release(MDL_REL_1_0, 8, phase[i].live, phase[i].deleted, phase[i].peak);
        double rel = (old.module_bytes + idle - used[i]) / used[i];
        assert_true(rel > 0.01 || rel < -0.01);
    }
}

static void test_release_names(void **state)
{
    (void)state;
    mdl_release r;
    vm_err err = {0};
    assert_int_equal(mdl_parse_release("1.2", &r, &err), 0);
    assert_int_equal(r, MDL_REL_1_2);
    assert_int_equal(mdl_parse_release("1.0.3", &r, &err), 0);
    assert_int_equal(r, MDL_REL_1_0);
    assert_int_equal(mdl_parse_release("1.1.1", &r, &err), 0);
    assert_int_equal(r, MDL_REL_1_0); /* 1.1 kept 1.0's interning and record */
    assert_int_equal(mdl_parse_release("1.2.1", &r, &err), 0);
    assert_int_equal(r, MDL_REL_1_2);
    assert_int_equal(mdl_parse_release("latest", &r, &err), -1);
    assert_non_null(strstr(err.msg, "'latest'"));
    assert_int_equal(mdl_parse_release("1.2x", &r, &err), -1);
    assert_string_equal(mdl_release_name(MDL_REL_1_2), "1.2");
}

static void test_je_classes(void **state)
{
    (void)state;
    /* jemalloc's documented size classes */
    const uint64_t cases[][2] = {
        {1, 8},
        {9, 16},
        {17, 32},
        {100, 112},
        {129, 160},
        {160, 160},
        {161, 192},
        {257, 320},
        {518, 640},
        {1025, 1280},
        {14337, 16384},
        {40560, 40960},
        {81920, 81920},
        {409600, 458752},
        {1515520, 1572864},
        {2621440, 2621440},
        {4096000, 4194304},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        assert_int_equal(mdl_je_class(cases[i][0]), cases[i][1]);
    /* the module rounds requests up to 16 first */
    assert_int_equal(mdl_module_alloc(24), 32);
    assert_int_equal(mdl_module_alloc(69), 80);
    assert_int_equal(mdl_module_alloc(0), 0);
}

static void test_containers(void **state)
{
    (void)state;
    assert_int_equal(mdl_absl_capacity(0), 0);
    assert_int_equal(mdl_absl_capacity(1), 1);
    assert_int_equal(mdl_absl_capacity(7), 7);
    assert_int_equal(mdl_absl_capacity(8), 15);
    assert_int_equal(mdl_absl_capacity(100000), 131071);
    assert_int_equal(mdl_absl_capacity(114688), 131071);
    assert_int_equal(mdl_absl_capacity(114689), 262143);
    assert_int_equal(mdl_stdmap_buckets(13), 13);
    assert_int_equal(mdl_stdmap_buckets(14), 29);
    assert_int_equal(mdl_stdmap_buckets(100000), 172933);
    assert_true(mdl_stdmap_buckets(1000000000) >= 1000000000);
    /* std::vector<int> element_levels_ grown by 10240-slot blocks */
    assert_int_equal(mdl_vector_capacity(10240, 102400, 10240), 163840);
    assert_int_equal(mdl_vector_capacity(10240, 10240, 10240), 10240);
    /* as measured on std::vector<int>::resize in 10240 steps */
    assert_int_equal(mdl_vector_capacity(10240, 30720, 10240), 40960);
    assert_int_equal(mdl_vector_capacity(10240, 51200, 10240), 81920);
    assert_int_equal(mdl_vector_capacity(10240, 174080, 10240), 327680);
    assert_int_equal(mdl_vector_capacity(10240, 665600, 10240), 1310720);
    /* a billion-slot index is computed at once, not step by step */
    assert_true(mdl_vector_capacity(10240, 1000000000ull, 10240) >= 1000000000ull);
}

/* The HNSW layout figures the brief names: maxM0*4+4 bytes of level-0 links
 * per node, and about 1/(M-1) upper levels per node. */
static void test_hnsw_layout(void **state)
{
    (void)state;
    mdl_params p;
    mdl_params_defaults(&p);
    p.dim = 128;
    p.m = 32;
    p.live = 20480;
    p.initial_cap = 20480;
    mdl_prediction pr;
    vm_err err = {0};
    assert_int_equal(mdl_predict(&p, &pr, &err), 0);
    /* 2 chunks of 10240 records of 64*4 + 4 + 16 = 276 B, size-classed */
    assert_int_equal((uint64_t)mdl_component_bytes(&pr, "HNSW level 0"),
                     2 * mdl_je_class(10240 * 276));
    for (int i = 0; i < pr.n; i++)
        if (!strcmp(pr.c[i].name, "HNSW upper levels"))
            assert_non_null(strstr(pr.c[i].layout, "0.0323 levels")); /* 1/31 */
    /* a bigger M costs more per vector */
    mdl_prediction small;
    p.m = 8;
    assert_int_equal(mdl_predict(&p, &small, &err), 0);
    assert_true(small.module_bytes < pr.module_bytes);
}

static void test_flat(void **state)
{
    (void)state;
    mdl_params p;
    mdl_params_defaults(&p);
    p.algo = MDL_FLAT;
    p.block_size = mdl_default_block(MDL_FLAT);
    p.dim = 128;
    p.live = 100000;
    mdl_prediction full, half, hnsw;
    vm_err err = {0};
    assert_int_equal(mdl_predict(&p, &full, &err), 0);
    /* capacity grows from 10240 in FLAT's 1024-slot blocks */
    assert_int_equal(full.capacity, 100352);
    assert_true(mdl_component_bytes(&full, "HNSW level 0") == 0);
    /* random deletes of half: vector chunks of 78 slots almost never empty */
    p.live = 50000;
    p.deleted = 50000;
    assert_int_equal(mdl_predict(&p, &half, &err), 0);
    double v_full = mdl_component_bytes(&full, "vectors"),
           v_half = mdl_component_bytes(&half, "vectors");
    assert_true(v_half > 0.99 * v_full);
    assert_true(mdl_component_bytes(&half, "vector handles") <
                0.51 * mdl_component_bytes(&full, "vector handles"));
    /* deleting everything frees the chunks */
    p.live = 0;
    p.deleted = 100000;
    assert_int_equal(mdl_predict(&p, &half, &err), 0);
    assert_true(mdl_component_bytes(&half, "vectors") == 0);
    /* FLAT has no graph: cheaper than HNSW for the same vectors */
    mdl_params_defaults(&p);
    p.dim = 128;
    p.live = 100000;
    assert_int_equal(mdl_predict(&p, &hnsw, &err), 0);
    assert_true(full.module_bytes < hnsw.module_bytes);
}

static void test_attrs_and_errors(void **state)
{
    (void)state;
    mdl_params p;
    mdl_params_defaults(&p);
    p.dim = 64;
    p.live = 1000;
    mdl_prediction a, b;
    vm_err err = {0};
    assert_int_equal(mdl_predict(&p, &a, &err), 0);
    p.tag_attrs = 1;
    p.numeric_attrs = 2;
    assert_int_equal(mdl_predict(&p, &b, &err), 0);
    assert_true(mdl_component_bytes(&b, "tag index") > 0);
    assert_true(mdl_component_bytes(&b, "numeric index") > 0);
    assert_true(b.module_bytes > a.module_bytes);

    p.live = 1ull << 50; /* a damaged count is refused, not looped over */
    assert_int_equal(mdl_predict(&p, &a, &err), -1);
    p.live = 1000;
    p.dim = 0;
    assert_int_equal(mdl_predict(&p, &a, &err), -1);
    assert_non_null(strstr(err.msg, "dimension 0"));
    assert_string_equal(err.param, "dim"); /* the CLI names --dim */
    p.dim = 4;
    p.m = 1;
    assert_int_equal(mdl_predict(&p, &a, &err), -1);
    assert_non_null(strstr(err.msg, "M 1"));
    assert_string_equal(err.param, "index.m");
    mdl_algo algo;
    assert_int_equal(mdl_parse_algo("flat", &algo, &err), 0);
    assert_int_equal(algo, MDL_FLAT);
    assert_int_equal(mdl_parse_algo("IVF", &algo, &err), -1);
    uint32_t eb;
    assert_int_equal(mdl_parse_type("FLOAT16", &eb, &err), -1);
    assert_non_null(strstr(err.msg, "FLOAT32"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_je_classes),       cmocka_unit_test(test_containers),
        cmocka_unit_test(test_reference_1conn),  cmocka_unit_test(test_reference_4conn),
        cmocka_unit_test(test_hnsw_layout),      cmocka_unit_test(test_flat),
        cmocka_unit_test(test_attrs_and_errors), cmocka_unit_test(test_reference_1_2),
        cmocka_unit_test(test_release_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
