/*
 * crypto.c - thin wrappers over OpenSSL 3 for the hashes and encodings the
 * FunctionGraph contract uses (SHA-512 code digests, SDK-HMAC-SHA256, base64
 * code packages, request ids).
 */
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include "util/crypto.h"

void fgs__hex(char *out, const unsigned char *in, size_t len)
{
    static const char digits[] = "0123456789abcdef";
    size_t i;

    for (i = 0; i < len; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * len] = '\0';
}

void fgs__sha256_hex(char out[65], const void *data, size_t len)
{
    unsigned char md[SHA256_DIGEST_LENGTH];

    SHA256(data, len, md);
    fgs__hex(out, md, sizeof(md));
}

void fgs__sha512_hex(char out[129], const void *data, size_t len)
{
    unsigned char md[SHA512_DIGEST_LENGTH];

    SHA512(data, len, md);
    fgs__hex(out, md, sizeof(md));
}

void fgs__hmac_sha256(unsigned char out[32], const void *key, size_t keylen, const void *msg,
                      size_t msglen)
{
    unsigned int n = 32;

    HMAC(EVP_sha256(), key, (int)keylen, msg, msglen, out, &n);
}

char *fgs__b64_encode(const void *data, size_t len)
{
    size_t outlen;
    char *out;

    if (len > ((size_t)1 << 40))
        return NULL;
    outlen = 4 * ((len + 2) / 3);
    out = malloc(outlen + 1);
    if (!out)
        return NULL;
    EVP_EncodeBlock((unsigned char *)out, data, (int)len);
    out[outlen] = '\0';
    return out;
}

static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

/*
 * Decoded by hand rather than with EVP_DecodeBlock, which accepts embedded
 * whitespace and reports padded lengths; this one is strict and exact.
 */
unsigned char *fgs__b64_decode(const char *text, size_t len, size_t *outlen)
{
    const unsigned char *s = (const unsigned char *)text;
    unsigned char *out;
    size_t i, o = 0, pad = 0;

    if (len % 4)
        return NULL;
    if (len >= 1 && s[len - 1] == '=')
        pad++;
    if (len >= 2 && s[len - 2] == '=')
        pad++;
    out = malloc(len / 4 * 3 + 1);
    if (!out)
        return NULL;
    for (i = 0; i < len; i += 4) {
        int v[4], k;
        int last = (i + 4 == len);

        for (k = 0; k < 4; k++) {
            if (last && s[i + k] == '=' && k >= 4 - (int)pad)
                v[k] = 0;
            else if ((v[k] = b64_value(s[i + k])) < 0)
                goto bad;
        }
        out[o++] = (unsigned char)(v[0] << 2 | v[1] >> 4);
        if (!(last && pad == 2))
            out[o++] = (unsigned char)((v[1] & 15) << 4 | v[2] >> 2);
        if (!(last && pad >= 1))
            out[o++] = (unsigned char)((v[2] & 3) << 6 | v[3]);
    }
    out[o] = 0;
    *outlen = o;
    return out;
bad:
    free(out);
    return NULL;
}

int fgs__random_bytes(void *out, size_t len)
{
    return RAND_bytes(out, (int)len) == 1 ? 0 : -1;
}

int fgs__uuid4(char out[37])
{
    unsigned char r[16];
    char hex[33];

    if (fgs__random_bytes(r, sizeof(r)) < 0)
        return -1;
    r[6] = (unsigned char)((r[6] & 0x0f) | 0x40);
    r[8] = (unsigned char)((r[8] & 0x3f) | 0x80);
    fgs__hex(hex, r, 16);
    memcpy(out, hex, 8);
    out[8] = '-';
    memcpy(out + 9, hex + 8, 4);
    out[13] = '-';
    memcpy(out + 14, hex + 12, 4);
    out[18] = '-';
    memcpy(out + 19, hex + 16, 4);
    out[23] = '-';
    memcpy(out + 24, hex + 20, 12);
    out[36] = '\0';
    return 0;
}

int fgs__ct_memcmp(const void *a, const void *b, size_t len)
{
    return CRYPTO_memcmp(a, b, len) == 0 ? 0 : 1;
}
