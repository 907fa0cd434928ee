/* eue_prov.c: the steps after eUE-4 / MTA4 (eue_prov.h). */
#include "eue/eue_prov.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "eue/download.h"
#include "eue/dns.h"
#include "eue/eue.h"
#include "eue/eue_cb.h"
#include "eue/eue_kdc.h"
#include "eue/eue_krb.h"
#include "eue/eue_km.h"
#include "eue/flows.h"
#include "platform/bytes.h"
#include "platform/clock.h"
#include "platform/err.h"
#include "platform/log.h"
#include "platform/rand.h"
#include "snmp-mibs/agent.h"
#include "snmp-mibs/notify.h"
#include "tlv/capab.h"
#include "tlv/cfgcrypt.h"

static struct eue_prov *P(struct eue *e)
{
	return &e->prov;
}

const struct cl_opts *eue_prov_lease_cl(const struct eue *e)
{
	return e->v6 ? &e->d6.lease.cl : &e->d4.lease.cl;
}

static void addr4(struct net_addr *a, uint32_t host_order, uint16_t port)
{
	memset(a, 0, sizeof(*a));
	a->family = AF_INET;
	store_be32(a->addr, host_order);
	a->port = port;
}

static void addr6(struct net_addr *a, const uint8_t ip[16], uint16_t port)
{
	memset(a, 0, sizeof(*a));
	a->family = AF_INET6;
	memcpy(a->addr, ip, 16);
	a->port = port;
}

/* The eUE's own leased address: the agent listens there, syslog and the
 * INFORMs leave from it. */
void eue_prov_lease_addr(const struct eue *e, struct net_addr *a)
{
	if (e->v6)
		addr6(a, e->d6.lease.addr, 0);
	else
		addr4(a, e->d4.lease.addr, 0);
}

void eue_prov_finish(struct eue *e, enum flow_action a, enum flow_outcome o, const char *why)
{
	struct eue_prov *p = P(e);

	if (p->waiting != a)
		return;
	p->waiting = FA_PASSIVE;
	flow_done(&e->flow, o, why);
}

/* ---------------------------------------------------------------- set-up per run */

static int all_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return 0;
	return 1;
}

/*
 * The syslog server: pktcEventSyslogAddress when the file or SNMP set one of
 * the eUE's family (the MEM-MIB configuration eUE-24 names), else the first
 * server of option 7 / CL option 34 (6.1.6; a renewal's new value applies,
 * 6.3.5).
 */
void eue_prov_syslog(struct eue *e)
{
	struct eue_prov *p = P(e);
	const struct cl_opts *cl = eue_prov_lease_cl(e);
	const struct mib_inet *mi = p->mib ? &p->mib->run.syslog : NULL;
	struct net_addr srv, src;
	int rc;

	eue_prov_lease_addr(e, &src);
	if (mi && e->v6 && mi->type == 2 && !all_zero(mi->addr, 16)) {
		addr6(&srv, mi->addr, (uint16_t)p->mib->run.syslog_port);
	} else if (mi && !e->v6 && mi->type == 1 && !all_zero(mi->addr, 4)) {
		addr4(&srv, load_be32(mi->addr), (uint16_t)p->mib->run.syslog_port);
	} else if (e->v6 && cl_has(cl, CL_F_SYSLOG6) && cl->syslog6.n > 0) {
		addr6(&srv, cl->syslog6.a[0], 0);
	} else if (!e->v6 && e->d4.lease.syslog.n > 0) {
		addr4(&srv, e->d4.lease.syslog.a[0], 0);
	} else {
		ev_set_syslog(&p->ev, NULL, NULL, NULL);
		return;
	}
	rc = ev_set_syslog(&p->ev, &srv, e->board->eue_if, &src);
	if (rc < 0)
		log_warnx("eue: syslog socket: %s", err_str(rc));
}

/* The lease's DNS servers (option 6 / option 23): the only ones asked. */
static int prov_dns_servers(const struct eue *e, struct net_addr *s, unsigned cap)
{
	unsigned n = 0;

	if (e->v6) {
		for (unsigned i = 0; i < e->d6.lease.n_dns && n < cap; i++)
			addr6(&s[n++], e->d6.lease.dns[i], 0);
	} else {
		for (unsigned i = 0; i < e->d4.lease.dns.n && n < cap; i++)
			addr4(&s[n++], e->d4.lease.dns.a[i], 0);
	}
	return (int)n;
}

