/*
 * log.c - timestamped log lines on stderr.
 */
#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include "util/log.h"
#include "util/timefmt.h"

static enum fgs__log_level min_level = FGS_LOG_INFO;

void fgs__log_set_level(enum fgs__log_level level)
{
    min_level = level;
}

void fgs__log(enum fgs__log_level level, const char *fmt, ...)
{
    static const char *names[] = { "debug", "info", "warn", "error" };
    char line[2048], ts[40];
    va_list ap;
    int n, m;

    if (level < min_level)
        return;
    fgs__time_rfc3339(ts, sizeof(ts), fgs__now_ms());
    n = snprintf(line, sizeof(line), "%s %s ", ts, names[level]);
    va_start(ap, fmt);
    m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
    va_end(ap);
    if (m < 0)
        return;
    n += m;
    if (n > (int)sizeof(line) - 2)
        n = (int)sizeof(line) - 2;
    line[n++] = '\n';
    if (write(STDERR_FILENO, line, (size_t)n) < 0)
        return;
}
