/* cmd_run: `valkey-memstress run` — run a built-in or YAML scenario into a
 * run folder, validate one (--dry-run), list the built-ins, resume. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../scenario/sc_builtin.h"
#include "../scenario/sc_runner.h"
#include "../util/strbuf.h"
#include "cli.h"

static const char usage[] =
    "valkey-memstress run NAME|SCENARIO.yaml [--dry-run] [--set key=value]... [--out DIR]\n"
    "       [--push URL] [connection options]\n"
    "       valkey-memstress run --resume DIR [connection options]\n"
    "       valkey-memstress run --list | --show NAME";
static const char summary[] =
    "Run a scenario: a built-in by name (run --list) or a YAML file.  The run folder\n"
    "(default runs/<run-id>) gets scenario.yaml, state/, checkpoint, memory.csv,\n"
    "memory_long.csv, summary.json, checkpoints.csv and assertions.txt.  --set overrides\n"
    "any value (dataset=PATH, index.m=32, monitor.interval=250ms).  --dry-run checks the\n"
    "whole scenario without touching a server.  Ctrl-C finishes in-flight work, saves a\n"
    "checkpoint and the summary; run --resume DIR continues where it stopped.";

typedef struct sets {
    const char **v;
    size_t n;
} sets;

static int add_set(const struct opt *o, const char *arg, vm_err *err)
{
    (void)err;
    sets *s = o->value;
    s->v = realloc(s->v, (s->n + 1) * sizeof(char *));
    s->v[s->n++] = arg;
    return 0;
}

static void print_note(void *ctx, const char *line)
{
    (void)ctx;
    printf("run: %s\n", line);
    fflush(stdout);
}

/* The scenario tree from a built-in name, a file, or a resumed folder. */
static int load_tree(const char *what, const char *resume_dir, yd_node **root, char **file,
                     vm_err *err)
{
    if (resume_dir) {
        strbuf p = STRBUF_INIT;
        sb_addf(&p, "%s/scenario.yaml", resume_dir);
        int rc = sc_yaml_load(p.buf, root, err);
        if (rc < 0 && access(p.buf, F_OK) != 0)
            vm_err_set(err, VM_EINPUT, "--resume %s: not a run folder (no scenario.yaml)",
                       resume_dir);
        *file = sb_detach(&p, NULL);
        return rc;
    }
    const sc_builtin *b = sc_builtin_find(what);
    if (b) {
        *file = strdup(b->name);
        return sc_yaml_parse(b->yaml, strlen(b->yaml), b->name, root, err);
    }
    if (!strchr(what, '.') && !strchr(what, '/'))
        return vm_err_set(
            err, VM_EINPUT,
            "unknown scenario '%s' (run --list shows the built-ins; a file ends in .yaml)", what);
    *file = strdup(what);
    return sc_yaml_load(what, root, err);
}

/* The run's folder and id: a resumed run's own (its run_id file), else a
 * new id and the folder (--out, or runs/<id>, made here). */
static int run_folder(const char *resume, const char **out, char **out_alloc, char run_id[64],
                      vm_err *err)
{
    if (resume) {
        strbuf p = STRBUF_INIT;
        sb_addf(&p, "%s/run_id", resume);
        strbuf id = STRBUF_INIT;
        int got = sb_read_file(&id, p.buf);
        sb_release(&p);
        snprintf(run_id, 64, "%s", got == 0 && id.len ? id.buf : "resumed");
        run_id[strcspn(run_id, "\n")] = '\0';
        sb_release(&id);
        *out = resume;
        return 0;
    }
    cli_run_id(run_id);
    if (!*out) {
        size_t n = strlen(run_id) + 8;
        *out_alloc = malloc(n);
        if (!*out_alloc)
            abort(); /* strbuf's rule: nothing useful happens without memory */
        snprintf(*out_alloc, n, "runs/%s", run_id);
        *out = *out_alloc;
    }
    if (cli_mkdirs(*out, err) < 0)
        return -1;
    strbuf p = STRBUF_INIT;
    sb_addf(&p, "%s/run_id", *out);
    FILE *f = fopen(p.buf, "w");
    if (f) {
        fprintf(f, "%s\n", run_id);
        fclose(f);
    }
    sb_release(&p);
    return 0;
}

