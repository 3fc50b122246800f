/* ds_text: generated Zipf text; see ds_text.h. */
#include "ds_text.h"

#include <math.h>
#include <stdlib.h>

#include "../util/rng.h"

static const char consonants[] = "bdfgklmnprtvz";
static const char vowels[] = "aeiou";
#define SYLLABLES ((sizeof(consonants) - 1) * (sizeof(vowels) - 1))

int ds_text_conf_check(ds_text_conf *c, vm_err *err)
{
    if (!c->vocab)
        c->vocab = DS_TEXT_DEFAULT_VOCAB;
    if (!c->words)
        c->words = DS_TEXT_DEFAULT_WORDS;
    if (c->zipf_s == 0)
        c->zipf_s = DS_TEXT_DEFAULT_ZIPF;
    if (c->vocab > DS_TEXT_MAX_VOCAB)
        return vm_err_param(err, "text_vocab", VM_EINPUT,
                            "a vocabulary of %u words is more than %u", c->vocab,
                            DS_TEXT_MAX_VOCAB);
    if (c->words > DS_TEXT_MAX_WORDS)
        return vm_err_param(err, "text_words", VM_EINPUT, "%u words per document is more than %u",
                            c->words, DS_TEXT_MAX_WORDS);
    if (!(c->zipf_s > 0 && c->zipf_s <= 10))
        return vm_err_param(err, "text_zipf", VM_EINPUT, "Zipf exponent %g is not in (0, 10]",
                            c->zipf_s);
    return 0;
}

int ds_text_init(ds_text *t, const ds_text_conf *c, vm_err *err)
{
    t->c = *c;
    t->cdf = NULL;
    if (ds_text_conf_check(&t->c, err) < 0)
        return -1;
    t->cdf = malloc(sizeof(double) * t->c.vocab);
    if (!t->cdf)
        return vm_err_set(err, VM_ENOMEM, "no memory for a vocabulary of %u words", t->c.vocab);
    double sum = 0;
    for (uint32_t r = 0; r < t->c.vocab; r++)
        t->cdf[r] = sum += pow((double)r + 1, -t->c.zipf_s);
    for (uint32_t r = 0; r < t->c.vocab; r++)
        t->cdf[r] /= sum;
    t->cdf[t->c.vocab - 1] = 1.0;
    return 0;
}

void ds_text_free(ds_text *t)
{
    free(t->cdf);
    t->cdf = NULL;
}

/* rank + SYLLABLES written in base SYLLABLES, most significant syllable
 * first: at least two syllables, and distinct ranks give distinct words
 * since every syllable is two letters */
void ds_text_word(uint32_t rank, char out[DS_TEXT_WORD_MAX])
{
    char rev[DS_TEXT_WORD_MAX];
    size_t n = 0;
    uint64_t x = (uint64_t)rank + SYLLABLES;
    while (x && n + 2 < sizeof(rev)) {
        unsigned s = (unsigned)(x % SYLLABLES);
        rev[n++] = vowels[s % (sizeof(vowels) - 1)];
        rev[n++] = consonants[s / (sizeof(vowels) - 1)];
        x /= SYLLABLES;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = rev[n - 1 - i];
    out[n] = '\0';
}

static uint64_t doc_state(const ds_text *t, uint64_t id)
{
    uint64_t s = id;
    return t->c.seed ^ rng_splitmix64(&s);
}

static uint32_t doc_length(const ds_text *t, uint64_t *state)
{
    return 1 + (uint32_t)(rng_splitmix64(state) % (2ull * t->c.words - 1));
}

static uint32_t draw_rank(const ds_text *t, uint64_t *state)
{
    double u = rng_unit(state);
    uint32_t lo = 0, hi = t->c.vocab - 1;
    while (lo < hi) { /* the first rank whose cdf exceeds u */
        uint32_t mid = lo + (hi - lo) / 2;
        if (t->cdf[mid] > u)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

void ds_text_doc(const ds_text *t, uint64_t id, strbuf *out)
{
    uint64_t state = doc_state(t, id);
    uint32_t len = doc_length(t, &state);
    char w[DS_TEXT_WORD_MAX];
    for (uint32_t i = 0; i < len; i++) {
        ds_text_word(draw_rank(t, &state), w);
        if (i)
            sb_addch(out, ' ');
        sb_addstr(out, w);
    }
}

bool ds_text_contains(const ds_text *t, uint64_t id, uint32_t rank)
{
    uint64_t state = doc_state(t, id);
    uint32_t len = doc_length(t, &state);
    for (uint32_t i = 0; i < len; i++)
        if (draw_rank(t, &state) == rank)
            return true;
    return false;
}

double ds_text_selectivity(const ds_text *t, uint32_t rank)
{
    if (rank >= t->c.vocab)
        return 0;
    double p = t->cdf[rank] - (rank ? t->cdf[rank - 1] : 0);
    uint32_t lens = 2 * t->c.words - 1;
    double sum = 0;
    for (uint32_t l = 1; l <= lens; l++)
        sum += 1 - pow(1 - p, l);
    return sum / lens;
}
