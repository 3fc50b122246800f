/* sc_yaml: a scenario as a YAML document (util/yaml_doc.h) with the
 * scenario's own rules on top: one scenario per file, and the --set
 * overrides of the command line applied to the tree before it is checked
 * (sc_plan.h). */
#ifndef SC_YAML_H
#define SC_YAML_H

#include <stddef.h>

#include "../util/vm_err.h"
#include "../util/yaml_doc.h"

/* Parse a scenario's text; errors read "<file>:<line>:<col>: <what>". */
int sc_yaml_parse(const char *text, size_t len, const char *file, yd_node **out, vm_err *err);
int sc_yaml_load(const char *path, yd_node **out, vm_err *err);
/* Apply "a.b.c=value": set (or add) that scalar, creating maps on the way. */
int sc_yaml_set_path(yd_node *root, const char *assignment, vm_err *err);

#endif
