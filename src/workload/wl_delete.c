/* wl_delete: see wl_delete.h. */
#include "wl_delete.h"

#include <string.h>

#include "../net/resp.h"

void wl_delete_init(wl_delete *w, const char *prefix, const uint64_t *tags, uint64_t ntags,
                    live_set *live)
{
    memset(w, 0, sizeof(*w));
    w->prefix = prefix;
    w->prefix_len = strlen(prefix);
    w->tags = tags;
    w->ntags = ntags;
    w->live = live;
}

static int del_next(void *ctx, int thread, uint64_t *tag)
{
    wl_delete *w = ctx;
    (void)thread;
    uint64_t i = atomic_fetch_add(&w->next, 1);
    if (i >= w->ntags)
        return 0;
    *tag = w->tags[i];
    return 1;
}

static void del_emit(void *ctx, uint64_t tag, strbuf *out)
{
    wl_delete *w = ctx;
    resp_add_array(out, 2);
    resp_add_bulk(out, "DEL", 3);
    wl_add_key(out, w->prefix, w->prefix_len, WL_TAG_COPY(tag), WL_TAG_ID(tag));
}

static int del_reply(void *ctx, int thread, uint64_t tag, const redisReply *r, vm_err *err)
{
    wl_delete *w = ctx;
    (void)err;
    if (r->type == REDIS_REPLY_ERROR) {
        atomic_fetch_add(&w->errors, 1);
        int expect = 0;
        if (atomic_compare_exchange_strong(&w->have_error, &expect, 1))
            snprintf(w->first_error, sizeof(w->first_error), "%.*s", (int)r->len, r->str);
        return 0;
    }
    if (r->type == REDIS_REPLY_INTEGER && r->integer == 0)
        atomic_fetch_add(&w->missing, 1);
    else
        wl_count_add(&w->deleted, thread);
    if (w->live)
        live_mark(w->live, WL_TAG_COPY(tag), WL_TAG_ID(tag), false);
    return 0;
}

eng_workload wl_delete_workload(wl_delete *w)
{
    static const char *const ops[] = {"del"};
    eng_workload wl = {w, del_next, del_emit, del_reply, false};
    wl.op_names = ops;
    wl.nops = 1;
    return wl;
}
