/* ds_catalog: the built-in table of public datasets; see ds_catalog.h.
 * Sources: TEXMEX corpus (INRIA), ann-benchmarks (erikbern/ann-benchmarks),
 * VectorDBBench's dataset definitions (zilliztech/VectorDBBench:
 * backend/dataset.py — dir names, shuffle_train-NN-of-MM files, COSINE for
 * OpenAI / Cohere), big-ann-benchmarks (benchmark/datasets.py: base.1B.u8bin
 * cropped by range for 1M..100M, GT_10M / GT_100M files; the same file's
 * SSNPP-less NeurIPS'21 billion sets: MSSPACEV1B, MSTuringANNS, Deep1B,
 * Text2Image1B with their base_url, ds_fn, qs_fn, gt_fn, nq, d, dtype and
 * distance; its crops assert the source header says 10^9 rows).  HuggingFace
 * entries: the hub's file trees (Qdrant/dbpedia-entities-openai3-*: data/
 * train-000NN-of-00026.parquet on main for 1536-d; the parquet converter's
 * default/train/NNNN.parquet for 3072-d; Cohere/wikipedia-2023-11-embed-
 * multilingual-v3: <lang>/NNNN.parquet on main).  Sizes are given only where
 * they follow from the format (crops, big-ann query files: 8 + nq·d·elem);
 * no publisher gives SHA-256 sums for these files, so none are listed. */
#include "ds_catalog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define TEXMEX "ftp://ftp.irisa.fr/local/texmex/corpus/"
#define ANNB "http://ann-benchmarks.com/"
#define VDBB "https://assets.zilliz.com/benchmark/"
#define BIGANN "https://dl.fbaipublicfiles.com/billion-scale-ann-benchmarks/"
#define BIGANN_Q {"bigann/query.public.10K.u8bin", "query.public.10K.u8bin", 8 + 10000ull * 128, "", 0, 0, 0}
#define CROP(rows, local) {"bigann/base.1B.u8bin", local, 8 + (rows) * 128ull, "", (rows), 128, 0}
/* big-ann-benchmarks (benchmark/datasets.py): a whole file, a crop of the
 * first rows of a 10^9-row base (row: bytes per row) */
#define BA_FILE(path, local, bytes) {path, local, bytes, "", 0, 0, 0}
#define BA_CROP(path, local, rows, row) {path, local, 8 + (rows) * (uint64_t)(row), "", (rows), (row), 0}
#define GT_SUB "https://dl.fbaipublicfiles.com/billion-scale-ann-benchmarks/"
#define YANDEX "https://storage.yandexcloud.net/yandex-research/ann-datasets/"
#define COMP21 "https://comp21storage.z5.web.core.windows.net/comp21/"
#define M1 1000000ull
#define M10 10000000ull
#define M100 100000000ull
#define B1 1000000000ull
#define NO_GT_1M "no published 1M ground truth: prepare --gt-k 100 computes it"
#define IP_NOTE "inner product: cannot be expanded (x + V_n changes inner-product rankings; " \
                "expand refuses IP data) — prefill, shrink and query only"
/* Deep1B: float32 x 96, 10K queries */
#define DEEP_Q BA_FILE("DEEP/query.public.10K.fbin", NULL, 8 + 10000ull * 96 * 4)
#define DEEP(name, rows, local, gt, note) \
    {name, "big-ann", YANDEX, "L2", 96, rows, 10000, note, \
     {BA_CROP("DEEP/base.1B.fbin", local, rows, 96 * 4), DEEP_Q, gt}}
/* Text2Image1B: float32 x 200, 100K queries, inner product */
#define T2I_Q BA_FILE("T2I/query.public.100K.fbin", NULL, 8 + 100000ull * 200 * 4)
#define T2I(name, rows, local, gt, note) \
    {name, "big-ann", YANDEX, "IP", 200, rows, 100000, note, \
     {BA_CROP("T2I/base.1B.fbin", local, rows, 200 * 4), T2I_Q, gt}}
/* MSSPACEV1B: int8 x 100, 29,316 queries */
#define SPACEV_Q BA_FILE("spacev1b/query.i8bin", NULL, 8 + 29316ull * 100)
#define SPACEV(name, rows, local, gt, note) \
    {name, "big-ann", COMP21, "L2", 100, rows, 29316, note, \
     {BA_CROP("spacev1b/spacev1b_base.i8bin", local, rows, 100), SPACEV_Q, gt}}
/* MSTuringANNS: float32 x 100, 100K queries */
#define TURING_Q BA_FILE("MSFT-TURING-ANNS/query100K.fbin", NULL, 8 + 100000ull * 100 * 4)
#define TURING(name, rows, local, gt, note) \
    {name, "big-ann", COMP21, "L2", 100, rows, 100000, note, \
     {BA_CROP("MSFT-TURING-ANNS/base1b.fbin", local, rows, 100 * 4), TURING_Q, gt}}
