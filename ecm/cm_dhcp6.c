/* cm_dhcp6.c: the eCM's DHCPv6 client state machine (cm_dhcp6.h). */
#include "ecm/cm_dhcp6.h"

#include <string.h>
#include <sys/socket.h>

#include "platform/bytes.h"
#include "platform/clock.h"
#include "platform/err.h"
#include "platform/log.h"
#include "platform/net.h"
#include "platform/netlink.h"
#include "platform/rand.h"
#include "platform/trace.h"
#include "tlv/wr.h"

/* RFC 3315 5.5: SOL_TIMEOUT 1 s, SOL_MAX_RT 120 s; first RT > IRT (17.1.2) */
const struct retx_param cm6_retx_solicit = {
	.irt_ms = 1000, .mrt_ms = 120000, .jitter_permille = 100, .first_positive = 1,
};
/* RFC 3315 5.5: REQ_TIMEOUT 1 s, REQ_MAX_RT 30 s, REQ_MAX_RC 10 */
const struct retx_param cm6_retx_request = {
	.irt_ms = 1000, .mrt_ms = 30000, .mrc = 10, .jitter_permille = 100,
};
/* RFC 3315 5.5: DEC_TIMEOUT 1 s, DEC_MAX_RC 5 */
const struct retx_param cm6_retx_decline = {
	.irt_ms = 1000, .mrc = 5, .jitter_permille = 100,
};
/* RFC 3315 5.5: REN_TIMEOUT / REB_TIMEOUT 10 s, MAX_RT 600 s; MRD set per lease */
static const struct retx_param cm6_retx_renew_base = {
	.irt_ms = 10000, .mrt_ms = 600000, .jitter_permille = 100,
};

static const char *const cm6_state_names[CM6__COUNT] = {
	[CM6_INIT] = "init", [CM6_SOLICIT] = "solicit", [CM6_HOLDOFF] = "holdoff",
	[CM6_REQUEST] = "request", [CM6_DAD] = "dad", [CM6_DECLINE] = "decline",
	[CM6_BOUND] = "bound", [CM6_RENEW] = "renew",
	[CM6_REBIND] = "rebind",
};

/* The spec step each state carries out (Table 3), for the step log. */
static const char *const cm6_step[CM6__COUNT] = {
	[CM6_INIT] = "-", [CM6_SOLICIT] = "CM1v6", [CM6_HOLDOFF] = "CM3v6",
	[CM6_REQUEST] = "CM3v6", [CM6_DAD] = "CM4v6", [CM6_DECLINE] = "CM4v6",
	[CM6_BOUND] = "CM4v6", [CM6_RENEW] = "renew",
	[CM6_REBIND] = "rebind",
};

/* ff02::1:2, All_DHCP_Relay_Agents_and_Servers (RFC 3315 5.1) */
static const uint8_t all_dhcp_agents[16] = { 0xff, 0x02, [13] = 0x01, [15] = 0x02 };

const char *cm6_state_str(enum cm6_state s)
{
	return s < CM6__COUNT ? cm6_state_names[s] : "?";
}

static void cm6_transition(struct cm6 *c, enum cm6_state next);

/* ---------------------------------------------------------------- messages */

/* Table 3 CM1v6: the CableLabs options the eCM asks for in CL_OPTION_ORO. */
static size_t cm6_cl_oro(const struct cm6 *c, uint16_t *codes)
{
	size_t n = 0;

	codes[n++] = CL_V6_TFTP;
	codes[n++] = CL_V6_CFG_FILE;
	codes[n++] = CL_V6_SYSLOG;
	codes[n++] = CL_V6_TIME;
	codes[n++] = CL_V6_TIME_OFFSET;
	if (c->req.ccc)
		codes[n++] = CL_V6_CCC;        /* iff the eUE supports IPv4 */
	if (c->req.cccv6)
		codes[n++] = CL_V6_CCCV6;      /* iff the eUE supports IPv6 */
	if (c->req.pref)
		codes[n++] = CL_V6_IP_PREF;    /* iff dual-stack */
	return n;
}