static enum mib_flow prov_mib_flow(const struct flow *f)
{
	if (f == &flow_basic1 || f == &flow_basic2)
		return MIB_FLOW_BASIC;
	if (f == &flow_hybrid1 || f == &flow_hybrid2)
		return MIB_FLOW_HYBRID;
	return MIB_FLOW_SECURE;
}

/* The SNMP entity of 122.3 / CCCv6.3 as pktcMtaDevSnmpEntity shows it. */
static void prov_entity_text(const struct cl_prov *pv, char *buf, size_t cap)
{
	switch (pv->kind) {
	case CL_PROV_IPV4: {
		struct net_addr a;

		addr4(&a, pv->addr4, 0);
		net_ip_str(&a, buf, cap);
		break;
	}
	case CL_PROV_IPV6: {
		struct net_addr a;

		addr6(&a, pv->addr6, 0);
		net_ip_str(&a, buf, cap);
		break;
	}
	default:
		snprintf(buf, cap, "%s", pv->fqdn);
		break;
	}
}

static void prov_on_mib_change(void *arg, unsigned changes)
{
	struct eue *e = arg;
	struct eue_prov *p = P(e);

	if (changes & MIB_CH_CONFIG_FILE) {
		/* eUE-19: the SET arrived (maybe before row 19 runs: latched) */
		p->seen |= PROV_SEEN_SET;
		trace_step(e->trace, e->step, "info", "snmp-set config-file=%s hash=%s key=%s",
			   p->mib->run.config_file, p->mib->run.hash_set ? "yes" : "no",
			   p->mib->run.key_set ? "yes" : "no");
		eue_prov_finish(e, FA_CONFIG_SET, FLOW_OK, "set");
	}
	if ((changes & MIB_CH_SYSLOG) && p->begun)
		eue_prov_syslog(e);
	/* RFC 4682 pktcMtaDevResetNow: the agent is inside the SET's request
	 * now and must not be stopped from here (agent.h): a zero timer */
	if (changes & MIB_CH_RESET)
		loop_timer_arm(e->loop, &p->reset, 0);
	eue_cb_on_mib_change(e, changes);    /* 6.6.5: pktcEUECBEnable by SNMP */
}

static void prov_on_reset(void *arg)
{
	eue_restart(arg, "pktcMtaDevResetNow");
}

/* The first row after the DHCP rows: what the run needs from now on. */
static int prov_begin(struct eue *e)
{
	struct eue_prov *p = P(e);
	const struct cl_opts *cl = eue_prov_lease_cl(e);
	struct mib *m = p->mib;
	struct net_addr dns[DNS_SERVERS_MAX];
	struct agent_config ac;
	struct dns_config dc;
	int n, rc;

	if (p->begun)
		return 0;
	if (!m)
		return E_NOMEM;
	m->flow = prov_mib_flow(e->flow.flow);
	m->prov_state = MIB_PROV_IN_PROGRESS;
	m->pstate = m->flow == MIB_FLOW_BASIC ? MIB_PSTATE_WAIT_CONFIG : MIB_PSTATE_WAIT_SNMP_SET;
	m->prov_counter++;
	/* pktcMtaDevCorrelationId: CL 2172 when the server sent one, else random */
	m->correlation_id = cl_has(cl, CL_F_CORRELATION) ? cl->correlation : rand_u32();
	prov_entity_text(&cl->prov, m->snmp_entity, sizeof(m->snmp_entity));
	snprintf(m->kerb_realm, sizeof(m->kerb_realm), "%s", cl->realm.name);
	if (e->v6)
		snprintf(m->fqdn, sizeof(m->fqdn), "%s", e->d6.lease.fqdn);
	else if (e->d4.lease.hostname[0]) {
		int w = snprintf(m->fqdn, sizeof(m->fqdn), "%s%s%s", e->d4.lease.hostname,
				 e->d4.lease.domain[0] ? "." : "", e->d4.lease.domain);

		if (w < 0 || (size_t)w >= sizeof(m->fqdn))
			m->fqdn[0] = '\0';   /* options 12 + 15 longer than a name: none */
	}
	eue_prov_syslog(e);
	ev_set_hostname(&p->ev, m->fqdn);

	n = prov_dns_servers(e, dns, DNS_SERVERS_MAX);
	if (n > 0 && !p->dns) {
		memset(&dc, 0, sizeof(dc));
		dc.servers = dns;
		dc.n_servers = (unsigned)n;
		dc.ifname = e->board->eue_if;
		p->dns = dns_init(e->loop, &dc, &rc);
		if (!p->dns)
			return rc;
	}

	if (m->flow == MIB_FLOW_SECURE) {
		/* Secure: no SNMPv2c at all; the agent starts in USM mode with the
		 * user key management derives (eUE-14, eue_km.c) */
		p->begun = 1;
		return 0;
	}
	memset(&ac, 0, sizeof(ac));
	ac.engine_boots = e->engine_boots;
	eue_prov_lease_addr(e, &ac.listen);
	ac.ro_community = e->board->snmp_ro_community;
	ac.rw_community = e->board->snmp_rw_community;
	rc = agent_start(&p->agent, e->loop, m, &ac);
	if (rc < 0)
		return rc;
	p->begun = 1;
	return 0;
}

