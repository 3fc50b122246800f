/* vm_err: the error value every engine module returns through.
 *
 * The engine never prints or exits (STYLE.md, after curl's lib/): a failing
 * call fills a vm_err with one human line naming the input at fault and
 * returns -1 (or NULL).  Only the CLI decides how to show it. */
#ifndef VM_ERR_H
#define VM_ERR_H

#include <stdarg.h>

typedef struct vm_err {
    int code;       /* 0 = no error; otherwise a VM_E* class */
    char msg[512];  /* one line, no trailing newline */
} vm_err;

enum {
    VM_EOK = 0,
    VM_EINPUT,    /* bad user input: option, file, value */
    VM_EIO,       /* file or socket I/O */
    VM_ECONN,     /* cannot connect / connection lost */
    VM_EAUTH,     /* authentication refused */
    VM_ESERVER,   /* server answered an error */
    VM_ENOMEM,
    VM_EINTERNAL,
};

/* Set err (if not NULL) from a printf format; always returns -1. */
int vm_err_set(vm_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Prefix an existing message: "ctx: old message". Returns -1. */
int vm_err_prefix(vm_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void vm_err_clear(vm_err *err);

#endif
