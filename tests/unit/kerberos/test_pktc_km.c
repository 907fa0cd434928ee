/* test_pktc_km.c: the key-management codec: the reference's Wake Up bytes,
 * encode -> decode -> encode for every message, each field's boundaries,
 * every truncation point, version / KMMID / DOI / DER / trailing refusals
 * with their offsets, and (when tshark is installed) Wireshark's own reading
 * of our bytes.  No crypto here: the HMAC is tested in test_km_keys.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kerberos/pktc_km.h"
#include "platform/bytes.h"
#include "platform/err.h"

/* ------------------------------------------------ a tiny DER builder
 * Enough of RFC 4120's ASN.1 to make KRB_AP_REQ / KRB_AP_REP blobs that a
 * Kerberos dissector reads as well-formed (the contents are dummies). */

static size_t der(uint8_t *out, uint8_t tag, const uint8_t *c, size_t n)
{
	size_t h = 0;

	out[h++] = tag;
	if (n < 0x80) {
		out[h++] = (uint8_t)n;
	} else if (n < 0x100) {
		out[h++] = 0x81;
		out[h++] = (uint8_t)n;
	} else {
		out[h++] = 0x82;
		out[h++] = (uint8_t)(n >> 8);
		out[h++] = (uint8_t)n;
	}
	memmove(out + h, c, n);
	return h + n;
}

/* [n] INTEGER v (v < 128) */
static size_t der_ctx_int(uint8_t *out, unsigned n, uint8_t v)
{
	const uint8_t i[3] = { 0x02, 0x01, v };

	return der(out, (uint8_t)(0xa0 | n), i, 3);
}

/* EncryptedData { etype [0] 18, cipher [2] OCTET STRING(clen) } */
static size_t der_encdata(uint8_t *out, size_t clen)
{
	uint8_t seq[512], oct[512];
	size_t n = 0, o;

	memset(oct, 0xc5, clen);
	o = der(oct, 0x04, oct, clen);
	n += der_ctx_int(seq + n, 0, 18);
	n += der(seq + n, 0xa2, oct, o);
	return der(out, 0x30, seq, n);
}

/* KRB_AP_REQ with a ticket for mtaprovsrvr/prov.example.com@EXAMPLE.COM;
 * clen sizes the ticket's cipher text (> 128 gives long-form lengths). */
static size_t make_ap_req_der(uint8_t *out, size_t clen)
{
	uint8_t tkt[512], seq[512], tmp[512], pn[128], names[128];
	size_t n = 0, t = 0, k, m = 0;

	/* PrincipalName { name-type [0] 3 (NT-SRV-HST), name-string [1] } */
	k = der(tmp, 0x1b, (const uint8_t *)"mtaprovsrvr", 11);
	k += der(tmp + k, 0x1b, (const uint8_t *)"prov.example.com", 16);
	m = der(names, 0x30, tmp, k);
	k = der_ctx_int(tmp, 0, 3);
	k += der(tmp + k, 0xa1, names, m);
	m = der(pn, 0x30, tmp, k);
	/* Ticket ::= [APPLICATION 1] SEQUENCE { 0 vno, 1 realm, 2 sname, 3 enc } */
	t += der_ctx_int(tmp + t, 0, 5);
	k = der(seq, 0x1b, (const uint8_t *)"EXAMPLE.COM", 11);
	t += der(tmp + t, 0xa1, seq, k);
	t += der(tmp + t, 0xa2, pn, m);
	k = der_encdata(seq, clen);
	t += der(tmp + t, 0xa3, seq, k);
	k = der(seq, 0x30, tmp, t);
	t = der(tkt, 0x61, seq, k);
	/* AP-REQ ::= [APPLICATION 14] SEQUENCE { 0 pvno 5, 1 msg-type 14,
	 * 2 ap-options BIT STRING, 3 ticket, 4 authenticator } */
	n += der_ctx_int(seq + n, 0, 5);
	n += der_ctx_int(seq + n, 1, 14);
	{
		const uint8_t bits[] = { 0x03, 0x05, 0x00, 0x20, 0x00, 0x00, 0x00 };   /* mutual-required */

		n += der(seq + n, 0xa2, bits, sizeof(bits));
	}
	n += der(seq + n, 0xa3, tkt, t);
	k = der_encdata(tmp, 40);
	n += der(seq + n, 0xa4, tmp, k);
	k = der(tmp, 0x30, seq, n);
	return der(out, KM_TAG_AP_REQ, tmp, k);
}

