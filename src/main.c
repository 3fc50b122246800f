/* valkey-memstress: entry point and the one table of sub-commands (after
 * git.c's commands[]).  Each command lives in src/cli/cmd_<name>.c. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_doc.h"
#include "util/nearest.h"

int cmd_dataset(int argc, char **argv);
extern const char *const cmd_dataset_subs[];
int cmd_prefill(int argc, char **argv);
int cmd_query(int argc, char **argv);
int cmd_expand(int argc, char **argv);
int cmd_shrink(int argc, char **argv);
int cmd_regrow(int argc, char **argv);
int cmd_monitor(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_model(int argc, char **argv);
int cmd_state(int argc, char **argv);
extern const char *const cmd_state_subs[];
static int cmd_version(int argc, char **argv);
static int cmd_help(int argc, char **argv);

const cli_command cli_commands[] = {
    {"dataset", cmd_dataset, "datasets: info, verify, prepare, generate, encode, list, download",
     cmd_dataset_subs},
    {"prefill", cmd_prefill, "load a dataset's vectors into the server"},
    {"expand", cmd_expand, "add expanded copies of the dataset to a live index"},
    {"shrink", cmd_shrink, "delete live vectors by seeded draws, reproducibly"},
    {"regrow", cmd_regrow, "re-insert deleted vectors"},
    {"query", cmd_query, "run KNN queries and measure exact recall"},
    {"monitor", cmd_monitor, "sample the server's memory into a CSV"},
    {"run", cmd_run, "run a built-in lifecycle into a run folder"},
    {"report", cmd_report, "plots, an HTML page and a summary of a run folder"},
    {"state", cmd_state, "state folders: merge the loaders' parts of a sliced run, show",
     cmd_state_subs},
    {"model", cmd_model, "predict valkey-search memory per component"},
    {"version", cmd_version, "print the version"},
    {"help", cmd_help, "show help for a command (--man: the manual page, --completion bash)"},
    {NULL, NULL, NULL},
};

const cli_command *cli_find_command(const char *name)
{
    for (const cli_command *c = cli_commands; c->name; c++)
        if (!strcmp(c->name, name))
            return c;
    return NULL;
}

/* "unknown command 'prefil'; did you mean 'prefill'?" */
static void unknown_command(const char *name)
{
    const char *names[32];
    size_t n = 0;
    for (const cli_command *c = cli_commands; c->name && n < 32; c++)
        names[n++] = c->name;
    const char *near = nearest_word(name, names, n);
    if (near)
        fprintf(stderr, "valkey-memstress: unknown command '%s'; did you mean '%s'? (see valkey-memstress help)\n",
                name, near);
    else
        fprintf(stderr, "valkey-memstress: unknown command '%s' (see valkey-memstress help)\n", name);
}

static void main_usage(FILE *f)
{
    fprintf(f, "usage: valkey-memstress COMMAND [options]\n\n"
               "Stress-test the memory of Valkey-Search across a vector index's life.\n\n"
               "Commands:\n");
    for (const cli_command *c = cli_commands; c->name; c++)
        fprintf(f, "  %-10s %s\n", c->name, c->summary);
    fprintf(f, "\n'valkey-memstress help COMMAND' or 'valkey-memstress COMMAND --help' lists "
               "its options.\n");
}

static int cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("valkey-memstress %s\n", VM_VERSION);
    return CLI_OK;
}

static int cmd_help(int argc, char **argv)
{
    if (argc == 0) {
        main_usage(stdout);
        return CLI_OK;
    }
    if (!strcmp(argv[0], "--man"))
        return cli_doc_man(stdout) < 0 ? CLI_FAIL : CLI_OK;
    if (!strcmp(argv[0], "--completion"))
        return cli_doc_completion(stdout, argc > 1 ? argv[1] : "bash") < 0 ? CLI_USAGE : CLI_OK;
    const cli_command *c = cli_find_command(argv[0]);
    if (!c) {
        unknown_command(argv[0]);
        return CLI_USAGE;
    }
    char help[] = "--help";
    char *av[] = {help, NULL};
    return c->fn(1, av);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        main_usage(stderr);
        return CLI_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
        return cmd_help(0, NULL);
    if (!strcmp(argv[1], "--version"))
        return cmd_version(0, NULL);
    const cli_command *c = cli_find_command(argv[1]);
    if (!c) {
        unknown_command(argv[1]);
        return CLI_USAGE;
    }
    return c->fn(argc - 2, argv + 2);
}
