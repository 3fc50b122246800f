/* idx: FT.CREATE / FT.DROPINDEX and module detection; see idx.h. */
#include "idx.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

int idx_parse_algo(const char *s, idx_algo *out, vm_err *err)
{
    if (!strcasecmp(s, "HNSW"))
        *out = IDX_HNSW;
    else if (!strcasecmp(s, "FLAT"))
        *out = IDX_FLAT;
    else
        return vm_err_set(err, VM_EINPUT, "--algorithm: '%s' is not HNSW or FLAT", s);
    return 0;
}

int idx_parse_metric(const char *s, idx_metric *out, vm_err *err)
{
    if (!strcasecmp(s, "L2"))
        *out = IDX_L2;
    else if (!strcasecmp(s, "IP"))
        *out = IDX_IP;
    else if (!strcasecmp(s, "COSINE"))
        *out = IDX_COSINE;
    else
        return vm_err_set(err, VM_EINPUT, "--metric: '%s' is not L2, IP or COSINE", s);
    return 0;
}

const char *idx_algo_name(idx_algo a) { return a == IDX_FLAT ? "FLAT" : "HNSW"; }

const char *idx_metric_name(idx_metric m)
{
    return m == IDX_IP ? "IP" : m == IDX_COSINE ? "COSINE" : "L2";
}

/* words are appended NUL-separated to store; offsets are turned into
 * pointers at the end because store may move while it grows */
static void word(strbuf *store, size_t *offs, int *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void word(strbuf *store, size_t *offs, int *n, const char *fmt, ...)
{
    offs[(*n)++] = store->len;
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(store, fmt, ap);
    va_end(ap);
    sb_addch(store, '\0');
}

int idx_create_args(const idx_spec *s, strbuf *store, const char **argv, int max)
{
    size_t offs[48];
    int n = 0, nparams_at;
    sb_reset(store);
    word(store, offs, &n, "FT.CREATE");
    word(store, offs, &n, "%s", s->name);
    word(store, offs, &n, "ON");
    word(store, offs, &n, "HASH");
    word(store, offs, &n, "PREFIX");
    word(store, offs, &n, "1");
    word(store, offs, &n, "%s", s->prefix);
    word(store, offs, &n, "SCHEMA");
    word(store, offs, &n, "%s", s->field);
    word(store, offs, &n, "VECTOR");
    word(store, offs, &n, "%s", idx_algo_name(s->algo));
    nparams_at = n;
    word(store, offs, &n, "0"); /* patched below */
    int p0 = n;
    word(store, offs, &n, "TYPE");
    word(store, offs, &n, "FLOAT32");
    word(store, offs, &n, "DIM");
    word(store, offs, &n, "%u", s->dim);
    word(store, offs, &n, "DISTANCE_METRIC");
    word(store, offs, &n, "%s", idx_metric_name(s->metric));
    if (s->algo == IDX_HNSW) {
        if (s->m) {
            word(store, offs, &n, "M");
            word(store, offs, &n, "%d", s->m);
        }
        if (s->ef_construction) {
            word(store, offs, &n, "EF_CONSTRUCTION");
            word(store, offs, &n, "%d", s->ef_construction);
        }
        if (s->ef_runtime) {
            word(store, offs, &n, "EF_RUNTIME");
            word(store, offs, &n, "%d", s->ef_runtime);
        }
    } else if (s->block_size) {
        word(store, offs, &n, "BLOCK_SIZE");
        word(store, offs, &n, "%d", s->block_size);
    }
    if (s->initial_cap) {
        word(store, offs, &n, "INITIAL_CAP");
        word(store, offs, &n, "%llu", (unsigned long long)s->initial_cap);
    }
    /* the count of attribute words goes where the "0" placeholder is; it is
     * rebuilt as its own word at the end of store */
    offs[nparams_at] = store->len;
    sb_addf(store, "%d", n - p0);
    sb_addch(store, '\0');
    if (n > max - 1)
        n = max - 1;
    for (int i = 0; i < n; i++)
        argv[i] = store->buf + offs[i];
    argv[n] = NULL;
    return n;
}

int idx_module_present(net_client *cl, bool *present, vm_err *err)
{
    redisReply *r = net_client_cmd_ok(cl, err, "MODULE", "LIST", NULL);
    if (!r)
        return -1;
    *present = false;
    for (size_t i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements; i++) {
        redisReply *m = r->element[i];
        for (size_t j = 0; m->type == REDIS_REPLY_ARRAY && j + 1 < m->elements; j += 2) {
            redisReply *k = m->element[j], *v = m->element[j + 1];
            if (k->type == REDIS_REPLY_STRING && !strcmp(k->str, "name") &&
                v->type == REDIS_REPLY_STRING && !strcmp(v->str, "search"))
                *present = true;
        }
    }
    freeReplyObject(r);
    return 0;
}

int idx_create(net_client *cl, const idx_spec *s, vm_err *err)
{
    strbuf store = STRBUF_INIT;
    const char *argv[48];
    int argc = idx_create_args(s, &store, argv, 48);
    redisReply *r = net_client_cmdv(cl, argc, argv, NULL, err);
    sb_release(&store);
    if (!r)
        return -1;
    int rc = 0;
    if (r->type == REDIS_REPLY_ERROR)
        rc = vm_err_set(err, VM_ESERVER, "%s: FT.CREATE %s failed: %.*s", cl->name, s->name,
                        (int)r->len, r->str);
    freeReplyObject(r);
    return rc;
}

int idx_drop(net_client *cl, const char *name, vm_err *err)
{
    redisReply *r = net_client_cmd_ok(cl, err, "FT.DROPINDEX", name, NULL);
    if (!r)
        return -1;
    freeReplyObject(r);
    return 0;
}