static int cm6_build(struct cm6 *c, enum dhcp6_type type, uint8_t *buf, size_t cap)
{
	static const uint16_t oro[] = { DHCP6_O_VENDOR_OPTS, DHCP6_O_DNS };
	uint16_t cl[16];
	size_t n = cm6_cl_oro(c, cl), at, oat;
	uint64_t el = (clock_mono_ms() - c->exch_start_ms) / 10;
	const struct cm6_lease *l = &c->lease;
	struct wr w;

	wr_init(&w, buf, cap);
	dhcp6_put_hdr(&w, type, c->xid);
	dhcp6_put_opt(&w, DHCP6_O_CLIENTID, c->duid, c->duid_len);
	if (type == DHCP6_REQUEST)
		dhcp6_put_opt(&w, DHCP6_O_SERVERID, c->adv[c->chosen].srvid, c->adv[c->chosen].srvid_len);
	else if (type == DHCP6_RENEW || type == DHCP6_DECLINE)
		dhcp6_put_opt(&w, DHCP6_O_SERVERID, l->srvid, l->srvid_len);
	/* RFC 3315 22.9: elapsed time in centiseconds, 0xffff when longer */
	dhcp6_put_elapsed(&w, el > 0xffff ? 0xffff : (uint16_t)el);
	if (type == DHCP6_SOLICIT)
		dhcp6_put_ia_na(&w, c->iaid, 0, 0, NULL, 0, 0);
	else if (type == DHCP6_REQUEST)
		dhcp6_put_ia_na(&w, c->iaid, 0, 0, c->adv[c->chosen].has_addr ? c->adv[c->chosen].addr : NULL,
				0, 0);
	else
		dhcp6_put_ia_na(&w, c->iaid, 0, 0, l->addr, 0, 0);
	if (type == DHCP6_DECLINE)
		goto end;   /* RFC 3315 18.1.7: no ORO or vendor options in a DECLINE */
	dhcp6_put_oro(&w, oro, sizeof(oro) / sizeof(oro[0]));
	dhcp6_put_vendor_class(&w, DHCP6_ENTERPRISE_CL, "docsis3.0");
	/* CM3v6: the REQUEST (and renewals) ask for the same options as CM1v6 */
	at = dhcp6_vendor_open(&w, DHCP6_ENTERPRISE_CL);
	oat = dhcp6_open(&w, CL_V6_ORO);
	for (size_t i = 0; i < n; i++)
		wr_u16(&w, cl[i]);
	dhcp6_close(&w, oat);
	dhcp6_close(&w, at);
end:
	return w.err ? w.err : (int)w.len;
}

static void cm6_send(struct cm6 *c, enum dhcp6_type type)
{
	uint8_t buf[CM6_PKT_MAX];
	struct net_addr to;
	int n = cm6_build(c, type, buf, sizeof(buf));

	if (n < 0) {
		log_warnx("cm6: cannot build %s: %s", dhcp6_type_str(type), err_str(n));
		return;
	}
	memset(&to, 0, sizeof(to));
	to.family = AF_INET6;
	memcpy(to.addr, all_dhcp_agents, 16);
	to.port = 547;
	to.ifindex = c->ifindex;
	n = net_udp_send(c->fd, buf, (size_t)n, &to);
	if (n < 0)   /* retried by the timer */
		log_warnx("cm6: send %s on %s: %s", dhcp6_type_str(type), c->ifname, err_str(n));
	log_debug("cm6: sent %s xid %06x", dhcp6_type_str(type), c->xid);
}

/* Send now and arm the timer for the next transmission. */
static void cm6_xmit(struct cm6 *c, enum dhcp6_type type)
{
	uint32_t wait;

	cm6_send(c, type);
	if (retx_next(&c->rt, clock_mono_ms(), rand_u32(), &wait) < 0)
		wait = 0;   /* MRD already passed: the timer ends the exchange */
	loop_timer_arm(c->loop, &c->timer, wait);
}

static void cm6_new_exchange(struct cm6 *c, const struct retx_param *p)
{
	c->xid = rand_u32() & 0xffffff;
	c->exch_start_ms = clock_mono_ms();
	retx_start(&c->rt, p, c->exch_start_ms);
}

/* ---------------------------------------------------------------- input */

