/* mon_info: INFO text parser; see mon_info.h. */
#include "mon_info.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Parse [s, s+n) as a finite number, the whole of it. */
static int parse_num(const char *s, size_t n, double *out)
{
    char tmp[64];
    if (n == 0 || n >= sizeof(tmp))
        return -1;
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    char *end;
    double v = strtod(tmp, &end);
    if (*end == '%' && end[1] == '\0' && end > tmp) /* used_memory_peak_perc:86.58% */
        end++;
    if (*end || end == tmp || !isfinite(v))
        return -1;
    /* strtod takes "inf", "nan", hex and leading spaces: refuse the words */
    if (!((tmp[0] >= '0' && tmp[0] <= '9') || tmp[0] == '-' || tmp[0] == '.'))
        return -1;
    *out = v;
    return 0;
}

static size_t parse_line(const char *s, size_t n, mon_fields *out)
{
    const char *colon = memchr(s, ':', n);
    if (!colon || colon == s)
        return 0;
    size_t klen = (size_t)(colon - s);
    /* "module:name=search,ver=10003,..." describes a module, it is no metric */
    if (klen == 6 && !memcmp(s, "module", 6))
        return 0;
    const char *val = colon + 1;
    size_t vlen = n - klen - 1;
    double v;
    if (parse_num(val, vlen, &v) == 0) {
        mon_fields_add(out, s, klen, v);
        return 1;
    }
    /* name:a=1,b=2 */
    if (!memchr(val, '=', vlen))
        return 0;
    size_t added = 0;
    const char *p = val, *end = val + vlen;
    while (p < end) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *ie = comma ? comma : end;
        const char *eq = memchr(p, '=', (size_t)(ie - p));
        if (eq && eq > p && parse_num(eq + 1, (size_t)(ie - eq - 1), &v) == 0) {
            char name[256];
            size_t sub = (size_t)(eq - p);
            if (klen + 1 + sub < sizeof(name)) {
                memcpy(name, s, klen);
                name[klen] = '.';
                memcpy(name + klen + 1, p, sub);
                mon_fields_add(out, name, klen + 1 + sub, v);
                added++;
            }
        }
        p = ie + 1;
    }
    return added;
}

/* The next line of text at *p (before end): its start, and its length
 * without the line end in *n; NULL at the end. */
static const char *next_line(const char **p, const char *end, size_t *n)
{
    if (*p >= end)
        return NULL;
    const char *line = *p, *nl = memchr(line, '\n', (size_t)(end - line));
    const char *le = nl ? nl : end;
    *n = (size_t)(le - line);
    if (*n && line[*n - 1] == '\r')
        (*n)--;
    *p = nl ? nl + 1 : end;
    return line;
}

size_t mon_info_parse(const char *text, size_t len, mon_fields *out)
{
    size_t added = 0, n;
    const char *p = text, *line;
    while ((line = next_line(&p, text + len, &n)))
        if (n && line[0] != '#')
            added += parse_line(line, n, out);
    return added;
}

bool mon_info_str(const char *text, size_t len, const char *key, char *out, size_t cap)
{
    size_t klen = strlen(key), n;
    const char *p = text, *line;
    while ((line = next_line(&p, text + len, &n))) {
        if (n > klen && line[klen] == ':' && !memcmp(line, key, klen)) {
            size_t v = n - klen - 1;
            if (cap) {
                v = v < cap - 1 ? v : cap - 1;
                memcpy(out, line + klen + 1, v);
                out[v] = '\0';
            }
            return true;
        }
    }
    return false;
}
