/* fe_download: libcurl transfers with resume and verification; see
 * fe_download.h. */
#include "fe_download.h"

#include <archive.h>
#include <archive_entry.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../dataset/ds_checksum.h"
#include "../util/strbuf.h"
#include "../util/vm_write.h"

typedef struct xfer {
    int fd;
    uint64_t offset;          /* bytes in the .part file */
    uint64_t start;           /* offset the transfer resumed from */
    uint64_t limit;           /* stop after this many bytes in the file (crop), 0 none */
    uint64_t src_from;        /* source byte the request's range starts at */
    CURL *curl;
    bool no_range;            /* a shifted range answered with the whole file */
    bool checked_code;
    bool write_failed;
    int write_errno;
    const fe_request *r;
    const char *label;
} xfer;

static size_t on_data(char *p, size_t sz, size_t nm, void *ud)
{
    xfer *x = ud;
    size_t n = sz * nm;
    if (!x->checked_code) {
        /* a server that ignores Range answers 200 with the whole file:
         * start over instead of appending it after what we have */
        long code = 0;
        curl_easy_getinfo(x->curl, CURLINFO_RESPONSE_CODE, &code);
        if (code == 200 && x->src_from != x->offset) {
            /* a range of rows A.. answered from byte 0: the bytes would land
             * in the wrong place; refuse rather than fetch the whole file */
            x->no_range = true;
            return 0;
        }
        if (code == 200 && x->offset > 0) {
            if (ftruncate(x->fd, 0) < 0) {
                x->write_failed = true;
                x->write_errno = errno;
                return 0;
            }
            x->offset = x->start = 0;
        }
        x->checked_code = true;
    }
    size_t keep = n;
    if (x->limit && x->offset + keep > x->limit)
        keep = x->offset >= x->limit ? 0 : (size_t)(x->limit - x->offset);
    if (vm_pwrite_all(x->fd, p, keep, (off_t)x->offset) < 0) {
        x->write_failed = true;
        x->write_errno = errno;
        return 0;
    }
    x->offset += keep;
    if (x->limit && x->offset >= x->limit && keep < n)
        return 0; /* enough of a server that sent more than the range */
    return n;
}

static int on_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    (void)ultotal, (void)ulnow;
    xfer *x = ud;
    if (x->r->cancel && atomic_load(x->r->cancel))
        return 1;
    if (x->r->progress) {
        uint64_t total = x->r->bytes ? x->r->bytes : (uint64_t)dltotal + x->start;
        x->r->progress(x->r->progress_ctx, x->label, x->start + (uint64_t)dlnow, total);
    }
    return 0;
}

static uint64_t file_size(const char *p, bool *exists)
{
    struct stat st;
    *exists = stat(p, &st) == 0;
    return *exists ? (uint64_t)st.st_size : 0;
}

static int write_sidecar(const char *dest, const char *hex)
{
    strbuf p = STRBUF_INIT;
    sb_addf(&p, "%s.sha256", dest);
    FILE *f = fopen(p.buf, "w");
    const char *base = strrchr(dest, '/') ? strrchr(dest, '/') + 1 : dest;
    int rc = f && fprintf(f, "%s  %s\n", hex, base) > 0 ? 0 : -1;
    if (f)
        fclose(f);
    sb_release(&p);
    return rc;
}

static int read_sidecar(const char *dest, char hex[65])
{
    strbuf p = STRBUF_INIT;
    sb_addf(&p, "%s.sha256", dest);
    FILE *f = fopen(p.buf, "r");
    sb_release(&p);
    if (!f)
        return -1;
    int rc = fscanf(f, "%64s", hex) == 1 && strlen(hex) == 64 ? 0 : -1;
    fclose(f);
    return rc;
}

/* DEST exists: it was complete when renamed; check it against what is expected */
static int check_existing(const fe_request *r, uint64_t have, fe_result *out, vm_err *err)
{
    if (r->bytes && have != r->bytes)
        return vm_err_set(err, VM_EINPUT,
                          "%s exists with %llu bytes, expected %llu: a different file; remove it "
                          "to download again",
                          r->dest, (unsigned long long)have, (unsigned long long)r->bytes);
    char hex[65];
    if (r->sha256 && *r->sha256) {
        if (read_sidecar(r->dest, hex) < 0 || strcasecmp(hex, r->sha256)) {
            if (ds_sha256_file(r->dest, hex, err) < 0)
                return -1;
        }
        if (strcasecmp(hex, r->sha256))
            return vm_err_set(err, VM_EINPUT,
                              "%s exists with SHA-256 %s, expected %s: a different file; remove it "
                              "to download again",
                              r->dest, hex, r->sha256);
    } else if (read_sidecar(r->dest, hex) < 0) {
        hex[0] = '\0';
    }
    out->already = true;
    out->bytes = have;
    snprintf(out->sha256, sizeof(out->sha256), "%s", hex);
    return 0;
}

