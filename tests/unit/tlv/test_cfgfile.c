/* test_cfgfile.c: config-file codec (tlv/cfgfile.c), hand-built vectors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "tlv/cfgfile.h"

#define START 0xfe, 0x01, 0x01
#define END 0xfe, 0x01, 0xff
/* sysUpTime.0 = INTEGER 1, as a VarBind (15 bytes) */
#define VB 0x30, 0x0d, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x03, 0x00, 0x02, 0x01, 0x01
#define TLV11 0x0b, 0x0f, VB
#define TLV64 0x40, 0x00, 0x0f, VB
#define TLV43 0x2b, 0x08, 0x08, 0x03, 0x00, 0x10, 0x95, 0x01, 0x01, 0xaa
#define IP6 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01
#define TLV38 0x26, 0x35, 0x01, 0x04, 10, 0, 0, 1, 0x02, 0x02, 0x00, 0xa2, 0x03, 0x02, 0x00, \
	0x05, 0x04, 0x02, 0x01, 0xf4, 0x05, 0x02, 0x00, 0x03, 0x06, 0x05, 0x06, 0x03, 0x2b, 0x06, \
	0x01, 0x07, 0x04, 'u', 's', 'e', 'r', 0x08, 0x10, IP6
/* The CableLabs hash VarBind of reference/config-file.md section 2, digest 0x11 x 20 */
#define HASH_CL 0x0b, 0x28, 0x30, 0x26, 0x06, 0x0e, 0x2b, 0x06, 0x01, 0x04, 0x01, 0xa3, 0x0b, \
	0x02, 0x02, 0x01, 0x01, 0x02, 0x07, 0x00, 0x04, 0x14, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, \
	0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11

static const uint8_t all_types[] = { START, TLV11, TLV64, TLV43, TLV38, END };

static void test_all_types(void **state)
{
	struct cfg_item items[8];
	struct cfg_diag d;
	uint8_t out[256];
	struct wr w;
	int n;

	(void)state;
	n = cfg_parse(all_types, sizeof(all_types), items, 8, &d);
	assert_int_equal(n, 6);
	assert_int_equal(d.why, CFG_OK);
	assert_int_equal(items[0].type, CFG_T_DELIM);
	assert_int_equal(items[0].val[0], 1);
	assert_int_equal(items[1].type, CFG_T_VARBIND);
	assert_int_equal(items[1].off, 3);
	assert_int_equal(items[1].vb.type, BER_INTEGER);
	assert_true(items[1].vb.num == 1);
	assert_int_equal(items[1].vb.val_off, 3 + 2 + 12);
	assert_int_equal(items[2].type, CFG_T_VARBIND64);
	assert_int_equal(items[2].hdr, 3);
	assert_int_equal(items[2].off, 20);
	assert_int_equal(items[2].len, 15);
	assert_int_equal(items[3].type, CFG_T_VENDOR);
	assert_int_equal(items[3].off, 38);
	assert_int_equal(items[4].type, CFG_T_NOTIFY);
	assert_int_equal(items[4].len, 0x35);
	assert_int_equal(items[5].type, CFG_T_DELIM);
	assert_int_equal(items[5].off, sizeof(all_types) - 3);

	wr_init(&w, out, sizeof(out));
	assert_int_equal(cfg_encode(&w, items, 6), 0);
	assert_int_equal(w.len, sizeof(all_types));
	assert_memory_equal(out, all_types, sizeof(all_types));
	assert_int_equal(cfg_check(all_types, sizeof(all_types), &d), 0);
}

static void test_iterator_sticky(void **state)
{
	static const uint8_t f[] = { START, 0x07, 0x00, END };
	struct cfg_it it;
	struct cfg_item item;
	struct cfg_diag d;

	(void)state;
	cfg_it_init(&it, f, sizeof(f));
	assert_int_equal(cfg_next(&it, &item, &d), 1);
	assert_int_equal(cfg_next(&it, &item, &d), E_UNSUPPORTED);
	assert_int_equal(d.why, CFG_E_UNKNOWN_TLV);
	assert_int_equal(d.off, 3);
	assert_int_equal(cfg_next(&it, &item, &d), E_UNSUPPORTED);
}

