/* sc_yaml: see sc_yaml.h. */
#include "sc_yaml.h"

#include <stdlib.h>
#include <string.h>

int sc_yaml_parse(const char *text, size_t len, const char *file, yd_node **out, vm_err *err)
{
    return yd_parse(text, len, file, "scenario", out, err);
}

int sc_yaml_load(const char *path, yd_node **out, vm_err *err)
{
    return yd_load(path, "scenario", out, err);
}

int sc_yaml_set_path(yd_node *root, const char *assignment, vm_err *err)
{
    const char *eq = strchr(assignment, '=');
    if (!eq || eq == assignment)
        return vm_err_set(err, VM_EINPUT,
                          "--set '%s': expected key=value (e.g. dataset=PATH, index.m=32)",
                          assignment);
    if (root->kind != YD_MAP)
        return vm_err_set(err, VM_EINPUT, "--set: the scenario is not a map");
    char *path = strndup(assignment, (size_t)(eq - assignment));
    yd_node *cur = root;
    int rc = 0;
    for (char *save = NULL, *part = strtok_r(path, ".", &save); part;) {
        char *next = strtok_r(NULL, ".", &save);
        yd_node *child = yd_map_get(cur, part);
        if (!next) {
            if (child && child->kind != YD_SCALAR) {
                rc = vm_err_set(err, VM_EINPUT, "--set %s: '%s' is a %s, not a value", path, part,
                                child->kind == YD_MAP ? "map" : "list");
                break;
            }
            if (!child) {
                child = yd_new(YD_SCALAR, 0, 0);
                yd_add(cur, strdup(part), 0, 0, child);
            }
            free(child->value);
            child->value = strdup(eq + 1);
            child->quoted = 0;
            break;
        }
        if (!child) {
            child = yd_new(YD_MAP, 0, 0);
            yd_add(cur, strdup(part), 0, 0, child);
        } else if (child->kind != YD_MAP) {
            rc = vm_err_set(err, VM_EINPUT, "--set %s: '%s' is not a map", path, part);
            break;
        }
        cur = child;
        part = next;
    }
    free(path);
    return rc;
}
