/* yaml_doc: see yaml_doc.h. */
#include "yaml_doc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

yd_node *yd_new(yd_kind k, int line, int col)
{
    yd_node *n = calloc(1, sizeof(*n));
    if (!n)
        abort();
    n->kind = k;
    n->line = line;
    n->col = col;
    return n;
}

void yd_free(yd_node *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->n; i++) {
        if (n->keys)
            free(n->keys[i]);
        yd_free(n->items[i]);
    }
    free(n->keys);
    free(n->key_line);
    free(n->key_col);
    free(n->items);
    free(n->value);
    free(n);
}

void yd_add(yd_node *parent, char *key, int kl, int kc, yd_node *child)
{
    parent->items = realloc(parent->items, (parent->n + 1) * sizeof(*parent->items));
    if (parent->kind == YD_MAP) {
        parent->keys = realloc(parent->keys, (parent->n + 1) * sizeof(char *));
        parent->key_line = realloc(parent->key_line, (parent->n + 1) * sizeof(int));
        parent->key_col = realloc(parent->key_col, (parent->n + 1) * sizeof(int));
        parent->keys[parent->n] = key;
        parent->key_line[parent->n] = kl;
        parent->key_col[parent->n] = kc;
    }
    parent->items[parent->n++] = child;
}

yd_node *yd_map_get(const yd_node *n, const char *key)
{
    if (!n || n->kind != YD_MAP)
        return NULL;
    for (size_t i = 0; i < n->n; i++)
        if (!strcmp(n->keys[i], key))
            return n->items[i];
    return NULL;
}

/* --- reading: libyaml events onto a stack of open containers -------------- */

#define YD_MAX_DEPTH 64

typedef struct frame {
    yd_node *node;
    char *pending_key; /* map: key read, value not yet */
    int kl, kc;
} frame;

typedef struct reader {
    yaml_parser_t p;
    const char *file, *doc;
    vm_err *err;
    frame st[YD_MAX_DEPTH];
    int depth, docs;
    yd_node *root;
} reader;

/* What a stream may not hold: a second document, an alias.  -1 with err. */
static int refuse_event(reader *rd, const yaml_event_t *ev, int line, int col)
{
    if (ev->type == YAML_DOCUMENT_START_EVENT && ++rd->docs > 1)
        return vm_err_set(rd->err, VM_EINPUT,
                          "%s:%d:%d: one %s per file (a second document starts here)", rd->file,
                          line, col, rd->doc ? rd->doc : "document");
    if (ev->type == YAML_ALIAS_EVENT)
        return vm_err_set(rd->err, VM_EINPUT, "%s:%d:%d: anchors and aliases are not supported",
                          rd->file, line, col);
    return 0;
}

/* The node an event starts (NULL: the event starts none). */
static yd_node *node_of(const yaml_event_t *ev, int line, int col)
{
    yd_node *made = NULL;
    if (ev->type == YAML_SCALAR_EVENT) {
        made = yd_new(YD_SCALAR, line, col);
        made->value = strndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
        made->quoted = ev->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
                       ev->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
    } else if (ev->type == YAML_MAPPING_START_EVENT || ev->type == YAML_SEQUENCE_START_EVENT) {
        made = yd_new(ev->type == YAML_MAPPING_START_EVENT ? YD_MAP : YD_SEQ, line, col);
    }
    return made;
}

/* A scalar read where a map expects a key: kept as the pending key.
 * -1 with err (made is freed either way). */
static int take_key(reader *rd, frame *f, yd_node *made, int line, int col)
{
    int rc = 0;
    if (made->kind != YD_SCALAR)
        rc = vm_err_set(rd->err, VM_EINPUT, "%s:%d:%d: a map key must be a plain word", rd->file,
                        line, col);
    else if (yd_map_get(f->node, made->value))
        rc = vm_err_set(rd->err, VM_EINPUT, "%s:%d:%d: '%s' is given twice", rd->file, line, col,
                        made->value);
    if (rc == 0) {
        f->pending_key = made->value;
        f->kl = made->line;
        f->kc = made->col;
        made->value = NULL;
    }
    yd_free(made);
    return rc;
}

/* Attach made to the open container, or make it the root (a second root is
 * dropped), and open it when it is a container.  -1 with err. */
static int attach(reader *rd, yd_node *made, int line, int col)
{
    if (rd->depth == 0) {
        if (rd->root) {
            yd_free(made);
            return 0;
        }
        rd->root = made;
    } else {
        frame *f = &rd->st[rd->depth - 1];
        if (f->node->kind == YD_SEQ) {
            yd_add(f->node, NULL, 0, 0, made);
        } else if (!f->pending_key) {
            return take_key(rd, f, made, line, col);
        } else {
            yd_add(f->node, f->pending_key, f->kl, f->kc, made);
            f->pending_key = NULL;
        }
    }
    if (made->kind != YD_SCALAR) {
        if (rd->depth == YD_MAX_DEPTH)
            return vm_err_set(rd->err, VM_EINPUT, "%s:%d:%d: nested too deeply", rd->file, line,
                              col);
        rd->st[rd->depth].node = made;
        rd->st[rd->depth].pending_key = NULL;
        rd->depth++;
    }
    return 0;
}

