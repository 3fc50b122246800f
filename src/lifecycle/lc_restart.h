/* lc_restart: restart the servers under a running index, so the memory of
 * an index loaded from an RDB can be set against the same index built live
 * — valkey-search 1.0 rebuilds (backfills) its indexes from the keyspace
 * after a load, 1.2 loads them from the RDB.
 *
 * Two ways, because a load generator seldom owns the servers it drives:
 *   LC_RESTART_DEBUG_RELOAD  DEBUG RELOAD on every master: the server saves
 *                            and loads its RDB in place (needs
 *                            enable-debug-command yes / local);
 *   LC_RESTART_COMMAND       SAVE on every master, then a shell command of
 *                            the user's (systemctl restart, a container
 *                            restart, a script), then wait until every node
 *                            answers PING and is done LOADING.
 * Every wait is bounded by timeout_ms and a failure names the node. */
#ifndef LC_RESTART_H
#define LC_RESTART_H

#include "lc_servers.h"

typedef enum lc_restart_how { LC_RESTART_DEBUG_RELOAD, LC_RESTART_COMMAND } lc_restart_how;

/* "debug-reload" / "command" */
int lc_restart_parse(const char *s, lc_restart_how *out, vm_err *err);

/* Restart and reconnect s (reopened from ep: a cluster's map is read
 * again).  *down_s: from the request to every node answering again. */
int lc_restart(lc_servers *s, const net_endpoint *ep, lc_restart_how how, const char *command,
               uint64_t timeout_ms, double *down_s, vm_err *err);

#endif
