/* test_eue_km.c: eUE-13 / eUE-14's key-management client (eue/eue_km.h)
 * without a network: the fake net and clock, and libkrb5 on both sides.
 * The test plays the provisioning server with libkrb5 itself: a service
 * key in a MEMORY keytab, a ticket for it made in-process (no KDC), and
 * krb5_rd_req() / krb5_mk_rep() with a server subkey (CONTRACT.md 3).
 * Covered: the AP Request's bytes (KMMID, nonce 0, DOI 2 data, the offer,
 * the HMAC with the session key), a good AP Reply (keys = km_usm_derive of
 * the server's subkey), ACK-required (the Security Parameter Recovered), a wrong HMAC, a ciphersuite not offered, another
 * user, an Error Reply with its code and text, a reply from another port,
 * and the 122.5 schedule to its timeout.  Server-initiated: a Wake Up's
 * nonce is echoed in the AP Request; Wake Ups that are not for us are
 * refused (another principal, another message, DOI IPsec, garbage). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <krb5/krb5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "eue/eue_km.h"
#include "kerberos/km_keys.h"
#include "kerberos/pktc_km.h"
#include "platform/err.h"
#include "platform/log.h"
#include "platform/loop.h"
#include "tests/fake/fake.h"
#include "tlv/cablelabs.h"
#include "tlv/wr.h"

/*
 * Two libkrb5 functions the KDC uses to make a ticket: exported by
 * libkrb5.so.3 (symbol version krb5_3_MIT) but declared only in MIT's
 * internal headers.  Test-only: the product never makes tickets.
 */
krb5_error_code krb5_encrypt_tkt_part(krb5_context, const krb5_keyblock *, krb5_ticket *);
krb5_error_code encode_krb5_ticket(const krb5_ticket *, krb5_data **);

#define SERVICE "mtaprovsrvr/prov.example.net@EXAMPLE.NET"
#define CLIENT "mta/eue1.example.net@EXAMPLE.NET"
static const uint8_t mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x0e, 0x01 };
static const uint8_t srv_engine[9] = { 0x80, 0x00, 0x11, 0x8b, 0x04, 'p', 'r', 'o', 'v' };

struct world {
	krb5_context ctx;
	krb5_keyblock *srvkey, *sesskey;
	krb5_principal server, client;
	krb5_keytab kt;
	krb5_creds creds;
	struct loop *l;
	struct kmc *c;
	struct kmc_config cfg;
	/* what the callback saw */
	int calls;
	struct kmc_result r;
	struct km_usm_keys keys;
	char text[256];
};

static void done(struct kmc *c, const struct kmc_result *r, void *arg)
{
	struct world *w = arg;

	(void)c;
	w->calls++;
	w->r = *r;
	w->r.keys = NULL;
	snprintf(w->text, sizeof(w->text), "%s", r->text);
	if (r->keys)
		w->keys = *r->keys;
}

/* A service ticket for SERVICE, encrypted in the keytab's key. */
static void make_ticket(struct world *w)
{
	krb5_enc_tkt_part enc;
	krb5_ticket tkt;
	krb5_data *der = NULL;
	krb5_timestamp now = (krb5_timestamp)time(NULL);

	memset(&enc, 0, sizeof(enc));
	enc.magic = KV5M_ENC_TKT_PART;
	enc.session = w->sesskey;
	enc.client = w->client;
	enc.transited.tr_type = KRB5_DOMAIN_X500_COMPRESS;
	enc.times.authtime = now;
	enc.times.starttime = now;
	enc.times.endtime = now + 3600;
	memset(&tkt, 0, sizeof(tkt));
	tkt.magic = KV5M_TICKET;
	tkt.server = w->server;
	tkt.enc_part2 = &enc;
	assert_int_equal(krb5_encrypt_tkt_part(w->ctx, w->srvkey, &tkt), 0);
	assert_int_equal(encode_krb5_ticket(&tkt, &der), 0);
	krb5_free_data_contents(w->ctx, &tkt.enc_part.ciphertext);

	memset(&w->creds, 0, sizeof(w->creds));
	w->creds.magic = KV5M_CREDS;
	w->creds.client = w->client;
	w->creds.server = w->server;
	w->creds.keyblock = *w->sesskey;
	w->creds.times = enc.times;
	w->creds.ticket = *der;
	free(der);
}

