/*
 * package.c - code packages: zip/jar checks, safe extraction into
 * <code_dir>/<digest>/, http(s) fetching of "obs" packages, and removal.
 *
 * Archives are hostile input. The rules, from DESIGN.md section 2:
 *   - header sizes lie, so the bytes actually inflated are counted while
 *     writing and extraction stops at the declared size of each entry and at
 *     max_unpacked_bytes overall;
 *   - every path component is created and opened relative to a directory fd
 *     with O_NOFOLLOW, never through a path string, so a symlink (which we
 *     never create) or a concurrently swapped component cannot redirect a
 *     write outside the package directory;
 *   - names that are absolute, contain "..", backslashes or control
 *     characters, duplicates, symlink entries and encrypted entries are
 *     refused before anything is written.
 * Extraction happens in a temporary sibling directory that is renamed into
 * place at the end, so readers never see a half-written package.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>
#include "store/package.h"
#include "util/crypto.h"

#define PKG_MAX_DEPTH 128     /* path components in one entry name */
#define PKG_MAX_NAME 4095     /* bytes in one entry name */
#define PKG_CHUNK (64 * 1024) /* inflate / write chunk */
#define PKG_MAX_REDIRECTS 3L  /* fetch: redirects followed */
#define PKG_FETCH_TIMEOUT 30L /* fetch: total seconds */
#define PKG_RM_MAX_DEPTH 512  /* removal: directory depth */

/* One checked entry of an archive. */
struct pkg_entry {
    char *name;   /* normalised: no "", "." or ".." components, no leading / */
    int64_t size; /* declared uncompressed size */
    bool is_dir;  /* directory entry (trailing '/' or S_IFDIR) */
    bool exec;    /* unix mode has an execute bit */
};

/* All entries of a checked archive, with an open-addressing index by name. */
struct pkg_list {
    struct pkg_entry *v; /* one per archive index */
    size_t n;            /* entries */
    size_t *slots;       /* hash slots: entry index + 1, 0 = empty */
    size_t nslots;       /* power of two, > 2 * n */
};

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    if (err && errlen) {
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/*
 * A printable, bounded copy of a hostile name for error messages, so that a
 * reason stays one line whatever the archive contains.
 */
static const char *printable(char *out, size_t outlen, const char *s)
{
    size_t i = 0;

    for (; *s && i + 4 < outlen; s++)
        out[i++] = ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f) ? '?' : *s;
    if (*s && outlen >= 4) {
        out[i++] = '.';
        out[i++] = '.';
        out[i++] = '.';
    }
    if (outlen)
        out[i < outlen ? i : outlen - 1] = '\0';
    return out;
}

/*
 * Digests name directories inside code_dir: restricting them to
 * [A-Za-z0-9_-] keeps them single components that cannot be ".", "..", or
 * collide with our own ".tmp-" and ".rm-" names.
 */
static bool digest_ok(const char *d)
{
    size_t n;

    if (!d)
        return false;
    for (n = 0; d[n]; n++) {
        char c = d[n];

        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              c == '_' || c == '-'))
            return false;
    }
    return n >= 1 && n <= 128;
}

