/* cli_conn: the connection and load options shared by server-facing
 * commands, named as in valkey-cli and valkey-benchmark. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

void cli_conn_defaults(cli_conn *c)
{
    memset(c, 0, sizeof(*c));
    net_endpoint_init(&c->ep);
    c->port_opt = 0;
    c->clients = 4;
    c->threads = 0;
    c->pipeline = 16;
    c->rate = c->rate_per_node = CLI_RATE_UNSET;
    c->timeout_ms = 30000;
}

const struct opt *cli_conn_options(cli_conn *c)
{
    /* one table per cli_conn: they are few (one per command run) */
    struct opt t[] = {
        OPT_GROUP_ROW("Connection:"),
        OPT_STR_ROW_S('h', "host", &c->host_opt, "HOST", "server host (default 127.0.0.1)"),
        OPT_INT_ROW_S('p', "port", &c->port_opt, "PORT", "server port (default 6379)", 1, 65535),
        OPT_SECRET_ROW('u', "uri", &c->url, "URL",
                       "valkey://[user:pass@]host:port (valkeys:// for TLS)"),
        OPT_STR_ROW("user", &c->user, "USER", "ACL user name"),
        OPT_SECRET_ROW('a', "pass", &c->password, "PASSWORD",
                       "password (or set VALKEYCLI_AUTH); never shown"),
        OPT_STR_ROW("pass-file", &c->pass_file, "FILE",
                    "read the password from the first line of FILE"),
        OPT_BOOL_ROW("cluster", &c->cluster, "the server is a Valkey Cluster node"),
        OPT_BOOL_ROW("tls", &c->tls, "connect with TLS"),
        OPT_STR_ROW("cacert", &c->cacert, "FILE", "CA certificate bundle to verify the server"),
        OPT_STR_ROW("cert", &c->cert, "FILE", "client certificate (PEM)"),
        OPT_STR_ROW("key", &c->key, "FILE", "client private key (PEM)"),
        OPT_STR_ROW("sni", &c->sni, "NAME", "server name for SNI and verification"),
        OPT_GROUP_ROW("Load:"),
        OPT_INT_ROW_S('c', "clients", &c->clients, "N",
                      "connections (default 4; with --cluster, to each master)", 1, 100000),
        OPT_INT_ROW("threads", &c->threads, "N",
                    "worker threads (default: one per 32 connections; with --cluster, one per "
                    "connection; at most one per core)",
                    1, 1024),
        OPT_INT_ROW_S('P', "pipeline", &c->pipeline, "N",
                      "commands in flight per connection (default 16)", 1, 100000),
        OPT_U64_ROW("rate", &c->rate, "OPS", "at most OPS commands/s in total (default unlimited)"),
        OPT_U64_ROW("rate-per-node", &c->rate_per_node, "OPS",
                    "at most OPS commands/s to each server node"),
        OPT_DUR_ROW("timeout", &c->timeout_ms,
                    "end the run when a server leaves commands unanswered this long (default 30s)"),
        OPT_BOOL_ROW("closed-loop", &c->closed_loop,
                     "rate-limited: measure latency from sending, not from when due"),
        OPT_U64_ROW("requests", &c->requests, "N", "stop after N commands"),
        OPT_DUR_ROW("test-time", &c->test_time_ms, "stop sending after this long (e.g. 30s)"),
        OPT_STR_ROW("on-error", &c->on_error, "POLICY",
                    "error replies: skip (count, default), stop, retry"),
        OPT_END_ROW,
    };
    struct opt *copy = malloc(sizeof(t));
    memcpy(copy, t, sizeof(t));
    return copy;
}

/* --pass-file: the first line, without its line end; the file's bytes are
 * wiped from memory once copied, and no message shows any of them. */
static int read_pass_file(cli_conn *c, vm_err *err)
{
    strbuf sb = STRBUF_INIT;
    if (sb_read_file(&sb, c->pass_file) < 0) {
        int e = errno;
        sb_release(&sb);
        return vm_err_set(err, VM_EINPUT, "--pass-file %s: %s", c->pass_file, strerror(e));
    }
    size_t n = strcspn(sb.buf, "\r\n");
    int rc = 0;
    if (n == 0) {
        rc = vm_err_set(err, VM_EINPUT, "--pass-file %s: the first line is empty", c->pass_file);
    } else {
        free(c->ep.password);
        c->ep.password = strndup(sb.buf, n);
    }
    explicit_bzero(sb.buf, sb.alloc);
    sb_release(&sb);
    return rc;
}

