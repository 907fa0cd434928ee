/*
 * log.h: logging for the daemons and tools (after OpenBSD's log.c).
 *
 * log_warn() appends strerror(errno); log_warnx() does not.  fatal() and
 * fatalx() are for setup failures and programmer errors only, never for
 * network input or IPC data (STYLE.md "errors").  Lines go to stderr as
 * "<ident> <level> <message>", or to a sink a test installs.  Never log keys,
 * tickets or passwords.  log_kv() writes the one structured line per flow
 * step that tests and the demo parse: "<ident> step k=v k=v ...".
 */
#ifndef PLATFORM_LOG_H
#define PLATFORM_LOG_H

#include <stdarg.h>

enum log_level { LOG_LVL_ERR = 0, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

typedef void log_sink_fn(void *arg, enum log_level lvl, const char *line);

void log_init(const char *ident, enum log_level max_level);
void log_set_level(enum log_level max_level);
enum log_level log_get_level(void);
/* Send lines to fn instead of stderr (NULL restores stderr). */
void log_set_sink(log_sink_fn *fn, void *arg);

void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_kv(const char *kind, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void fatalx(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/*
 * Rate limit for warnings that outside input can trigger: true at most
 * `burst` times per `period_ms` for one limiter.  Uses the monotonic clock.
 */
struct log_ratelimit {
	unsigned period_ms, burst;
	unsigned long long window_start;
	unsigned used, suppressed;
};
int log_ratelimit_ok(struct log_ratelimit *rl);

#endif
