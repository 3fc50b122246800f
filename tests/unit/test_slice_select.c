/* Slices and the seeded choice of shrink / regrow (util/vm_slice.h,
 * lifecycle/lc_select.h): the N parts tile the ids; a selection by
 * fraction over N slices is exactly the one over all ids; a selection by
 * count is exact and takes the smallest draws; the two streams differ. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h> /* after the headers it needs */

#include "dataset/ds_dataset.h"
#include "lifecycle/lc_select.h"
#include "live/live_file.h"
#include "util/rng.h"
#include "util/vm_slice.h"
#include "workload/wl_ingest.h"

static void slice_parse_and_tile(void **state)
{
    (void)state;
    uint32_t i, n;
    vm_err err = {0};
    assert_int_equal(vm_slice_parse("3/8", &i, &n, &err), 0);
    assert_int_equal(i, 3);
    assert_int_equal(n, 8);
    const char *bad[] = {"8/8", "1", "a/2", "1/0", "-1/2", "1/2x", "", "1/"};
    for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
        vm_err e = {0};
        assert_int_equal(vm_slice_parse(bad[k], &i, &n, &e), -1);
        assert_string_equal(e.param, "slice");
    }
    const uint64_t sizes[] = {0, 1, 7, 1000, 1000000007ull};
    for (size_t s = 0; s < 5; s++)
        for (uint32_t parts = 1; parts <= 9; parts++) {
            uint64_t prev = 0;
            for (uint32_t p = 0; p < parts; p++) {
                uint64_t a, b;
                vm_slice_range(sizes[s], p, parts, &a, &b);
                assert_int_equal(a, prev);
                assert_true(b - a <= sizes[s] / parts + 1);
                prev = b;
            }
            assert_int_equal(prev, sizes[s]);
        }
}

