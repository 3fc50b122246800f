/* cli: what the sub-commands share — the command table entry, the
 * connection and load options every server-facing command takes, error
 * reporting, and the progress line.  Commands parse options and call the
 * engine; only this layer prints or chooses exit codes. */
#ifndef CLI_H
#define CLI_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../net/net_endpoint.h"
#include "../engine/eng.h"
#include "opt.h"

#define VM_VERSION "0.1.0"

typedef struct cli_command {
    const char *name;
    int (*fn)(int argc, char **argv); /* argv[0] is the first option */
    const char *summary;
    const char *const *subs; /* its sub-commands (NULL-terminated), or NULL */
} cli_command;

extern const cli_command cli_commands[];
const cli_command *cli_find_command(const char *name);

/* Exit codes: 0 ok, 1 run failed / errors, 2 bad input (usage). */
enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

/* Connection and load options (valkey-cli / valkey-benchmark names). */
typedef struct cli_conn {
    net_endpoint ep;
    const char *host_opt;
    int port_opt;
    const char *url;
    const char *user;
    const char *password;
    const char *pass_file;        /* the password on this file's first line */
    const char *cacert, *cert, *key, *sni;
    bool tls, cluster;
    int clients;
    int threads;
    int pipeline;
    uint64_t rate, rate_per_node; /* ops/s, 0 = unlimited (after cli_conn_finish) */
    uint64_t requests;            /* stop after this many commands, 0 = all */
    uint64_t test_time_ms;        /* stop after this long, 0 = no limit */
    uint64_t timeout_ms;          /* no reply this long ends the run (default 30 s) */
    bool closed_loop;
    const char *on_error;         /* skip | stop | retry */
    eng_policy on_error_policy;
} cli_conn;

/* rate / rate_per_node before cli_conn_finish: the option was not given */
#define CLI_RATE_UNSET UINT64_MAX

void cli_conn_defaults(cli_conn *c);
/* The option table bound to c (valid while c lives). */
const struct opt *cli_conn_options(cli_conn *c);
/* After parsing: fold URL, -h/-p, --user/-a/VALKEYCLI_AUTH and TLS into c->ep. */
int cli_conn_finish(cli_conn *c, vm_err *err);
void cli_conn_release(cli_conn *c);
/* The engine settings from the Connection and Load options (after
 * cli_conn_finish); stop is the flag Ctrl-C sets. */
eng_config cli_conn_engine(cli_conn *c, atomic_bool *stop);
/* Print an engine summary: latency per operation type, error classes,
 * redirections, retries, reconnects (lines start with "<cmd>: "). */
void cli_print_eng_stats(FILE *f, const char *cmd, const eng_stats *st);

/* Parse or print help: returns -1 when the caller should return *rc. */
int cli_parse(int *argc, char **argv, const struct opt *const *tables, const char *usage,
              const char *summary, int *rc);

/* "valkey-memstress CMD: message" on stderr; when the engine named the
 * parameter at fault (err->param, see vm_err.h), the option it stands for
 * comes first: "valkey-memstress shrink: --fraction: fraction 2 is ...". */
void cli_error(const char *cmd, const vm_err *err);
/* That line (without the newline) into buf. */
void cli_error_format(char *buf, size_t n, const char *cmd, const vm_err *err);
/* The command-line option an engine param stands for ("index.initial_cap"
 * -> "--initial-cap", "index.name" -> "--index"), in buf. */
const char *cli_option_of(const char *param, char *buf, size_t n);
void cli_errorf(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* SIGINT/SIGTERM set this; engines poll it. */
extern atomic_bool cli_interrupted;
void cli_install_signals(void);

/* Progress line on a terminal: bar, count, rate, ETA. */
typedef struct cli_progress {
    const char *label;
    uint64_t total;
    _Atomic uint64_t *done;
    uint64_t t0_ns;
    bool tty;
} cli_progress;

void cli_progress_init(cli_progress *p, const char *label, uint64_t total,
                       _Atomic uint64_t *done);
void cli_progress_tick(void *p);
/* An lc_progress on_start hook: ctx is a cli_progress. */
void cli_progress_on_start(void *ctx, uint64_t total, _Atomic uint64_t *done);
void cli_progress_end(cli_progress *p);

/* A new run id: YYYYmmdd-HHMMSS-<pid>. */
void cli_run_id(char out[64]);
/* mkdir -p */
int cli_mkdirs(const char *path, vm_err *err);

/* The --slice row prefill, expand, shrink and regrow share. */
#define CLI_SLICE_ROW(var)                                                                         \
    OPT_STR_ROW("slice", (var), "I/N",                                                             \
                "loader I of N: only ids [floor(I*n/N), floor((I+1)*n/N)) of every copy, so N "    \
                "loaders anywhere do exactly what one does (docs/scaling.md)")

#endif
