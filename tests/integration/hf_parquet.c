/* vm_hf_parquet: write a HuggingFace-layout dataset folder from a TEXMEX
 * .fvecs file, as the hub's converter (pyarrow) lays it out, for the
 * integration tests (no parquet library here, nor pyarrow on the test
 * machines):
 *
 *   vm_hf_parquet FVECS DIR LAYOUT SHARDS TYPE COLUMN [COLUMN2]
 *
 * LAYOUT data:    DIR/data/train-00000-of-0000N.parquet ...
 *        convert: DIR/refs/convert/parquet/default/train/0000.parquet ...
 * Each shard holds its share of the rows in two row groups, with the
 * columns of the hub's embedding sets: `_id` (optional string "doc-<row>"),
 * `text` (optional string), and COLUMN, a 3-level LIST of TYPE (double or
 * float) — optional group (LIST) / repeated group list / optional element;
 * COLUMN2, when given, a second such column (the same vectors).  Pages are
 * data pages v1, PLAIN, RLE levels, uncompressed. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../harness/pq_thrift.h"

/* one uncompressed v1 data page */
static void w_page(strbuf *f, const strbuf *raw, int32_t nvals)
{
    int16_t l = 0, l2 = 0;
    w_i(f, &l, 1, 5, 0); /* DATA_PAGE */
    w_i(f, &l, 2, 5, (int64_t)raw->len);
    w_i(f, &l, 3, 5, (int64_t)raw->len);
    w_field(f, &l, 5, 12);
    w_i(f, &l2, 1, 5, nvals);
    w_i(f, &l2, 2, 5, 0); /* PLAIN */
    w_i(f, &l2, 3, 5, 3); /* RLE */
    w_i(f, &l2, 4, 5, 3); /* RLE */
    sb_addch(f, 0);
    sb_addch(f, 0);
    sb_add(f, raw->buf, raw->len);
}

/* RLE runs (value < 256) as one length-prefixed level block */
static void w_levels(strbuf *raw, const uint32_t *counts, const uint8_t *vals, size_t nruns)
{
    strbuf lev = STRBUF_INIT;
    for (size_t i = 0; i < nruns; i++) {
        w_varint(&lev, (uint64_t)counts[i] << 1);
        sb_addch(&lev, vals[i]);
    }
    uint32_t ll = (uint32_t)lev.len;
    sb_add(raw, &ll, 4);
    sb_add(raw, lev.buf, lev.len);
    free(lev.buf);
}

typedef struct chunk {
    const char *path[3];
    int npath, type;
    int64_t off, bytes, nvals;
} chunk;

/* a string column: rows first..first+n, "fmt" of the row number */
static void w_strings(strbuf *f, chunk *c, uint64_t first, uint32_t n, const char *fmt)
{
    strbuf raw = STRBUF_INIT;
    uint32_t cnt = n;
    uint8_t one = 1;
    w_levels(&raw, &cnt, &one, 1);
    for (uint32_t i = 0; i < n; i++) {
        char s[64];
        uint32_t len = (uint32_t)snprintf(s, sizeof(s), fmt, (unsigned long long)(first + i));
        sb_add(&raw, &len, 4);
        sb_add(&raw, s, len);
    }
    c->off = (int64_t)f->len;
    w_page(f, &raw, (int32_t)n);
    c->bytes = (int64_t)f->len - c->off;
    c->nvals = n;
    free(raw.buf);
}

