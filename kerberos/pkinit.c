/*
 * pkinit.c: eUE-9 .. eUE-12 of pkinit.h.  The only file that drives libkrb5's
 * AS / TGS stepping APIs; it moves bytes between them and one UDP socket on
 * the loop, and touches nothing else (no flow logic, no nvram, no DNS).
 *
 * Why a profile FILE (under cfg->state_dir) and not KRB5_CONFIG or memory:
 *  - KRB5_CONFIG is process-global environment: eued's IPv4 and IPv6 flows
 *    and fleet mode run several devices in one process, each with its own
 *    realm and certificates, and the SECURE context flag ignores it anyway;
 *  - profile_add_relation() cannot build a profile without a backing file
 *    (it needs a writable file node), and a vtable profile
 *    (profile_init_vtable) has no iteration unless we write one, which some
 *    libkrb5 paths use.  A small generated file read through
 *    krb5_init_context_profile() is the documented, complete path.  It holds
 *    no secret (file names and flags only), is private to this instance
 *    (mkstemp name) and is removed by pkinit_stop().  It must stay while the
 *    context lives: libkrb5 re-stats its profile files and skips a vanished
 *    one, which would silently drop the PKINIT anchors.
 */
#include "kerberos/pkinit.h"

#include <errno.h>
#include <krb5/krb5.h>
#include <profile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "kerberos/principal.h"
#include "platform/clock.h"
#include "platform/err.h"
#include "platform/log.h"
#include "tlv/cablelabs.h"

#define PK_RXBUF 65536          /* a UDP datagram's most */
#define PK_NOMINAL_MAX 600000u  /* RFC 4682 range of the nominal timeout */
#define PK_RETRIES_MAX 1024u

enum pk_state { PK_IDLE, PK_AS, PK_TGS, PK_FAILING, PK_DONE };

struct pkinit_ticket {
	krb5_context ctx;         /* the instance's (borrowed), or its own (owns_ctx) */
	krb5_creds creds;
	int have;
	int owns_ctx;             /* pkinit_ticket_import()'s: pkinit_ticket_free() frees it */
	char client[PRINC_TEXT_MAX];
	char server[PRINC_TEXT_MAX];
};

struct pkinit {
	int state;
	struct loop *l;
	pkinit_done_fn *cb;
	void *arg;
	char *service, *realm, *profile_path, *ifname;
	unsigned nreq;            /* requests made (each on a fresh socket) */
	struct net_addr kdc;
	struct retx_param rp;
	struct retx rx;
	struct loop_timer timer;
	int fd;
	int tgt;
	uint8_t *rxbuf;
	krb5_context ctx;
	krb5_get_init_creds_opt *opt;
	krb5_principal client;
	krb5_init_creds_context icc;
	krb5_tkt_creds_context tcc;
	krb5_ccache cc;
	krb5_data req;            /* the request being (re)transmitted */
	uint8_t reply_tag;        /* first byte of the last reply: 0x6b AS-REP,
	                           * 0x6d TGS-REP, 0x7e KRB-ERROR (RFC 4120 5.4.2, 5.9.1) */
	struct pkinit_result res;
	struct pkinit_ticket tkt;
};

static const char *const pk_reason_names[PKINIT_R__COUNT] = {
	[PKINIT_R_OK] = "ok",
	[PKINIT_R_TIMEOUT] = "timeout",
	[PKINIT_R_KDC_ERROR] = "kdc-error",
	[PKINIT_R_CERT_REJECTED] = "cert-rejected",
	[PKINIT_R_KDC_UNTRUSTED] = "kdc-untrusted",
	[PKINIT_R_IDENTITY] = "identity",
	[PKINIT_R_TOO_BIG] = "response-too-big",
	[PKINIT_R_REALM] = "other-realm",
	[PKINIT_R_NETWORK] = "network",
	[PKINIT_R_KRB5] = "krb5",
};
_Static_assert(sizeof(pk_reason_names) / sizeof(pk_reason_names[0]) == PKINIT_R__COUNT,
	       "a name per reason");

const char *pkinit_reason_str(int reason)
{
	if (reason < 0 || reason >= PKINIT_R__COUNT || !pk_reason_names[reason])
		return "?";
	return pk_reason_names[reason];
}

/* ------------------------------------------------------------ schedule */

int pkinit_backoff_from_cl(const struct cl_backoff *b, struct pkinit_backoff *out)
{
	uint64_t max_ms = (uint64_t)b->maximum * 1000u;   /* RFC 4682: seconds */

	if (b->nominal == 0)
		return E_RANGE;
	out->nominal_ms = b->nominal;                      /* RFC 4682: ms */
	out->max_ms = max_ms > UINT32_MAX ? UINT32_MAX : (uint32_t)max_ms;
	out->retries = b->retries;
	return 0;
}

