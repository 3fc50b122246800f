/* wl_stream: see wl_stream.h. */
#include "wl_stream.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../net/resp.h"
#include "../util/strbuf.h"
#include "../util/vm_map.h"

/* "*4\r\n$4\r\nHSET\r\n" $<key len>\r\n<key>\r\n $<field len>\r\n<field>\r\n
 * $<blob len>\r\n<blob>\r\n, for a key of kd digits after the prefix */
static uint64_t cmd_len(size_t pl, size_t fl, size_t bb, unsigned kd)
{
    return 14 + (1 + resp_digits(pl + kd) + 2 + pl + kd + 2) + (1 + resp_digits(fl) + 2 + fl + 2) +
           (1 + resp_digits(bb) + 2 + bb + 2);
}

uint64_t wl_stream_offset(size_t prefix_len, size_t field_len, size_t blob_bytes, uint64_t id)
{
    uint64_t off = 0, lo = 0, hi = 10;
    for (unsigned d = 1; lo < id; d++) {
        uint64_t top = id < hi ? id : hi;
        off += (top - lo) * cmd_len(prefix_len, field_len, blob_bytes, d);
        lo = hi;
        hi = hi > UINT64_MAX / 10 ? UINT64_MAX : hi * 10;
    }
    return off;
}

/* the value of line (len bytes) after "key ", NUL-terminated in out */
static bool meta_value(const char *line, size_t len, const char *key, char *out, size_t cap)
{
    size_t k = strlen(key);
    if (len <= k || memcmp(line, key, k) || line[k] != ' ')
        return false;
    size_t v = len - k - 1 < cap - 1 ? len - k - 1 : cap - 1;
    memcpy(out, line + k + 1, v);
    out[v] = '\0';
    return true;
}

void wl_stream_parse_meta(const char *text, size_t len, wl_stream_meta *m)
{
    memset(m, 0, sizeof(*m));
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)((nl ? nl : end) - p);
        char num[32];
        if (!meta_value(p, n, "prefix", m->prefix, sizeof(m->prefix)) &&
            !meta_value(p, n, "field", m->field, sizeof(m->field))) {
            if (meta_value(p, n, "n", num, sizeof(num)))
                m->n = strtoull(num, NULL, 10);
            else if (meta_value(p, n, "bytes", num, sizeof(num)))
                m->bytes = strtoull(num, NULL, 10);
            else if (meta_value(p, n, "dim", num, sizeof(num)))
                m->dim = (uint32_t)strtoul(num, NULL, 10);
        }
        p = nl ? nl + 1 : end;
    }
}

int wl_stream_open(wl_stream *s, const char *dir, const char *prefix, const char *field,
                   uint32_t dim, vm_err *err)
{
    memset(s, 0, sizeof(*s));
    s->fd = -1;
    strbuf meta = STRBUF_INIT, path = STRBUF_INIT;
    sb_addf(&path, "%s/base.resp.meta", dir);
    int rc = 0;
    if (sb_read_file(&meta, path.buf) < 0)
        goto done; /* none */
    wl_stream_meta m;
    wl_stream_parse_meta(meta.buf, meta.len, &m);
    uint64_t n = m.n, bytes = m.bytes;
    size_t bb = (size_t)dim * 4;
    if (strcmp(m.prefix, prefix) || strcmp(m.field, field) || m.dim != dim || !n ||
        n > (UINT64_MAX >> 16) / (bb + 64) ||
        bytes != wl_stream_offset(strlen(prefix), strlen(field), bb, n))
        goto done; /* written for other keys or another dataset (or nonsense) */
    sb_reset(&path);
    sb_addf(&path, "%s/base.resp", dir);
    int fd = open(path.buf, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        if (fd >= 0)
            close(fd);
        if (errno != ENOENT)
            rc = vm_err_set(err, VM_EIO, "%s: %s", path.buf, strerror(errno));
        goto done;
    }
    if ((unsigned long long)st.st_size != bytes) {
        close(fd);
        goto done; /* cut short: not used */
    }
    vm_map map;
    s->map = vm_map_fd(fd, (size_t)bytes, &map) == 0 ? (const char *)map.data : NULL;
    s->fd = fd;
    s->n = n;
    s->prefix_len = strlen(prefix);
    s->field_len = strlen(field);
    s->blob_bytes = bb;
    uint64_t lo = 0;
    for (unsigned d = 1; d <= 20; d++) {
        s->first_off[d] = wl_stream_offset(s->prefix_len, s->field_len, bb, lo);
        s->len[d] = cmd_len(s->prefix_len, s->field_len, bb, d);
        lo = lo == 0 ? 10 : (lo > UINT64_MAX / 10 ? UINT64_MAX : lo * 10);
    }
    rc = 1;
done:
    sb_release(&meta);
    sb_release(&path);
    return rc;
}

void wl_stream_close(wl_stream *s)
{
    if (s->map)
        munmap((void *)s->map,
               (size_t)wl_stream_offset(s->prefix_len, s->field_len, s->blob_bytes, s->n));
    s->map = NULL;
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
}
