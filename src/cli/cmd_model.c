/* cmd_model: `valkey-memstress model --dim D --vectors N ...` — print what
 * the valkey-search memory model (src/model/) predicts, per component, as a
 * table or as JSON (json-c builds it, so names are always escaped, and
 * util/json_w.h prints it as every JSON of the tool is printed). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/mdl_vs.h"
#include "../report/rpt_fmt.h"
#include "../util/json_w.h"
#include "cli.h"
#include "cli_model.h"

static const char usage[] =
    "valkey-memstress model --dim D --vectors N [--release 1.0|1.2] [--algorithm HNSW|FLAT] [--m "
    "M]\n"
    "       [--type FLOAT32] [--key-length L] [--deleted N] [--peak N] [--initial-cap N]\n"
    "       [--block-size N] [--json]\n"
    "   or: valkey-memstress model --plan --vectors N --dim D --node-memory SIZE [--algorithm A]\n"
    "       [--m M] [--release R] [--headroom F] [--replicas R] [--expand N] [--loaders N]\n"
    "       [--rate V] [--from RUN_DIR] [--json]";
static const char summary[] =
    "Predict the memory valkey-search holds for an index, per component (vectors, HNSW\n"
    "level-0 and upper links, per-slot arrays, key <-> id maps, interned strings, tag /\n"
    "numeric / text indexes), after the memory layout of its release (1.0.x or 1.2.x, which\n"
    "changed interning, the key maps and the graph record) and jemalloc's size classes; plus\n"
    "an estimate of the Valkey hashes that carry the vectors.  The module total is what INFO\n"
    "SEARCH's search_used_memory_bytes should read, less the module's memory before any index\n"
    "(~18 KB on 1.0.3, ~55 KB on 1.2.1).\n"
    "\n"
    "--plan: the shards an index of N vectors needs on nodes of --node-memory: the model per\n"
    "shard (the hash maps grow in powers of two, so bytes per vector depend on the shard's\n"
    "count) plus the server's base must fit node memory x (1 - headroom); the headroom covers\n"
    "jemalloc fragmentation, the copy-on-write of a BGSAVE / replica sync fork and a reserve\n"
    "for the kernel and buffers.  Then vectors and memory per shard, loaders, and the hours a\n"
    "prefill takes at an ingest rate per shard (3000 vectors/s, an assumption, or what the\n"
    "--from run measured: its prefill's vectors / seconds / masters).";

static void print_table(const mdl_params *p, const mdl_prediction *pr)
{
    strbuf a = STRBUF_INIT;
    printf("valkey-search %s memory model: %s, %u x FLOAT32", mdl_release_name(p->release),
           mdl_algo_name(p->algo), p->dim);
    if (p->algo == MDL_HNSW)
        printf(", M %u", p->m);
    printf("\n");
    rpt_fmt_count(&a, (double)p->live);
    sb_addstr(&a, " live, ");
    rpt_fmt_count(&a, (double)p->deleted);
    sb_addstr(&a, " deleted; capacity ");
    rpt_fmt_count(&a, (double)pr->capacity);
    sb_addf(&a, " slots; keys of %u bytes", p->key_bytes);
    printf("%s\n\n", a.buf);
    printf("%-28s %15s %11s %10s %7s  %s\n", "component", "bytes", "", "B/vector", "share", "how");
    double live = (double)p->live;
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < pr->n; i++) {
            const mdl_component *c = &pr->c[i];
            if (c->keyspace != (pass == 1))
                continue;
            sb_reset(&a);
            rpt_fmt_count(&a, c->bytes);
            strbuf h = STRBUF_INIT;
            rpt_fmt_bytes(&h, c->bytes);
            double total = pass ? pr->keyspace_bytes : pr->module_bytes;
            printf("%-28s %15s %11s %10.1f %6.1f%%  %s\n", c->name, a.buf, h.buf,
                   live > 0 ? c->bytes / live : 0.0, total > 0 ? c->bytes / total * 100 : 0.0,
                   c->layout);
            sb_release(&h);
        }
        double total = pass ? pr->keyspace_bytes : pr->module_bytes;
        sb_reset(&a);
        rpt_fmt_count(&a, total);
        strbuf h = STRBUF_INIT;
        rpt_fmt_bytes(&h, total);
        printf("%-28s %15s %11s %10.1f\n\n",
               pass ? "keyspace total (estimate)" : "search module total", a.buf, h.buf,
               live > 0 ? total / live : 0.0);
        sb_release(&h);
    }
    sb_reset(&a);
    rpt_fmt_bytes(&a, pr->module_bytes + pr->keyspace_bytes);
    printf("used_memory growth (module + keyspace): %s\n", a.buf);
    sb_release(&a);
}

static void print_json(const mdl_params *p, const mdl_prediction *pr)
{
    json_object *o = json_object_new_object();
    json_object *pj = json_object_new_object();
    json_object_object_add(pj, "release", json_object_new_string(mdl_release_name(p->release)));
    json_object_object_add(pj, "algorithm", json_object_new_string(mdl_algo_name(p->algo)));
    json_object_object_add(pj, "dim", json_object_new_int64(p->dim));
    json_object_object_add(pj, "type", json_object_new_string("FLOAT32"));
    json_object_object_add(pj, "m", json_object_new_int64(p->m));
    json_object_object_add(pj, "initial_cap", json_object_new_int64((int64_t)p->initial_cap));
    json_object_object_add(pj, "block_size", json_object_new_int64((int64_t)p->block_size));
    json_object_object_add(pj, "key_length", json_object_new_int64(p->key_bytes));
    json_object_object_add(pj, "vectors", json_object_new_int64((int64_t)p->live));
    json_object_object_add(pj, "deleted", json_object_new_int64((int64_t)p->deleted));
    json_object_object_add(pj, "module_threads", json_object_new_int64(p->threads));
    json_object_object_add(o, "params", pj);
    json_object *arr = json_object_new_array();
    for (int i = 0; i < pr->n; i++) {
        json_object *c = json_object_new_object();
        json_object_object_add(c, "name", json_object_new_string(pr->c[i].name));
        json_object_object_add(c, "bytes", json_object_new_int64((int64_t)pr->c[i].bytes));
        json_object_object_add(c, "in_module", json_object_new_boolean(!pr->c[i].keyspace));
        json_object_object_add(c, "layout", json_object_new_string(pr->c[i].layout));
        json_object_array_add(arr, c);
    }
    json_object_object_add(o, "components", arr);
    json_object_object_add(o, "capacity", json_object_new_int64((int64_t)pr->capacity));
    json_object_object_add(o, "module_bytes", json_object_new_int64((int64_t)pr->module_bytes));
    json_object_object_add(o, "keyspace_bytes", json_object_new_int64((int64_t)pr->keyspace_bytes));
    if (p->release == MDL_REL_1_2)
        json_object_object_add(o, "reclaimable_bytes",
                               json_object_new_int64((int64_t)pr->reclaimable_bytes));
    printf("%s\n", jw_text(o));
    json_object_put(o);
}

int cmd_model(int argc, char **argv)
{
    cli_model_opts mo;
    cli_model_defaults(&mo);
    uint64_t vectors = UINT64_MAX, deleted = 0, peak = 0;
    bool json = false;
    cli_plan_opts po;
    cli_plan_defaults(&po);
    const struct opt own[] = {
        OPT_BOOL_ROW("json", &json, "print JSON instead of a table"),
        OPT_END_ROW,
    };
    struct opt *model_tab = cli_model_options(&mo, true, &vectors, &deleted, &peak);
    struct opt *plan_tab = cli_plan_options(&po);
    const struct opt *tables[] = {model_tab, own, plan_tab, NULL};
    int rc;
    vm_err err = {0};
    if (cli_parse(&argc, argv, tables, usage, summary, &rc) < 0)
        goto out;
    rc = CLI_USAGE;
    if (argc != 0) {
        cli_errorf("model", "unexpected argument '%s' (see --help)", argv[0]);
        goto out;
    }
    if (mo.dim < 0 || vectors == UINT64_MAX) {
        cli_errorf("model", "--dim D and --vectors N are required (see --help)");
        goto out;
    }
    if (!po.plan && cli_plan_any(&po)) {
        cli_errorf("model", "--node-memory, --headroom, --replicas, --expand, --loaders, --rate "
                            "and --from are options of --plan");
        goto out;
    }
    mdl_params p;
    mdl_params_defaults(&p);
    if (cli_model_apply(&mo, &p, &err) < 0) {
        cli_error("model", &err);
        goto out;
    }
    if (po.plan) {
        rc = cli_plan_run(&po, &p, vectors, json);
        goto out;
    }
    p.live = vectors;
    p.deleted = deleted;
    p.peak_live = peak;
    mdl_prediction pr;
    if (mdl_predict(&p, &pr, &err) < 0) {
        cli_error("model", &err);
        goto out;
    }
    if (json)
        print_json(&p, &pr);
    else
        print_table(&p, &pr);
    rc = CLI_OK;
out:
    free(model_tab);
    free(plan_tab);
    return rc;
}
