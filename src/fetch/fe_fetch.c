/* fe_fetch: fetch every file of a catalog entry; see fe_fetch.h. */
#include "fe_fetch.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "../util/strbuf.h"

static int mkdirs(const char *path, vm_err *err)
{
    char p[1024];
    snprintf(p, sizeof(p), "%s", path);
    for (char *s = p + 1;; s++) {
        if (*s == '/' || *s == '\0') {
            char c = *s;
            *s = '\0';
            if (mkdir(p, 0755) < 0 && errno != EEXIST)
                return vm_err_set(err, VM_EIO, "cannot create folder '%s': %s", p, strerror(errno));
            *s = c;
            if (!c)
                break;
        }
    }
    return 0;
}

int fe_fetch_entry(const ds_cat_entry *e, const fe_fetch_opts *o, char *out_dir, size_t out_len,
                   vm_err *err)
{
    char dir[1024];
    if (o->dir)
        snprintf(dir, sizeof(dir), "%s", o->dir);
    else
        ds_catalog_dir(dir, sizeof(dir));
    snprintf(out_dir, out_len, "%s/%s", dir, e->name);
    if (mkdirs(out_dir, err) < 0)
        return -1;
    const char *base = o->mirror ? o->mirror : e->base_url;
    size_t bl = strlen(base);
    for (int i = 0; i < DS_CAT_MAX_FILES && e->files[i].path; i++) {
        const ds_cat_file *f = &e->files[i];
        strbuf url = STRBUF_INIT, dest = STRBUF_INIT;
        sb_addf(&url, "%s%s%s", base, bl && base[bl - 1] == '/' ? "" : "/", f->path);
        const char *local = f->local;
        if (!local) {
            local = strrchr(f->path, '/');
            local = local ? local + 1 : f->path;
        }
        sb_addf(&dest, "%s/%s", out_dir, local);
        fe_request r = {.url = url.buf, .dest = dest.buf, .bytes = f->bytes, .sha256 = f->sha256,
                        .crop_rows = f->crop_rows, .crop_row_bytes = f->crop_row_bytes,
                        .progress = o->progress, .progress_ctx = o->progress_ctx,
                        .cancel = o->cancel};
        if (f->crop_rows)
            r.bytes = 0; /* the crop size is checked by fe_download itself */
        fe_result res;
        int rc = fe_download(&r, &res, err);
        if (rc == 0 && f->extract) {
            strbuf mark = STRBUF_INIT;
            sb_addf(&mark, "%s.extracted", dest.buf);
            struct stat st;
            if (stat(mark.buf, &st) < 0) {
                rc = fe_extract(dest.buf, out_dir, err);
                FILE *m = rc == 0 ? fopen(mark.buf, "w") : NULL;
                if (m)
                    fclose(m);
            }
            sb_release(&mark);
        }
        if (rc == 0 && o->on_file)
            o->on_file(o->on_file_ctx, url.buf, dest.buf, &res);
        sb_release(&url);
        sb_release(&dest);
        if (rc < 0)
            return -1;
    }
    return 0;
}
