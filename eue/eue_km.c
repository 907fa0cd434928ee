/*
 * eue_km.c: eUE-13 / eUE-14, PacketCable key management with the
 * provisioning server (eue_km.h).  kmc owns one UDP socket, one timer and
 * one libkrb5 auth context; the rows below bind it to the flow and start the
 * SNMPv3 agent with what it derives.  No key leaves this file except into
 * agent_set_usm_user(), and none is logged.
 */
#include "eue/eue_km.h"

#include <krb5/krb5.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "eue/dns.h"
#include "eue/eue.h"
#include "eue/eue_tkt.h"
#include "platform/bytes.h"
#include "platform/clock.h"
#include "platform/err.h"
#include "platform/log.h"
#include "platform/retx.h"
#include "snmp-mibs/agent.h"
#include "snmp-mibs/notify.h"
#include "tlv/cablelabs.h"
#include "tlv/wr.h"

#define KMC_RXBUF 65536         /* a UDP datagram's most */
#define KMC_MSG_MAX 65507       /* the largest UDP payload */

const struct km_cs kmc_offer[KMC_N_CS] = {
	{ .auth = KM_SNMP_AUTH_SHA1, .priv = KM_SNMP_PRIV_AES },
	{ .auth = KM_SNMP_AUTH_SHA1, .priv = KM_SNMP_PRIV_DES },
	{ .auth = KM_SNMP_AUTH_MD5, .priv = KM_SNMP_PRIV_DES },
};

static const char *const kmc_reason_names[KMC_R__COUNT] = {
	[KMC_R_OK] = "ok",
	[KMC_R_TIMEOUT] = "timeout",
	[KMC_R_SERVER_ERROR] = "server-error",
	[KMC_R_BAD_REPLY] = "bad-reply",
	[KMC_R_KRB5] = "krb5",
	[KMC_R_NETWORK] = "network",
};
_Static_assert(sizeof(kmc_reason_names) / sizeof(kmc_reason_names[0]) == KMC_R__COUNT,
	       "a name per reason");

const char *kmc_reason_str(int reason)
{
	if (reason < 0 || reason >= KMC_R__COUNT || !kmc_reason_names[reason])
		return "?";
	return kmc_reason_names[reason];
}

enum kmc_state { KMC_IDLE, KMC_WAIT };

struct kmc {
	int state;
	struct loop *l;
	kmc_done_fn *cb;
	void *arg;
	krb5_context ctx;             /* borrowed (the ticket's) */
	krb5_auth_context ac;
	struct net_addr server;
	int fd;
	struct retx_param rp;
	struct retx rx;
	struct loop_timer timer;
	struct wr req;                /* the AP Request as sent (retransmitted as is) */
	uint8_t *rxbuf;
	char user[KM_USER_MAX + 1];
	struct kmc_result res;
	struct km_usm_keys keys;
};

/* ------------------------------------------------------------ small pure parts */

void kmc_backoff_from_cl(const struct cl_backoff *b, int present, struct pkinit_backoff *out)
{
	/* 122.5 has 122.4's units (RFC 3495: ms, s, count): the same conversion */
	if (!present || !b || pkinit_backoff_from_cl(b, out) < 0) {
		out->nominal_ms = KMC_NOMINAL_MS_DEFAULT;
		out->max_ms = KMC_MAX_MS_DEFAULT;
		out->retries = KMC_RETRIES_DEFAULT;
	}
}

void kmc_user_from_mac(const uint8_t mac[6], char out[13])
{
	static const char hex[] = "0123456789abcdef";

	for (int i = 0; i < 6; i++) {
		out[2 * i] = hex[mac[i] >> 4];
		out[2 * i + 1] = hex[mac[i] & 15];
	}
	out[12] = '\0';
}

static int kmc_offered(const struct km_cs *cs)
{
	for (int i = 0; i < KMC_N_CS; i++)
		if (kmc_offer[i].auth == cs->auth && kmc_offer[i].priv == cs->priv)
			return 1;
	return 0;
}

/* ------------------------------------------------------------ life cycle */

struct kmc *kmc_new(void)
{
	struct kmc *c = calloc(1, sizeof(*c));

	if (c) {
		c->fd = -1;
		loop_timer_init(&c->timer, NULL, NULL);
	}
	return c;
}