/* ---------------------------------------------------------------- eUE-15: enrollment */

static void prov_on_enroll(void *arg, int acked)
{
	struct eue *e = arg;

	if (acked > 0)
		eue_prov_finish(e, FA_ENROLL_INFORM, FLOW_OK, "acknowledged");
	else
		eue_prov_finish(e, FA_ENROLL_INFORM, FLOW_FAIL,
			    acked == 0 ? "inform not acknowledged" : err_str(acked));
}

/*
 * The SNMP entity as a receiver: SNMPv2c in Basic and Hybrid; in Secure an
 * SNMPv3 INFORM (authPriv with the eUE-14 user) to the provisioning server's
 * snmpEngineID from the AP Reply (README-km.md 5).
 */
static void prov_entity_dest(struct eue *e, struct notify_dest *d)
{
	struct eue_prov *p = P(e);

	notify_dest_entity(d, &p->entity);
	if (p->mib->flow == MIB_FLOW_SECURE) {
		d->type = NOTIFY_V3_INFORM;
		d->community = NULL;
		if (p->km.srv_engine_len > 0) {
			d->engine_id = p->km.srv_engine;
			d->engine_id_len = p->km.srv_engine_len;
		}
	}
}

/* The entity is known: it may now SET (agent managers), and gets the INFORM. */
static void prov_enroll_send(struct eue *e)
{
	struct eue_prov *p = P(e);
	struct notify_dest d;
	char ip[64];
	int rc;

	agent_set_managers(p->agent, &p->entity, 1);
	prov_entity_dest(e, &d);
	trace_step(e->trace, e->step, "info", "inform=enrollment to=%s%s",
		   net_ip_str(&p->entity, ip, sizeof(ip)), d.type == NOTIFY_V3_INFORM ? " v3=1" : "");
	rc = agent_notify(p->agent, NOTIFY_ENROLLMENT, &d, prov_on_enroll, e);
	if (rc < 0)
		eue_prov_finish(e, FA_ENROLL_INFORM, FLOW_FAIL, err_str(rc));
}

static void prov_on_entity_dns(void *arg, int rc, const struct dns_result *res, const char *why)
{
	struct eue *e = arg;
	struct eue_prov *p = P(e);

	p->q = NULL;
	if (rc < 0 || !res || res->n_addr == 0) {
		eue_prov_finish(e, FA_ENROLL_INFORM, FLOW_FAIL, why ? why : "no address");
		return;
	}
	p->entity = res->addr[0].addr;
	p->entity.port = NOTIFY_PORT_DEFAULT;
	p->entity_ok = 1;
	prov_enroll_send(e);
}

/* Resolve the entity (an FQDN: A in IPv4 mode, AAAA in IPv6 mode) and enroll. */
static int prov_enroll(struct eue *e)
{
	struct eue_prov *p = P(e);
	const struct cl_prov *pv = &eue_prov_lease_cl(e)->prov;
	int rc = 0;

	if (p->entity_ok) {
		/* Secure: eUE-13 resolved it already (Table 5 note 2) */
		prov_enroll_send(e);
		return 0;
	}
	switch (pv->kind) {
	case CL_PROV_IPV4:
		addr4(&p->entity, pv->addr4, NOTIFY_PORT_DEFAULT);
		break;
	case CL_PROV_IPV6:
		addr6(&p->entity, pv->addr6, NOTIFY_PORT_DEFAULT);
		break;
	case CL_PROV_FQDN:
	case CL_PROV_FQDN_ASCII:
		if (!p->dns)
			return E_NOTFOUND;   /* no DNS server in the lease */
		p->q = dns_query(p->dns, pv->fqdn, e->v6 ? DNS_AAAA : DNS_A, prov_on_entity_dns, e,
				 &rc);
		return p->q ? 0 : rc;
	default:
		return E_NOTFOUND;
	}
	p->entity_ok = 1;
	prov_enroll_send(e);
	return 0;
}

