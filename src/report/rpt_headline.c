/* rpt_headline: see rpt_headline.h. */
#include "rpt_headline.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rpt_fmt.h"

static void fmt(char *out, size_t n, void (*f)(strbuf *, double), double v)
{
    strbuf sb = STRBUF_INIT;
    f(&sb, v);
    snprintf(out, n, "%s", sb.buf ? sb.buf : "");
    sb_release(&sb);
}

/* used_memory on the way up at `live` vectors: the samples before the
 * first fall of the live count, interpolated between the two around it. */
static double up_curve(const rpt_timeline *tl, double live)
{
    double pl = NAN, pm = NAN, high = -1;
    for (size_t t = 0; t < tl->n; t++) {
        double l = tl->live[t], m = tl->m[RPT_USED][t];
        if (isnan(l) || isnan(m))
            continue;
        if (l < high)
            break; /* the first shrink: the growth curve ends here */
        high = l;
        if (l >= live) {
            if (isnan(pl) || l == pl)
                return m;
            return pm + (m - pm) * (live - pl) / (l - pl);
        }
        pl = l;
        pm = m;
    }
    return NAN;
}

static void bytes_per_vector(const rpt_analysis *an, rpt_headline *h)
{
    const rpt_timeline *tl = &an->tl;
    size_t best = tl->n;
    double base = NAN;
    for (size_t t = 0; t < tl->n; t++) {
        if (isnan(base))
            base = tl->m[RPT_USED][t];
        if (!isnan(tl->live[t]) && !isnan(tl->m[RPT_USED][t]) &&
            (best == tl->n || tl->live[t] > tl->live[best]))
            best = t;
    }
    if (best == tl->n || !(tl->live[best] > 0) || isnan(base)) {
        snprintf(h->line[0], sizeof(h->line[0]),
                 "bytes per live vector: not measured (no sample with live vectors)");
        return;
    }
    h->at_live = tl->live[best];
    h->bytes_per_vector = (tl->m[RPT_USED][best] - base) / h->at_live;
    char n[48];
    fmt(n, sizeof(n), rpt_fmt_count, h->at_live);
    snprintf(h->line[0], sizeof(h->line[0]),
             "bytes per live vector: %.0f B (used_memory's growth at %s live vectors)",
             h->bytes_per_vector, n);
}

static void not_returned(const rpt_analysis *an, rpt_headline *h)
{
    size_t x = 0;
    while (x < an->nphases && !(an->phases[x].live_end < an->phases[x].live_start &&
                                !isnan(an->phases[x].start[RPT_USED])))
        x++;
    if (x == an->nphases) {
        snprintf(h->line[1], sizeof(h->line[1]),
                 "memory not returned after deletes: not measured (the run deleted nothing)");
        return;
    }
    const rpt_phase *p = &an->phases[x];
    double before = p->live_start, after = p->live_end;
    size_t y = x;
    while (y + 1 < an->nphases && an->phases[y + 1].live_start == after &&
           an->phases[y + 1].live_end == after)
        y++; /* the waits that let it settle */
    double m_before = p->start[RPT_USED], m_after = an->phases[y].end[RPT_USED];
    double took = up_curve(&an->tl, before) - up_curve(&an->tl, after);
    if (isnan(took) || isnan(m_after) || took <= 0) {
        snprintf(h->line[1], sizeof(h->line[1]),
                 "memory not returned after deletes: not measured (no growth curve to compare "
                 "the %s with)",
                 p->name);
        return;
    }
    size_t named = y;
    while (named > x && !strcmp(an->phases[named].name, "end"))
        named--; /* the run's closing sample is no phase a reader ran */
    h->deleted = before - after;
    h->deleted_took = took;
    h->not_returned = took - (m_before - m_after);
    char kept[48], tk[48], n[48];
    fmt(kept, sizeof(kept), rpt_fmt_bytes, h->not_returned);
    fmt(tk, sizeof(tk), rpt_fmt_bytes, took);
    fmt(n, sizeof(n), rpt_fmt_count, h->deleted);
    snprintf(h->line[1], sizeof(h->line[1]),
             "memory not returned after deletes: %s of the %s that the %s deleted vectors took "
             "(%.0f %%, after %s)",
             kept, tk, n, h->not_returned / took * 100, an->phases[named].name);
}

static void recall(const rpt_run *run, rpt_headline *h)
{
    const char *k = NULL, *name = NULL, *q = NULL;
    int steps = 0;
    for (size_t i = 0; i < run->nphases; i++) {
        const char *mean = rpt_phase_value(run, (int)i, "recall.mean");
        if (!mean)
            continue;
        double v = strtod(mean, NULL);
        steps++;
        if (isnan(h->recall) || v < h->recall) {
            h->recall = v;
            k = rpt_phase_value(run, (int)i, "recall.k");
            q = rpt_phase_value(run, (int)i, "recall.queries");
            name = run->phases[i].name;
        }
    }
    if (steps) {
        snprintf(h->line[2], sizeof(h->line[2]), "recall@%s: %.4g (mean over %s queries, %s%s)",
                 k ? k : "k", h->recall, q ? q : "the",
                 steps > 1 ? "the lowest of the query steps: " : "", name);
        return;
    }
    bool module = false;
    for (size_t i = 0; i < run->env.n; i++)
        if (!strcmp(run->env.v[i].key, "server.search_module") &&
            strcmp(run->env.v[i].value, "null"))
            module = true;
    snprintf(h->line[2], sizeof(h->line[2]), "recall: not measured (%s)",
             run->have_summary && !module ? "the server has no search module: its index and query "
                                            "steps were skipped"
                                          : "no query step answered");
}

void rpt_headline_compute(const rpt_run *run, const rpt_analysis *an, rpt_headline *h)
{
    memset(h, 0, sizeof(*h));
    h->bytes_per_vector = h->at_live = h->not_returned = h->deleted_took = h->deleted = NAN;
    h->recall = NAN;
    if (an->tl.have[RPT_USED]) {
        bytes_per_vector(an, h);
        not_returned(an, h);
    } else {
        snprintf(h->line[0], sizeof(h->line[0]),
                 "bytes per live vector: not measured (no used_memory)");
        snprintf(h->line[1], sizeof(h->line[1]),
                 "memory not returned after deletes: not measured (no used_memory)");
    }
    recall(run, h);
}
