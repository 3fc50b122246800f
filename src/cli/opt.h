/* opt: declarative command-line options (after git's parse-options.h).
 *
 * Each sub-command declares a table of struct opt; opt_parse() fills the
 * targets and leaves positional arguments in order.  Several tables can be
 * combined (a command's own + the shared connection options), and the same
 * tables print the usage text, so help never drifts from what is parsed. */
#ifndef OPT_H
#define OPT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../util/vm_err.h"

enum opt_type {
    OPT_END = 0,
    OPT_GROUP,    /* a heading in the usage text; no value */
    OPT_BOOL,     /* bool *; no argument */
    OPT_INT,      /* int *; whole number in [min, max] */
    OPT_U64,      /* uint64_t *; accepts k/M/G suffixes */
    OPT_DOUBLE,   /* double * */
    OPT_STRING,   /* const char ** (points into argv) */
    OPT_DURATION, /* uint64_t * milliseconds: 200ms, 1s, 5m */
    OPT_CALLBACK, /* cb(opt, arg, err) */
};

struct opt;
typedef int (*opt_cb)(const struct opt *o, const char *arg, vm_err *err);

struct opt {
    enum opt_type type;
    char short_name;       /* 0 if none */
    const char *long_name; /* NULL if none */
    void *value;
    const char *argh; /* name of the argument in help, NULL = flag */
    const char *help;
    int min, max; /* OPT_INT range */
    opt_cb cb;    /* OPT_CALLBACK */
    bool secret;  /* value is blanked in argv after parsing */
};

#define OPT_END_ROW                                                                                \
    {                                                                                              \
        OPT_END, 0, NULL, NULL, NULL, NULL, 0, 0, NULL, false                                      \
    }

/* Table rows that say only what differs from the defaults (no short name,
 * no range, no callback, not secret).  NAME is the long name, PTR the
 * target, ARG the argument's name in help, HELP its one line. */
#define OPT_ROW_(type, sn, name, ptr, arg, help, lo, hi, cb, secret)                               \
    {                                                                                              \
        type, sn, name, ptr, arg, help, lo, hi, cb, secret                                         \
    }
#define OPT_GROUP_ROW(heading) OPT_ROW_(OPT_GROUP, 0, NULL, NULL, NULL, heading, 0, 0, NULL, false)
#define OPT_STR_ROW(name, ptr, arg, help)                                                          \
    OPT_ROW_(OPT_STRING, 0, name, ptr, arg, help, 0, 0, NULL, false)
#define OPT_INT_ROW(name, ptr, arg, help, lo, hi)                                                  \
    OPT_ROW_(OPT_INT, 0, name, ptr, arg, help, lo, hi, NULL, false)
#define OPT_U64_ROW(name, ptr, arg, help)                                                          \
    OPT_ROW_(OPT_U64, 0, name, ptr, arg, help, 0, 0, NULL, false)
#define OPT_DBL_ROW(name, ptr, arg, help)                                                          \
    OPT_ROW_(OPT_DOUBLE, 0, name, ptr, arg, help, 0, 0, NULL, false)
#define OPT_BOOL_ROW(name, ptr, help)                                                              \
    OPT_ROW_(OPT_BOOL, 0, name, ptr, NULL, help, 0, 0, NULL, false)
/* A duration's argument is always shown as DURATION. */
#define OPT_DUR_ROW(name, ptr, help)                                                               \
    OPT_ROW_(OPT_DURATION, 0, name, ptr, "DURATION", help, 0, 0, NULL, false)
#define OPT_CB_ROW(name, ptr, arg, help, cb)                                                       \
    OPT_ROW_(OPT_CALLBACK, 0, name, ptr, arg, help, 0, 0, cb, false)
/* With a short name SN ('h' for -h). */
#define OPT_STR_ROW_S(sn, name, ptr, arg, help)                                                    \
    OPT_ROW_(OPT_STRING, sn, name, ptr, arg, help, 0, 0, NULL, false)
#define OPT_INT_ROW_S(sn, name, ptr, arg, help, lo, hi)                                            \
    OPT_ROW_(OPT_INT, sn, name, ptr, arg, help, lo, hi, NULL, false)
/* A string blanked in argv once parsed (passwords, URLs with one); SN may be 0. */
#define OPT_SECRET_ROW(sn, name, ptr, arg, help)                                                   \
    OPT_ROW_(OPT_STRING, sn, name, ptr, arg, help, 0, 0, NULL, true)

/* Parse argv[0..argc) (argv[0] is the first option, not the program name).
 * tables is a NULL-terminated list.  Positional arguments are moved to the
 * front of argv; their count is returned, or -1 with err set.  "--help" sets
 * *want_help and stops.  "--" ends options. */
int opt_parse(int argc, char **argv, const struct opt *const *tables, bool *want_help, vm_err *err);

/* Print "usage: ..." and every option of every table. */
void opt_usage(FILE *f, const char *usage, const char *summary, const struct opt *const *tables);

#endif
