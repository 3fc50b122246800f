/* fuzz_mon_info: INFO text from a server is untrusted — any bytes must
 * parse without a crash, a leak or a field name with a CSV-breaking byte
 * in its value, and a string field read must stay inside its buffer. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "monitor/mon_info.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mon_fields f = {0};
    mon_info_parse((const char *)data, size, &f);
    for (size_t i = 0; i < f.n; i++)
        if (f.v[i].value != f.v[i].value) /* NaN never comes out */
            abort();
    mon_fields_free(&f);
    /* string fields: always NUL-terminated within the buffer */
    char v[8];
    static const char *const keys[] = {"server_name", "redis_version", "r", ""};
    for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
        if (mon_info_str((const char *)data, size, keys[k], v, sizeof(v)) && strlen(v) >= sizeof(v))
            abort();
    return 0;
}
