/* test_pkinit.c: kerberos/pkinit without a KDC.  The configuration checks
 * field by field, the 122.4 schedule (pure, and end to end on the fake
 * clock with the real libkrb5 building the AS-REQ), replies from the wrong
 * peer, KRB-ERRORs made with krb5_mk_error() and fed back, stop at any
 * moment and from the callback, and 100 start/stop cycles (ASan: no leak). */
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
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kerberos/pkinit.h"
#include "platform/err.h"
#include "platform/log.h"
#include "platform/loop.h"
#include "platform/retx.h"
#include "tests/fake/fake.h"
#include "tests/unit/krb_fixture.h"
#include "tlv/cablelabs.h"

static char dir[64];
static char f_cert[96], f_key[96], f_anchor[96], f_chain[96];

struct got {
	int calls;
	struct pkinit_result r;
	char text[256];
	int free_in_cb;
	struct pkinit *p;
};

static void done(struct pkinit *p, const struct pkinit_result *r, void *arg)
{
	struct got *g = arg;

	g->calls++;
	g->r = *r;
	snprintf(g->text, sizeof(g->text), "%s", r->text);
	if (g->free_in_cb) {
		pkinit_free(p);
		g->p = NULL;
	}
}

static void touch(char *out, size_t cap, const char *name)
{
	FILE *f;

	snprintf(out, cap, "%s/%s", dir, name);
	f = fopen(out, "w");
	assert_non_null(f);
	fputs("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n", f);
	fclose(f);
}

static int setup_dir(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test_pkinit.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	touch(f_cert, sizeof(f_cert), "device.pem");
	touch(f_key, sizeof(f_key), "device.key");
	touch(f_anchor, sizeof(f_anchor), "root.pem");
	touch(f_chain, sizeof(f_chain), "mfg.pem");
	log_init("test", LOG_LVL_ERR);
	return 0;
}

