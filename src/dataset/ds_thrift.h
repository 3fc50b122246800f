/* ds_thrift: a reader of the Thrift compact protocol, enough to decode
 * parquet's file metadata and page headers (ds_parquet.c).
 *
 * Hand-written because parquet's metadata is the only Thrift the tool
 * reads: Debian's libthrift-c-glib would pull in GObject and generated code
 * for a few hundred lines of decoding, and there is no C parquet library in
 * Debian (Arrow's is C++ and not packaged for bookworm).  The cursor never
 * reads past end, limits nesting depth, and reports failure instead of
 * trusting lengths: its input is untrusted (fuzz/fuzz_parquet.c). */
#ifndef DS_THRIFT_H
#define DS_THRIFT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    TC_STOP = 0, TC_TRUE = 1, TC_FALSE = 2, TC_BYTE = 3, TC_I16 = 4, TC_I32 = 5,
    TC_I64 = 6, TC_DOUBLE = 7, TC_BINARY = 8, TC_LIST = 9, TC_SET = 10, TC_MAP = 11,
    TC_STRUCT = 12,
};

typedef struct tc_cur {
    const uint8_t *p, *end;
    int depth;
    bool bad;          /* sticky: any read past end or malformed value */
} tc_cur;

void tc_init(tc_cur *c, const uint8_t *p, size_t len);
/* Next field header of the current struct: returns 1 with *id and *type,
 * 0 at the struct's STOP, -1 when malformed.  *last is the previous id
 * (start a struct with 0). */
int tc_field(tc_cur *c, int16_t *last, int16_t *id, uint8_t *type);
uint64_t tc_uvarint(tc_cur *c);
int64_t tc_int(tc_cur *c); /* zigzag i16 / i32 / i64 */
/* Binary / string: pointer into the buffer and its length. */
const uint8_t *tc_binary(tc_cur *c, size_t *len);
/* List or set header: element type and count (count is checked against
 * the bytes left, at least one byte per element). */
int tc_list(tc_cur *c, uint8_t *etype, uint32_t *count);
/* Skip one value of the given type (recursive for containers). */
void tc_skip(tc_cur *c, uint8_t type);
/* Enter / leave a nested struct (depth check). */
bool tc_enter(tc_cur *c);
void tc_leave(tc_cur *c);

#endif
