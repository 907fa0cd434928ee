/* eue.c: one eUE device: the engine's actions bound to the modules (eue.h). */
#include "eue/eue.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "eue/eue_tod.h"
#include "eue/flows.h"
#include "platform/bytes.h"
#include "platform/err.h"
#include "platform/log.h"
#include "platform/nvram.h"
#include "tlv/cablelabs.h"

/* The latch each DHCP row waits for. */
static unsigned eue_row_bit(enum flow_action a)
{
	switch (a) {
	case FA_DHCP_SEND: return EUE_SEEN_SENT;
	case FA_DHCP_OFFER: return EUE_SEEN_SELECTED;
	case FA_DHCP_REQUEST: return EUE_SEEN_REQUESTED;
	case FA_DHCP_REPLY: return EUE_SEEN_BOUND;
	default: return 0;
	}
}

/* A DHCP row's event came: the row is done, except that row 4 of a Secure
 * run may have to wait for the time of day (6.3.2.3, eue_tod.c). */
static void eue_row_ok(struct eue *e, enum flow_action a)
{
	if (a == FA_DHCP_REPLY && eue_tod_hold(e))
		return;
	flow_done(&e->flow, FLOW_OK, NULL);
}

/* A module reached a point a row may be waiting for. */
static void eue_seen(struct eue *e, unsigned bit)
{
	e->seen |= bit;
	if (e->waiting != FA_PASSIVE && (eue_row_bit(e->waiting) & e->seen)) {
		enum flow_action a = e->waiting;

		e->waiting = FA_PASSIVE;
		eue_row_ok(e, a);
	}
}

/* A module failed: the DHCP row in progress fails (Table 5: restart with eUE-1). */
static void eue_module_failed(struct eue *e, const char *reason)
{
	snprintf(e->fail_reason, sizeof(e->fail_reason), "%s", reason ? reason : "failed");
	if (e->waiting != FA_PASSIVE) {
		e->waiting = FA_PASSIVE;
		flow_done(&e->flow, FLOW_FAIL, e->fail_reason);
	} else {
		e->failed = 1;   /* the next DHCP row reports it */
	}
}

static void eue_modules_stop(struct eue *e)
{
	eue_tod_cancel(e);
	eue_prov_stop(e);
	ip6_stop(&e->ip6);
	ed6_stop(&e->d6);
	ed4_stop(&e->d4);
}

/* The eSAFE row follows the run's state (esafe_rep.h); main sends it. */
static void eue_esafe_state(struct eue *e, const char *state)
{
	esrep_state(&e->esafe, state, e->step, ev_last(&e->prov.ev));
	esrep_impact(&e->esafe, e->prov.mib);
}

/* The run ends here, in a state the ATP trace and the eSAFE view show. */
static void eue_halt(struct eue *e, const char *state)
{
	e->waiting = FA_PASSIVE;
	flow_stop(&e->flow);
	trace_state(e->trace, state);
	eue_esafe_state(e, state);
	if (e->report)
		e->report(e->arg, e, state, e->step);
}

/* ---------------------------------------------------------------- modules */

static void eue_on_ip6(void *arg, struct ip6 *c, enum ip6_event ev, const struct ip6_result *r)
{
	struct eue *e = arg;
	int rc;

	(void)c;
	switch (ev) {
	case IP6_EV_LL_READY:
		break;
	case IP6_EV_READY:
		/* 6.3.4: DHCPv6 only after router discovery found M = 1 */
		rc = ed6_start(&e->d6);
		if (rc < 0)
			eue_module_failed(e, err_str(rc));
		break;
	case IP6_EV_FAILED:
		if (r->reason && strcmp(r->reason, "dad") == 0) {
			/* 6.3.4.1: a duplicate link-local address: stop and wait */
			log_warnx("eue: the link-local address is a duplicate; the eUE waits");
			eue_modules_stop(e);
			eue_halt(e, "failed");
			return;
		}
		eue_module_failed(e, r->reason);   /* 6.3.4.2: IPv6 provisioning fails */
		break;
	}
}

void eue_restart(struct eue *e, const char *why)
{
	/* 6.3.5: a changed address re-initialises the eUE: eUE-1 again;
	 * pktcMtaDevResetNow too (RFC 4682) */
	trace_step(e->trace, e->v6 ? "eUE-1" : "MTA1", "reinit", "reason=%s", why);
	eue_modules_stop(e);
	flow_start(&e->flow, &flow_secure, flows_prefix(e->v6));
}

