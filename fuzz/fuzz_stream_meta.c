/* fuzz_stream_meta: base.resp.meta comes with a dataset folder, from
 * anywhere — any bytes must parse without a crash, and the strings come out
 * NUL-terminated within their buffers. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "workload/wl_stream.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wl_stream_meta m;
    wl_stream_parse_meta((const char *)data, size, &m);
    if (strnlen(m.prefix, sizeof(m.prefix)) == sizeof(m.prefix) ||
        strnlen(m.field, sizeof(m.field)) == sizeof(m.field))
        abort();
    return 0;
}
