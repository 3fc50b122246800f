/* clock: monotonic time for measuring, wall time for stamping samples
 * (after Valkey's monotonic.h: one place that knows which clock is which). */
#ifndef CLOCK_H
#define CLOCK_H

#include <stdint.h>

uint64_t clk_mono_ns(void);
uint64_t clk_wall_ms(void);
/* ISO-8601 UTC with milliseconds, e.g. 2026-11-21T14:42:00.123Z (24 chars + NUL). */
void clk_iso8601(uint64_t wall_ms, char out[32]);
void clk_sleep_ns(uint64_t ns);
/* CPU seconds (user + sys) this process has used so far. */
double clk_process_cpu_s(void);
/* CPU seconds (user + sys) the calling thread has used so far. */
double clk_thread_cpu_s(void);

#endif
