/* net_resp: RESP2 encoders; see net_resp.h. */
#include "net_resp.h"

#include <string.h>

void resp_add_bulk_str(strbuf *sb, const char *s)
{
    resp_add_bulk(sb, s, strlen(s));
}

void resp_add_bulk_u64(strbuf *sb, uint64_t v)
{
    char d[20];
    size_t n = fmt_u64(d, v);
    resp_add_bulk(sb, d, n);
}

void resp_add_bulk_key(strbuf *sb, const char *prefix, size_t prefix_len, uint64_t id)
{
    char d[20];
    size_t n = fmt_u64(d, id);
    resp_add_len(sb, '$', prefix_len + n);
    sb_grow(sb, prefix_len + n + 2);
    char *p = sb->buf + sb->len;
    memcpy(p, prefix, prefix_len);
    memcpy(p + prefix_len, d, n);
    p[prefix_len + n] = '\r';
    p[prefix_len + n + 1] = '\n';
    sb->len += prefix_len + n + 2;
    sb->buf[sb->len] = '\0';
}

void resp_add_blob(strbuf *sb, const void *data, size_t n)
{
    resp_add_len(sb, '$', n);
    sb_grow(sb, n + 2);
    memcpy(sb->buf + sb->len, data, n);
    sb->buf[sb->len + n] = '\r';
    sb->buf[sb->len + n + 1] = '\n';
    sb->len += n + 2;
    sb->buf[sb->len] = '\0';
}

void resp_add_command(strbuf *sb, int argc, const char *const *argv, const size_t *lens)
{
    resp_add_array(sb, (uint64_t)argc);
    for (int i = 0; i < argc; i++)
        resp_add_blob(sb, argv[i], lens ? lens[i] : strlen(argv[i]));
}
