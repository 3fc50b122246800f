/* mon_units: unit and kind of a field from its name; see mon_units.h. */
#include "mon_units.h"

#include <string.h>

static bool ends(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && !memcmp(s + n - m, suf, m);
}

static bool begins(const char *s, const char *pre)
{
    return !strncmp(s, pre, strlen(pre));
}

static bool has(const char *s, const char *part)
{
    return strstr(s, part) != NULL;
}

const char *mon_unit_name(mon_unit u)
{
    switch (u) {
    case MON_U_BYTES:
        return "bytes";
    case MON_U_RATIO:
        return "ratio";
    case MON_U_PERCENT:
        return "percent";
    case MON_U_SECONDS:
        return "seconds";
    case MON_U_MILLISECONDS:
        return "milliseconds";
    case MON_U_MICROSECONDS:
        return "microseconds";
    case MON_U_NANOSECONDS:
        return "nanoseconds";
    case MON_U_PER_SECOND:
        return "per_second";
    case MON_U_KB_PER_SECOND:
        return "kilobytes_per_second";
    case MON_U_UNIX_SECONDS:
        return "unix_seconds";
    default:
        return "count";
    }
}

/* The last dotted part: "jemalloc.bin.8.util" -> "util". */
static const char *leaf(const char *f)
{
    const char *d = strrchr(f, '.');
    return d ? d + 1 : f;
}

static mon_unit jemalloc_unit(const char *f)
{
    const char *l = leaf(f);
    static const char *counts[] = {"nmalloc", "ndalloc", "curregs",     "curslabs", "nonfull_slabs",
                                   "regs",    "pgs",     "curlextents", NULL};
    if (ends(f, "_ratio") || !strcmp(l, "util") || !strcmp(l, "bins_util"))
        return MON_U_RATIO;
    for (int i = 0; counts[i]; i++)
        if (!strcmp(l, counts[i]))
            return MON_U_COUNT;
    if (!strcmp(l, "uptime"))
        return MON_U_NANOSECONDS;
    if (has(l, "_npages") || has(l, "_sweeps") || has(l, "_madvises") || has(l, "_purged") ||
        has(l, "nmalloc") || has(l, "ndalloc") || has(l, "nrequests"))
        return MON_U_COUNT;
    return MON_U_BYTES;
}

static mon_unit memstats_unit(const char *f)
{
    const char *l = leaf(f);
    if (!strcmp(l, "ratio") || !strcmp(f, "memstats.fragmentation"))
        return MON_U_RATIO;
    if (!strcmp(l, "percentage"))
        return MON_U_PERCENT;
    if (!strcmp(l, "count"))
        return MON_U_COUNT;
    return MON_U_BYTES; /* allocated, overhead, bytes-per-key, dataset.bytes, ... */
}

static mon_unit ft_unit(const char *f)
{
    const char *l = leaf(f);
    if (!strcmp(l, "backfill_complete_percent"))
        return MON_U_RATIO; /* "1.000000" when complete: a fraction despite the name */
    if (!strcmp(l, "recent_mutations_queue_delay"))
        return MON_U_SECONDS;
    if (!strcmp(l, "user_indexed_memory")) /* 1.2: the bytes of user data indexed */
        return MON_U_BYTES;
    return MON_U_COUNT;
}

mon_unit mon_unit_of(const char *f)
{
    if (begins(f, "jemalloc."))
        return jemalloc_unit(f);
    if (begins(f, "memstats."))
        return memstats_unit(f);
    if (begins(f, "ft."))
        return ft_unit(f);
    if (has(f, "_usec") || ends(f, "_us"))
        return MON_U_MICROSECONDS;
    if (ends(f, "_ratio") || ends(f, ".ratio") || has(f, "_ratio_"))
        return MON_U_RATIO;
    if (ends(f, "_perc") || ends(f, "_percent") || ends(f, "_percentage"))
        return MON_U_PERCENT;
    if (ends(f, "_kbps"))
        return MON_U_KB_PER_SECOND;
    if (ends(f, "_per_sec") || ends(f, "_per_second"))
        return MON_U_PER_SECOND;
    if (ends(f, "_bytes") || has(f, "_bytes_") || has(f, "used_memory") ||
        begins(f, "allocator_") || begins(f, "mem_") || ends(f, "maxmemory") ||
        !strcmp(f, "total_system_memory") || has(f, "_memory_") || begins(f, "maxmemory"))
        return (has(f, "_objects") || has(f, "_count")) ? MON_U_COUNT : MON_U_BYTES;
    /* valkey-search 1.2: search_index_reclaimable_memory (bytes), and the
     * thread pools' search_used_read_cpu / search_used_write_cpu (seconds) */
    if (begins(f, "search_") && ends(f, "_memory"))
        return MON_U_BYTES;
    if (begins(f, "search_used_") && ends(f, "_cpu"))
        return MON_U_SECONDS;
    if (begins(f, "used_cpu_") || ends(f, "_seconds") || ends(f, "_sec") || ends(f, "_in_seconds"))
        return MON_U_SECONDS;
    if (ends(f, "_milliseconds") || ends(f, "_ms") || ends(f, ".avg_ttl"))
        return MON_U_MILLISECONDS;
    if (has(f, "_time") && (has(f, "last_") || has(f, "lastsave")) && !ends(f, "_sec"))
        return MON_U_UNIX_SECONDS;
    if (!strcmp(f, "lastsave") || !strcmp(f, "server_time_usec"))
        return MON_U_UNIX_SECONDS;
    return MON_U_COUNT;
}

bool mon_is_counter(const char *f)
{
    static const char *exact[] = {"expired_keys",
                                  "evicted_keys",
                                  "keyspace_hits",
                                  "keyspace_misses",
                                  "rejected_connections",
                                  "sync_full",
                                  "sync_partial_ok",
                                  "sync_partial_err",
                                  "lazyfreed_objects",
                                  "expired_time_cap_reached_count",
                                  "expire_cycle_cpu_milliseconds",
                                  "io_threaded_reads_processed",
                                  "io_threaded_writes_processed",
                                  "evicted_clients",
                                  "unexpected_error_replies",
                                  "dump_payload_sanitizations",
                                  "expired_subkeys",
                                  "client_query_buffer_limit_disconnections",
                                  "client_output_buffer_limit_disconnections",
                                  "reply_buffer_shrinks",
                                  "reply_buffer_expands",
                                  "total_forks",
                                  NULL};
    for (int i = 0; exact[i]; i++)
        if (!strcmp(f, exact[i]))
            return true;
    if (begins(f, "jemalloc."))
        return ends(f, ".nmalloc") || ends(f, ".ndalloc") || ends(f, "_sweeps") ||
               ends(f, "_madvises") || ends(f, "_purged");
    if (begins(f, "memstats.") || begins(f, "ft.") || begins(f, "derived."))
        return false;
    if (begins(f, "proc."))
        return begins(f, "proc.cpu_");
    if (begins(f, "used_cpu_") || begins(f, "total_") || begins(f, "acl_access_denied_"))
        return true;
    if (begins(f, "search_") && (ends(f, "_cnt") || ends(f, "_count")))
        return !(begins(f, "search_vector_externing_") && ends(f, "_count")); /* a gauge */
    if (begins(f, "search_used_") && ends(f, "_cpu"))
        return true;
    if (begins(f, "cmdstat_") && (ends(f, ".calls") || ends(f, ".usec") ||
                                  ends(f, ".rejected_calls") || ends(f, ".failed_calls")))
        return true;
    if (begins(f, "errorstat_") && ends(f, ".count"))
        return true;
    return ends(f, "_total");
}
