/*
 * battery.h: the board's battery (6.6.4, [CL-BB-MIB]) as the MIB model
 * sees it.  Platform-independent: a board supplies one read function
 * (charge, on battery or on mains); this file derives what CLAB-UPS-MIB's
 * RFC 1628 objects report (status, minutes remaining, seconds on battery)
 * and hands it to snmp-mibs/mib.c through mib_set_battery().
 *
 * eued installs it only when board.conf says `battery = yes`; otherwise the
 * objects answer noSuchObject.  The host and the lab read a state file
 * (battery_file_read) that a scenario rewrites to simulate a power cut.
 */
#ifndef EUE_BATTERY_H
#define EUE_BATTERY_H

#include <stdint.h>

#include "snmp-mibs/mib.h"

/* What a board can measure.  charge: 0..100 %, or -1 unknown. */
struct battery_state {
	int charge;
	int on_battery;         /* 1: mains lost, running on the battery */
};

/* A board's reader: 0 and *out, or a negative E_* (the objects then say unknown(1)). */
typedef int battery_read_fn(void *arg, struct battery_state *out);

#define BATTERY_RATED_MINUTES 480   /* a typical 8-hour eMTA pack; board-specific */
#define BATTERY_LOW_PERCENT 20      /* below: batteryLow(3) (our threshold) */

struct battery {
	battery_read_fn *read;
	void *read_arg;
	uint32_t rated_minutes;         /* full pack at nominal load */
	uint64_t (*now_ms)(void *arg);  /* NULL: clock_mono_ms */
	void *now_arg;
	int was_on_battery;
	uint64_t on_battery_since_ms;
};

void battery_init(struct battery *b, battery_read_fn *read, void *read_arg);

/* mib_battery_fn: read the board, derive the MIB values (arg: struct battery). */
void battery_mib_poll(void *arg, struct mib_battery *out);

/*
 * The host/lab reader: arg is a path to a text file "charge=NN on_battery=0|1"
 * (either key may be missing: charge unknown / on mains).  A missing file
 * reads as mains and a full battery; anything else in it is E_PROTO.
 */
int battery_file_read(void *arg, struct battery_state *out);

#endif
