/* Parquet layouts the shared files do not have: several row groups, several
 * files read as one sequence, data pages v1 with RLE levels, UNCOMPRESSED
 * and GZIP pages.  A minimal writer here (Thrift compact encoder + v1 pages)
 * makes them; the reader must give back exactly what was written, in order
 * and by random access. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include <cmocka.h>

#include "dataset/ds_parquet.h"
#include "util/strbuf.h"
#include "../harness/pq_thrift.h"

typedef struct chunk_pos {
    int64_t off, bytes, nvals;
} chunk_pos;

/* one v1 data page: header + (levels +) values, compressed by codec */
static void w_page(strbuf *file, const strbuf *raw, int32_t nvals, int codec)
{
    strbuf body = STRBUF_INIT;
    if (codec == 2) {
        z_stream z;
        memset(&z, 0, sizeof(z));
        deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
        sb_grow(&body, deflateBound(&z, raw->len) + 32);
        z.next_in = (Bytef *)raw->buf;
        z.avail_in = (uInt)raw->len;
        z.next_out = (Bytef *)body.buf;
        z.avail_out = (uInt)(deflateBound(&z, raw->len) + 32);
        assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
        body.len = z.total_out;
        deflateEnd(&z);
    } else {
        sb_add(&body, raw->buf, raw->len);
    }
    strbuf h = STRBUF_INIT;
    int16_t l = 0;
    w_i(&h, &l, 1, 5, 0);                 /* DATA_PAGE */
    w_i(&h, &l, 2, 5, (int64_t)raw->len); /* uncompressed */
    w_i(&h, &l, 3, 5, (int64_t)body.len); /* compressed */
    w_field(&h, &l, 5, 12);               /* DataPageHeader */
    int16_t l2 = 0;
    w_i(&h, &l2, 1, 5, nvals);
    w_i(&h, &l2, 2, 5, 0); /* PLAIN */
    w_i(&h, &l2, 3, 5, 3); /* RLE */
    w_i(&h, &l2, 4, 5, 3); /* RLE */
    sb_addch(&h, 0);
    sb_addch(&h, 0);
    sb_add(file, h.buf, h.len);
    sb_add(file, body.buf, body.len);
    sb_release(&h);
    sb_release(&body);
}

static void rle_run(strbuf *b, uint32_t count, uint8_t value)
{
    w_varint(b, (uint64_t)count << 1);
    sb_addch(b, (char)value);
}

/* rows [first, first+n) of a synthetic dataset: id = first+i (written
 * reversed within each row group, to check ids are read, not assumed),
 * vector j = id * 1000 + j */
