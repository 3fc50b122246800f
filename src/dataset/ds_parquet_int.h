/* ds_parquet_int: what the parquet reader's files share, and nothing else
 * does.  The files call each other one way only, top to bottom:
 *   ds_parquet.c       the vector source (ds_src) over one or more files
 *   ds_parquet_col.c   the column reader: one row's values at a time
 *   ds_parquet_page.c  pages: headers, decompression, RLE / bit-packed
 *                      levels, PLAIN and dictionary values
 *   ds_parquet_meta.c  a file: mapped, its footer's FileMetaData (schema,
 *                      row groups, column chunks) decoded with ds_thrift.c
 * The public contract — and why the reader is hand-written — is
 * ds_parquet.h. */
#ifndef DS_PARQUET_INT_H
#define DS_PARQUET_INT_H

#include "ds_parquet.h"

/* Bounds on what one page may claim: its input is untrusted. */
#define PQ_MAX_PAGE_BYTES (256u << 20)
#define PQ_MAX_PAGE_VALUES (1u << 26)

/* parquet.thrift's enums, the values the reader uses */
enum { CODEC_NONE = 0, CODEC_SNAPPY = 1, CODEC_GZIP = 2, CODEC_ZSTD = 6 };
enum { ENC_PLAIN = 0, ENC_PLAIN_DICT = 2, ENC_RLE = 3, ENC_RLE_DICT = 8 };
enum { REP_REQUIRED = 0, REP_OPTIONAL = 1, REP_REPEATED = 2 };

/* --- ds_parquet_meta.c ---------------------------------------------------- */

/* Names for errors and `dataset info`: "SNAPPY", "float"... */
const char *pq_codec_name(int codec);
const char *pq_type_name(int type);
/* Bytes per value of a numeric physical type (PQ_*), 0 for the others. */
int pq_type_width(int type);

/* --- ds_parquet_page.c ---------------------------------------------------- */

/* Load the column's next data page — its levels into c->def / c->rep, its
 * values (or dictionary indices) ready for pq_col_row — reading any
 * dictionary page on the way: 1 loaded, 0 no more pages, -1 error. */
int pq_page_load(pq_col *c, vm_err *err);

/* An error about column c at its current position in the file. */
static inline int pq_col_err(const pq_col *c, vm_err *err, const char *msg, const char *what)
{
    return vm_err_set(err, VM_EINPUT, "%s: column %s at offset %zu: %s%s", c->f->path,
                      c->leaf->path, (size_t)(c->pos - c->f->map), msg, what ? what : "");
}

#endif
