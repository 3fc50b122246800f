/* ds_catalog: the public datasets the tool knows by name — where they are
 * published, their files, sizes and checksums where the publisher gives
 * them, metric, dimension and counts.  `dataset list` prints it, `dataset
 * download NAME` fetches an entry (src/fetch/), and every command accepts
 * a NAME for a dataset downloaded into the datasets folder.
 *
 * A file's URL is base_url + path (a path with its own scheme is a URL of
 * another host, e.g. big-ann's GT_10M files); `--mirror BASE` swaps
 * base_url, so a mirror (or a test's local server) holds the same relative
 * paths (an absolute path's part after its host).  A HuggingFace entry has
 * no base_url but a repo and revision: its files are at the hub's
 * $HF_ENDPOINT/datasets/REPO/resolve/REVISION/PATH (HF_ENDPOINT defaults to
 * https://huggingface.co; $HF_TOKEN, when set, goes to that host only).
 *
 * A sharded parquet base is named by a pattern and a count instead of one
 * file per shard (26 shards do not fit DS_CAT_MAX_FILES): shard_fmt has
 * one %u, shard_count 0 means "not published: probe 0, 1, ... until the
 * server answers 404".  Shard row counts, when not listed, come from each
 * shard's parquet footer (fetched by range).  An
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
    const char *family;     /* "TEXMEX", "ann-benchmarks", "VectorDBBench",
                             * "big-ann" (big-ann-benchmarks), "HuggingFace" */
    const char *base_url;
    const char *metric;     /* "L2", "COSINE", "IP" */
    uint32_t dim;
    uint64_t n_base, n_query; /* 0 = not published (a parquet base: the footers say) */
    const char *note;
    ds_cat_file files[DS_CAT_MAX_FILES]; /* a big-ann base, when there is one, first */
    const char *hf_repo;      /* HuggingFace "owner/name" (base_url NULL), or NULL */
    const char *hf_revision;  /* "main" or the converter's "refs%2Fconvert%2Fparquet" */
    const char *column;       /* the embedding column, NULL: the reader's default pick */
    const char *shard_fmt;    /* sharded parquet base: path with one %u, or NULL */
    uint32_t shard_count;     /* 0: probe until 404 */
    const uint64_t *shard_rows; /* rows per shard where published, else NULL */
} ds_cat_entry;

/* NULL-name-terminated table */
extern const ds_cat_entry ds_catalog[];

const ds_cat_entry *ds_catalog_find(const char *name);
/* The entry's base URL ending in '/': base_url, or for a HuggingFace entry
 * $HF_ENDPOINT/datasets/REPO/resolve/REVISION/. */
void ds_catalog_base_url(const ds_cat_entry *e, char *out, size_t out_len);
/* $HF_ENDPOINT, else https://huggingface.co (no trailing '/'). */
void ds_catalog_hf_endpoint(char *out, size_t out_len);
/* Where datasets live: $VM_DATASET_DIR, else ~/.cache/valkey-memstress/datasets. */
void ds_catalog_dir(char *out, size_t out_len);
/* If name is a catalog entry downloaded under dir (NULL: the default),
 * its folder into out and 0 (its prepared/ subfolder when there is one);
 * else -1. */
int ds_catalog_resolve(const char *name, const char *dir, char *out, size_t out_len);

#endif
