/* csv_long: see csv_long.h. */
#include "csv_long.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../util/clock.h"
#include "csv_row.h"

int csv_long_open(csv_long *w, const char *path, vm_err *err)
{
    memset(w, 0, sizeof(*w));
    w->fd = -1;
    static const char header[] = "time_iso,time_unix_ms,node,metric,value,unit\n";
    if (csv_open_append(path, header, &w->fd, err) < 0)
        return -1;
    w->path = strdup(path);
    sb_init(&w->row, 256);
    return 0;
}

static int row(csv_long *w, const char *prefix, size_t plen, const char *metric, double v,
               const char *unit, vm_err *err)
{
    strbuf *r = &w->row;
    sb_reset(r);
    sb_add(r, prefix, plen);
    csv_add_cell(r, metric);
    sb_addch(r, ',');
    csv_add_num(r, v);
    sb_addch(r, ',');
    sb_addstr(r, unit);
    sb_addch(r, '\n');
    return csv_write_whole(w->fd, r->buf, r->len, w->path, err);
}

int csv_long_write(csv_long *w, const mon_sample *s, vm_err *err)
{
    char iso[32];
    clk_iso8601(s->wall_ms, iso);
    strbuf prefix = STRBUF_INIT;
    sb_addf(&prefix, "%s,%llu,", iso, (unsigned long long)s->wall_ms);
    csv_add_cell(&prefix, s->node);
    sb_addch(&prefix, ',');
    int rc = 0;
    if (row(w, prefix.buf, prefix.len, "tool.live_vectors", (double)s->labels.live_vectors, "count",
            err) < 0 ||
        row(w, prefix.buf, prefix.len, "tool.inserted_total", (double)s->labels.inserted_total,
            "count", err) < 0 ||
        row(w, prefix.buf, prefix.len, "tool.deleted_total", (double)s->labels.deleted_total,
            "count", err) < 0)
        rc = -1;
    for (size_t i = 0; rc == 0 && i < s->fields.n; i++) {
        const mon_field *f = &s->fields.v[i];
        rc = row(w, prefix.buf, prefix.len, f->name, f->value, f->unit_name, err);
    }
    sb_release(&prefix);
    return rc;
}

int csv_long_sink(void *ctx, const mon_sample *s, vm_err *err)
{
    return csv_long_write(ctx, s, err);
}

void csv_long_close(csv_long *w)
{
    csv_close_parts(&w->fd, &w->path, &w->row);
}
