/* errclass: what kind of error a server's error reply is.
 *
 * Valkey prefixes its errors with an upper-case code (OOM, MOVED,
 * WRONGTYPE...); modules often do not — valkey-search answers "Index with
 * name 'x' not found" — so an error without a known server code is counted
 * as a module error.  Every error reply the engine receives is classified
 * and counted (eng_stats.errors_by_class).
 *
 * Why in net/ and not engine/: the classes are the server's protocol
 * vocabulary, read off the reply's first word like resp.h writes requests,
 * with no sockets and no decision in them.  What to do with a class —
 * retry, redirect, skip, stop — is the engine's (eng_policy, engine/eng.h);
 * the classes are counted in eng_stats and named by the CLI's summary. */
#ifndef ERRCLASS_H
#define ERRCLASS_H

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
    ERRC_LOADING,  /* the server is loading its data set */
    ERRC_BUSY,     /* a script or module is busy */
    ERRC_READONLY, /* a write reached a replica */
    ERRC_MASTERDOWN,
    ERRC_WRONGTYPE,
    ERRC_SYNTAX, /* syntax error, wrong number of arguments, unknown command */
    ERRC_NOAUTH, /* NOAUTH, WRONGPASS */
    ERRC_NOPERM, /* ACL: no permission */
    ERRC_MODULE, /* no server error code: a module's own message */
    ERRC_COUNT
} errclass;

errclass errclass_of(const char *msg, size_t len);
/* Short lower-case name for reports and CSV: "oom", "moved", "module"... */
/* An error that the same command meets again however often it is sent
 * (WRONGTYPE, syntax, CROSSSLOT, NOAUTH, NOPERM): never retried. */
bool errclass_permanent(errclass c);
const char *errclass_name(errclass c);

#endif
