/* sc_default: see sc_default.h. */
#include "sc_default.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../export/exp_outputs.h"
#include "../monitor/mon_sampler.h"
#include "../util/clock.h"
#include "../util/strbuf.h"

typedef struct run_state {
    const char *run_id;
    _Atomic(const char *) phase;
    _Atomic(_Atomic uint64_t *) done;
    _Atomic uint64_t final; /* the prefill's count once its counter is gone */
    exp_outputs outs; /* memory.csv, memory_long.csv and the summary */
    sum_run *sum;
    const lc_progress *outer;
} run_state;

static void labels(void *ctx, mon_labels *out)
{
    run_state *s = ctx;
    out->run_id = s->run_id;
    out->phase = atomic_load(&s->phase);
    out->step = out->phase;
    _Atomic uint64_t *d = atomic_load(&s->done);
    out->live_vectors = out->inserted_total = d ? atomic_load(d) : atomic_load(&s->final);
    out->deleted_total = 0;
}

static void on_start(void *ctx, uint64_t total, _Atomic uint64_t *done)
{
    run_state *s = ctx;
    atomic_store(&s->done, done);
    if (s->outer && s->outer->on_start)
        s->outer->on_start(s->outer->ctx, total, done);
}

static void tick(void *ctx)
{
    run_state *s = ctx;
    if (s->outer && s->outer->tick)
        s->outer->tick(s->outer->ctx);
}

static void wait_ms(uint64_t ms, atomic_bool *stop)
{
    uint64_t end = clk_mono_ns() + ms * 1000000ull;
    while (clk_mono_ns() < end && !(stop && atomic_load(stop)))
        clk_sleep_ns(10000000ull);
}

static int write_summary(const sc_default_conf *c, sum_run *sum, vm_err *err)
{
    strbuf p = STRBUF_INIT;
    sb_addf(&p, "%s/summary.json", c->out_dir);
    int rc = sum_write(sum, p.buf, err);
    sb_release(&p);
    return rc;
}

int sc_default_run(const sc_default_conf *conf, const eng_config *eng, const lc_progress *prog,
                   sc_default_result *res, vm_err *err)
{
    memset(res, 0, sizeof(*res));
    run_state st;
    memset(&st, 0, sizeof(st));
    st.run_id = conf->run_id;
    st.outer = prog;
    atomic_init(&st.phase, "baseline");
    atomic_init(&st.done, NULL);
    atomic_init(&st.final, 0);
    st.sum = sum_open(conf->run_id, "default", conf->prefill.dataset);
    exp_conf ec = {.out_dir = conf->out_dir, .summary = st.sum};
    if (exp_open(&st.outs, &ec, err) < 0) {
        sum_free(st.sum);
        return -1;
    }
    mon_config mc = {.ep = eng->ep, .interval_ms = conf->interval_ms, .sink = exp_sink,
                     .sink_ctx = &st.outs, .labels = labels, .labels_ctx = &st,
                     .live_from_labels = true};
    mon_thread mt;
    if (mon_start(&mt, &mc, err) < 0) {
        exp_close(&st.outs, NULL, NULL);
        sum_free(st.sum);
        return -1;
    }
    wait_ms(conf->interval_ms, eng->stop);
    atomic_store(&st.phase, "prefill");
    sum_phase_begin(st.sum, "prefill", "prefill");
    lc_progress inner = {on_start, tick, &st};
    int rc = lc_prefill(&conf->prefill, eng, &inner, &res->prefill, err);
    const lc_prefill_result *pr = &res->prefill;
    atomic_store(&st.final, pr->vectors);
    atomic_store(&st.done, NULL); /* the counter lived inside lc_prefill */
    sum_phase_end(st.sum, &(sum_phase_stats){.operations = pr->vectors + pr->errors,
                                             .errors = pr->errors,
                                             .vectors = pr->vectors,
                                             .live_vectors_end = pr->vectors});
    atomic_store(&st.phase, "settle");
    if (rc == 0)
        wait_ms(2 * conf->interval_ms, eng->stop);
    vm_err merr = {0};
    long n = mon_stop(&mt, &merr);
    if (n < 0 && rc == 0) {
        *err = merr;
        rc = -1;
    }
    exp_close(&st.outs, NULL, NULL);
    sum_used_memory(st.sum, &res->used_memory_start, &res->used_memory_end,
                    &res->used_memory_peak, &res->samples);
    if (write_summary(conf, st.sum, rc == 0 ? err : &merr) < 0 && rc == 0)
        rc = -1;
    sum_free(st.sum);
    return rc;
}
