/* lc_state: see lc_state.h. */
#include "lc_state.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../live/live_file.h"
#include "../util/strbuf.h"

static int lc_state_save_locked(const lc_state *s, vm_err *err);

void lc_state_init(lc_state *s, const char *dir, const char *dataset, const char *prefix,
                   const char *field, const char *index, const char *metric, uint64_t n,
                   uint32_t dim, double norm_max, float step)
{
    memset(s, 0, sizeof(*s));
    s->dir = strdup(dir);
    s->dataset = strdup(dataset);
    s->prefix = strdup(prefix);
    s->field = strdup(field);
    s->index = strdup(index ? index : "");
    s->metric = strdup(metric ? metric : "L2");
    s->tag_field = strdup("");
    s->numeric_field = strdup("");
    s->text_field = strdup("");
    live_init(&s->live, n);
    s->part_end = n;
    s->dim = dim;
    s->norm_max = norm_max;
    s->step = step;
}

/* dir/name written whole by emit through a temporary file renamed over
 * it, synced first, so a crash leaves the old file or the new one. */
static int write_atomic(const char *dir, const char *name, int (*emit)(FILE *, const void *),
                        const void *ctx, vm_err *err)
{
    strbuf tmp = STRBUF_INIT, dst = STRBUF_INIT;
    sb_addf(&tmp, "%s/.%s.tmp", dir, name);
    sb_addf(&dst, "%s/%s", dir, name);
    FILE *f = fopen(tmp.buf, "wb");
    int rc = 0;
    if (!f || emit(f, ctx) < 0 || fflush(f) != 0 || fsync(fileno(f)) != 0)
        rc = vm_err_param(err, "state", VM_EIO, "cannot write %s: %s", tmp.buf, strerror(errno));
    if (f && fclose(f) != 0 && rc == 0)
        rc = vm_err_param(err, "state", VM_EIO, "cannot write %s: %s", tmp.buf, strerror(errno));
    if (rc == 0 && rename(tmp.buf, dst.buf) != 0)
        rc =
            vm_err_param(err, "state", VM_EIO, "cannot rename to %s: %s", dst.buf, strerror(errno));
    sb_release(&tmp);
    sb_release(&dst);
    return rc;
}

static int emit_text(FILE *f, const void *ctx)
{
    const strbuf *m = ctx;
    return fwrite(m->buf, 1, m->len, f) == m->len ? 0 : -1;
}

/* live.bin: the words of the state's part only (live_file.h) */
static int emit_live(FILE *f, const void *ctx)
{
    const lc_state *s = ctx;
    return live_file_write(&s->live, s->part_first, s->part_end, f);
}

/* one writer at a time: parallel scenario steps share a state */
static pthread_mutex_t save_mu = PTHREAD_MUTEX_INITIALIZER;

int lc_state_save(const lc_state *s, vm_err *err)
{
    pthread_mutex_lock(&save_mu);
    int rc = lc_state_save_locked(s, err);
    pthread_mutex_unlock(&save_mu);
    return rc;
}

static int lc_state_save_locked(const lc_state *s, vm_err *err)
{
    strbuf m = STRBUF_INIT;
    sb_addf(&m,
            "dataset %s\nprefix %s\nfield %s\nindex %s\nmetric %s\ntag_field %s\n"
            "numeric_field %s\nn %llu\ndim %u\n"
            "norm_max %.17g\nstep %.9g\ncopies %u\ninserted %llu\ndeleted %llu\n",
            s->dataset, s->prefix, s->field, s->index, s->metric, s->tag_field ? s->tag_field : "",
            s->numeric_field ? s->numeric_field : "", (unsigned long long)s->live.n, s->dim,
            s->norm_max, (double)s->step, s->live.copies,
            (unsigned long long)__atomic_load_n(&s->inserted, __ATOMIC_RELAXED),
            (unsigned long long)__atomic_load_n(&s->deleted, __ATOMIC_RELAXED));
    if (s->text_field && *s->text_field)
        sb_addf(&m, "text_field %s\ntext_vocab %u\ntext_words %u\ntext_zipf %.17g\ntext_seed %llu\n",
                s->text_field, s->text.vocab, s->text.words, s->text.zipf_s,
                (unsigned long long)s->text.seed);
    if (s->shrinks || s->regrows)
        sb_addf(&m, "shrinks %llu\nregrows %llu\n", (unsigned long long)s->shrinks,
                (unsigned long long)s->regrows);
    if (!lc_state_whole(s))
        sb_addf(&m, "part_first %llu\npart_end %llu\nslice %u/%u\n",
                (unsigned long long)s->part_first, (unsigned long long)s->part_end, s->slice_i,
                s->slice_n);
    /* bitmaps first: a manifest never names copies that live.bin lacks */
    int rc = write_atomic(s->dir, "live.bin", emit_live, s, err);
    if (rc == 0)
        rc = write_atomic(s->dir, "manifest", emit_text, &m, err);
    sb_release(&m);
    return rc;
}

static char *dupval(const char *v) { return strdup(v); }

