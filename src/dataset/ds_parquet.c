/* ds_parquet: parquet metadata, pages and column decoding, and the parquet
 * vector source.  Why hand-written and what is supported: ds_parquet.h. */
#include "ds_parquet.h"

#include <errno.h>
#include <fcntl.h>
#include <snappy-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "ds_thrift.h"

#define PQ_MAX_PAGE_BYTES (256u << 20)
#define PQ_MAX_PAGE_VALUES (1u << 26)
enum { CODEC_NONE = 0, CODEC_SNAPPY = 1, CODEC_GZIP = 2, CODEC_ZSTD = 6 };
enum { ENC_PLAIN = 0, ENC_PLAIN_DICT = 2, ENC_RLE = 3, ENC_RLE_DICT = 8 };
enum { REP_REQUIRED = 0, REP_OPTIONAL = 1, REP_REPEATED = 2 };

static const char *codec_name(int c)
{
    static const char *names[] = {"UNCOMPRESSED", "SNAPPY", "GZIP", "LZO", "BROTLI", "LZ4", "ZSTD", "LZ4_RAW"};
    return c >= 0 && c < 8 ? names[c] : "unknown";
}

static const char *type_name(int t)
{
    static const char *names[] = {"boolean", "int32", "int64", "int96", "float", "double", "binary", "fixed_len_byte_array"};
    return t >= 0 && t < 8 ? names[t] : "?";
}

static int type_width(int t)
{
    return t == PQ_INT32 || t == PQ_FLOAT ? 4 : t == PQ_INT64 || t == PQ_DOUBLE ? 8 : 0;
}

/* ---- metadata ---------------------------------------------------------- */

typedef struct schema_el {
    int type, rep, nchild;
    char *name;
} schema_el;

static int parse_schema_el(tc_cur *c, schema_el *e)
{
    int16_t last = 0, id;
    uint8_t t;
    int r;
    e->type = -1;
    e->rep = REP_REQUIRED;
    if (!tc_enter(c))
        return -1;
    while ((r = tc_field(c, &last, &id, &t)) == 1) {
        if (id == 1 && t == TC_I32)
            e->type = (int)tc_int(c);
        else if (id == 3 && t == TC_I32)
            e->rep = (int)tc_int(c);
        else if (id == 4 && t == TC_BINARY) {
            size_t l;
            const uint8_t *p = tc_binary(c, &l);
            if (p) {
                free(e->name);
                e->name = strndup((const char *)p, l);
            }
        } else if (id == 5 && t == TC_I32)
            e->nchild = (int)tc_int(c);
        else
            tc_skip(c, t);
    }
    tc_leave(c);
    return r == 0 && !c->bad && e->name ? 0 : -1;
}

static int parse_column_meta(tc_cur *c, pq_chunk *k)
{
    int16_t last = 0, id;
    uint8_t t;
    int r;
    if (!tc_enter(c))
        return -1;
    while ((r = tc_field(c, &last, &id, &t)) == 1) {
        if (id == 1 && t == TC_I32)
            k->type = (int)tc_int(c);
        else if (id == 4 && t == TC_I32)
            k->codec = (int)tc_int(c);
        else if (id == 5 && t == TC_I64)
            k->num_values = tc_int(c);
        else if (id == 7 && t == TC_I64)
            k->comp_bytes = tc_int(c);
        else if (id == 9 && t == TC_I64)
            k->data_off = tc_int(c);
        else if (id == 11 && t == TC_I64)
            k->dict_off = tc_int(c);
        else
            tc_skip(c, t);
    }
    tc_leave(c);
    return r == 0 && !c->bad ? 0 : -1;
}

static int parse_column_chunk(tc_cur *c, pq_chunk *k, bool *external)
{
    int16_t last = 0, id;
    uint8_t t;
    int r;
    bool have_meta = false;
    if (!tc_enter(c))
        return -1;
    while ((r = tc_field(c, &last, &id, &t)) == 1) {
        if (id == 1 && t == TC_BINARY) {
            *external = true;
            tc_skip(c, t);
        } else if (id == 3 && t == TC_STRUCT) {
            if (parse_column_meta(c, k) < 0)
                return -1;
            have_meta = true;
        } else
            tc_skip(c, t);
    }
    tc_leave(c);
    return r == 0 && !c->bad && have_meta ? 0 : -1;
}

