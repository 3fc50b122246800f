/* net_endpoint: where and how to connect — host, port, credentials, TLS.
 *
 * One endpoint describes a server (or the seed node of a cluster).  The same
 * credentials and TLS settings apply to every node reached from it.  The
 * password is held here only; nothing that prints an endpoint prints it. */
#ifndef NET_ENDPOINT_H
#define NET_ENDPOINT_H

#include <stdbool.h>
#include <stdint.h>

#include "../util/vm_err.h"

typedef struct net_tls {
    bool enabled;
    const char *cacert; /* CA bundle the server certificate is checked against */
    const char *cert;   /* client certificate (optional) */
    const char *key;    /* client key (optional) */
    const char *sni;    /* server name to send and verify; default: host */
    bool insecure;      /* skip verification (never the default) */
} net_tls;

typedef struct net_endpoint {
    char host[256];
    int port;
    char *user;     /* ACL user, NULL = default */
    char *password; /* NULL = no AUTH; never printed */
    bool cluster;
    net_tls tls;
    void *tls_ctx;  /* SSL_CTX *, made by net_endpoint_prepare() */
    /* how long a control request (net_client) waits for its reply;
     * 0 = 30 s.  The engine's own bound is eng_config.reply_timeout_ms. */
    uint32_t reply_timeout_ms;
} net_endpoint;

void net_endpoint_init(net_endpoint *ep);
/* Parse valkey://[user:pass@]host:port[/db] (also redis://, and valkeys:// /
 * rediss:// which turn TLS on). */
int net_endpoint_parse_url(net_endpoint *ep, const char *url, vm_err *err);
/* Ready the endpoint for connecting: builds the TLS context when enabled
 * (loading the CA, client certificate and key, naming the file at fault). */
int net_endpoint_prepare(net_endpoint *ep, vm_err *err);
void net_endpoint_release(net_endpoint *ep);
/* "host:port" for messages; never includes credentials. */
const char *net_endpoint_name(const net_endpoint *ep, char *buf, unsigned n);

#endif
