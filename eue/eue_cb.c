/* eue_cb.c: certificate bootstrapping bound to the device (eue_cb.h). */
#include "eue/eue_cb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "eue/certboot.h"
#include "eue/devprofile.h"
#include "eue/dns.h"
#include "eue/eue.h"
#include "platform/clock.h"
#include "platform/err.h"
#include "platform/log.h"

#define CB_STEP "CB"     /* the trace's step name (no Table 5 row: 6.6.5, Figure 4) */

struct eue_cb {
	struct certboot *cb;
	struct dns_query *q;
	struct certboot_url url;
	struct net_addr server;
	const char *origin;          /* "snmp" / "file" */
	uint64_t t0;                 /* clock_mono_ms() at the trigger */
	int loaded;                  /* the stored profile's version was read */
};

static struct eue_cb *C(struct eue *e)
{
	return e->prov.cb;
}

static uint64_t elapsed(const struct eue_cb *c)
{
	return clock_mono_ms() - c->t0;
}

/* pktcEUEDevProfileVersion from what nvram holds (once per device start). */
static void cb_load_version(struct eue *e, struct eue_cb *c)
{
	struct devprofile *dp;
	struct dp_error de;

	if (c->loaded || e->nv == NULL || e->prov.mib == NULL)
		return;
	c->loaded = 1;
	if ((dp = malloc(sizeof(*dp))) == NULL)
		return;
	if (devprofile_load(e->nv, dp, &de) == 0)
		snprintf(e->prov.mib->profile_version, sizeof(e->prov.mib->profile_version), "%s",
			 dp->version);
	free(dp);
}

static struct eue_cb *cb_get(struct eue *e)
{
	if (e->prov.cb == NULL)
		e->prov.cb = calloc(1, sizeof(struct eue_cb));
	if (e->prov.cb)
		cb_load_version(e, e->prov.cb);
	return e->prov.cb;
}

static void cb_cancel(struct eue_cb *c)
{
	if (c->q)
		dns_cancel(c->q);
	c->q = NULL;
	certboot_stop(c->cb);
	c->cb = NULL;
}

/* The run ends: status, the reason readable by SNMP, one trace line. */
static void cb_fail(struct eue *e, struct eue_cb *c, const char *reason, const char *why)
{
	struct mib *m = e->prov.mib;

	cb_cancel(c);
	m->cb_status = MIB_CB_FAILED;
	snprintf(m->cb_why, sizeof(m->cb_why), "%s: %s", reason, why);
	trace_step(e->trace, CB_STEP, "failed", "reason=%s ms=%llu why=%s", reason,
		   (unsigned long long)elapsed(c), why);
	log_warnx("eue: certificate bootstrapping failed: %s: %s", reason, why);
}

/* certboot's report: store what came, or say why nothing did. */
static void cb_on_done(void *arg, const struct certboot_result *r)
{
	struct eue *e = arg;
	struct eue_cb *c = C(e);
	struct mib *m = e->prov.mib;
	struct devprofile *dp;
	struct dp_error de;
	char why[192];
	int rc;

	if (r->rc < 0) {
		cb_fail(e, c, certboot_reason_str(r->reason), r->why[0] ? r->why : err_str(r->rc));
		return;
	}
	trace_step(e->trace, CB_STEP, "info", "tls=%s suite=%s http=%d bytes=%zu",
		   r->tls_version ? r->tls_version : "-", r->suite ? r->suite : "-",
		   r->http_status, r->len);
	if ((dp = malloc(sizeof(*dp))) == NULL) {
		cb_fail(e, c, "nomem", "no memory for the profile");
		return;
	}
	memset(&de, 0, sizeof(de));
	/* 6.6.5: "SHOULD store any retrieved credentials in non-volatile
	 * storage"; devprofile_store parses first and stores only a valid one */
	if (e->nv)
		rc = devprofile_store(e->nv, r->body, r->len, dp, &de);
	else
		rc = devprofile_parse(r->body, r->len, dp, &de);
	if (rc < 0) {
		if (de.code != DP_OK)
			snprintf(why, sizeof(why), "%s (line %u, column %u)",
				 de.why ? de.why : devprofile_err_str(de.code), de.line, de.col);
		else
			snprintf(why, sizeof(why), "nvram: %s", err_str(rc));
		free(dp);
		cb_fail(e, c, de.code != DP_OK ? "profile" : "nvram", why);
		return;
	}
	snprintf(m->profile_version, sizeof(m->profile_version), "%s", dp->version);
	m->cb_status = MIB_CB_SUCCEEDED;
	m->cb_why[0] = '\0';
	trace_step(e->trace, CB_STEP, "ok", "version=%s users=%u device-creds=%s stored=%s ms=%llu",
		   dp->version[0] ? dp->version : "-", dp->n_users, dp->has_device_creds ? "yes" : "no",
		   e->nv ? DEVPROFILE_NVRAM_KEY : "no", (unsigned long long)elapsed(c));
	log_info("eue: certificate bootstrapping: device profile %s stored (%u users, suite %s)",
		 dp->version[0] ? dp->version : "(no version)", dp->n_users, r->suite ? r->suite : "-");
	free(dp);
	certboot_stop(c->cb);   /* allowed from done() (certboot.h) */
	c->cb = NULL;
}

