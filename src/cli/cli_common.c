/* cli_common: option parsing, signals, progress line, run ids (errors:
 * cli_error.c). */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../util/clock.h"
#include "../util/strbuf.h"
#include "cli.h"
#include "cli_doc.h"

atomic_bool cli_interrupted;

int cli_parse(int *argc, char **argv, const struct opt *const *tables, const char *usage,
              const char *summary, int *rc)
{
    bool help = false;
    vm_err err = {0};
    int n = opt_parse(*argc, argv, tables, &help, &err);
    if (help) {
        cli_doc_usage(usage, summary, tables);
        *rc = CLI_OK;
        return -1;
    }
    if (n < 0) {
        fprintf(stderr, "valkey-memstress: %s\n", err.msg);
        *rc = CLI_USAGE;
        return -1;
    }
    *argc = n;
    return 0;
}

static void on_signal(int sig)
{
    (void)sig;
    if (atomic_load(&cli_interrupted))
        _exit(130); /* second Ctrl-C: leave now */
    atomic_store(&cli_interrupted, true);
}

void cli_install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

void cli_progress_init(cli_progress *p, const char *label, uint64_t total,
                       _Atomic uint64_t *done)
{
    p->label = label;
    p->total = total;
    p->done = done;
    p->t0_ns = clk_mono_ns();
    p->tty = isatty(STDERR_FILENO) && !getenv("CI");
}

void cli_progress_on_start(void *ctx, uint64_t total, _Atomic uint64_t *done)
{
    cli_progress_init(ctx, "prefill", total, done);
}

void cli_progress_tick(void *arg)
{
    cli_progress *p = arg;
    if (!p->tty)
        return;
    uint64_t d = atomic_load(p->done);
    double s = (double)(clk_mono_ns() - p->t0_ns) / 1e9;
    double rate = s > 0 ? (double)d / s : 0;
    double frac = p->total ? (double)d / (double)p->total : 0;
    if (frac > 1)
        frac = 1;
    char bar[31];
    int fill = (int)(frac * 30);
    for (int i = 0; i < 30; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[30] = '\0';
    double eta = rate > 0 ? (double)(p->total - (d < p->total ? d : p->total)) / rate : 0;
    fprintf(stderr, "\r%s [%s] %5.1f%% %llu/%llu  %.0f/s  ETA %d:%02d  ", p->label, bar,
            frac * 100, (unsigned long long)d, (unsigned long long)p->total, rate,
            (int)(eta / 60), (int)eta % 60);
    fflush(stderr);
}

void cli_progress_end(cli_progress *p)
{
    if (p->tty) {
        cli_progress_tick(p);
        fputc('\n', stderr);
    }
}

void cli_run_id(char out[64])
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    snprintf(out, 64, "%04d%02d%02d-%02d%02d%02d-%d", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)getpid());
}

int cli_mkdirs(const char *path, vm_err *err)
{
    strbuf p = STRBUF_INIT;
    sb_addstr(&p, path);
    for (size_t i = 1; i <= p.len; i++) {
        if (p.buf[i] == '/' || p.buf[i] == '\0') {
            char c = p.buf[i];
            p.buf[i] = '\0';
            if (mkdir(p.buf, 0755) < 0 && errno != EEXIST) {
                vm_err_set(err, VM_EIO, "cannot create folder '%s': %s", p.buf, strerror(errno));
                sb_release(&p);
                return -1;
            }
            p.buf[i] = c;
        }
    }
    sb_release(&p);
    return 0;
}
