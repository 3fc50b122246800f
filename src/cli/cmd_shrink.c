/* cmd_shrink: `valkey-memstress shrink` — delete live vectors chosen by
 * seeded draws (lifecycle/lc_select.h), reproducibly, slice by slice. */
#include "cli_lifecycle.h"

typedef struct shrink_args {
    const char *slice;
    const char *state;
    double fraction;
    uint64_t count, seed;
    int copy;
} shrink_args;

static int shrink_check(void *arg, vm_err *err)
{
    shrink_args *a = arg;
    if ((a->fraction > 0) == (a->count > 0))
        return vm_err_set(err, VM_EINPUT, "give exactly one of --fraction F and --count N");
    if (a->fraction > 1)
        return vm_err_set(err, VM_EINPUT, "--fraction %g: must be within (0, 1]", a->fraction);
    return 0;
}

static int shrink_op(lc_session *s, const eng_config *eng, const lc_progress *prog, void *arg,
                     lc_op_result *res, vm_err *err)
{
    shrink_args *a = arg;
    return lc_shrink(s, eng, a->copy < 0 ? LC_ALL_COPIES : (uint32_t)a->copy, a->fraction, a->count,
                     a->seed, prog, res, err);
}

int cmd_shrink(int argc, char **argv)
{
    shrink_args a = {.copy = -1, .seed = 1};
    const struct opt own[] = {
        OPT_GROUP_ROW("Shrink:"),
        OPT_STR_ROW("state", &a.state, "DIR", "lifecycle state folder (required)"),
        CLI_SLICE_ROW(&a.slice),
        OPT_DBL_ROW("fraction", &a.fraction, "F", "delete this share of the live vectors"),
        OPT_U64_ROW("count", &a.count, "N", "delete N live vectors"),
        OPT_INT_ROW("copy", &a.copy, "C", "only from copy C (default: all copies)", 0,
                    (1 << 24) - 1),
        OPT_U64_ROW("seed", &a.seed, "S", "random seed (default 1): same seed, same victims"),
        OPT_END_ROW,
    };
    cli_lc_command c = {
        "shrink",
        "valkey-memstress shrink --state DIR [--slice I/N] --fraction F | --count N [--copy C] [--seed S] "
        "[connection options]",
        "Delete live vectors (DEL) and record them as deleted in the state folder.  Each\n"
        "vector has a seeded draw, a function of the seed, its copy and its id alone:\n"
        "--fraction F deletes every live vector whose draw is under F (about F of them, and\n"
        "the same ones whether one loader or N loaders with --slice do it); --count N\n"
        "deletes exactly N, the smallest draws of the ids this state holds.",
        own,
        &a.state,
        &a.slice,
        shrink_check,
        shrink_op,
        &a};
    return cli_lc_main(&c, argc, argv);
}
