/*
 * test_util.c - unit tests of src/util: buffers, strict integer parsing,
 * percent-decoding, base64, hashes, UUIDs and URN parsing.
 */
#include <stdlib.h>
#include <string.h>
#include "fgs_test.h"
#include "util/buf.h"
#include "util/crypto.h"
#include "util/str.h"
#include "util/timefmt.h"
#include "util/urn.h"

FGS_TEST(buf, grows_and_formats)
{
    struct fgs__buf b = FGS__BUF_INIT;
    int i;

    for (i = 0; i < 1000; i++)
        ASSERT_OK(fgs__buf_printf(&b, "%d,", i));
    ASSERT_EQ(b.len, strlen(b.ptr));
    ASSERT(strncmp(b.ptr, "0,1,2,", 6) == 0);
    ASSERT(strcmp(b.ptr + b.len - 4, "999,") == 0);
    fgs__buf_clear(&b);
    ASSERT_EQ(b.len, 0);
    ASSERT_STREQ(b.ptr, "");
    ASSERT_OK(fgs__buf_put(&b, "a\0b", 3));
    ASSERT_EQ(b.len, 3);
    ASSERT_EQ(b.ptr[3], '\0');
    fgs__buf_dispose(&b);
    ASSERT(b.ptr == NULL);
}

FGS_TEST(str, parse_int64_is_strict)
{
    int64_t v = 0;

    ASSERT_OK(fgs__parse_int64("42", 0, 100, &v));
    ASSERT_EQ(v, 42);
    ASSERT_OK(fgs__parse_int64("-5", -10, 10, &v));
    ASSERT_EQ(v, -5);
    ASSERT_EQ(fgs__parse_int64("", 0, 100, &v), -1);
    ASSERT_EQ(fgs__parse_int64(" 4", 0, 100, &v), -1);
    ASSERT_EQ(fgs__parse_int64("4 ", 0, 100, &v), -1);
    ASSERT_EQ(fgs__parse_int64("4x", 0, 100, &v), -1);
    ASSERT_EQ(fgs__parse_int64("101", 0, 100, &v), -1);
    ASSERT_EQ(fgs__parse_int64("99999999999999999999999", 0, INT64_MAX, &v), -1);
    ASSERT_EQ(fgs__parse_int64("+4", 0, 100, &v), -1);
}

FGS_TEST(str, pct_decode)
{
    char out[64];

    ASSERT_EQ(fgs__pct_decode(out, "urn%3Afss%21x", 13, false), 9);
    ASSERT_STREQ(out, "urn:fss!x");
    ASSERT_EQ(fgs__pct_decode(out, "a+b", 3, true), 3);
    ASSERT_STREQ(out, "a b");
    ASSERT_EQ(fgs__pct_decode(out, "a+b", 3, false), 3);
    ASSERT_STREQ(out, "a+b");
    ASSERT_EQ(fgs__pct_decode(out, "%zz", 3, false), -1);
    ASSERT_EQ(fgs__pct_decode(out, "ab%4", 4, false), -1);
    ASSERT_EQ(fgs__pct_decode(out, "ab%", 3, false), -1);
    ASSERT_EQ(fgs__pct_decode(out, "a%00b", 5, false), -1);
}

