/* vm_map: a whole file mapped read-only; see vm_map.h. */
#include "vm_map.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int vm_map_fd(int fd, size_t size, vm_map *out)
{
    out->data = NULL;
    out->size = 0;
    if (size == 0)
        return 0;
    void *m = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (m == MAP_FAILED)
        return -1;
    out->data = m;
    out->size = size;
    return 0;
}

int vm_map_file(const char *path, vm_map *out, vm_err *err)
{
    out->data = NULL;
    out->size = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return vm_err_set(err, VM_EINPUT, "%s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return vm_err_set(err, VM_EINPUT, "%s: not a regular file", path);
    }
    int rc = vm_map_fd(fd, (size_t)st.st_size, out);
    int e = errno;
    close(fd);
    if (rc < 0)
        return vm_err_set(err, VM_EIO, "%s: mmap: %s", path, strerror(e));
    return 0;
}

void vm_unmap(vm_map *m)
{
    if (m->data)
        munmap((void *)m->data, m->size);
    m->data = NULL;
    m->size = 0;
}
