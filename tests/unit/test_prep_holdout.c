/* prep_holdout: the held-out rows are Q distinct rows of 0..n-1, sorted,
 * the same for a seed and others for another; every source row has one
 * place (a query number or a base row keeping the order); Q = 0 and
 * Q >= n are refused naming queries_from_base. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "prep/prep_holdout.h"

static void test_draw(void **state)
{
    (void)state;
    vm_err err = {0};
    uint64_t *a, *b, *c;
    assert_int_equal(prep_holdout_draw(1000, 100, 1, &a, &err), 0);
    assert_int_equal(prep_holdout_draw(1000, 100, 1, &b, &err), 0);
    assert_int_equal(prep_holdout_draw(1000, 100, 2, &c, &err), 0);
    assert_memory_equal(a, b, 100 * sizeof(uint64_t));
    assert_memory_not_equal(a, c, 100 * sizeof(uint64_t));
    for (int i = 0; i < 100; i++) {
        assert_true(a[i] < 1000);
        if (i)
            assert_true(a[i - 1] < a[i]); /* sorted, distinct */
    }
    free(a);
    free(b);
    free(c);
    /* all but one row: still distinct (Floyd's collision branch taken) */
    assert_int_equal(prep_holdout_draw(50, 49, 3, &a, &err), 0);
    for (int i = 1; i < 49; i++)
        assert_true(a[i - 1] < a[i] && a[i] < 50);
    free(a);
}

static void test_refused(void **state)
{
    (void)state;
    vm_err err = {0};
    uint64_t *a;
    assert_int_equal(prep_holdout_draw(10, 0, 1, &a, &err), -1);
    assert_string_equal(err.param, "queries_from_base");
    memset(&err, 0, sizeof(err));
    assert_int_equal(prep_holdout_draw(10, 10, 1, &a, &err), -1);
    assert_string_equal(err.param, "queries_from_base");
    assert_non_null(strstr(err.msg, "leave no base"));
    assert_null(a);
}

static void test_place(void **state)
{
    (void)state;
    const uint64_t held[] = {0, 3, 4, 9};
    uint64_t at, base = 0, q = 0;
    for (uint64_t x = 0; x < 10; x++) {
        if (prep_holdout_place(held, 4, x, &at)) {
            assert_int_equal(at, q++);
            assert_int_equal(held[at], x);
        } else {
            assert_int_equal(at, base++);
        }
    }
    assert_int_equal(q, 4);
    assert_int_equal(base, 6);
    assert_false(prep_holdout_place(held, 4, 5, &at));
    assert_int_equal(at, 2); /* rows 1, 2 before it */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_draw),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_place),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
