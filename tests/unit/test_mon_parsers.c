/* The monitor's parsers on real replies: INFO (MEMORY, SEARCH, MODULES),
 * MEMORY STATS and FT.INFO from the valkey-search 1.0.3 reference
 * transcripts; MEMORY MALLOC-STATS from jemalloc 5.3.0 (a redis-server 7.0
 * capture, and a 4-arena process with "Merged arenas stats"); /proc text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h> /* after the headers it needs */

#include "monitor/mon_ftinfo.h"
#include "monitor/mon_info.h"
#include "monitor/mon_jemalloc.h"
#include "monitor/mon_proc.h"
#include "monitor/mon_reply.h"
#include "near.h"
#include "transcript.h"

/* A reference transcript; the test is skipped when the set is not there. */
static char *reference(const char *name)
{
    char *f = tr_reference(name);
    if (!f) {
        print_message("reference transcript %s not found (VM_REFERENCE)\n", name);
        skip();
    }
    return f;
}

static double field(const mon_fields *f, const char *name)
{
    const double *v = mon_fields_get(f, name);
    if (!v)
        fail_msg("field %s missing", name);
    return *v;
}

static void no_duplicates(const mon_fields *f)
{
    for (size_t i = 0; i < f->n; i++)
        for (size_t j = i + 1; j < f->n; j++)
            if (!strcmp(f->v[i].name, f->v[j].name))
                fail_msg("field %s twice", f->v[i].name);
}

static void info_memory_keeps_every_numeric_field(void **state)
{
    (void)state;
    char *file = reference("02-info-memory.txt");
    char *text = tr_text(file, "127.0.0.1:7100> INFO MEMORY", 0);
    assert_non_null(text);
    mon_fields f = {0};
    size_t n = mon_info_parse(text, strlen(text), &f);
    assert_double_equal(field(&f, "used_memory"), 32475192, 0);
    assert_double_equal(field(&f, "used_memory_rss"), 33652736, 0);
    assert_double_equal(field(&f, "used_memory_peak_perc"), 86.58, 1e-9); /* "86.58%" */
    assert_double_equal(field(&f, "rss_overhead_bytes"), -7843840, 0);
    assert_double_equal(field(&f, "mem_fragmentation_ratio"), 0.90, 1e-12);
    assert_double_equal(field(&f, "allocator_muzzy"), 0, 0);
    /* text values are no fields */
    assert_null(mon_fields_get(&f, "used_memory_human"));
    assert_null(mon_fields_get(&f, "maxmemory_policy"));
    assert_null(mon_fields_get(&f, "mem_allocator"));
    /* every "name:value" line with a number: count them independently */
    size_t expect = 0;
    for (char *line = strtok(text, "\r\n"); line; line = strtok(NULL, "\r\n")) {
        char *c = strchr(line, ':');
        if (!c || line[0] == '#')
            continue;
        char *end;
        strtod(c + 1, &end);
        if (end != c + 1 && (*end == '\0' || (*end == '%' && end[1] == '\0')))
            expect++;
    }
    assert_int_equal(n, expect);
    assert_int_equal(n, 43);
    no_duplicates(&f);
    mon_fields_free(&f);
    free(text);
    free(file);
}

static void info_search_and_modules(void **state)
{
    (void)state;
    char *file = reference("02-info-memory.txt");
    char *search = tr_text(file, "127.0.0.1:7100> INFO SEARCH", 0);
    char *modules = tr_text(file, "127.0.0.1:7100> INFO MODULES", 0);
    assert_non_null(search);
    assert_non_null(modules);
    mon_fields a = {0}, b = {0};
    mon_info_parse(search, strlen(search), &a);
    mon_info_parse(modules, strlen(modules), &b);
    assert_double_equal(field(&a, "search_used_memory_bytes"), 31062592, 0);
    assert_double_equal(field(&a, "search_number_of_indexes"), 4, 0);
    assert_double_equal(field(&a, "search_string_interning_store_size"), 14, 0);
    assert_double_equal(field(&a, "search_vector_externing_entry_count"), 0, 0);
    assert_double_equal(field(&a, "search_hnsw_vector_index_search_latency_usec.p50"), 24.063,
                        1e-9);
    assert_double_equal(field(&a, "search_hnsw_vector_index_search_latency_usec.p99.9"), 27.519,
                        1e-9);
    assert_null(mon_fields_get(&a, "search_background_indexing_status"));
    /* INFO MODULES: the same search fields; the module line is no metric */
    assert_int_equal(a.n, b.n);
    assert_double_equal(field(&b, "search_used_memory_bytes"), 31062592, 0);
    assert_null(mon_fields_get(&b, "module.ver"));
    no_duplicates(&b);
    mon_fields_free(&a);
    mon_fields_free(&b);
    free(search);
    free(modules);
    free(file);
}

