/* wl_ingest: insert workload; see wl_ingest.h.
 *
 * The blob of an original float32 vector is copied straight from the mapped
 * file into the connection's output buffer; other element types, expanded
 * copies and normalised vectors are computed directly in that buffer, so no
 * per-vector allocation happens. */
#include "wl_ingest.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../net/resp.h"

/* claim items in chunks so the threads do not contend on one cache line:
 * neither on the claim counter nor on the live bitmap, whose bits for 512
 * consecutive ids fill one 64-byte line (a chunk of 64 shared its line with
 * seven other threads' chunks, and every reply's bit moved it between cores) */
#define CLAIM 512
static _Thread_local uint64_t claim_cur, claim_end;
static _Thread_local const wl_ingest *claim_owner;

void wl_ingest_init(wl_ingest *w, const ds_vecfile *base, const char *prefix, const char *field,
                    uint64_t first, uint64_t end)
{
    memset(w, 0, sizeof(*w));
    w->base = base;
    w->prefix = prefix;
    w->prefix_len = strlen(prefix);
    w->field = field;
    w->field_len = strlen(field);
    w->first = first;
    w->end = end;
    w->copy_first = 0;
    w->copy_end = 1;
    atomic_init(&w->next, 0);
    w->row_bytes = ds_vecfile_row_bytes(base);
    static _Atomic uint64_t gens;
    w->gen = atomic_fetch_add(&gens, 1) + 1;
    strbuf mid = STRBUF_INIT;
    sb_addstr(&mid, "\r\n");
    resp_add_bulk(&mid, field, w->field_len);
    resp_add_len(&mid, '$', w->row_bytes);
    if (mid.len <= sizeof(w->plain_mid)) {
        memcpy(w->plain_mid, mid.buf, mid.len);
        w->plain_mid_len = (uint8_t)mid.len;
    }
    sb_release(&mid);
}

uint64_t wl_ingest_total(const wl_ingest *w)
{
    if (w->tags)
        return w->ntags;
    return (uint64_t)(w->copy_end - w->copy_first) * (w->end - w->first);
}

static uint64_t item_tag(const wl_ingest *w, uint64_t i)
{
    if (w->tags)
        return w->tags[i];
    if (w->copy_end - w->copy_first == 1) /* the common case: no division */
        return WL_TAG(w->copy_first, w->first + i);
    uint64_t span = w->end - w->first;
    return WL_TAG(w->copy_first + (uint32_t)(i / span), w->first + i % span);
}

static int ingest_next(void *ctx, int thread, uint64_t *tag)
{
    wl_ingest *w = ctx;
    (void)thread;
    if (claim_owner != w || claim_cur >= claim_end) {
        claim_owner = w;
        uint64_t total = wl_ingest_total(w);
        uint64_t s = atomic_fetch_add(&w->next, CLAIM);
        if (s >= total) {
            claim_cur = claim_end = 0;
            return 0;
        }
        claim_cur = s;
        claim_end = s + CLAIM < total ? s + CLAIM : total;
    }
    for (;;) {
        if (w->stop_on_oom && atomic_load_explicit(&w->oom, memory_order_relaxed))
            return 0;
        uint64_t t = item_tag(w, claim_cur++);
        if (!(w->skip_live && w->live && live_test(w->live, WL_TAG_COPY(t), WL_TAG_ID(t)))) {
            *tag = t;
            return 1;
        }
        if (claim_cur >= claim_end)
            return ingest_next(ctx, thread, tag); /* claim the next chunk */
    }
}

void wl_add_vector_blob(strbuf *out, const ds_vecfile *f, uint64_t id, uint32_t copy,
                        const xp_plan *plan, bool normalize)
{
    if (f->elem == DS_F32 && copy == 0 && !normalize) {
        resp_add_blob(out, ds_vecfile_row(f, id), ds_vecfile_row_bytes(f));
        return;
    }
    size_t nbytes = (size_t)f->dim * 4;
    resp_add_len(out, '$', nbytes);
    sb_grow(out, nbytes + 2);
    unsigned char *v = (unsigned char *)out->buf + out->len;
    ds_vecfile_row_f32(f, id, v);
    if (normalize) {
        double s = 0;
        float x;
        for (uint32_t j = 0; j < f->dim; j++) {
            memcpy(&x, v + 4 * j, 4);
            s += (double)x * x;
        }
        if (s > 0) {
            double inv = 1.0 / sqrt(s);
            for (uint32_t j = 0; j < f->dim; j++) {
                memcpy(&x, v + 4 * j, 4);
                x = (float)(x * inv);
                memcpy(v + 4 * j, &x, 4);
            }
        }
    }
    if (copy && plan)
        xp_apply(plan, copy, v);
    out->len += nbytes;
    out->buf[out->len++] = '\r';
    out->buf[out->len++] = '\n';
    out->buf[out->len] = '\0';
}