static int parse_row_group(tc_cur *c, pq_meta *m, uint32_t rg, vm_err *err)
{
    int16_t last = 0, id;
    uint8_t t;
    int r;
    uint32_t ncols = 0;
    if (!tc_enter(c))
        return -1;
    while ((r = tc_field(c, &last, &id, &t)) == 1) {
        if (id == 1 && t == TC_LIST) {
            uint8_t et;
            uint32_t n;
            if (tc_list(c, &et, &n) < 0 || et != TC_STRUCT)
                return -1;
            if (n != m->nleaf)
                return vm_err_set(err, VM_EINPUT, "row group %u has %u columns, the schema %u", rg,
                                  n, m->nleaf);
            for (uint32_t i = 0; i < n; i++) {
                bool ext = false;
                if (parse_column_chunk(c, &m->chunk[(size_t)rg * m->nleaf + i], &ext) < 0)
                    return -1;
                if (ext)
                    return vm_err_set(err, VM_EINPUT,
                                      "columns stored in other files are not supported");
            }
            ncols = n;
        } else if (id == 3 && t == TC_I64)
            m->rg_rows[rg] = tc_int(c);
        else
            tc_skip(c, t);
    }
    tc_leave(c);
    if (r != 0 || c->bad)
        return -1;
    if (ncols != m->nleaf)
        return vm_err_set(err, VM_EINPUT, "row group %u lists no columns", rg);
    if (m->rg_rows[rg] < 0)
        return -1;
    return 0;
}

/* Depth-first walk of the flattened schema: fills m->leaf. */
static int walk_schema(const schema_el *el, uint32_t nel, uint32_t *at, int def, int rep,
                       const char *prefix, const char *top, pq_meta *m, int depth)
{
    if (*at >= nel || depth > 16)
        return -1;
    const schema_el *e = &el[(*at)++];
    if (e->rep == REP_OPTIONAL)
        def++;
    else if (e->rep == REP_REPEATED) {
        def++;
        rep++;
    }
    strbuf path = STRBUF_INIT;
    if (prefix[0])
        sb_addf(&path, "%s.", prefix);
    sb_addstr(&path, e->name);
    const char *tp = top ? top : e->name;
    int rc = 0;
    if (e->nchild > 0) {
        for (int i = 0; i < e->nchild && rc == 0; i++)
            rc = walk_schema(el, nel, at, def, rep, path.buf, tp, m, depth + 1);
    } else {
        pq_leaf *l = &m->leaf[m->nleaf++];
        l->path = sb_detach(&path, NULL);
        l->top = strdup(tp);
        l->type = e->type;
        l->max_def = def;
        l->max_rep = rep;
    }
    sb_release(&path);
    return rc;
}

static int meta_fail(pq_meta *m, vm_err *err, const char *what)
{
    pq_meta_free(m);
    if (err && err->code)
        return -1;
    return vm_err_set(err, VM_EINPUT, "malformed parquet metadata (%s)", what);
}

int pq_meta_parse(const uint8_t *buf, size_t len, pq_meta *m, vm_err *err)
{
    memset(m, 0, sizeof(*m));
    if (err)
        vm_err_clear(err);
    tc_cur c;
    tc_init(&c, buf, len);
    schema_el *el = NULL;
    uint32_t nel = 0;
    int16_t last = 0, id;
    uint8_t t;
    int r;
    bool have_rg = false;
    const uint8_t *rg_at = NULL;
    uint32_t nrg = 0;
    if (!tc_enter(&c))
        return meta_fail(m, err, "depth");
    while ((r = tc_field(&c, &last, &id, &t)) == 1) {
        if (id == 2 && t == TC_LIST && !el) {
            uint8_t et;
            if (tc_list(&c, &et, &nel) < 0 || et != TC_STRUCT || nel < 2 || nel > 100000)
                break;
            el = calloc(nel, sizeof(*el));
            for (uint32_t i = 0; i < nel; i++)
                if (parse_schema_el(&c, &el[i]) < 0) {
                    c.bad = true;
                    break;
                }
        } else if (id == 3 && t == TC_I64)
            m->num_rows = tc_int(&c);
        else if (id == 4 && t == TC_LIST) {
            /* row groups need the schema's leaf count: remember where they are */
            uint8_t et;
            rg_at = c.p;
            if (tc_list(&c, &et, &nrg) < 0 || et != TC_STRUCT)
                break;
            c.p = rg_at;
            tc_skip(&c, TC_LIST);
            have_rg = true;
        } else
            tc_skip(&c, t);
        if (c.bad)
            break;
    }
    tc_leave(&c);
    int rc = 0;
    if (r != 0 || c.bad || !el || !have_rg) {
        rc = -1;
    } else {
        m->leaf = calloc(nel, sizeof(*m->leaf));
        uint32_t at = 1;
        if (el[0].nchild <= 0)
            rc = -1;
        for (int i = 0; i < el[0].nchild && rc == 0; i++)
            rc = walk_schema(el, nel, &at, 0, 0, "", NULL, m, 0);
        if (rc == 0 && at != nel)
            rc = -1;
    }
    for (uint32_t i = 0; el && i < nel; i++)
        free(el[i].name);
    free(el);
    if (rc < 0)
        return meta_fail(m, err, "schema");
    if (nrg > 1000000 || (m->nleaf && nrg > SIZE_MAX / m->nleaf / sizeof(pq_chunk)))
        return meta_fail(m, err, "row groups");
    m->nrg = nrg;
    m->rg_rows = calloc(nrg ? nrg : 1, sizeof(int64_t));
    m->chunk = calloc(nrg && m->nleaf ? (size_t)nrg * m->nleaf : 1, sizeof(pq_chunk));
    tc_init(&c, rg_at, (size_t)(buf + len - rg_at));
    uint8_t et;
    if (tc_list(&c, &et, &nrg) < 0)
        return meta_fail(m, err, "row groups");
    int64_t total = 0;
    for (uint32_t i = 0; i < m->nrg; i++) {
        if (parse_row_group(&c, m, i, err) < 0)
            return meta_fail(m, err, "row group");
        total += m->rg_rows[i];
    }
    if (total != m->num_rows)
        return meta_fail(m, err, "row counts");
    return 0;
}