void pkinit_retx_param(const struct pkinit_backoff *b, struct retx_param *p)
{
	memset(p, 0, sizeof(*p));
	p->irt_ms = b->nominal_ms;
	p->mrt_ms = b->max_ms;
	p->mrc = b->retries + 1u;    /* the first transmission + the retries */
	/* no jitter: the RFC 4682 example doubles exactly (3, 6, 12, 20, 20 s) */
}

/* ------------------------------------------------------------ config */

/* Text that goes into the profile: no line breaks, braces, quotes; no blank
 * ends; not empty.  comma: also refused (FILE:cert,key separator). */
static int pk_text_ok(const char *s, int comma)
{
	size_t n;

	if (s == NULL || (n = strlen(s)) == 0 || n >= 1024)
		return 0;
	if (s[0] == ' ' || s[n - 1] == ' ')
		return 0;
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch < 0x20 || ch == 0x7f || ch == '{' || ch == '}' || ch == '"' ||
		    ch == '#' || ch == ';' || (comma && ch == ','))
			return 0;
	}
	return 1;
}

static int pk_file_ok(const char *path)
{
	return pk_text_ok(path, 1) && access(path, R_OK) == 0;
}

static int pk_realm_ok(const char *r)
{
	if (r == NULL || *r == '\0' || strlen(r) >= PRINC_REALM_MAX)
		return 0;
	for (; *r; r++)
		if (!((*r >= 'A' && *r <= 'Z') || (*r >= '0' && *r <= '9') || *r == '.' ||
		      *r == '-' || *r == '_'))
			return 0;
	return 1;
}

int pkinit_config_check(const struct pkinit_config *c, const char **field)
{
	struct princ sp;
	const char *at;
	const char *f = NULL;
	unsigned i, n;

	if (c == NULL)
		f = "config";
	else if (!pk_realm_ok(c->realm))
		f = "realm";
	else if (!pk_text_ok(c->client, 0) || strlen(c->client) >= PRINC_TEXT_MAX ||
		 strchr(c->client, ' ') || (at = strrchr(c->client, '@')) == NULL ||
		 strcmp(at + 1, c->realm) != 0 || at == c->client)
		f = "client";
	else if (c->service == NULL || princ_parse(c->service, &sp) != PRINC_OK ||
		 strcmp(sp.realm, c->realm) != 0)
		f = "service";
	else if ((c->kdc.family != AF_INET && c->kdc.family != AF_INET6))
		f = "kdc";
	else if (c->ifname != NULL && !pk_text_ok(c->ifname, 1))
		f = "ifname";
	else if (!pk_file_ok(c->cert))
		f = "cert";
	else if (!pk_file_ok(c->key))
		f = "key";
	else if (c->kdc_hostname != NULL && !pk_text_ok(c->kdc_hostname, 1))
		f = "kdc_hostname";
	else if (c->state_dir == NULL || !pk_text_ok(c->state_dir, 0) ||
		 access(c->state_dir, W_OK | X_OK) != 0)
		f = "state_dir";
	else if (c->backoff.nominal_ms == 0 || c->backoff.nominal_ms > PK_NOMINAL_MAX)
		f = "backoff.nominal_ms";
	else if (c->backoff.retries > PK_RETRIES_MAX)
		f = "backoff.retries";
	if (f == NULL) {
		for (i = 0; i < PKINIT_CHAIN_MAX && c->chain[i]; i++)
			if (!pk_file_ok(c->chain[i]))
				f = "chain";
		for (i = 0, n = 0; i < PKINIT_ANCHORS_MAX && c->anchors[i]; i++, n++)
			if (!pk_file_ok(c->anchors[i]))
				f = "anchors";
		if (f == NULL && n == 0)
			f = "anchors";   /* the KDC's reply must be checked against something */
	}
	if (field)
		*field = f;
	return f ? E_INVAL : 0;
}

