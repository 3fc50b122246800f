/* net_splice: see net_splice.h for why and for the rule. */
#include "net_splice.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

int net_splice_open(net_splice *s, size_t size, uint32_t max_batches)
{
    memset(s, 0, sizeof(*s));
    s->pipe_rd = s->pipe_wr = -1;
    size_t sz = 4096;
    while (sz < size)
        sz <<= 1;
    int p[2];
    if (pipe2(p, O_CLOEXEC | O_NONBLOCK) < 0)
        return -1;
    /* a pipe as large as the ring, when allowed; a smaller one only means
     * more trips (net_splice_push hands the ring over in pieces) */
    (void)fcntl(p[1], F_SETPIPE_SZ, (int)sz);
    void *m = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    s->marks = calloc(max_batches ? max_batches : 1, sizeof(net_splice_mark));
    if (m == MAP_FAILED || !s->marks) {
        if (m != MAP_FAILED)
            munmap(m, sz);
        free(s->marks);
        s->marks = NULL;
        close(p[0]);
        close(p[1]);
        return -1;
    }
    s->ring = m;
    s->size = sz;
    s->pipe_rd = p[0];
    s->pipe_wr = p[1];
    s->mcap = max_batches ? max_batches : 1;
    return 0;
}

void net_splice_close(net_splice *s)
{
    if (s->ring)
        munmap(s->ring, s->size); /* pages still referenced by a socket live on, unchanged */
    if (s->pipe_rd >= 0)
        close(s->pipe_rd);
    if (s->pipe_wr >= 0)
        close(s->pipe_wr);
    free(s->marks);
    memset(s, 0, sizeof(*s));
    s->pipe_rd = s->pipe_wr = -1;
}

int net_splice_grow(net_splice *s, size_t n)
{
    if (!s->ring || s->rel != s->wr || n > NET_SPLICE_MAX_RING / 2)
        return -1;
    size_t sz = s->size;
    while (sz < 2 * n)
        sz <<= 1;
    void *m = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return -1;
    munmap(s->ring, s->size); /* all read: nothing refers to it any more */
    (void)fcntl(s->pipe_wr, F_SETPIPE_SZ, (int)sz);
    s->ring = m;
    s->size = sz;
    s->wr = s->piped = s->sent = s->rel = 0;
    return 0;
}

void net_splice_append(net_splice *s, const void *buf, size_t n, uint64_t last_seq)
{
    size_t at = (size_t)(s->wr & (s->size - 1));
    size_t first = s->size - at < n ? s->size - at : n;
    memcpy(s->ring + at, buf, first);
    memcpy(s->ring, (const char *)buf + first, n - first);
    s->wr += n;
    uint32_t tail = (s->mhead + s->mcount) % s->mcap;
    s->marks[tail] = (net_splice_mark){last_seq, s->wr};
    s->mcount++;
}

/* Up to n bytes from the pipe into the socket: how many (> 0), 0 when the
 * socket is full, -1 with errno on failure (a closed socket is EPIPE). */
static ssize_t pipe_to_socket(net_splice *s, int sock, size_t n, bool more)
{
    unsigned fl = SPLICE_F_MOVE | SPLICE_F_NONBLOCK | (more ? SPLICE_F_MORE : 0);
    for (;;) {
        ssize_t r = splice(s->pipe_rd, NULL, sock, NULL, n, fl);
        if (r > 0)
            return r;
        if (r < 0 && errno == EINTR)
            continue;
        if (r == 0)
            errno = EPIPE;
        return r < 0 && errno == EAGAIN ? 0 : -1;
    }
}

int net_splice_push(net_splice *s, int fd)
{
    for (;;) {
        if (s->sent < s->piped) {
            ssize_t r = pipe_to_socket(s, fd, (size_t)(s->piped - s->sent), s->piped < s->wr);
            if (r <= 0)
                return (int)r;
            s->sent += (uint64_t)r;
            continue;
        }
        if (s->piped < s->wr) {
            size_t at = (size_t)(s->piped & (s->size - 1));
            size_t n = (size_t)(s->wr - s->piped);
            struct iovec iov[2] = {{s->ring + at, s->size - at < n ? s->size - at : n}, {0}};
            int niov = 1;
            if (iov[0].iov_len < n) {
                iov[1] = (struct iovec){s->ring, n - iov[0].iov_len};
                niov = 2;
            }
            ssize_t r = vmsplice(s->pipe_wr, iov, (unsigned long)niov, SPLICE_F_NONBLOCK);
            if (r > 0) {
                s->piped += (uint64_t)r;
                continue;
            }
            if (r < 0 && errno == EINTR)
                continue;
            /* a full pipe with nothing to move out of it cannot happen:
             * sent == piped here means the pipe is empty */
            return -1;
        }
        return 1;
    }
}

bool net_splice_file_add(net_splice *s, int fd, uint64_t off, uint64_t len)
{
    if (!s->ring)
        return false;
    if (s->frun_len == 0) {
        s->ffd = fd;
        s->frun_off = off;
        s->frun_len = len;
        return true;
    }
    if (fd != s->ffd || off != s->frun_off + s->frun_len)
        return false;
    s->frun_len += len;
    return true;
}

int net_splice_file_push(net_splice *s, int sock)
{
    for (;;) {
        if (s->fpiped) {
            ssize_t r = pipe_to_socket(s, sock, s->fpiped, s->frun_len > 0);
            if (r <= 0)
                return (int)r;
            s->fpiped -= (size_t)r;
            continue;
        }
        if (s->frun_len) {
            loff_t off = (loff_t)s->frun_off;
            size_t want = s->frun_len > s->size ? s->size : (size_t)s->frun_len;
            ssize_t r =
                splice(s->ffd, &off, s->pipe_wr, NULL, want, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
            if (r > 0) {
                s->frun_off += (uint64_t)r;
                s->frun_len -= (uint64_t)r;
                s->fpiped += (size_t)r;
                continue;
            }
            if (r < 0 && errno == EINTR)
                continue;
            if (r == 0)
                errno = EIO; /* the file is shorter than its commands */
            return -1;       /* (the pipe is empty here: EAGAIN cannot be) */
        }
        return 1;
    }
}

void net_splice_release_slow(net_splice *s, uint64_t answered)
{
    while (s->mcount && s->marks[s->mhead].seq < answered) {
        s->rel = s->marks[s->mhead].end;
        s->mhead = (s->mhead + 1) % s->mcap;
        s->mcount--;
    }
    if (s->rel == s->wr && s->sent == s->wr) {
        /* all read: start the next batch at the ring's first byte again, so
         * a connection refilled batch by batch keeps touching the same pages */
        uint64_t base = (s->wr + s->size - 1) & ~(uint64_t)(s->size - 1);
        s->wr = s->piped = s->sent = s->rel = base;
    }
}
