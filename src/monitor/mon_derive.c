/* mon_derive: derived memory metrics; see mon_derive.h. */
#include "mon_derive.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>

#include "../util/vm_grow.h"

static void curve_put(mon_curve *c, double live, double mem)
{
    if (c->n && c->live[c->n - 1] == live) {
        c->mem[c->n - 1] = mem; /* the same count again: keep the latest */
        return;
    }
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->live = vm_xrealloc_array(c->live, c->cap, sizeof(double));
        c->mem = vm_xrealloc_array(c->mem, c->cap, sizeof(double));
    }
    c->live[c->n] = live;
    c->mem[c->n] = mem;
    c->n++;
}

double mon_curve_at(const mon_curve *c, double live)
{
    if (c->n == 0 || live < c->live[0])
        return -1;
    if (live >= c->live[c->n - 1])
        return c->mem[c->n - 1];
    size_t lo = 0, hi = c->n - 1; /* live[lo] <= live < live[hi] */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->live[mid] <= live)
            lo = mid;
        else
            hi = mid;
    }
    double t = (live - c->live[lo]) / (c->live[hi] - c->live[lo]);
    return c->mem[lo] + t * (c->mem[hi] - c->mem[lo]);
}

static void track(mon_curve *c, bool rising, double live, double mem, const char *name,
                  mon_fields *f)
{
    if (rising) {
        curve_put(c, live, mem);
        mon_fields_set(f, name, 0);
        return;
    }
    double up = mon_curve_at(c, live);
    if (up >= 0)
        mon_fields_set(f, name, mem - up);
}

static double value_of(const mon_fields *f, const char *name)
{
    const double *v = mon_fields_get(f, name);
    return v ? *v : NAN;
}

void mon_derive_apply(mon_derive *d, double live, mon_fields *f)
{
    /* values, not pointers: mon_fields_set may move the array */
    double used = value_of(f, "used_memory");
    double startup = value_of(f, "used_memory_startup");
    double search = value_of(f, "search_used_memory_bytes");
    double rss = value_of(f, "proc.rss_bytes");
    if (isnan(rss))
        rss = value_of(f, "used_memory_rss");
    mon_fields_set(f, "derived.live_vectors", live);
    if (!isnan(used) && live > 0)
        mon_fields_set(f, "derived.used_memory_per_vector_bytes",
                       (used - (isnan(startup) ? 0 : startup)) / live);
    if (!isnan(search) && live > 0)
        mon_fields_set(f, "derived.search_memory_per_vector_bytes", search / live);
    if (!isnan(used) && !isnan(rss) && used > 0)
        mon_fields_set(f, "derived.rss_to_used_ratio", rss / used);
    bool rising = live >= d->max_live;
    if (rising)
        d->max_live = live;
    if (!isnan(used))
        track(&d->used, rising, live, used, "derived.unreturned_bytes", f);
    if (!isnan(search))
        track(&d->search, rising, live, search, "derived.search_unreturned_bytes", f);
}

void mon_derive_free(mon_derive *d)
{
    free(d->used.live);
    free(d->used.mem);
    free(d->search.live);
    free(d->search.mem);
    d->used = d->search = (mon_curve){0};
    d->max_live = 0;
}
