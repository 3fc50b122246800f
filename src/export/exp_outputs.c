/* exp_outputs: see exp_outputs.h. */
#include "exp_outputs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/hist.h"
#include "../util/strbuf.h"
#include "../util/vm_grow.h"
#include "prom_text.h"

static char *join(const char *dir, const char *file)
{
    strbuf sb = STRBUF_INIT;
    sb_addf(&sb, "%s/%s", dir, file);
    return sb_detach(&sb, NULL);
}

/* prom_push's extra hook: the latency histograms, on the push thread. */
static void render_latency(void *ctx, const char *node, strbuf *out)
{
    (void)node;
    exp_outputs *o = ctx;
    pthread_mutex_lock(&o->lat_mu);
    for (size_t i = 0; i < o->nlat; i++) {
        strbuf labels = STRBUF_INIT;
        sb_addstr(&labels, "op=\"");
        prom_add_label_value(&labels, o->lat[i].op);
        sb_addch(&labels, '"');
        /* one TYPE line per name: the first op carries it */
        strbuf one = STRBUF_INIT;
        prom_render_latency(&one, "command_latency_seconds", labels.buf, o->lat[i].h);
        const char *body = one.buf;
        if (i > 0 && !strncmp(body, "# TYPE ", 7))
            body = strchr(body, '\n') + 1;
        sb_addstr(out, body);
        sb_release(&one);
        sb_release(&labels);
    }
    pthread_mutex_unlock(&o->lat_mu);
}

void exp_set_latency(exp_outputs *o, const char *op, const hist *h)
{
    pthread_mutex_lock(&o->lat_mu);
    size_t i = 0;
    while (i < o->nlat && strcmp(o->lat[i].op, op))
        i++;
    if (i == o->nlat) {
        o->lat = vm_xrealloc_array(o->lat, o->nlat + 1, sizeof(*o->lat));
        snprintf(o->lat[i].op, sizeof(o->lat[i].op), "%s", op);
        o->lat[i].h = malloc(sizeof(hist));
        if (!o->lat[i].h)
            abort();
        o->nlat++;
    }
    *o->lat[i].h = *h;
    pthread_mutex_unlock(&o->lat_mu);
}

int exp_open(exp_outputs *o, const exp_conf *c, vm_err *err)
{
    memset(o, 0, sizeof(*o));
    pthread_mutex_init(&o->lat_mu, NULL);
    o->wide.fd = o->lng.fd = -1;
    o->summary = c->summary;
    if (c->csv_path)
        o->wide_path = strdup(c->csv_path);
    else if (c->out_dir)
        o->wide_path = join(c->out_dir, "memory.csv");
    if (c->out_dir && !c->no_long)
        o->long_path = join(c->out_dir, "memory_long.csv");
    if (o->wide_path) {
        if (csv_wide_open(&o->wide, o->wide_path, err) < 0)
            goto fail;
        o->have_wide = true;
    }
    if (o->long_path) {
        if (csv_long_open(&o->lng, o->long_path, err) < 0)
            goto fail;
        o->have_long = true;
    }
    if (c->push && c->push->url) {
        o->push_conf = *c->push;
        if (!o->push_conf.extra) {
            o->push_conf.extra = render_latency;
            o->push_conf.extra_ctx = o;
        }
        if (prom_push_open(&o->push, &o->push_conf, err) < 0)
            goto fail;
    }
    return 0;
fail:
    exp_close(o, NULL, NULL);
    return -1;
}

int exp_sink(void *ctx, const mon_sample *s, vm_err *err)
{
    exp_outputs *o = ctx;
    if (o->have_wide && csv_wide_write(&o->wide, s, err) < 0)
        return -1;
    if (o->have_long && csv_long_write(&o->lng, s, err) < 0)
        return -1;
    if (o->push)
        prom_push_sink(o->push, s, err);
    if (o->summary)
        sum_sink(o->summary, s, err);
    o->samples++;
    return 0;
}

int exp_close(exp_outputs *o, prom_push_stats *push_stats, vm_err *push_err)
{
    int rc = 0;
    if (o->have_wide)
        csv_wide_close(&o->wide);
    if (o->have_long)
        csv_long_close(&o->lng);
    o->have_wide = o->have_long = false;
    if (o->push) {
        prom_push_stats st = {0};
        rc = prom_push_close(o->push, &st, push_err);
        o->push = NULL;
        if (o->summary)
            sum_set_push(o->summary, st.pushes, st.failed_attempts, st.dropped);
        if (push_stats)
            *push_stats = st;
    }
    free(o->wide_path);
    free(o->long_path);
    o->wide_path = o->long_path = NULL;
    for (size_t i = 0; i < o->nlat; i++)
        free(o->lat[i].h);
    free(o->lat);
    o->lat = NULL;
    o->nlat = 0;
    return rc;
}
