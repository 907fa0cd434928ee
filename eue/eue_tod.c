/* eue_tod.c: the eUE and the eCM's time of day, spec 6.3.2.3 (eue_tod.h). */
#include "eue/eue_tod.h"

#include <stdio.h>

#include "eue/eue.h"
#include "eue/eue_tkt.h"
#include "platform/clock.h"
#include "tlv/cablelabs.h"

/* 6.3.2.3's illustration (30, 60, 120 s), then a steady 240 s. */
static const uint32_t tod_retry_s[] = { 30, 60, 120, 240 };
#define TOD_RETRIES (sizeof(tod_retry_s) / sizeof(tod_retry_s[0]))

static int tod_known(const struct eue *e)
{
	int64_t ms;

	return e->wall && walltime_now(e->wall, clock_mono_ms(), &ms) == 0;
}

void eue_tod_retry(void *arg)
{
	struct eue *e = arg;

	e->tod.hold = 0;
	eue_restart(e, "no-time-of-day");   /* 6.3.2.3: eUE-1 again */
}

int eue_tod_hold(struct eue *e)
{
	const struct cl_opts *cl = e->v6 ? &e->d6.lease.cl : &e->d4.lease.cl;
	enum cl_flow f;
	uint32_t s;

	if (tod_known(e))
		return 0;
	eue_prov_syslog(e);   /* the lease's server: the rows that set it have not run */
	ev_raise(&e->prov.ev, EV_NO_TOD, NULL);
	f = cl_flow_of(cl->realm.name);
	if (f != CL_FLOW_SECURE && f != CL_FLOW_NONE)
		return 0;   /* Basic and Hybrid go on without time (eue_op_branch's default is Secure) */
	s = tod_retry_s[e->tod.tries < TOD_RETRIES ? e->tod.tries : TOD_RETRIES - 1];
	e->tod.tries++;
	e->tod.hold = 1;
	loop_timer_arm(e->loop, &e->tod.retry, s * 1000u);
	trace_step(e->trace, e->step, "info", "secure flow waits for the time of day retry_s=%u", s);
	return 1;
}

void eue_tod_update(struct eue *e, int first, int64_t step_ms, int offset_changed)
{
	if (first) {
		e->tod.tries = 0;
		if (e->tod.hold) {
			eue_tod_cancel(e);
			flow_done(&e->flow, FLOW_OK, "time of day from the ecm");
		}
		return;
	}
	if (!offset_changed && step_ms > -EUE_TOD_STEP_MS && step_ms < EUE_TOD_STEP_MS)
		return;
	{
		char d[48];

		snprintf(d, sizeof(d), "step_ms=%lld offset=%s", (long long)step_ms,
			 offset_changed ? "changed" : "same");
		trace_step(e->trace, e->step, "info", "time of day changed %s", d);
		eue_tkt_invalidate(e, "time-of-day-changed");
		/* the ticket in memory too: a new SA needs PKINIT.  Only one in hand: an AS
		 * exchange still under way (eUE-9/10) brings a ticket the KDC issues after the
		 * change, which eue_krb.c saves in nvram as valid; marking it stale sent the
		 * next Wake Up or SA renewal back to eUE-1 (fault-tod-change-midflow) */
		if (e->prov.krb.ticket)
			e->prov.krb.stale = 1;
		ev_raise(&e->prov.ev, EV_TOD_CHANGED, d);
	}
}

void eue_tod_cancel(struct eue *e)
{
	e->tod.hold = 0;
	loop_timer_cancel(e->loop, &e->tod.retry);
}
