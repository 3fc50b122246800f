/* sc_restore: the server configs a scenario changed (config_set), given
 * back at the end of the run, interrupted or not.  The old values are
 * remembered before the first change and kept in the checkpoint, so a
 * resumed run restores what the server had before the first run. */
#include <stdlib.h>
#include <string.h>

#include "sc_exec.h"

void sc_restore_add(sc_runner *r, const char *node, const char *key, const char *value)
{
    sc_kv *kv = realloc(r->restore, (r->nrestore + 1) * sizeof(sc_kv));
    char **nd = realloc(r->restore_node, (r->nrestore + 1) * sizeof(char *));
    if (!kv || !nd)
        abort(); /* strbuf's rule: nothing useful happens without memory */
    r->restore = kv;
    r->restore_node = nd;
    kv[r->nrestore].key = strdup(key);
    kv[r->nrestore].value = strdup(value);
    nd[r->nrestore] = node ? strdup(node) : NULL;
    r->nrestore++;
}

bool sc_restore_has(const sc_runner *r, const char *key)
{
    for (size_t j = 0; j < r->nrestore; j++)
        if (!strcmp(r->restore[j].key, key))
            return true;
    return false;
}

int sc_restore_remember(sc_runner *r, const sc_step *st, const char *k, vm_err *err)
{
    char **old = calloc((size_t)r->srv.n, sizeof(char *));
    if (!old)
        abort();
    int rc = 0;
    bool same = true;
    for (int i = 0; i < r->srv.n && rc == 0; i++) {
        redisReply *g = net_client_cmd_ok(&r->srv.node[i].cl, err, "CONFIG", "GET", k, NULL);
        if (!g) {
            rc = -1;
        } else if (g->type != REDIS_REPLY_ARRAY || g->elements < 2) {
            rc = vm_err_set(err, VM_EINPUT, "%s:%d:%d: the server %s has no config '%s'",
                            r->sc->file, st->line, st->col, r->srv.node[i].cl.name, k);
        } else {
            old[i] = strdup(g->element[1]->str ? g->element[1]->str : "");
            same = same && (i == 0 || !strcmp(old[i], old[0]));
        }
        if (g)
            freeReplyObject(g);
    }
    if (rc == 0) {
        if (same)
            sc_restore_add(r, NULL, k, old[0]);
        else
            for (int i = 0; i < r->srv.n; i++)
                sc_restore_add(r, r->srv.node[i].cl.name, k, old[i]);
        rc = sc_checkpoint_save(r, err);
    }
    for (int i = 0; i < r->srv.n; i++)
        free(old[i]);
    free(old);
    return rc;
}

/* Put back on one node (its host:port). */
static void restore_on_node(sc_runner *r, const char *node, const char *k, const char *v)
{
    vm_err e = {0};
    int at = -1;
    for (int j = 0; j < r->srv.n && at < 0; j++)
        if (!strcmp(r->srv.node[j].cl.name, node))
            at = j;
    redisReply *ok =
        at < 0 ? NULL : net_client_cmd_ok(&r->srv.node[at].cl, &e, "CONFIG", "SET", k, v, NULL);
    if (ok)
        freeReplyObject(ok);
    else
        sc_note(r, "could not restore config %s on %s: %s", k, node,
                at < 0 ? "the node is not in the cluster any more" : e.msg);
}

void sc_restore_all(sc_runner *r)
{
    for (size_t i = r->nrestore; i-- > 0;) {
        vm_err e = {0};
        const char *k = r->restore[i].key, *v = r->restore[i].value, *node = r->restore_node[i];
        if (node)
            restore_on_node(r, node, k, v);
        else if (lc_servers_config_set(&r->srv, k, v, &e) < 0)
            sc_note(r, "could not restore config %s: %s", k, e.msg);
    }
}

void sc_restore_free(sc_runner *r)
{
    for (size_t i = 0; i < r->nrestore; i++)
        free(r->restore[i].key), free(r->restore[i].value), free(r->restore_node[i]);
    free(r->restore);
    free(r->restore_node);
    r->restore = NULL;
    r->restore_node = NULL;
    r->nrestore = 0;
}
