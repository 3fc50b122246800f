/* vm_map: a whole file mapped read-only, for the readers that walk a file
 * in place (vector files, parquet) instead of copying it into memory.
 *
 * The mapping is private and read-only; the descriptor is closed once the
 * file is mapped (the mapping keeps the file alive).  An empty file is
 * mapped as data NULL, size 0 (mmap(2) refuses a zero length), so the
 * caller's own "too short" check words the error. */
#ifndef VM_MAP_H
#define VM_MAP_H

#include <stddef.h>
#include <stdint.h>

#include "vm_err.h"

typedef struct vm_map {
    const uint8_t *data; /* the file's bytes; NULL when size is 0 */
    size_t size;         /* bytes */
} vm_map;

/* Map path whole.  On failure out is zeroed, -1 and err says, naming path:
 * "PATH: <strerror>" (VM_EINPUT, cannot open), "PATH: not a regular file"
 * (VM_EINPUT), "PATH: mmap: <strerror>" (VM_EIO). */
int vm_map_file(const char *path, vm_map *out, vm_err *err);
/* Map size bytes of the open fd (which stays open and the caller's).  0, or
 * -1 with errno from mmap(2); size 0 maps nothing and succeeds. */
int vm_map_fd(int fd, size_t size, vm_map *out);
/* Unmap m (mapped or zeroed) and zero it. */
void vm_unmap(vm_map *m);

#endif