static void eue_on_d6(void *arg, struct ed6 *c, enum ed6_event ev, const char *detail)
{
	struct eue *e = arg;

	(void)c;
	switch (ev) {
	case ED6_EV_SOLICIT_SENT: eue_seen(e, EUE_SEEN_SENT); break;
	case ED6_EV_SELECTED: eue_seen(e, EUE_SEEN_SELECTED); break;
	case ED6_EV_REQUEST_SENT: eue_seen(e, EUE_SEEN_REQUESTED); break;
	case ED6_EV_BOUND: eue_seen(e, EUE_SEEN_BOUND); break;
	case ED6_EV_FAILED: eue_module_failed(e, detail); break;
	case ED6_EV_DISABLED:
		/* eUE-3: only "0.0.0.0" offers: disabled until the eCM re-initialises */
		eue_modules_stop(e);
		eue_halt(e, "disabled");
		break;
	case ED6_EV_RENEWED: eue_prov_lease_changed(e); break;   /* 6.3.5: new DNS / syslog */
	case ED6_EV_LOST: eue_restart(e, detail ? detail : "lost"); break;
	default: break;
	}
}

static void eue_on_d4(void *arg, struct ed4 *c, enum ed4_event ev, unsigned detail)
{
	struct eue *e = arg;

	(void)c;
	switch (ev) {
	case ED4_EV_DISCOVER_SENT: eue_seen(e, EUE_SEEN_SENT); break;
	case ED4_EV_SELECTED: eue_seen(e, EUE_SEEN_SELECTED); break;
	case ED4_EV_REQUEST_SENT: eue_seen(e, EUE_SEEN_REQUESTED); break;
	case ED4_EV_BOUND: eue_seen(e, EUE_SEEN_BOUND); break;
	case ED4_EV_FAILED: eue_module_failed(e, ed4_fail_str((enum ed4_fail)detail)); break;
	case ED4_EV_DISABLED:
		eue_modules_stop(e);
		eue_halt(e, "disabled");
		break;
	case ED4_EV_RENEWED: eue_prov_lease_changed(e); break;
	case ED4_EV_LOST: eue_restart(e, ed4_fail_str((enum ed4_fail)detail)); break;
	default: break;
	}
}

/* ---------------------------------------------------------------- the engine's ops */

static int eue_op_start(void *ctx, struct flow_run *r, enum flow_action a)
{
	struct eue *e = ctx;
	const struct flow_step *s = &r->flow->steps[r->cur];
	int rc = 0;

	flow_step_name(r, s->num, e->step, sizeof(e->step));
	switch (a) {
	case FA_DHCP_SEND:
		/* a fresh exchange: eUE-1 / MTA1 (again, after a restart) */
		e->seen = 0;
		e->failed = 0;
		e->waiting = a;
		eue_modules_stop(e);
		rc = e->v6 ? ip6_start(&e->ip6) : ed4_start(&e->d4);
		if (rc < 0)
			e->waiting = FA_PASSIVE;
		return rc;
	case FA_DHCP_OFFER:
	case FA_DHCP_REQUEST:
	case FA_DHCP_REPLY:
		if (e->failed) {
			e->failed = 0;
			flow_done(r, FLOW_FAIL, e->fail_reason);
		} else if (e->seen & eue_row_bit(a)) {
			eue_row_ok(e, a);
		} else {
			e->waiting = a;
		}
		return 0;
	default:
		rc = eue_prov_start(e, r, a);
		if (rc != 0)
			return rc < 0 ? rc : 0;
		/* The step's action is not built yet (README): say so and stop here. */
		trace_step(e->trace, e->step, "not-implemented", "action=%s flow=%s", flow_action_str(a),
			   r->flow->name);
		eue_halt(e, "not-implemented");
		return 0;
	}
}

static void eue_op_abort(void *ctx, struct flow_run *r, enum flow_action a)
{
	struct eue *e = ctx;

	(void)r;
	e->waiting = FA_PASSIVE;
	eue_tod_cancel(e);
	eue_prov_abort(e, a);
}

