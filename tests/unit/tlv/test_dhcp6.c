/* test_dhcp6.c: DHCPv6 codec (tlv/dhcp6.c): the eUE-1 SOLICIT, the lab's Kea
 * REPLY (lab-servers.md §2), IA_NA/IAADDR, DUIDs, ORO, status, vendor
 * options, and one named test per malformed-input class. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "platform/err.h"
#include "tlv/dhcp6.h"

#include "tests/unit/unhex.h"

/* REPLY as Kea 2.2 sent it in the lab (lab-servers.md §2), with the IA_NA,
 * server id, DNS and the vendor-4491 sub-options 32..39 and 2171. */
static const char kea_reply[] =
	"07 abcdef"
	"0002 000b 00020000118b0102030405"
	"0003 0028 00000001 00000384 00000546"
	"  0005 0018 20010db8011300000000000000000104 00000708 00000e10"
	"0011 009a 0000118b"
	"  0020 0010 20010db8005100000000000000000010"
	"  0021 000e 6575652d636f6e6669672e62696e"
	"  0022 0010 20010db8005100000000000000000010"
	"  0025 0010 20010db8005100000000000000000010"
	"  0026 0004 ffffb9b0"
	"  0027 0001 06"
	"  087b 0037 0001000b00020000118b0102030405"
	"            00030013000470726f76076578616d706c65036e657400"
	"            0006000d074558414d504c45034e455400"
	"0017 0010 20010db8005100000000000000000010";

static void test_decode_kea_reply(void **state)
{
	uint8_t buf[512], dns[2][16];
	struct dhcp6_msg m;
	struct dhcp6_ia_na ia;
	struct dhcp6_duid d;
	const uint8_t *v;
	size_t len = unhex(kea_reply, buf, sizeof(buf));
	uint16_t st;
	int n;

	(void)state;
	assert_int_equal(dhcp6_decode(&m, buf, len), 0);
	assert_int_equal(m.type, DHCP6_REPLY);
	assert_string_equal(dhcp6_type_str(m.type), "REPLY");
	assert_int_equal(m.xid, 0xabcdef);
	n = dhcp6_msg_opt(&m, DHCP6_O_SERVERID, &v);
	assert_int_equal(n, 11);
	assert_int_equal(dhcp6_duid_decode(v, (size_t)n, &d), 0);
	assert_int_equal(d.type, DHCP6_DUID_EN);
	assert_int_equal(d.enterprise, 4491);
	assert_int_equal(d.id_len, 5);
	assert_memory_equal(d.id, "\x01\x02\x03\x04\x05", 5);

	n = dhcp6_msg_opt(&m, DHCP6_O_IA_NA, &v);
	assert_int_equal(n, 40);
	assert_int_equal(dhcp6_ia_na_decode(v, (size_t)n, &ia), 0);
	assert_int_equal(ia.iaid, 1);
	assert_int_equal(ia.t1, 900);
	assert_int_equal(ia.t2, 1350);
	assert_true(ia.has_addr);
	assert_memory_equal(ia.addr, "\x20\x01\x0d\xb8\x01\x13\0\0\0\0\0\0\0\0\x01\x04", 16);
	assert_int_equal(ia.preferred, 1800);
	assert_int_equal(ia.valid, 3600);
	assert_false(ia.has_status);
	assert_int_equal(dhcp6_msg_status(&m, &st), E_NOTFOUND);

	n = dhcp6_msg_opt(&m, DHCP6_O_DNS, &v);
	assert_int_equal(dhcp6_addrs(v, (size_t)n, dns, 2), 1);
	assert_int_equal(dns[0][15], 0x10);

	n = dhcp6_vendor_opts(&m, DHCP6_ENTERPRISE_CL, &v);
	assert_int_equal(n, 0x9a - 4);
	assert_int_equal(dhcp6_opt_find(v, (size_t)n, 33, &v), 14);
	assert_memory_equal(v, "eue-config.bin", 14);
	assert_int_equal(dhcp6_vendor_opts(&m, 9, &v), E_NOTFOUND);
	assert_int_equal(dhcp6_vendor_class_has(&m, DHCP6_ENTERPRISE_CL, "pktc2.0"), E_NOTFOUND);
}

