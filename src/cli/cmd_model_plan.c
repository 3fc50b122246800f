/* cmd_model_plan: `valkey-memstress model --plan` — the options of a
 * capacity plan, a run's measured rates (--from RUN_DIR: its summary.json),
 * and the plan (model/mdl_plan.h) printed as a table or JSON. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/mdl_plan.h"
#include "../report/rpt_fmt.h"
#include "../util/json_w.h"
#include "../util/parse.h"
#include "../util/strbuf.h"
#include "cli.h"
#include "cli_model.h"

void cli_plan_defaults(cli_plan_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->headroom = -1;
    o->rate = -1;
    o->replicas = o->expand = o->loaders = -1;
}

static int parse_node_memory(const struct opt *o, const char *arg, vm_err *err)
{
    uint64_t *v = o->value;
    if (parse_size(arg, v, err) < 0)
        return -1;
    if (*v == 0)
        return vm_err_set(err, VM_EINPUT, "node memory must be more than 0");
    return 0;
}

struct opt *cli_plan_options(cli_plan_opts *o)
{
    const struct opt t[] = {
        OPT_GROUP_ROW("Capacity plan (--plan):"),
        OPT_BOOL_ROW("plan", &o->plan,
                     "plan shards, loaders and prefill hours for --vectors on --node-memory"),
        OPT_CB_ROW("node-memory", &o->node_bytes, "SIZE",
                   "physical memory of a node: 64GiB, 64G (binary), 64GB (SI), bytes",
                   parse_node_memory),
        OPT_DBL_ROW("headroom", &o->headroom, "F",
                    "share of a node the data may not use (default 0.28 = 1 - 0.95 / (1.10 x "
                    "1.20): jemalloc fragmentation 1.10 (measured 1.03-1.13, or the --from "
                    "run's), copy-on-write of a BGSAVE / replica sync fork 20 %, 5 % for the "
                    "kernel, backlog and buffers)"),
        OPT_INT_ROW("replicas", &o->replicas, "R",
                    "replicas per shard: nodes = shards x (1 + R) (default 0)", 0, 16),
        OPT_INT_ROW("expand", &o->expand, "N",
                    "prefill --expand N: N copies of each vector are loaded too (default 0)", 0,
                    1000000),
        OPT_INT_ROW("loaders", &o->loaders, "N",
                    "loader processes (default: suggested, each at most half a core busy)", 1,
                    1000000),
        OPT_DBL_ROW("rate", &o->rate, "V",
                    "vectors/s one shard ingests (default: the --from run's, else 3000, an "
                    "assumption: issue #15 measured a few thousand, server-bound)"),
        OPT_STR_ROW("from", &o->from, "RUN_DIR",
                    "take the ingest rate per shard, the client's CPU per vector and the "
                    "fragmentation from a run folder's summary.json"),
        OPT_END_ROW,
    };
    struct opt *copy = malloc(sizeof(t));
    if (!copy)
        abort();
    memcpy(copy, t, sizeof(t));
    return copy;
}

bool cli_plan_any(const cli_plan_opts *o)
{
    return o->node_bytes || o->headroom >= 0 || o->rate >= 0 || o->replicas >= 0 ||
           o->expand >= 0 || o->loaders >= 0 || o->from;
}

/* --from: RUN_DIR/summary.json, or the file itself */
static int read_from(const char *from, mdl_run_rates *rr, vm_err *err)
{
    strbuf path = STRBUF_INIT, text = STRBUF_INIT;
    sb_addstr(&path, from);
    size_t n = strlen(from);
    if (n < 5 || strcmp(from + n - 5, ".json") != 0)
        sb_addstr(&path, "/summary.json");
    int rc = sb_read_file(&text, path.buf);
    if (rc < 0)
        rc = vm_err_param(err, "from", VM_EINPUT, "cannot read %s", path.buf);
    else if ((rc = mdl_plan_read_run(text.buf, rr, err)) < 0)
        vm_err_prefix(err, "%s", path.buf);
    sb_release(&path);
    sb_release(&text);
    return rc;
}