/* After eUE-4 / MTA4 the realm (122.6 / CCCv6.6) picks the flow (Table 5 note). */
static const struct flow *eue_op_branch(void *ctx, struct flow_run *r)
{
	struct eue *e = ctx;
	const struct cl_opts *cl = e->v6 ? &e->d6.lease.cl : &e->d4.lease.cl;

	/* pktcMtaDevProvisioningTimer from 122.8 / CCCv6.8, in minutes; 0 = no
	 * timer (RFC 4682); it starts at the first timed row, after this one */
	if (cl_has(cl, CL_F_PROV_TIMER))
		flow_set_prov_timer(r, (uint32_t)cl->prov_timer * 60u * 1000u);
	switch (cl_flow_of(cl->realm.name)) {
	case CL_FLOW_BASIC1: return &flow_basic1;
	case CL_FLOW_BASIC2: return &flow_basic2;
	case CL_FLOW_HYBRID1: return &flow_hybrid1;
	case CL_FLOW_HYBRID2: return &flow_hybrid2;
	default: return &flow_secure;
	}
}

static void eue_op_state(void *ctx, struct flow_run *r, enum flow_state s)
{
	struct eue *e = ctx;

	(void)r;
	if (s != FLOW_STOPPED)
		eue_esafe_state(e, flow_state_str(s));
	if (e->report && s != FLOW_STOPPED)
		e->report(e->arg, e, flow_state_str(s), e->step);
}

static void eue_op_step_failed(void *ctx, struct flow_run *r, const char *name, const char *reason)
{
	struct eue *e = ctx;

	(void)r;
	esrep_step_failed(&e->esafe, name, reason, ev_last(&e->prov.ev));
}

static const struct flow_ops eue_ops = {
	.start = eue_op_start,
	.abort = eue_op_abort,
	.branch = eue_op_branch,
	.state = eue_op_state,
	.step_failed = eue_op_step_failed,
};

/* ---------------------------------------------------------------- set-up */

void eue_init(struct eue *e, const struct board_conf *b, struct loop *l, struct trace *t,
	      unsigned ifindex, eue_report_fn *report, void *arg)
{
	memset(e, 0, sizeof(*e));
	e->board = b;
	e->loop = l;
	e->trace = t;
	e->ifindex = ifindex;
	e->report = report;
	e->arg = arg;
	e->waiting = FA_PASSIVE;
	esrep_init(&e->esafe);
	flow_init(&e->flow, l, t, &eue_ops, e);
	loop_timer_init(&e->tod.retry, eue_tod_retry, e);
	/* The modules need a config before they can be stopped safely. */
	{
		struct ip6_config c6 = { .ifname = b->eue_if, .ifindex = ifindex, .trace = t };
		struct ed6_config d6 = { .ifname = b->eue_if, .ifindex = ifindex, .trace = t };
		struct ed4_config d4 = { .ifname = b->eue_if, .ifindex = ifindex, .trace = t };

		memcpy(c6.mac, b->eue_mac, 6);
		memcpy(d6.mac, b->eue_mac, 6);
		memcpy(d4.mac, b->eue_mac, 6);
		ip6_init(&e->ip6, l, &c6, eue_on_ip6, e);
		ed6_init(&e->d6, l, &d6, eue_on_d6, e);
		ed4_init(&e->d4, l, &d4, eue_on_d4, e);
	}
	if (eue_prov_init(e) < 0)
		log_warnx("eue: no memory for the MIB: the rows after step 4 will fail");
}

void eue_free(struct eue *e)
{
	eue_prov_free(e);
}

/* RFC 3414 2.2.2: snmpEngineBoots counts the engine's (re)initialisations and must survive
 * them (with snmpEngineTime it bounds USM's replay window); one per eued start, kept in nvram.
 * Without nvram it stays 1 after every start, as before. */
#define EUE_BOOTS_KEY "snmpEngineBoots"
#define EUE_BOOTS_MAX 2147483647u    /* RFC 3414: latches at 2^31-1 */

