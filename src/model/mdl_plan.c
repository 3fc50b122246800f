/* mdl_plan: see mdl_plan.h — the shard count by bisection over the model's
 * per-shard prediction, the headroom, loaders and hours; and the figures a
 * run's summary.json gives (json-c reads it, as util/json_w.h writes it). */
#include "mdl_plan.h"

#include <json-c/json.h>
#include <math.h>
#include <string.h>

void mdl_plan_defaults(mdl_plan_conf *c)
{
    memset(c, 0, sizeof(*c));
    mdl_params_defaults(&c->p);
    c->headroom = -1;
    c->fragmentation = MDL_PLAN_FRAGMENTATION;
    c->cow = MDL_PLAN_COW;
    c->reserve = MDL_PLAN_RESERVE;
    c->rate_per_shard = MDL_PLAN_RATE_PER_SHARD;
    c->loader_rate = MDL_PLAN_LOADER_RATE;
    c->base_bytes = MDL_PLAN_SERVER_BASE_BYTES;
    c->rate_from = "assumed: a few thousand vectors/s per shard, server-bound (issue #15)";
    c->frag_from = "assumed: jemalloc allocator_frag_ratio 1.03-1.13 in our runs";
}

double mdl_plan_headroom(const mdl_plan_conf *c)
{
    if (c->headroom >= 0)
        return c->headroom;
    return 1.0 - (1.0 - c->reserve) / (c->fragmentation * (1.0 + c->cow));
}

static int check_conf(const mdl_plan_conf *c, double headroom, vm_err *err)
{
    if (c->vectors == 0)
        return vm_err_param(err, "vectors", VM_EINPUT, "a plan needs at least one vector");
    if (c->vectors > ((uint64_t)1 << 40) / ((uint64_t)c->expand + 1))
        return vm_err_param(err, "vectors", VM_EINPUT,
                            "%llu vectors x %u copies is more than 2^40",
                            (unsigned long long)c->vectors, c->expand + 1);
    if (c->node_bytes == 0)
        return vm_err_param(err, "node_memory", VM_EINPUT, "node memory must be more than 0");
    if (!(headroom >= 0 && headroom < 1))
        return vm_err_param(err, "headroom", VM_EINPUT,
                            "headroom %.3g is not a fraction in [0, 1)", headroom);
    if (!(c->fragmentation >= 1) || !(c->cow >= 0) || !(c->reserve >= 0 && c->reserve < 1))
        return vm_err_param(err, "headroom", VM_EINPUT,
                            "fragmentation %.3g (>= 1), copy-on-write %.3g (>= 0) or reserve "
                            "%.3g ([0, 1)) is out of range",
                            c->fragmentation, c->cow, c->reserve);
    if (!(c->rate_per_shard > 0) || !isfinite(c->rate_per_shard))
        return vm_err_param(err, "rate", VM_EINPUT, "ingest rate %.3g per shard is not > 0",
                            c->rate_per_shard);
    if (!(c->loader_rate > 0) || !isfinite(c->loader_rate))
        return vm_err_param(err, "from", VM_EINPUT, "loader rate %.3g is not > 0",
                            c->loader_rate);
    return 0;
}

/* base + module + keyspace of a shard of n vectors */
static int shard_bytes(const mdl_plan_conf *c, uint64_t n, mdl_prediction *pr, double *bytes,
                       vm_err *err)
{
    mdl_params p = c->p;
    p.live = n;
    p.deleted = 0;
    p.peak_live = 0;
    if (mdl_predict(&p, pr, err) < 0)
        return -1;
    *bytes = c->base_bytes + pr->module_bytes + pr->keyspace_bytes;
    return 0;
}

/* The fewest shards whose fullest shard fits in usable bytes: used(n) grows
 * with n and n = ceil(total / s) shrinks as s grows, so "fits" is monotonic
 * in s. */
static int fewest_shards(const mdl_plan_conf *c, uint64_t total, double usable, uint64_t *out,
                         vm_err *err)
{
    mdl_prediction pr;
    double b;
    if (shard_bytes(c, 1, &pr, &b, err) < 0)
        return -1;
    if (b > usable)
        return vm_err_param(err, "node_memory", VM_EINPUT,
                            "a node of %.4g GiB holds %.4g GiB of data after headroom, less than "
                            "one shard's base (%.4g MiB: the server, the module and an empty "
                            "index)",
                            (double)c->node_bytes / 1073741824.0, usable / 1073741824.0,
                            b / 1048576.0);
    uint64_t lo = 1, hi = total; /* hi fits: one vector per shard */
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        if (shard_bytes(c, (total + mid - 1) / mid, &pr, &b, err) < 0)
            return -1;
        if (b <= usable)
            hi = mid;
        else
            lo = mid + 1;
    }
    *out = lo;
    return 0;
}

