/*
 * esafe_rep.h: what the eUE tells the eCM for its eSAFE view (eDOCSIS,
 * spec 6.6.3; the IPC "esafe" record, tlv/ipc_msg.h).
 *
 * The flow's state changes and its failed steps go in; a record comes out
 * whenever the row changed (esrep_take), so eued sends one at the flow's
 * start, at each failure (before the restart's back-off) and at its end.
 *
 *   running, backoff          inProgress(2)
 *   provisioned               finished(3), FailureFound false(2): a pass
 *                             clears the failure of earlier attempts
 *   failed, any other halt    finished(3), FailureFound true(1)
 * A failed step (a restart, a content error, the provisioning timer) sets
 * FailureFound with the step's name ("eUE-23", "MTA22"), its reason as the
 * error text, and the ID of the newest PKT-MEM event raised since the last
 * failure or run start (0 when there is none).
 *
 * Service interruption impact (6.6.3: "the eUE MUST report the highest
 * possible impact across services"; "PacketCable applications are required
 * to specify the impact level for each application"): the data model has no
 * per-application impact object, so the levels are the one table in
 * esafe_rep.c (esrep_app_impact, README "Interpretations").  Pure.
 */
#ifndef EUE_ESAFE_REP_H
#define EUE_ESAFE_REP_H

#include <stddef.h>
#include <stdint.h>

#include "snmp-mibs/events.h"
#include "snmp-mibs/mib.h"
#include "tlv/ipc_msg.h"

struct esafe_rep {
	struct ipc_esafe cur;           /* the row as it is now */
	struct ipc_esafe sent;          /* as the eCM was last told */
	int have_sent;
	uint32_t ev_mark;               /* events up to this pktcEventLogIndex are used */
};

void esrep_init(struct esafe_rep *s);

/* The run's state, as eue.h reports it ("running", "provisioned", ...); the
 * newest event log row (NULL: none) marks where a failure's event starts. */
void esrep_state(struct esafe_rep *s, const char *state, const char *step,
		 const struct ev_log_entry *last_ev);

/* Step `step` failed for `reason`; last_ev as above. */
void esrep_step_failed(struct esafe_rep *s, const char *step, const char *reason,
		       const struct ev_log_entry *last_ev);

/* The highest impact across the eUE's services (m: its MIB; NULL: none). */
void esrep_impact(struct esafe_rep *s, const struct mib *m);

/* The impact of one application (org: IANA enterprise, ident: its number
 * there): IPC_ES_SIGNIFICANT or IPC_ES_NONE. */
uint8_t esrep_app_impact(uint32_t org, uint32_t ident);

/* 1 and *m filled (an "esafe" record) when the row changed since the last
 * take; 0 otherwise. */
int esrep_take(struct esafe_rep *s, struct ipc_msg *m);

#endif
