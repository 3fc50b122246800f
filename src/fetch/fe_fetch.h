/* fe_fetch: download a whole catalog entry (ds_catalog.h) into DIR/NAME:
 * every file through fe_download (resume, crop, verification), archives
 * unpacked once.  --mirror replaces the entry's base URL. */
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
} fe_fetch_opts;

/* out_dir receives DIR/NAME */
int fe_fetch_entry(const ds_cat_entry *e, const fe_fetch_opts *o, char *out_dir, size_t out_len,
                   vm_err *err);

#endif