static int setup(void **state)
{
	struct world *w = calloc(1, sizeof(*w));
	krb5_keytab_entry ent;
	char ktname[64];

	log_init("test", LOG_LVL_ERR);
	assert_non_null(w);
	assert_int_equal(krb5_init_context(&w->ctx), 0);
	assert_int_equal(krb5_parse_name(w->ctx, SERVICE, &w->server), 0);
	assert_int_equal(krb5_parse_name(w->ctx, CLIENT, &w->client), 0);
	w->srvkey = calloc(1, sizeof(*w->srvkey));
	w->sesskey = calloc(1, sizeof(*w->sesskey));
	assert_int_equal(krb5_c_make_random_key(w->ctx, ENCTYPE_AES256_CTS_HMAC_SHA1_96, w->srvkey), 0);
	assert_int_equal(krb5_c_make_random_key(w->ctx, ENCTYPE_AES256_CTS_HMAC_SHA1_96, w->sesskey), 0);
	snprintf(ktname, sizeof(ktname), "MEMORY:test_eue_km_%p", (void *)w);
	assert_int_equal(krb5_kt_resolve(w->ctx, ktname, &w->kt), 0);
	memset(&ent, 0, sizeof(ent));
	ent.principal = w->server;
	ent.vno = 1;
	ent.key = *w->srvkey;
	assert_int_equal(krb5_kt_add_entry(w->ctx, w->kt, &ent), 0);
	make_ticket(w);

	fake_net_reset();
	fake_clock_set_ms(0);
	w->l = loop_new();
	w->c = kmc_new();
	memset(&w->cfg, 0, sizeof(w->cfg));
	w->cfg.server.family = AF_INET6;
	w->cfg.server.addr[0] = 0x20;
	w->cfg.server.addr[1] = 0x01;
	w->cfg.server.addr[2] = 0x0d;
	w->cfg.server.addr[3] = 0xb8;
	w->cfg.server.addr[15] = 0x10;
	w->cfg.local = w->cfg.server;
	w->cfg.local.addr[15] = 0x99;
	w->cfg.backoff = (struct pkinit_backoff){ .nominal_ms = 1000, .max_ms = 4000, .retries = 2 };
	w->cfg.ctx = w->ctx;
	w->cfg.creds = &w->creds;
	memcpy(w->cfg.engine_id, "\x80\x00\x11\x8b\x03\x02\x00\x00\x00\x0e\x01", 11);
	w->cfg.engine_id_len = 11;
	w->cfg.boots = 1;
	kmc_user_from_mac(mac, w->cfg.user);
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	struct world *w = *state;

	kmc_free(w->c);
	loop_free(w->l);
	krb5_free_data_contents(w->ctx, &w->creds.ticket);
	krb5_kt_close(w->ctx, w->kt);
	krb5_free_keyblock(w->ctx, w->srvkey);
	krb5_free_keyblock(w->ctx, w->sesskey);
	krb5_free_principal(w->ctx, w->server);
	krb5_free_principal(w->ctx, w->client);
	krb5_free_context(w->ctx);
	km_usm_keys_clear(&w->keys);
	free(w);
	return 0;
}

static void start(struct world *w)
{
	assert_int_equal(kmc_start(w->c, w->l, &w->cfg, done, w), 0);
	assert_true(kmc_running(w->c));
	assert_int_equal(fake_net_tx_count(), 1);
}

/* What the server does (CONTRACT.md 3): the AP Reply to the first AP
 * Request sent, with a subkey; cs / user / hmac can be spoiled. */
struct spoil {
	struct km_cs cs;
	const char *user;
	int bad_hmac;
	int ack;
};

