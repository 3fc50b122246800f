/* ds_checksum: SHA-256 of files and byte streams (OpenSSL EVP), for the
 * manifest of a prepared folder, `dataset verify` and verified downloads. */
#ifndef DS_CHECKSUM_H
#define DS_CHECKSUM_H

#include <stddef.h>
#include <stdint.h>

#include "../util/vm_err.h"

typedef struct ds_sha256 ds_sha256;

ds_sha256 *ds_sha256_new(void);
void ds_sha256_add(ds_sha256 *h, const void *p, size_t n);
/* Finish into 64 hex digits + NUL and free h. */
void ds_sha256_hex(ds_sha256 *h, char out[65]);
/* The whole file (streamed); 0 or -1 with err naming the file. */
int ds_sha256_file(const char *path, char out[65], vm_err *err);

#endif
