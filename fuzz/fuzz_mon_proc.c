/* fuzz_mon_proc: /proc/PID/status and /proc/PID/stat text (a process name
 * can hold any bytes, ")" and spaces included). */
#include <stddef.h>
#include <stdint.h>

#include "monitor/mon_proc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mon_fields f = {0};
    mon_proc_parse_status((const char *)data, size, &f);
    mon_proc_parse_stat((const char *)data, size, 100, &f);
    mon_fields_free(&f);
    return 0;
}
