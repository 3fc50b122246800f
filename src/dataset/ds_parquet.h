/* ds_parquet: a streaming reader of the parquet files that carry vector
 * datasets — VectorDBBench (train / shuffle_train-NN-of-MM / test /
 * neighbors.parquet) and HuggingFace exports: an `id` column and a list of
 * float (or double) embedding column, or a list<int64> `neighbors_id`.
 *
 * Hand-written (with ds_thrift.c for the metadata): Debian packages no C
 * parquet library, and these files use a small corner of the format.
 * Supported: PLAIN and dictionary (PLAIN_DICTIONARY / RLE_DICTIONARY)
 * values of INT32 / INT64 / FLOAT / DOUBLE; RLE / bit-packed levels; data
 * pages v1 and v2; UNCOMPRESSED, SNAPPY (libsnappy), GZIP (zlib) and ZSTD
 * (libzstd); any number of row groups and files.  Anything else is refused
 * with an error naming the file, column and feature.  Files are mapped, a
 * column is decoded one page at a time: memory stays at a few pages.
 *
 * This header is the reader's contract: the vector source, and below it
 * the file, its metadata and the column reader (the fuzz target and the
 * unit tests drive those directly).  The implementation is split along
 * the format — metadata, pages and encodings, columns, the source — see
 * ds_parquet_int.h. */
#ifndef DS_PARQUET_H
#define DS_PARQUET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../util/strbuf.h"
#include "../util/vm_err.h"
#include "ds_src.h"

enum { PQ_BOOLEAN, PQ_INT32, PQ_INT64, PQ_INT96, PQ_FLOAT, PQ_DOUBLE, PQ_BYTE_ARRAY, PQ_FLBA };

typedef struct pq_leaf {
    char *path; /* dotted: "emb.list.item" */
    char *top;  /* first component: "emb" */
    int type;   /* PQ_* physical type */
    int max_def, max_rep;
} pq_leaf;

typedef struct pq_chunk {
    int type, codec;
    int64_t num_values, data_off, dict_off, comp_bytes;
} pq_chunk;

typedef struct pq_meta {
    int64_t num_rows;
    uint32_t nleaf;
    pq_leaf *leaf;
    uint32_t nrg;
    int64_t *rg_rows; /* rows per row group */
    pq_chunk *chunk;  /* nrg x nleaf */
} pq_meta;

/* Parse FileMetaData (the footer's Thrift bytes). */
int pq_meta_parse(const uint8_t *buf, size_t len, pq_meta *m, vm_err *err);
void pq_meta_free(pq_meta *m);

typedef struct pq_page_header {
    int type; /* 0 data v1, 2 dictionary, 3 data v2 */
    int32_t uncomp_bytes, comp_bytes;
    int32_t num_values, encoding;
    int32_t def_enc, rep_enc;     /* v1 */
    int32_t def_bytes, rep_bytes; /* v2 */
    bool v2_compressed;
} pq_page_header;

/* Parse one page header at buf; *hdr_len gets its size. */
int pq_page_header_parse(const uint8_t *buf, size_t len, pq_page_header *h, size_t *hdr_len,
                         vm_err *err);

typedef struct pq_file {
    char *path;
    const uint8_t *map;
    size_t size;
    pq_meta meta;
} pq_file;

int pq_file_open(pq_file *f, const char *path, vm_err *err);
void pq_file_close(pq_file *f);
/* Index of the leaf whose top-level name is name, or -1. */
int pq_find_leaf(const pq_meta *m, const char *name);
/* One line per leaf column ("emb: list<float>") for `dataset info`. */
void pq_describe(const pq_meta *m, strbuf *out);

/* Decoding one column chunk, page by page. */
typedef struct pq_col {
    const pq_file *f;
    const pq_leaf *leaf;
    const pq_chunk *ck;
    const uint8_t *pos, *end;
    strbuf dict_buf, page_buf;
    const uint8_t *dict;
    uint32_t dict_n;
    uint32_t *def, *rep, *idx;
    size_t lev_cap, rep_cap, idx_cap;
    uint32_t n_ent, ent; /* level entries in the page, cursor */
    const uint8_t *vals;
    uint32_t n_vals, val; /* non-null values in the page, cursor */
    bool use_dict;
    int width; /* bytes per value */
} pq_col;

int pq_col_open(pq_col *c, const pq_file *f, uint32_t leaf, uint32_t rg, vm_err *err);
/* The next row's values (at most cap) as float32 (want DS_F32) or int64
 * (DS_I64) at out; *got gets the count (0 for a null or empty list). */
int pq_col_row(pq_col *c, ds_elem want, void *out, uint32_t cap, uint32_t *got, vm_err *err);
void pq_col_close(pq_col *c);

/* A vector source over one or more parquet files read as one sequence of
 * rows.  column: the list column to read (NULL: "emb", "embedding",
 * "vector", "neighbors_id", else the only list of floats or doubles —
 * several are refused naming param "column" — else the first list of
 * numbers); the row ids come from an integer `id` column when there is
 * one (string ids, as the hub's `_id`, are not ids: the row's position is). */
int ds_src_open_parquet(ds_src *s, const char *const *paths, size_t npaths, const char *column,
                        vm_err *err);

#endif
