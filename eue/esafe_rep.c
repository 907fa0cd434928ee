/* esafe_rep.c: the eUE's eSAFE row for the eCM (esafe_rep.h; spec 6.6.3). */
#include "eue/esafe_rep.h"

#include <stdio.h>
#include <string.h>

/*
 * Impact levels per application: THE replaceable place (6.6.3 asks every
 * PacketCable application to specify one; CL-PKTC-EUE-USER-MIB's
 * pktcEUEUsrAppMapTable names an application by (AppOrgID, AppIdentifier)
 * and has no impact column).  ident 0 matches any application of the org.
 * An application this table does not name is "significant": 6.6.3 asks for
 * the highest possible impact, and nothing says an unknown one is harmless.
 */
static const struct {
	uint32_t org, ident;
	uint8_t impact;
} app_impact[] = {
	/* CableLabs (4491): PacketCable voice / IMS services, whose calls an
	 * interruption of the data service drops */
	{ 4491, 0, IPC_ES_SIGNIFICANT },
};

uint8_t esrep_app_impact(uint32_t org, uint32_t ident)
{
	for (size_t i = 0; i < sizeof(app_impact) / sizeof(app_impact[0]); i++)
		if (app_impact[i].org == org && (app_impact[i].ident == 0 || app_impact[i].ident == ident))
			return app_impact[i].impact;
	return IPC_ES_SIGNIFICANT;
}

void esrep_init(struct esafe_rep *s)
{
	memset(s, 0, sizeof(*s));
	s->cur.progress = IPC_ES_NOT_INITIATED;
	s->cur.failure = IPC_ES_FALSE;
	s->cur.impact = IPC_ES_NONE;
	snprintf(s->cur.impact_info, sizeof(s->cur.impact_info), "no service provisioned");
}

static uint32_t newest_index(const struct ev_log_entry *ev)
{
	return ev ? ev->index : 0;
}

static void clear_failure(struct esafe_rep *s)
{
	s->cur.failure = IPC_ES_FALSE;
	s->cur.flow[0] = '\0';
	s->cur.text[0] = '\0';
	s->cur.event_id = 0;
}

void esrep_step_failed(struct esafe_rep *s, const char *step, const char *reason,
		       const struct ev_log_entry *last_ev)
{
	s->cur.failure = IPC_ES_TRUE;
	snprintf(s->cur.flow, sizeof(s->cur.flow), "%s", step ? step : "");
	snprintf(s->cur.text, sizeof(s->cur.text), "%s", reason && reason[0] ? reason : "failed");
	s->cur.event_id = last_ev && last_ev->index > s->ev_mark ? last_ev->id : 0;
	s->ev_mark = newest_index(last_ev);
}

void esrep_state(struct esafe_rep *s, const char *state, const char *step,
		 const struct ev_log_entry *last_ev)
{
	if (strcmp(state, "running") == 0 || strcmp(state, "backoff") == 0) {
		if (s->cur.progress != IPC_ES_IN_PROGRESS && strcmp(state, "running") == 0) {
			/* a new run (not a restart within one): earlier events
			 * belong to the previous run */
			s->ev_mark = newest_index(last_ev);
			if (s->cur.progress == IPC_ES_FINISHED)
				clear_failure(s);
		}
		s->cur.progress = IPC_ES_IN_PROGRESS;
	} else if (strcmp(state, "provisioned") == 0) {
		s->cur.progress = IPC_ES_FINISHED;
		clear_failure(s);
	} else {
		/* failed, or a halt (disabled, a DAD conflict, ...): the run is
		 * over without a pass; a halt with no failed step names itself */
		s->cur.progress = IPC_ES_FINISHED;
		if (s->cur.failure != IPC_ES_TRUE)
			esrep_step_failed(s, step, state, last_ev);
	}
}

void esrep_impact(struct esafe_rep *s, const struct mib *m)
{
	unsigned active = 0, total = 0;
	uint8_t impact = IPC_ES_NONE;

	if (s->cur.progress != IPC_ES_FINISHED || s->cur.failure == IPC_ES_TRUE || m == NULL) {
		s->cur.impact = IPC_ES_NONE;
		snprintf(s->cur.impact_info, sizeof(s->cur.impact_info), "no service provisioned");
		return;
	}
	if (m->run.enabled == 2) {
		s->cur.impact = IPC_ES_NONE;
		snprintf(s->cur.impact_info, sizeof(s->cur.impact_info), "eUE disabled by pktcMtaDevEnabled");
		return;
	}
	for (size_t i = 0; i < m->run.n_apps && i < MIB_APPS_MAX; i++) {
		const struct mib_app *a = &m->run.apps[i];

		if (a->impu == 0)
			continue;
		total++;
		if (a->admin != 1)
			continue;   /* inactive(2): no service to interrupt (6.3.6) */
		active++;
		if (esrep_app_impact(a->org, a->ident) == IPC_ES_SIGNIFICANT)
			impact = IPC_ES_SIGNIFICANT;
	}
	if (total == 0) {
		/* a file without application rows: the E-UE's own PacketCable
		 * service is the one service, a CableLabs application */
		impact = esrep_app_impact(4491, 0);
		snprintf(s->cur.impact_info, sizeof(s->cur.impact_info), "PacketCable service, no application rows");
	} else {
		snprintf(s->cur.impact_info, sizeof(s->cur.impact_info), "%u of %u applications active", active,
			 total);
	}
	s->cur.impact = impact;
}

int esrep_take(struct esafe_rep *s, struct ipc_msg *m)
{
	if (s->have_sent && memcmp(&s->cur, &s->sent, sizeof(s->cur)) == 0)
		return 0;
	s->sent = s->cur;
	s->have_sent = 1;
	memset(m, 0, sizeof(*m));
	m->type = IPC_ESAFE;
	m->u.esafe = s->cur;
	ipc_msg_set(m, IPC_A_ES_PROGRESS);
	ipc_msg_set(m, IPC_A_ES_FAILURE);
	ipc_msg_set(m, IPC_A_ES_IMPACT);
	ipc_msg_set(m, IPC_A_ES_IMPACT_INFO);
	if (s->cur.failure == IPC_ES_TRUE) {
		ipc_msg_set(m, IPC_A_ES_FLOW);
		ipc_msg_set(m, IPC_A_ES_TEXT);
		ipc_msg_set(m, IPC_A_ES_EVENT);
	}
	return 1;
}