/* The best ADVERTISE: CM3v6 score first, then option 7 preference. */
static void cm6_choose(struct cm6 *c)
{
	unsigned scores[CM6_ADV_MAX], pick;
	uint32_t delay;

	for (unsigned i = 0; i < c->n_adv; i++)
		scores[i] = c->adv[i].score * 256u + c->adv[i].pref;
	/* offer_choose() reads only "0 = satisfies nothing", so scale keeps that */
	for (unsigned i = 0; i < c->n_adv; i++)
		if (c->adv[i].score == 0)
			scores[i] = 0;
	switch (offer_choose(scores, c->n_adv, c->retries, &pick, &delay)) {
	case OFFER_TAKE:
		c->chosen = pick;
		trace_step(c->trace, "CM3v6", "ok", "chosen=%u/%u score=%u retries=%u", pick + 1,
			   c->n_adv, c->adv[pick].score, c->retries);
		cm6_transition(c, CM6_REQUEST);
		break;
	case OFFER_RETRY:
		trace_step(c->trace, "CM3v6", "retry", "reason=no-requested-options advertises=%u wait_ms=%u",
			   c->n_adv, delay);
		cm6_transition(c, CM6_HOLDOFF);
		loop_timer_arm(c->loop, &c->timer, delay);
		break;
	case OFFER_NONE:
		break;
	}
}

/* Does the message carry our client id?  (RFC 3315 15.3/15.10) */
static int cm6_for_us(const struct cm6 *c, const struct dhcp6_msg *m)
{
	const uint8_t *v;
	int n = dhcp6_msg_opt(m, DHCP6_O_CLIENTID, &v);

	return n == c->duid_len && memcmp(v, c->duid, (size_t)n) == 0;
}

static void cm6_on_advertise(struct cm6 *c, const struct dhcp6_msg *m)
{
	struct cm6_adv *a;
	struct dhcp6_ia_na ia;
	struct cl_opts cl;
	const uint8_t *v;
	uint16_t st;
	int n;

	if (c->n_adv == CM6_ADV_MAX)
		return;
	/* RFC 3315 17.1.3: ignore an ADVERTISE saying NoAddrsAvail */
	if (dhcp6_msg_status(m, &st) == 0 && st == DHCP6_ST_NO_ADDRS)
		return;
	a = &c->adv[c->n_adv];
	memset(a, 0, sizeof(*a));
	n = dhcp6_msg_opt(m, DHCP6_O_SERVERID, &v);
	if (n <= 0 || n > DHCP6_DUID_MAX) {
		c->dropped++;
		return;
	}
	memcpy(a->srvid, v, (size_t)n);
	a->srvid_len = (uint16_t)n;
	n = dhcp6_msg_opt(m, DHCP6_O_IA_NA, &v);
	if (n > 0 && dhcp6_ia_na_decode(v, (size_t)n, &ia) == 0 && ia.has_addr) {
		memcpy(a->addr, ia.addr, 16);
		a->has_addr = 1;
	}
	(void)dhcp6_msg_u8(m, DHCP6_O_PREFERENCE, &a->pref);
	cl_init(&cl);
	(void)cl_from_dhcp6(&cl, m);   /* a malformed CableLabs part scores as absent */
	a->score = offer_score(&c->req, &cl);
	c->n_adv++;
	trace_step(c->trace, "CM2v6", "ok", "advertise=%u score=%u pref=%u", c->n_adv, a->score, a->pref);
	/* RFC 3315 17.1.2: preference 255, or any ADVERTISE after the first RT, is taken at once */
	if (a->pref == 255 || c->rt.count > 1)
		cm6_choose(c);
}

static void cm6_lease_from_reply(struct cm6 *c, const struct dhcp6_msg *m, const struct dhcp6_ia_na *ia)
{
	struct cm6_lease *l = &c->lease;
	uint8_t dns[2][16];
	const uint8_t *v;
	int n;

	memcpy(l->addr, ia->addr, 16);
	l->preferred = ia->preferred;
	l->valid = ia->valid;
	/* RFC 3315 22.4: T1/T2 of 0 leave the times to the client (0.5, 0.8) */
	l->t1 = ia->t1 ? ia->t1 : ia->preferred / 2;
	l->t2 = ia->t2 ? ia->t2 : ia->preferred / 5 * 4;
	if (l->t1 > l->t2)
		l->t1 = l->t2;
	l->bound_ms = clock_mono_ms();
	n = dhcp6_msg_opt(m, DHCP6_O_SERVERID, &v);
	if (n > 0 && n <= DHCP6_DUID_MAX) {
		memcpy(l->srvid, v, (size_t)n);
		l->srvid_len = (uint16_t)n;
	}
	/* CM4v6: the REPLY's options are authoritative over the ADVERTISE's */
	cl_init(&l->cl);
	l->vendor_len = 0;
	n = dhcp6_vendor_opts(m, CL_ENTERPRISE, &v);
	if (n > 0 && (size_t)n <= sizeof(l->vendor)) {
		memcpy(l->vendor, v, (size_t)n);
		l->vendor_len = (uint16_t)n;
	}
	if (cl_from_dhcp6(&l->cl, m) < 0)
		log_warnx("cm6: REPLY's CableLabs options are malformed; using what decoded");
	l->n_dns = 0;
	n = dhcp6_msg_opt(m, DHCP6_O_DNS, &v);
	if (n > 0) {
		int k = dhcp6_addrs(v, (size_t)n, dns, 2);

		if (k > 0) {
			memcpy(l->dns, dns, (size_t)k * 16);
			l->n_dns = (unsigned)k;
		}
	}
}

