/* net_endpoint: URL parsing and TLS context setup; see net_endpoint.h. */
#include "net_endpoint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

void net_endpoint_init(net_endpoint *ep)
{
    memset(ep, 0, sizeof(*ep));
    snprintf(ep->host, sizeof(ep->host), "127.0.0.1");
    ep->port = 6379;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Percent-decode [s, s+n) into a new string. */
static char *pct_decode(const char *s, size_t n)
{
    char *out = malloc(n + 1), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n &&
            hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            *o++ = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        } else {
            *o++ = s[i];
        }
    }
    *o = '\0';
    return out;
}

int net_endpoint_parse_url(net_endpoint *ep, const char *url, vm_err *err)
{
    const char *p;
    if (!strncmp(url, "valkey://", 9) || !strncmp(url, "redis://", 8)) {
        p = strstr(url, "://") + 3;
    } else if (!strncmp(url, "valkeys://", 10) || !strncmp(url, "rediss://", 9)) {
        p = strstr(url, "://") + 3;
        ep->tls.enabled = true;
    } else {
        return vm_err_set(err, VM_EINPUT,
                          "URL must start with valkey:// or valkeys:// (got a different scheme)");
    }
    const char *end = p + strcspn(p, "/?");
    const char *at = NULL;
    for (const char *q = p; q < end; q++)
        if (*q == '@')
            at = q;
    if (at) {
        const char *colon = memchr(p, ':', (size_t)(at - p));
        if (colon) {
            if (colon > p) {
                free(ep->user);
                ep->user = pct_decode(p, (size_t)(colon - p));
            }
            free(ep->password);
            ep->password = pct_decode(colon + 1, (size_t)(at - colon - 1));
        } else if (at > p) {
            /* valkey://password@host is what valkey-cli accepts too */
            free(ep->password);
            ep->password = pct_decode(p, (size_t)(at - p));
        }
        p = at + 1;
    }
    const char *hs = p, *he;
    const char *portp = NULL;
    if (*p == '[') { /* [::1]:6379 */
        he = memchr(p, ']', (size_t)(end - p));
        if (!he)
            return vm_err_set(err, VM_EINPUT, "URL: unterminated '[' in host");
        hs = p + 1;
        if (he + 1 < end && he[1] == ':')
            portp = he + 2;
    } else {
        he = memchr(p, ':', (size_t)(end - p));
        if (he)
            portp = he + 1;
        else
            he = end;
    }
    size_t hl = (size_t)(he - hs);
    if (hl == 0 || hl >= sizeof(ep->host))
        return vm_err_set(err, VM_EINPUT, "URL: missing or too long host");
    memcpy(ep->host, hs, hl);
    ep->host[hl] = '\0';
    if (portp && portp < end) {
        char *pe;
        long port = strtol(portp, &pe, 10);
        if (pe != end || port < 1 || port > 65535)
            return vm_err_set(err, VM_EINPUT, "URL: bad port '%.*s'", (int)(end - portp), portp);
        ep->port = (int)port;
    }
    return 0;
}

/* param: the parameter at fault (vm_err.h), or NULL */
static int ssl_fail(vm_err *err, const char *param, const char *what, const char *file)
{
    char buf[256];
    unsigned long e = ERR_get_error();
    ERR_error_string_n(e, buf, sizeof(buf));
    return vm_err_param(err, param, VM_EINPUT, "%s '%s': %s", what, file ? file : "",
                        e ? buf : "failed");
}

int net_endpoint_prepare(net_endpoint *ep, vm_err *err)
{
    if (!ep->tls.enabled || ep->tls_ctx)
        return 0;
    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx)
        return ssl_fail(err, NULL, "TLS", "context");
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    /* the engine retries a blocked write from a buffer that may have grown
     * (and moved) meanwhile, and is happy with partial writes */
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    if (ep->tls.cacert) {
        if (SSL_CTX_load_verify_locations(ctx, ep->tls.cacert, NULL) != 1) {
            SSL_CTX_free(ctx);
            return ssl_fail(err, "cacert", "cannot load the CA certificate", ep->tls.cacert);
        }
    } else {
        SSL_CTX_set_default_verify_paths(ctx);
    }
    SSL_CTX_set_verify(ctx, ep->tls.insecure ? SSL_VERIFY_NONE : SSL_VERIFY_PEER, NULL);
    if (ep->tls.cert) {
        if (SSL_CTX_use_certificate_chain_file(ctx, ep->tls.cert) != 1) {
            SSL_CTX_free(ctx);
            return ssl_fail(err, "cert", "cannot load the client certificate", ep->tls.cert);
        }
        const char *key = ep->tls.key ? ep->tls.key : ep->tls.cert;
        if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1) {
            SSL_CTX_free(ctx);
            return ssl_fail(err, ep->tls.key ? "key" : "cert", "cannot load the client key", key);
        }
    }
    ep->tls_ctx = ctx;
    return 0;
}

void net_endpoint_release(net_endpoint *ep)
{
    if (ep->tls_ctx)
        SSL_CTX_free(ep->tls_ctx);
    ep->tls_ctx = NULL;
    if (ep->password) {
        /* wipe before free: a core dump should not carry it either */
        volatile char *v = ep->password;
        while (*v)
            *v++ = 0;
    }
    free(ep->password);
    free(ep->user);
    ep->password = ep->user = NULL;
}

const char *net_endpoint_name(const net_endpoint *ep, char *buf, unsigned n)
{
    if (strchr(ep->host, ':'))
        snprintf(buf, n, "[%s]:%d", ep->host, ep->port);
    else
        snprintf(buf, n, "%s:%d", ep->host, ep->port);
    return buf;
}
