/* test_ber.c: BER VarBind codec (tlv/ber.c), hand-built byte vectors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tlv/ber.h"

/* Decode buf as one VarBind; return rc, fill vb and e. */
static int dec(const uint8_t *buf, size_t len, struct ber_vb *vb, struct ber_err *e)
{
	struct rd r;

	rd_init(&r, buf, len);
	return ber_vb_decode(&r, vb, e);
}

/* Decode then re-encode: must be byte-identical. */
static void roundtrip(const uint8_t *buf, size_t len)
{
	struct ber_vb vb;
	struct ber_err e;
	uint8_t out[512];
	struct wr w;

	assert_int_equal(dec(buf, len, &vb, &e), 0);
	assert_int_equal(ber_vb_size(&vb), len);
	wr_init(&w, out, sizeof(out));
	ber_vb_encode(&w, &vb);
	assert_int_equal(w.err, 0);
	assert_int_equal(w.len, len);
	assert_memory_equal(out, buf, len);
}

/* OID 1.3.6.1.2.1.1.3.0 (sysUpTime.0) = 2b 06 01 02 01 01 03 00 */
#define OID_SYSUP 0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x03, 0x00

static void test_integer_values(void **state)
{
	static const uint8_t one[] = { 0x30, 0x0d, OID_SYSUP, 0x02, 0x01, 0x01 };
	static const uint8_t neg[] = { 0x30, 0x0d, OID_SYSUP, 0x02, 0x01, 0xff };
	static const uint8_t big[] = { 0x30, 0x10, OID_SYSUP, 0x02, 0x04, 0x7f, 0xff, 0xff, 0xff };
	static const uint8_t min[] = { 0x30, 0x10, OID_SYSUP, 0x02, 0x04, 0x80, 0x00, 0x00, 0x00 };
	static const uint8_t b128[] = { 0x30, 0x0e, OID_SYSUP, 0x02, 0x02, 0x00, 0x80 };
	struct ber_vb vb;
	struct ber_err e;

	(void)state;
	assert_int_equal(dec(one, sizeof(one), &vb, &e), 0);
	assert_int_equal(vb.type, BER_INTEGER);
	assert_int_equal(vb.num, 1);
	assert_int_equal(vb.oid_len, 8);
	assert_int_equal(vb.val_off, 12);
	assert_int_equal(dec(neg, sizeof(neg), &vb, &e), 0);
	assert_true(vb.num == -1);
	assert_int_equal(dec(big, sizeof(big), &vb, &e), 0);
	assert_true(vb.num == 2147483647);
	assert_int_equal(dec(min, sizeof(min), &vb, &e), 0);
	assert_true(vb.num == -2147483647 - 1);
	assert_int_equal(dec(b128, sizeof(b128), &vb, &e), 0);
	assert_true(vb.num == 128);
	roundtrip(one, sizeof(one));
	roundtrip(min, sizeof(min));
}