/* The curl handle for one request: range src_from..src_to (to = 0 with
 * from = 0: the whole file; to = 0 otherwise: from .. the end). */
static CURL *make_handle(const fe_request *r, xfer *x, uint64_t src_to, char *range, size_t rlen,
                         char *ebuf)
{
    CURL *c = curl_easy_init();
    if (!c)
        return NULL;
    curl_easy_setopt(c, CURLOPT_URL, r->url);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, x);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, x);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "valkey-memstress");
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);   /* a stalled server: give up after 60 s */
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
    if (r->bearer && *r->bearer) {
        /* libcurl's own bearer auth: sent to this host only, never to the
         * host a redirect leads to (the hub redirects to its CDN) */
        curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BEARER);
        curl_easy_setopt(c, CURLOPT_XOAUTH2_BEARER, r->bearer);
    }
    if (src_to) { /* an explicit range up to the last byte we keep */
        snprintf(range, rlen, "%llu-%llu", (unsigned long long)x->src_from,
                 (unsigned long long)src_to);
        curl_easy_setopt(c, CURLOPT_RANGE, range);
    } else if (x->src_from) {
        curl_easy_setopt(c, CURLOPT_RESUME_FROM_LARGE, (curl_off_t)x->src_from);
    }
    return c;
}

/* One request: source bytes x->src_from .. src_to (0: to the end) written
 * at x->offset of the part file, stopping at file size limit (0: none). */
static int transfer(const fe_request *r, const char *part, uint64_t src_to, uint64_t limit, xfer *x,
                    vm_err *err)
{
    char range[64], ebuf[CURL_ERROR_SIZE] = "";
    x->limit = limit;
    x->checked_code = false;
    CURL *c = make_handle(r, x, src_to, range, sizeof(range), ebuf);
    if (!c)
        return vm_err_set(err, VM_EINTERNAL, "libcurl: cannot initialise");
    x->curl = c;
    CURLcode cc = curl_easy_perform(c);
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    curl_easy_cleanup(c);
    if (x->no_range)
        return vm_err_set(err, VM_EIO, "%s: the server ignores byte ranges (answered %ld to a "
                          "range from byte %llu): cannot fetch only some rows",
                          r->url, code, (unsigned long long)x->src_from);
    if (x->write_failed && !(x->limit && x->offset >= x->limit))
        return vm_err_set(err, VM_EIO, "%s: write: %s", part, strerror(x->write_errno));
    if (cc == CURLE_WRITE_ERROR && x->limit && x->offset >= x->limit)
        return 0; /* we stopped a server that sent past the range */
    if (cc == CURLE_ABORTED_BY_CALLBACK)
        return vm_err_set(err, VM_EIO, "%s: interrupted at %llu bytes (run again to resume)",
                          r->url, (unsigned long long)x->offset);
    if (cc == CURLE_HTTP_RETURNED_ERROR && code == 416 && x->offset > 0)
        return 0; /* nothing past what we have: the part is whole */
    if (cc != CURLE_OK)
        return vm_err_set(err, VM_EIO, "%s: %s (%llu bytes kept in %s; run again to resume)",
                          r->url, ebuf[0] ? ebuf : curl_easy_strerror(cc),
                          (unsigned long long)x->offset, part);
    return 0;
}

/* Fill the part file.  A crop of rows first..first+rows-1 is the 8-byte
 * header (bytes 0-7) then the rows' bytes 8+first*row .. 8+end*row-1: two
 * ranges (one when first is 0), each resumed from what the part holds. */
