/* lc_state: the state of a run, kept in the --state folder so that a later
 * command or a resumed run knows exactly which vectors the server holds.
 *
 *   manifest   "key value" lines: dataset, prefix, field, n, dim, metric,
 *              norm_max, step, copies, index, inserted, deleted, the
 *              generated attributes (tag_field, numeric_field, text_field
 *              and, with a text field, text_vocab / text_words / text_zipf
 *              / text_seed: the text is a function of these and the id),
 *              and the part of every copy's ids this state vouches for:
 *              part_first / part_end (slice I/N of a sliced run, see
 *              util/vm_slice.h; absent = all ids), shrinks / regrows
 *              (the draw rounds used so far)
 *   live.bin   the live set (live_file.h), n and copies as in the manifest
 * Both are written to a temporary file and renamed, so a crash leaves the
 * previous state or the new one, never a mix. */
#ifndef LC_STATE_H
#define LC_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "../dataset/ds_text.h"
#include "../live/live_set.h"
#include "../util/vm_err.h"

typedef struct lc_state {
    char *dir;
    char *dataset;      /* absolute path */
    char *prefix;
    char *field;
    char *index;        /* may be empty */
    char *metric;       /* L2 / COSINE / IP */
    char *tag_field;    /* generated TAG attribute, empty = none */
    char *numeric_field;/* generated NUMERIC attribute, empty = none */
    char *text_field;   /* generated TEXT attribute, empty = none */
    ds_text_conf text;  /* how its text is generated (ds_text.h) */
    uint32_t dim;
    double norm_max;
    float step;
    uint64_t inserted;  /* cumulative acknowledged inserts */
    uint64_t deleted;   /* cumulative acknowledged deletes */
    /* The ids [part_first, part_end) of every copy that this state knows
     * about (a loader's slice; all of them [0, n) without one).  No bit
     * outside them is ever set.  slice_i / slice_n name the slice the part
     * came from (0 / 0: none, or a merge that is not one slice). */
    uint64_t part_first, part_end;
    uint32_t slice_i, slice_n;
    /* shrinks / regrows done on this state: each one draws from a stream
     * of its own (lc_select.h), so a second shrink --fraction F deletes F of
     * what the first left, not nothing.  Loaders that ran the same commands
     * agree on them. */
    uint64_t shrinks, regrows;
    live_set live;      /* live.n vectors per copy, live.copies copies */
} lc_state;

/* Load dir/manifest and dir/live.bin; *found = false (and 0) when the folder
 * has no state yet. */
int lc_state_load(lc_state *s, const char *dir, bool *found, vm_err *err);
/* A new empty state (no copies) for a dataset of n vectors per copy. */
void lc_state_init(lc_state *s, const char *dir, const char *dataset, const char *prefix,
                   const char *field, const char *index, const char *metric, uint64_t n,
                   uint32_t dim, double norm_max, float step);
int lc_state_save(const lc_state *s, vm_err *err);
/* Whether the state vouches for every id. */
static inline bool lc_state_whole(const lc_state *s)
{
    return s->part_first == 0 && s->part_end >= s->live.n;
}
void lc_state_free(lc_state *s);

#endif
