/*
 * frame.c - encoding, sending and receiving frames (see frame.h).
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/uio.h>
#include "util/frame.h"

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put64(unsigned char *p, uint64_t v)
{
    put32(p, (uint32_t)v);
    put32(p + 4, (uint32_t)(v >> 32));
}

static uint64_t get64(const unsigned char *p)
{
    return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* Encodes a header (see frame.h for the layout). */
void fgs__frame_pack(unsigned char out[FGS_FRAME_HDR_SIZE], const struct fgs__frame_hdr *h)
{
    put32(out, FGS_FRAME_MAGIC);
    out[4] = FGS_FRAME_VERSION;
    out[5] = h->kind;
    out[6] = (unsigned char)h->flags;
    out[7] = (unsigned char)(h->flags >> 8);
    put64(out + 8, h->id);
    put64(out + 16, h->deadline_ms);
    put32(out + 24, h->meta_len);
    put32(out + 28, h->payload_len);
}

/* Decodes and checks a header; see frame.h for the return codes. */
int fgs__frame_unpack(struct fgs__frame_hdr *h,
                      const unsigned char in[FGS_FRAME_HDR_SIZE],
                      uint32_t max_meta,
                      uint32_t max_payload)
{
    if (get32(in) != FGS_FRAME_MAGIC || in[4] != FGS_FRAME_VERSION || in[5] < FGS_FRAME_READY ||
        in[5] > FGS_FRAME_LOG)
        return -1;
    h->kind = in[5];
    h->flags = (uint16_t)(in[6] | in[7] << 8);
    h->id = get64(in + 8);
    h->deadline_ms = get64(in + 16);
    h->meta_len = get32(in + 24);
    h->payload_len = get32(in + 28);
    if (h->meta_len > max_meta || h->payload_len > max_payload)
        return -2;
    return 0;
}

/* Writes one whole frame; returns 0 or -1 with errno. */
int fgs__frame_send(int fd, const struct fgs__frame_hdr *h, const void *meta, const void *payload)
{
    unsigned char hdr[FGS_FRAME_HDR_SIZE];
    struct iovec iov[3];
    int n = 0, i = 0;

    fgs__frame_pack(hdr, h);
    iov[n++] = (struct iovec){ hdr, sizeof(hdr) };
    if (h->meta_len)
        iov[n++] = (struct iovec){ (void *)meta, h->meta_len };
    if (h->payload_len)
        iov[n++] = (struct iovec){ (void *)payload, h->payload_len };
    while (i < n) {
        ssize_t w = writev(fd, iov + i, n - i);

        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        while (i < n && (size_t)w >= iov[i].iov_len) {
            w -= (ssize_t)iov[i].iov_len;
            i++;
        }
        if (i < n) {
            iov[i].iov_base = (char *)iov[i].iov_base + w;
            iov[i].iov_len -= (size_t)w;
        }
    }
    return 0;
}

static int64_t mono_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads exactly len bytes before end_ms (< 0: no limit). */
static int read_full(int fd, void *buf, size_t len, int64_t end_ms, int first)
{
    size_t got = 0;

    while (got < len) {
        ssize_t r;

        if (end_ms >= 0) {
            struct pollfd p = { fd, POLLIN, 0 };
            int64_t left = end_ms - mono_ms();
            int pr;

            if (left <= 0)
                return FGS_FRAME_ETIMEOUT;
            pr = poll(&p, 1, left > 1000000 ? 1000000 : (int)left);
            if (pr < 0 && errno != EINTR)
                return FGS_FRAME_EIO;
            if (pr <= 0)
                continue;
        }
        r = read(fd, (char *)buf + got, len - got);
        if (r < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            return FGS_FRAME_EIO;
        }
        if (r == 0)
            return first && got == 0 ? FGS_FRAME_EOF : FGS_FRAME_EIO;
        got += (size_t)r;
    }
    return 0;
}

/* Reads one whole frame within timeout_ms; see frame.h. */
int fgs__frame_recv(
    int fd, struct fgs__frame *f, uint32_t max_meta, uint32_t max_payload, int timeout_ms)
{
    unsigned char hdr[FGS_FRAME_HDR_SIZE];
    int64_t end = timeout_ms < 0 ? -1 : mono_ms() + timeout_ms;
    int rc;

    memset(f, 0, sizeof(*f));
    rc = read_full(fd, hdr, sizeof(hdr), end, 1);
    if (rc < 0)
        return rc;
    if (fgs__frame_unpack(&f->hdr, hdr, max_meta, max_payload) < 0)
        return FGS_FRAME_EPROTO;
    f->meta = malloc((size_t)f->hdr.meta_len + 1);
    f->payload = malloc((size_t)f->hdr.payload_len + 1);
    if (!f->meta || !f->payload)
        return FGS_FRAME_ENOMEM;
    rc = read_full(fd, f->meta, f->hdr.meta_len, end, 0);
    if (rc < 0)
        return rc;
    rc = read_full(fd, f->payload, f->hdr.payload_len, end, 0);
    if (rc < 0)
        return rc;
    f->meta[f->hdr.meta_len] = '\0';
    f->payload[f->hdr.payload_len] = '\0';
    return 0;
}

/* Frees the meta and payload of a received frame. */
void fgs__frame_dispose(struct fgs__frame *f)
{
    if (!f)
        return;
    free(f->meta);
    free(f->payload);
    f->meta = f->payload = NULL;
}
