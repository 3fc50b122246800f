/* fuzz_report_csv: the report's CSV reader (rpt_data: wide and long
 * layouts, quoted cells, times in ms / seconds / ISO-8601) and the analysis
 * and model it feeds, on arbitrary bytes — a damaged run folder must give a
 * report or an error, never a crash or a hang. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "report/rpt_analyze.h"
#include "report/rpt_data.h"
#include "report/rpt_run.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = fmemopen((void *)data, size, "r");
    if (!f)
        return 0;
    rpt_run run;
    memset(&run, 0, sizeof(run));
    run.dir = "fuzz";
    rpt_data_init(&run.data);
    vm_err err = {0};
    long rows = rpt_data_read_stream(&run.data, f, "fuzz.csv", &err);
    fclose(f);
    rpt_data_finish(&run.data);
    if (rows > 0) {
        mdl_params_defaults(&run.model);
        run.model.dim = 8;
        snprintf(run.key_prefix, sizeof(run.key_prefix), "vec:");
        rpt_analysis an;
        if (rpt_analyze(&run, NULL, false, &an, &err) == 0)
            rpt_analysis_free(&an);
    }
    rpt_data_free(&run.data);
    return 0;
}
