/*
 * eue_dhcp6.c: the eUE's DHCPv6 client state machine, Table 5 eUE-1 ..
 * eUE-4 and 6.3.5 (eue_dhcp6.h).  May use tlv/ and platform/; never ecm/.
 *
 * Trace lines use step names "eUE-N/<what>" for the client's own detail
 * (each ADVERTISE, DAD, renewals), so that the flow engine's "eUE-N" rows,
 * driven by the events, stay one per step.
 */
#include "eue/eue_dhcp6.h"

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

/* RFC 3315 5.5: SOL_TIMEOUT 1 s, SOL_MAX_RT 120 s; first RT > IRT (17.1.2);
 * MRC is ours (ED6_SOLICIT_MRC, see the header). */
static const struct retx_param ed6_retx_solicit_base = {
	.irt_ms = 1000, .mrt_ms = 120000, .mrc = ED6_SOLICIT_MRC, .jitter_permille = 100,
	.first_positive = 1,
};
/* RFC 3315 5.5: REQ_TIMEOUT 1 s, REQ_MAX_RT 30 s, REQ_MAX_RC 10 */
const struct retx_param ed6_retx_request = {
	.irt_ms = 1000, .mrt_ms = 30000, .mrc = 10, .jitter_permille = 100,
};
/* RFC 3315 5.5: DEC_TIMEOUT 1 s, DEC_MAX_RC 5 */
const struct retx_param ed6_retx_decline = {
	.irt_ms = 1000, .mrc = 5, .jitter_permille = 100,
};
/* RFC 3315 5.5: REN_TIMEOUT / REB_TIMEOUT 10 s, MAX_RT 600 s; MRD per lease */
static const struct retx_param ed6_retx_renew_base = {
	.irt_ms = 10000, .mrt_ms = 600000, .jitter_permille = 100,
};

static const char *const ed6_state_names[ED6__COUNT] = {
	[ED6_INIT] = "init", [ED6_SOLICIT] = "solicit", [ED6_REQUEST] = "request",
	[ED6_DAD] = "dad", [ED6_DECLINE] = "decline", [ED6_BOUND] = "bound",
	[ED6_RENEW] = "renew", [ED6_REBIND] = "rebind", [ED6_FAILED] = "failed",
	[ED6_DISABLED] = "disabled",
};
_Static_assert(sizeof(ed6_state_names) / sizeof(ed6_state_names[0]) == ED6__COUNT, "state names");

static const char *const ed6_event_names[ED6_EV__COUNT] = {
	[ED6_EV_SOLICIT_SENT] = "solicit-sent", [ED6_EV_SELECTED] = "selected",
	[ED6_EV_REQUEST_SENT] = "request-sent", [ED6_EV_BOUND] = "bound",
	[ED6_EV_FAILED] = "failed", [ED6_EV_DISABLED] = "disabled",
	[ED6_EV_RENEWED] = "renewed", [ED6_EV_LOST] = "lost",
};

static const char *const ed6_invalid_names[ED6_INV__COUNT] = {
	[ED6_VALID] = "valid", [ED6_INV_NO_SERVERID] = "no-server-id",
	[ED6_INV_NO_ADDR] = "no-address", [ED6_INV_NO_CCCV6] = "no-cccv6",
	[ED6_INV_SUB1] = "cccv6-sub1", [ED6_INV_SUB3] = "cccv6-sub3",
	[ED6_INV_SUB6] = "cccv6-sub6", [ED6_INV_DSS_ID] = "dss-id-mismatch",
};

static const char *const ed6_class_names[] = {
	[ED6_CL_SECURE] = "secure", [ED6_CL_HYBRID] = "hybrid", [ED6_CL_BASIC] = "basic",
	[ED6_CL_DISABLED] = "disabled",
};

/* ff02::1:2, All_DHCP_Relay_Agents_and_Servers (RFC 3315 5.1) */
static const uint8_t all_dhcp_agents[16] = { 0xff, 0x02, [13] = 0x01, [15] = 0x02 };

const char *ed6_state_str(enum ed6_state s)
{
	return (unsigned)s < ED6__COUNT ? ed6_state_names[s] : "?";
}

const char *ed6_event_str(enum ed6_event e)
{
	return (unsigned)e < ED6_EV__COUNT ? ed6_event_names[e] : "?";
}

const char *ed6_invalid_str(enum ed6_invalid r)
{
	return (unsigned)r < ED6_INV__COUNT ? ed6_invalid_names[r] : "?";
}

static void ed6_transition(struct ed6 *c, enum ed6_state next);

static void ed6_emit(struct ed6 *c, enum ed6_event ev, const char *detail)
{
	log_debug("ed6: %s: event %s%s%s", c->cfg.ifname, ed6_event_str(ev), detail ? ": " : "",
		  detail ? detail : "");
	if (c->event)
		c->event(c->arg, c, ev, detail);
}

/* ---------------------------------------------------------------- messages */