/* eUE-1 (spec Table 5): every option the SOLICIT must carry. */
static void test_build_eue_solicit(void **state)
{
	static const uint8_t mac[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x66 };
	static const uint16_t oro[] = { DHCP6_O_FQDN, DHCP6_O_DNS };
	static const uint8_t caps[] = { 0x01, 0x01, 0x02, 0x02, 0x01, 0x02, 0x03, 0x01, 0x01, 0x04,
					0x01, 0x01, 0x12, 0x02, 0x00, 0x07, 0x1a, 0x01, 0x00 };
	/* dhcp-options.md §5: 16 = 4491 + 00 07 "pktc2.0" (tshark-verified) */
	static const uint8_t want16[] = { 0x00, 0x10, 0x00, 0x0d, 0x00, 0x00, 0x11, 0x8b, 0x00, 0x07,
					  'p', 'k', 't', 'c', '2', '.', '0' };
	static const uint8_t want39[] = { 0x00, 0x27, 0x00, 0x01, 0x01 };
	uint8_t buf[512], duid[DHCP6_DUID_MAX];
	struct dhcp6_msg m;
	struct dhcp6_ia_na ia;
	const uint8_t *v, *vend;
	uint16_t codes[8], el;
	struct wr w;
	size_t at, at16, at39;
	int n, dl, vl;

	(void)state;
	dl = dhcp6_duid_ll(duid, sizeof(duid), 1, mac, 6);
	assert_int_equal(dl, 10);
	wr_init(&w, buf, sizeof(buf));
	dhcp6_put_hdr(&w, DHCP6_SOLICIT, 0x123456);
	dhcp6_put_opt(&w, DHCP6_O_CLIENTID, duid, (size_t)dl);
	dhcp6_put_ia_na(&w, 1, 0, 0, NULL, 0, 0);
	at39 = w.len;
	dhcp6_put_fqdn(&w, DHCP6_FQDN_S, "");
	dhcp6_put_oro(&w, oro, 2);
	at16 = w.len;
	dhcp6_put_vendor_class(&w, DHCP6_ENTERPRISE_CL, "pktc2.0");
	at = dhcp6_vendor_open(&w, DHCP6_ENTERPRISE_CL);
	dhcp6_put_opt(&w, 2, "EDVA", 4);
	dhcp6_put_opt(&w, 4, "SN1", 3);
	dhcp6_put_opt(&w, 35, caps, sizeof(caps));
	dhcp6_put_opt(&w, 36, mac, 6);
	{
		size_t o = dhcp6_open(&w, 1);
		wr_u16(&w, 32);
		wr_u16(&w, 33);
		wr_u16(&w, 34);
		wr_u16(&w, 2171);
		dhcp6_close(&w, o);
	}
	dhcp6_close(&w, at);
	dhcp6_put_elapsed(&w, 0);
	assert_int_equal(w.err, 0);
	assert_memory_equal(buf, "\x01\x12\x34\x56", 4);
	assert_memory_equal(buf + at16, want16, sizeof(want16));
	assert_memory_equal(buf + at39, want39, sizeof(want39));

	assert_int_equal(dhcp6_decode(&m, buf, w.len), 0);
	assert_int_equal(m.type, DHCP6_SOLICIT);
	assert_int_equal(m.xid, 0x123456);
	assert_int_equal(dhcp6_msg_opt(&m, DHCP6_O_RAPID_COMMIT, &v), E_NOTFOUND);
	n = dhcp6_msg_opt(&m, DHCP6_O_IA_NA, &v);
	assert_int_equal(n, 12);
	assert_int_equal(dhcp6_ia_na_decode(v, (size_t)n, &ia), 0);
	assert_false(ia.has_addr);
	n = dhcp6_msg_opt(&m, DHCP6_O_ORO, &v);
	assert_int_equal(dhcp6_oro_decode(v, (size_t)n, codes, 8), 2);
	assert_int_equal(codes[0], 39);
	assert_int_equal(codes[1], 23);
	assert_true(dhcp6_oro_has(v, (size_t)n, 23));
	assert_false(dhcp6_oro_has(v, (size_t)n, 24));
	assert_int_equal(dhcp6_vendor_class_has(&m, DHCP6_ENTERPRISE_CL, "pktc2.0"), 1);
	assert_int_equal(dhcp6_vendor_class_has(&m, DHCP6_ENTERPRISE_CL, "pktc1.5"), 0);
	vl = dhcp6_vendor_opts(&m, DHCP6_ENTERPRISE_CL, &vend);
	assert_true(vl > 0);
	n = dhcp6_opt_find(vend, (size_t)vl, 1, &v);
	assert_int_equal(n, 8);
	assert_memory_equal(v, "\x00\x20\x00\x21\x00\x22\x08\x7b", 8);
	assert_int_equal(dhcp6_opt_find(vend, (size_t)vl, 36, &v), 6);
	assert_int_equal(dhcp6_msg_u16(&m, DHCP6_O_ELAPSED, &el), 0);
	assert_int_equal(el, 0);
}

