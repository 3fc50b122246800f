/* net_client: a blocking request/reply client for control traffic — AUTH,
 * FT.CREATE, INFO, MEMORY STATS, CLUSTER SLOTS.  Workload traffic goes
 * through the pipelined engine (engine/eng.h), never through this. */
#ifndef NET_CLIENT_H
#define NET_CLIENT_H

#include <hiredis/hiredis.h>

#include "net_conn.h"

typedef struct net_client {
    net_conn conn;
    redisReader *reader;
    int timeout_ms;
    char name[280]; /* host:port for messages */
} net_client;

/* Connect and authenticate (AUTH [user] password when the endpoint has one).
 * A refused AUTH is VM_EAUTH with the server's words, never the password. */
int net_client_open(net_client *cl, const net_endpoint *ep, const char *host, int port,
                    vm_err *err);
void net_client_close(net_client *cl);

/* Send one command, wait for its reply.  Returns a hiredis reply tree (free
 * with freeReplyObject) or NULL with err set for I/O failures.  An error
 * *reply* is returned as a REDIS_REPLY_ERROR object, not as a failure. */
redisReply *net_client_cmdv(net_client *cl, int argc, const char *const *argv,
                            const size_t *lens, vm_err *err);
/* Convenience: string arguments, NULL-terminated. */
redisReply *net_client_cmd(net_client *cl, vm_err *err, const char *arg0, ...);

/* Send a command and fail (err names the command and the server's words)
 * unless the reply is not an error.  Returns the reply or NULL. */
redisReply *net_client_cmd_ok(net_client *cl, vm_err *err, const char *arg0, ...);

#endif
