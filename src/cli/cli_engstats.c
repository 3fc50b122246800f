/* cli_engstats: the engine's run summary as a few human lines — latency
 * quantiles per operation type, the client's CPU, error replies by class,
 * and what the engine did for the cluster and for faults.  Lines with
 * nothing to say are left out. */
#include <stdio.h>

#include "cli.h"

static void ms(char *buf, size_t n, uint64_t ns)
{
    double v = (double)ns / 1e6;
    snprintf(buf, n, v < 10 ? "%.3f" : "%.1f", v);
}

void cli_print_eng_stats(FILE *f, const char *cmd, const eng_stats *st)
{
    for (int k = 0; k < st->nops && k < ENG_MAX_OPS; k++) {
        const hist *h = &st->latency[k];
        if (!h->count)
            continue;
        char p50[32], p90[32], p99[32], p999[32], mx[32];
        ms(p50, sizeof(p50), hist_quantile(h, 0.5));
        ms(p90, sizeof(p90), hist_quantile(h, 0.9));
        ms(p99, sizeof(p99), hist_quantile(h, 0.99));
        ms(p999, sizeof(p999), hist_quantile(h, 0.999));
        ms(mx, sizeof(mx), h->max_ns);
        fprintf(f, "%s: latency %s ms: p50 %s, p90 %s, p99 %s, p99.9 %s, max %s (%llu replies)\n",
                cmd, st->op_names[k] ? st->op_names[k] : "cmd", p50, p90, p99, p999, mx,
                (unsigned long long)h->count);
    }
    /* what the client cost, to weigh against the server's (a client that
     * is the bottleneck shows here first) */
    if (st->replies && st->cpu_s > 0)
        fprintf(f, "%s: client CPU %.2f s (user + sys), %.3f s per million replies\n", cmd,
                st->cpu_s, st->cpu_s * 1e6 / (double)st->replies);
    strbuf sb = STRBUF_INIT;
    for (int c = 0; c < ERRC_COUNT; c++)
        if (st->errors_by_class[c])
            sb_addf(&sb, "%s%s %llu", sb.len ? ", " : "", errclass_name((errclass)c),
                    (unsigned long long)st->errors_by_class[c]);
    if (sb.len)
        fprintf(f, "%s: error replies by class: %s\n", cmd, sb.buf);
    sb_release(&sb);
    if (st->moved || st->asked || st->topology_refreshes)
        fprintf(f, "%s: cluster: %d nodes, %llu MOVED and %llu ASK followed, %llu map refreshes\n",
                cmd, st->nodes, (unsigned long long)st->moved, (unsigned long long)st->asked,
                (unsigned long long)st->topology_refreshes);
    if (st->reconnects || st->resent || st->retries)
        fprintf(f, "%s: faults: %llu reconnects, %llu re-sent after a lost connection, "
                   "%llu retried after a transient error\n",
                cmd, (unsigned long long)st->reconnects, (unsigned long long)st->resent,
                (unsigned long long)st->retries);
}
