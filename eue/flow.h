/*
 * flow.h: the eUE's provisioning flow engine (DESIGN.md "The flow engine").
 *
 * The spec's flow tables are the program: a flow is a const array of steps,
 * each the row of Table 5 (eUE-1 .. eUE-25) or of its PKT-PROV1.5 IPv4 twin
 * (MTA1 .. MTA25), with the action the device performs, where to go on
 * success (the next row unless named) and where to go on failure ("restart
 * with eUE-1", "proceed to eUE-24", "stop").  Steps are named by number; the
 * flow's prefix makes the spec's name ("eUE-" + 5, "MTA" + 5), so an IPv6
 * flow and its IPv4 twin share one table (flows.c).
 *
 * Actions are asynchronous: the engine calls ops->start() and the action
 * later reports with flow_done().  The engine never runs a step from inside
 * flow_done() (a zero timer does), so actions may complete at once.  Every
 * transition is traced with the step name, outcome and elapsed ms.  The
 * provisioning timer (pktcMtaDevProvisioningTimer, 122.8 / CCCv6.8) runs
 * across the steps flagged FLOW_F_TIMED.  One struct flow_run per eUE; no
 * globals.
 */
#ifndef EUE_FLOW_H
#define EUE_FLOW_H

#include <stdint.h>

#include "platform/loop.h"
#include "platform/trace.h"

/* What the device does in a step; the eUE binds each to code (flow_ops). */
enum flow_action {
	FA_PASSIVE = 0,      /* a step of the servers only (eUE-16..18): nothing to do */
	FA_DHCP_SEND,        /* eUE-1 / MTA1: SOLICIT / DISCOVER */
	FA_DHCP_OFFER,       /* eUE-2 / MTA2: a valid ADVERTISE / OFFER selected */
	FA_DHCP_REQUEST,     /* eUE-3 / MTA3 */
	FA_DHCP_REPLY,       /* eUE-4 / MTA4: REPLY / ACK; the flow branches after it */
	FA_DNS_KDC_SRV,      /* eUE-5 */
	FA_DNS_KDC_SRV_REPLY,/* eUE-6 */
	FA_DNS_KDC_ADDR,     /* eUE-7 */
	FA_DNS_KDC_ADDR_REPLY,/* eUE-8 */
	FA_AS_REQ,           /* eUE-9 (skipped with a valid cached ticket) */
	FA_AS_REP,           /* eUE-10 */
	FA_TGS_REQ,          /* eUE-11 (only when 122.7 / CCCv6.7 asks for a TGT) */
	FA_TGS_REP,          /* eUE-12 */
	FA_AP_REQ,           /* eUE-13 */
	FA_AP_REP,           /* eUE-14 */
	FA_ENROLL_INFORM,    /* eUE-15 */
	FA_CONFIG_SET,       /* eUE-19: the SET of the config file URL and hash */
	FA_DNS_CFG,          /* eUE-20 */
	FA_DNS_CFG_REPLY,    /* eUE-21 */
	FA_CFG_REQUEST,      /* eUE-22 */
	FA_CFG_FILE,         /* eUE-23: download, hash, decrypt, apply */
	FA_SYSLOG,           /* eUE-24 */
	FA_STATUS_INFORM,    /* eUE-25 */
	FA__COUNT
};

enum flow_outcome {
	FLOW_OK,             /* go to the step's ok target */
	FLOW_FAIL,           /* go to the step's fail target */
	FLOW_FAIL_CONTENT,   /* a file content error: the step's content target (eUE-23 -> 24) */
	FLOW_SKIP,           /* not needed this time (a cached ticket): as ok, traced "skipped" */
};

enum {
	FLOW_F_TIMED = 1,    /* under the provisioning timer */
	FLOW_F_BRANCH = 2,   /* after it, ops->branch() picks the flow to continue with */
	FLOW_F_FINAL = 4,    /* its success ends the flow: provisioned (failed after a content error) */
};

#define FLOW_STOP 0xff       /* a target: stop (manual action or eCM re-initialisation) */
#define FLOW_NEXT 0          /* a target: the next row */