/* ---------------------------------------------------------------- eUE-20/21: the file server */

static void prov_on_cfg_dns(void *arg, int rc, const struct dns_result *res, const char *why)
{
	struct eue *e = arg;
	struct eue_prov *p = P(e);

	p->q = NULL;
	p->seen |= PROV_SEEN_CFG_DNS;
	if (rc < 0 || !res || res->n_addr == 0) {
		p->cfg_rc = rc < 0 ? rc : E_NOTFOUND;
		snprintf(p->cfg_why, sizeof(p->cfg_why), "%s", why ? why : "no address");
	} else {
		p->cfg_rc = 0;
		p->cfg_server = res->addr[0].addr;
		p->cfg_server_ok = 1;
		net_ip_str(&p->cfg_server, p->cfg_why, sizeof(p->cfg_why));
	}
	eue_prov_finish(e, FA_DNS_CFG_REPLY, p->cfg_rc < 0 ? FLOW_FAIL : FLOW_OK, p->cfg_why);
}

/* eUE-20: the URL the SET gave; an FQDN host is resolved, a literal skips 20/21. */
static int prov_dns_cfg(struct eue *e, struct flow_run *r)
{
	struct eue_prov *p = P(e);
	const char *why = NULL;
	int rc;

	p->n_urls = 0;
	p->cfg_server_ok = 0;
	rc = cfgurl_parse(&p->urls[0], p->mib->run.config_file, strlen(p->mib->run.config_file),
			  &why);
	if (rc < 0) {
		flow_done(r, FLOW_FAIL, why ? why : err_str(rc));
		return 1;
	}
	p->n_urls = 1;
	if (p->urls[0].host_kind != CFGURL_HOST_FQDN) {
		flow_done(r, FLOW_SKIP, "no fqdn in the url");
		return 1;
	}
	if (!p->dns) {
		flow_done(r, FLOW_FAIL, "no dns server in the lease");
		return 1;
	}
	p->seen &= ~(unsigned)PROV_SEEN_CFG_DNS;
	p->q = dns_query(p->dns, p->urls[0].host, e->v6 ? DNS_AAAA : DNS_A, prov_on_cfg_dns, e, &rc);
	if (!p->q)
		return rc;
	flow_done(r, FLOW_OK, e->v6 ? "aaaa query sent" : "a query sent");
	return 1;
}

/* ---------------------------------------------------------------- eUE-22/23: the file */

static void prov_cfg_file(struct eue *e, struct flow_run *r);

static void prov_on_file(void *arg, int rc, const uint8_t *data, size_t len, const char *why)
{
	struct eue *e = arg;
	struct eue_prov *p = P(e);

	p->seen |= PROV_SEEN_FILE;
	p->cfg_rc = rc;
	snprintf(p->cfg_why, sizeof(p->cfg_why), "%s", why ? why : "");
	free(p->file);
	p->file = NULL;
	p->file_len = 0;
	if (rc == 0) {
		p->file = malloc(len ? len : 1);
		if (!p->file) {
			p->cfg_rc = E_NOMEM;
		} else {
			memcpy(p->file, data, len);
			p->file_len = len;
		}
		p->blksize = dl_blksize(p->dl);
	}
	/* row 23 processes the bytes; it may already be waiting */
	if (p->waiting == FA_CFG_FILE) {
		p->waiting = FA_PASSIVE;
		prov_cfg_file(e, &e->flow);
	}
}

/* The Basic flow's URL(s): siaddr + file (IPv4), CL 32 + 33 (IPv6). */
static int prov_basic_urls(struct eue *e, const char **why)
{
	struct eue_prov *p = P(e);
	int n;

	if (e->v6) {
		n = cfgurl_basic6_list(p->urls, DL_URLS_MAX, &e->d6.lease.cl, why);
		if (n <= 0)
			return n < 0 ? n : E_NOTFOUND;
		p->n_urls = (unsigned)n;
		return 0;
	}
	n = cfgurl_basic4(&p->urls[0], e->d4.lease.siaddr, e->d4.lease.file, why);
	if (n < 0)
		return n;
	p->n_urls = 1;
	return 0;
}

