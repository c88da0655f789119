/*
 * zipdir.c - packs a code directory into a zip archive in memory (what
 * "fgs function create --code DIR" uploads). Only regular files and
 * directories are taken; symbolic links and special files are refused, so
 * the archive holds exactly what the directory shows.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>
#include "cmd.h"

/* Adds dir/rel (recursively) to the archive under the name rel. */
static int add_tree(zip_t *z, const char *root, const char *rel)
{
    char path[4096], child[4096];
    struct dirent *de;
    DIR *d;
    int rc = 0;

    snprintf(path, sizeof(path), "%s%s%s", root, *rel ? "/" : "", rel);
    d = opendir(path);
    if (!d)
        return cli_error_os("cannot open %s: %s", path, strerror(errno));
    while (rc == 0 && (de = readdir(d)) != NULL) {
        struct stat st;
        char full[8192];

        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        snprintf(child, sizeof(child), "%s%s%s", rel, *rel ? "/" : "", de->d_name);
        snprintf(full, sizeof(full), "%s/%s", root, child);
        if (lstat(full, &st) < 0) {
            rc = cli_error_os("cannot stat %s: %s", full, strerror(errno));
        } else if (S_ISDIR(st.st_mode)) {
            rc = add_tree(z, root, child);
        } else if (S_ISREG(st.st_mode)) {
            zip_source_t *src = zip_source_file(z, full, 0, -1);

            if (!src || zip_file_add(z, child, src, ZIP_FL_ENC_UTF_8) < 0) {
                zip_source_free(src);
                rc = cli_error_os("cannot add %s to the zip: %s", full, zip_strerror(z));
            }
        } else {
            rc = cli_error_os("%s is not a regular file or directory (links are not packed)",
                              full);
        }
    }
    closedir(d);
    return rc;
}

/*
 * Zips dir into a malloc'd buffer.
 */
int cli_zip_dir(const char *dir, unsigned char **out, size_t *len)
{
    char tmpl[] = "/tmp/fgs-code-XXXXXX";
    zip_t *z = NULL;
    char *data = NULL;
    int fd, err = 0, rc;

    *out = NULL;
    fd = mkstemp(tmpl);
    if (fd < 0)
        return cli_error_os("cannot create a temporary file: %s", strerror(errno));
    close(fd);
    z = zip_open(tmpl, ZIP_TRUNCATE, &err);
    if (!z) {
        unlink(tmpl);
        return cli_error_os("cannot create a zip archive (libzip error %d)", err);
    }
    rc = add_tree(z, dir, "");
    if (rc == 0 && zip_get_num_entries(z, 0) == 0)
        rc = cli_error_os("%s has no files to pack", dir);
    if (rc) {
        zip_discard(z);
        unlink(tmpl);
        return rc;
    }
    if (zip_close(z) < 0) {
        rc = cli_error_os("cannot write the zip archive: %s", zip_strerror(z));
        zip_discard(z);
        unlink(tmpl);
        return rc;
    }
    rc = cli_read_file(tmpl, &data, len);
    unlink(tmpl);
    *out = (unsigned char *)data;
    return rc;
}