void wl_add_key(strbuf *out, const char *prefix, size_t prefix_len, uint32_t copy, uint64_t id)
{
    char head[64];
    size_t n = 0;
    if (copy) {
        memcpy(head, "expand_", 7);
        n = 7 + fmt_u64(head + 7, copy);
        head[n++] = '_';
    }
    if (n + prefix_len <= sizeof(head)) {
        memcpy(head + n, prefix, prefix_len);
        resp_add_bulk_key(out, head, n + prefix_len, id);
    } else { /* a very long prefix: build the key the slow way */
        strbuf k = STRBUF_INIT;
        xp_key(&k, prefix, copy, id);
        resp_add_bulk(out, k.buf, k.len);
        sb_release(&k);
    }
}

void wl_tag_value(uint64_t id, char out[8])
{
    uint64_t h = id * 0x9E3779B97F4A7C15ull;
    snprintf(out, 8, "t%u", (unsigned)(h >> 59));
}

uint64_t wl_numeric_value(uint64_t id)
{
    return id % 1000;
}

/* the plain path takes prefixes up to this long (the cached head's room) */
#define PLAIN_PREFIX_MAX 40

/* The key of the last plain command this thread wrote: ids come in claimed
 * chunks of consecutive numbers, so the next key is usually this one's
 * decimal digits plus one — no division per command. */
typedef struct key_cache {
    uint64_t gen; /* the workload's (wl_ingest.gen); 0 = empty */
    uint64_t id;
    char head[64]; /* "*4\r\n$4\r\nHSET\r\n$<key len>\r\n<prefix>" */
    size_t head_len;
    char digits[24];
    unsigned ndigits;
} key_cache;
static _Thread_local key_cache kc;

static void key_head(const wl_ingest *w)
{
    char *p = kc.head;
    memcpy(p, "*4\r\n$4\r\nHSET\r\n$", 15);
    p += 15;
    p += resp_put_u64(p, w->prefix_len + kc.ndigits);
    *p++ = '\r';
    *p++ = '\n';
    memcpy(p, w->prefix, w->prefix_len); /* <= PLAIN_PREFIX_MAX: the caller checked */
    kc.head_len = (size_t)(p - kc.head) + w->prefix_len;
}

static void key_for(const wl_ingest *w, uint64_t id)
{
    if (kc.gen == w->gen && kc.id + 1 == id) {
        unsigned i = kc.ndigits;
        while (i > 0 && kc.digits[i - 1] == '9')
            kc.digits[--i] = '0';
        kc.id = id;
        if (i > 0) {
            kc.digits[i - 1]++;
            return;
        }
        /* 99..9 + 1: one digit more */
    }
    kc.gen = w->gen;
    kc.id = id;
    kc.ndigits = resp_put_u64(kc.digits, id);
    key_head(w);
}

/* The common case, an original float32 vector and no attributes, in one
 * reservation: HSET <prefix><id> <field> <row bytes from the mapped file>.
 * Everything but the key's digits and the row is the same from command to
 * command (kc.head, plain_mid); the pieces go as whole fixed-size copies
 * (the reservation has room), which the compiler inlines. */
static void emit_plain(const wl_ingest *w, uint64_t id, strbuf *out)
{
    size_t rb = w->row_bytes;
    key_for(w, id);
    resp_reserve(out, sizeof(kc.head) + sizeof(kc.digits) + sizeof(w->plain_mid) + rb + 2);
    char *p = out->buf + out->len;
    /* 32-byte pieces, which compile to vector moves (a whole 64-byte struct
     * copy compiles to rep movs, several times slower for so few bytes) */
    memcpy(p, kc.head, 32);
    if (kc.head_len > 32)
        memcpy(p + 32, kc.head + 32, 32);
    p += kc.head_len;
    memcpy(p, kc.digits, sizeof(kc.digits));
    p += kc.ndigits;
    memcpy(p, w->plain_mid, 32);
    if (w->plain_mid_len > 32)
        memcpy(p + 32, w->plain_mid + 32, sizeof(w->plain_mid) - 32);
    p += w->plain_mid_len;
    memcpy(p, ds_vecfile_row(w->base, id), rb);
    p += rb;
    *p++ = '\r';
    *p++ = '\n';
    *p = '\0';
    out->len = (size_t)(p - out->buf);
}

static void ingest_emit(void *ctx, uint64_t tag, strbuf *out)
{
    wl_ingest_emit_item(ctx, tag, out);
}

