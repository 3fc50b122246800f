/* idx: FT.CREATE / FT.DROPINDEX and module detection; see idx.h. */
#include "idx.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../util/clock.h"

int idx_parse_algo(const char *s, idx_algo *out, vm_err *err)
{
    if (!strcasecmp(s, "HNSW"))
        *out = IDX_HNSW;
    else if (!strcasecmp(s, "FLAT"))
        *out = IDX_FLAT;
    else
        return vm_err_param(err, "index.algorithm", VM_EINPUT, "algorithm '%s' is not HNSW or FLAT",
                            s);
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
        return vm_err_param(err, "index.metric", VM_EINPUT, "metric '%s' is not L2, IP or COSINE",
                            s);
    return 0;
}

const char *idx_algo_name(idx_algo a)
{
    return a == IDX_FLAT ? "FLAT" : "HNSW";
}

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
    size_t offs[64];
    int n = 0, nparams_at;
    sb_reset(store);
    word(store, offs, &n, "FT.CREATE");
    word(store, offs, &n, "%s", s->name);
    word(store, offs, &n, "ON");
    word(store, offs, &n, "HASH");
    word(store, offs, &n, "PREFIX");
    word(store, offs, &n, "%d", s->expand_prefix ? 2 : 1);
    word(store, offs, &n, "%s", s->prefix);
    if (s->expand_prefix)
        word(store, offs, &n, "expand_");
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
    size_t nparams = (size_t)(n - p0);
    if (s->text_field) {
        /* NOSTEM: generated words must stay distinct terms (ds_text.h) */
        word(store, offs, &n, "%s", s->text_field);
        word(store, offs, &n, "TEXT");
        word(store, offs, &n, "NOSTEM");
    }
    if (s->tag_field) {
        word(store, offs, &n, "%s", s->tag_field);
        word(store, offs, &n, "TAG");
    }
    if (s->numeric_field) {
        word(store, offs, &n, "%s", s->numeric_field);
        word(store, offs, &n, "NUMERIC");
    }
    /* the count of attribute words goes where the "0" placeholder is; it is
     * rebuilt as its own word at the end of store */
    offs[nparams_at] = store->len;
    sb_addf(store, "%zu", nparams);
    sb_addch(store, '\0');
    if (n > max - 1)
        n = max - 1;
    for (int i = 0; i < n; i++)
        argv[i] = store->buf + offs[i];
    argv[n] = NULL;
    return n;
}

idx_version idx_version_decode(long long ver)
{
    idx_version v = {0, 0, 0};
    if (ver <= 0)
        return v;
    if (ver >= 0x10000) {
        v.major = (int)(ver >> 16);
        v.minor = (int)((ver >> 8) & 0xff);
        v.patch = (int)(ver & 0xff);
    } else {
        v.major = (int)(ver / 10000);
        v.minor = (int)(ver / 100 % 100);
        v.patch = (int)(ver % 100);
    }
    return v;
}

void idx_version_format(idx_version v, char *buf, size_t n)
{
    if (!v.major && !v.minor && !v.patch)
        snprintf(buf, n, "unknown");
    else
        snprintf(buf, n, "%d.%d.%d", v.major, v.minor, v.patch);
}

int idx_version_cmp(idx_version a, idx_version b)
{
    int d = a.major != b.major   ? a.major - b.major
            : a.minor != b.minor ? a.minor - b.minor
                                 : a.patch - b.patch;
    return (d > 0) - (d < 0);
}

int idx_module_info(net_client *cl, bool *present, long long *ver, bool *coordinator, vm_err *err)
{
    redisReply *r = net_client_cmd_ok(cl, err, "MODULE", "LIST", NULL);
    if (!r)
        return -1;
    *present = false;
    *ver = 0;
    *coordinator = false;
    for (size_t i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements; i++) {
        redisReply *m = r->element[i];
        bool search = false, coord = false;
        long long v = 0;
        for (size_t j = 0; m->type == REDIS_REPLY_ARRAY && j + 1 < m->elements; j += 2) {
            redisReply *k = m->element[j], *val = m->element[j + 1];
            if (k->type != REDIS_REPLY_STRING)
                continue;
            if (!strcmp(k->str, "name") && val->type == REDIS_REPLY_STRING &&
                !strcmp(val->str, "search"))
                search = true;
            else if (!strcmp(k->str, "ver") && val->type == REDIS_REPLY_INTEGER)
                v = val->integer;
            else if (!strcmp(k->str, "args") && val->type == REDIS_REPLY_ARRAY)
                for (size_t a = 0; a < val->elements; a++)
                    if (val->element[a]->type == REDIS_REPLY_STRING &&
                        !strcmp(val->element[a]->str, "--use-coordinator"))
                        coord = true;
        }
        if (search) {
            *present = true;
            *ver = v;
            *coordinator = coord;
        }
    }
    freeReplyObject(r);
    return 0;
}