/* a list column: n rows of dim values from v */
static void w_vectors(strbuf *f, chunk *c, const float *v, uint32_t n, uint32_t dim, int dbl)
{
    strbuf raw = STRBUF_INIT;
    uint32_t *cnt = malloc(2 * (size_t)n * sizeof(uint32_t));
    uint8_t *val = malloc(2 * (size_t)n);
    for (uint32_t i = 0; i < n; i++) {
        cnt[2 * i] = 1, val[2 * i] = 0;
        cnt[2 * i + 1] = dim - 1, val[2 * i + 1] = 1;
    }
    w_levels(&raw, cnt, val, dim > 1 ? 2 * (size_t)n : 0);
    uint32_t all = n * dim;
    uint8_t three = 3;
    w_levels(&raw, &all, &three, 1);
    for (size_t j = 0; j < (size_t)n * dim; j++) {
        double d = v[j];
        if (dbl)
            sb_add(&raw, &d, 8);
        else
            sb_add(&raw, &v[j], 4);
    }
    c->off = (int64_t)f->len;
    w_page(f, &raw, (int32_t)all);
    c->bytes = (int64_t)f->len - c->off;
    c->nvals = all;
    free(raw.buf);
    free(cnt);
    free(val);
}

static void w_chunk_meta(strbuf *m, const chunk *c)
{
    int16_t lc = 0, lm = 0;
    w_i(m, &lc, 2, 6, c->off);
    w_field(m, &lc, 3, 12);
    w_i(m, &lm, 1, 5, c->type);
    w_list(m, &lm, 2, 5, 2);
    w_varint(m, 0); /* PLAIN */
    w_varint(m, 6); /* RLE (levels), zigzag 3 */
    w_list(m, &lm, 3, 8, (uint32_t)c->npath);
    for (int i = 0; i < c->npath; i++)
        w_bin(m, c->path[i]);
    w_i(m, &lm, 4, 5, 0); /* UNCOMPRESSED */
    w_i(m, &lm, 5, 6, c->nvals);
    w_i(m, &lm, 6, 6, c->bytes);
    w_i(m, &lm, 7, 6, c->bytes);
    w_i(m, &lm, 9, 6, c->off);
    sb_addch(m, 0); /* ColumnMetaData */
    sb_addch(m, 0); /* ColumnChunk */
}

typedef struct spec {
    const char *col, *col2;
    int dbl;
    uint32_t dim;
} spec;

/* One shard: rows first..first+n of v (n x dim), two row groups. */
static int write_shard(const char *path, const spec *sp, const float *v, uint64_t first,
                       uint32_t n)
{
    const int ncol = sp->col2 ? 4 : 3, ptype = sp->dbl ? 5 : 4;
    uint32_t rg_rows[2] = {n / 2, n - n / 2};
    strbuf f = STRBUF_INIT, m = STRBUF_INIT;
    sb_add(&f, "PAR1", 4);
    chunk c[2][4];
    memset(c, 0, sizeof(c));
    uint64_t r0 = first;
    for (int g = 0; g < 2; g++) {
        const float *gv = v + (r0 - first) * sp->dim;
        c[g][0] = (chunk){{"_id"}, 1, 6, 0, 0, 0};
        w_strings(&f, &c[g][0], r0, rg_rows[g], "doc-%llu");
        c[g][1] = (chunk){{"text"}, 1, 6, 0, 0, 0};
        w_strings(&f, &c[g][1], r0, rg_rows[g], "the text of row %llu");
        for (int k = 2; k < ncol; k++) {
            c[g][k] = (chunk){{k == 2 ? sp->col : sp->col2, "list", "element"}, 3, ptype, 0, 0, 0};
            w_vectors(&f, &c[g][k], gv, rg_rows[g], sp->dim, sp->dbl);
        }
        r0 += rg_rows[g];
    }
    int16_t l = 0;
    w_i(&m, &l, 1, 5, 1);
    w_list(&m, &l, 2, 12, (uint32_t)(1 + 2 + 3 * (ncol - 2)));
    w_schema(&m, -1, -1, "schema", ncol, -1);
    w_schema(&m, 6, 1, "_id", -1, 0); /* optional BYTE_ARRAY (UTF8) */
    w_schema(&m, 6, 1, "text", -1, 0);
    for (int k = 2; k < ncol; k++) {
        w_schema(&m, -1, 1, k == 2 ? sp->col : sp->col2, 1, 3); /* optional group (LIST) */
        w_schema(&m, -1, 2, "list", 1, -1);                    /* repeated group */
        w_schema(&m, ptype, 1, "element", -1, -1);             /* optional double|float */
    }
    w_i(&m, &l, 3, 6, n);
    w_list(&m, &l, 4, 12, 2);
    for (int g = 0; g < 2; g++) {
        int16_t lr = 0;
        w_list(&m, &lr, 1, 12, (uint32_t)ncol);
        int64_t total = 0;
        for (int k = 0; k < ncol; k++) {
            w_chunk_meta(&m, &c[g][k]);
            total += c[g][k].bytes;
        }
        w_i(&m, &lr, 2, 6, total);
        w_i(&m, &lr, 3, 6, rg_rows[g]);
        sb_addch(&m, 0);
    }
    sb_addch(&m, 0);
    sb_add(&f, m.buf, m.len);
    uint32_t ml = (uint32_t)m.len;
    sb_add(&f, &ml, 4);
    sb_add(&f, "PAR1", 4);
    FILE *o = fopen(path, "wb");
    int rc = o && fwrite(f.buf, 1, f.len, o) == f.len ? 0 : -1;
    if (o && fclose(o) != 0)
        rc = -1;
    free(f.buf);
    free(m.buf);
    return rc;
}

