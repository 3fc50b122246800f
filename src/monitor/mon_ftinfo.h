/* mon_ftinfo: read valkey-search's FT.INFO reply into numeric fields.
 *
 * FT.INFO (valkey-search 1.0) answers name/value pairs: num_docs,
 * num_records, hash_indexing_failures, backfill_in_progress,
 * backfill_complete_percent, mutation_queue_size, recent_mutations_queue_delay
 * ("0 sec"), state ("ready"), and an "attributes" list in which a VECTOR
 * attribute carries an "index" map with capacity, dimensions, size and its
 * algorithm parameters.  It has no memory figure (that is
 * search_used_memory_bytes in INFO SEARCH).  Fields are named
 *   ft.<index>.<name>             index level (state becomes state_ready 0/1)
 *   ft.<index>.<attribute>.<name> attribute level (size, capacity, dimensions,
 *                                 algorithm.m, ...)
 * and the totals over a node's indexes (mon_ftinfo_totals) as ft.<name>.
 * Input is untrusted: any reply tree is accepted. */
#ifndef MON_FTINFO_H
#define MON_FTINFO_H

#include <hiredis/hiredis.h>

#include "mon_fields.h"

/* Summed over the indexes of one node. */
typedef struct mon_ft_totals {
    double indexes;
    double num_docs;
    double num_records;
    double vector_size;     /* vectors held, summed over vector attributes */
    double vector_capacity; /* slots allocated, summed over vector attributes */
    double mutation_queue_size;
    double hash_indexing_failures;
    double backfilling; /* indexes with backfill_in_progress != 0 */
    double not_ready;   /* indexes whose state is not "ready" */
} mon_ft_totals;

/* Append the fields of one FT.INFO reply for index; adds to *tot when not
 * NULL.  Returns the number of fields added (0 for an error or odd reply). */
size_t mon_ftinfo_parse(const redisReply *r, const char *index, mon_fields *out,
                        mon_ft_totals *tot);

/* Append ft.indexes, ft.num_docs, ... from the totals. */
void mon_ftinfo_totals(const mon_ft_totals *tot, mon_fields *out);

#endif
