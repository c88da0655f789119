/*
 * cron.h - TIMER trigger schedules: parsing and next-fire computation.
 *
 * Two schedule types exist (event_data.schedule_type):
 *
 *   Rate   "<n>m" (1..60), "<n>h" (1..24) or "<n>d" (1..30): a fixed period.
 *   Cron   "[CRON_TZ=<zone> ]sec min hour day-of-month month [day-of-week]"
 *          with lists (,), ranges (-), steps (/), '*', '?' in the day fields,
 *          month names Jan..Dec and weekday names Sun..Sat (0..6, 7 = Sunday);
 *          or "@every <duration>" (Go duration syntax, at least 1 s); or one
 *          of the descriptors @yearly @annually @monthly @weekly @daily
 *          @midnight @hourly.
 *
 * The grammar and the next-time rules are those of robfig/cron v3 (the
 * library FunctionGraph's syntax comes from): when both day fields are
 * restricted a day matches if either does, otherwise both must; times that
 * a daylight-saving gap skips do not fire; fixed periods count from the
 * previous fire time truncated to the second.
 *
 * Time zones: a CRON_TZ zone is read from /usr/share/zoneinfo/<zone> (TZif
 * transitions plus the POSIX rule in the footer for later years) by our own
 * parser, so computing in a zone never touches the process-wide TZ setting
 * that other threads read through localtime_r(). Parsed zones are cached for
 * the life of the process. Without CRON_TZ the process's local zone applies
 * (localtime_r, thread-safe).
 */
#ifndef SRV_TRIGGER_CRON_H
#define SRV_TRIGGER_CRON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct srv_tz;

enum srv_schedule_kind {
    SRV_SCHEDULE_PERIOD = 1, /* Rate or @every: a fixed period */
    SRV_SCHEDULE_CRON = 2,   /* calendar fields */
};

/* A parsed schedule. Plain data: may be copied; nothing to release. */
struct srv_schedule {
    enum srv_schedule_kind kind;
    int64_t period_ms;       /* PERIOD: whole seconds, >= 1000 */
    uint64_t second;         /* CRON: bit i set when second i matches (0..59) */
    uint64_t minute;         /* bits 0..59 */
    uint32_t hour;           /* bits 0..23 */
    uint32_t dom;            /* bits 1..31 */
    uint32_t month;          /* bits 1..12 */
    uint32_t dow;            /* bits 0..6, 0 = Sunday */
    bool dom_star;           /* day-of-month was '*' or '?' (unrestricted) */
    bool dow_star;           /* day-of-week was '*', '?' or absent */
    const struct srv_tz *tz; /* CRON_TZ zone (cached, never freed), NULL: local time */
    char tz_name[64];        /* the CRON_TZ zone name, "" without one */
};

/*
 * Parses text as a schedule of the given type ("Rate" or "Cron", exact
 * case). Returns 0 and fills *out, or -1 with a one-line reason in err
 * (always terminated when errlen > 0) and *out unspecified.
 * Thread-safe.
 */
int srv_schedule_parse(
    struct srv_schedule *out, const char *type, const char *text, char *err, size_t errlen);

/*
 * The first fire time strictly after after_ms (milliseconds since the
 * epoch), in milliseconds. For a fixed period that is after_ms truncated to
 * the second plus the period, so pass the previous fire time (or the
 * trigger's creation time for the first one). Returns -1 when a calendar
 * schedule has no fire time in the next five years.
 * Thread-safe.
 */
int64_t srv_schedule_next(const struct srv_schedule *s, int64_t after_ms);

/*
 * Parses a Go duration ("300ms", "1.5h", "2h30m", units ns us µs μs ms s m
 * h) into nanoseconds. Returns 0, or -1 for bad syntax, a sign or overflow.
 */
int srv_duration_parse(const char *text, int64_t *out_ns);

#endif
