/* manifest.json: the json-c writer keeps the old keys, values and order; a
 * manifest written by the old hand-built writer is still read (metric,
 * normalized, norm_max by ds_set; the checksums by prep_verify). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <json-c/json.h>

#include "dataset/ds_checksum.h"
#include "dataset/ds_set.h"
#include "prep/prep_prepare.h"
#include "prep/prep_verify.h"

/* What the hand-built writer (before json_w) wrote for a prepared folder;
 * %s: base.fbin's SHA-256.  query.fbin's recorded sum is wrong on purpose. */
static const char *old_manifest =
    "{\n"
    "  \"layout\": \"valkey-memstress prepared v1 (big-ann fbin + gt.bin)\",\n"
    "  \"metric\": \"COSINE\",\n"
    "  \"normalized\": true,\n"
    "  \"element_type\": \"float32\",\n"
    "  \"dim\": 2,\n"
    "  \"base_count\": 2,\n"
    "  \"query_count\": 1,\n"
    "  \"gt_k\": 0,\n"
    "  \"gt_distance\": \"cosine_distance\",\n"
    "  \"norm_max\": 1.41421354,\n"
    "  \"source\": {\"format\": \"TEXMEX\", \"path\": \"/data/x \\\"q\\\"\", \"files\": "
    "[{\"path\": \"/data/x/b.fvecs\", \"bytes\": 24, \"sha256\": \"\"}]},\n"
    "  \"sha256\": {\"base.fbin\": \"%s\", \"query.fbin\": "
    "\"0000000000000000000000000000000000000000000000000000000000000000\"}\n"
    "}\n";

static char dir[] = "/tmp/vm-manifest-XXXXXX";

static void put_file(const char *name, const void *data, size_t n)
{
    char p[256];
    snprintf(p, sizeof(p), "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    fclose(f);
}

static int make_folder(void **state)
{
    (void)state;
    assert_non_null(mkdtemp(dir));
    uint32_t base[2 + 4] = {2, 2};
    float v[4] = {1, 0, 0.6f, 0.8f};
    memcpy(base + 2, v, sizeof(v));
    put_file("base.fbin", base, sizeof(base));
    uint32_t query[2 + 2] = {1, 2};
    memcpy(query + 2, v, 8);
    put_file("query.fbin", query, sizeof(query));
    return 0;
}

static int remove_folder(void **state)
{
    (void)state;
    const char *names[] = {"base.fbin", "query.fbin", "manifest.json"};
    for (int i = 0; i < 3; i++) {
        char p[256];
        snprintf(p, sizeof(p), "%s/%s", dir, names[i]);
        unlink(p);
    }
    rmdir(dir);
    return 0;
}

static void open_and_verify(ds_metric metric, bool normalized, double norm_max, uint32_t ok,
                            uint32_t bad)
{
    vm_err err = {0};
    ds_set s;
    ds_set_spec spec = {.path = dir};
    if (ds_set_open(&s, &spec, &err) < 0)
        fail_msg("%s", err.msg);
    assert_string_equal(s.format, "prepared");
    assert_int_equal(s.metric, metric);
    assert_string_equal(s.metric_from, "manifest");
    assert_int_equal(s.normalized, normalized);
    assert_float_equal(s.norm_max, norm_max, 1e-9);
    prep_verify_opts o = {0};
    prep_verify_result r;
    assert_int_equal(prep_verify(&s, &o, &r, &err), 0);
    assert_int_equal(r.checksums_ok, ok);
    assert_int_equal(r.checksums_bad, bad);
    ds_set_close(&s);
}

static void old_manifest_is_still_read(void **state)
{
    (void)state;
    char p[256], hex[65], text[2048];
    snprintf(p, sizeof(p), "%s/base.fbin", dir);
    assert_int_equal(ds_sha256_file(p, hex, NULL), 0);
    snprintf(text, sizeof(text), old_manifest, hex);
    put_file("manifest.json", text, strlen(text));
    open_and_verify(DS_METRIC_COSINE, true, 1.41421354, 1, 1);
}

/* the keys of o, in order, joined by ',' (objects as "key{...}") */
static void keys_of(json_object *o, char *out, size_t n)
{
    json_object_object_foreach(o, k, v)
    {
        strncat(out, k, n - strlen(out) - 1);
        if (json_object_is_type(v, json_type_object)) {
            strncat(out, "{", n - strlen(out) - 1);
            keys_of(v, out, n);
            strncat(out, "}", n - strlen(out) - 1);
        }
        strncat(out, ",", n - strlen(out) - 1);
    }
}

static void new_manifest_has_the_old_form(void **state)
{
    (void)state;
    json_object *files = json_object_new_array();
    json_object *f = json_object_new_object();
    json_object_object_add(f, "path", json_object_new_string("/data/x/b.fvecs"));
    json_object_object_add(f, "bytes", json_object_new_int64(24));
    json_object_object_add(f, "sha256", json_object_new_string(""));
    json_object_array_add(files, f);
    prep_manifest m = {.source_format = "TEXMEX",
                       .source_path = "/data/x \"q\"",
                       .metric = DS_METRIC_COSINE,
                       .normalized = true,
                       .elem = "float32",
                       .n_base = 2,
                       .n_query = 1,
                       .dim = 2,
                       .norm_max = 1.41421354,
                       .gt_distance = "cosine_distance",
                       .sources = files};
    vm_err err = {0};
    if (prep_manifest_write(dir, &m, &err) < 0)
        fail_msg("%s", err.msg);
    json_object_put(files);
    open_and_verify(DS_METRIC_COSINE, true, 1.41421354, 2, 0);
    /* the same keys in the same order, the same values, as the old text */
    char p[256], hex[65], text[2048];
    snprintf(p, sizeof(p), "%s/base.fbin", dir);
    assert_int_equal(ds_sha256_file(p, hex, NULL), 0);
    snprintf(text, sizeof(text), old_manifest, hex);
    json_object *old = json_tokener_parse(text);
    snprintf(p, sizeof(p), "%s/manifest.json", dir);
    json_object *now = json_object_from_file(p);
    assert_non_null(old);
    assert_non_null(now);
    json_object *qsum;
    assert_true(
        json_object_object_get_ex(json_object_object_get(now, "sha256"), "query.fbin", &qsum));
    json_object_object_add(json_object_object_get(old, "sha256"), "query.fbin",
                           json_object_get(qsum));
    char ko[512] = "", kn[512] = "";
    keys_of(old, ko, sizeof(ko));
    keys_of(now, kn, sizeof(kn));
    assert_string_equal(kn, ko);
    assert_true(json_object_equal(old, now));
    json_object_put(old);
    json_object_put(now);
    /* tests and people edit it with sed: "key": value, one key a line */
    FILE *in = fopen(p, "r");
    char line[256];
    bool seen = false;
    while (fgets(line, sizeof(line), in))
        seen |= !strcmp(line, "  \"metric\": \"COSINE\",\n");
    fclose(in);
    assert_true(seen);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(old_manifest_is_still_read),
        cmocka_unit_test(new_manifest_has_the_old_form),
    };
    return cmocka_run_group_tests(tests, make_folder, remove_folder);
}
