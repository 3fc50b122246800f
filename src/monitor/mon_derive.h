/* mon_derive: numbers the monitor computes from a node's sample rather than
 * reads — the ones a memory stress test is for.
 *
 *   derived.live_vectors               the live count the ratios below use:
 *                                      the tool's own count for a single
 *                                      server; per cluster node, the node's
 *                                      FT num_docs (or its DBSIZE without the
 *                                      search module), as keys spread over
 *                                      nodes
 *   derived.used_memory_per_vector_bytes    (used_memory - used_memory_startup) / live
 *   derived.search_memory_per_vector_bytes  search_used_memory_bytes / live
 *   derived.unreturned_bytes           used_memory now minus used_memory at the
 *                                      same live count on the way up (after a
 *                                      shrink: memory not given back)
 *   derived.search_unreturned_bytes    the same for search_used_memory_bytes
 *   derived.rss_to_used_ratio          RSS (from /proc when local, else
 *                                      used_memory_rss) / used_memory
 *
 * "On the way up": while the live count reaches new highs, each (live,
 * memory) point is kept (the latest value per count, so memory still
 * settling at a plateau is counted); once it falls below its high the curve
 * is frozen and the current memory is compared with the curve, linearly
 * interpolated, at the current live count.  Growing again past the high
 * extends the curve. */
#ifndef MON_DERIVE_H
#define MON_DERIVE_H

#include <stddef.h>
#include <stdint.h>

#include "mon_fields.h"

typedef struct mon_curve {
    double *live, *mem;
    size_t n, cap;
} mon_curve;

typedef struct mon_derive {
    mon_curve used, search;
    double max_live;
} mon_derive;

/* Add the derived fields for one sample of one node to f.  live is the
 * count chosen by the caller (see derived.live_vectors). */
void mon_derive_apply(mon_derive *d, double live, mon_fields *f);
/* used_memory on the way up at live (interpolated); <0 when unknown. */
double mon_curve_at(const mon_curve *c, double live);
void mon_derive_free(mon_derive *d);

#endif