/* The profile: the realm's PKINIT settings; no KDC, no DNS, no ccache file. */
static int pk_write_profile(struct pkinit *p, const struct pkinit_config *c)
{
	size_t n = strlen(c->state_dir) + sizeof("/krb5-pkinit.XXXXXX");
	FILE *f;
	int fd, bad;
	unsigned i;

	p->profile_path = malloc(n);
	if (p->profile_path == NULL)
		return E_NOMEM;
	snprintf(p->profile_path, n, "%s/krb5-pkinit.XXXXXX", c->state_dir);
	fd = mkstemp(p->profile_path);     /* mode 0600 */
	if (fd < 0 || (f = fdopen(fd, "w")) == NULL) {
		log_warn("pkinit: profile in %s", c->state_dir);
		if (fd >= 0)
			close(fd);
		free(p->profile_path);
		p->profile_path = NULL;
		return E_IO;
	}
	fprintf(f, "# generated by kerberos/pkinit.c for one exchange; removed at its end\n"
		   "[libdefaults]\n"
		   "\tdefault_realm = %s\n"
		   "\tdns_lookup_kdc = false\n"
		   "\tdns_lookup_realm = false\n"
		   "\tdns_fallback = false\n"
		   "\trdns = false\n"
		   "\tdns_canonicalize_hostname = false\n"
		   "\tdefault_ccache_name = MEMORY:pkinit\n"
		   "[realms]\n"
		   "\t%s = {\n",
		c->realm, c->realm);
	for (i = 0; i < PKINIT_ANCHORS_MAX && c->anchors[i]; i++)
		fprintf(f, "\t\tpkinit_anchors = FILE:%s\n", c->anchors[i]);
	for (i = 0; i < PKINIT_CHAIN_MAX && c->chain[i]; i++)
		fprintf(f, "\t\tpkinit_pool = FILE:%s\n", c->chain[i]);
	if (c->kdc_hostname)
		fprintf(f, "\t\tpkinit_kdc_hostname = %s\n", c->kdc_hostname);
	fprintf(f, "\t}\n");
	bad = ferror(f);
	if (fclose(f) != 0 || bad) {
		log_warn("pkinit: write %s", p->profile_path);
		unlink(p->profile_path);
		free(p->profile_path);
		p->profile_path = NULL;
		return E_IO;
	}
	return 0;
}

/* ------------------------------------------------------------ life cycle */

static void pk_timer_cb(void *arg);
static void pk_fd_cb(void *arg, int fd, unsigned events);

struct pkinit *pkinit_new(void)
{
	struct pkinit *p = calloc(1, sizeof(*p));

	if (p) {
		p->fd = -1;
		p->state = PK_IDLE;
		loop_timer_init(&p->timer, pk_timer_cb, p);
	}
	return p;
}

static void pk_free_req(struct pkinit *p)
{
	if (p->ctx)
		krb5_free_data_contents(p->ctx, &p->req);
	memset(&p->req, 0, sizeof(p->req));
}

/* Everything of the exchange except the context and the ticket. */
static void pk_release_exchange(struct pkinit *p)
{
	if (p->l) {
		loop_timer_cancel(p->l, &p->timer);
		net_close_watched(p->l, &p->fd);
	}
	pk_free_req(p);
	if (p->icc)
		krb5_init_creds_free(p->ctx, p->icc);
	if (p->tcc)
		krb5_tkt_creds_free(p->ctx, p->tcc);
	if (p->cc)
		krb5_cc_destroy(p->ctx, p->cc);
	if (p->opt)
		krb5_get_init_creds_opt_free(p->ctx, p->opt);
	if (p->client)
		krb5_free_principal(p->ctx, p->client);
	p->icc = NULL;
	p->tcc = NULL;
	p->cc = NULL;
	p->opt = NULL;
	p->client = NULL;
	free(p->rxbuf);
	p->rxbuf = NULL;
}

void pkinit_stop(struct pkinit *p)
{
	if (p == NULL)
		return;
	pk_release_exchange(p);
	if (p->tkt.have)
		krb5_free_cred_contents(p->ctx, &p->tkt.creds);
	memset(&p->tkt, 0, sizeof(p->tkt));
	if (p->ctx)
		krb5_free_context(p->ctx);
	p->ctx = NULL;
	if (p->profile_path) {
		unlink(p->profile_path);
		free(p->profile_path);
		p->profile_path = NULL;
	}
	free(p->service);
	free(p->realm);
	free(p->ifname);
	p->service = NULL;
	p->realm = NULL;
	p->ifname = NULL;
	p->state = PK_IDLE;
}

void pkinit_free(struct pkinit *p)
{
	pkinit_stop(p);
	free(p);
}

int pkinit_running(const struct pkinit *p)
{
	return p->state == PK_AS || p->state == PK_TGS || p->state == PK_FAILING;
}

/* The end: free the exchange, then call back (the callback may stop or free p,
 * so nothing touches p after it). */
static void pk_finish(struct pkinit *p)
{
	struct pkinit_result res;

	pk_release_exchange(p);
	p->state = PK_DONE;
	res = p->res;
	if (res.reason == PKINIT_R_OK) {
		res.ticket = &p->tkt;
		log_info("pkinit: %s: %s for %s, enctype %d", res.step, p->tkt.client,
			 p->tkt.server, (int)p->tkt.creds.keyblock.enctype);
	} else {
		log_warnx("pkinit: %s failed: %s (krb5 %ld, KDC error %d): %s", res.step,
			  pkinit_reason_str(res.reason), (long)res.krb5_code, res.kdc_error, res.text);
	}
	p->cb(p, &res, p->arg);
}

