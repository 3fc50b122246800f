/* wl_stream: the plain HSETs of a base file (the original vectors, copy 0)
 * written once, in order, as one RESP stream on disk —
 *
 *   <dir>/base.resp        HSET <prefix><id> <field> <float32 blob>, id 0..n-1
 *   <dir>/base.resp.meta   "prefix P\nfield F\nn N\nbytes B\n"
 *
 * byte for byte what prefill's workload builds for each id (wl_ingest).  A
 * prefill over the same prefix and field then hands the file's pages to
 * the socket (splice: the client neither reads nor copies a vector), and
 * `redis-cli --pipe < base.resp` loads it too.  Where a command starts is
 * computed, not stored: its length depends only on the digits of its id.
 *
 * This unit is the format and its reader (wl_ingest splices from it); the
 * writer, which builds the commands with wl_ingest, is wl_stream_write.h. */
#ifndef WL_STREAM_H
#define WL_STREAM_H

#include <stdint.h>

#include "../dataset/ds_vecfile.h"
#include "../util/vm_err.h"

/* Byte offset of id's command in a stream of this prefix, field and blob
 * size (dim x 4); id = n gives the stream's length. */
uint64_t wl_stream_offset(size_t prefix_len, size_t field_len, size_t blob_bytes, uint64_t id);

typedef struct wl_stream {
    int fd;     /* -1: none */
    uint64_t n; /* commands in the file */
    size_t prefix_len, field_len, blob_bytes;
    /* ids of d digits: the first one's offset, and each one's length */
    uint64_t first_off[21], len[21];
    const char *map; /* the file, mapped: its lines are prefetched (see wl_ingest) */
} wl_stream;

/* Where id's command lies in an open stream (id < s->n): a few
 * instructions, it is asked once per command sent. */
static inline void wl_stream_range(const wl_stream *s, uint64_t id, uint64_t *off, uint64_t *len)
{
    unsigned d = 1;
    uint64_t lo = 0, hi = 10;
    while (id >= hi && d < 20) {
        lo = hi;
        hi = hi * 10;
        d++;
    }
    *len = s->len[d];
    *off = s->first_off[d] + (id - lo) * s->len[d];
}

/* What base.resp.meta says: "key value" lines, a value to its line's end. */
typedef struct wl_stream_meta {
    char prefix[256], field[256];
    uint64_t n, bytes;
    uint32_t dim;
} wl_stream_meta;
/* Read a meta text (any bytes: a dataset folder may come from anywhere);
 * unknown lines are ignored, missing ones stay zero / empty. */
void wl_stream_parse_meta(const char *text, size_t len, wl_stream_meta *m);

/* Open <dir>/base.resp when it was written for this prefix and field and
 * the base's dimension, and its length is right: 1 when opened, 0 when
 * there is none that fits (s->fd = -1), -1 on an I/O error. */
int wl_stream_open(wl_stream *s, const char *dir, const char *prefix, const char *field,
                   uint32_t dim, vm_err *err);
void wl_stream_close(wl_stream *s);

#endif
