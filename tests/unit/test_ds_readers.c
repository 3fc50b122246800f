/* Dataset readers on the real files in ../shared/datasets: every layout of
 * siftsmall reads back the same vectors, the VectorDBBench ground-truth
 * parquet reads as 1000 x 1000 ids, a prepared folder opens for prefill,
 * and bad headers are refused with an error naming the file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "dataset/ds_dataset.h"
#include "dataset/ds_npy.h"
#include "dataset/ds_parquet.h"
#include "dataset/ds_set.h"
#include "dataset/ds_thrift.h"
#include "prep/prep_prepare.h"

static char g_path[1024];

static const char *ds_path(const char *rel)
{
    const char *d = getenv("VM_DATASETS");
    snprintf(g_path, sizeof(g_path), "%s/%s", d ? d : "../shared/datasets", rel);
    return g_path;
}

/* all of a source's rows as float32 */
static float *read_all(ds_src *s, int64_t *ids)
{
    vm_err err = {0};
    float *v = malloc(s->n * s->dim * sizeof(float));
    int rc = ds_src_read_f32(s, 0, s->n, v, ids, &err);
    if (rc < 0)
        fail_msg("%s", err.msg);
    return v;
}

static void test_parquet_equals_fvecs(void **state)
{
    (void)state;
    vm_err err = {0};
    ds_src fv, pq;
    assert_int_equal(ds_src_open_vecfile(&fv, ds_path("siftsmall/siftsmall_base.fvecs"), &err), 0);
    const char *p = ds_path("siftsmall-vdbbench/train.parquet");
    assert_int_equal(ds_src_open_parquet(&pq, &p, 1, NULL, &err), 0);
    assert_int_equal(pq.n, 10000);
    assert_int_equal(pq.dim, 128);
    assert_true(pq.has_ids);
    int64_t *ids = malloc(pq.n * sizeof(int64_t));
    float *a = read_all(&fv, NULL), *b = read_all(&pq, ids);
    for (uint64_t i = 0; i < pq.n; i++)
        assert_memory_equal(a + (size_t)ids[i] * 128, b + i * 128, 128 * sizeof(float));
    /* random access: a later row, then an earlier one */
    float row[128];
    int64_t id;
    assert_int_equal(ds_src_read_f32(&pq, 9000, 1, row, &id, &err), 0);
    assert_memory_equal(row, a + (size_t)id * 128, sizeof(row));
    assert_int_equal(ds_src_read_f32(&pq, 5, 1, row, &id, &err), 0);
    assert_memory_equal(row, a + (size_t)id * 128, sizeof(row));
    free(a), free(b), free(ids);
    ds_src_close(&fv);
    ds_src_close(&pq);
}

static void test_vdbbench_gt_sample(void **state)
{
    (void)state;
    vm_err err = {0};
    ds_set s;
    ds_set_spec spec = {.path = ds_path("vdbbench-gt-sample")};
    assert_int_equal(ds_set_open(&s, &spec, &err), 0);
    assert_true(s.has_gt);
    assert_false(s.has_base);
    assert_int_equal(s.gt.n, 1000);
    assert_int_equal(s.gt.dim, 1000);
    int64_t *ids = malloc(1000 * sizeof(int64_t));
    uint8_t *seen = malloc(1000000);
    for (uint64_t r = 0; r < s.gt.n; r++) {
        int64_t qid;
        assert_int_equal(ds_src_read_i64(&s.gt, r, 1, ids, &qid, &err), 0);
        memset(seen, 0, 1000000);
        for (int j = 0; j < 1000; j++) {
            assert_true(ids[j] >= 0 && ids[j] < 1000000);
            assert_false(seen[ids[j]]);
            seen[ids[j]] = 1;
        }
    }
    free(ids);
    free(seen);
    ds_set_close(&s);
}

