/* mdl_plan: a capacity plan from the memory model (mdl_vs.h) — how many
 * shards (masters) an index of N vectors needs on nodes of a given physical
 * memory, what each holds, how many loaders to run and how long a prefill
 * takes.  Pure computation: the caller reads a run's summary.json text
 * (mdl_plan_read_run) and prints the result.
 *
 * Memory.  A shard holding n vectors uses
 *     used(n) = baseline + module(n) + keyspace(n)
 * (mdl_predict of n vectors: the module's parts and the Valkey hashes; the
 * baseline is the server's own used_memory before any data, ~1 MiB, plus
 * the module's before any index).  n = ceil(N / shards) is predicted per
 * shard, not N / shards of a one-server prediction, because the hash maps
 * grow in powers of two: their bytes per vector depend on the shard's count.
 * A node of M bytes holds a shard when used(n) <= M x (1 - headroom); the
 * plan takes the fewest shards that fit (used(n) only grows with n, so a
 * bisection finds it).
 *
 * Headroom: the share of a node's memory the data may not use —
 *     headroom = 1 - (1 - reserve) / (fragmentation x (1 + cow))
 *   - fragmentation: RSS / used_memory the allocator adds (jemalloc's
 *     allocator_frag_ratio; our runs read 1.03-1.13, default 1.10, or the
 *     highest a --from run measured);
 *   - cow: the pages a BGSAVE or a replica's full sync copies while the
 *     forked child writes: each page the parent writes during the fork is
 *     duplicated.  Default 0.20 of the data (a steady write load during a
 *     save; a prefill that rewrites HNSW neighbours all over can copy more:
 *     raise --headroom, or save only between loads);
 *   - reserve: the kernel, the replication backlog, client buffers, the
 *     monitor's processes: default 0.05 of the node.
 * 1.10 x 1.20 and 0.95 give 0.28; --headroom replaces the whole figure.
 * Replicas (--replicas R) are whole copies on nodes of their own: shards
 * do not change, nodes are shards x (1 + R).
 *
 * Time.  A prefill loads the shards at once, each at the ingest rate one
 * shard sustains (server-bound: valkey-search indexes a few thousand
 * vectors/s per shard, issue #15; or the rate a run measured: its prefill
 * vectors / seconds / masters).  A loader (one valkey-memstress process, one
 * core) sends 1 / (its CPU per vector) vectors/s; loaders are suggested so
 * that each is at most half busy — the client never bounds the run — and
 * at least one per 64 shards (each shard costs a loader -c connections),
 * and enough that no loader holds more than MDL_PLAN_LOADER_DISK of the
 * base on its disk (download --slice: a loader fetches only its rows; the
 * originals counted as float32, the index's type — a uint8 source is a
 * quarter of that).
 * With a loader count given, the rate is the lesser of the shards' and the
 * loaders'. */
#ifndef MDL_PLAN_H
#define MDL_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "../util/vm_err.h"
#include "mdl_vs.h"

/* issue #15: "valkey-search ingests a few thousand vectors per second per
 * shard, server-bound" */
#define MDL_PLAN_RATE_PER_SHARD 3000.0
/* one loader core: ~2 s of client CPU per million replies (bench_ingest.sh,
 * bench_scale.sh on the development VM), so ~500,000 vectors/s */
#define MDL_PLAN_LOADER_RATE 500000.0
/* the base rows one loader fetches and keeps (its disk), float32 */
#define MDL_PLAN_LOADER_DISK (64.0 * 1024 * 1024 * 1024)
#define MDL_PLAN_FRAGMENTATION 1.10
#define MDL_PLAN_COW 0.20
#define MDL_PLAN_RESERVE 0.05
/* Valkey's used_memory before any key (measured ~1.0 MB) */
#define MDL_PLAN_SERVER_BASE_BYTES (1024.0 * 1024.0)
#define MDL_PLAN_SHARDS_PER_LOADER 64

typedef struct mdl_plan_conf {
    mdl_params p;           /* the index; p.live / deleted / peak_live are ignored */
    uint64_t vectors;       /* originals */
    uint32_t expand;        /* copies of each original (prefill --expand) */
    uint64_t node_bytes;    /* physical memory of a node */
    double headroom;        /* < 0: from the parts below */
    double fragmentation;   /* RSS / used_memory */
    double cow;             /* copied share of the data during a fork */
    double reserve;         /* share of a node kept for the rest */
    uint32_t replicas;      /* per shard */
    double rate_per_shard;  /* vectors/s one shard ingests */
    double loader_rate;     /* vectors/s one loader core sends */
    uint32_t loaders;       /* 0: suggest */
    double base_bytes;      /* the server's and module's memory before any data */
    const char *rate_from;  /* where rate_per_shard came from (printed) */
    const char *frag_from;  /* where fragmentation came from */
} mdl_plan_conf;

typedef struct mdl_plan {
    uint64_t total_vectors;   /* vectors x (1 + expand) */
    double headroom;          /* as used */
    double usable_bytes;      /* node_bytes x (1 - headroom) */
    uint64_t shards;
    uint64_t nodes;           /* shards x (1 + replicas) */
    uint64_t shard_vectors;   /* ceil(total / shards): the fullest shard */
    mdl_prediction shard;     /* the model's prediction for one shard */
    double shard_bytes;       /* base + module + keyspace of one shard */
    double shard_rss_bytes;   /* shard_bytes x fragmentation */
    double bytes_per_vector;  /* shard_bytes / shard_vectors */
    double total_bytes;       /* shard_bytes x shards (the fullest, an upper bound) */
    uint32_t loaders;         /* suggested, or as given */
    bool loaders_given;
    double ingest_rate;       /* vectors/s of the whole cluster */
    bool loader_bound;        /* the loaders, not the shards, set the rate */
    double hours;             /* prefill duration */
} mdl_plan;

/* Defaults above (release, algorithm, dim... mdl_params_defaults). */
void mdl_plan_defaults(mdl_plan_conf *c);
/* 1 - (1 - reserve) / (fragmentation x (1 + cow)). */
double mdl_plan_headroom(const mdl_plan_conf *c);
/* Fill out; -1 with err naming the parameter at fault ("vectors",
 * "node_memory", "headroom", ...). */
int mdl_plan_compute(const mdl_plan_conf *c, mdl_plan *out, vm_err *err);

/* What a run's summary.json measured for a plan. */
typedef struct mdl_run_rates {
    uint64_t vectors;      /* acknowledged by its prefill phases */
    double seconds;        /* their duration */
    int masters;           /* nodes of role master or standalone (1 when none sampled) */
    double rate_per_shard; /* vectors / seconds / masters */
    double client_cpu_s;   /* the prefill's client CPU (NaN: not recorded) */
    double loader_rate;    /* vectors / client_cpu_s (NaN: not recorded) */
    double fragmentation;  /* highest allocator_frag_ratio of its nodes (NaN: none) */
} mdl_run_rates;

/* Read the text of a summary.json (sum_json.h): the phases whose step is a
 * prefill ("N:prefill", or phase "prefill"), the nodes' roles and
 * fragmentation.  -1 with err (param "from") when the text is not a
 * summary or has no prefill that loaded vectors. */
int mdl_plan_read_run(const char *json_text, mdl_run_rates *out, vm_err *err);

#endif
