/* cmd_prefill: `valkey-memstress prefill` — load a dataset's base vectors. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lifecycle/lc_prefill.h"
#include "../util/vm_slice.h"
#include "cli.h"

static const char usage[] =
    "valkey-memstress prefill --dataset PATH [--limit N] [--prefix vec:] [--field vector]\n"
    "       [--state DIR] [--expand N] [--slice I/N] [--norm-max R]\n"
    "       [--index NAME [--algorithm HNSW|FLAT] [--m M] [--ef-construction EF] [--metric "
    "L2|IP|COSINE]]\n"
    "       [connection options]";
static const char summary[] =
    "Write each base vector of a dataset as HSET <prefix><id> <field> <float32 blob>,\n"
    "pipelined over several connections.  With --index, first create a valkey-search\n"
    "index over the prefix and expand_* (when the server has the search module).\n"
    "With --expand N, copies 1..N (x + V_n, keys expand_<n>_<prefix><id>) follow the\n"
    "original; --state DIR keeps what is live for expand, shrink, regrow and query.";

typedef struct prefill_opts {
    const char *dataset, *prefix, *field, *index, *algorithm, *metric, *state;
    uint64_t limit, expand;
    int m, ef_construction, ef_runtime;
    uint64_t initial_cap;
    int block_size;
    const char *tag_field, *numeric_field, *text_field, *slice;
    double norm_max;
    int text_vocab, text_words;
    double text_zipf;
    uint64_t text_seed;
    bool stream;
} prefill_opts;

/* Check the options and fill pc; prints the error and returns -1 when
 * they do not make sense. */
static int prefill_conf(const prefill_opts *o, cli_conn *conn, lc_prefill_conf *pc)
{
    vm_err err = {0};
    if (!o->dataset) {
        cli_errorf("prefill", "--dataset PATH is required");
        return -1;
    }
    *pc = (lc_prefill_conf){.dataset = o->dataset,
                            .limit = o->limit,
                            .prefix = o->prefix,
                            .field = o->field,
                            .create_index = o->index != NULL,
                            .state_dir = o->state,
                            .expand = (uint32_t)o->expand,
                            .stream = o->stream};
    if (o->slice && vm_slice_parse(o->slice, &pc->slice_i, &pc->slice_n, &err) < 0) {
        cli_error("prefill", &err);
        return -1;
    }
    pc->norm_max = o->norm_max;
    if (o->expand >= (1u << 24)) {
        cli_errorf("prefill", "--expand %llu: at most %u copies", (unsigned long long)o->expand,
                   (1u << 24) - 1);
        return -1;
    }
    if (o->state && cli_mkdirs(o->state, &err) < 0) {
        cli_error("prefill", &err);
        return -1;
    }
    pc->index.name = o->index;
    pc->index.m = o->m;
    pc->index.ef_construction = o->ef_construction;
    pc->index.ef_runtime = o->ef_runtime;
    pc->index.initial_cap = o->initial_cap;
    pc->index.block_size = o->block_size;
    pc->index.tag_field = o->tag_field;
    pc->index.numeric_field = o->numeric_field;
    pc->index.text_field = o->text_field;
    pc->text = (ds_text_conf){.vocab = (uint32_t)o->text_vocab,
                              .words = (uint32_t)o->text_words,
                              .zipf_s = o->text_zipf,
                              .seed = o->text_seed ? o->text_seed : 1};
    if (!o->text_field && (o->text_vocab || o->text_words || o->text_zipf || o->text_seed)) {
        cli_errorf("prefill", "--text-vocab, --text-words, --text-zipf and --text-seed shape the "
                              "text of --text-field NAME, which is not given");
        return -1;
    }
    if (idx_parse_algo(o->algorithm, &pc->index.algo, &err) < 0 ||
        idx_parse_metric(o->metric, &pc->index.metric, &err) < 0 ||
        cli_conn_finish(conn, &err) < 0) {
        cli_error("prefill", &err);
        return -1;
    }
    return 0;
}

/* Print what a finished prefill did. */
static void prefill_print(const lc_prefill_result *res, const eng_stats *totals)
{
    printf("prefill: %llu vectors, %.2f s, %.0f vectors/s, %llu errors%s%s\n",
           (unsigned long long)res->vectors, res->seconds,
           res->seconds > 0 ? (double)res->vectors / res->seconds : 0.0,
           (unsigned long long)res->errors, res->errors ? ", first: " : "", res->first_error);
    if (res->stream[0])
        printf("prefill: the original vectors' HSETs spliced from %s\n", res->stream);
    cli_print_eng_stats(stdout, "prefill", totals);
    if (res->server_cpu_s >= 0 && res->vectors)
        printf("prefill: server CPU %.2f s (INFO used_cpu_sys + used_cpu_user%s), %.3f s per "
               "million vectors\n",
               res->server_cpu_s, res->servers > 1 ? ", summed over the masters" : "",
               res->server_cpu_s * 1e6 / (double)res->vectors);
}

