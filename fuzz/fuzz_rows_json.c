/* fuzz_rows_json: rows.json comes with a downloaded dataset folder (a
 * loader's part of a base, ds_dataset.h) — any bytes must parse without a
 * crash, and an accepted one must say first <= end <= total. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "dataset/ds_dataset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ds_rows r;
    vm_err err = {0};
    if (ds_rows_parse((const char *)data, size, &r, &err) == 0 &&
        !(r.first <= r.end && r.end <= r.total))
        abort();
    return 0;
}
