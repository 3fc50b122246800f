/* sc_keys: see sc_keys.h. */
#include "sc_keys.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../util/parse.h"

int sc_parse_at(const sc_parse *p, const yd_node *n, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (n && n->line)
        return vm_err_set(p->err, VM_EINPUT, "%s:%d:%d: %s", p->file, n->line, n->col, msg);
    return vm_err_set(p->err, VM_EINPUT, "%s: %s", p->file, msg);
}

/* --- typed getters: each names the key and what it expected ------------- */

int sc_want_scalar(const sc_parse *p, const yd_node *v, const char *key, const char *what)
{
    if (v->kind != YD_SCALAR)
        return sc_parse_at(p, v, "'%s' must be %s, got a %s", key, what,
                           v->kind == YD_MAP ? "map" : "list");
    return 0;
}

int sc_get_u64(const sc_parse *p, const yd_node *v, const char *key, uint64_t *out)
{
    vm_err e = {0};
    if (sc_want_scalar(p, v, key, "a whole number") < 0)
        return -1;
    if (parse_u64(key, v->value, out, &e) < 0)
        return sc_parse_at(p, v, "'%s' must be a whole number, got '%s'", key, v->value);
    return 0;
}

int sc_get_u32(const sc_parse *p, const yd_node *v, const char *key, uint32_t max, uint32_t *out)
{
    uint64_t x;
    if (sc_get_u64(p, v, key, &x) < 0)
        return -1;
    if (x > max)
        return sc_parse_at(p, v, "'%s' must be at most %u, got %llu", key, max,
                           (unsigned long long)x);
    *out = (uint32_t)x;
    return 0;
}

int sc_get_double(const sc_parse *p, const yd_node *v, const char *key, double lo, double hi,
                  double *out)
{
    vm_err e = {0};
    if (sc_want_scalar(p, v, key, "a number") < 0)
        return -1;
    if (parse_double(key, v->value, out, &e) < 0)
        return sc_parse_at(p, v, "'%s' must be a number, got '%s'", key, v->value);
    if (*out < lo || *out > hi)
        return sc_parse_at(p, v, "'%s' must be within [%g, %g], got %g", key, lo, hi, *out);
    return 0;
}

int sc_get_bool(const sc_parse *p, const yd_node *v, const char *key, bool *out)
{
    if (sc_want_scalar(p, v, key, "true or false") < 0)
        return -1;
    if (!strcasecmp(v->value, "true") || !strcasecmp(v->value, "yes"))
        *out = true;
    else if (!strcasecmp(v->value, "false") || !strcasecmp(v->value, "no"))
        *out = false;
    else
        return sc_parse_at(p, v, "'%s' must be true or false, got '%s'", key, v->value);
    return 0;
}

int sc_get_duration(const sc_parse *p, const yd_node *v, const char *key, uint64_t *out)
{
    vm_err e = {0};
    if (sc_want_scalar(p, v, key, "a duration") < 0)
        return -1;
    if (parse_duration_ms(key, v->value, out, &e) < 0)
        return sc_parse_at(p, v, "'%s' must be a duration like 500ms, 10s, 5m; got '%s'", key,
                           v->value);
    return 0;
}

int sc_get_str(const sc_parse *p, const yd_node *v, const char *key, char **out)
{
    if (sc_want_scalar(p, v, key, "text") < 0)
        return -1;
    free(*out);
    *out = strdup(v->value);
    return 0;
}

int sc_check_keys(const sc_parse *p, const yd_node *m, const char *where,
                  const char *const *allowed)
{
    for (size_t i = 0; i < m->n; i++) {
        bool ok = false;
        for (const char *const *a = allowed; *a; a++)
            if (!strcmp(m->keys[i], *a))
                ok = true;
        if (ok)
            continue;
        char list[400] = "";
        for (const char *const *a = allowed; *a; a++) {
            strncat(list, *a, sizeof(list) - strlen(list) - 3);
            if (a[1])
                strncat(list, ", ", sizeof(list) - strlen(list) - 1);
        }
        yd_node pos = {.line = m->key_line[i], .col = m->key_col[i]};
        return sc_parse_at(p, &pos, "unknown key '%s' in %s (expected one of: %s)", m->keys[i],
                           where, list);
    }
    return 0;
}

/* --- a step's keys ---------------------------------------------------------- */

/* The field of s that k fills. */
#define FIELD(type, s, k) ((type *)((char *)(s) + (k)->off))

int sc_key_str(const sc_parse *p, const sc_key *k, const yd_node *v, sc_step *s)
{
    return sc_get_str(p, v, k->name, FIELD(char *, s, k));
}

int sc_key_bool(const sc_parse *p, const sc_key *k, const yd_node *v, sc_step *s)
{
    return sc_get_bool(p, v, k->name, FIELD(bool, s, k));
}

int sc_key_u64(const sc_parse *p, const sc_key *k, const yd_node *v, sc_step *s)
{
    return sc_get_u64(p, v, k->name, FIELD(uint64_t, s, k));
}

int sc_key_u32(const sc_parse *p, const sc_key *k, const yd_node *v, sc_step *s)
{
    return sc_get_u32(p, v, k->name, (uint32_t)k->hi, FIELD(uint32_t, s, k));
}

int sc_key_double(const sc_parse *p, const sc_key *k, const yd_node *v, sc_step *s)
{
    return sc_get_double(p, v, k->name, k->lo, k->hi, FIELD(double, s, k));
}

int sc_key_duration(const sc_parse *p, const sc_key *k, const yd_node *v, sc_step *s)
{
    return sc_get_duration(p, v, k->name, FIELD(uint64_t, s, k));
}

int sc_key_int_max(const sc_parse *p, const sc_key *k, const yd_node *v, sc_step *s)
{
    uint64_t u;
    if (sc_get_u64(p, v, k->name, &u) < 0)
        return -1;
    uint64_t max = (uint64_t)k->hi;
    *FIELD(int, s, k) = (int)(u < max ? u : max);
    return 0;
}

int sc_key_rate(const sc_parse *p, const sc_key *k, const yd_node *v, sc_step *s)
{
    uint64_t *rate = FIELD(uint64_t, s, k);
    if (sc_get_u64(p, v, k->name, rate) < 0)
        return -1;
    if (*rate == 0)
        return sc_parse_at(p, v, "rate 0 would send nothing: leave rate out for no limit");
    return 0;
}

const sc_key *sc_key_find(const sc_key *keys, const char *name)
{
    for (const sc_key *k = keys; k && k->name; k++)
        if (!strcmp(k->name, name))
            return k;
    return NULL;
}

int sc_check_step_keys(const sc_parse *p, const yd_node *m, const char *where, const sc_key *keys)
{
    const char *names[64];
    size_t n = 0;
    for (const sc_key *k = keys; k && k->name && n + 1 < 64; k++)
        names[n++] = k->name;
    names[n] = NULL;
    return sc_check_keys(p, m, where, names);
}
