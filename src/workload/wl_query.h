/* wl_query: the KNN query workload —
 *   FT.SEARCH <index> "*=>[KNN k @<field> $B EF_RUNTIME ef]" PARAMS 2 B <blob>
 *             LIMIT 0 k NOCONTENT DIALECT 2
 * for every (copy, query) item, the query vector shifted by V_copy.  Each
 * reply's keys are mapped back to (copy, id); the workload keeps, per item,
 * the original ids that are live and in the query's copy (others −1) and
 * the latency, for the recall computation that follows (gt.h). */
#ifndef WL_QUERY_H
#define WL_QUERY_H

#include "wl_ingest.h"

/* One master of a fanned-out query (see wl_query.fan). */
typedef struct wl_fan_target {
    int slot;       /* a slot it serves */
    char host[256]; /* its address as the cluster's map gives it; "" = by slot */
    int port;
} wl_fan_target;

typedef struct wl_query {
    const ds_vecfile *queries;
    const char *index;
    const char *field;
    const char *prefix;
    uint32_t k;
    int ef_runtime;            /* 0 = index default */
    const uint32_t *copies;    /* the copies queried */
    uint32_t ncopies;
    uint32_t nq;               /* queries per copy */
    const xp_plan *plan;
    bool normalize;
    const live_set *live;
    /* results, item i = copy index i / nq, query i % nq */
    int64_t *returned;         /* items × k, −1 = wrong / absent */
    uint32_t *nreturned;
    uint64_t *sent_ns;
    double *latency_ms;
    /* fan-out, for a cluster whose search module runs without the
     * coordinator (FT.SEARCH then answers from one shard): each query goes
     * to every master and the shards' candidates are merged into the k
     * nearest by true distance, as the coordinator would; candidates of
     * another copy or not live (−1) rank last.  Part p goes to the master
     * at fan[p].host:fan[p].port whatever the slot map becomes during the
     * run (FT.SEARCH names no key: a slot that moves would send two parts
     * to one master and none to another); fan[p].slot, a slot that master
     * served, routes it when no host is given.  fanout 0 or 1: one
     * FT.SEARCH per query, to any master. */
    const wl_fan_target *fan;
    uint32_t fanout;
    const ds_vecfile *base;    /* the distances of the merge */
    int64_t *cand;             /* items × fanout × k */
    uint32_t *ncand;           /* items × fanout */
    _Atomic uint32_t *parts;   /* shards answered, per item */
    _Atomic uint64_t next;
    wl_count done;             /* queries answered by every shard (wl_count.h) */
    _Atomic uint64_t errors;
    char first_error[256];
    _Atomic int have_error;
} wl_query;

/* Append one FT.SEARCH KNN for query q of `queries`, shifted into copy. */
void wl_add_knn_search(strbuf *out, const char *index, const char *field, uint32_t k,
                       int ef_runtime, const ds_vecfile *queries, uint64_t q, uint32_t copy,
                       const xp_plan *plan, bool normalize);

int wl_query_init(wl_query *w, vm_err *err); /* after the fields above are set */
void wl_query_free(wl_query *w);
uint64_t wl_query_items(const wl_query *w);
eng_workload wl_query_workload(wl_query *w);

#endif
