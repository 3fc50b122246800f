/* cli_doc: see cli_doc.h. */
#include "cli_doc.h"

#include <stdlib.h>
#include <string.h>

#include "../dataset/ds_catalog.h"
#include "../scenario/sc_builtin.h"
#include "cli.h"

enum doc_format { DOC_TEXT = 0, DOC_MAN, DOC_WORDS };

/* Set only while a generator runs, on the main thread, before any worker
 * starts: which format --help renders in and where it goes. */
static enum doc_format doc_format;
static FILE *doc_out;

/* roff: backslashes and hyphens escaped, a leading . or ' kept literal. */
static void roff(FILE *f, const char *s, size_t n)
{
    for (size_t i = 0; i < n && s[i]; i++) {
        char c = s[i];
        if ((i == 0 || s[i - 1] == '\n') && (c == '.' || c == '\''))
            fputs("\\&", f);
        if (c == '\\')
            fputs("\\e", f);
        else if (c == '-')
            fputs("\\-", f);
        else
            fputc(c, f);
    }
}

static void roffs(FILE *f, const char *s)
{
    roff(f, s, strlen(s));
}

static void man_option(FILE *f, const struct opt *o)
{
    fputs(".TP\n", f);
    if (o->short_name)
        fprintf(f, "\\fB\\-%c\\fR%s", o->short_name, o->long_name ? ", " : "");
    if (o->long_name) {
        fputs("\\fB\\-\\-", f);
        roffs(f, o->long_name);
        fputs("\\fR", f);
    }
    if (o->argh) {
        fputs(" \\fI", f);
        roffs(f, o->argh);
        fputs("\\fR", f);
    }
    fputc('\n', f);
    roffs(f, o->help ? o->help : "");
    fputc('\n', f);
}

static void man_command(FILE *f, const char *usage, const char *summary,
                        const struct opt *const *tables)
{
    fputs(".PP\n.nf\n", f);
    roffs(f, usage);
    fputs("\n.fi\n", f);
    if (summary) {
        fputs(".PP\n.nf\n", f);
        roffs(f, summary);
        fputs("\n.fi\n", f);
    }
    for (size_t t = 0; tables[t]; t++)
        for (const struct opt *o = tables[t]; o->type != OPT_END; o++) {
            if (o->type == OPT_GROUP) {
                fputs(".PP\n\\fB", f);
                roffs(f, o->help ? o->help : "");
                fputs("\\fR\n", f);
            } else {
                man_option(f, o);
            }
        }
    fputs(".TP\n\\fB\\-\\-help\\fR\nshow this help\n", f);
}

static void words(FILE *f, const struct opt *const *tables)
{
    for (size_t t = 0; tables[t]; t++)
        for (const struct opt *o = tables[t]; o->type != OPT_END; o++) {
            if (o->type == OPT_GROUP)
                continue;
            if (o->long_name)
                fprintf(f, " --%s", o->long_name);
            if (o->short_name)
                fprintf(f, " -%c", o->short_name);
        }
    fputs(" --help", f);
}

void cli_doc_usage(const char *usage, const char *summary, const struct opt *const *tables)
{
    FILE *f = doc_out ? doc_out : stdout;
    switch (doc_format) {
    case DOC_MAN:
        man_command(f, usage, summary, tables);
        break;
    case DOC_WORDS:
        words(f, tables);
        break;
    default:
        opt_usage(f, usage, summary, tables);
    }
}

/* Ask command c for its --help in format fmt, into f. */
static void ask_help(const cli_command *c, enum doc_format fmt, FILE *f)
{
    char help[] = "--help";
    char *av[] = {help, NULL};
    doc_format = fmt;
    doc_out = f;
    c->fn(1, av);
    doc_format = DOC_TEXT;
    doc_out = NULL;
}

static bool documented(const cli_command *c)
{
    return strcmp(c->name, "help") && strcmp(c->name, "version");
}

