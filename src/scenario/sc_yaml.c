/* sc_yaml: see sc_yaml.h. */
#include "sc_yaml.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "../util/strbuf.h"

static sc_node *node_new(sc_kind k, int line, int col)
{
    sc_node *n = calloc(1, sizeof(*n));
    if (!n)
        abort();
    n->kind = k;
    n->line = line;
    n->col = col;
    return n;
}

void sc_node_free(sc_node *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->n; i++) {
        if (n->keys)
            free(n->keys[i]);
        sc_node_free(n->items[i]);
    }
    free(n->keys);
    free(n->key_line);
    free(n->key_col);
    free(n->items);
    free(n->value);
    free(n);
}

static void add_item(sc_node *parent, char *key, int kl, int kc, sc_node *child)
{
    parent->items = realloc(parent->items, (parent->n + 1) * sizeof(*parent->items));
    if (parent->kind == SC_MAP) {
        parent->keys = realloc(parent->keys, (parent->n + 1) * sizeof(char *));
        parent->key_line = realloc(parent->key_line, (parent->n + 1) * sizeof(int));
        parent->key_col = realloc(parent->key_col, (parent->n + 1) * sizeof(int));
        parent->keys[parent->n] = key;
        parent->key_line[parent->n] = kl;
        parent->key_col[parent->n] = kc;
    }
    parent->items[parent->n++] = child;
}

sc_node *sc_map_get(const sc_node *n, const char *key)
{
    if (!n || n->kind != SC_MAP)
        return NULL;
    for (size_t i = 0; i < n->n; i++)
        if (!strcmp(n->keys[i], key))
            return n->items[i];
    return NULL;
}

typedef struct frame {
    sc_node *node;
    char *pending_key; /* map: key read, value not yet */
    int kl, kc;
} frame;

int sc_yaml_parse(const char *text, size_t len, const char *file, sc_node **out, vm_err *err)
{
    yaml_parser_t p;
    yaml_event_t ev;
    *out = NULL;
    if (!yaml_parser_initialize(&p))
        return vm_err_set(err, VM_ENOMEM, "%s: cannot start the YAML parser", file);
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    frame st[64];
    int depth = 0, rc = 0, docs = 0;
    sc_node *root = NULL;
    for (;;) {
        if (!yaml_parser_parse(&p, &ev)) {
            rc = vm_err_set(err, VM_EINPUT, "%s:%zu:%zu: %s%s%s", file, p.problem_mark.line + 1,
                            p.problem_mark.column + 1, p.problem ? p.problem : "invalid YAML",
                            p.context ? " " : "", p.context ? p.context : "");
            break;
        }
        int line = (int)ev.start_mark.line + 1, col = (int)ev.start_mark.column + 1;
        yaml_event_type_t t = ev.type;
        if (t == YAML_STREAM_END_EVENT) {
            yaml_event_delete(&ev);
            break;
        }
        if (t == YAML_DOCUMENT_START_EVENT && ++docs > 1) {
            rc = vm_err_set(err, VM_EINPUT, "%s:%d:%d: one scenario per file (a second document starts here)", file, line, col);
            yaml_event_delete(&ev);
            break;
        }
        if (t == YAML_ALIAS_EVENT) {
            rc = vm_err_set(err, VM_EINPUT, "%s:%d:%d: anchors and aliases are not supported", file, line, col);
            yaml_event_delete(&ev);
            break;
        }
        sc_node *made = NULL;
        if (t == YAML_SCALAR_EVENT) {
            made = node_new(SC_SCALAR, line, col);
            made->value = strndup((const char *)ev.data.scalar.value, ev.data.scalar.length);
            made->quoted = ev.data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
                           ev.data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
        } else if (t == YAML_MAPPING_START_EVENT || t == YAML_SEQUENCE_START_EVENT) {
            made = node_new(t == YAML_MAPPING_START_EVENT ? SC_MAP : SC_SEQ, line, col);
        } else if (t == YAML_MAPPING_END_EVENT || t == YAML_SEQUENCE_END_EVENT) {
            depth--;
            yaml_event_delete(&ev);
            continue;
        } else {
            yaml_event_delete(&ev);
            continue;
        }
        yaml_event_delete(&ev);
        /* attach `made` to the open container, or make it the root */
        if (depth == 0) {
            if (root) {
                sc_node_free(made);
                continue;
            }
            root = made;
        } else {
            frame *f = &st[depth - 1];
            if (f->node->kind == SC_SEQ) {
                add_item(f->node, NULL, 0, 0, made);
            } else if (!f->pending_key) {
                if (made->kind != SC_SCALAR) {
                    rc = vm_err_set(err, VM_EINPUT, "%s:%d:%d: a map key must be a plain word", file, line, col);
                    sc_node_free(made);
                    break;
                }
                if (sc_map_get(f->node, made->value)) {
                    rc = vm_err_set(err, VM_EINPUT, "%s:%d:%d: '%s' is given twice", file, line, col, made->value);
                    sc_node_free(made);
                    break;
                }
                f->pending_key = made->value;
                f->kl = made->line;
                f->kc = made->col;
                made->value = NULL;
                sc_node_free(made);
                continue;
            } else {
                add_item(f->node, f->pending_key, f->kl, f->kc, made);
                f->pending_key = NULL;
            }
        }
        if (made->kind != SC_SCALAR) {
            if (depth == 64) {
                rc = vm_err_set(err, VM_EINPUT, "%s:%d:%d: nested too deeply", file, line, col);
                break;
            }
            st[depth].node = made;
            st[depth].pending_key = NULL;
            depth++;
        }
    }
    for (int i = 0; i < depth; i++)
        free(st[i].pending_key);
    yaml_parser_delete(&p);
    if (rc < 0) {
        sc_node_free(root);
        return -1;
    }
    if (!root)
        return vm_err_set(err, VM_EINPUT, "%s: the file is empty", file);
    *out = root;
    return 0;
}

