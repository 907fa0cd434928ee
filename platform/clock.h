/*
 * clock.h: the monotonic clock every timer and lease age runs on.
 *
 * Monotonic milliseconds since an arbitrary origin; never jumps when the
 * time of day arrives (STYLE.md anti-patterns: timers on the wall clock).
 * The wall clock lives in walltime.h and is set from the eCM's ToD.  Unit
 * tests link tests/fake/clock.c, which owns this time.
 */
#ifndef PLATFORM_CLOCK_H
#define PLATFORM_CLOCK_H

#include <stdint.h>

uint64_t clock_mono_ms(void);
/* The host's real-time clock in ms since 1970 (for logs before ToD only). */
int64_t clock_sys_unix_ms(void);

#endif
