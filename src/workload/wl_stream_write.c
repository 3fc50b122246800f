/* wl_stream_write: see wl_stream_write.h. */
#include "wl_stream_write.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/strbuf.h"
#include "../util/vm_write.h"
#include "wl_ingest.h"
#include "wl_stream.h"

int wl_stream_write(const ds_vecfile *base, uint64_t n, const char *prefix, const char *field,
                    const char *dir, vm_err *err)
{
    strbuf path = STRBUF_INIT, tmp = STRBUF_INIT, out = STRBUF_INIT;
    /* the old meta first: a stream is used only with its own meta */
    sb_addf(&path, "%s/base.resp.meta", dir);
    if (unlink(path.buf) < 0 && errno != ENOENT) {
        int rc = vm_err_set(err, VM_EIO, "%s: %s", path.buf, strerror(errno));
        sb_release(&path);
        return rc;
    }
    sb_reset(&path);
    sb_addf(&path, "%s/base.resp", dir);
    sb_addf(&tmp, "%s/base.resp.tmp", dir);
    int rc = 0, fd = open(tmp.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        rc = vm_err_set(err, VM_EIO, "%s: %s", tmp.buf, strerror(errno));
        goto done;
    }
    wl_ingest w;
    wl_ingest_init(&w, base, prefix, field, 0, n);
    sb_grow(&out, 1 << 20);
    for (uint64_t id = 0; id < n && rc == 0; id++) {
        wl_ingest_emit_item(&w, WL_TAG(0, id), &out);
        if (out.len >= (1 << 20) || id + 1 == n) {
            if (vm_write_all(fd, out.buf, out.len) < 0)
                rc = vm_err_set(err, VM_EIO, "%s: %s", tmp.buf, strerror(errno));
            out.len = 0;
        }
    }
    size_t pl = strlen(prefix), fl = strlen(field), bb = (size_t)base->dim * 4;
    uint64_t want = wl_stream_offset(pl, fl, bb, n);
    struct stat st;
    if (rc == 0 && (fstat(fd, &st) < 0 || (uint64_t)st.st_size != want))
        rc = vm_err_set(err, VM_EINTERNAL, "%s: %lld bytes written, %llu expected", tmp.buf,
                        (long long)st.st_size, (unsigned long long)want);
    if (fsync(fd) < 0 && rc == 0)
        rc = vm_err_set(err, VM_EIO, "%s: %s", tmp.buf, strerror(errno));
    close(fd);
    if (rc == 0 && rename(tmp.buf, path.buf) < 0)
        rc = vm_err_set(err, VM_EIO, "%s: %s", path.buf, strerror(errno));
    if (rc < 0) {
        unlink(tmp.buf);
        goto done;
    }
    /* the meta last: without it the stream is not used */
    sb_reset(&out);
    sb_addf(&out, "prefix %s\nfield %s\nn %llu\nbytes %llu\ndim %u\n", prefix, field,
            (unsigned long long)n, (unsigned long long)want, base->dim);
    sb_reset(&tmp);
    sb_addf(&tmp, "%s/base.resp.meta.tmp", dir);
    sb_reset(&path);
    sb_addf(&path, "%s/base.resp.meta", dir);
    fd = open(tmp.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || vm_write_all(fd, out.buf, out.len) < 0 || fsync(fd) < 0 || close(fd) < 0 ||
        rename(tmp.buf, path.buf) < 0)
        rc = vm_err_set(err, VM_EIO, "%s: %s", path.buf, strerror(errno));
done:
    sb_release(&path);
    sb_release(&tmp);
    sb_release(&out);
    return rc;
}
