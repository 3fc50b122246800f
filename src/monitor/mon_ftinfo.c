/* mon_ftinfo: FT.INFO reply reader; see mon_ftinfo.h. */
#include "mon_ftinfo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/strbuf.h"
#include "mon_reply.h"

static bool text_is(const redisReply *r, const char *s)
{
    return r && (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS) &&
           r->len == strlen(s) && !memcmp(r->str, s, r->len);
}

/* Copy a name for use inside a field name: no CSV-breaking bytes, no dots
 * (a dot separates the parts of a field name). */
static void add_part(strbuf *sb, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        sb_addch(sb, (c == ',' || c == '"' || c == '\n' || c == '\r' || c == ' ' || c == '.') ? '_'
                                                                                              : c);
    }
}

static size_t parse_attribute(const redisReply *a, strbuf *name, mon_fields *out,
                              mon_ft_totals *tot)
{
    if (!mon_reply_is_pairs(a))
        return 0;
    const redisReply *id = mon_reply_get(a, "attribute");
    if (!id || (id->type != REDIS_REPLY_STRING && id->type != REDIS_REPLY_STATUS))
        id = mon_reply_get(a, "identifier");
    if (!id || (id->type != REDIS_REPLY_STRING && id->type != REDIS_REPLY_STATUS))
        return 0;
    size_t base = name->len, added = 0;
    sb_addch(name, '.');
    add_part(name, id->str, id->len);
    bool vector = text_is(mon_reply_get(a, "type"), "VECTOR");
    for (size_t i = 0; i + 1 < a->elements; i += 2) {
        const redisReply *k = a->element[i], *v = a->element[i + 1];
        size_t at = name->len;
        if (text_is(k, "index")) { /* the vector index's map: flatten it */
            added += mon_reply_flatten(v, name->buf, out);
            if (vector) {
                double x;
                if (mon_reply_number(mon_reply_get(v, "size"), &x) && tot)
                    tot->vector_size += x;
                if (mon_reply_number(mon_reply_get(v, "capacity"), &x) && tot)
                    tot->vector_capacity += x;
            }
            continue;
        }
        double x;
        if (!mon_reply_number(v, &x))
            continue;
        sb_addch(name, '.');
        add_part(name, k->str, k->len);
        mon_fields_add(out, name->buf, name->len, x);
        added++;
        name->len = at;
        name->buf[at] = '\0';
    }
    name->len = base;
    name->buf[base] = '\0';
    return added;
}

size_t mon_ftinfo_parse(const redisReply *r, const char *index, mon_fields *out, mon_ft_totals *tot)
{
    if (!mon_reply_is_pairs(r))
        return 0;
    strbuf name = STRBUF_INIT;
    sb_addstr(&name, "ft.");
    add_part(&name, index, strlen(index));
    size_t base = name.len, added = 0;
    bool ready = false, have_state = false;
    for (size_t i = 0; i + 1 < r->elements; i += 2) {
        const redisReply *k = r->element[i], *v = r->element[i + 1];
        if (text_is(k, "attributes")) {
            if (v && v->type == REDIS_REPLY_ARRAY)
                for (size_t j = 0; j < v->elements; j++)
                    added += parse_attribute(v->element[j], &name, out, tot);
            continue;
        }
        if (text_is(k, "state")) {
            have_state = true;
            ready = text_is(v, "ready");
            continue;
        }
        double x;
        if (text_is(k, "recent_mutations_queue_delay") && v &&
            (v->type == REDIS_REPLY_STRING || v->type == REDIS_REPLY_STATUS)) {
            /* "0 sec": a number and a unit */
            char tmp[32];
            size_t n = v->len < sizeof(tmp) - 1 ? v->len : sizeof(tmp) - 1;
            memcpy(tmp, v->str, n);
            tmp[n] = '\0';
            char *end;
            x = strtod(tmp, &end);
            if (end == tmp || (*end && strcmp(end, " sec")))
                continue;
        } else if (!mon_reply_number(v, &x)) {
            continue;
        }
        sb_addch(&name, '.');
        add_part(&name, k->str, k->len);
        mon_fields_add(out, name.buf, name.len, x);
        added++;
        name.len = base;
        name.buf[base] = '\0';
        if (!tot)
            continue;
        if (text_is(k, "num_docs"))
            tot->num_docs += x;
        else if (text_is(k, "num_records"))
            tot->num_records += x;
        else if (text_is(k, "mutation_queue_size"))
            tot->mutation_queue_size += x;
        else if (text_is(k, "hash_indexing_failures"))
            tot->hash_indexing_failures += x;
        else if (text_is(k, "backfill_in_progress") && x != 0)
            tot->backfilling += 1;
    }
    if (have_state) {
        sb_addstr(&name, ".state_ready");
        mon_fields_add(out, name.buf, name.len, ready ? 1 : 0);
        added++;
        if (tot && !ready)
            tot->not_ready += 1;
    }
    if (tot && added)
        tot->indexes += 1;
    sb_release(&name);
    return added;
}

void mon_ftinfo_totals(const mon_ft_totals *t, mon_fields *out)
{
    mon_fields_set(out, "ft.indexes", t->indexes);
    mon_fields_set(out, "ft.num_docs", t->num_docs);
    mon_fields_set(out, "ft.num_records", t->num_records);
    mon_fields_set(out, "ft.vector_size", t->vector_size);
    mon_fields_set(out, "ft.vector_capacity", t->vector_capacity);
    mon_fields_set(out, "ft.mutation_queue_size", t->mutation_queue_size);
    mon_fields_set(out, "ft.hash_indexing_failures", t->hash_indexing_failures);
    mon_fields_set(out, "ft.backfilling", t->backfilling);
    mon_fields_set(out, "ft.not_ready", t->not_ready);
}
