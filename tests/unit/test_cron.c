/*
 * test_cron.c - TIMER schedules: Rate, six-field cron (lists, ranges, steps,
 * names, '?', day-of-month OR day-of-week), CRON_TZ zones including DST
 * gaps and overlaps and years past the zone file's table, @every and the
 * predefined descriptors; valid and invalid expressions and next fire
 * times checked against hand-computed values.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "fgs_test.h"
#include "trigger/cron.h"

/* Milliseconds since the epoch of a UTC wall-clock time. */
static int64_t utc(int y, int mo, int d, int h, int mi, int s)
{
    struct tm tm;

    memset(&tm, 0, sizeof(tm));
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    return (int64_t)timegm(&tm) * 1000;
}

static void utc_zone(void)
{
    setenv("TZ", "UTC", 1);
    tzset();
}

static struct srv_schedule parse_ok(const char *type, const char *text)
{
    struct srv_schedule s;
    char err[256];

    if (srv_schedule_parse(&s, type, text, err, sizeof(err)) != 0)
        FGS_TEST_FAIL("%s '%s' rejected: %s", type, text, err);
    return s;
}

static void expect_bad(const char *type, const char *text, const char *needle)
{
    struct srv_schedule s;
    char err[256] = "";

    if (srv_schedule_parse(&s, type, text, err, sizeof(err)) == 0)
        FGS_TEST_FAIL("%s '%s' accepted", type ? type : "(null)", text ? text : "(null)");
    ASSERT(err[0] != '\0');
    if (needle && !strstr(err, needle))
        FGS_TEST_FAIL("%s '%s': error '%s' lacks '%s'", type, text, err, needle);
}

/* next(text, after) must be want. */
static void expect_next(const char *text, int64_t after, int64_t want)
{
    struct srv_schedule s = parse_ok("Cron", text);
    int64_t got = srv_schedule_next(&s, after);

    if (got != want)
        FGS_TEST_FAIL("'%s' after %" PRId64 ": got %" PRId64 ", want %" PRId64 " (off by %" PRId64
                      " s)",
                      text, after, got, want, (got - want) / 1000);
}

FGS_TEST(cron, rate_valid)
{
    struct srv_schedule s;

    s = parse_ok("Rate", "1m");
    ASSERT_EQ(s.kind, SRV_SCHEDULE_PERIOD);
    ASSERT_EQ(s.period_ms, 60000);
    s = parse_ok("Rate", "60m");
    ASSERT_EQ(s.period_ms, 3600000);
    s = parse_ok("Rate", "3m");
    ASSERT_EQ(s.period_ms, 180000);
    s = parse_ok("Rate", "1h");
    ASSERT_EQ(s.period_ms, 3600000);
    s = parse_ok("Rate", "24h");
    ASSERT_EQ(s.period_ms, 86400000);
    s = parse_ok("Rate", "1d");
    ASSERT_EQ(s.period_ms, 86400000);
    s = parse_ok("Rate", "30d");
    ASSERT_EQ(s.period_ms, 30LL * 86400000);
}

FGS_TEST(cron, rate_invalid)
{
    expect_bad("Rate", "0m", "out of range");
    expect_bad("Rate", "61m", "out of range");
    expect_bad("Rate", "25h", "out of range");
    expect_bad("Rate", "0h", "out of range");
    expect_bad("Rate", "31d", "out of range");
    expect_bad("Rate", "5", NULL);
    expect_bad("Rate", "m", NULL);
    expect_bad("Rate", "5s", NULL);
    expect_bad("Rate", "-5m", NULL);
    expect_bad("Rate", "5 m", NULL);
    expect_bad("Rate", "1.5h", NULL);
    expect_bad("Rate", "5M", NULL);
    expect_bad("Rate", "", NULL);
    expect_bad("Rate", "0 * * * * *", NULL);
    expect_bad("rate", "5m", "Rate or Cron");
    expect_bad("Cron", "5m", NULL);
    expect_bad(NULL, "5m", NULL);
    expect_bad("Rate", NULL, NULL);
}

