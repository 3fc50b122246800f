/* cmd_query: `valkey-memstress query` — KNN queries with exact recall.
 * The query workload arrives with the index lifecycle; until then this
 * command says so plainly instead of pretending to measure anything. */
#include "cli.h"

static const char usage[] =
    "valkey-memstress query --index NAME -k K [--ef-runtime EF] [--queries N] [connection options]";
static const char summary[] =
    "Send FT.SEARCH KNN queries for the dataset's query vectors and report recall@k.\n"
    "Not available in this build yet.";

int cmd_query(int argc, char **argv)
{
    const struct opt own[] = {OPT_END_ROW};
    const struct opt *tables[] = {own, NULL};
    int rc;
    if (cli_parse(&argc, argv, tables, usage, summary, &rc) < 0)
        return rc;
    cli_errorf("query", "not available in this build yet (the query workload is not built)");
    return CLI_FAIL;
}
