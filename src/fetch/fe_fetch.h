/* fe_fetch: download a catalog entry (ds_catalog.h) into DIR/NAME: every
 * file through fe_download (resume, crop, verification), archives unpacked
 * once, a sharded parquet base shard by shard.  --mirror replaces the
 * entry's base URL; $HF_TOKEN goes to the HuggingFace host only.
 *
 * Only some rows (--rows A..B, --slice I/N): DIR/NAME/rows-A-B holds them,
 * one folder per part so two loaders' parts never collide and each
 * resumes on its own:
 *   - a big-ann base: rows A..B-1 by range, header n patched to B-A; the
 *     query and ground-truth files whole (they are small);
 *   - a sharded parquet base: the shards holding rows A..B-1, whole; shard
 *     row counts from the catalog or the shards' footers.
 * and a sidecar rows.json — an interface the dataset opener reads:
 *   {"rows_first": F, "rows_end": E, "rows_total": N, "file": "<base file>"}
 * the base file holds ids F..E-1 of an id space of N rows.  For parquet,
 * F..E are the rows the fetched shards hold, "asked_first" / "asked_end"
 * the range asked, "files" every shard fetched ("file" is the first). */
#ifndef FE_FETCH_H
#define FE_FETCH_H

#include "../dataset/ds_catalog.h"
#include "fe_download.h"

/* called after each file: its URL, local path and result */
typedef void (*fe_file_fn)(void *ctx, const char *url, const char *path, const fe_result *r);

typedef struct fe_fetch_opts {
    const char *dir;          /* datasets folder (NULL: ds_catalog_dir) */
    const char *mirror;       /* base URL replacing the catalog's (NULL: none) */
    fe_progress_fn progress;
    void *progress_ctx;
    fe_file_fn on_file;
    void *on_file_ctx;
    const atomic_bool *cancel;
    bool rows_set;            /* only ids rows_first .. rows_end-1 */
    uint64_t rows_first, rows_end;
    bool slice_set;           /* only loader slice_i of slice_n's rows (vm_slice.h) */
    uint32_t slice_i, slice_n;
} fe_fetch_opts;

/* What a part download holds (rows.json's numbers). */
typedef struct fe_rows_info {
    uint64_t first, end, total;       /* the rows held, of total */
    uint64_t asked_first, asked_end;
    uint32_t files;                   /* base files fetched */
} fe_rows_info;

/* out_dir receives DIR/NAME (or DIR/NAME/rows-A-B); rows (may be NULL)
 * what a part holds. */
int fe_fetch_entry(const ds_cat_entry *e, const fe_fetch_opts *o, char *out_dir, size_t out_len,
                   fe_rows_info *rows, vm_err *err);

#endif
