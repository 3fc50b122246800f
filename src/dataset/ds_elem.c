/* ds_elem: see ds_elem.h. */
#include "ds_elem.h"

const char *ds_elem_name(ds_elem e)
{
    switch (e) {
    case DS_F32:
        return "float32";
    case DS_U8:
        return "uint8";
    case DS_I8:
        return "int8";
    case DS_I32:
        return "int32";
    case DS_F64:
        return "float64";
    case DS_I64:
        return "int64";
    }
    return "?";
}
