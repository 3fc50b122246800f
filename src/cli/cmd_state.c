/* cmd_state: `valkey-memstress state merge | show` — the lifecycle state
 * folders of a run (lifecycle/lc_state.h): join the parts the loaders of a
 * sliced run kept (lc_merge.h), or say what one holds. */
#include <stdio.h>
#include <string.h>

#include "../lifecycle/lc_merge.h"
#include "cli.h"

const char *const cmd_state_subs[] = {"merge", "show", NULL};

static const char usage[] =
    "valkey-memstress state merge --out DIR [--dataset PATH] DIR1 DIR2 ...\n"
    "   or: valkey-memstress state show DIR";
static const char summary[] =
    "The state folders that prefill --state, expand, shrink and regrow keep.\n"
    "  merge  join the states of the loaders of a sliced run (--slice I/N: each holds its\n"
    "         part of every copy's ids) into one, for query and report; parts that overlap,\n"
    "         leave a gap, or belong to another run (ids, dimension, keys, metric, index,\n"
    "         attributes, NormMax) are refused.  --dataset names the dataset the merged\n"
    "         state reads (default: the first state's), e.g. the whole set on this host.\n"
    "  show   the part of the ids a state holds and its live vectors per copy";

static const char *out_dir, *dataset;

static int state_merge(int argc, char **argv)
{
    if (!out_dir) {
        cli_errorf("state merge", "--out DIR is required (a new folder for the merged state)");
        return CLI_USAGE;
    }
    if (argc < 2) {
        cli_errorf("state merge", "give the state folders to merge (DIR1 DIR2 ...)");
        return CLI_USAGE;
    }
    vm_err err = {0};
    if (cli_mkdirs(out_dir, &err) < 0) {
        cli_error("state merge", &err);
        return CLI_FAIL;
    }
    lc_merge_result r;
    if (lc_state_merge(out_dir, (const char *const *)argv + 1, argc - 1, dataset, &r, &err) < 0) {
        if (err.param && !strcmp(err.param, "state"))
            err.param = NULL; /* the folders are named in the message, not an option */
        cli_error("state merge", &err);
        return CLI_FAIL;
    }
    printf("state merge: %d states -> %s: ids %llu..%llu of every copy%s, %u copies, %llu live\n",
           argc - 1, out_dir, (unsigned long long)r.part_first,
           (unsigned long long)r.part_end - 1, r.part_first ? " (a part)" : "", r.copies,
           (unsigned long long)r.live);
    return CLI_OK;
}

static int state_show(int argc, char **argv)
{
    if (argc != 2) {
        cli_errorf("state show", "give one state folder");
        return CLI_USAGE;
    }
    lc_state s;
    bool found = false;
    vm_err err = {0};
    if (lc_state_load(&s, argv[1], &found, &err) < 0 || !found) {
        if (!found && !err.code)
            vm_err_param(&err, "state", VM_EINPUT, "%s has no lifecycle state", argv[1]);
        cli_error("state show", &err);
        return CLI_FAIL;
    }
    printf("state %s: dataset %s, %llu ids per copy, dim %u, keys %s<id> field %s\n", argv[1],
           s.dataset, (unsigned long long)s.live.n, s.dim, s.prefix, s.field);
    if (lc_state_whole(&s))
        printf("part: every id\n");
    else
        printf("part: ids %llu..%llu (slice %u/%u)\n", (unsigned long long)s.part_first,
               (unsigned long long)s.part_end - 1, s.slice_i, s.slice_n);
    for (uint32_t c = 0; c < s.live.copies; c++)
        printf("copy %u: %llu live\n", c, (unsigned long long)live_count(&s.live, c));
    printf("inserted %llu, deleted %llu\n", (unsigned long long)s.inserted,
           (unsigned long long)s.deleted);
    lc_state_free(&s);
    return CLI_OK;
}

int cmd_state(int argc, char **argv)
{
    out_dir = dataset = NULL;
    static const struct opt own[] = {
        OPT_GROUP_ROW("merge:"),
        OPT_STR_ROW("out", &out_dir, "DIR", "the merged state's folder (new)"),
        OPT_STR_ROW("dataset", &dataset, "PATH", "the dataset the merged state names"),
        OPT_END_ROW,
    };
    const struct opt *tables[] = {own, NULL};
    int rc;
    if (cli_parse(&argc, argv, tables, usage, summary, &rc) < 0)
        return rc;
    const char *sub = argc > 0 ? argv[0] : "";
    if (!strcmp(sub, "merge"))
        return state_merge(argc, argv);
    if (!strcmp(sub, "show"))
        return state_show(argc, argv);
    cli_errorf("state", "%s%s%s: expected merge or show (see --help)", *sub ? "'" : "",
               *sub ? sub : "no sub-command", *sub ? "'" : "");
    return CLI_USAGE;
}