static void cm6_on_reply(struct cm6 *c, const struct dhcp6_msg *m)
{
	struct dhcp6_ia_na ia;
	const uint8_t *v;
	uint16_t st;
	int n;

	if (dhcp6_msg_status(m, &st) == 0 && st != DHCP6_ST_SUCCESS) {
		log_warnx("cm6: REPLY status %u in %s", st, cm6_state_str(c->state));
		if (c->state == CM6_REQUEST)
			cm6_transition(c, CM6_SOLICIT);   /* RFC 3315 18.1.8: try another server */
		return;
	}
	n = dhcp6_msg_opt(m, DHCP6_O_IA_NA, &v);
	if (n <= 0 || dhcp6_ia_na_decode(v, (size_t)n, &ia) < 0 || !ia.has_addr || ia.valid == 0 ||
	    (ia.has_status && ia.status != DHCP6_ST_SUCCESS) ||
	    (ia.has_addr_status && ia.addr_status != DHCP6_ST_SUCCESS)) {
		log_warnx("cm6: REPLY without a usable address in %s", cm6_state_str(c->state));
		if (c->state == CM6_REQUEST)
			cm6_transition(c, CM6_SOLICIT);
		return;
	}
	cm6_lease_from_reply(c, m, &ia);
	/* a new address is checked by DAD before use; a renewed one is known good */
	cm6_transition(c, c->state == CM6_REQUEST ? CM6_DAD : CM6_BOUND);
}

void cm6_input(struct cm6 *c, const uint8_t *buf, size_t len)
{
	struct dhcp6_msg m;
	int rc = dhcp6_decode(&m, buf, len);

	if (rc < 0) {
		c->dropped++;
		log_debug("cm6: dropped a malformed message: %s at %zu", err_str(rc), m.err_off);
		return;
	}
	if (m.xid != c->xid || !cm6_for_us(c, &m)) {
		c->dropped++;
		return;
	}
	if (m.type == DHCP6_ADVERTISE && c->state == CM6_SOLICIT)
		cm6_on_advertise(c, &m);
	else if (m.type == DHCP6_REPLY && c->state == CM6_DECLINE)
		cm6_transition(c, CM6_SOLICIT);   /* RFC 3315 18.1.8: the decline is done */
	else if (m.type == DHCP6_REPLY &&
		 (c->state == CM6_REQUEST || c->state == CM6_RENEW || c->state == CM6_REBIND))
		cm6_on_reply(c, &m);
	else
		c->dropped++;
}

void cm6_on_readable(void *arg, int fd, unsigned events)
{
	struct cm6 *c = arg;
	uint8_t buf[CM6_PKT_MAX];
	ssize_t n;

	(void)events;
	while ((n = net_udp_recv(fd, buf, sizeof(buf), NULL, NULL)) != E_AGAIN) {
		if (n < 0) {
			c->dropped++;
			if (n != E_OVERFLOW)
				return;
			continue;
		}
		cm6_input(c, buf, (size_t)n);
	}
}

/* ---------------------------------------------------------------- states */

static void cm6_renew_params(struct cm6 *c, struct retx_param *p, uint32_t until_s)
{
	uint64_t now_s = (clock_mono_ms() - c->lease.bound_ms) / 1000;

	*p = cm6_retx_renew_base;
	p->mrd_ms = until_s > now_s ? (uint32_t)((until_s - now_s) * 1000) : 1;
}

