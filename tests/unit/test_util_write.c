/* vm_write: every byte arrives through short writes and EINTR; pwrite at
 * its offset; errors leave errno. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/vm_write.h"

#define BIG (4u << 20) /* far more than a pipe holds: the writer blocks */

static volatile sig_atomic_t ticks;

static void on_alarm(int sig)
{
    (void)sig;
    ticks++;
}

typedef struct {
    int fd;
    unsigned char *got;
    size_t n;
} reader;

static void *read_slowly(void *arg)
{
    reader *r = arg;
    usleep(20000); /* let the writer fill the pipe and block */
    for (;;) {
        ssize_t k = read(r->fd, r->got + r->n, BIG - r->n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        r->n += (size_t)k;
        if (r->n % (256u << 10) < (size_t)k)
            usleep(2000); /* pauses, so signals land mid-write */
    }
    return NULL;
}

static void write_all_through_signals(void **state)
{
    (void)state;
    unsigned char *src = malloc(BIG);
    for (size_t i = 0; i < BIG; i++)
        src[i] = (unsigned char)(i * 131 + (i >> 9));
    int p[2];
    assert_int_equal(pipe(p), 0);
    reader r = {p[0], malloc(BIG), 0};
    /* the reader never takes the signal: only the writer is interrupted */
    sigset_t alrm, old;
    sigemptyset(&alrm);
    sigaddset(&alrm, SIGALRM);
    pthread_sigmask(SIG_BLOCK, &alrm, &old);
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, read_slowly, &r), 0);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    struct sigaction sa = {0}, prev;
    sa.sa_handler = on_alarm; /* no SA_RESTART: write(2) sees EINTR */
    sigaction(SIGALRM, &sa, &prev);
    struct itimerval it = {{0, 1000}, {0, 1000}}, off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &it, NULL);
    int rc = vm_write_all(p[1], src, BIG);
    setitimer(ITIMER_REAL, &off, NULL);
    sigaction(SIGALRM, &prev, NULL);
    close(p[1]);
    pthread_join(th, NULL);
    close(p[0]);
    assert_int_equal(rc, 0);
    assert_true(ticks > 0);
    assert_int_equal(r.n, BIG);
    assert_memory_equal(r.got, src, BIG);
    free(r.got);
    free(src);
}

static void pwrite_all_at_offset(void **state)
{
    (void)state;
    char path[] = "/tmp/vm_write_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    unlink(path);
    assert_int_equal(vm_write_all(fd, "0123456789", 10), 0);
    assert_int_equal(vm_pwrite_all(fd, "abc", 3, 4), 0);
    assert_int_equal(vm_write_all(fd, "XY", 2), 0); /* the file offset did not move */
    char got[13] = {0};
    assert_int_equal(pread(fd, got, 12, 0), 12);
    assert_string_equal(got, "0123abc789XY");
    close(fd);
}

static void errors_leave_errno(void **state)
{
    (void)state;
    int p[2];
    assert_int_equal(pipe(p), 0);
    close(p[1]);
    errno = 0;
    assert_int_equal(vm_write_all(p[1], "x", 1), -1);
    assert_int_equal(errno, EBADF);
    assert_int_equal(vm_pwrite_all(p[0], "x", 1, -1), -1);
    assert_int_equal(errno, EINVAL);
    assert_int_equal(vm_write_all(p[1], "", 0), 0); /* nothing to write: no call */
    close(p[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(write_all_through_signals),
        cmocka_unit_test(pwrite_all_at_offset),
        cmocka_unit_test(errors_leave_errno),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