static void test_unsigned_types(void **state)
{
	static const uint8_t gauge[] = { 0x30, 0x11, OID_SYSUP, 0x42, 0x05, 0x00, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t ctr[] = { 0x30, 0x0d, OID_SYSUP, 0x41, 0x01, 0x05 };
	static const uint8_t ticks[] = { 0x30, 0x0e, OID_SYSUP, 0x43, 0x02, 0x01, 0x00 };
	static const uint8_t c64[] = { 0x30, 0x15, OID_SYSUP, 0x46, 0x09, 0x00, 0xff, 0xff, 0xff,
				       0xff, 0xff, 0xff, 0xff, 0xfe };
	struct ber_vb vb;
	struct ber_err e;

	(void)state;
	assert_int_equal(dec(gauge, sizeof(gauge), &vb, &e), 0);
	assert_int_equal(vb.type, BER_GAUGE32);
	assert_true(vb.num == 4294967295LL);
	assert_int_equal(dec(ctr, sizeof(ctr), &vb, &e), 0);
	assert_int_equal(vb.type, BER_COUNTER32);
	assert_true(vb.num == 5);
	assert_int_equal(dec(ticks, sizeof(ticks), &vb, &e), 0);
	assert_true(vb.num == 256);
	assert_int_equal(dec(c64, sizeof(c64), &vb, &e), 0);
	assert_true(vb.u64 == 0xfffffffffffffffeULL);
	roundtrip(gauge, sizeof(gauge));
	roundtrip(c64, sizeof(c64));
}

static void test_other_types(void **state)
{
	static const uint8_t str[] = { 0x30, 0x0f, OID_SYSUP, 0x04, 0x03, 'a', 'b', 'c' };
	static const uint8_t nul[] = { 0x30, 0x0c, OID_SYSUP, 0x05, 0x00 };
	static const uint8_t ip[] = { 0x30, 0x10, OID_SYSUP, 0x40, 0x04, 10, 0, 0, 1 };
	static const uint8_t oid[] = { 0x30, 0x0f, OID_SYSUP, 0x06, 0x03, 0x2b, 0x06, 0x01 };
	static const uint8_t opq[] = { 0x30, 0x0e, OID_SYSUP, 0x44, 0x02, 0x9f, 0x78 };
	struct ber_vb vb;
	struct ber_err e;

	(void)state;
	assert_int_equal(dec(str, sizeof(str), &vb, &e), 0);
	assert_int_equal(vb.type, BER_OCTETS);
	assert_int_equal(vb.val_len, 3);
	assert_memory_equal(vb.val, "abc", 3);
	assert_int_equal(dec(nul, sizeof(nul), &vb, &e), 0);
	assert_int_equal(vb.type, BER_NULL);
	assert_int_equal(dec(ip, sizeof(ip), &vb, &e), 0);
	assert_int_equal(vb.type, BER_IPADDR);
	assert_int_equal(vb.val[0], 10);
	assert_int_equal(dec(oid, sizeof(oid), &vb, &e), 0);
	assert_int_equal(vb.type, BER_OID);
	assert_int_equal(dec(opq, sizeof(opq), &vb, &e), 0);
	roundtrip(str, sizeof(str));
	roundtrip(nul, sizeof(nul));
	roundtrip(ip, sizeof(ip));
	roundtrip(oid, sizeof(oid));
}

/* Long-form lengths (also non-minimal ones) survive a round trip. */
static void test_long_lengths(void **state)
{
	uint8_t buf[300];
	size_t i;
	static const uint8_t nonmin[] = { 0x30, 0x81, 0x10, 0x06, 0x81, 0x08, 0x2b, 0x06, 0x01,
					  0x02, 0x01, 0x01, 0x03, 0x00, 0x04, 0x82, 0x00, 0x01, 'x' };
	struct ber_vb vb;
	struct ber_err e;

	(void)state;
	/* 30 82 01 1b | 06 08 ... | 04 82 01 0d <269 bytes>: 4 + 10 + 4 + 269 */
	buf[0] = 0x30; buf[1] = 0x82; buf[2] = 0x01; buf[3] = 0x1b;
	memcpy(buf + 4, (const uint8_t[]){ OID_SYSUP }, 10);
	buf[14] = 0x04; buf[15] = 0x82; buf[16] = 0x01; buf[17] = 0x0d;
	for (i = 0; i < 269; i++)
		buf[18 + i] = (uint8_t)i;
	assert_int_equal(dec(buf, 287, &vb, &e), 0);
	assert_int_equal(vb.val_len, 269);
	assert_int_equal(vb.seq_lenw, 2);
	roundtrip(buf, 287);
	assert_int_equal(dec(nonmin, sizeof(nonmin), &vb, &e), 0);
	assert_int_equal(vb.seq_lenw, 1);
	assert_int_equal(vb.oid_lenw, 1);
	assert_int_equal(vb.val_lenw, 2);
	roundtrip(nonmin, sizeof(nonmin));
}

struct bad {
	const char *name;
	uint8_t b[24];
	size_t len;
	int rc, why;
	size_t off;
};

static const struct bad bads[] = {
	{ "empty", { 0 }, 0, E_SHORT, BER_E_SHORT, 0 },
	{ "seq past end", { 0x30, 0x0d, OID_SYSUP, 0x02 }, 13, E_SHORT, BER_E_SHORT, 0 },
	{ "not seq", { 0x31, 0x0d, OID_SYSUP, 0x02, 0x01, 0x01 }, 15, E_PROTO, BER_E_NOT_SEQ, 0 },
	{ "high tag", { 0x3f, 0x01, 0x00 }, 3, E_PROTO, BER_E_TAG, 0 },
	{ "indefinite", { 0x30, 0x80, 0x00, 0x00 }, 4, E_PROTO, BER_E_LEN_INDEF, 1 },
	{ "len 5 bytes", { 0x30, 0x85, 0, 0, 0, 0, 1 }, 7, E_OVERFLOW, BER_E_LEN_BIG, 1 },
	{ "trailing after seq", { 0x30, 0x0d, OID_SYSUP, 0x02, 0x01, 0x01, 0x00 }, 16, E_TRAILING,
	  BER_E_TRAILING, 15 },
	{ "trailing in seq", { 0x30, 0x0e, OID_SYSUP, 0x02, 0x01, 0x01, 0x00 }, 16, E_TRAILING,
	  BER_E_TRAILING, 15 },
	{ "name not oid", { 0x30, 0x06, 0x04, 0x01, 0x2b, 0x02, 0x01, 0x01 }, 8, E_PROTO,
	  BER_E_NOT_OID, 2 },
	{ "value missing", { 0x30, 0x0a, OID_SYSUP }, 12, E_SHORT, BER_E_SHORT, 12 },
	{ "bad type", { 0x30, 0x0d, OID_SYSUP, 0x47, 0x01, 0x01 }, 15, E_UNSUPPORTED, BER_E_TYPE, 12 },
	{ "int empty", { 0x30, 0x0c, OID_SYSUP, 0x02, 0x00 }, 14, E_PROTO, BER_E_INT_EMPTY, 14 },
	{ "int nonmin 00", { 0x30, 0x0e, OID_SYSUP, 0x02, 0x02, 0x00, 0x01 }, 16, E_PROTO,
	  BER_E_INT_NONMIN, 14 },
	{ "int nonmin ff", { 0x30, 0x0e, OID_SYSUP, 0x02, 0x02, 0xff, 0xff }, 16, E_PROTO,
	  BER_E_INT_NONMIN, 14 },
	{ "int 33 bits", { 0x30, 0x11, OID_SYSUP, 0x02, 0x05, 0x01, 0, 0, 0, 0 }, 19, E_RANGE,
	  BER_E_INT_RANGE, 14 },
	{ "gauge 2^32", { 0x30, 0x11, OID_SYSUP, 0x42, 0x05, 0x01, 0, 0, 0, 0 }, 19, E_RANGE,
	  BER_E_INT_RANGE, 14 },
	{ "counter64 2^64", { 0x30, 0x15, OID_SYSUP, 0x46, 0x09, 0x2a, 0xff, 0xff, 0xff, 0xff, 0xff,
			      0xff, 0xff, 0xff }, 23, E_RANGE, BER_E_INT_RANGE, 14 },
	{ "gauge negative", { 0x30, 0x0d, OID_SYSUP, 0x42, 0x01, 0x80 }, 15, E_RANGE,
	  BER_E_INT_RANGE, 14 },
	{ "null with data", { 0x30, 0x0d, OID_SYSUP, 0x05, 0x01, 0x00 }, 15, E_PROTO,
	  BER_E_NULL_LEN, 12 },
	{ "ipaddr 3", { 0x30, 0x0f, OID_SYSUP, 0x40, 0x03, 1, 2, 3 }, 17, E_PROTO,
	  BER_E_IPADDR_LEN, 12 },
	{ "oid empty", { 0x30, 0x05, 0x06, 0x00, 0x02, 0x01, 0x01 }, 7, E_PROTO, BER_E_OID_EMPTY, 4 },
	{ "oid 0x80", { 0x30, 0x08, 0x06, 0x03, 0x2b, 0x80, 0x01, 0x02, 0x01, 0x01 }, 10, E_PROTO,
	  BER_E_OID_NONMIN, 5 },
	{ "oid big", { 0x30, 0x0b, 0x06, 0x06, 0x2b, 0x90, 0x80, 0x80, 0x80, 0x00, 0x02, 0x01, 0x01 },
	  13, E_RANGE, BER_E_OID_BIG, 5 },
	{ "oid trunc", { 0x30, 0x07, 0x06, 0x02, 0x2b, 0x86, 0x02, 0x01, 0x01 }, 9, E_PROTO,
	  BER_E_OID_TRUNC, 5 },
	{ "oid value trunc", { 0x30, 0x0d, OID_SYSUP, 0x06, 0x01, 0x81 }, 15, E_PROTO,
	  BER_E_OID_TRUNC, 14 },
};

static void test_errors(void **state)
{
	struct ber_vb vb;
	struct ber_err e;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		rc = dec(bads[i].b, bads[i].len, &vb, &e);
		if (rc != bads[i].rc || e.why != bads[i].why || e.off != bads[i].off)
			fail_msg("%s: rc %d why %d (%s) off %zu; want rc %d why %d off %zu",
				 bads[i].name, rc, e.why, ber_why_name(e.why), e.off, bads[i].rc,
				 bads[i].why, bads[i].off);
	}
}

