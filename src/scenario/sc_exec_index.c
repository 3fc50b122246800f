/* sc_exec_index: the executors of the index steps, create_index and
 * drop_index (skipped with a note on a server without the search module),
 * and what a resumed run takes from them when they were done before. */
#include <string.h>

#include "sc_exec.h"

sc_step_run sc_run_create_index, sc_run_drop_index;
sc_step_replay sc_replay_create_index, sc_replay_drop_index;

int sc_run_create_index(sc_exec *x, const sc_step *st, vm_err *err)
{
    (void)st;
    sc_runner *r = x->r;
    if (!sc_need_module(r, "create_index"))
        return 0;
    idx_spec spec = r->sc->index;
    if (!r->sc->create_index)
        spec.name = "idx";
    spec.dim = r->s.st.dim;
    spec.prefix = r->s.st.prefix;
    spec.field = r->s.st.field;
    spec.expand_prefix = true;
    vm_err e = {0};
    if (lc_servers_index_create(&r->srv, &spec, &e) < 0) {
        if (!strstr(e.msg, "already exists")) {
            *err = e;
            return -1;
        }
        sc_note(r, "index %s already exists: kept", spec.name);
    }
    r->index_exists = true;
    return 0;
}

int sc_run_drop_index(sc_exec *x, const sc_step *st, vm_err *err)
{
    (void)st;
    sc_runner *r = x->r;
    if (!sc_need_module(r, "drop_index"))
        return 0;
    vm_err e = {0};
    if (lc_servers_index_drop(&r->srv, sc_index_name(r), &e) < 0 && !strstr(e.msg, "not found")) {
        *err = e;
        return -1;
    }
    r->index_exists = false;
    return 0;
}

void sc_replay_create_index(sc_runner *r, const sc_step *st)
{
    (void)st;
    r->index_exists = r->module;
}

void sc_replay_drop_index(sc_runner *r, const sc_step *st)
{
    (void)st;
    r->index_exists = false;
}
