/* lc_plugin: the host side of the plugin contract
 * (include/valkey-memstress/workload.h) bound to a lifecycle session — the
 * vms_host a workload (built in or loaded by wl_find, wl_plugin.h) is
 * created with: the session's vector and copy counts, its live set, and
 * the commands it would send for an item (its key layout, expansion plan
 * and generated attributes). */
#ifndef LC_PLUGIN_H
#define LC_PLUGIN_H

#include "../workload/wl_ingest.h"
#include "lc_session.h"
#include "valkey-memstress/workload.h"

typedef struct lc_plugin_host {
    vms_host api; /* hand &api to wl_instance_create */
    lc_session *s;
    const char *index;
    wl_ingest ingest; /* how this session writes an item */
} lc_plugin_host;

/* Bind h to session s and index (NULL or "" = none); h and s must outlive
 * every workload created with h->api. */
void lc_plugin_host_init(lc_plugin_host *h, lc_session *s, const char *index);

#endif
