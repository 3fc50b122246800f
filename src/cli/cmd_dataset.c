/* cmd_dataset: `valkey-memstress dataset info | verify | prepare | generate
 * | list | download`.  Parses options and calls the dataset layer
 * (src/dataset/) and the downloader (src/fetch/); only this file prints. */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "../dataset/ds_set.h"
#include "../prep/prep_generate.h"
#include "../prep/prep_holdout.h"
#include "../prep/prep_prepare.h"
#include "../prep/prep_verify.h"
#include "../util/clock.h"
#include "../util/nearest.h"
#include "../util/parse.h"
#include "../workload/wl_stream.h"
#include "../workload/wl_stream_write.h"
#include "cli.h"

const char *const cmd_dataset_subs[] = {"info",   "verify", "prepare",  "generate",
                                        "encode", "list",   "download", NULL};

static const char usage[] =
    "valkey-memstress dataset (info|verify|prepare) (PATH | --base F [--queries F] [--gt F]) "
    "[options]\n"
    "   or: valkey-memstress dataset generate --n N --dim D --out DIR [options]\n"
    "   or: valkey-memstress dataset encode DIR [--prefix P] [--field F]\n"
    "   or: valkey-memstress dataset list\n"
    "   or: valkey-memstress dataset download (NAME | --url URL) [--sha256 HEX] [--dir DIR] "
    "[--mirror BASE] [--rows A..B | --slice I/N]";
static const char summary[] =
    "Datasets in every public layout: TEXMEX .fvecs/.bvecs/.ivecs, big-ann "
    ".fbin/.u8bin/.i8bin/.ibin\n"
    "and ground truth, ann-benchmarks .hdf5, .npy, VectorDBBench / HuggingFace parquet (a hub\n"
    "folder: shards under data/ or refs/convert/parquet/).\n"
    "  info      format, counts, dimension, element type, metric, NormMax (max L2 norm over\n"
    "            base and queries), ground-truth depth\n"
    "  verify    ground truth against brute force on a sample of queries (--all: every one),\n"
    "            and the checksums recorded in a prepared folder\n"
    "  prepare   write the prepared layout (base.fbin, query.fbin, gt.bin, manifest.json) to "
    "--out,\n"
    "            (--queries-from-base Q: queries held out of a base that has none, exact ground "
    "truth)\n"
    "            (--resp: also base.resp, prefill's HSETs for vec:<id> vector, for prefill "
    "--stream)\n"
    "  generate  synthetic Gaussian clusters in the prepared layout, exact ground truth\n"
    "  encode    base.resp of a prepared folder for other keys than vec:<id> vector\n"
    "  list      the built-in catalog of public datasets\n"
    "  download  fetch a catalog dataset or a URL: resumable, verified";

typedef struct ds_cli {
    const char *base, *query, *gt, *metric, *out, *column;
    uint64_t queries_from_base;
    bool all, normalize, no_checksums, no_gt, resp;
    const char *prefix, *field; /* encode */
    int sample;
    uint64_t n, seed, crop_rows;
    int dim, queries, k, clusters, gt_k;
    const char *type;
    const char *url, *sha256, *dir, *mirror, *rows, *slice;
    bool tty;
    uint64_t last_ns;
} ds_cli;

static ds_cli g;

static void progress(void *ctx, const char *stage, uint64_t done, uint64_t total)
{
    (void)ctx;
    if (!g.tty)
        return;
    uint64_t now = clk_mono_ns();
    if (done < total && now - g.last_ns < 200000000ull)
        return;
    g.last_ns = now;
    fprintf(stderr, "\r%-14s %5.1f%% %llu/%llu   ", stage,
            total ? 100.0 * (double)done / (double)total : 100.0, (unsigned long long)done,
            (unsigned long long)total);
    if (done >= total)
        fputc('\n', stderr);
    fflush(stderr);
}

static int open_set(int argc, char **argv, ds_set *s, vm_err *err)
{
    ds_set_spec spec = {
        .path = argc > 1 ? argv[1] : NULL,
        .base = g.base,
        .query = g.query,
        .gt = g.gt,
        .column = g.column};
    if (g.metric && ds_metric_parse(g.metric, &spec.metric) < 0)
        return vm_err_set(err, VM_EINPUT, "--metric: '%s' is not l2, cosine or ip", g.metric);
    if (!spec.path && !spec.base)
        return vm_err_set(err, VM_EINPUT, "give a dataset PATH or --base FILE");
    return ds_set_open(s, &spec, err);
}

