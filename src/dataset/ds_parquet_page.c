/* ds_parquet_page: a column chunk's pages — their headers (Thrift, as the
 * metadata), decompression (Snappy, GZIP, ZSTD by their libraries), the
 * RLE / bit-packed hybrid of levels and dictionary indices, and PLAIN or
 * dictionary values — loaded one data page at a time into the column
 * reader's state (pq_col).  Data pages v1 (levels inside the compressed
 * body) and v2 (levels before it, uncompressed) both occur. */
#include <snappy-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "../util/vm_grow.h"
#include "ds_parquet_int.h"
#include "ds_thrift.h"

/* ---- page headers ------------------------------------------------------ */

static int parse_sub(tc_cur *c, pq_page_header *h, int which)
{
    int16_t last = 0, id;
    uint8_t t;
    int r;
    if (!tc_enter(c))
        return -1;
    while ((r = tc_field(c, &last, &id, &t)) == 1) {
        if (t == TC_TRUE || t == TC_FALSE) {
            if (which == 8 && id == 7)
                h->v2_compressed = t == TC_TRUE;
            continue;
        }
        if (t != TC_I32) {
            tc_skip(c, t);
            continue;
        }
        int32_t v = (int32_t)tc_int(c);
        if (id == 1)
            h->num_values = v;
        else if (which == 5 && id == 2)
            h->encoding = v;
        else if (which == 5 && id == 3)
            h->def_enc = v;
        else if (which == 5 && id == 4)
            h->rep_enc = v;
        else if (which == 7 && id == 2)
            h->encoding = v;
        else if (which == 8 && id == 4)
            h->encoding = v;
        else if (which == 8 && id == 5)
            h->def_bytes = v;
        else if (which == 8 && id == 6)
            h->rep_bytes = v;
    }
    tc_leave(c);
    return r == 0 && !c->bad ? 0 : -1;
}

int pq_page_header_parse(const uint8_t *buf, size_t len, pq_page_header *h, size_t *hdr_len,
                         vm_err *err)
{
    memset(h, 0, sizeof(*h));
    h->type = -1;
    h->v2_compressed = true;
    tc_cur c;
    tc_init(&c, buf, len);
    int16_t last = 0, id;
    uint8_t t;
    int r;
    tc_enter(&c);
    while ((r = tc_field(&c, &last, &id, &t)) == 1) {
        if (id == 1 && t == TC_I32)
            h->type = (int)tc_int(&c);
        else if (id == 2 && t == TC_I32)
            h->uncomp_bytes = (int32_t)tc_int(&c);
        else if (id == 3 && t == TC_I32)
            h->comp_bytes = (int32_t)tc_int(&c);
        else if ((id == 5 || id == 7 || id == 8) && t == TC_STRUCT) {
            if (parse_sub(&c, h, id) < 0)
                break;
        } else
            tc_skip(&c, t);
        if (c.bad)
            break;
    }
    if (r != 0 || c.bad || h->type < 0 || h->comp_bytes < 0 || h->uncomp_bytes < 0 ||
        h->num_values < 0 || h->def_bytes < 0 || h->rep_bytes < 0)
        return vm_err_set(err, VM_EINPUT, "malformed page header");
    *hdr_len = (size_t)(c.p - buf);
    return 0;
}

/* ---- RLE / bit-packed hybrid ------------------------------------------- */

/* A bit-packed run: groups of 8 values of bw bits from q (before end) into
 * out[*got..n). */