/* KRB_AP_REP ::= [APPLICATION 15] SEQUENCE { 0 pvno, 1 msg-type 15, 2 enc } */
static size_t make_ap_rep_der(uint8_t *out)
{
	uint8_t seq[512], tmp[512];
	size_t n = 0, k;

	n += der_ctx_int(seq + n, 0, 5);
	n += der_ctx_int(seq + n, 1, 15);
	k = der_encdata(tmp, 48);
	n += der(seq + n, 0xa2, tmp, k);
	k = der(tmp, 0x30, seq, n);
	return der(out, KM_TAG_AP_REP, tmp, k);
}

/* KRB_ERROR: an opaque stand-in; the codec only delimits it. */
static size_t make_error_der(uint8_t *out)
{
	uint8_t seq[32];
	size_t n = 0;

	n += der_ctx_int(seq + n, 0, 5);
	n += der_ctx_int(seq + n, 1, 30);
	n += der_ctx_int(seq + n, 6, 37);    /* KRB_AP_ERR_SKEW */
	return der(out, KM_TAG_KRB_ERROR, seq, n);
}

/* ------------------------------------------------ sample messages */

static uint8_t apreq_der[600], aprep_der[520], err_der[32];

static void fill_asd(struct km_msg *m)
{
	static const uint8_t eid[] = { 0x80, 0x00, 0x11, 0x8b, 0x03, 0x00, 0x10, 0x18,
				       0xde, 0xad, 0x01 };   /* RFC 3411 MAC form, 4491 */

	memcpy(m->asd.engine_id, eid, sizeof(eid));
	m->asd.engine_id_len = sizeof(eid);
	m->asd.boots = 7;
	m->asd.time = 0x01020304;
	strcpy(m->asd.user, "eue-user");
}

static void sample(struct km_msg *m, uint8_t kmmid)
{
	km_msg_init(m, kmmid);
	switch (kmmid) {
	case KM_WAKEUP:
		m->nonce = 0x11223344;
		strcpy(m->principal, "mtaprovsrvr/prov.example.com@EXAMPLE.COM");
		break;
	case KM_AP_REQ:
		m->krb.p = apreq_der;
		m->krb.len = make_ap_req_der(apreq_der, 200);
		m->nonce = 0x11223344;
		fill_asd(m);
		m->cs[0] = (struct km_cs){ KM_SNMP_AUTH_SHA1, KM_SNMP_PRIV_DES };
		m->cs[1] = (struct km_cs){ KM_SNMP_AUTH_MD5, KM_SNMP_PRIV_NULL };
		m->n_cs = 2;
		m->reestablish = 1;
		memset(m->hmac, 0xa5, KM_HMAC_LEN);
		break;
	case KM_AP_REP:
		m->krb.p = aprep_der;
		m->krb.len = make_ap_rep_der(aprep_der);
		fill_asd(m);
		m->cs[0] = (struct km_cs){ KM_SNMP_AUTH_SHA1, KM_SNMP_PRIV_DES };
		m->n_cs = 1;
		m->lifetime = 604800;
		m->grace = 3600;
		m->ack_required = 1;
		memset(m->hmac, 0x5a, KM_HMAC_LEN);
		break;
	case KM_SP_RECOVERED:
		memset(m->hmac, 0x33, KM_HMAC_LEN);
		break;
	case KM_REKEY:
		m->nonce = 0xcafef00d;
		strcpy(m->principal, "mtaprovsrvr/prov.example.com@EXAMPLE.COM");
		strcpy(m->timestamp, "261123145500Z");
		fill_asd(m);
		m->cs[0] = (struct km_cs){ KM_SNMP_AUTH_MD5, KM_SNMP_PRIV_DES };
		m->n_cs = 1;
		m->lifetime = 86400;
		m->grace = 600;
		memset(m->hmac, 0x77, KM_HMAC_LEN);
		break;
	case KM_ERROR_REPLY:
		m->krb.p = err_der;
		m->krb.len = make_error_der(err_der);
		break;
	default:
		fail();
	}
}

static size_t encode(struct km_msg *m, uint8_t *buf, size_t cap)
{
	struct wr w;

	wr_init(&w, buf, cap);
	assert_int_equal(km_encode(m, &w), 0);
	return w.len;
}

