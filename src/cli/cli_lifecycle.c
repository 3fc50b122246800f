/* cli_lifecycle: see cli_lifecycle.h. */
#include "cli_lifecycle.h"

#include <stdlib.h>

#include "../util/vm_slice.h"

int cli_lc_main(const cli_lc_command *c, int argc, char **argv)
{
    cli_conn conn;
    cli_conn_defaults(&conn);
    const struct opt *conn_tab = cli_conn_options(&conn);
    const struct opt *tables[] = {c->own, conn_tab, NULL};
    int rc;
    vm_err err = {0};
    lc_session s;
    bool open = false;
    if (cli_parse(&argc, argv, tables, c->usage, c->summary, &rc) < 0)
        goto out;
    rc = CLI_USAGE;
    if (argc > 0) {
        cli_errorf(c->name, "unexpected argument '%s' (see --help)", argv[0]);
        goto out;
    }
    if (!*c->state_dir) {
        cli_errorf(c->name, "--state DIR is required (the folder prefill --state wrote)");
        goto out;
    }
    if ((c->check && c->check(c->arg, &err) < 0) || cli_conn_finish(&conn, &err) < 0) {
        cli_error(c->name, &err);
        goto out;
    }
    uint32_t si = 0, sn = 0;
    if (c->slice && *c->slice && vm_slice_parse(*c->slice, &si, &sn, &err) < 0) {
        cli_error(c->name, &err);
        goto out;
    }
    rc = CLI_FAIL;
    if (lc_session_open(&s, *c->state_dir, &err) < 0) {
        cli_error(c->name, &err);
        goto out;
    }
    open = true;
    if (lc_session_slice(&s, si, sn, &err) < 0) {
        cli_error(c->name, &err);
        goto out;
    }
    cli_install_signals();
    eng_config ec = cli_conn_engine(&conn, &cli_interrupted);
    eng_stats totals;
    eng_stats_init(&totals);
    ec.totals = &totals;
    cli_progress prog;
    prog.tty = false;
    prog.label = c->name;
    lc_progress lp = {cli_progress_on_start, cli_progress_tick, &prog};
    lc_op_result res;
    int r = c->op(&s, &ec, &lp, c->arg, &res, &err);
    if (res.planned)
        cli_progress_end(&prog);
    if (r < 0) {
        cli_error(c->name, &err);
        goto out;
    }
    printf("%s: %llu of %llu done, %.2f s, %.0f/s, %llu errors%s%s%s; live %llu in %u copies\n",
           c->name, (unsigned long long)res.ok, (unsigned long long)res.planned, res.seconds,
           res.seconds > 0 ? (double)res.ok / res.seconds : 0.0, (unsigned long long)res.errors,
           res.missing ? " (some keys were already gone)" : "", res.errors ? ", first: " : "",
           res.first_error, (unsigned long long)live_count(&s.st.live, LC_ALL_COPIES),
           s.st.live.copies);
    cli_print_eng_stats(stdout, c->name, &totals);
    rc = res.errors ? CLI_FAIL : (atomic_load(&cli_interrupted) ? 130 : CLI_OK);
out:
    if (open)
        lc_session_close(&s);
    free((void *)conn_tab);
    cli_conn_release(&conn);
    return rc;
}
