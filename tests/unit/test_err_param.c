/* Errors below the CLI speak of the thing, not of a flag: the engine's
 * message names no command-line option and says which parameter is at
 * fault (vm_err.param); the CLI's printed line adds the option the user
 * typed.  Checked on the model, the index parser and the lifecycle (a
 * session over siftsmall, no server: the checks come before any command). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h> /* after the headers it needs */

#include "cli/cli.h"
#include "lifecycle/lc_ops.h"
#include "lifecycle/lc_session.h"
#include "model/mdl_vs.h"
#include "search/idx.h"
#include "util/vm_err.h"

/* The engine's message names no flag; the CLI's line names `option`. */
static void assert_thing_then_option(const vm_err *err, const char *param, const char *thing,
                                     const char *cmd, const char *line)
{
    assert_null(strstr(err->msg, "--"));
    assert_non_null(strstr(err->msg, thing));
    assert_non_null(err->param);
    assert_string_equal(err->param, param);
    char out[1024];
    cli_error_format(out, sizeof(out), cmd, err);
    assert_string_equal(out, line);
}

static void set_prefix_clear_keep_or_drop_the_param(void **state)
{
    (void)state;
    vm_err err = {0};
    assert_int_equal(vm_err_param(&err, "fraction", VM_EINPUT, "fraction %g is bad", 2.0), -1);
    assert_int_equal(err.code, VM_EINPUT);
    assert_string_equal(err.param, "fraction");
    vm_err_prefix(&err, "step 3");
    assert_string_equal(err.msg, "step 3: fraction 2 is bad");
    assert_string_equal(err.param, "fraction"); /* a context keeps it */
    vm_err_set(&err, VM_EIO, "another error");
    assert_null(err.param); /* a new error names no param unless it says so */
    vm_err_param(&err, "dim", VM_EINPUT, "x");
    vm_err_clear(&err);
    assert_null(err.param);
    assert_int_equal(vm_err_param(NULL, "dim", VM_EINPUT, "x"), -1);
    char line[600];
    vm_err plain = {0};
    vm_err_set(&plain, VM_EIO, "disk full");
    cli_error_format(line, sizeof(line), "prefill", &plain);
    assert_string_equal(line, "valkey-memstress prefill: disk full");
}

static void cli_maps_params_to_options(void **state)
{
    (void)state;
    char b[64];
    assert_string_equal(cli_option_of("fraction", b, sizeof(b)), "--fraction");
    assert_string_equal(cli_option_of("index.name", b, sizeof(b)), "--index");
    assert_string_equal(cli_option_of("index.algorithm", b, sizeof(b)), "--algorithm");
    assert_string_equal(cli_option_of("index.initial_cap", b, sizeof(b)), "--initial-cap");
    assert_string_equal(cli_option_of("module_threads", b, sizeof(b)), "--module-threads");
    assert_string_equal(cli_option_of("k", b, sizeof(b)), "-k");
}

static void model_and_index_speak_of_the_thing(void **state)
{
    (void)state;
    vm_err err = {0};
    mdl_params p;
    mdl_params_defaults(&p);
    p.live = 1000;
    p.dim = 0;
    mdl_prediction pr;
    assert_int_equal(mdl_predict(&p, &pr, &err), -1);
    assert_thing_then_option(&err, "dim", "dimension 0 is not in [1, 65536]", "model",
                             "valkey-memstress model: --dim: dimension 0 is not in [1, 65536]");
    mdl_algo algo;
    assert_int_equal(mdl_parse_algo("IVF", &algo, &err), -1);
    assert_thing_then_option(&err, "index.algorithm", "algorithm 'IVF'", "model",
                             "valkey-memstress model: --algorithm: algorithm 'IVF' is not HNSW "
                             "or FLAT");
    idx_metric metric;
    assert_int_equal(idx_parse_metric("manhattan", &metric, &err), -1);
    assert_thing_then_option(&err, "index.metric", "metric 'manhattan'", "prefill",
                             "valkey-memstress prefill: --metric: metric 'manhattan' is not L2, "
                             "IP or COSINE");
}

static void lifecycle_speaks_of_the_thing(void **state)
{
    (void)state;
    const char *d = getenv("VM_DATASETS");
    char path[1024];
    snprintf(path, sizeof(path), "%s/siftsmall", d ? d : "../shared/datasets");
    lc_create_conf c = {.dataset = path, .prefix = "vec:", .field = "vector", .index = "idx"};
    lc_session s;
    vm_err err = {0};
    if (lc_session_create(&s, &c, &err) < 0)
        fail_msg("%s", err.msg);
    lc_op_result res;
    assert_int_equal(lc_shrink(&s, NULL, LC_ALL_COPIES, 1.5, 0, 1, NULL, &res, &err), -1);
    assert_thing_then_option(&err, "fraction", "fraction 1.5 is not in [0, 1]", "shrink",
                             "valkey-memstress shrink: --fraction: fraction 1.5 is not in [0, 1]");
    assert_int_equal(lc_regrow(&s, NULL, 7, 0.5, 0, 1, NULL, &res, &err), -1);
    assert_thing_then_option(&err, "copy", "copy 7 does not exist", "regrow",
                             "valkey-memstress regrow: --copy: copy 7 does not exist (the state "
                             "has 0..0)");
    lc_query_conf q = {.index = "", .k = 10};
    lc_query_result qr;
    assert_int_equal(lc_query(&s, NULL, &q, &qr, &err), -1);
    assert_thing_then_option(&err, "index.name", "index name is required", "query",
                             "valkey-memstress query: --index: index name is required");
    q.index = "idx";
    q.k = 0;
    assert_int_equal(lc_query(&s, NULL, &q, &qr, &err), -1);
    assert_thing_then_option(&err, "k", "k 0 is not in [1, 10000]", "query",
                             "valkey-memstress query: -k: k 0 is not in [1, 10000]");
    lc_session_close(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(set_prefix_clear_keep_or_drop_the_param),
        cmocka_unit_test(cli_maps_params_to_options),
        cmocka_unit_test(model_and_index_speak_of_the_thing),
        cmocka_unit_test(lifecycle_speaks_of_the_thing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