void wl_ingest_emit_item(const wl_ingest *w, uint64_t tag, strbuf *out)
{
    uint32_t copy = WL_TAG_COPY(tag);
    uint64_t id = WL_TAG_ID(tag);
    /* items are mostly claimed in id order: bring a row a few ids ahead into
     * the cache while this one is copied (a page fault or a miss otherwise) */
    if (id + 8 < w->base->n) {
        const char *ahead = ds_vecfile_row(w->base, id + 8);
        for (size_t b = 0; b < w->row_bytes; b += 64)
            __builtin_prefetch(ahead + b);
    }
    if (copy == 0 && w->plain_mid_len && w->prefix_len <= PLAIN_PREFIX_MAX &&
        w->base->elem == DS_F32 && !w->normalize && !w->tag_field && !w->numeric_field &&
        !w->text_field) {
        emit_plain(w, id, out);
        return;
    }
    resp_add_array(out, 4 + (w->tag_field ? 2 : 0) + (w->numeric_field ? 2 : 0) +
                            (w->text_field ? 2 : 0));
    resp_add_bulk(out, "HSET", 4);
    wl_add_key(out, w->prefix, w->prefix_len, copy, id);
    resp_add_bulk(out, w->field, w->field_len);
    wl_add_vector_blob(out, w->base, id, copy, w->plan, w->normalize);
    if (w->tag_field) {
        char t[8];
        wl_tag_value(id, t);
        resp_add_bulk_str(out, w->tag_field);
        resp_add_bulk_str(out, t);
    }
    if (w->numeric_field) {
        resp_add_bulk_str(out, w->numeric_field);
        resp_add_bulk_u64(out, wl_numeric_value(id));
    }
    if (w->text_field) { /* the original's text in every copy (ds_text.h) */
        resp_add_bulk_str(out, w->text_field);
        strbuf doc = STRBUF_INIT;
        ds_text_doc(w->text, id, &doc);
        resp_add_bulk(out, doc.buf, doc.len);
        sb_release(&doc);
    }
}

static int ingest_reply(void *ctx, int thread, uint64_t tag, const redisReply *r, vm_err *err)
{
    wl_ingest *w = ctx;
    (void)err;
    if (r->type == REDIS_REPLY_ERROR) {
        if (w->stop_on_oom && r->str && !strncmp(r->str, "OOM", 3)) {
            int expect = 0;
            /* the other threads' counts as they stand: in flight, either way */
            if (atomic_compare_exchange_strong(&w->oom, &expect, 1))
                atomic_store(&w->live_at_oom, wl_count_sum(&w->acked));
            /* asked for, so it stops the insert; still an error reply the
             * server sent, and counted as one */
        }
        atomic_fetch_add(&w->errors, 1);
        int expect = 0;
        if (atomic_compare_exchange_strong(&w->have_error, &expect, 1)) {
            size_t n = r->len < sizeof(w->first_error) - 1 ? r->len : sizeof(w->first_error) - 1;
            memcpy(w->first_error, r->str, n);
            w->first_error[n] = '\0';
        }
        return 0;
    }
    if (w->live)
        live_mark(w->live, WL_TAG_COPY(tag), WL_TAG_ID(tag), true);
    wl_count_add(&w->acked, thread);
    return 0;
}


/* An original's command in the stream: exactly what emit would write (the
 * stream was made by it, for this prefix and field: wl_stream_open). */
static int ingest_file_range(void *ctx, uint64_t tag, uint64_t *off, uint64_t *len)
{
    const wl_ingest *w = ctx;
    const wl_stream *s = w->stream;
    uint64_t id = WL_TAG_ID(tag);
    if (WL_TAG_COPY(tag) != 0 || id >= s->n || w->normalize || w->tag_field || w->numeric_field ||
        w->text_field)
        return 0;
    wl_stream_range(s, id, off, len);
    /* the server will copy these bytes out of the page cache in a few
     * microseconds: bring them into the cache it shares with us now, or its
     * reads go to memory (measured: 12% fewer vectors/s without, for 146
     * prefetches a batch) */
    if (s->map)
        for (uint64_t b = 0; b < *len; b += 64)
            __builtin_prefetch(s->map + *off + b);
    return 1;
}

eng_workload wl_ingest_workload(wl_ingest *w)
{
    static const char *const ops[] = {"hset"};
    eng_workload wl = {w, ingest_next, ingest_emit, ingest_reply, false};
    if (w->stream && w->stream->fd >= 0) {
        wl.file_range = ingest_file_range;
        wl.file_fd = w->stream->fd;
    }
    wl.op_names = ops;
    wl.nops = 1;
    return wl;
}