static int fill_part(const fe_request *r, const char *part, uint64_t want, xfer *x, vm_err *err)
{
    if (!want)
        return transfer(r, part, 0, 0, x, err);
    uint64_t row = r->crop_row_bytes, first = r->crop_first;
    if (first == 0) {
        x->src_from = x->offset;
        return transfer(r, part, want - 1, want, x, err);
    }
    if (x->offset < 8) { /* the header first */
        x->src_from = x->offset;
        if (transfer(r, part, 7, 8, x, err) < 0)
            return -1;
        if (x->offset < 8)
            return vm_err_set(err, VM_EIO, "%s: short header (%llu bytes)", r->url,
                              (unsigned long long)x->offset);
    }
    if (x->offset >= want)
        return 0;
    x->src_from = 8 + first * row + (x->offset - 8);
    return transfer(r, part, 8 + (first + r->crop_rows) * row - 1, want, x, err);
}

/* The part holds the crop: check the source's header and patch n to rows. */
static int patch_header(const fe_request *r, const char *part, vm_err *err)
{
    int rc = 0, pf = open(part, O_RDWR | O_CLOEXEC);
    uint32_t hdr[2] = {0, 0};
    uint64_t end = r->crop_first + r->crop_rows;
    if (pf < 0 || pread(pf, hdr, 8, 0) != 8)
        rc = vm_err_set(err, VM_EIO, "%s: cannot read the header", part);
    else if (hdr[0] != (uint32_t)r->crop_rows &&
             ((uint64_t)hdr[0] < end || hdr[1] == 0 || r->crop_row_bytes % hdr[1]))
        rc = vm_err_param(err, "rows", VM_EINPUT,
                          "%s: header says %u x %u: cannot take rows %llu..%llu of %u bytes",
                          r->url, hdr[0], hdr[1], (unsigned long long)r->crop_first,
                          (unsigned long long)end, r->crop_row_bytes);
    else {
        hdr[0] = (uint32_t)r->crop_rows;
        if (vm_pwrite_all(pf, hdr, 4, 0) < 0)
            rc = vm_err_set(err, VM_EIO, "%s: cannot patch the header", part);
    }
    if (pf >= 0)
        close(pf);
    return rc;
}

/* The complete part: checksum, compare, rename into place. */
static int finish(const fe_request *r, const char *part, uint64_t got, fe_result *out, vm_err *err)
{
    if (ds_sha256_file(part, out->sha256, err) < 0)
        return -1;
    if (r->sha256 && *r->sha256 && strcasecmp(out->sha256, r->sha256)) {
        strbuf bad = STRBUF_INIT;
        sb_addf(&bad, "%s.bad", r->dest);
        rename(part, bad.buf);
        vm_err_set(err, VM_EINPUT, "%s: SHA-256 %s, expected %s: refused (kept as %s)", r->url,
                   out->sha256, r->sha256, bad.buf);
        sb_release(&bad);
        return -1;
    }
    if (rename(part, r->dest) < 0)
        return vm_err_set(err, VM_EIO, "%s: %s", r->dest, strerror(errno));
    write_sidecar(r->dest, out->sha256);
    out->bytes = got;
    return 0;
}

int fe_download(const fe_request *r, fe_result *out, vm_err *err)
{
    memset(out, 0, sizeof(*out));
    bool exists;
    uint64_t have = file_size(r->dest, &exists);
    if (exists)
        return check_existing(r, have, out, err);
    uint64_t want = r->crop_rows ? 8 + r->crop_rows * (uint64_t)r->crop_row_bytes : 0;
    strbuf part = STRBUF_INIT;
    sb_addf(&part, "%s.part", r->dest);
    int fd = open(part.buf, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        vm_err_set(err, VM_EIO, "%s: %s", part.buf, strerror(errno));
        sb_release(&part);
        return -1;
    }
    bool pe;
    uint64_t partial = file_size(part.buf, &pe);
    uint64_t full = want ? want : r->bytes;
    if (full && partial > full) { /* longer than it can be: start over */
        if (ftruncate(fd, 0) < 0)
            partial = 0;
        partial = 0;
    }
    xfer x = {.fd = fd, .offset = partial, .start = partial, .src_from = partial, .r = r};
    const char *slash = strrchr(r->dest, '/');
    x.label = slash ? slash + 1 : r->dest;
    int rc = 0;
    if (!(full && partial == full))
        rc = fill_part(r, part.buf, want, &x, err);
    out->resumed_from = x.start;
    if (rc == 0 && (fsync(fd) < 0 || close(fd) < 0))
        rc = vm_err_set(err, VM_EIO, "%s: %s", part.buf, strerror(errno));
    else if (rc < 0)
        close(fd);
    uint64_t got = rc == 0 ? file_size(part.buf, &pe) : 0;
    if (rc == 0 && full && got != full)
        rc = vm_err_set(err, VM_EIO, "%s: got %llu bytes, expected %llu (kept; run again to resume)",
                        r->url, (unsigned long long)got, (unsigned long long)full);
    if (rc == 0 && want)
        rc = patch_header(r, part.buf, err);
    if (rc == 0)
        rc = finish(r, part.buf, got, out, err);
    sb_release(&part);
    return rc;
}

