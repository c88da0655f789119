/*
 * cron.c - TIMER schedules: Rate periods, six-field cron expressions with an
 * optional CRON_TZ zone, @every durations, and the next fire time of each.
 *
 * Zones come from the TZif files under /usr/share/zoneinfo, parsed here
 * (RFC 8536: the 64-bit transition table plus the POSIX TZ rule of the
 * footer, which covers every time after the last listed transition). We do
 * not switch the process TZ variable and call localtime_r(), because that
 * setting is global: another thread formatting a timestamp at the same
 * moment would see the wrong zone. Loaded zones are immutable and kept in a
 * list for the life of the process, so a parsed schedule can point at one
 * without owning it.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "trigger/cron.h"
#include "util/str.h"

#define ZONEINFO_DIR "/usr/share/zoneinfo/"
#define SCHEDULE_MAX 256
#define TZIF_MAX (512 * 1024)

/* A POSIX TZ rule date: Jn (1..365, no Feb 29), n (0..365) or Mm.w.d. */
struct tz_rule_date {
    char kind;    /* 'J', 'D' or 'M' */
    int n;        /* J and D: the day number */
    int m, w, d;  /* M: month 1..12, week 1..5 (5 = last), weekday 0..6 */
    int32_t time; /* seconds after local midnight the change happens (may be < 0 or > 24 h) */
};

/* The footer rule: standard offset, and daylight time between two dates. */
struct tz_posix {
    int32_t std_off; /* UTC offset of standard time, seconds east */
    int32_t dst_off; /* UTC offset of daylight time */
    bool has_dst;
    struct tz_rule_date start, end;
};

struct srv_tz {
    char name[64];
    int64_t *trans; /* transition times, ascending */
    uint8_t *idx;   /* type index for each transition */
    size_t ntrans;
    int32_t *utoff; /* UTC offset of each type */
    size_t ntypes;
    bool has_rule; /* rule applies after the last transition */
    struct tz_posix rule;
    struct srv_tz *next;
};

static pthread_mutex_t tz_lock = PTHREAD_MUTEX_INITIALIZER;
static struct srv_tz *tz_cache;

static void set_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    if (!err || errlen == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* ---- civil calendar (proleptic Gregorian, days since 1970-01-01) ---- */

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;

    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static bool is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int64_t y, int m)
{
    static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

    return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

/* Days from the epoch to y-m-d; m may be any value (13 is January of y+1), d too. */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    int64_t era, yoe, doy, doe, mm;

    y += floor_div(m - 1, 12);
    mm = m - 1 - floor_div(m - 1, 12) * 12 + 1;
    y -= mm <= 2;
    era = floor_div(y, 400);
    yoe = y - era * 400;
    doy = (153 * (mm + (mm > 2 ? -3 : 9)) + 2) / 5;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468 + (d - 1);
}

struct civil {
    int64_t y;
    int mon, day, hour, min, sec, wday;
};

static void civil_from_seconds(int64_t l, struct civil *c)
{
    int64_t days = floor_div(l, 86400), secs = l - days * 86400;
    int64_t z = days + 719468, era = floor_div(z, 146097), doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;

    c->day = (int)(doy - (153 * mp + 2) / 5 + 1);
    c->mon = (int)(mp < 10 ? mp + 3 : mp - 9);
    c->y = yoe + era * 400 + (c->mon <= 2);
    c->hour = (int)(secs / 3600);
    c->min = (int)(secs / 60 % 60);
    c->sec = (int)(secs % 60);
    c->wday = (int)(days - floor_div(days + 4, 7) * 7 + 4) % 7;
    if (c->wday < 0)
        c->wday += 7;
}

/* ---- POSIX TZ rules (the TZif footer) ---- */

static const char *posix_name(const char *p)
{
    const char *s = p;

    if (*p == '<') {
        p = strchr(p, '>');
        return p && p - s > 1 ? p + 1 : NULL;
    }
    while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
        p++;
    return p - s >= 3 ? p : NULL;
}

