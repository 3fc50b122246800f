/* resp: RESP2 encoders; see resp.h. */
#include "resp.h"

void resp_add_bulk_str(strbuf *sb, const char *s)
{
    resp_add_bulk(sb, s, strlen(s));
}

void resp_add_bulk_u64(strbuf *sb, uint64_t v)
{
    char d[20];
    unsigned n = resp_put_u64(d, v);
    resp_add_bulk(sb, d, n);
}

void resp_add_bulk_key(strbuf *sb, const char *prefix, size_t prefix_len, uint64_t id)
{
    unsigned nd = resp_digits(id);
    size_t klen = prefix_len + nd;
    resp_reserve(sb, klen + 26);
    char *p = sb->buf + sb->len;
    *p++ = '$';
    p += resp_put_u64(p, klen);
    *p++ = '\r';
    *p++ = '\n';
    memcpy(p, prefix, prefix_len);
    p += prefix_len;
    p += resp_put_u64(p, id);
    *p++ = '\r';
    *p++ = '\n';
    *p = '\0';
    sb->len = (size_t)(p - sb->buf);
}

void resp_add_command(strbuf *sb, int argc, const char *const *argv, const size_t *lens)
{
    resp_add_array(sb, (uint64_t)argc);
    for (int i = 0; i < argc; i++)
        resp_add_bulk(sb, argv[i], lens ? lens[i] : strlen(argv[i]));
}
