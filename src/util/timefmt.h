/*
 * timefmt.h - clock readings and the timestamp formats of the API.
 */
#ifndef FGS_UTIL_TIMEFMT_H
#define FGS_UTIL_TIMEFMT_H

#include <stddef.h>
#include <stdint.h>

int64_t fgs__now_ms(void);      /* wall clock, milliseconds since the epoch */
uint64_t fgs__mono_ns(void);    /* monotonic clock, nanoseconds */

/* "2019-03-07T18:37:19+08:00" in the local zone: out needs 32 bytes. */
void fgs__time_rfc3339(char *out, size_t size, int64_t ms);
/* "2019-03-07 18:37:19" style as some list APIs use, UTC: 20 bytes. */
void fgs__time_plain_utc(char *out, size_t size, int64_t ms);
/* "v20240102-030405" publish names, local time. */
void fgs__time_version_name(char *out, size_t size, int64_t ms);

#endif