static int prov_cfg_request(struct eue *e, struct flow_run *r)
{
	struct eue_prov *p = P(e);
	struct net_addr local, servers[DL_URLS_MAX];
	struct dl_req req;
	const char *why = NULL;
	char url[CFGURL_MAX + 1];
	int rc;

	if (p->mib->flow == MIB_FLOW_BASIC) {
		rc = prov_basic_urls(e, &why);
		if (rc < 0) {
			flow_done(r, FLOW_FAIL, why ? why : "no configuration file location in the lease");
			return 1;
		}
		if (cfgurl_format(&p->urls[0], url, sizeof(url)) >= 0)
			mib_set_config_file(p->mib, url);
	} else if (p->n_urls == 0) {
		flow_done(r, FLOW_FAIL, "no configuration file url");
		return 1;
	}
	memset(&req, 0, sizeof(req));
	for (unsigned i = 0; i < p->n_urls; i++)
		servers[i] = p->cfg_server;   /* used only for an FQDN host (eUE-21's answer) */
	if (p->urls[0].host_kind == CFGURL_HOST_FQDN && !p->cfg_server_ok) {
		flow_done(r, FLOW_FAIL, "file server not resolved");
		return 1;
	}
	req.servers = servers;
	req.ifname = e->board->eue_if;
	eue_prov_lease_addr(e, &local);
	req.local = &local;
	req.max_size = PROV_FILE_MAX;
	p->seen &= ~(unsigned)PROV_SEEN_FILE;
	if (p->dl) {
		dl_stop(p->dl);
		p->dl = NULL;
	}
	p->dl = dl_start(e->loop, p->urls, p->n_urls, &req, prov_on_file, e, &rc);
	if (!p->dl)
		return rc;
	cfgurl_format(&p->urls[0], url, sizeof(url));
	trace_step(e->trace, e->step, "info", "url=%s servers=%u", url, p->n_urls);
	p->mib->pstate = MIB_PSTATE_WAIT_CONFIG;
	flow_done(r, FLOW_OK, p->urls[0].scheme == CFGURL_TFTP ? "tftp rrq" : "http get");
	return 1;
}

/* A content error (eUE-23): reported at 24/25, the running configuration kept. */
static void prov_content_fail(struct eue *e, struct flow_run *r, enum ev_kind ev,
			      const char *reason)
{
	struct mib *m = P(e)->mib;

	m->prov_state = MIB_PROV_FAIL_CONFIG;
	mib_err_clear(m);
	mib_err_add(m, "", "", reason);
	ev_raise(&P(e)->ev, ev, reason);
	flow_done(r, FLOW_FAIL_CONTENT, reason);
}

/* eUE-23: hash, decrypt, apply (6.4.2). */
static void prov_cfg_file(struct eue *e, struct flow_run *r)
{
	struct eue_prov *p = P(e);
	struct mib *m = p->mib;
	struct cfg_apply_opts ao;
	struct cfg_diag d;
	struct wr plain;
	const uint8_t *file = p->file;
	size_t len = p->file_len;
	uint8_t h[CFG_SHA1_LEN];
	char why[160];
	int rc;

	if (p->cfg_rc < 0) {
		/* eUE-23: a TFTP/HTTP failure restarts at eUE-1 */
		ev_raise(&p->ev, EV_CFG_DOWNLOAD_FAIL, p->cfg_why);
		flow_done(r, FLOW_FAIL, p->cfg_why);
		return;
	}
	trace_step(e->trace, e->step, "info", "bytes=%zu blksize=%u", len, p->blksize);
	if (m->flow == MIB_FLOW_BASIC) {
		/* Basic: the hash is in the file (config-file.md section 2) */
		rc = cfg_hash_verify(file, len, &d);
		if (rc < 0) {
			snprintf(why, sizeof(why), "in-file hash: %s", cfg_why_name(d.why));
			prov_content_fail(e, r, EV_CFG_HASH_FAIL, why);
			return;
		}
		if (cfg_hash_compute(file, len, h, &d) == 0)
			mib_set_config_hash(m, h);   /* RFC 4682: Basic reports the hash it computed */
	} else if (m->run.hash_set) {
		/* eUE-23: compare with the SET's hash, over the file as downloaded (A8) */
		if (cfg_snmp_hash_check(file, len, m->run.hash, MIB_HASH_LEN) < 0) {
			prov_content_fail(e, r, EV_CFG_HASH_FAIL, "hash mismatch");
			return;
		}
	} else {
		prov_content_fail(e, r, EV_CFG_HASH_FAIL, "no hash was set");
		return;
	}
	wr_init_dyn(&plain, PROV_FILE_MAX);
	if (m->flow == MIB_FLOW_SECURE && m->run.key_set && m->run.encrypt_alg != CFG_ALG_NONE) {
		/* "If encrypted, the configuration file MUST be decrypted" (eUE-23) */
		rc = cfg_decrypt(m->run.encrypt_alg, m->run.key, MIB_KEY_LEN, file, len, &plain);
		if (rc < 0 || plain.err) {
			wr_free(&plain);
			prov_content_fail(e, r, EV_PROV_FAIL, "decryption failed");
			return;
		}
		file = plain.buf;
		len = plain.len;
	}
	memset(&ao, 0, sizeof(ao));
	ao.ipv6 = e->v6;
	memcpy(ao.vendor_oui, e->board->oui, 3);
	rc = cfg_apply(m, file, len, &ao, &p->res);
	wr_free(&plain);
	m->pstate = MIB_PSTATE_OPERATIONAL;
	trace_step(e->trace, e->step, "info", "apply state=%s applied=%u warnings=%u errors=%u targets=%u",
		   cfg_apply_state_name(p->res.state), p->res.applied, p->res.warnings, p->res.errors,
		   p->res.targets);
	if (rc < 0) {
		flow_done(r, FLOW_FAIL_CONTENT, p->res.text);
		return;
	}
	eue_cb_after_apply(e);    /* 6.6.5: a file that enables it, accepted */
	flow_done(r, FLOW_OK, cfg_apply_state_name(p->res.state));
}

