/* wl_delete: the shrink workload — DEL the keys of an explicit list of
 * (copy, id) items (WL_TAG), clearing their live bits as the server
 * acknowledges.  A DEL answered 0 means the key was already gone: the live set
 * was out of step with the server; it is counted, and the bit cleared. */
#ifndef WL_DELETE_H
#define WL_DELETE_H

#include "wl_ingest.h"

typedef struct wl_delete {
    const char *prefix;
    size_t prefix_len;
    const uint64_t *tags;
    uint64_t ntags;
    live_set *live;            /* bits cleared on acknowledgement, NULL = no tracking */
    _Atomic uint64_t next;
    wl_count deleted;          /* keys deleted (wl_count.h) */
    _Atomic uint64_t missing;  /* DEL answered 0 */
    _Atomic uint64_t errors;
    char first_error[256];
    _Atomic int have_error;
} wl_delete;

void wl_delete_init(wl_delete *w, const char *prefix, const uint64_t *tags, uint64_t ntags,
                    live_set *live);
eng_workload wl_delete_workload(wl_delete *w);

#endif
