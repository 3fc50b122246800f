/* pq_thrift: the Thrift compact protocol, just what a parquet footer and
 * page headers need — shared by the tests' parquet writers
 * (tests/unit/test_ds_parquet_layouts.c, tests/integration/hf_parquet.c),
 * which make layouts no shared file has.  Header-only, over util/strbuf. */
#ifndef PQ_THRIFT_H
#define PQ_THRIFT_H

#include <stdint.h>
#include <string.h>

#include "util/strbuf.h"

static inline void w_varint(strbuf *b, uint64_t v)
{
    while (v >= 0x80) {
        sb_addch(b, (char)(v | 0x80));
        v >>= 7;
    }
    sb_addch(b, (char)v);
}
static inline void w_field(strbuf *b, int16_t *last, int16_t id, uint8_t type)
{
    sb_addch(b, (char)(((id - *last) << 4) | type));
    *last = id;
}
static inline void w_i(strbuf *b, int16_t *last, int16_t id, uint8_t type, int64_t v)
{
    w_field(b, last, id, type);
    w_varint(b, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}
static inline void w_bin(strbuf *b, const char *s)
{
    w_varint(b, strlen(s));
    sb_addstr(b, s);
}
static inline void w_str(strbuf *b, int16_t *last, int16_t id, const char *s)
{
    w_field(b, last, id, 8);
    w_bin(b, s);
}
static inline void w_list(strbuf *b, int16_t *last, int16_t id, uint8_t etype, uint32_t n)
{
    w_field(b, last, id, 9);
    sb_addch(b, (char)((n < 15 ? n : 15) << 4 | etype));
    if (n >= 15)
        w_varint(b, n);
}
/* schema element: type (-1 none), repetition, name, children (-1 none),
 * converted type (-1 none) */
static inline void w_schema(strbuf *b, int type, int rep, const char *name, int nchild, int conv)
{
    int16_t l = 0;
    if (type >= 0)
        w_i(b, &l, 1, 5, type);
    if (rep >= 0)
        w_i(b, &l, 3, 5, rep);
    w_str(b, &l, 4, name);
    if (nchild >= 0)
        w_i(b, &l, 5, 5, nchild);
    if (conv >= 0)
        w_i(b, &l, 6, 5, conv);
    sb_addch(b, 0);
}

#endif
