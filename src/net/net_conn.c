/* net_conn: TCP/TLS streams; see net_conn.h. */
#include "net_conn.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "../util/clock.h"

static int set_nonblock(int fd, int on)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0)
        return -1;
    return fcntl(fd, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK);
}

int net_conn_wait(net_conn *c, short events, int timeout_ms)
{
    struct pollfd p = {c->fd, events, 0};
    for (;;) {
        int r = poll(&p, 1, timeout_ms);
        if (r > 0)
            return 0;
        if (r == 0) {
            errno = ETIMEDOUT;
            return -1;
        }
        if (errno != EINTR)
            return -1;
    }
}

static int tcp_connect(net_conn *c, const char *host, int port, int timeout_ms, vm_err *err)
{
    char portstr[16];
    snprintf(portstr, sizeof(portstr), "%d", port);
    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    int gai = getaddrinfo(host, portstr, &hints, &res);
    if (gai)
        return vm_err_set(err, VM_ECONN, "cannot resolve host '%s': %s", host, gai_strerror(gai));
    int last = 0;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            last = errno;
            continue;
        }
        set_nonblock(fd, 1);
        int r = connect(fd, ai->ai_addr, ai->ai_addrlen);
        if (r < 0 && errno == EINPROGRESS) {
            c->fd = fd;
            if (net_conn_wait(c, POLLOUT, timeout_ms) == 0) {
                int so = 0;
                socklen_t sl = sizeof(so);
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &so, &sl);
                r = so ? -1 : 0;
                errno = so;
            } else {
                r = -1;
            }
        }
        if (r == 0) {
            int one = 1;
            setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
            c->fd = fd;
            freeaddrinfo(res);
            return 0;
        }
        last = errno;
        close(fd);
        c->fd = -1;
    }
    freeaddrinfo(res);
    return vm_err_set(err, VM_ECONN, "cannot connect to %s:%d: %s", host, port,
                      last == ETIMEDOUT ? "timed out" : strerror(last));
}

static int tls_handshake(net_conn *c, const net_endpoint *ep, const char *host, int port,
                         int timeout_ms, vm_err *err)
{
    SSL *ssl = SSL_new(ep->tls_ctx);
    if (!ssl)
        return vm_err_set(err, VM_ECONN, "TLS to %s:%d: cannot create session", host, port);
    c->ssl = ssl;
    SSL_set_fd(ssl, c->fd);
    const char *name = ep->tls.sni ? ep->tls.sni : host;
    SSL_set_tlsext_host_name(ssl, name);
    if (!ep->tls.insecure) {
        X509_VERIFY_PARAM *vp = SSL_get0_param(ssl);
        /* verify the name the user expects: an IP literal or a DNS name */
        if (!X509_VERIFY_PARAM_set1_ip_asc(vp, name))
            X509_VERIFY_PARAM_set1_host(vp, name, 0);
    }
    uint64_t deadline = clk_mono_ns() + (uint64_t)timeout_ms * 1000000ull;
    for (;;) {
        ERR_clear_error();
        int r = SSL_connect(ssl);
        if (r == 1)
            return 0;
        int e = SSL_get_error(ssl, r);
        uint64_t now = clk_mono_ns();
        if ((e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) && now < deadline) {
            net_conn_wait(c, e == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT,
                          (int)((deadline - now) / 1000000ull) + 1);
            continue;
        }
        long vr = SSL_get_verify_result(ssl);
        if (vr != X509_V_OK)
            return vm_err_param(err, "cacert", VM_ECONN,
                                "TLS to %s:%d: server certificate not trusted (%s); check the CA "
                                "certificate",
                                host, port, X509_verify_cert_error_string(vr));
        char buf[256];
        unsigned long le = ERR_get_error();
        ERR_error_string_n(le, buf, sizeof(buf));
        return vm_err_set(err, VM_ECONN, "TLS to %s:%d: handshake failed: %s", host, port,
                          le ? buf : (now >= deadline ? "timed out" : "connection closed"));
    }
}

int net_conn_open(net_conn *c, const net_endpoint *ep, const char *host, int port,
                  int timeout_ms, vm_err *err)
{
    c->fd = -1;
    c->ssl = NULL;
    c->tls_err = 0;
    if (tcp_connect(c, host, port, timeout_ms, err) < 0)
        return -1;
    if (ep->tls.enabled) {
        if (!ep->tls_ctx) {
            net_conn_close(c);
            return vm_err_set(err, VM_EINTERNAL, "TLS endpoint not prepared");
        }
        if (tls_handshake(c, ep, host, port, timeout_ms, err) < 0) {
            net_conn_close(c);
            return -1;
        }
    }
    return 0;
}

static ssize_t ssl_result(net_conn *c, int r)
{
    if (r > 0)
        return r;
    int e = SSL_get_error(c->ssl, r);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
        errno = EAGAIN;
        return -1;
    }
    if (e == SSL_ERROR_ZERO_RETURN)
        return 0;
    c->tls_err = ERR_peek_last_error();
    if (e == SSL_ERROR_SYSCALL && errno == 0)
        return 0;
    if (errno == 0 || errno == EAGAIN)
        errno = EIO;
    return -1;
}

ssize_t net_conn_read(net_conn *c, void *buf, size_t n)
{
    if (c->ssl) {
        ERR_clear_error();
        return ssl_result(c, SSL_read(c->ssl, buf, (int)(n > 1 << 30 ? 1 << 30 : n)));
    }
    for (;;) {
        ssize_t r = read(c->fd, buf, n);
        if (r < 0 && errno == EINTR)
            continue;
        return r;
    }
}

ssize_t net_conn_write(net_conn *c, const void *buf, size_t n)
{
    if (c->ssl) {
        ERR_clear_error();
        return ssl_result(c, SSL_write(c->ssl, buf, (int)(n > 1 << 30 ? 1 << 30 : n)));
    }
    for (;;) {
        ssize_t r = send(c->fd, buf, n, MSG_NOSIGNAL);
        if (r < 0 && errno == EINTR)
            continue;
        return r;
    }
}

void net_conn_close(net_conn *c)
{
    if (c->ssl) {
        SSL_free(c->ssl);
        c->ssl = NULL;
    }
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
}

const char *net_conn_strerror(const net_conn *c, int errnum, char *buf, size_t n)
{
    if (!c->tls_err) {
        snprintf(buf, n, "%s", strerror(errnum));
        return buf;
    }
    char why[200];
    ERR_error_string_n(c->tls_err, why, sizeof(why));
    const char *r = ERR_reason_error_string(c->tls_err);
    bool cert = r && strstr(r, "certificate required");
    snprintf(buf, n, "TLS: %s%s", r ? r : why,
             cert ? " (the server wants a client certificate and key)" : "");
    return buf;
}
