/* csv_row: shared CSV helpers; see csv_row.h. */
#include "csv_row.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/vm_write.h"

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

int csv_open_append(const char *path, const char *header, int *fd, vm_err *err)
{
    *fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (*fd < 0)
        return vm_err_set(err, VM_EIO, "'%s': %s", path, strerror(errno));
    struct stat st;
    if (fstat(*fd, &st) < 0) {
        vm_err_set(err, VM_EIO, "'%s': %s", path, strerror(errno));
        goto fail;
    }
    size_t hl = strlen(header);
    if (st.st_size == 0) {
        if (csv_write_whole(*fd, header, hl, path, err) < 0)
            goto fail;
        return 0;
    }
    char *have = malloc(hl + 1);
    ssize_t n = have ? pread(*fd, have, hl, 0) : -1;
    bool same = n == (ssize_t)hl && !memcmp(have, header, hl);
    free(have);
    if (!same) {
        vm_err_set(err, VM_EINPUT,
                   "'%s' already holds a CSV with other columns: remove it or choose another file",
                   path);
        goto fail;
    }
    char last;
    if (pread(*fd, &last, 1, st.st_size - 1) == 1 && last != '\n' &&
        csv_write_whole(*fd, "\n", 1, path, err) < 0)
        goto fail;
    return 0;
fail:
    close(*fd);
    *fd = -1;
    return -1;
}

int csv_write_file(const char *path, const char *buf, size_t len, vm_err *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return vm_err_set(err, VM_EIO, "'%s': %s", path, strerror(errno));
    int rc = csv_write_whole(fd, buf, len, path, err);
    if (close(fd) < 0 && rc == 0)
        rc = vm_err_set(err, VM_EIO, "'%s': %s", path, strerror(errno));
    return rc;
}

void csv_close_parts(int *fd, char **path, strbuf *row)
{
    if (*fd >= 0)
        close(*fd);
    free(*path);
    sb_release(row);
    *fd = -1;
    *path = NULL;
}

int csv_write_whole(int fd, const char *buf, size_t len, const char *path, vm_err *err)
{
    return vm_write_all_at(fd, buf, len, -1, path, err);
}