FGS_TEST(cron, rate_next)
{
    struct srv_schedule s = parse_ok("Rate", "5m");

    ASSERT_EQ(srv_schedule_next(&s, 1000), 301000);
    /* Counted from the previous fire time truncated to the second. */
    ASSERT_EQ(srv_schedule_next(&s, 1999), 301000);
    s = parse_ok("Rate", "2d");
    ASSERT_EQ(srv_schedule_next(&s, utc(2024, 2, 28, 10, 0, 0)), utc(2024, 3, 1, 10, 0, 0));
}

FGS_TEST(cron, cron_valid)
{
    static const char *const ok[] = {
        "0 * * * * *",
        "* * * * * *",
        "0 0 12 ? * MON-FRI",
        "0 0/5 14,18 * * ?",
        "0 0 12 1/5 * ?",
        "0 15 10 ? * 6",
        "0 0 0 1 Jan,Jul *",
        "0 0 0 1 jan-MAR ?",
        "0 0 0 * * 0-7",
        "0 0 0 * * 7",
        "0 0 0 * * sun,Sat",
        "0 30 8 * *",
        "0 30 8 * * *",
        "  0  30   8 * *  ",
        "59 59 23 31 12 *",
        "0-59/10 1-59/2 0-23 1-31 1-12 0-6",
        "*/1 */59 */23 */31 */12 */7",
        "0 0 0 29 2 *",
        "0 0 0 30,31 * *",
        "CRON_TZ=Asia/Shanghai 0 0 9 * * *",
        "CRON_TZ=America/New_York 0 30 2 * * *",
        "CRON_TZ=UTC 0 0 * * * *",
        "TZ=Europe/Berlin 0 0 * * *",
        "CRON_TZ=Etc/GMT+5 0 0 * * *",
        "@every 30m",
        "@every 1.5h",
        "@every 2h30m",
        "@every 1s",
        "@every 1000ms",
        "@every 1000000us",
        "@every 1000000\xc2\xb5s",
        "@every 3600000000000ns",
        "@yearly",
        "@annually",
        "@monthly",
        "@weekly",
        "@daily",
        "@midnight",
        "@hourly",
        "CRON_TZ=Asia/Tokyo @daily",
        NULL,
    };
    size_t i;

    for (i = 0; ok[i]; i++)
        parse_ok("Cron", ok[i]);
}