void pq_meta_free(pq_meta *m)
{
    for (uint32_t i = 0; i < m->nleaf; i++) {
        free(m->leaf[i].path);
        free(m->leaf[i].top);
    }
    free(m->leaf);
    free(m->rg_rows);
    free(m->chunk);
    memset(m, 0, sizeof(*m));
}

int pq_find_leaf(const pq_meta *m, const char *name)
{
    for (uint32_t i = 0; i < m->nleaf; i++)
        if (!strcmp(m->leaf[i].top, name))
            return (int)i;
    return -1;
}

void pq_describe(const pq_meta *m, strbuf *out)
{
    for (uint32_t i = 0; i < m->nleaf; i++) {
        const pq_leaf *l = &m->leaf[i];
        if (l->max_rep > 0)
            sb_addf(out, "%s: list<%s>", l->top, type_name(l->type));
        else
            sb_addf(out, "%s: %s", l->top, type_name(l->type));
        if (m->nrg)
            sb_addf(out, " (%s)", codec_name(m->chunk[i].codec));
        sb_addch(out, '\n');
    }
}

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

/* ---- files ------------------------------------------------------------- */

int pq_file_open(pq_file *f, const char *path, vm_err *err)
{
    memset(f, 0, sizeof(*f));
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return vm_err_set(err, VM_EINPUT, "%s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return vm_err_set(err, VM_EINPUT, "%s: not a regular file", path);
    }
    size_t size = (size_t)st.st_size;
    if (size < 12) {
        close(fd);
        return vm_err_set(err, VM_EINPUT, "%s: truncated: %zu bytes is no parquet file", path, size);
    }
    const uint8_t *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (map == MAP_FAILED)
        return vm_err_set(err, VM_EIO, "%s: mmap: %s", path, strerror(errno));
    f->map = map;
    f->size = size;
    f->path = strdup(path);
    if (memcmp(map, "PAR1", 4) || memcmp(map + size - 4, "PAR1", 4)) {
        pq_file_close(f);
        return vm_err_set(err, VM_EINPUT, "%s: no PAR1 magic at both ends: not parquet (or truncated)",
                          path);
    }
    uint32_t ml;
    memcpy(&ml, map + size - 8, 4);
    if (ml > size - 12) {
        pq_file_close(f);
        return vm_err_set(err, VM_EINPUT, "%s: footer length %u larger than the file", path, ml);
    }
    if (pq_meta_parse(map + size - 8 - ml, ml, &f->meta, err) < 0) {
        vm_err_prefix(err, "%s", path);
        pq_file_close(f);
        return -1;
    }
    for (size_t i = 0; i < (size_t)f->meta.nrg * f->meta.nleaf; i++) {
        const pq_chunk *k = &f->meta.chunk[i];
        int64_t start = k->dict_off > 0 && k->dict_off < k->data_off ? k->dict_off : k->data_off;
        if (start < 4 || k->comp_bytes < 0 || (uint64_t)start > size ||
            (uint64_t)k->comp_bytes > size - (uint64_t)start) {
            pq_file_close(f);
            return vm_err_set(err, VM_EINPUT, "%s: column chunk %zu lies outside the file", path, i);
        }
    }
    madvise((void *)map, size, MADV_SEQUENTIAL);
    return 0;
}

