/* resp: RESP2 request encoding, written by hand because it is the hot
 * path: a vector HSET is a few header bytes around a blob copied straight
 * from the memory-mapped dataset, with no printf and no intermediate argv.
 * Numbers are written two digits at a time and each call reserves its room
 * once with an inline check, so encoding a command costs a few dozen
 * instructions besides the blob's memcpy (measured: bench/bench_ingest.sh).
 * Replies are parsed by hiredis's reader (Debian's libhiredis), not here. */
#ifndef RESP_H
#define RESP_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../util/strbuf.h"

/* Room for n more bytes (and the NUL): the common case is one compare. */
static inline void resp_reserve(strbuf *sb, size_t n)
{
    if (sb->len + n + 1 > sb->alloc)
        sb_grow(sb, n);
}

static inline unsigned resp_digits(uint64_t v)
{
    unsigned n = 1;
    while (v >= 10000) {
        v /= 10000;
        n += 4;
    }
    return n + (v >= 10) + (v >= 100) + (v >= 1000);
}

/* Decimal digits of v at p (exactly resp_digits(v) of them, no NUL). */
static inline unsigned resp_put_u64(char *p, uint64_t v)
{
    static const char pairs[201] = "00010203040506070809101112131415161718192021222324"
                                   "25262728293031323334353637383940414243444546474849"
                                   "50515253545556575859606162636465666768697071727374"
                                   "75767778798081828384858687888990919293949596979899";
    unsigned n = resp_digits(v), i = n;
    while (v >= 100) {
        unsigned k = (unsigned)(v % 100) * 2;
        v /= 100;
        p[--i] = pairs[k + 1];
        p[--i] = pairs[k];
    }
    if (v >= 10) {
        p[--i] = pairs[v * 2 + 1];
        p[--i] = pairs[v * 2];
    } else {
        p[--i] = (char)('0' + v);
    }
    return n;
}

static inline void resp_add_len(strbuf *sb, char type, uint64_t n)
{
    resp_reserve(sb, 24);
    char *p = sb->buf + sb->len;
    *p++ = type;
    p += resp_put_u64(p, n);
    *p++ = '\r';
    *p++ = '\n';
    sb->len = (size_t)(p - sb->buf);
    *p = '\0';
}

static inline void resp_add_array(strbuf *sb, uint64_t n)
{
    resp_add_len(sb, '*', n);
}

/* A bulk string: header, bytes, CRLF, with one reservation. */
static inline void resp_add_bulk(strbuf *sb, const void *data, size_t n)
{
    resp_reserve(sb, n + 26);
    char *p = sb->buf + sb->len;
    *p++ = '$';
    p += resp_put_u64(p, n);
    *p++ = '\r';
    *p++ = '\n';
    memcpy(p, data, n);
    p += n;
    *p++ = '\r';
    *p++ = '\n';
    *p = '\0';
    sb->len = (size_t)(p - sb->buf);
}

void resp_add_bulk_str(strbuf *sb, const char *s);
void resp_add_bulk_u64(strbuf *sb, uint64_t v);
/* A bulk string "<prefix><id>" without building the key first. */
void resp_add_bulk_key(strbuf *sb, const char *prefix, size_t prefix_len, uint64_t id);
/* A large bulk (a vector blob): header, one memcpy, CRLF. */
static inline void resp_add_blob(strbuf *sb, const void *data, size_t n)
{
    resp_add_bulk(sb, data, n);
}
/* A whole command from an argv. */
void resp_add_command(strbuf *sb, int argc, const char *const *argv, const size_t *lens);

#endif
