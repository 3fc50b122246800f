/* mon_fields: the monitor's one currency — the set of numbers a node's
 * sample holds, which every source (INFO, MEMORY STATS, MALLOC-STATS,
 * FT.INFO, /proc, the derived figures) appends to and every exporter (the
 * CSV files, the pushgateway, the run summary) reads.
 *
 * A field carries what its name means along with its value: its unit (the
 * enum, and the name the long CSV and the units sidecar print) and whether
 * it is a counter, decided once by mon_units.h's rules when the field is
 * added, so no exporter asks again per row.
 *
 * The sampler refills one set per node sample (mon_fields_clear, then the
 * sources add): a cleared set keeps its names and units, and a field added
 * at the position where the previous sample had the same name reuses them,
 * so a steady server costs no allocation and no unit rule per field. */
#ifndef MON_FIELDS_H
#define MON_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

#include "mon_units.h"

typedef struct mon_field {
    char *name;
    double value;
    mon_unit unit;
    const char *unit_name; /* mon_unit_name(unit): "bytes", "ratio", ... */
    bool counter;          /* only grows while the server runs (mon_is_counter) */
} mon_field;

/* v[0..n) are the fields; v[n..kept) are names of an earlier fill, kept
 * for reuse.  A zeroed struct is an empty set. */
typedef struct mon_fields {
    mon_field *v;
    size_t n, kept, alloc;
} mon_fields;

/* Append a field (name is name_len bytes, not NUL-terminated). */
void mon_fields_add(mon_fields *f, const char *name, size_t name_len, double value);
/* Add or overwrite a field named by a C string (derived values). */
void mon_fields_set(mon_fields *f, const char *name, double value);
/* Empty the set (names and units are kept for the next fill). */
void mon_fields_clear(mon_fields *f);
void mon_fields_free(mon_fields *f);
/* Value of name, or NULL. */
const double *mon_fields_get(const mon_fields *f, const char *name);

#endif
