/*
 * package.h - code packages: checking zips, unpacking per digest, fetching
 * obs URLs. (Interface placeholder; the full module replaces package.c.)
 */
#ifndef SRV_STORE_PACKAGE_H
#define SRV_STORE_PACKAGE_H

#include <stddef.h>
#include <stdint.h>

struct srv_package_limits {
    int64_t max_package_bytes;  /* zipped / raw package size (FSS.1071 beyond) */
    int64_t max_unpacked_bytes; /* total bytes actually inflated */
    int64_t max_entries;        /* zip entries */
};

int srv_package_check_zip(const void *data, size_t len, const struct srv_package_limits *lim,
                          char *err, size_t errlen);
int srv_package_unpack(const char *code_dir, const char *digest, const char *code_type,
                       const char *filename, const void *data, size_t len,
                       const struct srv_package_limits *lim, char *err, size_t errlen);
int srv_package_fetch(const char *url, size_t max, unsigned char **data, size_t *len, char *err,
                      size_t errlen);
int srv_package_remove(const char *code_dir, const char *digest);

#endif