static void test_hdf5_equals_fvecs(void **state)
{
    (void)state;
    vm_err err = {0};
    ds_set h;
    ds_set_spec spec = {.path = ds_path("siftsmall-derived/siftsmall-128-euclidean.hdf5")};
    assert_int_equal(ds_set_open(&h, &spec, &err), 0);
    assert_int_equal(h.metric, DS_METRIC_L2);
    assert_true(h.has_query && h.has_gt && h.has_gt_dist);
    ds_src fv, gt;
    assert_int_equal(ds_src_open_vecfile(&fv, ds_path("siftsmall/siftsmall_query.fvecs"), &err), 0);
    assert_int_equal(ds_src_open_vecfile(&gt, ds_path("siftsmall/siftsmall_groundtruth.ivecs"), &err), 0);
    float *a = read_all(&fv, NULL), *b = read_all(&h.query, NULL);
    assert_memory_equal(a, b, 100 * 128 * sizeof(float));
    int64_t x[100], y[100];
    for (int q = 0; q < 100; q++) {
        assert_int_equal(ds_src_read_i64(&gt, (uint64_t)q, 1, x, NULL, &err), 0);
        assert_int_equal(ds_src_read_i64(&h.gt, (uint64_t)q, 1, y, NULL, &err), 0);
        assert_memory_equal(x, y, sizeof(x));
    }
    free(a), free(b);
    ds_src_close(&fv);
    ds_src_close(&gt);
    ds_set_close(&h);
}

static void test_bigann_gt_variants(void **state)
{
    (void)state;
    vm_err err = {0};
    ds_vecfile with, ids;
    assert_int_equal(ds_vecfile_open(&with, ds_path("siftsmall-derived/GT.100x100.bin"), &err), 0);
    assert_non_null(with.dists);
    assert_int_equal(ds_vecfile_open(&ids, ds_path("siftsmall-derived/groundtruth.ids.ibin"), &err), 0);
    assert_null(ids.dists);
    assert_memory_equal(ds_vecfile_row(&with, 0), ds_vecfile_row(&ids, 0), 100 * 4);
    float d0;
    memcpy(&d0, with.dists, 4);
    assert_true(d0 > 0);
    ds_vecfile_close(&with);
    ds_vecfile_close(&ids);
}

/* a prepared folder (prep_prepare) opens through ds_dataset for prefill */
static void test_prepared_opens_for_prefill(void **state)
{
    (void)state;
    vm_err err = {0};
    char dir[] = "/tmp/vm-ds-prep-XXXXXX";
    assert_non_null(mkdtemp(dir));
    ds_set s;
    ds_set_spec spec = {.path = ds_path("siftsmall-vdbbench")};
    assert_int_equal(ds_set_open(&s, &spec, &err), 0);
    prep_prepare_opts o = {.out = dir, .no_checksums = true};
    prep_prepare_result r;
    if (prep_prepare(&s, &o, &r, &err) < 0)
        fail_msg("%s", err.msg);
    ds_set_close(&s);
    ds_dataset ds;
    if (ds_dataset_open(&ds, dir, &err) < 0)
        fail_msg("%s", err.msg);
    assert_int_equal(ds.base.n, 10000);
    assert_int_equal(ds.query.n, 100);
    assert_int_equal(ds.gt.dim, 100);
    assert_non_null(ds.gt.dists);
    ds_vecfile ivecs;
    assert_int_equal(ds_vecfile_open(&ivecs, ds_path("siftsmall/siftsmall_groundtruth.ivecs"), &err), 0);
    for (uint64_t q = 0; q < 100; q++)
        assert_memory_equal(ds_vecfile_row(&ivecs, q), ds_vecfile_row(&ds.gt, q), 400);
    ds_vecfile_close(&ivecs);
    ds_dataset_close(&ds);
    const char *names[] = {"base.fbin", "query.fbin", "gt.bin", "manifest.json"};
    for (int i = 0; i < 4; i++) {
        char p[256];
        snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
        unlink(p);
    }
    rmdir(dir);
}

static void test_npy_header(void **state)
{
    (void)state;
    vm_err err = {0};
    ds_npy_header h;
    char buf[128];
    const char *dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (10000, 128), }";
    size_t hl = strlen(dict);
    memcpy(buf, "\x93NUMPY\x01\x00", 8);
    buf[8] = (char)hl;
    buf[9] = 0;
    memcpy(buf + 10, dict, hl);
    assert_int_equal(ds_npy_parse((uint8_t *)buf, 10 + hl, &h, &err), 0);
    assert_int_equal(h.elem, DS_F32);
    assert_int_equal(h.rows, 10000);
    assert_int_equal(h.cols, 128);
    assert_int_equal(h.data_off, 10 + hl);
    const char *bad[] = {"{'descr': '>f4', 'fortran_order': False, 'shape': (1, 2), }",
                         "{'descr': '<f4', 'fortran_order': True, 'shape': (1, 2), }",
                         "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2, 3), }",
                         "{'descr': '<c8', 'fortran_order': False, 'shape': (1, 2), }"};
    for (int i = 0; i < 4; i++) {
        hl = strlen(bad[i]);
        buf[8] = (char)hl;
        memcpy(buf + 10, bad[i], hl);
        assert_int_equal(ds_npy_parse((uint8_t *)buf, 10 + hl, &h, &err), -1);
        assert_non_null(strstr(err.msg, "npy"));
    }
    /* header length past the end */
    buf[8] = 100;
    assert_int_equal(ds_npy_parse((uint8_t *)buf, 20, &h, &err), -1);
}