static const mon_field *field_of(const mon_fields *f, const char *name)
{
    for (size_t i = 0; i < f->n; i++)
        if (!strcmp(f->v[i].name, name))
            return &f->v[i];
    fail_msg("field %s missing", name);
    return NULL;
}

/* valkey-search 1.2.1's INFO SEARCH (sections search_memory, ...,
 * search_thread-pool): every figure read, each with its unit */
static void info_search_release_1_2(void **state)
{
    (void)state;
    char *file = tr_reference_of("1.2.1", "02-deletes-reclaimable.txt");
    if (!file) {
        print_message("reference 1.2.1 not found (VM_REFERENCE)\n");
        skip();
    }
    char *search = tr_text(file, "127.0.0.1:6379> INFO SEARCH", 1); /* after the deletes */
    assert_non_null(search);
    mon_fields a = {0};
    mon_info_parse(search, strlen(search), &a);
    no_duplicates(&a);
    const struct {
        const char *name;
        double value;
        mon_unit unit;
        bool counter;
    } want[] = {
        {"search_used_memory_bytes", 13684408, MON_U_BYTES, false},
        {"search_index_reclaimable_memory", 2560000, MON_U_BYTES, false},
        {"search_total_indexed_documents", 5000, MON_U_COUNT, false},
        {"search_string_interning_store_size", 15000, MON_U_COUNT, false},
        {"search_used_write_cpu", 1.0352941068614392, MON_U_SECONDS, true},
        {"search_used_read_cpu", 0.0022690231336602662, MON_U_SECONDS, true},
        {"search_writer_queue_size", 0, MON_U_COUNT, false},
        {"search_rdb_save_success_cnt", 0, MON_U_COUNT, true},
        {"search_hnsw_add_exceptions_count", 0, MON_U_COUNT, true},
        {"search_vector_externing_entry_count", 0, MON_U_COUNT, false},
        {"search_successful_requests_count", 0, MON_U_COUNT, true},
    };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        const mon_field *m = field_of(&a, want[i].name);
        assert_double_equal(m->value, want[i].value, 1e-12);
        if (m->unit != want[i].unit)
            fail_msg("%s: unit %s, want %s", want[i].name, m->unit_name,
                     mon_unit_name(want[i].unit));
        if (m->counter != want[i].counter)
            fail_msg("%s: counter %d, want %d", want[i].name, m->counter, want[i].counter);
    }
    assert_null(mon_fields_get(&a, "search_used_memory_human"));
    mon_fields_free(&a);
    free(search);
    free(file);
}

static void info_string_fields(void **state)
{
    (void)state;
    /* the first lines of a real Valkey 8.1.1 INFO SERVER, and Redis 7.0's */
    const char *valkey = "# Server\r\nredis_version:7.2.4\r\nserver_name:valkey\r\n"
                         "valkey_version:8.1.1\r\nvalkey_git_sha1:00000000\r\n";
    const char *redis = "# Server\r\nredis_version:7.0.15\r\nredis_git_sha1:00000000";
    char v[16];
    assert_true(mon_info_str(valkey, strlen(valkey), "server_name", v, sizeof(v)));
    assert_string_equal(v, "valkey");
    assert_true(mon_info_str(valkey, strlen(valkey), "valkey_version", v, sizeof(v)));
    assert_string_equal(v, "8.1.1");
    assert_false(mon_info_str(redis, strlen(redis), "server_name", v, sizeof(v)));
    /* the last line without CRLF; a key that is a prefix of another is no match */
    assert_true(mon_info_str(redis, strlen(redis), "redis_git_sha1", v, sizeof(v)));
    assert_string_equal(v, "00000000");
    assert_false(mon_info_str(redis, strlen(redis), "redis", v, sizeof(v)));
    /* cut to the buffer */
    char small[4];
    assert_true(mon_info_str(valkey, strlen(valkey), "valkey_version", small, sizeof(small)));
    assert_string_equal(small, "8.1");
}

static void info_cluster_coordinator_fields(void **state)
{
    (void)state;
    char *file = reference("06-cluster.txt");
    char *text = tr_text(file, "127.0.0.1:7102> INFO SEARCH", 0);
    assert_non_null(text);
    mon_fields f = {0};
    mon_info_parse(text, strlen(text), &f);
    assert_double_equal(field(&f, "search_used_memory_bytes"), 4915136, 0);
    assert_double_equal(field(&f, "search_total_indexed_documents"), 3, 0);
    assert_double_equal(
        field(&f, "search_coordinator_client_search_index_partition_success_latency_usec.p99"),
        2506.751, 1e-9);
    mon_fields_free(&f);
    free(text);
    free(file);
}