FGS_TEST(cron, cron_invalid)
{
    expect_bad("Cron", "", NULL);
    expect_bad("Cron", "   ", "expected 5 or 6 fields");
    expect_bad("Cron", "* * * *", "expected 5 or 6 fields");
    expect_bad("Cron", "* * * * * * *", "expected 5 or 6 fields");
    expect_bad("Cron", "* * * * * * * * *", "expected 5 or 6 fields");
    expect_bad("Cron", "60 * * * * *", "second");
    expect_bad("Cron", "* 60 * * * *", "minute");
    expect_bad("Cron", "* * 24 * * *", "hour");
    expect_bad("Cron", "* * * 0 * *", "day-of-month");
    expect_bad("Cron", "* * * 32 * *", "day-of-month");
    expect_bad("Cron", "* * * * 13 *", "month");
    expect_bad("Cron", "* * * * 0 *", "month");
    expect_bad("Cron", "* * * * * 8", "day-of-week");
    expect_bad("Cron", "*/0 * * * * *", "step of zero");
    expect_bad("Cron", "5-1 * * * * *", "out of range");
    expect_bad("Cron", "? * * * * *", "'?'");
    expect_bad("Cron", "0 0 ? * * *", "'?'");
    expect_bad("Cron", "a * * * * *", "second");
    expect_bad("Cron", "* * * * Foo *", "month");
    expect_bad("Cron", "* * * * * Mon-Foo", "day-of-week");
    expect_bad("Cron", "* * * * * jan", "day-of-week");
    expect_bad("Cron", "Mon * * * * *", "second");
    expect_bad("Cron", "1,,2 * * * * *", "empty term");
    expect_bad("Cron", "1, * * * * *", "empty term");
    expect_bad("Cron", ",1 * * * * *", "empty term");
    expect_bad("Cron", "-1 * * * * *", NULL);
    expect_bad("Cron", "1-2-3 * * * * *", NULL);
    expect_bad("Cron", "1/2/3 * * * * *", NULL);
    expect_bad("Cron", "*-5 * * * * *", NULL);
    expect_bad("Cron", "0 0 0 15 * 6L", "day-of-week");
    expect_bad("Cron", "0 0 0 L * *", "day-of-month");
    expect_bad("Cron", "0 0 0 15W * *", "day-of-month");
    expect_bad("Cron", "0 0 0 * * 5#3", "day-of-week");
    expect_bad("Cron", "1000 * * * * *", NULL);
    expect_bad("Cron", "0 0 0 30 2 *", "never fires");
    expect_bad("Cron", "0 0 0 31 4,6,9,11 *", "never fires");
    expect_bad("Cron", "CRON_TZ=Mars/Base 0 * * * * *", "unknown time zone");
    expect_bad("Cron", "CRON_TZ=../../etc/passwd 0 * * * * *", "invalid time zone");
    expect_bad("Cron", "CRON_TZ=/etc/passwd 0 * * * * *", "invalid time zone");
    expect_bad("Cron", "CRON_TZ=Asia/../Asia/Tokyo 0 * * * * *", "invalid time zone");
    expect_bad("Cron", "CRON_TZ=Asia 0 * * * * *", "unknown time zone");
    expect_bad("Cron", "CRON_TZ=Asia/Shanghai", "followed by a schedule");
    expect_bad("Cron", "CRON_TZ= 0 * * * * *", "invalid time zone");
    expect_bad("Cron", "CRON_TZ=Asia/Shanghai 0 * * *", "expected 5 or 6 fields");
    expect_bad("Cron", "@every 500ms", "shorter than 1s");
    expect_bad("Cron", "@every 0", "shorter than 1s");
    expect_bad("Cron", "@every -1m", "invalid @every");
    expect_bad("Cron", "@every 10", "invalid @every");
    expect_bad("Cron", "@every 1x", "invalid @every");
    expect_bad("Cron", "@every", NULL);
    expect_bad("Cron", "@every1m", NULL);
    expect_bad("Cron", "@every 1m extra", "invalid @every");
    expect_bad("Cron", "@fortnightly", "unknown descriptor");
    expect_bad("Cron", "@Daily", "unknown descriptor");

    {
        char longtext[400];

        memset(longtext, '1', sizeof(longtext) - 1);
        longtext[sizeof(longtext) - 1] = '\0';
        expect_bad("Cron", longtext, "characters");
    }
}

FGS_TEST(cron, error_buffer_is_bounded)
{
    struct srv_schedule s;
    char err[8];

    memset(err, 'x', sizeof(err));
    ASSERT_EQ(srv_schedule_parse(&s, "Cron", "* * * * Foo *", err, sizeof(err)), -1);
    ASSERT_EQ(strlen(err), sizeof(err) - 1);
    /* No buffer at all is allowed. */
    ASSERT_EQ(srv_schedule_parse(&s, "Cron", "* * * * Foo *", NULL, 0), -1);
}