/* an .fvecs file's rows: *n x *dim floats */
static float *read_fvecs(const char *path, uint64_t *n, uint32_t *dim)
{
    FILE *in = fopen(path, "rb");
    int32_t d;
    if (!in || fread(&d, 4, 1, in) != 1 || d <= 0)
        return NULL;
    fseek(in, 0, SEEK_END);
    long size = ftell(in);
    fseek(in, 0, SEEK_SET);
    *dim = (uint32_t)d;
    *n = (uint64_t)size / (4 + 4 * (uint64_t)d);
    float *v = malloc(*n * *dim * sizeof(float));
    for (uint64_t i = 0; i < *n; i++)
        if (fread(&d, 4, 1, in) != 1 || fread(v + i * *dim, 4, *dim, in) != *dim)
            return NULL;
    fclose(in);
    return v;
}

static int mkdirs(char *path)
{
    for (char *c = path + 1; *c; c++)
        if (*c == '/') {
            *c = 0;
            int rc = mkdir(path, 0755);
            *c = '/';
            if (rc < 0 && errno != EEXIST)
                return -1;
        }
    return mkdir(path, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

int main(int argc, char **argv)
{
    if (argc < 7) {
        fprintf(stderr, "usage: vm_hf_parquet FVECS DIR data|convert SHARDS double|float COLUMN "
                        "[COLUMN2]\n");
        return 2;
    }
    spec sp = {argv[6], argc > 7 ? argv[7] : NULL, !strcmp(argv[5], "double"), 0};
    uint64_t n;
    float *v = read_fvecs(argv[1], &n, &sp.dim);
    int shards = atoi(argv[4]), convert = !strcmp(argv[3], "convert");
    if (!v || shards < 1 || (uint64_t)shards > n) {
        fprintf(stderr, "vm_hf_parquet: cannot read %s or bad shard count\n", argv[1]);
        return 1;
    }
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s/%s", argv[2], convert ? "refs/convert/parquet/default/train" : "data");
    if (mkdirs(dir) < 0) {
        perror(dir);
        return 1;
    }
    uint64_t first = 0;
    for (int s = 0; s < shards; s++) {
        uint32_t rows = (uint32_t)(n / (uint64_t)shards + ((uint64_t)s < n % (uint64_t)shards));
        char path[4200];
        if (convert)
            snprintf(path, sizeof(path), "%s/%04d.parquet", dir, s);
        else
            snprintf(path, sizeof(path), "%s/train-%05d-of-%05d.parquet", dir, s, shards);
        if (write_shard(path, &sp, v + first * sp.dim, first, rows) < 0) {
            perror(path);
            return 1;
        }
        first += rows;
    }
    free(v);
    return 0;
}