/* A state of n ids and 2 copies, every id live but those divisible by 5. */
static void make_state(lc_state *st, uint64_t n)
{
    lc_state_init(st, "", "d", "vec:", "vector", "", "L2", n, 4, 0, 0);
    live_ensure_copies(&st->live, 2);
    for (uint32_t c = 0; c < 2; c++)
        for (uint64_t id = 0; id < n; id++)
            live_mark(&st->live, c, id, id % 5 != 0);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static void fraction_over_slices_is_one_loader(void **state)
{
    (void)state;
    lc_state st;
    make_state(&st, 10007);
    lc_select_conf q = {LIVE_ALL_COPIES, true, LC_DRAW_DELETE, 7, 0.3, 0};
    uint64_t n1, *one = lc_select(&st, &q, &n1);
    qsort(one, n1, sizeof(uint64_t), cmp_u64);
    assert_true(n1 > 4300 && n1 < 5300); /* 0.3 of 16,010 live: 4,803 +- 4 sd */
    uint64_t *all = malloc(n1 * sizeof(uint64_t)), got = 0;
    for (uint32_t i = 0; i < 4; i++) {
        vm_slice_range(st.live.n, i, 4, &st.part_first, &st.part_end);
        uint64_t k, *part = lc_select(&st, &q, &k);
        for (uint64_t j = 0; j < k; j++) {
            uint64_t id = WL_TAG_ID(part[j]);
            assert_true(id >= st.part_first && id < st.part_end);
            assert_true(got < n1);
            all[got++] = part[j];
        }
        free(part);
    }
    assert_int_equal(got, n1);
    qsort(all, got, sizeof(uint64_t), cmp_u64);
    assert_memory_equal(all, one, n1 * sizeof(uint64_t));
    /* every one is live, and under the draw */
    for (uint64_t j = 0; j < n1; j++) {
        assert_true(live_test(&st.live, WL_TAG_COPY(one[j]), WL_TAG_ID(one[j])));
        assert_true(rng_draw(7, LC_DRAW_DELETE, one[j]) < (uint64_t)(0.3 * 0x1.0p64));
    }
    free(all);
    free(one);
    lc_state_free(&st);
}

static void count_takes_the_smallest_draws(void **state)
{
    (void)state;
    lc_state st;
    make_state(&st, 5000);
    lc_select_conf q = {1, true, LC_DRAW_DELETE, 11, 0, 1234};
    uint64_t n, *t = lc_select(&st, &q, &n);
    assert_int_equal(n, 1234);
    assert_int_equal(lc_select_pool(&st, &q), 4000);
    uint64_t worst = 0;
    for (uint64_t j = 0; j < n; j++) {
        assert_int_equal(WL_TAG_COPY(t[j]), 1);
        uint64_t d = rng_draw(11, LC_DRAW_DELETE, t[j]);
        worst = d > worst ? d : worst;
    }
    uint64_t under = 0; /* live items of copy 1 with a draw at most the worst taken */
    for (uint64_t id = 0; id < 5000; id++)
        under += id % 5 && rng_draw(11, LC_DRAW_DELETE, WL_TAG(1, id)) <= worst;
    assert_int_equal(under, 1234);
    free(t);
    /* regrow draws from the dead, in another stream: all of them at 1 */
    lc_select_conf r = {LIVE_ALL_COPIES, false, LC_DRAW_REINSERT, 11, 1, 0};
    t = lc_select(&st, &r, &n);
    assert_int_equal(n, 2000);
    for (uint64_t j = 0; j < n; j++)
        assert_int_equal(WL_TAG_ID(t[j]) % 5, 0);
    free(t);
    assert_true(rng_draw(11, LC_DRAW_DELETE, 42) != rng_draw(11, LC_DRAW_REINSERT, 42));
    lc_state_free(&st);
}

/* rows.json of a partial download: the numbers, or a refusal */
static void rows_json(void **state)
{
    (void)state;
    ds_rows r;
    vm_err err = {0};
    const char ok[] = "{\"rows_first\": 250, \"rows_end\": 500, \"rows_total\": 1000, "
                      "\"file\": \"base.1M.u8bin\"}";
    assert_int_equal(ds_rows_parse(ok, strlen(ok), &r, &err), 0);
    assert_int_equal(r.first, 250);
    assert_int_equal(r.end, 500);
    assert_int_equal(r.total, 1000);
    const char *bad[] = {"", "{}", "[1,2]", "{\"rows_first\": 5, \"rows_end\": 2, \"rows_total\": 9}",
                         "{\"rows_first\": 0, \"rows_end\": 20, \"rows_total\": 9}",
                         "{\"rows_first\": -1, \"rows_end\": 2, \"rows_total\": 9}",
                         "{\"rows_first\": \"0\", \"rows_end\": 2, \"rows_total\": 9}",
                         "{\"rows_first\": 0, \"rows_end\": 2"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        vm_err e = {0};
        assert_int_equal(ds_rows_parse(bad[i], strlen(bad[i]), &r, &e), -1);
        assert_string_equal(e.param, "dataset");
    }
    /* a prefix of a valid text is not read past its length */
    assert_int_equal(ds_rows_parse(ok, 20, &r, &err), -1);
}

/* live.bin keeps the words of a part only, and reads back the same set;
 * the older form (every word) is still read */
static void live_file_part(void **state)
{
    (void)state;
    lc_state st;
    make_state(&st, 100000);
    live_keep_range(&st.live, 25000, 50000);
    char path[] = "/tmp/vm-live-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    assert_int_equal(live_file_write(&st.live, 25000, 50000, f), 0);
    fclose(f);
    FILE *r = fopen(path, "rb");
    fseek(r, 0, SEEK_END);
    long size = ftell(r);
    fclose(r);
    /* header + 2 copies x the 392 words that hold ids 25000..49999 */
    assert_int_equal(size, 36 + 2 * 8 * (50000 / 64 + 1 - 25000 / 64));
    live_set back;
    live_init(&back, 100000);
    assert_int_equal(live_file_read(&back, path, 2), LIVE_FILE_OK);
    for (uint32_t c = 0; c < 2; c++)
        assert_memory_equal(live_words(&back, c), live_words(&st.live, c), live_nwords(&back) * 8);
    assert_int_equal(live_count(&back, LIVE_ALL_COPIES), 2 * 20000);
    live_free(&back);
    /* the first form: magic, copies, n, then every word */
    f = fopen(path, "wb");
    uint32_t copies = 2;
    uint64_t n = 100000;
    fwrite("VMLIVE1", 1, 8, f);
    fwrite(&copies, 4, 1, f);
    fwrite(&n, 8, 1, f);
    for (uint32_t c = 0; c < 2; c++)
        fwrite(live_words(&st.live, c), 8, live_nwords(&st.live), f);
    fclose(f);
    live_init(&back, 100000);
    assert_int_equal(live_file_read(&back, path, 2), LIVE_FILE_OK);
    assert_int_equal(live_count(&back, LIVE_ALL_COPIES), 2 * 20000);
    live_free(&back);
    live_init(&back, 99999); /* another n: not this state's */
    assert_int_equal(live_file_read(&back, path, 2), LIVE_FILE_MISMATCH);
    live_free(&back);
    unlink(path);
    lc_state_free(&st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(slice_parse_and_tile),
        cmocka_unit_test(fraction_over_slices_is_one_loader),
        cmocka_unit_test(count_takes_the_smallest_draws),
        cmocka_unit_test(rows_json),
        cmocka_unit_test(live_file_part),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