void pq_file_close(pq_file *f)
{
    if (f->map)
        munmap((void *)f->map, f->size);
    pq_meta_free(&f->meta);
    free(f->path);
    memset(f, 0, sizeof(*f));
}

/* ---- column decoding --------------------------------------------------- */

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
            const uint8_t *q = p;
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
            /* long runs (a page of non-null values): fill by doubling memcpy */
            uint32_t *o = out + got;
            if (m)
                o[0] = v;
            for (uint32_t done = 1; done < m;) {
                uint32_t cpy = done < m - done ? done : m - done;
                memcpy(o + done, o, (size_t)cpy * 4);
                done += cpy;
            }
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

static int col_err(pq_col *c, vm_err *err, const char *fmt, const char *what)
{
    return vm_err_set(err, VM_EINPUT, "%s: column %s at offset %zu: %s%s", c->f->path,
                      c->leaf->path, (size_t)(c->pos - c->f->map), fmt, what ? what : "");
}

/* Decompress in[0..n) to exactly want bytes in sb. */
static int decompress(pq_col *c, const uint8_t *in, size_t n, size_t want, strbuf *sb,
                      vm_err *err)
{
    if (want > PQ_MAX_PAGE_BYTES)
        return col_err(c, err, "page too large", NULL);
    sb_reset(sb);
    sb_grow(sb, want + 1);
    switch (c->ck->codec) {
    case CODEC_SNAPPY: {
        size_t ul;
        if (snappy_uncompressed_length((const char *)in, n, &ul) != SNAPPY_OK || ul != want ||
            snappy_uncompress((const char *)in, n, sb->buf, &ul) != SNAPPY_OK || ul != want)
            return col_err(c, err, "corrupt Snappy page", NULL);
        break;
    }
    case CODEC_ZSTD: {
        size_t r = ZSTD_decompress(sb->buf, want, in, n);
        if (ZSTD_isError(r) || r != want)
            return col_err(c, err, "corrupt ZSTD page", NULL);
        break;
    }
    case CODEC_GZIP: {
        z_stream z;
        memset(&z, 0, sizeof(z));
        if (inflateInit2(&z, 15 + 32) != Z_OK)
            return col_err(c, err, "zlib init failed", NULL);
        z.next_in = (Bytef *)in;
        z.avail_in = (uInt)n;
        z.next_out = (Bytef *)sb->buf;
        z.avail_out = (uInt)want;
        int zr = inflate(&z, Z_FINISH);
        size_t out = z.total_out;
        inflateEnd(&z);
        if (zr != Z_STREAM_END || out != want)
            return col_err(c, err, "corrupt GZIP page", NULL);
        break;
    }
    default:
        return col_err(c, err, "compression not supported: ", codec_name(c->ck->codec));
    }
    sb->len = want;
    return 0;
}

static void grow_u32(uint32_t **a, size_t *cap, size_t n)
{
    if (n <= *cap)
        return;
    size_t nc = *cap ? *cap : 1024;
    while (nc < n)
        nc *= 2;
    uint32_t *na = realloc(*a, nc * sizeof(uint32_t));
    if (!na)
        abort();
    *a = na;
    *cap = nc;
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
            return col_err(c, err, "values run past the page", NULL);
        c->vals = p;
        c->use_dict = false;
        return 0;
    }
    if (enc == ENC_PLAIN_DICT || enc == ENC_RLE_DICT) {
        if (!c->dict)
            return col_err(c, err, "dictionary-encoded page without a dictionary", NULL);
        if (nn && len < 1)
            return col_err(c, err, "empty dictionary index page", NULL);
        grow_u32(&c->idx, &c->idx_cap, nn ? nn : 1);
        if (nn && rle_decode(p + 1, len - 1, p[0], nn, c->idx) < 0)
            return col_err(c, err, "corrupt dictionary indices", NULL);
        c->use_dict = true;
        return 0;
    }
    char e[16];
    snprintf(e, sizeof(e), "%d", enc);
    return col_err(c, err, "value encoding not supported: ", e);
}

