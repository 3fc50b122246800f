/* net_client: blocking control connection; see net_client.h. */
#include "net_client.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../util/clock.h"
#include "../util/strbuf.h"
#include "resp.h"

int net_client_open(net_client *cl, const net_endpoint *ep, const char *host, int port,
                    vm_err *err)
{
    memset(cl, 0, sizeof(*cl));
    cl->conn.fd = -1;
    cl->timeout_ms = ep->reply_timeout_ms ? (int)ep->reply_timeout_ms : 30000;
    if (strchr(host, ':'))
        snprintf(cl->name, sizeof(cl->name), "[%s]:%d", host, port);
    else
        snprintf(cl->name, sizeof(cl->name), "%s:%d", host, port);
    if (net_conn_open(&cl->conn, ep, host, port, 5000, err) < 0)
        return -1;
    cl->reader = redisReaderCreate();
    if (!cl->reader) {
        net_conn_close(&cl->conn);
        return vm_err_set(err, VM_ENOMEM, "out of memory");
    }
    if (ep->password) {
        const char *argv[3] = {"AUTH", NULL, NULL};
        int argc = 0;
        argv[argc++] = "AUTH";
        if (ep->user)
            argv[argc++] = ep->user;
        argv[argc++] = ep->password;
        redisReply *r = net_client_cmdv(cl, argc, argv, NULL, err);
        if (!r) {
            net_client_close(cl);
            return -1;
        }
        if (r->type == REDIS_REPLY_ERROR) {
            vm_err_set(err, VM_EAUTH, "%s: authentication refused: %.*s", cl->name,
                       (int)r->len, r->str);
            freeReplyObject(r);
            net_client_close(cl);
            return -1;
        }
        freeReplyObject(r);
    }
    return 0;
}

void net_client_close(net_client *cl)
{
    if (cl->reader)
        redisReaderFree(cl->reader);
    cl->reader = NULL;
    net_conn_close(&cl->conn);
}

static int send_all(net_client *cl, const char *p, size_t n, vm_err *err)
{
    while (n) {
        ssize_t w = net_conn_write(&cl->conn, p, n);
        if (w > 0) {
            p += w;
            n -= (size_t)w;
            continue;
        }
        if (w < 0 && errno == EAGAIN) {
            if (net_conn_wait(&cl->conn, POLLOUT, cl->timeout_ms) == 0)
                continue;
            net_conn_close(&cl->conn); /* half a command sent: the stream is lost */
            return vm_err_set(err, VM_ECONN, "%s: write timed out", cl->name);
        }
        char why[300];
        return vm_err_set(err, VM_ECONN, "%s: connection lost while writing: %s", cl->name,
                          w == 0 ? "closed" : net_conn_strerror(&cl->conn, errno, why, sizeof(why)));
    }
    return 0;
}

redisReply *net_client_cmdv(net_client *cl, int argc, const char *const *argv,
                            const size_t *lens, vm_err *err)
{
    if (cl->conn.fd < 0) {
        vm_err_set(err, VM_ECONN, "%s: not connected", cl->name);
        return NULL;
    }
    strbuf out = STRBUF_INIT;
    resp_add_command(&out, argc, argv, lens);
    int rc = send_all(cl, out.buf, out.len, err);
    sb_release(&out);
    if (rc < 0)
        return NULL;
    char buf[16384];
    for (;;) {
        void *reply = NULL;
        if (redisReaderGetReply(cl->reader, &reply) != REDIS_OK) {
            vm_err_set(err, VM_ECONN, "%s: protocol error: %s", cl->name, cl->reader->errstr);
            return NULL;
        }
        if (reply)
            return reply;
        ssize_t r = net_conn_read(&cl->conn, buf, sizeof(buf));
        if (r > 0) {
            redisReaderFeed(cl->reader, buf, (size_t)r);
            continue;
        }
        if (r < 0 && errno == EAGAIN) {
            if (net_conn_wait(&cl->conn, POLLIN, cl->timeout_ms) == 0)
                continue;
            /* The request stays queued on the server: its late reply would be
             * taken for the next command's.  A connection that timed out is
             * closed; the caller opens a new one. */
            vm_err_set(err, VM_ECONN, "%s: no reply to %s within %d ms", cl->name, argv[0],
                       cl->timeout_ms);
            net_conn_close(&cl->conn);
            return NULL;
        }
        char why[300];
        vm_err_set(err, VM_ECONN, "%s: connection lost waiting for the reply to %s: %s",
                   cl->name, argv[0],
                   r == 0 ? "closed by server" : net_conn_strerror(&cl->conn, errno, why, sizeof(why)));
        net_conn_close(&cl->conn);
        return NULL;
    }
}

static redisReply *cmd_va(net_client *cl, vm_err *err, const char *arg0, va_list ap)
{
    const char *argv[64];
    int argc = 0;
    for (const char *a = arg0; a && argc < 64; a = va_arg(ap, const char *))
        argv[argc++] = a;
    return net_client_cmdv(cl, argc, argv, NULL, err);
}

redisReply *net_client_cmd(net_client *cl, vm_err *err, const char *arg0, ...)
{
    va_list ap;
    va_start(ap, arg0);
    redisReply *r = cmd_va(cl, err, arg0, ap);
    va_end(ap);
    return r;
}

redisReply *net_client_cmd_ok(net_client *cl, vm_err *err, const char *arg0, ...)
{
    va_list ap;
    va_start(ap, arg0);
    redisReply *r = cmd_va(cl, err, arg0, ap);
    va_end(ap);
    if (r && r->type == REDIS_REPLY_ERROR) {
        vm_err_set(err, VM_ESERVER, "%s: %s failed: %.*s", cl->name, arg0, (int)r->len, r->str);
        freeReplyObject(r);
        return NULL;
    }
    return r;
}