/* Fail from inside pkinit_start(): reported through the loop, never at once. */
static void pk_fail_later(struct pkinit *p, int reason, int32_t code, const char *text)
{
	p->res.reason = reason;
	p->res.krb5_code = code;
	snprintf(p->res.text, sizeof(p->res.text), "%s", text ? text : "");
	p->state = PK_FAILING;
	loop_timer_arm(p->l, &p->timer, 0);
}

static void pk_fail(struct pkinit *p, int reason, int32_t code, const char *text)
{
	p->res.reason = reason;
	p->res.krb5_code = code;
	snprintf(p->res.text, sizeof(p->res.text), "%s", text ? text : "");
	pk_finish(p);
}

static int pk_kdc_error_is_cert(int e)
{
	/* RFC 4120 7.5.9 / RFC 4556 3.1.3: 24 PREAUTH_FAILED (MIT's answer to a
	 * client cert it cannot verify), 62 CLIENT_NOT_TRUSTED .. 81 */
	return e == 24 || (e >= 62 && e <= 81 && e != 68 && e != 69);
}

/* A libkrb5 failure: who said it (the KDC, or libkrb5 about what it got). */
static void pk_fail_krb5(struct pkinit *p, krb5_error_code code)
{
	krb5_error *kerr = NULL;
	const char *msg = krb5_get_error_message(p->ctx, code);
	int reason = PKINIT_R_KRB5;

	p->res.kdc_error = -1;
	if (p->icc && p->state == PK_AS && krb5_init_creds_get_error(p->ctx, p->icc, &kerr) == 0 &&
	    kerr != NULL && (krb5_error_code)(KRB5KDC_ERR_NONE + kerr->error) == code) {
		/* the KDC's own KRB-ERROR */
		p->res.kdc_error = (int)kerr->error;
		reason = pk_kdc_error_is_cert(p->res.kdc_error) ? PKINIT_R_CERT_REJECTED
							       : PKINIT_R_KDC_ERROR;
	} else if (p->state == PK_TGS && p->reply_tag == 0x7e && code > KRB5KDC_ERR_NONE &&
		   code <= KRB5KDC_ERR_NONE + 127) {
		/* tkt_creds has no get_error: a protocol code after a KRB-ERROR is the KDC's */
		p->res.kdc_error = (int)(code - KRB5KDC_ERR_NONE);
		reason = PKINIT_R_KDC_ERROR;
	} else if (code == KRB5KRB_ERR_RESPONSE_TOO_BIG) {
		reason = PKINIT_R_TOO_BIG;
	} else if (p->state == PK_AS && p->reply_tag == 0x6b) {
		/* libkrb5 refused the KDC's AS-REP: PKINIT could not verify the
		 * KDC's signature / certificate against our anchors (MIT 1.20 may
		 * say only "Input/output error" then) */
		reason = PKINIT_R_KDC_UNTRUSTED;
	} else if (code == KRB5KDC_ERR_KDC_NOT_TRUSTED || code == KRB5KDC_ERR_KDC_NAME_MISMATCH ||
		   code == KRB5KDC_ERR_INVALID_SIG || code == KRB5KDC_ERR_CANT_VERIFY_CERTIFICATE ||
		   code == KRB5KDC_ERR_INVALID_CERTIFICATE || code == KRB5_KDCREP_MODIFIED) {
		reason = PKINIT_R_KDC_UNTRUSTED;
	} else if (code == KRB5_PREAUTH_FAILED || code == KRB5_PREAUTH_NO_KEY ||
		   code == KRB5KDC_ERR_PREAUTH_FAILED || (code > 0 && code < 256)) {
		/* no usable identity: PKINIT could not make its padata (a bad
		 * cert/key file, or a chain that does not verify locally) */
		reason = PKINIT_R_IDENTITY;
	}
	if (p->res.kdc_error >= 0 && kerr && kerr->text.length > 0 && kerr->text.data)
		snprintf(p->res.text, sizeof(p->res.text), "%s (KDC: %.*s)", msg ? msg : "",
			 (int)kerr->text.length, kerr->text.data);
	else
		snprintf(p->res.text, sizeof(p->res.text), "%s", msg ? msg : "");
	if (kerr)
		krb5_free_error(p->ctx, kerr);
	krb5_free_error_message(p->ctx, msg);
	p->res.reason = reason;
	p->res.krb5_code = code;
	pk_finish(p);
}

/* ------------------------------------------------------------ wire */

