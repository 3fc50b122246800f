/* wl_plugin: the workload registry — built-in workloads by name, external
 * ones from a shared object (dlopen) — and the host side of the plugin
 * contract (include/valkey-memstress/workload.h): a vms_host bound to a
 * lifecycle session, and the adapter that runs a vms_workload on the
 * engine. */
#ifndef WL_PLUGIN_H
#define WL_PLUGIN_H

#include "../lifecycle/lc_session.h"
#include "../engine/eng.h"
#include "valkey-memstress/workload.h"
#include "wl_ingest.h"

/* A built-in by name, or the entry of plugin (a .so path) when given. */
const vms_workload *wl_find(const char *name, const char *plugin, vm_err *err);
/* "name  description" of every built-in, one per line. */
void wl_list(strbuf *out);

typedef struct wl_host {
    vms_host api;
    lc_session *s;
    const char *index;
    wl_ingest ingest;       /* how this session writes an item */
} wl_host;

void wl_host_init(wl_host *h, lc_session *s, const char *index);

typedef struct wl_instance {
    const vms_workload *w;
    void *impl;
    wl_host *host;
} wl_instance;

/* create() with a step's settings; err carries the workload's message. */
int wl_instance_create(wl_instance *in, const vms_workload *w, wl_host *host,
                       const char *const *keys, const char *const *values, size_t n, vm_err *err);
eng_workload wl_instance_engine(wl_instance *in);
void wl_instance_destroy(wl_instance *in);

#endif