static void assert_same_msg(const struct km_msg *a, const struct km_msg *b)
{
	assert_int_equal(a->kmmid, b->kmmid);
	assert_int_equal(a->doi, b->doi);
	assert_int_equal(a->version, b->version);
	assert_int_equal(a->nonce, b->nonce);
	assert_string_equal(a->principal, b->principal);
	assert_string_equal(a->timestamp, b->timestamp);
	assert_int_equal(a->krb.len, b->krb.len);
	if (a->krb.len)
		assert_memory_equal(a->krb.p, b->krb.p, a->krb.len);
	assert_int_equal(a->asd.engine_id_len, b->asd.engine_id_len);
	assert_memory_equal(a->asd.engine_id, b->asd.engine_id, a->asd.engine_id_len);
	assert_int_equal(a->asd.boots, b->asd.boots);
	assert_int_equal(a->asd.time, b->asd.time);
	assert_string_equal(a->asd.user, b->asd.user);
	assert_int_equal(a->n_cs, b->n_cs);
	assert_memory_equal(a->cs, b->cs, sizeof(a->cs[0]) * a->n_cs);
	assert_int_equal(a->lifetime, b->lifetime);
	assert_int_equal(a->grace, b->grace);
	assert_int_equal(a->reestablish, b->reestablish);
	assert_int_equal(a->ack_required, b->ack_required);
	assert_memory_equal(a->hmac, b->hmac, KM_HMAC_LEN);
	assert_int_equal(a->hmac_off, b->hmac_off);
}

static const uint8_t all_kmmids[] = { KM_WAKEUP, KM_AP_REQ, KM_AP_REP, KM_SP_RECOVERED,
				      KM_REKEY, KM_ERROR_REPLY };
#define N_KMMIDS (sizeof(all_kmmids) / sizeof(all_kmmids[0]))

/* ------------------------------------------------ tests */

static void test_wakeup_reference_bytes(void **state)
{
	/* reference section 3: "01 02 10 11223344 mtaprovsrvr/...COM\0",
	 * decoded by tshark 4.0.17 as Wake Up, DOI SNMPv3, version 1.0 */
	static const uint8_t want[] = "\x01\x02\x10\x11\x22\x33\x44"
				      "mtaprovsrvr/prov.example.com@EXAMPLE.COM";
	struct km_msg m, back;
	struct km_diag d;
	uint8_t buf[128];
	size_t n;

	(void)state;
	sample(&m, KM_WAKEUP);
	n = encode(&m, buf, sizeof(buf));
	assert_int_equal(n, sizeof(want));          /* the literal's NUL is the field's */
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(m.hmac_off, 0);            /* Wake Up has no HMAC */
	assert_int_equal(km_decode(&back, want, sizeof(want), &d), 0);
	assert_int_equal(d.reason, KM_R_OK);
	assert_int_equal(back.kmmid, KM_WAKEUP);
	assert_int_equal(back.doi, KM_DOI_SNMPV3);
	assert_int_equal(back.version, 0x10);
	assert_int_equal(back.nonce, 0x11223344);
	assert_string_equal(back.principal, "mtaprovsrvr/prov.example.com@EXAMPLE.COM");
}

static void test_round_trip_all(void **state)
{
	uint8_t buf[1024], again[1024];
	size_t i, n, n2;

	(void)state;
	for (i = 0; i < N_KMMIDS; i++) {
		struct km_msg m, back;
		struct km_diag d;

		sample(&m, all_kmmids[i]);
		n = encode(&m, buf, sizeof(buf));
		assert_int_equal(km_decode(&back, buf, n, &d), 0);
		assert_int_equal(d.reason, KM_R_OK);
		assert_same_msg(&m, &back);
		if (km_has_hmac(m.kmmid)) {
			/* the HMAC is the last field */
			assert_int_equal(back.hmac_off, n - KM_HMAC_LEN);
			assert_memory_equal(buf + back.hmac_off, m.hmac, KM_HMAC_LEN);
		} else {
			assert_int_equal(back.hmac_off, 0);
		}
		if (back.krb.len)
			assert_ptr_equal(back.krb.p, buf + 3);   /* in place, after the header */
		n2 = encode(&back, again, sizeof(again));
		assert_int_equal(n2, n);
		assert_memory_equal(again, buf, n);
	}
}

static void test_ap_request_layout(void **state)
{
	struct km_msg m;
	uint8_t buf[1024];
	size_t n, o;

	(void)state;
	sample(&m, KM_AP_REQ);
	n = encode(&m, buf, sizeof(buf));
	/* header, then the DER blob as given (long-form length here) */
	assert_memory_equal(buf, "\x02\x02\x10", 3);
	assert_int_equal(buf[3], KM_TAG_AP_REQ);
	assert_true(buf[4] & 0x80);
	o = 3 + m.krb.len;
	assert_int_equal(load_be32(buf + o), 0x11223344);       /* nonce */
	o += 4;
	assert_int_equal(buf[o], 11);                            /* engine ID length */
	o += 1 + 11;
	assert_int_equal(load_be32(buf + o), 7);                 /* boots */
	assert_int_equal(load_be32(buf + o + 4), 0x01020304);    /* time */
	o += 8;
	assert_int_equal(buf[o], 8);                             /* user name */
	assert_memory_equal(buf + o + 1, "eue-user", 8);
	o += 9;
	assert_memory_equal(buf + o, "\x02\x22\x21\x21\x20", 5); /* 2 suites */
	o += 5;
	assert_int_equal(buf[o], 1);                             /* re-establish */
	o += 1;
	assert_int_equal(m.hmac_off, o);
	assert_int_equal(n, o + KM_HMAC_LEN);
}