static void describe(const char *role, const ds_src *src)
{
    printf("%-13s %s\n", role, src->desc);
    printf("%-13s %llu x %u %s (%s)%s\n", "", (unsigned long long)src->n, src->dim,
           ds_elem_name(src->elem), ds_fmt_name(src->fmt), src->has_ids ? ", rows carry ids" : "");
}

static int do_info(int argc, char **argv)
{
    ds_set s;
    vm_err err = {0};
    if (open_set(argc, argv, &s, &err) < 0) {
        cli_error("dataset", &err);
        return CLI_FAIL;
    }
    printf("%-13s %s\n", "format", s.format ? s.format : "?");
    printf("%-13s %s%s%s%s\n", "metric", ds_metric_name(s.metric), s.metric_from ? " (from " : "",
           s.metric_from ? s.metric_from : "", s.metric_from ? ")" : "");
    if (s.normalized)
        printf("%-13s %s\n", "normalized", "yes (unit vectors)");
    if (s.rows_json)
        printf("%-13s rows %llu..%llu of %llu (%s): no exact ground truth from these files\n",
               "partial", (unsigned long long)s.rows_first, (unsigned long long)s.rows_end,
               (unsigned long long)s.rows_total, s.rows_json);
    double nm = 0, q = 0;
    int rc = 0;
    if (s.has_base) {
        describe("base", &s.base);
        rc = prep_norm_max(&s.base, &nm, progress, NULL, &err);
    }
    if (rc == 0 && s.has_query) {
        describe("queries", &s.query);
        rc = prep_norm_max(&s.query, &q, progress, NULL, &err);
        if (q > nm)
            nm = q;
    }
    if (rc == 0 && s.has_gt) {
        printf("%-13s %s\n", "groundtruth", s.gt.desc);
        printf("%-13s %llu queries x %u ids (depth %u)%s\n", "", (unsigned long long)s.gt.n,
               s.gt.dim, s.gt.dim, s.has_gt_dist ? ", with distances" : ", ids only");
    }
    if (rc == 0 && (s.has_base || s.has_query))
        printf("%-13s %.6g\n", "norm_max", nm);
    ds_set_close(&s);
    if (rc < 0) {
        cli_error("dataset", &err);
        return CLI_FAIL;
    }
    return CLI_OK;
}

static int do_verify(int argc, char **argv)
{
    ds_set s;
    vm_err err = {0};
    if (open_set(argc, argv, &s, &err) < 0) {
        cli_error("dataset", &err);
        return CLI_FAIL;
    }
    prep_verify_opts o = {.sample = (uint32_t)g.sample, .all = g.all, .progress = progress};
    prep_verify_result r;
    int rc = prep_verify(&s, &o, &r, &err);
    ds_set_close(&s);
    if (rc < 0) {
        cli_error("dataset", &err);
        return CLI_FAIL;
    }
    if (r.checksums_ok || r.checksums_bad)
        printf("checksums: %u ok, %u bad%s%s\n", r.checksums_ok, r.checksums_bad,
               r.checksums_bad ? ", first: " : "", r.checksums_bad ? r.first_bad_file : "");
    if (r.checked)
        printf("ground truth: %u queries checked at depth %u against brute force: %u wrong\n",
               r.checked, r.k, r.bad_queries);
    else
        printf("ground truth: nothing to check (needs base, queries and ground truth)\n");
    if (r.bad_queries)
        printf("first wrong: %s\n", r.first_bad);
    return r.bad_queries || r.checksums_bad ? CLI_FAIL : CLI_OK;
}

/* base.resp beside the prepared base: prefill's HSETs for the default
 * prefix and field, spliced from disk by prefill (wl_stream.h) */
