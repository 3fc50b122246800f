/* ds_parquet_meta: a parquet file — mapped, its two PAR1 magics checked,
 * and its footer's FileMetaData decoded (the Thrift compact protocol,
 * ds_thrift.c): the schema flattened to its leaf columns with their
 * definition / repetition levels, and each row group's column chunks.
 * Every offset and length is checked against the file before use. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../util/vm_map.h"
#include "ds_parquet_int.h"
#include "ds_thrift.h"

const char *pq_codec_name(int c)
{
    static const char *names[] = {"UNCOMPRESSED", "SNAPPY", "GZIP", "LZO",
                                  "BROTLI",       "LZ4",    "ZSTD", "LZ4_RAW"};
    return c >= 0 && c < 8 ? names[c] : "unknown";
}

const char *pq_type_name(int t)
{
    static const char *names[] = {"boolean", "int32",  "int64",  "int96",
                                  "float",   "double", "binary", "fixed_len_byte_array"};
    return t >= 0 && t < 8 ? names[t] : "?";
}

int pq_type_width(int t)
{
    return t == PQ_INT32 || t == PQ_FLOAT ? 4 : t == PQ_INT64 || t == PQ_DOUBLE ? 8 : 0;
}

/* ---- metadata ---------------------------------------------------------- */

typedef struct schema_el {
    int type, rep, nchild;
    char *name;
} schema_el;

static int parse_schema_el(tc_cur *c, schema_el *e)
{
    int16_t last = 0, id;
    uint8_t t;
    int r;
    e->type = -1;
    e->rep = REP_REQUIRED;
    if (!tc_enter(c))
        return -1;
    while ((r = tc_field(c, &last, &id, &t)) == 1) {
        if (id == 1 && t == TC_I32)
            e->type = (int)tc_int(c);
        else if (id == 3 && t == TC_I32)
            e->rep = (int)tc_int(c);
        else if (id == 4 && t == TC_BINARY) {
            size_t l;
            const uint8_t *p = tc_binary(c, &l);
            if (p) {
                free(e->name);
                e->name = strndup((const char *)p, l);
            }
        } else if (id == 5 && t == TC_I32)
            e->nchild = (int)tc_int(c);
        else
            tc_skip(c, t);
    }
    tc_leave(c);
    return r == 0 && !c->bad && e->name ? 0 : -1;
}

static int parse_column_meta(tc_cur *c, pq_chunk *k)
{
    int16_t last = 0, id;
    uint8_t t;
    int r;
    if (!tc_enter(c))
        return -1;
    while ((r = tc_field(c, &last, &id, &t)) == 1) {
        if (id == 1 && t == TC_I32)
            k->type = (int)tc_int(c);
        else if (id == 4 && t == TC_I32)
            k->codec = (int)tc_int(c);
        else if (id == 5 && t == TC_I64)
            k->num_values = tc_int(c);
        else if (id == 7 && t == TC_I64)
            k->comp_bytes = tc_int(c);
        else if (id == 9 && t == TC_I64)
            k->data_off = tc_int(c);
        else if (id == 11 && t == TC_I64)
            k->dict_off = tc_int(c);
        else
            tc_skip(c, t);
    }
    tc_leave(c);
    return r == 0 && !c->bad ? 0 : -1;
}

static int parse_column_chunk(tc_cur *c, pq_chunk *k, bool *external)
{
    int16_t last = 0, id;
    uint8_t t;
    int r;
    bool have_meta = false;
    if (!tc_enter(c))
        return -1;
    while ((r = tc_field(c, &last, &id, &t)) == 1) {
        if (id == 1 && t == TC_BINARY) {
            *external = true;
            tc_skip(c, t);
        } else if (id == 3 && t == TC_STRUCT) {
            if (parse_column_meta(c, k) < 0)
                return -1;
            have_meta = true;
        } else
            tc_skip(c, t);
    }
    tc_leave(c);
    return r == 0 && !c->bad && have_meta ? 0 : -1;
}

static int parse_row_group(tc_cur *c, pq_meta *m, uint32_t rg, vm_err *err)
{
    int16_t last = 0, id;
    uint8_t t;
    int r;
    uint32_t ncols = 0;
    if (!tc_enter(c))
        return -1;
    while ((r = tc_field(c, &last, &id, &t)) == 1) {
        if (id == 1 && t == TC_LIST) {
            uint8_t et;
            uint32_t n;
            if (tc_list(c, &et, &n) < 0 || et != TC_STRUCT)
                return -1;
            if (n != m->nleaf)
                return vm_err_set(err, VM_EINPUT, "row group %u has %u columns, the schema %u", rg,
                                  n, m->nleaf);
            for (uint32_t i = 0; i < n; i++) {
                bool ext = false;
                if (parse_column_chunk(c, &m->chunk[(size_t)rg * m->nleaf + i], &ext) < 0)
                    return -1;
                if (ext)
                    return vm_err_set(err, VM_EINPUT,
                                      "columns stored in other files are not supported");
            }
            ncols = n;
        } else if (id == 3 && t == TC_I64)
            m->rg_rows[rg] = tc_int(c);
        else
            tc_skip(c, t);
    }
    tc_leave(c);
    if (r != 0 || c->bad)
        return -1;
    if (ncols != m->nleaf)
        return vm_err_set(err, VM_EINPUT, "row group %u lists no columns", rg);
    if (m->rg_rows[rg] < 0)
        return -1;
    return 0;
}

