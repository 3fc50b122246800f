/* sc_exec_record: the executors that record the run's state in its folder
 * without changing the server — checkpoint (a labelled row in
 * checkpoints.csv), assert (PASS / FAIL lines in assertions.txt, counted in
 * the result) and info (every node's INFO memory and INFO modules, the
 * search module's sections among them, into info-<leaf>.txt). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/clock.h"
#include "../util/strbuf.h"
#include "sc_exec.h"

sc_step_run sc_run_checkpoint, sc_run_assert, sc_run_info;

int sc_run_checkpoint(sc_exec *x, const sc_step *st, vm_err *err)
{
    (void)err;
    sc_runner *r = x->r;
    char iso[32], line[256];
    clk_iso8601(clk_wall_ms(), iso);
    double used = sc_info_used_memory(r);
    uint64_t live = live_count(&r->s.st.live, LC_ALL_COPIES);
    snprintf(line, sizeof(line), "%s,%s,%llu,%llu,%.0f\n", iso,
             st->label ? st->label : "checkpoint", (unsigned long long)r->leaf,
             (unsigned long long)live, used);
    sc_append_line(r, "checkpoints.csv", "time_iso,label,leaf,live_vectors,used_memory_bytes\n",
                   line);
    sc_note(r, "checkpoint %s: %llu live vectors, used_memory %.0f bytes",
            st->label ? st->label : "checkpoint", (unsigned long long)live, used);
    return 0;
}

/* --- assert ----------------------------------------------------------------- */

typedef struct check {
    const char *what;
    bool set, ok, measured;
    double value, limit;
} check;

/* The three checks of an assert step, measured where the run can. */
static void measure(sc_runner *r, const sc_step *st, check c[3])
{
    c[0] = (check){"recall >= ",   st->recall_min >= 0, false,
                   r->have_recall, r->recall_min,       st->recall_min};
    c[1] = (check){"bytes per live vector <= ", st->bytes_per_vector_max >= 0, false, false, 0,
                   st->bytes_per_vector_max};
    c[2] = (check){"share of memory returned after the shrink >= ",
                   st->memory_returned_min >= 0,
                   false,
                   false,
                   0,
                   st->memory_returned_min};
    uint64_t live = live_count(&r->s.st.live, LC_ALL_COPIES);
    double now = sc_mem_now(r);
    if (live && r->have_baseline) {
        c[1].measured = true;
        c[1].value = (now - r->baseline) / (double)live;
    }
    if (r->have_shrink && r->have_baseline && r->shrink_share > 0 &&
        r->shrink_mem_before > r->baseline) {
        c[2].measured = true;
        /* what came back, against what the deleted share of the data took */
        c[2].value =
            (r->shrink_mem_before - now) / ((r->shrink_mem_before - r->baseline) * r->shrink_share);
    }
    c[0].ok = c[0].measured && c[0].value >= c[0].limit;
    c[1].ok = c[1].measured && c[1].value <= c[1].limit;
    c[2].ok = c[2].measured && c[2].value >= c[2].limit;
}

int sc_run_assert(sc_exec *x, const sc_step *st, vm_err *err)
{
    (void)err;
    sc_runner *r = x->r;
    char line[512];
    check checks[3];
    measure(r, st, checks);
    for (int i = 0; i < 3; i++) {
        if (!checks[i].set)
            continue;
        if (checks[i].ok)
            r->res->asserts_passed++;
        else
            r->res->asserts_failed++;
        if (checks[i].measured)
            snprintf(line, sizeof(line), "%s %s:%d: %s%g (measured %.4g)\n",
                     checks[i].ok ? "PASS" : "FAIL", r->sc->file, st->line, checks[i].what,
                     checks[i].limit, checks[i].value);
        else
            snprintf(line, sizeof(line), "FAIL %s:%d: %s%g (not measured in this run)\n",
                     r->sc->file, st->line, checks[i].what, checks[i].limit);
        sc_append_line(r, "assertions.txt", NULL, line);
        line[strcspn(line, "\n")] = '\0';
        sc_note(r, "assert: %s", line);
    }
    return 0;
}

/* --- info ------------------------------------------------------------------- */

/* One INFO section of a node, its text without the CRs (or why not). */
static void info_section(net_client *cl, const char *section, strbuf *out)
{
    vm_err e = {0};
    redisReply *rep = net_client_cmd_ok(cl, &e, "INFO", section, NULL);
    if (!rep || (rep->type != REDIS_REPLY_STRING && rep->type != REDIS_REPLY_STATUS)) {
        sb_addf(out, "# INFO %s failed: %s\n", section,
                rep        ? "not a text reply"
                : e.msg[0] ? e.msg
                           : "no reply");
    } else {
        for (size_t i = 0; i < rep->len; i++)
            if (rep->str[i] != '\r')
                sb_addch(out, rep->str[i]);
        if (rep->len && rep->str[rep->len - 1] != '\n')
            sb_addch(out, '\n');
    }
    if (rep)
        freeReplyObject(rep);
}

int sc_run_info(sc_exec *x, const sc_step *st, vm_err *err)
{
    sc_runner *r = x->r;
    char iso[32], name[64];
    clk_iso8601(clk_wall_ms(), iso);
    snprintf(name, sizeof(name), "info-%llu.txt", (unsigned long long)r->leaf);
    strbuf b = STRBUF_INIT;
    const char *label = st->label ? st->label : "";
    sb_addf(&b, "# info%s%s at %s: step %s, leaf %llu, %llu live vectors\n", *label ? " " : "",
            label, iso, x->path, (unsigned long long)r->leaf,
            (unsigned long long)live_count(&r->s.st.live, LC_ALL_COPIES));
    for (int i = 0; i < r->srv.n; i++) {
        lc_node *n = &r->srv.node[i];
        sb_addf(&b, "\n## node %s (%s)\n", n->cl.name,
                !r->srv.cluster ? "standalone"
                : n->is_master  ? "master"
                                : "replica");
        info_section(&n->cl, "memory", &b);
        info_section(&n->cl, "modules", &b);
    }
    char *p = sc_path_in(r, name);
    int rc = sc_write_file(p, b.buf, b.len, err);
    free(p);
    sb_release(&b);
    if (rc == 0)
        sc_note(r, "info%s%s: INFO memory and modules of %d node%s in %s", *label ? " " : "", label,
                r->srv.n, r->srv.n > 1 ? "s" : "", name);
    return rc;
}