static void unpack_run(const uint8_t *q, const uint8_t *end, uint64_t groups, int bw, uint32_t n,
                       uint32_t *out, uint32_t *got_io)
{
    uint32_t got = *got_io;
    const uint64_t mask = bw == 32 ? 0xffffffffull : (1ull << bw) - 1;
    for (uint64_t gi = 0; gi < groups && got < n; gi++, q += bw) {
        /* 8 values in bw bytes; a 64-bit window covers any value
         * (shift <= 7, bw <= 32) when 8 bytes past it are readable */
        if (end - q >= bw + 8 && n - got >= 8) {
            for (int i = 0; i < 8; i++) {
                uint32_t off = (uint32_t)(i * bw);
                uint64_t w;
                memcpy(&w, q + (off >> 3), 8);
                out[got++] = (uint32_t)((w >> (off & 7)) & mask);
            }
            continue;
        }
        uint64_t acc = 0;
        int have = 0;
        const uint8_t *r = q;
        for (int i = 0; i < 8; i++) {
            while (have < bw) {
                acc |= (uint64_t)*r++ << have;
                have += 8;
            }
            uint32_t v = (uint32_t)(acc & mask);
            acc = bw == 64 ? 0 : acc >> bw;
            have -= bw;
            if (got < n)
                out[got++] = v;
        }
    }
    *got_io = got;
}

/* An RLE run: m copies of v at o, filled by doubling memcpy (long runs: a
 * page of non-null values). */
static void repeat_run(uint32_t *o, uint32_t v, uint32_t m)
{
    if (m)
        o[0] = v;
    for (uint32_t done = 1; done < m;) {
        uint32_t cpy = done < m - done ? done : m - done;
        memcpy(o + done, o, (size_t)cpy * 4);
        done += cpy;
    }
}

/* RLE / bit-packed hybrid: n values of bit width bw from p[0..len). */
static int rle_decode(const uint8_t *p, size_t len, int bw, uint32_t n, uint32_t *out)
{
    const uint8_t *end = p + len;
    uint32_t got = 0;
    if (bw < 0 || bw > 32)
        return -1;
    while (got < n) {
        uint64_t h = 0;
        for (int s = 0;; s += 7) {
            if (p >= end || s > 35)
                return -1;
            uint8_t b = *p++;
            h |= (uint64_t)(b & 0x7f) << s;
            if (!(b & 0x80))
                break;
        }
        if (h & 1) {
            uint64_t groups = h >> 1;
            uint64_t bytes = groups * (uint64_t)bw;
            if (groups == 0 || bytes > (uint64_t)(end - p))
                return -1;
            unpack_run(p, end, groups, bw, n, out, &got);
            p += bytes;
        } else {
            uint64_t cnt = h >> 1;
            int vb = (bw + 7) / 8;
            if (vb > end - p)
                return -1;
            uint32_t v = 0;
            for (int i = 0; i < vb; i++)
                v |= (uint32_t)p[i] << (8 * i);
            p += vb;
            if (cnt == 0)
                return -1;
            uint32_t m = cnt < (uint64_t)(n - got) ? (uint32_t)cnt : n - got;
            repeat_run(out + got, v, m);
            got += m;
        }
    }
    return 0;
}

static int bit_width(int max)
{
    int w = 0;
    while (max >> w)
        w++;
    return w;
}

/* Decompress in[0..n) to exactly want bytes in sb. */
static int decompress(pq_col *c, const uint8_t *in, size_t n, size_t want, strbuf *sb, vm_err *err)
{
    if (want > PQ_MAX_PAGE_BYTES)
        return pq_col_err(c, err, "page too large", NULL);
    sb_reset(sb);
    sb_grow(sb, want + 1);
    switch (c->ck->codec) {
    case CODEC_SNAPPY: {
        size_t ul;
        if (snappy_uncompressed_length((const char *)in, n, &ul) != SNAPPY_OK || ul != want ||
            snappy_uncompress((const char *)in, n, sb->buf, &ul) != SNAPPY_OK || ul != want)
            return pq_col_err(c, err, "corrupt Snappy page", NULL);
        break;
    }
    case CODEC_ZSTD: {
        size_t r = ZSTD_decompress(sb->buf, want, in, n);
        if (ZSTD_isError(r) || r != want)
            return pq_col_err(c, err, "corrupt ZSTD page", NULL);
        break;
    }
    case CODEC_GZIP: {
        z_stream z;
        memset(&z, 0, sizeof(z));
        if (inflateInit2(&z, 15 + 32) != Z_OK)
            return pq_col_err(c, err, "zlib init failed", NULL);
        z.next_in = (Bytef *)in;
        z.avail_in = (uInt)n;
        z.next_out = (Bytef *)sb->buf;
        z.avail_out = (uInt)want;
        int zr = inflate(&z, Z_FINISH);
        size_t out = z.total_out;
        inflateEnd(&z);
        if (zr != Z_STREAM_END || out != want)
            return pq_col_err(c, err, "corrupt GZIP page", NULL);
        break;
    }
    default:
        return pq_col_err(c, err, "compression not supported: ", pq_codec_name(c->ck->codec));
    }
    sb->len = want;
    return 0;
}

