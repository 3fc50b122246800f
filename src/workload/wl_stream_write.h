/* wl_stream_write: write the RESP stream of a base file (wl_stream.h gives
 * its format and reads it): every command built by the insert workload
 * (wl_ingest), so the stream is byte for byte what a prefill would send.
 * It sits above wl_ingest, which reads streams but never writes them. */
#ifndef WL_STREAM_WRITE_H
#define WL_STREAM_WRITE_H

#include <stdint.h>

#include "../dataset/ds_vecfile.h"
#include "../util/vm_err.h"

/* Write <dir>/base.resp and its .meta for ids [0, n) of base (temporary
 * files renamed into place: a crash leaves the old files or none). */
int wl_stream_write(const ds_vecfile *base, uint64_t n, const char *prefix, const char *field,
                    const char *dir, vm_err *err);

#endif
