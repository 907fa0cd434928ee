/*
 * walltime.h: the device's wall clock, as the eCM's time of day sets it.
 *
 * A modem has no battery-backed clock it can trust: the time of day arrives
 * from RFC 868 during CM provisioning (spec 6.2.1.1) and may change later
 * (6.3.2.3).  A walltime keeps (unix ms, monotonic ms) of the last setting
 * and derives "now" from the monotonic clock, so later jumps are explicit
 * events.  One instance per device (fleet mode runs many); no globals.
 */
#ifndef PLATFORM_WALLTIME_H
#define PLATFORM_WALLTIME_H

#include <stdint.h>

struct walltime {
	int known;              /* 0 until the first ToD */
	int64_t base_unix_ms;   /* wall time at base_mono_ms */
	uint64_t base_mono_ms;
	int32_t offset_s;       /* local offset from UTC (DHCP option 2 / CL 38) */
};

void walltime_init(struct walltime *w);
/* Set the time: unix_ms is UTC at monotonic instant mono_ms.  Returns the
 * step in ms relative to what the clock said before (0 if it was unknown). */
int64_t walltime_set(struct walltime *w, int64_t unix_ms, uint64_t mono_ms);
/* UTC now in ms, or E_AGAIN when no time of day has been set yet. */
int walltime_now(const struct walltime *w, uint64_t mono_ms, int64_t *unix_ms);

#endif
