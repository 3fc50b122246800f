/* mdl_alloc: see mdl_alloc.h.  The container policies below are those of
 * the libraries valkey-search 1.0.3 is built with (abseil LTS, GCC 12's
 * libstdc++); they were read from the libraries' documented behaviour and
 * checked by instrumenting the containers, not copied from their code. */
#include "mdl_alloc.h"

uint64_t mdl_je_class(uint64_t n)
{
    if (n == 0)
        return 0;
    if (n <= 8)
        return 8;
    if (n <= 128)
        return (n + 15) & ~(uint64_t)15;
    /* 2^lg < n <= 2^(lg+1): four classes in the group, 2^(lg-2) apart */
    unsigned lg = 63u - (unsigned)__builtin_clzll(n - 1);
    uint64_t delta = (uint64_t)1 << (lg - 2);
    return (n + delta - 1) / delta * delta;
}

uint64_t mdl_module_alloc(uint64_t n)
{
    return n ? mdl_je_class((n + 15) & ~(uint64_t)15) : 0;
}

uint64_t mdl_absl_capacity(uint64_t n)
{
    if (n == 0)
        return 0;
    uint64_t cap = 1;
    /* growth limit cap - cap/8 (7/8 load); on reaching it the table doubles */
    while (cap - cap / 8 < n)
        cap = cap * 2 + 1;
    return cap;
}

uint64_t mdl_absl_bytes(uint64_t n, uint64_t slot_bytes)
{
    uint64_t cap = mdl_absl_capacity(n);
    if (cap == 0)
        return 0;
    /* growth-info word, one control byte per slot + sentinel + 15 cloned
     * bytes for the 16-wide SSE group, padded to the slot alignment */
    uint64_t ctrl = (8 + cap + 1 + 15 + 7) & ~(uint64_t)7;
    return mdl_module_alloc(ctrl + cap * slot_bytes);
}

/* Bucket counts libstdc++ (GCC 12) picks while inserting one key at a time:
 * the next entry of its prime table at or above twice the previous count.
 * Measured with an instrumented std::unordered_map up to 5e7 keys; beyond
 * the table the ratio (~2.03) is extrapolated. */
static const uint64_t stdmap_buckets[] = {
    13,    29,    59,     127,    257,    541,     1109,    2357,    5087,     10273,    20753,
    42043, 85229, 172933, 351061, 712697, 1447153, 2938679, 5967347, 12117689, 24607243, 49969847,
};

uint64_t mdl_stdmap_buckets(uint64_t n)
{
    if (n == 0)
        return 1;
    size_t nb = sizeof(stdmap_buckets) / sizeof(stdmap_buckets[0]);
    for (size_t i = 0; i < nb; i++)
        if (stdmap_buckets[i] >= n)
            return stdmap_buckets[i];
    uint64_t b = stdmap_buckets[nb - 1];
    while (b < n)
        b = b * 203 / 100;
    return b;
}

uint64_t mdl_stdmap_bytes(uint64_t n, uint64_t node_bytes, uint64_t peak_n)
{
    if (peak_n < n)
        peak_n = n;
    /* the bucket array never shrinks: it is sized by the peak */
    uint64_t buckets = peak_n ? mdl_module_alloc(8 * mdl_stdmap_buckets(peak_n)) : 0;
    return n * mdl_module_alloc(node_bytes) + buckets;
}

uint64_t mdl_deque_bytes(uint64_t n, uint64_t elem_bytes)
{
    uint64_t per = elem_bytes < 512 ? 512 / elem_bytes : 1;
    uint64_t nodes = n / per + 1;
    uint64_t map_slots = nodes * 2 > 8 ? nodes * 2 : 8;
    return nodes * mdl_module_alloc(per * elem_bytes) + mdl_module_alloc(8 * map_slots);
}

uint64_t mdl_vector_capacity(uint64_t first, uint64_t last, uint64_t step)
{
    uint64_t size = first, cap = first;
    if (step == 0)
        return last > cap ? last : cap;
    while (size < last) {
        if (size + step > cap) { /* a reallocation */
            uint64_t want = size + step;
            cap = 2 * size > want ? 2 * size : want;
            size = want;
            continue;
        }
        /* the steps that still fit, taken at once */
        uint64_t room = (cap - size) / step, need = (last - size + step - 1) / step;
        size += (room < need ? room : need) * step;
    }
    return cap;
}
