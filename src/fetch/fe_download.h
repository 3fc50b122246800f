/* fe_download: fetch one file over HTTP(S) or FTP with libcurl — resumed
 * with a range request after an interruption, verified (size, SHA-256),
 * never fetched again once complete, never overwriting a different file.
 *
 * The transfer goes to DEST.part; only a complete, verified file is renamed
 * to DEST (so an existing DEST is complete by construction) and its SHA-256
 * is kept in DEST.sha256.  A big-ann crop fetches the first 8 + rows·row
 * bytes of a larger file by range and patches n in the header.  libcurl
 * honours http_proxy / https_proxy / no_proxy by itself.  The engine never
 * prints: progress goes through a callback. */
#ifndef FE_DOWNLOAD_H
#define FE_DOWNLOAD_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "../util/vm_err.h"

typedef void (*fe_progress_fn)(void *ctx, const char *label, uint64_t done, uint64_t total);

typedef struct fe_request {
    const char *url;
    const char *dest;
    uint64_t bytes;           /* expected size (0: the server's) */
    const char *sha256;       /* expected digest, hex (NULL / "": none published) */
    uint64_t crop_rows;       /* > 0: big-ann crop */
    uint32_t crop_row_bytes;
    fe_progress_fn progress;
    void *progress_ctx;
    const atomic_bool *cancel;
} fe_request;

typedef struct fe_result {
    uint64_t bytes;
    char sha256[65];
    bool already;             /* DEST was there and checked: nothing fetched */
    uint64_t resumed_from;    /* bytes kept from an earlier partial transfer */
} fe_result;

int fe_download(const fe_request *r, fe_result *out, vm_err *err);

/* Unpack a .tar.gz (libarchive) into dir, dropping the archive's top
 * folder ("siftsmall/siftsmall_base.fvecs" -> dir/siftsmall_base.fvecs). */
int fe_extract(const char *archive, const char *dir, vm_err *err);

#endif