/* fold the options (and a run's figures) into the plan's configuration */
static int plan_conf(const cli_plan_opts *o, const mdl_params *p, uint64_t vectors,
                     mdl_plan_conf *c, vm_err *err)
{
    mdl_plan_defaults(c);
    c->p = *p;
    c->vectors = vectors;
    c->node_bytes = o->node_bytes;
    c->headroom = o->headroom;
    c->replicas = o->replicas > 0 ? (uint32_t)o->replicas : 0;
    c->expand = o->expand > 0 ? (uint32_t)o->expand : 0;
    c->loaders = o->loaders > 0 ? (uint32_t)o->loaders : 0;
    /* the module before any index: 1.0.3 ~20 KB, 1.2.1 55,416 B */
    c->base_bytes += p->release == MDL_REL_1_2 ? 55416 : 20000;
    static char rate_from[160], frag_from[160];
    if (o->from) {
        mdl_run_rates rr;
        if (read_from(o->from, &rr, err) < 0)
            return -1;
        c->rate_per_shard = rr.rate_per_shard;
        snprintf(rate_from, sizeof(rate_from),
                 "measured: %llu vectors in %.1f s over %d master(s) of the --from run",
                 (unsigned long long)rr.vectors, rr.seconds, rr.masters);
        c->rate_from = rate_from;
        if (isfinite(rr.loader_rate) && rr.loader_rate > 0)
            c->loader_rate = rr.loader_rate;
        if (isfinite(rr.fragmentation)) {
            c->fragmentation = rr.fragmentation;
            snprintf(frag_from, sizeof(frag_from),
                     "measured: highest allocator_frag_ratio of the --from run");
            c->frag_from = frag_from;
        }
    }
    if (o->rate >= 0) {
        c->rate_per_shard = o->rate;
        c->rate_from = "given (--rate)";
    }
    return 0;
}

static void print_components(const mdl_plan_conf *c, const mdl_plan *pl)
{
    strbuf a = STRBUF_INIT;
    double n = (double)pl->shard_vectors;
    printf("bytes per vector (the model for one shard of ");
    rpt_fmt_count(&a, n);
    printf("%s vectors):\n", a.buf);
    printf("  %-30s %10s %12s\n", "component", "B/vector", "per shard");
    for (int i = 0; i < pl->shard.n; i++) {
        const mdl_component *m = &pl->shard.c[i];
        sb_reset(&a);
        rpt_fmt_bytes(&a, m->bytes);
        printf("  %-30s %10.1f %12s\n", m->name, m->bytes / n, a.buf);
    }
    sb_reset(&a);
    rpt_fmt_bytes(&a, c->base_bytes);
    printf("  %-30s %10.2f %12s\n", "server + module base", c->base_bytes / n, a.buf);
    sb_reset(&a);
    rpt_fmt_bytes(&a, pl->shard_bytes);
    printf("  %-30s %10.1f %12s\n\n", "total (used_memory)", pl->bytes_per_vector, a.buf);
    sb_release(&a);
}

static void print_headroom(const mdl_plan_conf *c, const mdl_plan *pl)
{
    strbuf a = STRBUF_INIT, b = STRBUF_INIT;
    if (c->headroom >= 0) {
        printf("headroom %.3f of node memory (given: --headroom)\n", pl->headroom);
    } else {
        printf("headroom %.3f of node memory = 1 - (1 - reserve %.2f) / (fragmentation %.3f x "
               "(1 + copy-on-write %.2f)):\n",
               pl->headroom, c->reserve, c->fragmentation, c->cow);
        printf("  fragmentation %.3f: RSS / used_memory jemalloc adds (%s)\n", c->fragmentation,
               c->frag_from);
        printf("  copy-on-write %.2f: a BGSAVE or a replica's full sync forks; every page written "
               "while the child runs is copied\n",
               c->cow);
        printf("  reserve %.2f: the kernel, the replication backlog, client buffers\n",
               c->reserve);
    }
    rpt_fmt_bytes(&a, pl->usable_bytes);
    rpt_fmt_bytes(&b, (double)c->node_bytes);
    printf("usable per node (set maxmemory here): %s of %s\n\n", a.buf, b.buf);
    sb_release(&a);
    sb_release(&b);
}

static void print_table(const mdl_plan_conf *c, const mdl_plan *pl)
{
    strbuf a = STRBUF_INIT, b = STRBUF_INIT;
    rpt_fmt_count(&a, (double)pl->total_vectors);
    printf("capacity plan: valkey-search %s, %s", mdl_release_name(c->p.release),
           mdl_algo_name(c->p.algo));
    if (c->p.algo == MDL_HNSW)
        printf(" M %u", c->p.m);
    printf(", %u x FLOAT32, %s vectors", c->p.dim, a.buf);
    if (c->expand)
        printf(" (%llu x %u copies)", (unsigned long long)c->vectors, c->expand + 1);
    printf("\n\n");
    print_components(c, pl);
    print_headroom(c, pl);
    printf("shards: %llu (the fewest whose fullest shard fits the usable memory)\n",
           (unsigned long long)pl->shards);
    printf("nodes: %llu (%u replica(s) per shard)\n", (unsigned long long)pl->nodes, c->replicas);
    sb_reset(&a);
    rpt_fmt_count(&a, (double)pl->shard_vectors);
    rpt_fmt_bytes(&b, pl->shard_bytes);
    printf("per shard: %s vectors, %s used_memory, ", a.buf, b.buf);
    sb_reset(&b);
    rpt_fmt_bytes(&b, pl->shard_rss_bytes);
    printf("%s RSS\n", b.buf);
    sb_reset(&b);
    rpt_fmt_bytes(&b, pl->total_bytes * (1.0 + c->replicas));
    printf("total used_memory (all nodes, replicas included): %s\n\n", b.buf);
    printf("ingest per shard: %.0f vectors/s (%s)\n", c->rate_per_shard, c->rate_from);
    printf("loaders: %u %s (one loader core sends ~%.0f vectors/s; suggested so that each is at "
           "most half busy, serves at most %d shards, and fetches at most %.0f GiB of the base as "
           "float32: --slice I/N, docs/scaling.md)\n",
           pl->loaders, pl->loaders_given ? "given" : "suggested", c->loader_rate,
           MDL_PLAN_SHARDS_PER_LOADER, MDL_PLAN_LOADER_DISK / (1024.0 * 1024 * 1024));
    printf("cluster ingest: %.0f vectors/s (%s-bound)\n", pl->ingest_rate,
           pl->loader_bound ? "loader" : "server");
    printf("prefill hours: %.2f\n", pl->hours);
    sb_release(&a);
    sb_release(&b);
}