static void test_every_truncation(void **state)
{
	uint8_t buf[1024];
	size_t i, n, cut;

	(void)state;
	for (i = 0; i < N_KMMIDS; i++) {
		struct km_msg m, back;

		sample(&m, all_kmmids[i]);
		n = encode(&m, buf, sizeof(buf));
		for (cut = 0; cut < n; cut++) {
			struct km_diag d;
			int e = km_decode(&back, buf, cut, &d);

			assert_int_equal(e, E_SHORT);
			assert_true(d.reason == KM_R_TRUNCATED || d.reason == KM_R_DER_PAST_END);
			assert_true(d.off <= cut);
			/* a cut inside the DER blob is "past the end", elsewhere "truncated" */
			if (m.krb.len && cut >= 3 + 5 && cut < 3 + m.krb.len)
				assert_int_equal(d.reason, KM_R_DER_PAST_END);
		}
		/* and one byte more is trailing, at the end of the message */
		buf[n] = 0;
		{
			struct km_diag d;

			assert_int_equal(km_decode(&back, buf, n + 1, &d), E_TRAILING);
			assert_int_equal(d.reason, KM_R_TRAILING);
			assert_int_equal(d.off, n);
		}
	}
	assert_int_equal(km_decode(&(struct km_msg){ 0 }, NULL, 0, NULL), E_SHORT);
}

static void expect(const uint8_t *buf, size_t len, int err, int reason, size_t off)
{
	struct km_msg m;
	struct km_diag d;

	assert_int_equal(km_decode(&m, buf, len, &d), err);
	assert_int_equal(d.reason, reason);
	assert_int_equal(d.off, off);
	assert_string_not_equal(km_reason_str(d.reason), "unknown");
}

static void test_header_refusals(void **state)
{
	uint8_t buf[128];
	size_t n;
	struct km_msg m;

	(void)state;
	sample(&m, KM_SP_RECOVERED);
	n = encode(&m, buf, sizeof(buf));
	assert_int_equal(n, 23);
	expect(buf, n, 0, KM_R_OK, 0);
	/* version: any minor of major 1 (A4), no other major */
	buf[2] = 0x11;
	expect(buf, n, 0, KM_R_OK, 0);
	buf[2] = 0x1f;
	expect(buf, n, 0, KM_R_OK, 0);
	buf[2] = 0x20;
	expect(buf, n, E_VERSION, KM_R_VERSION, 2);
	buf[2] = 0x00;
	expect(buf, n, E_VERSION, KM_R_VERSION, 2);
	buf[2] = 0x01;   /* "1" in the low nibble is minor 1 of major 0 */
	expect(buf, n, E_VERSION, KM_R_VERSION, 2);
	buf[2] = 0x10;
	/* KMMID */
	buf[0] = 0;
	expect(buf, n, E_UNSUPPORTED, KM_R_KMMID, 0);
	buf[0] = 7;
	expect(buf, n, E_UNSUPPORTED, KM_R_KMMID, 0);
	buf[0] = 0xff;
	expect(buf, n, E_UNSUPPORTED, KM_R_KMMID, 0);
	buf[0] = KM_SP_RECOVERED;
	/* DOI: only SNMPv3 */
	buf[1] = KM_DOI_IPSEC;
	expect(buf, n, E_UNSUPPORTED, KM_R_DOI, 1);
	buf[1] = 0;
	expect(buf, n, E_UNSUPPORTED, KM_R_DOI, 1);
	buf[1] = 3;
	expect(buf, n, E_UNSUPPORTED, KM_R_DOI, 1);
}

