/* lc_select: see lc_select.h. */
#include "lc_select.h"

#include <stdlib.h>

#include "../util/rng.h"
#include "../util/vm_grow.h"
#include "../workload/wl_ingest.h"

typedef void (*visit_fn)(void *ctx, uint64_t tag, uint64_t draw);

/* The candidates' bits of word w of copy c within [lo, hi). */
static uint64_t cand_bits(const lc_state *st, const lc_select_conf *q, uint32_t c, size_t w)
{
    uint64_t bits = live_words(&st->live, c)[w];
    if (!q->live)
        bits = ~bits;
    uint64_t base = (uint64_t)w * 64, lo = st->part_first, hi = st->part_end;
    if (base < lo)
        bits &= lo - base >= 64 ? 0 : ~((1ull << (lo - base)) - 1);
    if (base + 64 > hi)
        bits &= hi <= base ? 0 : (1ull << (hi - base)) - 1;
    return bits;
}

/* Call fn for every candidate, with its draw. */
static void visit(const lc_state *st, const lc_select_conf *q, visit_fn fn, void *ctx)
{
    size_t w0 = (size_t)(st->part_first / 64), w1 = (size_t)((st->part_end + 63) / 64);
    for (uint32_t c = 0; c < st->live.copies; c++) {
        if (q->copy != LIVE_ALL_COPIES && c != q->copy)
            continue;
        for (size_t w = w0; w < w1; w++)
            for (uint64_t bits = cand_bits(st, q, c, w); bits; bits &= bits - 1) {
                uint64_t tag = WL_TAG(c, (uint64_t)w * 64 + (uint64_t)__builtin_ctzll(bits));
                fn(ctx, tag, rng_draw(q->seed, q->stream, tag));
            }
    }
}

static void count_one(void *ctx, uint64_t tag, uint64_t draw)
{
    (void)tag, (void)draw;
    ++*(uint64_t *)ctx;
}

uint64_t lc_select_pool(const lc_state *st, const lc_select_conf *q)
{
    uint64_t n = 0;
    visit(st, q, count_one, &n);
    return n;
}

/* Whether a draw is taken by fraction f: under f·2^64 (all of them at 1). */
static bool under(double f, uint64_t draw)
{
    return f >= 1 || (f > 0 && draw < (uint64_t)(f * 0x1.0p64));
}

typedef struct pick {
    const lc_select_conf *q;
    uint64_t *tags;            /* NULL while only counting */
    size_t n, cap;
    uint64_t *hist;            /* count: candidates per top-16-bit bucket */
    uint32_t edge;             /* count: the bucket the K-th draw falls in */
    uint64_t (*edge_items)[2]; /* count: (draw, tag) of that bucket */
    size_t nedge, edge_cap;
} pick;

static void count_below(void *ctx, uint64_t tag, uint64_t draw)
{
    pick *p = ctx;
    (void)tag;
    p->n += under(p->q->fraction, draw);
}

uint64_t lc_select_count(const lc_state *st, const lc_select_conf *q)
{
    pick p = {.q = q};
    visit(st, q, count_below, &p);
    return p.n;
}

static void take_below(void *ctx, uint64_t tag, uint64_t draw)
{
    pick *p = ctx;
    if (under(p->q->fraction, draw)) {
        VM_GROW(p->tags, p->n + 1, p->cap);
        p->tags[p->n++] = tag;
    }
}

static void histogram(void *ctx, uint64_t tag, uint64_t draw)
{
    (void)tag;
    ((pick *)ctx)->hist[draw >> 48]++;
}

static void take_count(void *ctx, uint64_t tag, uint64_t draw)
{
    pick *p = ctx;
    uint32_t b = (uint32_t)(draw >> 48);
    if (b < p->edge) {
        VM_GROW(p->tags, p->n + 1, p->cap);
        p->tags[p->n++] = tag;
    } else if (b == p->edge) {
        VM_GROW(p->edge_items, p->nedge + 1, p->edge_cap);
        p->edge_items[p->nedge][0] = draw;
        p->edge_items[p->nedge++][1] = tag;
    }
}

static int cmp_pair(const void *a, const void *b)
{
    const uint64_t *x = a, *y = b;
    if (x[0] != y[0])
        return x[0] < y[0] ? -1 : 1;
    return (x[1] > y[1]) - (x[1] < y[1]);
}

/* The K smallest draws: a histogram of the draws' top 16 bits finds the
 * bucket the K-th falls in; that bucket alone is sorted. */
static void select_count(const lc_state *st, const lc_select_conf *q, pick *p)
{
    p->hist = calloc(1u << 16, sizeof(uint64_t));
    if (!p->hist)
        abort();
    visit(st, q, histogram, p);
    uint64_t before = 0;
    p->edge = 0;
    while (p->edge < (1u << 16) - 1 && before + p->hist[p->edge] < q->count)
        before += p->hist[p->edge++];
    visit(st, q, take_count, p);
    qsort(p->edge_items, p->nedge, sizeof(*p->edge_items), cmp_pair);
    for (size_t i = 0; i < p->nedge && p->n < q->count; i++) {
        VM_GROW(p->tags, p->n + 1, p->cap);
        p->tags[p->n++] = p->edge_items[i][1];
    }
    free(p->edge_items);
    free(p->hist);
}

uint64_t *lc_select(const lc_state *st, const lc_select_conf *q, uint64_t *n)
{
    pick p = {.q = q};
    if (q->count)
        select_count(st, q, &p);
    else
        visit(st, q, take_below, &p);
    /* the order the server sees: a shuffle by the seed (not by the set) */
    uint64_t rng = q->seed ^ q->stream;
    for (size_t i = p.n; i > 1; i--) {
        size_t j = (size_t)(rng_splitmix64(&rng) % i);
        uint64_t t = p.tags[i - 1];
        p.tags[i - 1] = p.tags[j];
        p.tags[j] = t;
    }
    *n = p.n;
    if (!p.tags)
        p.tags = malloc(sizeof(uint64_t));
    return p.tags;
}
