/* mdl_int: what the release layouts of the memory model (mdl_vs10.c,
 * mdl_vs12.c) share — the component list, capacities, the interned vector
 * chunks, the HNSW parts no release changed, and the keyspace estimate.
 * Sizes are those of a 64-bit build with GCC's libstdc++ (std::mutex 40 B,
 * shared_ptr 16 B, control block 24 B) and abseil 2024. */
#ifndef MDL_INT_H
#define MDL_INT_H

#include "mdl_alloc.h"
#include "mdl_vs.h"

enum {
    PAGE_BYTES = 4096,
    VEC_CHUNK_PAGES = 10, /* FixedSizeAllocator: 10 pages per chunk */
    VEC_CHUNK_MIN_ENTRIES = 8,
    /* per vector chunk: AllocatorChunk (120 B -> 128), its free-list deque
     * (map 64 B + one 512 B node left once the slots are handed out), and the
     * chunk tracker's std::map node (48 B) */
    VEC_CHUNK_OVERHEAD = 128 + 64 + 512 + 48,
    GRAPH_CHUNK = 10 * 1024, /* hnswlib ChunkedArray elements per chunk */
    MUTEX_BYTES = 40,
    LABEL_LOCKS = 65536, /* HierarchicalNSW::MAX_LABEL_OPERATION_LOCKS */
};

void mdl_add(mdl_prediction *pr, const char *name, double bytes, bool keyspace, const char *fmt,
             ...) __attribute__((format(printf, 5, 6)));
uint64_t mdl_ceil_div(uint64_t a, uint64_t b);
/* Capacity after growing from initial by block until n elements fit. */
uint64_t mdl_grown_capacity(uint64_t initial, uint64_t block, uint64_t n);
/* A vector's FixedSizeAllocator slot (dim * elem + 1, rounded to 8) and
 * the slots of one 40 KiB chunk. */
uint64_t mdl_vec_slot(const mdl_params *p);
uint64_t mdl_vec_per_chunk(const mdl_params *p);
/* "vectors": the chunks holding `stored` vectors (chunks < 0: as many as
 * they fill), each with its bookkeeping. */
void mdl_vector_chunks(const mdl_params *p, mdl_prediction *pr, uint64_t stored, double chunks);
/* Chunks a FLAT index still holds after random deletes from peak. */
double mdl_flat_vector_chunks(const mdl_params *p, uint64_t peak);
/* FLAT's parts no release changed: the vector chunks, the slot array
 * (allocated by capacity, compacted on delete) and the label map. */
void mdl_flat_core(const mdl_params *p, mdl_prediction *pr, uint64_t peak);
/* HNSW upper levels of `elements` nodes (P(level >= l) = M^-l, one
 * allocation of (4M+4)*level+1 bytes per node above 0), and the per-slot
 * arrays of cap slots (lock, level, link pointer, visited lists). */
void mdl_hnsw_upper(const mdl_params *p, mdl_prediction *pr, uint64_t elements);
void mdl_hnsw_per_slot(const mdl_params *p, mdl_prediction *pr, uint64_t cap);
/* The HNSW parts no release changed: upper levels, per-slot arrays and
 * the label -> slot map (tombstones keep their entries). */
void mdl_hnsw_shared(const mdl_params *p, mdl_prediction *pr, uint64_t elements, uint64_t cap);
/* Valkey's hashes that carry the vectors (outside the module). */
void mdl_keyspace(const mdl_params *p, mdl_prediction *pr);

/* The layouts: every module component of one release; peak is the most
 * keys the index held at once. */
void mdl_predict_1_0(const mdl_params *p, mdl_prediction *pr, uint64_t peak);
void mdl_predict_1_2(const mdl_params *p, mdl_prediction *pr, uint64_t peak);

#endif
