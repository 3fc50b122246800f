/* live_file: the file form of a live set (live_set.h), live.bin —
 *
 *   "VMLIVE1\0", uint32 copies, uint64 n, then per copy a bitmap of n bits
 *   (1 = live) as 64-bit words, little-endian (the host's order: the tool
 *   runs on little-endian machines only)
 *
 * Only the bytes: where the file lives and how it is replaced safely (a
 * temporary file renamed) is the caller's (lc_state.h). */
#ifndef LIVE_FILE_H
#define LIVE_FILE_H

#include <stdint.h>

#include "../util/strbuf.h"
#include "live_set.h"

/* Append the file form of l to out. */
void live_file_encode(const live_set *l, strbuf *out);

typedef enum live_file_status {
    LIVE_FILE_OK,
    LIVE_FILE_MISMATCH, /* missing, not a live file, another n, or fewer copies */
    LIVE_FILE_SHORT,    /* the header fits but a bitmap is cut short */
} live_file_status;

/* Read the file at path into l (live_init'ed with the n the file must name,
 * no copies): its first `copies` bitmaps, which it must have (a file with
 * more is fine: a crash between writing it and its manifest).  On
 * LIVE_FILE_SHORT, l holds the bitmaps (partly) read: live_free it. */
live_file_status live_file_read(live_set *l, const char *path, uint32_t copies);

#endif