static void test_build_request_with_addr(void **state)
{
	static const uint8_t addr[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x01, 0x13, [14] = 0x01, [15] = 0x04 };
	uint8_t buf[128];
	struct dhcp6_msg m;
	struct dhcp6_ia_na ia;
	const uint8_t *v;
	struct wr w;
	int n;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	dhcp6_put_hdr(&w, DHCP6_DECLINE, 7);
	dhcp6_put_ia_na(&w, 5, 10, 20, addr, 30, 40);
	dhcp6_put_fqdn(&w, DHCP6_FQDN_S, "eue1.example.net");
	assert_int_equal(w.err, 0);
	assert_int_equal(dhcp6_decode(&m, buf, w.len), 0);
	n = dhcp6_msg_opt(&m, DHCP6_O_IA_NA, &v);
	assert_int_equal(n, 12 + 4 + 24);
	assert_int_equal(dhcp6_ia_na_decode(v, (size_t)n, &ia), 0);
	assert_int_equal(ia.iaid, 5);
	assert_true(ia.has_addr);
	assert_memory_equal(ia.addr, addr, 16);
	assert_int_equal(ia.valid, 40);
	n = dhcp6_msg_opt(&m, DHCP6_O_FQDN, &v);
	assert_int_equal(n, 1 + 18);
	assert_memory_equal(v, "\x01\x04" "eue1\x07" "example\x03" "net\x00", 19);
}

static void test_status_codes(void **state)
{
	uint8_t buf[256];
	struct dhcp6_msg m;
	struct dhcp6_ia_na ia;
	const uint8_t *v, *msg;
	size_t ml;
	uint16_t st;
	int n;
	size_t len = unhex("07 000001"
			   "000d 0006 0002 6e6f6e65"                  /* NoAddrsAvail "none" */
			   "0003 0034 00000001 00000000 00000000"
			   "  0005 001e 20010db8000000000000000000000001 00000000 00000000"
			   "      000d 0002 0004"                     /* NotOnLink in IAADDR */
			   "  000d 0002 0003", buf, sizeof(buf));     /* NoBinding in IA_NA */

	(void)state;
	assert_int_equal(dhcp6_decode(&m, buf, len), 0);
	assert_int_equal(dhcp6_msg_status(&m, &st), 0);
	assert_int_equal(st, DHCP6_ST_NO_ADDRS);
	n = dhcp6_msg_opt(&m, DHCP6_O_STATUS, &v);
	assert_int_equal(dhcp6_status_decode(v, (size_t)n, &st, &msg, &ml), 0);
	assert_int_equal(ml, 4);
	assert_memory_equal(msg, "none", 4);
	n = dhcp6_msg_opt(&m, DHCP6_O_IA_NA, &v);
	assert_int_equal(dhcp6_ia_na_decode(v, (size_t)n, &ia), 0);
	assert_true(ia.has_status);
	assert_int_equal(ia.status, DHCP6_ST_NO_BINDING);
	assert_true(ia.has_addr_status);
	assert_int_equal(ia.addr_status, DHCP6_ST_NOT_ON_LINK);

	{
		struct wr w;
		uint8_t out[32];

		wr_init(&w, out, sizeof(out));
		dhcp6_put_status(&w, DHCP6_ST_SUCCESS, "ok");
		assert_int_equal(w.len, 8);
		assert_memory_equal(out, "\x00\x0d\x00\x04\x00\x00ok", 8);
	}
}

