/* bench_wake: what one sleep-and-wake costs this machine's CPU.
 *
 * A load client that waits for replies sleeps in epoll_wait and is woken by
 * the server's write; on a virtual machine each such round costs far more
 * CPU than the work around it (measured 30-40 us here, against 1-2 us on
 * bare metal), so a client's CPU per million commands follows its number of
 * wake-ups more than its own code.  bench_ingest.sh prints this figure next
 * to each client's wake-up count, so that its ratios can be read.
 *
 * Two processes pass one byte back and forth over a socketpair; the parent
 * writes (waking the child, as a client wakes its server), then sleeps in
 * epoll_wait until the child answers.  Prints the parent's CPU (user + sys,
 * getrusage) per round trip in microseconds, and its voluntary context
 * switches per round trip (1.0: it slept every time).
 *
 * usage: bench_wake [ROUND_TRIPS]   (default 20000) */
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static int fail(const char *what)
{
    perror(what);
    return 1;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 20000;
    if (n <= 0) {
        fprintf(stderr, "bench_wake: ROUND_TRIPS must be a positive number, not '%s'\n", argv[1]);
        return 2;
    }
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
        return fail("socketpair");
    pid_t child = fork();
    if (child < 0)
        return fail("fork");
    if (child == 0) {
        close(sv[0]);
        char c;
        for (long i = 0; i < n; i++)
            if (read(sv[1], &c, 1) != 1 || write(sv[1], &c, 1) != 1)
                _exit(1);
        _exit(0);
    }
    close(sv[1]);
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN}, out;
    if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], &ev) < 0)
        return fail("epoll");
    struct rusage r0, r1;
    getrusage(RUSAGE_SELF, &r0);
    char c = 'x';
    for (long i = 0; i < n; i++) {
        if (write(sv[0], &c, 1) != 1)
            return fail("write");
        if (epoll_wait(ep, &out, 1, -1) != 1)
            return fail("epoll_wait");
        if (read(sv[0], &c, 1) != 1)
            return fail("read");
    }
    getrusage(RUSAGE_SELF, &r1);
    int st = 0;
    waitpid(child, &st, 0);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "bench_wake: the echoing child failed\n");
        return 1;
    }
    double cpu = (double)(r1.ru_utime.tv_sec - r0.ru_utime.tv_sec) +
                 (double)(r1.ru_stime.tv_sec - r0.ru_stime.tv_sec) +
                 (double)(r1.ru_utime.tv_usec - r0.ru_utime.tv_usec) / 1e6 +
                 (double)(r1.ru_stime.tv_usec - r0.ru_stime.tv_usec) / 1e6;
    printf("%.2f %.3f\n", cpu / (double)n * 1e6, (double)(r1.ru_nvcsw - r0.ru_nvcsw) / (double)n);
    return 0;
}
