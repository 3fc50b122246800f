/* parse: see parse.h. */
#include "parse.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int parse_u64(const char *what, const char *s, uint64_t *out, vm_err *err)
{
    if (!s || !*s || *s == '-' || *s == '+')
        return vm_err_set(err, VM_EINPUT, "%s: '%s' is not a whole number", what, s ? s : "");
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    /* accept k/M/G suffixes (x1000): "1M" vectors is what people type */
    uint64_t mul = 1;
    if (*end == 'k' || *end == 'K')
        mul = 1000ull, end++;
    else if (*end == 'M')
        mul = 1000000ull, end++;
    else if (*end == 'G' || *end == 'B')
        mul = 1000000000ull, end++;
    if (errno || *end || end == s || (mul > 1 && v > UINT64_MAX / mul))
        return vm_err_set(err, VM_EINPUT, "%s: '%s' is not a whole number", what, s);
    *out = (uint64_t)v * mul;
    return 0;
}

int parse_int(const char *what, const char *s, int min, int max, int *out, vm_err *err)
{
    if (!s || !*s)
        return vm_err_set(err, VM_EINPUT, "%s: a number is required", what);
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || end == s)
        return vm_err_set(err, VM_EINPUT, "%s: '%s' is not a whole number", what, s);
    if (v < min || v > max)
        return vm_err_set(err, VM_EINPUT, "%s: %ld is out of range [%d, %d]", what, v, min, max);
    *out = (int)v;
    return 0;
}

int parse_double(const char *what, const char *s, double *out, vm_err *err)
{
    if (!s || !*s)
        return vm_err_set(err, VM_EINPUT, "%s: a number is required", what);
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end || end == s || !isfinite(v))
        return vm_err_set(err, VM_EINPUT, "%s: '%s' is not a number", what, s);
    *out = v;
    return 0;
}

int parse_duration_ms(const char *what, const char *s, uint64_t *out_ms, vm_err *err)
{
    if (!s || !*s)
        return vm_err_set(err, VM_EINPUT, "%s: a duration is required (e.g. 1s, 200ms, 5m)", what);
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || v < 0 || !isfinite(v))
        return vm_err_set(err, VM_EINPUT, "%s: '%s' is not a duration (e.g. 1s, 200ms, 5m)", what, s);
    double mul;
    if (!strcmp(end, "") || !strcmp(end, "s"))
        mul = 1000;
    else if (!strcmp(end, "ms"))
        mul = 1;
    else if (!strcmp(end, "us"))
        mul = 0.001;
    else if (!strcmp(end, "m") || !strcmp(end, "min"))
        mul = 60000;
    else if (!strcmp(end, "h"))
        mul = 3600000;
    else if (!strcmp(end, "d"))
        mul = 86400000;
    else
        return vm_err_set(err, VM_EINPUT, "%s: '%s' has an unknown unit (use ms, s, m, h, d)", what, s);
    double ms = v * mul;
    if (ms > 1e15)
        return vm_err_set(err, VM_EINPUT, "%s: '%s' is too long", what, s);
    *out_ms = (uint64_t)llround(ms);
    return 0;
}

int parse_count(const char *s, uint64_t *out, vm_err *err)
{
    uint64_t v = 0;
    vm_err quiet = {0};
    if (parse_u64("", s, &v, &quiet) == 0) {
        *out = v;
        return 0;
    }
    /* scientific notation: exact only below 2^53, which is beyond any count here */
    char *end;
    errno = 0;
    double d = s && *s != '-' && *s != '+' ? strtod(s, &end) : NAN;
    if (!isfinite(d) || errno || *end || end == s || d < 0 || d > 9007199254740992.0 ||
        d != floor(d))
        return vm_err_set(err, VM_EINPUT, "'%s' is not a whole number (e.g. 1000000, 1e9, 10M)",
                          s ? s : "");
    *out = (uint64_t)d;
    return 0;
}

int parse_size(const char *s, uint64_t *out, vm_err *err)
{
    static const char *const units[] = {"K", "M", "G", "T"};
    char *end;
    errno = 0;
    double v = s && *s != '-' && *s != '+' ? strtod(s, &end) : NAN;
    if (!isfinite(v) || errno || end == s || v < 0)
        return vm_err_set(err, VM_EINPUT, "'%s' is not a size (e.g. 64GiB, 64G, 512MiB)",
                          s ? s : "");
    double mul = 0;
    if (!*end || !strcasecmp(end, "B"))
        mul = 1;
    for (int i = 0; i < 4 && mul == 0; i++) {
        size_t n = strlen(units[i]);
        if (strncasecmp(end, units[i], n) != 0)
            continue;
        const char *rest = end + n;
        if (!*rest || !strcasecmp(rest, "iB"))
            mul = pow(1024, i + 1);
        else if (!strcasecmp(rest, "B"))
            mul = pow(1000, i + 1);
    }
    if (mul == 0)
        return vm_err_set(err, VM_EINPUT,
                          "'%s': unit '%s' is not B, K/M/G/T, KiB/MiB/GiB/TiB or KB/MB/GB/TB", s,
                          end);
    if (v * mul >= 18446744073709551616.0)
        return vm_err_set(err, VM_EINPUT, "'%s' is more than 2^64 bytes", s);
    *out = (uint64_t)(v * mul);
    return 0;
}