static void test_duid_builders(void **state)
{
	static const uint8_t mac[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x66 };
	static const uint8_t id[5] = { 1, 2, 3, 4, 5 };
	uint8_t d[DHCP6_DUID_MAX];
	struct dhcp6_duid p;
	int n;

	(void)state;
	n = dhcp6_duid_llt(d, sizeof(d), 1, 0x01020304, mac, 6);
	assert_int_equal(n, 14);
	assert_memory_equal(d, "\x00\x01\x00\x01\x01\x02\x03\x04\x00\x11\x22\x33\x44\x66", 14);
	assert_int_equal(dhcp6_duid_decode(d, (size_t)n, &p), 0);
	assert_int_equal(p.time, 0x01020304);
	assert_int_equal(p.hwtype, 1);
	n = dhcp6_duid_en(d, sizeof(d), 4491, id, 5);
	assert_int_equal(n, 11);
	assert_memory_equal(d, "\x00\x02\x00\x00\x11\x8b\x01\x02\x03\x04\x05", 11);
	n = dhcp6_duid_ll(d, sizeof(d), 1, mac, 6);
	assert_memory_equal(d, "\x00\x03\x00\x01\x00\x11\x22\x33\x44\x66", 10);
	assert_int_equal(dhcp6_duid_decode(d, (size_t)n, &p), 0);
	assert_int_equal(p.type, DHCP6_DUID_LL);
	assert_int_equal(p.id_len, 6);
	assert_int_equal(dhcp6_duid_ll(d, 9, 1, mac, 6), E_OVERFLOW);
	assert_int_equal(dhcp6_duid_ll(d, sizeof(d), 1, NULL, 0), E_INVAL);
}

/* ---- malformed input, one named test per class ---- */

static void test_dhcp6_short_header(void **state)
{
	static const uint8_t b[] = { 0x02, 0x00, 0x00 };
	struct dhcp6_msg m;

	(void)state;
	assert_int_equal(dhcp6_decode(&m, b, sizeof(b)), E_SHORT);
	assert_int_equal(dhcp6_decode(&m, NULL, 0), E_SHORT);
}

static void test_dhcp6_option_past_end(void **state)
{
	uint8_t buf[64];
	struct dhcp6_msg m;
	size_t len = unhex("02 000001 0001 000a 00030001001122334466 0002 0005 0002", buf, sizeof(buf));

	(void)state;
	assert_int_equal(dhcp6_decode(&m, buf, len), E_SHORT);
	assert_int_equal(m.err_off, 18);
	assert_null(m.opts);
	/* a lone option-code byte pair with no length */
	len = unhex("02 000001 0001", buf, sizeof(buf));
	assert_int_equal(dhcp6_decode(&m, buf, len), E_SHORT);
	assert_int_equal(m.err_off, 4);
}

static void test_dhcp6_relay_rejected(void **state)
{
	uint8_t buf[64];
	struct dhcp6_msg m;
	size_t len = unhex("0c 00 fe800000000000000000000000000001 fe800000000000000000000000000002",
			   buf, sizeof(buf));

	(void)state;
	assert_int_equal(dhcp6_decode(&m, buf, len), E_UNSUPPORTED);
}

