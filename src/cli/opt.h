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
    const char *argh;      /* name of the argument in help, NULL = flag */
    const char *help;
    int min, max;          /* OPT_INT range */
    opt_cb cb;             /* OPT_CALLBACK */
    bool secret;           /* value is blanked in argv after parsing */
};

#define OPT_END_ROW {OPT_END, 0, NULL, NULL, NULL, NULL, 0, 0, NULL, false}

/* Parse argv[0..argc) (argv[0] is the first option, not the program name).
 * tables is a NULL-terminated list.  Positional arguments are moved to the
 * front of argv; their count is returned, or -1 with err set.  "--help" sets
 * *want_help and stops.  "--" ends options. */
int opt_parse(int argc, char **argv, const struct opt *const *tables, bool *want_help,
              vm_err *err);

/* Print "usage: ..." and every option of every table. */
void opt_usage(FILE *f, const char *usage, const char *summary,
               const struct opt *const *tables);

#endif
