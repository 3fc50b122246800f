/* strvec: pushes keep order, copies or takes, formats, ends in NULL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/strvec.h"

static void pushes_in_order_null_ended(void **state)
{
    (void)state;
    strvec sv = STRVEC_INIT;
    char word[] = "copied";
    sv_push(&sv, word);
    word[0] = 'X'; /* the list holds its own copy */
    sv_push_nodup(&sv, strdup("taken"));
    sv_pushf(&sv, "%d-%s", 7, "f");
    for (int i = 0; i < 100; i++)
        sv_pushf(&sv, "n%d", i);
    assert_int_equal(sv.n, 103);
    assert_string_equal(sv.v[0], "copied");
    assert_string_equal(sv.v[1], "taken");
    assert_string_equal(sv.v[2], "7-f");
    assert_string_equal(sv.v[102], "n99");
    assert_null(sv.v[103]);
    sv_clear(&sv);
    assert_null(sv.v);
    assert_int_equal(sv.n, 0);
    sv_push(&sv, "again"); /* usable after clear */
    assert_string_equal(sv.v[0], "again");
    sv_clear(&sv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pushes_in_order_null_ended),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