#define NOFILE {NULL, NULL, 0, NULL, 0, 0, 0}
#define HF_CONVERTED "refs%2Fconvert%2Fparquet"
#define HF_PREP "no queries or ground truth: dataset prepare DIR --normalize --queries-from-base 10000 --gt-k 100"

const ds_cat_entry ds_catalog[] = {
    {"siftsmall", "TEXMEX", TEXMEX, "L2", 128, 10000, 100,
     "ANN_SIFT10K; tar.gz unpacked into the dataset folder",
     {{"siftsmall.tar.gz", NULL, 0, "", 0, 0, 1}}},
    {"sift", "TEXMEX", TEXMEX, "L2", 128, 1000000, 10000, "ANN_SIFT1M",
     {{"sift.tar.gz", NULL, 0, "", 0, 0, 1}}},
    {"gist", "TEXMEX", TEXMEX, "L2", 960, 1000000, 1000, "ANN_GIST1M",
     {{"gist.tar.gz", NULL, 0, "", 0, 0, 1}}},
    {"sift-128-euclidean", "ann-benchmarks", ANNB, "L2", 128, 1000000, 10000, "HDF5",
     {{"sift-128-euclidean.hdf5", NULL, 0, "", 0, 0, 0}}},
    {"glove-100-angular", "ann-benchmarks", ANNB, "COSINE", 100, 1183514, 10000, "HDF5",
     {{"glove-100-angular.hdf5", NULL, 0, "", 0, 0, 0}}},
    {"dbpedia-openai-1000k-angular", "ann-benchmarks", ANNB, "COSINE", 1536, 990000, 10000,
     "HDF5, OpenAI ada-002 embeddings of DBpedia",
     {{"dbpedia-openai-1000k-angular.hdf5", NULL, 0, "", 0, 0, 0}}},
    {"openai_medium_500k", "VectorDBBench", VDBB, "COSINE", 1536, 500000, 1000, "parquet",
     {{"openai_medium_500k/shuffle_train.parquet", NULL, 0, "", 0, 0, 0},
      {"openai_medium_500k/test.parquet", NULL, 0, "", 0, 0, 0},
      {"openai_medium_500k/neighbors.parquet", NULL, 0, "", 0, 0, 0}}},
    {"openai_large_5m", "VectorDBBench", VDBB, "COSINE", 1536, 5000000, 1000, "parquet, 10 train files",
     {{"openai_large_5m/shuffle_train-00-of-10.parquet", NULL, 0, "", 0, 0, 0},
      {"openai_large_5m/shuffle_train-01-of-10.parquet", NULL, 0, "", 0, 0, 0},
      {"openai_large_5m/shuffle_train-02-of-10.parquet", NULL, 0, "", 0, 0, 0},
      {"openai_large_5m/shuffle_train-03-of-10.parquet", NULL, 0, "", 0, 0, 0},
      {"openai_large_5m/shuffle_train-04-of-10.parquet", NULL, 0, "", 0, 0, 0},
      {"openai_large_5m/shuffle_train-05-of-10.parquet", NULL, 0, "", 0, 0, 0},
      {"openai_large_5m/shuffle_train-06-of-10.parquet", NULL, 0, "", 0, 0, 0},
      {"openai_large_5m/shuffle_train-07-of-10.parquet", NULL, 0, "", 0, 0, 0},
      {"openai_large_5m/shuffle_train-08-of-10.parquet", NULL, 0, "", 0, 0, 0},
      {"openai_large_5m/shuffle_train-09-of-10.parquet", NULL, 0, "", 0, 0, 0},
      {"openai_large_5m/test.parquet", NULL, 0, "", 0, 0, 0},
      {"openai_large_5m/neighbors.parquet", NULL, 0, "", 0, 0, 0}}},
    {"cohere_medium_1m", "VectorDBBench", VDBB, "COSINE", 768, 1000000, 1000, "parquet",
     {{"cohere_medium_1m/shuffle_train.parquet", NULL, 0, "", 0, 0, 0},
      {"cohere_medium_1m/test.parquet", NULL, 0, "", 0, 0, 0},
      {"cohere_medium_1m/neighbors.parquet", NULL, 0, "", 0, 0, 0}}},
    {"bigann-1M", "big-ann", BIGANN, "L2", 128, 1000000, 10000,
     "crop of base.1B.u8bin; no published 1M ground truth: prepare --gt-k 100 computes it",
     {CROP(1000000ull, "base.1M.u8bin"), BIGANN_Q}},
    {"bigann-10M", "big-ann", BIGANN, "L2", 128, 10000000, 10000, "crop of base.1B.u8bin",
     {CROP(10000000ull, "base.10M.u8bin"), BIGANN_Q,
      {"GT_10M/bigann-10M", "GT.10M.bin", 0, "", 0, 0, 0}}},
    {"bigann-100M", "big-ann", BIGANN, "L2", 128, 100000000, 10000, "crop of base.1B.u8bin",
     {CROP(100000000ull, "base.100M.u8bin"), BIGANN_Q,
      {"GT_100M/bigann-100M", "GT.100M.bin", 0, "", 0, 0, 0}}},
    {"bigann-1B", "big-ann", BIGANN, "L2", 128, 1000000000, 10000, "the whole base.1B.u8bin (128 GB)",
     {{"bigann/base.1B.u8bin", NULL, 8 + 1000000000ull * 128, "", 0, 0, 0}, BIGANN_Q,
      {"bigann/GT.public.1B.ibin", NULL, 0, "", 0, 0, 0}}},
    DEEP("deep-1M", M1, "base.1M.fbin", NOFILE, "Yandex DEEP-1B crop; " NO_GT_1M),
    DEEP("deep-10M", M10, "base.10M.fbin", BA_FILE(GT_SUB "GT_10M/deep-10M", "GT.10M.bin", 0),
         "Yandex DEEP-1B crop, big-ann GT_10M"),
    DEEP("deep-100M", M100, "base.100M.fbin", BA_FILE(GT_SUB "GT_100M/deep-100M", "GT.100M.bin", 0),
         "Yandex DEEP-1B crop, big-ann GT_100M"),
    {"deep-1B", "big-ann", YANDEX, "L2", 96, B1, 10000, "Yandex DEEP-1B, whole (358 GiB)",
     {BA_FILE("DEEP/base.1B.fbin", NULL, 8 + B1 * 96 * 4), DEEP_Q,
      BA_FILE("deep_new_groundtruth.public.10K.bin", NULL, 0)}},
    T2I("text2image-1M", M1, "base.1M.fbin", NOFILE, "Yandex Text-to-Image-1B crop; " NO_GT_1M "; " IP_NOTE),
    T2I("text2image-10M", M10, "base.10M.fbin",
        BA_FILE(GT_SUB "GT_10M/text2image-10M", "GT.10M.bin", 0), "Yandex Text-to-Image-1B crop; " IP_NOTE),
    T2I("text2image-100M", M100, "base.100M.fbin",
        BA_FILE(GT_SUB "GT_100M/text2image-100M", "GT.100M.bin", 0), "Yandex Text-to-Image-1B crop; " IP_NOTE),
    {"text2image-1B", "big-ann", YANDEX, "IP", 200, B1, 100000,
     "Yandex Text-to-Image-1B, whole (745 GiB); " IP_NOTE,
     {BA_FILE("T2I/base.1B.fbin", NULL, 8 + B1 * 200 * 4), T2I_Q,
      BA_FILE("t2i_new_groundtruth.public.100K.bin", NULL, 0)}},
    SPACEV("msspacev-1M", M1, "base.1M.i8bin", BA_FILE("spacev1b/msspacev-gt-1M", "GT.1M.bin", 0),
           "Microsoft SPACEV-1B crop, int8"),
    SPACEV("msspacev-10M", M10, "base.10M.i8bin", BA_FILE("spacev1b/msspacev-gt-10M", "GT.10M.bin", 0),
           "Microsoft SPACEV-1B crop, int8"),
    SPACEV("msspacev-100M", M100, "base.100M.i8bin",
           BA_FILE("spacev1b/msspacev-gt-100M", "GT.100M.bin", 0), "Microsoft SPACEV-1B crop, int8"),
    {"msspacev-1B", "big-ann", COMP21, "L2", 100, B1, 29316,
     "Microsoft SPACEV-1B, whole (93 GiB), int8",
     {BA_FILE("spacev1b/spacev1b_base.i8bin", NULL, 8 + B1 * 100), SPACEV_Q,
      BA_FILE("spacev1b/public_query_gt100.bin", NULL, 0)}},
    TURING("msturing-1M", M1, "base.1M.fbin", BA_FILE("MSFT-TURING-ANNS/msturing-gt-1M", "GT.1M.bin", 0),
           "Microsoft Turing-ANNS-1B crop"),
    TURING("msturing-10M", M10, "base.10M.fbin",
           BA_FILE("MSFT-TURING-ANNS/msturing-gt-10M", "GT.10M.bin", 0), "Microsoft Turing-ANNS-1B crop"),
    TURING("msturing-100M", M100, "base.100M.fbin",
           BA_FILE("MSFT-TURING-ANNS/msturing-gt-100M", "GT.100M.bin", 0), "Microsoft Turing-ANNS-1B crop"),
    {"msturing-1B", "big-ann", COMP21, "L2", 100, B1, 100000,
     "Microsoft Turing-ANNS-1B, whole (373 GiB)",
     {BA_FILE("MSFT-TURING-ANNS/base1b.fbin", NULL, 8 + B1 * 100 * 4), TURING_Q,
      BA_FILE("MSFT-TURING-ANNS/query_gt100.bin", NULL, 0)}},
    {.name = "dbpedia-openai3-1536-1M", .family = "HuggingFace", .metric = "COSINE", .dim = 1536,
     .n_base = M1, .note = "OpenAI text-embedding-3-large (1536-d) of DBpedia entities; " HF_PREP,
     .hf_repo = "Qdrant/dbpedia-entities-openai3-text-embedding-3-large-1536-1M",
     .hf_revision = "main", .column = "text-embedding-3-large-1536-embedding",
     .shard_fmt = "data/train-%05u-of-00026.parquet", .shard_count = 26},
    {.name = "dbpedia-openai3-3072-1M", .family = "HuggingFace", .metric = "COSINE", .dim = 3072,
     .n_base = M1,
     .note = "OpenAI text-embedding-3-large (3072-d) of DBpedia entities; the converter's shards, "
             "counted by probing; " HF_PREP,
     .hf_repo = "Qdrant/dbpedia-entities-openai3-text-embedding-3-large-3072-1M",
     .hf_revision = HF_CONVERTED, .shard_fmt = "default/train/%04u.parquet"},
    {.name = "cohere-wiki-simple-22-12", .family = "HuggingFace", .metric = "COSINE", .dim = 768,
     .note = "Cohere multilingual-22-12 (768-d) of Simple English Wikipedia, ~486k rows per the hub "
             "(exact count from the footers); the converter's shards, counted by probing; " HF_PREP,
     .hf_repo = "Cohere/wikipedia-22-12-simple-embeddings", .hf_revision = HF_CONVERTED,
     .shard_fmt = "default/train/%04u.parquet"},
    {.name = "cohere-wiki-2023-11-en", .family = "HuggingFace", .metric = "COSINE", .dim = 1024,
     .note = "Cohere embed-multilingual-v3 (1024-d), the 'en' config of the hub's largest public "
             "embedding set (~247M rows over all languages, per the hub); rows from the footers; "
             HF_PREP,
     .hf_repo = "Cohere/wikipedia-2023-11-embed-multilingual-v3", .hf_revision = "main",
     .shard_fmt = "en/%04u.parquet"},
    {NULL},
};

