/* wl_plugin: the workload registry — built-in workloads by name, external
 * ones from a shared object (dlopen) — and the adapter that runs a
 * vms_workload (include/valkey-memstress/workload.h) on the engine.  The
 * vms_host a workload is created with is the caller's: lc_plugin.h binds
 * one to a lifecycle session. */
#ifndef WL_PLUGIN_H
#define WL_PLUGIN_H

#include "../engine/eng.h"
#include "../util/strbuf.h"
#include "../util/vm_err.h"
#include "valkey-memstress/workload.h"

/* A built-in by name, or the entry of plugin (a .so path) when given. */
const vms_workload *wl_find(const char *name, const char *plugin, vm_err *err);
/* "name  description" of every built-in, one per line. */
void wl_list(strbuf *out);

typedef struct wl_instance {
    const vms_workload *w;
    void *impl;
    const vms_host *host;
} wl_instance;

/* create() with a step's settings and host (which must outlive in); err
 * carries the workload's message. */
int wl_instance_create(wl_instance *in, const vms_workload *w, const vms_host *host,
                       const char *const *keys, const char *const *values, size_t n, vm_err *err);
eng_workload wl_instance_engine(wl_instance *in);
void wl_instance_destroy(wl_instance *in);

#endif
