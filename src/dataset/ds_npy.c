/* ds_npy: parse the .npy header dict; see ds_npy.h. */
#include "ds_npy.h"

#include <string.h>

/* Find 'key' (quoted) in the dict text and return a pointer after its ':'. */
static const char *dict_value(const char *d, size_t n, const char *key)
{
    size_t kl = strlen(key);
    for (size_t i = 0; i + kl + 2 <= n; i++) {
        if ((d[i] == '\'' || d[i] == '"') && !memcmp(d + i + 1, key, kl) && d[i + 1 + kl] == d[i]) {
            size_t j = i + kl + 2;
            while (j < n && (d[j] == ' ' || d[j] == ':'))
                j++;
            return j < n ? d + j : NULL;
        }
    }
    return NULL;
}

static int parse_descr(const char *v, const char *end, ds_elem *e, vm_err *err)
{
    if (v >= end || (*v != '\'' && *v != '"'))
        return vm_err_set(err, VM_EINPUT, "npy: 'descr' is not a string");
    char q = *v++;
    const char *s = v;
    while (v < end && *v != q)
        v++;
    if (v >= end)
        return vm_err_set(err, VM_EINPUT, "npy: unterminated 'descr'");
    size_t l = (size_t)(v - s);
    static const struct {
        const char *d;
        ds_elem e;
    } known[] = {{"<f4", DS_F32}, {"<f8", DS_F64}, {"|u1", DS_U8}, {"<u1", DS_U8},
                 {"|i1", DS_I8},  {"<i1", DS_I8},  {"<i4", DS_I32}, {"<i8", DS_I64}};
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
        if (l == 3 && !memcmp(s, known[i].d, 3)) {
            *e = known[i].e;
            return 0;
        }
    return vm_err_set(err, VM_EINPUT,
                      "npy: element type '%.*s' not supported (little-endian f4 f8 u1 i1 i4 i8)",
                      (int)(l > 16 ? 16 : l), s);
}

static int parse_shape(const char *v, const char *end, ds_npy_header *h, vm_err *err)
{
    if (v >= end || *v != '(')
        return vm_err_set(err, VM_EINPUT, "npy: 'shape' is not a tuple");
    v++;
    uint64_t dims[3];
    int nd = 0;
    for (;;) {
        while (v < end && *v == ' ')
            v++;
        if (v < end && *v == ')')
            break;
        if (v >= end || *v < '0' || *v > '9')
            return vm_err_set(err, VM_EINPUT, "npy: bad 'shape'");
        uint64_t x = 0;
        while (v < end && *v >= '0' && *v <= '9') {
            if (x > (UINT64_MAX - 9) / 10)
                return vm_err_set(err, VM_EINPUT, "npy: 'shape' overflows");
            x = x * 10 + (uint64_t)(*v++ - '0');
        }
        if (v < end && *v == 'L') /* Python 2 longs */
            v++;
        if (nd == 3)
            return vm_err_set(err, VM_EINPUT, "npy: more than 2 dimensions");
        dims[nd++] = x;
        while (v < end && *v == ' ')
            v++;
        if (v < end && *v == ',')
            v++;
    }
    if (nd == 0 || nd > 2)
        return vm_err_set(err, VM_EINPUT, "npy: %d dimensions, expected 1 or 2", nd);
    h->rows = dims[0];
    uint64_t c = nd == 2 ? dims[1] : 1;
    if (c == 0 || c > (1u << 20))
        return vm_err_set(err, VM_EINPUT, "npy: bad row length %llu", (unsigned long long)c);
    h->cols = (uint32_t)c;
    return 0;
}

int ds_npy_parse(const uint8_t *buf, size_t len, ds_npy_header *h, vm_err *err)
{
    memset(h, 0, sizeof(*h));
    if (len < 10 || memcmp(buf, "\x93NUMPY", 6))
        return vm_err_set(err, VM_EINPUT, "npy: no \\x93NUMPY magic");
    uint8_t major = buf[6];
    size_t hl, start;
    if (major == 1) {
        hl = (size_t)buf[8] | (size_t)buf[9] << 8;
        start = 10;
    } else if (major == 2 || major == 3) {
        if (len < 12)
            return vm_err_set(err, VM_EINPUT, "npy: truncated header");
        hl = (size_t)buf[8] | (size_t)buf[9] << 8 | (size_t)buf[10] << 16 | (size_t)buf[11] << 24;
        start = 12;
    } else {
        return vm_err_set(err, VM_EINPUT, "npy: format version %u not supported", major);
    }
    if (hl > len - start)
        return vm_err_set(err, VM_EINPUT, "npy: header of %zu bytes runs past the file end", hl);
    const char *d = (const char *)buf + start, *end = d + hl;
    const char *v = dict_value(d, hl, "descr");
    if (!v)
        return vm_err_set(err, VM_EINPUT, "npy: header has no 'descr'");
    if (parse_descr(v, end, &h->elem, err) < 0)
        return -1;
    v = dict_value(d, hl, "fortran_order");
    if (!v)
        return vm_err_set(err, VM_EINPUT, "npy: header has no 'fortran_order'");
    if ((size_t)(end - v) >= 4 && !memcmp(v, "True", 4))
        return vm_err_set(err, VM_EINPUT, "npy: Fortran-order arrays are not supported");
    v = dict_value(d, hl, "shape");
    if (!v)
        return vm_err_set(err, VM_EINPUT, "npy: header has no 'shape'");
    if (parse_shape(v, end, h, err) < 0)
        return -1;
    h->data_off = start + hl;
    return 0;
}
