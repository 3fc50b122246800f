/* vm_write: write all of a buffer, through EINTR and short writes.
 *
 * write(2) may write less than asked (a signal, a pipe, a full disk) and a
 * signal may interrupt it before it writes anything; every caller that
 * wants its bytes on disk needs the same loop, so it lives here once.
 * Errors are left in errno for the caller to word (it knows the path). */
#ifndef VM_WRITE_H
#define VM_WRITE_H

#include <stddef.h>
#include <sys/types.h>

#include "vm_err.h"

/* Write n bytes of buf to fd, retrying on EINTR and after short writes.
 * 0 when all were written; -1 with errno from write(2), or errno 0 when
 * write(2) wrote nothing without an error (not seen on files and pipes). */
int vm_write_all(int fd, const void *buf, size_t n);
/* The same with pwrite(2) at offset off (the file offset is not moved). */
int vm_pwrite_all(int fd, const void *buf, size_t n, off_t off);
/* Either of them (off < 0: vm_write_all, else vm_pwrite_all at off), the
 * failure worded in err naming path: "PATH: write: <strerror>" (VM_EIO;
 * "nothing written" where errno is 0). */
int vm_write_all_at(int fd, const void *buf, size_t n, off_t off, const char *path, vm_err *err);

#endif
