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
    const char *prefix; /* key prefix of the original vectors */
    bool expand_prefix; /* also index expand_* keys (expanded copies) */
    const char *field;  /* hash field holding the vector */
    idx_algo algo;
    idx_metric metric;
    uint32_t dim;
    int m;                     /* HNSW M, 0 = server default */
    int ef_construction;       /* 0 = server default */
    int ef_runtime;            /* 0 = server default */
    uint64_t initial_cap;      /* 0 = server default */
    int block_size;            /* FLAT, 0 = server default */
    const char *tag_field;     /* optional TAG attribute (NULL = none) */
    const char *numeric_field; /* optional NUMERIC attribute (NULL = none) */
    const char *text_field;    /* optional TEXT attribute (NULL = none; 1.1 and later) */
} idx_spec;

int idx_parse_algo(const char *s, idx_algo *out, vm_err *err);
int idx_parse_metric(const char *s, idx_metric *out, vm_err *err);
const char *idx_algo_name(idx_algo a);
const char *idx_metric_name(idx_metric m);

/* The FT.CREATE arguments as a NULL-terminated argv in *args (strings owned
 * by store, a strbuf of NUL-separated words).  Returns argc. */
int idx_create_args(const idx_spec *s, strbuf *store, const char **argv, int max);

/* What FT.INFO says of an index: a flat name/value array in every release,
 * numbers as strings or integers.  1.2 adds per attribute
 * "user_indexed_memory" (the bytes of user data the attribute indexes: a
 * vector's dim*4, a text's bytes) and, for TEXT, num_terms and
 * total_term_occurrences; they read 0 on 1.0. */
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
    uint64_t indexed_bytes;    /* user_indexed_memory summed over the attributes (1.2) */
    uint64_t num_terms;        /* TEXT: distinct terms (1.2) */
    uint64_t term_occurrences; /* TEXT: total_term_occurrences (1.2) */
} idx_info;

/* Parse an FT.INFO reply tree (a hiredis reply). */
int idx_info_parse(const redisReply *r, idx_info *out, vm_err *err);
int idx_info_get(net_client *cl, const char *name, idx_info *out, vm_err *err);
/* Wait until indexing has caught up: no backfill, empty mutation queue,
 * state ready — polled every 100 ms, at most timeout_ms. */
int idx_wait_ready(net_client *cl, const char *name, uint64_t timeout_ms, idx_info *out,
                   vm_err *err);

/* A valkey-search release as MODULE LIST's "ver" encodes it.  Up to 1.0.x
 * the code is decimal, major*10000 + minor*100 + patch (1.0.3: 10003);
 * from 1.1.0 on it is vmsdk's ValkeyVersion, major<<16 | minor<<8 | patch
 * (1.2.1: 66049 = 0x010201).  A decimal code of a 1.x-6.x release stays
 * below 65536 and a hex one of 1.0 or later is at least 65536, so the
 * value alone says which encoding it is. */
typedef struct idx_version {
    int major, minor, patch;
} idx_version;

idx_version idx_version_decode(long long ver);
/* "1.2.1"; "unknown" for a zero version */
void idx_version_format(idx_version v, char *buf, size_t n);
/* -1, 0, 1 as a is older, the same, newer than b */
int idx_version_cmp(idx_version a, idx_version b);

/* true when MODULE LIST names the search module. */
int idx_module_present(net_client *cl, bool *present, vm_err *err);
/* The same, its "ver" (10003 for 1.0.3; 0 when absent) and whether it was
 * loaded with --use-coordinator (cluster: FT.SEARCH merges every shard). */
int idx_module_info(net_client *cl, bool *present, long long *ver, bool *coordinator, vm_err *err);
int idx_create(net_client *cl, const idx_spec *s, vm_err *err);
int idx_drop(net_client *cl, const char *name, vm_err *err);

#endif
