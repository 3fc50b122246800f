/* transcript.h — test helper: read replies out of the reference transcripts
 * (the valkey-search-1.0.3 files under $VM_REFERENCE), which are valkey-cli
 * sessions: a prompt line "127.0.0.1:7100> COMMAND" then the reply as
 * valkey-cli prints it.
 *
 *   tr_text()   the reply lines as they are (INFO, MALLOC-STATS: bulk text)
 *   tr_reply()  the reply rebuilt as a hiredis reply tree: valkey-cli prints
 *               arrays as "N) " items (nested arrays put their first item on
 *               the same line, aligned by the ')' column), integers as
 *               "(integer) N", bulk strings in double quotes with \xHH
 *               escapes, status replies bare, and "(empty array)".
 * The tree is rebuilt as RESP text and parsed by hiredis's own reader, so the
 * code under test sees exactly what it sees from a server. */
#ifndef TEST_TRANSCRIPT_H
#define TEST_TRANSCRIPT_H

#include <hiredis/hiredis.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"

static inline char *tr_slurp(const char *path, size_t *len)
{
    strbuf sb = STRBUF_INIT;
    if (sb_read_file(&sb, path) < 0) {
        sb_release(&sb);
        return NULL;
    }
    return sb_detach(&sb, len);
}

/* A file of the reference set of one release ("1.0.3", "1.2.1"):
 * $VM_REFERENCE/valkey-search-<release>/<name>. */
static inline char *tr_reference_of(const char *release, const char *name)
{
    const char *ref = getenv("VM_REFERENCE");
    char path[1024];
    snprintf(path, sizeof(path), "%s/valkey-search-%s/%s", ref ? ref : "/work/shared/reference",
             release, name);
    return tr_slurp(path, NULL);
}

/* The same in the 1.0.3 set, which most tests were written on. */
static inline char *tr_reference(const char *name)
{
    return tr_reference_of("1.0.3", name);
}

/* The reply lines after the prompt line that starts with prompt_prefix (the
 * nth such prompt, from 0), up to the next blank line followed by a prompt
 * or a "##" heading, or the end.  malloc'd; NULL when not found. */
static inline char *tr_text(const char *file_text, const char *prompt_prefix, int nth)
{
    const char *p = file_text;
    size_t pl = strlen(prompt_prefix);
    for (;;) {
        const char *hit = strstr(p, prompt_prefix);
        if (!hit)
            return NULL;
        if ((hit == file_text || hit[-1] == '\n') && nth-- == 0) {
            p = strchr(hit, '\n');
            if (!p)
                return NULL;
            p++;
            break;
        }
        p = hit + pl;
    }
    const char *end = p;
    while (*end) {
        const char *nl = strchr(end, '\n');
        if (!nl) {
            end += strlen(end);
            break;
        }
        if (nl == end) { /* a blank line: the end when a prompt or heading follows */
            const char *next = nl + 1;
            while (*next == '\n')
                next++;
            const char *eol = strchr(next, '\n');
            const char *gt = strstr(next, "> ");
            bool prompt = *next >= '0' && *next <= '9' && gt && (!eol || gt < eol);
            if (!*next || prompt || !strncmp(next, "##", 2))
                break;
        }
        end = nl + 1;
    }
    size_t n = (size_t)(end - p);
    while (n && (p[n - 1] == '\n'))
        n--;
    char *out = malloc(n + 2);
    memcpy(out, p, n);
    out[n] = '\n';
    out[n + 1] = '\0';
    return out;
}

typedef struct tr_node {
    int type; /* 'a' array, 'i' integer, 's' bulk, '+' status, 'e' error, 'n' nil */
    strbuf str;
    long long integer;
    struct tr_node **kids;
    size_t nkids, cap;
    int col; /* ')' column of this array's items */
} tr_node;

static inline tr_node *tr_new(int type)
{
    tr_node *n = calloc(1, sizeof(*n));
    n->type = type;
    n->col = -1;
    return n;
}

static inline void tr_push(tr_node *a, tr_node *k)
{
    if (a->nkids == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 8;
        a->kids = realloc(a->kids, a->cap * sizeof(*a->kids));
    }
    a->kids[a->nkids++] = k;
}

static inline void tr_free(tr_node *n)
{
    for (size_t i = 0; i < n->nkids; i++)
        tr_free(n->kids[i]);
    free(n->kids);
    sb_release(&n->str);
    free(n);
}

static inline int tr_hex(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c - 'A' + 10;
}

