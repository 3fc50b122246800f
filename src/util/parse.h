/* parse: strict conversions of user-typed values.  Each names the input in
 * its error ("--limit: 'abc' is not a whole number"). */
#ifndef PARSE_H
#define PARSE_H

#include <stdint.h>
#include "vm_err.h"

int parse_u64(const char *what, const char *s, uint64_t *out, vm_err *err);
int parse_int(const char *what, const char *s, int min, int max, int *out, vm_err *err);
int parse_double(const char *what, const char *s, double *out, vm_err *err);
/* A count as people write it: "1000000000", "1e9", "2.5e6", "1G" / "10M" /
 * "1k" (x1000); it must be whole.  The message does not name the input (the
 * option parser puts the option before it). */
int parse_count(const char *s, uint64_t *out, vm_err *err);
/* A size in bytes: a number (may be fractional) and a unit — binary
 * K/M/G/T, KiB/MiB/GiB/TiB (x1024^n, as `free -g` and valkey's "gb"), SI
 * KB/MB/GB/TB (x1000^n), B or none (bytes).  "64GiB" = "64G" = 64 x 2^30.
 * The message does not name the input. */
int parse_size(const char *s, uint64_t *out, vm_err *err);
/* "250ms", "1s", "1.5s", "5m", "2h", or a bare number of seconds. */
int parse_duration_ms(const char *what, const char *s, uint64_t *out_ms, vm_err *err);

#endif
