/* trace.c: the step trace of trace.h. */
#include "platform/trace.h"

#include <stdarg.h>
#include <string.h>

#include "platform/clock.h"
#include "platform/err.h"
#include "platform/log.h"

int trace_open(struct trace *t, const char *proc, const char *path)
{
	t->proc = proc;
	t->t0_ms = clock_mono_ms();
	t->f = NULL;
	if (path == NULL)
		return 0;
	t->f = fopen(path, "ae");
	return t->f ? 0 : E_IO;
}

void trace_close(struct trace *t)
{
	if (t->f)
		fclose(t->f);
	t->f = NULL;
}

void trace_step(struct trace *t, const char *step, const char *result, const char *fmt, ...)
{
	char extra[512] = "";
	uint64_t ms = t ? clock_mono_ms() - t->t0_ms : 0;
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(extra, sizeof(extra), fmt, ap);
		va_end(ap);
	}
	log_kv("step", "step=%s result=%s%s%s", step, result, extra[0] ? " " : "", extra);
	if (t && t->f) {
		fprintf(t->f, "%llu %s step %s %s%s%s\n", (unsigned long long)ms, t->proc, step, result,
			extra[0] ? " " : "", extra);
		fflush(t->f);
	}
}

void trace_state(struct trace *t, const char *state)
{
	uint64_t ms = t ? clock_mono_ms() - t->t0_ms : 0;

	log_kv("state", "state=%s", state);
	if (t && t->f) {
		fprintf(t->f, "%llu %s state %s\n", (unsigned long long)ms, t->proc, state);
		fflush(t->f);
	}
}
