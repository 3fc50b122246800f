/* wl_ingest: prefill workload; see wl_ingest.h.
 *
 * The blob is copied straight from the mapped file into the connection's
 * output buffer (float32 files); other element types are widened to
 * float32 directly in that buffer, so no per-vector allocation happens. */
#include "wl_ingest.h"

#include <string.h>

#include "../net/net_resp.h"

/* claim ids in chunks so the threads do not contend on one cache line */
#define CLAIM 64
static _Thread_local uint64_t claim_cur, claim_end;
static _Thread_local const wl_ingest *claim_owner;

void wl_ingest_init(wl_ingest *w, const ds_vecfile *base, const char *prefix,
                    const char *field, uint64_t first, uint64_t end)
{
    memset(w, 0, sizeof(*w));
    w->base = base;
    w->prefix = prefix;
    w->prefix_len = strlen(prefix);
    w->field = field;
    w->field_len = strlen(field);
    w->first = first;
    w->end = end;
    atomic_init(&w->next, first);
}

static int ingest_next(void *ctx, int thread, uint64_t *tag)
{
    wl_ingest *w = ctx;
    (void)thread;
    if (claim_owner != w || claim_cur >= claim_end) {
        claim_owner = w;
        uint64_t s = atomic_fetch_add(&w->next, CLAIM);
        if (s >= w->end) {
            claim_cur = claim_end = 0;
            return 0;
        }
        claim_cur = s;
        claim_end = s + CLAIM < w->end ? s + CLAIM : w->end;
    }
    *tag = claim_cur++;
    return 1;
}

static void ingest_emit(void *ctx, uint64_t id, strbuf *out)
{
    wl_ingest *w = ctx;
    const ds_vecfile *f = w->base;
    resp_add_array(out, 4);
    resp_add_bulk(out, "HSET", 4);
    resp_add_bulk_key(out, w->prefix, w->prefix_len, id);
    resp_add_bulk(out, w->field, w->field_len);
    if (f->elem == DS_F32) {
        resp_add_blob(out, ds_vecfile_row(f, id), ds_vecfile_row_bytes(f));
        return;
    }
    size_t nbytes = (size_t)f->dim * 4;
    resp_add_len(out, '$', nbytes);
    sb_grow(out, nbytes + 2);
    ds_vecfile_row_f32(f, id, out->buf + out->len);
    out->len += nbytes;
    out->buf[out->len++] = '\r';
    out->buf[out->len++] = '\n';
    out->buf[out->len] = '\0';
}

static int ingest_reply(void *ctx, int thread, uint64_t tag, const redisReply *r, vm_err *err)
{
    wl_ingest *w = ctx;
    (void)thread;
    (void)tag;
    (void)err;
    if (r->type == REDIS_REPLY_ERROR) {
        atomic_fetch_add(&w->errors, 1);
        int expect = 0;
        if (atomic_compare_exchange_strong(&w->have_error, &expect, 1)) {
            size_t n = r->len < sizeof(w->first_error) - 1 ? r->len : sizeof(w->first_error) - 1;
            memcpy(w->first_error, r->str, n);
            w->first_error[n] = '\0';
        }
        return 0;
    }
    atomic_fetch_add_explicit(&w->done, 1, memory_order_relaxed);
    return 0;
}

eng_workload wl_ingest_workload(wl_ingest *w)
{
    eng_workload wl = {w, ingest_next, ingest_emit, ingest_reply, false};
    return wl;
}