FGS_TEST(cron, fields_bits)
{
    struct srv_schedule s = parse_ok("Cron", "0,30 5-7 */6 1/10 Feb-Apr Mon,Wed-Fri");

    ASSERT_EQ(s.kind, SRV_SCHEDULE_CRON);
    ASSERT_EQ(s.second, (1ULL << 0) | (1ULL << 30));
    ASSERT_EQ(s.minute, (1ULL << 5) | (1ULL << 6) | (1ULL << 7));
    ASSERT_EQ(s.hour, (1U << 0) | (1U << 6) | (1U << 12) | (1U << 18));
    ASSERT_EQ(s.dom, (1U << 1) | (1U << 11) | (1U << 21) | (1U << 31));
    ASSERT_EQ(s.month, (1U << 2) | (1U << 3) | (1U << 4));
    ASSERT_EQ(s.dow, (1U << 1) | (1U << 3) | (1U << 4) | (1U << 5));
    ASSERT(!s.dom_star);
    ASSERT(!s.dow_star);

    s = parse_ok("Cron", "0 0 0 ? * 5-7");
    ASSERT_EQ(s.dow, (1U << 0) | (1U << 5) | (1U << 6));
    ASSERT(s.dom_star);
    ASSERT(!s.dow_star);

    s = parse_ok("Cron", "0 0 0 * *");
    ASSERT_EQ(s.dow, 0x7f);
    ASSERT(s.dow_star);
    ASSERT(s.dom_star);

    /* A step over '*' restricts the field: it is no longer "any day". */
    s = parse_ok("Cron", "0 0 0 */2 * *");
    ASSERT(!s.dom_star);
    ASSERT_EQ(s.tz_name[0], '\0');
    ASSERT(s.tz == NULL);
}

FGS_TEST(cron, next_basic)
{
    utc_zone();
    expect_next("0 * * * * *", utc(2024, 1, 1, 0, 0, 0), utc(2024, 1, 1, 0, 1, 0));
    expect_next("* * * * * *", utc(2024, 1, 1, 0, 0, 0) + 500, utc(2024, 1, 1, 0, 0, 1));
    expect_next("30 15 10 * * *", utc(2024, 5, 1, 10, 15, 30), utc(2024, 5, 2, 10, 15, 30));
    expect_next("30 15 10 * * *", utc(2024, 5, 1, 10, 15, 29), utc(2024, 5, 1, 10, 15, 30));
    expect_next("0 */15 * * * *", utc(2024, 1, 1, 0, 16, 0), utc(2024, 1, 1, 0, 30, 0));
    expect_next("0 5/20 * * * *", utc(2024, 1, 1, 0, 0, 0), utc(2024, 1, 1, 0, 5, 0));
    expect_next("0 5/20 * * * *", utc(2024, 1, 1, 0, 5, 0), utc(2024, 1, 1, 0, 25, 0));
    expect_next("0 5/20 * * * *", utc(2024, 1, 1, 0, 45, 0), utc(2024, 1, 1, 1, 5, 0));
    /* Year wrap. */
    expect_next("59 59 23 31 12 *", utc(2024, 6, 1, 0, 0, 0), utc(2024, 12, 31, 23, 59, 59));
    expect_next("0 0 0 1 1 *", utc(2024, 12, 31, 23, 59, 59), utc(2025, 1, 1, 0, 0, 0));
    /* Five fields: second minute hour day month. */
    expect_next("0 30 8 * *", utc(2024, 1, 1, 9, 0, 0), utc(2024, 1, 2, 8, 30, 0));
    /* Ranges and lists in hours. */
    expect_next("0 0 9-11,15 * * *", utc(2024, 1, 1, 11, 0, 0), utc(2024, 1, 1, 15, 0, 0));
    expect_next("0 0 9-11,15 * * *", utc(2024, 1, 1, 15, 0, 0), utc(2024, 1, 2, 9, 0, 0));
}

