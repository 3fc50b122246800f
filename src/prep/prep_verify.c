/* prep_verify: `dataset verify` — ground truth against brute force
 * (knn_src.h), recorded checksums against the files; see prep_verify.h. */
#include "prep_verify.h"

#include <dirent.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../dataset/ds_checksum.h"
#include "../util/strbuf.h"
#include "../vecmath/knn_src.h"

static void check_one(const char *path, const char *want, prep_verify_result *r, vm_err *err)
{
    char got[65];
    if (ds_sha256_file(path, got, err) == 0 && !strcasecmp(want, got)) {
        r->checksums_ok++;
        return;
    }
    if (!r->checksums_bad)
        snprintf(r->first_bad_file, sizeof(r->first_bad_file), "%s", path);
    r->checksums_bad++;
}

/* FILE.sha256 next to downloaded files ("<hex>  <name>", as sha256sum writes) */
static void check_sidecars(const char *dir, prep_verify_result *r, vm_err *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l <= 7 || strcmp(e->d_name + l - 7, ".sha256"))
            continue;
        strbuf sp = STRBUF_INIT, fp = STRBUF_INIT;
        sb_addf(&sp, "%s/%s", dir, e->d_name);
        sb_addf(&fp, "%s/%.*s", dir, (int)(l - 7), e->d_name);
        FILE *f = fopen(sp.buf, "r");
        char want[65] = "";
        if (f) {
            if (fscanf(f, "%64s", want) != 1)
                want[0] = '\0';
            fclose(f);
        }
        if (strlen(want) == 64)
            check_one(fp.buf, want, r, err);
        sb_release(&sp);
        sb_release(&fp);
    }
    closedir(d);
}

static int check_checksums(ds_set *s, prep_verify_result *r, vm_err *err)
{
    check_sidecars(s->path, r, err);
    strbuf mp = STRBUF_INIT;
    sb_addf(&mp, "%s/manifest.json", s->path);
    json_object *m = json_object_from_file(mp.buf), *sha = NULL, *v;
    sb_release(&mp);
    json_object_object_get_ex(m, "sha256", &sha);
    static const char *names[] = {"base.fbin", "base.u8bin", "query.fbin", "query.u8bin", "gt.bin"};
    for (size_t i = 0; sha && i < sizeof(names) / sizeof(names[0]); i++) {
        if (!json_object_object_get_ex(sha, names[i], &v) ||
            !json_object_is_type(v, json_type_string) || json_object_get_string_len(v) < 64)
            continue;
        char want[65];
        memcpy(want, json_object_get_string(v), 64);
        want[64] = '\0';
        strbuf fp = STRBUF_INIT;
        sb_addf(&fp, "%s/%s", s->path, names[i]);
        check_one(fp.buf, want, r, err);
        sb_release(&fp);
    }
    json_object_put(m);
    return 0;
}

int prep_verify(ds_set *s, const prep_verify_opts *o, prep_verify_result *r, vm_err *err)
{
    memset(r, 0, sizeof(*r));
    if (check_checksums(s, r, err) < 0)
        return -1;
    if (!s->has_base || !s->has_query || !s->has_gt)
        return 0; /* nothing to brute-force against */
    if (s->metric == DS_METRIC_IP)
        return vm_err_set(err, VM_EINPUT,
                          "%s: verifying inner-product ground truth is not supported", s->path);
    uint64_t nq = s->query.n;
    uint32_t m = o->all || o->sample == 0 || o->sample >= nq ? (uint32_t)nq : o->sample;
    if (!o->all && o->sample == 0 && m > 100)
        m = 100;
    uint32_t k = s->gt.dim < 100 ? s->gt.dim : 100;
    uint32_t kb = k + 16; /* brute-force deeper: a tie at rank k may list either vector */
    if (kb > s->base.n)
        kb = (uint32_t)s->base.n;
    uint32_t dim = s->base.dim;
    float *qs = malloc((size_t)m * dim * sizeof(float));
    uint64_t *qi = malloc(m * sizeof(uint64_t));
    int rc = 0;
    for (uint32_t i = 0; i < m && rc == 0; i++) {
        qi[i] = (uint64_t)i * nq / m;
        rc = ds_src_read_f32(&s->query, qi[i], 1, qs + (size_t)i * dim, NULL, err);
    }
    int64_t *bid = malloc((size_t)m * kb * sizeof(int64_t));
    float *bd = malloc((size_t)m * kb * sizeof(float));
    bool cosine = s->metric == DS_METRIC_COSINE && !s->normalized;
    if (rc == 0)
        rc = knn_src_exact(&s->base, qs, m, kb, cosine, bid, bd, o->progress, o->progress_ctx, err);
    int64_t *g = malloc((size_t)s->gt.dim * sizeof(int64_t));
    for (uint32_t i = 0; i < m && rc == 0; i++) {
        rc = ds_src_read_i64(&s->gt, qi[i], 1, g, NULL, err);
        if (rc < 0)
            break;
        r->checked++;
        const int64_t *ti = bid + (size_t)i * kb;
        const float *tdist = bd + (size_t)i * kb;
        for (uint32_t j = 0; j < k; j++) {
            /* the listed id's true distance, from the deeper brute-force list */
            float dj = INFINITY;
            for (uint32_t b = 0; b < kb; b++)
                if (ti[b] == g[j]) {
                    dj = tdist[b];
                    break;
                }
            float want = tdist[j];
            if (!(dj <= want + fabsf(want) * 1e-4f + 1e-5f)) {
                if (!r->bad_queries)
                    snprintf(
                        r->first_bad, sizeof(r->first_bad),
                        "query %llu rank %u: ground truth says id %lld, brute force finds id %lld "
                        "(distance %g)",
                        (unsigned long long)qi[i], j, (long long)g[j], (long long)ti[j],
                        (double)want);
                r->bad_queries++;
                break;
            }
        }
    }
    r->k = k;
    free(g);
    free(qs);
    free(qi);
    free(bid);
    free(bd);
    return rc;
}
