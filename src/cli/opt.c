/* opt: see opt.h. */
#include "opt.h"

#include <string.h>

#include "../util/nearest.h"
#include "../util/parse.h"

static const struct opt *find_long(const struct opt *const *tables, const char *name,
                                   size_t len)
{
    for (size_t t = 0; tables[t]; t++)
        for (const struct opt *o = tables[t]; o->type != OPT_END; o++)
            if (o->long_name && strlen(o->long_name) == len &&
                !strncmp(o->long_name, name, len))
                return o;
    return NULL;
}

static const struct opt *find_short(const struct opt *const *tables, char c)
{
    for (size_t t = 0; tables[t]; t++)
        for (const struct opt *o = tables[t]; o->type != OPT_END; o++)
            if (o->short_name == c && o->type != OPT_GROUP)
                return o;
    return NULL;
}

/* " (did you mean --NAME?)" for a mistyped long option, or "". */
static const char *suggest_long(const struct opt *const *tables, const char *name, size_t len,
                                char *buf, size_t n)
{
    const char *names[256];
    size_t k = 0;
    for (size_t t = 0; tables[t]; t++)
        for (const struct opt *o = tables[t]; o->type != OPT_END && k < 255; o++)
            if (o->long_name && o->type != OPT_GROUP)
                names[k++] = o->long_name;
    names[k++] = "help";
    char word[64];
    snprintf(word, sizeof(word), "%.*s", (int)(len < 63 ? len : 63), name);
    const char *near = nearest_word(word, names, k);
    if (!near)
        return "";
    snprintf(buf, n, "; did you mean --%s?", near);
    return buf;
}

static void opt_name(const struct opt *o, char *buf, size_t n)
{
    if (o->long_name)
        snprintf(buf, n, "--%s", o->long_name);
    else
        snprintf(buf, n, "-%c", o->short_name);
}

static int opt_apply(const struct opt *o, const char *arg, vm_err *err)
{
    char name[64];
    opt_name(o, name, sizeof(name));
    switch (o->type) {
    case OPT_BOOL:
        *(bool *)o->value = true;
        return 0;
    case OPT_INT:
        return parse_int(name, arg, o->min, o->max, (int *)o->value, err);
    case OPT_U64:
        return parse_u64(name, arg, (uint64_t *)o->value, err);
    case OPT_DOUBLE:
        return parse_double(name, arg, (double *)o->value, err);
    case OPT_STRING:
        *(const char **)o->value = arg;
        return 0;
    case OPT_DURATION:
        return parse_duration_ms(name, arg, (uint64_t *)o->value, err);
    case OPT_CALLBACK:
        if (o->cb(o, arg, err) < 0)
            return vm_err_prefix(err, "%s", name);
        return 0;
    default:
        return vm_err_set(err, VM_EINTERNAL, "%s: bad option table", name);
    }
}

static void blank(char *s)
{
    for (; s && *s; s++)
        *s = '*';
}

int opt_parse(int argc, char **argv, const struct opt *const *tables, bool *want_help,
              vm_err *err)
{
    int npos = 0;
    bool only_pos = false;
    *want_help = false;
    for (int i = 0; i < argc; i++) {
        char *a = argv[i];
        if (only_pos || a[0] != '-' || a[1] == '\0') {
            argv[npos++] = a;
            continue;
        }
        if (!strcmp(a, "--")) {
            only_pos = true;
            continue;
        }
        if (!strcmp(a, "--help")) {
            *want_help = true;
            return npos;
        }
        const struct opt *o;
        char *inl = NULL; /* --name=value */
        if (a[1] == '-') {
            const char *name = a + 2;
            char *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            o = find_long(tables, name, len);
            if (!o) {
                char hint[96];
                return vm_err_set(err, VM_EINPUT, "unknown option '%.*s' (see --help%s)",
                                  (int)(len + 2), a,
                                  suggest_long(tables, name, len, hint, sizeof(hint)));
            }
            if (eq)
                inl = eq + 1;
        } else {
            o = find_short(tables, a[1]);
            if (!o)
                return vm_err_set(err, VM_EINPUT, "unknown option '%s' (see --help)", a);
            if (a[2])
                inl = a + 2; /* -p6379 */
        }
        char name[64];
        opt_name(o, name, sizeof(name));
        const char *arg = NULL;
        if (o->type == OPT_BOOL) {
            if (inl)
                return vm_err_set(err, VM_EINPUT, "%s takes no value", name);
        } else if (inl) {
            arg = inl;
        } else if (i + 1 < argc) {
            arg = argv[++i];
        } else {
            return vm_err_set(err, VM_EINPUT, "%s needs a value (%s)", name,
                              o->argh ? o->argh : "value");
        }
        if (opt_apply(o, arg, err) < 0)
            return -1;
        if (o->secret && arg) {
            /* Keep the secret out of the process title (ps, /proc/PID/cmdline):
             * copy it first, then overwrite argv in place. */
            if (o->type == OPT_STRING) {
                char *copy = strdup(arg);
                *(const char **)o->value = copy;
                /* the copy lives for the process: freed at exit */
            }
            blank((char *)arg);
        }
    }
    return npos;
}

void opt_usage(FILE *f, const char *usage, const char *summary,
               const struct opt *const *tables)
{
    fprintf(f, "usage: %s\n", usage);
    if (summary)
        fprintf(f, "\n%s\n", summary);
    for (size_t t = 0; tables[t]; t++) {
        for (const struct opt *o = tables[t]; o->type != OPT_END; o++) {
            if (o->type == OPT_GROUP) {
                fprintf(f, "\n%s\n", o->help);
                continue;
            }
            char left[96];
            int n = 0;
            if (o->short_name && o->long_name)
                n = snprintf(left, sizeof(left), "-%c, --%s", o->short_name, o->long_name);
            else if (o->short_name)
                n = snprintf(left, sizeof(left), "-%c", o->short_name);
            else
                n = snprintf(left, sizeof(left), "    --%s", o->long_name);
            if (o->argh && n > 0 && (size_t)n < sizeof(left))
                snprintf(left + n, sizeof(left) - (size_t)n, " %s", o->argh);
            fprintf(f, "  %-30s %s\n", left, o->help ? o->help : "");
        }
    }
    fprintf(f, "  %-30s %s\n", "    --help", "show this help");
}