/* Depth-first walk of the flattened schema: fills m->leaf. */
static int walk_schema(const schema_el *el, uint32_t nel, uint32_t *at, int def, int rep,
                       const char *prefix, const char *top, pq_meta *m, int depth)
{
    if (*at >= nel || depth > 16)
        return -1;
    const schema_el *e = &el[(*at)++];
    if (e->rep == REP_OPTIONAL)
        def++;
    else if (e->rep == REP_REPEATED) {
        def++;
        rep++;
    }
    strbuf path = STRBUF_INIT;
    if (prefix[0])
        sb_addf(&path, "%s.", prefix);
    sb_addstr(&path, e->name);
    const char *tp = top ? top : e->name;
    int rc = 0;
    if (e->nchild > 0) {
        for (int i = 0; i < e->nchild && rc == 0; i++)
            rc = walk_schema(el, nel, at, def, rep, path.buf, tp, m, depth + 1);
    } else {
        pq_leaf *l = &m->leaf[m->nleaf++];
        l->path = sb_detach(&path, NULL);
        l->top = strdup(tp);
        l->type = e->type;
        l->max_def = def;
        l->max_rep = rep;
    }
    sb_release(&path);
    return rc;
}

static int meta_fail(pq_meta *m, vm_err *err, const char *what)
{
    pq_meta_free(m);
    if (err && err->code)
        return -1;
    return vm_err_set(err, VM_EINPUT, "malformed parquet metadata (%s)", what);
}

/* What the FileMetaData struct holds that the reader needs: the schema's
 * elements, and where the row groups' list starts (it is decoded once the
 * schema's leaf count is known). */
typedef struct file_fields {
    schema_el *el;
    uint32_t nel;
    const uint8_t *rg_at;
    uint32_t nrg;
    bool have_rg;
} file_fields;

/* The fields of FileMetaData, num_rows into m; 0, or -1 when malformed. */
static int scan_file_fields(tc_cur *c, pq_meta *m, file_fields *ff)
{
    int16_t last = 0, id;
    uint8_t t;
    int r;
    while ((r = tc_field(c, &last, &id, &t)) == 1) {
        if (id == 2 && t == TC_LIST && !ff->el) {
            uint8_t et;
            if (tc_list(c, &et, &ff->nel) < 0 || et != TC_STRUCT || ff->nel < 2 || ff->nel > 100000)
                break;
            ff->el = calloc(ff->nel, sizeof(*ff->el));
            for (uint32_t i = 0; i < ff->nel; i++)
                if (parse_schema_el(c, &ff->el[i]) < 0) {
                    c->bad = true;
                    break;
                }
        } else if (id == 3 && t == TC_I64)
            m->num_rows = tc_int(c);
        else if (id == 4 && t == TC_LIST) {
            /* row groups need the schema's leaf count: remember where they are */
            uint8_t et;
            ff->rg_at = c->p;
            if (tc_list(c, &et, &ff->nrg) < 0 || et != TC_STRUCT)
                break;
            c->p = ff->rg_at;
            tc_skip(c, TC_LIST);
            ff->have_rg = true;
        } else
            tc_skip(c, t);
        if (c->bad)
            break;
    }
    tc_leave(c);
    return r != 0 || c->bad || !ff->el || !ff->have_rg ? -1 : 0;
}

/* The schema's leaves into m->leaf: el[0] is the root, the rest its tree
 * depth first, every element used exactly once. */
static int build_leaves(const schema_el *el, uint32_t nel, pq_meta *m)
{
    m->leaf = calloc(nel, sizeof(*m->leaf));
    uint32_t at = 1;
    int rc = el[0].nchild <= 0 ? -1 : 0;
    for (int i = 0; i < el[0].nchild && rc == 0; i++)
        rc = walk_schema(el, nel, &at, 0, 0, "", NULL, m, 0);
    if (rc == 0 && at != nel)
        rc = -1;
    return rc;
}