/* [+-]hh[:mm[:ss]] with hours up to max_h; returns the end or NULL. */
static const char *posix_time(const char *p, int max_h, int32_t *out)
{
    int sign = 1, part = 0;
    int32_t v[3] = { 0, 0, 0 };

    if (*p == '+' || *p == '-')
        sign = *p++ == '-' ? -1 : 1;
    for (;;) {
        int digits = 0;

        while (*p >= '0' && *p <= '9' && digits < 3) {
            v[part] = v[part] * 10 + (*p++ - '0');
            digits++;
        }
        if (digits == 0 || (part == 0 ? v[0] > max_h : v[part] > 59))
            return NULL;
        if (*p != ':' || part == 2)
            break;
        p++;
        part++;
    }
    *out = sign * (v[0] * 3600 + v[1] * 60 + v[2]);
    return p;
}

static const char *posix_num(const char *p, int lo, int hi, int *out)
{
    int v = 0, digits = 0;

    while (*p >= '0' && *p <= '9' && digits < 4) {
        v = v * 10 + (*p++ - '0');
        digits++;
    }
    if (digits == 0 || v < lo || v > hi)
        return NULL;
    *out = v;
    return p;
}

static const char *posix_date(const char *p, struct tz_rule_date *r)
{
    memset(r, 0, sizeof(*r));
    r->time = 7200;
    if (*p == 'J') {
        r->kind = 'J';
        p = posix_num(p + 1, 1, 365, &r->n);
    } else if (*p == 'M') {
        r->kind = 'M';
        p = posix_num(p + 1, 1, 12, &r->m);
        if (p && *p == '.')
            p = posix_num(p + 1, 1, 5, &r->w);
        else
            p = NULL;
        if (p && *p == '.')
            p = posix_num(p + 1, 0, 6, &r->d);
        else
            p = NULL;
    } else {
        r->kind = 'D';
        p = posix_num(p, 0, 365, &r->n);
    }
    if (p && *p == '/')
        p = posix_time(p + 1, 167, &r->time);
    return p;
}

static int posix_parse(const char *s, struct tz_posix *out)
{
    const char *p = posix_name(s);
    int32_t off;

    memset(out, 0, sizeof(*out));
    if (!p || !(p = posix_time(p, 24, &off)))
        return -1;
    out->std_off = -off;
    if (*p == '\0')
        return 0;
    out->has_dst = true;
    if (!(p = posix_name(p)))
        return -1;
    out->dst_off = out->std_off + 3600;
    if (*p && *p != ',') {
        if (!(p = posix_time(p, 24, &off)))
            return -1;
        out->dst_off = -off;
    }
    if (*p == '\0') {
        /* No rule given: POSIX leaves it to the implementation; use the US rule. */
        p = posix_date("M3.2.0", &out->start);
        p = posix_date("M11.1.0", &out->end);
        return 0;
    }
    if (*p != ',' || !(p = posix_date(p + 1, &out->start)) || *p != ',' ||
        !(p = posix_date(p + 1, &out->end)) || *p != '\0')
        return -1;
    return 0;
}

/* Local seconds since the epoch at which a rule date's change happens in year y. */
static int64_t rule_local(const struct tz_rule_date *r, int64_t y)
{
    int64_t days = days_from_civil(y, 1, 1);

    if (r->kind == 'J') {
        days += r->n - 1 + (is_leap(y) && r->n >= 60);
    } else if (r->kind == 'D') {
        days += r->n;
    } else {
        int64_t first = days_from_civil(y, r->m, 1);
        int wd = (int)((first % 7 + 7 + 4) % 7);
        int day = (r->d - wd + 7) % 7 + (r->w - 1) * 7;

        while (day >= days_in_month(y, r->m))
            day -= 7;
        days = first + day;
    }
    return days * 86400 + r->time;
}

static int32_t posix_offset(const struct tz_posix *p, int64_t t)
{
    struct civil c;
    int64_t start, end;

    if (!p->has_dst)
        return p->std_off;
    civil_from_seconds(t + p->std_off, &c);
    start = rule_local(&p->start, c.y) - p->std_off;
    end = rule_local(&p->end, c.y) - p->dst_off;
    if (start < end)
        return t >= start && t < end ? p->dst_off : p->std_off;
    return t >= end && t < start ? p->std_off : p->dst_off;
}