const ds_cat_entry *ds_catalog_find(const char *name)
{
    for (const ds_cat_entry *e = ds_catalog; e->name; e++)
        if (!strcmp(e->name, name))
            return e;
    return NULL;
}

void ds_catalog_hf_endpoint(char *out, size_t out_len)
{
    const char *ep = getenv("HF_ENDPOINT");
    if (!ep || !*ep)
        ep = "https://huggingface.co";
    size_t l = strlen(ep);
    while (l > 0 && ep[l - 1] == '/')
        l--;
    snprintf(out, out_len, "%.*s", (int)l, ep);
}

void ds_catalog_base_url(const ds_cat_entry *e, char *out, size_t out_len)
{
    if (e->hf_repo) {
        char ep[512];
        ds_catalog_hf_endpoint(ep, sizeof(ep));
        snprintf(out, out_len, "%s/datasets/%s/resolve/%s/", ep, e->hf_repo,
                 e->hf_revision ? e->hf_revision : "main");
        return;
    }
    size_t l = strlen(e->base_url);
    snprintf(out, out_len, "%s%s", e->base_url, l && e->base_url[l - 1] == '/' ? "" : "/");
}

void ds_catalog_dir(char *out, size_t out_len)
{
    const char *d = getenv("VM_DATASET_DIR");
    if (d && *d) {
        snprintf(out, out_len, "%s", d);
        return;
    }
    const char *h = getenv("HOME");
    snprintf(out, out_len, "%s/.cache/valkey-memstress/datasets", h && *h ? h : "/tmp");
}

int ds_catalog_resolve(const char *name, const char *dir, char *out, size_t out_len)
{
    if (strchr(name, '/') || !ds_catalog_find(name))
        return -1;
    char d[1024];
    if (!dir) {
        ds_catalog_dir(d, sizeof(d));
        dir = d;
    }
    struct stat st;
    /* a prepared copy (dataset prepare NAME --out DIR/NAME/prepared) first */
    snprintf(out, out_len, "%s/%s/prepared/manifest.json", dir, name);
    if (stat(out, &st) == 0) {
        snprintf(out, out_len, "%s/%s/prepared", dir, name);
        return 0;
    }
    snprintf(out, out_len, "%s/%s", dir, name);
    return stat(out, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : -1;
}