static void write_file(const char *path, uint64_t first, uint32_t rgs, uint32_t rows, uint32_t dim,
                       int codec)
{
    strbuf f = STRBUF_INIT;
    sb_addstr(&f, "PAR1");
    chunk_pos *pos = calloc((size_t)rgs * 2, sizeof(*pos));
    for (uint32_t g = 0; g < rgs; g++) {
        uint64_t r0 = first + (uint64_t)g * rows;
        strbuf raw = STRBUF_INIT;
        for (uint32_t i = 0; i < rows; i++) {
            int64_t id = (int64_t)(r0 + rows - 1 - i);
            sb_add(&raw, &id, 8);
        }
        pos[2 * g] = (chunk_pos){(int64_t)f.len, 0, rows};
        w_page(&f, &raw, (int32_t)rows, codec);
        pos[2 * g].bytes = (int64_t)f.len - pos[2 * g].off;
        sb_reset(&raw);
        /* emb: rep levels (bit width 1), def levels (bit width 2, all 3), floats */
        strbuf lev = STRBUF_INIT;
        for (uint32_t i = 0; i < rows; i++) {
            rle_run(&lev, 1, 0);
            rle_run(&lev, dim - 1, 1);
        }
        uint32_t ll = (uint32_t)lev.len;
        sb_add(&raw, &ll, 4);
        sb_add(&raw, lev.buf, lev.len);
        sb_reset(&lev);
        rle_run(&lev, rows * dim, 3);
        ll = (uint32_t)lev.len;
        sb_add(&raw, &ll, 4);
        sb_add(&raw, lev.buf, lev.len);
        for (uint32_t i = 0; i < rows; i++)
            for (uint32_t j = 0; j < dim; j++) {
                float v = (float)((r0 + rows - 1 - i) * 1000 + j);
                sb_add(&raw, &v, 4);
            }
        pos[2 * g + 1] = (chunk_pos){(int64_t)f.len, 0, (int64_t)rows * dim};
        w_page(&f, &raw, (int32_t)(rows * dim), codec);
        pos[2 * g + 1].bytes = (int64_t)f.len - pos[2 * g + 1].off;
        sb_release(&raw);
        sb_release(&lev);
    }
    strbuf m = STRBUF_INIT;
    int16_t l = 0;
    w_i(&m, &l, 1, 5, 1);
    w_list(&m, &l, 2, 12, 5);
    w_schema(&m, -1, -1, "schema", 2, -1);
    w_schema(&m, 2, 0, "id", -1, -1);       /* required int64 */
    w_schema(&m, -1, 1, "emb", 1, 3);       /* optional group (LIST) */
    w_schema(&m, -1, 2, "list", 1, -1);     /* repeated group */
    w_schema(&m, 4, 1, "item", -1, -1);     /* optional float */
    w_i(&m, &l, 3, 6, (int64_t)rgs * rows);
    w_list(&m, &l, 4, 12, rgs);
    for (uint32_t g = 0; g < rgs; g++) {
        int16_t lr = 0;
        w_list(&m, &lr, 1, 12, 2);
        for (int c = 0; c < 2; c++) {
            chunk_pos *p = &pos[2 * g + c];
            int16_t lc = 0;
            w_i(&m, &lc, 2, 6, p->off);
            w_field(&m, &lc, 3, 12);
            int16_t lm = 0;
            w_i(&m, &lm, 1, 5, c == 0 ? 2 : 4);
            w_list(&m, &lm, 2, 5, 1);
            w_varint(&m, 0);
            w_list(&m, &lm, 3, 8, 1);
            const char *nm = c == 0 ? "id" : "emb";
            w_varint(&m, strlen(nm));
            sb_addstr(&m, nm);
            w_i(&m, &lm, 4, 5, codec);
            w_i(&m, &lm, 5, 6, p->nvals);
            w_i(&m, &lm, 6, 6, p->bytes);
            w_i(&m, &lm, 7, 6, p->bytes);
            w_i(&m, &lm, 9, 6, p->off);
            sb_addch(&m, 0); /* ColumnMetaData */
            sb_addch(&m, 0); /* ColumnChunk */
        }
        w_i(&m, &lr, 2, 6, 0);
        w_i(&m, &lr, 3, 6, rows);
        sb_addch(&m, 0);
    }
    sb_addch(&m, 0);
    sb_add(&f, m.buf, m.len);
    uint32_t ml = (uint32_t)m.len;
    sb_add(&f, &ml, 4);
    sb_addstr(&f, "PAR1");
    FILE *o = fopen(path, "wb");
    assert_non_null(o);
    assert_int_equal(fwrite(f.buf, 1, f.len, o), f.len);
    fclose(o);
    sb_release(&f);
    sb_release(&m);
    free(pos);
}

static void test_row_groups_files_codecs(void **state)
{
    (void)state;
    char a[] = "/tmp/vm-pq-a-XXXXXX.parquet", b[] = "/tmp/vm-pq-b-XXXXXX.parquet";
    close(mkstemps(a, 8));
    close(mkstemps(b, 8));
    const uint32_t dim = 8, rows = 50, rgs = 3;
    write_file(a, 0, rgs, rows, dim, 0);    /* uncompressed */
    write_file(b, 150, rgs, rows, dim, 2);  /* GZIP */
    vm_err err = {0};
    ds_src s;
    const char *paths[] = {a, b};
    if (ds_src_open_parquet(&s, paths, 2, NULL, &err) < 0)
        fail_msg("%s", err.msg);
    assert_int_equal(s.n, 300);
    assert_int_equal(s.dim, dim);
    assert_true(s.has_ids);
    float v[8];
    int64_t id;
    for (uint64_t r = 0; r < s.n; r++) { /* in order, across row groups and files */
        if (ds_src_read_f32(&s, r, 1, v, &id, &err) < 0)
            fail_msg("row %llu: %s", (unsigned long long)r, err.msg);
        uint64_t g = r / rows;
        assert_int_equal(id, (int64_t)(g * rows + rows - 1 - r % rows));
        for (uint32_t j = 0; j < dim; j++)
            assert_true(v[j] == (float)((uint64_t)id * 1000 + j));
    }
    /* random access: back into the first file's second row group, then the last row */
    uint64_t at[] = {73, 299, 0, 151};
    for (int i = 0; i < 4; i++) {
        assert_int_equal(ds_src_read_f32(&s, at[i], 1, v, &id, &err), 0);
        assert_true(v[1] == (float)((uint64_t)id * 1000 + 1));
        assert_int_equal(id, (int64_t)(at[i] / rows * rows + rows - 1 - at[i] % rows));
    }
    ds_src_close(&s);
    /* a truncated copy is refused, naming the file */
    FILE *in = fopen(a, "rb");
    char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof(buf), in);
    fclose(in);
    FILE *o = fopen(b, "wb");
    fwrite(buf, 1, n / 2, o);
    fclose(o);
    const char *one[] = {b};
    assert_int_equal(ds_src_open_parquet(&s, one, 1, NULL, &err), -1);
    assert_non_null(strstr(err.msg, b));
    unlink(a);
    unlink(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_row_groups_files_codecs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