/* Load the next data page: 1 loaded, 0 no more pages, -1 error. */
static int load_page(pq_col *c, vm_err *err)
{
    while (c->pos < c->end) {
        pq_page_header h;
        size_t hl;
        if (pq_page_header_parse(c->pos, (size_t)(c->end - c->pos), &h, &hl, err) < 0)
            return col_err(c, err, "malformed page header", NULL);
        const uint8_t *body = c->pos + hl;
        if ((size_t)h.comp_bytes > (size_t)(c->end - body))
            return col_err(c, err, "page runs past its column chunk (truncated file?)", NULL);
        c->pos = body + h.comp_bytes;
        if (h.type == 2) { /* dictionary */
            const uint8_t *d = body;
            size_t dl = (size_t)h.comp_bytes;
            if (c->ck->codec != CODEC_NONE) {
                if (decompress(c, body, dl, (size_t)h.uncomp_bytes, &c->dict_buf, err) < 0)
                    return -1;
                d = (const uint8_t *)c->dict_buf.buf;
                dl = c->dict_buf.len;
            }
            if (h.encoding != ENC_PLAIN && h.encoding != ENC_PLAIN_DICT)
                return col_err(c, err, "dictionary page not PLAIN", NULL);
            if ((uint64_t)h.num_values * (uint64_t)c->width > dl)
                return col_err(c, err, "dictionary runs past its page", NULL);
            c->dict = d;
            c->dict_n = (uint32_t)h.num_values;
            continue;
        }
        if (h.type != 0 && h.type != 3)
            continue; /* index pages */
        uint32_t n = (uint32_t)h.num_values;
        if (n > PQ_MAX_PAGE_VALUES || (int64_t)n > c->ck->num_values)
            return col_err(c, err, "page claims more values than its column chunk", NULL);
        c->n_ent = n;
        c->ent = 0;
        if (c->leaf->max_def)
            grow_u32(&c->def, &c->lev_cap, n ? n : 1);
        if (c->leaf->max_rep)
            grow_u32(&c->rep, &c->rep_cap, n ? n : 1);
        const uint8_t *p;
        size_t len;
        if (h.type == 0) {
            if (c->ck->codec == CODEC_NONE) {
                p = body;
                len = (size_t)h.comp_bytes;
            } else {
                if (decompress(c, body, (size_t)h.comp_bytes, (size_t)h.uncomp_bytes, &c->page_buf,
                               err) < 0)
                    return -1;
                p = (const uint8_t *)c->page_buf.buf;
                len = c->page_buf.len;
            }
            const uint8_t *end = p + len;
            for (int pass = 0; pass < 2; pass++) {
                int max = pass == 0 ? c->leaf->max_rep : c->leaf->max_def;
                if (!max)
                    continue;
                int enc = pass == 0 ? h.rep_enc : h.def_enc;
                if (enc != ENC_RLE)
                    return col_err(c, err, "level encoding not RLE", NULL);
                if (end - p < 4)
                    return col_err(c, err, "truncated levels", NULL);
                uint32_t ll;
                memcpy(&ll, p, 4);
                p += 4;
                if (ll > (size_t)(end - p) ||
                    rle_decode(p, ll, bit_width(max), n, pass == 0 ? c->rep : c->def) < 0)
                    return col_err(c, err, "corrupt levels", NULL);
                p += ll;
            }
            if (load_values(c, p, (size_t)(end - p), h.encoding, err) < 0)
                return -1;
        } else {
            size_t lv = (size_t)h.rep_bytes + (size_t)h.def_bytes;
            if (lv > (size_t)h.comp_bytes || lv > (size_t)h.uncomp_bytes)
                return col_err(c, err, "levels larger than the page", NULL);
            if ((c->leaf->max_rep && rle_decode(body, (size_t)h.rep_bytes,
                                                bit_width(c->leaf->max_rep), n, c->rep) < 0) ||
                (c->leaf->max_def && rle_decode(body + h.rep_bytes, (size_t)h.def_bytes,
                                                bit_width(c->leaf->max_def), n, c->def) < 0))
                return col_err(c, err, "corrupt levels", NULL);
            p = body + lv;
            len = (size_t)h.comp_bytes - lv;
            if (c->ck->codec != CODEC_NONE && h.v2_compressed) {
                if (decompress(c, p, len, (size_t)h.uncomp_bytes - lv, &c->page_buf, err) < 0)
                    return -1;
                p = (const uint8_t *)c->page_buf.buf;
                len = c->page_buf.len;
            }
            if (load_values(c, p, len, h.encoding, err) < 0)
                return -1;
        }
        return 1;
    }
    return 0;
}

int pq_col_open(pq_col *c, const pq_file *f, uint32_t leaf, uint32_t rg, vm_err *err)
{
    memset(c, 0, sizeof(*c));
    c->f = f;
    c->leaf = &f->meta.leaf[leaf];
    c->ck = &f->meta.chunk[(size_t)rg * f->meta.nleaf + leaf];
    c->width = type_width(c->leaf->type);
    if (!c->width)
        return vm_err_set(err, VM_EINPUT, "%s: column %s has type %s, not a number", f->path,
                          c->leaf->path, type_name(c->leaf->type));
    int64_t start = c->ck->dict_off > 0 && c->ck->dict_off < c->ck->data_off ? c->ck->dict_off
                                                                             : c->ck->data_off;
    c->pos = f->map + start;
    c->end = c->pos + c->ck->comp_bytes;
    return 0;
}

