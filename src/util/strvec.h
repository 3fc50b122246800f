/* strvec: a growable list of owned strings (after git's strvec.h), for the
 * lists of notes, findings and file names that modules collect.  v[n] is
 * always NULL once anything was pushed; allocation failure aborts
 * (vm_grow.h's policy). */
#ifndef STRVEC_H
#define STRVEC_H

#include <stdarg.h>
#include <stddef.h>

typedef struct strvec {
    char **v; /* n strings, then NULL; NULL while empty */
    size_t n;
    size_t alloc;
} strvec;

#define STRVEC_INIT                                                                                \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

/* Append a copy of s. */
void sv_push(strvec *sv, const char *s);
/* Append s itself (malloc'd; the list owns it from now). */
void sv_push_nodup(strvec *sv, char *s);
void sv_pushf(strvec *sv, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sv_pushvf(strvec *sv, const char *fmt, va_list ap);
/* Free every string and the list; sv is empty again. */
void sv_clear(strvec *sv);

#endif
