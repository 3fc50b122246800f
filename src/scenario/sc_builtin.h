/* sc_builtin: the scenarios that ship with the tool, as YAML texts, so
 * that a built-in is validated and run exactly like a user's file (and can
 * be printed as a starting point: run --show NAME). */
#ifndef SC_BUILTIN_H
#define SC_BUILTIN_H

typedef struct sc_builtin {
    const char *name;
    const char *description;
    const char *yaml;
} sc_builtin;

extern const sc_builtin sc_builtins[];
const sc_builtin *sc_builtin_find(const char *name);

#endif
