/* errclass: see errclass.h. */
#include "errclass.h"

#include <string.h>
#include <strings.h>

static const struct {
    const char *code;
    errclass cls;
} codes[] = {
    {"OOM", ERRC_OOM},
    {"MOVED", ERRC_MOVED},
    {"ASK", ERRC_ASK},
    {"TRYAGAIN", ERRC_TRYAGAIN},
    {"CLUSTERDOWN", ERRC_CLUSTERDOWN},
    {"CROSSSLOT", ERRC_CROSSSLOT},
    {"LOADING", ERRC_LOADING},
    {"BUSY", ERRC_BUSY},
    {"READONLY", ERRC_READONLY},
    {"MASTERDOWN", ERRC_MASTERDOWN},
    {"WRONGTYPE", ERRC_WRONGTYPE},
    {"NOAUTH", ERRC_NOAUTH},
    {"WRONGPASS", ERRC_NOAUTH},
    {"NOPERM", ERRC_NOPERM},
    /* other codes Valkey itself sends: not module errors */
    {"BUSYKEY", ERRC_OTHER},
    {"NOSCRIPT", ERRC_OTHER},
    {"MISCONF", ERRC_OTHER},
    {"NOREPLICAS", ERRC_OTHER},
    {"EXECABORT", ERRC_OTHER},
    {"NOPROTO", ERRC_OTHER},
    {"UNBLOCKED", ERRC_OTHER},
    {"NOTBUSY", ERRC_OTHER},
    {"UNKILLABLE", ERRC_OTHER},
    {"NOGOODSLAVE", ERRC_OTHER},
};

static const char *const names[ERRC_COUNT] = {
    [ERRC_OTHER] = "other",
    [ERRC_OOM] = "oom",
    [ERRC_MOVED] = "moved",
    [ERRC_ASK] = "ask",
    [ERRC_TRYAGAIN] = "tryagain",
    [ERRC_CLUSTERDOWN] = "clusterdown",
    [ERRC_CROSSSLOT] = "crossslot",
    [ERRC_LOADING] = "loading",
    [ERRC_BUSY] = "busy",
    [ERRC_READONLY] = "readonly",
    [ERRC_MASTERDOWN] = "masterdown",
    [ERRC_WRONGTYPE] = "wrongtype",
    [ERRC_SYNTAX] = "syntax",
    [ERRC_NOAUTH] = "noauth",
    [ERRC_NOPERM] = "noperm",
    [ERRC_MODULE] = "module",
};

const char *errclass_name(errclass c)
{
    return (unsigned)c < ERRC_COUNT ? names[c] : "other";
}

static int contains(const char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (strncasecmp(s + i, needle, k) == 0)
            return 1;
    return 0;
}

errclass errclass_of(const char *msg, size_t len)
{
    if (!msg)
        return ERRC_OTHER;
    size_t w = 0;
    while (w < len && msg[w] != ' ')
        w++;
    if (w == 3 && !memcmp(msg, "ERR", 3)) {
        if (contains(msg, len, "syntax") || contains(msg, len, "wrong number of arguments") ||
            contains(msg, len, "unknown command") || contains(msg, len, "unknown subcommand"))
            return ERRC_SYNTAX;
        return ERRC_OTHER;
    }
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
        if (strlen(codes[i].code) == w && !memcmp(msg, codes[i].code, w))
            return codes[i].cls;
    return ERRC_MODULE;
}

bool errclass_permanent(errclass c)
{
    return c == ERRC_WRONGTYPE || c == ERRC_SYNTAX || c == ERRC_CROSSSLOT || c == ERRC_NOAUTH ||
           c == ERRC_NOPERM;
}
