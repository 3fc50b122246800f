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
    const char *field;      /* hash field holding the vector */
    idx_algo algo;
    idx_metric metric;
    uint32_t dim;
    int m;                  /* HNSW M, 0 = server default */
    int ef_construction;    /* 0 = server default */
    int ef_runtime;         /* 0 = server default */
    uint64_t initial_cap;   /* 0 = server default */
    int block_size;         /* FLAT, 0 = server default */
} idx_spec;

int idx_parse_algo(const char *s, idx_algo *out, vm_err *err);
int idx_parse_metric(const char *s, idx_metric *out, vm_err *err);
const char *idx_algo_name(idx_algo a);
const char *idx_metric_name(idx_metric m);

/* The FT.CREATE arguments as a NULL-terminated argv in *args (strings owned
 * by store, a strbuf of NUL-separated words).  Returns argc. */
int idx_create_args(const idx_spec *s, strbuf *store, const char **argv, int max);

/* true when MODULE LIST names the search module. */
int idx_module_present(net_client *cl, bool *present, vm_err *err);
int idx_create(net_client *cl, const idx_spec *s, vm_err *err);
int idx_drop(net_client *cl, const char *name, vm_err *err);

#endif
