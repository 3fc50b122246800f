/* json_w: the one way the tool writes JSON (summary.json, `model --json`).
 *
 * The documents are built as json-c objects (json-c also reads them back in
 * the report), so strings are always escaped and keys come out in the order
 * they were added.  What this adds is the house form: pretty-printed with a
 * two-space indent, '/' not escaped, and numbers as people read them —
 * whole numbers as integers, others with 6 significant digits, a figure
 * that was never measured (NaN, inf) as null. */
#ifndef JSON_W_H
#define JSON_W_H

#include <json-c/json.h>

#include "vm_err.h"

#define JW_FLAGS (JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE)

/* A number: NULL (json null) when not finite, an integer when whole and
 * below 9e15 in magnitude, else "%.6g". */
json_object *jw_num(double v);
/* A string, or NULL (json null) for NULL. */
json_object *jw_str(const char *s);
/* The text of o in the house form, without a final newline; owned by o
 * (valid until o is put or printed again). */
const char *jw_text(json_object *o);
/* Write o's text and a newline to path whole: to path.tmp, then renamed
 * over path, so a reader never sees half a file. */
int jw_write_file(const char *path, json_object *o, vm_err *err);

#endif
