/* vm_err: formatting of the engine's error values. */
#include "vm_err.h"

#include <stdio.h>
#include <string.h>

static int set_v(vm_err *err, const char *param, int code, const char *fmt, va_list ap)
{
    if (!err)
        return -1;
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    err->code = code ? code : VM_EINTERNAL;
    err->param = param;
    return -1;
}

int vm_err_set(vm_err *err, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_v(err, NULL, code, fmt, ap);
    va_end(ap);
    return -1;
}

int vm_err_param(vm_err *err, const char *param, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    set_v(err, param, code, fmt, ap);
    va_end(ap);
    return -1;
}

int vm_err_prefix(vm_err *err, const char *fmt, ...)
{
    if (!err)
        return -1;
    char head[256], old[sizeof(err->msg)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(head, sizeof(head), fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof(old));
    size_t n = strlen(head);
    if (n > sizeof(err->msg) - 3)
        n = sizeof(err->msg) - 3;
    memcpy(err->msg, head, n);
    memcpy(err->msg + n, ": ", 2);
    size_t room = sizeof(err->msg) - n - 3;
    size_t ol = strnlen(old, room);
    memcpy(err->msg + n + 2, old, ol);
    err->msg[n + 2 + ol] = '\0';
    if (!err->code)
        err->code = VM_EINTERNAL;
    return -1;
}

void vm_err_clear(vm_err *err)
{
    if (err) {
        err->code = 0;
        err->msg[0] = '\0';
        err->param = NULL;
    }
}
