/* Fuzz the scenario reader: YAML (src/util/yaml_doc.c, src/scenario/sc_yaml.c) and validation
 * into a plan (src/scenario/sc_plan.c), then --set paths and the dump that
 * --resume reads back.  A valid plan must dump to YAML that validates
 * again. */
#include <stdint.h>
#include <string.h>

#include "scenario/sc_plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vm_err err = {0};
    yd_node *root = NULL;
    if (sc_yaml_parse((const char *)data, size, "fuzz.yaml", &root, &err) < 0)
        return 0;
    sc_yaml_set_path(root, "index.m=8", &err);
    sc_scenario s;
    if (sc_plan_build(root, "fuzz.yaml", &s, &err) == 0) {
        (void)sc_plan_leaf_count(s.steps, s.nsteps);
        strbuf out = STRBUF_INIT;
        yd_dump(root, &out);
        yd_node *again = NULL;
        sc_scenario s2;
        if (sc_yaml_parse(out.buf, out.len, "dump", &again, &err) < 0 ||
            sc_plan_build(again, "dump", &s2, &err) < 0)
            __builtin_trap(); /* a valid scenario must survive its own dump */
        sc_plan_free(&s2);
        yd_free(again);
        sb_release(&out);
    }
    sc_plan_free(&s);
    yd_free(root);
    return 0;
}