FGS_TEST(crypto, base64_round_trip_and_strictness)
{
    const char *cases[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
    const char *enc[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy" };
    unsigned char *d;
    size_t i, n;

    for (i = 0; i < 7; i++) {
        char *e = fgs__b64_encode(cases[i], strlen(cases[i]));

        ASSERT_STREQ(e, enc[i]);
        d = fgs__b64_decode(e, strlen(e), &n);
        ASSERT(d != NULL);
        ASSERT_EQ(n, strlen(cases[i]));
        ASSERT_MEMEQ(d, cases[i], n);
        free(d);
        free(e);
    }
    ASSERT(fgs__b64_decode("abc", 3, &n) == NULL);
    ASSERT(fgs__b64_decode("ab=c", 4, &n) == NULL);
    ASSERT(fgs__b64_decode("Zg==Zg==", 8, &n) == NULL);
    ASSERT(fgs__b64_decode("Zm9v\nYg==", 9, &n) == NULL);
    ASSERT(fgs__b64_decode("Zm9*", 4, &n) == NULL);
    ASSERT(fgs__b64_decode("====", 4, &n) == NULL);
}

FGS_TEST(crypto, hashes_match_known_values)
{
    char h256[65], h512[129];

    fgs__sha256_hex(h256, "", 0);
    ASSERT_STREQ(h256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    fgs__sha512_hex(h512, "abc", 3);
    ASSERT(strncmp(h512, "ddaf35a193617aba", 16) == 0);
    ASSERT_EQ(strlen(h512), 128);
}

FGS_TEST(crypto, uuid4_shape)
{
    char a[37], b[37];

    ASSERT_OK(fgs__uuid4(a));
    ASSERT_OK(fgs__uuid4(b));
    ASSERT_EQ(strlen(a), 36);
    ASSERT(a[8] == '-' && a[13] == '-' && a[18] == '-' && a[23] == '-');
    ASSERT(a[14] == '4');
    ASSERT(strchr("89ab", a[19]) != NULL);
    ASSERT(strcmp(a, b) != 0);
}

FGS_TEST(urn, full_forms)
{
    struct fgs__urn u;

    ASSERT_OK(fgs__urn_parse(&u, "urn:fss:cn-north-4:p1:function:default:hello"));
    ASSERT_STREQ(u.region, "cn-north-4");
    ASSERT_STREQ(u.project, "p1");
    ASSERT_STREQ(u.package, "default");
    ASSERT_STREQ(u.name, "hello");
    ASSERT_STREQ(u.qualifier, "");
    ASSERT_STREQ(fgs__urn_version(&u), "latest");
    ASSERT_EQ(u.fields, 7);

    ASSERT_OK(fgs__urn_parse(&u, "urn:fss:r:p1:function:pkg:hello:v1.0"));
    ASSERT_STREQ(u.qualifier, "v1.0");
    ASSERT(!u.is_alias);
    ASSERT_OK(fgs__urn_parse(&u, "urn:fss:r:p1:function:pkg:hello:!dev"));
    ASSERT_STREQ(u.qualifier, "dev");
    ASSERT(u.is_alias);
    ASSERT_STREQ(fgs__urn_version(&u), "dev");
}

FGS_TEST(urn, short_forms)
{
    struct fgs__urn u;

    ASSERT_OK(fgs__urn_parse(&u, "hello"));
    ASSERT_STREQ(u.name, "hello");
    ASSERT_STREQ(u.package, "default");
    ASSERT_STREQ(u.project, "");
    ASSERT_OK(fgs__urn_parse(&u, "pkg:hello"));
    ASSERT_STREQ(u.package, "pkg");
    ASSERT_OK(fgs__urn_parse(&u, "p1:pkg:hello"));
    ASSERT_STREQ(u.project, "p1");
    ASSERT_OK(fgs__urn_parse(&u, "p1:pkg:hello:!a"));
    ASSERT(u.is_alias);
    ASSERT_STREQ(u.qualifier, "a");
}

FGS_TEST(urn, rejects_bad_shapes)
{
    const char *bad[] = { "", "a:b:c:d:e", "a:b:c:d:e:f", "urn:fss:r:p:function:pkg:n:v:x",
                          "urn:xyz:r:p:function:pkg:n", "urn:fss:r:p:func:pkg:n",
                          "urn:fss::p:function:pkg:n", "a$b", "a/b", "he!llo",
                          "urn:fss:r:p:function:pkg:n:!", "p:pkg:n:!!a", "a b", NULL };
    struct fgs__urn u;
    int i;

    for (i = 0; bad[i]; i++)
        if (fgs__urn_parse(&u, bad[i]) == 0)
            FGS_TEST_FAIL("accepted bad URN '%s'", bad[i]);
}

FGS_TEST(timefmt, rfc3339_and_version_names)
{
    char out[40];

    fgs__time_rfc3339(out, sizeof(out), 1704164645000LL);
    ASSERT_EQ(strlen(out), 25);
    ASSERT(out[4] == '-' && out[10] == 'T' && out[22] == ':');
    ASSERT(out[19] == '+' || out[19] == '-');
    fgs__time_version_name(out, sizeof(out), 1704164645000LL);
    ASSERT_EQ(strlen(out), 16);
    ASSERT(out[0] == 'v' && out[9] == '-');
}

FGS_TEST_LIST(T(buf, grows_and_formats), T(str, parse_int64_is_strict), T(str, pct_decode),
              T(crypto, base64_round_trip_and_strictness), T(crypto, hashes_match_known_values),
              T(crypto, uuid4_shape), T(urn, full_forms), T(urn, short_forms),
              T(urn, rejects_bad_shapes), T(timefmt, rfc3339_and_version_names));
