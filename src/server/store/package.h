/*
 * package.h - code packages of fgsd: checking zip/jar archives received from
 * users, materialising a package as <code_dir>/<digest>/ for execution,
 * fetching "obs" packages over http(s) and removing unused packages.
 *
 * Everything here handles hostile input (archives and URLs come straight
 * from API callers), so each function states the bounds it enforces.
 */
#ifndef SRV_STORE_PACKAGE_H
#define SRV_STORE_PACKAGE_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

struct srv_package_limits {
    int64_t max_package_bytes;  /* zipped / raw package size (FSS.1071 beyond) */
    int64_t max_unpacked_bytes; /* total bytes actually inflated */
    int64_t max_entries;        /* zip entries */
};

/*
 * Checks a zip or jar archive held in memory, without writing anything:
 * it must open as a zip, have 1..max_entries entries, no entry name that is
 * empty, absolute, contains a ".." component, a backslash or a control char
 * (checked on the raw stored bytes; libzip turns a NUL inside a stored name
 * into a space, so a NUL cannot truncate what we see),
 * is deeper than 128 components, or is a duplicate (after normalising "./"
 * and "//") or uses a file as a directory, no symlink or device entries (unix
 * mode in the external attributes), no encrypted entries, no compression
 * method libzip cannot inflate, and the sum of the uncompressed sizes it
 * declares must be within max_unpacked_bytes. Returns 0, or -1 with a
 * one-line reason in err.
 */
int srv_package_check_zip(
    const void *data, size_t len, const struct srv_package_limits *lim, char *err, size_t errlen);

/*
 * Materialises a package as a directory <code_dir>/<digest>/ ready for
 * execution: for code_type "zip" the archive is checked as above and
 * extracted (every path component created/opened relative to the directory
 * fd with O_NOFOLLOW, files 0644 / dirs 0755, 0755 for files the zip marks
 * executable; inflated bytes are counted while writing and extraction aborts
 * once an entry inflates beyond its declared size or the total beyond
 * max_unpacked_bytes); for "jar" the jar itself is stored as <filename>; for
 * "inline" the source is written as one file named filename (0755 when the
 * name is "bootstrap"). Work happens in a temporary directory next to the
 * target that is renamed into place, so a half-written directory is never
 * visible; if the target already exists the call succeeds without doing
 * anything. digest must be 1..128 characters of [A-Za-z0-9_-]. Returns 0, or
 * -1 with a one-line reason in err (the temporary directory is removed).
 */
int srv_package_unpack(const char *code_dir,
                       const char *digest,
                       const char *code_type,
                       const char *filename,
                       const void *data,
                       size_t len,
                       const struct srv_package_limits *lim,
                       char *err,
                       size_t errlen);

/*
 * Downloads an http:// or https:// URL (code_type "obs" packages) with
 * libcurl into memory, refusing other schemes, following at most 3
 * redirects (http/https only), failing on HTTP status >= 400, with a 30 s
 * total timeout and aborting once more than max bytes arrive. No content
 * decoding is requested, so max bounds the bytes on the wire and in memory.
 * Returns 0 with a malloc'd *data (free() it) and *len, or -1 with a reason
 * in err and *data = NULL.
 */
int srv_package_fetch(
    const char *url, size_t max, unsigned char **data, size_t *len, char *err, size_t errlen);

/*
 * Removes <code_dir>/<digest>/ (used when no version refers to it any more).
 * The directory is first renamed away so it disappears atomically, then
 * deleted without following symlinks. A missing directory is not an error.
 * Returns 0 or -1.
 */
/*
 * Allows or forbids srv_package_fetch() connections to loopback, private,
 * link-local and other non-public addresses (forbidden by default, against
 * SSRF through code_url). Set once at start-up.
 */
void srv_package_allow_private(bool allow);

int srv_package_remove(const char *code_dir, const char *digest);

/*
 * Deletes leftovers of interrupted unpacks and removals (the ".tmp-*" and
 * ".rm-*" entries of code_dir). Call it at start-up only, before any unpack
 * can be running. Returns 0 or -1.
 */
int srv_package_sweep(const char *code_dir);

#endif
