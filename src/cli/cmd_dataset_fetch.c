/* cmd_dataset_fetch: `dataset list` and `dataset download` (the catalog and
 * the downloader arrive in src/fetch/). */
#include "cli.h"

int cmd_dataset_list(void);
int cmd_dataset_download(int argc, char **argv, const char *url, const char *sha256,
                         const char *dir, const char *mirror);

int cmd_dataset_list(void)
{
    cli_errorf("dataset", "list: not built yet");
    return CLI_FAIL;
}

int cmd_dataset_download(int argc, char **argv, const char *url, const char *sha256,
                         const char *dir, const char *mirror)
{
    (void)argc, (void)argv, (void)url, (void)sha256, (void)dir, (void)mirror;
    cli_errorf("dataset", "download: not built yet");
    return CLI_FAIL;
}
