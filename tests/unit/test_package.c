/*
 * test_package.c - unit tests of the code-package module
 * (src/server/store/package.c): zip checks against hostile archives built
 * at run time with libzip and patched by hand, safe extraction (contents,
 * modes, nothing left behind on failure, the lying-size bomb), inline and
 * jar packages, idempotence, removal without following symlinks, and
 * fetching from a tiny HTTP server forked on 127.0.0.1.
 */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <zip.h>
#include "fgs_test.h"
#include "store/package.h"

#define DIGEST "0123456789abcdef"
#define MiB (1024 * 1024)

static const struct srv_package_limits limits = { 50LL * MiB, 10LL * MiB, 1000 };

/* One entry of a zip built by make_zip. */
struct zent {
    const char *name; /* stored name; a trailing '/' makes a directory */
    const void *data; /* contents (files) */
    size_t len;       /* bytes of data */
    unsigned mode;    /* unix st_mode for the external attributes, 0 = none */
};

/* Builds a zip in memory with libzip; returns malloc'd bytes. */
static unsigned char *make_zip(const struct zent *e, size_t n, size_t *len)
{
    zip_error_t ze;
    zip_source_t *src, *fs;
    zip_t *za;
    zip_stat_t st;
    unsigned char *out;
    size_t i;

    zip_error_init(&ze);
    src = zip_source_buffer_create(NULL, 0, 0, &ze);
    ASSERT(src != NULL);
    zip_source_keep(src);
    za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    ASSERT(za != NULL);
    for (i = 0; i < n; i++) {
        zip_int64_t idx;
        size_t nl = strlen(e[i].name);

        if (nl && e[i].name[nl - 1] == '/') {
            idx = zip_dir_add(za, e[i].name, ZIP_FL_ENC_RAW);
        } else {
            fs = zip_source_buffer(za, e[i].data, e[i].len, 0);
            ASSERT(fs != NULL);
            idx = zip_file_add(za, e[i].name, fs, ZIP_FL_ENC_RAW);
            if (idx >= 0)
                ASSERT_OK(zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 0));
        }
        if (idx < 0)
            FGS_TEST_FAIL("libzip refused '%s': %s", e[i].name, zip_strerror(za));
        if (e[i].mode)
            ASSERT_OK(zip_file_set_external_attributes(za, (zip_uint64_t)idx, 0, ZIP_OPSYS_UNIX,
                                                       (zip_uint32_t)e[i].mode << 16));
    }
    if (zip_close(za) < 0)
        FGS_TEST_FAIL("zip_close: %s", zip_strerror(za));
    ASSERT_OK(zip_source_stat(src, &st));
    ASSERT_OK(zip_source_open(src));
    out = malloc(st.size + 1);
    ASSERT(out != NULL);
    ASSERT_EQ(zip_source_read(src, out, st.size), st.size);
    zip_source_close(src);
    zip_source_free(src);
    *len = st.size;
    return out;
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t get16(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

/* Offsets of entry idx's central header (*cd) and local header (*lh). */
static void find_entry(const unsigned char *z, size_t len, unsigned idx, size_t *cd, size_t *lh)
{
    const unsigned char *eocd = z + len - 22;
    size_t off;
    unsigned i;

    ASSERT_EQ(get32(eocd), 0x06054b50u);
    ASSERT_LT(idx, get16(eocd + 10));
    off = get32(eocd + 16);
    for (i = 0;; i++) {
        ASSERT_LT(off + 46, len);
        ASSERT_EQ(get32(z + off), 0x02014b50u);
        if (i == idx)
            break;
        off += 46 + get16(z + off + 28) + get16(z + off + 30) + get16(z + off + 32);
    }
    *cd = off;
    *lh = get32(z + off + 42);
    ASSERT_EQ(get32(z + *lh), 0x04034b50u);
}

/* Overwrites the stored name of entry idx (same length) in both headers. */
static void patch_name(unsigned char *z, size_t len, unsigned idx, const char *name, size_t n)
{
    size_t cd, lh;

    find_entry(z, len, idx, &cd, &lh);
    ASSERT_EQ(get16(z + cd + 28), n);
    memcpy(z + cd + 46, name, n);
    memcpy(z + lh + 30, name, n);
}

/* Makes both headers of entry idx claim an uncompressed size of size. */
static void patch_usize(unsigned char *z, size_t len, unsigned idx, uint32_t size)
{
    size_t cd, lh;

    find_entry(z, len, idx, &cd, &lh);
    put32(z + cd + 24, size);
    put32(z + lh + 22, size);
}

/* ORs flags into the general purpose bits of entry idx. */
static void patch_flags(unsigned char *z, size_t len, unsigned idx, uint16_t flags)
{
    size_t cd, lh;

    find_entry(z, len, idx, &cd, &lh);
    z[cd + 8] |= (unsigned char)flags;
    z[cd + 9] |= (unsigned char)(flags >> 8);
    z[lh + 6] |= (unsigned char)flags;
    z[lh + 7] |= (unsigned char)(flags >> 8);
}

static const char *code_dir(void)
{
    static char path[512];

    if (!path[0]) {
        snprintf(path, sizeof(path), "%s/code", fgs_test_tmpdir());
        if (mkdir(path, 0755) < 0)
            FGS_TEST_FAIL("mkdir %s: %s", path, strerror(errno));
    }
    return path;
}

/* Entries in dir, "." and ".." excluded. */
static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    int n = 0;

    ASSERT(d != NULL);
    while ((de = readdir(d)) != NULL)
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

/* The contents of code_dir/DIGEST/rel, malloc'd and NUL-terminated. */
static char *slurp(const char *rel, size_t *len)
{
    char path[1024];
    struct stat st;
    char *buf;
    int fd;

    snprintf(path, sizeof(path), "%s/%s/%s", code_dir(), DIGEST, rel);
    fd = open(path, O_RDONLY | O_NOFOLLOW);
    if (fd < 0)
        FGS_TEST_FAIL("open %s: %s", path, strerror(errno));
    ASSERT_OK(fstat(fd, &st));
    buf = malloc((size_t)st.st_size + 1);
    ASSERT(buf != NULL);
    ASSERT_EQ(read(fd, buf, (size_t)st.st_size), st.st_size);
    buf[st.st_size] = '\0';
    close(fd);
    if (len)
        *len = (size_t)st.st_size;
    return buf;
}

static unsigned mode_of(const char *rel)
{
    char path[1024];
    struct stat st;

    snprintf(path, sizeof(path), "%s/%s/%s", code_dir(), DIGEST, rel);
    if (lstat(path, &st) < 0)
        FGS_TEST_FAIL("lstat %s: %s", path, strerror(errno));
    return (unsigned)st.st_mode;
}

/*
 * Asserts that a hostile archive is refused by both the check and the
 * unpack, with a reason containing want, and that code_dir stays empty.
 */
static void expect_rejected(const unsigned char *z,
                            size_t len,
                            const struct srv_package_limits *lim,
                            const char *want)
{
    char err[256] = "";

    ASSERT_EQ(srv_package_check_zip(z, len, lim, err, sizeof(err)), -1);
    if (!strstr(err, want))
        FGS_TEST_FAIL("check reason '%s' lacks '%s'", err, want);
    ASSERT(strchr(err, '\n') == NULL);
    err[0] = '\0';
    ASSERT_EQ(srv_package_unpack(code_dir(), DIGEST, "zip", NULL, z, len, lim, err, sizeof(err)),
              -1);
    if (!strstr(err, want))
        FGS_TEST_FAIL("unpack reason '%s' lacks '%s'", err, want);
    ASSERT_EQ(count_entries(code_dir()), 0);
}

static void expect_name_rejected(const char *name, const char *want)
{
    struct zent e[] = { { "ok.txt", "ok", 2, 0 }, { name, "x", 1, 0 } };
    size_t len;
    unsigned char *z = make_zip(e, 2, &len);

    expect_rejected(z, len, &limits, want);
    free(z);
}

static const char bootstrap_src[] = "#!/bin/sh\necho hi\n";
static const char util_src[] = "def f():\n    return 1\n";

static unsigned char *good_zip(size_t *len)
{
    struct zent e[] = {
        { "bootstrap", bootstrap_src, sizeof(bootstrap_src) - 1, S_IFREG | 0755 },
        { "lib/", NULL, 0, S_IFDIR | 0755 },
        { "lib/util.py", util_src, sizeof(util_src) - 1, S_IFREG | 0644 },
        { "lib/sub/deep/data.txt", "data", 4, S_IFREG | 0600 },
        { "plain.txt", "no unix attributes", 18, 0 },
        { "./conf//app.json", "{}", 2, S_IFREG | 0644 },
    };

    return make_zip(e, sizeof(e) / sizeof(e[0]), len);
}

FGS_TEST(package, check_accepts_good_zip)
{
    char err[256] = "";
    size_t len;
    unsigned char *z = good_zip(&len);

    ASSERT_OK(srv_package_check_zip(z, len, &limits, err, sizeof(err)));
    ASSERT_STREQ(err, "");
    free(z);
}

FGS_TEST(package, unpack_good_zip)
{
    char err[256] = "";
    size_t len, n;
    unsigned char *z = good_zip(&len);
    char *s;

    ASSERT_OK(srv_package_unpack(code_dir(), DIGEST, "zip", "code.zip", z, len, &limits, err,
                                 sizeof(err)));
    /* Only the package directory: no temporary left behind. */
    ASSERT_EQ(count_entries(code_dir()), 1);
    s = slurp("bootstrap", &n);
    ASSERT_EQ(n, sizeof(bootstrap_src) - 1);
    ASSERT_STREQ(s, bootstrap_src);
    free(s);
    s = slurp("lib/util.py", NULL);
    ASSERT_STREQ(s, util_src);
    free(s);
    s = slurp("lib/sub/deep/data.txt", NULL);
    ASSERT_STREQ(s, "data");
    free(s);
    s = slurp("conf/app.json", NULL);
    ASSERT_STREQ(s, "{}");
    free(s);
    s = slurp("plain.txt", NULL);
    ASSERT_STREQ(s, "no unix attributes");
    free(s);
    ASSERT_EQ(mode_of("bootstrap"), S_IFREG | 0755);
    ASSERT_EQ(mode_of("lib/util.py"), S_IFREG | 0644);
    ASSERT_EQ(mode_of("lib/sub/deep/data.txt"), S_IFREG | 0644); /* 0600 widened, not kept */
    ASSERT_EQ(mode_of("plain.txt"), S_IFREG | 0644);
    ASSERT_EQ(mode_of("lib"), S_IFDIR | 0755);
    ASSERT_EQ(mode_of("lib/sub/deep"), S_IFDIR | 0755);
    ASSERT_EQ(mode_of("."), S_IFDIR | 0755);
    ASSERT_EQ(count_entries(code_dir()), 1);
    free(z);
}

FGS_TEST(package, modes_ignore_umask_and_special_bits)
{
    struct zent e[] = { { "run", "x", 1, S_IFREG | 04777 }, { "d/f", "y", 1, S_IFREG | 02644 } };
    char err[256] = "";
    size_t len;
    unsigned char *z = make_zip(e, 2, &len);

    umask(077);
    ASSERT_OK(
        srv_package_unpack(code_dir(), DIGEST, "zip", NULL, z, len, &limits, err, sizeof(err)));
    ASSERT_EQ(mode_of("run"), S_IFREG | 0755);
    ASSERT_EQ(mode_of("d/f"), S_IFREG | 0644);
    ASSERT_EQ(mode_of("d"), S_IFDIR | 0755);
    ASSERT_EQ(mode_of("."), S_IFDIR | 0755);
    free(z);
}

FGS_TEST(package, rejects_absolute_path)
{
    expect_name_rejected("/etc/cron.d/evil", "absolute");
}

FGS_TEST(package, rejects_dotdot)
{
    expect_name_rejected("../evil.txt", "'..'");
    expect_name_rejected("a/../../evil.txt", "'..'");
    expect_name_rejected("a/b/..", "'..'");
}

FGS_TEST(package, rejects_backslash_and_control_chars)
{
    expect_name_rejected("..\\evil.txt", "backslash");
    expect_name_rejected("a\x01z.txt", "control character");
    expect_name_rejected("a\nb", "control character");
    expect_name_rejected("a\x7f", "control character");
}

FGS_TEST(package, rejects_names_that_name_nothing)
{
    expect_name_rejected("./", "names no file");
    expect_name_rejected(".//./", "names no file");
}

FGS_TEST(package, nul_in_name_cannot_hide_traversal)
{
    struct zent e[] = { { "okX/../../evil", "x", 1, 0 } };
    size_t len;
    unsigned char *z = make_zip(e, 1, &len);

    /* A reader stopping at the NUL would see "ok"; libzip sees "ok /../../evil". */
    patch_name(z, len, 0, "ok\0/../../evil", 14);
    expect_rejected(z, len, &limits, "'..'");
    free(z);
}

FGS_TEST(package, rejects_symlink_entry)
{
    struct zent e[] = { { "ok.txt", "ok", 2, 0 }, { "passwd", "/etc/passwd", 11, S_IFLNK | 0777 } };
    size_t len;
    unsigned char *z = make_zip(e, 2, &len);

    expect_rejected(z, len, &limits, "symbolic link");
    free(z);
}

FGS_TEST(package, rejects_device_entry)
{
    struct zent e[] = { { "fifo", "", 0, S_IFIFO | 0644 } };
    size_t len;
    unsigned char *z = make_zip(e, 1, &len);

    expect_rejected(z, len, &limits, "not a regular file");
    free(z);
}

FGS_TEST(package, rejects_exact_duplicate)
{
    struct zent e[] = { { "a.txt", "first", 5, 0 }, { "b.txt", "second", 6, 0 } };
    size_t len;
    unsigned char *z = make_zip(e, 2, &len);

    patch_name(z, len, 1, "a.txt", 5);
    expect_rejected(z, len, &limits, "more than once");
    free(z);
}

FGS_TEST(package, rejects_normalised_duplicates)
{
    struct zent e1[] = { { "a.txt", "1", 1, 0 }, { "./a.txt", "2", 1, 0 } };
    struct zent e2[] = { { "x/y.txt", "1", 1, 0 }, { "x//y.txt", "2", 1, 0 } };
    struct zent e3[] = { { "d/", NULL, 0, 0 }, { "./d/", NULL, 0, 0 } };
    size_t len;
    unsigned char *z;

    z = make_zip(e1, 2, &len);
    expect_rejected(z, len, &limits, "more than once");
    free(z);
    z = make_zip(e2, 2, &len);
    expect_rejected(z, len, &limits, "more than once");
    free(z);
    z = make_zip(e3, 2, &len);
    expect_rejected(z, len, &limits, "more than once");
    free(z);
}

FGS_TEST(package, rejects_file_used_as_directory)
{
    struct zent e[] = { { "a", "file", 4, 0 }, { "a/b.txt", "x", 1, 0 } };
    size_t len;
    unsigned char *z = make_zip(e, 2, &len);

    expect_rejected(z, len, &limits, "both as a file and a directory");
    free(z);
}

FGS_TEST(package, rejects_encrypted_entry)
{
    struct zent e[] = { { "secret.txt", "plaintext really", 16, 0 } };
    size_t len;
    unsigned char *z = make_zip(e, 1, &len);

    patch_flags(z, len, 0, 0x0001);
    expect_rejected(z, len, &limits, "encrypted");
    free(z);
}

FGS_TEST(package, rejects_too_many_entries)
{
    struct zent e[12];
    char names[12][16];
    struct srv_package_limits lim = limits;
    size_t len, i;
    unsigned char *z;

    for (i = 0; i < 12; i++) {
        snprintf(names[i], sizeof(names[i]), "f%zu", i);
        e[i] = (struct zent){ names[i], "", 0, 0 };
    }
    z = make_zip(e, 12, &len);
    lim.max_entries = 12;
    ASSERT_OK(srv_package_check_zip(z, len, &lim, NULL, 0));
    lim.max_entries = 11;
    expect_rejected(z, len, &lim, "12 entries, more than 11");
    free(z);
}

FGS_TEST(package, rejects_bomb_of_many_entries)
{
    enum { N = 3000 };
    struct zent *e = calloc(N, sizeof(*e));
    char(*names)[16] = calloc(N, sizeof(*names));
    size_t len, i;
    unsigned char *z;

    ASSERT(e && names);
    for (i = 0; i < N; i++) {
        snprintf(names[i], sizeof(names[i]), "d%zu/", i);
        e[i] = (struct zent){ names[i], NULL, 0, 0 };
    }
    z = make_zip(e, N, &len);
    expect_rejected(z, len, &limits, "more than 1000");
    free(z);
    free(names);
    free(e);
}

FGS_TEST(package, rejects_eocd_lying_about_entry_count)
{
    struct zent e[] = { { "a.txt", "a", 1, 0 } };
    size_t len;
    unsigned char *z = make_zip(e, 1, &len);

    z[len - 22 + 8] = 0xff; /* entries on this disk */
    z[len - 22 + 9] = 0xff;
    z[len - 22 + 10] = 0xff; /* total entries */
    z[len - 22 + 11] = 0xff;
    expect_rejected(z, len, &limits, "zip");
    free(z);
}

FGS_TEST(package, rejects_declared_sizes_over_limit)
{
    static char big[3000];
    struct zent e[] = { { "a.bin", big, 2000, 0 }, { "b.bin", big, 1000, 0 } };
    struct srv_package_limits lim = limits;
    size_t len;
    unsigned char *z = make_zip(e, 2, &len);

    lim.max_unpacked_bytes = 3000;
    ASSERT_OK(srv_package_check_zip(z, len, &lim, NULL, 0));
    lim.max_unpacked_bytes = 2999;
    expect_rejected(z, len, &lim, "more than 2999 unpacked bytes");
    free(z);
}

FGS_TEST(package, rejects_package_over_size_limit)
{
    struct srv_package_limits lim = limits;
    size_t len;
    unsigned char *z = good_zip(&len);
    char err[256] = "";

    lim.max_package_bytes = (int64_t)len - 1;
    expect_rejected(z, len, &lim, "larger than");
    ASSERT_EQ(srv_package_unpack(code_dir(), DIGEST, "inline", "index.py", z, len, &lim, err,
                                 sizeof(err)),
              -1);
    ASSERT_EQ(count_entries(code_dir()), 0);
    free(z);
}

FGS_TEST(package, rejects_not_a_zip)
{
    static const char text[] = "this is certainly not a zip archive, just some text bytes....";

    expect_rejected((const unsigned char *)text, sizeof(text) - 1, &limits, "not a");
    expect_rejected((const unsigned char *)"", 0, &limits, "not a zip");
    expect_rejected((const unsigned char *)"PK\x05\x06", 4, &limits, "not a zip");
}

FGS_TEST(package, rejects_empty_archive)
{
    unsigned char eocd[22] = { 'P', 'K', 5, 6 };

    expect_rejected(eocd, sizeof(eocd), &limits, "no entries");
}

FGS_TEST(package, rejects_truncated_zip)
{
    size_t len;
    unsigned char *z = good_zip(&len);

    expect_rejected(z, len / 2, &limits, "not a");
    expect_rejected(z, len - 1, &limits, "not a");
    expect_rejected(z, len - 30, &limits, "not a");
    free(z);
}

FGS_TEST(package, corrupt_data_fails_unpack_and_leaves_nothing)
{
    static const char text[] = "hello hello hello hello hello hello hello";
    struct zent e[] = { { "a.txt", text, sizeof(text) - 1, 0 } };
    char err[256] = "";
    size_t len, cd, lh;
    unsigned char *z = make_zip(e, 1, &len);

    find_entry(z, len, 0, &cd, &lh);
    z[lh + 30 + get16(z + lh + 26) + get16(z + lh + 28) + 2] ^= 0x55;
    ASSERT_EQ(
        srv_package_unpack(code_dir(), DIGEST, "zip", NULL, z, len, &limits, err, sizeof(err)), -1);
    ASSERT(err[0] != '\0');
    ASSERT_EQ(count_entries(code_dir()), 0);
    free(z);
}

/*
 * The central and local headers say 1000 bytes, the deflate stream holds
 * 20 MiB of zeros. The check passes (it only sees headers); extraction must
 * stop at the counted bytes. RLIMIT_FSIZE at 1 MiB turns any write past that
 * into EFBIG, so a message about the size proves the count stopped it first.
 */
FGS_TEST(package, lying_size_bomb_stopped_by_count)
{
    struct zent e[] = { { "ok.txt", "fine", 4, 0 }, { "bomb.bin", NULL, 20 * MiB, 0 } };
    struct rlimit rl = { MiB, MiB };
    struct sigaction sa;
    char err[256] = "";
    size_t len;
    unsigned char *z;

    e[1].data = calloc(1, 20 * MiB);
    ASSERT(e[1].data != NULL);
    z = make_zip(e, 2, &len);
    ASSERT_LT(len, MiB);
    free((void *)e[1].data);
    patch_usize(z, len, 1, 1000);

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_IGN;
    ASSERT_OK(sigaction(SIGXFSZ, &sa, NULL));
    ASSERT_OK(setrlimit(RLIMIT_FSIZE, &rl));

    ASSERT_OK(srv_package_check_zip(z, len, &limits, err, sizeof(err)));
    ASSERT_EQ(
        srv_package_unpack(code_dir(), DIGEST, "zip", NULL, z, len, &limits, err, sizeof(err)), -1);
    if (!strstr(err, "beyond its declared 1000 bytes"))
        FGS_TEST_FAIL("unexpected reason '%s'", err);
    ASSERT_EQ(count_entries(code_dir()), 0);
    free(z);
}

FGS_TEST(package, second_unpack_is_a_no_op)
{
    char err[256] = "";
    char path[1024];
    size_t len;
    unsigned char *z = good_zip(&len);
    char *s;
    int fd;

    ASSERT_OK(
        srv_package_unpack(code_dir(), DIGEST, "zip", NULL, z, len, &limits, err, sizeof(err)));
    snprintf(path, sizeof(path), "%s/%s/marker", code_dir(), DIGEST);
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    ASSERT(fd >= 0);
    close(fd);
    /* Different bytes under the same digest: the existing tree is kept as is. */
    ASSERT_OK(srv_package_unpack(code_dir(), DIGEST, "inline", "index.py", "print(1)", 8, &limits,
                                 err, sizeof(err)));
    ASSERT_OK(access(path, F_OK));
    s = slurp("bootstrap", NULL);
    ASSERT_STREQ(s, bootstrap_src);
    free(s);
    snprintf(path, sizeof(path), "%s/%s/index.py", code_dir(), DIGEST);
    ASSERT_EQ(access(path, F_OK), -1);
    ASSERT_EQ(count_entries(code_dir()), 1);
    free(z);
}

FGS_TEST(package, unpack_inline)
{
    static const char src[] = "import json\ndef handler(event, context):\n    return 1\n";
    char err[256] = "";
    char *s;

    ASSERT_OK(srv_package_unpack(code_dir(), DIGEST, "inline", "index.py", src, sizeof(src) - 1,
                                 &limits, err, sizeof(err)));
    s = slurp("index.py", NULL);
    ASSERT_STREQ(s, src);
    free(s);
    ASSERT_EQ(mode_of("index.py"), S_IFREG | 0644);
    ASSERT_EQ(count_entries(code_dir()), 1);
    ASSERT_OK(srv_package_remove(code_dir(), DIGEST));
    ASSERT_OK(srv_package_unpack(code_dir(), DIGEST, "inline", "bootstrap", "#!/bin/sh\n", 10,
                                 &limits, err, sizeof(err)));
    ASSERT_EQ(mode_of("bootstrap"), S_IFREG | 0755);
}

FGS_TEST(package, unpack_jar_stores_the_archive)
{
    char err[256] = "";
    size_t len, n;
    unsigned char *z = good_zip(&len);
    char *s;

    ASSERT_OK(srv_package_unpack(code_dir(), DIGEST, "jar", "app.jar", z, len, &limits, err,
                                 sizeof(err)));
    s = slurp("app.jar", &n);
    ASSERT_EQ(n, len);
    ASSERT_MEMEQ(s, z, len);
    free(s);
    ASSERT_EQ(mode_of("app.jar"), S_IFREG | 0644);
    {
        char path[1024];

        snprintf(path, sizeof(path), "%s/%s", code_dir(), DIGEST);
        ASSERT_EQ(count_entries(path), 1); /* not extracted */
    }
    free(z);
}

FGS_TEST(package, unpack_refuses_bad_arguments)
{
    char err[256];
    size_t len;
    unsigned char *z = good_zip(&len);

    ASSERT_EQ(
        srv_package_unpack(code_dir(), "../x", "zip", NULL, z, len, &limits, err, sizeof(err)), -1);
    ASSERT_EQ(
        srv_package_unpack(code_dir(), "..", "inline", "a", "x", 1, &limits, err, sizeof(err)), -1);
    ASSERT_EQ(srv_package_unpack(code_dir(), "", "inline", "a", "x", 1, &limits, err, sizeof(err)),
              -1);
    ASSERT_EQ(srv_package_unpack(code_dir(), DIGEST, "inline", "../index.py", "x", 1, &limits, err,
                                 sizeof(err)),
              -1);
    ASSERT_EQ(
        srv_package_unpack(code_dir(), DIGEST, "jar", "..", z, len, &limits, err, sizeof(err)), -1);
    ASSERT_EQ(
        srv_package_unpack(code_dir(), DIGEST, "jar", NULL, z, len, &limits, err, sizeof(err)), -1);
    ASSERT_EQ(
        srv_package_unpack(code_dir(), DIGEST, "obs", "x.zip", z, len, &limits, err, sizeof(err)),
        -1);
    ASSERT(strstr(err, "code type") != NULL);
    ASSERT_EQ(count_entries(code_dir()), 0);
    free(z);
}

FGS_TEST(package, unpack_fails_when_target_is_not_a_directory)
{
    char path[1024], err[256] = "";
    int fd;

    snprintf(path, sizeof(path), "%s/%s", code_dir(), DIGEST);
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
    ASSERT(fd >= 0);
    close(fd);
    ASSERT_EQ(srv_package_unpack(code_dir(), DIGEST, "inline", "index.py", "x", 1, &limits, err,
                                 sizeof(err)),
              -1);
    ASSERT(strstr(err, "not a directory") != NULL);
    ASSERT_EQ(count_entries(code_dir()), 1);
}

FGS_TEST(package, remove_deletes_tree)
{
    char err[256] = "", path[1024];
    size_t len;
    unsigned char *z = good_zip(&len);

    ASSERT_OK(
        srv_package_unpack(code_dir(), DIGEST, "zip", NULL, z, len, &limits, err, sizeof(err)));
    ASSERT_EQ(count_entries(code_dir()), 1);
    ASSERT_OK(srv_package_remove(code_dir(), DIGEST));
    ASSERT_EQ(count_entries(code_dir()), 0);
    snprintf(path, sizeof(path), "%s/%s", code_dir(), DIGEST);
    ASSERT_EQ(access(path, F_OK), -1);
    ASSERT_OK(srv_package_remove(code_dir(), DIGEST)); /* already gone */
    ASSERT_EQ(srv_package_remove(code_dir(), "../code"), -1);
    /* After removal the same digest unpacks afresh. */
    ASSERT_OK(
        srv_package_unpack(code_dir(), DIGEST, "zip", NULL, z, len, &limits, err, sizeof(err)));
    ASSERT_EQ(mode_of("bootstrap"), S_IFREG | 0755);
    free(z);
}

FGS_TEST(package, remove_does_not_follow_symlinks)
{
    char outside[512], victim[1024], link1[1024], link2[1024], err[256] = "";

    snprintf(outside, sizeof(outside), "%s/outside", fgs_test_tmpdir());
    snprintf(victim, sizeof(victim), "%s/victim.txt", outside);
    ASSERT_OK(mkdir(outside, 0755));
    ASSERT_OK(close(open(victim, O_WRONLY | O_CREAT | O_EXCL, 0644)));
    ASSERT_OK(srv_package_unpack(code_dir(), DIGEST, "inline", "index.py", "x", 1, &limits, err,
                                 sizeof(err)));
    snprintf(link1, sizeof(link1), "%s/%s/dirlink", code_dir(), DIGEST);
    snprintf(link2, sizeof(link2), "%s/%s/filelink", code_dir(), DIGEST);
    ASSERT_OK(symlink(outside, link1));
    ASSERT_OK(symlink(victim, link2));
    ASSERT_OK(srv_package_remove(code_dir(), DIGEST));
    ASSERT_EQ(count_entries(code_dir()), 0);
    ASSERT_OK(access(victim, F_OK));
    ASSERT_EQ(count_entries(outside), 1);
}

FGS_TEST(package, sweep_removes_only_leftovers)
{
    char path[1024], err[256] = "";

    snprintf(path, sizeof(path), "%s/.tmp-%s-0011223344556677", code_dir(), DIGEST);
    ASSERT_OK(mkdir(path, 0755));
    snprintf(path, sizeof(path), "%s/.tmp-%s-0011223344556677/half", code_dir(), DIGEST);
    ASSERT_OK(close(open(path, O_WRONLY | O_CREAT | O_EXCL, 0644)));
    snprintf(path, sizeof(path), "%s/.rm-%s-0011223344556677", code_dir(), DIGEST);
    ASSERT_OK(mkdir(path, 0755));
    ASSERT_OK(srv_package_unpack(code_dir(), DIGEST, "inline", "index.py", "x", 1, &limits, err,
                                 sizeof(err)));
    ASSERT_EQ(count_entries(code_dir()), 3);
    ASSERT_OK(srv_package_sweep(code_dir()));
    ASSERT_EQ(count_entries(code_dir()), 1);
    ASSERT_EQ(mode_of("index.py"), S_IFREG | 0644);
}

/* ---- fetch: a forked HTTP/1.0-style server on 127.0.0.1 ---- */

static pid_t server_pid;

static void send_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t n = write(fd, p, len);

        if (n <= 0)
            return;
        p += n;
        len -= (size_t)n;
    }
}