static size_t server_reply(struct world *w, const struct spoil *s, uint8_t *out, size_t cap,
			   krb5_keyblock **subkey)
{
	const struct fake_pkt *req = fake_net_tx(0);
	struct km_msg m, rep;
	krb5_auth_context sac = NULL;
	krb5_ticket *tkt = NULL;
	krb5_data in, ap = { 0 };
	krb5_key sk = NULL;
	struct wr wo;

	assert_int_equal(km_decode(&m, req->data, req->len, NULL), 0);
	assert_int_equal(km_mac_verify(req->data, req->len, m.hmac_off, w->sesskey->contents,
				       w->sesskey->length), 0);
	in.magic = KV5M_DATA;
	in.length = (unsigned)m.krb.len;
	in.data = (char *)(uintptr_t)m.krb.p;
	assert_int_equal(krb5_auth_con_init(w->ctx, &sac), 0);
	/* no DO_TIME: no replay cache file for a unit test */
	assert_int_equal(krb5_auth_con_setflags(w->ctx, sac, KRB5_AUTH_CONTEXT_USE_SUBKEY), 0);
	assert_int_equal(krb5_rd_req(w->ctx, &sac, &in, w->server, w->kt, NULL, &tkt), 0);
	assert_int_equal(krb5_mk_rep(w->ctx, sac, &ap), 0);
	assert_int_equal(krb5_auth_con_getsendsubkey_k(w->ctx, sac, &sk), 0);
	assert_non_null(sk);
	assert_int_equal(krb5_k_key_keyblock(w->ctx, sk, subkey), 0);
	krb5_k_free_key(w->ctx, sk);

	km_msg_init(&rep, KM_AP_REP);
	rep.krb.p = (const uint8_t *)ap.data;
	rep.krb.len = ap.length;
	memcpy(rep.asd.engine_id, srv_engine, sizeof(srv_engine));
	rep.asd.engine_id_len = sizeof(srv_engine);
	rep.asd.boots = 7;
	rep.asd.time = 1234;
	snprintf(rep.asd.user, sizeof(rep.asd.user), "%s", s->user ? s->user : m.asd.user);
	rep.cs[0] = s->cs;
	rep.n_cs = 1;
	rep.lifetime = 604800;
	rep.grace = 3600;
	rep.ack_required = (uint8_t)s->ack;
	wr_init(&wo, out, cap);
	assert_int_equal(km_encode(&rep, &wo), 0);
	assert_int_equal(km_mac_seal(out, wo.len, rep.hmac_off, (*subkey)->contents,
				     (*subkey)->length), 0);
	if (s->bad_hmac)
		out[wo.len - 1] ^= 1;
	krb5_free_data_contents(w->ctx, &ap);
	krb5_free_ticket(w->ctx, tkt);
	krb5_auth_con_free(w->ctx, sac);
	return wo.len;
}

static void inject(struct world *w, uint16_t port, const uint8_t *b, size_t n)
{
	struct net_addr from = w->cfg.server;
	int fd = fake_net_fd(0);

	from.port = port;
	assert_int_equal(fake_net_inject(fd, &from, NULL, b, n), 0);
	loop_fd_dispatch(w->l, fd, LOOP_IN);
}

static void test_user_and_backoff(void **state)
{
	struct cl_backoff b = { .nominal = 5000, .maximum = 60, .retries = 4 };
	struct pkinit_backoff o;
	char u[13];

	(void)state;
	kmc_user_from_mac(mac, u);
	assert_string_equal(u, "020000000e01");
	kmc_backoff_from_cl(&b, 1, &o);
	assert_int_equal(o.nominal_ms, 5000);
	assert_int_equal(o.max_ms, 60000);
	assert_int_equal(o.retries, 4);
	kmc_backoff_from_cl(&b, 0, &o);
	assert_int_equal(o.nominal_ms, 3000);
	assert_int_equal(o.max_ms, 100000);
	assert_int_equal(o.retries, 8);
	b.nominal = 0;           /* out of range: the defaults */
	kmc_backoff_from_cl(&b, 1, &o);
	assert_int_equal(o.nominal_ms, 3000);
}

/* The AP Request as the contract has it. */
static void test_ap_request_bytes(void **state)
{
	struct world *w = *state;
	const struct fake_pkt *p;
	struct km_msg m;

	start(w);
	p = fake_net_tx(0);
	assert_int_equal(p->peer.port, KM_PORT);
	assert_int_equal(km_decode(&m, p->data, p->len, NULL), 0);
	assert_int_equal(m.kmmid, KM_AP_REQ);
	assert_int_equal(m.doi, KM_DOI_SNMPV3);
	assert_int_equal(m.version, KM_VERSION);
	assert_int_equal(m.krb.p[0], KM_TAG_AP_REQ);
	assert_int_equal(m.nonce, 0);
	assert_int_equal(m.asd.engine_id_len, 11);
	assert_memory_equal(m.asd.engine_id, w->cfg.engine_id, 11);
	assert_int_equal(m.asd.boots, 1);
	assert_int_equal(m.asd.time, 0);
	assert_string_equal(m.asd.user, "020000000e01");
	assert_int_equal(m.n_cs, 3);
	assert_int_equal(m.cs[0].auth, KM_SNMP_AUTH_SHA1);
	assert_int_equal(m.cs[0].priv, KM_SNMP_PRIV_AES);
	assert_int_equal(m.cs[1].priv, KM_SNMP_PRIV_DES);
	assert_int_equal(m.cs[2].auth, KM_SNMP_AUTH_MD5);
	assert_int_equal(m.reestablish, 0);
	/* A2: keyed with the ticket's session key, not with anything else */
	assert_int_equal(km_mac_verify(p->data, p->len, m.hmac_off, w->sesskey->contents,
				       w->sesskey->length), 0);
	assert_int_equal(km_mac_verify(p->data, p->len, m.hmac_off, w->srvkey->contents,
				       w->srvkey->length), E_AUTH);
}