int fe_extract(const char *archive, const char *dir, vm_err *err)
{
    struct archive *a = archive_read_new();
    archive_read_support_filter_all(a);
    archive_read_support_format_all(a);
    if (archive_read_open_filename(a, archive, 1 << 16) != ARCHIVE_OK) {
        vm_err_set(err, VM_EINPUT, "%s: %s", archive, archive_error_string(a));
        archive_read_free(a);
        return -1;
    }
    struct archive_entry *e;
    int rc = 0, r;
    char *buf = malloc(1 << 20);
    while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
        const char *name = archive_entry_pathname(e);
        const char *slash = strchr(name, '/');
        const char *rel = slash ? slash + 1 : name;
        if (archive_entry_filetype(e) != AE_IFREG || !*rel || strstr(rel, "..") || strchr(rel, '/'))
            continue; /* only the plain files of the top folder */
        strbuf p = STRBUF_INIT;
        sb_addf(&p, "%s/%s", dir, rel);
        int fd = open(p.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0) {
            rc = vm_err_set(err, VM_EIO, "%s: %s", p.buf, strerror(errno));
            sb_release(&p);
            break;
        }
        la_ssize_t n;
        while ((n = archive_read_data(a, buf, 1 << 20)) > 0)
            if ((rc = vm_write_all_at(fd, buf, (size_t)n, -1, p.buf, err)) < 0)
                break;
        if (n < 0 && rc == 0)
            rc = vm_err_set(err, VM_EINPUT, "%s: %s", archive, archive_error_string(a));
        close(fd);
        sb_release(&p);
        if (rc < 0)
            break;
    }
    if (rc == 0 && r != ARCHIVE_EOF)
        rc = vm_err_set(err, VM_EINPUT, "%s: %s", archive, archive_error_string(a));
    free(buf);
    archive_read_free(a);
    return rc;
}

typedef struct tail_buf {
    strbuf *out;
    uint64_t cap;
    CURL *c;
} tail_buf;

static size_t on_tail(char *p, size_t sz, size_t nm, void *ud)
{
    tail_buf *t = ud;
    size_t n = sz * nm;
    long code = 0;
    curl_easy_getinfo(t->c, CURLINFO_RESPONSE_CODE, &code);
    if (code >= 400)
        return n; /* an error page: only its status matters */
    if (t->out->len + n > t->cap)
        return 0; /* more than asked: a server that ignores ranges */
    sb_add(t->out, p, n);
    return n;
}

int fe_fetch_tail(const char *url, const char *bearer, uint64_t nbytes, strbuf *out, long *code,
                  vm_err *err)
{
    CURL *c = curl_easy_init();
    if (!c)
        return vm_err_set(err, VM_EINTERNAL, "libcurl: cannot initialise");
    char range[32], ebuf[CURL_ERROR_SIZE] = "";
    snprintf(range, sizeof(range), "-%llu", (unsigned long long)nbytes);
    tail_buf t = {.out = out, .cap = nbytes, .c = c};
    sb_reset(out);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_RANGE, range);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_tail);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "valkey-memstress");
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
    if (bearer && *bearer) {
        curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BEARER);
        curl_easy_setopt(c, CURLOPT_XOAUTH2_BEARER, bearer);
    }
    CURLcode cc = curl_easy_perform(c);
    *code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, code);
    curl_easy_cleanup(c);
    if (cc == CURLE_WRITE_ERROR || (cc == CURLE_OK && *code == 200 && out->len != nbytes))
        return vm_err_set(err, VM_EIO, "%s: the server ignores byte ranges: cannot read the footer",
                          url);
    if (cc != CURLE_OK)
        return vm_err_set(err, VM_EIO, "%s: %s", url, ebuf[0] ? ebuf : curl_easy_strerror(cc));
    if (*code >= 400)
        return 1;
    if (out->len != nbytes)
        return vm_err_set(err, VM_EIO, "%s: asked the last %llu bytes, got %zu", url,
                          (unsigned long long)nbytes, out->len);
    return 0;
}