struct bad {
	const char *name;
	uint8_t b[64];
	size_t len;
	int rc, why, ber_why;
	size_t off;
};

#define V(...) { __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ })

static const struct bad bads[] = {
	{ "empty", { 0 }, 0, E_SHORT, CFG_E_EMPTY, 0, 0 },
	{ "header cut", V(0xfe), E_SHORT, CFG_E_TRUNC_HDR, 0, 0 },
	{ "64 header cut", V(START, 0x40, 0x00), E_SHORT, CFG_E_TRUNC_HDR, 0, 3 },
	{ "value past end", V(START, 0x0b, 0x05, 0x30), E_SHORT, CFG_E_TRUNC_VALUE, 0, 3 },
	{ "64 value past end", V(START, 0x40, 0x01, 0x00, 0x30), E_SHORT, CFG_E_TRUNC_VALUE, 0, 3 },
	{ "unknown tlv", V(START, 0x03, 0x01, 0x01, END), E_UNSUPPORTED, CFG_E_UNKNOWN_TLV, 0, 3 },
	{ "unknown tlv 255", V(START, 0xff, 0x00, END), E_UNSUPPORTED, CFG_E_UNKNOWN_TLV, 0, 3 },
	{ "no start", V(TLV11, END), E_PROTO, CFG_E_NO_START, 0, 0 },
	{ "end first", V(END), E_PROTO, CFG_E_NO_START, 0, 0 },
	{ "start value 2", V(0xfe, 0x01, 0x02, END), E_PROTO, CFG_E_NO_START, 0, 2 },
	{ "delim len 2", V(0xfe, 0x02, 0x01, 0x01, END), E_PROTO, CFG_E_DELIM_LEN, 0, 0 },
	{ "delim len 0", V(START, 0xfe, 0x00, END), E_PROTO, CFG_E_DELIM_LEN, 0, 3 },
	{ "delim value 7", V(START, 0xfe, 0x01, 0x07, END), E_PROTO, CFG_E_DELIM_VALUE, 0, 5 },
	{ "dup start", V(START, START, END), E_PROTO, CFG_E_DUP_START, 0, 3 },
	{ "no end", V(START, TLV11), E_SHORT, CFG_E_NO_END, 0, 20 },
	{ "start only", V(START), E_SHORT, CFG_E_NO_END, 0, 3 },
	{ "after end", V(START, END, 0x00), E_TRAILING, CFG_E_AFTER_END, 0, 6 },
	{ "tlv after end", V(START, END, TLV11), E_TRAILING, CFG_E_AFTER_END, 0, 6 },
	{ "varbind not seq", V(START, 0x0b, 0x02, 0x04, 0x00, END), E_PROTO, CFG_E_VARBIND,
	  BER_E_NOT_SEQ, 5 },
	{ "varbind trailing", V(START, 0x0b, 0x10, VB, 0x00, END), E_TRAILING, CFG_E_VARBIND,
	  BER_E_TRAILING, 20 },
	{ "varbind short", V(START, 0x0b, 0x0e, 0x30, 0x0d, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x02,
			     0x01, 0x01, 0x03, 0x00, 0x02, 0x01, END),
	  E_SHORT, CFG_E_VARBIND, BER_E_SHORT, 5 },
	{ "varbind empty", V(START, 0x0b, 0x00, END), E_SHORT, CFG_E_VARBIND, BER_E_SHORT, 5 },
	{ "64 varbind nonmin int", V(START, 0x40, 0x00, 0x10, 0x30, 0x0e, 0x06, 0x08, 0x2b, 0x06,
				     0x01, 0x02, 0x01, 0x01, 0x03, 0x00, 0x02, 0x02, 0x00, 0x01, END),
	  E_PROTO, CFG_E_VARBIND, BER_E_INT_NONMIN, 20 },
	{ "38 sub past end", V(START, 0x26, 0x03, 0x01, 0x04, 0x0a, END), E_SHORT, CFG_E_SUB_TRUNC,
	  0, 5 },
	{ "38 sub unknown", V(START, 0x26, 0x03, 0x09, 0x01, 0x00, END), E_UNSUPPORTED,
	  CFG_E_SUB_UNKNOWN, 0, 5 },
	{ "38 sub 0", V(START, 0x26, 0x02, 0x00, 0x00, END), E_UNSUPPORTED, CFG_E_SUB_UNKNOWN, 0, 5 },
	{ "38 port len 1", V(START, 0x26, 0x03, 0x02, 0x01, 0x00, END), E_PROTO, CFG_E_SUB_LEN, 0, 5 },
	{ "38 ipv6 len 4", V(START, 0x26, 0x06, 0x08, 0x04, 1, 2, 3, 4, END), E_PROTO,
	  CFG_E_SUB_LEN, 0, 5 },
	{ "38 secname 17", V(START, 0x26, 0x13, 0x07, 0x11, 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a',
			     'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', END),
	  E_PROTO, CFG_E_SUB_LEN, 0, 5 },
	{ "38 dup", V(START, 0x26, 0x08, 0x02, 0x02, 0x00, 0xa2, 0x02, 0x02, 0x00, 0xa2, END), E_PROTO,
	  CFG_E_SUB_DUP, 0, 9 },
	{ "38 type 6", V(START, 0x26, 0x04, 0x03, 0x02, 0x00, 0x06, END), E_RANGE, CFG_E_SUB_VALUE,
	  0, 7 },
	{ "38 type 0", V(START, 0x26, 0x04, 0x03, 0x02, 0x00, 0x00, END), E_RANGE, CFG_E_SUB_VALUE,
	  0, 7 },
	{ "38 filter bad oid", V(START, 0x26, 0x03, 0x06, 0x01, 0x80, END), E_PROTO, CFG_E_SUB_VALUE,
	  BER_E_OID_NONMIN, 7 },
	{ "43 no vendor id", V(START, 0x2b, 0x03, 0x01, 0x01, 0x00, END), E_PROTO, CFG_E_VENDOR_ID,
	  0, 5 },
	{ "43 vendor id len 2", V(START, 0x2b, 0x04, 0x08, 0x02, 0x00, 0x10, END), E_PROTO,
	  CFG_E_VENDOR_ID, 0, 5 },
	{ "43 empty", V(START, 0x2b, 0x00, END), E_PROTO, CFG_E_VENDOR_ID, 0, 3 },
	{ "43 sub past end", V(START, 0x2b, 0x06, 0x08, 0x03, 0x00, 0x10, 0x95, 0x01, END), E_SHORT,
	  CFG_E_SUB_TRUNC, 0, 10 },
};