static void
reply(int fd, const char *status, const char *extra, const char *body, size_t len, bool with_length)
{
    char head[512];
    int n;

    if (with_length)
        n = snprintf(head, sizeof(head),
                     "HTTP/1.1 %s\r\n%sContent-Length: %zu\r\nConnection: close\r\n\r\n", status,
                     extra, len);
    else
        n = snprintf(head, sizeof(head), "HTTP/1.1 %s\r\n%sConnection: close\r\n\r\n", status,
                     extra);
    send_all(fd, head, (size_t)n);
    send_all(fd, body, len);
}

static void serve(int lfd)
{
    static char big[2 * MiB];
    char req[8192];

    memset(big, 'B', sizeof(big));
    for (;;) {
        size_t got = 0;
        int fd = accept(lfd, NULL, NULL);
        char path[256] = "";

        if (fd < 0)
            continue;
        while (got < sizeof(req) - 1) {
            ssize_t n = read(fd, req + got, sizeof(req) - 1 - got);

            if (n <= 0)
                break;
            got += (size_t)n;
            req[got] = '\0';
            if (strstr(req, "\r\n\r\n"))
                break;
        }
        req[got] = '\0';
        sscanf(req, "GET %255s ", path);
        if (strcmp(path, "/ok") == 0)
            reply(fd, "200 OK", "", "package-bytes", 13, true);
        else if (strcmp(path, "/exact") == 0)
            reply(fd, "200 OK", "", big, 1000, true);
        else if (strcmp(path, "/big") == 0)
            reply(fd, "200 OK", "", big, sizeof(big), true);
        else if (strcmp(path, "/big-nolength") == 0)
            reply(fd, "200 OK", "", big, sizeof(big), false);
        else if (strcmp(path, "/to-ok") == 0)
            reply(fd, "302 Found", "Location: /ok\r\n", "", 0, true);
        else if (strcmp(path, "/to-ftp") == 0)
            reply(fd, "302 Found", "Location: ftp://127.0.0.1/x.zip\r\n", "", 0, true);
        else if (strcmp(path, "/to-file") == 0)
            reply(fd, "302 Found", "Location: file:///etc/passwd\r\n", "", 0, true);
        else if (strcmp(path, "/loop") == 0)
            reply(fd, "302 Found", "Location: /loop\r\n", "", 0, true);
        else if (strcmp(path, "/error") == 0)
            reply(fd, "500 Internal Server Error", "", "oops", 4, true);
        else
            reply(fd, "404 Not Found", "", "no", 2, true);
        close(fd);
    }
}

