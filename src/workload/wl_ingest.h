/* wl_ingest: the prefill workload — HSET <prefix><id> <field> <float32 blob>
 * for a range of base vectors.  Plugs into the engine (net_engine.h). */
#ifndef WL_INGEST_H
#define WL_INGEST_H

#include <stdatomic.h>
#include <stdint.h>

#include "../dataset/ds_vecfile.h"
#include "../net/net_engine.h"

typedef struct wl_ingest {
    const ds_vecfile *base;
    const char *prefix;
    size_t prefix_len;
    const char *field;
    size_t field_len;
    uint64_t first, end;       /* ids [first, end) */
    _Atomic uint64_t next;     /* next unclaimed id */
    _Atomic uint64_t done;     /* acknowledged HSETs */
    _Atomic uint64_t errors;   /* error replies */
    char first_error[256];     /* the first error reply's text */
    _Atomic int have_error;
} wl_ingest;

void wl_ingest_init(wl_ingest *w, const ds_vecfile *base, const char *prefix,
                    const char *field, uint64_t first, uint64_t end);
/* The engine-facing vtable bound to w. */
eng_workload wl_ingest_workload(wl_ingest *w);

#endif