struct flow_step {
	uint8_t num;         /* the spec's step number */
	uint8_t action;      /* enum flow_action */
	uint8_t flags;
	uint8_t ok;          /* step number, FLOW_NEXT, or FLOW_STOP */
	uint8_t fail;        /* step number (1 = restart), or FLOW_STOP */
	uint8_t content;     /* FLOW_FAIL_CONTENT target (0: as fail) */
	const char *what;
};

struct flow {
	const char *name;            /* "secure", "basic.1", ... */
	const struct flow_step *steps;
	unsigned n;
};

enum flow_state {
	FLOW_IDLE, FLOW_RUNNING, FLOW_BACKOFF, FLOW_PROVISIONED, FLOW_FAILED, FLOW_STOPPED,
	FLOW__STATES
};

struct flow_run;

struct flow_ops {
	/* Mandatory: begin action a of step s; report later with flow_done().
	 * A return < 0 fails the step at once. */
	int (*start)(void *ctx, struct flow_run *r, enum flow_action a);
	/* Mandatory: stop whatever action a left running (timer expiry, stop). */
	void (*abort)(void *ctx, struct flow_run *r, enum flow_action a);
	/* Optional: after a FLOW_F_BRANCH step, the flow to continue with (the
	 * realm of 122.6 / CCCv6.6 decides); NULL keeps the current one. */
	const struct flow *(*branch)(void *ctx, struct flow_run *r);
	/* Optional: the run changed state (provisioned, failed, stopped, ...). */
	void (*state)(void *ctx, struct flow_run *r, enum flow_state s);
	/* Optional: a step ended in a failure (fail, content error, timer
	 * expiry); name is its spec name, reason the trace's (may be ""). */
	void (*step_failed)(void *ctx, struct flow_run *r, const char *name, const char *reason);
};

/* One record per finished step: the machine-readable trace. */
struct flow_rec {
	uint8_t num;
	uint8_t outcome;     /* enum flow_outcome, or 0xff for "timer expired" */
	uint32_t ms;         /* time the step took */
};

#define FLOW_HIST 64
#define FLOW_RESTART_MAX_MS 64000   /* restart back-off: 1 s doubling to this */

struct flow_run {
	const struct flow *flow;
	const char *prefix;          /* "eUE-" (IPv6) or "MTA" (IPv4) */
	const struct flow_ops *ops;
	void *ctx;
	struct loop *loop;
	struct trace *trace;
	enum flow_state state;
	unsigned cur;                /* index into flow->steps */
	int active;                  /* an action is under way */
	int have_result;             /* flow_done() was called; the kick timer acts on it */
	enum flow_outcome result;
	char reason[96];
	struct loop_timer kick, prov_timer;
	uint32_t prov_timer_ms;      /* 0: no provisioning timer */
	int prov_running;
	uint64_t step_start_ms, run_start_ms;
	unsigned restarts;
	uint32_t restart_delay_ms;
	int content_failed;          /* a FLOW_FAIL_CONTENT this run: it ends "failed" */
	struct flow_rec hist[FLOW_HIST];
	unsigned nhist;              /* total records (the ring keeps the last FLOW_HIST) */
};

void flow_init(struct flow_run *r, struct loop *l, struct trace *t, const struct flow_ops *ops,
	       void *ctx);
/* Start flow f from its first row; prefix names the steps ("eUE-", "MTA"). */
int flow_start(struct flow_run *r, const struct flow *f, const char *prefix);
/* The action of the current step finished. reason: for the trace (may be NULL). */
void flow_done(struct flow_run *r, enum flow_outcome o, const char *reason);
/* Stop the run (eCM re-initialisation, shutdown); aborts the current action. */
void flow_stop(struct flow_run *r);
/* The provisioning timer in ms (0 = none); takes effect at the next timed step. */
void flow_set_prov_timer(struct flow_run *r, uint32_t ms);

const char *flow_state_str(enum flow_state s);
const char *flow_action_str(enum flow_action a);
/* "eUE-7" for step 7 of the run's flow. */
const char *flow_step_name(const struct flow_run *r, uint8_t num, char *buf, unsigned cap);
/* Index of step num in f, or -1. */
int flow_find(const struct flow *f, uint8_t num);

#endif
