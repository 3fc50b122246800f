/* fe_download: fetch one file over HTTP(S) or FTP with libcurl — resumed
 * with a range request after an interruption, verified (size, SHA-256),
 * never fetched again once complete, never overwriting a different file.
 *
 * The transfer goes to DEST.part; only a complete, verified file is renamed
 * to DEST (so an existing DEST is complete by construction) and its SHA-256
 * is kept in DEST.sha256.  A big-ann crop of rows A..B-1 fetches the
 * 8-byte header and bytes 8+A·row .. 8+B·row-1 of a larger file by range
 * (one range 0 .. 8+B·row-1 when A is 0) and patches n to B-A in the
 * header; a resumed crop asks only for what the .part lacks.  libcurl
 * honours http_proxy / https_proxy / no_proxy by itself.  The engine never
 * prints: progress goes through a callback. */
#ifndef FE_DOWNLOAD_H
#define FE_DOWNLOAD_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "../util/strbuf.h"
#include "../util/vm_err.h"

typedef void (*fe_progress_fn)(void *ctx, const char *label, uint64_t done, uint64_t total);

typedef struct fe_request {
    const char *url;
    const char *dest;
    uint64_t bytes;           /* expected size (0: the server's) */
    const char *sha256;       /* expected digest, hex (NULL / "": none published) */
    uint64_t crop_rows;       /* > 0: big-ann crop of this many rows */
    uint64_t crop_first;      /* ... starting at this row (0: the first rows) */
    uint32_t crop_row_bytes;
    const char *bearer;       /* sent as `Authorization: Bearer` to the URL's host only
                               * (never to a redirect's), never logged */
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

/* The last nbytes of url (a suffix range) into out; *code gets the HTTP
 * status.  0 done, 1 the server answered an error status (404: no such
 * file — how a shard count is probed), -1 a transfer error. */
int fe_fetch_tail(const char *url, const char *bearer, uint64_t nbytes, strbuf *out, long *code,
                  vm_err *err);

/* Unpack a .tar.gz (libarchive) into dir, dropping the archive's top
 * folder ("siftsmall/siftsmall_base.fvecs" -> dir/siftsmall_base.fvecs). */
int fe_extract(const char *archive, const char *dir, vm_err *err);

#endif
