/* cmd_dataset_fetch: `dataset list` (the built-in catalog) and `dataset
 * download NAME | --url URL` (src/fetch/): prints what the engine did. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../dataset/ds_catalog.h"
#include "../fetch/fe_fetch.h"
#include "../util/clock.h"
#include "../util/vm_slice.h"
#include "cli.h"

int cmd_dataset_list(void);
int cmd_dataset_download(int argc, char **argv, const char *url, const char *sha256,
                         const char *dir, const char *mirror, uint64_t crop_rows, int dim,
                         const char *rows, const char *slice);

static void human(uint64_t b, char *out, size_t n)
{
    if (!b)
        snprintf(out, n, "?");
    else if (b >= 1ull << 30)
        snprintf(out, n, "%.1f GB", (double)b / (1ull << 30));
    else
        snprintf(out, n, "%.1f MB", (double)b / (1ull << 20));
}

/* One file's line: its URL (a path with its own scheme is one), size, crop. */
static void list_file(const char *base, const ds_cat_file *f)
{
    char sz[32];
    human(f->bytes, sz, sizeof(sz));
    printf(" %s%s (%s)", strstr(f->path, "://") ? "" : base, f->path, sz);
    if (f->crop_rows)
        printf(" [first %llu rows]", (unsigned long long)f->crop_rows);
}

int cmd_dataset_list(void)
{
    char dir[1024], base[1024];
    ds_catalog_dir(dir, sizeof(dir));
    printf("%-30s %-15s %-7s %5s %11s %7s  %s\n", "NAME", "FAMILY", "METRIC", "DIM", "BASE",
           "QUERIES", "FILES (size where known)");
    for (const ds_cat_entry *e = ds_catalog; e->name; e++) {
        ds_catalog_base_url(e, base, sizeof(base));
        printf("%-30s %-15s %-7s %5u %11llu %7llu ", e->name, e->family, e->metric, e->dim,
               (unsigned long long)e->n_base, (unsigned long long)e->n_query);
        int i = 0;
        for (; i < DS_CAT_MAX_FILES && e->files[i].path; i++) {
            if (i)
                printf("\n%-82s", "");
            list_file(base, &e->files[i]);
        }
        if (e->shard_fmt) {
            if (i)
                printf("\n%-82s", "");
            printf(" %s%s (?) [", base, e->shard_fmt);
            if (e->shard_count)
                printf("%%u = 0..%u]", e->shard_count - 1);
            else
                printf("%%u = 0.. until 404]");
        }
        printf("\n%-82s %s%s%s\n", "", e->note, e->column ? "; column " : "",
               e->column ? e->column : "");
    }
    printf("\ndownloads go to %s (--dir DIR or $VM_DATASET_DIR to change); no publisher gives "
           "SHA-256 sums for these files, so downloads are checked by size and their SHA-256 is "
           "recorded next to each file; HuggingFace files come from $HF_ENDPOINT (default "
           "https://huggingface.co), with $HF_TOKEN when set; --rows A..B / --slice I/N fetch "
           "only some rows\n", dir);
    return CLI_OK;
}

typedef struct bar {
    bool tty;
    uint64_t last_ns, t0;
} bar;

static void on_progress(void *ctx, const char *label, uint64_t done, uint64_t total)
{
    bar *b = ctx;
    if (!b->tty)
        return;
    uint64_t now = clk_mono_ns();
    if (now - b->last_ns < 200000000ull && done < total)
        return;
    b->last_ns = now;
    double frac = total ? (double)done / (double)total : 0;
    if (frac > 1)
        frac = 1;
    char fill[31];
    for (int i = 0; i < 30; i++)
        fill[i] = i < (int)(frac * 30) ? '#' : '.';
    fill[30] = '\0';
    double s = (double)(now - b->t0) / 1e9;
    fprintf(stderr, "\r%-24.24s [%s] %5.1f%% %8.1f MB  %6.1f MB/s ", label, fill, frac * 100,
            (double)done / 1048576.0, s > 0 ? (double)done / 1048576.0 / s : 0);
    fflush(stderr);
}

static void on_file(void *ctx, const char *url, const char *path, const fe_result *r)
{
    bar *b = ctx;
    if (b->tty)
        fputc('\n', stderr);
    (void)url;
    if (r->already)
        printf("%s: already complete (%llu bytes), not fetched\n", path, (unsigned long long)r->bytes);
    else
        printf("%s: %llu bytes%s, sha256 %s\n", path, (unsigned long long)r->bytes,
               r->resumed_from ? " (resumed)" : "", r->sha256);
    b->t0 = clk_mono_ns();
}

static uint32_t elem_bytes(const char *url)
{
    size_t l = strlen(url);
    if (l > 6 && (!strcmp(url + l - 6, ".u8bin") || !strcmp(url + l - 6, ".i8bin")))
        return 1;
    if ((l > 5 && !strcmp(url + l - 5, ".fbin")) || (l > 5 && !strcmp(url + l - 5, ".ibin")))
        return 4;
    return 0;
}

