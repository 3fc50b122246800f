/* mdl_vs: see mdl_vs.h.  Every constant below names the structure it comes
 * from in valkey-search 1.0.3; sizes are those of a 64-bit build with GCC's
 * libstdc++ (std::mutex 40 B, shared_ptr 16 B, control block 24 B). */
#include "mdl_vs.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "mdl_alloc.h"

enum {
    PAGE_BYTES = 4096,
    VEC_CHUNK_PAGES = 10, /* FixedSizeAllocator: 10 pages per chunk */
    VEC_CHUNK_MIN_ENTRIES = 8,
    /* per vector chunk: AllocatorChunk (120 B -> 128), its free-list deque
     * (map 64 B + one 512 B node left once the slots are handed out), and the
     * chunk tracker's std::map node (48 B) */
    VEC_CHUNK_OVERHEAD = 128 + 64 + 512 + 48,
    INTERNED_OBJ = 24,       /* InternedString: data ptr, length, 2 flags */
    CONTROL_BLOCK = 24,      /* shared_ptr<T>(new T): vptr + counts + ptr */
    GRAPH_CHUNK = 10 * 1024, /* hnswlib ChunkedArray elements per chunk */
    MUTEX_BYTES = 40,
    LABEL_LOCKS = 65536, /* HierarchicalNSW::MAX_LABEL_OPERATION_LOCKS */
    /* index schema, attribute and thread bookkeeping: the module memory an
     * FT.CREATE adds beyond the structures modelled here, measured in the
     * reference transcript 05-bench (4,803,504 B after FT.CREATE minus the
     * modelled 4,796,992 B) */
    SCHEMA_BYTES = 6512,
};

void mdl_params_defaults(mdl_params *p)
{
    memset(p, 0, sizeof(*p));
    p->algo = MDL_HNSW;
    p->elem_bytes = 4;
    p->m = 16;
    p->initial_cap = 10240;
    p->block_size = mdl_default_block(MDL_HNSW);
    p->key_bytes = 10;
    p->field_bytes = 6;
    p->threads = 2;
    p->tag_bytes = 8;
}

uint64_t mdl_default_block(mdl_algo a)
{
    /* HNSW grows by the module config hnsw-block-size (10240); FLAT by the
     * FT.CREATE BLOCK_SIZE parameter (1024) */
    return a == MDL_HNSW ? 10240 : 1024;
}

int mdl_parse_algo(const char *s, mdl_algo *out, vm_err *err)
{
    if (s && !strcasecmp(s, "HNSW"))
        *out = MDL_HNSW;
    else if (s && !strcasecmp(s, "FLAT"))
        *out = MDL_FLAT;
    else
        return vm_err_set(err, VM_EINPUT, "--algorithm: '%s' is not HNSW or FLAT", s ? s : "");
    return 0;
}

int mdl_parse_type(const char *s, uint32_t *elem_bytes, vm_err *err)
{
    if (s && !strcasecmp(s, "FLOAT32")) {
        *elem_bytes = 4;
        return 0;
    }
    return vm_err_set(err, VM_EINPUT,
                      "--type: '%s' is not modelled (valkey-search 1.0.3 has FLOAT32 only)",
                      s ? s : "");
}

const char *mdl_algo_name(mdl_algo a)
{
    return a == MDL_HNSW ? "HNSW" : "FLAT";
}

static void add(mdl_prediction *pr, const char *name, double bytes, bool keyspace, const char *fmt,
                ...) __attribute__((format(printf, 5, 6)));

static void add(mdl_prediction *pr, const char *name, double bytes, bool keyspace, const char *fmt,
                ...)
{
    if (pr->n >= MDL_MAX_COMPONENTS)
        return;
    mdl_component *c = &pr->c[pr->n++];
    c->name = name;
    c->bytes = bytes;
    c->keyspace = keyspace;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->layout, sizeof(c->layout), fmt, ap);
    va_end(ap);
    if (keyspace)
        pr->keyspace_bytes += bytes;
    else
        pr->module_bytes += bytes;
}

static uint64_t ceil_div(uint64_t a, uint64_t b)
{
    return b ? (a + b - 1) / b : 0;
}

/* Capacity after growing from initial by block until n elements fit. */
static uint64_t grown_capacity(uint64_t initial, uint64_t block, uint64_t n)
{
    if (n <= initial)
        return initial;
    return initial + ceil_div(n - initial, block) * block;
}

