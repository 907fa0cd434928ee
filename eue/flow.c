/* flow.c: the table-driven flow engine of flow.h. */
#include "eue/flow.h"

#include <stdio.h>
#include <string.h>

#include "platform/clock.h"
#include "platform/err.h"
#include "platform/log.h"

static const char *const flow_state_names[FLOW__STATES] = {
	[FLOW_IDLE] = "idle", [FLOW_RUNNING] = "running", [FLOW_BACKOFF] = "backoff",
	[FLOW_PROVISIONED] = "provisioned", [FLOW_FAILED] = "failed", [FLOW_STOPPED] = "stopped",
};

static const char *const flow_action_names[FA__COUNT] = {
	[FA_PASSIVE] = "passive", [FA_DHCP_SEND] = "dhcp-send", [FA_DHCP_OFFER] = "dhcp-offer",
	[FA_DHCP_REQUEST] = "dhcp-request", [FA_DHCP_REPLY] = "dhcp-reply",
	[FA_DNS_KDC_SRV] = "dns-kdc-srv", [FA_DNS_KDC_SRV_REPLY] = "dns-kdc-srv-reply",
	[FA_DNS_KDC_ADDR] = "dns-kdc-addr", [FA_DNS_KDC_ADDR_REPLY] = "dns-kdc-addr-reply",
	[FA_AS_REQ] = "as-req", [FA_AS_REP] = "as-rep", [FA_TGS_REQ] = "tgs-req",
	[FA_TGS_REP] = "tgs-rep", [FA_AP_REQ] = "ap-req", [FA_AP_REP] = "ap-rep",
	[FA_ENROLL_INFORM] = "enroll-inform", [FA_CONFIG_SET] = "config-set",
	[FA_DNS_CFG] = "dns-cfg", [FA_DNS_CFG_REPLY] = "dns-cfg-reply",
	[FA_CFG_REQUEST] = "cfg-request", [FA_CFG_FILE] = "cfg-file", [FA_SYSLOG] = "syslog",
	[FA_STATUS_INFORM] = "status-inform",
};

static const char *const flow_outcome_names[] = {
	[FLOW_OK] = "ok", [FLOW_FAIL] = "failed", [FLOW_FAIL_CONTENT] = "content-error",
	[FLOW_SKIP] = "skipped",
};

const char *flow_state_str(enum flow_state s)
{
	return s < FLOW__STATES ? flow_state_names[s] : "?";
}

const char *flow_action_str(enum flow_action a)
{
	return a < FA__COUNT ? flow_action_names[a] : "?";
}

const char *flow_step_name(const struct flow_run *r, uint8_t num, char *buf, unsigned cap)
{
	snprintf(buf, cap, "%s%u", r->prefix ? r->prefix : "", num);
	return buf;
}

int flow_find(const struct flow *f, uint8_t num)
{
	for (unsigned i = 0; i < f->n; i++)
		if (f->steps[i].num == num)
			return (int)i;
	return -1;
}

static void flow_set_state(struct flow_run *r, enum flow_state s)
{
	if (r->state == s)
		return;
	r->state = s;
	if (s != FLOW_RUNNING && s != FLOW_BACKOFF)
		trace_state(r->trace, flow_state_str(s));
	if (r->ops->state)
		r->ops->state(r->ctx, r, s);
}

static void flow_prov_timer_stop(struct flow_run *r)
{
	loop_timer_cancel(r->loop, &r->prov_timer);
	r->prov_running = 0;
}

/* Enter row idx now: start its action (or finish a passive row). */
static void flow_enter(struct flow_run *r, unsigned idx)
{
	const struct flow_step *s = &r->flow->steps[idx];
	int rc;

	r->cur = idx;
	r->step_start_ms = clock_mono_ms();
	r->have_result = 0;
	r->reason[0] = '\0';
	/* The provisioning timer spans the timed rows (RFC 4682: MTA5 .. MTA23). */
	if ((s->flags & FLOW_F_TIMED) && !r->prov_running && r->prov_timer_ms) {
		loop_timer_arm(r->loop, &r->prov_timer, r->prov_timer_ms);
		r->prov_running = 1;
	} else if (!(s->flags & FLOW_F_TIMED) && r->prov_running) {
		flow_prov_timer_stop(r);
	}
	if (s->action == FA_PASSIVE) {
		flow_done(r, FLOW_OK, "passive");
		return;
	}
	r->active = 1;
	rc = r->ops->start(r->ctx, r, (enum flow_action)s->action);
	if (rc < 0 && r->active && !r->have_result)
		flow_done(r, FLOW_FAIL, err_str(rc));
}

