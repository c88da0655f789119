/*
 * fgs_test.h - the in-tree unit test framework.
 *
 * A test file defines tests with FGS_TEST(suite, name) and ends with one
 * list naming each of them:
 *
 *     FGS_TEST(buf, grows) { ... }
 *     FGS_TEST_LIST(T(buf, grows), T(buf, printf))
 *
 * runner.c forks one child per test with an alarm() timeout, so a crash or a
 * hang fails only that test, and prints TAP. `-s suite::name` (or a prefix
 * such as `-s buf::`) filters. Assertions print both operands.
 */
#ifndef FGS_TEST_H
#define FGS_TEST_H

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fgs_test_entry {
    const char *suite;
    const char *name;
    void (*fn)(void);
};

extern const struct fgs_test_entry fgs_tests[];

#define FGS_TEST(suite, name)                                                                      \
    static void test_##suite##__##name(void);                                                      \
    static void test_##suite##__##name(void)

#define T(suite, name) { #suite, #name, test_##suite##__##name }
#define FGS_TEST_LIST(...)                                                                         \
    const struct fgs_test_entry fgs_tests[] = { __VA_ARGS__, { NULL, NULL, NULL } }

#define FGS_TEST_FAIL(...)                                                                         \
    do {                                                                                           \
        fprintf(stderr, "# %s:%d: ", __FILE__, __LINE__);                                          \
        fprintf(stderr, __VA_ARGS__);                                                              \
        fputc('\n', stderr);                                                                       \
        exit(1);                                                                                   \
    } while (0)

#define ASSERT(expr)                                                                               \
    do {                                                                                           \
        if (!(expr))                                                                               \
            FGS_TEST_FAIL("assertion failed: %s", #expr);                                          \
    } while (0)

#define ASSERT_INT_(a, op, b)                                                                      \
    do {                                                                                           \
        int64_t a_ = (int64_t)(a), b_ = (int64_t)(b);                                              \
        if (!(a_ op b_))                                                                           \
            FGS_TEST_FAIL("%s %s %s (%" PRId64 " vs %" PRId64 ")", #a, #op, #b, a_, b_);           \
    } while (0)

#define ASSERT_EQ(a, b) ASSERT_INT_(a, ==, b)
#define ASSERT_NE(a, b) ASSERT_INT_(a, !=, b)
#define ASSERT_LT(a, b) ASSERT_INT_(a, <, b)
#define ASSERT_LE(a, b) ASSERT_INT_(a, <=, b)
#define ASSERT_GT(a, b) ASSERT_INT_(a, >, b)
#define ASSERT_GE(a, b) ASSERT_INT_(a, >=, b)
#define ASSERT_OK(a) ASSERT_INT_(a, ==, 0)

#define ASSERT_STREQ(a, b)                                                                         \
    do {                                                                                           \
        const char *a_ = (a), *b_ = (b);                                                           \
        if (!a_ || !b_ || strcmp(a_, b_) != 0)                                                     \
            FGS_TEST_FAIL("%s == %s (\"%s\" vs \"%s\")", #a, #b, a_ ? a_ : "(null)",               \
                          b_ ? b_ : "(null)");                                                     \
    } while (0)

#define ASSERT_MEMEQ(a, b, n)                                                                      \
    do {                                                                                           \
        if (memcmp((a), (b), (n)) != 0)                                                            \
            FGS_TEST_FAIL("%s and %s differ in their first %zu bytes", #a, #b, (size_t)(n));       \
    } while (0)

/* A fresh temporary directory for the current test (removed by the runner). */
const char *fgs_test_tmpdir(void);

#endif
