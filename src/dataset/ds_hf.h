/* ds_hf: the parquet shards of a HuggingFace dataset repository as it is
 * downloaded (git clone, `hf download`, snapshot_download):
 *   data/train-00000-of-00026.parquet ...            the repository's own, or
 *   refs/convert/parquet/<config>/<split>/0000.parquet  the hub's converted copy.
 * The first of data/, refs/convert/parquet/ and the folder's other
 * subfolders that holds any .parquet file (searched recursively, hidden
 * entries skipped) is used — not the folder's own files, which name the
 * parts of other layouts (ds_set.h); of its files, the train split when one is named so (a file
 * named train* or under a folder named train), else all.  Order: names,
 * depth first — the order of the rows, whose position is their id (the
 * hub's ids are strings). */
#ifndef DS_HF_H
#define DS_HF_H

#include "../util/strvec.h"

/* The shard paths under dir into paths (empty when there are none). */
void ds_hf_shards(const char *dir, strvec *paths);

#endif