/* ---- TZif files ---- */

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
    return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* Parses a TZif image into tz (arrays malloc'd). Returns 0 or -1. */
static int tzif_parse(const unsigned char *buf, size_t len, struct srv_tz *tz)
{
    size_t off = 0, tsize = 4, i, need;
    uint32_t cnt[6]; /* isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt */
    const unsigned char *p;

    for (;;) {
        if (len - off < 44 || memcmp(buf + off, "TZif", 4) != 0)
            return -1;
        for (i = 0; i < 6; i++)
            cnt[i] = be32(buf + off + 20 + 4 * i);
        if (cnt[3] > 100000 || cnt[4] == 0 || cnt[4] > 256 || cnt[5] > 65536 || cnt[2] > 10000 ||
            cnt[0] > 256 || cnt[1] > 256)
            return -1;
        need = cnt[3] * (tsize + 1) + cnt[4] * 6 + cnt[5] + cnt[2] * (tsize + 4) + cnt[1] + cnt[0];
        if (len - off - 44 < need)
            return -1;
        if (tsize == 8 || buf[off + 4] < '2')
            break;
        off += 44 + need; /* skip the 32-bit block; the 64-bit one follows */
        tsize = 8;
    }
    p = buf + off + 44;
    tz->ntrans = cnt[3];
    tz->ntypes = cnt[4];
    tz->trans = calloc(tz->ntrans ? tz->ntrans : 1, sizeof(*tz->trans));
    tz->idx = calloc(tz->ntrans ? tz->ntrans : 1, 1);
    tz->utoff = calloc(tz->ntypes, sizeof(*tz->utoff));
    if (!tz->trans || !tz->idx || !tz->utoff)
        return -1;
    for (i = 0; i < tz->ntrans; i++) {
        tz->trans[i] = tsize == 8 ? be64(p + i * 8) : (int32_t)be32(p + i * 4);
        if (i > 0 && tz->trans[i] <= tz->trans[i - 1])
            return -1;
    }
    p += tz->ntrans * tsize;
    for (i = 0; i < tz->ntrans; i++) {
        tz->idx[i] = p[i];
        if (p[i] >= tz->ntypes)
            return -1;
    }
    p += tz->ntrans;
    for (i = 0; i < tz->ntypes; i++) {
        int32_t u = (int32_t)be32(p + i * 6);

        if (u < -25 * 3600 || u > 26 * 3600)
            return -1;
        tz->utoff[i] = u;
    }
    p = buf + off + 44 + need;
    if (tsize == 8 && p < buf + len && *p == '\n') {
        const unsigned char *nl = memchr(p + 1, '\n', (size_t)(buf + len - p - 1));
        char footer[128];

        if (nl && nl > p + 1 && (size_t)(nl - p - 1) < sizeof(footer)) {
            memcpy(footer, p + 1, (size_t)(nl - p - 1));
            footer[nl - p - 1] = '\0';
            /* An unreadable rule falls back to the last transition's type. */
            tz->has_rule = posix_parse(footer, &tz->rule) == 0;
        }
    }
    return 0;
}

static void tz_free(struct srv_tz *tz)
{
    if (!tz)
        return;
    free(tz->trans);
    free(tz->idx);
    free(tz->utoff);
    free(tz);
}

/* Zone names: relative, [A-Za-z0-9_+-/], no "..", no empty components. */
static bool zone_name_ok(const char *name)
{
    size_t n = strlen(name), i;

    if (n == 0 || n >= sizeof(((struct srv_tz *)0)->name) || name[0] == '/' || name[n - 1] == '/' ||
        strstr(name, "..") || strstr(name, "//"))
        return false;
    for (i = 0; i < n; i++) {
        char c = name[i];

        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '+' || c == '/'))
            return false;
    }
    return true;
}

static struct srv_tz *tz_read(const char *name, char *err, size_t errlen)
{
    char path[sizeof(ZONEINFO_DIR) + 64];
    struct srv_tz *tz = NULL;
    unsigned char *buf = NULL;
    struct stat sb;
    size_t got;
    FILE *f;

