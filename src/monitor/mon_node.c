/* mon_node: per-node sources; see mon_node.h. */
#include "mon_node.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mon_ftinfo.h"
#include "mon_info.h"
#include "mon_jemalloc.h"
#include "mon_proc.h"
#include "mon_reply.h"

static const struct {
    const char *name;
    unsigned bit;
} src_names[] = {
    {"info", MON_SRC_INFO},     {"dbsize", MON_SRC_DBSIZE}, {"memstats", MON_SRC_MEMSTATS},
    {"malloc", MON_SRC_MALLOC}, {"ftinfo", MON_SRC_FTINFO}, {"proc", MON_SRC_PROC},
    {"all", MON_SRC_ALL},
};

int mon_sources_parse(const char *list, unsigned *mask, vm_err *err)
{
    unsigned m = 0;
    const char *p = list;
    while (*p) {
        size_t n = strcspn(p, ", ");
        if (n) {
            unsigned bit = 0;
            for (size_t i = 0; i < sizeof(src_names) / sizeof(src_names[0]); i++)
                if (strlen(src_names[i].name) == n && !strncmp(p, src_names[i].name, n))
                    bit = src_names[i].bit;
            if (!bit)
                return vm_err_param(err, "sources", VM_EINPUT,
                                    "unknown source '%.*s' (info, dbsize, memstats, malloc, "
                                    "ftinfo, proc, all)",
                                    (int)n, p);
            m |= bit;
        }
        p += n;
        if (*p)
            p++;
    }
    if (!m)
        return vm_err_param(err, "sources", VM_EINPUT, "no source named");
    *mask = m;
    return 0;
}

static void notice_once(const mon_collect_conf *c, unsigned bit, const char *fmt, const char *node,
                        const char *why)
{
    if (!c->notice || (c->said && (*c->said & bit)))
        return;
    if (c->said)
        *c->said |= bit;
    char msg[1024];
    snprintf(msg, sizeof(msg), fmt, node, why);
    c->notice(c->notice_ctx, msg);
}

void mon_node_init(mon_node *n, const char *host, int port, const char *role)
{
    memset(n, 0, sizeof(*n));
    snprintf(n->host, sizeof(n->host), "%s", host);
    n->port = port;
    if (strchr(host, ':'))
        snprintf(n->name, sizeof(n->name), "[%s]:%d", host, port);
    else
        snprintf(n->name, sizeof(n->name), "%s:%d", host, port);
    n->role = role;
    n->cl.conn.fd = -1;
}

/* INFO SERVER's process_id, when the server is on this host and is the
 * process /proc shows under that pid. */
static void find_pid(mon_node *n, const mon_collect_conf *c)
{
    n->pid = 0;
    n->pid_checked = true;
    if (!(c->sources & MON_SRC_PROC) || !mon_proc_is_loopback(n->host))
        return;
    vm_err e = {0};
    redisReply *r = net_client_cmd(&n->cl, &e, "INFO", "server", NULL);
    if (!r)
        return;
    mon_fields f = {0};
    if (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS)
        mon_info_parse(r->str, r->len, &f);
    freeReplyObject(r);
    const double *pid = mon_fields_get(&f, "process_id");
    if (pid && *pid > 0 && *pid < 1e9) {
        if (mon_proc_check((int)*pid, &e) == 0)
            n->pid = (int)*pid;
        else
            notice_once(c, MON_SRC_PROC, "%s: server RSS from /proc not sampled: %s", n->name,
                        e.msg);
    }
    mon_fields_free(&f);
}

int mon_node_connect(mon_node *n, const mon_collect_conf *c, vm_err *err)
{
    if (n->connected)
        return 0;
    if (net_client_open(&n->cl, c->ep, n->host, n->port, err) < 0)
        return -1;
    n->cl.timeout_ms = 10000; /* a sample that takes this long is a dead node */
    n->connected = true;
    n->was_up = true;
    n->backoff_ms = 0;
    find_pid(n, c);
    return 0;
}

void mon_node_close(mon_node *n)
{
    if (n->connected)
        net_client_close(&n->cl);
    n->connected = false;
}

/* Run a command; NULL + err on I/O failure (node down). */
static redisReply *cmd(mon_node *n, vm_err *err, int argc, const char **argv)
{
    redisReply *r = net_client_cmdv(&n->cl, argc, argv, NULL, err);
    if (!r)
        mon_node_close(n);
    return r;
}

static bool is_text(const redisReply *r)
{
    return r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS;
}

