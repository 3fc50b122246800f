/* csv_wide: see csv_wide.h. */
#include "csv_wide.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../monitor/mon_units.h"
#include "../util/clock.h"
#include "csv_row.h"

const csv_column csv_wide_labels[] = {
    {"time_iso", "sample time, UTC, ISO-8601 with milliseconds"},
    {"time_unix_ms", "sample time, milliseconds since the Unix epoch"},
    {"run_id", "run id"},
    {"node", "host:port of the sampled server"},
    {"step", "scenario step"},
    {"phase", "phase label (baseline, prefill, settle, monitor, ...)"},
    {"live_vectors", "vectors the tool holds live (inserted - deleted)"},
    {"inserted_total", "vectors inserted by the tool so far"},
    {"deleted_total", "vectors deleted by the tool so far"},
    {"role", "master, replica or standalone"},
    {NULL, NULL},
};

const csv_column csv_wide_columns[] = {
    {"used_memory", "INFO: bytes allocated by the server (includes the search module)"},
    {"used_memory_rss", "INFO: resident set size as the server last read it"},
    {"used_memory_peak", "INFO: peak of used_memory"},
    {"used_memory_dataset", "INFO: used_memory minus overhead"},
    {"used_memory_overhead", "INFO: server overhead (clients, buffers, dict tables)"},
    {"used_memory_startup", "INFO: used_memory right after startup"},
    {"mem_fragmentation_ratio", "INFO: used_memory_rss / used_memory"},
    {"allocator_allocated", "INFO: bytes allocated by the allocator"},
    {"allocator_active", "INFO: bytes in active allocator pages"},
    {"allocator_resident", "INFO: bytes resident in the allocator"},
    {"allocator_frag_ratio", "INFO: allocator_active / allocator_allocated"},
    {"search_used_memory_bytes", "INFO SEARCH: memory of the search module (in used_memory)"},
    {"search_number_of_indexes", "INFO SEARCH: indexes"},
    {"search_total_indexed_documents", "INFO SEARCH: documents indexed"},
    {"dbsize", "DBSIZE: keys in the selected db"},
    {"ft.num_docs", "FT.INFO: num_docs summed over the node's indexes"},
    {"ft.vector_size", "FT.INFO: vectors held, summed over vector attributes"},
    {"ft.vector_capacity", "FT.INFO: vector slots allocated, summed"},
    {"ft.mutation_queue_size", "FT.INFO: mutations waiting to be indexed, summed"},
    {"ft.backfilling", "FT.INFO: indexes with a backfill in progress"},
    {"jemalloc.allocated", "MALLOC-STATS: bytes allocated"},
    {"jemalloc.active", "MALLOC-STATS: bytes in active pages"},
    {"jemalloc.metadata", "MALLOC-STATS: allocator metadata"},
    {"jemalloc.resident", "MALLOC-STATS: bytes in physically resident pages"},
    {"jemalloc.mapped", "MALLOC-STATS: bytes in mapped extents"},
    {"jemalloc.retained", "MALLOC-STATS: bytes retained (unmapped from use, kept mapped)"},
    {"jemalloc.dirty_bytes", "MALLOC-STATS: dirty pages not yet returned to the OS"},
    {"jemalloc.frag_ratio", "MALLOC-STATS: active / allocated"},
    {"jemalloc.bins_util", "MALLOC-STATS: live regions / region capacity in small slabs"},
    {"jemalloc.bins_frag_bytes", "MALLOC-STATS: free bytes inside small slabs"},
    {"proc.rss_bytes", "/proc: VmRSS of the server process (local servers)"},
    {"proc.hwm_bytes", "/proc: VmHWM, peak RSS of the server process"},
    {"used_cpu_sys", "INFO CPU: system CPU seconds of the server"},
    {"used_cpu_user", "INFO CPU: user CPU seconds of the server"},
    {"instantaneous_ops_per_sec", "INFO STATS: commands per second"},
    {"total_commands_processed", "INFO STATS: commands since start"},
    {"connected_clients", "INFO CLIENTS: client connections"},
    {"derived.live_vectors", "live count the per-vector figures use (see README)"},
    {"derived.used_memory_per_vector_bytes", "(used_memory - used_memory_startup) / live"},
    {"derived.search_memory_per_vector_bytes", "search_used_memory_bytes / live"},
    {"derived.unreturned_bytes",
     "used_memory minus its value at the same live count on the way up"},
    {"derived.search_unreturned_bytes", "the same for search_used_memory_bytes"},
    {"derived.rss_to_used_ratio", "RSS (/proc, else used_memory_rss) / used_memory"},
    {NULL, NULL},
};

