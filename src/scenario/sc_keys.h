/* sc_keys: reading the settings of a scenario — typed getters that name the
 * key and what they expected at file:line:col, and the key descriptors a
 * step's row in the step table lists (sc_steps.c): a key's name, its
 * parser, the field of sc_step it fills and the parser's bounds.
 *
 *   SC_KEY(fraction, sc_key_double, fraction, 0, 1)
 *
 * reads "fraction: 0.5" as a number within [0, 1] into sc_step.fraction. */
#ifndef SC_KEYS_H
#define SC_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "sc_plan.h"

/* Where messages point: the file being read, and the error to fill. */
typedef struct sc_parse {
    const char *file;
    vm_err *err;
} sc_parse;

/* -1 with "<file>:<line>:<col>: <message>" (no position: "<file>: ...")
 * in p->err. */
int sc_parse_at(const sc_parse *p, const yd_node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Typed getters: 0, or -1 with "'key' must be ..., got ..." at v. */
int sc_want_scalar(const sc_parse *p, const yd_node *v, const char *key, const char *what);
int sc_get_u64(const sc_parse *p, const yd_node *v, const char *key, uint64_t *out);
int sc_get_u32(const sc_parse *p, const yd_node *v, const char *key, uint32_t max, uint32_t *out);
int sc_get_double(const sc_parse *p, const yd_node *v, const char *key, double lo, double hi,
                  double *out);
int sc_get_bool(const sc_parse *p, const yd_node *v, const char *key, bool *out);
int sc_get_duration(const sc_parse *p, const yd_node *v, const char *key, uint64_t *out);
/* Replaces *out (freed) with a copy of the text. */
int sc_get_str(const sc_parse *p, const yd_node *v, const char *key, char **out);

/* Reject a key of map m not in allowed (NULL-terminated), naming where
 * and what is allowed. */
int sc_check_keys(const sc_parse *p, const yd_node *m, const char *where,
                  const char *const *allowed);

/* --- a step's keys ---------------------------------------------------------- */

typedef struct sc_key sc_key;
/* Read v (the value of key k) into step s: 0 or -1 with the error. */
typedef int (*sc_key_fn)(const sc_parse *p, const sc_key *k, const yd_node *v, sc_step *s);

struct sc_key {
    const char *name; /* NULL ends a list */
    sc_key_fn parse;
    size_t off;    /* the field of sc_step it fills */
    double lo, hi; /* the parser's bounds, where it has any */
};

#define SC_KEY(key, fn, field, lo, hi)                                                             \
    {                                                                                              \
#key, fn, offsetof(sc_step, field), lo, hi                                                 \
    }
#define SC_KEY_END                                                                                 \
    {                                                                                              \
        NULL, NULL, 0, 0, 0                                                                        \
    }

/* Parsers for SC_KEY, by the field's type. */
int sc_key_str(const sc_parse *p, const sc_key *k, const yd_node *v, sc_step *s);    /* char * */
int sc_key_bool(const sc_parse *p, const sc_key *k, const yd_node *v, sc_step *s);   /* bool */
int sc_key_u64(const sc_parse *p, const sc_key *k, const yd_node *v, sc_step *s);    /* uint64_t */
int sc_key_u32(const sc_parse *p, const sc_key *k, const yd_node *v, sc_step *s);    /* <= hi */
int sc_key_double(const sc_parse *p, const sc_key *k, const yd_node *v, sc_step *s); /* [lo, hi] */
int sc_key_duration(const sc_parse *p, const sc_key *k, const yd_node *v, sc_step *s); /* ms */
/* int: a whole number, larger ones taken as hi */
int sc_key_int_max(const sc_parse *p, const sc_key *k, const yd_node *v, sc_step *s);
/* uint64_t ops/s, 0 refused (leaving the key out is "no limit") */
int sc_key_rate(const sc_parse *p, const sc_key *k, const yd_node *v, sc_step *s);

/* The key of keys (NULL-ended) named name; NULL when there is none. */
const sc_key *sc_key_find(const sc_key *keys, const char *name);
/* sc_check_keys against the names of keys. */
int sc_check_step_keys(const sc_parse *p, const yd_node *m, const char *where, const sc_key *keys);

/* A list of steps as a setting (repeat's and parallel's steps), read by
 * the plan (sc_plan.c); where names the list in messages. */
int sc_plan_read_steps(const sc_parse *p, const yd_node *seq, const char *where, sc_step **out,
                       size_t *n);

#endif