    snprintf(path, sizeof(path), "%s%s", ZONEINFO_DIR, name);
    f = fopen(path, "rb");
    if (!f || fstat(fileno(f), &sb) < 0 || !S_ISREG(sb.st_mode) || sb.st_size < 44 ||
        sb.st_size > TZIF_MAX) {
        set_err(err, errlen, "unknown time zone '%s'", name);
        goto out;
    }
    buf = malloc((size_t)sb.st_size);
    tz = calloc(1, sizeof(*tz));
    if (!buf || !tz) {
        set_err(err, errlen, "out of memory");
        goto fail;
    }
    got = fread(buf, 1, (size_t)sb.st_size, f);
    if (got != (size_t)sb.st_size || tzif_parse(buf, got, tz) < 0) {
        set_err(err, errlen, "time zone '%s' is not a valid zoneinfo file", name);
        goto fail;
    }
    fgs__strlcpy(tz->name, name, sizeof(tz->name));
    goto out;
fail:
    tz_free(tz);
    tz = NULL;
out:
    free(buf);
    if (f)
        fclose(f);
    return tz;
}

/* The cached zone of this name, loading it on first use. NULL with err on failure. */
static const struct srv_tz *tz_get(const char *name, char *err, size_t errlen)
{
    struct srv_tz *tz;

    if (!zone_name_ok(name)) {
        set_err(err, errlen, "invalid time zone name '%.64s'", name);
        return NULL;
    }
    pthread_mutex_lock(&tz_lock);
    for (tz = tz_cache; tz; tz = tz->next)
        if (strcmp(tz->name, name) == 0)
            break;
    if (!tz) {
        tz = tz_read(name, err, errlen);
        if (tz) {
            tz->next = tz_cache;
            tz_cache = tz;
        }
    }
    pthread_mutex_unlock(&tz_lock);
    return tz;
}

static int32_t tz_offset(const struct srv_tz *tz, int64_t t)
{
    size_t lo, hi;

    if (tz->ntrans == 0)
        return tz->has_rule ? posix_offset(&tz->rule, t) : tz->utoff[0];
    if (t < tz->trans[0])
        return tz->utoff[0];
    if (t >= tz->trans[tz->ntrans - 1] && tz->has_rule)
        return posix_offset(&tz->rule, t);
    lo = 0;
    hi = tz->ntrans; /* invariant: trans[lo] <= t, and t < trans[hi] when hi < ntrans */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;

        if (tz->trans[mid] <= t)
            lo = mid;
        else
            hi = mid;
    }
    return tz->utoff[tz->idx[lo]];
}

/* UTC offset in seconds at UTC time t in the schedule's zone. */
static int32_t sched_offset(const struct srv_schedule *s, int64_t t)
{
    struct tm tm;
    time_t tt = (time_t)t;

    if (s->tz)
        return tz_offset(s->tz, t);
    if (!localtime_r(&tt, &tm))
        return 0;
    return (int32_t)tm.tm_gmtoff;
}

static void to_local(const struct srv_schedule *s, int64_t t, struct civil *c)
{
    civil_from_seconds(t + sched_offset(s, t), c);
}

/*
 * The UTC time of a local wall-clock reading (fields may overflow: day 32 is
 * the next month's first). Like Go's time.Date, a reading that a transition
 * skips or repeats resolves with the offset in effect around it.
 */
static int64_t
from_local(const struct srv_schedule *s, int64_t y, int mon, int day, int hour, int min, int sec)
{
    int64_t l = days_from_civil(y, mon, day) * 86400 + hour * 3600 + min * 60 + sec;
    int32_t off = sched_offset(s, l), off2 = sched_offset(s, l - off);

    return off2 == off ? l - off : l - off2;
}

/* ---- durations and Rate ---- */

