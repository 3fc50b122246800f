/* sc_yaml: a YAML document as a small tree that remembers where each node
 * was written (line and column), so that validation can point at the
 * spot.  libyaml (Debian) does the parsing; this only keeps its events.
 * Anchors and aliases, tags and multi-document streams are not needed by
 * scenarios and are refused. */
#ifndef SC_YAML_H
#define SC_YAML_H

#include <stddef.h>

#include "../util/strbuf.h"
#include "../util/vm_err.h"

typedef enum sc_kind { SC_SCALAR, SC_MAP, SC_SEQ } sc_kind;

typedef struct sc_node {
    sc_kind kind;
    int line, col;          /* 1-based, where the node starts */
    char *value;            /* SC_SCALAR */
    int quoted;             /* SC_SCALAR written in quotes (a string for sure) */
    size_t n;               /* SC_MAP: pairs, SC_SEQ: items */
    char **keys;            /* SC_MAP */
    int *key_line, *key_col;
    struct sc_node **items; /* SC_MAP values, SC_SEQ items */
} sc_node;

/* Parse text; errors read "<file>:<line>:<col>: <what>". */
int sc_yaml_parse(const char *text, size_t len, const char *file, sc_node **out, vm_err *err);
int sc_yaml_load(const char *path, sc_node **out, vm_err *err);
void sc_node_free(sc_node *n);
/* Map lookup (NULL when absent or n is not a map). */
sc_node *sc_map_get(const sc_node *n, const char *key);
/* Apply "a.b.c=value": set (or add) that scalar, creating maps on the way. */
int sc_node_set_path(sc_node *root, const char *assignment, vm_err *err);
/* Write the tree back as YAML (block style) — the resolved scenario kept in
 * the run folder for --resume. */
void sc_node_dump(const sc_node *n, strbuf *out);

#endif