static void memory_stats_flattened(void **state)
{
    (void)state;
    char *file = reference("02-info-memory.txt");
    redisReply *r = tr_reply(file, "127.0.0.1:7100> MEMORY STATS", 0);
    assert_non_null(r);
    assert_int_equal(r->type, REDIS_REPLY_ARRAY);
    assert_int_equal(r->elements, 64);
    mon_fields f = {0};
    size_t n = mon_reply_flatten(r, "memstats", &f);
    assert_double_equal(field(&f, "memstats.peak.allocated"), 37509112, 0);
    assert_double_equal(field(&f, "memstats.db.0.overhead.hashtable.main"), 744, 0);
    assert_double_equal(field(&f, "memstats.db.0.overhead.hashtable.expires"), 104, 0);
    assert_double_equal(field(&f, "memstats.keys.bytes-per-key"), 2856624, 0);
    assert_double_equal(field(&f, "memstats.dataset.percentage"), 99.99671173095703, 1e-9);
    assert_double_equal(field(&f, "memstats.fragmentation"), 0.8977169394493103, 1e-12);
    assert_double_equal(field(&f, "memstats.rss-overhead.bytes"), -7843840, 0);
    /* 32 top-level pairs, one of them (db.0) a map of two */
    assert_int_equal(n, 32 - 1 + 2);
    no_duplicates(&f);
    mon_fields_free(&f);
    freeReplyObject(r);
    free(file);
}

static void ftinfo_hnsw_index(void **state)
{
    (void)state;
    char *file = reference("01-ft-create-search-info.txt");
    redisReply *r = tr_reply(file, "127.0.0.1:7100> FT.INFO idx", 0);
    assert_non_null(r);
    mon_fields f = {0};
    mon_ft_totals tot = {0};
    assert_true(mon_ftinfo_parse(r, "idx", &f, &tot) > 0);
    assert_double_equal(field(&f, "ft.idx.num_docs"), 4, 0);
    assert_double_equal(field(&f, "ft.idx.num_records"), 4, 0);
    assert_double_equal(field(&f, "ft.idx.backfill_in_progress"), 0, 0);
    assert_double_equal(field(&f, "ft.idx.backfill_complete_percent"), 1, 0);
    assert_double_equal(field(&f, "ft.idx.mutation_queue_size"), 0, 0);
    assert_double_equal(field(&f, "ft.idx.recent_mutations_queue_delay"), 0, 0);
    assert_double_equal(field(&f, "ft.idx.state_ready"), 1, 0);
    assert_double_equal(field(&f, "ft.idx.vec.capacity"), 10240, 0);
    assert_double_equal(field(&f, "ft.idx.vec.size"), 4, 0);
    assert_double_equal(field(&f, "ft.idx.vec.dimensions"), 4, 0);
    assert_double_equal(field(&f, "ft.idx.vec.algorithm.m"), 16, 0);
    assert_double_equal(field(&f, "ft.idx.vec.algorithm.ef_construction"), 200, 0);
    assert_null(mon_fields_get(&f, "ft.idx.index_name"));
    assert_double_equal(tot.indexes, 1, 0);
    assert_double_equal(tot.vector_size, 4, 0);
    assert_double_equal(tot.vector_capacity, 10240, 0);
    no_duplicates(&f);
    freeReplyObject(r);

    /* a mixed index: TAG and NUMERIC attributes have a size too */
    r = tr_reply(file, "127.0.0.1:7100> FT.INFO idx_mixed", 0);
    assert_non_null(r);
    assert_true(mon_ftinfo_parse(r, "idx_mixed", &f, &tot) > 0);
    assert_double_equal(field(&f, "ft.idx_mixed.color.size"), 3, 0);
    assert_double_equal(field(&f, "ft.idx_mixed.price.size"), 3, 0);
    assert_double_equal(field(&f, "ft.idx_mixed.vec.size"), 3, 0);
    assert_double_equal(field(&f, "ft.idx_mixed.num_records"), 9, 0);
    freeReplyObject(r);

    /* a FLAT index with INITIAL_CAP */
    r = tr_reply(file, "127.0.0.1:7100> FT.INFO idx_flat_cap", 0);
    assert_true(mon_ftinfo_parse(r, "idx_flat_cap", &f, &tot) > 0);
    assert_double_equal(field(&f, "ft.idx_flat_cap.vec.capacity"), 1000, 0);
    assert_double_equal(field(&f, "ft.idx_flat_cap.vec.algorithm.block_size"), 512, 0);
    freeReplyObject(r);

    assert_double_equal(tot.indexes, 3, 0);
    assert_double_equal(tot.num_docs, 4 + 3 + 0, 0);
    assert_double_equal(tot.vector_capacity, 10240 + 10240 + 1000, 0);
    mon_ftinfo_totals(&tot, &f);
    assert_double_equal(field(&f, "ft.num_docs"), 7, 0);
    assert_double_equal(field(&f, "ft.indexes"), 3, 0);
    no_duplicates(&f);
    mon_fields_free(&f);
    free(file);
}

