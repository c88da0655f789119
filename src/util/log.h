/*
 * log.h - one-line structured log records on stderr.
 *
 * Thread-safe: each record is formatted first and written with one write().
 */
#ifndef FGS_UTIL_LOG_H
#define FGS_UTIL_LOG_H

enum fgs__log_level { FGS_LOG_DEBUG, FGS_LOG_INFO, FGS_LOG_WARN, FGS_LOG_ERROR };

void fgs__log_set_level(enum fgs__log_level level);
void fgs__log(enum fgs__log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_debug(...) fgs__log(FGS_LOG_DEBUG, __VA_ARGS__)
#define log_info(...) fgs__log(FGS_LOG_INFO, __VA_ARGS__)
#define log_warn(...) fgs__log(FGS_LOG_WARN, __VA_ARGS__)
#define log_error(...) fgs__log(FGS_LOG_ERROR, __VA_ARGS__)

#endif