int cli_conn_finish(cli_conn *c, vm_err *err)
{
    if (c->url && net_endpoint_parse_url(&c->ep, c->url, err) < 0)
        return vm_err_prefix(err, "-u");
    if (c->host_opt) {
        if (strlen(c->host_opt) >= sizeof(c->ep.host))
            return vm_err_set(err, VM_EINPUT, "-h: host name too long");
        strcpy(c->ep.host, c->host_opt);
    }
    if (c->port_opt)
        c->ep.port = c->port_opt;
    if (c->user) {
        free(c->ep.user);
        c->ep.user = strdup(c->user);
    }
    if (c->password && c->pass_file)
        return vm_err_set(err, VM_EINPUT, "-a and --pass-file: give the password one way");
    if (c->pass_file) {
        if (read_pass_file(c, err) < 0)
            return -1;
    } else {
        const char *pw = c->password ? c->password : getenv("VALKEYCLI_AUTH");
        if (!pw && !c->ep.password)
            pw = getenv("REDISCLI_AUTH");
        if (pw) {
            free(c->ep.password);
            c->ep.password = strdup(pw);
        }
    }
    /* 0 would send nothing: no limit is --rate left out, not --rate 0 */
    if (c->rate == 0 || c->rate_per_node == 0)
        return vm_err_set(err, VM_EINPUT, "%s 0 would send nothing: leave it out for no limit",
                          c->rate == 0 ? "--rate" : "--rate-per-node");
    if (c->timeout_ms == 0)
        return vm_err_set(err, VM_EINPUT, "--timeout 0 would give up at once: give a duration");
    c->ep.reply_timeout_ms = c->timeout_ms > 3600000 ? 3600000 : (uint32_t)c->timeout_ms;
    if (c->rate == CLI_RATE_UNSET)
        c->rate = 0;
    if (c->rate_per_node == CLI_RATE_UNSET)
        c->rate_per_node = 0;
    c->ep.cluster = c->cluster;
    if (c->tls)
        c->ep.tls.enabled = true;
    if (!c->ep.tls.enabled && (c->cacert || c->cert || c->key || c->sni))
        return vm_err_set(err, VM_EINPUT, "--cacert/--cert/--key/--sni need --tls");
    c->ep.tls.cacert = c->cacert;
    c->ep.tls.cert = c->cert;
    c->ep.tls.key = c->key;
    c->ep.tls.sni = c->sni;
    c->on_error_policy = ENG_POLICY_DEFAULT;
    if (c->on_error) {
        if (!strcmp(c->on_error, "skip"))
            c->on_error_policy = ENG_POLICY_SKIP;
        else if (!strcmp(c->on_error, "stop"))
            c->on_error_policy = ENG_POLICY_STOP;
        else if (!strcmp(c->on_error, "retry"))
            c->on_error_policy = ENG_POLICY_RETRY;
        else
            return vm_err_set(err, VM_EINPUT, "--on-error %s: expected skip, stop or retry",
                              c->on_error);
    }
    if (c->threads == 0) {
        /* One thread drives one server faster than it can take writes (and a
         * second one only adds wake-ups: +10% client CPU per million measured
         * by bench/bench_ingest.sh with -c 4), so a single server gets one
         * thread per 32 connections; a cluster, one per connection. At most one
         * per core either way. */
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        int want = c->cluster ? c->clients : (c->clients + 31) / 32;
        c->threads = cores > 0 && want > cores ? (int)cores : want;
        if (c->threads > c->clients)
            c->threads = c->clients;
        if (c->threads < 1)
            c->threads = 1;
    }
    return net_endpoint_prepare(&c->ep, err);
}

void cli_conn_release(cli_conn *c)
{
    /* secret options were copied out of argv by opt_parse (then blanked) */
    free((char *)c->url);
    free((char *)c->password);
    c->url = c->password = NULL;
    net_endpoint_release(&c->ep);
}

eng_config cli_conn_engine(cli_conn *c, atomic_bool *stop)
{
    eng_config ec = {&c->ep, c->threads, c->clients, c->pipeline, c->rate, stop};
    ec.rate_per_node_ops = c->rate_per_node;
    ec.reply_timeout_ms = c->timeout_ms;
    ec.max_ops = c->requests;
    ec.duration_ms = c->test_time_ms;
    ec.open_loop = !c->closed_loop;
    ec.on_error = c->on_error_policy;
    return ec;
}
