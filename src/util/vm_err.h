/* vm_err: the error value every engine module returns through.
 *
 * The engine never prints or exits (STYLE.md, after curl's lib/): a failing
 * call fills a vm_err with one human line naming the input at fault and
 * returns -1 (or NULL).  Only the CLI decides how to show it.
 *
 * Errors speak of the thing, not of a flag.  Below cli/ and scenario/ a
 * message never names a command-line option ("fraction 1.5 is not in [0,
 * 1]", not "--fraction 1.5: ...") because the same call serves the command
 * line and a YAML scenario.  When one parameter of the call is at fault, the
 * module says which with vm_err_param(): err->param is a stable name, and
 * the layer that knows the user's words adds them when it shows the error —
 * the CLI the option ("--fraction: fraction 1.5 is not in [0, 1]"), the
 * scenario runner the file:line:col and key of the YAML.
 *
 * Parameter names are the YAML scenario's keys where one exists: a step's
 * keys bare ("fraction", "count", "copy", "copies"), the scenario's own as a
 * path from its root ("index.name", "index.algorithm", "dataset").  Others
 * name the thing in snake_case ("dim", "cacert", "state").  A param is a
 * string literal (it is never freed or copied). */
#ifndef VM_ERR_H
#define VM_ERR_H

#include <stdarg.h>

typedef struct vm_err {
    int code;          /* 0 = no error; otherwise a VM_E* class */
    char msg[512];     /* one line, no trailing newline */
    const char *param; /* the parameter at fault (see above), or NULL */
} vm_err;

enum {
    VM_EOK = 0,
    VM_EINPUT,  /* bad user input: option, file, value */
    VM_EIO,     /* file or socket I/O */
    VM_ECONN,   /* cannot connect / connection lost */
    VM_EAUTH,   /* authentication refused */
    VM_ESERVER, /* server answered an error */
    VM_ENOMEM,
    VM_EINTERNAL,
};

/* Set err (if not NULL) from a printf format, with no param; always
 * returns -1. */
int vm_err_set(vm_err *err, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The same, naming the parameter at fault (a string literal). */
int vm_err_param(vm_err *err, const char *param, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Prefix an existing message: "ctx: old message"; the param stays.
 * Returns -1. */
int vm_err_prefix(vm_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vm_err_clear(vm_err *err);

#endif