void pq_col_close(pq_col *c)
{
    sb_release(&c->dict_buf);
    sb_release(&c->page_buf);
    free(c->def);
    free(c->rep);
    free(c->idx);
    memset(c, 0, sizeof(*c));
}

/* float to int64 without undefined behaviour for NaN or huge values */
static inline int64_t to_i64(double d)
{
    return d >= -9.2e18 && d <= 9.2e18 ? (int64_t)d : INT64_MIN;
}

static inline void put_value(const pq_col *c, const uint8_t *src, ds_elem want, void *out,
                             uint32_t k)
{
    double d;
    int64_t i;
    switch (c->leaf->type) {
    case PQ_FLOAT: {
        float x;
        memcpy(&x, src, 4);
        if (want == DS_F32) {
            ((float *)out)[k] = x;
            return;
        }
        d = x;
        i = to_i64(d);
        break;
    }
    case PQ_DOUBLE:
        memcpy(&d, src, 8);
        i = to_i64(d);
        break;
    case PQ_INT32: {
        int32_t x;
        memcpy(&x, src, 4);
        i = x;
        d = (double)x;
        break;
    }
    default:
        memcpy(&i, src, 8);
        d = (double)i;
        break;
    }
    if (want == DS_F32)
        ((float *)out)[k] = (float)d;
    else
        ((int64_t *)out)[k] = i;
}

int pq_col_row(pq_col *c, ds_elem want, void *out, uint32_t cap, uint32_t *got, vm_err *err)
{
    uint32_t n = 0;
    bool first = true, done = false;
    const uint32_t maxdef = (uint32_t)c->leaf->max_def;
    const bool has_rep = c->leaf->max_rep > 0;
    const bool f32 = c->leaf->type == PQ_FLOAT && want == DS_F32;
    while (!done) {
        if (c->ent == c->n_ent) {
            int r = load_page(c, err);
            if (r < 0)
                return -1;
            if (r == 0) {
                if (first)
                    return vm_err_set(err, VM_EINPUT, "%s: column %s: fewer rows than the metadata says",
                                      c->f->path, c->leaf->path);
                break;
            }
            continue;
        }
        /* the hot loop works on locals: one page's levels and values */
        const uint32_t *rep = c->rep, *def = c->def, *idx = c->idx;
        const uint8_t *vals = c->use_dict ? c->dict : c->vals;
        const bool dict = c->use_dict;
        const size_t width = (size_t)c->width;
        uint32_t ent = c->ent, nent = c->n_ent, val = c->val;
        while (ent < nent) {
            if (has_rep && !first && rep[ent] == 0) {
                done = true;
                break;
            }
            first = false;
            uint32_t d = maxdef ? def[ent] : 0;
            ent++;
            if (d != maxdef)
                continue; /* null / empty list: the caller sees a short row */
            if (val >= c->n_vals) {
                c->ent = ent;
                return col_err(c, err, "more levels than values", NULL);
            }
            uint32_t k = val++;
            if (dict) {
                k = idx[k];
                if (k >= c->dict_n) {
                    c->ent = ent;
                    return col_err(c, err, "dictionary index out of range", NULL);
                }
            }
            if (n < cap) {
                if (f32)
                    memcpy((float *)out + n, vals + (size_t)k * 4, 4);
                else
                    put_value(c, vals + (size_t)k * width, want, out, n);
            }
            n++;
            if (!has_rep) {
                done = true;
                break;
            }
        }
        c->ent = ent;
        c->val = val;
    }
    *got = n;
    return 0;
}

/* ---- the vector source ------------------------------------------------- */

typedef struct pq_impl {
    pq_file *files;
    size_t nfiles;
    int *vleaf, *ileaf;   /* per file: vector column, id column (-1 none) */
    size_t fi;            /* current file */
    uint32_t rg;          /* current row group */
    int64_t rg_left;      /* rows left in it */
    bool open;
    pq_col vc, ic;
    uint64_t next_row;
    float *skip;          /* scratch for skipped rows */
} pq_impl;

static void pq_close_cols(pq_impl *p)
{
    if (p->open) {
        pq_col_close(&p->vc);
        pq_col_close(&p->ic);
        p->open = false;
    }
}