static void test_der_refusals(void **state)
{
	uint8_t buf[64];
	size_t span;

	(void)state;
	/* Error Reply = header + KRB_ERROR only: easy to doctor */
	memcpy(buf, "\x06\x02\x10", 3);
	/* wrong tag: an AP-REP where a KRB_ERROR belongs */
	memcpy(buf + 3, "\x6f\x03\x02\x01\x05", 5);
	expect(buf, 8, E_PROTO, KM_R_DER_TAG, 3);
	/* indefinite length (BER, never DER) */
	memcpy(buf + 3, "\x7e\x80\x02\x01\x05\x00\x00", 7);
	expect(buf, 10, E_PROTO, KM_R_DER_LEN, 3);
	/* non-minimal: 0x81 0x05 */
	memcpy(buf + 3, "\x7e\x81\x03\x02\x01\x05", 6);
	expect(buf, 9, E_PROTO, KM_R_DER_LEN, 3);
	/* non-minimal: leading zero length byte */
	memcpy(buf + 3, "\x7e\x82\x00\x80", 4);
	expect(buf, 7, E_PROTO, KM_R_DER_LEN, 3);
	/* more than 4 length bytes */
	memcpy(buf + 3, "\x7e\x85\x01\x00\x00\x00\x00", 7);
	expect(buf, 10, E_PROTO, KM_R_DER_LEN, 3);
	/* length past the end, short and long forms, and the largest 4-byte one */
	memcpy(buf + 3, "\x7e\x04\x02\x01\x05", 5);
	expect(buf, 8, E_SHORT, KM_R_DER_PAST_END, 3);
	memcpy(buf + 3, "\x7e\x81\x80\x02\x01\x05", 6);
	expect(buf, 9, E_SHORT, KM_R_DER_PAST_END, 3);
	memcpy(buf + 3, "\x7e\x84\xff\xff\xff\xff\x00", 7);
	expect(buf, 10, E_SHORT, KM_R_DER_PAST_END, 3);
	/* long form whose length bytes are cut */
	memcpy(buf + 3, "\x7e\x82\x01", 3);
	expect(buf, 6, E_SHORT, KM_R_TRUNCATED, 3);
	/* exact fit, then one byte too many */
	memcpy(buf + 3, "\x7e\x03\x02\x01\x05\x00", 6);
	expect(buf, 8, 0, KM_R_OK, 0);
	expect(buf, 9, E_TRAILING, KM_R_TRAILING, 8);
	/* the span helper itself */
	assert_int_equal(km_der_span(buf + 3, 6, &span), 0);
	assert_int_equal(span, 5);
	assert_int_equal(km_der_span(buf + 3, 1, &span), E_SHORT);
}

