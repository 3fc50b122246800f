/* ds_elem: the element types a vector file stores, their sizes and names —
 * shared by the readers of every format (ds_vecfile.h, ds_npy.h, ds_src.h)
 * without one reader needing another. */
#ifndef DS_ELEM_H
#define DS_ELEM_H

#include <stddef.h>

typedef enum ds_elem { DS_F32, DS_U8, DS_I8, DS_I32, DS_F64, DS_I64 } ds_elem;

static inline size_t ds_elem_size(ds_elem e) /* inline: once per vector sent */
{
    switch (e) {
    case DS_U8:
    case DS_I8:
        return 1;
    case DS_F64:
    case DS_I64:
        return 8;
    default:
        return 4;
    }
}
/* "float32", "uint8", ... */
const char *ds_elem_name(ds_elem e);

#endif