/* One "key value" line of the manifest into s (n and copies apart). */
static void manifest_line(lc_state *s, const char *line, const char *v, uint64_t *n,
                          uint32_t *copies)
{
    if (!strcmp(line, "dataset")) s->dataset = dupval(v);
    else if (!strcmp(line, "prefix")) s->prefix = dupval(v);
    else if (!strcmp(line, "field")) s->field = dupval(v);
    else if (!strcmp(line, "index")) s->index = dupval(v);
    else if (!strcmp(line, "metric")) s->metric = dupval(v);
    else if (!strcmp(line, "tag_field")) s->tag_field = dupval(v);
    else if (!strcmp(line, "numeric_field")) s->numeric_field = dupval(v);
    else if (!strcmp(line, "text_field")) s->text_field = dupval(v);
    else if (!strcmp(line, "text_vocab")) s->text.vocab = (uint32_t)strtoul(v, NULL, 10);
    else if (!strcmp(line, "text_words")) s->text.words = (uint32_t)strtoul(v, NULL, 10);
    else if (!strcmp(line, "text_zipf")) s->text.zipf_s = strtod(v, NULL);
    else if (!strcmp(line, "text_seed")) s->text.seed = strtoull(v, NULL, 10);
    else if (!strcmp(line, "n")) *n = strtoull(v, NULL, 10);
    else if (!strcmp(line, "part_first")) s->part_first = strtoull(v, NULL, 10);
    else if (!strcmp(line, "part_end")) s->part_end = strtoull(v, NULL, 10);
    else if (!strcmp(line, "slice")) (void)sscanf(v, "%u/%u", &s->slice_i, &s->slice_n);
    else if (!strcmp(line, "dim")) s->dim = (uint32_t)strtoul(v, NULL, 10);
    else if (!strcmp(line, "norm_max")) s->norm_max = strtod(v, NULL);
    else if (!strcmp(line, "step")) s->step = strtof(v, NULL);
    else if (!strcmp(line, "copies")) *copies = (uint32_t)strtoul(v, NULL, 10);
    else if (!strcmp(line, "inserted")) s->inserted = strtoull(v, NULL, 10);
    else if (!strcmp(line, "shrinks")) s->shrinks = strtoull(v, NULL, 10);
    else if (!strcmp(line, "regrows")) s->regrows = strtoull(v, NULL, 10);
    else if (!strcmp(line, "deleted")) s->deleted = strtoull(v, NULL, 10);
}

int lc_state_load(lc_state *s, const char *dir, bool *found, vm_err *err)
{
    memset(s, 0, sizeof(*s));
    *found = false;
    strbuf p = STRBUF_INIT;
    sb_addf(&p, "%s/manifest", dir);
    FILE *f = fopen(p.buf, "r");
    if (!f) {
        int e = errno;
        sb_release(&p);
        if (e == ENOENT)
            return 0;
        return vm_err_param(err, "state", VM_EIO, "state folder %s: %s", dir, strerror(e));
    }
    s->dir = strdup(dir);
    char line[4096];
    uint64_t n = 0;
    uint32_t copies = 0;
    int rc = 0;
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\n")] = '\0';
        char *sp = strchr(line, ' ');
        const char *v = sp ? sp + 1 : "";
        if (sp)
            *sp = '\0';
        manifest_line(s, line, v, &n, &copies);
    }
    fclose(f);
    if (!s->dataset || !s->prefix || !s->field || !n || !s->dim) {
        rc = vm_err_param(err, "state", VM_EINPUT, "state folder %s: manifest is incomplete", dir);
        goto out;
    }
    if (!s->part_end)
        s->part_end = n; /* a state from before slices vouches for every id */
    if (s->part_first > s->part_end || s->part_end > n) {
        rc = vm_err_param(err, "state", VM_EINPUT,
                          "state folder %s: part %llu..%llu is not within 0..%llu", dir,
                          (unsigned long long)s->part_first, (unsigned long long)s->part_end,
                          (unsigned long long)n);
        goto out;
    }
    if (!s->index) s->index = strdup("");
    if (!s->metric) s->metric = strdup("L2");
    if (!s->tag_field) s->tag_field = strdup("");
    if (!s->numeric_field) s->numeric_field = strdup("");
    if (!s->text_field) s->text_field = strdup("");
    sb_reset(&p);
    sb_addf(&p, "%s/live.bin", dir);
    live_init(&s->live, n);
    live_file_status ls = live_file_read(&s->live, p.buf, copies);
    if (ls == LIVE_FILE_MISMATCH)
        rc = vm_err_param(err, "state", VM_EINPUT,
                          "state folder %s: live.bin is missing or does not match the manifest",
                          dir);
    else if (ls == LIVE_FILE_SHORT)
        rc = vm_err_param(err, "state", VM_EINPUT, "state folder %s: live.bin is truncated", dir);
out:
    sb_release(&p);
    if (rc == 0)
        *found = true;
    else
        lc_state_free(s);
    return rc;
}

void lc_state_free(lc_state *s)
{
    live_free(&s->live);
    free(s->dir), free(s->dataset), free(s->prefix), free(s->field), free(s->index), free(s->metric);
    free(s->tag_field), free(s->numeric_field), free(s->text_field);
    memset(s, 0, sizeof(*s));
}
