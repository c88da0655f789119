/*
 * secret.c - AES-256-GCM sealing of secrets at rest (see secret.h).
 *
 * A fresh random 96-bit nonce per seal; the tag authenticates the text, so
 * a database edited behind fgsd's back yields an error, not garbage, when
 * the value is opened for an instance's environment.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <openssl/evp.h>
#include "core/secret.h"
#include "core/server.h"
#include "util/crypto.h"
#include "util/log.h"

#define PREFIX "fgs1:"

static int read_key(const char *path, unsigned char key[32])
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n;

    if (fd < 0)
        return -1;
    n = read(fd, key, 32);
    close(fd);
    return n == 32 ? 0 : -2;
}

int srv_secret_init(struct srv_server *srv)
{
    char path[4200];
    int fd, rc;

    snprintf(path, sizeof(path), "%s/secret.key", srv->cfg.data_dir);
    rc = read_key(path, srv->secret_key);
    if (rc == 0)
        return 0;
    if (rc == -2) {
        log_error("secret: %s is not a 32-byte key", path);
        return -1;
    }
    if (fgs__random_bytes(srv->secret_key, 32) < 0)
        return -1;
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 || write(fd, srv->secret_key, 32) != 32 || fsync(fd) < 0) {
        log_error("secret: cannot write %s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    close(fd);
    return 0;
}

char *srv_secret_seal(struct srv_server *srv, const char *plain)
{
    size_t len = strlen(plain);
    unsigned char *buf = malloc(12 + len + 16);
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    char *b64 = NULL, *out = NULL;
    int n = 0, m = 0;

    if (!buf || !ctx || fgs__random_bytes(buf, 12) < 0 ||
        EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, srv->secret_key, buf) != 1 ||
        EVP_EncryptUpdate(ctx, buf + 12, &n, (const unsigned char *)plain, (int)len) != 1 ||
        EVP_EncryptFinal_ex(ctx, buf + 12 + n, &m) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, buf + 12 + n + m) != 1)
        goto done;
    b64 = fgs__b64_encode(buf, 12 + (size_t)n + (size_t)m + 16);
    if (!b64)
        goto done;
    out = malloc(strlen(PREFIX) + strlen(b64) + 1);
    if (out) {
        memcpy(out, PREFIX, strlen(PREFIX));
        memcpy(out + strlen(PREFIX), b64, strlen(b64) + 1);
    }
done:
    free(b64);
    free(buf);
    EVP_CIPHER_CTX_free(ctx);
    return out;
}

char *srv_secret_open(struct srv_server *srv, const char *sealed)
{
    EVP_CIPHER_CTX *ctx = NULL;
    unsigned char *raw = NULL;
    char *plain = NULL;
    size_t len = 0;
    int n = 0, m = 0;

    if (strncmp(sealed, PREFIX, strlen(PREFIX)) != 0)
        return NULL;
    sealed += strlen(PREFIX);
    raw = fgs__b64_decode(sealed, strlen(sealed), &len);
    if (!raw || len < 28)
        goto fail;
    plain = malloc(len - 28 + 1);
    ctx = EVP_CIPHER_CTX_new();
    if (!plain || !ctx ||
        EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, srv->secret_key, raw) != 1 ||
        EVP_DecryptUpdate(ctx, (unsigned char *)plain, &n, raw + 12, (int)(len - 28)) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, raw + len - 16) != 1 ||
        EVP_DecryptFinal_ex(ctx, (unsigned char *)plain + n, &m) != 1)
        goto fail;
    plain[n + m] = '\0';
    free(raw);
    EVP_CIPHER_CTX_free(ctx);
    return plain;
fail:
    free(raw);
    free(plain);
    EVP_CIPHER_CTX_free(ctx);
    return NULL;
}