/* The server is known: the TLS session. */
static void cb_connect(struct eue *e, struct eue_cb *c)
{
	struct certboot_config cfg;
	char a[64];
	int64_t ms;
	int err = 0;

	certboot_config_from_board(&cfg, e->board);
	cfg.server = c->server;
	cfg.server.port = c->url.port;
	cfg.host = c->url.literal ? NULL : c->url.host;   /* a literal: iPAddress SAN */
	cfg.path = c->url.path;
	cfg.ifname = e->board->eue_if[0] ? e->board->eue_if : NULL;
	/* certificates are checked at the eUE's time of day when it has one */
	if (e->wall && walltime_now(e->wall, clock_mono_ms(), &ms) == 0)
		cfg.now_unix = ms / 1000;
	trace_step(e->trace, CB_STEP, "info", "connect=%s suites=%s",
		   net_addr_str(&cfg.server, a, sizeof(a)), certboot_suites());
	c->cb = certboot_start(e->loop, &cfg, cb_on_done, e, &err);
	if (c->cb == NULL)
		cb_fail(e, c, "config", err_str(err));
}

static void cb_on_dns(void *arg, int rc, const struct dns_result *res, const char *why)
{
	struct eue *e = arg;
	struct eue_cb *c = C(e);

	c->q = NULL;
	if (rc < 0 || res == NULL || res->n_addr == 0) {
		cb_fail(e, c, "dns", why ? why : "no address");
		return;
	}
	c->server = res->addr[0].addr;
	cb_connect(e, c);
}

static void cb_start(struct eue *e, const char *origin)
{
	struct eue_cb *c = cb_get(e);
	struct mib *m = e->prov.mib;
	const char *why = NULL;
	int err = 0;

	if (c == NULL || m == NULL) {
		log_warnx("eue: certificate bootstrapping: no memory");
		return;
	}
	if (c->cb || c->q)
		trace_step(e->trace, CB_STEP, "info", "restart (a new trigger by %s)", origin);
	cb_cancel(c);
	c->origin = origin;
	c->t0 = clock_mono_ms();
	memset(&c->server, 0, sizeof(c->server));
	m->cb_status = MIB_CB_IN_PROGRESS;
	m->cb_why[0] = '\0';
	trace_step(e->trace, CB_STEP, "start", "trigger=%s data-bytes=%zu", origin,
		   m->run.cb_data_len);
	if (certboot_url_parse((const char *)m->run.cb_data, m->run.cb_data_len, &c->url, &why) < 0) {
		cb_fail(e, c, "bad-url", why ? why : "pktcEUECBData is not a https URL");
		return;
	}
	if (c->url.literal) {
		c->server = c->url.addr;
		cb_connect(e, c);
		return;
	}
	if (e->prov.dns == NULL) {
		cb_fail(e, c, "dns", "no DNS servers in the lease");
		return;
	}
	trace_step(e->trace, CB_STEP, "info", "dns=%s %s", c->url.host, e->v6 ? "AAAA" : "A");
	c->q = dns_query(e->prov.dns, c->url.host, e->v6 ? DNS_AAAA : DNS_A, cb_on_dns, e, &err);
	if (c->q == NULL)
		cb_fail(e, c, "dns", err_str(err));
}

void eue_cb_after_apply(struct eue *e)
{
	const struct mib *m = e->prov.mib;

	if (cb_get(e) == NULL)
		return;
	/* 6.6.5: after pass / passWithWarnings only, and only when enabled */
	if (m->run.cb_enable != 1)
		return;
	if (m->prov_state != MIB_PROV_PASS && m->prov_state != MIB_PROV_PASS_WARN) {
		trace_step(e->trace, CB_STEP, "skipped", "trigger=file state=%d (not pass / passWithWarnings)",
			   (int)m->prov_state);
		return;
	}
	cb_start(e, "file");
}

void eue_cb_on_mib_change(struct eue *e, unsigned changes)
{
	if (changes & MIB_CH_CB_TRIGGER)
		cb_start(e, "snmp");
}

void eue_cb_stop(struct eue *e)
{
	struct eue_cb *c = C(e);

	if (c == NULL || (c->cb == NULL && c->q == NULL))
		return;
	cb_fail(e, c, "stopped", "the eUE re-initialised");
}

void eue_cb_free(struct eue *e)
{
	struct eue_cb *c = C(e);

	if (c == NULL)
		return;
	cb_cancel(c);
	free(c);
	e->prov.cb = NULL;
}
