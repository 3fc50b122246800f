/* net_errclass: what kind of error a server's error reply is.
 *
 * Valkey prefixes its errors with an upper-case code (OOM, MOVED,
 * WRONGTYPE...); modules often do not — valkey-search answers "Index with
 * name 'x' not found" — so an error without a known server code is counted
 * as a module error.  Every error reply the engine receives is classified
 * and counted (eng_stats.errors_by_class). */
#ifndef NET_ERRCLASS_H
#define NET_ERRCLASS_H

#include <stdbool.h>
#include <stddef.h>

typedef enum errclass {
    ERRC_OTHER = 0,   /* "ERR ..." that is not a syntax error, or unknown */
    ERRC_OOM,         /* OOM command not allowed when used memory > 'maxmemory' */
    ERRC_MOVED,       /* MOVED slot host:port */
    ERRC_ASK,         /* ASK slot host:port */
    ERRC_TRYAGAIN,    /* multi-key during resharding */
    ERRC_CLUSTERDOWN, /* the cluster is down / slot not served */
    ERRC_CROSSSLOT,
    ERRC_LOADING,     /* the server is loading its data set */
    ERRC_BUSY,        /* a script or module is busy */
    ERRC_READONLY,    /* a write reached a replica */
    ERRC_MASTERDOWN,
    ERRC_WRONGTYPE,
    ERRC_SYNTAX,      /* syntax error, wrong number of arguments, unknown command */
    ERRC_NOAUTH,      /* NOAUTH, WRONGPASS */
    ERRC_NOPERM,      /* ACL: no permission */
    ERRC_MODULE,      /* no server error code: a module's own message */
    ERRC_COUNT
} errclass;

errclass errclass_of(const char *msg, size_t len);
/* Short lower-case name for reports and CSV: "oom", "moved", "module"... */
/* An error that the same command meets again however often it is sent
 * (WRONGTYPE, syntax, CROSSSLOT, NOAUTH, NOPERM): never retried. */
bool errclass_permanent(errclass c);
const char *errclass_name(errclass c);

#endif
