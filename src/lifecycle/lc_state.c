/* lc_state: see lc_state.h. */
#include "lc_state.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../util/strbuf.h"

static int lc_state_save_locked(const lc_state *s, vm_err *err);

static size_t words(uint64_t n) { return (size_t)((n + 63) / 64); }

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
    s->n = n;
    s->dim = dim;
    s->norm_max = norm_max;
    s->step = step;
}

void lc_state_ensure_copies(lc_state *s, uint32_t copies)
{
    if (copies <= s->copies)
        return;
    s->live = realloc(s->live, copies * sizeof(*s->live));
    for (uint32_t c = s->copies; c < copies; c++) {
        s->live[c] = calloc(words(s->n) ? words(s->n) : 1, sizeof(uint64_t));
        if (!s->live[c])
            abort();
    }
    s->copies = copies;
}

uint64_t lc_live_count(const lc_state *s, uint32_t copy)
{
    uint64_t total = 0;
    for (uint32_t c = 0; c < s->copies; c++) {
        if (copy != UINT32_MAX && c != copy)
            continue;
        for (size_t w = 0; w < words(s->n); w++)
            total += (uint64_t)__builtin_popcountll(atomic_load(&s->live[c][w]));
    }
    return total;
}

static int write_atomic(const char *dir, const char *name, const void *a, size_t alen,
                        const void *b, size_t blen, vm_err *err)
{
    strbuf tmp = STRBUF_INIT, dst = STRBUF_INIT;
    sb_addf(&tmp, "%s/.%s.tmp", dir, name);
    sb_addf(&dst, "%s/%s", dir, name);
    FILE *f = fopen(tmp.buf, "wb");
    int rc = 0;
    if (!f || fwrite(a, 1, alen, f) != alen || (blen && fwrite(b, 1, blen, f) != blen) ||
        fflush(f) != 0 || fsync(fileno(f)) != 0)
        rc = vm_err_set(err, VM_EIO, "--state: cannot write %s: %s", tmp.buf, strerror(errno));
    if (f && fclose(f) != 0 && rc == 0)
        rc = vm_err_set(err, VM_EIO, "--state: cannot write %s: %s", tmp.buf, strerror(errno));
    if (rc == 0 && rename(tmp.buf, dst.buf) != 0)
        rc = vm_err_set(err, VM_EIO, "--state: cannot rename to %s: %s", dst.buf, strerror(errno));
    sb_release(&tmp);
    sb_release(&dst);
    return rc;
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
            s->dataset, s->prefix, s->field, s->index, s->metric,
            s->tag_field ? s->tag_field : "", s->numeric_field ? s->numeric_field : "",
            (unsigned long long)s->n,
            s->dim, s->norm_max, (double)s->step, s->copies,
            (unsigned long long)__atomic_load_n(&s->inserted, __ATOMIC_RELAXED),
            (unsigned long long)__atomic_load_n(&s->deleted, __ATOMIC_RELAXED));
    /* bitmaps first: a manifest never names copies that live.bin lacks */
    strbuf bits = STRBUF_INIT;
    sb_add(&bits, "VMLIVE1\0", 8);
    sb_add(&bits, &s->copies, 4);
    sb_add(&bits, &s->n, 8);
    for (uint32_t c = 0; c < s->copies; c++)
        sb_add(&bits, (const void *)s->live[c], words(s->n) * 8);
    int rc = write_atomic(s->dir, "live.bin", bits.buf, bits.len, NULL, 0, err);
    if (rc == 0)
        rc = write_atomic(s->dir, "manifest", m.buf, m.len, NULL, 0, err);
    sb_release(&bits);
    sb_release(&m);
    return rc;
}

static char *dupval(const char *v) { return strdup(v); }

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
        return vm_err_set(err, VM_EIO, "--state %s: %s", dir, strerror(e));
    }
    s->dir = strdup(dir);
    char line[4096];
    uint32_t copies = 0;
    int rc = 0;
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\n")] = '\0';
        char *sp = strchr(line, ' ');
        const char *v = sp ? sp + 1 : "";
        if (sp)
            *sp = '\0';
        if (!strcmp(line, "dataset")) s->dataset = dupval(v);
        else if (!strcmp(line, "prefix")) s->prefix = dupval(v);
        else if (!strcmp(line, "field")) s->field = dupval(v);
        else if (!strcmp(line, "index")) s->index = dupval(v);
        else if (!strcmp(line, "metric")) s->metric = dupval(v);
        else if (!strcmp(line, "tag_field")) s->tag_field = dupval(v);
        else if (!strcmp(line, "numeric_field")) s->numeric_field = dupval(v);
        else if (!strcmp(line, "n")) s->n = strtoull(v, NULL, 10);
        else if (!strcmp(line, "dim")) s->dim = (uint32_t)strtoul(v, NULL, 10);
        else if (!strcmp(line, "norm_max")) s->norm_max = strtod(v, NULL);
        else if (!strcmp(line, "step")) s->step = strtof(v, NULL);
        else if (!strcmp(line, "copies")) copies = (uint32_t)strtoul(v, NULL, 10);
        else if (!strcmp(line, "inserted")) s->inserted = strtoull(v, NULL, 10);
        else if (!strcmp(line, "deleted")) s->deleted = strtoull(v, NULL, 10);
    }
    fclose(f);
    if (!s->dataset || !s->prefix || !s->field || !s->n || !s->dim) {
        rc = vm_err_set(err, VM_EINPUT, "--state %s: manifest is incomplete", dir);
        goto out;
    }
    if (!s->index) s->index = strdup("");
    if (!s->metric) s->metric = strdup("L2");
    if (!s->tag_field) s->tag_field = strdup("");
    if (!s->numeric_field) s->numeric_field = strdup("");
    sb_reset(&p);
    sb_addf(&p, "%s/live.bin", dir);
    f = fopen(p.buf, "rb");
    char magic[8];
    uint32_t fc;
    uint64_t fn;
    if (!f || fread(magic, 1, 8, f) != 8 || memcmp(magic, "VMLIVE1\0", 8) ||
        fread(&fc, 4, 1, f) != 1 || fread(&fn, 8, 1, f) != 1 || fn != s->n || fc < copies) {
        rc = vm_err_set(err, VM_EINPUT, "--state %s: live.bin is missing or does not match the manifest", dir);
        if (f)
            fclose(f);
        goto out;
    }
    lc_state_ensure_copies(s, copies);
    for (uint32_t c = 0; c < copies; c++)
        if (fread((void *)s->live[c], 8, words(s->n), f) != words(s->n)) {
            rc = vm_err_set(err, VM_EINPUT, "--state %s: live.bin is truncated", dir);
            break;
        }
    fclose(f);
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
    for (uint32_t c = 0; c < s->copies; c++)
        free((void *)s->live[c]);
    free(s->live);
    free(s->dir), free(s->dataset), free(s->prefix), free(s->field), free(s->index), free(s->metric);
    free(s->tag_field), free(s->numeric_field);
    memset(s, 0, sizeof(*s));
}
