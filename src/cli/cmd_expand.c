/* cmd_expand: `valkey-memstress expand --copies A..B` — add expanded copies
 * to a live index. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_lifecycle.h"

typedef struct expand_args {
    const char *slice;
    const char *state, *copies;
    uint32_t first, end;
} expand_args;

static int expand_check(void *arg, vm_err *err)
{
    expand_args *a = arg;
    if (!a->copies)
        return vm_err_set(err, VM_EINPUT, "--copies A..B is required (e.g. --copies 1..3)");
    char *end;
    unsigned long lo = strtoul(a->copies, &end, 10), hi = lo;
    if (end != a->copies && !strncmp(end, "..", 2))
        hi = strtoul(end + 2, &end, 10);
    if (*end || lo < 1 || hi < lo || hi >= (1u << 24))
        return vm_err_set(err, VM_EINPUT,
                          "--copies '%s': expected A..B with 1 <= A <= B (copy 0 is the original)",
                          a->copies);
    a->first = (uint32_t)lo;
    a->end = (uint32_t)hi + 1;
    return 0;
}

static int expand_op(lc_session *s, const eng_config *eng, const lc_progress *prog, void *arg,
                     lc_op_result *res, vm_err *err)
{
    expand_args *a = arg;
    return lc_insert_copies(s, eng, a->first, a->end, NULL, prog, res, err);
}

int cmd_expand(int argc, char **argv)
{
    expand_args a = {0};
    const struct opt own[] = {
        OPT_GROUP_ROW("Expand:"),
        OPT_STR_ROW("state", &a.state, "DIR", "lifecycle state folder (required)"),
        CLI_SLICE_ROW(&a.slice),
        OPT_STR_ROW("copies", &a.copies, "A..B", "copies to write, e.g. 1..3 (required)"),
        OPT_END_ROW,
    };
    cli_lc_command c = {
        "expand",
        "valkey-memstress expand --state DIR [--slice I/N] --copies A..B [connection options]",
        "Write expanded copies A..B of the dataset (x + V_n under expand_<n>_<key>) into a\n"
        "live index; their queries and ground truth follow with no recomputation.",
        own,
        &a.state,
        &a.slice,
        expand_check,
        expand_op,
        &a};
    return cli_lc_main(&c, argc, argv);
}