static void cm6_timeout(void *arg)
{
	struct cm6 *c = arg;
	uint64_t now = clock_mono_ms();

	switch (c->state) {
	case CM6_SOLICIT:
		if (c->n_adv > 0) {
			cm6_choose(c);
			return;
		}
		cm6_xmit(c, DHCP6_SOLICIT);   /* RFC 3315 17.1.2: no MRC, no MRD */
		break;
	case CM6_HOLDOFF:
		c->retries++;
		cm6_transition(c, CM6_SOLICIT);
		break;
	case CM6_REQUEST:
		if (retx_expired(&c->rt, now)) {
			log_warnx("cm6: no REPLY to REQUEST; back to SOLICIT (RFC 3315 18.1.1)");
			cm6_transition(c, CM6_SOLICIT);
		} else {
			cm6_xmit(c, DHCP6_REQUEST);
		}
		break;
	case CM6_DAD: {
		enum nl_dad st = NL_DAD_OK;

		if (c->install_addr && nl_addr_dad(c->ifindex, AF_INET6, c->lease.addr, &st) < 0)
			st = NL_DAD_OK;   /* cannot ask: proceed as a kernel without DAD would */
		/* A duplicate: the kernel marks the address dadfailed, or, as it does
		 * for an address with finite lifetimes, deletes it (RFC 4862 5.4.5). */
		if (st == NL_DAD_FAILED || (st == NL_DAD_NONE && c->install_addr)) {
			trace_step(c->trace, "CM4v6", "dad-failed", "declines=%u", c->declines + 1);
			cm6_transition(c, CM6_DECLINE);
		} else if (st == NL_DAD_TENTATIVE && now - c->dad_start_ms < CM6_DAD_MAX_MS) {
			loop_timer_arm(c->loop, &c->timer, nl_dad_poll_ms(now - c->dad_start_ms, CM6_DAD_POLL_MS));
		} else {
			cm6_transition(c, CM6_BOUND);
		}
		break;
	}
	case CM6_DECLINE:
		if (retx_expired(&c->rt, now))
			cm6_transition(c, CM6_SOLICIT);
		else
			cm6_xmit(c, DHCP6_DECLINE);
		break;
	case CM6_BOUND:
		cm6_transition(c, CM6_RENEW);
		break;
	case CM6_RENEW:
		if (retx_expired(&c->rt, now))
			cm6_transition(c, CM6_REBIND);
		else
			cm6_xmit(c, DHCP6_RENEW);
		break;
	case CM6_REBIND:
		if (retx_expired(&c->rt, now)) {
			log_warnx("cm6: lease expired");
			if (c->install_addr)
				nl_addr_del(c->ifindex, AF_INET6, c->lease.addr, 128);
			if (c->event)
				c->event(c->arg, c, 0);
			c->retries = 0;
			cm6_transition(c, CM6_SOLICIT);
		} else {
			cm6_xmit(c, DHCP6_REBIND);
		}
		break;
	default:
		break;
	}
}

/*
 * The one place that changes state: entry actions and the single timer
 * (after OpenBSD dhcpleased's state_transition()).
 */