static void pk_transmit(struct pkinit *p)
{
	uint32_t wait = 0;
	int rc;

	rc = net_udp_send(p->fd, p->req.data, p->req.length, &p->kdc);
	if (rc < 0)
		/* a lost datagram as far as the schedule goes */
		log_warnx("pkinit: send %u bytes to the KDC: %s", (unsigned)p->req.length,
			  err_str(rc));
	if (p->state == PK_AS)
		p->res.as_sent++;
	else
		p->res.tgs_sent++;
	retx_next(&p->rx, clock_mono_ms(), 0, &wait);   /* no MRD: cannot fail */
	loop_timer_arm(p->l, &p->timer, wait);
}

/* A new request (the first, or the next one after a reply). */
/* A socket for one request.  Each request gets a fresh one (a new source
 * port), as MIT's own sendto does: a late answer to an earlier request (the
 * KDC answered both the request and its retransmission) then meets a closed
 * port instead of being taken as the answer to the current request. */
static int pk_open_socket(struct pkinit *p)
{
	struct net_addr bind = { .family = p->kdc.family };
	int fd;

	net_close_watched(p->l, &p->fd);
	fd = net_udp_open(&bind, p->ifname, 0);
	if (fd < 0)
		return fd;
	if (loop_watch_fd(p->l, fd, LOOP_IN, pk_fd_cb, p) < 0) {
		net_close(fd);
		return E_IO;
	}
	p->fd = fd;
	return 0;
}

static void pk_send_new(struct pkinit *p, krb5_data *out)
{
	if (p->nreq++ > 0 && pk_open_socket(p) < 0) {
		krb5_free_data_contents(p->ctx, out);
		pk_fail(p, PKINIT_R_NETWORK, 0, "no UDP socket for the next request");
		return;
	}
	pk_free_req(p);
	p->req = *out;
	memset(out, 0, sizeof(*out));
	p->res.step = p->state == PK_AS ? "eUE-9" : "eUE-11";
	retx_start(&p->rx, &p->rp, clock_mono_ms());
	pk_transmit(p);
}

/* The principals' text, for traces and the cache's rules. */
static void tkt_names(struct pkinit_ticket *t)
{
	char *name;

	if (krb5_unparse_name(t->ctx, t->creds.client, &name) == 0) {
		snprintf(t->client, sizeof(t->client), "%s", name);
		krb5_free_unparsed_name(t->ctx, name);
	}
	if (krb5_unparse_name(t->ctx, t->creds.server, &name) == 0) {
		snprintf(t->server, sizeof(t->server), "%s", name);
		krb5_free_unparsed_name(t->ctx, name);
	}
}

int pkinit_ctx_own_clock(struct _krb5_context *ctx)
{
	struct timeval tv;

	/* libkrb5 reads the system clock itself: offset = given - its own time */
	if (gettimeofday(&tv, NULL) < 0 ||
	    krb5_set_real_time(ctx, (krb5_timestamp)tv.tv_sec, (krb5_int32)tv.tv_usec) != 0)
		return E_IO;
	return 0;
}

static void pk_ticket_take(struct pkinit *p, krb5_creds *creds)
{
	if (pkinit_ctx_own_clock(p->ctx) < 0)
		log_warnx("pkinit: cannot reset the context's time offset");
	p->tkt.ctx = p->ctx;
	p->tkt.creds = *creds;        /* the contents move into the ticket */
	p->tkt.have = 1;
	memset(creds, 0, sizeof(*creds));
	tkt_names(&p->tkt);
	p->res.reason = PKINIT_R_OK;
	p->res.krb5_code = 0;
	p->res.kdc_error = -1;
	p->res.text[0] = '\0';
}

static void pk_step(struct pkinit *p, krb5_data *in);

/* 122.7: the TGT goes into a MEMORY ccache, tkt_creds asks the TGS with it. */
static void pk_start_tgs(struct pkinit *p, krb5_creds *tgt)
{
	krb5_creds in;
	krb5_principal server = NULL;
	krb5_error_code code;
	krb5_data empty = { 0 };

	memset(&in, 0, sizeof(in));
	code = krb5_cc_new_unique(p->ctx, "MEMORY", NULL, &p->cc);
	if (!code)
		code = krb5_cc_initialize(p->ctx, p->cc, tgt->client);
	if (!code)
		code = krb5_cc_store_cred(p->ctx, p->cc, tgt);
	if (!code)
		code = krb5_parse_name(p->ctx, p->service, &server);
	krb5_free_cred_contents(p->ctx, tgt);
	if (code) {
		pk_fail_krb5(p, code);
		return;
	}
	in.client = p->client;
	in.server = server;
	code = krb5_tkt_creds_init(p->ctx, p->cc, &in, 0, &p->tcc);
	krb5_free_principal(p->ctx, server);
	if (code) {
		pk_fail_krb5(p, code);
		return;
	}
	/* the AS is done: its context goes, so get_error cannot mix the two */
	krb5_init_creds_free(p->ctx, p->icc);
	p->icc = NULL;
	p->state = PK_TGS;
	p->res.step = "eUE-11";
	pk_step(p, &empty);
}

