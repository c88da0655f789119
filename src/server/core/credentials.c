/*
 * credentials.c - loading, generating and looking up fgsd's access keys.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "core/credentials.h"
#include "util/crypto.h"
#include "util/str.h"

static int add(struct srv_credentials *c, const struct srv_credential *cred)
{
    struct srv_credential *p = realloc(c->items, (c->n + 1) * sizeof(*p));

    if (!p)
        return -1;
    c->items = p;
    c->items[c->n++] = *cred;
    return 0;
}

/* Parses "AK SK P1,P2" (already stripped of comments). Returns 1 parsed, 0 blank, -1 bad. */
static int parse_line(char *line, struct srv_credential *cred)
{
    char *fields[3], *p = line, *proj;
    int n = 0;

    memset(cred, 0, sizeof(*cred));
    while (n < 3) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        fields[n++] = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
        if (*p)
            *p++ = '\0';
    }
    if (n == 0)
        return 0;
    if (n < 3 || strlen(fields[0]) >= sizeof(cred->ak) || strlen(fields[1]) >= sizeof(cred->sk))
        return -1;
    fgs__strlcpy(cred->ak, fields[0], sizeof(cred->ak));
    fgs__strlcpy(cred->sk, fields[1], sizeof(cred->sk));
    for (proj = fields[2]; proj && *proj;) {
        char *comma = strchr(proj, ',');
        size_t len = comma ? (size_t)(comma - proj) : strlen(proj);

        if (len == 0 || len >= sizeof(cred->projects[0]) || cred->nprojects == SRV_MAX_PROJECTS)
            return -1;
        memcpy(cred->projects[cred->nprojects], proj, len);
        cred->projects[cred->nprojects++][len] = '\0';
        proj = comma ? comma + 1 : NULL;
    }
    return cred->nprojects ? 1 : -1;
}

int srv_credentials_load(struct srv_credentials *out, const char *path)
{
    struct srv_credential cred;
    struct stat sb;
    char line[1024];
    FILE *f;
    int lineno = 0, rc = 0;

    memset(out, 0, sizeof(*out));
    f = fopen(path, "re");
    if (!f) {
        fprintf(stderr, "fgsd: cannot read credentials %s: %s\n", path, strerror(errno));
        return -1;
    }
    if (fstat(fileno(f), &sb) == 0 && (sb.st_mode & 077)) {
        fprintf(stderr, "fgsd: credentials %s must not be readable by group or others (chmod 600)\n",
                path);
        fclose(f);
        return -1;
    }
    while (fgets(line, sizeof(line), f)) {
        char *hash = strchr(line, '#');
        int r;

        lineno++;
        if (hash)
            *hash = '\0';
        line[strcspn(line, "\r\n")] = '\0';
        r = parse_line(line, &cred);
        if (r < 0) {
            fprintf(stderr, "fgsd: %s:%d: expected 'ACCESS_KEY SECRET_KEY PROJECT_ID[,...]'\n",
                    path, lineno);
            rc = -1;
            break;
        }
        if (r > 0 && add(out, &cred) < 0) {
            rc = -1;
            break;
        }
    }
    fclose(f);
    if (rc == 0 && out->n == 0) {
        fprintf(stderr, "fgsd: %s holds no credentials\n", path);
        rc = -1;
    }
    if (rc < 0)
        srv_credentials_dispose(out);
    return rc;
}

static void random_text(char *out, size_t n, const char *alphabet)
{
    unsigned char r[64];
    size_t i, k = strlen(alphabet);

    fgs__random_bytes(r, n);
    for (i = 0; i < n; i++)
        out[i] = alphabet[r[i] % k];
    out[n] = '\0';
}

int srv_credentials_load_or_create(struct srv_credentials *out, const char *data_dir,
                                   const char *project_id, bool *created)
{
    char path[4200], ak[21], sk[41], text[512];
    int fd, n;

    *created = false;
    snprintf(path, sizeof(path), "%s/credentials", data_dir);
    if (access(path, F_OK) == 0)
        return srv_credentials_load(out, path);
    random_text(ak, 20, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
    random_text(sk, 40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
    n = snprintf(text, sizeof(text),
                 "# fgsd credentials: ACCESS_KEY SECRET_KEY PROJECT_ID[,PROJECT_ID...]\n"
                 "%s %s %s\n", ak, sk, project_id);
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 || write(fd, text, (size_t)n) != n || fsync(fd) < 0) {
        fprintf(stderr, "fgsd: cannot write %s: %s\n", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    close(fd);
    *created = true;
    return srv_credentials_load(out, path);
}

const struct srv_credential *srv_credentials_find(const struct srv_credentials *c,
                                                  const char *ak)
{
    const struct srv_credential *found = NULL;
    size_t i, len = strlen(ak);

    /* Compare every entry fully so timing does not tell which keys exist. */
    for (i = 0; i < c->n; i++) {
        const char *k = c->items[i].ak;

        if (strlen(k) == len && fgs__ct_memcmp(k, ak, len) == 0 && !found)
            found = &c->items[i];
    }
    return found;
}

bool srv_credential_allows(const struct srv_credential *cred, const char *project)
{
    int i;

    for (i = 0; i < cred->nprojects; i++)
        if (strcmp(cred->projects[i], "*") == 0 || strcmp(cred->projects[i], project) == 0)
            return true;
    return false;
}

void srv_credentials_dispose(struct srv_credentials *c)
{
    if (!c)
        return;
    if (c->items)
        memset(c->items, 0, c->n * sizeof(*c->items)); /* do not leave secrets in freed memory */
    free(c->items);
    c->items = NULL;
    c->n = 0;
}