/* ---------------------------------------------------------------- eUE-24/25 */

static int prov_passed(const struct mib *m)
{
	return m->prov_state == MIB_PROV_PASS || m->prov_state == MIB_PROV_PASS_WARN ||
	       m->prov_state == MIB_PROV_PASS_INCOMPLETE;
}

static void prov_syslog(struct eue *e, struct flow_run *r)
{
	struct eue_prov *p = P(e);
	const char *state = cfg_apply_state_name(p->mib->prov_state);

	if (!p->ev.have_server) {
		/* eUE-24 runs "if SYSLOG is configured" */
		ev_raise(&p->ev, prov_passed(p->mib) ? EV_PROV_PASS : EV_PROV_FAIL, state);
		flow_done(r, FLOW_SKIP, "no syslog server");
		return;
	}
	if (ev_raise(&p->ev, prov_passed(p->mib) ? EV_PROV_PASS : EV_PROV_FAIL, state) < 0) {
		/* "the eUE MAY retry this step before proceeding to eUE-25": go on */
		flow_done(r, FLOW_OK, "syslog send failed");
		return;
	}
	flow_done(r, FLOW_OK, state);
}

static void prov_on_status(void *arg, int acked)
{
	struct eue *e = arg;

	/* eUE-25: "If failure per SNMP, the provisioning process is stopped" */
	eue_prov_finish(e, FA_STATUS_INFORM, acked > 0 ? FLOW_OK : FLOW_FAIL,
		    acked > 0 ? "acknowledged" : acked == 0 ? "inform not acknowledged" : err_str(acked));
}

static void prov_on_target(void *arg, int acked)
{
	struct eue *e = arg;

	trace_step(e->trace, e->step, "info", "tlv38 notification %s",
		   acked > 0 ? "delivered" : acked == 0 ? "not acknowledged" : "not sent");
}

/* 6.5: every TLV 38 receiver of the file gets the status notification too. */
static void prov_status_targets(struct eue *e)
{
	struct eue_prov *p = P(e);
	const struct mib_cfg *c = &p->mib->run;
	char ip[64];

	for (size_t i = 0; i < c->n_targets; i++) {
		const struct mib_target *t = &c->targets[i];
		struct notify_dest d;
		int rc;

		memset(&d, 0, sizeof(d));
		if (t->family == 6)
			addr6(&d.addr, t->addr, t->port);
		else
			addr4(&d.addr, load_be32(t->addr), t->port);
		d.type = t->type;
		d.timeout_ms = t->timeout_ms;
		d.retries = t->retries;
		rc = agent_notify(p->agent, NOTIFY_STATUS, &d, prov_on_target, e);
		trace_step(e->trace, e->step, "info", "tlv38 to=%s type=%u rc=%s",
			   net_ip_str(&d.addr, ip, sizeof(ip)), t->type, rc < 0 ? err_str(rc) : "sent");
	}
}