/* The interned vectors: fixed-size slots in chunks, and their handles. */
static void model_vectors(const mdl_params *p, mdl_prediction *pr, uint64_t stored, double chunks)
{
    uint64_t slot = ((uint64_t)p->dim * p->elem_bytes + 1 + 7) & ~(uint64_t)7;
    uint64_t per_chunk = (uint64_t)PAGE_BYTES * VEC_CHUNK_PAGES / slot;
    if (per_chunk < VEC_CHUNK_MIN_ENTRIES)
        per_chunk = VEC_CHUNK_MIN_ENTRIES;
    if (chunks < 0)
        chunks = (double)ceil_div(stored, per_chunk);
    uint64_t chunk_bytes = mdl_module_alloc(per_chunk * slot);
    add(pr, "vectors", chunks * (double)(chunk_bytes + VEC_CHUNK_OVERHEAD), false,
        "%.0f chunks of %llu slots x %llu B (%llu B allocated each) + %d B chunk bookkeeping",
        chunks, (unsigned long long)per_chunk, (unsigned long long)slot,
        (unsigned long long)chunk_bytes, VEC_CHUNK_OVERHEAD);
    uint64_t handle = mdl_module_alloc(INTERNED_OBJ) + mdl_module_alloc(CONTROL_BLOCK);
    add(pr, "vector handles", (double)(stored * handle), false,
        "%llu interned vectors x %llu B (InternedString + shared_ptr control block)",
        (unsigned long long)stored, (unsigned long long)handle);
}

/* Vectors a FLAT index still holds chunks for after random deletes: a chunk
 * of k slots is freed only when all k are free. */
static double flat_vector_chunks(const mdl_params *p, uint64_t peak)
{
    uint64_t slot = ((uint64_t)p->dim * p->elem_bytes + 1 + 7) & ~(uint64_t)7;
    uint64_t k = (uint64_t)PAGE_BYTES * VEC_CHUNK_PAGES / slot;
    if (k < VEC_CHUNK_MIN_ENTRIES)
        k = VEC_CHUNK_MIN_ENTRIES;
    double full = (double)ceil_div(peak, k);
    double live_chunks = (double)ceil_div(p->live, k);
    if (peak == 0)
        return 0;
    double q = 1.0 - (double)p->live / (double)peak; /* chance a slot is free */
    double kept = full * (1.0 - pow(q, (double)k));
    return kept > live_chunks ? kept : live_chunks;
}

static void model_hnsw(const mdl_params *p, mdl_prediction *pr, uint64_t peak)
{
    uint64_t elements = p->live + p->deleted; /* tombstones keep their slot */
    uint64_t cap = grown_capacity(p->initial_cap, p->block_size, elements);
    pr->capacity = cap;
    pr->elements = elements;
    model_vectors(p, pr, elements, -1);

    uint64_t max_m0 = 2ull * p->m;
    uint64_t rec = max_m0 * 4 + 4 + 8 + 8;
    uint64_t chunks = ceil_div(cap, GRAPH_CHUNK);
    uint64_t chunk_bytes = mdl_module_alloc(GRAPH_CHUNK * rec);
    add(pr, "HNSW level 0", (double)(chunks * chunk_bytes), false,
        "%llu slots x %llu B (%llu links x 4 + count 4 + vector ptr 8 + label 8), "
        "%llu chunks of %d",
        (unsigned long long)cap, (unsigned long long)rec, (unsigned long long)max_m0,
        (unsigned long long)chunks, GRAPH_CHUNK);

    double upper = 0, levels = 0;
    uint64_t per_level = (uint64_t)p->m * 4 + 4;
    for (int l = 1; l < 64; l++) {
        double pl = pow((double)p->m, -l) - pow((double)p->m, -(l + 1));
        if (pl < 1e-15)
            break;
        upper += pl * (double)mdl_module_alloc(per_level * (uint64_t)l + 1);
        levels += pl * l;
    }
    add(pr, "HNSW upper levels", upper * (double)elements, false,
        "%llu nodes x %.2f B: %.4f levels per node (1/(M-1)) of %llu B, one allocation each",
        (unsigned long long)elements, upper, levels, (unsigned long long)per_level);

    uint64_t lists = p->live + p->deleted > 0 ? p->threads : 1;
    uint64_t levels_cap = mdl_vector_capacity(p->initial_cap, cap, p->block_size);
    double per_slot = (double)mdl_module_alloc(cap * MUTEX_BYTES) +
                      (double)mdl_module_alloc(levels_cap * 4) +
                      (double)(chunks * mdl_module_alloc(GRAPH_CHUNK * 8)) +
                      (double)(lists * mdl_module_alloc(cap * 2));
    add(pr, "HNSW per-slot arrays", per_slot, false,
        "%llu slots: lock 40 B, level 4 B, link pointer 8 B, %llu visited list(s) x 2 B",
        (unsigned long long)cap, (unsigned long long)lists);

    add(pr, "HNSW label lookup", (double)mdl_stdmap_bytes(elements, 8 + 16, elements), false,
        "std::unordered_map label -> slot: %llu nodes x %llu B + %llu buckets x 8 B",
        (unsigned long long)elements, (unsigned long long)mdl_module_alloc(24),
        (unsigned long long)mdl_stdmap_buckets(elements));
    add(pr, "HNSW tracked vectors", (double)mdl_deque_bytes(elements, 16), false,
        "std::deque of %llu 16-byte handles; deletes never shrink it",
        (unsigned long long)elements);
    add(pr, "index fixed", (double)(mdl_module_alloc(LABEL_LOCKS * MUTEX_BYTES) + SCHEMA_BYTES),
        false, "%d label locks x 40 B + schema bookkeeping %d B", LABEL_LOCKS, SCHEMA_BYTES);
    (void)peak;
}