/* Each bounded field at and beyond its bounds, encoded and (doctored) decoded. */
static void test_field_boundaries(void **state)
{
	struct km_msg m, back;
	struct km_diag d;
	uint8_t buf[1024];
	size_t n, o, i;

	(void)state;
	/* Wake Up principal: 255 characters accepted, 256 over-long */
	sample(&m, KM_WAKEUP);
	memset(m.principal, 'p', KM_PRINC_MAX);
	m.principal[KM_PRINC_MAX] = '\0';
	n = encode(&m, buf, sizeof(buf));
	assert_int_equal(n, 3 + 4 + 256);
	assert_int_equal(km_decode(&back, buf, n, &d), 0);
	assert_int_equal(strlen(back.principal), KM_PRINC_MAX);
	memset(buf + 7, 'p', 257);
	buf[7 + 256] = 0;
	expect(buf, 7 + 257, E_RANGE, KM_R_NAME_LONG, 7);
	/* no NUL within 256 bytes and the message ends: over-long, not truncated */
	expect(buf, 7 + 256, E_RANGE, KM_R_NAME_LONG, 7);
	/* empty principal, a control byte in it */
	buf[7] = 0;
	expect(buf, 8, E_RANGE, KM_R_NAME_SHORT, 7);
	memcpy(buf + 7, "ab\x01" "c", 5);
	expect(buf, 12, E_PROTO, KM_R_NAME_CHARS, 9);

	/* AP Reply: engine ID 5 and 32 accepted, 4 short, 33 long */
	sample(&m, KM_AP_REP);
	o = 3 + m.krb.len;                      /* the engine ID length byte */
	for (i = 3; i <= 34; i++) {
		uint8_t l = (uint8_t)i;
		struct wr w;
		int e, want = (l < 5) ? E_RANGE : (l > 32) ? E_RANGE : 0;

		memset(m.asd.engine_id, 0x42, sizeof(m.asd.engine_id));
		m.asd.engine_id_len = l;
		wr_init(&w, buf, sizeof(buf));
		e = km_encode(&m, &w);
		assert_int_equal(e, want ? E_INVAL : 0);
		if (want) {
			/* doctor a good encoding's length byte instead */
			m.asd.engine_id_len = 11;
			n = encode(&m, buf, sizeof(buf));
			buf[o] = l;
			expect(buf, n, E_RANGE, l < 5 ? KM_R_NAME_SHORT : KM_R_NAME_LONG, o);
		} else {
			assert_int_equal(km_decode(&back, buf, w.len, &d), 0);
			assert_int_equal(back.asd.engine_id_len, l);
		}
	}
	/* user name: 1 and 32 accepted, 0 and 33 refused, non-printable refused */
	sample(&m, KM_AP_REP);
	o = 3 + m.krb.len + 1 + 11 + 8;         /* the user-name length byte */
	memset(m.asd.user, 'u', 32);
	m.asd.user[32] = '\0';
	n = encode(&m, buf, sizeof(buf));
	assert_int_equal(km_decode(&back, buf, n, &d), 0);
	assert_int_equal(strlen(back.asd.user), 32);
	buf[o] = 33;
	expect(buf, n, E_RANGE, KM_R_NAME_LONG, o);
	buf[o] = 0;
	expect(buf, n, E_RANGE, KM_R_NAME_SHORT, o);
	buf[o] = 32;
	buf[o + 5] = 0x7f;
	expect(buf, n, E_PROTO, KM_R_NAME_CHARS, o + 5);
	strcpy(m.asd.user, "u");
	n = encode(&m, buf, sizeof(buf));
	assert_int_equal(km_decode(&back, buf, n, &d), 0);
	assert_string_equal(back.asd.user, "u");
	m.asd.user[0] = '\0';
	{
		struct wr w;

		wr_init(&w, buf, sizeof(buf));
		assert_int_equal(km_encode(&m, &w), E_INVAL);
	}

	/* AP Reply: exactly one selected ciphersuite; flags 0/1 */
	sample(&m, KM_AP_REP);
	n = encode(&m, buf, sizeof(buf));
	o = 3 + m.krb.len + 1 + 11 + 8 + 1 + 8;  /* the ciphersuite count */
	assert_int_equal(buf[o], 1);
	buf[o] = 2;
	expect(buf, n, E_RANGE, KM_R_CS_COUNT, o);
	buf[o] = 0;
	expect(buf, n, E_RANGE, KM_R_CS_COUNT, o);
	buf[o] = 1;
	o += 3 + 8;                               /* re-establish, ack-required */
	buf[o] = 2;
	expect(buf, n, E_PROTO, KM_R_FLAG, o);
	buf[o] = 0;
	buf[o + 1] = 0xff;
	expect(buf, n, E_PROTO, KM_R_FLAG, o + 1);
	buf[o + 1] = 0;
	expect(buf, n, 0, KM_R_OK, 0);

	/* 32-bit fields keep their whole range (big-endian on the wire) */
	sample(&m, KM_REKEY);
	m.nonce = 0;
	m.asd.boots = 0xffffffff;
	m.asd.time = 0x80000000;
	m.lifetime = 0xffffffff;
	m.grace = 0;
	n = encode(&m, buf, sizeof(buf));
	assert_int_equal(km_decode(&back, buf, n, &d), 0);
	assert_int_equal(back.nonce, 0);
	assert_int_equal(back.asd.boots, 0xffffffff);
	assert_int_equal(back.asd.time, 0x80000000);
	assert_int_equal(back.lifetime, 0xffffffff);
	assert_int_equal(back.grace, 0);
	assert_int_equal(load_be32(buf + back.hmac_off - 9), 0xffffffff);   /* lifetime */

	/* AP Request: 1..16 ciphersuites */
	sample(&m, KM_AP_REQ);
	for (i = 0; i < KM_CS_MAX; i++)
		m.cs[i] = (struct km_cs){ KM_SNMP_AUTH_SHA1, (uint8_t)(0x20 + i) };
	m.n_cs = KM_CS_MAX;
	n = encode(&m, buf, sizeof(buf));
	assert_int_equal(km_decode(&back, buf, n, &d), 0);
	assert_int_equal(back.n_cs, KM_CS_MAX);
	assert_int_equal(back.cs[15].priv, 0x2f);
	o = 3 + m.krb.len + 4 + 1 + 11 + 8 + 1 + 8;
	buf[o] = KM_CS_MAX + 1;
	expect(buf, n, E_RANGE, KM_R_CS_COUNT, o);
	m.n_cs = KM_CS_MAX + 1;
	{
		struct wr w;

		wr_init(&w, buf, sizeof(buf));
		assert_int_equal(km_encode(&m, &w), E_INVAL);
		assert_int_equal(w.err, E_INVAL);
	}

	/* Rekey timestamp */
	sample(&m, KM_REKEY);
	n = encode(&m, buf, sizeof(buf));
	o = 3 + 4 + strlen(m.principal) + 1;
	assert_memory_equal(buf + o, "261123145500Z", 13);
	buf[o + 12] = 'z';
	expect(buf, n, E_PROTO, KM_R_TIMESTAMP, o);
	buf[o + 12] = 'Z';
	buf[o + 2] = '1';
	buf[o + 3] = '3';                         /* month 13 */
	expect(buf, n, E_PROTO, KM_R_TIMESTAMP, o);
	buf[o + 2] = '0';
	buf[o + 3] = '0';                         /* month 00 */
	expect(buf, n, E_PROTO, KM_R_TIMESTAMP, o);
	strcpy(m.timestamp, "26112314550Z");      /* 12 characters */
	{
		struct wr w;

		wr_init(&w, buf, sizeof(buf));
		assert_int_equal(km_encode(&m, &w), E_INVAL);
	}
}