FGS_TEST(cron, next_days_and_names)
{
    utc_zone();
    /* 2024-06-01 is a Saturday. */
    expect_next("0 0 12 * * Mon-Fri", utc(2024, 6, 1, 0, 0, 0), utc(2024, 6, 3, 12, 0, 0));
    expect_next("0 0 12 ? * MON-FRI", utc(2024, 6, 3, 12, 0, 0), utc(2024, 6, 4, 12, 0, 0));
    expect_next("0 0 0 * * 7", utc(2024, 6, 1, 0, 0, 0), utc(2024, 6, 2, 0, 0, 0));
    expect_next("0 0 0 * * Sun", utc(2024, 6, 1, 0, 0, 0), utc(2024, 6, 2, 0, 0, 0));
    /* 2024-06-05 is a Wednesday: sun-tue next matches Sunday the 9th. */
    expect_next("0 0 0 * * sun-tue", utc(2024, 6, 5, 0, 0, 0), utc(2024, 6, 9, 0, 0, 0));
    expect_next("0 0 6 * * 5-7", utc(2024, 6, 3, 0, 0, 0), utc(2024, 6, 7, 6, 0, 0));
    expect_next("0 0 0 1 Jan,Jul ?", utc(2024, 2, 10, 0, 0, 0), utc(2024, 7, 1, 0, 0, 0));
    expect_next("0 0 0 1 Jan,Jul ?", utc(2024, 7, 1, 0, 0, 0), utc(2025, 1, 1, 0, 0, 0));
    expect_next("0 0 0 31 * *", utc(2024, 4, 1, 0, 0, 0), utc(2024, 5, 31, 0, 0, 0));
    expect_next("0 0 0 29 2 *", utc(2024, 3, 1, 0, 0, 0), utc(2028, 2, 29, 0, 0, 0));
    expect_next("0 0 0 1/14 * *", utc(2024, 1, 2, 0, 0, 0), utc(2024, 1, 15, 0, 0, 0));
    /* Both day fields restricted: either matches (2024-09-13 is a Friday). */
    expect_next("0 0 9 13 * 1", utc(2024, 9, 10, 0, 0, 0), utc(2024, 9, 13, 9, 0, 0));
    expect_next("0 0 9 13 * 1", utc(2024, 9, 13, 9, 0, 0), utc(2024, 9, 16, 9, 0, 0));
    expect_next("0 0 9 13 * 5", utc(2024, 9, 1, 0, 0, 0), utc(2024, 9, 6, 9, 0, 0));
    /* Day of month restricted, weekday '?': only the day counts. */
    expect_next("0 0 9 13 * ?", utc(2024, 9, 14, 0, 0, 0), utc(2024, 10, 13, 9, 0, 0));
    /* Weekday restricted, day '*': both must match (Fridays in February 2025). */
    expect_next("0 0 0 * 2 Fri", utc(2024, 9, 1, 0, 0, 0), utc(2025, 2, 7, 0, 0, 0));
}

FGS_TEST(cron, next_descriptors)
{
    utc_zone();
    expect_next("@hourly", utc(2024, 1, 1, 0, 0, 0), utc(2024, 1, 1, 1, 0, 0));
    expect_next("@daily", utc(2024, 1, 1, 0, 0, 0), utc(2024, 1, 2, 0, 0, 0));
    expect_next("@midnight", utc(2024, 1, 1, 23, 0, 0), utc(2024, 1, 2, 0, 0, 0));
    /* 2024-01-03 is a Wednesday; the next Sunday is the 7th. */
    expect_next("@weekly", utc(2024, 1, 3, 0, 0, 0), utc(2024, 1, 7, 0, 0, 0));
    expect_next("@monthly", utc(2024, 1, 3, 0, 0, 0), utc(2024, 2, 1, 0, 0, 0));
    expect_next("@yearly", utc(2024, 1, 3, 0, 0, 0), utc(2025, 1, 1, 0, 0, 0));
}

FGS_TEST(cron, every)
{
    struct srv_schedule s = parse_ok("Cron", "@every 90s");

    ASSERT_EQ(s.kind, SRV_SCHEDULE_PERIOD);
    ASSERT_EQ(s.period_ms, 90000);
    ASSERT_EQ(srv_schedule_next(&s, 1000500), 1090000);
    s = parse_ok("Cron", "@every 1.5h");
    ASSERT_EQ(s.period_ms, 5400000);
    s = parse_ok("Cron", "@every 2h30m");
    ASSERT_EQ(s.period_ms, 9000000);
    /* Sub-second parts are dropped, as robfig/cron does. */
    s = parse_ok("Cron", "@every 1500ms");
    ASSERT_EQ(s.period_ms, 1000);
    s = parse_ok("Cron", "CRON_TZ=Asia/Shanghai @every 30m");
    ASSERT_EQ(s.period_ms, 1800000);
    ASSERT_STREQ(s.tz_name, "Asia/Shanghai");
}