static void model_flat(const mdl_params *p, mdl_prediction *pr, uint64_t peak)
{
    uint64_t cap = grown_capacity(p->initial_cap, p->block_size, peak);
    pr->capacity = cap;
    pr->elements = p->live; /* removePoint compacts the slot array */
    uint64_t slot = ((uint64_t)p->dim * p->elem_bytes + 1 + 7) & ~(uint64_t)7;
    (void)slot;
    model_vectors(p, pr, p->live, flat_vector_chunks(p, peak));
    uint64_t chunks = ceil_div(cap, GRAPH_CHUNK);
    add(pr, "FLAT slot array", (double)(chunks * mdl_module_alloc(GRAPH_CHUNK * 16)), false,
        "%llu slots x 16 B (vector pointer + label), %llu chunks of %d", (unsigned long long)cap,
        (unsigned long long)chunks, GRAPH_CHUNK);
    add(pr, "FLAT label map", (double)mdl_stdmap_bytes(p->live, 8 + 16, peak), false,
        "std::unordered_map label -> slot: %llu nodes + buckets for %llu",
        (unsigned long long)p->live, (unsigned long long)peak);
    add(pr, "FLAT tracked vectors", (double)mdl_absl_bytes(peak, 24), false,
        "flat_hash_map id -> vector, %llu slots x 24 B",
        (unsigned long long)mdl_absl_capacity(peak));
    add(pr, "index fixed", SCHEMA_BYTES, false, "schema bookkeeping %d B", SCHEMA_BYTES);
}

/* Structures shared by both algorithms: the key maps and interned strings. */
static void model_keys(const mdl_params *p, mdl_prediction *pr, uint64_t peak)
{
    add(pr, "key -> id map", (double)mdl_absl_bytes(peak, 32), false,
        "flat_hash_map key -> {id, magnitude}: capacity %llu x 32 B (sized by the peak %llu)",
        (unsigned long long)mdl_absl_capacity(peak), (unsigned long long)peak);
    add(pr, "id -> key map", (double)mdl_absl_bytes(peak, 24), false,
        "flat_hash_map id -> key: capacity %llu x 24 B",
        (unsigned long long)mdl_absl_capacity(peak));
    uint64_t key = mdl_module_alloc(INTERNED_OBJ) + mdl_module_alloc(CONTROL_BLOCK) +
                   mdl_module_alloc(p->key_bytes + 1);
    add(pr, "interned keys", (double)(p->live * key), false,
        "%llu keys x %llu B (object + control block + %u-byte string)", (unsigned long long)p->live,
        (unsigned long long)key, p->key_bytes);
    uint64_t vectors = p->algo == MDL_HNSW ? p->live + p->deleted : peak;
    uint64_t tags =
        p->tag_attrs ? (uint64_t)p->tag_attrs * (p->tag_distinct ? p->tag_distinct : 100) : 0;
    uint64_t entries = peak + vectors + tags;
    add(pr, "string intern table", (double)mdl_absl_bytes(entries, 32), false,
        "flat_hash_map string -> weak_ptr over %llu keys and vectors: capacity %llu x 32 B",
        (unsigned long long)entries, (unsigned long long)mdl_absl_capacity(entries));
}

