/*
 * eue_tod.h: spec 6.3.2.3, the eUE and the eCM's time of day.
 *
 *  - Each time the DHCP process completes (eUE-4 / MTA4) without time of
 *    day, the PKT-MEM "no ToD" event is raised.
 *  - Secure flow without time of day: the eUE "MUST NOT proceed with further
 *    provisioning steps beyond the DHCP process" and "MUST retry eUE-1
 *    periodically at least once and no more than three times per 300-second
 *    interval".  Row 4 stays open (the provisioning timer, which starts at
 *    row 5, does not run) and eUE-1 is retried after 30, 60, 120 s, then
 *    every 240 s: at most three retries in any 300 s (30, 90, 210), at least
 *    one (the gaps never exceed 240 s plus a DHCP exchange).  When the eCM's
 *    time arrives meanwhile, row 4 completes and the flow goes on.
 *  - A change of the eCM's time (a step of EUE_TOD_STEP_MS or more once it
 *    was known, after a new ToD server, or a new time offset) invalidates the Kerberos
 *    tickets (the nvram record, eue_tkt.h) and raises the "ToD changed"
 *    event.  RFC 868 counts whole seconds, so a re-read of the same time can
 *    step by up to 1 s: smaller steps are not changes.
 */
#ifndef EUE_EUE_TOD_H
#define EUE_EUE_TOD_H

#include <stdint.h>

#define EUE_TOD_STEP_MS 2000

struct eue;

/* Row 4 is complete: 1 when the Secure flow must wait for the time (the row
 * stays open; eue_tod.c completes it or restarts at eUE-1), else 0. */
int eue_tod_hold(struct eue *e);
/* The eCM sent its time (main set the wall clock already): first is 1 when
 * the time was unknown before, step_ms the change otherwise, offset_changed
 * 1 when the eCM's time offset (option 2 / CL 38) is another one. */
void eue_tod_update(struct eue *e, int first, int64_t step_ms, int offset_changed);
/* Drop a hold and its retry timer (restart, stop); keeps the retry count. */
void eue_tod_cancel(struct eue *e);
/* The retry timer's callback (eue_init arms nothing, it only binds it). */
void eue_tod_retry(void *arg);

#endif
