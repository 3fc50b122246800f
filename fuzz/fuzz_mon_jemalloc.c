/* fuzz_mon_jemalloc: MEMORY MALLOC-STATS text is untrusted (and long, and
 * differs between jemalloc versions): any bytes must parse. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "monitor/mon_jemalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mon_fields f = {0};
    mon_jemalloc_parse((const char *)data, size, &f);
    for (size_t i = 0; i < f.n; i++)
        for (size_t j = i + 1; j < f.n; j++)
            if (!strcmp(f.v[i].name, f.v[j].name))
                abort(); /* a field twice would be a duplicate series */
    mon_fields_free(&f);
    return 0;
}