/* Starts the server; returns its port. The child dies with the test process. */
static int start_server(void)
{
    struct sockaddr_in a;
    socklen_t alen = sizeof(a);
    int lfd = socket(AF_INET, SOCK_STREAM, 0);

    ASSERT(lfd >= 0);
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_OK(bind(lfd, (struct sockaddr *)&a, sizeof(a)));
    ASSERT_OK(listen(lfd, 16));
    ASSERT_OK(getsockname(lfd, (struct sockaddr *)&a, &alen));
    server_pid = fork();
    ASSERT(server_pid >= 0);
    if (server_pid == 0) {
        struct sigaction sa;

        memset(&sa, 0, sizeof(sa));
        sa.sa_handler = SIG_IGN;
        sigaction(SIGPIPE, &sa, NULL);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        serve(lfd);
        _exit(0);
    }
    close(lfd);
    return ntohs(a.sin_port);
}

static void stop_server(void)
{
    kill(server_pid, SIGKILL);
    waitpid(server_pid, NULL, 0);
}

/* Fetches path from the test server with limit max; returns the result code. */
static int fetch(int port,
                 const char *path,
                 size_t max,
                 unsigned char **data,
                 size_t *len,
                 char *err,
                 size_t errlen)
{
    char url[256];

    snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", port, path);
    srv_package_allow_private(true); /* the test server is on loopback */
    return srv_package_fetch(url, max, data, len, err, errlen);
}