static int write_stream(const char *dir, const char *prefix, const char *field, vm_err *err)
{
    strbuf path = STRBUF_INIT;
    sb_addf(&path, "%s/base.fbin", dir);
    if (access(path.buf, R_OK) != 0) {
        sb_reset(&path);
        sb_addf(&path, "%s/base.u8bin", dir);
        if (access(path.buf, R_OK) != 0) {
            sb_release(&path);
            return vm_err_set(err, VM_EINPUT,
                              "%s: no base.fbin or base.u8bin (a folder from dataset prepare or "
                              "generate)",
                              dir);
        }
    }
    ds_vecfile f;
    int rc = ds_vecfile_open(&f, path.buf, err);
    sb_release(&path);
    if (rc < 0)
        return -1;
    /* about the base's size again: not when it would take more than half of
     * what the disk has left (a 1B-vector base is hundreds of GB) */
    uint64_t need = wl_stream_offset(strlen(prefix), strlen(field), (size_t)f.dim * 4, f.n);
    struct statvfs fs;
    if (statvfs(dir, &fs) == 0 && need > (uint64_t)fs.f_bavail * fs.f_frsize / 2) {
        printf(
            "RESP stream for prefill skipped: %.1f GB would take more than half of the free space "
            "(prefill builds its commands instead)\n",
            (double)need / 1e9);
        ds_vecfile_close(&f);
        return 0;
    }
    uint64_t t0 = clk_mono_ns();
    rc = wl_stream_write(&f, f.n, prefix, field, dir, err);
    if (rc == 0)
        printf("RESP stream for prefill (%s<id> %s): %s/base.resp, %.1f MB (%.1f s)\n", prefix,
               field, dir, (double)need / 1e6, (double)(clk_mono_ns() - t0) / 1e9);
    ds_vecfile_close(&f);
    return rc;
}

/* encode DIR: base.resp for other keys than vec: / vector */
static int do_encode(int argc, char **argv)
{
    if (argc != 2) {
        cli_errorf("dataset", "encode takes the prepared folder (DIR)");
        return CLI_USAGE;
    }
    const char *prefix = g.prefix ? g.prefix : "vec:", *field = g.field ? g.field : "vector";
    if (!*prefix || !*field) {
        cli_errorf("dataset", "encode: --prefix and --field must not be empty");
        return CLI_USAGE;
    }
    vm_err err = {0};
    if (write_stream(argv[1], prefix, field, &err) < 0) {
        cli_error("dataset", &err);
        return CLI_FAIL;
    }
    return CLI_OK;
}

/* --out made by this command: removed again when the command fails, so a
 * failed prepare or generate leaves no empty or half-written folder (a
 * folder that was there before is left alone). */