static void test_ap_reply_ok(void **state)
{
	struct world *w = *state;
	struct spoil s = { .cs = { KM_SNMP_AUTH_SHA1, KM_SNMP_PRIV_AES } };
	struct km_usm_keys want;
	krb5_keyblock *sub = NULL;
	uint8_t b[2048];
	size_t n;

	start(w);
	n = server_reply(w, &s, b, sizeof(b), &sub);
	inject(w, 4444, b, n);                  /* another port: not the server's */
	assert_int_equal(w->calls, 0);
	inject(w, KM_PORT, b, n);
	assert_int_equal(w->calls, 1);
	assert_int_equal(w->r.reason, KMC_R_OK);
	assert_int_equal(w->r.cs.auth, KM_SNMP_AUTH_SHA1);
	assert_int_equal(w->r.cs.priv, KM_SNMP_PRIV_AES);
	assert_int_equal(w->r.server.engine_id_len, sizeof(srv_engine));
	assert_memory_equal(w->r.server.engine_id, srv_engine, sizeof(srv_engine));
	assert_int_equal(w->r.server.boots, 7);
	assert_int_equal(w->r.lifetime, 604800);
	assert_int_equal(w->r.sent, 1);
	assert_int_equal(km_usm_derive(sub->contents, sub->length, KM_SNMP_AUTH_SHA1,
				       KM_SNMP_PRIV_AES, &want), 0);
	assert_int_equal(w->keys.auth_len, 20);
	assert_int_equal(w->keys.priv_len, 16);
	assert_memory_equal(w->keys.auth, want.auth, 20);
	assert_memory_equal(w->keys.priv, want.priv, 16);
	km_usm_keys_clear(&want);
	assert_false(kmc_running(w->c));
	assert_int_equal(loop_fd_count(w->l), 0);
	assert_int_equal(loop_timer_count(w->l), 0);
	krb5_free_keyblock(w->ctx, sub);
}

/* ACK-required: the Security Parameter Recovered goes back, sealed with the subkey. */
static void test_ap_reply_ack_required(void **state)
{
	struct world *w = *state;
	struct spoil s = { .cs = { KM_SNMP_AUTH_MD5, KM_SNMP_PRIV_DES }, .ack = 1 };
	krb5_keyblock *sub = NULL;
	const struct fake_pkt *p;
	struct km_msg m;
	uint8_t b[2048];
	size_t n;

	start(w);
	n = server_reply(w, &s, b, sizeof(b), &sub);
	inject(w, KM_PORT, b, n);
	assert_int_equal(w->calls, 1);
	assert_int_equal(w->r.reason, KMC_R_OK);
	assert_int_equal(w->keys.auth_len, 16);      /* HMAC-MD5 */
	assert_int_equal(w->keys.priv_len, 16);      /* DES key + pre-IV */
	assert_int_equal(fake_net_tx_count(), 2);
	p = fake_net_tx(1);
	assert_int_equal(p->peer.port, KM_PORT);
	assert_int_equal(km_decode(&m, p->data, p->len, NULL), 0);
	assert_int_equal(m.kmmid, KM_SP_RECOVERED);
	assert_int_equal(km_mac_verify(p->data, p->len, m.hmac_off, sub->contents, sub->length), 0);
	krb5_free_keyblock(w->ctx, sub);
}

static void spoiled(struct world *w, const struct spoil *s, const char *text)
{
	krb5_keyblock *sub = NULL;
	uint8_t b[2048];
	size_t n;

	start(w);
	n = server_reply(w, s, b, sizeof(b), &sub);
	inject(w, KM_PORT, b, n);
	assert_int_equal(w->calls, 1);
	assert_int_equal(w->r.reason, KMC_R_BAD_REPLY);
	assert_string_equal(kmc_reason_str(w->r.reason), "bad-reply");
	assert_non_null(strstr(w->text, text));
	assert_false(kmc_running(w->c));
	krb5_free_keyblock(w->ctx, sub);
}

