/*
 * test_secret.c - sealing secrets at rest: round trip, fresh nonces,
 * tampering and a foreign key are detected, the key file is created 0600.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "fgs_test.h"
#include "core/secret.h"
#include "core/server.h"
#include "util/crypto.h"
#include "util/str.h"

static void init_server(struct srv_server *srv)
{
    memset(srv, 0, sizeof(*srv));
    fgs__strlcpy(srv->cfg.data_dir, fgs_test_tmpdir(), sizeof(srv->cfg.data_dir));
    ASSERT_OK(srv_secret_init(srv));
}

FGS_TEST(secret, round_trip_and_fresh_nonces)
{
    static struct srv_server srv;
    char *a, *b, *p;
    char path[4200];
    struct stat sb;

    init_server(&srv);
    snprintf(path, sizeof(path), "%s/secret.key", srv.cfg.data_dir);
    ASSERT_OK(stat(path, &sb));
    ASSERT_EQ(sb.st_mode & 0777, 0600);
    ASSERT_EQ(sb.st_size, 32);
    a = srv_secret_seal(&srv, "{\"password\":\"hunter2\"}");
    b = srv_secret_seal(&srv, "{\"password\":\"hunter2\"}");
    ASSERT(a && b);
    ASSERT(strncmp(a, "fgs1:", 5) == 0);
    ASSERT(strstr(a, "hunter2") == NULL);
    ASSERT(strcmp(a, b) != 0);
    p = srv_secret_open(&srv, a);
    ASSERT_STREQ(p, "{\"password\":\"hunter2\"}");
    free(p);
    free(a);
    free(b);
}

FGS_TEST(secret, tampering_and_foreign_keys_fail)
{
    static struct srv_server srv, other;
    unsigned char *raw;
    char *a, *p;
    size_t i, len;

    init_server(&srv);
    a = srv_secret_seal(&srv, "{\"k\":\"v\"}");
    ASSERT(a != NULL);
    raw = fgs__b64_decode(a + 5, strlen(a + 5), &len);
    ASSERT(raw != NULL);
    /* Flip each bit position's byte in turn: nonce, ciphertext and tag are all covered. */
    for (i = 0; i < len; i++) {
        char *b64, forged[256];

        raw[i] ^= 0x01;
        b64 = fgs__b64_encode(raw, len);
        snprintf(forged, sizeof(forged), "fgs1:%s", b64);
        p = srv_secret_open(&srv, forged);
        if (p)
            FGS_TEST_FAIL("tampered byte %zu still opened", i);
        free(b64);
        raw[i] ^= 0x01;
    }
    free(raw);
    other = srv;
    other.secret_key[0] ^= 1;
    ASSERT(srv_secret_open(&other, a) == NULL);
    ASSERT(srv_secret_open(&srv, "plain text") == NULL);
    ASSERT(srv_secret_open(&srv, "fgs1:") == NULL);
    ASSERT(srv_secret_open(&srv, "fgs1:AAAA") == NULL);
    /* A second init reads the same key back. */
    other = srv;
    ASSERT_OK(srv_secret_init(&other));
    p = srv_secret_open(&other, a);
    ASSERT_STREQ(p, "{\"k\":\"v\"}");
    free(p);
    free(a);
}

FGS_TEST_LIST(T(secret, round_trip_and_fresh_nonces), T(secret, tampering_and_foreign_keys_fail));
