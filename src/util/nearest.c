/* nearest: see nearest.h. */
#include "nearest.h"

#include <stdint.h>
#include <string.h>

enum { NEAREST_MAX = 64 };

size_t nearest_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la >= NEAREST_MAX || lb >= NEAREST_MAX)
        return SIZE_MAX;
    size_t d[NEAREST_MAX][NEAREST_MAX];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++) {
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            size_t v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v)
                v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    }
    return d[la][lb];
}

const char *nearest_word(const char *word, const char *const *cands, size_t n)
{
    size_t len = strlen(word), limit = len / 3 > 1 ? len / 3 : 1;
    const char *best = NULL;
    size_t best_d = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        size_t dist = nearest_distance(word, cands[i]);
        if (dist < best_d) {
            best_d = dist;
            best = cands[i];
        }
    }
    if (best && best_d <= limit)
        return best;
    for (size_t i = 0; len >= 2 && i < n; i++)
        if (!strncmp(cands[i], word, len))
            return cands[i];
    return NULL;
}
