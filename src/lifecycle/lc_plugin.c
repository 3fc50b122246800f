/* lc_plugin: see lc_plugin.h. */
#include "lc_plugin.h"

#include <string.h>

#include "../net/resp.h"
#include "../workload/wl_query.h"

static uint64_t h_vectors(void *ctx)
{
    return ((lc_plugin_host *)ctx)->s->st.live.n;
}
static uint32_t h_copies(void *ctx)
{
    return ((lc_plugin_host *)ctx)->s->st.live.copies;
}
static uint32_t h_queries(void *ctx)
{
    lc_plugin_host *h = ctx;
    return ds_has_query(&h->s->ds) ? (uint32_t)h->s->ds.query.n : 0;
}
static bool h_is_live(void *ctx, uint32_t copy, uint64_t id)
{
    lc_plugin_host *h = ctx;
    return id < h->s->st.live.n && live_test(&h->s->st.live, copy, id);
}
static const char *h_index(void *ctx)
{
    return ((lc_plugin_host *)ctx)->index;
}

static void h_add_hset(void *ctx, vms_buf *out, uint32_t copy, uint64_t id)
{
    lc_plugin_host *h = ctx;
    wl_ingest_emit_item(&h->ingest, WL_TAG(copy, id), (strbuf *)out);
}

static void h_add_knn(void *ctx, vms_buf *out, uint32_t copy, uint32_t query, uint32_t k, int ef)
{
    lc_plugin_host *h = ctx;
    wl_add_knn_search((strbuf *)out, h->index, h->s->st.field, k, ef, &h->s->ds.query, query, copy,
                      &h->s->plan, false);
}

static void h_add_command(vms_buf *out, int argc, const char *const *argv, const size_t *lens)
{
    resp_add_command((strbuf *)out, argc, argv, lens);
}

static int h_type(const vms_reply *r)
{
    return ((const redisReply *)r)->type;
}
static long long h_integer(const vms_reply *r)
{
    return ((const redisReply *)r)->integer;
}
static const char *h_string(const vms_reply *r, size_t *len)
{
    const redisReply *x = (const redisReply *)r;
    if (len)
        *len = x->str ? x->len : 0;
    return x->str;
}
static size_t h_elements(const vms_reply *r)
{
    return ((const redisReply *)r)->elements;
}

void lc_plugin_host_init(lc_plugin_host *h, lc_session *s, const char *index)
{
    memset(h, 0, sizeof(*h));
    h->s = s;
    h->index = index ? index : "";
    wl_ingest_init(&h->ingest, &s->base, s->st.prefix, s->st.field, 0, s->st.live.n);
    h->ingest.plan = &s->plan;
    /* the text configuration was checked when prefill wrote it to the
     * state; a state edited by hand into a bad one writes no text */
    vm_err ignored = {0};
    lc_session_attrs(s, &h->ingest, &ignored);
    vms_host a = {VMS_WORKLOAD_ABI, h,         h_vectors,  h_copies,  h_queries,
                  h_is_live,        h_index,   h_add_hset, h_add_knn, h_add_command,
                  h_type,           h_integer, h_string,   h_elements};
    h->api = a;
}
