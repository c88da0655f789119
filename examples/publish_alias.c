/*
 * publish_alias.c - publish the latest code of a function as a version,
 * point an alias at it, then list the versions and the aliases.
 *
 *     ./example_publish_alias FUNCTION [ALIAS]
 */
#include "common.h"

int main(int argc, char **argv)
{
    fgs_publish_options po = FGS_PUBLISH_OPTIONS_INIT;
    fgs_alias_options ao = FGS_ALIAS_OPTIONS_INIT;
    struct fgs_function *ver = NULL;
    struct fgs_alias *alias = NULL;
    struct fgs_aliases *aliases = NULL;
    const struct fgs_function *f;
    fgs_function_iter *it = NULL;
    fgs_client *c;
    size_t i;
    int rc = 1, err;

    if (argc < 2) {
        fprintf(stderr, "usage: %s FUNCTION [ALIAS]\n", argv[0]);
        return 2;
    }
    fgs_global_init();
    c = client_from_env();
    po.description = "published by example_publish_alias";
    if (fgs_version_publish(&ver, c, argv[1], &po) < 0) {
        fail("publish");
        goto done;
    }
    printf("published version %s\n", ver->version);
    ao.name = argc > 2 ? argv[2] : "live";
    ao.target_version = ver->version;
    if (fgs_alias_create(&alias, c, argv[1], &ao) < 0) {
        fail("alias create");
        goto done;
    }
    printf("alias %s -> %s (%s)\n", alias->name, alias->version, alias->alias_urn);
    if (fgs_version_iter_new(&it, c, argv[1], NULL) < 0) {
        fail("versions");
        goto done;
    }
    while ((err = fgs_function_iter_next(&f, it)) == 0)
        printf("version %s\n", f->version);
    if (err != FGS_ITEROVER || fgs_alias_list(&aliases, c, argv[1]) < 0) {
        fail("list");
        goto done;
    }
    for (i = 0; i < aliases->count; i++)
        printf("alias %s\n", aliases->items[i].name);
    rc = 0;
done:
    fgs_function_free(ver);
    fgs_alias_free(alias);
    fgs_aliases_free(aliases);
    fgs_function_iter_free(it);
    fgs_client_free(c);
    fgs_global_shutdown();
    return rc;
}