/* A single, ordinary file name for jar and inline packages. */
static bool filename_ok(const char *s)
{
    size_t n;

    if (!s || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
        return false;
    for (n = 0; s[n]; n++)
        if (s[n] == '/' || s[n] == '\\' || (unsigned char)s[n] < 0x20 || s[n] == 0x7f)
            return false;
    return n >= 1 && n <= NAME_MAX;
}

/*
 * Turns a raw entry name into its normalised form in out (PKG_MAX_NAME + 1
 * bytes), refusing anything that could leave the package directory or be
 * read differently by another tool. libzip already replaces NUL bytes inside
 * a stored name with spaces (zip_dirent.c), so a NUL cannot hide a suffix.
 */
static int
normalise_name(const char *raw, char *out, bool *trailing_slash, char *err, size_t errlen)
{
    char pn[96];
    const char *p = raw, *c;
    size_t olen = 0, rlen = strlen(raw);
    int depth = 0;

    if (rlen == 0)
        return fail(err, errlen, "zip entry with an empty name");
    if (rlen > PKG_MAX_NAME)
        return fail(err, errlen, "zip entry name is longer than %d bytes", PKG_MAX_NAME);
    if (raw[0] == '/')
        return fail(err, errlen, "zip entry '%s' is an absolute path",
                    printable(pn, sizeof(pn), raw));
    for (c = raw; *c; c++) {
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            return fail(err, errlen, "zip entry '%s' has a control character in its name",
                        printable(pn, sizeof(pn), raw));
        if (*c == '\\')
            return fail(err, errlen, "zip entry '%s' has a backslash in its name",
                        printable(pn, sizeof(pn), raw));
    }
    while (*p) {
        size_t n = strcspn(p, "/");

        if (n == 2 && p[0] == '.' && p[1] == '.')
            return fail(err, errlen, "zip entry '%s' has a '..' component",
                        printable(pn, sizeof(pn), raw));
        if (n > NAME_MAX)
            return fail(err, errlen, "zip entry '%s' has a component longer than %d bytes",
                        printable(pn, sizeof(pn), raw), NAME_MAX);
        if (n > 0 && !(n == 1 && p[0] == '.')) {
            if (++depth > PKG_MAX_DEPTH)
                return fail(err, errlen, "zip entry '%s' is nested deeper than %d levels",
                            printable(pn, sizeof(pn), raw), PKG_MAX_DEPTH);
            if (olen)
                out[olen++] = '/';
            memcpy(out + olen, p, n);
            olen += n;
        }
        p += n;
        if (*p == '/')
            p++;
    }
    out[olen] = '\0';
    if (olen == 0)
        return fail(err, errlen, "zip entry '%s' names no file", printable(pn, sizeof(pn), raw));
    *trailing_slash = raw[rlen - 1] == '/';
    return 0;
}

static uint64_t name_hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    size_t i;

    for (i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* The entry whose normalised name is the first n bytes of s, or NULL. */
static struct pkg_entry *list_find(const struct pkg_list *l, const char *s, size_t n)
{
    size_t i = (size_t)name_hash(s, n) & (l->nslots - 1);

    for (; l->slots[i]; i = (i + 1) & (l->nslots - 1)) {
        struct pkg_entry *e = &l->v[l->slots[i] - 1];

        if (strlen(e->name) == n && memcmp(e->name, s, n) == 0)
            return e;
    }
    return NULL;
}

static void list_insert(struct pkg_list *l, size_t idx)
{
    const char *s = l->v[idx].name;
    size_t i = (size_t)name_hash(s, strlen(s)) & (l->nslots - 1);

    while (l->slots[i])
        i = (i + 1) & (l->nslots - 1);
    l->slots[i] = idx + 1;
}

static void list_dispose(struct pkg_list *l)
{
    size_t i;

    if (l->v)
        for (i = 0; i < l->n; i++)
            free(l->v[i].name);
    free(l->v);
    free(l->slots);
    memset(l, 0, sizeof(*l));
}

/*
 * Opens an in-memory archive read-only. The buffer is not copied and must
 * outlive *out. Archives shorter than an end-of-central-directory record are
 * refused here because libzip treats empty input as an empty archive.
 */
static int archive_open(const void *data, size_t len, zip_t **out, char *err, size_t errlen)
{
    zip_error_t ze;
    zip_source_t *src;

    *out = NULL;
    if (!data || len < 22)
        return fail(err, errlen, "not a zip archive");
    zip_error_init(&ze);
    src = zip_source_buffer_create(data, len, 0, &ze);
    if (!src) {
        fail(err, errlen, "cannot read the archive: %s", zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return -1;
    }
    *out = zip_open_from_source(src, ZIP_RDONLY, &ze);
    if (!*out) {
        zip_source_free(src);
        fail(err, errlen, "not a valid zip archive: %s", zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return -1;
    }
    zip_error_fini(&ze);
    return 0;
}

/* Checks one entry and records it as l->v[i]; see srv_package_check_zip. */
static int
check_entry(zip_t *za, zip_uint64_t i, struct pkg_list *l, char *name, char *err, size_t errlen)
{
    struct pkg_entry *e = &l->v[i];
    char pn[96];
    zip_stat_t st;
    zip_uint8_t opsys;
    zip_uint32_t attr;
    bool slash = false;

    zip_stat_init(&st);
    /*
     * ZIP_FL_ENC_RAW: the stored bytes, not libzip's CP437-to-UTF-8 guess, which
     * would turn a control character such as 0x01 into a printable symbol.
     */
    if (zip_stat_index(za, i, ZIP_FL_ENC_RAW, &st) < 0 || !(st.valid & ZIP_STAT_NAME) || !st.name)
        return fail(err, errlen, "cannot read zip entry %llu: %s", (unsigned long long)i,
                    zip_strerror(za));
    if (normalise_name(st.name, name, &slash, err, errlen) < 0)
        return -1;
    printable(pn, sizeof(pn), name);
    if (!(st.valid & ZIP_STAT_SIZE) || st.size > (zip_uint64_t)INT64_MAX)
        return fail(err, errlen, "zip entry '%s' has no usable size", pn);
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
        return fail(err, errlen, "zip entry '%s' is encrypted", pn);
    if ((st.valid & ZIP_STAT_COMP_METHOD) && !zip_compression_method_supported(st.comp_method, 0))
        return fail(err, errlen, "zip entry '%s' uses unsupported compression method %d", pn,
                    (int)st.comp_method);
    e->size = (int64_t)st.size;
    e->is_dir = slash;
    if (zip_file_get_external_attributes(za, i, 0, &opsys, &attr) < 0)
        return fail(err, errlen, "cannot read the attributes of zip entry '%s'", pn);
    if (opsys == ZIP_OPSYS_UNIX) {
        mode_t mode = (mode_t)(attr >> 16);

        switch (mode & S_IFMT) {
        case 0:
        case S_IFREG:
            break;
        case S_IFDIR:
            e->is_dir = true;
            break;
        case S_IFLNK:
            return fail(err, errlen, "zip entry '%s' is a symbolic link", pn);
        default:
            return fail(err, errlen, "zip entry '%s' is not a regular file or directory", pn);
        }
        e->exec = (mode & 0111) != 0;
    }
    if (e->is_dir && e->size > 0)
        return fail(err, errlen, "zip directory entry '%s' has data", pn);
    if (list_find(l, name, strlen(name)))
        return fail(err, errlen, "zip entry '%s' appears more than once", pn);
    e->name = strdup(name);
    if (!e->name)
        return fail(err, errlen, "out of memory");
    list_insert(l, (size_t)i);
    return 0;
}

/*
 * Validates a whole opened archive and returns its entries in l. The checks
 * only use the central directory; nothing is inflated or written.
 */
static int archive_check(
    zip_t *za, const struct srv_package_limits *lim, struct pkg_list *l, char *err, size_t errlen)
{
    zip_int64_t n = zip_get_num_entries(za, 0);
    int64_t declared = 0;
    char *name = NULL;
    char pn[96];
    size_t i, k;
    int rc = -1;

    memset(l, 0, sizeof(*l));
    if (n < 0)
        return fail(err, errlen, "cannot count zip entries");
    if (n == 0)
        return fail(err, errlen, "zip archive has no entries");
    if ((int64_t)n > lim->max_entries)
        return fail(err, errlen, "zip archive has %lld entries, more than %lld", (long long)n,
                    (long long)lim->max_entries);
    if ((uint64_t)n > SIZE_MAX / 4)
        return fail(err, errlen, "zip archive has too many entries");
    l->n = (size_t)n;
    for (l->nslots = 16; l->nslots <= 2 * l->n; l->nslots *= 2)
        ;
    l->v = calloc(l->n, sizeof(*l->v));
    l->slots = calloc(l->nslots, sizeof(*l->slots));
    name = malloc(PKG_MAX_NAME + 1);
    if (!l->v || !l->slots || !name) {
        fail(err, errlen, "out of memory");
        goto done;
    }
    for (i = 0; i < l->n; i++) {
        if (check_entry(za, i, l, name, err, errlen) < 0)
            goto done;
        if (l->v[i].size > lim->max_unpacked_bytes - declared) {
            fail(err, errlen, "zip archive declares more than %lld unpacked bytes",
                 (long long)lim->max_unpacked_bytes);
            goto done;
        }
        declared += l->v[i].size;
    }
    /* "a" as a file and "a/b" as an entry cannot both be extracted. */
    for (i = 0; i < l->n; i++) {
        const char *s = l->v[i].name;

        for (k = 0; s[k]; k++) {
            struct pkg_entry *p;

            if (s[k] != '/')
                continue;
            p = list_find(l, s, k);
            if (p && !p->is_dir) {
                fail(err, errlen, "zip entry '%s' is used both as a file and a directory",
                     printable(pn, sizeof(pn), p->name));
                goto done;
            }
        }
    }
    rc = 0;
done:
    free(name);
    if (rc < 0)
        list_dispose(l);
    return rc;
}

/*
 * Validates an archive held in memory. Security reasoning: the checks run on
 * libzip's view of the central directory, which is also exactly what
 * extraction uses, so a name cannot pass here and mean something else there.
 * The declared sizes are only a first filter (they lie); extraction counts
 * again. The entry count is checked before any per-entry allocation.
 */
int srv_package_check_zip(
    const void *data, size_t len, const struct srv_package_limits *lim, char *err, size_t errlen)
{
    struct pkg_list l;
    zip_t *za = NULL;
    int rc;

    if (!lim)
        return fail(err, errlen, "no package limits given");
    if ((int64_t)len < 0 || (int64_t)len > lim->max_package_bytes)
        return fail(err, errlen, "package is larger than %lld bytes",
                    (long long)lim->max_package_bytes);
    if (archive_open(data, len, &za, err, errlen) < 0)
        return -1;
    rc = archive_check(za, lim, &l, err, errlen);
    if (rc == 0)
        list_dispose(&l);
    zip_discard(za);
    return rc;
}

static int write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t n = write(fd, p, len);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/*
 * Opens (creating when missing) the directory name inside parent, never
 * following a symlink. Returns the fd or -1 with errno set.
 */
static int open_subdir(int parent, const char *name)
{
    int fd;
    bool created = false;

    if (mkdirat(parent, name, 0755) == 0)
        created = true;
    else if (errno != EEXIST)
        return -1;
    fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    if (created && fchmod(fd, 0755) < 0) {
        int e = errno;

        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

/*
 * Creates a new regular file name in dir (O_EXCL: never reuses or follows an
 * existing name) with mode independent of the umask. Returns fd or -1.
 */
static int create_file(int dir, const char *name, mode_t mode)
{
    int fd = openat(dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);

    if (fd >= 0 && fchmod(fd, mode) < 0) {
        int e = errno;

        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

/*
 * Extracts entry idx into the tree under rootfd, walking its normalised name
 * one component at a time. *total counts the bytes inflated so far.
 */
static int extract_entry(zip_t *za,
                         zip_uint64_t idx,
                         const struct pkg_entry *e,
                         int rootfd,
                         int64_t *total,
                         int64_t max_total,
                         unsigned char *buf,
                         char *err,
                         size_t errlen)
{
    char comp[NAME_MAX + 1];
    char pn[96];
    const char *p = e->name;
    zip_file_t *zf = NULL;
    int dir = rootfd, fd = -1, rc = -1;
    int64_t got = 0;

    printable(pn, sizeof(pn), e->name);
    for (;;) {
        size_t n = strcspn(p, "/");
        int next;

        memcpy(comp, p, n);
        comp[n] = '\0';
        p += n;
        if (*p == '\0' && !e->is_dir)
            break;
        next = open_subdir(dir, comp);
        if (next < 0) {
            fail(err, errlen, "cannot create directory for '%s': %s", pn, strerror(errno));
            goto done;
        }
        if (dir != rootfd)
            close(dir);
        dir = next;
        if (*p == '\0') {
            rc = 0;
            goto done;
        }
        p++;
    }
    fd = create_file(dir, comp, e->exec ? 0755 : 0644);
    if (fd < 0) {
        fail(err, errlen, "cannot create '%s': %s", pn, strerror(errno));
        goto done;
    }
    zf = zip_fopen_index(za, idx, 0);
    if (!zf) {
        fail(err, errlen, "cannot read zip entry '%s': %s", pn, zip_strerror(za));
        goto done;
    }
    for (;;) {
        zip_int64_t n = zip_fread(zf, buf, PKG_CHUNK);

        if (n < 0) {
            fail(err, errlen, "cannot inflate zip entry '%s': %s", pn,
                 zip_error_strerror(zip_file_get_error(zf)));
            goto done;
        }
        if (n == 0)
            break;
        /* Count before writing: a lying header never gets a byte past its claim. */
        if (n > max_total - *total) {
            fail(err, errlen, "package inflates to more than %lld bytes", (long long)max_total);
            goto done;
        }
        if (n > e->size - got) {
            fail(err, errlen, "zip entry '%s' inflates beyond its declared %lld bytes", pn,
                 (long long)e->size);
            goto done;
        }
        *total += n;
        got += n;
        if (write_all(fd, buf, (size_t)n) < 0) {
            fail(err, errlen, "cannot write '%s': %s", pn, strerror(errno));
            goto done;
        }
    }
    if (got != e->size) {
        fail(err, errlen, "zip entry '%s' is shorter than its declared size", pn);
        goto done;
    }
    rc = 0;
done:
    if (zf) {
        int zrc = zip_fclose(zf);

        if (rc == 0 && zrc != 0)
            rc = fail(err, errlen, "zip entry '%s' is corrupt (zip error %d)", pn, zrc);
    }
    if (fd >= 0 && close(fd) < 0 && rc == 0)
        rc = fail(err, errlen, "cannot write '%s': %s", pn, strerror(errno));
    if (dir != rootfd)
        close(dir);
    return rc;
}

/* Extracts every entry of an archive already checked into l. */
static int extract_zip(zip_t *za,
                       const struct pkg_list *l,
                       const struct srv_package_limits *lim,
                       int rootfd,
                       char *err,
                       size_t errlen)
{
    unsigned char *buf = malloc(PKG_CHUNK);
    int64_t total = 0;
    size_t i;
    int rc = -1;

    if (!buf)
        return fail(err, errlen, "out of memory");
    for (i = 0; i < l->n; i++)
        if (extract_entry(za, i, &l->v[i], rootfd, &total, lim->max_unpacked_bytes, buf, err,
                          errlen) < 0)
            goto done;
    rc = 0;
done:
    free(buf);
    return rc;
}

static int write_single(int rootfd,
                        const char *name,
                        mode_t mode,
                        const void *data,
                        size_t len,
                        char *err,
                        size_t errlen)
{
    int fd = create_file(rootfd, name, mode);

    if (fd < 0)
        return fail(err, errlen, "cannot create '%s': %s", name, strerror(errno));
    if (write_all(fd, data, len) < 0) {
        fail(err, errlen, "cannot write '%s': %s", name, strerror(errno));
        close(fd);
        return -1;
    }
    if (close(fd) < 0)
        return fail(err, errlen, "cannot write '%s': %s", name, strerror(errno));
    return 0;
}

/*
 * Deletes name inside parent recursively without following symlinks: every
 * directory is opened with O_NOFOLLOW relative to its parent's fd, and
 * anything that is not a directory is unlinked, never entered.
 */
static int remove_tree_at(int parent, const char *name, int depth)
{
    struct dirent *de;
    DIR *d;
    int fd, pass, rc = 0;

    fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return 0;
        if (errno == ENOTDIR || errno == ELOOP)
            return unlinkat(parent, name, 0) < 0 && errno != ENOENT ? -1 : 0;
        return -1;
    }
    if (depth > PKG_RM_MAX_DEPTH) {
        close(fd);
        errno = ELOOP;
        return -1;
    }
    d = fdopendir(fd);
    if (!d) {
        close(fd);
        return -1;
    }
    /* Several passes: readdir need not return entries after a removal. */
    for (pass = 0; pass < 4; pass++) {
        rewinddir(d);
        while ((de = readdir(d)) != NULL) {
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                continue;
            if (de->d_type == DT_DIR || de->d_type == DT_UNKNOWN) {
                if (remove_tree_at(dirfd(d), de->d_name, depth + 1) < 0)
                    rc = -1;
            } else if (unlinkat(dirfd(d), de->d_name, 0) < 0 && errno != ENOENT) {
                rc = -1;
            }
        }
        if (rc < 0 || unlinkat(parent, name, AT_REMOVEDIR) == 0 || errno == ENOENT)
            break;
        if (errno != ENOTEMPTY && errno != EEXIST) {
            rc = -1;
            break;
        }
    }
    if (pass == 4)
        rc = -1;
    closedir(d);
    return rc;
}

/* A fresh name "<prefix><digest>-<16 hex>" for a sibling of the target. */
static int sibling_name(char *out, size_t outlen, const char *prefix, const char *digest)
{
    unsigned char r[8];
    char hex[17];

    if (fgs__random_bytes(r, sizeof(r)) < 0)
        return -1;
    fgs__hex(hex, r, sizeof(r));
    hex[16] = '\0';
    return (size_t)snprintf(out, outlen, "%s%s-%s", prefix, digest, hex) < outlen ? 0 : -1;
}

/*
 * Materialises a package; see package.h. Security reasoning: code_dir is
 * trusted configuration, everything below it is reached through directory
 * fds. The digest and file name are validated as single components. Zip
 * archives are fully checked before the temporary directory is created, so
 * a refused archive leaves nothing behind; failures after that remove the
 * temporary tree without following symlinks. The final renameat2 with
 * RENAME_NOREPLACE publishes the tree atomically and lets a concurrent
 * unpack of the same digest win without either side seeing a partial tree.
 */
int srv_package_unpack(const char *code_dir,
                       const char *digest,
                       const char *code_type,
                       const char *filename,
                       const void *data,
                       size_t len,
                       const struct srv_package_limits *lim,
                       char *err,
                       size_t errlen)
{
    char tmp[NAME_MAX + 1];
    struct pkg_list l = { 0 };
    struct stat st;
    zip_t *za = NULL;
    int rootfd = -1, tmpfd = -1, rc = -1;
    bool made_tmp = false;
    enum { K_ZIP, K_JAR, K_INLINE } kind;

    if (!code_dir || !lim || (!data && len))
        return fail(err, errlen, "bad arguments");
    if (!digest_ok(digest))
        return fail(err, errlen, "invalid package digest");
    if (code_type && strcmp(code_type, "zip") == 0)
        kind = K_ZIP;
    else if (code_type && strcmp(code_type, "jar") == 0)
        kind = K_JAR;
    else if (code_type && strcmp(code_type, "inline") == 0)
        kind = K_INLINE;
    else
        return fail(err, errlen, "code type cannot be unpacked");
    if (kind != K_ZIP && !filename_ok(filename))
        return fail(err, errlen, "invalid code file name");
    if ((int64_t)len < 0 || (int64_t)len > lim->max_package_bytes)
        return fail(err, errlen, "package is larger than %lld bytes",
                    (long long)lim->max_package_bytes);

    rootfd = open(code_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0)
        return fail(err, errlen, "cannot open the code directory: %s", strerror(errno));
    if (fstatat(rootfd, digest, &st, AT_SYMLINK_NOFOLLOW) == 0) {
        if (S_ISDIR(st.st_mode)) {
            rc = 0;
            goto done;
        }
        fail(err, errlen, "package path exists and is not a directory");
        goto done;
    }
    if (errno != ENOENT) {
        fail(err, errlen, "cannot inspect the package directory: %s", strerror(errno));
        goto done;
    }
    if (kind == K_ZIP) {
        if (archive_open(data, len, &za, err, errlen) < 0)
            goto done;
        if (archive_check(za, lim, &l, err, errlen) < 0)
            goto done;
    }

    if (sibling_name(tmp, sizeof(tmp), ".tmp-", digest) < 0) {
        fail(err, errlen, "cannot name a temporary directory");
        goto done;
    }
    if (mkdirat(rootfd, tmp, 0755) < 0) {
        fail(err, errlen, "cannot create a temporary directory: %s", strerror(errno));
        goto done;
    }
    made_tmp = true;
    tmpfd = openat(rootfd, tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (tmpfd < 0 || fchmod(tmpfd, 0755) < 0) {
        fail(err, errlen, "cannot open the temporary directory: %s", strerror(errno));
        goto done;
    }
    if (kind == K_ZIP) {
        if (extract_zip(za, &l, lim, tmpfd, err, errlen) < 0)
            goto done;
    } else {
        mode_t mode = kind == K_INLINE && strcmp(filename, "bootstrap") == 0 ? 0755 : 0644;

        if (write_single(tmpfd, filename, mode, data, len, err, errlen) < 0)
            goto done;
    }
    close(tmpfd);
    tmpfd = -1;
    if (renameat2(rootfd, tmp, rootfd, digest, RENAME_NOREPLACE) < 0) {
        if (errno == EINVAL || errno == ENOSYS) {
            /* No RENAME_NOREPLACE on this file system: a non-empty target still fails. */
            if (renameat(rootfd, tmp, rootfd, digest) == 0) {
                made_tmp = false;
                rc = 0;
                goto done;
            }
        }
        if (errno == EEXIST || errno == ENOTEMPTY) {
            rc = 0; /* a concurrent unpack of the same digest won */
            goto done;
        }
        fail(err, errlen, "cannot publish the package directory: %s", strerror(errno));
        goto done;
    }
    made_tmp = false;
    rc = 0;
done:
    if (tmpfd >= 0)
        close(tmpfd);
    if (made_tmp)
        remove_tree_at(rootfd, tmp, 0);
    if (rootfd >= 0)
        close(rootfd);
    list_dispose(&l);
    if (za)
        zip_discard(za);
    return rc;
}

/*
 * Removes a package directory. Security reasoning: the digest is validated
 * as one component, the directory is renamed to a private name first (so
 * an unpack never finds a half-deleted tree under the digest) and then
 * deleted through directory fds that never follow symlinks.
 */
int srv_package_remove(const char *code_dir, const char *digest)
{
    char gone[NAME_MAX + 1];
    int rootfd, rc = -1;

    if (!code_dir || !digest_ok(digest))
        return -1;
    rootfd = open(code_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0)
        return -1;
    if (sibling_name(gone, sizeof(gone), ".rm-", digest) < 0)
        goto done;
    if (renameat(rootfd, digest, rootfd, gone) < 0) {
        if (errno == ENOENT)
            rc = 0;
        goto done;
    }
    rc = remove_tree_at(rootfd, gone, 0);
done:
    close(rootfd);
    return rc;
}

/*
 * Deletes ".tmp-*" and ".rm-*" leftovers. Only names we create match, and
 * they are removed with the same no-follow walk as srv_package_remove.
 */
int srv_package_sweep(const char *code_dir)
{
    struct dirent *de;
    DIR *d;
    int fd, rc = 0;

    if (!code_dir)
        return -1;
    fd = open(code_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    d = fdopendir(fd);
    if (!d) {
        close(fd);
        return -1;
    }
    while ((de = readdir(d)) != NULL) {
        if (strncmp(de->d_name, ".tmp-", 5) != 0 && strncmp(de->d_name, ".rm-", 4) != 0)
            continue;
        if (remove_tree_at(dirfd(d), de->d_name, 0) < 0)
            rc = -1;
    }
    closedir(d);
    return rc;
}

/* Download state: the body so far, bounded by max. */
struct fetch_buf {
    unsigned char *data; /* malloc'd body */
    size_t len;          /* bytes received */
    size_t cap;          /* bytes allocated */
    size_t max;          /* refuse beyond this */
    bool too_big;        /* aborted because of max */
};

static size_t fetch_write(char *ptr, size_t size, size_t nmemb, void *payload)
{
    struct fetch_buf *b = payload;
    size_t n = size * nmemb;

    if (n > b->max - b->len) {
        b->too_big = true;
        return 0;
    }
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 64 * 1024;
        unsigned char *p;

        while (cap < b->len + n)
            cap = cap > SIZE_MAX / 2 ? SIZE_MAX : cap * 2;
        if (cap > b->max)
            cap = b->max;
        p = realloc(b->data, cap);
        if (!p)
            return 0;
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, ptr, n);
    b->len += n;
    return n;
}

/*
 * Whether fetches may connect to loopback, private, link-local and other
 * non-public addresses. Off by default: an obs code_url must not become a
 * way to make fgsd read its own admin endpoints, other local services or a
 * cloud metadata address (SSRF). Tests and single-machine setups turn it on.
 */
static bool allow_private;

void srv_package_allow_private(bool allow)
{
    allow_private = allow;
}

static bool address_is_private(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET) {
        uint32_t a = ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr);

        return (a >> 24) == 0 || (a >> 24) == 10 || (a >> 24) == 127 ||
               (a >> 20) == 0xac1 /* 172.16/12 */ || (a >> 16) == 0xc0a8 /* 192.168/16 */ ||
               (a >> 16) == 0xa9fe /* 169.254/16 */ || (a >> 22) == 0x191 /* 100.64/10 */ ||
               (a >> 28) >= 0xe /* multicast, reserved */;
    }
    if (sa->sa_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;

        if (IN6_IS_ADDR_V4MAPPED(a)) {
            struct sockaddr_in v4;

            memset(&v4, 0, sizeof(v4));
            v4.sin_family = AF_INET;
            memcpy(&v4.sin_addr, &a->s6_addr[12], 4);
            return address_is_private((const struct sockaddr *)&v4);
        }
        return IN6_IS_ADDR_LOOPBACK(a) || IN6_IS_ADDR_UNSPECIFIED(a) ||
               IN6_IS_ADDR_LINKLOCAL(a) || IN6_IS_ADDR_SITELOCAL(a) ||
               IN6_IS_ADDR_MULTICAST(a) || (a->s6_addr[0] & 0xfe) == 0xfc /* fc00::/7 */;
    }
    return true;
}

/* CURLOPT_OPENSOCKETFUNCTION: every connection, redirects included, passes here. */
static curl_socket_t fetch_open_socket(void *payload, curlsocktype purpose,
                                       struct curl_sockaddr *addr)
{
    bool *blocked = payload;

    if (!allow_private && address_is_private(&addr->addr)) {
        *blocked = true;
        return CURL_SOCKET_BAD;
    }
    return socket(addr->family, addr->socktype | SOCK_CLOEXEC, addr->protocol);
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc = CURLE_FAILED_INIT;

static void curl_init(void)
{
    curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static bool scheme_ok(const char *url)
{
    return strncasecmp(url, "http://", 7) == 0 || strncasecmp(url, "https://", 8) == 0;
}

/*
 * Fetches a package URL; see package.h. Security reasoning: the protocol
 * allow-list is enforced by libcurl for the first request and for every
 * redirect (so a redirect to file:// or ftp:// fails), the redirect count and
 * total time are bounded, the body is bounded by max both through
 * CURLOPT_MAXFILESIZE (announced lengths) and by counting in the write
 * callback (chunked or lying lengths), and Accept-Encoding is not sent so
 * libcurl never inflates a compressed body. Credentials are never sent on
 * redirects (libcurl's default without CURLOPT_UNRESTRICTED_AUTH).
 */
int srv_package_fetch(
    const char *url, size_t max, unsigned char **data, size_t *len, char *err, size_t errlen)
{
    char cerr[CURL_ERROR_SIZE] = "";
    struct fetch_buf b = { NULL, 0, 0, max, false };
    CURL *h = NULL;
    CURLcode cc;
    long status = 0;
    bool blocked = false;
    int rc = -1;

    if (data)
        *data = NULL;
    if (len)
        *len = 0;
    if (!url || !data || !len)
        return fail(err, errlen, "bad arguments");
    if (!scheme_ok(url))
        return fail(err, errlen, "only http and https URLs can be fetched");
    pthread_once(&curl_once, curl_init);
    if (curl_init_rc != CURLE_OK)
        return fail(err, errlen, "libcurl cannot be initialised");
    h = curl_easy_init();
    if (!h)
        return fail(err, errlen, "out of memory");
    if (curl_easy_setopt(h, CURLOPT_URL, url) != CURLE_OK) {
        fail(err, errlen, "invalid URL");
        goto done;
    }
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(h, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, PKG_MAX_REDIRECTS);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, PKG_FETCH_TIMEOUT);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_FAILONERROR, 1L);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 1L);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "fgsd");
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, cerr);
    curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, fetch_open_socket);
    curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, &blocked);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, fetch_write);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
    if (max < (size_t)INT64_MAX)
        curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max);
    cc = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (cc == CURLE_OK) {
        rc = 0;
    } else if (blocked) {
        fail(err, errlen, "the URL resolves to a private or loopback address, which fgsd does not fetch from (see --allow-private-fetch)");
    } else if (b.too_big || cc == CURLE_FILESIZE_EXCEEDED) {
        fail(err, errlen, "package is larger than %zu bytes", max);
    } else if (cc == CURLE_HTTP_RETURNED_ERROR) {
        fail(err, errlen, "HTTP status %ld", status);
    } else if (cc == CURLE_UNSUPPORTED_PROTOCOL) {
        fail(err, errlen, "redirected to a URL that is not http or https");
    } else if (cc == CURLE_TOO_MANY_REDIRECTS) {
        fail(err, errlen, "more than %ld redirects", PKG_MAX_REDIRECTS);
    } else {
        char line[CURL_ERROR_SIZE];

        fail(err, errlen, "%s",
             printable(line, sizeof(line), cerr[0] ? cerr : curl_easy_strerror(cc)));
    }
done:
    curl_easy_cleanup(h);
    if (rc < 0) {
        free(b.data);
        return -1;
    }
    if (!b.data) {
        b.data = malloc(1);
        if (!b.data)
            return fail(err, errlen, "out of memory");
    }
    *data = b.data;
    *len = b.len;
    return 0;
}