FGS_TEST(cron, duration)
{
    int64_t ns = -1;

    ASSERT_OK(srv_duration_parse("300ms", &ns));
    ASSERT_EQ(ns, 300000000);
    ASSERT_OK(srv_duration_parse("1.5h", &ns));
    ASSERT_EQ(ns, 5400000000000LL);
    ASSERT_OK(srv_duration_parse("2h30m", &ns));
    ASSERT_EQ(ns, 9000000000000LL);
    ASSERT_OK(srv_duration_parse("1h1m1s", &ns));
    ASSERT_EQ(ns, 3661000000000LL);
    ASSERT_OK(srv_duration_parse(".5s", &ns));
    ASSERT_EQ(ns, 500000000);
    ASSERT_OK(srv_duration_parse("5.s", &ns));
    ASSERT_EQ(ns, 5000000000LL);
    ASSERT_OK(srv_duration_parse("1us", &ns));
    ASSERT_EQ(ns, 1000);
    ASSERT_OK(srv_duration_parse("1\xc2\xb5s", &ns));
    ASSERT_EQ(ns, 1000);
    ASSERT_OK(srv_duration_parse("1\xce\xbcs", &ns));
    ASSERT_EQ(ns, 1000);
    ASSERT_OK(srv_duration_parse("7ns", &ns));
    ASSERT_EQ(ns, 7);
    ASSERT_OK(srv_duration_parse("0", &ns));
    ASSERT_EQ(ns, 0);
    ASSERT_OK(srv_duration_parse("+1s", &ns));
    ASSERT_EQ(ns, 1000000000);
    ASSERT_OK(srv_duration_parse("2562047h", &ns));
    ASSERT_EQ(ns, 2562047LL * 3600000000000LL);

    ASSERT_EQ(srv_duration_parse("", &ns), -1);
    ASSERT_EQ(srv_duration_parse("1", &ns), -1);
    ASSERT_EQ(srv_duration_parse("1x", &ns), -1);
    ASSERT_EQ(srv_duration_parse("-1s", &ns), -1);
    ASSERT_EQ(srv_duration_parse(".s", &ns), -1);
    ASSERT_EQ(srv_duration_parse("s", &ns), -1);
    ASSERT_EQ(srv_duration_parse("1e3s", &ns), -1);
    ASSERT_EQ(srv_duration_parse("1 s", &ns), -1);
    ASSERT_EQ(srv_duration_parse("9223372036854775808ns", &ns), -1);
    ASSERT_EQ(srv_duration_parse("2562048h", &ns), -1);
    ASSERT_EQ(srv_duration_parse("99999999999999999999s", &ns), -1);
    ASSERT_EQ(srv_duration_parse(NULL, &ns), -1);
}

