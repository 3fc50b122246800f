/* cli_error: how an engine error reaches the user's terminal — one line,
 * "valkey-memstress CMD: message", with the option the user typed put before
 * a message whose vm_err names the parameter at fault (vm_err.h).  Apart
 * from cli_common so a test links it without the command table. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* The params whose option is not "--" + their last path component with
 * '_' as '-' (vm_err.h names the params). */
static const struct {
    const char *param, *option;
} option_names[] = {
    {"index.name", "--index"},
    {"k", "-k"},
};

const char *cli_option_of(const char *param, char *buf, size_t n)
{
    for (size_t i = 0; i < sizeof(option_names) / sizeof(option_names[0]); i++)
        if (!strcmp(param, option_names[i].param)) {
            snprintf(buf, n, "%s", option_names[i].option);
            return buf;
        }
    const char *leaf = strrchr(param, '.');
    snprintf(buf, n, "--%s", leaf ? leaf + 1 : param);
    for (char *c = buf; *c; c++)
        if (*c == '_')
            *c = '-';
    return buf;
}

void cli_error_format(char *buf, size_t n, const char *cmd, const vm_err *err)
{
    char option[64] = "";
    if (err->param)
        cli_option_of(err->param, option, sizeof(option) - 2);
    if (*option)
        strcat(option, ": ");
    snprintf(buf, n, "valkey-memstress %s: %s%s", cmd, option, err->msg[0] ? err->msg : "failed");
}

void cli_error(const char *cmd, const vm_err *err)
{
    char line[sizeof(err->msg) + 128];
    cli_error_format(line, sizeof(line), cmd, err);
    fprintf(stderr, "%s\n", line);
}

void cli_errorf(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "valkey-memstress %s: ", cmd);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}