/* Go time.ParseDuration without negative values; see cron.h. */
int srv_duration_parse(const char *text, int64_t *out_ns)
{
    static const struct {
        const char *name;
        uint64_t ns;
    } units[] = {
        { "ns", 1ULL },           { "us", 1000ULL },
        { "\xc2\xb5s", 1000ULL }, /* U+00B5 micro sign */
        { "\xce\xbcs", 1000ULL }, /* U+03BC Greek mu */
        { "ms", 1000000ULL },     { "s", 1000000000ULL },
        { "m", 60000000000ULL },  { "h", 3600000000000ULL },
    };
    const uint64_t lim = 1ULL << 63;
    const char *s = text;
    uint64_t d = 0;

    if (!s || !*s)
        return -1;
    if (*s == '+')
        s++;
    else if (*s == '-')
        return -1;
    if (strcmp(s, "0") == 0) {
        *out_ns = 0;
        return 0;
    }
    if (!*s)
        return -1;
    while (*s) {
        uint64_t v = 0, f = 0, unit = 0;
        double scale = 1;
        bool pre = false, post = false, over = false;
        size_t ulen = 0, i;

        if (!(*s == '.' || (*s >= '0' && *s <= '9')))
            return -1;
        while (*s >= '0' && *s <= '9') {
            if (v > (lim - 1) / 10)
                return -1;
            v = v * 10 + (uint64_t)(*s++ - '0');
            if (v > lim)
                return -1;
            pre = true;
        }
        if (*s == '.') {
            s++;
            while (*s >= '0' && *s <= '9') {
                post = true;
                if (!over) {
                    if (f > (UINT64_MAX - 9) / 10 || f * 10 + (uint64_t)(*s - '0') > lim) {
                        over = true;
                    } else {
                        f = f * 10 + (uint64_t)(*s - '0');
                        scale *= 10;
                    }
                }
                s++;
            }
        }
        if (!pre && !post)
            return -1;
        while (s[ulen] && s[ulen] != '.' && !(s[ulen] >= '0' && s[ulen] <= '9'))
            ulen++;
        for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
            if (strlen(units[i].name) == ulen && memcmp(units[i].name, s, ulen) == 0)
                unit = units[i].ns;
        if (!unit)
            return -1;
        s += ulen;
        if (v > lim / unit)
            return -1;
        v *= unit;
        if (f > 0) {
            v += (uint64_t)((double)f * ((double)unit / scale));
            if (v > lim)
                return -1;
        }
        d += v;
        if (d > lim)
            return -1;
    }
    if (d > lim - 1)
        return -1;
    *out_ns = (int64_t)d;
    return 0;
}

static int parse_rate(struct srv_schedule *out, const char *text, char *err, size_t errlen)
{
    size_t n = strlen(text), i;
    int64_t v = 0, max, unit;

    if (n < 2 || n > 6)
        goto bad;
    for (i = 0; i + 1 < n; i++) {
        if (text[i] < '0' || text[i] > '9')
            goto bad;
        v = v * 10 + (text[i] - '0');
    }
    switch (text[n - 1]) {
    case 'm':
        max = 60;
        unit = 60;
        break;
    case 'h':
        max = 24;
        unit = 3600;
        break;
    case 'd':
        max = 30;
        unit = 86400;
        break;
    default:
        goto bad;
    }
    if (v < 1 || v > max) {
        set_err(err, errlen, "rate '%s' out of range: 1-%" PRId64 "%c", text, max, text[n - 1]);
        return -1;
    }
    out->kind = SRV_SCHEDULE_PERIOD;
    out->period_ms = v * unit * 1000;
    return 0;
bad:
    set_err(err, errlen, "invalid rate '%.64s': expected <n>m, <n>h or <n>d", text);
    return -1;
}

/* ---- cron fields ---- */

struct field_def {
    const char *name;
    int min, max;
    const char *const *names; /* value names starting at names_base, or NULL */
    int names_base;
    bool question; /* '?' allowed */
};

static const char *const month_names[] = { "jan", "feb", "mar", "apr", "may", "jun", "jul",
                                           "aug", "sep", "oct", "nov", "dec", NULL };
static const char *const dow_names[] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat", NULL };

static const struct field_def fields[] = {
    { "second", 0, 59, NULL, 0, false },       { "minute", 0, 59, NULL, 0, false },
    { "hour", 0, 23, NULL, 0, false },         { "day-of-month", 1, 31, NULL, 0, true },
    { "month", 1, 12, month_names, 1, false }, { "day-of-week", 0, 7, dow_names, 0, true },
};

