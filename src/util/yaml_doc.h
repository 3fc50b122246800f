/* yaml_doc: a YAML document as a small tree that remembers where each node
 * was written (line and column), so that whoever checks it can point at the
 * spot.  libyaml (Debian) does the parsing; this only keeps its events.
 * Anchors and aliases, tags and multi-document streams are not needed by
 * the tool's files (scenarios, a run's scenario.yaml) and are refused.
 *
 * Used by the scenario layer (which adds its own rules on top, sc_yaml.h)
 * and by the report (which reads a run's scenario.yaml as plain YAML). */
#ifndef YAML_DOC_H
#define YAML_DOC_H

#include <stddef.h>

#include "strbuf.h"
#include "vm_err.h"

typedef enum yd_kind { YD_SCALAR, YD_MAP, YD_SEQ } yd_kind;

typedef struct yd_node {
    yd_kind kind;
    int line, col; /* 1-based, where the node starts; 0 = made in code */
    char *value;   /* YD_SCALAR */
    int quoted;    /* YD_SCALAR written in quotes (a string for sure) */
    size_t n;      /* YD_MAP: pairs, YD_SEQ: items */
    char **keys;   /* YD_MAP */
    int *key_line, *key_col;
    struct yd_node **items; /* YD_MAP values, YD_SEQ items */
} yd_node;

/* Parse text holding one document into *out (the caller frees it with
 * yd_free).  Errors read "<file>:<line>:<col>: <what>" (or "<file>: <what>"
 * when there is no position); doc names what a document is in the message
 * refusing a second one ("one <doc> per file"), NULL for "document". */
int yd_parse(const char *text, size_t len, const char *file, const char *doc, yd_node **out,
             vm_err *err);
/* The same for a file; a file that cannot be read is "<path>: <errno text>". */
int yd_load(const char *path, const char *doc, yd_node **out, vm_err *err);
void yd_free(yd_node *n);

/* Map lookup (NULL when absent or n is not a map). */
yd_node *yd_map_get(const yd_node *n, const char *key);
/* A new empty node (abort on no memory, like strbuf). */
yd_node *yd_new(yd_kind kind, int line, int col);
/* Append child to a map (under key, which the map takes over, written at
 * key_line:key_col) or to a list (key NULL). */
void yd_add(yd_node *parent, char *key, int key_line, int key_col, yd_node *child);

/* Write the tree back as YAML (block style, scalars quoted where YAML could
 * read them as something else); yd_parse reads it back to the same tree. */
void yd_dump(const yd_node *n, strbuf *out);

#endif