/* Feed libkrb5 (in: the KDC's reply, empty at first) and act on its answer. */
static void pk_step(struct pkinit *p, krb5_data *in)
{
	krb5_data out = { 0 }, realm = { 0 };
	unsigned flags = 0;
	krb5_error_code code;
	krb5_creds creds;

	if (p->state == PK_AS)
		code = krb5_init_creds_step(p->ctx, p->icc, in, &out, &realm, &flags);
	else
		code = krb5_tkt_creds_step(p->ctx, p->tcc, in, &out, &realm, &flags);
	if (code) {
		krb5_free_data_contents(p->ctx, &out);
		krb5_free_data_contents(p->ctx, &realm);
		pk_fail_krb5(p, code);
		return;
	}
	if (flags & KRB5_INIT_CREDS_STEP_FLAG_CONTINUE) {   /* same value for tkt_creds */
		int same = realm.length == strlen(p->realm) &&
			   memcmp(realm.data, p->realm, realm.length) == 0;

		if (!same) {
			char text[96];

			snprintf(text, sizeof(text), "libkrb5 wants a KDC of realm %.*s",
				 (int)(realm.length < 64 ? realm.length : 64), realm.data);
			krb5_free_data_contents(p->ctx, &out);
			krb5_free_data_contents(p->ctx, &realm);
			pk_fail(p, PKINIT_R_REALM, 0, text);
			return;
		}
		krb5_free_data_contents(p->ctx, &realm);
		pk_send_new(p, &out);
		return;
	}
	krb5_free_data_contents(p->ctx, &out);
	krb5_free_data_contents(p->ctx, &realm);
	memset(&creds, 0, sizeof(creds));
	if (p->state == PK_AS) {
		p->res.step = "eUE-10";
		code = krb5_init_creds_get_creds(p->ctx, p->icc, &creds);
		if (code) {
			pk_fail_krb5(p, code);
			return;
		}
		if (p->tgt) {
			pk_start_tgs(p, &creds);
			return;
		}
	} else {
		p->res.step = "eUE-12";
		code = krb5_tkt_creds_get_creds(p->ctx, p->tcc, &creds);
		if (code) {
			pk_fail_krb5(p, code);
			return;
		}
	}
	pk_ticket_take(p, &creds);
	pk_finish(p);
}

static void pk_timer_cb(void *arg)
{
	struct pkinit *p = arg;

	if (p->state == PK_FAILING) {
		pk_finish(p);
		return;
	}
	if (p->state != PK_AS && p->state != PK_TGS)
		return;
	if (retx_expired(&p->rx, clock_mono_ms())) {
		char text[96];

		snprintf(text, sizeof(text), "no reply from the KDC to %u transmissions",
			 p->rx.count);
		pk_fail(p, PKINIT_R_TIMEOUT, 0, text);
		return;
	}
	pk_transmit(p);
}

static int pk_from_kdc(const struct pkinit *p, const struct net_addr *from)
{
	size_t n = from->family == AF_INET ? 4 : 16;

	return from->family == p->kdc.family && from->port == p->kdc.port &&
	       memcmp(from->addr, p->kdc.addr, n) == 0;
}

static void pk_fd_cb(void *arg, int fd, unsigned events)
{
	struct pkinit *p = arg;
	struct net_addr from;
	krb5_data in;
	ssize_t n;

	(void)events;
	if (p->state != PK_AS && p->state != PK_TGS)
		return;
	for (;;) {
		memset(&from, 0, sizeof(from));
		n = net_udp_recv(fd, p->rxbuf, PK_RXBUF, &from, NULL);
		if (n < 0)
			return;   /* E_AGAIN, or an error the schedule will outlive */
		if (n == 0 || !pk_from_kdc(p, &from)) {
			char a[64];

			log_debug("pkinit: %zd bytes from %s dropped (not the KDC)", n,
				  net_addr_str(&from, a, sizeof(a)));
			continue;
		}
		break;
	}
	loop_timer_cancel(p->l, &p->timer);
	p->reply_tag = p->rxbuf[0];
	p->res.step = p->state == PK_AS ? "eUE-10" : "eUE-12";
	in.magic = KV5M_DATA;
	in.length = (unsigned)n;
	in.data = (char *)p->rxbuf;
	pk_step(p, &in);    /* may finish and free p: nothing after this */
}

/* ------------------------------------------------------------ start */

