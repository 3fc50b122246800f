/* mon_reply: flatten a nested RESP reply (MEMORY STATS, FT.INFO's
 * attributes) into numeric fields with dotted names.
 *
 * A reply array whose even elements are all strings is read as name/value
 * pairs (RESP2 spelling of a map; RESP3 maps are read the same way); any
 * other array is indexed by position.  Leaves that are integers, doubles or
 * strings holding a whole number or decimal become fields named
 * "<prefix>.<key>.<key>..."; text leaves are skipped.  So MEMORY STATS's
 * "db.0" => ["overhead.hashtable.main", 744] becomes
 * "memstats.db.0.overhead.hashtable.main" = 744.  Input is untrusted: any
 * reply tree is accepted and nesting deeper than MON_REPLY_MAX_DEPTH is
 * ignored. */
#ifndef MON_REPLY_H
#define MON_REPLY_H

#include <stdbool.h>

#include <hiredis/hiredis.h>

#include "mon_fields.h"

#define MON_REPLY_MAX_DEPTH 8

/* Append the numeric leaves of r under prefix (may be "" for none); returns
 * how many fields were added. */
size_t mon_reply_flatten(const redisReply *r, const char *prefix, mon_fields *out);

/* The number a leaf holds (integer, double, or a numeric string, with an
 * optional trailing '%'); false for anything else. */
bool mon_reply_number(const redisReply *r, double *out);

/* true when r is an array of name/value pairs (even length, string names). */
bool mon_reply_is_pairs(const redisReply *r);

/* In a pairs array, the value named key, or NULL. */
const redisReply *mon_reply_get(const redisReply *r, const char *key);

#endif
