/* Fuzz the scenario reader: YAML (src/scenario/sc_yaml.c) and validation
 * into a plan (src/scenario/sc_plan.c), then --set paths and the dump that
 * --resume reads back.  A valid plan must dump to YAML that validates
 * again. */
#include <stdint.h>
#include <string.h>

#include "scenario/sc_plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vm_err err = {0};
    sc_node *root = NULL;
    if (sc_yaml_parse((const char *)data, size, "fuzz.yaml", &root, &err) < 0)
        return 0;
    sc_node_set_path(root, "index.m=8", &err);
    sc_scenario s;
    if (sc_plan_build(root, "fuzz.yaml", &s, &err) == 0) {
        (void)sc_plan_leaf_count(s.steps, s.nsteps);
        strbuf out = STRBUF_INIT;
        sc_node_dump(root, &out);
        sc_node *again = NULL;
        sc_scenario s2;
        if (sc_yaml_parse(out.buf, out.len, "dump", &again, &err) < 0 ||
            sc_plan_build(again, "dump", &s2, &err) < 0)
            __builtin_trap(); /* a valid scenario must survive its own dump */
        sc_plan_free(&s2);
        sc_node_free(again);
        sb_release(&out);
    }
    sc_plan_free(&s);
    sc_node_free(root);
    return 0;
}