static int prov_status(struct eue *e)
{
	struct eue_prov *p = P(e);
	struct notify_dest d;
	int rc;

	if (!p->entity_ok) {
		/* Basic: the entity was not needed before; it is 122.3 / CCCv6.3 */
		const struct cl_prov *pv = &eue_prov_lease_cl(e)->prov;

		if (pv->kind == CL_PROV_IPV4)
			addr4(&p->entity, pv->addr4, NOTIFY_PORT_DEFAULT);
		else if (pv->kind == CL_PROV_IPV6)
			addr6(&p->entity, pv->addr6, NOTIFY_PORT_DEFAULT);
		else
			return E_NOTFOUND;   /* an FQDN: resolved below */
		p->entity_ok = 1;
	}
	prov_status_targets(e);
	prov_entity_dest(e, &d);
	rc = agent_notify(p->agent, NOTIFY_STATUS, &d, prov_on_status, e);
	return rc;
}

static void prov_on_status_dns(void *arg, int rc, const struct dns_result *res, const char *why)
{
	struct eue *e = arg;
	struct eue_prov *p = P(e);

	p->q = NULL;
	if (rc < 0 || !res || res->n_addr == 0) {
		eue_prov_finish(e, FA_STATUS_INFORM, FLOW_FAIL, why ? why : "no address");
		return;
	}
	p->entity = res->addr[0].addr;
	p->entity.port = NOTIFY_PORT_DEFAULT;
	p->entity_ok = 1;
	rc = prov_status(e);
	if (rc < 0)
		eue_prov_finish(e, FA_STATUS_INFORM, FLOW_FAIL, err_str(rc));
}

/* ---------------------------------------------------------------- the engine's entry points */

int eue_prov_start(struct eue *e, struct flow_run *r, enum flow_action a)
{
	struct eue_prov *p = P(e);
	const struct cl_prov *pv;
	int rc;

	switch (a) {
	case FA_DNS_KDC_SRV:
	case FA_DNS_KDC_SRV_REPLY:
	case FA_DNS_KDC_ADDR:
	case FA_DNS_KDC_ADDR_REPLY:
	case FA_AS_REQ:
	case FA_AS_REP:
	case FA_TGS_REQ:
	case FA_TGS_REP:
	case FA_AP_REQ:
	case FA_AP_REP:
	case FA_ENROLL_INFORM:
	case FA_CONFIG_SET:
	case FA_DNS_CFG:
	case FA_DNS_CFG_REPLY:
	case FA_CFG_REQUEST:
	case FA_CFG_FILE:
	case FA_SYSLOG:
	case FA_STATUS_INFORM:
		break;
	default:
		return 0;
	}
	rc = prov_begin(e);
	if (rc < 0)
		return rc;
	rc = eue_kdc_start(e, r, a);
	if (rc == 0)
		rc = eue_krb_start(e, r, a);
	if (rc == 0)
		rc = eue_km_start(e, r, a);
	if (rc != 0)
		return rc;
	if ((a == FA_ENROLL_INFORM || a == FA_STATUS_INFORM) && !p->agent) {
		/* Secure: the agent starts with the USM keys of eUE-14 */
		flow_done(r, FLOW_FAIL, "no snmp agent (no snmpv3 keys)");
		return 1;
	}
	switch (a) {
	case FA_ENROLL_INFORM:
		p->waiting = a;
		rc = prov_enroll(e);
		if (rc < 0)
			p->waiting = FA_PASSIVE;
		return rc < 0 ? rc : 1;
	case FA_CONFIG_SET:
		if (p->seen & PROV_SEEN_SET)
			flow_done(r, FLOW_OK, "set");
		else
			p->waiting = a;   /* the provisioning timer bounds the wait */
		return 1;
	case FA_DNS_CFG:
		return prov_dns_cfg(e, r);
	case FA_DNS_CFG_REPLY:
		if (p->urls[0].host_kind != CFGURL_HOST_FQDN)
			flow_done(r, FLOW_SKIP, "no fqdn in the url");
		else if (p->seen & PROV_SEEN_CFG_DNS)
			flow_done(r, p->cfg_rc < 0 ? FLOW_FAIL : FLOW_OK, p->cfg_why);
		else
			p->waiting = a;
		return 1;
	case FA_CFG_REQUEST:
		return prov_cfg_request(e, r);
	case FA_CFG_FILE:
		if (p->seen & PROV_SEEN_FILE)
			prov_cfg_file(e, r);
		else
			p->waiting = a;
		return 1;
	case FA_SYSLOG:
		prov_syslog(e, r);
		return 1;
	case FA_STATUS_INFORM:
		p->waiting = a;
		pv = &eue_prov_lease_cl(e)->prov;
		if (!p->entity_ok && (pv->kind == CL_PROV_FQDN || pv->kind == CL_PROV_FQDN_ASCII) &&
		    p->dns) {
			p->q = dns_query(p->dns, pv->fqdn, e->v6 ? DNS_AAAA : DNS_A, prov_on_status_dns,
					 e, &rc);
			if (!p->q)
				p->waiting = FA_PASSIVE;
			return p->q ? 1 : rc;
		}
		rc = prov_status(e);
		if (rc < 0)
			p->waiting = FA_PASSIVE;
		return rc < 0 ? rc : 1;
	default:
		return 0;
	}
}

