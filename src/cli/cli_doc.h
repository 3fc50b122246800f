/* cli_doc: the manual page and the shell completion, generated from the
 * same option tables that parse the command line and print --help, so
 * neither can drift from what the tool accepts.  `valkey-memstress help
 * --man` writes the page (roff), `help --completion bash` the completion
 * script; the build runs both and `cmake --install` installs them.
 *
 * How: each command is asked for its --help while cli_doc_usage renders
 * in another format (a man section, or the bare option words). */
#ifndef CLI_DOC_H
#define CLI_DOC_H

#include <stdio.h>

#include "opt.h"

/* What cli_parse prints for --help: the usage text, or the current
 * generator's format. */
void cli_doc_usage(const char *usage, const char *summary, const struct opt *const *tables);

int cli_doc_man(FILE *f);
/* shell: "bash" (the only one so far); -1 for another. */
int cli_doc_completion(FILE *f, const char *shell);

#endif
