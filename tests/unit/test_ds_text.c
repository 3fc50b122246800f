/* ds_text: generated words are distinct single terms that are never one of
 * the module's stop words (read from a real 1.2.1 FT.INFO), documents are
 * reproducible, "contains" agrees with the text, frequencies follow Zipf. */
#include <math.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h> /* after the headers it needs */

#include "dataset/ds_text.h"
#include "transcript.h"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(a, b);
}

static void words_are_distinct_terms(void **state)
{
    (void)state;
    enum { N = 20000 };
    char(*w)[DS_TEXT_WORD_MAX] = calloc(N, DS_TEXT_WORD_MAX);
    assert_non_null(w);
    for (uint32_t r = 0; r < N; r++) {
        ds_text_word(r, w[r]);
        assert_true(strlen(w[r]) >= 4);
        for (const char *p = w[r]; *p; p++)
            assert_true(*p >= 'a' && *p <= 'z');
    }
    qsort(w, N, DS_TEXT_WORD_MAX, cmp_str);
    for (uint32_t r = 1; r < N; r++)
        assert_string_not_equal(w[r - 1], w[r]);
    /* the stop words valkey-search 1.2.1 lists in FT.INFO of a TEXT index */
    char *file = tr_reference_of("1.2.1", "01-standalone-text-cluster.txt");
    assert_non_null(file);
    redisReply *info = tr_reply(file, "127.0.0.1:7211> FT.INFO t", 0);
    free(file);
    assert_non_null(info);
    const redisReply *stop = NULL;
    for (size_t i = 0; i + 1 < info->elements; i += 2)
        if (!strcmp(info->element[i]->str, "stop_words"))
            stop = info->element[i + 1];
    assert_non_null(stop);
    assert_true(stop->elements >= 30);
    for (size_t i = 0; i < stop->elements; i++)
        assert_null(bsearch(stop->element[i]->str, w, N, DS_TEXT_WORD_MAX, cmp_str));
    freeReplyObject(info);
    char big[DS_TEXT_WORD_MAX];
    ds_text_word(DS_TEXT_MAX_VOCAB - 1, big);
    assert_true(strlen(big) < DS_TEXT_WORD_MAX - 1);
    free(w);
}

static void documents_are_reproducible_and_contains_agrees(void **state)
{
    (void)state;
    ds_text t, u;
    vm_err err = {0};
    assert_int_equal(ds_text_init(&t, &(ds_text_conf){.vocab = 500, .words = 6, .seed = 7}, &err),
                     0);
    assert_int_equal(ds_text_init(&u, &(ds_text_conf){.vocab = 500, .words = 6, .seed = 8}, &err),
                     0);
    strbuf a = STRBUF_INIT, b = STRBUF_INIT;
    int differ = 0;
    for (uint64_t id = 0; id < 300; id++) {
        sb_reset(&a);
        sb_reset(&b);
        ds_text_doc(&t, id, &a);
        ds_text_doc(&t, id, &b);
        assert_string_equal(a.buf, b.buf);
        sb_reset(&b);
        ds_text_doc(&u, id, &b);
        differ += strcmp(a.buf, b.buf) != 0;
        /* every word of the text is found, and a word not in it is not */
        char w[DS_TEXT_WORD_MAX];
        for (uint32_t r = 0; r < 40; r++) {
            ds_text_word(r, w);
            bool in = false;
            for (char *p = a.buf; (p = strstr(p, w)); p += strlen(w))
                if ((p == a.buf || p[-1] == ' ') && (p[strlen(w)] == ' ' || !p[strlen(w)]))
                    in = true;
            assert_int_equal(ds_text_contains(&t, id, r), in);
        }
    }
    assert_true(differ > 250); /* the seed matters */
    sb_release(&a);
    sb_release(&b);
    ds_text_free(&t);
    ds_text_free(&u);
}

static void frequencies_follow_zipf(void **state)
{
    (void)state;
    ds_text t;
    vm_err err = {0};
    assert_int_equal(ds_text_init(&t, &(ds_text_conf){.vocab = 1000, .words = 10, .seed = 1}, &err),
                     0);
    enum { DOCS = 20000 };
    for (uint32_t r = 0; r < 100; r += 33) {
        int hits = 0;
        for (uint64_t id = 0; id < DOCS; id++)
            hits += ds_text_contains(&t, id, r);
        double want = ds_text_selectivity(&t, r) * DOCS;
        assert_true(hits > want - 4 * sqrt(want) - 5 && hits < want + 4 * sqrt(want) + 5);
    }
    /* the most frequent word is in far more documents than the 100th */
    assert_true(ds_text_selectivity(&t, 0) > 20 * ds_text_selectivity(&t, 99) / 3);
    ds_text_free(&t);
}

static void bad_configuration_is_refused(void **state)
{
    (void)state;
    ds_text t;
    vm_err err = {0};
    assert_int_equal(ds_text_init(&t, &(ds_text_conf){.zipf_s = -1}, &err), -1);
    assert_non_null(strstr(err.msg, "Zipf exponent -1"));
    assert_int_equal(ds_text_init(&t, &(ds_text_conf){.vocab = DS_TEXT_MAX_VOCAB + 1}, &err), -1);
    assert_non_null(strstr(err.msg, "vocabulary"));
    assert_int_equal(ds_text_init(&t, &(ds_text_conf){.words = DS_TEXT_MAX_WORDS + 1}, &err), -1);
    assert_non_null(strstr(err.msg, "words per document"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(words_are_distinct_terms),
        cmocka_unit_test(documents_are_reproducible_and_contains_agrees),
        cmocka_unit_test(frequencies_follow_zipf),
        cmocka_unit_test(bad_configuration_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
