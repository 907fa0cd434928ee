/* battery.c: battery readings -> CLAB-UPS-MIB / RFC 1628 values (see battery.h). */
#include "eue/battery.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/clock.h"
#include "platform/err.h"

void battery_init(struct battery *b, battery_read_fn *read, void *read_arg)
{
	memset(b, 0, sizeof(*b));
	b->read = read;
	b->read_arg = read_arg;
	b->rated_minutes = BATTERY_RATED_MINUTES;
}

void battery_mib_poll(void *arg, struct mib_battery *out)
{
	struct battery *b = arg;
	struct battery_state st = { .charge = -1, .on_battery = 0 };
	uint64_t now = b->now_ms ? b->now_ms(b->now_arg) : clock_mono_ms();
	int ok = b->read && b->read(b->read_arg, &st) == 0;

	memset(out, 0, sizeof(*out));
	out->rated_minutes = b->rated_minutes;
	if (ok && st.on_battery && !b->was_on_battery)
		b->on_battery_since_ms = now;
	b->was_on_battery = ok && st.on_battery;
	out->on_battery = b->was_on_battery;
	/* upsSecondsOnBattery: "zero shall be returned if the unit is not on battery power" */
	out->seconds_on_battery = out->on_battery ? (uint32_t)((now - b->on_battery_since_ms) / 1000) : 0;
	if (!ok || st.charge < 0 || st.charge > 100) {
		out->status = 1;                        /* unknown(1) */
		out->minutes_remaining = 1;             /* PositiveInteger: nothing better known */
		return;
	}
	out->charge = (uint32_t)st.charge;
	out->available_minutes = b->rated_minutes * (uint32_t)st.charge / 100;
	out->minutes_remaining = out->available_minutes ? out->available_minutes : 1;
	out->status = st.charge == 0 ? 4 :              /* batteryDepleted(4) */
		      st.charge < BATTERY_LOW_PERCENT ? 3 : /* batteryLow(3) */
		      2;                                /* batteryNormal(2) */
}

int battery_file_read(void *arg, struct battery_state *out)
{
	const char *path = arg;
	char buf[128], *p, *end;
	size_t n;
	long v;
	FILE *f;

	out->charge = 100;
	out->on_battery = 0;
	f = fopen(path, "r");
	if (f == NULL)
		return 0;       /* no file: mains and a full pack (nothing simulated) */
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	out->charge = -1;
	for (p = strtok(buf, " \t\r\n"); p; p = strtok(NULL, " \t\r\n")) {
		if (strncmp(p, "charge=", 7) == 0) {
			v = strtol(p + 7, &end, 10);
			if (end == p + 7 || *end != '\0' || v < 0 || v > 100)
				return E_PROTO;
			out->charge = (int)v;
		} else if (strcmp(p, "on_battery=1") == 0) {
			out->on_battery = 1;
		} else if (strcmp(p, "on_battery=0") == 0) {
			out->on_battery = 0;
		} else {
			return E_PROTO;
		}
	}
	return 0;
}
