/* mdl_vs10: the memory layout of valkey-search 1.0.x (read from 1.0.3's
 * src/indexes/vector_*.cc, src/utils/{allocator,string_interning}.cc and its
 * hnswlib fork); see mdl_vs.h for the model and mdl_vs12.c for 1.2. */
#include <stdio.h>

#include "mdl_int.h"

enum {
    INTERNED_OBJ = 24,  /* InternedString: data ptr, length, 2 flags */
    CONTROL_BLOCK = 24, /* shared_ptr<T>(new T): vptr + counts + ptr */
    /* index schema, attribute and thread bookkeeping: the module memory an
     * FT.CREATE adds beyond the structures modelled here, measured in the
     * reference transcript 05-bench (4,803,504 B after FT.CREATE minus the
     * modelled 4,796,992 B) */
    SCHEMA_BYTES = 6512,
};

/* each interned vector's InternedString and shared_ptr control block */
static void vector_handles(mdl_prediction *pr, uint64_t stored)
{
    uint64_t handle = mdl_module_alloc(INTERNED_OBJ) + mdl_module_alloc(CONTROL_BLOCK);
    mdl_add(pr, "vector handles", (double)(stored * handle), false,
            "%llu interned vectors x %llu B (InternedString + shared_ptr control block)",
            (unsigned long long)stored, (unsigned long long)handle);
}

static void hnsw(const mdl_params *p, mdl_prediction *pr, uint64_t peak)
{
    uint64_t elements = p->live + p->deleted; /* tombstones keep their slot */
    uint64_t cap = mdl_grown_capacity(p->initial_cap, p->block_size, elements);
    pr->capacity = cap;
    pr->elements = elements;
    mdl_vector_chunks(p, pr, elements, -1);
    vector_handles(pr, elements);

    uint64_t max_m0 = 2ull * p->m;
    uint64_t rec = max_m0 * 4 + 4 + 8 + 8;
    uint64_t chunks = mdl_ceil_div(cap, GRAPH_CHUNK);
    uint64_t chunk_bytes = mdl_module_alloc(GRAPH_CHUNK * rec);
    mdl_add(pr, "HNSW level 0", (double)(chunks * chunk_bytes), false,
            "%llu slots x %llu B (%llu links x 4 + count 4 + vector ptr 8 + label 8), "
            "%llu chunks of %d",
            (unsigned long long)cap, (unsigned long long)rec, (unsigned long long)max_m0,
            (unsigned long long)chunks, GRAPH_CHUNK);

    mdl_hnsw_shared(p, pr, elements, cap);
    mdl_add(pr, "HNSW tracked vectors", (double)mdl_deque_bytes(elements, 16), false,
            "std::deque of %llu 16-byte handles; deletes never shrink it",
            (unsigned long long)elements);
    mdl_add(pr, "index fixed", (double)(mdl_module_alloc(LABEL_LOCKS * MUTEX_BYTES) + SCHEMA_BYTES),
            false, "%d label locks x 40 B + schema bookkeeping %d B", LABEL_LOCKS, SCHEMA_BYTES);
    (void)peak;
}

static void flat(const mdl_params *p, mdl_prediction *pr, uint64_t peak)
{
    mdl_flat_core(p, pr, peak);
    vector_handles(pr, p->live);
    mdl_add(pr, "FLAT tracked vectors", (double)mdl_absl_bytes(peak, 24), false,
            "flat_hash_map id -> vector, %llu slots x 24 B",
            (unsigned long long)mdl_absl_capacity(peak));
    mdl_add(pr, "index fixed", SCHEMA_BYTES, false, "schema bookkeeping %d B", SCHEMA_BYTES);
}

/* Structures shared by both algorithms: the key maps and interned strings. */
static void keys(const mdl_params *p, mdl_prediction *pr, uint64_t peak)
{
    mdl_add(pr, "key -> id map", (double)mdl_absl_bytes(peak, 32), false,
            "flat_hash_map key -> {id, magnitude}: capacity %llu x 32 B (sized by the peak %llu)",
            (unsigned long long)mdl_absl_capacity(peak), (unsigned long long)peak);
    mdl_add(pr, "id -> key map", (double)mdl_absl_bytes(peak, 24), false,
            "flat_hash_map id -> key: capacity %llu x 24 B",
            (unsigned long long)mdl_absl_capacity(peak));
    uint64_t key = mdl_module_alloc(INTERNED_OBJ) + mdl_module_alloc(CONTROL_BLOCK) +
                   mdl_module_alloc(p->key_bytes + 1);
    mdl_add(pr, "interned keys", (double)(p->live * key), false,
            "%llu keys x %llu B (object + control block + %u-byte string)",
            (unsigned long long)p->live, (unsigned long long)key, p->key_bytes);
    uint64_t vectors = p->algo == MDL_HNSW ? p->live + p->deleted : peak;
    uint64_t tags =
        p->tag_attrs ? (uint64_t)p->tag_attrs * (p->tag_distinct ? p->tag_distinct : 100) : 0;
    uint64_t entries = peak + vectors + tags;
    mdl_add(pr, "string intern table", (double)mdl_absl_bytes(entries, 32), false,
            "flat_hash_map string -> weak_ptr over %llu keys and vectors: capacity %llu x 32 B",
            (unsigned long long)entries, (unsigned long long)mdl_absl_capacity(entries));
}

/* TAG and NUMERIC attributes (layout-based, not calibrated). */
static void attrs(const mdl_params *p, mdl_prediction *pr, uint64_t peak)
{
    if (p->tag_attrs) {
        uint64_t distinct = p->tag_distinct ? p->tag_distinct : 100;
        uint64_t per_value = p->live / (distinct ? distinct : 1) + 1;
        double per_attr =
            (double)mdl_absl_bytes(peak, 64) +                  /* key -> {raw string, tag set} */
            (double)(p->live * mdl_module_alloc(8 + 32 + 16)) + /* one-tag set per key */
            (double)distinct *
                (double)(mdl_absl_bytes(per_value, 16) + 160 + mdl_module_alloc(INTERNED_OBJ) +
                         mdl_module_alloc(CONTROL_BLOCK) + mdl_module_alloc(p->tag_bytes + 1));
        mdl_add(
            pr, "tag index", per_attr * p->tag_attrs, false,
            "%u attribute(s): key map 64 B slots, a tag set per key, %llu tree nodes with key sets",
            p->tag_attrs, (unsigned long long)distinct);
    }
    if (p->numeric_attrs) {
        uint64_t distinct = p->numeric_distinct ? p->numeric_distinct : (p->live ? p->live : 1);
        uint64_t per_value = p->live / distinct + 1;
        double per_attr =
            (double)mdl_absl_bytes(peak, 24) +
            (double)distinct * (40.0 / 0.75 + 80.0 + (double)mdl_absl_bytes(per_value, 16));
        mdl_add(pr, "numeric index", per_attr * p->numeric_attrs, false,
                "%u attribute(s): key map 24 B slots; per distinct value a btree slot (~53 B), "
                "a segment-tree share (~80 B) and a key set",
                p->numeric_attrs);
    }
}

void mdl_predict_1_0(const mdl_params *p, mdl_prediction *pr, uint64_t peak)
{
    if (p->algo == MDL_HNSW)
        hnsw(p, pr, peak);
    else
        flat(p, pr, peak);
    keys(p, pr, peak);
    attrs(p, pr, peak);
}