static void test_encoder_refusals(void **state)
{
	struct km_msg m;
	uint8_t buf[1024], bad[8];
	struct wr w;

	(void)state;
	/* a DER blob that is not one whole TLV, or has the wrong tag */
	sample(&m, KM_AP_REQ);
	m.krb.len -= 1;
	wr_init(&w, buf, sizeof(buf));
	assert_int_equal(km_encode(&m, &w), E_INVAL);
	sample(&m, KM_AP_REP);
	memcpy(bad, "\x6e\x03\x02\x01\x05", 5);   /* AP-REQ tag in an AP Reply */
	m.krb.p = bad;
	m.krb.len = 5;
	wr_init(&w, buf, sizeof(buf));
	assert_int_equal(km_encode(&m, &w), E_INVAL);
	sample(&m, KM_ERROR_REPLY);
	m.krb.p = NULL;
	wr_init(&w, buf, sizeof(buf));
	assert_int_equal(km_encode(&m, &w), E_INVAL);
	/* header values we would refuse to read */
	sample(&m, KM_SP_RECOVERED);
	m.doi = KM_DOI_IPSEC;
	wr_init(&w, buf, sizeof(buf));
	assert_int_equal(km_encode(&m, &w), E_INVAL);
	sample(&m, KM_SP_RECOVERED);
	m.version = 0x20;
	wr_init(&w, buf, sizeof(buf));
	assert_int_equal(km_encode(&m, &w), E_INVAL);
	sample(&m, KM_SP_RECOVERED);
	m.kmmid = 9;
	wr_init(&w, buf, sizeof(buf));
	assert_int_equal(km_encode(&m, &w), E_INVAL);
	/* principal: empty, and with a control character */
	sample(&m, KM_WAKEUP);
	m.principal[0] = '\0';
	wr_init(&w, buf, sizeof(buf));
	assert_int_equal(km_encode(&m, &w), E_INVAL);
	sample(&m, KM_WAKEUP);
	m.principal[3] = '\n';
	wr_init(&w, buf, sizeof(buf));
	assert_int_equal(km_encode(&m, &w), E_INVAL);
	/* flags */
	sample(&m, KM_AP_REQ);
	m.reestablish = 2;
	wr_init(&w, buf, sizeof(buf));
	assert_int_equal(km_encode(&m, &w), E_INVAL);
	/* the writer's bound: one byte short of a Security Parameter Recovered */
	sample(&m, KM_SP_RECOVERED);
	wr_init(&w, buf, 22);
	assert_int_equal(km_encode(&m, &w), E_OVERFLOW);
	/* appended after other bytes: hmac_off is relative to the message */
	sample(&m, KM_SP_RECOVERED);
	wr_init(&w, buf, sizeof(buf));
	wr_u32(&w, 0);
	assert_int_equal(km_encode(&m, &w), 0);
	assert_int_equal(m.hmac_off, 3);
	assert_int_equal(w.len, 4 + 23);
	assert_string_equal(km_reason_str(KM_R__COUNT), "unknown");
}

/* ------------------------------------------------ tshark, when installed */

static int have_tshark(void)
{
	return system("tshark --version > /dev/null 2>&1") == 0;
}