/* Annex A: 5.1 = 2 (PacketCable 2.0), 5.3, 5.4 and 5.26 must be present;
 * the bytes are capabilities.md's tshark-verified worked example, except
 * 5.26 = 1: certificate bootstrapping is built (eue/eue_cb.c). */
void ed6_default_caps(struct capab *caps)
{
	capab_init(caps);
	(void)capab_add_u8(caps, CAPAB_PKTC_VERSION, 2);
	(void)capab_add_u8(caps, CAPAB_NUM_ENDPOINTS, 2);
	(void)capab_add_u8(caps, CAPAB_TGT, 1);
	(void)capab_add_u8(caps, CAPAB_HTTP_DL, 1);
	(void)capab_add_u16(caps, CAPAB_PROV_FLOWS,
			    CAPAB_FLOW_SECURE | CAPAB_FLOW_HYBRID | CAPAB_FLOW_BASIC);
	(void)capab_add_u8(caps, CAPAB_CERT_BOOTSTRAP, 1);   /* 6.6.5, eue/eue_cb.c */
}

static void put_text(struct wr *w, uint16_t code, const char *s)
{
	dhcp6_put_opt(w, code, s ? s : "", s ? strlen(s) : 0);
}

/*
 * eUE-1's options; eUE-3: the REQUEST asks for the same; 6.3.5: RENEW and
 * REBIND carry the last known FQDN.  DECLINE carries only what RFC 3315
 * 18.1.7 asks (client id, server id, IA_NA with the address).
 */
static int ed6_build(struct ed6 *c, enum dhcp6_type type, uint8_t *buf, size_t cap)
{
	/* Table 5 eUE-1: ORO 39, 23 */
	static const uint16_t oro[] = { DHCP6_O_FQDN, DHCP6_O_DNS };
	/* Table 5 eUE-1: CL_OPTION_ORO 32, 33, 34, 2171 */
	static const uint16_t cl_oro[] = { CL_V6_TFTP, CL_V6_CFG_FILE, CL_V6_SYSLOG, CL_V6_CCCV6 };
	const struct ed6_config *g = &c->cfg;
	const struct ed6_lease *l = &c->lease;
	uint64_t el = (clock_mono_ms() - c->exch_start_ms) / 10;
	size_t at, oat;
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
		dhcp6_put_ia_na(&w, c->iaid, 0, 0, c->adv[c->chosen].addr, 0, 0);
	else
		dhcp6_put_ia_na(&w, c->iaid, 0, 0, l->addr, 0, 0);
	if (type == DHCP6_DECLINE)
		goto end;
	/* eUE-1: FQDN with an empty name, S=1 N=0 O=0 (RFC 4704 4.1);
	 * 6.3.5: RENEW/REBIND send the last known FQDN */
	dhcp6_put_fqdn(&w, DHCP6_FQDN_S,
		       (type == DHCP6_RENEW || type == DHCP6_REBIND) ? l->fqdn : "");
	dhcp6_put_oro(&w, oro, sizeof(oro) / sizeof(oro[0]));
	dhcp6_put_vendor_class(&w, DHCP6_ENTERPRISE_CL, "pktc2.0");
	at = dhcp6_vendor_open(&w, DHCP6_ENTERPRISE_CL);
	oat = dhcp6_open(&w, CL_V6_ORO);
	for (size_t i = 0; i < sizeof(cl_oro) / sizeof(cl_oro[0]); i++)
		wr_u16(&w, cl_oro[i]);
	dhcp6_close(&w, oat);
	/* 2 before 35: Wireshark decodes 35 as eUE capabilities after "EDVA"
	 * (capabilities.md §1) */
	put_text(&w, CL_V6_DEVICE_TYPE, g->device_type ? g->device_type : "EDVA");
	put_text(&w, 4, g->serial);       /* CL_OPTION_DEVICE_SERIAL_NUMBER */
	put_text(&w, 5, g->hw_version);   /* CL_OPTION_HARDWARE_VERSION_NUMBER */
	put_text(&w, 6, g->sw_version);   /* CL_OPTION_SOFTWARE_VERSION_NUMBER */
	put_text(&w, 7, g->boot_rom);     /* CL_OPTION_BOOT_ROM_VERSION */
	dhcp6_put_opt(&w, 8, g->oui, 3);  /* CL_OPTION_VENDOR_OUI: 3 bytes (dhcp-options.md §5) */
	put_text(&w, 9, g->model);        /* CL_OPTION_MODEL_NUMBER */
	put_text(&w, 10, g->vendor);      /* CL_OPTION_VENDOR_NAME */
	oat = dhcp6_open(&w, CL_V6_CAPS); /* 6.6.1: binary sub-TLVs, no outer 05/len */
	capab_bin_build(&c->caps, &w);
	dhcp6_close(&w, oat);
	dhcp6_put_opt(&w, CL_V6_DEVICE_ID, g->mac, 6);   /* eUE MAC */
	dhcp6_close(&w, at);
	/* no Rapid Commit (Table 5 eUE-1: the four-message exchange) */
end:
	return w.err ? w.err : (int)w.len;
}

