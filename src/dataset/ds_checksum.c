/* ds_checksum: SHA-256 through OpenSSL's EVP interface; see ds_checksum.h. */
#include "ds_checksum.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct ds_sha256 {
    EVP_MD_CTX *ctx;
};

ds_sha256 *ds_sha256_new(void)
{
    ds_sha256 *h = malloc(sizeof(*h));
    if (!h)
        abort();
    h->ctx = EVP_MD_CTX_new();
    if (!h->ctx || EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1)
        abort();
    return h;
}

void ds_sha256_add(ds_sha256 *h, const void *p, size_t n)
{
    EVP_DigestUpdate(h->ctx, p, n);
}

void ds_sha256_hex(ds_sha256 *h, char out[65])
{
    unsigned char md[32];
    unsigned int l = 0;
    EVP_DigestFinal_ex(h->ctx, md, &l);
    for (unsigned i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
    out[64] = '\0';
    EVP_MD_CTX_free(h->ctx);
    free(h);
}

int ds_sha256_file(const char *path, char out[65], vm_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return vm_err_set(err, VM_EIO, "%s: %s", path, strerror(errno));
    ds_sha256 *h = ds_sha256_new();
    size_t cap = 1 << 20;
    char *buf = malloc(cap);
    ssize_t r;
    while ((r = read(fd, buf, cap)) > 0)
        ds_sha256_add(h, buf, (size_t)r);
    int e = errno;
    close(fd);
    free(buf);
    ds_sha256_hex(h, out);
    if (r < 0)
        return vm_err_set(err, VM_EIO, "%s: read: %s", path, strerror(e));
    return 0;
}
