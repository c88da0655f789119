/*
 * json.c - JSON helpers of the SDK: reading reply bodies into the public
 * result structs and building request bodies.
 *
 * Replies are checked for shape only as far as the SDK depends on it (an
 * object where an object is documented, arrays where lists are); members of
 * an unexpected type read as absent, and unknown members are kept in the
 * raw_json text of each result.
 */
#include <stdlib.h>
#include <string.h>
#include "lib/internal.h"
#include "util/crypto.h"
#include "util/str.h"

/*
 * Parses the reply body as JSON of the given type; FGS_EPROTOCOL otherwise.
 */
int fgs__reply_json(json_t **out, const struct fgs__resp *resp, json_type type)
{
    const char *text = resp->body.ptr ? resp->body.ptr : "";
    json_error_t err, err2;
    json_t *v;

    *out = NULL;
    v = json_loadb(text, resp->body.len, JSON_DECODE_ANY, &err);
    if (!v) {
        /*
         * jansson does not always report a failed allocation as such (a
         * string that could not be stored reads as a syntax error). A syntax
         * error is deterministic, so if the same bytes parse on a second try
         * the first failure was memory.
         */
        v = json_loadb(text, resp->body.len, JSON_DECODE_ANY, &err2);
        if (v || json_error_code(&err) == json_error_out_of_memory ||
            json_error_code(&err2) == json_error_out_of_memory) {
            json_decref(v);
            return fgs__error_oom();
        }
        fgs__error_set(FGS_EPROTOCOL, "malformed reply: %s (line %d column %d)", err.text,
                       err.line, err.column);
        fgs__error_set_http((int)resp->status, NULL, fgs__resp_header(resp, "x-request-id"));
        return FGS_EPROTOCOL;
    }
    if (json_typeof(v) != type) {
        json_decref(v);
        fgs__error_set(FGS_EPROTOCOL, "malformed reply: expected a JSON %s",
                       type == JSON_ARRAY ? "array" : "object");
        fgs__error_set_http((int)resp->status, NULL, fgs__resp_header(resp, "x-request-id"));
        return FGS_EPROTOCOL;
    }
    *out = v;
    return 0;
}

/*
 * Copies a string member; absent or non-string members give NULL.
 */
int fgs__jstr(char **dst, json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));

    *dst = NULL;
    if (!s)
        return 0;
    *dst = fgs__strndup(s, json_string_length(json_object_get(obj, key)));
    return *dst ? 0 : fgs__error_oom();
}

/*
 * Compact JSON text of a whole value (fgs__free).
 */
int fgs__jtext(char **dst, json_t *v)
{
    char *s;

    *dst = NULL;
    s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    if (!s)
        return fgs__error_oom();
    *dst = fgs__strdup(s);
    free(s);
    return *dst ? 0 : fgs__error_oom();
}

/*
 * Compact JSON text of a member; NULL when absent or null.
 */
int fgs__jdump(char **dst, json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);

    *dst = NULL;
    if (!v || json_is_null(v))
        return 0;
    return fgs__jtext(dst, v);
}

/*
 * Integer member; reals are truncated, numeric strings parsed.
 */
int64_t fgs__jint(json_t *obj, const char *key, int64_t def)
{
    json_t *v = json_object_get(obj, key);
    int64_t n;

    if (json_is_integer(v))
        return (int64_t)json_integer_value(v);
    if (json_is_real(v))
        return (int64_t)json_real_value(v);
    if (json_is_string(v) && fgs__parse_int64(json_string_value(v), INT64_MIN, INT64_MAX, &n) == 0)
        return n;
    return def;
}

/*
 * Copies the reply body into a NUL-terminated string.
 */
int fgs__body_dup(char **dst, const struct fgs__resp *resp)
{
    *dst = fgs__strndup(resp->body.ptr ? resp->body.ptr : "", resp->body.len);
    return *dst ? 0 : fgs__error_oom();
}