static void test_dhcp6_ia_na_malformed(void **state)
{
	uint8_t buf[64];
	struct dhcp6_ia_na ia;
	size_t len;

	(void)state;
	len = unhex("00000001 00000000 000000", buf, sizeof(buf));        /* 11 bytes */
	assert_int_equal(dhcp6_ia_na_decode(buf, len, &ia), E_SHORT);
	len = unhex("00000001 00000000 00000000 0005 0010 20010db8000000000000000000000001",
		    buf, sizeof(buf));                                   /* IAADDR of 16 */
	assert_int_equal(dhcp6_ia_na_decode(buf, len, &ia), E_PROTO);
	len = unhex("00000001 00000000 00000000 0005 0020 20010db8", buf, sizeof(buf));
	assert_int_equal(dhcp6_ia_na_decode(buf, len, &ia), E_SHORT);
	len = unhex("00000001 00000000 00000000"
		    "0005 001a 20010db8000000000000000000000001 00000000 00000000 000d",
		    buf, sizeof(buf));                                   /* cut inside IAADDR */
	assert_int_equal(dhcp6_ia_na_decode(buf, len, &ia), E_SHORT);
}

static void test_dhcp6_duid_malformed(void **state)
{
	uint8_t d[140];
	struct dhcp6_duid p;

	(void)state;
	memset(d, 0, sizeof(d));
	d[1] = 3;                                    /* LL with no address */
	assert_int_equal(dhcp6_duid_decode(d, 4, &p), E_SHORT);
	d[1] = 1;                                    /* LLT cut in the time */
	assert_int_equal(dhcp6_duid_decode(d, 6, &p), E_SHORT);
	d[1] = 9;
	assert_int_equal(dhcp6_duid_decode(d, 8, &p), E_UNSUPPORTED);
	d[1] = 2;
	assert_int_equal(dhcp6_duid_decode(d, 131, &p), E_RANGE);
	assert_int_equal(dhcp6_duid_decode(d, 2, &p), E_RANGE);
}

static void test_dhcp6_oro_odd_length(void **state)
{
	static const uint8_t oro[] = { 0x00, 0x17, 0x00 };
	uint16_t c[4];
	uint16_t st;

	(void)state;
	assert_int_equal(dhcp6_oro_decode(oro, sizeof(oro), c, 4), E_PROTO);
	assert_int_equal(dhcp6_status_decode(oro, 1, &st, NULL, NULL), E_SHORT);
}

static void test_dhcp6_wrong_length_is_absent(void **state)
{
	uint8_t buf[64], a[1][16];
	struct dhcp6_msg m;
	const uint8_t *v;
	uint16_t el;
	uint8_t pref;
	size_t len = unhex("07 000001 0008 0003 000000 0007 0002 ff00 0017 0011 "
			   "20010db8000000000000000000000001ff", buf, sizeof(buf));
	int n;

	(void)state;
	assert_int_equal(dhcp6_decode(&m, buf, len), 0);
	assert_int_equal(dhcp6_msg_u16(&m, DHCP6_O_ELAPSED, &el), E_NOTFOUND);
	assert_int_equal(dhcp6_msg_u8(&m, DHCP6_O_PREFERENCE, &pref), E_NOTFOUND);
	n = dhcp6_msg_opt(&m, DHCP6_O_DNS, &v);
	assert_int_equal(dhcp6_addrs(v, (size_t)n, a, 1), E_NOTFOUND);
}

static void test_dhcp6_encode_errors(void **state)
{
	uint8_t buf[8];
	struct wr w;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	dhcp6_put_hdr(&w, DHCP6_SOLICIT, 0x1000000);
	assert_int_equal(w.err, E_INVAL);
	wr_init(&w, buf, sizeof(buf));
	dhcp6_put_vendor_class(&w, 4491, "pktc2.0");
	assert_int_equal(w.err, E_OVERFLOW);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_kea_reply),
		cmocka_unit_test(test_build_eue_solicit),
		cmocka_unit_test(test_build_request_with_addr),
		cmocka_unit_test(test_status_codes),
		cmocka_unit_test(test_duid_builders),
		cmocka_unit_test(test_dhcp6_short_header),
		cmocka_unit_test(test_dhcp6_option_past_end),
		cmocka_unit_test(test_dhcp6_relay_rejected),
		cmocka_unit_test(test_dhcp6_ia_na_malformed),
		cmocka_unit_test(test_dhcp6_duid_malformed),
		cmocka_unit_test(test_dhcp6_oro_odd_length),
		cmocka_unit_test(test_dhcp6_wrong_length_is_absent),
		cmocka_unit_test(test_dhcp6_encode_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
