/* ds_catalog: the public datasets the tool knows by name — where they are
 * published, their files, sizes and checksums where the publisher gives
 * them, metric, dimension and counts.  `dataset list` prints it, `dataset
 * download NAME` fetches an entry (src/fetch/), and every command accepts
 * a NAME for a dataset downloaded into the datasets folder.
 *
 * A file's URL is base_url + path; `--mirror BASE` swaps base_url, so a
 * mirror (or a test's local server) holds the same relative paths.  An
 * empty sha256 means none is published: the download then checks the size
 * (when known, or the server's Content-Length) and records the SHA-256 it
 * computed. */
#ifndef DS_CATALOG_H
#define DS_CATALOG_H

#include <stddef.h>
#include <stdint.h>

#define DS_CAT_MAX_FILES 14

typedef struct ds_cat_file {
    const char *path;       /* relative to the entry's base URL */
    const char *local;      /* name in the dataset folder (NULL: last path component) */
    uint64_t bytes;         /* expected size, 0 = not known in advance */
    const char *sha256;     /* "" = not published */
    uint64_t crop_rows;     /* big-ann crop: first rows only, header n patched */
    uint32_t crop_row_bytes;/* bytes per row of the cropped file */
    int extract;            /* a .tar.gz to unpack into the dataset folder */
} ds_cat_file;

typedef struct ds_cat_entry {
    const char *name;
    const char *family;     /* "TEXMEX", "ann-benchmarks", "VectorDBBench", "BIGANN" */
    const char *base_url;
    const char *metric;     /* "L2", "COSINE", "IP" */
    uint32_t dim;
    uint64_t n_base, n_query;
    const char *note;
    ds_cat_file files[DS_CAT_MAX_FILES];
} ds_cat_entry;

/* NULL-name-terminated table */
extern const ds_cat_entry ds_catalog[];

const ds_cat_entry *ds_catalog_find(const char *name);
/* Where datasets live: $VM_DATASET_DIR, else ~/.cache/valkey-memstress/datasets. */
void ds_catalog_dir(char *out, size_t out_len);
/* If name is a catalog entry downloaded under dir (NULL: the default),
 * its folder into out and 0 (its prepared/ subfolder when there is one);
 * else -1. */
int ds_catalog_resolve(const char *name, const char *dir, char *out, size_t out_len);

#endif
