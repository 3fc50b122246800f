/* bench_readers: streaming read rate of each dataset reader against
 * `cat FILE > /dev/null` on a warm page cache, printed as a ratio
 * (reader bytes/s ÷ cat bytes/s of the same file; 1.0 = as fast as cat).
 *
 *   bench_readers [DATASETS_DIR] [ROWS]
 *
 * It generates ROWS (default 1M) x 128 float32 vectors (prep_generate) and
 * writes the same data as .fvecs, .npy and HDF5 (libhdf5, contiguous),
 * then times each reader decoding every row to float32 through ds_src,
 * best of 3 after a warm-up.  Parquet is timed on the shared VectorDBBench
 * copy of siftsmall (Snappy, dictionary-encoded: the decoding worst case),
 * read repeatedly.  The anchor is measured in the same run on each file. */
#include <hdf5.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dataset/ds_parquet.h"
#include "dataset/ds_src.h"
#include "prep/prep_generate.h"
#include "util/clock.h"

static double now_s(void)
{
    return (double)clk_mono_ns() / 1e9;
}

static double cat_s(const char *path, int reps)
{
    char cmd[2048];
    snprintf(cmd, sizeof(cmd), "cat '%s' > /dev/null", path);
    double best = 1e30;
    for (int t = 0; t < 4; t++) {
        double t0 = now_s();
        for (int r = 0; r < reps; r++)
            if (system(cmd) != 0)
                return -1;
        double d = now_s() - t0;
        if (t > 0 && d < best)
            best = d;
    }
    return best;
}

typedef int (*open_fn)(ds_src *s, const char *path, vm_err *err);

static int open_vec(ds_src *s, const char *p, vm_err *e) { return ds_src_open_vecfile(s, p, e); }
static int open_h5(ds_src *s, const char *p, vm_err *e) { return ds_src_open_hdf5(s, p, "train", e); }
static int open_pq(ds_src *s, const char *p, vm_err *e) { return ds_src_open_parquet(s, &p, 1, NULL, e); }

static double reader_s(open_fn fn, const char *path, int reps)
{
    double best = 1e30;
    for (int t = 0; t < 4; t++) {
        double t0 = now_s();
        for (int r = 0; r < reps; r++) {
            vm_err err = {0};
            ds_src s;
            if (fn(&s, path, &err) < 0) {
                fprintf(stderr, "%s\n", err.msg);
                return -1;
            }
            uint64_t br = 8192;
            float *buf = malloc(br * s.dim * sizeof(float));
            for (uint64_t i = 0; i < s.n; i += br) {
                uint64_t c = s.n - i < br ? s.n - i : br;
                if (ds_src_read_f32(&s, i, c, buf, NULL, &err) < 0) {
                    fprintf(stderr, "%s\n", err.msg);
                    return -1;
                }
            }
            free(buf);
            ds_src_close(&s);
        }
        double d = now_s() - t0;
        if (t > 0 && d < best)
            best = d;
    }
    return best;
}

static void report(const char *name, open_fn fn, const char *path, int reps)
{
    struct stat st;
    if (stat(path, &st) < 0)
        return;
    double c = cat_s(path, reps), r = reader_s(fn, path, reps);
    double mb = (double)st.st_size * reps / 1048576.0;
    printf("%-28s %9.1f MB   reader %8.1f MB/s   cat %8.1f MB/s   ratio %.2f\n", name, mb,
           mb / r, mb / c, c / r);
}

int main(int argc, char **argv)
{
    const char *shared = argc > 1 ? argv[1] : "../shared/datasets";
    uint64_t rows = argc > 2 ? strtoull(argv[2], NULL, 10) : 1000000;
    char dir[] = "/tmp/vm-bench-readers-XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    vm_err err = {0};
    prep_generate_opts g = {.n = rows, .dim = 128, .no_gt = true, .seed = 1, .out = dir};
    if (prep_generate(&g, &err) < 0) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    char fbin[512], fvecs[512], npy[512], h5[512];
    snprintf(fbin, sizeof(fbin), "%s/base.fbin", dir);
    snprintf(fvecs, sizeof(fvecs), "%s/base.fvecs", dir);
    snprintf(npy, sizeof(npy), "%s/base.npy", dir);
    snprintf(h5, sizeof(h5), "%s/base.hdf5", dir);
    ds_src s;
    if (ds_src_open_vecfile(&s, fbin, &err) < 0)
        return 1;
    const float *rowsp = (const float *)(s.vf.map + 8);
    FILE *fv = fopen(fvecs, "wb"), *fn = fopen(npy, "wb");
    int32_t d = 128;
    for (uint64_t i = 0; i < rows; i++) {
        fwrite(&d, 4, 1, fv);
        fwrite(rowsp + i * 128, 4, 128, fv);
    }
    char hdr[128];
    int hl = snprintf(hdr, sizeof(hdr), "{'descr': '<f4', 'fortran_order': False, 'shape': (%llu, 128), }",
                      (unsigned long long)rows);
    int pad = 64 - (10 + hl + 1) % 64;
    uint16_t total = (uint16_t)(hl + pad + 1);
    fwrite("\x93NUMPY\x01\x00", 1, 8, fn);
    fwrite(&total, 2, 1, fn);
    fwrite(hdr, 1, (size_t)hl, fn);
    for (int i = 0; i < pad; i++)
        fputc(' ', fn);
    fputc('\n', fn);
    fwrite(rowsp, 4, rows * 128, fn);
    fclose(fv);
    fclose(fn);
    hid_t f = H5Fcreate(h5, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    hsize_t dims[2] = {rows, 128};
    hid_t sp = H5Screate_simple(2, dims, NULL);
    hid_t ds = H5Dcreate2(f, "train", H5T_IEEE_F32LE, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite(ds, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, rowsp);
    H5Dclose(ds);
    H5Sclose(sp);
    H5Fclose(f);
    ds_src_close(&s);

    printf("streaming read to float32 vs cat > /dev/null (warm page cache, best of 3)\n");
    report("big-ann .fbin (mapped)", open_vec, fbin, 1);
    report("TEXMEX .fvecs (mapped)", open_vec, fvecs, 1);
    report(".npy (mapped)", open_vec, npy, 1);
    report("HDF5 (libhdf5 hyperslabs)", open_h5, h5, 1);
    char pq[1024];
    snprintf(pq, sizeof(pq), "%s/siftsmall-vdbbench/train.parquet", shared);
    report("parquet Snappy+dictionary", open_pq, pq, 50);
    const char *names[] = {"base.fbin", "base.fvecs", "base.npy", "base.hdf5", "query.fbin", "manifest.json"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        char p[600];
        snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
        unlink(p);
    }
    rmdir(dir);
    return 0;
}