static int teardown_dir(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void good_config(struct pkinit_config *c)
{
	memset(c, 0, sizeof(*c));
	c->client = "eue1@EXAMPLE.NET";
	c->service = "mtaprovsrvr/prov.example.net@EXAMPLE.NET";
	c->realm = "EXAMPLE.NET";
	c->kdc.family = AF_INET;
	c->kdc.addr[0] = 198;
	c->kdc.addr[1] = 51;
	c->kdc.addr[2] = 100;
	c->kdc.addr[3] = 10;
	c->cert = f_cert;
	c->key = f_key;
	c->chain[0] = f_chain;
	c->anchors[0] = f_anchor;
	c->kdc_hostname = "kdc.example.net";
	c->state_dir = dir;
	c->backoff = (struct pkinit_backoff){ .nominal_ms = 3000, .max_ms = 20000, .retries = 5 };
}

static const char *check_field(const struct pkinit_config *c)
{
	const char *f = NULL;

	if (pkinit_config_check(c, &f) == 0)
		return "accepted";
	return f;
}

static void test_config_fields(void **state)
{
	struct pkinit_config c;

	(void)state;
	good_config(&c);
	assert_string_equal(check_field(&c), "accepted");
#define BAD(stmt, field)                                            \
	do {                                                         \
		good_config(&c);                                     \
		stmt;                                                \
		assert_string_equal(check_field(&c), field);         \
	} while (0)
	BAD(c.realm = "example.net", "realm");
	BAD(c.realm = "", "realm");
	BAD(c.client = "eue1@OTHER.NET", "client");
	BAD(c.client = "eue1", "client");
	BAD(c.client = "@EXAMPLE.NET", "client");
	BAD(c.client = "eue 1@EXAMPLE.NET", "client");
	BAD(c.service = "mtaprovsrvr/prov.example.net@OTHER.NET", "service");
	BAD(c.service = "mtaprovsrvr@EXAMPLE.NET", "service");
	BAD(c.service = NULL, "service");
	BAD(c.kdc.family = 0, "kdc");
	BAD(c.cert = "/nonexistent/device.pem", "cert");
	BAD(c.cert = NULL, "cert");
	BAD(c.key = "/nonexistent/device.key", "key");
	BAD(c.anchors[0] = NULL, "anchors");
	BAD(c.anchors[1] = "/nonexistent/root.pem", "anchors");
	BAD(c.chain[0] = "/nonexistent/mfg.pem", "chain");
	BAD(c.kdc_hostname = "kdc\n.example.net", "kdc_hostname");
	BAD(c.state_dir = "/nonexistent", "state_dir");
	BAD(c.state_dir = NULL, "state_dir");
	BAD(c.backoff.nominal_ms = 0, "backoff.nominal_ms");
	BAD(c.backoff.nominal_ms = 600001, "backoff.nominal_ms");
	BAD(c.backoff.retries = 1025, "backoff.retries");
#undef BAD
	assert_string_equal(check_field(NULL), "config");
}

/* A path the profile or the FILE:cert,key identity could not carry. */
static void test_config_unsafe_paths(void **state)
{
	struct pkinit_config c;
	char comma[128], brace[128];

	(void)state;
	snprintf(comma, sizeof(comma), "%s/a,b.pem", dir);
	snprintf(brace, sizeof(brace), "%s/a}.pem", dir);
	fclose(fopen(comma, "w"));
	fclose(fopen(brace, "w"));
	good_config(&c);
	c.cert = comma;
	assert_string_equal(check_field(&c), "cert");
	good_config(&c);
	c.anchors[0] = brace;
	assert_string_equal(check_field(&c), "anchors");
}

static void test_start_refuses_bad_config(void **state)
{
	struct pkinit_config c;
	struct pkinit *p = pkinit_new();
	struct loop *l = loop_new();
	struct got g = { 0 };

	(void)state;
	fake_net_reset();
	good_config(&c);
	c.realm = "lower.case";
	assert_int_equal(pkinit_start(p, l, &c, done, &g), E_INVAL);
	assert_int_equal(fake_net_tx_count(), 0);
	assert_false(pkinit_running(p));
	assert_int_equal(g.calls, 0);
	pkinit_free(p);
	loop_free(l);
}

/* 122.4 units (RFC 4682): nominal ms, maximum SECONDS, retries. */
static void test_backoff_from_cl(void **state)
{
	struct cl_backoff b = { .nominal = 3000, .maximum = 100, .retries = 5 };
	struct pkinit_backoff o;

	(void)state;
	assert_int_equal(pkinit_backoff_from_cl(&b, &o), 0);
	assert_int_equal(o.nominal_ms, 3000);
	assert_int_equal(o.max_ms, 100000);
	assert_int_equal(o.retries, 5);
	b.maximum = UINT32_MAX;
	assert_int_equal(pkinit_backoff_from_cl(&b, &o), 0);
	assert_int_equal(o.max_ms, UINT32_MAX);
	b.nominal = 0;
	assert_int_equal(pkinit_backoff_from_cl(&b, &o), E_RANGE);
}

/* The RFC 4682 example: nominal 3 s, max 20 s, 5 retries -> waits 3, 6, 12,
 * 20, 20 (and 20 after the 6th and last transmission). */
static void test_schedule_pure(void **state)
{
	static const uint32_t want[] = { 3000, 6000, 12000, 20000, 20000, 20000 };
	struct pkinit_backoff b = { .nominal_ms = 3000, .max_ms = 20000, .retries = 5 };
	struct retx_param rp;
	struct retx r;
	uint64_t now = 0;
	uint32_t wait;
	unsigned i;

	(void)state;
	pkinit_retx_param(&b, &rp);
	assert_int_equal(rp.mrc, 6);
	retx_start(&r, &rp, now);
	for (i = 0; i < 6; i++) {
		assert_int_equal(retx_next(&r, now, 0xdeadbeef, &wait), 0);
		assert_int_equal(wait, want[i]);   /* no jitter, whatever rnd is */
		now += wait;
		assert_int_equal(retx_expired(&r, now), i == 5);
	}
	/* retries 0: one transmission; max 0: no cap */
	b = (struct pkinit_backoff){ .nominal_ms = 1000, .max_ms = 0, .retries = 0 };
	pkinit_retx_param(&b, &rp);
	retx_start(&r, &rp, 0);
	assert_int_equal(retx_next(&r, 0, 0, &wait), 0);
	assert_int_equal(wait, 1000);
	assert_true(retx_expired(&r, 1000));
}

/* Start: the first AS-REQ goes to the KDC at port 88 with the real libkrb5. */
static struct pkinit *started(struct loop *l, struct pkinit_config *c, struct got *g)
{
	struct pkinit *p = pkinit_new();
	const struct fake_pkt *t;

	assert_non_null(p);
	assert_int_equal(pkinit_start(p, l, c, done, g), 0);
	assert_true(pkinit_running(p));
	assert_int_equal(fake_net_tx_count(), 1);
	t = fake_net_tx(0);
	assert_int_equal(t->peer.family, AF_INET);
	assert_int_equal(t->peer.port, 88);
	assert_memory_equal(t->peer.addr, c->kdc.addr, 4);
	assert_int_equal(t->data[0], 0x6a);   /* [APPLICATION 10] AS-REQ */
	return p;
}

/* End to end on the fake clock: 1 + retries AS-REQs at 0, 3, 9, 21, 41,
 * 61 s (identical bytes), then "timeout" at 81 s, the socket closed. */
static void test_timeout_schedule(void **state)
{
	static const uint64_t at[] = { 0, 3000, 9000, 21000, 41000, 61000 };
	struct pkinit_config c;
	struct loop *l = loop_new();
	struct got g = { 0 };
	struct pkinit *p;
	uint64_t now = 0;
	unsigned i;

	(void)state;
	fake_net_reset();
	fake_clock_set_ms(0);
	good_config(&c);
	p = started(l, &c, &g);
	for (i = 1; i < 6; i++) {
		fake_clock_advance_ms(at[i] - now - 1);
		loop_run_expired(l);
		assert_int_equal(fake_net_tx_count(), i);      /* not yet */
		fake_clock_advance_ms(1);
		now = at[i];
		loop_run_expired(l);
		assert_int_equal(fake_net_tx_count(), i + 1);
		assert_int_equal(fake_net_tx(i)->len, fake_net_tx(0)->len);
		assert_memory_equal(fake_net_tx(i)->data, fake_net_tx(0)->data, fake_net_tx(0)->len);
	}
	fake_clock_advance_ms(20000 - 1);
	loop_run_expired(l);
	assert_int_equal(g.calls, 0);
	fake_clock_advance_ms(1);
	loop_run_expired(l);
	assert_int_equal(g.calls, 1);
	assert_int_equal(g.r.reason, PKINIT_R_TIMEOUT);
	assert_string_equal(pkinit_reason_str(g.r.reason), "timeout");
	assert_string_equal(g.r.step, "eUE-9");
	assert_int_equal(g.r.as_sent, 6);
	assert_int_equal(g.r.tgs_sent, 0);
	assert_null(g.r.ticket);
	assert_false(pkinit_running(p));
	assert_int_equal(loop_fd_count(l), 0);
	assert_int_equal(loop_timer_count(l), 0);
	fake_clock_advance_ms(100000);
	loop_run_expired(l);
	assert_int_equal(g.calls, 1);            /* once */
	assert_int_equal(fake_net_tx_count(), 6);
	pkinit_free(p);
	loop_free(l);
}

/* A KRB-ERROR as the KDC would send it (made by libkrb5 itself). */
static size_t make_krb_error_edata(int code, const char *etext, const uint8_t *edata,
				   size_t elen, uint8_t *out, size_t cap)
{
	krb5_context ctx;
	krb5_error e;
	krb5_data der = { 0 };
	krb5_principal server;
	size_t n;

	assert_int_equal(krb5_init_context(&ctx), 0);
	assert_int_equal(krb5_parse_name(ctx, "krbtgt/EXAMPLE.NET@EXAMPLE.NET", &server), 0);
	memset(&e, 0, sizeof(e));
	e.magic = KV5M_ERROR;
	e.stime = (krb5_timestamp)time(NULL);
	e.error = (krb5_ui_4)code;
	e.server = server;
	if (etext) {
		e.text.data = (char *)etext;
		e.text.length = (unsigned)strlen(etext);
	}
	if (edata) {
		e.e_data.data = (char *)edata;
		e.e_data.length = (unsigned)elen;
	}
	assert_int_equal(krb5_mk_error(ctx, &e, &der), 0);
	n = der.length;
	assert_true(n <= cap);
	memcpy(out, der.data, n);
	krb5_free_data_contents(ctx, &der);
	krb5_free_principal(ctx, server);
	krb5_free_context(ctx);
	return n;
}

static size_t make_krb_error(int code, const char *etext, uint8_t *out, size_t cap)
{
	return make_krb_error_edata(code, etext, NULL, 0, out, cap);
}

static void inject_from(const struct pkinit_config *c, int port, const uint8_t *b, size_t n)
{
	struct net_addr from = c->kdc;
	int fd = fake_net_fd(0);

	from.port = (uint16_t)port;
	assert_int_equal(fake_net_inject(fd, &from, NULL, b, n), 0);
}

/* A reply from another port or address is not the KDC's: dropped, the
 * exchange goes on; the KDC's KRB-ERROR then ends it with its code and text. */
static void test_kdc_error_and_wrong_peer(void **state)
{
	struct pkinit_config c;
	struct loop *l = loop_new();
	struct got g = { 0 };
	struct pkinit *p;
	uint8_t b[1024];
	size_t n;

	(void)state;
	fake_net_reset();
	fake_clock_set_ms(0);
	good_config(&c);
	p = started(l, &c, &g);
	n = make_krb_error(6, "CLIENT_NOT_FOUND", b, sizeof(b));   /* KDC_ERR_C_PRINCIPAL_UNKNOWN */
	inject_from(&c, 8888, b, n);
	loop_fd_dispatch(l, fake_net_fd(0), LOOP_IN);
	assert_int_equal(g.calls, 0);
	assert_true(pkinit_running(p));
	inject_from(&c, 88, b, n);
	loop_fd_dispatch(l, fake_net_fd(0), LOOP_IN);
	assert_int_equal(g.calls, 1);
	assert_int_equal(g.r.reason, PKINIT_R_KDC_ERROR);
	assert_int_equal(g.r.kdc_error, 6);
	assert_string_equal(g.r.step, "eUE-10");
	assert_non_null(strstr(g.text, "CLIENT_NOT_FOUND"));
	assert_false(pkinit_running(p));
	assert_int_equal(loop_fd_count(l), 0);
	pkinit_free(p);
	loop_free(l);
}

/* KRB_ERR_RESPONSE_TOO_BIG (52) asks for TCP, which is not built: named. */
static void test_response_too_big(void **state)
{
	struct pkinit_config c;
	struct loop *l = loop_new();
	struct got g = { 0 };
	struct pkinit *p;
	uint8_t b[1024];
	size_t n;

	(void)state;
	fake_net_reset();
	fake_clock_set_ms(0);
	good_config(&c);
	p = started(l, &c, &g);
	n = make_krb_error(52, NULL, b, sizeof(b));
	inject_from(&c, 88, b, n);
	loop_fd_dispatch(l, fake_net_fd(0), LOOP_IN);
	assert_int_equal(g.calls, 1);
	assert_int_equal(g.r.reason, PKINIT_R_TOO_BIG);
	pkinit_free(p);
	loop_free(l);
}

/* A KDC error about the client certificate (62 CLIENT_NOT_TRUSTED, 75
 * CLIENT_NAME_MISMATCH).  (24 PREAUTH_FAILED as the answer to the first,
 * padata-less AS-REQ makes libkrb5 try again: the lab scenario covers it.) */
static void test_cert_rejected(void **state)
{
	static const int codes[] = { 62, 75 };
	unsigned i;

	(void)state;
	for (i = 0; i < 2; i++) {
		struct pkinit_config c;
		struct loop *l = loop_new();
		struct got g = { 0 };
		struct pkinit *p;
		uint8_t b[1024];
		size_t n;

		fake_net_reset();
		fake_clock_set_ms(0);
		good_config(&c);
		p = started(l, &c, &g);
		n = make_krb_error(codes[i], NULL, b, sizeof(b));
		inject_from(&c, 88, b, n);
		loop_fd_dispatch(l, fake_net_fd(0), LOOP_IN);
		assert_int_equal(g.calls, 1);
		assert_int_equal(g.r.reason, PKINIT_R_CERT_REJECTED);
		assert_int_equal(g.r.kdc_error, codes[i]);
		pkinit_free(p);
		loop_free(l);
	}
}

/* Garbage from the KDC's address is libkrb5's to refuse: a named failure. */
static void test_garbage_reply(void **state)
{
	struct pkinit_config c;
	struct loop *l = loop_new();
	struct got g = { 0 };
	struct pkinit *p;
	static const uint8_t junk[] = { 0x30, 0x03, 0x02, 0x01, 0x05 };

	(void)state;
	fake_net_reset();
	fake_clock_set_ms(0);
	good_config(&c);
	p = started(l, &c, &g);
	inject_from(&c, 88, junk, sizeof(junk));
	loop_fd_dispatch(l, fake_net_fd(0), LOOP_IN);
	assert_int_equal(g.calls, 1);
	assert_int_not_equal(g.r.reason, PKINIT_R_OK);
	assert_int_not_equal(g.r.krb5_code, 0);
	pkinit_free(p);
	loop_free(l);
}

/* PREAUTH_REQUIRED offering PKINIT (METHOD-DATA { PA-DATA { 16, "" } }):
 * libkrb5's PKINIT cannot use the (empty) certificate files: the named
 * reason "identity", at eUE-10, with no second AS-REQ sent. */
static void test_identity_unusable(void **state)
{
	static const uint8_t method_data[] = { 0x30, 0x0b, 0x30, 0x09, 0xa1, 0x03, 0x02, 0x01,
					       0x10, 0xa2, 0x02, 0x04, 0x00 };
	struct pkinit_config c;
	struct loop *l = loop_new();
	struct got g = { 0 };
	struct pkinit *p;
	uint8_t b[1024];
	size_t n;

	(void)state;
	fake_net_reset();
	fake_clock_set_ms(0);
	good_config(&c);
	p = started(l, &c, &g);
	n = make_krb_error_edata(25, NULL, method_data, sizeof(method_data), b, sizeof(b));
	inject_from(&c, 88, b, n);
	loop_fd_dispatch(l, fake_net_fd(0), LOOP_IN);
	assert_int_equal(g.calls, 1);
	assert_int_equal(g.r.reason, PKINIT_R_IDENTITY);
	assert_string_equal(g.r.step, "eUE-10");
	assert_int_equal(g.r.kdc_error, -1);     /* 25 was the KDC's question, not the failure */
	assert_int_equal(g.r.as_sent, 1);
	assert_int_equal(fake_net_tx_count(), 1);
	pkinit_free(p);
	loop_free(l);
}

/* The callback may free the instance; a start while running is refused. */
static void test_free_in_callback_and_busy(void **state)
{
	struct pkinit_config c;
	struct loop *l = loop_new();
	struct got g = { 0 };
	uint8_t b[1024];
	size_t n;

	(void)state;
	fake_net_reset();
	fake_clock_set_ms(0);
	good_config(&c);
	g.p = started(l, &c, &g);
	assert_int_equal(pkinit_start(g.p, l, &c, done, &g), E_STATE);
	g.free_in_cb = 1;
	n = make_krb_error(6, NULL, b, sizeof(b));
	inject_from(&c, 88, b, n);
	loop_fd_dispatch(l, fake_net_fd(0), LOOP_IN);
	assert_int_equal(g.calls, 1);
	assert_null(g.p);
	assert_int_equal(loop_fd_count(l), 0);
	assert_int_equal(loop_timer_count(l), 0);
	loop_free(l);
}

/* 100 start/stop at every moment (right after start, mid-schedule); each
 * stop leaves no fd, no timer, no profile file; ASan checks the memory. */
static void test_start_stop_100(void **state)
{
	struct pkinit_config c;
	struct loop *l = loop_new();
	struct got g = { 0 };
	struct pkinit *p = pkinit_new();
	char cmd[160];
	unsigned i;

	(void)state;
	good_config(&c);
	for (i = 0; i < 100; i++) {
		fake_net_reset();
		fake_clock_set_ms(0);
		c.tgt = (int)(i & 1);
		assert_int_equal(pkinit_start(p, l, &c, done, &g), 0);
		if (i % 3 == 1) {
			fake_clock_advance_ms(3000);
			loop_run_expired(l);
			assert_int_equal(fake_net_tx_count(), 2);
		}
		pkinit_stop(p);
		assert_false(pkinit_running(p));
		assert_int_equal(loop_fd_count(l), 0);
		assert_int_equal(loop_timer_count(l), 0);
	}
	assert_int_equal(g.calls, 0);
	pkinit_stop(p);             /* twice is fine */
	pkinit_free(p);
	pkinit_free(NULL);
	loop_free(l);
	/* no profile left behind */
	snprintf(cmd, sizeof(cmd), "ls '%s' | grep -q krb5-pkinit", dir);
	assert_int_not_equal(system(cmd), 0);
}

/* The IPv6 KDC address goes out as given, port 88. */
static void test_ipv6_kdc(void **state)
{
	struct pkinit_config c;
	struct loop *l = loop_new();
	struct got g = { 0 };
	struct pkinit *p = pkinit_new();
	static const uint8_t a6[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x51, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10 };

	(void)state;
	fake_net_reset();
	fake_clock_set_ms(0);
	good_config(&c);
	c.kdc.family = AF_INET6;
	memcpy(c.kdc.addr, a6, 16);
	c.kdc.port = 8888;     /* a given port is kept */
	assert_int_equal(pkinit_start(p, l, &c, done, &g), 0);
	assert_int_equal(fake_net_tx_count(), 1);
	assert_int_equal(fake_net_tx(0)->peer.family, AF_INET6);
	assert_int_equal(fake_net_tx(0)->peer.port, 8888);
	assert_memory_equal(fake_net_tx(0)->peer.addr, a6, 16);
	pkinit_free(p);
	loop_free(l);
}

/* Table 5 note 3: a ticket survives a reset as libkrb5's serialisation;
 * the imported one owns its context and gives back every field. */
static void test_ticket_export_import(void **state)
{
	static uint8_t blob[TKT_CREDS_MAX], again[TKT_CREDS_MAX];
	struct pkinit_ticket *t = NULL;
	size_t n, m = 0, klen;
	const uint8_t *key;

	(void)state;
	n = krb_fixture_creds("mta/myhost.example.net@EXAMPLE.NET",
			      "mtaprovsrvr/prov.example.net@EXAMPLE.NET", 1800000000LL,
			      1800086400LL, blob, sizeof(blob));
	assert_true(n > 0);
	assert_int_equal(pkinit_ticket_import(&t, blob, n), 0);
	assert_string_equal(pkinit_ticket_client(t), "mta/myhost.example.net@EXAMPLE.NET");
	assert_string_equal(pkinit_ticket_server(t), "mtaprovsrvr/prov.example.net@EXAMPLE.NET");
	assert_int_equal(pkinit_ticket_starttime(t), 1800000000LL);
	assert_int_equal(pkinit_ticket_endtime(t), 1800086400LL);
	assert_int_equal(pkinit_ticket_enctype(t), ENCTYPE_AES256_CTS_HMAC_SHA1_96);
	key = pkinit_ticket_key(t, &klen);
	assert_int_equal(klen, 32);
	assert_int_equal(key[0], 0x11);
	assert_non_null(pkinit_ticket_context(t));
	/* export gives the same bytes back; a short buffer is refused */
	assert_int_equal(pkinit_ticket_export(t, again, sizeof(again), &m), 0);
	assert_int_equal(m, n);
	assert_memory_equal(again, blob, n);
	assert_int_equal(pkinit_ticket_export(t, again, n - 1, &m), E_OVERFLOW);
	pkinit_ticket_free(t);
	/* bytes libkrb5 refuses: every truncation, and garbage */
	for (size_t k = 0; k < n; k += 7) {
		assert_int_equal(pkinit_ticket_import(&t, blob, k), k == 0 ? E_INVAL : E_PROTO);
		assert_null(t);
	}
	memset(again, 0xff, 64);
	assert_int_equal(pkinit_ticket_import(&t, again, 64), E_PROTO);
	pkinit_ticket_free(NULL);
}

/* MIT's kdc_timesync leaves the KDC's clock in the AS exchange's context;
 * pkinit_ctx_own_clock() takes it out again (fault-kdc-clock-skew's -600 run:
 * the AP Request built in that context was 10 minutes off). */
static long long ctx_offset_us(krb5_context ctx)
{
	krb5_timestamp s;
	krb5_int32 us;

	assert_int_equal(krb5_get_time_offsets(ctx, &s, &us), 0);
	return (long long)s * 1000000 + us;
}

static void test_ctx_own_clock(void **state)
{
	krb5_context ctx;

	(void)state;
	assert_int_equal(krb5_init_secure_context(&ctx), 0);
	/* what libkrb5 does after an AS-REP from a KDC 10 minutes behind */
	assert_int_equal(krb5_set_real_time(ctx, (krb5_timestamp)(time(NULL) - 600), -1), 0);
	assert_true(ctx_offset_us(ctx) <= -599 * 1000000LL && ctx_offset_us(ctx) >= -601 * 1000000LL);
	assert_int_equal(pkinit_ctx_own_clock(ctx), 0);
	assert_true(llabs(ctx_offset_us(ctx)) < 100000);   /* a few microseconds, at most */
	krb5_free_context(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_fields),
		cmocka_unit_test(test_config_unsafe_paths),
		cmocka_unit_test(test_start_refuses_bad_config),
		cmocka_unit_test(test_backoff_from_cl),
		cmocka_unit_test(test_schedule_pure),
		cmocka_unit_test(test_timeout_schedule),
		cmocka_unit_test(test_kdc_error_and_wrong_peer),
		cmocka_unit_test(test_response_too_big),
		cmocka_unit_test(test_cert_rejected),
		cmocka_unit_test(test_garbage_reply),
		cmocka_unit_test(test_identity_unusable),
		cmocka_unit_test(test_free_in_callback_and_busy),
		cmocka_unit_test(test_start_stop_100),
		cmocka_unit_test(test_ipv6_kdc),
		cmocka_unit_test(test_ticket_export_import),
		cmocka_unit_test(test_ctx_own_clock),
	};

	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