FGS_TEST(package, fetch_refuses_private_addresses_by_default)
{
    int port = start_server();
    const char *hosts[] = { "127.0.0.1", "127.1.2.3", "[::1]", "10.0.0.1", "192.168.1.1",
                            "169.254.169.254", "172.16.0.1", "0.0.0.0", NULL };
    unsigned char *d = NULL;
    char url[128], err[256];
    size_t n = 0;
    int i;

    srv_package_allow_private(false);
    for (i = 0; hosts[i]; i++) {
        snprintf(url, sizeof(url), "http://%s:%d/ok", hosts[i], port);
        err[0] = '\0';
        ASSERT_EQ(srv_package_fetch(url, MiB, &d, &n, err, sizeof(err)), -1);
        ASSERT(d == NULL);
        if (!strstr(err, "private or loopback"))
            FGS_TEST_FAIL("%s: unexpected reason '%s'", hosts[i], err);
    }
    srv_package_allow_private(true);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/ok", port);
    ASSERT_EQ(srv_package_fetch(url, MiB, &d, &n, err, sizeof(err)), 0);
    free(d);
}

FGS_TEST(package, fetch_ok_and_redirect)
{
    int port = start_server();
    unsigned char *d = NULL;
    size_t n = 0;
    char err[256] = "";

    ASSERT_OK(fetch(port, "/ok", MiB, &d, &n, err, sizeof(err)));
    ASSERT_EQ(n, 13);
    ASSERT_MEMEQ(d, "package-bytes", 13);
    free(d);
    d = NULL;
    ASSERT_OK(fetch(port, "/to-ok", MiB, &d, &n, err, sizeof(err)));
    ASSERT_EQ(n, 13);
    ASSERT_MEMEQ(d, "package-bytes", 13);
    free(d);
    d = NULL;
    ASSERT_OK(fetch(port, "/exact", 1000, &d, &n, err, sizeof(err)));
    ASSERT_EQ(n, 1000);
    ASSERT_EQ(d[999], 'B');
    free(d);
    stop_server();
}