static void plan_time(const mdl_plan_conf *c, mdl_plan *out)
{
    double shards_rate = c->rate_per_shard * (double)out->shards;
    uint64_t by_cpu = (uint64_t)ceil(shards_rate / (0.5 * c->loader_rate));
    uint64_t by_conn = (out->shards + MDL_PLAN_SHARDS_PER_LOADER - 1) / MDL_PLAN_SHARDS_PER_LOADER;
    uint64_t by_disk =
        (uint64_t)ceil((double)c->vectors * c->p.dim * 4.0 / MDL_PLAN_LOADER_DISK);
    uint64_t suggest = by_cpu > by_conn ? by_cpu : by_conn;
    suggest = by_disk > suggest ? by_disk : suggest;
    out->loaders_given = c->loaders > 0;
    out->loaders = c->loaders ? c->loaders : (uint32_t)(suggest > 1 ? suggest : 1);
    double loaders_rate = c->loader_rate * out->loaders;
    out->loader_bound = loaders_rate < shards_rate;
    out->ingest_rate = out->loader_bound ? loaders_rate : shards_rate;
    out->hours = (double)out->total_vectors / out->ingest_rate / 3600.0;
}

int mdl_plan_compute(const mdl_plan_conf *c, mdl_plan *out, vm_err *err)
{
    memset(out, 0, sizeof(*out));
    double headroom = mdl_plan_headroom(c);
    if (check_conf(c, headroom, err) < 0)
        return -1;
    out->total_vectors = c->vectors * ((uint64_t)c->expand + 1);
    out->headroom = headroom;
    out->usable_bytes = (double)c->node_bytes * (1.0 - headroom);
    if (fewest_shards(c, out->total_vectors, out->usable_bytes, &out->shards, err) < 0)
        return -1;
    out->nodes = out->shards * ((uint64_t)c->replicas + 1);
    out->shard_vectors = (out->total_vectors + out->shards - 1) / out->shards;
    if (shard_bytes(c, out->shard_vectors, &out->shard, &out->shard_bytes, err) < 0)
        return -1;
    out->shard_rss_bytes = out->shard_bytes * c->fragmentation;
    out->bytes_per_vector = out->shard_bytes / (double)out->shard_vectors;
    out->total_bytes = out->shard_bytes * (double)out->shards;
    plan_time(c, out);
    return 0;
}

/* ---- a run's summary.json ---------------------------------------------- */

static double num(json_object *o, const char *key)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || !v)
        return NAN;
    if (!json_object_is_type(v, json_type_double) && !json_object_is_type(v, json_type_int))
        return NAN;
    return json_object_get_double(v);
}

static const char *str(json_object *o, const char *key)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
        return NULL;
    return json_object_get_string(v);
}

static bool is_prefill(json_object *ph)
{
    const char *step = str(ph, "step"), *name = str(ph, "phase");
    const char *colon = step ? strrchr(step, ':') : NULL;
    return (colon && !strcmp(colon + 1, "prefill")) || (name && !strcmp(name, "prefill"));
}

/* the prefill phases' vectors, seconds and client CPU */
static void read_phases(json_object *phases, mdl_run_rates *out)
{
    double cpu = 0;
    bool cpu_known = true;
    for (size_t i = 0; i < json_object_array_length(phases); i++) {
        json_object *ph = json_object_array_get_idx(phases, i);
        double v = num(ph, "vectors"), s = num(ph, "seconds");
        if (!is_prefill(ph) || !(v > 0) || !(s > 0))
            continue;
        out->vectors += (uint64_t)v;
        out->seconds += s;
        double c = num(ph, "client_cpu_seconds");
        if (isfinite(c))
            cpu += c;
        else
            cpu_known = false;
    }
    out->client_cpu_s = cpu_known && cpu > 0 ? cpu : NAN;
}

/* masters (and standalone servers) among the run's nodes, and their
 * highest allocator fragmentation */
static void read_nodes(json_object *nodes, mdl_run_rates *out)
{
    out->masters = 0;
    out->fragmentation = NAN;
    if (!nodes) {
        out->masters = 1;
        return;
    }
    json_object_object_foreach(nodes, name, node)
    {
        (void)name;
        const char *role = str(node, "role");
        if (role && strcmp(role, "replica") != 0)
            out->masters++;
        json_object *f;
        if (!json_object_object_get_ex(node, "fragmentation", &f) || !f)
            continue;
        double r = num(f, "allocator_frag_ratio");
        if (r >= 1 && isfinite(r) && !(r <= out->fragmentation))
            out->fragmentation = r;
    }
    if (out->masters == 0)
        out->masters = 1;
}

int mdl_plan_read_run(const char *json_text, mdl_run_rates *out, vm_err *err)
{
    memset(out, 0, sizeof(*out));
    json_object *root = json_tokener_parse(json_text ? json_text : "");
    json_object *phases, *nodes;
    if (!root || !json_object_object_get_ex(root, "phases", &phases) ||
        !json_object_is_type(phases, json_type_array)) {
        json_object_put(root);
        return vm_err_param(err, "from", VM_EINPUT, "not a run's summary.json (no \"phases\")");
    }
    read_phases(phases, out);
    if (json_object_object_get_ex(root, "nodes", &nodes) &&
        json_object_is_type(nodes, json_type_object))
        read_nodes(nodes, out);
    else
        read_nodes(NULL, out);
    json_object_put(root);
    if (out->vectors == 0)
        return vm_err_param(err, "from", VM_EINPUT,
                            "the run has no prefill phase that loaded vectors");
    out->rate_per_shard = (double)out->vectors / out->seconds / out->masters;
    out->loader_rate = (double)out->vectors / out->client_cpu_s;
    return 0;
}
