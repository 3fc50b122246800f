/* net_splice: spliced writes to a plain TCP socket.
 *
 * Why: a send() copies every byte into pages the kernel allocates for the
 * socket.  While the server is itself allocating (a prefill's new keys),
 * those page allocations become the client's largest cost — measured up to
 * a third of its CPU per million HSETs, and the reason two identical runs
 * differed by 2x.  Here the bytes are copied once into a ring of our own,
 * always the same few hot pages, whose pages vmsplice() puts in a pipe and
 * splice() hands to the socket: the socket references them, the server's
 * read copies out of them, and no page is allocated per write.
 *
 * The price is a rule: a ring byte must not change until the server has
 * read it.  The caller marks each batch with the sequence number of its
 * last command and reports replies (a reply means the server read the
 * command); only then is the batch's room reused.  When the connection
 * breaks, the ring is abandoned (unmapped, never rewritten), so commands
 * the server may still read from the dead socket stay what they were.
 *
 * A batch that does not fit, TLS, and any kernel without splice use send(),
 * the caller's path. */
#ifndef NET_SPLICE_H
#define NET_SPLICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct net_splice_mark {
    uint64_t seq; /* the batch's last command */
    uint64_t end; /* stream position after the batch */
} net_splice_mark;

typedef struct net_splice {
    char *ring;  /* NULL: not in use */
    size_t size; /* power of two */
    /* stream positions: rel <= sent <= piped <= wr */
    uint64_t wr;    /* copied into the ring */
    uint64_t piped; /* handed to the pipe */
    uint64_t sent;  /* moved from the pipe into the socket */
    uint64_t rel;   /* read by the server: reusable */
    int pipe_rd, pipe_wr;
    net_splice_mark *marks; /* batches not yet answered, oldest first */
    uint32_t mcap, mhead, mcount;
    /* commands already encoded in a file (the page cache's pages go to the
     * socket; never copied, never changed): [frun_off, + frun_len) of ffd
     * still to move, fpiped bytes of it in the pipe */
    int ffd;
    uint64_t frun_off, frun_len;
    size_t fpiped;
} net_splice;

/* Set up a ring of at least size bytes (rounded up to a power of two) for
 * batches of up to max_batches in flight.  -1 when the system will not
 * give a pipe or the memory: the caller writes with send() instead. */
int net_splice_open(net_splice *s, size_t size, uint32_t max_batches);
/* Abandon the ring: its bytes stay as they are for whatever still
 * references them; the next net_splice_open maps a new one. */
void net_splice_close(net_splice *s);

/* When nothing is in flight: a larger ring, for batches of n bytes (at most
 * NET_SPLICE_MAX_RING); -1 when busy, too large or out of memory (the ring stays). */
#define NET_SPLICE_MAX_RING (16u << 20)
int net_splice_grow(net_splice *s, size_t n);

/* Room for n more bytes now. */
static inline bool net_splice_fits(const net_splice *s, size_t n)
{
    return s->ring && s->mcount < s->mcap && n <= s->size - (size_t)(s->wr - s->rel);
}
/* Copy a batch in (the caller checked net_splice_fits); last_seq is the sequence
 * number of its last command. */
void net_splice_append(net_splice *s, const void *buf, size_t n, uint64_t last_seq);
/* Move what the ring holds to the socket: 1 when all of it went, 0 when
 * the socket is full (wait for EPOLLOUT), -1 with errno on failure. */
int net_splice_push(net_splice *s, int fd);
static inline bool net_splice_pending(const net_splice *s)
{
    return s->sent < s->wr;
}

/* File runs.  The socket takes the ring's bytes, then the file run, then
 * the ring's again: the caller appends to the ring only when no file run
 * is pending, and starts a file run only when it has nothing unwritten of
 * its own.  net_splice_file_add: the run grows when [off, off + len) of fd follows
 * it (or starts one); false when it does not follow (write it otherwise). */
bool net_splice_file_add(net_splice *s, int fd, uint64_t off, uint64_t len);
static inline bool net_splice_file_pending(const net_splice *s)
{
    return s->frun_len || s->fpiped;
}
/* Move the file run to the socket: as net_splice_push. */
int net_splice_file_push(net_splice *s, int sock);

void net_splice_release_slow(net_splice *s, uint64_t answered);
/* Commands with sequence numbers below answered have their replies. */
static inline void net_splice_release(net_splice *s, uint64_t answered)
{
    if (s->mcount && s->marks[s->mhead].seq < answered)
        net_splice_release_slow(s, answered);
}

#endif
