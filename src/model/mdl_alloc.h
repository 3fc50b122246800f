/* mdl_alloc: what one allocation, and the C++ containers valkey-search keeps
 * its index in, really cost on Valkey's jemalloc — the building blocks of the
 * memory model (mdl_vs.h).
 *
 * search_used_memory_bytes is the sum of malloc_usable_size() over the
 * module's live allocations (vmsdk's malloc wrappers round every request up
 * to 16 bytes and hand it to RedisModule_Alloc, i.e. jemalloc), so a model
 * that adds up requested sizes is off by the size-class rounding — up to 25 %
 * for one allocation, and 4 % on the 1.5 MB graph chunks.  These functions
 * reproduce the rounding and the growth policies of the containers. */
#ifndef MDL_ALLOC_H
#define MDL_ALLOC_H

#include <stddef.h>
#include <stdint.h>

/* jemalloc 5 size class of a request of n bytes (4 KiB pages, 16-byte
 * quantum, 4 classes per doubling, cache_oblivious off as in Valkey). */
uint64_t mdl_je_class(uint64_t n);

/* One module allocation of n bytes: 16-byte round-up, then the size class. */
uint64_t mdl_module_alloc(uint64_t n);

/* absl::flat_hash_map / flat_hash_set: capacity (2^k - 1) after inserting n
 * entries one by one (max load 7/8), and the bytes of its one backing
 * allocation (control bytes + slots) for slot_bytes per entry. */
uint64_t mdl_absl_capacity(uint64_t n);
uint64_t mdl_absl_bytes(uint64_t n, uint64_t slot_bytes);

/* libstdc++ std::unordered_map: bucket count after n inserts (max load 1.0),
 * and the bytes of nodes (node_bytes each) plus the bucket array. */
uint64_t mdl_stdmap_buckets(uint64_t n);
uint64_t mdl_stdmap_bytes(uint64_t n, uint64_t node_bytes, uint64_t peak_n);

/* libstdc++ std::deque of n elements of elem_bytes: 512-byte nodes and the
 * node map. */
uint64_t mdl_deque_bytes(uint64_t n, uint64_t elem_bytes);

/* libstdc++ std::vector grown by resize() from first to last in steps of
 * step elements (capacity = max(2 * size, new size) on each reallocation):
 * the capacity it ends with. */
uint64_t mdl_vector_capacity(uint64_t first, uint64_t last, uint64_t step);

#endif