/* The nrg row groups whose list starts at rg_at (before end). */
static int parse_row_groups(const uint8_t *rg_at, const uint8_t *end, uint32_t nrg, pq_meta *m,
                            vm_err *err)
{
    if (nrg > 1000000 || (m->nleaf && nrg > SIZE_MAX / m->nleaf / sizeof(pq_chunk)))
        return meta_fail(m, err, "row groups");
    m->nrg = nrg;
    m->rg_rows = calloc(nrg ? nrg : 1, sizeof(int64_t));
    m->chunk = calloc(nrg && m->nleaf ? (size_t)nrg * m->nleaf : 1, sizeof(pq_chunk));
    tc_cur c;
    tc_init(&c, rg_at, (size_t)(end - rg_at));
    uint8_t et;
    if (tc_list(&c, &et, &nrg) < 0)
        return meta_fail(m, err, "row groups");
    int64_t total = 0;
    for (uint32_t i = 0; i < m->nrg; i++) {
        if (parse_row_group(&c, m, i, err) < 0)
            return meta_fail(m, err, "row group");
        total += m->rg_rows[i];
    }
    if (total != m->num_rows)
        return meta_fail(m, err, "row counts");
    return 0;
}

int pq_meta_parse(const uint8_t *buf, size_t len, pq_meta *m, vm_err *err)
{
    memset(m, 0, sizeof(*m));
    if (err)
        vm_err_clear(err);
    tc_cur c;
    tc_init(&c, buf, len);
    if (!tc_enter(&c))
        return meta_fail(m, err, "depth");
    file_fields ff = {0};
    int rc = scan_file_fields(&c, m, &ff);
    if (rc == 0)
        rc = build_leaves(ff.el, ff.nel, m);
    for (uint32_t i = 0; ff.el && i < ff.nel; i++)
        free(ff.el[i].name);
    free(ff.el);
    if (rc < 0)
        return meta_fail(m, err, "schema");
    return parse_row_groups(ff.rg_at, buf + len, ff.nrg, m, err);
}

void pq_meta_free(pq_meta *m)
{
    for (uint32_t i = 0; i < m->nleaf; i++) {
        free(m->leaf[i].path);
        free(m->leaf[i].top);
    }
    free(m->leaf);
    free(m->rg_rows);
    free(m->chunk);
    memset(m, 0, sizeof(*m));
}

int pq_find_leaf(const pq_meta *m, const char *name)
{
    for (uint32_t i = 0; i < m->nleaf; i++)
        if (!strcmp(m->leaf[i].top, name))
            return (int)i;
    return -1;
}

void pq_describe(const pq_meta *m, strbuf *out)
{
    for (uint32_t i = 0; i < m->nleaf; i++) {
        const pq_leaf *l = &m->leaf[i];
        if (l->max_rep > 0)
            sb_addf(out, "%s: list<%s>", l->top, pq_type_name(l->type));
        else
            sb_addf(out, "%s: %s", l->top, pq_type_name(l->type));
        if (m->nrg)
            sb_addf(out, " (%s)", pq_codec_name(m->chunk[i].codec));
        sb_addch(out, '\n');
    }
}

/* ---- files ------------------------------------------------------------- */

int pq_file_open(pq_file *f, const char *path, vm_err *err)
{
    memset(f, 0, sizeof(*f));
    vm_map m;
    if (vm_map_file(path, &m, err) < 0)
        return -1;
    size_t size = m.size;
    if (size < 12) {
        vm_unmap(&m);
        return vm_err_set(err, VM_EINPUT, "%s: truncated: %zu bytes is no parquet file", path,
                          size);
    }
    const uint8_t *map = m.data;
    f->map = map;
    f->size = size;
    f->path = strdup(path);
    if (memcmp(map, "PAR1", 4) || memcmp(map + size - 4, "PAR1", 4)) {
        pq_file_close(f);
        return vm_err_set(err, VM_EINPUT,
                          "%s: no PAR1 magic at both ends: not parquet (or truncated)", path);
    }
    uint32_t ml;
    memcpy(&ml, map + size - 8, 4);
    if (ml > size - 12) {
        pq_file_close(f);
        return vm_err_set(err, VM_EINPUT, "%s: footer length %u larger than the file", path, ml);
    }
    if (pq_meta_parse(map + size - 8 - ml, ml, &f->meta, err) < 0) {
        vm_err_prefix(err, "%s", path);
        pq_file_close(f);
        return -1;
    }
    for (size_t i = 0; i < (size_t)f->meta.nrg * f->meta.nleaf; i++) {
        const pq_chunk *k = &f->meta.chunk[i];
        int64_t start = k->dict_off > 0 && k->dict_off < k->data_off ? k->dict_off : k->data_off;
        if (start < 4 || k->comp_bytes < 0 || (uint64_t)start > size ||
            (uint64_t)k->comp_bytes > size - (uint64_t)start) {
            pq_file_close(f);
            return vm_err_set(err, VM_EINPUT, "%s: column chunk %zu lies outside the file", path,
                              i);
        }
    }
    madvise((void *)map, size, MADV_SEQUENTIAL);
    return 0;
}

void pq_file_close(pq_file *f)
{
    if (f->map)
        munmap((void *)f->map, f->size);
    pq_meta_free(&f->meta);
    free(f->path);
    memset(f, 0, sizeof(*f));
}
