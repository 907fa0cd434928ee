/* log.c: the logging of log.h: stderr (or a test's sink), printf-checked. */
#include "platform/log.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/clock.h"

static const char *log_ident = "eue";
static enum log_level log_max = LOG_LVL_INFO;
static log_sink_fn *log_sink;
static void *log_sink_arg;

static const char *const log_lvl_name[] = {
	[LOG_LVL_ERR] = "error",
	[LOG_LVL_WARN] = "warn",
	[LOG_LVL_INFO] = "info",
	[LOG_LVL_DEBUG] = "debug",
};

void log_init(const char *ident, enum log_level max_level)
{
	log_ident = ident;
	log_max = max_level;
}

void log_set_level(enum log_level max_level)
{
	log_max = max_level;
}

enum log_level log_get_level(void)
{
	return log_max;
}

void log_set_sink(log_sink_fn *fn, void *arg)
{
	log_sink = fn;
	log_sink_arg = arg;
}

static void log_emit(enum log_level lvl, const char *tag, const char *errstr,
		     const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));

static void log_emit(enum log_level lvl, const char *tag, const char *errstr,
		     const char *fmt, va_list ap)
{
	char msg[1024];
	char line[1200];
	int n;

	if (lvl > log_max)
		return;
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (n < 0)
		return;
	/* Control characters from the wire must not forge log lines. */
	for (char *p = msg; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	snprintf(line, sizeof(line), "%s %s %s%s%s", log_ident, tag ? tag : log_lvl_name[lvl],
		 msg, errstr ? ": " : "", errstr ? errstr : "");
	if (log_sink) {
		log_sink(log_sink_arg, lvl, line);
		return;
	}
	fprintf(stderr, "%llu.%03llu %s\n", (unsigned long long)(clock_mono_ms() / 1000),
		(unsigned long long)(clock_mono_ms() % 1000), line);
}

#define LOG_BODY(lvl, tag, errstr)             \
	do {                                    \
		va_list ap;                     \
		va_start(ap, fmt);              \
		log_emit(lvl, tag, errstr, fmt, ap); \
		va_end(ap);                     \
	} while (0)

void log_warn(const char *fmt, ...)
{
	const char *e = strerror(errno);

	LOG_BODY(LOG_LVL_WARN, NULL, e);
}

void log_warnx(const char *fmt, ...)
{
	LOG_BODY(LOG_LVL_WARN, NULL, NULL);
}

void log_info(const char *fmt, ...)
{
	LOG_BODY(LOG_LVL_INFO, NULL, NULL);
}

void log_debug(const char *fmt, ...)
{
	LOG_BODY(LOG_LVL_DEBUG, NULL, NULL);
}

void log_kv(const char *kind, const char *fmt, ...)
{
	LOG_BODY(LOG_LVL_INFO, kind, NULL);
}

void fatal(const char *fmt, ...)
{
	const char *e = strerror(errno);

	LOG_BODY(LOG_LVL_ERR, "fatal", e);
	exit(1);
}

void fatalx(const char *fmt, ...)
{
	LOG_BODY(LOG_LVL_ERR, "fatal", NULL);
	exit(1);
}

int log_ratelimit_ok(struct log_ratelimit *rl)
{
	uint64_t now = clock_mono_ms();

	if (rl->window_start == 0 || now - rl->window_start >= rl->period_ms) {
		rl->window_start = now ? now : 1;
		rl->used = 0;
	}
	if (rl->used < rl->burst) {
		rl->used++;
		return 1;
	}
	rl->suppressed++;
	return 0;
}
