/* parse: strict conversions of user-typed values.  Each names the input in
 * its error ("--limit: 'abc' is not a whole number"). */
#ifndef PARSE_H
#define PARSE_H

#include <stdint.h>
#include "vm_err.h"

int parse_u64(const char *what, const char *s, uint64_t *out, vm_err *err);
int parse_int(const char *what, const char *s, int min, int max, int *out, vm_err *err);
int parse_double(const char *what, const char *s, double *out, vm_err *err);
/* "250ms", "1s", "1.5s", "5m", "2h", or a bare number of seconds. */
int parse_duration_ms(const char *what, const char *s, uint64_t *out_ms, vm_err *err);

#endif
