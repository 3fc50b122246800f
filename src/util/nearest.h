/* nearest: "did you mean ...?" for a mistyped word (a command, a
 * sub-command, an option), after git's help.c: the candidate at the
 * smallest Damerau-Levenshtein distance (an adjacent swap counts one),
 * when it is close enough to be what was meant. */
#ifndef NEAREST_H
#define NEAREST_H

#include <stddef.h>

/* Edit distance with adjacent transpositions; strings over 63 bytes compare
 * as far apart (SIZE_MAX). */
size_t nearest_distance(const char *a, const char *b);

/* The candidate nearest to word among cands[0..n), or NULL when none is
 * within max(1, strlen(word) / 3) edits and none starts with word. */
const char *nearest_word(const char *word, const char *const *cands, size_t n);

#endif
