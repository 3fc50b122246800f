/* rpt_page: the report as people read it — one self-contained HTML page
 * (index.html: inline styles, no scripts, no fonts or anything fetched; the
 * PNG plots are embedded as data: URIs and the SVGs linked as sibling files
 * in plots/) and a Markdown summary (summary.md, plots referenced
 * relatively).  Sections, in order, with these ids in the HTML: findings,
 * plots, phases, model, scenario, environment, nodes, notes. */
#ifndef RPT_PAGE_H
#define RPT_PAGE_H

#include "rpt_analyze.h"
#include "rpt_plot.h"
#include "rpt_run.h"

/* Write out_dir/index.html and out_dir/summary.md (plots are in
 * out_dir/plots); generator names the tool in the footer.  -1 with err
 * when a file cannot be written. */
int rpt_page_write(const rpt_run *run, const rpt_analysis *an, const rpt_plots *plots,
                   const char *out_dir, const char *generator, vm_err *err);

#endif