FGS_TEST(package, fetch_http_errors)
{
    int port = start_server();
    unsigned char *d = (unsigned char *)"sentinel";
    size_t n = 7;
    char err[256] = "";

    ASSERT_EQ(fetch(port, "/missing", MiB, &d, &n, err, sizeof(err)), -1);
    ASSERT(strstr(err, "404") != NULL);
    ASSERT(d == NULL);
    ASSERT_EQ(n, 0);
    ASSERT_EQ(fetch(port, "/error", MiB, &d, &n, err, sizeof(err)), -1);
    ASSERT(strstr(err, "500") != NULL);
    stop_server();
}

FGS_TEST(package, fetch_refuses_oversize_body)
{
    int port = start_server();
    unsigned char *d = NULL;
    size_t n = 0;
    char err[256] = "";

    ASSERT_EQ(fetch(port, "/big", MiB, &d, &n, err, sizeof(err)), -1);
    ASSERT(strstr(err, "larger than") != NULL);
    ASSERT(d == NULL);
    err[0] = '\0';
    ASSERT_EQ(fetch(port, "/big-nolength", MiB, &d, &n, err, sizeof(err)), -1);
    ASSERT(strstr(err, "larger than") != NULL);
    ASSERT(d == NULL);
    err[0] = '\0';
    ASSERT_EQ(fetch(port, "/exact", 999, &d, &n, err, sizeof(err)), -1);
    ASSERT(strstr(err, "larger than 999") != NULL);
    stop_server();
}

