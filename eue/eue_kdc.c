/* eue_kdc.c: the realm's KDC through DNS, eUE-5 .. eUE-8 (eue_kdc.h). */
#include "eue/eue_kdc.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "eue/dns.h"
#include "eue/eue.h"
#include "eue/eue_tkt.h"
#include "platform/err.h"

/* What eUE-6 / eUE-8 latched. */
enum { KDC_SEEN_SRV = 1, KDC_SEEN_ADDR = 2 };

static struct eue_kdc *K(struct eue *e)
{
	return &e->prov.kdc;
}

/* eUE-6: the first target in RFC 2782 order (dns.c sorts); its address when
 * the additional section carried one of the eUE's family. */
static void kdc_take_srv(struct eue *e, int rc, const struct dns_result *res, const char *why)
{
	struct eue_kdc *k = K(e);
	int fam = e->v6 ? AF_INET6 : AF_INET;

	k->seen |= KDC_SEEN_SRV;
	k->srv_rc = rc;
	if (rc < 0 || !res) {
		snprintf(k->why, sizeof(k->why), "%s", why ? why : err_str(rc));
		return;
	}
	if (res->n_srv == 0 || res->srv[0].target[0] == '\0') {
		/* RFC 2782: a target of "." means the service is not offered */
		k->srv_rc = E_NOTFOUND;
		snprintf(k->why, sizeof(k->why), "no kdc for the realm");
		return;
	}
	snprintf(k->name, sizeof(k->name), "%s", res->srv[0].target);
	k->port = res->srv[0].port;
	for (unsigned i = 0; i < res->n_addr; i++) {
		if (res->addr[i].addr.family == fam &&
		    strcasecmp(res->addr[i].name, k->name) == 0) {
			k->addr = res->addr[i].addr;
			k->addr.port = k->port;
			k->addr_ok = 1;
			break;
		}
	}
	snprintf(k->why, sizeof(k->why), "kdc=%s:%u%s", k->name, k->port,
		 k->addr_ok ? " with address" : "");
}

static void kdc_on_srv(void *arg, int rc, const struct dns_result *res, const char *why)
{
	struct eue *e = arg;

	e->prov.q = NULL;
	kdc_take_srv(e, rc, res, why);
	eue_prov_finish(e, FA_DNS_KDC_SRV_REPLY, K(e)->srv_rc < 0 ? FLOW_FAIL : FLOW_OK, K(e)->why);
}

static void kdc_on_addr(void *arg, int rc, const struct dns_result *res, const char *why)
{
	struct eue *e = arg;
	struct eue_kdc *k = K(e);

	e->prov.q = NULL;
	k->seen |= KDC_SEEN_ADDR;
	k->addr_rc = rc < 0 ? rc : (!res || res->n_addr == 0) ? E_NOTFOUND : 0;
	if (k->addr_rc == 0) {
		k->addr = res->addr[0].addr;
		k->addr.port = k->port;
		k->addr_ok = 1;
		net_ip_str(&k->addr, k->why, sizeof(k->why));
	} else {
		snprintf(k->why, sizeof(k->why), "%s", why ? why : "no address");
	}
	eue_prov_finish(e, FA_DNS_KDC_ADDR_REPLY, k->addr_rc < 0 ? FLOW_FAIL : FLOW_OK, k->why);
}

static int kdc_query(struct eue *e, const char *name, enum dns_type t, dns_done_fn *cb)
{
	int rc = E_NOTFOUND;

	if (!e->prov.dns)
		return E_NOTFOUND;      /* no DNS server in the lease */
	e->prov.q = dns_query(e->prov.dns, name, t, cb, e, &rc);
	return e->prov.q ? 0 : rc;
}

int eue_kdc_start(struct eue *e, struct flow_run *r, enum flow_action a)
{
	struct eue_kdc *k = K(e);
	const struct cl_opts *cl = eue_prov_lease_cl(e);
	char name[DNSNAME_TEXT_MAX];
	int rc;

	switch (a) {
	case FA_DNS_KDC_SRV_REPLY:
	case FA_DNS_KDC_ADDR:
	case FA_DNS_KDC_ADDR_REPLY:
		if (e->prov.krb.from_cache) {
			flow_done(r, FLOW_SKIP, "ticket from nvram");
			return 1;
		}
		break;
	default:
		break;
	}
	switch (a) {
	case FA_DNS_KDC_SRV:
		eue_kdc_stop(e);
		/* Table 5 note 3: a valid ticket in nvram skips eUE-5 .. eUE-12 */
		if (eue_tkt_lookup(e) > 0) {
			flow_done(r, FLOW_SKIP, "ticket from nvram");
			return 1;
		}
		/* RFC 4120 7.2.3.2: the realm's KDCs over UDP */
		if (snprintf(name, sizeof(name), "_kerberos._udp.%s", cl->realm.name) >=
		    (int)sizeof(name)) {
			flow_done(r, FLOW_FAIL, "realm name too long");
			return 1;
		}
		rc = kdc_query(e, name, DNS_SRV, kdc_on_srv);
		if (rc < 0) {
			flow_done(r, FLOW_FAIL, rc == E_NOTFOUND ? "no dns server in the lease" : err_str(rc));
			return 1;
		}
		flow_done(r, FLOW_OK, "srv query sent");
		return 1;
	case FA_DNS_KDC_SRV_REPLY:
		if (k->seen & KDC_SEEN_SRV)
			flow_done(r, k->srv_rc < 0 ? FLOW_FAIL : FLOW_OK, k->why);
		else
			e->prov.waiting = a;
		return 1;
	case FA_DNS_KDC_ADDR:
		if (k->addr_ok) {
			flow_done(r, FLOW_SKIP, "address in the srv answer");
			return 1;
		}
		rc = kdc_query(e, k->name, e->v6 ? DNS_AAAA : DNS_A, kdc_on_addr);
		if (rc < 0) {
			flow_done(r, FLOW_FAIL, err_str(rc));
			return 1;
		}
		flow_done(r, FLOW_OK, e->v6 ? "aaaa query sent" : "a query sent");
		return 1;
	case FA_DNS_KDC_ADDR_REPLY:
		if (k->addr_ok && !(k->seen & KDC_SEEN_ADDR))
			flow_done(r, FLOW_SKIP, "address in the srv answer");
		else if (k->seen & KDC_SEEN_ADDR)
			flow_done(r, k->addr_rc < 0 ? FLOW_FAIL : FLOW_OK, k->why);
		else
			e->prov.waiting = a;
		return 1;
	default:
		return 0;
	}
}

void eue_kdc_stop(struct eue *e)
{
	memset(K(e), 0, sizeof(*K(e)));
}
