/* Fuzz the parquet reader (src/dataset/ds_parquet.c, ds_thrift.c): the
 * input is a whole file.  Its footer goes through the Thrift metadata
 * parser; then every numeric column of every row group is decoded page by
 * page (page headers, Snappy / ZSTD / GZIP, RLE levels, dictionaries) as a
 * list column would be.  Seeds: the parquet files in ../shared/datasets. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dataset/ds_parquet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vm_err err = {0};
    pq_meta m;
    if (pq_meta_parse(data, size, &m, &err) == 0)
        pq_meta_free(&m);
    pq_page_header h;
    size_t hl;
    pq_page_header_parse(data, size, &h, &hl, &err);

    int fd = memfd_create("pq", 0);
    if (fd < 0)
        return 0;
    if (write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return 0;
    }
    char path[64];
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    pq_file f;
    if (pq_file_open(&f, path, &err) == 0) {
        float *out = malloc(4096 * sizeof(int64_t));
        for (uint32_t rg = 0; rg < f.meta.nrg && rg < 8; rg++)
            for (uint32_t l = 0; l < f.meta.nleaf && l < 8; l++) {
                pq_col c;
                if (pq_col_open(&c, &f, l, rg, &err) < 0)
                    continue;
                for (int64_t r = 0; r < f.meta.rg_rows[rg] && r < 10000; r++) {
                    uint32_t got;
                    if (pq_col_row(&c, r & 1 ? DS_I64 : DS_F32, out, 4096, &got, &err) < 0)
                        break;
                }
                pq_col_close(&c);
            }
        free(out);
        pq_file_close(&f);
    }
    close(fd);
    return 0;
}
