/* Fuzz the vector file headers (src/dataset/ds_vecfile.c): the input is
 * opened as each layout in turn — TEXMEX rows, big-ann header (and the
 * ground-truth size variants), .npy — and, when accepted, its first and
 * last rows are converted, so a size check that lets a row run past the
 * mapping shows up under ASan. */
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dataset/ds_vecfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("vec", 0);
    if (fd < 0)
        return 0;
    if (write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return 0;
    }
    char path[64];
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    static const struct {
        ds_layout l;
        ds_elem e;
    } kinds[] = {{DS_TEXMEX, DS_F32}, {DS_TEXMEX, DS_U8}, {DS_BIGANN, DS_I32},
                 {DS_BIGANN, DS_I8},  {DS_NPY, DS_F32}};
    static float row[1 << 16];
    static int64_t irow[1 << 15];
    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
        vm_err err = {0};
        ds_vecfile f;
        if (ds_vecfile_open_as(&f, path, kinds[k].l, kinds[k].e, &err) < 0)
            continue;
        if (f.n > 0 && f.dim <= (1u << 15)) {
            ds_vecfile_row_f32(&f, 0, row);
            ds_vecfile_row_f32(&f, f.n - 1, row);
            ds_vecfile_row_i64(&f, f.n - 1, irow);
            if (f.dists) {
                volatile uint8_t last = f.dists[f.n * f.dim * 4 - 1];
                (void)last;
            }
        }
        ds_vecfile_close(&f);
    }
    close(fd);
    return 0;
}