static int collect_info(mon_node *n, const mon_collect_conf *c, mon_fields *out, vm_err *err)
{
    char secs[256];
    snprintf(secs, sizeof(secs), "%s", c->sections ? c->sections : MON_DEFAULT_SECTIONS);
    const char *argv[24] = {"INFO"};
    int argc = 1;
    char *save = NULL;
    for (char *tok = strtok_r(secs, " ,", &save); tok && argc < 24;
         tok = strtok_r(NULL, " ,", &save))
        argv[argc++] = tok;
    if (!n->info_split) {
        redisReply *r = cmd(n, err, argc, argv);
        if (!r)
            return -1;
        if (is_text(r)) {
            mon_info_parse(r->str, r->len, out);
            freeReplyObject(r);
            return 0;
        }
        freeReplyObject(r);
        if (argc <= 2) /* one section refused: nothing to split */
            return 0;
        n->info_split = true; /* servers before 7.0 take one section per INFO */
    }
    for (int i = 1; i < argc; i++) {
        const char *one[2] = {"INFO", argv[i]};
        redisReply *r = cmd(n, err, 2, one);
        if (!r)
            return -1;
        if (is_text(r))
            mon_info_parse(r->str, r->len, out);
        freeReplyObject(r);
    }
    return 0;
}

/* A source the server refused: drop it for this node, say so once. */
static void refuse(mon_node *n, const mon_collect_conf *c, unsigned bit, const char *what,
                   const redisReply *r)
{
    n->refused |= bit;
    char why[200];
    snprintf(why, sizeof(why), "%.*s", r && r->type == REDIS_REPLY_ERROR ? (int)r->len : 0,
             r && r->type == REDIS_REPLY_ERROR ? r->str : "");
    char fmt[160];
    snprintf(fmt, sizeof(fmt), "%%s does not support %s; not sampled (%%s)", what);
    notice_once(c, bit, fmt, n->name, why[0] ? why : "unexpected reply");
}

static int collect_ft(mon_node *n, const mon_collect_conf *c, mon_fields *out, vm_err *err)
{
    const char *list[1] = {"FT._LIST"};
    redisReply *r = cmd(n, err, 1, list);
    if (!r)
        return -1;
    if (r->type != REDIS_REPLY_ARRAY) {
        refuse(n, c, MON_SRC_FTINFO, "FT._LIST / FT.INFO (no search module)", r);
        freeReplyObject(r);
        return 0;
    }
    mon_ft_totals tot = {0};
    for (size_t i = 0; i < r->elements; i++) {
        const redisReply *e = r->element[i];
        if (!is_text(e) || e->len == 0 || e->len > 200)
            continue;
        char idx[256];
        memcpy(idx, e->str, e->len);
        idx[e->len] = '\0';
        const char *argv[2] = {"FT.INFO", idx};
        redisReply *info = cmd(n, err, 2, argv);
        if (!info) {
            freeReplyObject(r);
            return -1;
        }
        mon_ftinfo_parse(info, idx, out, &tot); /* dropped meanwhile: an error, skipped */
        freeReplyObject(info);
    }
    freeReplyObject(r);
    mon_ftinfo_totals(&tot, out);
    return 0;
}

int mon_node_collect(mon_node *n, const mon_collect_conf *c, mon_fields *out, vm_err *err)
{
    unsigned want = c->sources & ~n->refused;
    if ((want & MON_SRC_INFO) && collect_info(n, c, out, err) < 0)
        return -1;
    if (want & MON_SRC_DBSIZE) {
        const char *argv[1] = {"DBSIZE"};
        redisReply *r = cmd(n, err, 1, argv);
        if (!r)
            return -1;
        if (r->type == REDIS_REPLY_INTEGER)
            mon_fields_set(out, "dbsize", (double)r->integer);
        else
            refuse(n, c, MON_SRC_DBSIZE, "DBSIZE", r);
        freeReplyObject(r);
    }
    if (want & MON_SRC_MEMSTATS) {
        const char *argv[2] = {"MEMORY", "STATS"};
        redisReply *r = cmd(n, err, 2, argv);
        if (!r)
            return -1;
        if (r->type == REDIS_REPLY_ARRAY)
            mon_reply_flatten(r, "memstats", out);
        else
            refuse(n, c, MON_SRC_MEMSTATS, "MEMORY STATS", r);
        freeReplyObject(r);
    }
    if (want & MON_SRC_MALLOC) {
        const char *argv[2] = {"MEMORY", "MALLOC-STATS"};
        redisReply *r = cmd(n, err, 2, argv);
        if (!r)
            return -1;
        if (!is_text(r) || mon_jemalloc_parse(r->str, r->len, out) == 0)
            refuse(n, c, MON_SRC_MALLOC, "jemalloc statistics (MEMORY MALLOC-STATS)", r);
        freeReplyObject(r);
    }
    if ((want & MON_SRC_FTINFO) && collect_ft(n, c, out, err) < 0)
        return -1;
    if ((want & MON_SRC_PROC) && n->pid > 0) {
        vm_err e = {0};
        if (mon_proc_sample(n->pid, out, &e) < 0)
            n->pid_checked = false, n->pid = 0; /* restarted? look again next time */
    }
    if ((want & MON_SRC_PROC) && !n->pid_checked)
        find_pid(n, c);
    return 0;
}