static int load_values(pq_col *c, const uint8_t *p, size_t len, int enc, vm_err *err)
{
    uint32_t nn = 0;
    if (c->leaf->max_def == 0)
        nn = c->n_ent;
    else
        for (uint32_t i = 0; i < c->n_ent; i++)
            nn += c->def[i] == (uint32_t)c->leaf->max_def;
    c->n_vals = nn;
    c->val = 0;
    if (enc == ENC_PLAIN) {
        if ((uint64_t)nn * (uint64_t)c->width > len)
            return pq_col_err(c, err, "values run past the page", NULL);
        c->vals = p;
        c->use_dict = false;
        return 0;
    }
    if (enc == ENC_PLAIN_DICT || enc == ENC_RLE_DICT) {
        if (!c->dict)
            return pq_col_err(c, err, "dictionary-encoded page without a dictionary", NULL);
        if (nn && len < 1)
            return pq_col_err(c, err, "empty dictionary index page", NULL);
        VM_GROW(c->idx, nn ? nn : 1, c->idx_cap);
        if (nn && rle_decode(p + 1, len - 1, p[0], nn, c->idx) < 0)
            return pq_col_err(c, err, "corrupt dictionary indices", NULL);
        c->use_dict = true;
        return 0;
    }
    char e[16];
    snprintf(e, sizeof(e), "%d", enc);
    return pq_col_err(c, err, "value encoding not supported: ", e);
}

/* Load the next data page: 1 loaded, 0 no more pages, -1 error. */

/* ---- data pages -------------------------------------------------------- */

/* A dictionary page: its values, decompressed if need be, become c->dict. */
static int load_dict(pq_col *c, const pq_page_header *h, const uint8_t *body, vm_err *err)
{
    const uint8_t *d = body;
    size_t dl = (size_t)h->comp_bytes;
    if (c->ck->codec != CODEC_NONE) {
        if (decompress(c, body, dl, (size_t)h->uncomp_bytes, &c->dict_buf, err) < 0)
            return -1;
        d = (const uint8_t *)c->dict_buf.buf;
        dl = c->dict_buf.len;
    }
    if (h->encoding != ENC_PLAIN && h->encoding != ENC_PLAIN_DICT)
        return pq_col_err(c, err, "dictionary page not PLAIN", NULL);
    if ((uint64_t)h->num_values * (uint64_t)c->width > dl)
        return pq_col_err(c, err, "dictionary runs past its page", NULL);
    c->dict = d;
    c->dict_n = (uint32_t)h->num_values;
    return 0;
}

/* A v1 data page of n entries: levels (each behind a 4-byte length) then
 * values, all inside the compressed body. */
