/* fuzz_mon_info: INFO text from a server is untrusted — any bytes must
 * parse without a crash, a leak or a field name with a CSV-breaking byte
 * in its value, and a string field read must stay inside its buffer.  The
 * set is refilled as the sampler does (cleared, then the same text and a
 * cut of it parsed again): reused names and units must match a fresh parse. */
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
    for (size_t cut = size;; cut /= 2) {
        mon_fields fresh = {0};
        mon_info_parse((const char *)data, cut, &fresh);
        mon_fields_clear(&f);
        mon_info_parse((const char *)data, cut, &f);
        if (f.n != fresh.n)
            abort();
        for (size_t i = 0; i < f.n; i++)
            if (strcmp(f.v[i].name, fresh.v[i].name) || f.v[i].unit != fresh.v[i].unit ||
                strcmp(f.v[i].unit_name, fresh.v[i].unit_name) ||
                f.v[i].counter != fresh.v[i].counter)
                abort();
        mon_fields_free(&fresh);
        if (cut == 0)
            break;
    }
    mon_fields_free(&f);
    /* string fields: always NUL-terminated within the buffer */
    char v[8];
    static const char *const keys[] = {"server_name", "redis_version", "r", ""};
    for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
        if (mon_info_str((const char *)data, size, keys[k], v, sizeof(v)) && strlen(v) >= sizeof(v))
            abort();
    return 0;
}
