/* net_splice over a real loopback TCP connection: what the reader gets is
 * byte for byte what was appended — across the ring's wrap, a full socket
 * and a dead peer — and a batch's room is reused only once its replies are
 * reported, and bytes a socket still holds survive the ring being
 * abandoned and a new one written. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "net/net_splice.h"

typedef struct pair {
    int w, r; /* writer (non-blocking), reader (blocking) */
} pair;

static pair tcp_pair(int sndbuf)
{
    int l = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(l >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(l, (struct sockaddr *)&a, sizeof(a)), 0);
    assert_int_equal(listen(l, 1), 0);
    socklen_t al = sizeof(a);
    assert_int_equal(getsockname(l, (struct sockaddr *)&a, &al), 0);
    pair p;
    p.w = socket(AF_INET, SOCK_STREAM, 0);
    if (sndbuf) {
        assert_int_equal(setsockopt(p.w, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)), 0);
    }
    assert_int_equal(connect(p.w, (struct sockaddr *)&a, sizeof(a)), 0);
    p.r = accept(l, NULL, NULL);
    assert_true(p.r >= 0);
    if (sndbuf) {
        assert_int_equal(setsockopt(p.r, SOL_SOCKET, SO_RCVBUF, &sndbuf, sizeof(sndbuf)), 0);
    }
    close(l);
    assert_int_equal(fcntl(p.w, F_SETFL, fcntl(p.w, F_GETFL) | O_NONBLOCK), 0);
    return p;
}

static void read_exact(int fd, char *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        assert_true(r > 0);
        got += (size_t)r;
    }
}

/* n bytes that differ from batch to batch and from byte to byte */
static void pattern(char *buf, size_t n, unsigned batch)
{
    for (size_t i = 0; i < n; i++)
        buf[i] = (char)((i * 7 + batch * 131) & 0xff);
}

static void batches_arrive_and_room_comes_back(void **state)
{
    (void)state;
    pair p = tcp_pair(0);
    net_splice s;
    assert_int_equal(net_splice_open(&s, 5000, 8), 0);
    assert_int_equal(s.size, 8192); /* a power of two */
    char out[3000], in[3000];
    uint64_t seq = 0;
    /* two batches fit, a third does not until the first is answered */
    for (unsigned b = 0; b < 2; b++) {
        pattern(out, sizeof(out), b);
        assert_true(net_splice_fits(&s, sizeof(out)));
        seq += 16;
        net_splice_append(&s, out, sizeof(out), seq - 1);
        assert_int_equal(net_splice_push(&s, p.w), 1);
        assert_false(net_splice_pending(&s));
    }
    for (unsigned b = 0; b < 2; b++) {
        read_exact(p.r, in, sizeof(in));
        pattern(out, sizeof(out), b);
        assert_memory_equal(in, out, sizeof(out));
    }
    /* read by the peer, but no reply reported: the room stays taken */
    assert_false(net_splice_fits(&s, sizeof(out)));
    net_splice_release(&s, 15); /* commands 0..14: the first batch is not complete */
    assert_false(net_splice_fits(&s, sizeof(out)));
    net_splice_release(&s, 16);
    assert_true(net_splice_fits(&s, sizeof(out)));
    /* the third batch wraps around the ring's end */
    pattern(out, sizeof(out), 2);
    seq += 16;
    net_splice_append(&s, out, sizeof(out), seq - 1);
    assert_int_equal(net_splice_push(&s, p.w), 1);
    read_exact(p.r, in, sizeof(in));
    assert_memory_equal(in, out, sizeof(out));
    /* all answered: the next batch starts at the ring's first byte */
    net_splice_release(&s, seq);
    assert_int_equal(s.wr % s.size, 0);
    assert_true(net_splice_fits(&s, s.size));
    assert_false(net_splice_fits(&s, s.size + 1));
    net_splice_close(&s);
    assert_null(s.ring);
    close(p.w);
    close(p.r);
}