static void test_ap_reply_bad_hmac(void **state)
{
	struct spoil s = { .cs = { KM_SNMP_AUTH_SHA1, KM_SNMP_PRIV_DES }, .bad_hmac = 1 };

	spoiled(*state, &s, "hmac does not verify");
}

static void test_ap_reply_cs_not_offered(void **state)
{
	struct spoil s = { .cs = { KM_SNMP_AUTH_MD5, KM_SNMP_PRIV_NULL } };

	spoiled(*state, &s, "not offered");
}

static void test_ap_reply_other_user(void **state)
{
	struct spoil s = { .cs = { KM_SNMP_AUTH_MD5, KM_SNMP_PRIV_DES }, .user = "020000000e02" };

	spoiled(*state, &s, "not ours");
}

/* An Error Reply ends the exchange with the server's code and text. */
static void test_error_reply(void **state)
{
	struct world *w = *state;
	krb5_error e;
	krb5_data der = { 0 };
	struct km_msg m;
	uint8_t b[1024];
	struct wr wo;

	start(w);
	memset(&e, 0, sizeof(e));
	e.magic = KV5M_ERROR;
	e.stime = (krb5_timestamp)time(NULL);
	e.error = 41;            /* KRB_AP_ERR_MODIFIED */
	e.server = w->server;
	e.text.data = (char *)"bad ap-req hmac";
	e.text.length = (unsigned)strlen(e.text.data);
	assert_int_equal(krb5_mk_error(w->ctx, &e, &der), 0);
	km_msg_init(&m, KM_ERROR_REPLY);
	m.krb.p = (const uint8_t *)der.data;
	m.krb.len = der.length;
	wr_init(&wo, b, sizeof(b));
	assert_int_equal(km_encode(&m, &wo), 0);
	krb5_free_data_contents(w->ctx, &der);
	inject(w, KM_PORT, b, wo.len);
	assert_int_equal(w->calls, 1);
	assert_int_equal(w->r.reason, KMC_R_SERVER_ERROR);
	assert_int_equal(w->r.krb_error, 41);
	assert_non_null(strstr(w->text, "error 41"));
	assert_non_null(strstr(w->text, "bad ap-req hmac"));
}

/* Garbage from the server is dropped; the 122.5 schedule runs out:
 * sends at 0, 1, 3 s (waits 1, 2, then 4 capped at 4), failure at 7 s. */
static void test_timeout(void **state)
{
	static const uint8_t junk[] = { 9, 9, 9 };
	struct world *w = *state;

	start(w);
	inject(w, KM_PORT, junk, sizeof(junk));
	fake_clock_advance_ms(999);
	loop_run_expired(w->l);
	assert_int_equal(fake_net_tx_count(), 1);
	fake_clock_advance_ms(1);
	loop_run_expired(w->l);
	assert_int_equal(fake_net_tx_count(), 2);
	assert_memory_equal(fake_net_tx(1)->data, fake_net_tx(0)->data, fake_net_tx(0)->len);
	fake_clock_advance_ms(2000);
	loop_run_expired(w->l);
	assert_int_equal(fake_net_tx_count(), 3);
	fake_clock_advance_ms(3999);
	loop_run_expired(w->l);
	assert_int_equal(w->calls, 0);
	fake_clock_advance_ms(1);
	loop_run_expired(w->l);
	assert_int_equal(w->calls, 1);
	assert_int_equal(w->r.reason, KMC_R_TIMEOUT);
	assert_int_equal(w->r.sent, 3);
	assert_int_equal(fake_net_tx_count(), 3);
	assert_int_equal(loop_fd_count(w->l), 0);
	assert_int_equal(loop_timer_count(w->l), 0);
}

static void test_bad_config(void **state)
{
	struct world *w = *state;
	struct kmc_config c = w->cfg;

	c.engine_id_len = 4;
	assert_int_equal(kmc_start(w->c, w->l, &c, done, w), E_INVAL);
	c = w->cfg;
	c.user[0] = '\0';
	assert_int_equal(kmc_start(w->c, w->l, &c, done, w), E_INVAL);
	c = w->cfg;
	c.local.family = AF_INET;
	assert_int_equal(kmc_start(w->c, w->l, &c, done, w), E_INVAL);
	assert_int_equal(fake_net_tx_count(), 0);
	start(w);
	assert_int_equal(kmc_start(w->c, w->l, &w->cfg, done, w), E_STATE);
	kmc_stop(w->c);
	assert_int_equal(loop_fd_count(w->l), 0);
	assert_int_equal(w->calls, 0);
}

