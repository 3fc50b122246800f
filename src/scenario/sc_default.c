/* sc_default: see sc_default.h. */
#include "sc_default.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../export/csv_wide.h"
#include "../monitor/mon_sampler.h"
#include "../util/clock.h"
#include "../util/strbuf.h"

typedef struct run_state {
    const char *run_id;
    _Atomic(const char *) phase;
    _Atomic(_Atomic uint64_t *) done;
    csv_wide csv;
    long samples;
    bool have_mem;
    double mem_start, mem_end, mem_peak;
    const lc_progress *outer;
} run_state;

static void labels(void *ctx, mon_labels *out)
{
    run_state *s = ctx;
    out->run_id = s->run_id;
    out->phase = atomic_load(&s->phase);
    out->step = out->phase;
    _Atomic uint64_t *d = atomic_load(&s->done);
    out->live_vectors = out->inserted_total = d ? atomic_load(d) : 0;
    out->deleted_total = 0;
}

static int sink(void *ctx, const mon_sample *smp, vm_err *err)
{
    run_state *s = ctx;
    const double *um = mon_fields_get(&smp->fields, "used_memory");
    if (um) {
        if (!s->have_mem)
            s->mem_start = s->mem_peak = *um;
        s->have_mem = true;
        s->mem_end = *um;
        if (*um > s->mem_peak)
            s->mem_peak = *um;
    }
    s->samples++;
    return csv_wide_write(&s->csv, smp, err);
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

static int write_summary(const sc_default_conf *c, const sc_default_result *r, vm_err *err)
{
    strbuf p = STRBUF_INIT, j = STRBUF_INIT;
    sb_addf(&p, "%s/summary.json", c->out_dir);
    const lc_prefill_result *pr = &r->prefill;
    sb_addf(&j,
            "{\n  \"run_id\": \"%s\",\n  \"scenario\": \"default\",\n  \"dataset\": \"%s\",\n"
            "  \"phases\": [\n    {\"phase\": \"prefill\", \"vectors\": %llu, \"errors\": %llu,"
            " \"seconds\": %.3f, \"vectors_per_second\": %.1f}\n  ],\n"
            "  \"samples\": %ld,\n  \"used_memory_bytes\": {\"start\": %.0f, \"end\": %.0f,"
            " \"peak\": %.0f},\n  \"bytes_per_vector\": %.1f\n}\n",
            c->run_id, c->prefill.dataset, (unsigned long long)pr->vectors,
            (unsigned long long)pr->errors, pr->seconds,
            pr->seconds > 0 ? (double)pr->vectors / pr->seconds : 0.0, r->samples,
            r->used_memory_start, r->used_memory_end, r->used_memory_peak,
            pr->vectors ? (r->used_memory_end - r->used_memory_start) / (double)pr->vectors
                        : 0.0);
    FILE *f = fopen(p.buf, "w");
    int rc = 0;
    if (!f || fwrite(j.buf, 1, j.len, f) != j.len)
        rc = vm_err_set(err, VM_EIO, "%s: %s", p.buf, strerror(errno));
    if (f && fclose(f) != 0 && rc == 0)
        rc = vm_err_set(err, VM_EIO, "%s: %s", p.buf, strerror(errno));
    sb_release(&p);
    sb_release(&j);
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
    strbuf path = STRBUF_INIT;
    sb_addf(&path, "%s/memory.csv", conf->out_dir);
    int rc = csv_wide_open(&st.csv, path.buf, err);
    sb_release(&path);
    if (rc < 0)
        return -1;
    mon_config mc = {.ep = eng->ep, .interval_ms = conf->interval_ms, .sections = "memory",
                     .sink = sink, .sink_ctx = &st, .labels = labels, .labels_ctx = &st};
    mon_thread mt;
    if (mon_start(&mt, &mc, err) < 0) {
        csv_wide_close(&st.csv);
        return -1;
    }
    wait_ms(conf->interval_ms, eng->stop);
    atomic_store(&st.phase, "prefill");
    lc_progress inner = {on_start, tick, &st};
    rc = lc_prefill(&conf->prefill, eng, &inner, &res->prefill, err);
    atomic_store(&st.phase, "settle");
    if (rc == 0)
        wait_ms(2 * conf->interval_ms, eng->stop);
    vm_err merr = {0};
    long n = mon_stop(&mt, &merr);
    if (n < 0 && rc == 0) {
        *err = merr;
        rc = -1;
    }
    csv_wide_close(&st.csv);
    res->samples = st.samples;
    res->used_memory_start = st.mem_start;
    res->used_memory_end = st.mem_end;
    res->used_memory_peak = st.mem_peak;
    if (write_summary(conf, res, rc == 0 ? err : &merr) < 0 && rc == 0)
        rc = -1;
    return rc;
}
