/* vm_write: write all of a buffer; see vm_write.h. */
#include "vm_write.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

/* off < 0: write(2) at the file offset, else pwrite(2) at off */
static int write_loop(int fd, const char *p, size_t n, off_t off)
{
    while (n) {
        ssize_t w = off < 0 ? write(fd, p, n) : pwrite(fd, p, n, off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = 0;
            return -1;
        }
        p += w;
        n -= (size_t)w;
        if (off >= 0)
            off += w;
    }
    return 0;
}

int vm_write_all(int fd, const void *buf, size_t n)
{
    return write_loop(fd, buf, n, -1);
}

int vm_pwrite_all(int fd, const void *buf, size_t n, off_t off)
{
    if (off < 0) {
        errno = EINVAL;
        return -1;
    }
    return write_loop(fd, buf, n, off);
}

int vm_write_all_at(int fd, const void *buf, size_t n, off_t off, const char *path, vm_err *err)
{
    if (write_loop(fd, buf, n, off) == 0)
        return 0;
    return vm_err_set(err, VM_EIO, "%s: write: %s", path,
                      errno ? strerror(errno) : "nothing written");
}
