/* ref_transcript: see ref_transcript.h. */
#include "ref_transcript.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static redisReply *mk(int type)
{
    redisReply *r = calloc(1, sizeof(*r));
    r->type = type;
    return r;
}

static void push(redisReply *arr, redisReply *e)
{
    arr->element = realloc(arr->element, (arr->elements + 1) * sizeof(*arr->element));
    arr->element[arr->elements++] = e;
}

static redisReply *leaf(const char *v)
{
    if (!strncmp(v, "(integer) ", 10)) {
        redisReply *r = mk(REDIS_REPLY_INTEGER);
        r->integer = strtoll(v + 10, NULL, 10);
        return r;
    }
    if (!strcmp(v, "(empty array)") || !strcmp(v, "(empty list or set)"))
        return mk(REDIS_REPLY_ARRAY);
    if (!strcmp(v, "(nil)"))
        return mk(REDIS_REPLY_NIL);
    int type = REDIS_REPLY_STRING;
    if (!strncmp(v, "(error) ", 8)) {
        type = REDIS_REPLY_ERROR;
        v += 8;
    }
    redisReply *r = mk(type);
    size_t n = strlen(v);
    r->str = malloc(n + 1);
    if (v[0] == '"' && n >= 2 && v[n - 1] == '"') {
        size_t o = 0;
        for (size_t i = 1; i + 1 < n; i++) {
            if (v[i] == '\\' && v[i + 1] == 'x' && i + 3 < n) {
                char h[3] = {v[i + 2], v[i + 3], 0};
                r->str[o++] = (char)strtol(h, NULL, 16);
                i += 3;
            } else if (v[i] == '\\' && i + 2 < n) {
                r->str[o++] = v[++i];
            } else {
                r->str[o++] = v[i];
            }
        }
        r->len = o;
    } else {
        memcpy(r->str, v, n);
        r->len = n;
    }
    r->str[r->len] = '\0';
    return r;
}

/* "   8)  1) capacity" → marker columns, and the value after the last one */
static int markers(const char *line, int *cols, int max, const char **value)
{
    int n = 0;
    const char *p = line;
    for (;;) {
        while (*p == ' ')
            p++;
        const char *d = p;
        while (isdigit((unsigned char)*p))
            p++;
        if (p > d && *p == ')' && p[1] == ' ' && n < max) {
            cols[n++] = (int)(p - line);
            p += 2;
            continue;
        }
        *value = d;
        return n;
    }
}

redisReply *ref_reply(const char *file, const char *command)
{
    const char *root = getenv("VM_REFERENCE");
    char path[4096];
    snprintf(path, sizeof(path), "%s/valkey-search-1.0.3/%s", root ? root : "../shared/reference",
             file);
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char line[65536];
    int found = 0;
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\n")] = '\0';
        char *gt = strstr(line, "> ");
        if (gt && !strcmp(gt + 2, command)) {
            found = 1;
            break;
        }
    }
    if (!found) {
        fclose(f);
        return NULL;
    }
    struct {
        int col;
        redisReply *arr;
    } st[16];
    int depth = 0;
    redisReply *top = NULL;
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\n")] = '\0';
        if (!line[0] || strstr(line, "> "))
            break;
        int cols[16];
        const char *v;
        int n = markers(line, cols, 16, &v);
        if (n == 0) { /* a scalar reply */
            top = leaf(v);
            break;
        }
        if (!top) {
            top = mk(REDIS_REPLY_ARRAY);
            st[0].col = cols[0];
            st[0].arr = top;
            depth = 1;
        }
        while (depth > 1 && st[depth - 1].col > cols[0])
            depth--;
        for (int m = 1; m < n; m++) {
            redisReply *a = mk(REDIS_REPLY_ARRAY);
            push(st[depth - 1].arr, a);
            st[depth].col = cols[m];
            st[depth].arr = a;
            depth++;
        }
        push(st[depth - 1].arr, leaf(v));
    }
    fclose(f);
    return top;
}