/* Where an outcome leads: a row index, or -1 for stop, -2 for "provisioned". */
static int flow_target(const struct flow_run *r, const struct flow_step *s, enum flow_outcome o)
{
	uint8_t t;

	switch (o) {
	case FLOW_OK:
	case FLOW_SKIP:
		if (s->flags & FLOW_F_FINAL)
			return -2;
		t = s->ok;
		if (t == FLOW_NEXT)
			return r->cur + 1 < r->flow->n ? (int)r->cur + 1 : -2;
		break;
	case FLOW_FAIL_CONTENT:
		t = s->content ? s->content : s->fail;
		break;
	default:
		t = s->fail;
		break;
	}
	if (t == FLOW_STOP)
		return -1;
	return flow_find(r->flow, t);
}

static void flow_record(struct flow_run *r, uint8_t num, uint8_t outcome, uint32_t ms)
{
	struct flow_rec *h = &r->hist[r->nhist % FLOW_HIST];

	h->num = num;
	h->outcome = outcome;
	h->ms = ms;
	r->nhist++;
}

/* The kick timer: act on the current step's result. */
static void flow_advance(void *arg)
{
	struct flow_run *r = arg;
	const struct flow_step *s;
	const struct flow *next;
	uint32_t ms;
	char name[16];
	int t;

	if (r->state == FLOW_BACKOFF) {
		/* the restart back-off is over: eUE-1 / MTA1 again */
		flow_set_state(r, FLOW_RUNNING);
		flow_enter(r, 0);
		return;
	}
	if (r->state != FLOW_RUNNING || !r->have_result)
		return;
	s = &r->flow->steps[r->cur];
	ms = (uint32_t)(clock_mono_ms() - r->step_start_ms);
	r->have_result = 0;
	flow_record(r, s->num, (uint8_t)r->result, ms);
	if (r->result == FLOW_FAIL_CONTENT)
		r->content_failed = 1;   /* reported at 24/25, and the run ends failed */
	trace_step(r->trace, flow_step_name(r, s->num, name, sizeof(name)), flow_outcome_names[r->result],
		   "ms=%u flow=%s%s%s", ms, r->flow->name, r->reason[0] ? " reason=" : "", r->reason);
	if (r->ops->step_failed && r->result != FLOW_OK && r->result != FLOW_SKIP)
		r->ops->step_failed(r->ctx, r, name, r->reason);   /* the eSAFE view (6.6.3) */
	/* After the DHCP REPLY/ACK the realm picks the flow (eUE-4 / MTA4). */
	if ((s->flags & FLOW_F_BRANCH) && (r->result == FLOW_OK) && r->ops->branch &&
	    (next = r->ops->branch(r->ctx, r)) != NULL && next != r->flow) {
		int at = flow_find(next, s->num);

		if (at < 0) {
			log_warnx("flow: %s has no step %u to branch from", next->name, s->num);
			flow_set_state(r, FLOW_FAILED);
			return;
		}
		log_info("flow: %s -> %s after %s", r->flow->name, next->name, name);
		r->flow = next;
		r->cur = (unsigned)at;
		s = &next->steps[at];
	}
	t = flow_target(r, s, r->result);
	if (t == -2) {
		flow_prov_timer_stop(r);
		r->restarts = 0;
		r->restart_delay_ms = 0;
		flow_set_state(r, r->content_failed ? FLOW_FAILED : FLOW_PROVISIONED);
		return;
	}
	if (t == -1 || t >= (int)r->flow->n) {
		flow_prov_timer_stop(r);
		flow_set_state(r, FLOW_STOPPED);
		return;
	}
	if (t == 0 && r->result != FLOW_OK && r->result != FLOW_SKIP) {
		/* "restart with eUE-1": back off so a failing network is not hammered */
		r->restarts++;
		r->restart_delay_ms = r->restart_delay_ms ? r->restart_delay_ms * 2 : 1000;
		if (r->restart_delay_ms > FLOW_RESTART_MAX_MS)
			r->restart_delay_ms = FLOW_RESTART_MAX_MS;
		flow_prov_timer_stop(r);
		trace_step(r->trace, flow_step_name(r, r->flow->steps[0].num, name, sizeof(name)), "restart",
			   "in_ms=%u restarts=%u", r->restart_delay_ms, r->restarts);
		r->content_failed = 0;
		flow_set_state(r, FLOW_BACKOFF);
		loop_timer_arm(r->loop, &r->kick, r->restart_delay_ms);
		return;
	}
	flow_enter(r, (unsigned)t);
}

