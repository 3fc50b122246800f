/* idx: the valkey-search index as the tool manages it — detect the module,
 * build and send FT.CREATE, drop.  Pure command building is separate from
 * sending so it can be unit-tested without a server. */
#ifndef IDX_H
#define IDX_H

#include <stdbool.h>
#include <stdint.h>

#include "../net/net_client.h"
#include "../util/strbuf.h"

typedef enum idx_algo { IDX_HNSW, IDX_FLAT } idx_algo;
typedef enum idx_metric { IDX_L2, IDX_IP, IDX_COSINE } idx_metric;

typedef struct idx_spec {
    const char *name;
    const char *prefix;     /* key prefix of the original vectors */
    bool expand_prefix;     /* also index expand_* keys (expanded copies) */
    const char *field;      /* hash field holding the vector */
    idx_algo algo;
    idx_metric metric;
    uint32_t dim;
    int m;                  /* HNSW M, 0 = server default */
    int ef_construction;    /* 0 = server default */
    int ef_runtime;         /* 0 = server default */
    uint64_t initial_cap;   /* 0 = server default */
    int block_size;         /* FLAT, 0 = server default */
    const char *tag_field;     /* optional TAG attribute (NULL = none) */
    const char *numeric_field; /* optional NUMERIC attribute (NULL = none) */
} idx_spec;

int idx_parse_algo(const char *s, idx_algo *out, vm_err *err);
int idx_parse_metric(const char *s, idx_metric *out, vm_err *err);
const char *idx_algo_name(idx_algo a);
const char *idx_metric_name(idx_metric m);

/* The FT.CREATE arguments as a NULL-terminated argv in *args (strings owned
 * by store, a strbuf of NUL-separated words).  Returns argc. */
int idx_create_args(const idx_spec *s, strbuf *store, const char **argv, int max);

/* What FT.INFO says of an index (valkey-search 1.0.x layout: a flat
 * name/value array; numbers come as strings or integers). */
typedef struct idx_info {
    uint64_t num_docs;
    uint64_t num_records;
    uint64_t hash_indexing_failures;
    uint64_t mutation_queue_size;
    bool backfill_in_progress;
    double backfill_complete_percent;
    char state[32];            /* "ready", ... */
    uint64_t vector_size;      /* first vector attribute: size */
    uint64_t vector_capacity;  /* and capacity */
} idx_info;

/* Parse an FT.INFO reply tree (a hiredis reply). */
int idx_info_parse(const redisReply *r, idx_info *out, vm_err *err);
int idx_info_get(net_client *cl, const char *name, idx_info *out, vm_err *err);
/* Wait until indexing has caught up: no backfill, empty mutation queue,
 * state ready — polled every 100 ms, at most timeout_ms. */
int idx_wait_ready(net_client *cl, const char *name, uint64_t timeout_ms, idx_info *out,
                   vm_err *err);

/* true when MODULE LIST names the search module. */
int idx_module_present(net_client *cl, bool *present, vm_err *err);
/* The same, its "ver" (10003 for 1.0.3; 0 when absent) and whether it was
 * loaded with --use-coordinator (cluster: FT.SEARCH merges every shard). */
int idx_module_info(net_client *cl, bool *present, long long *ver, bool *coordinator,
                    vm_err *err);
int idx_create(net_client *cl, const idx_spec *s, vm_err *err);
int idx_drop(net_client *cl, const char *name, vm_err *err);

#endif
