/* vm_slice: the loader-slice formula (disjoint, covering, sizes within one
 * row, exact at 64-bit extremes) and the I/N and A..B parsers' errors,
 * each naming its parameter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/vm_slice.h"

static void slices_cover_without_gap(void **state)
{
    (void)state;
    const uint64_t ns[] = {0, 1, 7, 10, 1000, 999983, 1000000000ull};
    for (size_t a = 0; a < sizeof(ns) / sizeof(ns[0]); a++)
        for (uint32_t count = 1; count <= 13; count++) {
            uint64_t prev_end = 0, lo = UINT64_MAX, hi = 0;
            for (uint32_t i = 0; i < count; i++) {
                uint64_t f, e;
                vm_slice_range(ns[a], i, count, &f, &e);
                assert_int_equal(f, prev_end);
                assert_true(e >= f);
                lo = e - f < lo ? e - f : lo;
                hi = e - f > hi ? e - f : hi;
                prev_end = e;
            }
            assert_int_equal(prev_end, ns[a]);
            assert_true(hi - lo <= 1);
        }
}

static void slice_formula_exact(void **state)
{
    (void)state;
    uint64_t f, e;
    vm_slice_range(10000, 1, 3, &f, &e); /* floor(10000/3), floor(20000/3) */
    assert_int_equal(f, 3333);
    assert_int_equal(e, 6666);
    vm_slice_range(UINT64_MAX, 2, 3, &f, &e); /* no overflow in i*n */
    assert_int_equal(f, UINT64_MAX / 3 * 2);
    assert_int_equal(e, UINT64_MAX);
}

static void slice_parse(void **state)
{
    (void)state;
    uint32_t i = 9, n = 9;
    vm_err err = {0};
    assert_int_equal(vm_slice_parse("1/3", &i, &n, &err), 0);
    assert_int_equal(i, 1);
    assert_int_equal(n, 3);
    assert_int_equal(vm_slice_parse("0/1", &i, &n, &err), 0);
    const char *bad[] = {"3/3", "1/0", "abc", "1/", "/3", "-1/3", "1/3x", "1 /3", "", "4294967296/5"};
    for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        memset(&err, 0, sizeof(err));
        assert_int_equal(vm_slice_parse(bad[k], &i, &n, &err), -1);
        assert_string_equal(err.param, "slice");
        assert_non_null(strstr(err.msg, bad[k]));
    }
}

static void rows_parse(void **state)
{
    (void)state;
    uint64_t a, b;
    vm_err err = {0};
    assert_int_equal(vm_rows_parse("1000..3000", &a, &b, &err), 0);
    assert_int_equal(a, 1000);
    assert_int_equal(b, 3000);
    const char *bad[] = {"5..2", "3..3", "abc", "1..", "..5", "1...5", "-1..5", "1..5x", "1-5"};
    for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        memset(&err, 0, sizeof(err));
        assert_int_equal(vm_rows_parse(bad[k], &a, &b, &err), -1);
        assert_string_equal(err.param, "rows");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(slices_cover_without_gap),
        cmocka_unit_test(slice_formula_exact),
        cmocka_unit_test(slice_parse),
        cmocka_unit_test(rows_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
