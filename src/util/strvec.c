/* strvec: a growable list of owned strings; see strvec.h. */
#include "strvec.h"

#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "vm_grow.h"

void sv_push_nodup(strvec *sv, char *s)
{
    VM_GROW(sv->v, sv->n + 2, sv->alloc);
    sv->v[sv->n++] = s;
    sv->v[sv->n] = NULL;
}

void sv_push(strvec *sv, const char *s)
{
    size_t len = strlen(s);
    char *d = vm_xrealloc(NULL, len + 1);
    memcpy(d, s, len + 1);
    sv_push_nodup(sv, d);
}

void sv_pushvf(strvec *sv, const char *fmt, va_list ap)
{
    strbuf sb = STRBUF_INIT;
    sb_vaddf(&sb, fmt, ap);
    sv_push_nodup(sv, sb_detach(&sb, NULL));
}

void sv_pushf(strvec *sv, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sv_pushvf(sv, fmt, ap);
    va_end(ap);
}

void sv_clear(strvec *sv)
{
    for (size_t i = 0; i < sv->n; i++)
        free(sv->v[i]);
    free(sv->v);
    sv->v = NULL;
    sv->n = sv->alloc = 0;
}
