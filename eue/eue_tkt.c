/*
 * eue_tkt.c: the provisioning server's ticket across resets (eue_tkt.h):
 * the nvram side of kerberos/tktcache.h.
 */
#include "eue/eue_tkt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eue/eue.h"
#include "eue/eue_krb.h"
#include "kerberos/pkinit.h"
#include "kerberos/tktcache.h"
#include "platform/clock.h"
#include "platform/err.h"
#include "platform/log.h"
#include "platform/nvram.h"
#include "tlv/cablelabs.h"

/* RFC 3594 / 122.9, CCCv6.9: "invalidate the provisioning server's ticket". */
#define TKT_CTRL_PROV 0x0001u
/* RFC 4682 pktcMtaDevResetKrbTickets BITS: invalidateProvOnReboot(0) is the
 * first octet's most significant bit. */
#define TKT_RESET_PROV_ON_REBOOT 0x80u

static int tkt_now(const struct eue *e, int64_t *now_s)
{
	int64_t ms;

	if (!e->wall || walltime_now(e->wall, clock_mono_ms(), &ms) < 0)
		return E_STATE;
	*now_s = ms / 1000;
	return 0;
}

void eue_tkt_invalidate(struct eue *e, const char *why)
{
	int rc;

	if (!e->nv)
		return;
	rc = nvram_del(e->nv, TKT_NVRAM_KEY);
	if (rc == 0)
		trace_step(e->trace, e->step, "info", "ticket invalidated reason=%s", why);
	else if (rc != E_NOTFOUND)
		log_warnx("ticket cache: cannot delete: %s", err_str(rc));
}

/* 122.9 / CCCv6.9 and pktcMtaDevResetKrbTickets: delete before looking. */
static void tkt_controls(struct eue *e)
{
	const struct cl_opts *cl = eue_prov_lease_cl(e);

	if (cl_has(cl, CL_F_TICKET_CTRL) && (cl->ticket_ctrl & TKT_CTRL_PROV))
		eue_tkt_invalidate(e, "ticket-control-0x0001");
	if (e->prov.mib && (e->prov.mib->run.reset_krb & TKT_RESET_PROV_ON_REBOOT))
		eue_tkt_invalidate(e, "pktcMtaDevResetKrbTickets");
}

int eue_tkt_lookup(struct eue *e)
{
	struct eue_krb *k = &e->prov.krb;
	uint8_t *buf;
	size_t len;
	struct tkt_rec r;
	enum tkt_verdict v;
	int64_t now;
	int rc;

	if (!e->nv)
		return 0;
	tkt_controls(e);
	if (eue_krb_names(e, k->client, sizeof(k->client), k->service, sizeof(k->service)) < 0 ||
	    tkt_now(e, &now) < 0)
		return 0;
	buf = malloc(TKT_RECORD_MAX);
	if (!buf)
		return 0;
	rc = nvram_get(e->nv, TKT_NVRAM_KEY, buf, TKT_RECORD_MAX, &len);
	if (rc == E_NOTFOUND) {
		free(buf);
		return 0;
	}
	if (rc == 0)
		rc = tkt_decode(&r, buf, len);
	if (rc < 0) {
		/* a record we cannot read is as good as none; say so once and drop it */
		trace_step(e->trace, e->step, "info", "ticket cache unreadable: %s", err_str(rc));
		eue_tkt_invalidate(e, "unreadable");
		free(buf);
		return 0;
	}
	v = tkt_check(&r, now, TKT_GRACE_DEFAULT_S, k->client, k->service);
	if (v != TKT_USABLE) {
		trace_step(e->trace, e->step, "info", "ticket cache not used: %s end=%lld",
			   tkt_verdict_str(v), (long long)r.end);
		free(buf);
		return 0;
	}
	rc = pkinit_ticket_import(&k->cached, r.creds, r.creds_len);
	free(buf);
	if (rc < 0) {
		trace_step(e->trace, e->step, "info", "ticket cache unreadable: %s", err_str(rc));
		eue_tkt_invalidate(e, "unreadable");
		return 0;
	}
	k->ticket = k->cached;
	k->from_cache = 1;
	trace_step(e->trace, e->step, "info", "ticket from nvram server=%s end=%lld",
		   pkinit_ticket_server(k->cached), (long long)pkinit_ticket_endtime(k->cached));
	return 1;
}

void eue_tkt_save(struct eue *e, const struct pkinit_ticket *t)
{
	struct tkt_rec r;
	uint8_t *creds, *rec;
	size_t clen, rlen;
	int rc;

	if (!e->nv)
		return;
	creds = malloc(TKT_CREDS_MAX);
	rec = malloc(TKT_RECORD_MAX);
	if (!creds || !rec) {
		free(creds);
		free(rec);
		return;
	}
	memset(&r, 0, sizeof(r));
	r.start = pkinit_ticket_starttime(t);
	r.end = pkinit_ticket_endtime(t);
	snprintf(r.client, sizeof(r.client), "%s", pkinit_ticket_client(t));
	snprintf(r.server, sizeof(r.server), "%s", pkinit_ticket_server(t));
	rc = pkinit_ticket_export(t, creds, TKT_CREDS_MAX, &clen);
	if (rc == 0) {
		r.creds = creds;
		r.creds_len = clen;
		rc = tkt_encode(&r, rec, TKT_RECORD_MAX, &rlen);
	}
	if (rc == 0)
		rc = nvram_put(e->nv, TKT_NVRAM_KEY, rec, rlen);
	if (rc == 0)
		trace_step(e->trace, e->step, "info", "ticket saved end=%lld bytes=%zu", (long long)r.end,
			   rlen);
	else
		log_warnx("ticket cache: cannot save: %s", err_str(rc));
	/* the session key was in these buffers */
	explicit_bzero(creds, TKT_CREDS_MAX);
	explicit_bzero(rec, TKT_RECORD_MAX);
	free(creds);
	free(rec);
}
