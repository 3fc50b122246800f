/* net_errclass: server codes, syntax errors, and module errors without a
 * code — checked on every error a real valkey-search 1.0.3 gave
 * (the reference transcripts). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "net/errclass.h"

static errclass cls(const char *s)
{
    return errclass_of(s, strlen(s));
}

static void server_codes(void **state)
{
    (void)state;
    assert_int_equal(cls("OOM command not allowed when used memory > 'maxmemory'."), ERRC_OOM);
    assert_int_equal(cls("MOVED 3999 127.0.0.1:6381"), ERRC_MOVED);
    assert_int_equal(cls("ASK 3999 127.0.0.1:6381"), ERRC_ASK);
    assert_int_equal(cls("TRYAGAIN Multiple keys request during rehashing of slot"), ERRC_TRYAGAIN);
    assert_int_equal(cls("CLUSTERDOWN The cluster is down"), ERRC_CLUSTERDOWN);
    assert_int_equal(cls("CLUSTERDOWN Hash slot not served"), ERRC_CLUSTERDOWN);
    assert_int_equal(cls("WRONGTYPE Operation against a key holding the wrong kind of value"),
                     ERRC_WRONGTYPE);
    assert_int_equal(cls("NOAUTH Authentication required."), ERRC_NOAUTH);
    assert_int_equal(cls("WRONGPASS invalid username-password pair or user is disabled."),
                     ERRC_NOAUTH);
    assert_int_equal(cls("NOPERM this user has no permissions to run the 'hset' command"),
                     ERRC_NOPERM);
    assert_int_equal(cls("LOADING Valkey is loading the dataset in memory"), ERRC_LOADING);
    assert_int_equal(cls("READONLY You can't write against a read only replica."), ERRC_READONLY);
    assert_int_equal(cls("ERR syntax error"), ERRC_SYNTAX);
    assert_int_equal(cls("ERR unknown command 'FT.SEARCH', with args beginning with: "), ERRC_SYNTAX);
    assert_int_equal(cls("ERR wrong number of arguments for 'hset' command"), ERRC_SYNTAX);
    assert_int_equal(cls("ERR value is not an integer or out of range"), ERRC_OTHER);
    assert_int_equal(cls("BUSYKEY Target key name already exists."), ERRC_OTHER);
    assert_int_equal(cls("Index with name 'idx' not found"), ERRC_MODULE);
    /* an upper-case first word that is no server code: still the module's */
    assert_int_equal(cls("DIALECT requires a non negative integer >=2 and <= 4"), ERRC_MODULE);
    assert_int_equal(cls(""), ERRC_MODULE);
    assert_string_equal(errclass_name(ERRC_OOM), "oom");
    assert_string_equal(errclass_name(ERRC_MODULE), "module");
    for (int c = 0; c < ERRC_COUNT; c++)
        assert_non_null(errclass_name((errclass)c));
}

/* Every "(error) ..." line of the transcripts: OOM is OOM, "ERR wrong
 * number..." is syntax, everything else the module said is a module error. */
static void reference_transcripts(void **state)
{
    (void)state;
    const char *ref = getenv("VM_REFERENCE");
    if (!ref)
        skip();
    const char *files[] = {"04-errors.txt", "07-maxmemory.txt", "01-ft-create-search-info.txt"};
    int seen = 0, oom = 0;
    for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
        char path[1024];
        snprintf(path, sizeof(path), "%s/valkey-search-1.0.3/%s", ref, files[f]);
        FILE *fp = fopen(path, "r");
        assert_non_null(fp);
        char line[4096];
        while (fgets(line, sizeof(line), fp)) {
            char *e = strstr(line, "(error) ");
            if (!e)
                continue;
            e += 8;
            e[strcspn(e, "\r\n")] = '\0';
            errclass c = cls(e);
            seen++;
            if (!strncmp(e, "OOM ", 4)) {
                assert_int_equal(c, ERRC_OOM);
                oom++;
            } else if (strstr(e, "ERR wrong number of arguments")) {
                assert_int_equal(c, ERRC_SYNTAX);
            } else if (!strncmp(e, "ERR ", 4)) {
                assert_int_equal(c, ERRC_OTHER);
            } else {
                assert_int_equal(c, ERRC_MODULE);
            }
        }
        fclose(fp);
    }
    assert_true(seen >= 30);
    assert_true(oom >= 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(server_codes),
        cmocka_unit_test(reference_transcripts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
