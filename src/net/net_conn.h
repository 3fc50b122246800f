/* net_conn: one TCP or TLS byte stream to a server.  It knows nothing of
 * RESP (that is net_resp / hiredis's reader) nor of any event loop: the
 * caller polls the fd.  After net_conn_open() the socket is non-blocking. */
#ifndef NET_CONN_H
#define NET_CONN_H

#include <stddef.h>
#include <sys/types.h>

#include "net_endpoint.h"

typedef struct net_conn {
    int fd;
    void *ssl;             /* SSL * when TLS is on */
    unsigned long tls_err; /* OpenSSL's error behind the last failed read/write, 0 = none */
} net_conn;

/* Connect to host:port with the endpoint's TLS settings, within timeout_ms.
 * The error names host:port and says what failed (refused, timeout, TLS
 * verification). */
int net_conn_open(net_conn *c, const net_endpoint *ep, const char *host, int port,
                  int timeout_ms, vm_err *err);
/* Like read(2)/write(2): >0 bytes, 0 = peer closed (read), -1 with errno
 * (EAGAIN when it would block). */
ssize_t net_conn_read(net_conn *c, void *buf, size_t n);
ssize_t net_conn_write(net_conn *c, const void *buf, size_t n);
/* Wait until readable (events=POLLIN) or writable (POLLOUT); 0 ok, -1 timeout/error. */
int net_conn_wait(net_conn *c, short events, int timeout_ms);
void net_conn_close(net_conn *c);
/* Why the last read or write failed, for messages: OpenSSL's reason when
 * TLS said something (with a hint for a refused client certificate), else
 * strerror(errnum). */
const char *net_conn_strerror(const net_conn *c, int errnum, char *buf, size_t n);

#endif