FGS_TEST(cron, next_in_zones)
{
    /* The process zone must not matter when CRON_TZ is given. */
    setenv("TZ", "Pacific/Auckland", 1);
    tzset();
    expect_next("CRON_TZ=Asia/Shanghai 0 0 9 * * *", utc(2024, 1, 1, 0, 0, 0),
                utc(2024, 1, 1, 1, 0, 0));
    expect_next("CRON_TZ=Asia/Shanghai 0 0 9 * * *", utc(2024, 1, 1, 1, 0, 0),
                utc(2024, 1, 2, 1, 0, 0));
    /* Half-hour offset. */
    expect_next("CRON_TZ=Asia/Kolkata 0 0 0 * * *", utc(2024, 1, 1, 0, 0, 0),
                utc(2024, 1, 1, 18, 30, 0));
    /* New York: EST (-5) in winter, EDT (-4) in summer. */
    expect_next("CRON_TZ=America/New_York 0 0 9 * * *", utc(2024, 1, 1, 0, 0, 0),
                utc(2024, 1, 1, 14, 0, 0));
    expect_next("CRON_TZ=America/New_York 0 0 9 * * *", utc(2024, 3, 9, 15, 0, 0),
                utc(2024, 3, 10, 13, 0, 0));
    expect_next("TZ=America/New_York 0 0 9 * * *", utc(2024, 7, 4, 0, 0, 0),
                utc(2024, 7, 4, 13, 0, 0));
    /* Weekday in the zone, not in UTC: Monday 00:30 in Shanghai is Sunday 16:30 UTC. */
    expect_next("CRON_TZ=Asia/Shanghai 0 30 0 * * Mon", utc(2024, 6, 1, 0, 0, 0),
                utc(2024, 6, 2, 16, 30, 0));
    /* Southern hemisphere: Sydney is +11 in January, +10 in July. */
    expect_next("CRON_TZ=Australia/Sydney 0 0 12 * * *", utc(2024, 1, 15, 0, 0, 0),
                utc(2024, 1, 15, 1, 0, 0));
    expect_next("CRON_TZ=Australia/Sydney 0 0 12 * * *", utc(2024, 7, 15, 0, 0, 0),
                utc(2024, 7, 15, 2, 0, 0));
    /* Etc/GMT+5 is UTC-5 (POSIX sign). */
    expect_next("CRON_TZ=Etc/GMT+5 0 0 0 * * *", utc(2024, 1, 1, 0, 0, 0),
                utc(2024, 1, 1, 5, 0, 0));
    expect_next("CRON_TZ=UTC 0 0 0 * * *", utc(2024, 1, 1, 0, 0, 0), utc(2024, 1, 2, 0, 0, 0));
}

FGS_TEST(cron, next_far_future_uses_zone_rule)
{
    utc_zone();
    /* Past the transitions listed in the file: the footer's POSIX rule applies. */
    expect_next("CRON_TZ=America/New_York 0 0 12 * * *", utc(2040, 7, 1, 0, 0, 0),
                utc(2040, 7, 1, 16, 0, 0));
    expect_next("CRON_TZ=America/New_York 0 0 12 * * *", utc(2040, 12, 1, 0, 0, 0),
                utc(2040, 12, 1, 17, 0, 0));
    /* 2040: DST starts Sunday March 11 and ends Sunday November 4 in New York. */
    expect_next("CRON_TZ=America/New_York 0 0 12 * * *", utc(2040, 3, 11, 0, 0, 0),
                utc(2040, 3, 11, 16, 0, 0));
    expect_next("CRON_TZ=America/New_York 0 0 12 * * *", utc(2040, 11, 4, 0, 0, 0),
                utc(2040, 11, 4, 17, 0, 0));
    expect_next("CRON_TZ=Australia/Sydney 0 0 12 * * *", utc(2045, 1, 15, 0, 0, 0),
                utc(2045, 1, 15, 1, 0, 0));
    expect_next("CRON_TZ=Australia/Sydney 0 0 12 * * *", utc(2045, 7, 15, 0, 0, 0),
                utc(2045, 7, 15, 2, 0, 0));
    expect_next("CRON_TZ=Europe/Berlin 0 0 12 * * *", utc(2050, 7, 1, 0, 0, 0),
                utc(2050, 7, 1, 10, 0, 0));
}