static void ed6_send(struct ed6 *c, enum dhcp6_type type)
{
	uint8_t buf[ED6_PKT_MAX];
	struct net_addr to;
	int n = ed6_build(c, type, buf, sizeof(buf));

	if (n < 0) {
		log_warnx("ed6: cannot build %s: %s", dhcp6_type_str(type), err_str(n));
		return;
	}
	memset(&to, 0, sizeof(to));
	to.family = AF_INET6;
	memcpy(to.addr, all_dhcp_agents, 16);
	to.port = 547;
	to.ifindex = c->cfg.ifindex;
	n = net_udp_send(c->fd, buf, (size_t)n, &to);
	if (n < 0)   /* retried by the timer */
		log_warnx("ed6: send %s on %s: %s", dhcp6_type_str(type), c->cfg.ifname, err_str(n));
	log_debug("ed6: sent %s xid %06x", dhcp6_type_str(type), c->xid);
}

/* Send now and arm the timer for the next transmission. */
static void ed6_xmit(struct ed6 *c, enum dhcp6_type type)
{
	uint32_t wait;

	ed6_send(c, type);
	if (retx_next(&c->rt, clock_mono_ms(), rand_u32(), &wait) < 0)
		wait = 0;   /* MRD already passed: the timer ends the exchange */
	loop_timer_arm(c->loop, &c->timer, wait);
}

static void ed6_new_exchange(struct ed6 *c, const struct retx_param *p)
{
	c->xid = rand_u32() & 0xffffff;
	c->exch_start_ms = clock_mono_ms();
	retx_start(&c->rt, p, c->exch_start_ms);
}

/* ---------------------------------------------------------------- eUE-3's rule */

/* An address the eUE can be managed at: not ::, loopback, link-local or
 * multicast (eUE-3: a link-local-only offer is not valid). */
static int ed6_addr_global(const uint8_t a[16])
{
	static const uint8_t zero[15];

	if (a[0] == 0xff)
		return 0;
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
		return 0;
	if (memcmp(a, zero, 15) == 0 && (a[15] == 0 || a[15] == 1))
		return 0;
	return 1;
}

/* 6.3.2.2 / 6.4.1.4: the ADVERTISE's sub-option 1 must equal one of the
 * eCM's DSS_IDs (first 32 bytes), unless the eCM got FFFFFFFF. */
static int ed6_dss_ok(const struct ed6_config *g, const struct cl_dss *d)
{
	if (g->dss_any)
		return 1;
	for (unsigned i = 0; i < g->n_dss && i < ED6_DSS_MAX; i++)
		if (g->dss[i].len == d->len && memcmp(g->dss[i].id, d->id, d->len) == 0)
			return 1;
	return 0;
}

enum ed6_invalid ed6_check(const struct ed6_config *cfg, const struct dhcp6_msg *m,
			   struct dhcp6_ia_na *ia, struct cl_opts *cl, enum ed6_class *cls)
{
	const uint8_t *v;
	uint16_t st;
	int n;

	n = dhcp6_msg_opt(m, DHCP6_O_SERVERID, &v);
	if (n <= 0 || n > DHCP6_DUID_MAX)
		return ED6_INV_NO_SERVERID;
	/* RFC 3315 17.1.3 NoAddrsAvail, and eUE-3: no (global) address, not valid */
	if (dhcp6_msg_status(m, &st) == 0 && st != DHCP6_ST_SUCCESS)
		return ED6_INV_NO_ADDR;
	memset(ia, 0, sizeof(*ia));
	n = dhcp6_msg_opt(m, DHCP6_O_IA_NA, &v);
	if (n <= 0 || dhcp6_ia_na_decode(v, (size_t)n, ia) < 0 || !ia->has_addr || ia->valid == 0 ||
	    (ia->has_status && ia->status != DHCP6_ST_SUCCESS) ||
	    (ia->has_addr_status && ia->addr_status != DHCP6_ST_SUCCESS) || !ed6_addr_global(ia->addr))
		return ED6_INV_NO_ADDR;
	/* eUE-3: CL_OPTION_CCCV6 with valid sub-options 1, 3 and 6 */
	cl_init(cl);
	if (cl_from_dhcp6(cl, m) < 0 || !cl_has(cl, CL_F_CCCV6) || (cl->bad >> CL_F_CCCV6 & 1u))
		return ED6_INV_NO_CCCV6;
	if (!cl_has(cl, CL_F_DSS_PRI) || cl->dss_pri.len == 0)
		return ED6_INV_SUB1;
	if (!cl_has(cl, CL_F_PROV_SRV) || cl->prov.kind == CL_PROV_NONE)
		return ED6_INV_SUB3;
	if (!cl_has(cl, CL_F_REALM) || cl_flow_of(cl->realm.name) == CL_FLOW_NONE)
		return ED6_INV_SUB6;
	/* 6.4.1.4: only sub-option 1 identifies the server; 2 is ignored */
	if (!ed6_dss_ok(cfg, &cl->dss_pri))
		return ED6_INV_DSS_ID;
	/* eUE-3 priority: "0.0.0.0" last, then Secure, Hybrid, Basic (the
	 * indicators are in sub-option 6: open-questions A.9) */
	if (cl_prov_disabled(&cl->prov)) {
		*cls = ED6_CL_DISABLED;
	} else {
		switch (cl_flow_of(cl->realm.name)) {
		case CL_FLOW_HYBRID1:
		case CL_FLOW_HYBRID2:
			*cls = ED6_CL_HYBRID;
			break;
		case CL_FLOW_BASIC1:
		case CL_FLOW_BASIC2:
			*cls = ED6_CL_BASIC;
			break;
		default:
			*cls = ED6_CL_SECURE;
			break;
		}
	}
	return ED6_VALID;
}

