/* cli_model: see cli_model.h. */
#include "cli_model.h"

#include <stdlib.h>
#include <string.h>

#include "../util/parse.h"

enum { UNSET = -1 };
#define UNSET_U64 UINT64_MAX

int cli_model_parse_count(const struct opt *o, const char *arg, vm_err *err)
{
    return parse_count(arg, (uint64_t *)o->value, err);
}

void cli_model_defaults(cli_model_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->dim = o->m = o->key_length = o->field_length = o->threads = UNSET;
    o->tags = o->tag_length = o->numerics = o->texts = UNSET;
    o->initial_cap = o->block_size = o->tag_values = o->numeric_values = o->text_terms = UNSET_U64;
    o->text_postings = -1;
}

struct opt *cli_model_options(cli_model_opts *o, bool with_counts, uint64_t *vectors,
                              uint64_t *deleted, uint64_t *peak)
{
    struct opt t[] = {
        OPT_GROUP_ROW("Index (valkey-search memory model):"),
        OPT_STR_ROW(
            "release", &o->release, "R",
            "valkey-search release whose layout to follow: 1.0 or 1.2 (default: the server's in a "
            "run, else 1.2)"),
        OPT_STR_ROW("algorithm", &o->algorithm, "ALGO", "HNSW (default) or FLAT"),
        OPT_INT_ROW("dim", &o->dim, "D", "vector dimension", 1, 65536),
        OPT_STR_ROW("type", &o->type, "TYPE", "element type: FLOAT32 (default)"),
        OPT_INT_ROW("m", &o->m, "M", "HNSW M (default 16)", 2, 10000),
        OPT_U64_ROW("initial-cap", &o->initial_cap, "N", "INITIAL_CAP (default 10240)"),
        OPT_U64_ROW("block-size", &o->block_size, "N",
                    "growth step: HNSW hnsw-block-size config (10240), FLAT BLOCK_SIZE (1024)"),
        OPT_INT_ROW("key-length", &o->key_length, "L", "average key length in bytes (default 10)",
                    1, 65536),
        OPT_INT_ROW("field-length", &o->field_length, "L", "hash field name length (default 6)", 1,
                    65536),
        OPT_INT_ROW("module-threads", &o->threads, "N",
                    "module threads searching at once (visited lists; default 2)", 1, 4096),
        OPT_INT_ROW("tags", &o->tags, "N", "TAG attributes per key (default 0)", 0, 64),
        OPT_INT_ROW("tag-length", &o->tag_length, "L", "average tag length (default 8)", 1, 65536),
        OPT_U64_ROW("tag-values", &o->tag_values, "N", "distinct tag values (default 100)"),
        OPT_INT_ROW("numerics", &o->numerics, "N", "NUMERIC attributes per key (default 0)", 0, 64),
        OPT_U64_ROW("numeric-values", &o->numeric_values, "N",
                    "distinct numbers per attribute (default: one per key)"),
        OPT_INT_ROW("texts", &o->texts, "N", "TEXT attributes per key (1.2; default 0)", 0, 64),
        OPT_U64_ROW("text-terms", &o->text_terms, "N", "distinct terms in the text index"),
        OPT_DBL_ROW("text-postings", &o->text_postings, "X", "distinct terms per document, mean"),
        OPT_END_ROW,
        OPT_END_ROW,
        OPT_END_ROW,
        OPT_END_ROW,
    };
    if (with_counts) {
        size_t i = 0;
        while (t[i].type != OPT_END)
            i++;
        struct opt counts[] = {
            OPT_CB_ROW("vectors", vectors, "N", "live vectors (required; 1000000, 1e9, 10M)",
                       cli_model_parse_count),
            OPT_U64_ROW("deleted", deleted, "N", "vectors deleted since FT.CREATE (default 0)"),
            OPT_U64_ROW("peak", peak, "N", "most vectors live at once (default vectors + deleted)"),
        };
        memcpy(&t[i], counts, sizeof(counts));
    }
    struct opt *copy = malloc(sizeof(t));
    memcpy(copy, t, sizeof(t));
    return copy;
}

bool cli_model_any(const cli_model_opts *o)
{
    return o->algorithm || o->type || o->release || o->dim != UNSET || o->m != UNSET ||
           o->initial_cap != UNSET_U64 || o->block_size != UNSET_U64;
}

int cli_model_apply(const cli_model_opts *o, mdl_params *p, vm_err *err)
{
    if (o->release && mdl_parse_release(o->release, &p->release, err) < 0)
        return -1;
    if (o->algorithm) {
        mdl_algo was = p->algo;
        if (mdl_parse_algo(o->algorithm, &p->algo, err) < 0)
            return -1;
        if (was != p->algo && o->block_size == UNSET_U64)
            p->block_size = mdl_default_block(p->algo);
    }
    if (o->type && mdl_parse_type(o->type, &p->elem_bytes, err) < 0)
        return -1;
    if (o->dim != UNSET)
        p->dim = (uint32_t)o->dim;
    if (o->m != UNSET)
        p->m = (uint32_t)o->m;
    if (o->initial_cap != UNSET_U64)
        p->initial_cap = o->initial_cap;
    if (o->block_size != UNSET_U64)
        p->block_size = o->block_size;
    if (o->key_length != UNSET)
        p->key_bytes = (uint32_t)o->key_length;
    if (o->field_length != UNSET)
        p->field_bytes = (uint32_t)o->field_length;
    if (o->threads != UNSET)
        p->threads = (uint32_t)o->threads;
    if (o->tags != UNSET)
        p->tag_attrs = (uint32_t)o->tags;
    if (o->tag_length != UNSET)
        p->tag_bytes = (uint32_t)o->tag_length;
    if (o->tag_values != UNSET_U64)
        p->tag_distinct = o->tag_values;
    if (o->numerics != UNSET)
        p->numeric_attrs = (uint32_t)o->numerics;
    if (o->numeric_values != UNSET_U64)
        p->numeric_distinct = o->numeric_values;
    if (o->texts != UNSET)
        p->text_attrs = (uint32_t)o->texts;
    if (o->text_terms != UNSET_U64)
        p->text_terms = o->text_terms;
    if (o->text_postings >= 0)
        p->text_postings = o->text_postings;
    if (p->text_attrs && p->release != MDL_REL_1_2)
        return vm_err_set(err, VM_EINPUT, "TEXT attributes are new in valkey-search 1.2");
    return 0;
}
