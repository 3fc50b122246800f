/* live_file: see live_file.h. */
#include "live_file.h"

#include <stdio.h>
#include <string.h>

static const char magic[8] = "VMLIVE1"; /* and its NUL: 8 bytes */

void live_file_encode(const live_set *l, strbuf *out)
{
    sb_add(out, magic, 8);
    sb_add(out, &l->copies, 4);
    sb_add(out, &l->n, 8);
    for (uint32_t c = 0; c < l->copies; c++)
        sb_add(out, (const void *)l->words[c], live_nwords(l) * 8);
}

live_file_status live_file_read(live_set *l, const char *path, uint32_t copies)
{
    FILE *f = fopen(path, "rb");
    char m[8];
    uint32_t fc;
    uint64_t fn;
    if (!f || fread(m, 1, 8, f) != 8 || memcmp(m, magic, 8) || fread(&fc, 4, 1, f) != 1 ||
        fread(&fn, 8, 1, f) != 1 || fn != l->n || fc < copies) {
        if (f)
            fclose(f);
        return LIVE_FILE_MISMATCH;
    }
    live_ensure_copies(l, copies);
    live_file_status st = LIVE_FILE_OK;
    for (uint32_t c = 0; c < copies; c++)
        if (fread((void *)l->words[c], 8, live_nwords(l), f) != live_nwords(l)) {
            st = LIVE_FILE_SHORT;
            break;
        }
    fclose(f);
    return st;
}
