/* mdl_vs12: the memory layout of valkey-search 1.2.x, read from 1.2.1's
 * source (src/utils/string_interning.h, src/indexes/vector_{base,hnsw,
 * flat}.h, src/index_schema.h, src/indexes/{tag,numeric}.h,
 * src/indexes/text/, third_party/hnswlib/hnswalg.h); see mdl_vs.h for what
 * changed since 1.0 and mdl_vs10.c for 1.0. */
#include <stdio.h>

#include "mdl_int.h"

enum {
    HANDLE_BYTES = 16, /* OutOfLineInternedString: 8-byte header + data pointer */
    KEY_HEADER = 9,    /* InlineInternedString: 8-byte header + the string + NUL */
    /* one index beyond the structures modelled here (IndexSchema, info
     * fields, latency histograms, mutation bookkeeping), measured on 1.2.1:
     * 4,923,688 B for one HNSW index of two vectors, less the modelled
     * 4,859,499 B, less the module's own 55,416 B before any index (which
     * the report measures and adds, as for 1.0) */
    FIXED_BYTES = 8784,
    /* TEXT, estimates from the structures (not calibrated): per distinct
     * term a Postings object (32 B), its key in the global radix tree
     * (~88 B) and its btree root; per (term, key) a position map (16 B), a
     * btree slot and the key's own radix tree entry; per key with text a
     * TextIndex node, its radix tree and head node, a table slot */
    TEXT_TERM_BYTES = 150,
    TEXT_POSTING_BYTES = 115,
    TEXT_KEY_BYTES = 105,
    TEXT_FIXED_BYTES = 8192,
};

/* BagOfInternedStringPtrs: an 8-byte word holding 0 or 1 key inline, 2-4
 * or 5-8 in a heap array, more in a flat_hash_set */
static uint64_t bag_bytes(uint64_t k)
{
    if (k <= 1)
        return 0;
    if (k <= 4)
        return mdl_module_alloc(32);
    if (k <= 8)
        return mdl_module_alloc(64);
    return mdl_module_alloc(32) + mdl_absl_bytes(k, 8);
}

static void vector_handles(mdl_prediction *pr, uint64_t stored)
{
    mdl_add(pr, "vector handles", (double)(stored * mdl_module_alloc(HANDLE_BYTES)), false,
            "%llu interned vectors x %d B (8-byte header + data pointer)",
            (unsigned long long)stored, HANDLE_BYTES);
}

static void hnsw(const mdl_params *p, mdl_prediction *pr, uint64_t peak)
{
    uint64_t elements = p->live + p->deleted; /* tombstones keep their slot */
    uint64_t cap = mdl_grown_capacity(p->initial_cap, p->block_size, elements);
    pr->capacity = cap;
    pr->elements = elements;
    /* a re-inserted key takes a new slot, but its bytes are interned
     * already: distinct vectors held are the peak, not the elements */
    uint64_t stored = peak < elements ? peak : elements;
    mdl_vector_chunks(p, pr, stored, -1);
    vector_handles(pr, stored);
    uint64_t rec = ((8ull * p->m + 4 + 7) & ~7ull) + 16;
    uint64_t chunks = mdl_ceil_div(cap, GRAPH_CHUNK);
    mdl_add(pr, "HNSW level 0", (double)(chunks * mdl_module_alloc(GRAPH_CHUNK * rec)), false,
            "%llu slots x %llu B (%u links x 4 + count 4, 8-aligned; vector ptr 8 + label 8), "
            "%llu chunks of %d",
            (unsigned long long)cap, (unsigned long long)rec, 2 * p->m, (unsigned long long)chunks,
            GRAPH_CHUNK);
    mdl_hnsw_shared(p, pr, elements, cap);
    mdl_add(
        pr, "HNSW tracked vectors", (double)mdl_absl_bytes(elements, 16), false,
        "flat_hash_map id -> vector over %llu ids, never erased on delete: capacity %llu x 16 B",
        (unsigned long long)elements, (unsigned long long)mdl_absl_capacity(elements));
    mdl_add(pr, "index fixed", (double)(mdl_module_alloc(LABEL_LOCKS * MUTEX_BYTES) + FIXED_BYTES),
            false, "%d label locks x 40 B + module and schema bookkeeping %d B", LABEL_LOCKS,
            FIXED_BYTES);
    pr->reclaimable_bytes = (double)p->deleted * p->dim * p->elem_bytes;
}

static void flat(const mdl_params *p, mdl_prediction *pr, uint64_t peak)
{
    mdl_flat_core(p, pr, peak);
    vector_handles(pr, p->live);
    mdl_add(pr, "FLAT tracked vectors", (double)mdl_absl_bytes(peak, 16), false,
            "flat_hash_map id -> vector, %llu slots x 16 B",
            (unsigned long long)mdl_absl_capacity(peak));
    mdl_add(pr, "index fixed", FIXED_BYTES, false, "module and schema bookkeeping %d B",
            FIXED_BYTES);
}