/* Load the vectors pc describes; the command's exit code. */
static int prefill_go(const prefill_opts *o, cli_conn *conn, const lc_prefill_conf *pc)
{
    vm_err err = {0};
    cli_install_signals();
    eng_config ec = cli_conn_engine(conn, &cli_interrupted);
    eng_stats totals;
    eng_stats_init(&totals);
    ec.totals = &totals;
    cli_progress prog;
    prog.tty = false;
    lc_progress lp = {cli_progress_on_start, cli_progress_tick, &prog};
    lc_prefill_result res;
    int r = lc_prefill(pc, &ec, &lp, &res, &err);
    if (res.vectors || r == 0)
        cli_progress_end(&prog);
    if (res.module_missing)
        fprintf(stderr,
                "valkey-memstress prefill: warning: %s:%d has no search module (MODULE LIST has "
                "no 'search'); index '%s' not created, loading plain hashes\n",
                conn->ep.host, conn->ep.port, o->index);
    if (r < 0) {
        cli_error("prefill", &err);
        return CLI_FAIL;
    }
    prefill_print(&res, &totals);
    return res.errors ? CLI_FAIL : (atomic_load(&cli_interrupted) ? 130 : CLI_OK);
}

int cmd_prefill(int argc, char **argv)
{
    prefill_opts o = {.prefix = "vec:", .field = "vector", .algorithm = "HNSW", .metric = "L2"};
    cli_conn conn;
    cli_conn_defaults(&conn);
    const struct opt own[] = {
        OPT_GROUP_ROW("Prefill:"),
        OPT_STR_ROW("dataset", &o.dataset, "PATH", "dataset folder or base vector file (required)"),
        OPT_U64_ROW("limit", &o.limit, "N", "load only the first N vectors"),
        OPT_STR_ROW("prefix", &o.prefix, "PREFIX", "key prefix (default vec:)"),
        OPT_STR_ROW("field", &o.field, "FIELD", "hash field of the vector (default vector)"),
        OPT_STR_ROW("state", &o.state, "DIR",
                    "folder keeping the live set (for later lifecycle commands)"),
        OPT_BOOL_ROW("stream", &o.stream,
                     "splice the originals' HSETs from the dataset's base.resp (dataset encode): "
                     "less client CPU, fewer vectors/s on one server"),
        OPT_U64_ROW("expand", &o.expand, "N", "also write expanded copies 1..N"),
        CLI_SLICE_ROW(&o.slice),
        OPT_DBL_ROW("norm-max", &o.norm_max, "R",
                    "NormMax of the whole set (max L2 norm over base and queries) for expanded "
                    "copies, when this loader has its rows only; the same on every loader"),
        OPT_GROUP_ROW("Index (valkey-search):"),
        OPT_STR_ROW("index", &o.index, "NAME", "create this index first"),
        OPT_STR_ROW("algorithm", &o.algorithm, "ALGO", "HNSW (default) or FLAT"),
        OPT_INT_ROW("m", &o.m, "M", "HNSW M (server default when omitted)", 1, 512),
        OPT_INT_ROW("ef-construction", &o.ef_construction, "EF", "HNSW EF_CONSTRUCTION", 1, 100000),
        OPT_INT_ROW("ef-runtime", &o.ef_runtime, "EF", "HNSW EF_RUNTIME", 1, 100000),
        OPT_U64_ROW("initial-cap", &o.initial_cap, "N", "INITIAL_CAP"),
        OPT_INT_ROW("block-size", &o.block_size, "N", "FLAT BLOCK_SIZE", 1, 1 << 30),
        OPT_STR_ROW("metric", &o.metric, "METRIC", "L2 (default), IP or COSINE"),
        OPT_STR_ROW("tag-field", &o.tag_field, "NAME",
                    "add a TAG attribute with generated values (t0..t31)"),
        OPT_STR_ROW("numeric-field", &o.numeric_field, "NAME",
                    "add a NUMERIC attribute with generated values (0..999)"),
        OPT_STR_ROW("text-field", &o.text_field, "NAME",
                    "add a TEXT attribute (valkey-search 1.2) with reproducible generated text: "
                    "Zipf-distributed words"),
        OPT_INT_ROW("text-vocab", &o.text_vocab, "N",
                    "distinct words of the generated text (default 10000)", 1,
                    (int)DS_TEXT_MAX_VOCAB),
        OPT_INT_ROW("text-words", &o.text_words, "N", "mean words per document (default 12)", 1,
                    (int)DS_TEXT_MAX_WORDS),
        OPT_DBL_ROW("text-zipf", &o.text_zipf, "S",
                    "Zipf exponent of word frequencies (default 1.0)"),
        OPT_U64_ROW("text-seed", &o.text_seed, "N", "seed of the generated text (default 1)"),
        OPT_END_ROW,
    };
    const struct opt *conn_tab = cli_conn_options(&conn);
    const struct opt *tables[] = {own, conn_tab, NULL};
    int rc;
    lc_prefill_conf pc;
    if (cli_parse(&argc, argv, tables, usage, summary, &rc) < 0)
        goto out;
    rc = CLI_USAGE;
    if (argc > 0) {
        cli_errorf("prefill", "unexpected argument '%s' (see --help)", argv[0]);
        goto out;
    }
    if (prefill_conf(&o, &conn, &pc) < 0)
        goto out;
    rc = prefill_go(&o, &conn, &pc);
out:
    free((void *)conn_tab);
    cli_conn_release(&conn);
    return rc;
}
