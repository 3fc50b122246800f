/* wl_ingest: the insert workload — HSET <key> <field> <float32 blob> for
 * (copy, id) items: copy 0 is the original vector under <prefix><id>, copy
 * n > 0 is x + V_n under expand_<n>_<prefix><id> (xp_expand.h).  Items come
 * from a range (copies × ids, copy by copy) or from an explicit tag list
 * (regrow).  With a live set, every acknowledged HSET marks its item live.
 * Plugs into the engine (engine/eng.h). */
#ifndef WL_INGEST_H
#define WL_INGEST_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "../dataset/ds_vecfile.h"
#include "../dataset/ds_text.h"
#include "../live/live_set.h"
#include "../engine/eng.h"
#include "../vecmath/xp_expand.h"
#include "wl_count.h"
#include "wl_stream.h"

/* An item's tag: copy in the high 24 bits, id in the low 40. */
#define WL_TAG(copy, id) (((uint64_t)(copy) << 40) | (uint64_t)(id))
#define WL_TAG_COPY(tag) ((uint32_t)((tag) >> 40))
#define WL_TAG_ID(tag) ((tag) & ((1ull << 40) - 1))

typedef struct wl_ingest {
    const ds_vecfile *base;
    const char *prefix;
    size_t prefix_len;
    const char *field;
    size_t field_len;
    uint64_t first, end;       /* ids [first, end) of every copy in range */
    uint32_t copy_first, copy_end; /* copies [copy_first, copy_end), default [0, 1) */
    const uint64_t *tags;      /* explicit items instead of the range */
    uint64_t ntags;
    const xp_plan *plan;       /* offsets for copies > 0 */
    bool normalize;            /* unit-normalise (cosine data indexed as L2) */
    live_set *live;            /* mark live on acknowledgement, NULL = no tracking */
    const char *tag_field;     /* also write a generated TAG value (NULL = none) */
    const char *numeric_field; /* also write a generated NUMERIC value (NULL = none) */
    const char *text_field;    /* also write generated text (NULL = none)... */
    const ds_text *text;       /* ...of the original id from this generator */
    bool skip_live;            /* with a live set: leave out items already live (resume) */
    bool stop_on_oom;          /* claim nothing more after the first OOM reply */
    const wl_stream *stream;   /* the originals already encoded on disk (NULL = none) */
    _Atomic int oom;           /* an OOM reply was seen */
    _Atomic uint64_t live_at_oom; /* acknowledged inserts when it was */
    _Atomic uint64_t next;     /* next unclaimed item index */
    wl_count acked;            /* acknowledged HSETs (wl_count.h) */
    _Atomic uint64_t errors;   /* error replies */
    char first_error[256];     /* the first error reply's text */
    _Atomic int have_error;
    /* the plain HSET's fixed bytes, made once by wl_ingest_init */
    size_t row_bytes;
    uint64_t gen;       /* unique per wl_ingest_init: names this workload to the key cache */
    char plain_mid[48]; /* "\r\n$<field len>\r\n<field>\r\n$<row bytes>\r\n" */
    uint8_t plain_mid_len; /* 0: the field is too long for it, built per command */
} wl_ingest;

void wl_ingest_init(wl_ingest *w, const ds_vecfile *base, const char *prefix,
                    const char *field, uint64_t first, uint64_t end);
/* Items in total (range or tag list). */
uint64_t wl_ingest_total(const wl_ingest *w);
/* The engine-facing vtable bound to w. */
eng_workload wl_ingest_workload(wl_ingest *w);

/* Append the HSET of item tag (WL_TAG) as w would send it. */
void wl_ingest_emit_item(const wl_ingest *w, uint64_t tag, strbuf *out);

/* The generated attribute values of vector id (the same in every copy):
 * a tag out of 32 ("t0".."t31", spread by a hash of the id) and a number in
 * [0, 1000).  Deterministic, so filters can be checked. */
void wl_tag_value(uint64_t id, char out[8]);
uint64_t wl_numeric_value(uint64_t id);

/* Append the key of item (copy, id) as a RESP bulk, <prefix><id> or
 * expand_<copy>_<prefix><id> (xp_key's), with no allocation for a prefix
 * of up to 40 bytes or so.  Shared with the delete side. */
void wl_add_key(strbuf *out, const char *prefix, size_t prefix_len, uint32_t copy, uint64_t id);

/* Append the float32 blob of item (copy, id) as a RESP bulk: the row as
 * stored, normalised if asked, plus V_copy.  Shared with the query side. */
void wl_add_vector_blob(strbuf *out, const ds_vecfile *f, uint64_t id, uint32_t copy,
                        const xp_plan *plan, bool normalize);

#endif
