/* mon_fields: the set of a sample's numbers; see mon_fields.h. */
#include "mon_fields.h"

#include <stdlib.h>
#include <string.h>

#include "../util/vm_grow.h"

/* The unit and kind of f->name, once per field. */
static void describe(mon_field *f)
{
    f->unit = mon_unit_of(f->name);
    f->unit_name = mon_unit_name(f->unit);
    f->counter = mon_is_counter(f->name);
}

/* Slot n holds name (reused from an earlier fill when it was the same). */
static mon_field *slot_for(mon_fields *f, const char *name, size_t name_len)
{
    mon_field *s = &f->v[f->n];
    if (f->n < f->kept) {
        if (strlen(s->name) == name_len && !memcmp(s->name, name, name_len))
            return s;
        free(s->name);
    } else {
        f->kept = f->n + 1;
    }
    s->name = malloc(name_len + 1);
    if (!s->name)
        abort();
    memcpy(s->name, name, name_len);
    s->name[name_len] = '\0';
    describe(s);
    return s;
}

void mon_fields_add(mon_fields *f, const char *name, size_t name_len, double value)
{
    VM_GROW(f->v, f->n + 1, f->alloc);
    slot_for(f, name, name_len)->value = value;
    f->n++;
}

void mon_fields_set(mon_fields *f, const char *name, double value)
{
    for (size_t i = 0; i < f->n; i++)
        if (!strcmp(f->v[i].name, name)) {
            f->v[i].value = value;
            return;
        }
    mon_fields_add(f, name, strlen(name), value);
}

void mon_fields_clear(mon_fields *f)
{
    f->n = 0;
}

void mon_fields_free(mon_fields *f)
{
    size_t named = f->kept > f->n ? f->kept : f->n;
    for (size_t i = 0; i < named; i++)
        free(f->v[i].name);
    free(f->v);
    memset(f, 0, sizeof(*f));
}

const double *mon_fields_get(const mon_fields *f, const char *name)
{
    for (size_t i = 0; i < f->n; i++)
        if (!strcmp(f->v[i].name, name))
            return &f->v[i].value;
    return NULL;
}
