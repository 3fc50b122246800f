/* csv_row: shared CSV helpers; see csv_row.h. */
#include "csv_row.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void csv_add_cell(strbuf *sb, const char *s)
{
    if (!s)
        return;
    if (!strpbrk(s, ",\"\r\n")) {
        sb_addstr(sb, s);
        return;
    }
    sb_addch(sb, '"');
    for (; *s; s++) {
        if (*s == '"')
            sb_addch(sb, '"');
        sb_addch(sb, *s);
    }
    sb_addch(sb, '"');
}

void csv_add_num(strbuf *sb, double v)
{
    if (!isfinite(v))
        return; /* an empty cell: no number */
    char buf[40];
    csv_fmt_num(buf, v);
    sb_addstr(sb, buf);
}

void csv_fmt_num(char out[40], double v)
{
    /* Formatted in a local buffer and copied: gcc 12 with the sanitizers at
     * -O2 otherwise believes `out` may be NULL (-Wformat-truncation). */
    char buf[40];
    if (v == (double)(long long)v && v > -9e15 && v < 9e15) {
        snprintf(buf, sizeof(buf), "%lld", (long long)v);
    } else {
        /* the shortest of %.15g..%.17g that reads back as the same double */
        for (int prec = 15; prec <= 17; prec++) {
            snprintf(buf, sizeof(buf), "%.*g", prec, v);
            if (strtod(buf, NULL) == v)
                break;
        }
    }
    memcpy(out, buf, sizeof(buf));
}

int csv_open_append(const char *path, int *fd, vm_err *err)
{
    *fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
    if (*fd < 0)
        return vm_err_set(err, VM_EIO, "'%s': %s", path, strerror(errno));
    return 0;
}

int csv_write_whole(int fd, const char *buf, size_t len, const char *path, vm_err *err)
{
    size_t off = 0;
    while (off < len) {
        ssize_t n = write(fd, buf + off, len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return vm_err_set(err, VM_EIO, "%s: write: %s", path,
                              n < 0 ? strerror(errno) : "nothing written");
        off += (size_t)n;
    }
    return 0;
}