int kmc_wakeup_check(const uint8_t *buf, size_t len, const char *server_principal,
		     uint32_t *nonce, const char **why)
{
	struct km_msg m;

	if (km_decode(&m, buf, len, NULL) < 0) {   /* also refuses DOI IPsec */
		*why = "undecodable";
		return E_PROTO;
	}
	if (m.kmmid != KM_WAKEUP) {
		*why = "not a wake-up";
		return E_PROTO;
	}
	if (!server_principal || strcmp(m.principal, server_principal) != 0) {
		*why = "another server principal";
		return E_AUTH;
	}
	*nonce = m.nonce;
	*why = NULL;
	return 0;
}

int kmc_running(const struct kmc *c)
{
	return c && c->state != KMC_IDLE;
}

void kmc_stop(struct kmc *c)
{
	if (!c)
		return;
	if (c->l) {
		loop_timer_cancel(c->l, &c->timer);
		net_close_watched(c->l, &c->fd);
	}
	if (c->ac && c->ctx)
		krb5_auth_con_free(c->ctx, c->ac);
	c->ac = NULL;
	c->ctx = NULL;
	wr_free(&c->req);
	free(c->rxbuf);
	c->rxbuf = NULL;
	km_usm_keys_clear(&c->keys);
	c->state = KMC_IDLE;
}

void kmc_free(struct kmc *c)
{
	kmc_stop(c);
	free(c);
}

/* The exchange ends: the callback once, then the keys are wiped. */
static void kmc_finish(struct kmc *c)
{
	kmc_done_fn *cb = c->cb;
	void *arg = c->arg;
	struct kmc_result res = c->res;
	struct km_usm_keys keys = c->keys;

	km_usm_keys_clear(&c->keys);
	res.keys = res.reason == KMC_R_OK ? &keys : NULL;
	kmc_stop(c);                 /* the callback may free c */
	cb(c, &res, arg);
	km_usm_keys_clear(&keys);
}

