/* mon_reply: nested reply flattening; see mon_reply.h. */
#include "mon_reply.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../util/strbuf.h"

/* Debian's hiredis (0.14) speaks RESP2 only; the RESP3 types are read when a
 * newer hiredis defines them. */
static bool is_text(const redisReply *r)
{
    if (!r)
        return false;
#ifdef REDIS_REPLY_VERB
    if (r->type == REDIS_REPLY_VERB || r->type == REDIS_REPLY_BIGNUM)
        return true;
#endif
    return r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS;
}

static bool is_aggregate(const redisReply *r)
{
#ifdef REDIS_REPLY_MAP
    if (r->type == REDIS_REPLY_MAP || r->type == REDIS_REPLY_SET)
        return true;
#endif
    return r->type == REDIS_REPLY_ARRAY;
}

bool mon_reply_number(const redisReply *r, double *out)
{
    if (!r)
        return false;
    if (r->type == REDIS_REPLY_INTEGER) {
        *out = (double)r->integer;
        return true;
    }
#ifdef REDIS_REPLY_DOUBLE
    if (r->type == REDIS_REPLY_DOUBLE) {
        if (!isfinite(r->dval))
            return false;
        *out = r->dval;
        return true;
    }
#endif
    if (!is_text(r) || r->len == 0 || r->len >= 64)
        return false;
    char tmp[64];
    memcpy(tmp, r->str, r->len);
    tmp[r->len] = '\0';
    /* digits, sign or dot first: refuse "inf", "nan", " 1", "0x..." words */
    if (!((tmp[0] >= '0' && tmp[0] <= '9') || tmp[0] == '-' || tmp[0] == '.'))
        return false;
    if (strchr(tmp, 'x') || strchr(tmp, 'X'))
        return false;
    char *end;
    double v = strtod(tmp, &end);
    if (end == tmp)
        return false;
    if (*end == '%')
        end++;
    if (*end || !isfinite(v))
        return false;
    *out = v;
    return true;
}

bool mon_reply_is_pairs(const redisReply *r)
{
    if (!r)
        return false;
#ifdef REDIS_REPLY_MAP
    if (r->type == REDIS_REPLY_MAP)
        return true;
#endif
    if (r->type != REDIS_REPLY_ARRAY || r->elements % 2 != 0 || r->elements == 0)
        return false;
    for (size_t i = 0; i < r->elements; i += 2)
        if (!is_text(r->element[i]))
            return false;
    return true;
}

const redisReply *mon_reply_get(const redisReply *r, const char *key)
{
    if (!mon_reply_is_pairs(r))
        return NULL;
    size_t n = strlen(key);
    for (size_t i = 0; i + 1 < r->elements; i += 2) {
        const redisReply *k = r->element[i];
        if (is_text(k) && k->len == n && !memcmp(k->str, key, n))
            return r->element[i + 1];
    }
    return NULL;
}

static size_t flatten(const redisReply *r, strbuf *name, int depth, mon_fields *out)
{
    if (!r)
        return 0;
    double v;
    if (!is_aggregate(r)) {
        if (name->len == 0 || !mon_reply_number(r, &v))
            return 0;
        mon_fields_add(out, name->buf, name->len, v);
        return 1;
    }
    if (depth >= MON_REPLY_MAX_DEPTH)
        return 0;
    size_t base = name->len, added = 0;
    bool pairs = mon_reply_is_pairs(r);
    for (size_t i = 0; i < r->elements; i += pairs ? 2 : 1) {
        if (base)
            sb_addch(name, '.');
        if (pairs) {
            const redisReply *k = r->element[i];
            /* names are ours to print: drop bytes that would break a CSV cell */
            for (size_t j = 0; j < k->len; j++) {
                char c = k->str[j];
                sb_addch(name,
                         (c == ',' || c == '"' || c == '\n' || c == '\r' || c == ' ') ? '_' : c);
            }
            added += flatten(r->element[i + 1], name, depth + 1, out);
        } else {
            sb_add_u64(name, i);
            added += flatten(r->element[i], name, depth + 1, out);
        }
        name->len = base;
        name->buf[base] = '\0';
    }
    return added;
}

size_t mon_reply_flatten(const redisReply *r, const char *prefix, mon_fields *out)
{
    strbuf name = STRBUF_INIT;
    sb_init(&name, 128);
    if (prefix)
        sb_addstr(&name, prefix);
    size_t n = flatten(r, &name, 0, out);
    sb_release(&name);
    return n;
}