/* The vector attribute's key maps, the interned keys and the intern set,
 * and the schema's per-key maps (new in 1.2). */
static void keys(const mdl_params *p, mdl_prediction *pr, uint64_t peak, uint64_t stored)
{
    mdl_add(pr, "key -> id map", (double)mdl_absl_bytes(peak, 24), false,
            "flat_hash_map key -> {id, magnitude}: capacity %llu x 24 B (sized by the peak %llu)",
            (unsigned long long)mdl_absl_capacity(peak), (unsigned long long)peak);
    mdl_add(pr, "id -> key map", (double)mdl_absl_bytes(peak, 16), false,
            "flat_hash_map id -> key: capacity %llu x 16 B",
            (unsigned long long)mdl_absl_capacity(peak));
    uint64_t key = mdl_module_alloc(p->key_bytes + KEY_HEADER);
    mdl_add(pr, "interned keys", (double)(p->live * key), false,
            "%llu keys x %llu B (one block: 8-byte header + %u-byte string + NUL)",
            (unsigned long long)p->live, (unsigned long long)key, p->key_bytes);
    uint64_t tags =
        p->tag_attrs ? (uint64_t)p->tag_attrs * (p->tag_distinct ? p->tag_distinct : 100) : 0;
    uint64_t entries = peak + stored + tags;
    mdl_add(pr, "string intern table", (double)mdl_absl_bytes(entries, 8), false,
            "flat_hash_set of interned strings over %llu keys, vectors and tags: capacity %llu x "
            "8 B",
            (unsigned long long)entries, (unsigned long long)mdl_absl_capacity(entries));
    uint64_t attrs = 1 + p->tag_attrs + p->numeric_attrs + p->text_attrs;
    double schema = (double)mdl_absl_bytes(peak, 40) +
                    (double)(p->live * mdl_module_alloc(8 * attrs)) +
                    (double)mdl_absl_bytes(peak, 16);
    mdl_add(pr, "schema key maps", schema, false,
            "db_key_info_ %llu x 40 B, a %llu-attribute list per key, index_key_info_ %llu x "
            "16 B",
            (unsigned long long)mdl_absl_capacity(peak), (unsigned long long)attrs,
            (unsigned long long)mdl_absl_capacity(peak));
}

/* TAG and NUMERIC attributes (layout-based, not calibrated). */
static void attrs(const mdl_params *p, mdl_prediction *pr, uint64_t peak)
{
    if (p->tag_attrs) {
        uint64_t distinct = p->tag_distinct ? p->tag_distinct : 100;
        uint64_t per_value = p->live / distinct + 1;
        double per_attr = (double)mdl_absl_bytes(peak, 48) +
                          (double)distinct * (double)(mdl_module_alloc(p->tag_bytes + KEY_HEADER) +
                                                      64 + 40 / 0.875 + bag_bytes(per_value));
        mdl_add(pr, "tag index", per_attr * p->tag_attrs, false,
                "%u attribute(s): key map 48 B slots, %llu tree nodes of 64 B with key bags",
                p->tag_attrs, (unsigned long long)distinct);
    }
    if (p->numeric_attrs) {
        uint64_t distinct = p->numeric_distinct ? p->numeric_distinct : (p->live ? p->live : 1);
        uint64_t per_value = p->live / distinct + 1;
        double per_attr = (double)mdl_absl_bytes(peak, 16) +
                          (double)distinct * (16.0 / 0.7 + 96.0 + (double)bag_bytes(per_value));
        mdl_add(pr, "numeric index", per_attr * p->numeric_attrs, false,
                "%u attribute(s): key map 16 B slots; per distinct value a btree slot (~23 B), "
                "a segment-tree share (~96 B) and a key bag",
                p->numeric_attrs);
    }
    if (p->text_attrs) {
        double postings = (double)p->live * p->text_postings;
        double text = TEXT_TERM_BYTES * (double)p->text_terms + TEXT_POSTING_BYTES * postings +
                      (TEXT_KEY_BYTES + 9.0 * p->text_attrs) * (double)p->live + TEXT_FIXED_BYTES;
        mdl_add(pr, "text index", text, false,
                "%llu terms x ~%d B, %.0f postings x ~%d B, %llu keys x ~%d B (estimate)",
                (unsigned long long)p->text_terms, TEXT_TERM_BYTES, postings, TEXT_POSTING_BYTES,
                (unsigned long long)p->live, TEXT_KEY_BYTES);
    }
}

void mdl_predict_1_2(const mdl_params *p, mdl_prediction *pr, uint64_t peak)
{
    uint64_t elements = p->live + p->deleted;
    uint64_t stored = p->algo == MDL_HNSW ? (peak < elements ? peak : elements) : p->live;
    if (p->algo == MDL_HNSW)
        hnsw(p, pr, peak);
    else
        flat(p, pr, peak);
    keys(p, pr, peak, stored);
    attrs(p, pr, peak);
}
