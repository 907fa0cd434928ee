/*
 * trace.h: the machine-readable step trace of a device (tests/atp/README.md
 * "Device scenarios"): one line per spec step and per state change,
 * flushed at once, so a test or the ladder diagram reads the run like the
 * spec's tables:
 *
 *   MS PROC step NAME RESULT [k=v ...]     1532 eued step eUE-5 ok peer=kdc.example.net
 *   MS PROC state NAME                     4210 eued state provisioned
 *
 * MS: monotonic milliseconds since trace_open().  A trace with no file
 * still logs each line through log_kv(), so the daemon's log tells the same
 * story; so does a NULL trace (unit tests).  One per device instance.
 */
#ifndef PLATFORM_TRACE_H
#define PLATFORM_TRACE_H

#include <stdint.h>
#include <stdio.h>

struct trace {
	FILE *f;              /* NULL: log only */
	const char *proc;     /* "ecmd", "eued" */
	uint64_t t0_ms;
};

/* path NULL: no file.  Returns 0 or E_IO. */
int trace_open(struct trace *t, const char *proc, const char *path);
void trace_close(struct trace *t);
void trace_step(struct trace *t, const char *step, const char *result, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void trace_state(struct trace *t, const char *state);

#endif