static int out_remove(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void out_discard(bool made)
{
    if (made)
        nftw(g.out, out_remove, 16, FTW_DEPTH | FTW_PHYS);
}

static int do_prepare(int argc, char **argv)
{
    if (!g.out) {
        cli_errorf("dataset", "prepare needs --out DIR");
        return CLI_USAGE;
    }
    if (g.queries_from_base == 0) {
        cli_errorf("dataset", "--queries-from-base: 0 queries: hold out at least one base row");
        return CLI_USAGE;
    }
    if (g.queries_from_base == UINT64_MAX) /* not given */
        g.queries_from_base = 0;
    ds_set s;
    vm_err err = {0};
    if (open_set(argc, argv, &s, &err) < 0) {
        cli_error("dataset", &err);
        return CLI_FAIL;
    }
    bool made = access(g.out, F_OK) != 0;
    if (cli_mkdirs(g.out, &err) < 0) {
        ds_set_close(&s);
        cli_error("dataset", &err);
        return CLI_FAIL;
    }
    prep_prepare_opts o = {.out = g.out,
                           .normalize = g.normalize,
                           .no_checksums = g.no_checksums,
                           .gt_k = (uint32_t)g.gt_k,
                           .queries_from_base = g.queries_from_base,
                           .seed = g.seed,
                           .progress = progress,
                           .keep_uint8 = g.type && !strcmp(g.type, "uint8")};
    if (g.type && !o.keep_uint8 && strcmp(g.type, "float32")) {
        ds_set_close(&s);
        out_discard(made);
        cli_errorf("dataset", "--type: '%s' is not float32 or uint8", g.type);
        return CLI_USAGE;
    }
    if (s.base.fmt == DS_FMT_PARQUET)
        printf("base: %s (%s)\n", s.base.desc, g.column ? "--column" : "column guessed");
    prep_prepare_result r;
    uint64_t t0 = clk_mono_ns();
    int rc = prep_prepare(&s, &o, &r, &err);
    ds_set_close(&s);
    if (rc < 0) {
        out_discard(made);
        cli_error("dataset", &err);
        return CLI_FAIL;
    }
    printf("prepared %s: %llu base + %llu queries x %u, ground truth depth %u, norm_max %.6g (%.1f "
           "s)\n",
           g.out, (unsigned long long)r.n_base, (unsigned long long)r.n_query, r.dim, r.gt_k,
           r.norm_max, (double)(clk_mono_ns() - t0) / 1e9);
    if (g.queries_from_base)
        printf("queries: %llu base rows held out (seed %llu), listed in %s/manifest.json\n",
               (unsigned long long)g.queries_from_base, (unsigned long long)g.seed, g.out);
    if (g.resp && write_stream(g.out, "vec:", "vector", &err) < 0) {
        cli_error("dataset", &err);
        return CLI_FAIL;
    }
    return CLI_OK;
}

static int do_generate(void)
{
    if (!g.out || !g.n || !g.dim) {
        cli_errorf("dataset", "generate needs --n N --dim D --out DIR");
        return CLI_USAGE;
    }
    vm_err perr = {0};
    if (g.query && parse_int("--queries", g.query, 0, 1 << 24, &g.queries, &perr) < 0) {
        cli_error("dataset", &perr);
        return CLI_USAGE;
    }
    bool u8 = g.type && !strcmp(g.type, "uint8");
    if (g.type && !u8 && strcmp(g.type, "float32")) {
        cli_errorf("dataset", "--type: '%s' is not float32 or uint8", g.type);
        return CLI_USAGE;
    }
    prep_generate_opts o = {.n = g.n,
                            .dim = (uint32_t)g.dim,
                            .queries = (uint32_t)g.queries,
                            .k = (uint32_t)g.k,
                            .clusters = (uint32_t)g.clusters,
                            .seed = g.seed,
                            .no_gt = g.no_gt,
                            .u8 = u8,
                            .out = g.out,
                            .progress = progress};
    vm_err err = {0};
    uint64_t t0 = clk_mono_ns();
    bool made = access(g.out, F_OK) != 0;
    if (cli_mkdirs(g.out, &err) < 0 || prep_generate(&o, &err) < 0) {
        out_discard(made);
        cli_error("dataset", &err);
        return CLI_FAIL;
    }
    printf("generated %s: %llu x %d %s, %d queries%s (%.1f s)\n", g.out, (unsigned long long)g.n,
           g.dim, u8 ? "uint8" : "float32", g.queries,
           g.no_gt || !g.queries ? "" : ", exact ground truth", (double)(clk_mono_ns() - t0) / 1e9);
    if (g.resp && write_stream(g.out, "vec:", "vector", &err) < 0) {
        cli_error("dataset", &err);
        return CLI_FAIL;
    }
    return CLI_OK;
}

int cmd_dataset_list(void);
int cmd_dataset_download(int argc, char **argv, const char *url, const char *sha256,
                         const char *dir, const char *mirror, uint64_t crop_rows, int dim,
                         const char *rows, const char *slice);

/* Run sub-command sub (argv[0]); the exit code. */
static int dataset_dispatch(const char *sub, int argc, char **argv)
{
    if (!strcmp(sub, "info"))
        return do_info(argc, argv);
    if (!strcmp(sub, "verify"))
        return do_verify(argc, argv);
    if (!strcmp(sub, "prepare"))
        return do_prepare(argc, argv);
    if (!strcmp(sub, "generate"))
        return do_generate();
    if (!strcmp(sub, "encode"))
        return do_encode(argc, argv);
    if (!strcmp(sub, "list"))
        return cmd_dataset_list();
    if (!strcmp(sub, "download"))
        return cmd_dataset_download(argc - 1, argv + 1, g.url, g.sha256, g.dir, g.mirror,
                                    g.crop_rows, g.dim, g.rows, g.slice);
    size_t nsubs = 0;
    while (cmd_dataset_subs[nsubs])
        nsubs++;
    const char *near = *sub ? nearest_word(sub, cmd_dataset_subs, nsubs) : NULL;
    if (near)
        cli_errorf("dataset", "unknown sub-command '%s'; did you mean '%s'? (see --help)", sub,
                   near);
    else
        cli_errorf(
            "dataset",
            "expected info, verify, prepare, generate, encode, list or download (see --help)");
    return CLI_USAGE;
}

/* One table for every sub-command: each reads the options it needs. */
static const struct opt dataset_opts[] = {
    OPT_GROUP_ROW("files and metric (info, verify, prepare)"),
    OPT_STR_ROW("base", &g.base, "FILE", "base vectors (instead of a PATH)"),
    OPT_STR_ROW("queries", &g.query, "FILE",
                "query vectors (generate: their count Q, default 1000)"),
    OPT_STR_ROW("gt", &g.gt, "FILE", "ground truth (.ivecs, .ibin, big-ann GT, parquet)"),
    OPT_STR_ROW("metric", &g.metric, "M", "l2, cosine or ip (default: from the source)"),
    OPT_STR_ROW("column", &g.column, "NAME",
                "parquet: the embedding column (default: emb, embedding, vector, else the only "
                "list of floats)"),
    OPT_GROUP_ROW("verify"),
    OPT_BOOL_ROW("all", &g.all, "check every query (default: a sample)"),
    OPT_INT_ROW("sample", &g.sample, "N", "queries to check (default 100)", 0, 1 << 30),
    OPT_GROUP_ROW("prepare"),
    OPT_STR_ROW("out", &g.out, "DIR", "output folder (prepare, generate)"),
    OPT_BOOL_ROW("normalize", &g.normalize, "unit-normalise the vectors (cosine data)"),
    OPT_BOOL_ROW("no-checksums", &g.no_checksums, "skip SHA-256 of the source files"),
    OPT_INT_ROW("gt-k", &g.gt_k, "K", "compute ground truth this deep when the source has none", 0,
                10000),
    OPT_U64_ROW("queries-from-base", &g.queries_from_base, "Q",
                "hold Q base rows out as the queries (a source without queries): drawn by "
                "--seed (Floyd's sampling), recorded in manifest.json; --gt-k default 100"),
    OPT_GROUP_ROW("generate"),
    OPT_U64_ROW("n", &g.n, "N", "base vectors"),
    OPT_INT_ROW("dim", &g.dim, "D", "dimension", 1, 65536),
    OPT_INT_ROW("k", &g.k, "K", "ground-truth depth (default 100)", 1, 10000),
    OPT_INT_ROW("clusters", &g.clusters, "C", "Gaussian clusters (default 16)", 1, 1 << 20),
    OPT_U64_ROW("seed", &g.seed, "S",
                "random seed (default 1; generate, and prepare --queries-from-base)"),
    OPT_STR_ROW("type", &g.type, "T",
                "float32 (default) or uint8 (generate; prepare keeps uint8 data)"),
    OPT_BOOL_ROW("no-gt", &g.no_gt, "skip the ground truth"),
    OPT_BOOL_ROW("resp", &g.resp,
                 "prepare, generate: also write base.resp (prefill's HSETs for vec:<id> "
                 "vector, for prefill --stream)"),
    OPT_GROUP_ROW("encode"),
    OPT_STR_ROW("prefix", &g.prefix, "PREFIX", "key prefix of base.resp (default vec:)"),
    OPT_STR_ROW("field", &g.field, "FIELD", "hash field of base.resp (default vector)"),
    OPT_GROUP_ROW("download"),
    OPT_STR_ROW("url", &g.url, "URL", "fetch this URL instead of a catalog NAME"),
    OPT_STR_ROW("sha256", &g.sha256, "HEX", "expected SHA-256 of the file"),
    OPT_STR_ROW(
        "dir", &g.dir, "DIR",
        "where datasets live (default $VM_DATASET_DIR or ~/.cache/valkey-memstress/datasets)"),
    OPT_STR_ROW("mirror", &g.mirror, "BASE", "replace the catalog's base URL"),
    OPT_U64_ROW("crop-rows", &g.crop_rows, "N",
                "--url of a big-ann file: fetch its first N rows (needs --dim), header patched"),
    OPT_STR_ROW("rows", &g.rows, "A..B",
                "NAME: only ids A (inclusive) to B (exclusive) of the base, into DIR/NAME/rows-A-B "
                "with rows.json (a big-ann base by range, a parquet base the shards holding them)"),
    OPT_STR_ROW("slice", &g.slice, "I/N",
                "NAME: only loader I of N's rows, [floor(I*n/N), floor((I+1)*n/N)) of the base's n"),
    OPT_END_ROW};

int cmd_dataset(int argc, char **argv)
{
    memset(&g, 0, sizeof(g));
    g.queries = 1000;
    g.k = 100;
    g.clusters = 16;
    g.seed = PREP_HOLDOUT_SEED;
    g.queries_from_base = UINT64_MAX;
    const struct opt *tables[] = {dataset_opts, NULL};
    int rc;
    if (cli_parse(&argc, argv, tables, usage, summary, &rc) < 0)
        return rc;
    g.tty = isatty(2) && !getenv("CI");
    const char *sub = argc > 0 ? argv[0] : "";
    bool file_cmd = !strcmp(sub, "info") || !strcmp(sub, "verify") || !strcmp(sub, "prepare");
    if (file_cmd && argc > 2) {
        cli_errorf("dataset", "%s takes one PATH", sub);
        return CLI_USAGE;
    }
    return dataset_dispatch(sub, argc, argv);
}