/* A number or (case-insensitive) name; len chars at p. Returns 0 or -1. */
static int field_value(const struct field_def *fd, const char *p, size_t len, int *out)
{
    size_t i;
    int v = 0;

    if (len == 0)
        return -1;
    if (p[0] >= '0' && p[0] <= '9') {
        if (len > 3)
            return -1;
        for (i = 0; i < len; i++) {
            if (p[i] < '0' || p[i] > '9')
                return -1;
            v = v * 10 + (p[i] - '0');
        }
        *out = v;
        return 0;
    }
    if (!fd->names || len != 3)
        return -1;
    for (i = 0; fd->names[i]; i++) {
        const char *nm = fd->names[i];

        if ((p[0] | 0x20) == nm[0] && (p[1] | 0x20) == nm[1] && (p[2] | 0x20) == nm[2]) {
            *out = (int)i + fd->names_base;
            return 0;
        }
    }
    return -1;
}

/*
 * One range term: "*", "?", "N", "N-M", each optionally "/step" ("N/step"
 * means N through the maximum). Sets bits; *star when the term covers the
 * whole field with step 1.
 */
static int parse_term(const struct field_def *fd,
                      const char *p,
                      size_t len,
                      uint64_t *bits,
                      bool *star,
                      char *err,
                      size_t errlen)
{
    const char *slash = memchr(p, '/', len);
    size_t rlen = slash ? (size_t)(slash - p) : len;
    const char *dash = memchr(p, '-', rlen);
    int lo, hi, step = 1, v;

    if (rlen == 1 && (*p == '*' || *p == '?')) {
        if (*p == '?' && !fd->question) {
            set_err(err, errlen, "'?' is only allowed in day-of-month and day-of-week");
            return -1;
        }
        lo = fd->min;
        hi = fd->max == 7 ? 6 : fd->max;
    } else {
        size_t l1 = dash ? (size_t)(dash - p) : rlen;

        if (field_value(fd, p, l1, &lo) < 0 ||
            (dash && field_value(fd, dash + 1, rlen - l1 - 1, &hi) < 0))
            goto bad;
        if (!dash)
            hi = slash ? (fd->max == 7 ? 6 : fd->max) : lo;
    }
    if (slash) {
        size_t sl = len - rlen - 1, i;

        if (sl == 0 || sl > 3)
            goto bad;
        step = 0;
        for (i = 0; i < sl; i++) {
            if (slash[1 + i] < '0' || slash[1 + i] > '9')
                goto bad;
            step = step * 10 + (slash[1 + i] - '0');
        }
        if (step == 0) {
            set_err(err, errlen, "step of zero in the %s field", fd->name);
            return -1;
        }
    }
    if (lo < fd->min || hi > fd->max || lo > hi) {
        set_err(err, errlen, "%s field '%.*s' out of range %d-%d", fd->name, (int)len, p, fd->min,
                fd->max);
        return -1;
    }
    for (v = lo; v <= hi; v += step)
        *bits |= 1ULL << v;
    if (rlen == 1 && (*p == '*' || *p == '?') && step == 1)
        *star = true;
    return 0;
bad:
    set_err(err, errlen, "invalid %s field '%.*s'", fd->name, (int)len, p);
    return -1;
}