int cli_doc_man(FILE *f)
{
    fprintf(f, ".TH VALKEY\\-MEMSTRESS 1 \"\" \"valkey\\-memstress %s\" \"User Commands\"\n",
            VM_VERSION);
    fputs(".SH NAME\nvalkey\\-memstress \\- stress\\-test the memory of Valkey\\-Search across a "
          "vector index's life\n"
          ".SH SYNOPSIS\n\\fBvalkey\\-memstress\\fR \\fICOMMAND\\fR [\\fIoptions\\fR]\n"
          ".SH DESCRIPTION\nvalkey\\-memstress loads vectors from public datasets into Valkey "
          "with the valkey\\-search module (one server or a Valkey Cluster), grows the index "
          "with expanded copies, shrinks it by random deletion, runs KNN queries with exact "
          "recall, and samples the server's memory all along into CSV files, a Prometheus "
          "pushgateway and a run summary; \\fBreport\\fR draws it.\n"
          ".SH COMMANDS\n",
          f);
    for (const cli_command *c = cli_commands; c->name; c++) {
        fputs(".TP\n\\fB", f);
        roffs(f, c->name);
        fputs("\\fR\n", f);
        roffs(f, c->summary);
        fputc('\n', f);
    }
    for (const cli_command *c = cli_commands; c->name; c++) {
        if (!documented(c))
            continue;
        fputs(".SH ", f);
        for (const char *p = c->name; *p; p++)
            fputc(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p, f);
        fputc('\n', f);
        ask_help(c, DOC_MAN, f);
    }
    fputs(".SH SCENARIOS\nBuilt\\-in scenarios for \\fBrun\\fR:\n", f);
    for (const sc_builtin *b = sc_builtins; b->name; b++) {
        fputs(".TP\n\\fB", f);
        roffs(f, b->name);
        fputs("\\fR\n", f);
        roffs(f, b->description);
        fputc('\n', f);
    }
    fputs(".SH ENVIRONMENT\n.TP\n\\fBVALKEYCLI_AUTH\\fR\nthe password, when \\fB\\-a\\fR is "
          "not given (never printed, logged or left in the process title)\n"
          ".TP\n\\fBVM_DATASET_DIR\\fR\nwhere catalog datasets are downloaded\n"
          ".SH EXIT STATUS\n0 done, 1 the run failed or met errors, 2 bad input.\n"
          ".SH SEE ALSO\n\\fBvalkey\\-cli\\fR(1), \\fBvalkey\\-benchmark\\fR(1)\n",
          f);
    return ferror(f) ? -1 : 0;
}

static void bash_words(FILE *f, const char *const *w)
{
    for (size_t i = 0; w && w[i]; i++)
        fprintf(f, "%s%s", i ? " " : "", w[i]);
}

int cli_doc_completion(FILE *f, const char *shell)
{
    if (strcmp(shell, "bash")) {
        fprintf(stderr, "valkey-memstress help: --completion %s: only bash is known\n", shell);
        return -1;
    }
    fprintf(f,
            "# bash completion for valkey-memstress %s, generated by\n"
            "# `valkey-memstress help --completion bash` from its option tables.\n"
            "_valkey_memstress() {\n"
            "    local cur=${COMP_WORDS[COMP_CWORD]} cmd=${COMP_WORDS[1]} sub=${COMP_WORDS[2]} "
            "opts=\"\" words=\"\"\n"
            "    if [ \"$COMP_CWORD\" -eq 1 ]; then\n        words=\"",
            VM_VERSION);
    for (const cli_command *c = cli_commands; c->name; c++)
        fprintf(f, "%s%s", c == cli_commands ? "" : " ", c->name);
    fputs("\"\n        COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n        return\n    fi\n"
          "    case \"$cmd\" in\n",
          f);
    for (const cli_command *c = cli_commands; c->name; c++) {
        if (!documented(c))
            continue;
        fprintf(f, "    %s) opts=\"", c->name);
        char *buf = NULL;
        size_t len = 0;
        FILE *m = open_memstream(&buf, &len);
        if (!m)
            return -1;
        ask_help(c, DOC_WORDS, m);
        fclose(m);
        fputs(buf + (buf[0] == ' '), f);
        free(buf);
        fputs("\" ;;\n", f);
    }
    fputs("    help) words=\"", f);
    for (const cli_command *c = cli_commands; c->name; c++)
        fprintf(f, "%s%s", c == cli_commands ? "" : " ", c->name);
    fputs(" --man --completion\" ;;\n    esac\n", f);
    fputs("    if [[ $cur == -* ]]; then\n"
          "        COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n        return\n    fi\n"
          "    case \"$cmd:$COMP_CWORD\" in\n",
          f);
    fputs("    run:2) words=\"", f);
    for (const sc_builtin *b = sc_builtins; b->name; b++)
        fprintf(f, "%s%s", b == sc_builtins ? "" : " ", b->name);
    fputs("\" ;;\n", f);
    for (const cli_command *c = cli_commands; c->name; c++)
        if (c->subs) {
            fprintf(f, "    %s:2) words=\"", c->name);
            bash_words(f, c->subs);
            fputs("\" ;;\n", f);
        }
    fputs("    dataset:3) case \"$sub\" in download|prepare|info|verify) words=\"", f);
    for (const ds_cat_entry *e = ds_catalog; e->name; e++)
        fprintf(f, "%s%s", e == ds_catalog ? "" : " ", e->name);
    fputs("\" ;; esac ;;\n    esac\n"
          "    COMPREPLY=($(compgen -W \"$words\" -- \"$cur\") $(compgen -f -- \"$cur\"))\n"
          "}\n"
          "complete -o filenames -F _valkey_memstress valkey-memstress\n",
          f);
    return ferror(f) ? -1 : 0;
}
