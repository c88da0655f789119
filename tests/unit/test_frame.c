/*
 * test_frame.c - unit tests of the frame protocol (src/util/frame.c):
 * header layout, caps, whole-frame round trips over a socketpair, large
 * payloads, EOF, truncation and timeouts.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include "fgs_test.h"
#include "util/frame.h"

FGS_TEST(frame, header_layout)
{
    struct fgs__frame_hdr h = {
        FGS_FRAME_INVOKE, 0, 0x0102030405060708ULL, 1700000000123ULL, 5, 6
    };
    struct fgs__frame_hdr back;
    unsigned char b[FGS_FRAME_HDR_SIZE];

    fgs__frame_pack(b, &h);
    ASSERT_MEMEQ(b, "FGSF", 4);
    ASSERT_EQ(b[4], 1);
    ASSERT_EQ(b[5], FGS_FRAME_INVOKE);
    ASSERT_EQ(b[8], 0x08); /* little-endian id */
    ASSERT_EQ(b[15], 0x01);
    ASSERT_EQ(b[24], 5);
    ASSERT_EQ(b[28], 6);
    ASSERT_OK(fgs__frame_unpack(&back, b, 16, 16));
    ASSERT_EQ(back.kind, FGS_FRAME_INVOKE);
    ASSERT(back.id == h.id);
    ASSERT(back.deadline_ms == h.deadline_ms);
    ASSERT_EQ(back.meta_len, 5);
    ASSERT_EQ(back.payload_len, 6);
}

FGS_TEST(frame, unpack_rejects_bad_headers)
{
    struct fgs__frame_hdr h = { FGS_FRAME_RESULT, 0, 1, 0, 100, 200 };
    struct fgs__frame_hdr back;
    unsigned char b[FGS_FRAME_HDR_SIZE];

    fgs__frame_pack(b, &h);
    ASSERT_EQ(fgs__frame_unpack(&back, b, 99, 1000), -2);
    ASSERT_EQ(fgs__frame_unpack(&back, b, 100, 199), -2);
    ASSERT_OK(fgs__frame_unpack(&back, b, 100, 200));
    b[0] = 'X';
    ASSERT_EQ(fgs__frame_unpack(&back, b, 100, 200), -1);
    fgs__frame_pack(b, &h);
    b[4] = 2;
    ASSERT_EQ(fgs__frame_unpack(&back, b, 100, 200), -1);
    fgs__frame_pack(b, &h);
    b[5] = 0;
    ASSERT_EQ(fgs__frame_unpack(&back, b, 100, 200), -1);
    b[5] = 99;
    ASSERT_EQ(fgs__frame_unpack(&back, b, 100, 200), -1);
}

FGS_TEST(frame, round_trip)
{
    struct fgs__frame_hdr h = { FGS_FRAME_INVOKE, 0, 42, 777, 0, 0 };
    struct fgs__frame f;
    const char *meta = "{\"request_id\":\"abc\"}";
    int sv[2];

    ASSERT_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    h.meta_len = (uint32_t)strlen(meta);
    h.payload_len = 3;
    ASSERT_OK(fgs__frame_send(sv[0], &h, meta, "a\0b"));
    ASSERT_OK(fgs__frame_recv(sv[1], &f, 1024, 1024, 2000));
    ASSERT_EQ(f.hdr.kind, FGS_FRAME_INVOKE);
    ASSERT_EQ(f.hdr.id, 42);
    ASSERT_EQ(f.hdr.deadline_ms, 777);
    ASSERT_STREQ(f.meta, meta);
    ASSERT_EQ(f.hdr.payload_len, 3);
    ASSERT_MEMEQ(f.payload, "a\0b", 4); /* NUL-terminated after the bytes */
    fgs__frame_dispose(&f);

    /* empty meta and payload */
    h.meta_len = h.payload_len = 0;
    h.kind = FGS_FRAME_READY;
    ASSERT_OK(fgs__frame_send(sv[0], &h, NULL, NULL));
    ASSERT_OK(fgs__frame_recv(sv[1], &f, 1024, 1024, 2000));
    ASSERT_EQ(f.hdr.kind, FGS_FRAME_READY);
    ASSERT_STREQ(f.meta, "");
    fgs__frame_dispose(&f);

    /* peer closes: EOF at a frame boundary */
    close(sv[0]);
    ASSERT_EQ(fgs__frame_recv(sv[1], &f, 1024, 1024, 2000), FGS_FRAME_EOF);
    fgs__frame_dispose(&f);
    close(sv[1]);
}

