/* ds_text: reproducible generated text for TEXT attributes, when a dataset
 * has no text of its own.
 *
 * Document `id` (an original id: an expanded copy carries its original's
 * text, so a text filter selects the same ids in every copy and the
 * filtered ground truth expands like the unfiltered one) is a run of words
 * drawn from a vocabulary of `vocab` words with Zipf frequencies
 * P(rank r) ∝ 1 / (r + 1)^s, its length uniform in [1, 2·words − 1]
 * (mean `words`).  Everything is a function of (seed, id): any loader on
 * any host writes the same text, and the query side recomputes which
 * documents hold a word without reading the server.
 *
 * Words are spelt from consonant-vowel syllables, at least two of them
 * ("bake", "dofiru"): lower case, no punctuation, never one of the
 * module's English stop words, so the server's tokenizer sees each word as
 * one term.  The index is created NOSTEM (idx.h) so no two words share a
 * stem. */
#ifndef DS_TEXT_H
#define DS_TEXT_H

#include <stdbool.h>
#include <stdint.h>

#include "../util/strbuf.h"
#include "../util/vm_err.h"

#define DS_TEXT_DEFAULT_VOCAB 10000
#define DS_TEXT_DEFAULT_WORDS 12
#define DS_TEXT_DEFAULT_ZIPF 1.0
#define DS_TEXT_MAX_VOCAB 10000000u
#define DS_TEXT_MAX_WORDS 10000u
#define DS_TEXT_WORD_MAX 32 /* bytes of the longest word, NUL included */

typedef struct ds_text_conf {
    uint32_t vocab; /* distinct words; 0 = DS_TEXT_DEFAULT_VOCAB */
    uint32_t words; /* mean words per document; 0 = DS_TEXT_DEFAULT_WORDS */
    double zipf_s;  /* Zipf exponent; 0 = DS_TEXT_DEFAULT_ZIPF */
    uint64_t seed;
} ds_text_conf;

typedef struct ds_text {
    ds_text_conf c; /* defaults filled in */
    double *cdf;    /* vocab cumulative probabilities */
} ds_text;

/* Fill in the defaults of c and check it (vocabulary 1..10M words,
 * 1..10000 words per document, exponent in (0, 10]). */
int ds_text_conf_check(ds_text_conf *c, vm_err *err);
/* ds_text_conf_check, then build the frequency table. */
int ds_text_init(ds_text *t, const ds_text_conf *c, vm_err *err);
void ds_text_free(ds_text *t);

/* The spelling of the word of rank r (0 = most frequent). */
void ds_text_word(uint32_t rank, char out[DS_TEXT_WORD_MAX]);
/* Document id's words, space-separated, appended to out. */
void ds_text_doc(const ds_text *t, uint64_t id, strbuf *out);
/* Whether document id holds the word of rank r. */
bool ds_text_contains(const ds_text *t, uint64_t id, uint32_t rank);
/* The share of documents expected to hold the word of rank r. */
double ds_text_selectivity(const ds_text *t, uint32_t rank);

#endif