static int load_v1(pq_col *c, const pq_page_header *h, const uint8_t *body, uint32_t n, vm_err *err)
{
    const uint8_t *p = body;
    size_t len = (size_t)h->comp_bytes;
    if (c->ck->codec != CODEC_NONE) {
        if (decompress(c, body, (size_t)h->comp_bytes, (size_t)h->uncomp_bytes, &c->page_buf, err) <
            0)
            return -1;
        p = (const uint8_t *)c->page_buf.buf;
        len = c->page_buf.len;
    }
    const uint8_t *end = p + len;
    for (int pass = 0; pass < 2; pass++) {
        int max = pass == 0 ? c->leaf->max_rep : c->leaf->max_def;
        if (!max)
            continue;
        int enc = pass == 0 ? h->rep_enc : h->def_enc;
        if (enc != ENC_RLE)
            return pq_col_err(c, err, "level encoding not RLE", NULL);
        if (end - p < 4)
            return pq_col_err(c, err, "truncated levels", NULL);
        uint32_t ll;
        memcpy(&ll, p, 4);
        p += 4;
        if (ll > (size_t)(end - p) ||
            rle_decode(p, ll, bit_width(max), n, pass == 0 ? c->rep : c->def) < 0)
            return pq_col_err(c, err, "corrupt levels", NULL);
        p += ll;
    }
    return load_values(c, p, (size_t)(end - p), h->encoding, err);
}

/* A v2 data page of n entries: uncompressed levels, then the values,
 * compressed unless the header says not. */
static int load_v2(pq_col *c, const pq_page_header *h, const uint8_t *body, uint32_t n, vm_err *err)
{
    size_t lv = (size_t)h->rep_bytes + (size_t)h->def_bytes;
    if (lv > (size_t)h->comp_bytes || lv > (size_t)h->uncomp_bytes)
        return pq_col_err(c, err, "levels larger than the page", NULL);
    if ((c->leaf->max_rep &&
         rle_decode(body, (size_t)h->rep_bytes, bit_width(c->leaf->max_rep), n, c->rep) < 0) ||
        (c->leaf->max_def && rle_decode(body + h->rep_bytes, (size_t)h->def_bytes,
                                        bit_width(c->leaf->max_def), n, c->def) < 0))
        return pq_col_err(c, err, "corrupt levels", NULL);
    const uint8_t *p = body + lv;
    size_t len = (size_t)h->comp_bytes - lv;
    if (c->ck->codec != CODEC_NONE && h->v2_compressed) {
        if (decompress(c, p, len, (size_t)h->uncomp_bytes - lv, &c->page_buf, err) < 0)
            return -1;
        p = (const uint8_t *)c->page_buf.buf;
        len = c->page_buf.len;
    }
    return load_values(c, p, len, h->encoding, err);
}

int pq_page_load(pq_col *c, vm_err *err)
{
    while (c->pos < c->end) {
        pq_page_header h;
        size_t hl;
        if (pq_page_header_parse(c->pos, (size_t)(c->end - c->pos), &h, &hl, err) < 0)
            return pq_col_err(c, err, "malformed page header", NULL);
        const uint8_t *body = c->pos + hl;
        if ((size_t)h.comp_bytes > (size_t)(c->end - body))
            return pq_col_err(c, err, "page runs past its column chunk (truncated file?)", NULL);
        c->pos = body + h.comp_bytes;
        if (h.type == 2) { /* dictionary */
            if (load_dict(c, &h, body, err) < 0)
                return -1;
            continue;
        }
        if (h.type != 0 && h.type != 3)
            continue; /* index pages */
        uint32_t n = (uint32_t)h.num_values;
        if (n > PQ_MAX_PAGE_VALUES || (int64_t)n > c->ck->num_values)
            return pq_col_err(c, err, "page claims more values than its column chunk", NULL);
        c->n_ent = n;
        c->ent = 0;
        if (c->leaf->max_def)
            VM_GROW(c->def, n ? n : 1, c->lev_cap);
        if (c->leaf->max_rep)
            VM_GROW(c->rep, n ? n : 1, c->rep_cap);
        if ((h.type == 0 ? load_v1(c, &h, body, n, err) : load_v2(c, &h, body, n, err)) < 0)
            return -1;
        return 1;
    }
    return 0;
}