static char *pk_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);

	if (d)
		memcpy(d, s, n);
	return d;
}

int pkinit_start(struct pkinit *p, struct loop *l, const struct pkinit_config *c,
		 pkinit_done_fn *cb, void *arg)
{
	const char *field = NULL;
	profile_t prof = NULL;
	const_profile_filespec_t files[2];
	krb5_error_code code;
	krb5_data empty = { 0 };
	char *ident = NULL;
	size_t n;
	int rc;

	if (p == NULL || l == NULL || cb == NULL)
		return E_INVAL;
	if (pkinit_running(p))
		return E_STATE;
	if (pkinit_config_check(c, &field) != 0) {
		log_warnx("pkinit: bad configuration: %s", field);
		return E_INVAL;
	}
	pkinit_stop(p);            /* the previous ticket and context */
	memset(&p->res, 0, sizeof(p->res));
	p->reply_tag = 0;
	p->res.kdc_error = -1;
	p->res.step = "eUE-9";
	p->l = l;
	p->cb = cb;
	p->arg = arg;
	p->tgt = c->tgt ? 1 : 0;
	p->kdc = c->kdc;
	if (p->kdc.port == 0)
		p->kdc.port = PKINIT_KDC_PORT;
	pkinit_retx_param(&c->backoff, &p->rp);
	p->service = pk_strdup(c->service);
	p->realm = pk_strdup(c->realm);
	p->ifname = c->ifname ? pk_strdup(c->ifname) : NULL;
	p->rxbuf = malloc(PK_RXBUF);
	p->nreq = 0;
	if (!p->service || !p->realm || !p->rxbuf || (c->ifname && !p->ifname)) {
		rc = E_NOMEM;
		goto fail;
	}
	rc = pk_write_profile(p, c);
	if (rc)
		goto fail;
	files[0] = p->profile_path;
	files[1] = NULL;
	if (profile_init(files, &prof) != 0) {
		rc = E_IO;
		goto fail;
	}
	code = krb5_init_context_profile(prof, KRB5_INIT_CONTEXT_SECURE, &p->ctx);
	profile_release(prof);
	if (code) {
		p->ctx = NULL;
		rc = E_IO;
		goto fail;
	}
	rc = pk_open_socket(p);    /* the first request's, so a failure is returned */
	if (rc < 0)
		goto fail;
	p->state = PK_AS;

	/* from here on, a failure is libkrb5's and goes through the callback */
	n = strlen(c->cert) + strlen(c->key) + sizeof("FILE:,");
	ident = malloc(n);
	if (ident == NULL) {
		pk_fail_later(p, PKINIT_R_KRB5, ENOMEM, "out of memory");
		return 0;
	}
	snprintf(ident, n, "FILE:%s,%s", c->cert, c->key);
	code = krb5_parse_name(p->ctx, c->client, &p->client);
	if (!code)
		code = krb5_get_init_creds_opt_alloc(p->ctx, &p->opt);
	if (!code)
		code = krb5_get_init_creds_opt_set_pa(p->ctx, p->opt, "X509_user_identity", ident);
	/*
	 * RSA key transport (RFC 4556 3.2.3.2), not Diffie-Hellman: the KDC
	 * encrypts the reply key to the device certificate's RSA key.  DH cost
	 * the device a 2048-bit key pair, the shared secret and OpenSSL 3's
	 * check of the KDC's public value (y^q mod p, a full-size modexp inside
	 * EVP_PKEY_derive_set_peer, 33 M instructions alone): 42 M of the 88 M
	 * instructions eued spent in krb5_init_creds_step (callgrind; make
	 * bench).  libkrb5's "flag_RSA_PROTOCOL", as kinit -X.
	 */
	if (!code)
		code = krb5_get_init_creds_opt_set_pa(p->ctx, p->opt, "flag_RSA_PROTOCOL", "yes");
	if (!code)
		code = krb5_init_creds_init(p->ctx, p->client, NULL, NULL, 0, p->opt, &p->icc);
	if (!code && !p->tgt)
		/* no TGT asked: the AS-REQ's server is the provisioning service */
		code = krb5_init_creds_set_service(p->ctx, p->icc, p->service);
	free(ident);
	if (code) {
		const char *msg = krb5_get_error_message(p->ctx, code);

		pk_fail_later(p, PKINIT_R_KRB5, code, msg);
		krb5_free_error_message(p->ctx, msg);
		return 0;
	}
	/* the first AS-REQ, built here so a libkrb5 refusal is still reported
	 * through the loop rather than from inside pkinit_start() */
	{
		krb5_data out = { 0 }, realm = { 0 };
		unsigned flags = 0;

		code = krb5_init_creds_step(p->ctx, p->icc, &empty, &out, &realm, &flags);
		if (!code && (!(flags & KRB5_INIT_CREDS_STEP_FLAG_CONTINUE) ||
			      realm.length != strlen(p->realm) ||
			      memcmp(realm.data, p->realm, realm.length) != 0))
			code = KRB5_REALM_UNKNOWN;
		krb5_free_data_contents(p->ctx, &realm);
		if (code) {
			const char *msg = krb5_get_error_message(p->ctx, code);

			krb5_free_data_contents(p->ctx, &out);
			pk_fail_later(p, PKINIT_R_KRB5, code, msg);
			krb5_free_error_message(p->ctx, msg);
			return 0;
		}
		pk_send_new(p, &out);
	}
	return 0;

fail:
	log_warnx("pkinit: start: %s", err_str(rc));
	pkinit_stop(p);
	return rc;
}