/* --rows A..B / --slice I/N into o; 0, or the exit code of a usage error */
static int parse_part(const char *rows, const char *slice, fe_fetch_opts *o)
{
    vm_err err = {0};
    if (rows && slice) {
        cli_errorf("dataset", "--rows and --slice: give one or the other");
        return CLI_USAGE;
    }
    if (rows && vm_rows_parse(rows, &o->rows_first, &o->rows_end, &err) < 0) {
        cli_error("dataset", &err);
        return CLI_USAGE;
    }
    if (slice && vm_slice_parse(slice, &o->slice_i, &o->slice_n, &err) < 0) {
        cli_error("dataset", &err);
        return CLI_USAGE;
    }
    o->rows_set = rows != NULL;
    o->slice_set = slice != NULL;
    return 0;
}

static int download_entry(const ds_cat_entry *e, const char *dir, const char *mirror,
                          const char *rows, const char *slice, bar *b)
{
    fe_fetch_opts o = {.dir = dir, .mirror = mirror, .progress = on_progress, .progress_ctx = b,
                       .on_file = on_file, .on_file_ctx = b, .cancel = &cli_interrupted};
    int rc = parse_part(rows, slice, &o);
    if (rc)
        return rc;
    char out[1024];
    fe_rows_info ri;
    vm_err err = {0};
    if (fe_fetch_entry(e, &o, out, sizeof(out), &ri, &err) < 0) {
        if (b->tty)
            fputc('\n', stderr);
        cli_error("dataset", &err);
        return err.code == VM_EINPUT && err.param ? CLI_USAGE : CLI_FAIL;
    }
    if (rows || slice) {
        printf("%s: rows %llu..%llu of %llu (asked %llu..%llu) complete in %s (see rows.json)\n",
               e->name, (unsigned long long)ri.first, (unsigned long long)ri.end,
               (unsigned long long)ri.total, (unsigned long long)ri.asked_first,
               (unsigned long long)ri.asked_end, out);
        return CLI_OK;
    }
    printf("%s: complete in %s\n", e->name, out);
    if (!strcmp(e->family, "ann-benchmarks") || !strcmp(e->family, "VectorDBBench"))
        printf("next: valkey-memstress dataset prepare %s%s --out %s/prepared (then '%s' names the prepared copy)\n",
               e->name, !strcmp(e->metric, "COSINE") ? " --normalize" : "", out, e->name);
    else if (!strcmp(e->family, "HuggingFace"))
        printf("next: valkey-memstress dataset prepare %s --normalize --queries-from-base 10000 "
               "--gt-k 100 --out %s/prepared\n", out, out);
    else if (!e->files[2].path)
        printf("next: valkey-memstress dataset prepare %s --gt-k 100 --out %s/prepared\n", e->name, out);
    return CLI_OK;
}

int cmd_dataset_download(int argc, char **argv, const char *url, const char *sha256,
                         const char *dir, const char *mirror, uint64_t crop_rows, int dim,
                         const char *rows, const char *slice)
{
    cli_install_signals();
    bar b = {.tty = isatty(2) && !getenv("CI"), .t0 = clk_mono_ns()};
    vm_err err = {0};
    if (sha256 && (strlen(sha256) != 64 || strspn(sha256, "0123456789abcdefABCDEF") != 64)) {
        cli_errorf("dataset", "--sha256: expected 64 hex digits");
        return CLI_USAGE;
    }
    if (url) {
        if (rows || slice) {
            cli_errorf("dataset", "--rows / --slice need a catalog NAME (--url: --crop-rows)");
            return CLI_USAGE;
        }
        if (argc > 0) {
            cli_errorf("dataset", "download takes a NAME or --url, not both");
            return CLI_USAGE;
        }
        char d[1024];
        if (dir)
            snprintf(d, sizeof(d), "%s", dir);
        else
            ds_catalog_dir(d, sizeof(d));
        if (cli_mkdirs(d, &err) < 0) {
            cli_error("dataset", &err);
            return CLI_FAIL;
        }
        const char *name = strrchr(url, '/');
        name = name && name[1] ? name + 1 : "download";
        char dest[2048];
        snprintf(dest, sizeof(dest), "%s/%s", d, name);
        fe_request r = {.url = url, .dest = dest, .sha256 = sha256, .progress = on_progress,
                        .progress_ctx = &b, .cancel = &cli_interrupted};
        if (crop_rows) {
            uint32_t eb = elem_bytes(url);
            if (!eb || dim <= 0) {
                cli_errorf("dataset", "--crop-rows needs a .fbin/.u8bin/.i8bin/.ibin URL and --dim");
                return CLI_USAGE;
            }
            r.crop_rows = crop_rows;
            r.crop_row_bytes = eb * (uint32_t)dim;
        }
        fe_result res;
        if (fe_download(&r, &res, &err) < 0) {
            if (b.tty)
                fputc('\n', stderr);
            cli_error("dataset", &err);
            return CLI_FAIL;
        }
        on_file(&b, url, dest, &res);
        return CLI_OK;
    }
    if (argc != 1) {
        cli_errorf("dataset", "download needs a catalog NAME (see 'dataset list') or --url URL");
        return CLI_USAGE;
    }
    const ds_cat_entry *e = ds_catalog_find(argv[0]);
    if (!e) {
        cli_errorf("dataset", "'%s' is not in the catalog (see 'dataset list')", argv[0]);
        return CLI_USAGE;
    }
    return download_entry(e, dir, mirror, rows, slice, &b);
}
