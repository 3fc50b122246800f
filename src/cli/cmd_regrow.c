/* cmd_regrow: `valkey-memstress regrow` — re-insert deleted vectors under
 * their own keys, so grow / shrink cycles can repeat. */
#include "cli_lifecycle.h"

typedef struct regrow_args {
    const char *slice;
    const char *state;
    double fraction;
    uint64_t seed;
    int copy;
} regrow_args;

static int regrow_check(void *arg, vm_err *err)
{
    regrow_args *a = arg;
    if (!(a->fraction > 0 && a->fraction <= 1))
        return vm_err_set(err, VM_EINPUT, "--fraction %g: must be within (0, 1]", a->fraction);
    return 0;
}

static int regrow_op(lc_session *s, const eng_config *eng, const lc_progress *prog, void *arg,
                     lc_op_result *res, vm_err *err)
{
    regrow_args *a = arg;
    return lc_regrow(s, eng, a->copy < 0 ? LC_ALL_COPIES : (uint32_t)a->copy, a->fraction, 0,
                     a->seed, prog, res, err);
}

int cmd_regrow(int argc, char **argv)
{
    regrow_args a = {.fraction = 1, .copy = -1, .seed = 1};
    const struct opt own[] = {
        OPT_GROUP_ROW("Regrow:"),
        OPT_STR_ROW("state", &a.state, "DIR", "lifecycle state folder (required)"),
        CLI_SLICE_ROW(&a.slice),
        OPT_DBL_ROW("fraction", &a.fraction, "F",
                    "re-insert this share of the deleted vectors (default 1)"),
        OPT_INT_ROW("copy", &a.copy, "C", "only in copy C (default: all copies)", 0, (1 << 24) - 1),
        OPT_U64_ROW("seed", &a.seed, "S", "random seed (default 1)"),
        OPT_END_ROW,
    };
    cli_lc_command c = {
        "regrow",
        "valkey-memstress regrow --state DIR [--slice I/N] [--fraction F] [--copy C] [--seed S] [connection "
        "options]",
        "Re-insert deleted vectors under their own keys (HSET), so grow / shrink cycles\n"
        "can repeat.",
        own,
        &a.state,
        &a.slice,
        regrow_check,
        regrow_op,
        &a};
    return cli_lc_main(&c, argc, argv);
}
