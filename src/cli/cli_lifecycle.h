/* cli_lifecycle: the shell around the lifecycle commands that work on a
 * --state folder (expand, shrink, regrow): parse the command's options and
 * the connection options, open the session, run one operation with a
 * progress line, print the summary (and the engine's: latency, the
 * client's CPU, cluster and faults), save, choose the exit code. */
#ifndef CLI_LIFECYCLE_H
#define CLI_LIFECYCLE_H

#include "../lifecycle/lc_ops.h"
#include "cli.h"

typedef int (*cli_lc_op)(lc_session *s, const eng_config *eng, const lc_progress *prog,
                         void *arg, lc_op_result *res, vm_err *err);

typedef struct cli_lc_command {
    const char *name;       /* "shrink" */
    const char *usage;
    const char *summary;
    const struct opt *own;  /* the command's options (must include --state) */
    const char **state_dir; /* where --state lands */
    const char **slice;     /* where --slice lands (NULL: no such option) */
    /* after parsing: check the command's own values (NULL = none) */
    int (*check)(void *arg, vm_err *err);
    cli_lc_op op;
    void *arg;
} cli_lc_command;

int cli_lc_main(const cli_lc_command *c, int argc, char **argv);


#endif