static void test_oid_too_long(void **state)
{
	uint8_t oid[140];
	struct ber_err e;

	(void)state;
	memset(oid, 0x01, sizeof(oid));
	oid[0] = 0x2b;
	assert_int_equal(ber_oid_check(oid, 127, 0, &e), 128);
	assert_int_equal(ber_oid_check(oid, 128, 0, &e), E_RANGE);
	assert_int_equal(e.why, BER_E_OID_LONG);
	assert_int_equal(e.off, 127);
}

static void test_oid_text(void **state)
{
	static const uint32_t arcs[] = { 1, 3, 6, 1, 4, 1, 4491, 2, 2, 1, 1, 2, 7, 0 };
	static const uint8_t want[] = { 0x2b, 0x06, 0x01, 0x04, 0x01, 0xa3, 0x0b, 0x02,
					0x02, 0x01, 0x01, 0x02, 0x07, 0x00 };
	static const uint32_t big[] = { 2, 4294967215u, 4294967295u };
	static const uint32_t bad[] = { 1, 40 };
	uint8_t out[32];
	uint32_t back[16];
	char txt[64];
	struct wr w;

	(void)state;
	wr_init(&w, out, sizeof(out));
	assert_int_equal(ber_oid_put(&w, arcs, 14), 0);
	assert_int_equal(w.len, sizeof(want));
	assert_memory_equal(out, want, sizeof(want));
	assert_int_equal(ber_oid_fmt(out, w.len, txt, sizeof(txt)), 30);
	assert_string_equal(txt, "1.3.6.1.4.1.4491.2.2.1.1.2.7.0");
	wr_init(&w, out, sizeof(out));
	assert_int_equal(ber_oid_put(&w, big, 3), 0);
	assert_int_equal(ber_oid_arcs(out, w.len, back, 16), 3);
	assert_true(back[1] == 4294967215u && back[2] == 4294967295u);
	wr_init(&w, out, sizeof(out));
	assert_int_equal(ber_oid_put(&w, bad, 2), E_RANGE);
	/* a truncated formatter still terminates */
	assert_int_equal(ber_oid_fmt(want, sizeof(want), txt, 6), 30);
	assert_string_equal(txt, "1.3.6");
}