static void test_errors(void **state)
{
	struct cfg_item items[8];
	struct cfg_diag d;
	char msg[128];
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		rc = cfg_parse(bads[i].b, bads[i].len, items, 8, &d);
		if (rc != bads[i].rc || d.why != bads[i].why || d.off != bads[i].off ||
		    (bads[i].ber_why && d.ber_why != bads[i].ber_why))
			fail_msg("%s: rc %d, %s; want rc %d why %d (%s) ber %d off %zu", bads[i].name,
				 rc, cfg_diag_str(&d, msg, sizeof(msg)), bads[i].rc, bads[i].why,
				 cfg_why_name(bads[i].why), bads[i].ber_why, bads[i].off);
		/* cfg_check agrees with cfg_parse */
		assert_int_equal(cfg_check(bads[i].b, bads[i].len, &d), rc);
	}
}

static void test_too_many(void **state)
{
	struct cfg_item items[2];
	struct cfg_diag d;

	(void)state;
	assert_int_equal(cfg_parse(all_types, sizeof(all_types), items, 2, &d), E_OVERFLOW);
	assert_int_equal(d.why, CFG_E_TOO_MANY);
	assert_int_equal(d.off, 20);
}

static void test_diag_str(void **state)
{
	static const uint8_t f[] = { START, 0x0b, 0x02, 0x04, 0x00, END };
	struct cfg_diag d;
	char msg[128];
	int i;

	(void)state;
	assert_int_equal(cfg_check(f, sizeof(f), &d), E_PROTO);
	assert_string_equal(cfg_diag_str(&d, msg, sizeof(msg)),
			    "offset 5: bad VarBind: VarBind is not a SEQUENCE");
	for (i = 0; i < CFG_WHY_COUNT; i++)
		assert_non_null(cfg_why_name(i));
	assert_string_equal(cfg_why_name(CFG_WHY_COUNT), "unknown config-file error");
}

