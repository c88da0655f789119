/*
 * list_pages.c - list every function, page by page with fgs_function_list()
 * and then with the iterator, and check both see the same number.
 *
 *     ./example_list_pages [PAGE_SIZE]
 */
#include "common.h"

int main(int argc, char **argv)
{
    fgs_list_options o = FGS_LIST_OPTIONS_INIT;
    struct fgs_function_page *page = NULL;
    const struct fgs_function *f;
    fgs_function_iter *it = NULL;
    char marker[32] = "0";
    size_t by_page = 0, by_iter = 0, i;
    fgs_client *c;
    int rc = 1, err;

    fgs_global_init();
    c = client_from_env();
    o.maxitems = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 2;
    for (;;) {
        o.marker = marker;
        if (fgs_function_list(&page, c, &o) < 0) {
            fail("list");
            goto done;
        }
        for (i = 0; i < page->count; i++)
            printf("page item: %s\n", page->items[i].func_name);
        by_page += page->count;
        if (page->count == 0 || page->next_marker >= page->total)
            break;
        snprintf(marker, sizeof(marker), "%lld", (long long)page->next_marker);
        fgs_function_page_free(page);
        page = NULL;
    }
    o.marker = NULL;
    if (fgs_function_iter_new(&it, c, &o) < 0) {
        fail("iter");
        goto done;
    }
    while ((err = fgs_function_iter_next(&f, it)) == 0)
        by_iter++;
    if (err != FGS_ITEROVER) {
        fail("iter_next");
        goto done;
    }
    printf("%zu functions by page, %zu by iterator\n", by_page, by_iter);
    rc = by_page == by_iter ? 0 : 1;
done:
    fgs_function_page_free(page);
    fgs_function_iter_free(it);
    fgs_client_free(c);
    fgs_global_shutdown();
    return rc;
}
