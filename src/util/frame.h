/*
 * frame.h - the one wire protocol between fgsd, fgs-init and the language
 * shims: a fixed 32-byte little-endian header followed by JSON metadata and
 * payload bytes, over a stream socketpair.
 *
 *   offset size field
 *        0    4 magic "FGSF"
 *        4    1 version (1)
 *        5    1 kind (enum fgs__frame_kind)
 *        6    2 flags (reserved, 0)
 *        8    8 id (request sequence number; 0 for instance-level frames)
 *       16    8 deadline (wall-clock ms since the epoch; 0 = none)
 *       24    4 meta_len (bytes of JSON metadata that follow)
 *       28    4 payload_len (bytes of payload after the metadata)
 *
 * The shims (runtimes/python/shim.py, runtimes/node/shim.js) implement the
 * same layout; keep them in step with this file.
 */
#ifndef FGS_UTIL_FRAME_H
#define FGS_UTIL_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define FGS_FRAME_HDR_SIZE 32
#define FGS_FRAME_MAGIC 0x46534746u /* "FGSF" read as little-endian u32 */
#define FGS_FRAME_VERSION 1

enum fgs__frame_kind {
    FGS_FRAME_READY = 1,  /* up: the instance loaded its handler (meta ok/error) */
    FGS_FRAME_INVOKE = 2, /* down: run the handler; meta {request_id}, payload = event */
    FGS_FRAME_RESULT = 3, /* up: meta {ok, code, ...}, payload = result or error JSON */
    FGS_FRAME_LOG = 4,    /* up (init -> fgsd): payload = the invocation's captured output */
};

struct fgs__frame_hdr {
    uint8_t kind;         /* enum fgs__frame_kind */
    uint16_t flags;       /* reserved, 0 */
    uint64_t id;          /* request sequence number */
    uint64_t deadline_ms; /* wall clock ms since the epoch, 0 = none */
    uint32_t meta_len;    /* JSON metadata bytes */
    uint32_t payload_len; /* payload bytes */
};

/* One received frame; meta and payload are malloc'd and NUL-terminated. */
struct fgs__frame {
    struct fgs__frame_hdr hdr;
    char *meta;
    char *payload;
};

/* Encodes a header into out. */
void fgs__frame_pack(unsigned char out[FGS_FRAME_HDR_SIZE], const struct fgs__frame_hdr *h);

/*
 * Decodes a header. Returns 0, -1 for a bad magic/version/kind, -2 when
 * meta_len or payload_len exceed the caps.
 */
int fgs__frame_unpack(struct fgs__frame_hdr *h,
                      const unsigned char in[FGS_FRAME_HDR_SIZE],
                      uint32_t max_meta,
                      uint32_t max_payload);

/*
 * Writes one whole frame (header, meta, payload) to a blocking fd, retrying
 * on EINTR and short writes. meta_len/payload_len are taken from h. Returns
 * 0 or -1 (errno set).
 */
int fgs__frame_send(int fd, const struct fgs__frame_hdr *h, const void *meta, const void *payload);

enum {
    FGS_FRAME_EOF = -1,      /* peer closed before a header byte arrived */
    FGS_FRAME_EIO = -2,      /* read error or EOF in the middle of a frame */
    FGS_FRAME_ETIMEOUT = -3, /* timeout_ms elapsed */
    FGS_FRAME_EPROTO = -4,   /* bad header or a length beyond the caps */
    FGS_FRAME_ENOMEM = -5,
};

/*
 * Reads one whole frame into f (dispose with fgs__frame_dispose, also after
 * failure). timeout_ms < 0 waits forever; otherwise it bounds the whole
 * frame. Returns 0 or one of the FGS_FRAME_E* codes above.
 */
int fgs__frame_recv(
    int fd, struct fgs__frame *f, uint32_t max_meta, uint32_t max_payload, int timeout_ms);

void fgs__frame_dispose(struct fgs__frame *f);

#endif
