/*
 * crypto.h - hashing, HMAC, base64 and randomness over OpenSSL 3.
 */
#ifndef FGS_UTIL_CRYPTO_H
#define FGS_UTIL_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

/* Lower-case hex of SHA-256 / SHA-512: out needs 65 / 129 bytes. */
void fgs__sha256_hex(char out[65], const void *data, size_t len);
void fgs__sha512_hex(char out[129], const void *data, size_t len);
/* HMAC-SHA256 of msg with key, raw 32 bytes. */
void fgs__hmac_sha256(unsigned char out[32], const void *key, size_t keylen, const void *msg,
                      size_t msglen);
void fgs__hex(char *out, const unsigned char *in, size_t len);

/* Base64 (standard alphabet, padded). Returns malloc'd NUL-terminated text or NULL. */
char *fgs__b64_encode(const void *data, size_t len);
/*
 * Strict base64 decode: whitespace is not allowed, padding must be right.
 * Returns a malloc'd buffer (with a NUL after the data) and sets *outlen, or
 * NULL for bad input or no memory.
 */
unsigned char *fgs__b64_decode(const char *text, size_t len, size_t *outlen);

/* A random version-4 UUID, 36 characters plus NUL. Returns 0 or -1. */
int fgs__uuid4(char out[37]);
int fgs__random_bytes(void *out, size_t len);

/* Constant-time comparison of two equal-length buffers: 0 when equal. */
int fgs__ct_memcmp(const void *a, const void *b, size_t len);

#endif