/* TAG and NUMERIC attributes (layout-based, not calibrated). */
static void model_attrs(const mdl_params *p, mdl_prediction *pr, uint64_t peak)
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
        add(pr, "tag index", per_attr * p->tag_attrs, false,
            "%u attribute(s): key map 64 B slots, a tag set per key, %llu tree nodes with key sets",
            p->tag_attrs, (unsigned long long)distinct);
    }
    if (p->numeric_attrs) {
        uint64_t distinct = p->numeric_distinct ? p->numeric_distinct : (p->live ? p->live : 1);
        uint64_t per_value = p->live / distinct + 1;
        double per_attr =
            (double)mdl_absl_bytes(peak, 24) +
            (double)distinct * (40.0 / 0.75 + 80.0 + (double)mdl_absl_bytes(per_value, 16));
        add(pr, "numeric index", per_attr * p->numeric_attrs, false,
            "%u attribute(s): key map 24 B slots; per distinct value a btree slot (~53 B), "
            "a segment-tree share (~80 B) and a key set",
            p->numeric_attrs);
    }
}

/* Valkey's hash per key (outside the module).  Calibrated on the reference
 * transcripts (Valkey 8.x, 512-byte values): a DEL frees ~806 B per key and a
 * load adds ~820 B.  Structure: the value string (sds, 5-byte header),
 * the key object with the key embedded, the field entry, the hash's table,
 * and a share of the keyspace table's buckets. */
static void model_keyspace(const mdl_params *p, mdl_prediction *pr)
{
    uint64_t value = (uint64_t)p->dim * p->elem_bytes;
    uint64_t per_key = mdl_je_class(value + 6) + mdl_je_class(24 + p->key_bytes + 4) +
                       mdl_je_class(p->field_bytes + 32) + 64 + 10;
    add(pr, "keyspace hashes (estimate)", (double)(p->live * per_key), true,
        "%llu hashes x %llu B: %llu-byte value, key, field, tables (Valkey 8.x, +-10 %%)",
        (unsigned long long)p->live, (unsigned long long)per_key, (unsigned long long)value);
}

int mdl_predict(const mdl_params *p, mdl_prediction *out, vm_err *err)
{
    memset(out, 0, sizeof(*out));
    if (p->dim == 0 || p->dim > 65536)
        return vm_err_set(err, VM_EINPUT, "--dim: %u is not in [1, 65536]", p->dim);
    if (p->elem_bytes == 0)
        return vm_err_set(err, VM_EINPUT, "--type: element size is 0");
    if (p->algo == MDL_HNSW && (p->m < 2 || p->m > 10000))
        return vm_err_set(err, VM_EINPUT, "--m: %u is not in [2, 10000]", p->m);
    if (p->initial_cap == 0)
        return vm_err_set(err, VM_EINPUT, "--initial-cap: must be more than 0");
    if (p->block_size == 0)
        return vm_err_set(err, VM_EINPUT, "--block-size: must be more than 0");
    if (p->threads == 0)
        return vm_err_set(err, VM_EINPUT, "--module-threads: must be more than 0");
    /* 2^40 vectors is far beyond any server; larger counts are garbage */
    const uint64_t max_vectors = (uint64_t)1 << 40;
    if (p->live > max_vectors || p->deleted > max_vectors || p->peak_live > max_vectors)
        return vm_err_set(err, VM_EINPUT, "--vectors / --deleted / --peak: more than 2^40 vectors");
    uint64_t peak = p->peak_live ? p->peak_live : p->live + p->deleted;
    if (peak < p->live)
        peak = p->live;
    if (p->algo == MDL_HNSW)
        model_hnsw(p, out, peak);
    else
        model_flat(p, out, peak);
    model_keys(p, out, peak);
    model_attrs(p, out, peak);
    model_keyspace(p, out);
    return 0;
}

double mdl_component_bytes(const mdl_prediction *pr, const char *name)
{
    for (int i = 0; i < pr->n; i++)
        if (!strcmp(pr->c[i].name, name))
            return pr->c[i].bytes;
    return 0;
}