/* ---------------------------------------------------------------- input */

/* Take the leased address off the interface (when we put it there). */
static void ed6_addr_remove(struct ed6 *c)
{
	if (c->addr_installed)
		nl_addr_del(c->cfg.ifindex, AF_INET6, c->lease.addr, 128);
	c->addr_installed = 0;
}

/* A terminal report: the state stops, then the engine hears it (it may
 * call ed6_start() from the callback). */
static void ed6_finish(struct ed6 *c, enum ed6_state st, enum ed6_event ev, const char *why)
{
	c->reason = why;
	ed6_transition(c, st);
	ed6_emit(c, ev, why);
}

/* eUE-3: the best valid ADVERTISE; only "0.0.0.0" ones -> disabled. */
static void ed6_select(struct ed6 *c)
{
	unsigned best = ED6_ADV_MAX;

	for (unsigned i = 0; i < c->n_adv; i++) {
		const struct ed6_adv *a = &c->adv[i], *b;

		if (a->cls == ED6_CL_DISABLED)
			continue;
		if (best == ED6_ADV_MAX) {
			best = i;
			continue;
		}
		b = &c->adv[best];
		/* class first (eUE-3), then option 7 (RFC 3315 17.1.3), then arrival */
		if (a->cls < b->cls || (a->cls == b->cls && a->pref > b->pref))
			best = i;
	}
	if (best == ED6_ADV_MAX) {
		/* eUE-3: "MUST NOT continue any further in the DHCP process, and
		 * disable itself until reinitialized" */
		trace_step(c->cfg.trace, "eUE-3/select", "disabled", "advertises=%u", c->n_adv);
		ed6_finish(c, ED6_DISABLED, ED6_EV_DISABLED, "provisioning server 0.0.0.0");
		return;
	}
	c->chosen = best;
	trace_step(c->cfg.trace, "eUE-3/select", "ok", "chosen=%u/%u class=%s pref=%u invalid=%u",
		   best + 1, c->n_adv, ed6_class_names[c->adv[best].cls], c->adv[best].pref,
		   c->n_invalid);
	ed6_emit(c, ED6_EV_SELECTED, NULL);
	if (c->state != ED6_SOLICIT)
		return;   /* the callback stopped or restarted us */
	ed6_transition(c, ED6_REQUEST);
}

/* Does the message carry our client id?  (RFC 3315 15.3/15.10) */
static int ed6_for_us(const struct ed6 *c, const struct dhcp6_msg *m)
{
	const uint8_t *v;
	int n = dhcp6_msg_opt(m, DHCP6_O_CLIENTID, &v);

	return n == c->duid_len && memcmp(v, c->duid, (size_t)n) == 0;
}

static void ed6_on_advertise(struct ed6 *c, const struct dhcp6_msg *m)
{
	struct dhcp6_ia_na ia;
	struct cl_opts cl;
	enum ed6_class cls = ED6_CL_DISABLED;
	enum ed6_invalid why = ed6_check(&c->cfg, m, &ia, &cl, &cls);
	struct ed6_adv *a;
	const uint8_t *v;
	int n;

	if (why != ED6_VALID) {
		c->n_invalid++;
		c->last_invalid = why;
		trace_step(c->cfg.trace, "eUE-2/advertise", "invalid", "reason=%s", ed6_invalid_str(why));
		return;
	}
	if (c->n_adv == ED6_ADV_MAX) {
		c->dropped++;
		return;
	}
	a = &c->adv[c->n_adv];
	memset(a, 0, sizeof(*a));
	n = dhcp6_msg_opt(m, DHCP6_O_SERVERID, &v);   /* ed6_check: 1..DUID_MAX */
	memcpy(a->srvid, v, (size_t)n);
	a->srvid_len = (uint16_t)n;
	memcpy(a->addr, ia.addr, 16);
	(void)dhcp6_msg_u8(m, DHCP6_O_PREFERENCE, &a->pref);
	a->cls = (uint8_t)cls;
	a->seq = c->n_adv;
	c->n_adv++;
	trace_step(c->cfg.trace, "eUE-2/advertise", "valid", "n=%u class=%s pref=%u", c->n_adv,
		   ed6_class_names[cls], a->pref);
	/* RFC 3315 17.1.2: preference 255, or any ADVERTISE after the first
	 * RT, ends the collection at once (a "0.0.0.0" offer does not cut
	 * short the wait for a usable one) */
	if ((a->pref == 255 && cls != ED6_CL_DISABLED) || c->rt.count > 1)
		ed6_select(c);
}

