/* fuzz_mon_reply: nested replies (MEMORY STATS, FT.INFO) come from the
 * server: the bytes are read by hiredis's reader (as on a real connection)
 * and every reply tree it accepts goes through the flattener and the
 * FT.INFO reader. */
#include <stddef.h>
#include <stdint.h>

#include <hiredis/hiredis.h>

#include "monitor/mon_ftinfo.h"
#include "monitor/mon_reply.h"

/* hiredis allocates what a "*N" or "$N" header announces before the data
 * arrives: a count of 8 digits or more is an allocation test of hiredis,
 * not of us. */
static int huge_count(const uint8_t *d, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (d[i] != '*' && d[i] != '$')
            continue;
        size_t j = i + 1, digits = 0;
        while (j < n && d[j] >= '0' && d[j] <= '9')
            j++, digits++;
        if (digits >= 7)
            return 1;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (huge_count(data, size))
        return 0;
    redisReader *rd = redisReaderCreate();
    if (!rd)
        return 0;
    redisReaderFeed(rd, (const char *)data, size);
    for (int i = 0; i < 16; i++) {
        void *r = NULL;
        if (redisReaderGetReply(rd, &r) != REDIS_OK || !r)
            break;
        mon_fields f = {0};
        mon_ft_totals tot = {0};
        mon_reply_flatten(r, "memstats", &f);
        mon_ftinfo_parse(r, "idx", &f, &tot);
        mon_ftinfo_totals(&tot, &f);
        mon_fields_free(&f);
        freeReplyObject(r);
    }
    redisReaderFree(rd);
    return 0;
}
