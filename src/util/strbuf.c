/* strbuf: growable buffer; see strbuf.h. */
#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm_grow.h"

static char sb_empty[1];

void sb_init(strbuf *sb, size_t hint)
{
    sb->buf = sb_empty;
    sb->len = sb->alloc = 0;
    if (hint)
        sb_grow(sb, hint);
}

void sb_release(strbuf *sb)
{
    if (sb->alloc)
        free(sb->buf);
    sb->buf = sb_empty;
    sb->len = sb->alloc = 0;
}

void sb_grow(strbuf *sb, size_t extra)
{
    size_t need = sb->len + extra + 1;
    if (sb->buf == NULL) {
        sb->buf = sb_empty;
        sb->len = sb->alloc = 0;
        need = extra + 1;
    }
    if (need <= sb->alloc)
        return;
    size_t n = sb->alloc ? sb->alloc : 64;
    while (n < need)
        n = n + n / 2 + 16;
    char *old = sb->alloc ? sb->buf : NULL;
    sb->buf = vm_xrealloc(old, n);
    if (!old)
        sb->buf[0] = '\0';
    sb->alloc = n;
}

void sb_reset(strbuf *sb)
{
    sb->len = 0;
    if (sb->alloc)
        sb->buf[0] = '\0';
}

void sb_add(strbuf *sb, const void *data, size_t n)
{
    sb_grow(sb, n);
    memcpy(sb->buf + sb->len, data, n);
    sb->len += n;
    sb->buf[sb->len] = '\0';
}

void sb_addstr(strbuf *sb, const char *s)
{
    sb_add(sb, s, strlen(s));
}

void sb_addch(strbuf *sb, char c)
{
    sb_grow(sb, 1);
    sb->buf[sb->len++] = c;
    sb->buf[sb->len] = '\0';
}

void sb_vaddf(strbuf *sb, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n <= 0)
        return;
    sb_grow(sb, (size_t)n);
    vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
}

void sb_addf(strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(sb, fmt, ap);
    va_end(ap);
}

size_t fmt_u64(char *dst, uint64_t v)
{
    char tmp[20];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++)
        dst[i] = tmp[n - 1 - i];
    return n;
}

void sb_add_u64(strbuf *sb, uint64_t v)
{
    sb_grow(sb, 20);
    sb->len += fmt_u64(sb->buf + sb->len, v);
    sb->buf[sb->len] = '\0';
}

void sb_consume(strbuf *sb, size_t n)
{
    if (n >= sb->len) {
        sb_reset(sb);
        return;
    }
    memmove(sb->buf, sb->buf + n, sb->len - n);
    sb->len -= n;
    sb->buf[sb->len] = '\0';
}

int sb_read_file(strbuf *sb, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
        sb_add(sb, buf, n);
    int bad = ferror(f);
    fclose(f);
    return bad ? -1 : 0;
}

char *sb_detach(strbuf *sb, size_t *len)
{
    if (len)
        *len = sb->len;
    char *r = sb->alloc ? sb->buf : vm_xrealloc(NULL, 1);
    if (!sb->alloc)
        r[0] = '\0';
    sb->buf = sb_empty;
    sb->len = sb->alloc = 0;
    return r;
}
