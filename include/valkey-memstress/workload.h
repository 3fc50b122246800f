/* valkey-memstress workload plugins — the contract.
 *
 * A workload decides what is sent; the tool's engine sends it (pipelined,
 * over many connections, cluster-routed, with retries) and hands back the
 * replies.  Built-in workloads and external ones (a shared object named by
 * `workload: {name: N, plugin: path.so}` in a scenario) use this same
 * header, and nothing else of the tool: everything a workload needs comes
 * through the vms_host table.
 *
 * An external plugin exports one function:
 *
 *     const vms_workload *vms_workload_entry(void);
 *
 * returning a static table whose abi is VMS_WORKLOAD_ABI.  Build it with
 *     cc -shared -fPIC -I<tool>/include my_workload.c -o my_workload.so
 * (see examples/plugins/ in the source tree).
 *
 * Threading: next(), emit() and reply() are called from several engine
 * threads at once ("thread" says which, 0..threads-1); make them safe
 * (atomics or per-thread state).  create(), report() and destroy() are
 * called from one thread, before and after the run. */
#ifndef VALKEY_MEMSTRESS_WORKLOAD_H
#define VALKEY_MEMSTRESS_WORKLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VMS_WORKLOAD_ABI 1

typedef struct vms_buf vms_buf;     /* an output buffer of the engine */
typedef struct vms_reply vms_reply; /* one reply (opaque; read it with the host's accessors) */

enum { VMS_REPLY_STRING = 1, VMS_REPLY_ARRAY = 2, VMS_REPLY_INTEGER = 3, VMS_REPLY_NIL = 4,
       VMS_REPLY_STATUS = 5, VMS_REPLY_ERROR = 6 };

typedef struct vms_host {
    int abi;
    void *ctx;                          /* the host's; pass it back */
    /* the dataset and what is live */
    uint64_t (*vectors)(void *ctx);     /* ids per copy: 0 .. vectors-1 */
    uint32_t (*copies)(void *ctx);      /* copies 0 .. copies-1 exist */
    uint32_t (*queries)(void *ctx);     /* query vectors 0 .. queries-1 */
    bool (*is_live)(void *ctx, uint32_t copy, uint64_t id);
    const char *(*index)(void *ctx);    /* the index name ("" = none) */
    /* commands, appended to out */
    void (*add_hset_vector)(void *ctx, vms_buf *out, uint32_t copy, uint64_t id);
    void (*add_knn_query)(void *ctx, vms_buf *out, uint32_t copy, uint32_t query, uint32_t k,
                          int ef_runtime);
    void (*add_command)(vms_buf *out, int argc, const char *const *argv, const size_t *lens);
    /* replies */
    int (*reply_type)(const vms_reply *r);
    long long (*reply_integer)(const vms_reply *r);
    const char *(*reply_string)(const vms_reply *r, size_t *len);
    size_t (*reply_elements)(const vms_reply *r);
} vms_host;

typedef void (*vms_metric_fn)(void *ctx, const char *name, double value);

typedef struct vms_workload {
    int abi;                  /* VMS_WORKLOAD_ABI */
    const char *name;
    const char *description;
    /* Make an instance from its settings (the scenario step's other keys).
     * NULL with a message in err (errlen bytes) on bad settings. */
    void *(*create)(const vms_host *host, const char *const *keys, const char *const *values,
                    size_t n, char *err, size_t errlen);
    /* Claim the next operation: 1 with *tag set, 0 when done.  The engine
     * also stops claiming at the step's duration or count. */
    int (*next)(void *w, int thread, uint64_t *tag);
    /* Append the command for tag (may be called again for a re-send). */
    void (*emit)(void *w, uint64_t tag, vms_buf *out);
    /* The reply for tag: 0 to go on, -1 to stop the run. */
    int (*reply)(void *w, int thread, uint64_t tag, const vms_reply *r);
    /* Operation type of tag for latency histograms (NULL: one type). */
    int (*op_of)(void *w, uint64_t tag);
    const char *const *op_names;
    int nops;
    /* After the run: name the figures (counts, shares...). */
    void (*report)(void *w, vms_metric_fn metric, void *ctx);
    void (*destroy)(void *w);
} vms_workload;

const vms_workload *vms_workload_entry(void);

#endif
