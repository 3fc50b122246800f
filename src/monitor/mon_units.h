/* mon_units: what a sampled number means — its unit and whether it only
 * grows (a counter) or goes up and down (a gauge) — decided from its name.
 *
 * The names come from the sources (INFO, MEMORY STATS, MALLOC-STATS,
 * FT.INFO, /proc) and from the monitor's own fields; the rules below follow
 * their conventions (used_memory* in bytes, *_ratio, *_perc, *_usec,
 * used_cpu_* in seconds, total_* / *_count counters, ...).  One place, so the
 * long CSV's unit column, the units sidecar and the Prometheus names agree;
 * mon_fields applies them once, when a field is added. */
#ifndef MON_UNITS_H
#define MON_UNITS_H

#include <stdbool.h>

typedef enum mon_unit {
    MON_U_COUNT = 0, /* a number of things (keys, clients, docs, pages) */
    MON_U_BYTES,
    MON_U_RATIO,   /* dimensionless, 1.0 = 100 % */
    MON_U_PERCENT, /* 0..100 */
    MON_U_SECONDS,
    MON_U_MILLISECONDS,
    MON_U_MICROSECONDS,
    MON_U_NANOSECONDS,
    MON_U_PER_SECOND, /* a rate: ops/sec */
    MON_U_KB_PER_SECOND,
    MON_U_UNIX_SECONDS, /* a point in time */
} mon_unit;

/* "bytes", "ratio", "percent", "seconds", ..., "count". */
const char *mon_unit_name(mon_unit u);
mon_unit mon_unit_of(const char *field);
/* true when the field only grows while the server runs (ops, CPU time). */
bool mon_is_counter(const char *field);

#endif
