/* csv_wide: see csv_wide.h. */
#include "csv_wide.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../util/clock.h"

int csv_wide_open(csv_wide *w, const char *path, vm_err *err)
{
    memset(w, 0, sizeof(*w));
    w->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
    if (w->fd < 0)
        return vm_err_set(err, VM_EIO, "--csv '%s': %s", path, strerror(errno));
    w->path = strdup(path);
    sb_init(&w->row, 4096);
    return 0;
}

/* CSV-quote text cells that need it (node names, labels). */
static void add_cell(strbuf *sb, const char *s)
{
    if (!s)
        return;
    if (!strpbrk(s, ",\"\r\n")) {
        sb_addstr(sb, s);
        return;
    }
    sb_addch(sb, '"');
    for (; *s; s++) {
        if (*s == '"')
            sb_addch(sb, '"');
        sb_addch(sb, *s);
    }
    sb_addch(sb, '"');
}

static void add_num(strbuf *sb, double v)
{
    if (v == (double)(long long)v && v > -9e15 && v < 9e15)
        sb_addf(sb, "%lld", (long long)v);
    else
        sb_addf(sb, "%.17g", v);
}

static int write_whole(csv_wide *w, vm_err *err)
{
    size_t off = 0;
    while (off < w->row.len) {
        ssize_t n = write(w->fd, w->row.buf + off, w->row.len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return vm_err_set(err, VM_EIO, "%s: write: %s", w->path, strerror(errno));
        off += (size_t)n;
    }
    return 0;
}

static const char *fixed_cols[] = {"time_iso",     "time_unix_ms",   "run_id",
                                   "node",         "step",           "phase",
                                   "live_vectors", "inserted_total", "deleted_total"};
#define NFIXED (sizeof(fixed_cols) / sizeof(fixed_cols[0]))

int csv_wide_write(csv_wide *w, const mon_sample *s, vm_err *err)
{
    if (!w->cols) {
        w->ncols = s->fields.n;
        w->cols = calloc(w->ncols + 1, sizeof(char *));
        sb_reset(&w->row);
        for (size_t i = 0; i < NFIXED; i++) {
            sb_addstr(&w->row, fixed_cols[i]);
            sb_addch(&w->row, ',');
        }
        for (size_t i = 0; i < w->ncols; i++) {
            w->cols[i] = strdup(s->fields.v[i].name);
            add_cell(&w->row, w->cols[i]);
            sb_addch(&w->row, ',');
        }
        w->row.buf[w->row.len - 1] = '\n';
        if (write_whole(w, err) < 0)
            return -1;
    }
    char iso[32];
    clk_iso8601(s->wall_ms, iso);
    sb_reset(&w->row);
    sb_addf(&w->row, "%s,%llu,", iso, (unsigned long long)s->wall_ms);
    add_cell(&w->row, s->labels.run_id);
    sb_addch(&w->row, ',');
    add_cell(&w->row, s->node);
    sb_addch(&w->row, ',');
    add_cell(&w->row, s->labels.step);
    sb_addch(&w->row, ',');
    add_cell(&w->row, s->labels.phase);
    sb_addf(&w->row, ",%llu,%llu,%llu", (unsigned long long)s->labels.live_vectors,
            (unsigned long long)s->labels.inserted_total,
            (unsigned long long)s->labels.deleted_total);
    for (size_t i = 0; i < w->ncols; i++) {
        sb_addch(&w->row, ',');
        /* fields usually come in the same order: try the same index first */
        const double *v = NULL;
        if (i < s->fields.n && !strcmp(s->fields.v[i].name, w->cols[i]))
            v = &s->fields.v[i].value;
        else
            v = mon_fields_get(&s->fields, w->cols[i]);
        if (v)
            add_num(&w->row, *v);
    }
    sb_addch(&w->row, '\n');
    return write_whole(w, err);
}

int csv_wide_sink(void *ctx, const mon_sample *s, vm_err *err)
{
    return csv_wide_write(ctx, s, err);
}

void csv_wide_close(csv_wide *w)
{
    if (w->fd >= 0)
        close(w->fd);
    for (size_t i = 0; w->cols && i < w->ncols; i++)
        free(w->cols[i]);
    free(w->cols);
    free(w->path);
    sb_release(&w->row);
    w->fd = -1;
    w->cols = NULL;
}