/* A comma-separated list of terms. */
static int parse_field(const struct field_def *fd,
                       const char *p,
                       size_t len,
                       uint64_t *bits,
                       bool *star,
                       char *err,
                       size_t errlen)
{
    *bits = 0;
    *star = false;
    while (len > 0) {
        const char *comma = memchr(p, ',', len);
        size_t tl = comma ? (size_t)(comma - p) : len;

        if (tl == 0) {
            set_err(err, errlen, "empty term in the %s field", fd->name);
            return -1;
        }
        if (parse_term(fd, p, tl, bits, star, err, errlen) < 0)
            return -1;
        if (!comma)
            break;
        p = comma + 1;
        len -= tl + 1;
        if (len == 0) {
            set_err(err, errlen, "empty term in the %s field", fd->name);
            return -1;
        }
    }
    if (fd->max == 7 && (*bits & (1ULL << 7))) /* 7 is Sunday too */
        *bits = (*bits & ~(1ULL << 7)) | 1ULL;
    return 0;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* True when some allowed (month, day) exists; the days alone decide when dow is open. */
static bool calendar_possible(const struct srv_schedule *s)
{
    int m, d;

    if (s->dom_star || !s->dow_star)
        return true;
    for (m = 1; m <= 12; m++) {
        if (!(s->month & (1U << m)))
            continue;
        for (d = 1; d <= (m == 2 ? 29 : days_in_month(2001, m)); d++)
            if (s->dom & (1U << d))
                return true;
    }
    return false;
}

/* The predefined schedules of robfig/cron, as six fields. */
static const struct {
    const char *name;
    const char *fields;
} descriptors[] = {
    { "@yearly", "0 0 0 1 1 *" }, { "@annually", "0 0 0 1 1 *" }, { "@monthly", "0 0 0 1 * *" },
    { "@weekly", "0 0 0 * * 0" }, { "@daily", "0 0 0 * * *" },    { "@midnight", "0 0 0 * * *" },
    { "@hourly", "0 0 * * * *" },
};

static int parse_fields(struct srv_schedule *out, const char *text, char *err, size_t errlen);

/* "@every <duration>" or a predefined schedule. */
static int parse_descriptor(struct srv_schedule *out, const char *d, char *err, size_t errlen)
{
    size_t i;

    if (strncmp(d, "@every", 6) == 0 && is_space(d[6])) {
        int64_t ns;
        const char *v = d + 6;

        while (is_space(*v))
            v++;
        if (srv_duration_parse(v, &ns) < 0) {
            set_err(err, errlen, "invalid @every duration '%.64s'", v);
            return -1;
        }
        if (ns < 1000000000LL) {
            set_err(err, errlen, "@every duration '%.64s' is shorter than 1s", v);
            return -1;
        }
        out->kind = SRV_SCHEDULE_PERIOD;
        out->period_ms = ns / 1000000000LL * 1000; /* whole seconds, as robfig/cron */
        return 0;
    }
    for (i = 0; i < sizeof(descriptors) / sizeof(descriptors[0]); i++)
        if (strcmp(d, descriptors[i].name) == 0)
            return parse_fields(out, descriptors[i].fields, err, errlen);
    set_err(err, errlen, "unknown descriptor '%.32s'", d);
    return -1;
}

static int parse_fields(struct srv_schedule *out, const char *text, char *err, size_t errlen)
{
    const char *tok[7];
    size_t tlen[7];
    int n = 0, i;
    const char *p = text;
    uint64_t bits[6];
    bool star[6];

    while (*p) {
        while (is_space(*p))
            p++;
        if (!*p)
            break;
        if (n == 7) {
            n++;
            break;
        }
        tok[n] = p;
        while (*p && !is_space(*p))
            p++;
        tlen[n] = (size_t)(p - tok[n]);
        n++;
    }
    if (n != 5 && n != 6) {
        set_err(err, errlen,
                "expected 5 or 6 fields (second minute hour day-of-month month [day-of-week]), "
                "got %d",
                n > 7 ? 8 : n);
        return -1;
    }
    for (i = 0; i < n; i++)
        if (parse_field(&fields[i], tok[i], tlen[i], &bits[i], &star[i], err, errlen) < 0)
            return -1;
    if (n == 5) {
        bits[5] = 0x7f;
        star[5] = true;
    }
    out->kind = SRV_SCHEDULE_CRON;
    out->second = bits[0];
    out->minute = bits[1];
    out->hour = (uint32_t)bits[2];
    out->dom = (uint32_t)bits[3];
    out->month = (uint32_t)bits[4];
    out->dow = (uint32_t)bits[5];
    out->dom_star = star[3];
    out->dow_star = star[5];
    if (!calendar_possible(out)) {
        set_err(err, errlen, "the schedule never fires (no such day in the months given)");
        return -1;
    }
    return 0;
}

static int parse_cron(struct srv_schedule *out, const char *text, char *err, size_t errlen)
{
    char buf[SCHEDULE_MAX + 1];
    char *p = buf, *end;

    fgs__strlcpy(buf, text, sizeof(buf));
    while (is_space(*p))
        p++;
    end = p + strlen(p);
    while (end > p && is_space(end[-1]))
        *--end = '\0';
    if (fgs__str_has_prefix(p, "CRON_TZ=") || fgs__str_has_prefix(p, "TZ=")) {
        char *zone = strchr(p, '=') + 1, *sp = zone;

        while (*sp && !is_space(*sp))
            sp++;
        if (!*sp) {
            set_err(err, errlen, "CRON_TZ must be followed by a schedule");
            return -1;
        }
        *sp++ = '\0';
        if (!(out->tz = tz_get(zone, err, errlen)))
            return -1;
        fgs__strlcpy(out->tz_name, zone, sizeof(out->tz_name));
        p = sp;
        while (is_space(*p))
            p++;
    }
    if (*p == '@')
        return parse_descriptor(out, p, err, errlen);
    return parse_fields(out, p, err, errlen);
}

/* Parses a Rate or Cron schedule; see cron.h for the grammar. */
int srv_schedule_parse(
    struct srv_schedule *out, const char *type, const char *text, char *err, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    if (err && errlen)
        err[0] = '\0';
    if (!type || !text) {
        set_err(err, errlen, "schedule_type and schedule are required");
        return -1;
    }
    if (strlen(text) == 0 || strlen(text) > SCHEDULE_MAX) {
        set_err(err, errlen, "schedule must be 1-%d characters", SCHEDULE_MAX);
        return -1;
    }
    if (strcmp(type, "Rate") == 0)
        return parse_rate(out, text, err, errlen);
    if (strcmp(type, "Cron") == 0)
        return parse_cron(out, text, err, errlen);
    set_err(err, errlen, "schedule_type must be Rate or Cron");
    return -1;
}

/* ---- next fire time ---- */

static bool day_matches(const struct srv_schedule *s, const struct civil *c)
{
    bool dom = (s->dom >> c->day) & 1, dow = (s->dow >> c->wday) & 1;

    if (s->dom_star || s->dow_star)
        return dom && dow;
    return dom || dow;
}

/*
 * The calendar search of robfig/cron v3 SpecSchedule.Next: advance the
 * largest non-matching field, resetting the smaller ones the first time,
 * and start over when a field wraps.
 */
static int64_t cron_next(const struct srv_schedule *s, int64_t t)
{
    struct civil c;
    bool added = false;
    int64_t year_limit;

    to_local(s, t, &c);
    year_limit = c.y + 5;
wrap:
    to_local(s, t, &c);
    if (c.y > year_limit)
        return -1;
    while (!((s->month >> c.mon) & 1)) {
        if (!added) {
            added = true;
            t = from_local(s, c.y, c.mon, 1, 0, 0, 0);
            to_local(s, t, &c);
        }
        t = from_local(s, c.y, c.mon + 1, c.day, c.hour, c.min, c.sec);
        to_local(s, t, &c);
        if (c.mon == 1)
            goto wrap;
    }
    while (!day_matches(s, &c)) {
        if (!added) {
            added = true;
            t = from_local(s, c.y, c.mon, c.day, 0, 0, 0);
            to_local(s, t, &c);
        }
        t = from_local(s, c.y, c.mon, c.day + 1, c.hour, c.min, c.sec);
        to_local(s, t, &c);
        /* Back to midnight if a transition moved the hour. */
        if (c.hour != 0) {
            t += c.hour > 12 ? (int64_t)(24 - c.hour) * 3600 : -(int64_t)c.hour * 3600;
            to_local(s, t, &c);
        }
        if (c.day == 1)
            goto wrap;
    }
    while (!((s->hour >> c.hour) & 1)) {
        if (!added) {
            added = true;
            t = from_local(s, c.y, c.mon, c.day, c.hour, 0, 0);
        }
        t += 3600;
        to_local(s, t, &c);
        if (c.hour == 0)
            goto wrap;
    }
    while (!((s->minute >> c.min) & 1)) {
        if (!added) {
            added = true;
            t -= t - floor_div(t, 60) * 60;
        }
        t += 60;
        to_local(s, t, &c);
        if (c.min == 0)
            goto wrap;
    }
    while (!((s->second >> c.sec) & 1)) {
        added = true;
        t += 1;
        to_local(s, t, &c);
        if (c.sec == 0)
            goto wrap;
    }
    return t;
}

/* Next fire time after after_ms, or -1; see cron.h. */
int64_t srv_schedule_next(const struct srv_schedule *s, int64_t after_ms)
{
    int64_t sec = floor_div(after_ms, 1000), t;

    if (s->kind == SRV_SCHEDULE_PERIOD)
        return sec * 1000 + s->period_ms;
    if (s->kind != SRV_SCHEDULE_CRON)
        return -1;
    t = cron_next(s, sec + 1);
    return t < 0 ? -1 : t * 1000;
}
