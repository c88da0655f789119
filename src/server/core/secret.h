/*
 * secret.h - encryption at rest for secrets users hand to fgsd
 * (encrypted_user_data): AES-256-GCM under a key kept in the data
 * directory (<data-dir>/secret.key, 32 random bytes, mode 0600, created on
 * first start).
 *
 * Sealed text is "fgs1:" + base64(nonce[12] || ciphertext || tag[16]).
 */
#ifndef SRV_SECRET_H
#define SRV_SECRET_H

#include <stddef.h>

struct srv_server;

/* Loads or creates the key. Returns 0 or -1 (logged). */
int srv_secret_init(struct srv_server *srv);
/* Seals plaintext; returns malloc'd text or NULL. */
char *srv_secret_seal(struct srv_server *srv, const char *plain);
/* Opens sealed text; returns malloc'd plaintext or NULL when it is not authentic. */
char *srv_secret_open(struct srv_server *srv, const char *sealed);

#endif
