/* nearest: edit distances (with adjacent swaps) and the suggestion rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* after the headers it needs */

#include "util/nearest.h"

static void distance_counts_edits_and_swaps(void **state)
{
    (void)state;
    assert_int_equal(nearest_distance("prefill", "prefill"), 0);
    assert_int_equal(nearest_distance("prefil", "prefill"), 1);  /* a deletion */
    assert_int_equal(nearest_distance("perfill", "prefill"), 1); /* a swap */
    assert_int_equal(nearest_distance("qeury", "query"), 1);
    assert_int_equal(nearest_distance("", "abc"), 3);
    assert_int_equal(nearest_distance("kitten", "sitting"), 3);
    char longw[80];
    for (int i = 0; i < 79; i++)
        longw[i] = 'a';
    longw[79] = '\0';
    assert_true(nearest_distance(longw, "a") == SIZE_MAX);
}

static void suggests_only_what_is_near(void **state)
{
    (void)state;
    const char *cmds[] = {"dataset", "prefill", "expand", "shrink", "regrow",
                          "query",   "monitor", "run",    "report"};
    size_t n = sizeof(cmds) / sizeof(cmds[0]);
    assert_string_equal(nearest_word("prefil", cmds, n), "prefill");
    assert_string_equal(nearest_word("reprot", cmds, n), "report");
    assert_string_equal(nearest_word("rn", cmds, n), "run");
    assert_string_equal(nearest_word("mon", cmds, n), "monitor"); /* a prefix */
    assert_null(nearest_word("zzzzqqq", cmds, n));
    assert_null(nearest_word("x", cmds, n));
    assert_null(nearest_word("prefill", cmds, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(distance_counts_edits_and_swaps),
        cmocka_unit_test(suggests_only_what_is_near),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