char *csv_wide_units_path(const char *path)
{
    size_t n = strlen(path);
    strbuf sb = STRBUF_INIT;
    if (n > 4 && !strcmp(path + n - 4, ".csv"))
        sb_add(&sb, path, n - 4);
    else
        sb_addstr(&sb, path);
    sb_addstr(&sb, ".units.csv");
    return sb_detach(&sb, NULL);
}

static const char *label_unit(const char *name)
{
    if (!strcmp(name, "time_unix_ms"))
        return "unix_milliseconds";
    if (!strcmp(name, "time_iso"))
        return "iso8601";
    if (strstr(name, "vectors") || strstr(name, "_total"))
        return "count";
    return "text";
}

static int write_units(const char *path, vm_err *err)
{
    char *up = csv_wide_units_path(path);
    strbuf sb = STRBUF_INIT;
    sb_addstr(&sb, "column,unit,description\n");
    for (const csv_column *c = csv_wide_labels; c->name; c++) {
        sb_addf(&sb, "%s,%s,", c->name, label_unit(c->name));
        csv_add_cell(&sb, c->what);
        sb_addch(&sb, '\n');
    }
    /* the columns are described before any sample: each gets the unit a
     * field of its name carries (mon_units.h), once per file */
    for (const csv_column *c = csv_wide_columns; c->name; c++) {
        sb_addf(&sb, "%s,%s,", c->name, mon_unit_name(mon_unit_of(c->name)));
        csv_add_cell(&sb, c->what);
        sb_addch(&sb, '\n');
    }
    int rc = csv_write_file(up, sb.buf, sb.len, err);
    sb_release(&sb);
    free(up);
    return rc;
}

int csv_wide_open(csv_wide *w, const char *path, vm_err *err)
{
    memset(w, 0, sizeof(*w));
    w->fd = -1;
    w->path = strdup(path);
    sb_init(&w->row, 4096);
    for (const csv_column *c = csv_wide_labels; c->name; c++) {
        sb_addstr(&w->row, c->name);
        sb_addch(&w->row, ',');
    }
    for (const csv_column *c = csv_wide_columns; c->name; c++) {
        sb_addstr(&w->row, c->name);
        sb_addch(&w->row, ',');
    }
    w->row.buf[w->row.len - 1] = '\n';
    if (csv_open_append(path, w->row.buf, &w->fd, err) < 0 || write_units(path, err) < 0) {
        csv_wide_close(w);
        return -1;
    }
    return 0;
}

int csv_wide_write(csv_wide *w, const mon_sample *s, vm_err *err)
{
    char iso[32];
    clk_iso8601(s->wall_ms, iso);
    strbuf *r = &w->row;
    sb_reset(r);
    sb_addf(r, "%s,%llu,", iso, (unsigned long long)s->wall_ms);
    csv_add_cell(r, s->labels.run_id);
    sb_addch(r, ',');
    csv_add_cell(r, s->node);
    sb_addch(r, ',');
    csv_add_cell(r, s->labels.step);
    sb_addch(r, ',');
    csv_add_cell(r, s->labels.phase);
    sb_addf(r, ",%llu,%llu,%llu,", (unsigned long long)s->labels.live_vectors,
            (unsigned long long)s->labels.inserted_total,
            (unsigned long long)s->labels.deleted_total);
    csv_add_cell(r, s->role);
    for (const csv_column *c = csv_wide_columns; c->name; c++) {
        sb_addch(r, ',');
        const double *v = mon_fields_get(&s->fields, c->name);
        if (v)
            csv_add_num(r, *v);
    }
    sb_addch(r, '\n');
    return csv_write_whole(w->fd, r->buf, r->len, w->path, err);
}

int csv_wide_sink(void *ctx, const mon_sample *s, vm_err *err)
{
    return csv_wide_write(ctx, s, err);
}

void csv_wide_close(csv_wide *w)
{
    csv_close_parts(&w->fd, &w->path, &w->row);
}
