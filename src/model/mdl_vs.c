/* mdl_vs: see mdl_vs.h — parameters, their checks, and the choice of the
 * release's layout (mdl_vs10.c, mdl_vs12.c). */
#include "mdl_vs.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "mdl_int.h"

void mdl_params_defaults(mdl_params *p)
{
    memset(p, 0, sizeof(*p));
    p->release = MDL_REL_1_2;
    p->algo = MDL_HNSW;
    p->elem_bytes = 4;
    p->m = 16;
    p->initial_cap = 10240;
    p->block_size = mdl_default_block(MDL_HNSW);
    p->key_bytes = 10;
    p->field_bytes = 6;
    p->threads = 2;
    p->tag_bytes = 8;
}

uint64_t mdl_default_block(mdl_algo a)
{
    /* HNSW grows by the module config hnsw-block-size (10240); FLAT by the
     * FT.CREATE BLOCK_SIZE parameter (1024) */
    return a == MDL_HNSW ? 10240 : 1024;
}

int mdl_parse_algo(const char *s, mdl_algo *out, vm_err *err)
{
    if (s && !strcasecmp(s, "HNSW"))
        *out = MDL_HNSW;
    else if (s && !strcasecmp(s, "FLAT"))
        *out = MDL_FLAT;
    else
        return vm_err_param(err, "index.algorithm", VM_EINPUT, "algorithm '%s' is not HNSW or FLAT",
                            s ? s : "");
    return 0;
}

int mdl_parse_type(const char *s, uint32_t *elem_bytes, vm_err *err)
{
    if (s && !strcasecmp(s, "FLOAT32")) {
        *elem_bytes = 4;
        return 0;
    }
    return vm_err_param(err, "type", VM_EINPUT,
                        "vector type '%s' is not modelled (valkey-search 1.0.3 has FLOAT32 only)",
                        s ? s : "");
}

int mdl_parse_release(const char *s, mdl_release *out, vm_err *err)
{
    int major = 0, minor = 0, n = 0;
    if (s && sscanf(s, "%d.%d%n", &major, &minor, &n) == 2 && major >= 1 &&
        (!s[n] || s[n] == '.')) {
        *out = mdl_release_of(major, minor);
        return 0;
    }
    return vm_err_set(err, VM_EINPUT, "release '%s' is not a valkey-search version (1.0, 1.2)",
                      s ? s : "");
}

mdl_release mdl_release_of(int major, int minor)
{
    return major > 1 || (major == 1 && minor >= 2) ? MDL_REL_1_2 : MDL_REL_1_0;
}

const char *mdl_release_name(mdl_release r)
{
    return r == MDL_REL_1_2 ? "1.2" : "1.0";
}

const char *mdl_algo_name(mdl_algo a)
{
    return a == MDL_HNSW ? "HNSW" : "FLAT";
}

int mdl_predict(const mdl_params *p, mdl_prediction *out, vm_err *err)
{
    memset(out, 0, sizeof(*out));
    if (p->dim == 0 || p->dim > 65536)
        return vm_err_param(err, "dim", VM_EINPUT, "dimension %u is not in [1, 65536]", p->dim);
    if (p->elem_bytes == 0)
        return vm_err_param(err, "type", VM_EINPUT, "vector element size is 0");
    if (p->algo == MDL_HNSW && (p->m < 2 || p->m > 10000))
        return vm_err_param(err, "index.m", VM_EINPUT, "HNSW M %u is not in [2, 10000]", p->m);
    if (p->initial_cap == 0)
        return vm_err_param(err, "index.initial_cap", VM_EINPUT,
                            "initial capacity must be more than 0");
    if (p->block_size == 0)
        return vm_err_param(err, "index.block_size", VM_EINPUT, "block size must be more than 0");
    if (p->threads == 0)
        return vm_err_param(err, "module_threads", VM_EINPUT, "module threads must be more than 0");
    /* 2^40 vectors is far beyond any server; larger counts are garbage */
    const uint64_t max_vectors = (uint64_t)1 << 40;
    if (p->live > max_vectors || p->deleted > max_vectors || p->peak_live > max_vectors)
        return vm_err_param(err, "vectors", VM_EINPUT,
                            "vector counts (live, deleted, peak) are more than 2^40");
    uint64_t peak = p->peak_live ? p->peak_live : p->live + p->deleted;
    if (peak < p->live)
        peak = p->live;
    if (p->release == MDL_REL_1_2)
        mdl_predict_1_2(p, out, peak);
    else
        mdl_predict_1_0(p, out, peak);
    mdl_keyspace(p, out);
    return 0;
}

double mdl_component_bytes(const mdl_prediction *pr, const char *name)
{
    for (int i = 0; i < pr->n; i++)
        if (!strcmp(pr->c[i].name, name))
            return pr->c[i].bytes;
    return 0;
}
