/* Fuzz the .npy header parser (src/dataset/ds_npy.c). */
#include <stdint.h>

#include "dataset/ds_npy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vm_err err = {0};
    ds_npy_header h;
    if (ds_npy_parse(data, size, &h, &err) == 0 && h.data_off > size)
        __builtin_trap(); /* the header must lie inside the input */
    return 0;
}
