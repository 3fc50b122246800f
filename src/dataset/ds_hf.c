/* ds_hf: find the parquet shards of a HuggingFace dataset folder; see ds_hf.h. */
#include "ds_hf.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../util/strbuf.h"

#define MAX_DEPTH 8

static bool ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && !strcmp(s + a - b, suf);
}

/* Every .parquet under dir (those of subfolders only when !top), depth
 * first in name order. */
static void walk(const char *dir, int depth, bool top, strvec *out)
{
    struct dirent **ents;
    int n = scandir(dir, &ents, NULL, alphasort);
    for (int i = 0; i < n; i++) {
        const char *nm = ents[i]->d_name;
        if (nm[0] != '.') {
            strbuf p = STRBUF_INIT;
            sb_addf(&p, "%s/%s", dir, nm);
            struct stat st;
            bool ok = stat(p.buf, &st) == 0;
            if (ok && S_ISDIR(st.st_mode) && depth < MAX_DEPTH)
                walk(p.buf, depth + 1, true, out);
            else if (ok && (top || depth > 0) && S_ISREG(st.st_mode) && ends_with(nm, ".parquet"))
                sv_push(out, p.buf);
            sb_release(&p);
        }
        free(ents[i]);
    }
    if (n >= 0)
        free(ents);
}

/* rel (a path below the root) is of the train split: a file named train*
 * or a folder named train on the way. */
static bool is_train(const char *rel)
{
    const char *c = rel;
    while (*c) {
        const char *slash = strchr(c, '/');
        size_t len = slash ? (size_t)(slash - c) : strlen(c);
        if (slash ? len == 5 && !strncmp(c, "train", 5) : !strncmp(c, "train", 5))
            return true;
        if (!slash)
            break;
        c = slash + 1;
    }
    return false;
}

/* A shard's own name: the converter's "0000.parquet" or the hub's
 * "train-00000-of-00026.parquet" (any split). */
static bool shard_name(const char *nm)
{
    size_t len = strlen(nm) - strlen(".parquet"), digits = strspn(nm, "0123456789");
    return (digits == len && len > 0) || strstr(nm, "-of-") != NULL;
}

/* The folder holds the shards themselves (a path down to them was given). */
static void own_shards(const char *dir, strvec *paths)
{
    strvec all = STRVEC_INIT;
    walk(dir, 0, true, &all);
    for (size_t i = 0; i < all.n; i++) {
        const char *slash = strrchr(all.v[i], '/');
        if (slash && strchr(all.v[i] + strlen(dir) + 1, '/') == NULL && shard_name(slash + 1))
            sv_push(paths, all.v[i]);
    }
    sv_clear(&all);
}

void ds_hf_shards(const char *dir, strvec *paths)
{
    static const char *const roots[] = {"data", "refs/convert/parquet", ""};
    for (size_t r = 0; r < sizeof(roots) / sizeof(roots[0]) && paths->n == 0; r++) {
        strbuf root = STRBUF_INIT;
        sb_addstr(&root, dir);
        if (roots[r][0])
            sb_addf(&root, "/%s", roots[r]);
        strvec all = STRVEC_INIT;
        walk(root.buf, 0, roots[r][0] != 0, &all);
        size_t train = 0;
        for (size_t i = 0; i < all.n; i++)
            train += is_train(all.v[i] + root.len + 1);
        for (size_t i = 0; i < all.n; i++)
            if (!train || is_train(all.v[i] + root.len + 1))
                sv_push(paths, all.v[i]);
        sv_clear(&all);
        sb_release(&root);
    }
    if (paths->n == 0)
        own_shards(dir, paths);
}