static int pq_open_rg(ds_src *s, vm_err *err)
{
    pq_impl *p = s->impl;
    pq_close_cols(p);
    pq_file *f = &p->files[p->fi];
    if (pq_col_open(&p->vc, f, (uint32_t)p->vleaf[p->fi], p->rg, err) < 0)
        return -1;
    if (p->ileaf[p->fi] >= 0 && pq_col_open(&p->ic, f, (uint32_t)p->ileaf[p->fi], p->rg, err) < 0) {
        pq_col_close(&p->vc);
        return -1;
    }
    p->open = true;
    p->rg_left = f->meta.rg_rows[p->rg];
    return 0;
}

/* Position at global row `row` (reopening from the containing row group). */
static int pq_seek(ds_src *s, uint64_t row, vm_err *err)
{
    pq_impl *p = s->impl;
    uint64_t base = 0;
    for (size_t fi = 0; fi < p->nfiles; fi++)
        for (uint32_t rg = 0; rg < p->files[fi].meta.nrg; rg++) {
            uint64_t r = (uint64_t)p->files[fi].meta.rg_rows[rg];
            if (row < base + r) {
                p->fi = fi;
                p->rg = rg;
                if (pq_open_rg(s, err) < 0)
                    return -1;
                p->next_row = base;
                return 0;
            }
            base += r;
        }
    return vm_err_set(err, VM_EINTERNAL, "%s: row %llu past the end", s->desc,
                      (unsigned long long)row);
}

static int pq_next_rg(ds_src *s, vm_err *err)
{
    pq_impl *p = s->impl;
    do {
        if (++p->rg >= p->files[p->fi].meta.nrg) {
            p->rg = 0;
            if (++p->fi >= p->nfiles)
                return vm_err_set(err, VM_EINTERNAL, "%s: read past the last row", s->desc);
        }
    } while (p->files[p->fi].meta.rg_rows[p->rg] == 0);
    return pq_open_rg(s, err);
}

static int pq_read_row(ds_src *s, ds_elem want, void *out, int64_t *id, vm_err *err)
{
    pq_impl *p = s->impl;
    if (!p->open || p->rg_left == 0)
        if (pq_next_rg(s, err) < 0)
            return -1;
    uint32_t got;
    if (pq_col_row(&p->vc, want, out, s->dim, &got, err) < 0)
        return -1;
    if (got != s->dim)
        return vm_err_set(err, VM_EINPUT, "%s: row %llu has %u values, row 0 has %u%s",
                          p->files[p->fi].path, (unsigned long long)p->next_row, got, s->dim,
                          got == 0 ? " (null or empty list)" : "");
    if (id) {
        if (p->ileaf[p->fi] >= 0) {
            if (pq_col_row(&p->ic, DS_I64, id, 1, &got, err) < 0)
                return -1;
            if (got != 1)
                return vm_err_set(err, VM_EINPUT, "%s: row %llu has a null id", p->files[p->fi].path,
                                  (unsigned long long)p->next_row);
        } else {
            *id = (int64_t)p->next_row;
        }
    } else if (p->ileaf[p->fi] >= 0) {
        int64_t dummy;
        if (pq_col_row(&p->ic, DS_I64, &dummy, 1, &got, err) < 0)
            return -1;
    }
    p->rg_left--;
    p->next_row++;
    return 0;
}

static int pq_read(ds_src *s, uint64_t first, uint64_t count, ds_elem want, void *out,
                   int64_t *ids, vm_err *err)
{
    pq_impl *p = s->impl;
    if (first > s->n || count > s->n - first)
        return vm_err_set(err, VM_EINTERNAL, "%s: rows past the end", s->desc);
    if (first != p->next_row || !p->open) {
        if (first < p->next_row || !p->open || first - p->next_row > (uint64_t)p->rg_left) {
            if (pq_seek(s, first, err) < 0)
                return -1;
        }
        if (!p->skip)
            p->skip = malloc((size_t)s->dim * 8);
        while (p->next_row < first)
            if (pq_read_row(s, DS_I64, p->skip, NULL, err) < 0)
                return -1;
    }
    size_t osz = want == DS_F32 ? 4 : 8;
    for (uint64_t i = 0; i < count; i++)
        if (pq_read_row(s, want, (uint8_t *)out + (size_t)i * s->dim * osz, ids ? ids + i : NULL,
                        err) < 0)
            return -1;
    return 0;
}

static void pq_src_close(ds_src *s)
{
    pq_impl *p = s->impl;
    if (!p)
        return;
    pq_close_cols(p);
    for (size_t i = 0; i < p->nfiles; i++)
        pq_file_close(&p->files[i]);
    free(p->files);
    free(p->vleaf);
    free(p->ileaf);
    free(p->skip);
    free(p);
}