struct big_arg {
    int fd;
    size_t len;
};

static void *send_big(void *p)
{
    struct big_arg *a = p;
    struct fgs__frame_hdr h = { FGS_FRAME_RESULT, 0, 7, 0, 2, (uint32_t)a->len };
    char *data = malloc(a->len);
    size_t i;

    for (i = 0; i < a->len; i++)
        data[i] = (char)(i * 31 + 7);
    if (fgs__frame_send(a->fd, &h, "{}", data) < 0)
        abort();
    free(data);
    return NULL;
}

FGS_TEST(frame, large_payload_crosses_socket_buffer)
{
    struct big_arg a;
    struct fgs__frame f;
    pthread_t t;
    int sv[2];
    size_t i;

    ASSERT_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    a.fd = sv[0];
    a.len = 6 * 1024 * 1024 + 17;
    ASSERT_OK(pthread_create(&t, NULL, send_big, &a));
    ASSERT_OK(fgs__frame_recv(sv[1], &f, 64, 8 * 1024 * 1024, 20000));
    ASSERT_OK(pthread_join(t, NULL));
    ASSERT_EQ(f.hdr.payload_len, a.len);
    for (i = 0; i < a.len; i++)
        if (f.payload[i] != (char)(i * 31 + 7))
            FGS_TEST_FAIL("payload byte %zu differs", i);
    fgs__frame_dispose(&f);
    close(sv[0]);
    close(sv[1]);
}

FGS_TEST(frame, truncation_timeout_and_caps)
{
    struct fgs__frame_hdr h = { FGS_FRAME_RESULT, 0, 1, 0, 2, 10 };
    unsigned char b[FGS_FRAME_HDR_SIZE];
    struct fgs__frame f;
    int sv[2];

    /* nothing arrives: timeout */
    ASSERT_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    ASSERT_EQ(fgs__frame_recv(sv[1], &f, 64, 64, 50), FGS_FRAME_ETIMEOUT);
    fgs__frame_dispose(&f);
    /* a header promising 10 payload bytes, then only 4 and a close: EIO */
    fgs__frame_pack(b, &h);
    ASSERT_EQ(write(sv[0], b, sizeof(b)), (ssize_t)sizeof(b));
    ASSERT_EQ(write(sv[0], "{}abcd", 6), 6);
    close(sv[0]);
    ASSERT_EQ(fgs__frame_recv(sv[1], &f, 64, 64, 2000), FGS_FRAME_EIO);
    fgs__frame_dispose(&f);
    close(sv[1]);
    /* a payload beyond the reader's cap: EPROTO, nothing allocated for it */
    ASSERT_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    h.payload_len = 1000;
    fgs__frame_pack(b, &h);
    ASSERT_EQ(write(sv[0], b, sizeof(b)), (ssize_t)sizeof(b));
    ASSERT_EQ(fgs__frame_recv(sv[1], &f, 64, 999, 2000), FGS_FRAME_EPROTO);
    fgs__frame_dispose(&f);
    /* garbage instead of a header */
    ASSERT_EQ(write(sv[0], "GET / HTTP/1.1\r\n\r\nxxxxxxxxxxxxxx", 32), 32);
    ASSERT_EQ(fgs__frame_recv(sv[1], &f, 64, 64, 2000), FGS_FRAME_EPROTO);
    fgs__frame_dispose(&f);
    close(sv[0]);
    close(sv[1]);
}

FGS_TEST_LIST(T(frame, header_layout),
              T(frame, unpack_rejects_bad_headers),
              T(frame, round_trip),
              T(frame, large_payload_crosses_socket_buffer),
              T(frame, truncation_timeout_and_caps));