static void ed6_copy_dns(const struct dhcp6_msg *m, uint8_t (*dns)[16], unsigned *n_dns)
{
	const uint8_t *v;
	int n = dhcp6_msg_opt(m, DHCP6_O_DNS, &v), k;

	*n_dns = 0;
	if (n > 0 && (k = dhcp6_addrs(v, (size_t)n, dns, ED6_ADDRS_MAX)) > 0)
		*n_dns = (unsigned)k;
}

/* eUE-4: the REPLY is authoritative over the ADVERTISE. */
static void ed6_lease_from_reply(struct ed6 *c, const struct dhcp6_msg *m, const struct dhcp6_ia_na *ia,
				 const struct cl_opts *cl)
{
	struct ed6_lease *l = &c->lease;
	const uint8_t *v;
	int n;

	memset(l, 0, sizeof(*l));
	memcpy(l->addr, ia->addr, 16);
	l->preferred = ia->preferred;
	l->valid = ia->valid;
	/* RFC 3315 22.4: T1/T2 of 0 leave the times to the client (0.5, 0.8) */
	l->t1 = ia->t1 ? ia->t1 : ia->preferred / 2;
	l->t2 = ia->t2 ? ia->t2 : ia->preferred / 5 * 4;
	if (l->t1 > l->t2)
		l->t1 = l->t2;
	l->bound_ms = clock_mono_ms();
	n = dhcp6_msg_opt(m, DHCP6_O_SERVERID, &v);   /* ed6_check: 1..DUID_MAX */
	memcpy(l->srvid, v, (size_t)n);
	l->srvid_len = (uint16_t)n;
	l->cl = *cl;
	l->flow = (uint8_t)cl_flow_of(cl->realm.name);
	ed6_copy_dns(m, l->dns, &l->n_dns);
	/* 6.3.5: the FQDN the server gave is what RENEW/REBIND send back */
	n = dhcp6_msg_opt(m, DHCP6_O_FQDN, &v);
	if (n > 1 && dnsname_decode(v + 1, (size_t)n - 1, l->fqdn, sizeof(l->fqdn), NULL) < 0)
		l->fqdn[0] = '\0';
}

static int ed6_addrs_differ(const uint8_t (*a)[16], unsigned na, const uint8_t (*b)[16], unsigned nb)
{
	return na != nb || (na > 0 && memcmp(a, b, (size_t)na * 16) != 0);
}

/* 6.3.5, DHCPv6: the renewal REPLY. */
static void ed6_on_renew_reply(struct ed6 *c, const struct dhcp6_msg *m)
{
	struct ed6_lease *l = &c->lease;
	struct dhcp6_ia_na ia;
	struct cl_opts cl;
	uint8_t dns[ED6_ADDRS_MAX][16];
	unsigned n_dns;
	const uint8_t *v;
	uint16_t st;
	int n;

	if (dhcp6_msg_status(m, &st) == 0 && st != DHCP6_ST_SUCCESS) {
		/* RFC 3315 18.1.8: keep retransmitting until T2 / the valid lifetime */
		c->dropped++;
		return;
	}
	memset(&ia, 0, sizeof(ia));
	n = dhcp6_msg_opt(m, DHCP6_O_IA_NA, &v);
	if (n <= 0 || dhcp6_ia_na_decode(v, (size_t)n, &ia) < 0 || !ia.has_addr || ia.valid == 0 ||
	    (ia.has_status && ia.status != DHCP6_ST_SUCCESS) ||
	    (ia.has_addr_status && ia.addr_status != DHCP6_ST_SUCCESS)) {
		/* the server no longer binds our address: as good as a changed one */
		ed6_addr_remove(c);
		trace_step(c->cfg.trace, "eUE-4/renew", "lost", "reason=no-binding");
		ed6_finish(c, ED6_FAILED, ED6_EV_LOST, "renewal without our address");
		return;
	}
	if (memcmp(ia.addr, l->addr, 16) != 0) {
		/* 6.3.5: a different IA address -> reinitialise, start from eUE-1 */
		ed6_addr_remove(c);
		trace_step(c->cfg.trace, "eUE-4/renew", "lost", "reason=address-changed");
		ed6_finish(c, ED6_FAILED, ED6_EV_LOST, "address changed");
		return;
	}
	c->changed = 0;
	l->preferred = ia.preferred;
	l->valid = ia.valid;
	l->t1 = ia.t1 ? ia.t1 : ia.preferred / 2;
	l->t2 = ia.t2 ? ia.t2 : ia.preferred / 5 * 4;
	if (l->t1 > l->t2)
		l->t1 = l->t2;
	l->bound_ms = clock_mono_ms();
	n = dhcp6_msg_opt(m, DHCP6_O_SERVERID, &v);   /* a REBIND may reach another server */
	if (n > 0 && n <= DHCP6_DUID_MAX) {
		memcpy(l->srvid, v, (size_t)n);
		l->srvid_len = (uint16_t)n;
	}
	/* 6.3.5: new DNS (23) and syslog (CL 34) servers are used at once */
	ed6_copy_dns(m, dns, &n_dns);
	if (ed6_addrs_differ((const uint8_t (*)[16])dns, n_dns, (const uint8_t (*)[16])l->dns, l->n_dns)) {
		memcpy(l->dns, dns, sizeof(dns));
		l->n_dns = n_dns;
		c->changed |= ED6_CHG_DNS;
	}
	cl_init(&cl);
	(void)cl_from_dhcp6(&cl, m);   /* what decoded counts */
	if (ed6_addrs_differ((const uint8_t (*)[16])cl.syslog6.a, cl.syslog6.n,
			     (const uint8_t (*)[16])l->cl.syslog6.a, l->cl.syslog6.n)) {
		l->cl.syslog6 = cl.syslog6;
		if (cl_has(&cl, CL_F_SYSLOG6))
			cl_set(&l->cl, CL_F_SYSLOG6);
		else
			l->cl.present &= ~(1u << CL_F_SYSLOG6);
		c->changed |= ED6_CHG_SYSLOG;
	}
	/* 6.3.5: every other difference (CCCv6, 32, 33, 39, 20) is ignored */
	ed6_transition(c, ED6_BOUND);
}