FGS_TEST(package, fetch_refuses_bad_redirects)
{
    int port = start_server();
    unsigned char *d = NULL;
    size_t n = 0;
    char err[256] = "";

    ASSERT_EQ(fetch(port, "/to-ftp", MiB, &d, &n, err, sizeof(err)), -1);
    ASSERT(strstr(err, "not http") != NULL);
    err[0] = '\0';
    ASSERT_EQ(fetch(port, "/to-file", MiB, &d, &n, err, sizeof(err)), -1);
    ASSERT(strstr(err, "not http") != NULL);
    ASSERT(d == NULL);
    err[0] = '\0';
    ASSERT_EQ(fetch(port, "/loop", MiB, &d, &n, err, sizeof(err)), -1);
    ASSERT(strstr(err, "redirects") != NULL);
    stop_server();
}

FGS_TEST(package, fetch_refuses_other_schemes)
{
    unsigned char *d = NULL;
    size_t n = 0;
    char err[256] = "";

    ASSERT_EQ(srv_package_fetch("file:///etc/passwd", MiB, &d, &n, err, sizeof(err)), -1);
    ASSERT(strstr(err, "only http") != NULL);
    ASSERT_EQ(srv_package_fetch("ftp://127.0.0.1/x.zip", MiB, &d, &n, err, sizeof(err)), -1);
    ASSERT_EQ(srv_package_fetch("gopher://127.0.0.1/", MiB, &d, &n, err, sizeof(err)), -1);
    ASSERT_EQ(srv_package_fetch(" http://127.0.0.1/", MiB, &d, &n, err, sizeof(err)), -1);
    ASSERT(d == NULL);
    /* An upper-case scheme passes the check and fails only to connect (port 1). */
    ASSERT_EQ(srv_package_fetch("HTTP://127.0.0.1:1/", MiB, &d, &n, err, sizeof(err)), -1);
    ASSERT(strstr(err, "only http") == NULL);
    ASSERT(err[0] != '\0');
}

