/* mdl_common: the model's shared parts; see mdl_int.h. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>

#include "mdl_int.h"

void mdl_add(mdl_prediction *pr, const char *name, double bytes, bool keyspace, const char *fmt,
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

uint64_t mdl_ceil_div(uint64_t a, uint64_t b)
{
    return b ? (a + b - 1) / b : 0;
}

uint64_t mdl_grown_capacity(uint64_t initial, uint64_t block, uint64_t n)
{
    if (n <= initial)
        return initial;
    return initial + mdl_ceil_div(n - initial, block) * block;
}

uint64_t mdl_vec_slot(const mdl_params *p)
{
    return ((uint64_t)p->dim * p->elem_bytes + 1 + 7) & ~(uint64_t)7;
}

uint64_t mdl_vec_per_chunk(const mdl_params *p)
{
    uint64_t k = (uint64_t)PAGE_BYTES * VEC_CHUNK_PAGES / mdl_vec_slot(p);
    return k < VEC_CHUNK_MIN_ENTRIES ? VEC_CHUNK_MIN_ENTRIES : k;
}

void mdl_vector_chunks(const mdl_params *p, mdl_prediction *pr, uint64_t stored, double chunks)
{
    uint64_t slot = mdl_vec_slot(p), per_chunk = mdl_vec_per_chunk(p);
    if (chunks < 0)
        chunks = (double)mdl_ceil_div(stored, per_chunk);
    uint64_t chunk_bytes = mdl_module_alloc(per_chunk * slot);
    mdl_add(pr, "vectors", chunks * (double)(chunk_bytes + VEC_CHUNK_OVERHEAD), false,
            "%.0f chunks of %llu slots x %llu B (%llu B allocated each) + %d B chunk bookkeeping",
            chunks, (unsigned long long)per_chunk, (unsigned long long)slot,
            (unsigned long long)chunk_bytes, VEC_CHUNK_OVERHEAD);
}

/* a chunk of k slots is freed only when all k are free */
double mdl_flat_vector_chunks(const mdl_params *p, uint64_t peak)
{
    uint64_t k = mdl_vec_per_chunk(p);
    if (peak == 0)
        return 0;
    double full = (double)mdl_ceil_div(peak, k);
    double live_chunks = (double)mdl_ceil_div(p->live, k);
    double q = 1.0 - (double)p->live / (double)peak; /* chance a slot is free */
    double kept = full * (1.0 - pow(q, (double)k));
    return kept > live_chunks ? kept : live_chunks;
}

void mdl_flat_core(const mdl_params *p, mdl_prediction *pr, uint64_t peak)
{
    uint64_t cap = mdl_grown_capacity(p->initial_cap, p->block_size, peak);
    pr->capacity = cap;
    pr->elements = p->live; /* removePoint compacts the slot array */
    mdl_vector_chunks(p, pr, p->live, mdl_flat_vector_chunks(p, peak));
    uint64_t chunks = mdl_ceil_div(cap, GRAPH_CHUNK);
    mdl_add(pr, "FLAT slot array", (double)(chunks * mdl_module_alloc(GRAPH_CHUNK * 16)), false,
            "%llu slots x 16 B (vector pointer + label), %llu chunks of %d",
            (unsigned long long)cap, (unsigned long long)chunks, GRAPH_CHUNK);
    mdl_add(pr, "FLAT label map", (double)mdl_stdmap_bytes(p->live, 8 + 16, peak), false,
            "std::unordered_map label -> slot: %llu nodes + buckets for %llu",
            (unsigned long long)p->live, (unsigned long long)peak);
}

void mdl_hnsw_upper(const mdl_params *p, mdl_prediction *pr, uint64_t elements)
{
    double upper = 0, levels = 0;
    uint64_t per_level = (uint64_t)p->m * 4 + 4;
    for (int l = 1; l < 64; l++) {
        double pl = pow((double)p->m, -l) - pow((double)p->m, -(l + 1));
        if (pl < 1e-15)
            break;
        upper += pl * (double)mdl_module_alloc(per_level * (uint64_t)l + 1);
        levels += pl * l;
    }
    mdl_add(pr, "HNSW upper levels", upper * (double)elements, false,
            "%llu nodes x %.2f B: %.4f levels per node (1/(M-1)) of %llu B, one allocation each",
            (unsigned long long)elements, upper, levels, (unsigned long long)per_level);
}

void mdl_hnsw_per_slot(const mdl_params *p, mdl_prediction *pr, uint64_t cap)
{
    uint64_t chunks = mdl_ceil_div(cap, GRAPH_CHUNK);
    uint64_t lists = p->live + p->deleted > 0 ? p->threads : 1;
    uint64_t levels_cap = mdl_vector_capacity(p->initial_cap, cap, p->block_size);
    double per_slot = (double)mdl_module_alloc(cap * MUTEX_BYTES) +
                      (double)mdl_module_alloc(levels_cap * 4) +
                      (double)(chunks * mdl_module_alloc(GRAPH_CHUNK * 8)) +
                      (double)(lists * mdl_module_alloc(cap * 2));
    mdl_add(pr, "HNSW per-slot arrays", per_slot, false,
            "%llu slots: lock 40 B, level 4 B, link pointer 8 B, %llu visited list(s) x 2 B",
            (unsigned long long)cap, (unsigned long long)lists);
}

void mdl_hnsw_shared(const mdl_params *p, mdl_prediction *pr, uint64_t elements, uint64_t cap)
{
    mdl_hnsw_upper(p, pr, elements);
    mdl_hnsw_per_slot(p, pr, cap);
    mdl_add(pr, "HNSW label lookup", (double)mdl_stdmap_bytes(elements, 8 + 16, elements), false,
            "std::unordered_map label -> slot: %llu nodes x %llu B + %llu buckets x 8 B",
            (unsigned long long)elements, (unsigned long long)mdl_module_alloc(24),
            (unsigned long long)mdl_stdmap_buckets(elements));
}

/* Calibrated on the reference transcripts (Valkey 8.x, 512-byte values): a
 * DEL frees ~806 B per key and a load adds ~820 B.  Structure: the value
 * string (sds, 5-byte header), the key object with the key embedded, the
 * field entry, the hash's table, and a share of the keyspace table's
 * buckets. */
void mdl_keyspace(const mdl_params *p, mdl_prediction *pr)
{
    uint64_t value = (uint64_t)p->dim * p->elem_bytes;
    uint64_t per_key = mdl_je_class(value + 6) + mdl_je_class(24 + p->key_bytes + 4) +
                       mdl_je_class(p->field_bytes + 32) + 64 + 10;
    mdl_add(pr, "keyspace hashes (estimate)", (double)(p->live * per_key), true,
            "%llu hashes x %llu B: %llu-byte value, key, field, tables (Valkey 8.x, +-10 %%)",
            (unsigned long long)p->live, (unsigned long long)per_key, (unsigned long long)value);
}
