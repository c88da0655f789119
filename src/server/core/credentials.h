/*
 * credentials.h - the access keys fgsd accepts.
 *
 * A credentials file has one credential per line:
 *
 *     ACCESS_KEY SECRET_KEY PROJECT_ID[,PROJECT_ID...]
 *
 * '#' starts a comment; blank lines are ignored; fields after the third are
 * ignored (reserved). The file must not be readable by others. Without
 * --credentials, fgsd generates one key pair into <data-dir>/credentials
 * (mode 0600) on first start and prints it once.
 */
#ifndef SRV_CREDENTIALS_H
#define SRV_CREDENTIALS_H

#include <stdbool.h>
#include <stddef.h>

#define SRV_MAX_PROJECTS 16

struct srv_credential {
    char ak[128];
    char sk[256];
    char projects[SRV_MAX_PROJECTS][128]; /* "*" allows every project */
    int nprojects;
};

struct srv_credentials {
    struct srv_credential *items;
    size_t n;
};

/*
 * Loads path. Returns 0, or -1 with a message on stderr (unreadable, world-
 * or group-readable, malformed line).
 */
int srv_credentials_load(struct srv_credentials *out, const char *path);

/*
 * Loads <data_dir>/credentials, creating it with a fresh random key pair
 * for project_id when missing. *created tells whether it was generated.
 */
int srv_credentials_load_or_create(struct srv_credentials *out, const char *data_dir,
                                   const char *project_id, bool *created);

/* The credential with this access key, or NULL. Constant time per entry. */
const struct srv_credential *srv_credentials_find(const struct srv_credentials *c,
                                                  const char *ak);
bool srv_credential_allows(const struct srv_credential *cred, const char *project);

void srv_credentials_dispose(struct srv_credentials *c);

#endif
