/* ds_thrift: Thrift compact protocol reader; see ds_thrift.h. */
#include "ds_thrift.h"

#define TC_MAX_DEPTH 32

void tc_init(tc_cur *c, const uint8_t *p, size_t len)
{
    c->p = p;
    c->end = p + len;
    c->depth = 0;
    c->bad = false;
}

uint64_t tc_uvarint(tc_cur *c)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (c->p >= c->end) {
            c->bad = true;
            return 0;
        }
        uint8_t b = *c->p++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            return v;
    }
    c->bad = true;
    return 0;
}

int64_t tc_int(tc_cur *c)
{
    uint64_t u = tc_uvarint(c);
    return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

int tc_field(tc_cur *c, int16_t *last, int16_t *id, uint8_t *type)
{
    if (c->bad || c->p >= c->end) {
        c->bad = true;
        return -1;
    }
    uint8_t b = *c->p++;
    if (b == TC_STOP)
        return 0;
    *type = b & 0x0f;
    uint8_t delta = b >> 4;
    if (delta)
        *id = (int16_t)(*last + delta);
    else
        *id = (int16_t)tc_int(c);
    *last = *id;
    if (*type > TC_STRUCT) {
        c->bad = true;
        return -1;
    }
    return c->bad ? -1 : 1;
}

const uint8_t *tc_binary(tc_cur *c, size_t *len)
{
    uint64_t n = tc_uvarint(c);
    if (c->bad || n > (uint64_t)(c->end - c->p)) {
        c->bad = true;
        *len = 0;
        return NULL;
    }
    const uint8_t *p = c->p;
    c->p += n;
    *len = (size_t)n;
    return p;
}

int tc_list(tc_cur *c, uint8_t *etype, uint32_t *count)
{
    if (c->p >= c->end) {
        c->bad = true;
        return -1;
    }
    uint8_t b = *c->p++;
    uint64_t n = b >> 4;
    if (n == 15)
        n = tc_uvarint(c);
    *etype = b & 0x0f;
    if (c->bad || n > (uint64_t)(c->end - c->p) || *etype > TC_STRUCT) {
        c->bad = true;
        return -1;
    }
    *count = (uint32_t)n;
    return 0;
}

bool tc_enter(tc_cur *c)
{
    if (++c->depth > TC_MAX_DEPTH)
        c->bad = true;
    return !c->bad;
}

void tc_leave(tc_cur *c)
{
    c->depth--;
}

void tc_skip(tc_cur *c, uint8_t type)
{
    if (c->bad)
        return;
    switch (type) {
    case TC_TRUE:
    case TC_FALSE:
        return; /* value carried in the field type */
    case TC_BYTE:
        if (c->p >= c->end)
            c->bad = true;
        else
            c->p++;
        return;
    case TC_I16:
    case TC_I32:
    case TC_I64:
        tc_uvarint(c);
        return;
    case TC_DOUBLE:
        if (c->end - c->p < 8)
            c->bad = true;
        else
            c->p += 8;
        return;
    case TC_BINARY: {
        size_t l;
        tc_binary(c, &l);
        return;
    }
    case TC_LIST:
    case TC_SET: {
        uint8_t et;
        uint32_t n;
        if (tc_list(c, &et, &n) < 0 || !tc_enter(c))
            return;
        for (uint32_t i = 0; i < n && !c->bad; i++)
            tc_skip(c, et == TC_TRUE || et == TC_FALSE ? TC_BYTE : et);
        tc_leave(c);
        return;
    }
    case TC_MAP: {
        uint64_t n = tc_uvarint(c);
        if (n == 0 || c->bad)
            return;
        if (c->p >= c->end || n > (uint64_t)(c->end - c->p)) {
            c->bad = true;
            return;
        }
        uint8_t kv = *c->p++;
        uint8_t kt = kv >> 4, vt = kv & 0x0f;
        if (!tc_enter(c))
            return;
        for (uint64_t i = 0; i < n && !c->bad; i++) {
            tc_skip(c, kt == TC_TRUE || kt == TC_FALSE ? TC_BYTE : kt);
            tc_skip(c, vt == TC_TRUE || vt == TC_FALSE ? TC_BYTE : vt);
        }
        tc_leave(c);
        return;
    }
    case TC_STRUCT: {
        if (!tc_enter(c))
            return;
        int16_t last = 0, id;
        uint8_t t;
        int r;
        while ((r = tc_field(c, &last, &id, &t)) == 1)
            tc_skip(c, t);
        tc_leave(c);
        return;
    }
    default:
        c->bad = true;
    }
}
