/* mon_proc: /proc readers; see mon_proc.h. */
#include "mon_proc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct {
    const char *key;
    const char *name;
} status_keys[] = {
    {"VmRSS", "proc.rss_bytes"},        {"VmHWM", "proc.hwm_bytes"},
    {"RssAnon", "proc.rss_anon_bytes"}, {"RssFile", "proc.rss_file_bytes"},
    {"VmSize", "proc.vm_size_bytes"},   {"VmSwap", "proc.swap_bytes"},
    {"Threads", "proc.threads"},
};

size_t mon_proc_parse_status(const char *text, size_t len, mon_fields *out)
{
    size_t added = 0;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        const char *colon = memchr(p, ':', (size_t)(le - p));
        for (size_t k = 0; colon && k < sizeof(status_keys) / sizeof(status_keys[0]); k++) {
            size_t kl = strlen(status_keys[k].key);
            if ((size_t)(colon - p) != kl || memcmp(p, status_keys[k].key, kl))
                continue;
            char tmp[64];
            size_t n = (size_t)(le - colon - 1);
            if (n >= sizeof(tmp))
                break;
            memcpy(tmp, colon + 1, n);
            tmp[n] = '\0';
            char *e;
            errno = 0;
            unsigned long long v = strtoull(tmp, &e, 10);
            if (e == tmp || errno || mon_fields_get(out, status_keys[k].name))
                break;
            while (*e == ' ' || *e == '\t')
                e++;
            double mult = 1;
            if (!strcmp(e, "kB"))
                mult = 1024;
            else if (*e)
                break;
            mon_fields_add(out, status_keys[k].name, strlen(status_keys[k].name), (double)v * mult);
            added++;
            break;
        }
        p = le + 1;
    }
    return added;
}

size_t mon_proc_parse_stat(const char *text, size_t len, double ticks_per_s, mon_fields *out)
{
    const char *rp = NULL;
    for (size_t i = len; i > 0; i--)
        if (text[i - 1] == ')') {
            rp = text + i - 1;
            break;
        }
    if (!rp || ticks_per_s <= 0)
        return 0;
    /* after ")": field 3 (state) is the first; utime = 14, stime = 15 */
    const char *p = rp + 1, *end = text + len;
    int field = 2;
    double ut = -1, st = -1;
    while (p < end && field < 15) {
        while (p < end && *p == ' ')
            p++;
        if (p >= end)
            break;
        const char *s = p;
        while (p < end && *p != ' ' && *p != '\n')
            p++;
        field++;
        if (field == 14 || field == 15) {
            char tmp[32];
            size_t n = (size_t)(p - s);
            if (n == 0 || n >= sizeof(tmp))
                return 0;
            memcpy(tmp, s, n);
            tmp[n] = '\0';
            char *e;
            unsigned long long v = strtoull(tmp, &e, 10);
            if (*e || tmp[0] == '-')
                return 0;
            if (field == 14)
                ut = (double)v / ticks_per_s;
            else
                st = (double)v / ticks_per_s;
        }
    }
    if (ut < 0 || st < 0)
        return 0;
    mon_fields_add(out, "proc.cpu_user_seconds", 21, ut);
    mon_fields_add(out, "proc.cpu_sys_seconds", 20, st);
    return 2;
}

bool mon_proc_is_loopback(const char *host)
{
    return !strncmp(host, "127.", 4) || !strcmp(host, "localhost") || !strcmp(host, "::1") ||
           !strcmp(host, "[::1]") || !strcmp(host, "localhost.localdomain");
}

static ssize_t read_file(const char *path, char *buf, size_t cap)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t n = 0;
    while (n + 1 < cap) {
        ssize_t r = read(fd, buf + n, cap - 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    buf[n] = '\0';
    return (ssize_t)n;
}

int mon_proc_check(int pid, vm_err *err)
{
    char path[64], comm[64];
    snprintf(path, sizeof(path), "/proc/%d/comm", pid);
    if (pid <= 0 || read_file(path, comm, sizeof(comm)) <= 0)
        return vm_err_set(err, VM_EIO, "process %d is not visible in /proc", pid);
    comm[strcspn(comm, "\n")] = '\0';
    if (!strstr(comm, "valkey") && !strstr(comm, "redis") && !strstr(comm, "server"))
        return vm_err_set(err, VM_EINPUT,
                          "process %d is '%s', not a server (another pid namespace?)", pid, comm);
    snprintf(path, sizeof(path), "/proc/%d/status", pid);
    if (access(path, R_OK) != 0)
        return vm_err_set(err, VM_EIO, "%s: %s", path, strerror(errno));
    return 0;
}

int mon_proc_sample(int pid, mon_fields *out, vm_err *err)
{
    char path[64], buf[8192];
    snprintf(path, sizeof(path), "/proc/%d/status", pid);
    ssize_t n = read_file(path, buf, sizeof(buf));
    if (n <= 0)
        return vm_err_set(err, VM_EIO, "process %d has gone", pid);
    mon_proc_parse_status(buf, (size_t)n, out);
    snprintf(path, sizeof(path), "/proc/%d/stat", pid);
    n = read_file(path, buf, sizeof(buf));
    if (n > 0)
        mon_proc_parse_stat(buf, (size_t)n, (double)sysconf(_SC_CLK_TCK), out);
    return 0;
}