static void test_int_bytes(void **state)
{
	uint8_t b[9];

	(void)state;
	assert_int_equal(ber_int_bytes(0, b), 1);
	assert_int_equal(b[0], 0);
	assert_int_equal(ber_int_bytes(127, b), 1);
	assert_int_equal(ber_int_bytes(128, b), 2);
	assert_int_equal(b[0], 0);
	assert_int_equal(b[1], 0x80);
	assert_int_equal(ber_int_bytes(-128, b), 1);
	assert_int_equal(b[0], 0x80);
	assert_int_equal(ber_int_bytes(-129, b), 2);
	assert_int_equal(ber_uint_bytes(4294967295u, b), 5);
	assert_int_equal(ber_uint_bytes(0xffffffffffffffffULL, b), 9);
	assert_int_equal(b[0], 0);
	assert_int_equal(b[8], 0xff);
}

static void test_put_tl(void **state)
{
	uint8_t out[16];
	struct wr w;

	(void)state;
	wr_init(&w, out, sizeof(out));
	ber_put_tl(&w, 0x04, 127, 0);
	ber_put_tl(&w, 0x04, 128, 0);
	ber_put_tl(&w, 0x04, 5, 2);
	assert_int_equal(w.err, 0);
	assert_int_equal(w.len, 2 + 3 + 4);
	assert_memory_equal(out, ((const uint8_t[]){ 0x04, 0x7f, 0x04, 0x81, 0x80, 0x04, 0x82,
						   0x00, 0x05 }), 9);
	ber_put_tl(&w, 0x04, 256, 1);   /* does not fit in one length byte */
	assert_int_equal(w.err, E_OVERFLOW);
}

static void test_names(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < BER_WHY_COUNT; i++)
		assert_non_null(ber_why_name(i));
	assert_string_equal(ber_why_name(-1), "unknown BER error");
	assert_string_equal(ber_tag_name(BER_GAUGE32), "Gauge32");
	assert_null(ber_tag_name(0x30));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integer_values),
		cmocka_unit_test(test_unsigned_types),
		cmocka_unit_test(test_other_types),
		cmocka_unit_test(test_long_lengths),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_oid_too_long),
		cmocka_unit_test(test_oid_text),
		cmocka_unit_test(test_int_bytes),
		cmocka_unit_test(test_put_tl),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
