/* sc_exec: the helpers every executor shares — narration, the run folder,
 * the engine settings of a step, progress; see sc_exec.h. */
#include "sc_exec.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../util/clock.h"
#include "../util/strbuf.h"

void sc_note(sc_runner *r, const char *fmt, ...)
{
    char line[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (r->c->note) {
        pthread_mutex_lock(&r->mu);
        r->c->note(r->c->note_ctx, line);
        pthread_mutex_unlock(&r->mu);
    }
}

bool sc_stopped(const sc_runner *r)
{
    return r->c->eng.stop && atomic_load(r->c->eng.stop);
}

double sc_mem_now(sc_runner *r)
{
    pthread_mutex_lock(&r->mu);
    double sum = 0;
    for (int i = 0; i < r->nnodes; i++)
        sum += r->nodes[i].used;
    pthread_mutex_unlock(&r->mu);
    return sum;
}

double sc_info_used_memory(sc_runner *r)
{
    vm_err e = {0};
    double v = -1;
    return lc_servers_used_memory(&r->srv, &v, &e) < 0 ? -1 : v;
}

char *sc_path_in(const sc_runner *r, const char *name)
{
    strbuf p = STRBUF_INIT;
    sb_addf(&p, "%s/%s", r->c->out_dir, name);
    return sb_detach(&p, NULL);
}

int sc_write_file(const char *path, const char *text, size_t len, vm_err *err)
{
    strbuf tmp = STRBUF_INIT;
    sb_addf(&tmp, "%s.tmp", path);
    FILE *f = fopen(tmp.buf, "w");
    int rc = 0;
    if (!f || fwrite(text, 1, len, f) != len || fflush(f) != 0 || fsync(fileno(f)) != 0)
        rc = vm_err_set(err, VM_EIO, "%s: %s", tmp.buf, strerror(errno));
    if (f && fclose(f) != 0 && rc == 0)
        rc = vm_err_set(err, VM_EIO, "%s: %s", tmp.buf, strerror(errno));
    if (rc == 0 && rename(tmp.buf, path) != 0)
        rc = vm_err_set(err, VM_EIO, "%s: %s", path, strerror(errno));
    sb_release(&tmp);
    return rc;
}

void sc_append_line(sc_runner *r, const char *name, const char *header, const char *line)
{
    char *p = sc_path_in(r, name);
    FILE *f = fopen(p, "a");
    if (f) {
        if (ftell(f) == 0 && header)
            fputs(header, f);
        fputs(line, f);
        fclose(f);
    }
    free(p);
}

/* Bounded, so a frozen node delays a step boundary by at most the bound. */
void sc_step_sample(sc_runner *r)
{
    if (r->mon_on) {
        uint64_t bound = 2 * r->sc->interval_ms;
        mon_sample_now(&r->mon, bound > 5000 ? bound : 5000);
    }
}

eng_config sc_step_eng(const sc_exec *x, const sc_step *st)
{
    eng_config e = x->r->c->eng;
    e.totals = x->totals;
    if (st->clients > 0) {
        e.clients = st->clients;
        if (e.threads > e.clients)
            e.threads = e.clients;
    }
    if (st->rate)
        e.rate_ops = st->rate;
    return e;
}

static void on_start(void *ctx, uint64_t total, _Atomic uint64_t *done)
{
    sc_runner *r = ctx;
    if (r->c->prog && r->c->prog->on_start)
        r->c->prog->on_start(r->c->prog->ctx, total, done);
}

/* pass on, and save the liveness bitmaps every second so a killed run
 * loses at most a second of acknowledgements (which the resumed run simply
 * writes again) */
void sc_tick(void *ctx)
{
    sc_runner *r = ctx;
    uint64_t now = clk_mono_ns();
    if (now - r->last_save_ns > 1000000000ull) {
        vm_err e = {0};
        lc_session_save(&r->s, &e);
        r->last_save_ns = now;
    }
    if (r->c->prog && r->c->prog->tick)
        r->c->prog->tick(r->c->prog->ctx);
}

lc_progress sc_progress(sc_runner *r)
{
    lc_progress p = {on_start, sc_tick, r};
    return p;
}

bool sc_need_module(sc_runner *r, const char *what)
{
    if (r->module)
        return true;
    if (!r->said_no_module) {
        sc_note(r, "the server has no search module: index steps are skipped (first: %s)", what);
        r->said_no_module = true;
    }
    return false;
}

const char *sc_index_name(const sc_runner *r)
{
    return r->sc->create_index ? r->sc->index.name : "idx";
}

void sc_op_done(sc_runner *r, const lc_op_result *o, sum_phase_stats *ps, const char *what)
{
    ps->operations = o->ok + o->errors;
    ps->errors = o->errors;
    ps->vectors = o->ok;
    ps->client_cpu_s = o->cpu_s;
    sc_note(r, "%s: %llu of %llu in %.2f s (%.0f/s), client CPU %.2f s, %llu errors%s%s", what,
            (unsigned long long)o->ok, (unsigned long long)o->planned, o->seconds,
            o->seconds > 0 ? (double)o->ok / o->seconds : 0.0, o->cpu_s,
            (unsigned long long)o->errors, o->errors ? ", first: " : "", o->first_error);
}
