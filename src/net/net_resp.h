/* net_resp: RESP2 request encoding, written by hand because it is the hot
 * path: a vector HSET is a few header bytes around a blob copied straight
 * from the memory-mapped dataset, with no printf and no intermediate argv.
 * Replies are parsed by hiredis's reader (Debian's libhiredis), not here. */
#ifndef NET_RESP_H
#define NET_RESP_H

#include <stddef.h>
#include <stdint.h>

#include "../util/strbuf.h"

static inline void resp_add_len(strbuf *sb, char type, uint64_t n)
{
    sb_grow(sb, 24);
    char *p = sb->buf + sb->len;
    *p++ = type;
    p += fmt_u64(p, n);
    *p++ = '\r';
    *p++ = '\n';
    sb->len = (size_t)(p - sb->buf);
    *p = '\0';
}

static inline void resp_add_array(strbuf *sb, uint64_t n) { resp_add_len(sb, '*', n); }

static inline void resp_add_bulk(strbuf *sb, const void *data, size_t n)
{
    resp_add_len(sb, '$', n);
    sb_grow(sb, n + 2);
    char *p = sb->buf + sb->len;
    for (size_t i = 0; i < n; i++) /* small args; blobs go through sb_add */
        p[i] = ((const char *)data)[i];
    p[n] = '\r';
    p[n + 1] = '\n';
    sb->len += n + 2;
    sb->buf[sb->len] = '\0';
}

void resp_add_bulk_str(strbuf *sb, const char *s);
void resp_add_bulk_u64(strbuf *sb, uint64_t v);
/* A bulk string "<prefix><id>" without building the key first. */
void resp_add_bulk_key(strbuf *sb, const char *prefix, size_t prefix_len, uint64_t id);
/* A large bulk (a vector blob): header, one memcpy, CRLF. */
void resp_add_blob(strbuf *sb, const void *data, size_t n);
/* A whole command from an argv. */
void resp_add_command(strbuf *sb, int argc, const char *const *argv, const size_t *lens);

#endif