void eue_set_nvram(struct eue *e, struct nvram *nv)
{
	uint8_t b[4];
	size_t len = 0;
	uint32_t boots = 0;

	e->nv = nv;
	if (nv != NULL && nvram_get(nv, EUE_BOOTS_KEY, b, sizeof(b), &len) == 0 && len == sizeof(b))
		boots = load_be32(b);
	if (boots < EUE_BOOTS_MAX)
		boots++;
	store_be32(b, boots);
	if (nv != NULL && nvram_put(nv, EUE_BOOTS_KEY, b, sizeof(b)) < 0)
		log_warnx("nvram: %s not kept", EUE_BOOTS_KEY);
	e->engine_boots = boots;
}

void eue_set_walltime(struct eue *e, const struct walltime *w)
{
	e->wall = w;
	e->prov.ev.wt = w;
}

/* The eUE's DHCPv6 client, told the DSS_IDs the eCM passed on (6.3.2.2). */
static void eue_config_v6(struct eue *e)
{
	const struct board_conf *b = e->board;
	struct ed6_config c;
	const uint8_t *ids[2] = { e->cm.dss_primary, e->cm.dss_secondary };
	const uint16_t lens[2] = { e->cm.dss_primary_len, e->cm.dss_secondary_len };

	memset(&c, 0, sizeof(c));
	c.ifname = b->eue_if;
	c.ifindex = e->ifindex;
	memcpy(c.mac, b->eue_mac, 6);
	c.serial = b->serial;
	c.hw_version = b->hw_version;
	c.sw_version = b->sw_version;
	c.boot_rom = b->boot_rom;
	c.model = b->model;
	c.vendor = b->vendor;
	memcpy(c.oui, b->oui, 3);
	c.install_addr = 1;
	c.trace = e->trace;
	for (int i = 0; i < 2; i++) {
		struct cl_dss *d = &c.dss[c.n_dss];

		if (lens[i] == 0)
			continue;
		/* 6.4.1.2: the first 32 bytes count */
		d->len = (uint8_t)(lens[i] > CL_DSS_ID_MAX ? CL_DSS_ID_MAX : lens[i]);
		d->truncated = lens[i] > CL_DSS_ID_MAX;
		memcpy(d->id, ids[i], d->len);
		if (cl_dss_kind(d) == CL_ANY)
			c.dss_any = 1;
		c.n_dss++;
	}
	ed6_init(&e->d6, e->loop, &c, eue_on_d6, e);
	{
		struct ip6_config ic = { .ifname = b->eue_if, .ifindex = e->ifindex, .trace = e->trace };

		memcpy(ic.mac, b->eue_mac, 6);
		ip6_init(&e->ip6, e->loop, &ic, eue_on_ip6, e);
	}
}

/* The eUE's DHCPv4 client, told the servers the eCM passed on (6.3.2.2). */
static void eue_config_v4(struct eue *e)
{
	const uint8_t *srv[2] = { e->cm.dhcp4_primary, e->cm.dhcp4_secondary };
	struct ed4_config c;

	memset(&c, 0, sizeof(c));
	ed4_config_from_board(&c, e->board);
	c.ifindex = e->ifindex;
	c.install_addr = 1;
	c.trace = e->trace;
	for (int i = 0; i < 2; i++) {
		uint32_t a = load_be32(srv[i]);

		if (a == 0)
			continue;   /* absent (0.0.0.0 never gets here: Table 4 made it dormant) */
		c.servers[c.n_servers++] = a;
		if (a == 0xffffffffu)
			c.any = 1;   /* 6.3.2.2: 255.255.255.255 = any server */
	}
	ed4_init(&e->d4, e->loop, &c, eue_on_d4, e);
}

int eue_start(struct eue *e, const struct ipc_cm_ready *cm)
{
	eue_stop(e);
	e->cm = *cm;
	if (cm->mode == IPC_MODE_DISABLED)
		return 0;   /* Table 4: dormant; main keeps the link down */
	e->v6 = cm->mode == IPC_MODE_IPV6;
	e->tod.tries = 0;
	if (e->v6)
		eue_config_v6(e);
	else
		eue_config_v4(e);
	e->started = 1;
	/* The realm is not known before eUE-4 / MTA4: start with the Secure table,
	 * whose rows 1-4 every flow shares; the branch picks the rest. */
	return flow_start(&e->flow, &flow_secure, flows_prefix(e->v6));
}

void eue_stop(struct eue *e)
{
	e->waiting = FA_PASSIVE;
	if (e->started)
		flow_stop(&e->flow);
	eue_modules_stop(e);
	e->started = 0;
}
