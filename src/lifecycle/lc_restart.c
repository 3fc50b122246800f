/* lc_restart: see lc_restart.h. */
#include "lc_restart.h"

#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "../util/clock.h"

extern char **environ;

int lc_restart_parse(const char *s, lc_restart_how *out, vm_err *err)
{
    if (s && !strcmp(s, "debug-reload"))
        *out = LC_RESTART_DEBUG_RELOAD;
    else if (s && !strcmp(s, "command"))
        *out = LC_RESTART_COMMAND;
    else
        return vm_err_set(err, VM_EINPUT, "restart '%s' is not debug-reload or command",
                          s ? s : "");
    return 0;
}

/* one command on every master, with the reply awaited up to timeout_ms */
static int each_master(lc_servers *s, uint64_t timeout_ms, vm_err *err, const char *a0,
                       const char *a1)
{
    for (int i = 0; i < s->n; i++) {
        if (!s->node[i].is_master)
            continue;
        net_client *cl = &s->node[i].cl;
        int was = cl->timeout_ms;
        cl->timeout_ms = (int)timeout_ms;
        redisReply *r = net_client_cmd_ok(cl, err, a0, a1, NULL);
        cl->timeout_ms = was;
        if (!r)
            return -1;
        freeReplyObject(r);
    }
    return 0;
}

/* the user's command through /bin/sh, waited for up to timeout_ms */
static int run_command(const char *command, uint64_t timeout_ms, vm_err *err)
{
    pid_t pid;
    char *argv[] = {"/bin/sh", "-c", (char *)command, NULL};
    int rc = posix_spawn(&pid, "/bin/sh", NULL, NULL, argv, environ);
    if (rc != 0)
        return vm_err_set(err, VM_EIO, "restart command: cannot start /bin/sh: %s", strerror(rc));
    uint64_t end = clk_mono_ns() + timeout_ms * 1000000ull;
    int status = 0;
    for (;;) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid)
            break;
        if (w < 0 && errno != EINTR)
            return vm_err_set(err, VM_EIO, "restart command: %s", strerror(errno));
        if (clk_mono_ns() > end) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return vm_err_set(err, VM_EINPUT, "restart command '%s' still running after %llu ms",
                              command, (unsigned long long)timeout_ms);
        }
        clk_sleep_ns(50 * 1000000ull);
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return vm_err_set(err, VM_EINPUT, "restart command '%s' failed (exit %d)", command,
                          WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return 0;
}

/* every node of s answers PING with PONG (not LOADING) */
static bool all_up(lc_servers *s, char *who, size_t cap)
{
    for (int i = 0; i < s->n; i++) {
        vm_err e = {0};
        redisReply *r = net_client_cmd(&s->node[i].cl, &e, "PING", NULL);
        bool ok = r && r->type == REDIS_REPLY_STATUS;
        if (r)
            freeReplyObject(r);
        if (!ok) {
            snprintf(who, cap, "%s", s->node[i].cl.name);
            return false;
        }
    }
    return true;
}

/* reopen s from ep until every node answers, up to timeout_ms */
static int reconnect(lc_servers *s, const net_endpoint *ep, uint64_t timeout_ms, vm_err *err)
{
    uint64_t end = clk_mono_ns() + timeout_ms * 1000000ull;
    char who[300] = "the server";
    vm_err last = {0};
    for (;;) {
        lc_servers_close(s);
        if (lc_servers_open(s, ep, &last) == 0) {
            if (all_up(s, who, sizeof(who)))
                return 0;
        } else {
            snprintf(who, sizeof(who), "%.280s", last.msg);
        }
        if (clk_mono_ns() > end)
            return vm_err_set(err, VM_ECONN,
                              "after the restart, %s did not answer (or was still loading) "
                              "within %llu ms",
                              who, (unsigned long long)timeout_ms);
        clk_sleep_ns(200 * 1000000ull);
    }
}

int lc_restart(lc_servers *s, const net_endpoint *ep, lc_restart_how how, const char *command,
               uint64_t timeout_ms, double *down_s, vm_err *err)
{
    uint64_t t0 = clk_mono_ns();
    if (how == LC_RESTART_DEBUG_RELOAD) {
        if (each_master(s, timeout_ms, err, "DEBUG", "RELOAD") < 0) {
            if (strstr(err->msg, "not allowed"))
                vm_err_prefix(err, "restart by DEBUG RELOAD (the server refuses DEBUG; set "
                                   "enable-debug-command, or restart by a command)");
            return -1;
        }
    } else {
        if (!command || !*command)
            return vm_err_set(err, VM_EINPUT, "a restart by command needs the command");
        if (each_master(s, timeout_ms, err, "SAVE", NULL) < 0 ||
            run_command(command, timeout_ms, err) < 0)
            return -1;
    }
    if (reconnect(s, ep, timeout_ms, err) < 0)
        return -1;
    *down_s = (double)(clk_mono_ns() - t0) / 1e9;
    return 0;
}
