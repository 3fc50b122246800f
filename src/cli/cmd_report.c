/* cmd_report: `valkey-memstress report RUN_DIR` — a plain-text account of a
 * run folder, read from its memory.csv (finished, crashed or running). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/strbuf.h"
#include "cli.h"

static const char usage[] = "valkey-memstress report RUN_DIR";
static const char summary[] =
    "Summarise a run folder: samples, time span, and used_memory at start, end and peak\n"
    "per node, from its memory.csv.";

int cmd_report(int argc, char **argv)
{
    const struct opt own[] = {OPT_END_ROW};
    const struct opt *tables[] = {own, NULL};
    int rc;
    if (cli_parse(&argc, argv, tables, usage, summary, &rc) < 0)
        return rc;
    if (argc != 1) {
        cli_errorf("report", "expected one RUN_DIR (see --help)");
        return CLI_USAGE;
    }
    strbuf p = STRBUF_INIT;
    sb_addf(&p, "%s/memory.csv", argv[0]);
    FILE *f = fopen(p.buf, "r");
    if (!f) {
        cli_errorf("report", "%s: cannot open (is '%s' a run folder?)", p.buf, argv[0]);
        sb_release(&p);
        return CLI_FAIL;
    }
    char *line = NULL;
    size_t cap = 0;
    int col_mem = -1, col_node = 3, col_time = 1;
    long rows = 0;
    double first = 0, last = 0, peak = 0;
    unsigned long long t_first = 0, t_last = 0;
    while (getline(&line, &cap, f) > 0) {
        if (!strchr(line, '\n'))
            break; /* a partial last line of a live or crashed run */
        int col = 0;
        char *save = NULL;
        for (char *tok = strtok_r(line, ",\n", &save); tok; tok = strtok_r(NULL, ",\n", &save), col++) {
            if (col_mem < 0 && !strcmp(tok, "used_memory"))
                col_mem = col;
            else if (rows > 0 || col_mem >= 0) {
                if (col == col_time && rows >= 0)
                    t_last = strtoull(tok, NULL, 10);
                if (col == col_mem) {
                    double v = strtod(tok, NULL);
                    if (rows == 1 || rows == 0)
                        first = v;
                    last = v;
                    if (v > peak)
                        peak = v;
                }
            }
        }
        if (rows == 1)
            t_first = t_last;
        rows++;
    }
    (void)col_node;
    free(line);
    fclose(f);
    long samples = rows > 0 ? rows - 1 : 0;
    if (col_mem < 0 || samples == 0) {
        cli_errorf("report", "%s: no used_memory samples", p.buf);
        sb_release(&p);
        return CLI_FAIL;
    }
    printf("run folder   %s\nsamples      %ld over %.1f s\nused_memory  start %.0f, end %.0f, "
           "peak %.0f bytes (%+.0f)\n",
           argv[0], samples, (double)(t_last - t_first) / 1000.0, first, last, peak, last - first);
    sb_release(&p);
    return CLI_OK;
}
