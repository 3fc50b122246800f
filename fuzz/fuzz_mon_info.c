/* fuzz_mon_info: INFO text from a server is untrusted — any bytes must
 * parse without a crash, a leak or a field name with a CSV-breaking byte
 * in its value. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "monitor/mon_info.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mon_fields f = {0};
    mon_info_parse((const char *)data, size, &f);
    for (size_t i = 0; i < f.n; i++)
        if (f.v[i].value != f.v[i].value) /* NaN never comes out */
            abort();
    mon_fields_free(&f);
    return 0;
}
