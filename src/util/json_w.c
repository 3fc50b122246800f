/* json_w: json-c in the house form; see json_w.h. */
#include "json_w.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

json_object *jw_num_sig(double v, int digits)
{
    if (!isfinite(v))
        return NULL;
    if (fabs(v) < 9e15 && v == (double)(long long)v)
        return json_object_new_int64((int64_t)v);
    char text[40];
    snprintf(text, sizeof(text), "%.*g", digits, v);
    return json_object_new_double_s(v, text);
}

json_object *jw_num(double v)
{
    return jw_num_sig(v, 6);
}

json_object *jw_num_fixed(double v, int decimals)
{
    if (!isfinite(v))
        return NULL;
    char text[400]; /* %f of 1e308 has 309 digits */
    snprintf(text, sizeof(text), "%.*f", decimals, v);
    return json_object_new_double_s(v, text);
}

json_object *jw_fixed_object(const char *const *keys, const double *v, size_t n, int decimals)
{
    json_object *o = json_object_new_object();
    for (size_t i = 0; i < n; i++)
        jw_add(o, keys[i], jw_num_fixed(v[i], decimals));
    return o;
}

json_object *jw_str(const char *s)
{
    return s ? json_object_new_string(s) : NULL;
}

const char *jw_text(json_object *o)
{
    return json_object_to_json_string_ext(o, JW_FLAGS);
}

int jw_write_file(const char *path, json_object *o, vm_err *err)
{
    const char *text = jw_text(o);
    size_t n = strlen(text);
    size_t tlen = strlen(path) + 5;
    char *tmp = malloc(tlen);
    if (!tmp)
        abort();
    snprintf(tmp, tlen, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    int rc = 0;
    if (!f || fwrite(text, 1, n, f) != n || fputc('\n', f) == EOF)
        rc = vm_err_set(err, VM_EIO, "%s: %s", tmp, strerror(errno));
    if (f && fclose(f) != 0 && rc == 0)
        rc = vm_err_set(err, VM_EIO, "%s: %s", tmp, strerror(errno));
    if (rc == 0 && rename(tmp, path) != 0)
        rc = vm_err_set(err, VM_EIO, "%s: %s", path, strerror(errno));
    if (rc < 0) {
        int e = errno;
        unlink(tmp);
        errno = e;
    }
    free(tmp);
    return rc;
}
