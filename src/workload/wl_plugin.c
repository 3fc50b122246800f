/* wl_plugin: see wl_plugin.h. */
#include "wl_plugin.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "../net/net_resp.h"
#include "wl_query.h"

const vms_workload *wl_mix_workload(void);

static const vms_workload *(*const builtins[])(void) = {wl_mix_workload};
#define NBUILTINS (sizeof(builtins) / sizeof(builtins[0]))

const vms_workload *wl_find(const char *name, const char *plugin, vm_err *err)
{
    if (plugin) {
        void *so = dlopen(plugin, RTLD_NOW | RTLD_LOCAL);
        if (!so) {
            vm_err_set(err, VM_EINPUT, "plugin %s: %s", plugin, dlerror());
            return NULL;
        }
        const vms_workload *(*entry)(void);
        *(void **)&entry = dlsym(so, "vms_workload_entry");
        const vms_workload *w = entry ? entry() : NULL;
        if (!w) {
            vm_err_set(err, VM_EINPUT, "plugin %s: no vms_workload_entry() (see workload.h)", plugin);
            return NULL;
        }
        if (w->abi != VMS_WORKLOAD_ABI) {
            vm_err_set(err, VM_EINPUT, "plugin %s: built for ABI %d, this tool speaks %d", plugin,
                       w->abi, VMS_WORKLOAD_ABI);
            return NULL;
        }
        if (name && strcmp(name, w->name)) {
            vm_err_set(err, VM_EINPUT, "plugin %s provides workload '%s', not '%s'", plugin,
                       w->name, name);
            return NULL;
        }
        /* the shared object stays loaded for the life of the process */
        return w;
    }
    for (size_t i = 0; i < NBUILTINS; i++)
        if (!strcmp(builtins[i]()->name, name))
            return builtins[i]();
    vm_err_set(err, VM_EINPUT, "unknown workload '%s' (built-in: mix; or give plugin: FILE.so)",
               name);
    return NULL;
}

void wl_list(strbuf *out)
{
    for (size_t i = 0; i < NBUILTINS; i++)
        sb_addf(out, "%-10s %s\n", builtins[i]()->name, builtins[i]()->description);
}

/* --- the host table ------------------------------------------------------ */

static uint64_t h_vectors(void *ctx) { return ((wl_host *)ctx)->s->st.live.n; }
static uint32_t h_copies(void *ctx) { return ((wl_host *)ctx)->s->st.live.copies; }
static uint32_t h_queries(void *ctx)
{
    wl_host *h = ctx;
    return ds_has_query(&h->s->ds) ? (uint32_t)h->s->ds.query.n : 0;
}
static bool h_is_live(void *ctx, uint32_t copy, uint64_t id)
{
    wl_host *h = ctx;
    return id < h->s->st.live.n && live_test(&h->s->st.live, copy, id);
}
static const char *h_index(void *ctx) { return ((wl_host *)ctx)->index; }

static void h_add_hset(void *ctx, vms_buf *out, uint32_t copy, uint64_t id)
{
    wl_host *h = ctx;
    wl_ingest_emit_item(&h->ingest, WL_TAG(copy, id), (strbuf *)out);
}

static void h_add_knn(void *ctx, vms_buf *out, uint32_t copy, uint32_t query, uint32_t k, int ef)
{
    wl_host *h = ctx;
    wl_add_knn_search((strbuf *)out, h->index, h->s->st.field, k, ef, &h->s->ds.query, query,
                      copy, &h->s->plan, false);
}

static void h_add_command(vms_buf *out, int argc, const char *const *argv, const size_t *lens)
{
    resp_add_command((strbuf *)out, argc, argv, lens);
}

static int h_type(const vms_reply *r) { return ((const redisReply *)r)->type; }
static long long h_integer(const vms_reply *r) { return ((const redisReply *)r)->integer; }
static const char *h_string(const vms_reply *r, size_t *len)
{
    const redisReply *x = (const redisReply *)r;
    if (len)
        *len = x->str ? x->len : 0;
    return x->str;
}
static size_t h_elements(const vms_reply *r) { return ((const redisReply *)r)->elements; }

void wl_host_init(wl_host *h, lc_session *s, const char *index)
{
    memset(h, 0, sizeof(*h));
    h->s = s;
    h->index = index ? index : "";
    wl_ingest_init(&h->ingest, &s->base, s->st.prefix, s->st.field, 0, s->st.live.n);
    h->ingest.plan = &s->plan;
    h->ingest.tag_field = *s->st.tag_field ? s->st.tag_field : NULL;
    h->ingest.numeric_field = *s->st.numeric_field ? s->st.numeric_field : NULL;
    vms_host a = {VMS_WORKLOAD_ABI, h,         h_vectors,  h_copies,    h_queries,
                  h_is_live,        h_index,   h_add_hset, h_add_knn,   h_add_command,
                  h_type,           h_integer, h_string,   h_elements};
    h->api = a;
}

/* --- the engine adapter ---------------------------------------------------- */

static int a_next(void *ctx, int thread, uint64_t *tag)
{
    wl_instance *in = ctx;
    return in->w->next(in->impl, thread, tag);
}
static void a_emit(void *ctx, uint64_t tag, strbuf *out)
{
    wl_instance *in = ctx;
    in->w->emit(in->impl, tag, (vms_buf *)out);
}
static int a_reply(void *ctx, int thread, uint64_t tag, const redisReply *r, vm_err *err)
{
    wl_instance *in = ctx;
    if (in->w->reply(in->impl, thread, tag, (const vms_reply *)r) < 0)
        return vm_err_set(err, VM_EINPUT, "workload %s stopped the run", in->w->name);
    return 0;
}
static int a_op_of(void *ctx, uint64_t tag)
{
    wl_instance *in = ctx;
    return in->w->op_of(in->impl, tag);
}

int wl_instance_create(wl_instance *in, const vms_workload *w, wl_host *host,
                       const char *const *keys, const char *const *values, size_t n, vm_err *err)
{
    memset(in, 0, sizeof(*in));
    char msg[400] = "";
    in->w = w;
    in->host = host;
    in->impl = w->create(&host->api, keys, values, n, msg, sizeof(msg));
    if (!in->impl)
        return vm_err_set(err, VM_EINPUT, "%s", msg[0] ? msg : "the workload refused its settings");
    return 0;
}

eng_workload wl_instance_engine(wl_instance *in)
{
    eng_workload e = {in, a_next, a_emit, a_reply, false};
    if (in->w->op_of && in->w->nops > 0) {
        e.op_of = a_op_of;
        e.op_names = in->w->op_names;
        e.nops = in->w->nops;
    }
    return e;
}

void wl_instance_destroy(wl_instance *in)
{
    if (in->impl && in->w->destroy)
        in->w->destroy(in->impl);
    in->impl = NULL;
}