static void ed6_on_reply(struct ed6 *c, const struct dhcp6_msg *m)
{
	struct dhcp6_ia_na ia;
	struct cl_opts cl;
	enum ed6_class cls = ED6_CL_DISABLED;
	enum ed6_invalid why;

	/* eUE-4: re-validated by eUE-2's criteria; invalid -> step failed */
	why = ed6_check(&c->cfg, m, &ia, &cl, &cls);
	if (why != ED6_VALID) {
		trace_step(c->cfg.trace, "eUE-4/reply", "invalid", "reason=%s", ed6_invalid_str(why));
		c->last_invalid = why;
		ed6_finish(c, ED6_FAILED, ED6_EV_FAILED, "invalid REPLY");
		return;
	}
	if (cls == ED6_CL_DISABLED) {
		/* the REPLY is authoritative: it may disable us as well */
		ed6_finish(c, ED6_DISABLED, ED6_EV_DISABLED, "provisioning server 0.0.0.0 in REPLY");
		return;
	}
	ed6_lease_from_reply(c, m, &ia, &cl);
	ed6_transition(c, ED6_DAD);
}

void ed6_input(struct ed6 *c, const uint8_t *buf, size_t len)
{
	struct dhcp6_msg m;
	int rc = dhcp6_decode(&m, buf, len);

	if (rc < 0) {
		c->dropped++;
		log_debug("ed6: dropped a malformed message: %s at %zu", err_str(rc), m.err_off);
		return;
	}
	if (m.xid != c->xid || !ed6_for_us(c, &m)) {
		c->dropped++;
		return;
	}
	if (m.type == DHCP6_ADVERTISE && c->state == ED6_SOLICIT)
		ed6_on_advertise(c, &m);
	else if (m.type == DHCP6_REPLY && c->state == ED6_REQUEST)
		ed6_on_reply(c, &m);
	else if (m.type == DHCP6_REPLY && c->state == ED6_DECLINE)
		ed6_finish(c, ED6_FAILED, ED6_EV_FAILED, "address in use (DAD), declined");
	else if (m.type == DHCP6_REPLY && (c->state == ED6_RENEW || c->state == ED6_REBIND))
		ed6_on_renew_reply(c, &m);
	else
		c->dropped++;
}

void ed6_on_readable(void *arg, int fd, unsigned events)
{
	struct ed6 *c = arg;
	uint8_t buf[ED6_PKT_MAX];
	ssize_t n;

	(void)events;
	while ((n = net_udp_recv(fd, buf, sizeof(buf), NULL, NULL)) != E_AGAIN) {
		if (n < 0) {
			c->dropped++;
			if (n != E_OVERFLOW)
				return;
			continue;
		}
		ed6_input(c, buf, (size_t)n);
		if (c->fd != fd)
			return;   /* stopped from an event callback */
	}
}

/* ---------------------------------------------------------------- states */

static void ed6_renew_params(struct ed6 *c, struct retx_param *p, uint32_t until_s)
{
	uint64_t now_s = (clock_mono_ms() - c->lease.bound_ms) / 1000;

	*p = ed6_retx_renew_base;
	p->mrd_ms = until_s > now_s ? (uint32_t)((until_s - now_s) * 1000) : 1;
}