/* The Wake Up's nonce goes back in the AP Request (reference section 3). */
static void test_wakeup_nonce_echoed(void **state)
{
	struct world *w = *state;
	const struct fake_pkt *p;
	struct km_msg m;

	w->cfg.nonce = 0x11223344u;
	start(w);
	p = fake_net_tx(0);
	assert_int_equal(km_decode(&m, p->data, p->len, NULL), 0);
	assert_int_equal(m.nonce, 0x11223344u);
	assert_int_equal(km_mac_verify(p->data, p->len, m.hmac_off, w->sesskey->contents,
				       w->sesskey->length), 0);
}

static size_t wakeup(uint8_t *buf, size_t cap, uint8_t kmmid, uint8_t doi, const char *princ)
{
	struct km_msg m;
	struct wr w;

	km_msg_init(&m, kmmid);
	m.doi = doi;
	m.nonce = 0xa1b2c3d4u;
	snprintf(m.principal, sizeof(m.principal), "%s", princ);
	wr_init(&w, buf, cap);
	assert_int_equal(km_encode(&m, &w), 0);
	assert_int_equal(w.err, 0);
	return w.len;
}

static void test_wakeup_check(void **state)
{
	static const char srv[] = "mtaprovsrvr/prov.example.net@EXAMPLE.NET";
	uint8_t buf[512];
	uint32_t nonce = 0;
	const char *why = NULL;
	size_t n;

	(void)state;
	n = wakeup(buf, sizeof(buf), KM_WAKEUP, KM_DOI_SNMPV3, srv);
	/* the reference's crafted example: 01 02 10 nonce principal NUL */
	assert_int_equal(buf[0], 1);
	assert_int_equal(buf[1], 2);
	assert_int_equal(buf[n - 1], 0);
	assert_int_equal(kmc_wakeup_check(buf, n, srv, &nonce, &why), 0);
	assert_int_equal(nonce, 0xa1b2c3d4u);
	assert_null(why);
	assert_int_equal(kmc_wakeup_check(buf, n, "mtaprovsrvr/other.example.net@EXAMPLE.NET", &nonce,
					  &why), E_AUTH);
	assert_string_equal(why, "another server principal");
	assert_int_equal(kmc_wakeup_check(buf, n, NULL, &nonce, &why), E_AUTH);
	assert_int_equal(kmc_wakeup_check(buf, n - 1, srv, &nonce, &why), E_PROTO);   /* no NUL */
	assert_string_equal(why, "undecodable");
	n = wakeup(buf, sizeof(buf), KM_WAKEUP, KM_DOI_SNMPV3, srv);
	buf[1] = KM_DOI_IPSEC;
	assert_int_equal(kmc_wakeup_check(buf, n, srv, &nonce, &why), E_PROTO);
	assert_string_equal(why, "undecodable");
	/* an Error Reply is no Wake Up */
	{
		struct km_msg m;
		struct wr wr;

		km_msg_init(&m, KM_ERROR_REPLY);
		m.krb.p = (const uint8_t *)"\x7e\x03\x02\x01\x00";
		m.krb.len = 5;
		wr_init(&wr, buf, sizeof(buf));
		assert_int_equal(km_encode(&m, &wr), 0);
		assert_int_equal(wr.err, 0);
		assert_int_equal(kmc_wakeup_check(buf, wr.len, srv, &nonce, &why), E_PROTO);
		assert_string_equal(why, "not a wake-up");
	}
	memset(buf, 0xff, 64);
	assert_int_equal(kmc_wakeup_check(buf, 64, srv, &nonce, &why), E_PROTO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_user_and_backoff),
		cmocka_unit_test_setup_teardown(test_ap_request_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wakeup_nonce_echoed, setup, teardown),
		cmocka_unit_test(test_wakeup_check),
		cmocka_unit_test_setup_teardown(test_ap_reply_ok, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ap_reply_ack_required, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ap_reply_bad_hmac, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ap_reply_cs_not_offered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ap_reply_other_user, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_reply, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_config, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
