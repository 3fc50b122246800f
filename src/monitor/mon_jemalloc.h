/* mon_jemalloc: read the text of MEMORY MALLOC-STATS (jemalloc's
 * malloc_stats_print) into numeric fields.
 *
 * jemalloc prints a global line
 *   "Allocated: A, active: B, metadata: C (n_thp 0), resident: D, mapped: E, retained: F"
 * then, per arena ("Merged arenas stats:" when several are in use, else the
 * one "arenas[0]:"), a summary ("small:", "large:", "active:", "base:", ...,
 * the dirty / muzzy decay rows) and tables headed "bins:", "large:" and
 * "extents:" whose columns are named in their header line.  Columns are
 * found by name, so a jemalloc that adds or moves a column still parses.
 *
 * Fields (all under "jemalloc."):
 *   allocated active metadata resident mapped retained   global, bytes
 *   page_size_bytes
 *   arenas.<name>                       the arena summary (bytes / counts)
 *   arenas.dirty_npages, arenas.muzzy_npages, arenas.dirty_purged, ...
 *   bin.<size>.{allocated,nmalloc,ndalloc,curregs,curslabs,nonfull_slabs,regs,pgs,util}
 *   large.<size>.{allocated,curlextents}
 *   extents.{dirty,muzzy,retained}_bytes
 * and, derived:
 *   frag_ratio          active / allocated (allocator fragmentation)
 *   resident_ratio      resident / allocated
 *   bins_util           live regions / region capacity of the small slabs
 *   bins_frag_bytes     bytes of free regions inside small slabs
 *   dirty_bytes         dirty pages not yet returned to the OS
 * Input is untrusted: any bytes parse; a truncated text gives what it has. */
#ifndef MON_JEMALLOC_H
#define MON_JEMALLOC_H

#include <stddef.h>

#include "mon_fields.h"

/* Append the fields; returns how many (0 when the text is not jemalloc's
 * statistics, e.g. libc malloc's "Stats not supported..."). */
size_t mon_jemalloc_parse(const char *text, size_t len, mon_fields *out);

#endif
