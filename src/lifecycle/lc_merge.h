/* lc_merge: join the states of a sliced run's loaders (each vouching for
 * its part of every copy's ids, lc_state.h) into the state of the whole
 * run — or of the part they cover together — which `query` and `report`
 * take like any other.
 *
 * The states must describe one run: the same ids per copy, dimension, key
 * prefix and field, metric, index, generated attributes and (where they
 * expand) NormMax.  Their parts must not overlap and must leave no gap;
 * no state may hold a live bit outside its part.  The merged live set is
 * each part's bits; inserted / deleted are summed. */
#ifndef LC_MERGE_H
#define LC_MERGE_H

#include "lc_state.h"

typedef struct lc_merge_result {
    uint64_t part_first, part_end; /* the ids the merged state vouches for */
    uint64_t live;                 /* live vectors, every copy */
    uint32_t copies;
} lc_merge_result;

/* dataset: the dataset path the merged state names (NULL: the first
 * state's; loaders on other hosts may have had it elsewhere, or had only
 * their rows).  out must not hold a state yet. */
int lc_state_merge(const char *out, const char *const *dirs, int ndirs, const char *dataset,
                   lc_merge_result *res, vm_err *err);

#endif