int idx_module_present(net_client *cl, bool *present, vm_err *err)
{
    long long ver;
    bool coordinator;
    return idx_module_info(cl, present, &ver, &coordinator, err);
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

static int reply_u64(const redisReply *v, uint64_t *out)
{
    if (v->type == REDIS_REPLY_INTEGER) {
        *out = v->integer < 0 ? 0 : (uint64_t)v->integer;
        return 0;
    }
    if (v->type == REDIS_REPLY_STRING || v->type == REDIS_REPLY_STATUS) {
        char *end;
        double d = strtod(v->str, &end);
        if (end == v->str)
            return -1;
        *out = d < 0 ? 0 : (uint64_t)d;
        return 0;
    }
    return -1;
}

static bool key_is(const redisReply *k, const char *name)
{
    return (k->type == REDIS_REPLY_STRING || k->type == REDIS_REPLY_STATUS) &&
           !strcmp(k->str, name);
}

/* An attribute's vector index map: [capacity, N, ..., size, "N", ...] */
static void parse_vector_index(const redisReply *index, idx_info *out)
{
    for (size_t i = 0; i + 1 < index->elements; i += 2) {
        if (key_is(index->element[i], "capacity"))
            reply_u64(index->element[i + 1], &out->vector_capacity);
        else if (key_is(index->element[i], "size"))
            reply_u64(index->element[i + 1], &out->vector_size);
    }
}

/* attributes: [[identifier, vec, ..., user_indexed_memory, N, type, VECTOR,
 * index, [...]], ...]; the vector figures are those of the first vector
 * attribute, the memory is summed over all */
static void parse_attributes(const redisReply *attrs, idx_info *out)
{
    bool have_vector = false;
    for (size_t a = 0; attrs->type == REDIS_REPLY_ARRAY && a < attrs->elements; a++) {
        const redisReply *at = attrs->element[a];
        bool vector = false;
        const redisReply *index = NULL;
        for (size_t i = 0; at->type == REDIS_REPLY_ARRAY && i + 1 < at->elements; i += 2) {
            uint64_t u = 0;
            if (key_is(at->element[i], "type") && key_is(at->element[i + 1], "VECTOR"))
                vector = true;
            else if (key_is(at->element[i], "index") &&
                     at->element[i + 1]->type == REDIS_REPLY_ARRAY)
                index = at->element[i + 1];
            else if (key_is(at->element[i], "user_indexed_memory") &&
                     reply_u64(at->element[i + 1], &u) == 0)
                out->indexed_bytes += u;
        }
        if (vector && index && !have_vector) {
            parse_vector_index(index, out);
            have_vector = true;
        }
    }
}

int idx_info_parse(const redisReply *r, idx_info *out, vm_err *err)
{
    memset(out, 0, sizeof(*out));
    if (r->type == REDIS_REPLY_ERROR)
        return vm_err_set(err, VM_ESERVER, "FT.INFO: %s", r->str);
    if (r->type != REDIS_REPLY_ARRAY || r->elements % 2)
        return vm_err_set(err, VM_ESERVER, "FT.INFO: unexpected reply shape");
    bool have_docs = false;
    for (size_t i = 0; i + 1 < r->elements; i += 2) {
        const redisReply *k = r->element[i], *v = r->element[i + 1];
        uint64_t u = 0;
        if (key_is(k, "num_docs"))
            have_docs = reply_u64(v, &out->num_docs) == 0;
        else if (key_is(k, "num_records"))
            reply_u64(v, &out->num_records);
        else if (key_is(k, "hash_indexing_failures"))
            reply_u64(v, &out->hash_indexing_failures);
        else if (key_is(k, "mutation_queue_size"))
            reply_u64(v, &out->mutation_queue_size);
        else if (key_is(k, "num_terms"))
            reply_u64(v, &out->num_terms);
        else if (key_is(k, "total_term_occurrences"))
            reply_u64(v, &out->term_occurrences);
        else if (key_is(k, "backfill_in_progress")) {
            reply_u64(v, &u);
            out->backfill_in_progress = u != 0;
        } else if (key_is(k, "backfill_complete_percent")) {
            if (v->type == REDIS_REPLY_STRING)
                out->backfill_complete_percent = strtod(v->str, NULL);
        } else if (key_is(k, "state")) {
            if (v->type == REDIS_REPLY_STRING || v->type == REDIS_REPLY_STATUS)
                snprintf(out->state, sizeof(out->state), "%s", v->str);
        } else if (key_is(k, "attributes")) {
            parse_attributes(v, out);
        }
    }
    if (!have_docs)
        return vm_err_set(err, VM_ESERVER, "FT.INFO: no num_docs in the reply");
    return 0;
}

int idx_info_get(net_client *cl, const char *name, idx_info *out, vm_err *err)
{
    redisReply *r = net_client_cmd(cl, err, "FT.INFO", name, NULL);
    if (!r)
        return -1;
    int rc = idx_info_parse(r, out, err);
    if (rc < 0)
        vm_err_prefix(err, "%s", cl->name);
    freeReplyObject(r);
    return rc;
}

int idx_wait_ready(net_client *cl, const char *name, uint64_t timeout_ms, idx_info *out,
                   vm_err *err)
{
    uint64_t end = clk_mono_ns() + timeout_ms * 1000000ull;
    for (;;) {
        if (idx_info_get(cl, name, out, err) < 0)
            return -1;
        bool ready = !out->backfill_in_progress && out->mutation_queue_size == 0 &&
                     (!out->state[0] || !strcmp(out->state, "ready"));
        if (ready)
            return 0;
        if (clk_mono_ns() >= end)
            return vm_err_set(err, VM_ESERVER,
                              "index %s still indexing after %llu ms (state %s, queue %llu)", name,
                              (unsigned long long)timeout_ms, out->state,
                              (unsigned long long)out->mutation_queue_size);
        clk_sleep_ns(100 * 1000000ull);
    }
}
