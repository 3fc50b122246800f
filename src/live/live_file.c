/* live_file: see live_file.h. */
#include "live_file.h"

#include <stdio.h>
#include <string.h>

static const char magic1[8] = "VMLIVE1"; /* and its NUL: 8 bytes */
static const char magic2[8] = "VMLIVE2";

int live_file_write(const live_set *l, uint64_t first_id, uint64_t end_id, FILE *f)
{
    uint64_t nw = live_nwords(l);
    uint64_t w0 = first_id / 64, w1 = (end_id + 63) / 64;
    if (w1 > nw)
        w1 = nw;
    if (w0 > w1)
        w0 = w1;
    uint64_t count = w1 - w0;
    if (fwrite(magic2, 1, 8, f) != 8 || fwrite(&l->copies, 4, 1, f) != 1 ||
        fwrite(&l->n, 8, 1, f) != 1 || fwrite(&w0, 8, 1, f) != 1 || fwrite(&count, 8, 1, f) != 1)
        return -1;
    for (uint32_t c = 0; c < l->copies; c++)
        if (count && fwrite((const void *)(l->words[c] + w0), 8, count, f) != count)
            return -1;
    return 0;
}

live_file_status live_file_read(live_set *l, const char *path, uint32_t copies)
{
    FILE *f = fopen(path, "rb");
    char m[8];
    uint32_t fc;
    uint64_t fn, w0 = 0, count = live_nwords(l);
    bool v2 = false;
    bool ok = f && fread(m, 1, 8, f) == 8 && (!memcmp(m, magic1, 8) || (v2 = !memcmp(m, magic2, 8))) &&
              fread(&fc, 4, 1, f) == 1 && fread(&fn, 8, 1, f) == 1 && fn == l->n && fc >= copies;
    if (ok && v2)
        ok = fread(&w0, 8, 1, f) == 1 && fread(&count, 8, 1, f) == 1 && w0 <= live_nwords(l) &&
             count <= live_nwords(l) - w0;
    if (!ok) {
        if (f)
            fclose(f);
        return LIVE_FILE_MISMATCH;
    }
    live_ensure_copies(l, copies);
    live_file_status st = LIVE_FILE_OK;
    for (uint32_t c = 0; c < copies; c++)
        if (count && fread((void *)(l->words[c] + w0), 8, count, f) != count) {
            st = LIVE_FILE_SHORT;
            break;
        }
    fclose(f);
    return st;
}