void eue_prov_abort(struct eue *e, enum flow_action a)
{
	struct eue_prov *p = P(e);

	(void)a;
	p->waiting = FA_PASSIVE;
	if (p->q) {
		dns_cancel(p->q);
		p->q = NULL;
	}
}

void eue_prov_lease_changed(struct eue *e)
{
	struct eue_prov *p = P(e);
	struct net_addr dns[DNS_SERVERS_MAX];
	int n;

	if (!p->begun)
		return;
	/* 6.3.5: new DNS or syslog servers are used without re-initialising */
	eue_prov_syslog(e);
	n = prov_dns_servers(e, dns, DNS_SERVERS_MAX);
	if (n > 0 && p->dns)
		dns_set_servers(p->dns, dns, (unsigned)n);
}

void eue_prov_stop(struct eue *e)
{
	struct eue_prov *p = P(e);

	p->waiting = FA_PASSIVE;
	loop_timer_cancel(e->loop, &p->reset);
	eue_cb_stop(e);              /* before the resolver it may be using goes */
	eue_kdc_stop(e);
	agent_stop(p->agent);        /* its user came from eUE-14 */
	p->agent = NULL;
	eue_km_stop(e);              /* before the ticket's krb5 context goes */
	eue_krb_stop(e);
	if (p->q)
		dns_cancel(p->q);
	p->q = NULL;
	if (p->dl)
		dl_stop(p->dl);
	p->dl = NULL;
	dns_free(p->dns);
	p->dns = NULL;
	agent_stop(p->agent);
	p->agent = NULL;
	ev_close(&p->ev);
	free(p->file);
	p->file = NULL;
	p->file_len = 0;
	p->begun = 0;
	p->seen = 0;
	p->entity_ok = 0;
	p->cfg_server_ok = 0;
	p->n_urls = 0;
}

int eue_prov_init(struct eue *e)
{
	struct eue_prov *p = P(e);
	const struct board_conf *b = e->board;
	struct mib_identity id;
	struct capab caps;
	char type_id[MIB_STR_MAX];
	int n;

	memset(p, 0, sizeof(*p));
	p->waiting = FA_PASSIVE;
	loop_timer_init(&p->reset, prov_on_reset, e);
	p->mib = calloc(1, sizeof(*p->mib));
	if (!p->mib)
		return E_NOMEM;
	memset(&id, 0, sizeof(id));
	id.serial = b->serial;
	memcpy(id.mac, b->eue_mac, 6);
	id.hw_version = b->hw_version;
	id.sw_version = b->sw_version;
	id.model = b->model;
	id.vendor = b->vendor;
	id.endpoints = 2;        /* capability 5.2 (eue_dhcp4.h): two lines */
	id.http_access = 1;      /* capability 5.4 */
	/* pktcMtaDevTypeIdentifier: RFC 4682, the option-60 text of the DHCP exchange */
	ed4_default_capab(&caps);
	n = capab_opt60_build(&caps, type_id, sizeof(type_id) - 1);
	type_id[n > 0 ? n : 0] = '\0';
	id.type_id = type_id;
	mib_init(p->mib, &id);
	mib_on_change(p->mib, prov_on_mib_change, e);
	ev_init(&p->ev, e->wall, b->vendor, b->eue_mac);
	return 0;
}

void eue_prov_free(struct eue *e)
{
	eue_prov_stop(e);
	eue_cb_free(e);
	free(P(e)->mib);
	P(e)->mib = NULL;
}
