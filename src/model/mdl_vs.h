/* mdl_vs: a memory model of valkey-search, per release line — from the index parameters
 * and the live / deleted counts, the bytes each part of the module holds
 * (what search_used_memory_bytes should read), plus an estimate of the
 * Valkey hashes that carry the vectors in the keyspace.
 *
 * The layout it follows (valkey-search src/indexes/vector_*.cc,
 * src/utils/{allocator,string_interning}.cc, its hnswlib fork):
 *   - every vector is interned once: a fixed-size slot of dim*4+1 bytes
 *     (rounded to 8) in 40 KiB chunks, plus an InternedString object and a
 *     shared_ptr control block;
 *   - HNSW level 0: one 148-byte record per slot for M 16 (maxM0 = 2M links of
 *     4 bytes, a 4-byte count, a pointer to the vector, an 8-byte label) in
 *     chunks of 10240 slots; slots are allocated by capacity, which starts at
 *     INITIAL_CAP and grows by hnsw-block-size;
 *   - HNSW upper levels: a node draws level floor(-ln U / ln M), so
 *     P(level >= l) = M^-l and the expected number of upper levels is
 *     1/(M-1) (1/ln M before the floor); each level costs M*4+4 bytes;
 *   - per slot: a mutex (40 B), the level (4 B), a link-list pointer (8 B)
 *     and 2 B per visited list (one per thread searching at once);
 *   - label -> slot (std::unordered_map), key -> id and id -> key
 *     (absl flat_hash_map), the interned key strings and the global intern
 *     table (key and vector strings);
 *   - HNSW deletes only mark a tombstone: the vector, its graph slot and its
 *     map entries stay; the key string (~80 B) is freed.  FLAT compacts its
 *     slot array and frees the vector slot, but a 40 KiB vector chunk only
 *     returns when all of its ~78 slots are free.
 * Rounding to jemalloc size classes (mdl_alloc.h) is applied per allocation.
 * Tag and numeric indexes follow their layout too but are not calibrated
 * against a measurement; the keyspace estimate is calibrated on the
 * reference transcripts (Valkey 8.x: ~810 B per 512-byte vector hash).
 *
 * Release 1.2 (mdl_vs12.c; read from 1.2.1's source) changes, per vector:
 *   - interning: an 8-byte intrusive header instead of a shared_ptr, so a
 *     key is one allocation of len + 9 bytes, a vector handle 16 B, and the
 *     intern table a set of 8-byte slots;
 *   - the level-0 record is round8(8M + 4) + 16 bytes (the vector pointer
 *     8-aligned);
 *   - tracked vectors are a flat_hash_map never erased on delete, so every
 *     tombstone keeps its vector; re-inserting a key takes a fresh internal
 *     id and slot, but identical vector bytes are found in the intern table
 *     and not stored again;
 *   - the key maps have 24 / 16-byte slots, and each index keeps three new
 *     per-key maps (db_key_info_, its attribute list, index_key_info_);
 *   - TAG and NUMERIC key sets are an 8-byte inline bag, and TEXT indexes
 *     (new) keep a global radix tree of terms, a postings tree per term,
 *     a position map per (term, key) and a radix tree per key (not
 *     calibrated: estimates from the structures, ±30 %);
 *   - search_index_reclaimable_memory counts dim * 4 per tombstone.
 * The module's own memory before any index (1.0.3 ~18-23 KB, 1.2.1 55,416 B)
 * is not in the prediction: the report measures it and adds it.
 * A 1.1.x server is modelled with the 1.0 layout (its interning, deque and
 * record are 1.0.3's). */
#ifndef MDL_VS_H
#define MDL_VS_H

#include <stdbool.h>
#include <stdint.h>

#include "../util/vm_err.h"

typedef enum mdl_algo { MDL_HNSW, MDL_FLAT } mdl_algo;
/* whose data structures: 1.0.x (and 1.1.x) or 1.2.x */
typedef enum mdl_release { MDL_REL_1_0, MDL_REL_1_2 } mdl_release;

typedef struct mdl_params {
    mdl_release release;
    mdl_algo algo;
    uint32_t dim;
    uint32_t elem_bytes;       /* FLOAT32: 4 (the only type of 1.0.3) */
    uint32_t m;                /* HNSW M */
    uint64_t initial_cap;      /* INITIAL_CAP */
    uint64_t block_size;       /* HNSW: hnsw-block-size config; FLAT: BLOCK_SIZE */
    uint32_t key_bytes;        /* average key length */
    uint32_t field_bytes;      /* hash field name length (keyspace estimate) */
    uint64_t live;             /* vectors in the index now */
    uint64_t deleted;          /* deleted since FT.CREATE (HNSW tombstones) */
    uint64_t peak_live;        /* most vectors live at once; 0 = live + deleted */
    uint32_t threads;          /* module threads searching at once */
    uint32_t tag_attrs;        /* TAG attributes per key */
    uint32_t tag_bytes;        /* average tag value length */
    uint64_t tag_distinct;     /* distinct tag values per attribute; 0 = 100 */
    uint32_t numeric_attrs;    /* NUMERIC attributes per key */
    uint64_t numeric_distinct; /* distinct numbers per attribute; 0 = live */
    uint32_t text_attrs;       /* TEXT attributes per key (1.2) */
    uint64_t text_terms;       /* distinct terms in the text index (1.2) */
    double text_postings;      /* distinct terms per document, mean (1.2) */
} mdl_params;

/* valkey-search defaults: release 1.2 (the current line), HNSW, FLOAT32,
 * M 16, INITIAL_CAP 10240, block 10240 (FLAT: 1024), key 10 bytes, field
 * "vector", 2 threads. */
void mdl_params_defaults(mdl_params *p);
/* The default block size of an algorithm (for a params struct whose
 * algorithm was changed after mdl_params_defaults). */
uint64_t mdl_default_block(mdl_algo a);
int mdl_parse_algo(const char *s, mdl_algo *out, vm_err *err);
/* "FLOAT32" -> 4; FLOAT16 / BFLOAT16 are refused (not in 1.0.3). */
int mdl_parse_type(const char *s, uint32_t *elem_bytes, vm_err *err);
const char *mdl_algo_name(mdl_algo a);
/* "1.0", "1.2", or a whole version ("1.0.3", "1.2.1": its line). */
int mdl_parse_release(const char *s, mdl_release *out, vm_err *err);
/* The layout a server's module version follows: 1.2 from 1.2.0 on. */
mdl_release mdl_release_of(int major, int minor);
const char *mdl_release_name(mdl_release r);

#define MDL_MAX_COMPONENTS 20

typedef struct mdl_component {
    const char *name; /* "vectors", "HNSW level 0", ... */
    char layout[192]; /* how the figure was computed, for people */
    double bytes;
    bool keyspace; /* outside the module (Valkey's hashes) */
} mdl_component;

typedef struct mdl_prediction {
    mdl_component c[MDL_MAX_COMPONENTS];
    int n;
    double module_bytes;      /* sum of the module's components */
    double keyspace_bytes;    /* the Valkey hashes (estimate) */
    uint64_t capacity;        /* index slots, as FT.INFO's capacity */
    uint64_t elements;        /* vectors held by the index, tombstones included */
    double reclaimable_bytes; /* what search_index_reclaimable_memory reads (1.2) */
} mdl_prediction;

/* Fill out from p; -1 with err naming the parameter at fault. */
int mdl_predict(const mdl_params *p, mdl_prediction *out, vm_err *err);

/* Bytes of the component called name, or 0. */
double mdl_component_bytes(const mdl_prediction *pr, const char *name);

#endif