/* ------------------------------------------------------------ ticket */

int32_t pkinit_ticket_enctype(const struct pkinit_ticket *t)
{
	return t->creds.keyblock.enctype;
}

const uint8_t *pkinit_ticket_key(const struct pkinit_ticket *t, size_t *len)
{
	*len = t->creds.keyblock.length;
	return t->creds.keyblock.contents;
}

const uint8_t *pkinit_ticket_der(const struct pkinit_ticket *t, size_t *len)
{
	*len = t->creds.ticket.length;
	return (const uint8_t *)t->creds.ticket.data;
}

int64_t pkinit_ticket_endtime(const struct pkinit_ticket *t)
{
	return (int64_t)(uint32_t)t->creds.times.endtime;   /* 1.17+: unsigned */
}

const char *pkinit_ticket_client(const struct pkinit_ticket *t)
{
	return t->client;
}

const char *pkinit_ticket_server(const struct pkinit_ticket *t)
{
	return t->server;
}

const struct _krb5_creds *pkinit_ticket_creds(const struct pkinit_ticket *t)
{
	return &t->creds;
}

struct _krb5_context *pkinit_ticket_context(const struct pkinit_ticket *t)
{
	return t->ctx;
}

/*
 * The ticket across resets (Table 5 note 3): libkrb5's own serialisation
 * (the FILE ccache v4 credential format) rather than ours, so every field
 * MIT keeps (flags, addresses, authdata, the second ticket) survives.  A
 * loaded ticket owns a plain secure context: krb5_mk_req_extended() needs
 * the creds and a context, not the PKINIT profile that obtained them.
 */
int pkinit_ticket_export(const struct pkinit_ticket *t, uint8_t *out, size_t cap, size_t *len)
{
	krb5_data *d = NULL;
	int rc = 0;

	if (krb5_marshal_credentials(t->ctx, (krb5_creds *)&t->creds, &d) != 0)
		return E_NOMEM;
	if (d->length > cap)
		rc = E_OVERFLOW;
	else {
		memcpy(out, d->data, d->length);
		*len = d->length;
	}
	krb5_free_data(t->ctx, d);
	return rc;
}

int pkinit_ticket_import(struct pkinit_ticket **out, const uint8_t *buf, size_t len)
{
	struct pkinit_ticket *t;
	krb5_creds *c = NULL;
	krb5_data d;

	*out = NULL;
	if (len == 0 || len > UINT32_MAX)
		return E_INVAL;
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return E_NOMEM;
	if (krb5_init_secure_context(&t->ctx) != 0) {
		free(t);
		return E_NOMEM;
	}
	d.magic = KV5M_DATA;
	d.length = (unsigned int)len;
	d.data = (char *)buf;
	if (krb5_unmarshal_credentials(t->ctx, &d, &c) != 0 || c->client == NULL ||
	    c->server == NULL || c->ticket.length == 0 || c->keyblock.length == 0) {
		if (c)
			krb5_free_creds(t->ctx, c);
		krb5_free_context(t->ctx);
		free(t);
		return E_PROTO;
	}
	t->creds = *c;          /* the contents move into the ticket */
	free(c);
	t->have = 1;
	t->owns_ctx = 1;
	tkt_names(t);
	*out = t;
	return 0;
}

int64_t pkinit_ticket_starttime(const struct pkinit_ticket *t)
{
	uint32_t s = (uint32_t)(t->creds.times.starttime ? t->creds.times.starttime
							 : t->creds.times.authtime);

	return (int64_t)s;
}

void pkinit_ticket_free(struct pkinit_ticket *t)
{
	if (t == NULL || !t->owns_ctx)
		return;   /* a PKINIT instance's ticket goes with pkinit_stop() */
	if (t->have)
		krb5_free_cred_contents(t->ctx, &t->creds);
	krb5_free_context(t->ctx);
	free(t);
}