typedef struct run_opts {
    bool list, dry, no_monitor;
    const char *out, *resume, *show, *push_url, *push_job;
    sets st;
} run_opts;

/* --list and --show: the exit code, or -1 when neither was asked. */
static int run_list_show(const run_opts *o)
{
    if (o->list) {
        for (const sc_builtin *b = sc_builtins; b->name; b++)
            printf("%-20s %s\n", b->name, b->description);
        return CLI_OK;
    }
    if (!o->show)
        return -1;
    const sc_builtin *b = sc_builtin_find(o->show);
    if (!b) {
        cli_errorf("run", "--show: unknown scenario '%s' (see run --list)", o->show);
        return CLI_USAGE;
    }
    fputs(b->yaml, stdout);
    return CLI_OK;
}

/* Load the scenario (argv[0], or the resumed folder's), apply --set and
 * build its plan into *sc.  Prints the error and returns -1 on failure;
 * *have_plan says whether *sc needs sc_plan_free. */
static int run_plan(const run_opts *o, int argc, char **argv, yd_node **root, char **file,
                    sc_scenario *sc, bool *have_plan)
{
    vm_err err = {0};
    if (o->resume ? argc != 0 : argc != 1) {
        cli_errorf("run", o->resume ? "--resume DIR takes no scenario (it is in DIR)"
                                    : "name one scenario: a built-in (run --list) or a .yaml file");
        return -1;
    }
    if (o->resume && o->st.n) {
        cli_errorf("run", "--set cannot change a resumed run");
        return -1;
    }
    if (load_tree(o->resume ? NULL : argv[0], o->resume, root, file, &err) < 0) {
        cli_error("run", &err);
        return -1;
    }
    for (size_t i = 0; i < o->st.n; i++)
        if (sc_yaml_set_path(*root, o->st.v[i], &err) < 0) {
            cli_error("run", &err);
            return -1;
        }
    if (sc_plan_build(*root, *file, sc, &err) < 0) {
        cli_error("run", &err);
        sc_plan_free(sc);
        return -1;
    }
    *have_plan = true;
    return 0;
}

/* Print how a run ended; its exit code. */
static int run_print_result(int r, const vm_err *err, const sc_run_result *res, const char *run_id,
                            const char *out)
{
    if (r < 0) {
        cli_error("run", err);
        printf("run %s: stopped after %llu of %llu steps; continue with: valkey-memstress run "
               "--resume %s\n",
               run_id, (unsigned long long)res->leaves_done, (unsigned long long)res->leaves_total,
               out);
        return CLI_FAIL;
    }
    printf("run %s: %llu of %llu steps%s; %llu live vectors; used_memory %.0f -> %.0f bytes "
           "(peak %.0f), %ld samples; assertions %d passed, %d failed\nresults: %s\n",
           run_id, (unsigned long long)res->leaves_done, (unsigned long long)res->leaves_total,
           res->interrupted ? " (interrupted: run --resume to continue)" : "",
           (unsigned long long)res->live_end, res->used_memory_start, res->used_memory_end,
           res->used_memory_peak, res->samples, res->asserts_passed, res->asserts_failed, out);
    return res->asserts_failed ? CLI_FAIL : res->interrupted ? 130 : CLI_OK;
}

