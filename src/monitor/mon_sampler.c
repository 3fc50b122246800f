/* mon_sampler: see mon_sampler.h. */
#include "mon_sampler.h"

#include <string.h>

#include "../net/net_client.h"
#include "../util/clock.h"

void mon_labels_static(void *ctx, mon_labels *out)
{
    *out = *(const mon_labels *)ctx;
}

static int take_sample(net_client *cl, const mon_config *cfg, mon_sample *s, vm_err *err)
{
    mon_fields_clear(&s->fields);
    char secs[128];
    snprintf(secs, sizeof(secs), "%s", cfg->sections ? cfg->sections : "memory");
    const char *argv[16] = {"INFO"};
    int argc = 1;
    for (char *tok = strtok(secs, " "); tok && argc < 16; tok = strtok(NULL, " "))
        argv[argc++] = tok;
    s->wall_ms = clk_wall_ms();
    redisReply *r = net_client_cmdv(cl, argc, argv, NULL, err);
    if (!r)
        return -1;
    if (r->type != REDIS_REPLY_STRING && r->type != REDIS_REPLY_STATUS) {
        vm_err_set(err, VM_ESERVER, "%s: INFO answered %s", cl->name,
                   r->type == REDIS_REPLY_ERROR ? r->str : "a non-text reply");
        freeReplyObject(r);
        return -1;
    }
    mon_info_parse(r->str, r->len, &s->fields);
    freeReplyObject(r);
    memset(&s->labels, 0, sizeof(s->labels));
    if (cfg->labels)
        cfg->labels(cfg->labels_ctx, &s->labels);
    return cfg->sink(cfg->sink_ctx, s, err);
}

long mon_run(const mon_config *cfg, atomic_bool *stop, vm_err *err)
{
    const net_endpoint *ep = cfg->ep;
    net_client cl;
    if (net_client_open(&cl, ep, ep->host, ep->port, err) < 0)
        return -1;
    uint64_t interval_ns = (cfg->interval_ms ? cfg->interval_ms : 1000) * 1000000ull;
    uint64_t t0 = clk_mono_ns();
    uint64_t end = cfg->duration_ms ? t0 + cfg->duration_ms * 1000000ull : UINT64_MAX;
    mon_sample s;
    memset(&s, 0, sizeof(s));
    s.node = cl.name;
    long n = 0;
    for (uint64_t k = 0;; k++) {
        if (take_sample(&cl, cfg, &s, err) < 0) {
            n = -1;
            break;
        }
        n++;
        uint64_t due = t0 + (k + 1) * interval_ns;
        uint64_t now = clk_mono_ns();
        if (due < now) /* a sample overran: skip the missed slots */
            k += (now - due) / interval_ns + 1, due = t0 + (k + 1) * interval_ns;
        if (due >= end) /* the window is [t0, t0 + duration) */
            break;
        bool stopped = false;
        while ((now = clk_mono_ns()) < due) {
            if (stop && atomic_load(stop)) {
                stopped = true;
                break;
            }
            uint64_t left = due - now;
            clk_sleep_ns(left < 50000000ull ? left : 50000000ull);
        }
        if (stopped) {
            if (take_sample(&cl, cfg, &s, err) < 0)
                n = -1;
            else
                n++;
            break;
        }
    }
    mon_fields_free(&s.fields);
    net_client_close(&cl);
    return n;
}

static void *mon_main(void *arg)
{
    mon_thread *t = arg;
    t->samples = mon_run(&t->cfg, &t->stop, &t->err);
    return NULL;
}

int mon_start(mon_thread *t, const mon_config *cfg, vm_err *err)
{
    memset(t, 0, sizeof(*t));
    t->cfg = *cfg;
    t->cfg.duration_ms = 0;
    atomic_init(&t->stop, false);
    if (pthread_create(&t->tid, NULL, mon_main, t) != 0)
        return vm_err_set(err, VM_EINTERNAL, "cannot start the monitor thread");
    return 0;
}

long mon_stop(mon_thread *t, vm_err *err)
{
    atomic_store(&t->stop, true);
    pthread_join(t->tid, NULL);
    if (t->samples < 0 && err)
        *err = t->err;
    return t->samples;
}
