/* live_file: the file form of a live set (live_set.h), live.bin —
 *
 *   "VMLIVE2\0", uint32 copies, uint64 n, uint64 w0, uint64 count, then per
 *   copy the 64-bit words w0 .. w0+count-1 of its bitmap of n bits (1 =
 *   live), little-endian (the host's order: the tool runs on little-endian
 *   machines only); every word outside them is 0.
 *
 * A loader of a sliced run writes only the words of its part: its file
 * (and the memory its bitmaps take once read back: untouched pages of a
 * large calloc stay unmapped) is its share of the run, not the whole id
 * space.  "VMLIVE1" files (every word, no w0 / count) are still read.
 * Only the bytes: where the file lives and how it is replaced safely (a
 * temporary file renamed) is the caller's (lc_state.h). */
#ifndef LIVE_FILE_H
#define LIVE_FILE_H

#include <stdint.h>

#include <stdio.h>

#include "live_set.h"

/* Write the file form of l to f, with the words that hold ids
 * [first_id, end_id) (every word outside them must be 0); -1 on a write
 * error (errno). */
int live_file_write(const live_set *l, uint64_t first_id, uint64_t end_id, FILE *f);

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