static void ed6_timeout(void *arg)
{
	struct ed6 *c = arg;
	uint64_t now = clock_mono_ms();

	switch (c->state) {
	case ED6_SOLICIT:
		if (c->n_adv > 0) {
			ed6_select(c);
		} else if (retx_expired(&c->rt, now)) {
			/* Table 5 eUE-3: no valid ADVERTISE -> the step failed */
			trace_step(c->cfg.trace, "eUE-2/advertise", "none", "solicits=%u invalid=%u last=%s",
				   c->rt.count, c->n_invalid,
				   c->n_invalid ? ed6_invalid_str(c->last_invalid) : "-");
			ed6_finish(c, ED6_FAILED, ED6_EV_FAILED, "no valid ADVERTISE");
		} else {
			ed6_xmit(c, DHCP6_SOLICIT);
		}
		break;
	case ED6_REQUEST:
		if (retx_expired(&c->rt, now))   /* RFC 3315 18.1.1: REQ_MAX_RC */
			ed6_finish(c, ED6_FAILED, ED6_EV_FAILED, "no REPLY to REQUEST");
		else
			ed6_xmit(c, DHCP6_REQUEST);
		break;
	case ED6_DAD: {
		enum nl_dad st = NL_DAD_OK;

		if (c->cfg.install_addr &&
		    nl_addr_dad(c->cfg.ifindex, AF_INET6, c->lease.addr, &st) < 0)
			st = NL_DAD_OK;   /* cannot ask: proceed as a kernel without DAD would */
		/* A duplicate: the kernel marks the address dadfailed, or, as it does
		 * for an address with finite lifetimes, deletes it (RFC 4862 5.4.5). */
		if (st == NL_DAD_FAILED || (st == NL_DAD_NONE && c->addr_installed)) {
			trace_step(c->cfg.trace, "eUE-4/dad", "conflict", "declines=%u", c->declines + 1);
			ed6_transition(c, ED6_DECLINE);
		} else if (st == NL_DAD_TENTATIVE && now - c->dad_start_ms < ED6_DAD_MAX_MS) {
			loop_timer_arm(c->loop, &c->timer, nl_dad_poll_ms(now - c->dad_start_ms, ED6_DAD_POLL_MS));
		} else {
			ed6_transition(c, ED6_BOUND);
		}
		break;
	}
	case ED6_DECLINE:
		if (retx_expired(&c->rt, now))
			ed6_finish(c, ED6_FAILED, ED6_EV_FAILED, "address in use (DAD), declined");
		else
			ed6_xmit(c, DHCP6_DECLINE);
		break;
	case ED6_BOUND:
		ed6_transition(c, ED6_RENEW);
		break;
	case ED6_RENEW:
		if (retx_expired(&c->rt, now))
			ed6_transition(c, ED6_REBIND);
		else
			ed6_xmit(c, DHCP6_RENEW);
		break;
	case ED6_REBIND:
		if (retx_expired(&c->rt, now)) {
			ed6_addr_remove(c);
			trace_step(c->cfg.trace, "eUE-4/renew", "lost", "reason=lease-expired");
			ed6_finish(c, ED6_FAILED, ED6_EV_LOST, "lease expired");
		} else {
			ed6_xmit(c, DHCP6_REBIND);
		}
		break;
	default:
		break;
	}
}

/*
 * The one place that changes state: entry actions and the single timer
 * (after OpenBSD dhcpleased's state_transition()).  Events that end a state
 * are emitted last, so a callback may stop or restart the client.
 */