/* The value printed at s (to end of line). */
static inline tr_node *tr_value(const char *s)
{
    if (!strncmp(s, "(integer) ", 10)) {
        tr_node *n = tr_new('i');
        n->integer = strtoll(s + 10, NULL, 10);
        return n;
    }
    if (!strncmp(s, "(empty array)", 13) || !strncmp(s, "(empty list or set)", 19))
        return tr_new('a');
    if (!strncmp(s, "(nil)", 5))
        return tr_new('n');
    if (!strncmp(s, "(error) ", 8)) {
        tr_node *n = tr_new('e');
        sb_add(&n->str, s + 8, strcspn(s + 8, "\n"));
        return n;
    }
    if (*s == '"') {
        tr_node *n = tr_new('s');
        for (s++; *s && *s != '"'; s++) {
            if (*s == '\\' && s[1] == 'x' && s[2] && s[3]) {
                sb_addch(&n->str, (char)(tr_hex(s[2]) * 16 + tr_hex(s[3])));
                s += 3;
            } else if (*s == '\\' && s[1]) {
                s++;
                sb_addch(&n->str, *s == 'n' ? '\n' : *s == 'r' ? '\r' : *s == 't' ? '\t' : *s);
            } else {
                sb_addch(&n->str, *s);
            }
        }
        return n;
    }
    tr_node *n = tr_new('+');
    size_t len = strcspn(s, "\n");
    sb_add(&n->str, s, len);
    return n;
}

static inline void tr_emit(const tr_node *n, strbuf *out)
{
    switch (n->type) {
    case 'a':
        sb_addf(out, "*%zu\r\n", n->nkids);
        for (size_t i = 0; i < n->nkids; i++)
            tr_emit(n->kids[i], out);
        break;
    case 'i':
        sb_addf(out, ":%lld\r\n", n->integer);
        break;
    case 'n':
        sb_addstr(out, "$-1\r\n");
        break;
    case '+':
    case 'e':
        sb_addf(out, "%c%s\r\n", n->type == 'e' ? '-' : '+', n->str.buf ? n->str.buf : "");
        break;
    default:
        sb_addf(out, "$%zu\r\n", n->str.len);
        sb_add(out, n->str.buf ? n->str.buf : "", n->str.len);
        sb_addstr(out, "\r\n");
    }
}

/* Parse valkey-cli's printed reply into a hiredis reply (freeReplyObject). */
static inline redisReply *tr_parse_reply(const char *text)
{
    tr_node *stack[32];
    int depth = 0;
    tr_node *root = NULL;
    for (const char *line = text; *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        const char *p = line;
        int first = 1;
        tr_node *cur = NULL;
        for (;;) { /* items "N) " at increasing columns */
            const char *q = p;
            while (*q == ' ')
                q++;
            const char *d = q;
            while (*d >= '0' && *d <= '9')
                d++;
            if (d == q || d[0] != ')' || d[1] != ' ')
                break;
            int col = (int)(d - line);
            if (first) {
                if (!root) {
                    root = tr_new('a');
                    root->col = col;
                    stack[depth++] = root;
                }
                while (depth > 0 && stack[depth - 1]->col != col)
                    depth--;
                if (depth == 0)
                    return NULL;
                cur = stack[depth - 1];
                first = 0;
            } else { /* a nested array starts on this line */
                tr_node *a = tr_new('a');
                a->col = col;
                tr_push(cur, a);
                stack[depth++] = a;
                cur = a;
            }
            p = d + 2;
        }
        if (!root) { /* a reply that is no array */
            root = tr_value(p);
            break;
        }
        if (cur && (size_t)(p - line) < len)
            tr_push(cur, tr_value(p));
        line = nl ? nl + 1 : line + len;
    }
    if (!root)
        return NULL;
    strbuf resp = STRBUF_INIT;
    tr_emit(root, &resp);
    tr_free(root);
    redisReader *rd = redisReaderCreate();
    redisReaderFeed(rd, resp.buf, resp.len);
    void *reply = NULL;
    if (redisReaderGetReply(rd, &reply) != REDIS_OK)
        reply = NULL;
    redisReaderFree(rd);
    sb_release(&resp);
    return reply;
}

/* The nth reply to a command whose prompt starts with prompt_prefix. */
static inline redisReply *tr_reply(const char *file_text, const char *prompt_prefix, int nth)
{
    char *t = tr_text(file_text, prompt_prefix, nth);
    if (!t)
        return NULL;
    redisReply *r = tr_parse_reply(t);
    free(t);
    return r;
}

/* A file next to this header: tests/unit/data/<name>. */
static inline char *tr_data(const char *name)
{
    char path[2048];
    const char *here = __FILE__;
    const char *slash = strrchr(here, '/');
    snprintf(path, sizeof(path), "%.*s/data/%s", slash ? (int)(slash - here) : 1,
             slash ? here : ".", name);
    return tr_slurp(path, NULL);
}

#endif