static void ftinfo_cluster_local_view(void **state)
{
    (void)state;
    char *file = reference("06-cluster.txt");
    redisReply *r = tr_reply(file, "127.0.0.1:7101> FT.INFO idx", 0);
    assert_non_null(r);
    mon_fields f = {0};
    mon_ft_totals tot = {0};
    mon_ftinfo_parse(r, "idx", &f, &tot);
    assert_double_equal(field(&f, "ft.idx.num_docs"), 6, 0);
    assert_double_equal(field(&f, "ft.idx.color.size"), 6, 0);
    assert_double_equal(tot.vector_size, 6, 0);
    mon_fields_free(&f);
    freeReplyObject(r);
    free(file);
}

static void ftinfo_refuses_error_and_odd_replies(void **state)
{
    (void)state;
    char *file = reference("01-ft-create-search-info.txt");
    redisReply *r = tr_reply(file, "127.0.0.1:7100> FT.SEARCH idx_tagonly", 0);
    assert_non_null(r);
    mon_fields f = {0};
    mon_ft_totals tot = {0};
    assert_int_equal(mon_ftinfo_parse(r, "idx_tagonly", &f, &tot), 0);
    assert_int_equal(f.n, 0);
    assert_double_equal(tot.indexes, 0, 0);
    freeReplyObject(r);
    free(file);
}

static void jemalloc_redis_single_arena(void **state)
{
    (void)state;
    char *text = tr_data("jemalloc-5.3.0-redis-7.0.15.txt");
    assert_non_null(text);
    mon_fields f = {0};
    assert_true(mon_jemalloc_parse(text, strlen(text), &f) > 100);
    assert_double_equal(field(&f, "jemalloc.allocated"), 3960336, 0);
    assert_double_equal(field(&f, "jemalloc.active"), 6266880, 0);
    assert_double_equal(field(&f, "jemalloc.metadata"), 4926336, 0);
    assert_double_equal(field(&f, "jemalloc.resident"), 11149312, 0);
    assert_double_equal(field(&f, "jemalloc.mapped"), 18890752, 0);
    assert_double_equal(field(&f, "jemalloc.retained"), 1556480, 0);
    assert_double_equal(field(&f, "jemalloc.page_size_bytes"), 4096, 0);
    /* bins: columns by name ("8 0 86640 20750 33 9920 15 ... 10830 41 40 512 1 0.515") */
    assert_double_equal(field(&f, "jemalloc.bin.8.allocated"), 86640, 0);
    assert_double_equal(field(&f, "jemalloc.bin.8.curregs"), 10830, 0);
    assert_double_equal(field(&f, "jemalloc.bin.8.curslabs"), 41, 0);
    assert_double_equal(field(&f, "jemalloc.bin.8.regs"), 512, 0);
    assert_double_equal(field(&f, "jemalloc.bin.8.util"), 0.515, 1e-12);
    assert_double_equal(field(&f, "jemalloc.bin.16.nmalloc"), 31950, 0);
    assert_double_equal(field(&f, "jemalloc.frag_ratio"), 6266880.0 / 3960336.0, 1e-12);
    double util = field(&f, "jemalloc.bins_util");
    assert_true(util > 0.3 && util < 1.0);
    assert_true(field(&f, "jemalloc.bins_frag_bytes") > 0);
    assert_true(mon_fields_get(&f, "jemalloc.arenas.small_allocated") != NULL);
    assert_true(mon_fields_get(&f, "jemalloc.arenas.base") != NULL);
    assert_true(mon_fields_get(&f, "jemalloc.dirty_bytes") != NULL);
    no_duplicates(&f);
    mon_fields_free(&f);
    free(text);
}