/* One datagram to UDP 1293 in a pcap (LINKTYPE_RAW, IPv4, no checksums). */
static void write_pcap(const char *path, const uint8_t *msg, size_t len)
{
	uint8_t hdr[24] = { 0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0 };   /* LE magic, 2.4 */
	uint8_t rec[16] = { 0 }, ip[28] = { 0x45, 0 };
	size_t tot = 28 + len;
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	hdr[16] = 0xff;
	hdr[17] = 0xff;                             /* snaplen 65535 */
	hdr[20] = 101;                              /* LINKTYPE_RAW */
	rec[8] = rec[12] = (uint8_t)tot;
	rec[9] = rec[13] = (uint8_t)(tot >> 8);
	store_be16(ip + 2, (uint16_t)tot);
	ip[8] = 64;
	ip[9] = 17;
	memcpy(ip + 12, "\xc0\x00\x02\x01\xc0\x00\x02\x02", 8);   /* 192.0.2.1 -> .2 */
	{
		uint32_t sum = 0;
		int i;

		for (i = 0; i < 20; i += 2)
			sum += load_be16(ip + i);
		while (sum >> 16)
			sum = (sum & 0xffff) + (sum >> 16);
		store_be16(ip + 10, (uint16_t)~sum);
	}
	store_be16(ip + 20, 1293);
	store_be16(ip + 22, KM_PORT);
	store_be16(ip + 24, (uint16_t)(8 + len));
	assert_int_equal(fwrite(hdr, 1, 24, f), 24);
	assert_int_equal(fwrite(rec, 1, 16, f), 16);
	assert_int_equal(fwrite(ip, 1, 28, f), 28);
	assert_int_equal(fwrite(msg, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* tshark's fields of the first packet, one line, '|'-separated. */
static void tshark_fields(const char *pcap, const char *fields, char *out, size_t outsz)
{
	char cmd[1024];
	FILE *p;
	size_t n;

	snprintf(cmd, sizeof(cmd), "tshark -n -r %s -T fields -E separator='|' %s 2>/dev/null", pcap,
		 fields);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(out, 1, outsz - 1, p);
	out[n] = '\0';
	pclose(p);
	if (n && out[n - 1] == '\n')
		out[n - 1] = '\0';
}

static void test_tshark_decodes(void **state)
{
	char pcap[] = "/tmp/test_pktc_km.XXXXXX";
	char got[2048];
	uint8_t buf[1024];
	struct km_msg m;
	size_t n;
	int fd;

	(void)state;
	if (!have_tshark())
		skip();
	fd = mkstemp(pcap);
	assert_true(fd >= 0);
	close(fd);

	sample(&m, KM_WAKEUP);
	n = encode(&m, buf, sizeof(buf));
	write_pcap(pcap, buf, n);
	tshark_fields(pcap, "-e pktc.kmmid -e pktc.doi -e pktc.version.major -e pktc.version.minor "
		      "-e pktc.server_nonce -e pktc.server_principal -e _ws.malformed -e _ws.expert",
		      got, sizeof(got));
	assert_string_equal(got, "0x01|2|1|0|0x11223344|mtaprovsrvr/prov.example.com@EXAMPLE.COM||");

	/* AP Request: Kerberos decodes our AP-REQ and pktc the fields after it */
	sample(&m, KM_AP_REQ);
	n = encode(&m, buf, sizeof(buf));
	write_pcap(pcap, buf, n);
	tshark_fields(pcap, "-e pktc.kmmid -e kerberos.msg_type -e kerberos.realm "
		      "-e pktc.server_nonce -e pktc.asd.snmp_engine_boots "
		      "-e pktc.asd.snmp_engine_time -e pktc.asd.snmp_usm_username "
		      "-e pktc.ciphers.len -e pktc.asd.snmp_auth_alg -e pktc.asd.snmp_enc_alg "
		      "-e pktc.reestablish -e pktc.sha1_hmac -e _ws.malformed -e _ws.expert",
		      got, sizeof(got));
	assert_string_equal(got, "0x02|14|EXAMPLE.COM|0x11223344|7|16909060|eue-user|2|"
				 "0x22,0x21|0x21,0x20|1|a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5||");

	/* AP Reply */
	sample(&m, KM_AP_REP);
	n = encode(&m, buf, sizeof(buf));
	write_pcap(pcap, buf, n);
	tshark_fields(pcap, "-e pktc.kmmid -e kerberos.msg_type -e pktc.asd.snmp_usm_username "
		      "-e pktc.ciphers.len -e pktc.spl -e pktc.grace_period -e pktc.reestablish "
		      "-e pktc.ack_required -e pktc.sha1_hmac -e _ws.malformed -e _ws.expert",
		      got, sizeof(got));
	assert_string_equal(got, "0x03|15|eue-user|1|604800|3600|0|1|"
				 "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a||");

	/* Security Parameter Recovered */
	sample(&m, KM_SP_RECOVERED);
	n = encode(&m, buf, sizeof(buf));
	write_pcap(pcap, buf, n);
	tshark_fields(pcap, "-e pktc.kmmid -e pktc.sha1_hmac -e _ws.malformed", got, sizeof(got));
	assert_string_equal(got, "0x04|3333333333333333333333333333333333333333|");
	unlink(pcap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wakeup_reference_bytes),
		cmocka_unit_test(test_round_trip_all),
		cmocka_unit_test(test_ap_request_layout),
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_header_refusals),
		cmocka_unit_test(test_der_refusals),
		cmocka_unit_test(test_field_boundaries),
		cmocka_unit_test(test_encoder_refusals),
		cmocka_unit_test(test_tshark_decodes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