static void cm6_transition(struct cm6 *c, enum cm6_state next)
{
	enum cm6_state prev = c->state;
	uint64_t now = clock_mono_ms();

	c->state = next;
	loop_timer_cancel(c->loop, &c->timer);
	log_debug("cm6: %s: %s -> %s after %llu ms", c->ifname, cm6_state_str(prev), cm6_state_str(next),
		  (unsigned long long)(now - c->step_start_ms));
	c->step_start_ms = now;
	switch (next) {
	case CM6_SOLICIT:
		c->n_adv = 0;
		cm6_new_exchange(c, &cm6_retx_solicit);
		trace_step(c->trace, "CM1v6", "sent", "if=%s", c->ifname);
		cm6_xmit(c, DHCP6_SOLICIT);
		break;
	case CM6_HOLDOFF:
		/* the caller arms the 2/4/8 s timer */
		break;
	case CM6_REQUEST:
		/* RFC 3315 18.1.1: a new transaction id for the REQUEST */
		cm6_new_exchange(c, &cm6_retx_request);
		cm6_xmit(c, DHCP6_REQUEST);
		break;
	case CM6_DAD:
		/* RFC 3315 18.1.8 / RFC 4862 5.4: the address is tentative until DAD ends */
		c->dad_start_ms = now;
		if (c->install_addr &&
		    nl_addr_add(c->ifindex, AF_INET6, c->lease.addr, 128, c->lease.valid,
				c->lease.preferred, 0) < 0)
			log_warn("cm6: cannot add the leased address to %s", c->ifname);
		/* the first look at once, then nl_dad_poll_ms() while tentative */
		loop_timer_arm(c->loop, &c->timer, 0);
		break;
	case CM6_DECLINE:
		c->declines++;
		if (c->install_addr)
			nl_addr_del(c->ifindex, AF_INET6, c->lease.addr, 128);
		cm6_new_exchange(c, &cm6_retx_decline);
		cm6_xmit(c, DHCP6_DECLINE);
		break;
	case CM6_BOUND: {
		char a[64];
		struct net_addr na = { .family = AF_INET6 };

		memcpy(na.addr, c->lease.addr, 16);
		na.port = 0;
		trace_step(c->trace, cm6_step[prev], "ok", "addr=%s t1=%u t2=%u valid=%u cl_fields=0x%x dad_ms=%llu",
			   net_ip_str(&na, a, sizeof(a)), c->lease.t1, c->lease.t2, c->lease.valid,
			   c->lease.cl.present,
			   prev == CM6_DAD ? (unsigned long long)(now - c->dad_start_ms) : 0ULL);
		/* a renewal refreshes the lifetimes of the address */
		if (prev != CM6_DAD && c->install_addr &&
		    nl_addr_add(c->ifindex, AF_INET6, c->lease.addr, 128, c->lease.valid,
				c->lease.preferred, 1) < 0)
			log_warn("cm6: cannot refresh the leased address on %s", c->ifname);
		c->retries = 0;
		if (c->lease.t1 != 0xffffffffu)
			loop_timer_arm(c->loop, &c->timer,
				       c->lease.t1 > 4000000u ? 4000000000u : c->lease.t1 * 1000u);
		if (c->event)
			c->event(c->arg, c, 1);
		break;
	}
	case CM6_RENEW:
		/* RFC 3315 18.1.3: MRD = the remaining time until T2 */
		cm6_renew_params(c, &c->renew_p, c->lease.t2);
		cm6_new_exchange(c, &c->renew_p);
		cm6_xmit(c, DHCP6_RENEW);
		break;
	case CM6_REBIND:
		/* RFC 3315 18.1.4: MRD = the remaining valid lifetime */
		cm6_renew_params(c, &c->renew_p, c->lease.valid);
		cm6_new_exchange(c, &c->renew_p);
		cm6_xmit(c, DHCP6_REBIND);
		break;
	default:
		break;
	}
}

void cm6_init(struct cm6 *c, struct loop *l, const char *ifname, unsigned ifindex,
	      const uint8_t mac[6], enum board_ip cap, cm6_event_fn *event, void *arg)
{
	memset(c, 0, sizeof(*c));
	c->loop = l;
	c->ifname = ifname;
	c->ifindex = ifindex;
	memcpy(c->mac, mac, 6);
	offer_req_from_cap(cap, &c->req);
	c->event = event;
	c->arg = arg;
	c->fd = -1;
	/* DUID-LL of the CM MAC (RFC 3315 9.4): stable across reboots, no clock */
	c->duid_len = (uint16_t)dhcp6_duid_ll(c->duid, sizeof(c->duid), 1, mac, 6);
	c->iaid = load_be32(mac + 2);
	loop_timer_init(&c->timer, cm6_timeout, c);
}

int cm6_start(struct cm6 *c)
{
	struct net_addr b;

	memset(&b, 0, sizeof(b));
	b.family = AF_INET6;
	b.port = 546;
	c->fd = net_udp_open(&b, c->ifname, NET_REUSE | NET_MCAST_HOPS1);
	if (c->fd < 0)
		return c->fd;
	loop_watch_fd(c->loop, c->fd, LOOP_IN, cm6_on_readable, c);
	c->step_start_ms = clock_mono_ms();
	cm6_transition(c, CM6_SOLICIT);
	return 0;
}

void cm6_stop(struct cm6 *c)
{
	loop_timer_cancel(c->loop, &c->timer);
	net_close_watched(c->loop, &c->fd);
	c->state = CM6_INIT;
}