static void test_put_varbind_picks_64(void **state)
{
	static uint8_t val[300];
	static const uint8_t oid[] = { 0x2b, 0x06, 0x01 };
	struct ber_vb vb;
	struct cfg_item items[4];
	struct cfg_diag d;
	uint8_t out[600];
	struct wr w;

	(void)state;
	memset(&vb, 0, sizeof(vb));
	vb.oid = oid;
	vb.oid_len = sizeof(oid);
	vb.type = BER_OCTETS;
	vb.val = val;
	vb.val_len = 240;       /* 4 + 5 + 3 + 3 + 240 = 251 bytes: TLV 11 */
	wr_init(&w, out, sizeof(out));
	wr_bytes(&w, (const uint8_t[]){ START }, 3);
	cfg_put_varbind(&w, &vb);
	assert_int_equal(out[3], CFG_T_VARBIND);
	assert_int_equal(out[4], 251 - 0);
	vb.val_len = 260;
	cfg_put_varbind(&w, &vb);
	assert_int_equal(out[3 + 2 + 251], CFG_T_VARBIND64);
	wr_bytes(&w, (const uint8_t[]){ END }, 3);
	assert_int_equal(w.err, 0);
	assert_int_equal(cfg_parse(out, w.len, items, 4, &d), 4);
	assert_int_equal(items[2].type, CFG_T_VARBIND64);
	assert_int_equal(items[2].vb.val_len, 260);
	/* a 64 too long for its 16-bit length */
	vb.val_len = 0;
	items[0].type = CFG_T_VARBIND;
	items[0].vb = vb;
	items[0].vb.val_len = 300;
	wr_init(&w, out, sizeof(out));
	cfg_encode_item(&w, &items[0]);
	assert_int_equal(w.err, E_OVERFLOW);
}

static void test_hash_locate(void **state)
{
	static const uint8_t ok[] = { START, TLV11, HASH_CL, END };
	static const uint8_t dup[] = { START, HASH_CL, HASH_CL, END };
	static const uint8_t none[] = { START, TLV11, END };
	/* Excentis OID with a 16-byte digest */
	static const uint8_t shortd[] = { START, 0x0b, 0x22, 0x30, 0x20, 0x06, 0x0c, 0x2b, 0x06,
					  0x01, 0x04, 0x01, 0xba, 0x08, 0x01, 0x01, 0x02, 0x09,
					  0x00, 0x04, 0x10, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
					  13, 14, 15, 16, END };
	struct cfg_hash_loc loc;
	struct cfg_diag d;

	(void)state;
	assert_int_equal(cfg_hash_locate(ok, sizeof(ok), &loc, &d), 0);
	assert_int_equal(loc.family, CFG_HASH_CL);
	assert_int_equal(loc.off, 20);
	assert_int_equal(loc.len, 42);
	assert_int_equal(loc.digest_len, 20);
	assert_int_equal(loc.digest[0], 0x11);
	assert_int_equal(cfg_hash_locate(dup, sizeof(dup), &loc, &d), E_PROTO);
	assert_int_equal(d.why, CFG_E_HASH_DUP);
	assert_int_equal(d.off, 45);
	assert_int_equal(cfg_hash_locate(none, sizeof(none), &loc, &d), E_NOTFOUND);
	assert_int_equal(d.why, CFG_E_HASH_MISSING);
	assert_int_equal(cfg_hash_locate(shortd, sizeof(shortd), &loc, &d), E_RANGE);
	assert_int_equal(d.why, CFG_E_HASH_FORMAT);
	assert_int_equal(d.off, 3 + 2 + 2 + 14);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_types),
		cmocka_unit_test(test_iterator_sticky),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_too_many),
		cmocka_unit_test(test_diag_str),
		cmocka_unit_test(test_put_varbind_picks_64),
		cmocka_unit_test(test_hash_locate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