static void ed6_transition(struct ed6 *c, enum ed6_state next)
{
	enum ed6_state prev = c->state;
	uint64_t now = clock_mono_ms();

	c->state = next;
	loop_timer_cancel(c->loop, &c->timer);
	log_debug("ed6: %s: %s -> %s after %llu ms", c->cfg.ifname, ed6_state_str(prev),
		  ed6_state_str(next), (unsigned long long)(now - c->step_start_ms));
	c->step_start_ms = now;
	switch (next) {
	case ED6_SOLICIT:
		/* eUE-1 */
		c->n_adv = 0;
		c->n_invalid = 0;
		c->last_invalid = ED6_VALID;
		c->reason = NULL;
		ed6_new_exchange(c, &c->solicit_p);
		ed6_xmit(c, DHCP6_SOLICIT);
		ed6_emit(c, ED6_EV_SOLICIT_SENT, NULL);
		break;
	case ED6_REQUEST:
		/* eUE-3; RFC 3315 18.1.1: a new transaction id */
		ed6_new_exchange(c, &ed6_retx_request);
		ed6_xmit(c, DHCP6_REQUEST);
		ed6_emit(c, ED6_EV_REQUEST_SENT, NULL);
		break;
	case ED6_DAD:
		/* eUE-4: DAD on the address (RFC 4862 5.4), tentative until done */
		c->dad_start_ms = now;
		if (c->cfg.install_addr) {
			if (nl_addr_add(c->cfg.ifindex, AF_INET6, c->lease.addr, 128, c->lease.valid,
					c->lease.preferred, 0) < 0)
				log_warn("ed6: cannot add the leased address to %s", c->cfg.ifname);
			else
				c->addr_installed = 1;
		}
		/* the first look at once (a kernel without DAD is done now; the
		 * bench found two 100 ms waits per flow here), then nl_dad_poll_ms() */
		loop_timer_arm(c->loop, &c->timer, 0);
		break;
	case ED6_DECLINE:
		/* eUE-4: "send a DHCPv6 DECLINE ... and consider this step as failed" */
		c->declines++;
		ed6_addr_remove(c);
		ed6_new_exchange(c, &ed6_retx_decline);
		ed6_xmit(c, DHCP6_DECLINE);
		break;
	case ED6_BOUND: {
		char a[64];
		struct net_addr na = { .family = AF_INET6 };

		memcpy(na.addr, c->lease.addr, 16);
		trace_step(c->cfg.trace, prev == ED6_DAD ? "eUE-4/bound" : "eUE-4/renew", "ok",
			   "addr=%s t1=%u t2=%u valid=%u flow=%s changed=0x%x",
			   net_ip_str(&na, a, sizeof(a)), c->lease.t1, c->lease.t2, c->lease.valid,
			   cl_flow_name((enum cl_flow)c->lease.flow), prev == ED6_DAD ? 0u : c->changed);
		/* a renewal refreshes the lifetimes of the address */
		if (prev != ED6_DAD && c->cfg.install_addr &&
		    nl_addr_add(c->cfg.ifindex, AF_INET6, c->lease.addr, 128, c->lease.valid,
				c->lease.preferred, 1) < 0)
			log_warn("ed6: cannot refresh the leased address on %s", c->cfg.ifname);
		if (c->lease.t1 != 0xffffffffu)
			loop_timer_arm(c->loop, &c->timer,
				       c->lease.t1 > 4000000u ? 4000000000u : c->lease.t1 * 1000u);
		ed6_emit(c, prev == ED6_DAD ? ED6_EV_BOUND : ED6_EV_RENEWED, NULL);
		break;
	}
	case ED6_RENEW:
		/* RFC 3315 18.1.3: MRD = the remaining time until T2 */
		ed6_renew_params(c, &c->renew_p, c->lease.t2);
		ed6_new_exchange(c, &c->renew_p);
		ed6_xmit(c, DHCP6_RENEW);
		break;
	case ED6_REBIND:
		/* RFC 3315 18.1.4: MRD = the remaining valid lifetime */
		ed6_renew_params(c, &c->renew_p, c->lease.valid);
		ed6_new_exchange(c, &c->renew_p);
		ed6_xmit(c, DHCP6_REBIND);
		break;
	default:   /* INIT, FAILED, DISABLED: no timer, wait for ed6_start() */
		break;
	}
}

void ed6_init(struct ed6 *c, struct loop *l, const struct ed6_config *cfg, ed6_event_fn *ev,
	      void *arg)
{
	memset(c, 0, sizeof(*c));
	c->cfg = *cfg;
	if (c->cfg.n_dss > ED6_DSS_MAX)
		c->cfg.n_dss = ED6_DSS_MAX;
	if (cfg->caps)
		c->caps = *cfg->caps;
	else
		ed6_default_caps(&c->caps);
	c->cfg.caps = NULL;   /* ours is c->caps */
	c->loop = l;
	c->event = ev;
	c->arg = arg;
	c->fd = -1;
	c->solicit_p = ed6_retx_solicit_base;
	if (cfg->solicit_mrc)
		c->solicit_p.mrc = cfg->solicit_mrc;
	/* eUE-1: DUID-LL of the eUE MAC (RFC 3315 9.4): stable, needs no clock */
	c->duid_len = (uint16_t)dhcp6_duid_ll(c->duid, sizeof(c->duid), 1, cfg->mac, 6);
	c->iaid = load_be32(cfg->mac + 2);
	loop_timer_init(&c->timer, ed6_timeout, c);
}

int ed6_start(struct ed6 *c)
{
	if (c->fd < 0) {
		struct net_addr b;

		memset(&b, 0, sizeof(b));
		b.family = AF_INET6;
		b.port = 546;   /* RFC 3315 5.2: client port */
		c->fd = net_udp_open(&b, c->cfg.ifname, NET_REUSE | NET_MCAST_HOPS1);
		if (c->fd < 0)
			return c->fd;
		loop_watch_fd(c->loop, c->fd, LOOP_IN, ed6_on_readable, c);
	}
	/* a restart of eUE-1 re-initialises: the old lease's address goes */
	ed6_addr_remove(c);
	c->step_start_ms = clock_mono_ms();
	ed6_transition(c, ED6_SOLICIT);
	return 0;
}

void ed6_stop(struct ed6 *c)
{
	loop_timer_cancel(c->loop, &c->timer);
	net_close_watched(c->loop, &c->fd);
	c->state = ED6_INIT;
}