static const ds_src_ops pq_ops = {pq_read, pq_src_close};

static int pick_column(const pq_meta *m, const char *column)
{
    if (column)
        return pq_find_leaf(m, column);
    static const char *pref[] = {"emb", "embedding", "vector", "neighbors_id"};
    for (size_t i = 0; i < sizeof(pref) / sizeof(pref[0]); i++) {
        int l = pq_find_leaf(m, pref[i]);
        if (l >= 0 && m->leaf[l].max_rep > 0)
            return l;
    }
    for (uint32_t i = 0; i < m->nleaf; i++)
        if (m->leaf[i].max_rep == 1 && type_width(m->leaf[i].type))
            return (int)i;
    return -1;
}

int ds_src_open_parquet(ds_src *s, const char *const *paths, size_t npaths, const char *column,
                        vm_err *err)
{
    memset(s, 0, sizeof(*s));
    pq_impl *p = calloc(1, sizeof(*p));
    s->impl = p;
    s->ops = &pq_ops;
    s->fmt = DS_FMT_PARQUET;
    p->files = calloc(npaths, sizeof(pq_file));
    p->vleaf = calloc(npaths, sizeof(int));
    p->ileaf = calloc(npaths, sizeof(int));
    const char *colname = NULL;
    for (size_t i = 0; i < npaths; i++) {
        if (pq_file_open(&p->files[i], paths[i], err) < 0) {
            ds_src_close(s);
            return -1;
        }
        p->nfiles++;
        const pq_meta *m = &p->files[i].meta;
        int l = pick_column(m, colname ? colname : column);
        if (l < 0) {
            ds_src_close(s);
            return vm_err_set(err, VM_EINPUT, "%s: no %s%s%s column (a list of numbers)", paths[i],
                              column ? "'" : "", column ? column : "vector", column ? "'" : "");
        }
        if (m->leaf[l].max_rep != 1 || !type_width(m->leaf[l].type)) {
            ds_src_close(s);
            return vm_err_set(err, VM_EINPUT, "%s: column %s is a %s%s, not a list of numbers",
                              paths[i], m->leaf[l].path, m->leaf[l].max_rep ? "nested list of " : "",
                              type_name(m->leaf[l].type));
        }
        colname = m->leaf[l].top;
        p->vleaf[i] = l;
        int il = pq_find_leaf(m, "id");
        p->ileaf[i] = il >= 0 && m->leaf[il].max_rep == 0 && type_width(m->leaf[il].type) &&
                              (m->leaf[il].type == PQ_INT32 || m->leaf[il].type == PQ_INT64)
                          ? il
                          : -1;
        if (i > 0 && (p->files[i].meta.leaf[l].type != p->files[0].meta.leaf[p->vleaf[0]].type ||
                      (p->ileaf[i] < 0) != (p->ileaf[0] < 0))) {
            ds_src_close(s);
            return vm_err_set(err, VM_EINPUT, "%s: columns differ from %s", paths[i], paths[0]);
        }
        s->n += (uint64_t)m->num_rows;
    }
    const pq_leaf *lf = &p->files[0].meta.leaf[p->vleaf[0]];
    s->elem = lf->type == PQ_FLOAT ? DS_F32 : lf->type == PQ_DOUBLE ? DS_F64
              : lf->type == PQ_INT32 ? DS_I32 : DS_I64;
    s->has_ids = p->ileaf[0] >= 0;
    strbuf d = STRBUF_INIT;
    sb_addf(&d, "%s%s[%s]", paths[0], npaths > 1 ? "…" : "", lf->top);
    s->desc = sb_detach(&d, NULL);
    if (s->n == 0) {
        ds_src_close(s);
        return vm_err_set(err, VM_EINPUT, "%s: no rows", paths[0]);
    }
    /* the row length: count the first row's values */
    if (pq_seek(s, 0, err) < 0) {
        ds_src_close(s);
        return -1;
    }
    uint32_t got;
    float *tmp = malloc((size_t)(1u << 20) * 8);
    int rc = pq_col_row(&p->vc, DS_I64, tmp, 1u << 20, &got, err);
    free(tmp);
    if (rc < 0 || got == 0) {
        if (rc == 0)
            vm_err_set(err, VM_EINPUT, "%s: row 0 of %s is null or empty", paths[0], lf->path);
        ds_src_close(s);
        return -1;
    }
    s->dim = got;
    pq_close_cols(p); /* the next read reopens at row 0 */
    p->next_row = 0;
    return 0;
}