static void full_socket_then_drained(void **state)
{
    (void)state;
    pair p = tcp_pair(4096); /* small buffers: the socket fills quickly */
    net_splice s;
    assert_int_equal(net_splice_open(&s, 1 << 20, 64), 0);
    size_t n = 1 << 19, total = 0;
    char *out = malloc(n), *in = malloc(n);
    pattern(out, n, 9);
    net_splice_append(&s, out, n, 0);
    int rc = net_splice_push(&s, p.w);
    assert_int_equal(rc, 0); /* half a megabyte does not fit a 4 KB socket */
    assert_true(net_splice_pending(&s));
    while (total < n) {
        ssize_t r = read(p.r, in + total, n - total);
        assert_true(r > 0);
        total += (size_t)r;
        if (net_splice_pending(&s))
            assert_true(net_splice_push(&s, p.w) >= 0);
    }
    assert_false(net_splice_pending(&s));
    assert_memory_equal(in, out, n);
    free(out);
    free(in);
    net_splice_close(&s);
    close(p.w);
    close(p.r);
}

static void abandoned_ring_keeps_unread_bytes(void **state)
{
    (void)state;
    pair a = tcp_pair(0), b = tcp_pair(0);
    net_splice s;
    char out[4000], in[4000];
    assert_int_equal(net_splice_open(&s, 4096, 4), 0);
    pattern(out, sizeof(out), 1);
    net_splice_append(&s, out, sizeof(out), 0);
    assert_int_equal(net_splice_push(&s, a.w), 1);
    /* the connection is given up before the peer read anything; a new ring
     * is written with other bytes (the same address may come back) */
    net_splice_close(&s);
    assert_int_equal(net_splice_open(&s, 4096, 4), 0);
    char other[4000];
    memset(other, 'B', sizeof(other));
    net_splice_append(&s, other, sizeof(other), 0);
    assert_int_equal(net_splice_push(&s, b.w), 1);
    read_exact(a.r, in, sizeof(in));
    assert_memory_equal(in, out, sizeof(out));
    read_exact(b.r, in, sizeof(in));
    assert_memory_equal(in, other, sizeof(other));
    net_splice_close(&s);
    close(a.w);
    close(a.r);
    close(b.w);
    close(b.r);
}

static void grows_when_idle(void **state)
{
    (void)state;
    pair p = tcp_pair(0);
    net_splice s;
    assert_int_equal(net_splice_open(&s, 4096, 8), 0);
    static char out[20000], in[20000];
    pattern(out, 3000, 1);
    net_splice_append(&s, out, 3000, 0);
    assert_int_equal(net_splice_push(&s, p.w), 1);
    /* busy (not answered): no growing, the batch does not fit */
    assert_false(net_splice_fits(&s, sizeof(out)));
    assert_int_equal(net_splice_grow(&s, sizeof(out)), -1);
    assert_int_equal(s.size, 4096);
    read_exact(p.r, in, 3000);
    assert_memory_equal(in, out, 3000);
    net_splice_release(&s, 1);
    /* idle: a ring for two such batches; too large is refused */
    assert_int_equal(net_splice_grow(&s, NET_SPLICE_MAX_RING), -1);
    assert_int_equal(net_splice_grow(&s, sizeof(out)), 0);
    assert_true(s.size >= 2 * sizeof(out));
    assert_true(net_splice_fits(&s, sizeof(out)));
    pattern(out, sizeof(out), 2);
    net_splice_append(&s, out, sizeof(out), 1);
    assert_int_equal(net_splice_push(&s, p.w), 1);
    read_exact(p.r, in, sizeof(in));
    assert_memory_equal(in, out, sizeof(out));
    net_splice_close(&s);
    close(p.w);
    close(p.r);
}

static void dead_peer_is_an_error(void **state)
{
    (void)state;
    pair p = tcp_pair(0);
    net_splice s;
    assert_int_equal(net_splice_open(&s, 1 << 16, 64), 0);
    struct linger lg = {1, 0}; /* close with RST */
    setsockopt(p.r, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
    close(p.r);
    usleep(10000);
    char out[1000];
    pattern(out, sizeof(out), 3);
    int rc = 1;
    for (int i = 0; i < 20 && rc == 1; i++) {
        net_splice_release(&s, (uint64_t)i); /* keep room: pretend earlier ones were answered */
        net_splice_append(&s, out, sizeof(out), (uint64_t)i);
        rc = net_splice_push(&s, p.w);
    }
    assert_int_equal(rc, -1);
    assert_true(errno == ECONNRESET || errno == EPIPE);
    net_splice_close(&s);
    close(p.w);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN); /* as the tool does: a dead peer is an error, not a signal */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(batches_arrive_and_room_comes_back),
        cmocka_unit_test(full_socket_then_drained),
        cmocka_unit_test(abandoned_ring_keeps_unread_bytes),
        cmocka_unit_test(grows_when_idle),
        cmocka_unit_test(dead_peer_is_an_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
