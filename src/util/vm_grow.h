/* vm_grow: growing arrays, so no module writes its own realloc dance.
 *
 * Policy (strbuf's): allocation failure aborts after one line on stderr,
 * "valkey-memstress: out of memory" — the tool cannot do anything useful
 * without memory, and a caller that checks every push gains nothing.  A size
 * whose byte count would overflow size_t counts as a failed allocation.
 *
 *     VM_GROW(list->v, list->n + 1, list->cap);
 *     list->v[list->n++] = x;
 */
#ifndef VM_GROW_H
#define VM_GROW_H

#include <stddef.h>

/* realloc(p, n) that never returns NULL (n == 0 still gives a pointer). */
void *vm_xrealloc(void *p, size_t n);
/* p resized to n elements of elem bytes; aborts on overflow or ENOMEM. */
void *vm_xrealloc_array(void *p, size_t n, size_t elem);
/* p (cap elements of elem bytes, cap may be 0 with p NULL) made to hold at
 * least need elements: unchanged when need <= *cap, else reallocated to
 * max(need, 2 * *cap, 8) elements and *cap updated.  Elements past the old
 * *cap are not initialised.  Returns the (possibly moved) array. */
void *vm_grow(void *p, size_t *cap, size_t need, size_t elem);

/* Grow array ptr (an lvalue, typed) to hold need elements; cap is its
 * capacity lvalue, of any integer type. */
#define VM_GROW(ptr, need, cap)                                                                    \
    do {                                                                                           \
        size_t vm_grow_cap_ = (size_t)(cap);                                                       \
        (ptr) = vm_grow((ptr), &vm_grow_cap_, (size_t)(need), sizeof(*(ptr)));                     \
        (cap) = vm_grow_cap_;                                                                      \
    } while (0)

#endif
