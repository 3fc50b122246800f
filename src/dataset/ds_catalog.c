/* ds_catalog: the built-in table of public datasets; see ds_catalog.h.
 * Sources: TEXMEX corpus (INRIA), ann-benchmarks (erikbern/ann-benchmarks),
 * VectorDBBench's dataset definitions (zilliztech/VectorDBBench:
 * backend/dataset.py — dir names, shuffle_train-NN-of-MM files, COSINE for
 * OpenAI / Cohere), big-ann-benchmarks (benchmark/datasets.py: base.1B.u8bin
 * cropped by range for 1M..100M, GT_10M / GT_100M files).  Sizes are given
 * only where they follow from the format (crops, the 10K query file);
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
    {"bigann-1M", "BIGANN", BIGANN, "L2", 128, 1000000, 10000,
     "crop of base.1B.u8bin; no published 1M ground truth: prepare --gt-k 100 computes it",
     {CROP(1000000ull, "base.1M.u8bin"), BIGANN_Q}},
    {"bigann-10M", "BIGANN", BIGANN, "L2", 128, 10000000, 10000, "crop of base.1B.u8bin",
     {CROP(10000000ull, "base.10M.u8bin"), BIGANN_Q,
      {"GT_10M/bigann-10M", "GT.10M.bin", 0, "", 0, 0, 0}}},
    {"bigann-100M", "BIGANN", BIGANN, "L2", 128, 100000000, 10000, "crop of base.1B.u8bin",
     {CROP(100000000ull, "base.100M.u8bin"), BIGANN_Q,
      {"GT_100M/bigann-100M", "GT.100M.bin", 0, "", 0, 0, 0}}},
    {"bigann-1B", "BIGANN", BIGANN, "L2", 128, 1000000000, 10000, "the whole base.1B.u8bin (128 GB)",
     {{"bigann/base.1B.u8bin", NULL, 8 + 1000000000ull * 128, "", 0, 0, 0}, BIGANN_Q,
      {"bigann/GT.public.1B.ibin", NULL, 0, "", 0, 0, 0}}},
    {NULL},
};

const ds_cat_entry *ds_catalog_find(const char *name)
{
    for (const ds_cat_entry *e = ds_catalog; e->name; e++)
        if (!strcmp(e->name, name))
            return e;
    return NULL;
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