static json_object *json_headroom(const mdl_plan_conf *c, const mdl_plan *pl)
{
    json_object *h = json_object_new_object();
    jw_add(h, "fraction", jw_num(pl->headroom));
    jw_add(h, "given", json_object_new_boolean(c->headroom >= 0));
    jw_add(h, "fragmentation", jw_num(c->fragmentation));
    jw_add(h, "fragmentation_source", jw_str(c->frag_from));
    jw_add(h, "copy_on_write", jw_num(c->cow));
    jw_add(h, "reserve", jw_num(c->reserve));
    jw_add(h, "usable_bytes_per_node", jw_num(floor(pl->usable_bytes)));
    return h;
}

static void print_json(const mdl_plan_conf *c, const mdl_plan *pl)
{
    json_object *o = json_object_new_object();
    jw_add(o, "release", jw_str(mdl_release_name(c->p.release)));
    jw_add(o, "algorithm", jw_str(mdl_algo_name(c->p.algo)));
    jw_add(o, "dim", json_object_new_int64(c->p.dim));
    jw_add(o, "m", json_object_new_int64(c->p.m));
    jw_add(o, "vectors", json_object_new_uint64(pl->total_vectors));
    jw_add(o, "expand", json_object_new_int64(c->expand));
    jw_add(o, "node_memory_bytes", json_object_new_uint64(c->node_bytes));
    json_object *bpv = json_object_new_object();
    double n = (double)pl->shard_vectors;
    for (int i = 0; i < pl->shard.n; i++)
        jw_add(bpv, pl->shard.c[i].name, jw_num_sig(pl->shard.c[i].bytes / n, 4));
    jw_add(bpv, "server + module base", jw_num_sig(c->base_bytes / n, 4));
    jw_add(o, "bytes_per_vector", bpv);
    jw_add(o, "bytes_per_vector_total", jw_num_sig(pl->bytes_per_vector, 6));
    jw_add(o, "headroom", json_headroom(c, pl));
    jw_add(o, "shards", json_object_new_uint64(pl->shards));
    jw_add(o, "replicas", json_object_new_int64(c->replicas));
    jw_add(o, "nodes", json_object_new_uint64(pl->nodes));
    jw_add(o, "vectors_per_shard", json_object_new_uint64(pl->shard_vectors));
    jw_add(o, "used_memory_per_shard_bytes", jw_num(floor(pl->shard_bytes)));
    jw_add(o, "rss_per_shard_bytes", jw_num(floor(pl->shard_rss_bytes)));
    jw_add(o, "rate_per_shard", jw_num_sig(c->rate_per_shard, 6));
    jw_add(o, "rate_source", jw_str(c->rate_from));
    jw_add(o, "loader_rate", jw_num_sig(c->loader_rate, 6));
    jw_add(o, "loaders", json_object_new_int64(pl->loaders));
    jw_add(o, "loaders_given", json_object_new_boolean(pl->loaders_given));
    jw_add(o, "ingest_rate", jw_num_sig(pl->ingest_rate, 6));
    jw_add(o, "bound", jw_str(pl->loader_bound ? "loader" : "server"));
    jw_add(o, "hours", jw_num_sig(pl->hours, 4));
    printf("%s\n", jw_text(o));
    json_object_put(o);
}

int cli_plan_run(const cli_plan_opts *o, const mdl_params *p, uint64_t vectors, bool json)
{
    vm_err err = {0};
    mdl_plan_conf c;
    mdl_plan pl;
    if (!o->node_bytes) {
        cli_errorf("model", "--node-memory SIZE is required with --plan (e.g. 64GiB)");
        return CLI_USAGE;
    }
    if (plan_conf(o, p, vectors, &c, &err) < 0 || mdl_plan_compute(&c, &pl, &err) < 0) {
        cli_error("model", &err);
        return CLI_USAGE;
    }
    if (json)
        print_json(&c, &pl);
    else
        print_table(&c, &pl);
    return CLI_OK;
}
