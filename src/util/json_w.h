/* json_w: the one way the tool writes JSON (summary.json, `model --json`,
 * `query --json`, a prepared dataset's manifest.json).
 *
 * The documents are built as json-c objects (json-c also reads them back),
 * so strings are always escaped and keys come out in the order they were
 * added.  What this adds is the house form: pretty-printed with a two-space
 * indent, "key": value, '/' not escaped, and numbers as people read them —
 * whole numbers as integers, others with 6 significant digits (or as many
 * as the caller asks), a figure that was never measured (NaN, inf) as
 * null. */
#ifndef JSON_W_H
#define JSON_W_H

#include <json-c/json.h>

#include "vm_err.h"

#define JW_FLAGS                                                                                   \
    (JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE)

/* A number: NULL (json null) when not finite, an integer when whole and
 * below 9e15 in magnitude, else "%.6g". */
json_object *jw_num(double v);
/* The same with digits significant digits ("%.*g") for the non-whole. */
json_object *jw_num_sig(double v, int digits);
/* A number with exactly decimals digits after the point ("%.*f", e.g.
 * 1.000000), NULL (json null) when not finite. */
json_object *jw_num_fixed(double v, int decimals);
/* o[key] = v, v taken (json_object_object_add, keys kept in order). */
static inline void jw_add(json_object *o, const char *key, json_object *v)
{
    json_object_object_add(o, key, v);
}
/* An object of n numbers keys[i]: v[i], each as jw_num_fixed(v[i], decimals). */
json_object *jw_fixed_object(const char *const *keys, const double *v, size_t n, int decimals);
/* A string, or NULL (json null) for NULL. */
json_object *jw_str(const char *s);
/* The text of o in the house form, without a final newline; owned by o
 * (valid until o is put or printed again). */
const char *jw_text(json_object *o);
/* Write o's text and a newline to path whole: to path.tmp, then renamed
 * over path, so a reader never sees half a file.  On failure errno is the
 * failing call's. */
int jw_write_file(const char *path, json_object *o, vm_err *err);

#endif
