/* json_w: the house form ("key": value, two-space indent), numbers as asked
 * (integers, %.6g, %.9g, fixed decimals), NaN as null, whole-file writes. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/json_w.h"
#include "util/strbuf.h"

static void numbers_as_asked(void **state)
{
    (void)state;
    json_object *o = json_object_new_object();
    jw_add(o, "whole", jw_num(3));
    jw_add(o, "g6", jw_num(1.0 / 3));
    jw_add(o, "g9", jw_num_sig(1.0 / 3, 9));
    jw_add(o, "fixed", jw_num_fixed(1, 6));
    jw_add(o, "never", jw_num(NAN));
    jw_add(o, "inf", jw_num_fixed(INFINITY, 2));
    static const char *const keys[] = {"p50", "max"};
    double v[] = {0.5, 12.25};
    jw_add(o, "lat", jw_fixed_object(keys, v, 2, 3));
    jw_add(o, "path", jw_str("a/b \"q\""));
    assert_string_equal(jw_text(o), "{\n"
                                    "  \"whole\": 3,\n"
                                    "  \"g6\": 0.333333,\n"
                                    "  \"g9\": 0.333333333,\n"
                                    "  \"fixed\": 1.000000,\n"
                                    "  \"never\": null,\n"
                                    "  \"inf\": null,\n"
                                    "  \"lat\": {\n"
                                    "    \"p50\": 0.500,\n"
                                    "    \"max\": 12.250\n"
                                    "  },\n"
                                    "  \"path\": \"a/b \\\"q\\\"\"\n"
                                    "}");
    json_object_put(o);
}

static void write_file_whole(void **state)
{
    (void)state;
    char dir[] = "/tmp/vm-jw-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof(path), "%s/x.json", dir);
    json_object *o = json_object_new_object();
    jw_add(o, "k", jw_num(1));
    vm_err err = {0};
    assert_int_equal(jw_write_file(path, o, &err), 0);
    strbuf sb = STRBUF_INIT;
    assert_int_equal(sb_read_file(&sb, path), 0);
    assert_string_equal(sb.buf, "{\n  \"k\": 1\n}\n");
    sb_release(&sb);
    unlink(path);
    rmdir(dir);
    assert_int_equal(jw_write_file(path, o, &err), -1); /* the folder is gone */
    assert_int_equal(err.code, VM_EIO);
    assert_non_null(strstr(err.msg, "x.json.tmp"));
    json_object_put(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(numbers_as_asked),
        cmocka_unit_test(write_file_whole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