static void jemalloc_merged_arenas_block(void **state)
{
    (void)state;
    char *text = tr_data("jemalloc-5.3.0-4-arenas.txt");
    assert_non_null(text);
    mon_fields f = {0};
    assert_true(mon_jemalloc_parse(text, strlen(text), &f) > 50);
    assert_double_equal(field(&f, "jemalloc.allocated"), 66570752, 0);
    /* from "Merged arenas stats", not arenas[0] */
    assert_double_equal(field(&f, "jemalloc.arenas.small_allocated"), 53484032, 0);
    assert_double_equal(field(&f, "jemalloc.arenas.large_allocated"), 13086720, 0);
    assert_double_equal(field(&f, "jemalloc.bin.32.allocated"), 98304, 0);
    assert_double_equal(field(&f, "jemalloc.arenas.dirty_npages"), 8, 0);
    assert_double_equal(field(&f, "jemalloc.arenas.dirty_purged"), 155, 0);
    assert_double_equal(field(&f, "jemalloc.dirty_bytes"), 8 * 4096, 0);
    assert_double_equal(field(&f, "jemalloc.arenas.tcache_bytes"), 19200, 0);
    no_duplicates(&f);
    mon_fields_free(&f);
    free(text);
}

static void jemalloc_truncated_and_foreign_text(void **state)
{
    (void)state;
    /* the reference keeps only the first 60 lines: no totals in them */
    char *file = reference("02-info-memory.txt");
    char *text = tr_text(file, "127.0.0.1:7100> MEMORY MALLOC-STATS", 0);
    assert_non_null(text);
    mon_fields f = {0};
    assert_int_equal(mon_jemalloc_parse(text, strlen(text), &f), 0);
    static const char libc[] = "Stats not supported for the current allocator";
    assert_int_equal(mon_jemalloc_parse(libc, sizeof(libc) - 1, &f), 0);
    assert_int_equal(f.n, 0);
    /* cut in the middle of the bins table: what is there parses */
    char *full = tr_data("jemalloc-5.3.0-redis-7.0.15.txt");
    char *cut = strstr(full, "  32   2");
    assert_non_null(cut);
    assert_true(mon_jemalloc_parse(full, (size_t)(cut - full) + 20, &f) > 10);
    assert_double_equal(field(&f, "jemalloc.bin.16.regs"), 256, 0);
    mon_fields_free(&f);
    free(full);
    free(text);
    free(file);
}

static void proc_status_and_stat(void **state)
{
    (void)state;
    static const char status[] = "Name:\tvalkey-server\nVmPeak:\t  300000 kB\nVmSize:\t  "
                                 "250000 kB\nVmHWM:\t   20480 kB\nVmRSS:\t   10240 kB\n"
                                 "RssAnon:\t    8192 kB\nRssFile:\t    2048 kB\nThreads:\t5\n";
    mon_fields f = {0};
    assert_int_equal(mon_proc_parse_status(status, sizeof(status) - 1, &f), 6);
    assert_double_equal(field(&f, "proc.rss_bytes"), 10240.0 * 1024, 0);
    assert_double_equal(field(&f, "proc.hwm_bytes"), 20480.0 * 1024, 0);
    assert_double_equal(field(&f, "proc.threads"), 5, 0);
    /* a command name with spaces and parentheses */
    static const char stat[] = "4242 (valkey (x) srv) S 1 4242 4242 0 -1 4194560 100 0 0 0 "
                               "250 150 0 0 20 0 5 0 123 456 789";
    assert_int_equal(mon_proc_parse_stat(stat, sizeof(stat) - 1, 100, &f), 2);
    assert_double_equal(field(&f, "proc.cpu_user_seconds"), 2.5, 1e-12);
    assert_double_equal(field(&f, "proc.cpu_sys_seconds"), 1.5, 1e-12);
    assert_int_equal(mon_proc_parse_stat("12 (x", 5, 100, &f), 0);
    assert_true(mon_proc_is_loopback("127.0.0.1"));
    assert_true(mon_proc_is_loopback("localhost"));
    assert_true(mon_proc_is_loopback("::1"));
    assert_false(mon_proc_is_loopback("10.0.0.1"));
    mon_fields_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(info_memory_keeps_every_numeric_field),
        cmocka_unit_test(info_search_and_modules),
        cmocka_unit_test(info_string_fields),
        cmocka_unit_test(info_search_release_1_2),
        cmocka_unit_test(info_cluster_coordinator_fields),
        cmocka_unit_test(memory_stats_flattened),
        cmocka_unit_test(ftinfo_hnsw_index),
        cmocka_unit_test(ftinfo_cluster_local_view),
        cmocka_unit_test(ftinfo_refuses_error_and_odd_replies),
        cmocka_unit_test(jemalloc_redis_single_arena),
        cmocka_unit_test(jemalloc_merged_arenas_block),
        cmocka_unit_test(jemalloc_truncated_and_foreign_text),
        cmocka_unit_test(proc_status_and_stat),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
