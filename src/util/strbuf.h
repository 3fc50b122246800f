/* strbuf: a growable byte buffer, used everywhere instead of ad-hoc buffers
 * (after git's strbuf.h).  buf is always NUL-terminated so it can be used as a
 * C string when it holds text; len does not count the NUL.  Allocation failure
 * aborts: the tool cannot do anything useful without memory. */
#ifndef STRBUF_H
#define STRBUF_H

#include <stddef.h>
#include <stdarg.h>
#include <stdint.h>

typedef struct strbuf {
    char *buf;
    size_t len;
    size_t alloc;
} strbuf;

#define STRBUF_INIT {NULL, 0, 0}

void sb_init(strbuf *sb, size_t hint);
void sb_release(strbuf *sb);
/* Ensure room for extra more bytes (plus the NUL). */
void sb_grow(strbuf *sb, size_t extra);
void sb_reset(strbuf *sb);
void sb_add(strbuf *sb, const void *data, size_t n);
void sb_addstr(strbuf *sb, const char *s);
void sb_addch(strbuf *sb, char c);
void sb_addf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vaddf(strbuf *sb, const char *fmt, va_list ap);
void sb_add_u64(strbuf *sb, uint64_t v);
/* Drop the first n bytes (consumed output). */
void sb_consume(strbuf *sb, size_t n);
/* Hand the buffer to the caller (never NULL) and reset sb. */
char *sb_detach(strbuf *sb, size_t *len);

/* Append the whole file at path; -1 with errno set when it cannot be read. */
int sb_read_file(strbuf *sb, const char *path);

/* Decimal digits of v written at dst (no NUL); returns the count (1..20). */
size_t fmt_u64(char *dst, uint64_t v);

#endif
