/* cmd_dataset: `valkey-memstress dataset info PATH`. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../dataset/ds_dataset.h"
#include "cli.h"

static const char usage[] = "valkey-memstress dataset info PATH";
static const char summary[] =
    "Describe a dataset: format, counts, dimension, element type, NormMax (the largest\n"
    "L2 norm over base and query vectors) and ground-truth depth.";

static double max_norm(const ds_vecfile *f, float *row)
{
    double best = 0;
    for (uint64_t i = 0; i < f->n; i++) {
        ds_vecfile_row_f32(f, i, row);
        double s = 0;
        for (uint32_t j = 0; j < f->dim; j++)
            s += (double)row[j] * row[j];
        if (s > best)
            best = s;
    }
    return sqrt(best);
}

static void describe(const char *role, const ds_vecfile *f)
{
    printf("%-12s %s\n", role, f->path);
    printf("%-12s %llu x %u %s (%s)\n", "", (unsigned long long)f->n, f->dim,
           ds_elem_name(f->elem), f->layout == DS_TEXMEX ? "TEXMEX" : "big-ann");
}

int cmd_dataset(int argc, char **argv)
{
    const struct opt own[] = {OPT_END_ROW};
    const struct opt *tables[] = {own, NULL};
    int rc;
    if (cli_parse(&argc, argv, tables, usage, summary, &rc) < 0)
        return rc;
    if (argc < 1 || strcmp(argv[0], "info")) {
        cli_errorf("dataset", "expected 'dataset info PATH' (see --help)");
        return CLI_USAGE;
    }
    if (argc != 2) {
        cli_errorf("dataset", "info needs exactly one PATH");
        return CLI_USAGE;
    }
    ds_dataset ds;
    vm_err err = {0};
    if (ds_dataset_open(&ds, argv[1], &err) < 0) {
        cli_error("dataset", &err);
        return CLI_FAIL;
    }
    describe("base", &ds.base);
    float *row = malloc((size_t)ds.base.dim * sizeof(float));
    double nm = max_norm(&ds.base, row);
    if (ds_has_query(&ds)) {
        describe("queries", &ds.query);
        double q = max_norm(&ds.query, row);
        if (q > nm)
            nm = q;
    }
    if (ds_has_gt(&ds))
        printf("%-12s %s (%llu x %u, depth %u)\n", "groundtruth", ds.gt.path,
               (unsigned long long)ds.gt.n, ds.gt.dim, ds.gt.dim);
    printf("%-12s %.6g\n", "norm_max", nm);
    free(row);
    ds_dataset_close(&ds);
    return CLI_OK;
}