int sc_yaml_load(const char *path, sc_node **out, vm_err *err)
{
    strbuf sb = STRBUF_INIT;
    if (sb_read_file(&sb, path) < 0) {
        sb_release(&sb);
        return vm_err_set(err, VM_EINPUT, "%s: %s", path, strerror(errno));
    }
    int rc = sc_yaml_parse(sb.buf, sb.len, path, out, err);
    sb_release(&sb);
    return rc;
}

int sc_node_set_path(sc_node *root, const char *assignment, vm_err *err)
{
    const char *eq = strchr(assignment, '=');
    if (!eq || eq == assignment)
        return vm_err_set(err, VM_EINPUT, "--set '%s': expected key=value (e.g. dataset=PATH, index.m=32)", assignment);
    if (root->kind != SC_MAP)
        return vm_err_set(err, VM_EINPUT, "--set: the scenario is not a map");
    char *path = strndup(assignment, (size_t)(eq - assignment));
    sc_node *cur = root;
    int rc = 0;
    for (char *save = NULL, *part = strtok_r(path, ".", &save); part;) {
        char *next = strtok_r(NULL, ".", &save);
        sc_node *child = sc_map_get(cur, part);
        if (!next) {
            if (child && child->kind != SC_SCALAR) {
                rc = vm_err_set(err, VM_EINPUT, "--set %s: '%s' is a %s, not a value", path,
                                part, child->kind == SC_MAP ? "map" : "list");
                break;
            }
            if (!child) {
                child = node_new(SC_SCALAR, 0, 0);
                add_item(cur, strdup(part), 0, 0, child);
            }
            free(child->value);
            child->value = strdup(eq + 1);
            child->quoted = 0;
            break;
        }
        if (!child) {
            child = node_new(SC_MAP, 0, 0);
            add_item(cur, strdup(part), 0, 0, child);
        } else if (child->kind != SC_MAP) {
            rc = vm_err_set(err, VM_EINPUT, "--set %s: '%s' is not a map", path, part);
            break;
        }
        cur = child;
        part = next;
    }
    free(path);
    return rc;
}

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

static void dump(const sc_node *n, int indent, strbuf *out)
{
    if (n->kind == SC_SCALAR) {
        dump_scalar(n->value, out);
        sb_addch(out, '\n');
        return;
    }
    if (n->n == 0) {
        sb_addstr(out, n->kind == SC_MAP ? "{}\n" : "[]\n");
        return;
    }
    sb_addch(out, '\n');
    for (size_t i = 0; i < n->n; i++) {
        for (int j = 0; j < indent; j++)
            sb_addch(out, ' ');
        if (n->kind == SC_MAP) {
            dump_scalar(n->keys[i], out);
            sb_addstr(out, ": ");
        } else {
            sb_addstr(out, "- ");
        }
        dump(n->items[i], indent + 2, out);
    }
}

void sc_node_dump(const sc_node *n, strbuf *out)
{
    if (n->kind == SC_SCALAR) {
        dump(n, 0, out);
        return;
    }
    /* top level without the leading newline */
    strbuf tmp = STRBUF_INIT;
    dump(n, 0, &tmp);
    sb_add(out, tmp.buf + 1, tmp.len - 1);
    sb_release(&tmp);
}
