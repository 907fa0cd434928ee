/* eue_krb.c: eUE-9 .. eUE-12 / MTA9 .. MTA12 bound to kerberos/pkinit (eue_krb.h). */
#include "eue/eue_krb.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "eue/eue.h"
#include "eue/eue_tkt.h"
#include "kerberos/pkinit.h"
#include "kerberos/principal.h"
#include "platform/err.h"
#include "platform/log.h"

static struct eue_krb *KR(struct eue *e)
{
	return &e->prov.krb;
}

/*
 * The eUE's client principal (open question A5, this product's reading, in
 * this one place): "mta/<host>@REALM" with host = the eUE's FQDN when DHCP
 * gave one (option 39 / options 12 + 15), else its leased address: the 6.1.3
 * bracketed form in IPv6 mode, dotted in IPv4 mode.
 */
static int krb_client_principal(const struct eue *e, const char *realm, char *out, size_t cap)
{
	const char *fqdn = e->prov.mib ? e->prov.mib->fqdn : "";
	char dotted[64];
	struct net_addr a;

	if (fqdn[0])
		return princ_client(out, cap, fqdn, realm);
	if (e->v6)
		return princ_format_v6(out, cap, PRINC_CLIENT_SERVICE, e->d6.lease.addr, realm);
	eue_prov_lease_addr(e, &a);
	net_ip_str(&a, dotted, sizeof(dotted));
	return princ_format(out, cap, PRINC_CLIENT_SERVICE, dotted, realm);
}

static void krb_done(struct pkinit *pk, const struct pkinit_result *res, void *arg)
{
	struct eue *e = arg;
	struct eue_krb *k = KR(e);

	(void)pk;
	k->done = 1;
	k->ok = res->reason == PKINIT_R_OK;
	k->failed_step = res->step;
	k->ticket = k->ok ? res->ticket : NULL;   /* eUE-13 (eue_km.c) uses it */
	if (k->ok) {
		snprintf(k->why, sizeof(k->why), "as_sent=%u tgs_sent=%u", res->as_sent, res->tgs_sent);
		eue_tkt_save(e, res->ticket);   /* Table 5 note 3 */
	} else {
		snprintf(k->why, sizeof(k->why), "%s: %s", pkinit_reason_str(res->reason), res->text);
	}
	trace_step(e->trace, e->step, "info", "pkinit %s server=%s",
		   k->ok ? "ok" : pkinit_reason_str(res->reason),
		   k->ok ? pkinit_ticket_server(res->ticket) : "-");
	eue_prov_finish(e, FA_AS_REP, k->ok ? FLOW_OK : FLOW_FAIL, k->why);
}

int eue_krb_names(const struct eue *e, char *client, size_t ccap, char *service, size_t scap)
{
	const struct cl_opts *cl = eue_prov_lease_cl(e);

	if (krb_client_principal(e, cl->realm.name, client, ccap) < 0)
		return E_PROTO;
	/* the provisioning server's principal needs its FQDN (122.3 / CCCv6.3) */
	if ((cl->prov.kind != CL_PROV_FQDN && cl->prov.kind != CL_PROV_FQDN_ASCII) ||
	    princ_provsrv(service, scap, cl->prov.fqdn, cl->realm.name) < 0)
		return E_PROTO;
	return 0;
}

/* eUE-9: the PKINIT AS-REQ (and, with 122.7, the TGS that follows). */
static int krb_start(struct eue *e, struct flow_run *r)
{
	const struct board_conf *b = e->board;
	const struct cl_opts *cl = eue_prov_lease_cl(e);
	struct eue_krb *k = KR(e);
	struct pkinit_config c;
	const char *field = NULL;
	int rc;

	memset(&c, 0, sizeof(c));
	if (eue_krb_names(e, k->client, sizeof(k->client), k->service, sizeof(k->service)) < 0) {
		flow_done(r, FLOW_FAIL, "no principal: the provisioning server needs an fqdn");
		return 1;
	}
	c.client = k->client;
	c.service = k->service;
	c.realm = cl->realm.name;
	c.kdc = e->prov.kdc.addr;
	c.ifname = b->eue_if;
	c.cert = b->cert_device;
	c.key = b->key_device;
	if (b->cert_mfg[0])
		c.chain[0] = b->cert_mfg;
	/* MIT checks the device's own chain as well as the KDC's */
	c.anchors[0] = b->cert_kdc_root;
	if (b->cert_root[0])
		c.anchors[1] = b->cert_root;
	c.kdc_hostname = e->prov.kdc.name[0] ? e->prov.kdc.name : NULL;
	c.state_dir = b->run_dir;
	c.tgt = cl_has(cl, CL_F_TGT) && cl->tgt == 1;
	k->tgt = c.tgt;
	if (!cl_has(cl, CL_F_AS_BACKOFF) || pkinit_backoff_from_cl(&cl->as_backoff, &c.backoff) < 0) {
		/* RFC 4682 pktcMtaDevRealmUnsolicitedKey* DEFVALs: 3 s, 100 s, 8 */
		c.backoff.nominal_ms = 3000;
		c.backoff.max_ms = 100000;
		c.backoff.retries = 8;
	}
	if (pkinit_config_check(&c, &field) < 0) {
		snprintf(k->why, sizeof(k->why), "pkinit configuration: %s", field ? field : "?");
		flow_done(r, FLOW_FAIL, k->why);
		return 1;
	}
	if (!k->pk) {
		k->pk = pkinit_new();
		if (!k->pk)
			return E_NOMEM;
	}
	k->done = 0;
	rc = pkinit_start(k->pk, e->loop, &c, krb_done, e);
	if (rc < 0)
		return rc;
	trace_step(e->trace, e->step, "info", "client=%s service=%s tgt=%d", k->client, k->service,
		   c.tgt);
	flow_done(r, FLOW_OK, "as-req sent");
	return 1;
}

int eue_krb_start(struct eue *e, struct flow_run *r, enum flow_action a)
{
	struct eue_krb *k = KR(e);

	switch (a) {
	case FA_AS_REQ:
	case FA_AS_REP:
	case FA_TGS_REQ:
	case FA_TGS_REP:
		if (k->from_cache) {   /* Table 5 note 3 (eue_tkt.c) */
			flow_done(r, FLOW_SKIP, "ticket from nvram");
			return 1;
		}
		break;
	default:
		return 0;
	}
	switch (a) {
	case FA_AS_REQ:
		return krb_start(e, r);
	case FA_AS_REP:
		/* the module reports once, at the end of AS (and TGS when asked) */
		if (k->done)
			flow_done(r, k->ok ? FLOW_OK : FLOW_FAIL, k->why);
		else
			e->prov.waiting = a;
		return 1;
	case FA_TGS_REQ:
	case FA_TGS_REP:
		/* eUE-11/12 only when 122.7 / CCCv6.7 asked for a TGT; then the
		 * TGS exchange ran inside the module before eUE-10 completed */
		flow_done(r, k->tgt ? FLOW_OK : FLOW_SKIP, k->tgt ? "tgs done" : "no tgt asked (122.7)");
		return 1;
	default:
		return 0;
	}
}

void eue_krb_stop(struct eue *e)
{
	struct eue_krb *k = KR(e);

	pkinit_free(k->pk);
	pkinit_ticket_free(k->cached);
	memset(k, 0, sizeof(*k));
}