FGS_TEST(cron, next_dst_gap_and_overlap)
{
    utc_zone();
    /*
     * 2024-03-10: New York clocks jump from 02:00 to 03:00, so 02:30 does
     * not exist that day and the job next runs on the 11th (02:30 EDT).
     */
    expect_next("CRON_TZ=America/New_York 0 30 2 * * *", utc(2024, 3, 9, 8, 0, 0),
                utc(2024, 3, 11, 6, 30, 0));
    /* 03:30 on the gap day is fine: 07:30 UTC. */
    expect_next("CRON_TZ=America/New_York 0 30 3 * * *", utc(2024, 3, 10, 0, 0, 0),
                utc(2024, 3, 10, 7, 30, 0));
    /*
     * 2024-11-03: 01:00-02:00 happens twice (EDT then EST). Like
     * robfig/cron, a 01:30 job runs in both.
     */
    expect_next("CRON_TZ=America/New_York 0 30 1 * * *", utc(2024, 11, 3, 4, 0, 0),
                utc(2024, 11, 3, 5, 30, 0));
    expect_next("CRON_TZ=America/New_York 0 30 1 * * *", utc(2024, 11, 3, 5, 30, 0),
                utc(2024, 11, 3, 6, 30, 0));
    expect_next("CRON_TZ=America/New_York 0 30 1 * * *", utc(2024, 11, 3, 6, 30, 0),
                utc(2024, 11, 4, 6, 30, 0));
    /* A daily midnight job keeps its wall-clock time across the change. */
    expect_next("CRON_TZ=America/New_York 0 0 0 * * *", utc(2024, 11, 3, 12, 0, 0),
                utc(2024, 11, 4, 5, 0, 0));
    expect_next("CRON_TZ=America/New_York 0 0 0 * * *", utc(2024, 3, 9, 12, 0, 0),
                utc(2024, 3, 10, 5, 0, 0));
    expect_next("CRON_TZ=America/New_York 0 0 0 * * *", utc(2024, 3, 10, 5, 0, 0),
                utc(2024, 3, 11, 4, 0, 0));
}

FGS_TEST(cron, next_local_zone)
{
    /* Without CRON_TZ the process's zone applies. */
    setenv("TZ", "Asia/Tokyo", 1);
    tzset();
    expect_next("0 0 9 * * *", utc(2024, 1, 1, 0, 0, 0), utc(2024, 1, 2, 0, 0, 0));
    expect_next("0 0 9 * * *", utc(2023, 12, 31, 23, 0, 0), utc(2024, 1, 1, 0, 0, 0));
    utc_zone();
    expect_next("0 0 9 * * *", utc(2024, 1, 1, 0, 0, 0), utc(2024, 1, 1, 9, 0, 0));
}

FGS_TEST(cron, next_none_within_five_years)
{
    struct srv_schedule s = parse_ok("Cron", "0 0 0 29 2 *");

    utc_zone();
    /* 2097..2103 has no February 29 (2100 is not a leap year). */
    ASSERT_EQ(srv_schedule_next(&s, utc(2096, 3, 1, 0, 0, 0)), -1);
    ASSERT_EQ(srv_schedule_next(&s, utc(2023, 3, 1, 0, 0, 0)), utc(2024, 2, 29, 0, 0, 0));
}

FGS_TEST(cron, next_is_monotonic)
{
    /* Every result is after its input and matches when fed back. */
    static const char *const exprs[] = { "*/7 */13 */5 * * *", "0 0 0 1,15 * Mon",
                                         "CRON_TZ=America/New_York 0 */20 0-3 * * *",
                                         "CRON_TZ=Australia/Lord_Howe 0 15 2 * * *", NULL };
    size_t i;

    utc_zone();
    for (i = 0; exprs[i]; i++) {
        struct srv_schedule s = parse_ok("Cron", exprs[i]);
        int64_t t = utc(2024, 1, 1, 0, 0, 0), prev;
        int k;

        for (k = 0; k < 500; k++) {
            prev = t;
            t = srv_schedule_next(&s, t);
            if (t <= prev)
                FGS_TEST_FAIL("'%s': next(%" PRId64 ") = %" PRId64, exprs[i], prev, t);
            ASSERT_EQ(t % 1000, 0);
        }
    }
}

FGS_TEST_LIST(T(cron, rate_valid),
              T(cron, rate_invalid),
              T(cron, rate_next),
              T(cron, cron_valid),
              T(cron, cron_invalid),
              T(cron, error_buffer_is_bounded),
              T(cron, fields_bits),
              T(cron, next_basic),
              T(cron, next_days_and_names),
              T(cron, next_descriptors),
              T(cron, every),
              T(cron, duration),
              T(cron, next_in_zones),
              T(cron, next_far_future_uses_zone_rule),
              T(cron, next_dst_gap_and_overlap),
              T(cron, next_local_zone),
              T(cron, next_none_within_five_years),
              T(cron, next_is_monotonic));