/* Run the planned scenario into its folder; the exit code. */
static int run_go(run_opts *o, cli_conn *conn, yd_node *root, sc_scenario *sc, char **out_alloc)
{
    vm_err err = {0};
    if (cli_conn_finish(conn, &err) < 0) {
        cli_error("run", &err);
        return CLI_USAGE;
    }
    char run_id[64];
    if (run_folder(o->resume, &o->out, out_alloc, run_id, &err) < 0) {
        cli_error("run", &err);
        return CLI_FAIL;
    }
    strbuf yaml = STRBUF_INIT;
    yd_dump(root, &yaml);
    cli_install_signals();
    prom_push_conf push = {.url = o->push_url, .job = o->push_job, .run_id = run_id};
    sc_run_conf rcnf = {.sc = sc,
                        .resolved_yaml = yaml.buf,
                        .out_dir = o->out,
                        .run_id = run_id,
                        .eng = cli_conn_engine(conn, &cli_interrupted),
                        .push = o->push_url ? &push : NULL,
                        .resume = o->resume != NULL,
                        .no_monitor = o->no_monitor,
                        .note = print_note};
    cli_progress prog;
    prog.tty = false;
    lc_progress lp = {cli_progress_on_start, cli_progress_tick, &prog};
    rcnf.prog = &lp;
    printf("run %s: scenario %s -> %s\n", run_id, sc->name, o->out);
    sc_run_result res;
    int r = sc_run(&rcnf, &res, &err);
    sb_release(&yaml);
    return run_print_result(r, &err, &res, run_id, o->out);
}

int cmd_run(int argc, char **argv)
{
    run_opts o = {.push_job = "valkey_memstress"};
    cli_conn conn;
    cli_conn_defaults(&conn);
    const struct opt own[] = {
        OPT_GROUP_ROW("Run:"),
        OPT_BOOL_ROW("list", &o.list, "list the built-in scenarios"),
        OPT_STR_ROW("show", &o.show, "NAME", "print a built-in scenario's YAML"),
        OPT_BOOL_ROW("dry-run", &o.dry, "validate the scenario and stop"),
        OPT_BOOL_ROW("no-monitor", &o.no_monitor,
                     "sample nothing: a loader of a sliced run (--set slice=I/N), while one "
                     "monitor samples the cluster"),
        OPT_CB_ROW("set", &o.st, "KEY=VALUE", "override a value (repeatable)", add_set),
        OPT_STR_ROW("out", &o.out, "DIR", "run folder (default runs/<run-id>)"),
        OPT_STR_ROW("resume", &o.resume, "DIR", "continue the run in DIR after a crash or Ctrl-C"),
        OPT_SECRET_ROW(0, "push", &o.push_url, "URL",
                       "also push samples to this Prometheus pushgateway"),
        OPT_STR_ROW("push-job", &o.push_job, "NAME",
                    "pushgateway job label (default valkey_memstress)"),
        OPT_END_ROW,
    };
    const struct opt *conn_tab = cli_conn_options(&conn);
    const struct opt *tables[] = {own, conn_tab, NULL};
    int rc;
    yd_node *root = NULL;
    char *file = NULL, *out_alloc = NULL;
    sc_scenario sc;
    bool have_plan = false;
    if (cli_parse(&argc, argv, tables, usage, summary, &rc) < 0)
        goto out;
    if ((rc = run_list_show(&o)) >= 0)
        goto out;
    rc = CLI_USAGE;
    if (run_plan(&o, argc, argv, &root, &file, &sc, &have_plan) < 0)
        goto out;
    if (o.dry) {
        printf("ok: %s: scenario '%s', %zu steps (%llu to run), dataset %s\n", file, sc.name,
               sc.nsteps, (unsigned long long)sc_plan_leaf_count(sc.steps, sc.nsteps), sc.dataset);
        rc = CLI_OK;
        goto out;
    }
    rc = run_go(&o, &conn, root, &sc, &out_alloc);
out:
    if (have_plan)
        sc_plan_free(&sc);
    yd_free(root);
    free(file);
    free(out_alloc);
    free(o.st.v);
    free((void *)conn_tab);
    cli_conn_release(&conn);
    return rc;
}
