/* mon_info: parse the text of an INFO reply into numeric fields.
 *
 * INFO is "# Section" headers and "name:value" lines.  Every value that is a
 * whole number or a decimal (optionally with a trailing '%', as in
 * used_memory_peak_perc) becomes a field; text values (used_memory_human,
 * maxmemory_policy, ...) are skipped, and "name:k=v,k=v" lines (keyspace,
 * commandstats, search latency percentiles) become name.k fields; the
 * "module:name=...,ver=..." lines of INFO MODULES are skipped.  Input is
 * untrusted: any bytes parse.  The fields go to a mon_fields set
 * (mon_fields.h). */
#ifndef MON_INFO_H
#define MON_INFO_H

#include <stdbool.h>
#include <stddef.h>

#include "mon_fields.h"

/* Append the numeric fields of an INFO text to out; returns how many. */
size_t mon_info_parse(const char *text, size_t len, mon_fields *out);
/* The text of field key ("redis_version") in an INFO text, NUL-terminated
 * and cut to cap - 1 bytes: true when the field is there. */
bool mon_info_str(const char *text, size_t len, const char *key, char *out, size_t cap);

#endif
