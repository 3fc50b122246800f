/* Scenario validation: every built-in passes; a typo in a step name and a
 * wrong type each fail with file, line and column; --set overrides reach
 * nested values; the resolved scenario dumps back to the same plan; the
 * info step validates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scenario/sc_builtin.h"
#include "scenario/sc_plan.h"
#include "util/strbuf.h"

static int build(const char *yaml, sc_scenario *s, vm_err *err)
{
    yd_node *root;
    if (sc_yaml_parse(yaml, strlen(yaml), "t.yaml", &root, err) < 0)
        return -1;
    int rc = sc_plan_build(root, "t.yaml", s, err);
    yd_free(root);
    return rc;
}

static void builtins_validate(void **state)
{
    (void)state;
    int n = 0;
    for (const sc_builtin *b = sc_builtins; b->name; b++, n++) {
        sc_scenario s;
        vm_err err = {0};
        if (build(b->yaml, &s, &err) < 0)
            fail_msg("built-in %s: %s", b->name, err.msg);
        assert_string_equal(s.name, b->name);
        assert_true(s.nsteps > 0);
        sc_plan_free(&s);
    }
    assert_true(n >= 7);
}

static void typo_in_step_name_names_line_and_column(void **state)
{
    (void)state;
    const char *y = "name: x\n"
                    "dataset: d\n"
                    "steps:\n"
                    "  - create_index: {}\n"
                    "  - shrnk: {fraction: 0.5}\n";
    sc_scenario s;
    vm_err err = {0};
    assert_int_equal(build(y, &s, &err), -1);
    assert_non_null(strstr(err.msg, "t.yaml:5:5:"));
    assert_non_null(strstr(err.msg, "unknown step 'shrnk'"));
    assert_non_null(strstr(err.msg, "shrink")); /* says what was expected */
    sc_plan_free(&s);
}

static void wrong_type_names_line_and_column(void **state)
{
    (void)state;
    const char *y = "name: x\n"
                    "dataset: d\n"
                    "steps:\n"
                    "  - repeat:\n"
                    "      times: 2\n"
                    "      steps:\n"
                    "        - shrink: {fraction: half, seed: 7}\n";
    sc_scenario s;
    vm_err err = {0};
    assert_int_equal(build(y, &s, &err), -1);
    assert_non_null(strstr(err.msg, "t.yaml:7:30:"));
    assert_non_null(strstr(err.msg, "'fraction' must be a number, got 'half'"));
    sc_plan_free(&s);
    const char *y2 = "name: x\ndataset: d\nindex: {name: i, m: sixteen}\nsteps: [create_index]\n";
    assert_int_equal(build(y2, &s, &err), -1);
    assert_non_null(strstr(err.msg, "t.yaml:3:21:"));
    sc_plan_free(&s);
    const char *y3 = "name: x\ndataset: d\nsteps:\n  - wait: {until: forever}\n";
    assert_int_equal(build(y3, &s, &err), -1);
    assert_non_null(strstr(err.msg, "t.yaml:4:19:"));
    sc_plan_free(&s);
    const char *y4 = "name: x\ndataset: d\nsteps:\n  - shrink: {fraction: 0.5, count: 3}\n";
    assert_int_equal(build(y4, &s, &err), -1);
    assert_non_null(strstr(err.msg, "exactly one of"));
    sc_plan_free(&s);
    const char *y5 = "name: x\ndataset: d\nsteps:\n  - query: {k: 10\n";
    assert_int_equal(build(y5, &s, &err), -1); /* YAML syntax error, with a position */
    assert_non_null(strstr(err.msg, "t.yaml:"));
}

static void set_overrides_and_dump_round_trip(void **state)
{
    (void)state;
    const sc_builtin *b = sc_builtin_find("grow-shrink");
    assert_non_null(b);
    yd_node *root;
    vm_err err = {0};
    assert_int_equal(sc_yaml_parse(b->yaml, strlen(b->yaml), "grow-shrink", &root, &err), 0);
    assert_int_equal(sc_yaml_set_path(root, "dataset=/data/sift", &err), 0);
    assert_int_equal(sc_yaml_set_path(root, "index.m=32", &err), 0);
    assert_int_equal(sc_yaml_set_path(root, "monitor.interval=250ms", &err), 0);
    assert_int_equal(sc_yaml_set_path(root, "steps=3", &err), -1); /* a list, not a value */
    strbuf out = STRBUF_INIT;
    yd_dump(root, &out);
    yd_node *again;
    assert_int_equal(sc_yaml_parse(out.buf, out.len, "dump", &again, &err), 0);
    sc_scenario s;
    assert_int_equal(sc_plan_build(again, "dump", &s, &err), 0);
    assert_string_equal(s.dataset, "/data/sift");
    assert_int_equal(s.index.m, 32);
    assert_int_equal(s.interval_ms, 250);
    assert_int_equal(s.nsteps, 4);
    assert_string_equal(sc_step_name(&s.steps[2]), "repeat");
    assert_int_equal(s.steps[2].times, 3);
    assert_int_equal(s.steps[2].nchildren, 5);
    assert_int_equal(sc_plan_leaf_count(s.steps, s.nsteps), 3 + 3 * 5);
    sc_plan_free(&s);
    yd_free(again);
    yd_free(root);
    sb_release(&out);
}

/* info: a snapshot step taking a label only, alone or inside a repeat */
static void info_step_takes_a_label(void **state)
{
    (void)state;
    const char *y = "name: x\n"
                    "dataset: d\n"
                    "steps:\n"
                    "  - info\n"
                    "  - repeat: {times: 2, steps: [prefill, {info: {label: grown}}]}\n";
    sc_scenario s;
    vm_err err = {0};
    if (build(y, &s, &err) < 0)
        fail_msg("%s", err.msg);
    assert_string_equal(sc_step_name(&s.steps[0]), "info");
    assert_string_equal(s.steps[1].children[1].label, "grown");
    assert_int_equal(sc_plan_leaf_count(s.steps, s.nsteps), 1 + 2 * 2);
    sc_plan_free(&s);
    const char *y2 = "name: x\ndataset: d\nsteps:\n  - info: {sections: all}\n";
    assert_int_equal(build(y2, &s, &err), -1);
    assert_non_null(
        strstr(err.msg, "t.yaml:4:12: unknown key 'sections' in info (expected one of: label)"));
    sc_plan_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(builtins_validate),
        cmocka_unit_test(typo_in_step_name_names_line_and_column),
        cmocka_unit_test(wrong_type_names_line_and_column),
        cmocka_unit_test(set_overrides_and_dump_round_trip),
        cmocka_unit_test(info_step_takes_a_label),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