/* Whether s is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF). */
static bool utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    while (*p) {
        unsigned c = *p++, need, cp, i;

        if (c < 0x80)
            continue;
        if (c >= 0xc2 && c <= 0xdf) {
            need = 1;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            need = 2;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            need = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        for (i = 0; i < need; i++, p++) {
            if ((*p & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (*p & 0x3f);
        }
        if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return false;
    }
    return true;
}

/*
 * Sets a string member when s is not NULL.
 */
int fgs__jset_str(json_t *obj, const char *key, const char *s)
{
    json_t *v;

    if (!s)
        return 0;
    if (!utf8_valid(s))
        return fgs__error_set(FGS_EINVALID, "%s is not valid UTF-8", key);
    v = json_string_nocheck(s);
    if (!v)
        return fgs__error_oom();
    return json_object_set_new(obj, key, v) < 0 ? fgs__error_oom() : 0;
}

/*
 * Sets an integer member.
 */
int fgs__jset_int(json_t *obj, const char *key, int64_t n)
{
    json_t *v = json_integer((json_int_t)n);

    if (!v || json_object_set_new(obj, key, v) < 0)
        return fgs__error_oom();
    return 0;
}

/*
 * Parses caller-supplied JSON text; FGS_EINVALID names the option on error.
 * With any false the value must be of the given type.
 */
int fgs__jparse(json_t **out, const char *what, const char *text, json_type type, bool any)
{
    json_error_t err;
    json_t *v;

    *out = NULL;
    v = json_loads(text, JSON_DECODE_ANY, &err);
    if (!v) {
        /* see fgs__reply_json: a second parse tells memory from syntax */
        v = json_loads(text, JSON_DECODE_ANY, NULL);
        if (v || json_error_code(&err) == json_error_out_of_memory) {
            json_decref(v);
            return fgs__error_oom();
        }
        return fgs__error_set(FGS_EINVALID, "%s is not valid JSON: %s", what, err.text);
    }
    if (!any && json_typeof(v) != type) {
        json_decref(v);
        return fgs__error_set(FGS_EINVALID, "%s must be a JSON %s", what,
                              type == JSON_ARRAY ? "array" : "object");
    }
    *out = v;
    return 0;
}

/*
 * Merges the members of an object text into obj (extra_json options).
 */
int fgs__jmerge(json_t *obj, const char *extra_json)
{
    json_t *extra;
    int rc;

    if (!extra_json)
        return 0;
    rc = fgs__jparse(&extra, "extra_json", extra_json, JSON_OBJECT, false);
    if (rc < 0)
        return rc;
    rc = json_object_update(obj, extra) < 0 ? fgs__error_oom() : 0;
    json_decref(extra);
    return rc;
}

/*
 * Serializes a request body.
 */
int fgs__jencode(char **out, json_t *obj)
{
    return fgs__jtext(out, obj);
}

/*
 * Adds func_code.file = base64(code).
 */
int fgs__jset_code(json_t *obj, const void *code, size_t code_len)
{
    json_t *fc;
    char *b64;
    int rc;

    if (!code || code_len == 0)
        return 0;
    b64 = fgs__b64_encode(code, code_len);
    if (!b64)
        return fgs__error_oom();
    fc = json_object();
    rc = fc ? fgs__jset_str(fc, "file", b64) : fgs__error_oom();
    free(b64);
    if (rc == 0 && json_object_set_new(obj, "func_code", fc) < 0)
        return fgs__error_oom();
    if (rc < 0)
        json_decref(fc);
    return rc;
}

/*
 * Clears the contents of a function struct.
 */
void fgs__function_clear(struct fgs_function *f)
{
    char **strs[] = { &f->func_urn,      &f->func_name,     &f->func_id,
                      &f->domain_id,     &f->package,       &f->runtime,
                      &f->handler,       &f->code_type,     &f->code_url,
                      &f->code_filename, &f->digest,        &f->version,
                      &f->version_description, &f->description, &f->user_data,
                      &f->xrole,         &f->app_xrole,     &f->initializer_handler,
                      &f->last_modified, &f->raw_json };
    size_t i;

    for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
        FGS_FREE(*strs[i]);
}

/*
 * Fills a function struct from a Function object (and keeps its text).
 */
int fgs__function_from_json(struct fgs_function *f, json_t *o)
{
    struct {
        char **dst;
        const char *key;
    } strs[] = {
        { &f->func_urn, "func_urn" },       { &f->func_name, "func_name" },
        { &f->func_id, "func_id" },         { &f->domain_id, "domain_id" },
        { &f->package, "package" },         { &f->runtime, "runtime" },
        { &f->handler, "handler" },         { &f->code_type, "code_type" },
        { &f->code_url, "code_url" },       { &f->code_filename, "code_filename" },
        { &f->digest, "digest" },           { &f->version, "version" },
        { &f->version_description, "version_description" },
        { &f->description, "description" }, { &f->user_data, "user_data" },
        { &f->xrole, "xrole" },             { &f->app_xrole, "app_xrole" },
        { &f->initializer_handler, "initializer_handler" },
        { &f->last_modified, "last_modified" },
    };
    size_t i;
    int rc;

    for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
        rc = fgs__jstr(strs[i].dst, o, strs[i].key);
        if (rc < 0)
            return rc;
    }
    f->timeout = fgs__jint(o, "timeout", 0);
    f->memory_size = fgs__jint(o, "memory_size", 0);
    f->cpu = fgs__jint(o, "cpu", 0);
    f->code_size = fgs__jint(o, "code_size", 0);
    f->initializer_timeout = fgs__jint(o, "initializer_timeout", 0);
    return fgs__jtext(&f->raw_json, o);
}

/*
 * Parses a {<key>:[Function], next_marker, count} reply into a page.
 */
int fgs__page_from_reply(struct fgs_function_page **out, const struct fgs__resp *resp,
                         const char *key)
{
    struct fgs_function_page *page = NULL;
    json_t *root = NULL, *arr, *item;
    size_t i;
    int rc;

    rc = fgs__reply_json(&root, resp, JSON_OBJECT);
    if (rc < 0)
        return rc;
    arr = json_object_get(root, key);
    if (!json_is_array(arr)) {
        rc = fgs__error_set(FGS_EPROTOCOL, "malformed reply: no \"%s\" array", key);
        goto done;
    }
    page = fgs__calloc(1, sizeof(*page));
    if (page)
        page->items = fgs__calloc(json_array_size(arr) + 1, sizeof(*page->items));
    if (!page || !page->items) {
        rc = fgs__error_oom();
        goto done;
    }
    json_array_foreach(arr, i, item)
    {
        if (!json_is_object(item)) {
            rc = fgs__error_set(FGS_EPROTOCOL, "malformed reply: \"%s\" item is not an object",
                                key);
            goto done;
        }
        page->count++;
        rc = fgs__function_from_json(&page->items[i], item);
        if (rc < 0)
            goto done;
    }
    page->next_marker = fgs__jint(root, "next_marker", 0);
    page->total = fgs__jint(root, "count", (int64_t)page->count);
    rc = fgs__body_dup(&page->raw_json, resp);
done:
    json_decref(root);
    if (rc < 0) {
        fgs_function_page_free(page);
        page = NULL;
    }
    *out = page;
    return rc;
}

/*
 * Sends a request and parses its JSON reply.
 */
int fgs__call_json(fgs_client *c, const struct fgs__req *req, json_type type, json_t **root,
                   char **raw)
{
    struct fgs__resp resp = { 0 };
    int rc;

    *root = NULL;
    *raw = NULL;
    rc = fgs__call(c, req, &resp);
    if (rc == 0)
        rc = fgs__reply_json(root, &resp, type);
    if (rc == 0)
        rc = fgs__body_dup(raw, &resp);
    if (rc < 0) {
        json_decref(*root);
        *root = NULL;
    }
    fgs__resp_dispose(&resp);
    return rc;
}

/*
 * Sends a request whose reply body does not matter.
 */
int fgs__call_no_reply(fgs_client *c, const struct fgs__req *req)
{
    struct fgs__resp resp = { 0 };
    int rc = fgs__call(c, req, &resp);

    fgs__resp_dispose(&resp);
    return rc;
}

/*
 * Builds the path of a function resource.
 */
int fgs__function_path(struct fgs__buf *path, const char *urn, const char *suffix)
{
    int rc = fgs__path_lit(path, "/functions");

    if (rc == 0)
        rc = fgs__path_seg(path, "function URN", urn);
    if (rc == 0 && suffix)
        rc = fgs__path_lit(path, suffix);
    return rc;
}