FGS_TEST_LIST(T(package, fetch_refuses_private_addresses_by_default), T(package, check_accepts_good_zip),
              T(package, unpack_good_zip),
              T(package, modes_ignore_umask_and_special_bits),
              T(package, rejects_absolute_path),
              T(package, rejects_dotdot),
              T(package, rejects_backslash_and_control_chars),
              T(package, rejects_names_that_name_nothing),
              T(package, nul_in_name_cannot_hide_traversal),
              T(package, rejects_symlink_entry),
              T(package, rejects_device_entry),
              T(package, rejects_exact_duplicate),
              T(package, rejects_normalised_duplicates),
              T(package, rejects_file_used_as_directory),
              T(package, rejects_encrypted_entry),
              T(package, rejects_too_many_entries),
              T(package, rejects_bomb_of_many_entries),
              T(package, rejects_eocd_lying_about_entry_count),
              T(package, rejects_declared_sizes_over_limit),
              T(package, rejects_package_over_size_limit),
              T(package, rejects_not_a_zip),
              T(package, rejects_empty_archive),
              T(package, rejects_truncated_zip),
              T(package, corrupt_data_fails_unpack_and_leaves_nothing),
              T(package, lying_size_bomb_stopped_by_count),
              T(package, second_unpack_is_a_no_op),
              T(package, unpack_inline),
              T(package, unpack_jar_stores_the_archive),
              T(package, unpack_refuses_bad_arguments),
              T(package, unpack_fails_when_target_is_not_a_directory),
              T(package, remove_deletes_tree),
              T(package, remove_does_not_follow_symlinks),
              T(package, sweep_removes_only_leftovers),
              T(package, fetch_ok_and_redirect),
              T(package, fetch_http_errors),
              T(package, fetch_refuses_oversize_body),
              T(package, fetch_refuses_bad_redirects),
              T(package, fetch_refuses_other_schemes));