static void flow_prov_expired(void *arg)
{
	struct flow_run *r = arg;
	const struct flow_step *s;

	r->prov_running = 0;
	if (r->state != FLOW_RUNNING)
		return;
	s = &r->flow->steps[r->cur];
	if (r->active) {
		r->active = 0;
		r->ops->abort(r->ctx, r, (enum flow_action)s->action);
	}
	/* RFC 4682 pktcMtaDevProvisioningTimer: expiry is a provisioning failure */
	r->result = FLOW_FAIL;
	r->have_result = 1;
	snprintf(r->reason, sizeof(r->reason), "provisioning timer expired");
	loop_timer_arm(r->loop, &r->kick, 0);
}

void flow_done(struct flow_run *r, enum flow_outcome o, const char *reason)
{
	if (r->state != FLOW_RUNNING || r->have_result)
		return;   /* a late completion after an abort or a stop */
	r->active = 0;
	r->result = o;
	r->have_result = 1;
	snprintf(r->reason, sizeof(r->reason), "%s", reason ? reason : "");
	for (char *p = r->reason; *p; p++)
		if (*p == ' ')
			*p = '_';   /* one token in the trace line */
	loop_timer_arm(r->loop, &r->kick, 0);
}

void flow_init(struct flow_run *r, struct loop *l, struct trace *t, const struct flow_ops *ops,
	       void *ctx)
{
	memset(r, 0, sizeof(*r));
	r->loop = l;
	r->trace = t;
	r->ops = ops;
	r->ctx = ctx;
	r->prov_timer_ms = 10 * 60 * 1000;   /* RFC 4682 DEFVAL: 10 minutes */
	loop_timer_init(&r->kick, flow_advance, r);
	loop_timer_init(&r->prov_timer, flow_prov_expired, r);
}

void flow_set_prov_timer(struct flow_run *r, uint32_t ms)
{
	r->prov_timer_ms = ms;
}

int flow_start(struct flow_run *r, const struct flow *f, const char *prefix)
{
	if (f == NULL || f->n == 0 || r->ops == NULL || r->ops->start == NULL || r->ops->abort == NULL)
		return E_INVAL;
	flow_stop(r);
	r->flow = f;
	r->prefix = prefix;
	r->run_start_ms = clock_mono_ms();
	r->restarts = 0;
	r->restart_delay_ms = 0;
	r->content_failed = 0;
	r->state = FLOW_IDLE;
	flow_set_state(r, FLOW_RUNNING);
	flow_enter(r, 0);
	return 0;
}

void flow_stop(struct flow_run *r)
{
	if (r->active && r->flow) {
		r->active = 0;
		r->ops->abort(r->ctx, r, (enum flow_action)r->flow->steps[r->cur].action);
	}
	r->have_result = 0;
	loop_timer_cancel(r->loop, &r->kick);
	flow_prov_timer_stop(r);
	if (r->state == FLOW_RUNNING || r->state == FLOW_BACKOFF)
		flow_set_state(r, FLOW_STOPPED);
}
