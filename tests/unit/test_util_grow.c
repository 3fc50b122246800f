/* vm_grow: growing keeps the elements and at least doubles; overflow and
 * ENOMEM abort (strbuf's policy). */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/vm_grow.h"

static void grow_keeps_elements_and_doubles(void **state)
{
    (void)state;
    int *v = NULL;
    size_t n = 0, cap = 0, reallocs = 0;
    for (int i = 0; i < 10000; i++) {
        size_t before = cap;
        VM_GROW(v, n + 1, cap);
        if (cap != before) {
            reallocs++;
            assert_true(cap >= 2 * before);
        }
        assert_true(cap >= n + 1);
        v[n++] = i;
    }
    for (int i = 0; i < 10000; i++)
        assert_int_equal(v[i], i);
    assert_true(reallocs <= 12); /* 8, 16, ... 16384: amortised, not one per push */
    free(v);
}

static void grow_to_need_and_not_below(void **state)
{
    (void)state;
    double *v = NULL;
    size_t cap = 0;
    v = vm_grow(v, &cap, 1, sizeof(*v));
    assert_int_equal(cap, 8); /* a small first step */
    v = vm_grow(v, &cap, 100, sizeof(*v));
    assert_int_equal(cap, 100); /* a jump past double goes to need */
    double *same = vm_grow(v, &cap, 50, sizeof(*v));
    assert_ptr_equal(same, v); /* no shrink, no move */
    assert_int_equal(cap, 100);
    free(v);
}

static void grow_any_integer_capacity(void **state)
{
    (void)state;
    char **v = NULL;
    int n = 0, cap = 0; /* some structs count in int */
    for (int i = 0; i < 20; i++) {
        VM_GROW(v, (size_t)n + 1, cap);
        v[n++] = NULL;
    }
    assert_true(cap >= 20);
    free(v);
}

static void xrealloc_zero_gives_a_pointer(void **state)
{
    (void)state;
    void *p = vm_xrealloc(NULL, 0);
    assert_non_null(p);
    free(p);
}

/* the child runs f; it must die of SIGABRT after saying so on stderr */
static void assert_aborts(void (*f)(void))
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stderr))
            _exit(1);
        f();
        _exit(0);
    }
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFSIGNALED(st));
    assert_int_equal(WTERMSIG(st), SIGABRT);
}

static void overflow_array(void)
{
    (void)vm_xrealloc_array(NULL, SIZE_MAX / 4 + 1, 8);
}

static void overflow_grow(void)
{
    size_t cap = 0;
    (void)vm_grow(NULL, &cap, SIZE_MAX / 2, 16);
}

static void overflow_aborts(void **state)
{
    (void)state;
    assert_aborts(overflow_array);
    assert_aborts(overflow_grow);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(grow_keeps_elements_and_doubles),
        cmocka_unit_test(grow_to_need_and_not_below),
        cmocka_unit_test(grow_any_integer_capacity),
        cmocka_unit_test(xrealloc_zero_gives_a_pointer),
        cmocka_unit_test(overflow_aborts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
