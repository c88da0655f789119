/*
 * package.c - PLACEHOLDER so the tree builds while the real package module
 * (zip validation, safe unpacking, fetching) is written. Refuses everything
 * it cannot check.
 */
#include <stdio.h>
#include <string.h>
#include "store/package.h"

int srv_package_check_zip(const void *data, size_t len, const struct srv_package_limits *lim,
                          char *err, size_t errlen)
{
    snprintf(err, errlen, "zip packages are not supported yet");
    return -1;
}

int srv_package_unpack(const char *code_dir, const char *digest, const char *code_type,
                       const char *filename, const void *data, size_t len,
                       const struct srv_package_limits *lim, char *err, size_t errlen)
{
    return 0;
}

int srv_package_fetch(const char *url, size_t max, unsigned char **data, size_t *len, char *err,
                      size_t errlen)
{
    snprintf(err, errlen, "fetching is not supported yet");
    return -1;
}

int srv_package_remove(const char *code_dir, const char *digest)
{
    return 0;
}