/* One event.  1: the stream ended; 0: go on; -1 with err. */
static int on_event(reader *rd, yaml_event_t *ev)
{
    int line = (int)ev->start_mark.line + 1, col = (int)ev->start_mark.column + 1;
    if (ev->type == YAML_STREAM_END_EVENT)
        return 1;
    if (refuse_event(rd, ev, line, col) < 0)
        return -1;
    if (ev->type == YAML_MAPPING_END_EVENT || ev->type == YAML_SEQUENCE_END_EVENT) {
        rd->depth--;
        return 0;
    }
    yd_node *made = node_of(ev, line, col);
    return made ? attach(rd, made, line, col) : 0;
}

int yd_parse(const char *text, size_t len, const char *file, const char *doc, yd_node **out,
             vm_err *err)
{
    reader rd = {.file = file, .doc = doc, .err = err};
    *out = NULL;
    if (!yaml_parser_initialize(&rd.p))
        return vm_err_set(err, VM_ENOMEM, "%s: cannot start the YAML parser", file);
    yaml_parser_set_input_string(&rd.p, (const unsigned char *)text, len);
    int rc = 0;
    while (rc == 0) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&rd.p, &ev)) {
            const yaml_parser_t *p = &rd.p;
            rc = vm_err_set(err, VM_EINPUT, "%s:%zu:%zu: %s%s%s", file, p->problem_mark.line + 1,
                            p->problem_mark.column + 1, p->problem ? p->problem : "invalid YAML",
                            p->context ? " " : "", p->context ? p->context : "");
            break;
        }
        rc = on_event(&rd, &ev);
        yaml_event_delete(&ev);
    }
    for (int i = 0; i < rd.depth; i++)
        free(rd.st[i].pending_key);
    yaml_parser_delete(&rd.p);
    if (rc < 0) {
        yd_free(rd.root);
        return -1;
    }
    if (!rd.root)
        return vm_err_set(err, VM_EINPUT, "%s: the file is empty", file);
    *out = rd.root;
    return 0;
}

int yd_load(const char *path, const char *doc, yd_node **out, vm_err *err)
{
    strbuf sb = STRBUF_INIT;
    if (sb_read_file(&sb, path) < 0) {
        sb_release(&sb);
        return vm_err_set(err, VM_EINPUT, "%s: %s", path, strerror(errno));
    }
    int rc = yd_parse(sb.buf, sb.len, path, doc, out, err);
    sb_release(&sb);
    return rc;
}

/* --- writing ---------------------------------------------------------------- */

static void dump_scalar(const char *v, strbuf *out)
{
    /* quote anything that YAML could read as something else */
    int plain = *v && !strpbrk(v, ":#{}[],&*!|>'\"%@`\n") && v[0] != ' ' && v[0] != '-' &&
                v[strlen(v) - 1] != ' ';
    if (plain) {
        sb_addstr(out, v);
        return;
    }
    sb_addch(out, '"');
    for (; *v; v++) {
        if (*v == '"' || *v == '\\')
            sb_addch(out, '\\');
        if (*v == '\n')
            sb_addstr(out, "\\n");
        else
            sb_addch(out, *v);
    }
    sb_addch(out, '"');
}

static void dump(const yd_node *n, int indent, strbuf *out)
{
    if (n->kind == YD_SCALAR) {
        dump_scalar(n->value, out);
        sb_addch(out, '\n');
        return;
    }
    if (n->n == 0) {
        sb_addstr(out, n->kind == YD_MAP ? "{}\n" : "[]\n");
        return;
    }
    sb_addch(out, '\n');
    for (size_t i = 0; i < n->n; i++) {
        for (int j = 0; j < indent; j++)
            sb_addch(out, ' ');
        if (n->kind == YD_MAP) {
            dump_scalar(n->keys[i], out);
            sb_addstr(out, ": ");
        } else {
            sb_addstr(out, "- ");
        }
        dump(n->items[i], indent + 2, out);
    }
}

void yd_dump(const yd_node *n, strbuf *out)
{
    if (n->kind == YD_SCALAR) {
        dump(n, 0, out);
        return;
    }
    /* top level without the leading newline */
    strbuf tmp = STRBUF_INIT;
    dump(n, 0, &tmp);
    sb_add(out, tmp.buf + 1, tmp.len - 1);
    sb_release(&tmp);
}
