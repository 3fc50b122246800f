/* wl_plugin: see wl_plugin.h. */
#include "wl_plugin.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

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

int wl_instance_create(wl_instance *in, const vms_workload *w, const vms_host *host,
                       const char *const *keys, const char *const *values, size_t n, vm_err *err)
{
    memset(in, 0, sizeof(*in));
    char msg[400] = "";
    in->w = w;
    in->host = host;
    in->impl = w->create(host, keys, values, n, msg, sizeof(msg));
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
