/* xp_expand: see xp_expand.h for the maths and the proof. */
#include "xp_expand.h"

#include <math.h>
#include <string.h>

void xp_plan_init(xp_plan *p, double norm_max, uint32_t dim)
{
    p->norm_max = norm_max;
    p->dim = dim;
    double need = 4.0 * norm_max;
    double s = 1.0 / 1024;
    while (s <= need)
        s *= 2;
    p->step = (float)s;
}

void xp_offset(const xp_plan *p, uint32_t n, uint32_t *axis, float *value)
{
    if (n == 0) {
        *axis = 0;
        *value = 0;
        return;
    }
    uint32_t j = n - 1;
    *axis = j % p->dim;
    uint32_t r = j / p->dim;
    float mult = (float)(r / 2 + 1);
    *value = (r % 2 == 0 ? 1.0f : -1.0f) * mult * p->step;
}

void xp_apply(const xp_plan *p, uint32_t n, void *v)
{
    if (n == 0)
        return;
    uint32_t axis;
    float value, x;
    xp_offset(p, n, &axis, &value);
    unsigned char *b = (unsigned char *)v + 4 * (size_t)axis;
    memcpy(&x, b, 4);
    x += value;
    memcpy(b, &x, 4);
}

double xp_separation(const xp_plan *p, uint32_t n, uint32_t m)
{
    uint32_t an, am;
    float vn, vm;
    xp_offset(p, n, &an, &vn);
    xp_offset(p, m, &am, &vm);
    if (n == 0 || m == 0 || an == am) {
        if (n == 0)
            vn = 0;
        if (m == 0)
            vm = 0;
        return fabs((double)vn - (double)vm);
    }
    return sqrt((double)vn * vn + (double)vm * vm);
}

void xp_key(strbuf *out, const char *prefix, uint32_t copy, uint64_t id)
{
    if (copy) {
        sb_addstr(out, "expand_");
        sb_add_u64(out, copy);
        sb_addch(out, '_');
    }
    sb_addstr(out, prefix);
    sb_add_u64(out, id);
}

static int parse_digits(const char *s, size_t len, uint64_t *out)
{
    if (len == 0 || len > 19)
        return -1;
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    *out = v;
    return 0;
}

int xp_parse_key(const char *key, size_t len, const char *prefix, uint32_t *copy, uint64_t *id)
{
    uint64_t c = 0;
    if (len > 7 && !memcmp(key, "expand_", 7)) {
        const char *us = memchr(key + 7, '_', len - 7);
        if (!us || parse_digits(key + 7, (size_t)(us - key - 7), &c) < 0 || c == 0 ||
            c > UINT32_MAX)
            return -1;
        len -= (size_t)(us + 1 - key);
        key = us + 1;
    }
    size_t pl = strlen(prefix);
    if (len <= pl || memcmp(key, prefix, pl))
        return -1;
    if (parse_digits(key + pl, len - pl, id) < 0)
        return -1;
    *copy = (uint32_t)c;
    return 0;
}