static void test_thrift_and_parquet_metadata_refuse_garbage(void **state)
{
    (void)state;
    vm_err err = {0};
    pq_meta m;
    uint8_t junk[64];
    for (int seed = 0; seed < 200; seed++) {
        srand((unsigned)seed);
        for (size_t i = 0; i < sizeof(junk); i++)
            junk[i] = (uint8_t)rand();
        if (pq_meta_parse(junk, sizeof(junk), &m, &err) == 0)
            pq_meta_free(&m);
    }
    /* the real footer of a real file parses; every truncation of it fails */
    pq_file f;
    assert_int_equal(pq_file_open(&f, ds_path("siftsmall-vdbbench/neighbors.parquet"), &err), 0);
    uint32_t ml;
    memcpy(&ml, f.map + f.size - 8, 4);
    const uint8_t *footer = f.map + f.size - 8 - ml;
    for (uint32_t cut = 0; cut < ml; cut += 7)
        assert_int_equal(pq_meta_parse(footer, cut, &m, &err), -1);
    assert_int_equal(pq_meta_parse(footer, ml, &m, &err), 0);
    assert_int_equal(m.num_rows, 100);
    pq_meta_free(&m);
    pq_file_close(&f);
}

static void test_bad_files_name_themselves(void **state)
{
    (void)state;
    vm_err err = {0};
    char path[] = "/tmp/vm-ds-bad-XXXXXX.fbin";
    int fd = mkstemps(path, 5);
    uint32_t hdr[2] = {10, 4};
    float v[8] = {0};
    assert_int_equal(write(fd, hdr, 8), 8);
    assert_int_equal(write(fd, v, sizeof(v)), (int)sizeof(v));
    close(fd);
    ds_vecfile f;
    assert_int_equal(ds_vecfile_open(&f, path, &err), -1);
    assert_non_null(strstr(err.msg, path));
    assert_non_null(strstr(err.msg, "truncated"));
    unlink(path);
    /* a NaN is refused by the NormMax scan, naming the row */
    char p2[] = "/tmp/vm-ds-nan-XXXXXX.fbin";
    fd = mkstemps(p2, 5);
    hdr[0] = 2;
    v[5] = 0.0f / 0.0f;
    assert_int_equal(write(fd, hdr, 8), 8);
    assert_int_equal(write(fd, v, sizeof(v)), (int)sizeof(v));
    close(fd);
    ds_src s;
    assert_int_equal(ds_src_open_vecfile(&s, p2, &err), 0);
    double nm;
    assert_int_equal(prep_norm_max(&s, &nm, NULL, NULL, &err), -1);
    assert_non_null(strstr(err.msg, "row 1"));
    ds_src_close(&s);
    /* queries of another dimension than the base */
    ds_set set;
    ds_set_spec spec = {.base = ds_path("siftsmall/siftsmall_base.fvecs"), .query = p2};
    assert_int_equal(ds_set_open(&set, &spec, &err), -1);
    assert_non_null(strstr(err.msg, "dimension 4"));
    unlink(p2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parquet_equals_fvecs),
        cmocka_unit_test(test_vdbbench_gt_sample),
        cmocka_unit_test(test_hdf5_equals_fvecs),
        cmocka_unit_test(test_bigann_gt_variants),
        cmocka_unit_test(test_prepared_opens_for_prefill),
        cmocka_unit_test(test_npy_header),
        cmocka_unit_test(test_thrift_and_parquet_metadata_refuse_garbage),
        cmocka_unit_test(test_bad_files_name_themselves),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