static void kmc_fail(struct kmc *c, int reason, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void kmc_fail(struct kmc *c, int reason, const char *fmt, ...)
{
	va_list ap;

	c->res.reason = reason;
	va_start(ap, fmt);
	vsnprintf(c->res.text, sizeof(c->res.text), fmt, ap);
	va_end(ap);
	kmc_finish(c);
}

/* ------------------------------------------------------------ wire */

static void kmc_transmit(struct kmc *c)
{
	uint32_t wait = 0;
	int rc;

	rc = net_udp_send(c->fd, c->req.buf, c->req.len, &c->server);
	if (rc < 0)
		/* a lost datagram as far as the schedule goes */
		log_warnx("km: send %zu bytes: %s", c->req.len, err_str(rc));
	c->res.sent++;
	retx_next(&c->rx, clock_mono_ms(), 0, &wait);   /* no MRD: cannot fail */
	loop_timer_arm(c->l, &c->timer, wait);
}

static void kmc_timer_cb(void *arg)
{
	struct kmc *c = arg;

	if (c->state != KMC_WAIT)
		return;
	if (retx_expired(&c->rx, clock_mono_ms())) {
		kmc_fail(c, KMC_R_TIMEOUT, "no reply from the provisioning server to %u AP Requests",
			 c->res.sent);
		return;
	}
	kmc_transmit(c);
}

/* Same address (the port aside). */
static int km_same_host(const struct net_addr *a, const struct net_addr *b)
{
	return a->family == b->family &&
	       memcmp(a->addr, b->addr, a->family == AF_INET ? 4 : 16) == 0;
}

static int kmc_from_server(const struct kmc *c, const struct net_addr *from)
{
	return km_same_host(from, &c->server) && from->port == c->server.port;
}

/* An Error Reply: the KRB_ERROR's code and text end the exchange. */
static void kmc_take_error(struct kmc *c, const struct km_msg *m)
{
	krb5_data in = { .magic = KV5M_DATA, .length = (unsigned)m->krb.len,
			 .data = (char *)(uintptr_t)m->krb.p };
	krb5_error *kerr = NULL;
	const char *msg;

	if (krb5_rd_error(c->ctx, &in, &kerr) != 0 || !kerr) {
		kmc_fail(c, KMC_R_SERVER_ERROR, "error reply with an undecodable KRB_ERROR");
		return;
	}
	c->res.krb_error = (int)kerr->error;
	msg = krb5_get_error_message(c->ctx, (krb5_error_code)kerr->error + ERROR_TABLE_BASE_krb5);
	if (kerr->text.length > 0 && kerr->text.data)
		snprintf(c->res.text, sizeof(c->res.text), "error %d: %s (server: %.*s)",
			 c->res.krb_error, msg ? msg : "?", (int)kerr->text.length, kerr->text.data);
	else
		snprintf(c->res.text, sizeof(c->res.text), "error %d: %s", c->res.krb_error,
			 msg ? msg : "?");
	krb5_free_error_message(c->ctx, msg);
	krb5_free_error(c->ctx, kerr);
	c->res.reason = KMC_R_SERVER_ERROR;
	kmc_finish(c);
}

/* Send the Security Parameter Recovered when the AP Reply asks for it. */
static void kmc_send_recovered(struct kmc *c, const uint8_t *subkey, size_t klen)
{
	uint8_t buf[KM_HDR_LEN + KM_HMAC_LEN];
	struct km_msg m;
	struct wr w;

	km_msg_init(&m, KM_SP_RECOVERED);
	wr_init(&w, buf, sizeof(buf));
	if (km_encode(&m, &w) < 0 || km_mac_seal(buf, w.len, m.hmac_off, subkey, klen) < 0) {
		log_warnx("km: security parameter recovered: cannot encode");
		return;
	}
	if (net_udp_send(c->fd, buf, w.len, &c->server) < 0)
		log_warnx("km: security parameter recovered: send failed");
}

/* The AP Reply: Kerberos first (the subkey), then our HMAC, then contents. */
static void kmc_take_reply(struct kmc *c, const uint8_t *buf, size_t len, const struct km_msg *m)
{
	krb5_data in = { .magic = KV5M_DATA, .length = (unsigned)m->krb.len,
			 .data = (char *)(uintptr_t)m->krb.p };
	krb5_ap_rep_enc_part *enc = NULL;
	krb5_error_code code;
	const char *msg;
	int rc;

	code = krb5_rd_rep(c->ctx, c->ac, &in, &enc);
	if (code) {
		msg = krb5_get_error_message(c->ctx, code);
		kmc_fail(c, KMC_R_BAD_REPLY, "KRB_AP_REP: %s", msg ? msg : "?");
		krb5_free_error_message(c->ctx, msg);
		return;
	}
	if (!enc->subkey || enc->subkey->length == 0) {
		krb5_free_ap_rep_enc_part(c->ctx, enc);
		kmc_fail(c, KMC_R_BAD_REPLY, "KRB_AP_REP without a subkey");
		return;
	}
	/* A2: the AP Reply's HMAC is keyed with that subkey */
	rc = km_mac_verify(buf, len, m->hmac_off, enc->subkey->contents, enc->subkey->length);
	if (rc < 0) {
		krb5_free_ap_rep_enc_part(c->ctx, enc);
		kmc_fail(c, KMC_R_BAD_REPLY, "hmac %s", rc == E_AUTH ? "does not verify" : err_str(rc));
		return;
	}
	if (m->n_cs != 1 || !kmc_offered(&m->cs[0])) {
		krb5_free_ap_rep_enc_part(c->ctx, enc);
		kmc_fail(c, KMC_R_BAD_REPLY, "ciphersuite %02x/%02x was not offered", m->cs[0].auth,
			 m->cs[0].priv);
		return;
	}
	if (strcmp(m->asd.user, c->user) != 0) {
		krb5_free_ap_rep_enc_part(c->ctx, enc);
		kmc_fail(c, KMC_R_BAD_REPLY, "user %s is not ours", m->asd.user);
		return;
	}
	/* A1: the USM keys */
	rc = km_usm_derive(enc->subkey->contents, enc->subkey->length, m->cs[0].auth, m->cs[0].priv,
			   &c->keys);
	if (rc == 0 && m->ack_required)
		kmc_send_recovered(c, enc->subkey->contents, enc->subkey->length);
	krb5_free_ap_rep_enc_part(c->ctx, enc);    /* wipes the subkey */
	if (rc < 0) {
		kmc_fail(c, KMC_R_BAD_REPLY, "key derivation: %s", err_str(rc));
		return;
	}
	c->res.cs = m->cs[0];
	c->res.server = m->asd;
	c->res.lifetime = m->lifetime;
	c->res.grace = m->grace;
	c->res.reason = KMC_R_OK;
	c->res.text[0] = '\0';
	kmc_finish(c);
}

static void kmc_fd_cb(void *arg, int fd, unsigned events)
{
	struct kmc *c = arg;
	struct net_addr from;
	struct km_msg m;
	struct km_diag d;
	ssize_t n;

	(void)events;
	for (;;) {
		if (c->state != KMC_WAIT)
			return;
		memset(&from, 0, sizeof(from));
		n = net_udp_recv(fd, c->rxbuf, KMC_RXBUF, &from, NULL);
		if (n < 0)
			return;   /* E_AGAIN, or an error the schedule will outlive */
		if (n == 0 || !kmc_from_server(c, &from)) {
			log_debug("km: %zd bytes not from the provisioning server dropped", n);
			continue;
		}
		if (km_decode(&m, c->rxbuf, (size_t)n, &d) < 0) {
			/* not ours to answer; the schedule goes on (README-km.md 3:
			 * the server never sends undecodable bytes) */
			log_warnx("km: %zd bytes from the server dropped: %s at %zu", n,
				  km_reason_str(d.reason), d.off);
			continue;
		}
		if (m.kmmid == KM_ERROR_REPLY) {
			kmc_take_error(c, &m);
			return;      /* c may be gone */
		}
		if (m.kmmid != KM_AP_REP) {
			log_debug("km: message %u ignored while waiting for the AP Reply", m.kmmid);
			continue;
		}
		kmc_take_reply(c, c->rxbuf, (size_t)n, &m);
		return;
	}
}

/* ------------------------------------------------------------ start */

static int kmc_config_ok(const struct kmc_config *cfg)
{
	return cfg && cfg->ctx && cfg->creds &&
	       (cfg->server.family == AF_INET || cfg->server.family == AF_INET6) &&
	       cfg->local.family == cfg->server.family && cfg->engine_id_len >= KM_ENGINEID_MIN &&
	       cfg->engine_id_len <= KM_ENGINEID_MAX && cfg->user[0] &&
	       strlen(cfg->user) <= KM_USER_MAX && cfg->backoff.nominal_ms > 0;
}

/* The AP Request: KRB_AP_REQ, nonce 0, our DOI 2 data, the offer, HMAC. */
static int kmc_build(struct kmc *c, const struct kmc_config *cfg)
{
	const krb5_creds *cr = cfg->creds;
	krb5_data out = { 0 };
	krb5_error_code code;
	struct km_msg m;
	const char *msg;
	int rc;

	/* libkrb5 takes the creds non-const but only reads them (the ticket
	 * and session key are copied into the request and the auth context) */
	code = krb5_mk_req_extended(c->ctx, &c->ac, AP_OPTS_MUTUAL_REQUIRED, NULL,
				    (krb5_creds *)(uintptr_t)cr, &out);
	if (code) {
		msg = krb5_get_error_message(c->ctx, code);
		log_warnx("km: krb5_mk_req_extended: %s", msg ? msg : "?");
		krb5_free_error_message(c->ctx, msg);
		return E_PROTO;
	}
	km_msg_init(&m, KM_AP_REQ);
	m.krb.p = (const uint8_t *)out.data;
	m.krb.len = out.length;
	m.nonce = cfg->nonce;     /* the Wake Up's; 0 when the client starts */
	memcpy(m.asd.engine_id, cfg->engine_id, cfg->engine_id_len);
	m.asd.engine_id_len = cfg->engine_id_len;
	m.asd.boots = cfg->boots;
	m.asd.time = cfg->time_s;
	snprintf(m.asd.user, sizeof(m.asd.user), "%s", cfg->user);
	memcpy(m.cs, kmc_offer, sizeof(kmc_offer));
	m.n_cs = KMC_N_CS;
	m.reestablish = 0;
	wr_init_dyn(&c->req, KMC_MSG_MAX);
	rc = km_encode(&m, &c->req);
	if (rc == 0 && c->req.err)
		rc = c->req.err;
	/* A2: the AP Request's HMAC is keyed with the ticket's session key */
	if (rc == 0)
		rc = km_mac_seal(c->req.buf, c->req.len, m.hmac_off, cr->keyblock.contents,
				 cr->keyblock.length);
	krb5_free_data_contents(c->ctx, &out);
	return rc;
}

static int kmc_open(struct kmc *c, const struct kmc_config *cfg)
{
	struct net_addr bind = cfg->local;
	int fd;

	bind.port = 0;
	fd = net_udp_open(&bind, cfg->ifname, 0);
	if (fd < 0)
		return fd;
	if (loop_watch_fd(c->l, fd, LOOP_IN, kmc_fd_cb, c) < 0) {
		net_close(fd);
		return E_IO;
	}
	c->fd = fd;
	return 0;
}

int kmc_start(struct kmc *c, struct loop *l, const struct kmc_config *cfg, kmc_done_fn *cb,
	      void *arg)
{
	int rc;

	if (!c || !l || !cb)
		return E_INVAL;
	if (kmc_running(c))
		return E_STATE;
	if (!kmc_config_ok(cfg))
		return E_INVAL;
	kmc_stop(c);
	memset(&c->res, 0, sizeof(c->res));
	c->res.krb_error = -1;
	c->l = l;
	c->cb = cb;
	c->arg = arg;
	c->ctx = cfg->ctx;
	c->server = cfg->server;
	if (c->server.port == 0)
		c->server.port = KM_PORT;
	snprintf(c->user, sizeof(c->user), "%s", cfg->user);
	loop_timer_init(&c->timer, kmc_timer_cb, c);
	pkinit_retx_param(&cfg->backoff, &c->rp);
	c->rxbuf = malloc(KMC_RXBUF);
	if (!c->rxbuf) {
		rc = E_NOMEM;
		goto fail;
	}
	rc = kmc_build(c, cfg);
	if (rc < 0)
		goto fail;
	rc = kmc_open(c, cfg);
	if (rc < 0)
		goto fail;
	c->state = KMC_WAIT;
	retx_start(&c->rx, &c->rp, clock_mono_ms());
	kmc_transmit(c);
	return 0;
fail:
	kmc_stop(c);
	return rc;
}

/* ------------------------------------------------------------ the rows */

/* A new SA needs the ticket for at least this long (the exchange's retries). */
#define KM_TICKET_MARGIN_S 60
/* An SA renewal further away than this is left to the next reset (the
 * timer's milliseconds stay in 32 bits; the lab's lifetimes are 7 days). */
#define KM_SA_RENEW_MAX_S (40u * 24u * 3600u)

static struct eue_km *KM(struct eue *e)
{
	return &e->prov.km;
}

static int km_agent_proto(uint8_t code, int auth)
{
	if (auth)
		return code == KM_SNMP_AUTH_MD5 ? AGENT_USM_AUTH_MD5 : AGENT_USM_AUTH_SHA;
	return code == KM_SNMP_PRIV_DES ? AGENT_USM_PRIV_DES :
	       code == KM_SNMP_PRIV_AES ? AGENT_USM_PRIV_AES : AGENT_USM_PRIV_NONE;
}

/* eUE-14 succeeded: the agent, SNMPv3 only, with the derived user. */
static int km_agent(struct eue *e, const struct kmc_result *res)
{
	struct eue_prov *p = &e->prov;
	struct eue_km *k = KM(e);
	struct agent_config ac;
	int rc;

	if (p->agent && k->rekey)   /* a new SA: the running agent gets the new keys */
		return agent_set_usm_user(p->agent, k->user, km_agent_proto(res->cs.auth, 1),
					  res->keys->auth, res->keys->auth_len,
					  km_agent_proto(res->cs.priv, 0), res->keys->priv,
					  res->keys->priv_len);
	if (p->agent) {
		agent_stop(p->agent);
		p->agent = NULL;
	}
	memset(&ac, 0, sizeof(ac));
	ac.engine_boots = e->engine_boots;
	ac.listen = k->local;
	ac.listen.port = 0;
	ac.mode = AGENT_SNMP_USM;
	memcpy(ac.mac, e->board->eue_mac, 6);
	rc = agent_start(&p->agent, e->loop, p->mib, &ac);
	if (rc < 0)
		return rc;
	rc = agent_set_usm_user(p->agent, k->user, km_agent_proto(res->cs.auth, 1), res->keys->auth,
				res->keys->auth_len, km_agent_proto(res->cs.priv, 0),
				res->keys->priv, res->keys->priv_len);
	if (rc < 0) {
		agent_stop(p->agent);
		p->agent = NULL;
	}
	return rc;
}

static void km_sa_live(struct eue *e, uint32_t lifetime_s, uint32_t grace_s);

/* The trace's step name: the flow's row, or "KM" for a new SA after it. */
static const char *km_step(const struct eue *e)
{
	return e->prov.km.rekey ? "KM" : e->step;
}

static void km_done(struct kmc *c, const struct kmc_result *res, void *arg)
{
	struct eue *e = arg;
	struct eue_km *k = KM(e);
	char eid[2 * KM_ENGINEID_MAX + 1];
	int rc;

	(void)c;
	k->done = 1;
	k->ok = res->reason == KMC_R_OK;
	if (k->ok) {
		memcpy(k->srv_engine, res->server.engine_id, res->server.engine_id_len);
		k->srv_engine_len = res->server.engine_id_len;
		for (unsigned i = 0; i < k->srv_engine_len; i++)
			snprintf(eid + 2 * i, 3, "%02x", k->srv_engine[i]);
		eid[2 * k->srv_engine_len] = '\0';
		rc = km_agent(e, res);
		if (rc < 0) {
			k->ok = 0;
			snprintf(k->why, sizeof(k->why), "snmpv3 agent: %s", err_str(rc));
		} else {
			snprintf(k->why, sizeof(k->why),
				 "cs=%02x/%02x engine=%s boots=%u lifetime=%u grace=%u sent=%u",
				 res->cs.auth, res->cs.priv, eid, res->server.boots, res->lifetime,
				 res->grace, res->sent);
		}
	} else {
		snprintf(k->why, sizeof(k->why), "%s: %s", kmc_reason_str(res->reason), res->text);
	}
	trace_step(e->trace, km_step(e), "info", "km %s %s", k->ok ? "ap-rep" : "failed", k->why);
	if (k->ok)
		km_sa_live(e, res->lifetime, res->grace);
	if (k->rekey) {   /* outside the flow: no row waits for it */
		trace_step(e->trace, km_step(e), "info", "km sa %s",
			   k->ok ? "renewed" : "kept: the new exchange failed");
		k->rekey = 0;
		return;
	}
	/* the server refused what we sent: a cached ticket is not "valid" any more
	 * (eue_tkt.h); a server that does not answer says nothing about it */
	if (!k->ok && e->prov.krb.from_cache &&
	    (res->reason == KMC_R_SERVER_ERROR || res->reason == KMC_R_BAD_REPLY))
		eue_tkt_invalidate(e, "refused-by-the-server");
	eue_prov_finish(e, FA_AP_REP, k->ok ? FLOW_OK : FLOW_FAIL, k->why);
}

/* An AP Request to the SNMP entity with the provisioning server's ticket:
 * eUE-13, or a new SA later (nonce: a Wake Up's, else 0).  0 or E_*. */
static int km_exchange(struct eue *e, uint32_t nonce)
{
	struct eue_prov *p = &e->prov;
	struct eue_km *k = KM(e);
	const struct pkinit_ticket *t = p->krb.ticket;
	const struct cl_opts *cl;
	struct kmc_config cfg;
	char ip[64];
	int rc;

	if (!t)
		return E_NOTFOUND;
	memset(&cfg, 0, sizeof(cfg));
	cfg.server = p->entity;
	cfg.server.port = KM_PORT;
	cfg.local = k->local;
	cfg.ifname = e->board->eue_if;
	cl = eue_prov_lease_cl(e);
	kmc_backoff_from_cl(&cl->ap_backoff, cl_has(cl, CL_F_AP_BACKOFF), &cfg.backoff);
	cfg.ctx = pkinit_ticket_context(t);
	cfg.creds = pkinit_ticket_creds(t);
	agent_engine_id_mac(e->board->eue_mac, cfg.engine_id);
	cfg.engine_id_len = AGENT_ENGINE_ID_LEN;
	cfg.boots = e->engine_boots ? e->engine_boots : 1;   /* the agent is not running yet: its boots to be */
	cfg.time_s = 0;
	if (p->agent)
		(void)agent_engine_id(p->agent, cfg.engine_id, sizeof(cfg.engine_id), &cfg.boots,
				      &cfg.time_s);
	cfg.nonce = nonce;
	snprintf(cfg.user, sizeof(cfg.user), "%s", k->user);
	if (!k->c && !(k->c = kmc_new()))
		return E_NOMEM;
	k->done = 0;
	rc = kmc_start(k->c, e->loop, &cfg, km_done, e);
	if (rc < 0)
		return rc;
	trace_step(e->trace, km_step(e), "info", "km ap-req to=%s user=%s cs=%u nonce=%08x",
		   net_addr_str(&cfg.server, ip, sizeof(ip)), cfg.user, (unsigned)KMC_N_CS,
		   (unsigned)nonce);
	return 0;
}

/* eUE-13 with the entity's address known: the AP Request. */
static void km_send(struct eue *e)
{
	int rc = km_exchange(e, 0);

	if (rc < 0)
		eue_prov_finish(e, FA_AP_REQ, FLOW_FAIL,
				rc == E_NOTFOUND ? "no provisioning server ticket" : err_str(rc));
	else
		eue_prov_finish(e, FA_AP_REQ, FLOW_OK, "ap-req sent");
}

/* ------------------------------------------------------------ the SA after eUE-14 */

/*
 * A new SA outside the flow (a Wake Up, or the SA's lifetime minus its
 * grace period): the same AP Request with the provisioning server's ticket
 * while it is valid by the eCM's time.  A ticket too old for it sends the
 * eUE back to eUE-1 (PKINIT, then key management again).
 */
static void km_rekey(struct eue *e, uint32_t nonce, const char *why)
{
	struct eue_km *k = KM(e);
	const struct pkinit_ticket *t = e->prov.krb.ticket;
	int64_t now_ms;
	int rc;

	if (kmc_running(k->c)) {
		trace_step(e->trace, "KM", "info", "km %s ignored: an exchange runs", why);
		return;
	}
	if (!t || e->prov.krb.stale || !e->wall || walltime_now(e->wall, clock_mono_ms(), &now_ms) < 0 ||
	    pkinit_ticket_endtime(t) <= now_ms / 1000 + KM_TICKET_MARGIN_S) {
		eue_restart(e, "km: no valid ticket for a new security association");
		return;
	}
	k->rekey = 1;
	rc = km_exchange(e, nonce);
	if (rc < 0) {
		k->rekey = 0;
		trace_step(e->trace, "KM", "info", "km %s: %s", why, err_str(rc));
	}
}

static void km_sa_expiring(void *arg)
{
	km_rekey(arg, 0, "sa-lifetime");
}

static void km_on_wakeup(void *arg, int fd, unsigned events)
{
	struct eue *e = arg;
	struct eue_km *k = KM(e);
	uint8_t buf[1024];
	struct net_addr from;
	uint32_t nonce;
	const char *why;
	char ip[64];
	ssize_t n;

	(void)events;
	for (;;) {
		memset(&from, 0, sizeof(from));
		n = net_udp_recv(fd, buf, sizeof(buf), &from, NULL);
		if (n < 0)
			return;
		net_ip_str(&from, ip, sizeof(ip));
		if (!km_same_host(&from, &e->prov.entity)) {
			trace_step(e->trace, "KM", "info", "km wake-up dropped from=%s: not the snmp entity", ip);
			continue;
		}
		if (kmc_wakeup_check(buf, (size_t)n, e->prov.krb.service, &nonce, &why) < 0) {
			trace_step(e->trace, "KM", "info", "km wake-up dropped from=%s: %s", ip, why);
			continue;
		}
		trace_step(e->trace, "KM", "info", "km wake-up from=%s nonce=%08x", ip, (unsigned)nonce);
		km_rekey(e, nonce, "wake-up");
		if (!k->wake_on)
			return;   /* km_rekey restarted the eUE: fd is closed */
	}
}

/* A new SA is live: listen for Wake Ups, renew it at lifetime - grace. */
static void km_sa_live(struct eue *e, uint32_t lifetime_s, uint32_t grace_s)
{
	struct eue_km *k = KM(e);
	uint32_t in_s = lifetime_s > grace_s ? lifetime_s - grace_s : 0;

	if (!k->wake_on) {
		struct net_addr b = k->local;
		int fd;

		b.port = KM_PORT;
		fd = net_udp_open(&b, e->board->eue_if, 0);
		if (fd >= 0 && loop_watch_fd(e->loop, fd, LOOP_IN, km_on_wakeup, e) < 0) {
			net_close(fd);
			fd = E_IO;
		}
		k->wake_fd = fd >= 0 ? fd : -1;
		k->wake_on = 1;
		if (fd < 0)
			log_warnx("km: no wake-up socket on port %u: %s", KM_PORT, err_str(fd));
	}
	loop_timer_init(&k->sa_timer, km_sa_expiring, e);
	if (in_s > 0 && in_s < KM_SA_RENEW_MAX_S)
		loop_timer_arm(e->loop, &k->sa_timer, in_s * 1000u);
	trace_step(e->trace, km_step(e), "info", "km sa live renew_in_s=%u wake_up_port=%s", in_s,
		   k->wake_fd >= 0 ? "1293" : "none");
}

static void km_on_entity_dns(void *arg, int rc, const struct dns_result *res, const char *why)
{
	struct eue *e = arg;
	struct eue_prov *p = &e->prov;

	p->q = NULL;
	if (rc < 0 || !res || res->n_addr == 0) {
		eue_prov_finish(e, FA_AP_REQ, FLOW_FAIL, why ? why : "snmp entity: no address");
		return;
	}
	p->entity = res->addr[0].addr;
	p->entity.port = NOTIFY_PORT_DEFAULT;
	p->entity_ok = 1;
	km_send(e);
}

/* eUE-13: the SNMP entity's address (Table 5 note 2), then the AP Request. */
static int km_ap_req(struct eue *e, struct flow_run *r)
{
	struct eue_prov *p = &e->prov;
	struct eue_km *k = KM(e);
	const struct cl_prov *pv = &eue_prov_lease_cl(e)->prov;
	int rc = 0;

	kmc_user_from_mac(e->board->eue_mac, k->user);
	eue_prov_lease_addr(e, &k->local);
	p->waiting = FA_AP_REQ;
	if (!p->entity_ok) {
		memset(&p->entity, 0, sizeof(p->entity));
		switch (pv->kind) {
		case CL_PROV_IPV4:
			p->entity.family = AF_INET;
			store_be32(p->entity.addr, pv->addr4);
			break;
		case CL_PROV_IPV6:
			p->entity.family = AF_INET6;
			memcpy(p->entity.addr, pv->addr6, 16);
			break;
		case CL_PROV_FQDN:
		case CL_PROV_FQDN_ASCII:
			if (!p->dns) {
				p->waiting = FA_PASSIVE;
				flow_done(r, FLOW_FAIL, "no dns server in the lease");
				return 1;
			}
			p->q = dns_query(p->dns, pv->fqdn, e->v6 ? DNS_AAAA : DNS_A, km_on_entity_dns,
					 e, &rc);
			if (!p->q) {
				p->waiting = FA_PASSIVE;
				return rc < 0 ? rc : E_IO;
			}
			return 1;
		default:
			p->waiting = FA_PASSIVE;
			flow_done(r, FLOW_FAIL, "no snmp entity (122.3)");
			return 1;
		}
		p->entity.port = NOTIFY_PORT_DEFAULT;
		p->entity_ok = 1;
	}
	km_send(e);
	return 1;
}

int eue_km_start(struct eue *e, struct flow_run *r, enum flow_action a)
{
	struct eue_km *k = KM(e);

	switch (a) {
	case FA_AP_REQ:
		return km_ap_req(e, r);
	case FA_AP_REP:
		if (k->done)
			flow_done(r, k->ok ? FLOW_OK : FLOW_FAIL, k->why);
		else
			e->prov.waiting = a;
		return 1;
	default:
		return 0;
	}
}

void eue_km_stop(struct eue *e)
{
	struct eue_km *k = KM(e);

	kmc_free(k->c);
	loop_timer_cancel(e->loop, &k->sa_timer);
	if (k->wake_on)
		net_close_watched(e->loop, &k->wake_fd);
	memset(k, 0, sizeof(*k));
}
