/*
 * timefmt.c - clocks and timestamp formatting.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "util/timefmt.h"

int64_t fgs__now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

uint64_t fgs__mono_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void fgs__time_rfc3339(char *out, size_t size, int64_t ms)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;
    char zone[8];
    size_t n;

    localtime_r(&t, &tm);
    n = strftime(out, size, "%Y-%m-%dT%H:%M:%S", &tm);
    strftime(zone, sizeof(zone), "%z", &tm); /* +0800 */
    if (strlen(zone) == 5)
        snprintf(out + n, size - n, "%.3s:%.2s", zone, zone + 3);
}

void fgs__time_plain_utc(char *out, size_t size, int64_t ms)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(out, size, "%Y-%m-%d %H:%M:%S", &tm);
}

void fgs__time_version_name(char *out, size_t size, int64_t ms)
{
    time_t t = (time_t)(ms / 1000);
    struct tm tm;

    localtime_r(&t, &tm);
    strftime(out, size, "v%Y%m%d-%H%M%S", &tm);
}
