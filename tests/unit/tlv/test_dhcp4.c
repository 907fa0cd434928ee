/* test_dhcp4.c: DHCPv4 codec (tlv/dhcp4.c): header, RFC 2132 §9.3 overload,
 * RFC 3396 concatenation, typed getters, builders, one named test per
 * malformed-input class.  Hex from reference/dhcp-options.md and
 * lab-servers.md. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "platform/err.h"
#include "tlv/dhcp4.h"

#include "tests/unit/unhex.h"

/* A BOOTREPLY header (xid 0x01020304, yiaddr 203.0.113.100, siaddr
 * 198.51.100.10, file "eue-config.bin") followed by opts. */
static size_t mk(uint8_t *buf, size_t cap, const uint8_t *opts, size_t n)
{
	assert_true(cap >= DHCP4_OPTS_OFF + n);
	memset(buf, 0, DHCP4_OPTS_OFF);
	buf[0] = 2;
	buf[1] = 1;
	buf[2] = 6;
	buf[4] = 1, buf[5] = 2, buf[6] = 3, buf[7] = 4;
	buf[16] = 203, buf[17] = 0, buf[18] = 113, buf[19] = 100;
	buf[20] = 198, buf[21] = 51, buf[22] = 100, buf[23] = 10;
	memcpy(buf + 28, "\x00\x11\x22\x33\x44\x55", 6);
	memcpy(buf + 108, "eue-config.bin", 14);
	buf[236] = 99, buf[237] = 130, buf[238] = 83, buf[239] = 99;
	if (n)
		memcpy(buf + DHCP4_OPTS_OFF, opts, n);
	return DHCP4_OPTS_OFF + n;
}

static size_t mkhex(uint8_t *buf, size_t cap, const char *hex)
{
	uint8_t o[600];
	size_t n = unhex(hex, o, sizeof(o));

	return mk(buf, cap, o, n);
}

/* The Kea ACK of lab-servers.md §1 (eCM class): options 53, 54, 2, 4, 7,
 * 122 and 125 as the scapy client printed them. */
static const char kea_ack_opts[] =
	"3501 05" "3604 c633640a" "0204 ffffb9b0" "0404 c633640a" "0704 c633640a"
	"7a0c 0104c633640a0204c633640a"
	"7d18 0000118b130204c633640a7b0800010004001122337c0105"
	"ff";

static void test_decode_header(void **state)
{
	uint8_t buf[800];
	struct dhcp4_msg m;
	char file[130];
	size_t len = mkhex(buf, sizeof(buf), kea_ack_opts);

	(void)state;
	assert_int_equal(dhcp4_decode(&m, buf, len), 0);
	assert_int_equal(m.why, DHCP4_OK);
	assert_int_equal(m.op, DHCP4_BOOTREPLY);
	assert_int_equal(m.htype, 1);
	assert_int_equal(m.hlen, 6);
	assert_int_equal(m.xid, 0x01020304);
	assert_int_equal(m.yiaddr, 0xcb007164u);
	assert_int_equal(m.siaddr, 0xc633640au);
	assert_memory_equal(m.chaddr, "\x00\x11\x22\x33\x44\x55", 6);
	assert_int_equal(m.msg_type, DHCP4_ACK);
	assert_string_equal(dhcp4_type_str(m.msg_type), "ACK");
	assert_int_equal(dhcp4_file(&m, file, sizeof(file)), 14);
	assert_string_equal(file, "eue-config.bin");
	assert_int_equal(dhcp4_sname(&m, file, sizeof(file)), E_NOTFOUND);
	assert_int_equal(dhcp4_file(&m, file, 14), E_OVERFLOW);
}

static void test_typed_getters(void **state)
{
	uint8_t buf[800];
	struct dhcp4_msg m;
	uint32_t a, list[4];
	int32_t off;
	uint8_t u8;
	const uint8_t *v;
	size_t len = mkhex(buf, sizeof(buf), kea_ack_opts);

	(void)state;
	assert_int_equal(dhcp4_decode(&m, buf, len), 0);
	assert_int_equal(dhcp4_opt_addr(&m, DHCP4_O_SERVER_ID, &a), 0);
	assert_int_equal(a, 0xc633640au);
	assert_int_equal(dhcp4_opt_s32(&m, DHCP4_O_TIME_OFFSET, &off), 0);
	assert_int_equal(off, -18000);
	assert_int_equal(dhcp4_opt_addrs(&m, DHCP4_O_TIME_SERVER, list, 4), 1);
	assert_int_equal(list[0], 0xc633640au);
	assert_int_equal(dhcp4_opt_u8(&m, DHCP4_O_MSG_TYPE, &u8), 0);
	/* 122 is returned in place (single instance) */
	assert_int_equal(dhcp4_opt(&m, DHCP4_O_CCC, NULL, 0, &v), 12);
	assert_true(v > buf && v < buf + len);
	assert_memory_equal(v, "\x01\x04\xc6\x33\x64\x0a", 6);
	assert_int_equal(dhcp4_opt(&m, DHCP4_O_ROUTER, NULL, 0, &v), E_NOTFOUND);
	assert_int_equal(dhcp4_opt(&m, DHCP4_O_PAD, NULL, 0, &v), E_NOTFOUND);
	assert_int_equal(dhcp4_opt(&m, DHCP4_O_END, NULL, 0, &v), E_NOTFOUND);
	assert_true(dhcp4_opt_has(&m, DHCP4_O_VIVSO));
	assert_false(dhcp4_opt_has(&m, DHCP4_O_ROUTER));
}

static void test_wrong_length_is_absent(void **state)
{
	uint8_t buf[800];
	struct dhcp4_msg m;
	uint32_t a, list[2];
	uint16_t u16;
	uint8_t u8;
	/* 51 lease 3 bytes, 54 server id 5 bytes, 6 DNS 7 bytes, 53 two bytes,
	 * 57 max size 1 byte, 3 router 3 addresses */
	size_t len = mkhex(buf, sizeof(buf),
			   "3303 000e10" "3605 c633640a00" "0607 0a0000010a0000" "3502 0501"
			   "3901 05" "030c 0a0000010a0000020a000003" "ff");

	(void)state;
	assert_int_equal(dhcp4_decode(&m, buf, len), 0);
	assert_int_equal(m.msg_type, 0);             /* 53 with length 2: absent */
	assert_int_equal(dhcp4_opt_u32(&m, DHCP4_O_LEASE, &a), E_NOTFOUND);
	assert_int_equal(dhcp4_opt_addr(&m, DHCP4_O_SERVER_ID, &a), E_NOTFOUND);
	assert_int_equal(dhcp4_opt_addrs(&m, DHCP4_O_DNS, list, 2), E_NOTFOUND);
	assert_int_equal(dhcp4_opt_u8(&m, DHCP4_O_MSG_TYPE, &u8), E_NOTFOUND);
	assert_int_equal(dhcp4_opt_u16(&m, DHCP4_O_MAX_SIZE, &u16), E_NOTFOUND);
	/* a list longer than the caller's array is clamped, never overrun */
	list[1] = 0xdeadbeef;
	assert_int_equal(dhcp4_opt_addrs(&m, DHCP4_O_ROUTER, list, 1), 1);
	assert_int_equal(list[0], 0x0a000001);
	assert_int_equal(list[1], 0xdeadbeef);
}

/* RFC 3396 §7: split instances are joined in order; the typed getter sees
 * the joined value. */
static void test_rfc3396_concatenation(void **state)
{
	uint8_t buf[800], cat[16];
	struct dhcp4_msg m;
	const uint8_t *v;
	uint32_t a;
	size_t len = mkhex(buf, sizeof(buf),
			   "3302 0000" "0102 ffff" "3302 0e10" "00 00" "0100" "0102 ff00" "ff");

	(void)state;
	assert_int_equal(dhcp4_decode(&m, buf, len), 0);
	assert_int_equal(dhcp4_opt_u32(&m, DHCP4_O_LEASE, &a), 0);
	assert_int_equal(a, 3600);
	assert_int_equal(dhcp4_opt(&m, DHCP4_O_SUBNET, cat, sizeof(cat), &v), 4);
	assert_true(v == cat);
	assert_memory_equal(cat, "\xff\xff\xff\x00", 4);
	assert_int_equal(dhcp4_opt(&m, DHCP4_O_SUBNET, cat, 3, &v), E_OVERFLOW);
	assert_int_equal(dhcp4_opt(&m, DHCP4_O_SUBNET, NULL, 0, &v), E_OVERFLOW);
}

/* RFC 2132 §9.3 + RFC 3396 §5: options continue in file, then sname; an
 * option split across all three areas is joined options -> file -> sname. */
static void test_overload_both(void **state)
{
	uint8_t buf[800], cat[64];
	struct dhcp4_msg m;
	const uint8_t *v;
	char s[130];
	uint32_t a;
	size_t len = mkhex(buf, sizeof(buf), "3501 02" "3401 03" "7a03 010400" "ff");

	(void)state;
	/* sname (offset 44): 122 part 3, router; file (offset 108): 122 part 2 */
	memset(buf + 44, 0, 64 + 128);
	memcpy(buf + 44, "\x7a\x02\x02\x04" "\x03\x04\x0a\x00\x00\x01" "\xff", 11);
	memcpy(buf + 108, "\x7a\x04\x00\x0a\x01\x04" "\x00" "\xff", 8);
	assert_int_equal(dhcp4_decode(&m, buf, len), 0);
	assert_int_equal(m.overload, 3);
	assert_int_equal(m.msg_type, DHCP4_OFFER);
	assert_int_equal(dhcp4_opt(&m, DHCP4_O_CCC, cat, sizeof(cat), &v), 9);
	/* 01 04 00 | 00 0a 01 04 | 02 04: options, file, sname order */
	assert_memory_equal(cat, "\x01\x04\x00" "\x00\x0a\x01\x04" "\x02\x04", 9);
	assert_int_equal(dhcp4_opt_addr(&m, DHCP4_O_ROUTER, &a), 0);
	assert_int_equal(a, 0x0a000001);
	assert_int_equal(dhcp4_file(&m, s, sizeof(s)), E_NOTFOUND);
	assert_int_equal(dhcp4_sname(&m, s, sizeof(s)), E_NOTFOUND);
}

static void test_overload_file_only(void **state)
{
	uint8_t buf[800];
	struct dhcp4_msg m;
	uint32_t a;
	char s[70];
	size_t len = mkhex(buf, sizeof(buf), "3401 01" "ff");

	(void)state;
	memset(buf + 108, 0, 128);
	memcpy(buf + 108, "\x35\x01\x05" "\x36\x04\xc6\x33\x64\x0a" "\xff", 10);
	memcpy(buf + 44, "tftp.example", 12);        /* sname still a name */
	/* an End-less sname is fine: it is not an option area here */
	assert_int_equal(dhcp4_decode(&m, buf, len), 0);
	assert_int_equal(m.msg_type, DHCP4_ACK);
	assert_int_equal(dhcp4_opt_addr(&m, DHCP4_O_SERVER_ID, &a), 0);
	assert_int_equal(dhcp4_sname(&m, s, sizeof(s)), 12);
	assert_string_equal(s, "tftp.example");
}

/* Option 52 found in file/sname does not count (RFC 2132 §9.3). */
static void test_overload_in_file_ignored(void **state)
{
	uint8_t buf[800];
	struct dhcp4_msg m;
	size_t len = mkhex(buf, sizeof(buf), "3401 01" "ff");

	(void)state;
	memset(buf + 44, 0, 64 + 128);
	memcpy(buf + 108, "\x34\x01\x02\xff", 4);
	memcpy(buf + 44, "\x35\x01\x05", 3);         /* sname has no End: unused */
	assert_int_equal(dhcp4_decode(&m, buf, len), 0);
	assert_int_equal(m.overload, 1);
	assert_int_equal(m.msg_type, 0);
}

/* ---- one named test per malformed-input class ---- */

static void test_dhcp4_short_header(void **state)
{
	uint8_t buf[800];
	struct dhcp4_msg m;
	size_t len = mkhex(buf, sizeof(buf), "ff");

	(void)state;
	assert_int_equal(dhcp4_decode(&m, buf, 239), E_SHORT);
	assert_int_equal(m.why, DHCP4_SHORT_HEADER);
	assert_int_equal(dhcp4_decode(&m, buf, 0), E_SHORT);
	assert_int_equal(dhcp4_decode(&m, NULL, len), E_SHORT);
	assert_string_equal(dhcp4_why_str(DHCP4_SHORT_HEADER), "short header");
	/* exactly the header and cookie: no End */
	assert_int_equal(dhcp4_decode(&m, buf, 240), E_PROTO);
	assert_int_equal(m.why, DHCP4_MISSING_END);
}

static void test_dhcp4_bad_cookie(void **state)
{
	uint8_t buf[800];
	struct dhcp4_msg m;
	size_t len = mkhex(buf, sizeof(buf), "3501 05 ff");

	(void)state;
	buf[239] = 0x64;
	assert_int_equal(dhcp4_decode(&m, buf, len), E_PROTO);
	assert_int_equal(m.why, DHCP4_BAD_COOKIE);
	assert_int_equal(m.err_off, 236);
}

static void test_dhcp4_option_past_end(void **state)
{
	uint8_t buf[800];
	struct dhcp4_msg m;
	size_t len = mkhex(buf, sizeof(buf), "3501 05" "0604 0a0000");

	(void)state;
	assert_int_equal(dhcp4_decode(&m, buf, len), E_SHORT);
	assert_int_equal(m.why, DHCP4_OPT_PAST_END);
	assert_int_equal(m.err_off, 243);
	/* a code byte with no length byte */
	len = mkhex(buf, sizeof(buf), "3501 05" "06");
	assert_int_equal(dhcp4_decode(&m, buf, len), E_SHORT);
	assert_int_equal(m.why, DHCP4_OPT_PAST_END);
	assert_int_equal(m.err_off, 243);
}

static void test_dhcp4_option_past_end_in_sname(void **state)
{
	uint8_t buf[800];
	struct dhcp4_msg m;
	size_t len = mkhex(buf, sizeof(buf), "3401 02" "ff");

	(void)state;
	memset(buf + 44, 0, 64);
	buf[44 + 62] = 0x0c;                          /* hostname, length 0x10 past 108 */
	buf[44 + 63] = 0x10;
	assert_int_equal(dhcp4_decode(&m, buf, len), E_SHORT);
	assert_int_equal(m.why, DHCP4_OPT_PAST_END);
	assert_int_equal(m.err_off, 44 + 62);
}

static void test_dhcp4_missing_end(void **state)
{
	uint8_t buf[800];
	struct dhcp4_msg m;
	size_t len = mkhex(buf, sizeof(buf), "3501 05" "0000");

	(void)state;
	assert_int_equal(dhcp4_decode(&m, buf, len), E_PROTO);
	assert_int_equal(m.why, DHCP4_MISSING_END);
	assert_string_equal(dhcp4_why_str(m.why), "missing end option");
}

static void test_dhcp4_missing_end_in_file(void **state)
{
	uint8_t buf[800];
	struct dhcp4_msg m;
	size_t len = mkhex(buf, sizeof(buf), "3401 01" "ff");

	(void)state;
	memset(buf + 108, 0, 128);
	memcpy(buf + 108, "\x35\x01\x05", 3);         /* file ends in pads, no End */
	assert_int_equal(dhcp4_decode(&m, buf, len), E_PROTO);
	assert_int_equal(m.why, DHCP4_MISSING_END);
	assert_int_equal(m.err_off, 108 + 128);
}

static void test_dhcp4_bad_overload(void **state)
{
	uint8_t buf[800];
	struct dhcp4_msg m;
	size_t len;

	(void)state;
	len = mkhex(buf, sizeof(buf), "3401 04" "ff");          /* value 4 */
	assert_int_equal(dhcp4_decode(&m, buf, len), E_PROTO);
	assert_int_equal(m.why, DHCP4_BAD_OVERLOAD);
	len = mkhex(buf, sizeof(buf), "3401 00" "ff");          /* value 0 */
	assert_int_equal(dhcp4_decode(&m, buf, len), E_PROTO);
	assert_int_equal(m.why, DHCP4_BAD_OVERLOAD);
	len = mkhex(buf, sizeof(buf), "3402 0101" "ff");        /* two bytes */
	assert_int_equal(dhcp4_decode(&m, buf, len), E_PROTO);
	assert_int_equal(m.why, DHCP4_BAD_OVERLOAD);
	len = mkhex(buf, sizeof(buf), "3401 01" "3401 01" "ff"); /* twice */
	assert_int_equal(dhcp4_decode(&m, buf, len), E_PROTO);
	assert_int_equal(m.why, DHCP4_BAD_OVERLOAD);
	assert_int_equal(m.err_off, 243);
}

static void test_dhcp4_bad_hlen(void **state)
{
	uint8_t buf[800];
	struct dhcp4_msg m;
	size_t len = mkhex(buf, sizeof(buf), "ff");

	(void)state;
	buf[2] = 17;
	assert_int_equal(dhcp4_decode(&m, buf, len), E_PROTO);
	assert_int_equal(m.why, DHCP4_BAD_HLEN);
}

static void test_bytes_after_end_ignored(void **state)
{
	uint8_t buf[800];
	struct dhcp4_msg m;
	size_t len = mkhex(buf, sizeof(buf), "3501 05 ff 0699 0000");

	(void)state;
	assert_int_equal(dhcp4_decode(&m, buf, len), 0);
	assert_int_equal(m.msg_type, DHCP4_ACK);
	assert_false(dhcp4_opt_has(&m, DHCP4_O_DNS));
}

/* ---- builders ---- */

static void test_build_ecm_discover(void **state)
{
	static const uint8_t prl[] = { 1, 3, 4, 2, 7, 122 };
	static const uint8_t cl_oro[] = { 123, 124 };
	/* dhcp-options.md §3, tshark-4.0.17: "Enterprise 4491, Option Request: 7b 7c" */
	static const uint8_t want125[] = { 0x7d, 0x09, 0x00, 0x00, 0x11, 0x8b, 0x04, 0x01, 0x02,
					   0x7b, 0x7c };
	struct dhcp4_hdr h;
	struct dhcp4_msg m;
	uint8_t buf[600], cat[16];
	const uint8_t *v;
	struct wr w;
	size_t at;
	int n;

	(void)state;
	memset(&h, 0, sizeof(h));
	h.op = DHCP4_BOOTREQUEST;
	h.htype = 1;
	h.hlen = 6;
	h.xid = 0xcafef00d;
	h.flags = DHCP4_FLAG_BROADCAST;
	memcpy(h.chaddr, "\x00\x11\x22\x33\x44\x55", 6);
	wr_init(&w, buf, sizeof(buf));
	dhcp4_put_hdr(&w, &h);
	assert_int_equal(w.len, DHCP4_OPTS_OFF);
	dhcp4_put_msg_type(&w, DHCP4_DISCOVER);
	dhcp4_put_prl(&w, prl, sizeof(prl));
	at = w.len;
	dhcp4_put_cl_oro(&w, cl_oro, sizeof(cl_oro));
	assert_int_equal(w.len - at, sizeof(want125));
	assert_memory_equal(buf + at, want125, sizeof(want125));
	dhcp4_put_end(&w);
	assert_int_equal(w.err, 0);
	assert_int_equal(w.len, DHCP4_MIN_LEN);

	assert_int_equal(dhcp4_decode(&m, buf, w.len), 0);
	assert_int_equal(m.op, DHCP4_BOOTREQUEST);
	assert_int_equal(m.xid, 0xcafef00d);
	assert_int_equal(m.flags, DHCP4_FLAG_BROADCAST);
	assert_int_equal(m.msg_type, DHCP4_DISCOVER);
	assert_int_equal(dhcp4_opt(&m, DHCP4_O_PRL, cat, sizeof(cat), &v), (int)sizeof(prl));
	assert_memory_equal(v, prl, sizeof(prl));
	n = dhcp4_opt(&m, DHCP4_O_VIVSO, cat, sizeof(cat), &v);
	assert_int_equal(n, 9);
	assert_int_equal(dhcp4_vivso_find(v, (size_t)n, 4491, &v), 4);
	assert_memory_equal(v, "\x01\x02\x7b\x7c", 4);
}

static void test_build_eue_discover(void **state)
{
	/* dhcp-options.md §4: RFC 4361 client id, decoded by tshark 4.0.17 */
	static const uint8_t duid_ll[] = { 0x00, 0x03, 0x00, 0x01, 0x00, 0x11, 0x22, 0x33, 0x44, 0x66 };
	static const uint8_t want61[] = { 0x3d, 0x0f, 0xff, 0x00, 0x00, 0x00, 0x01, 0x00, 0x03, 0x00,
					  0x01, 0x00, 0x11, 0x22, 0x33, 0x44, 0x66 };
	static const char caps[] = "pktc2.0:0513010102020102030101040101120200071A0100";
	static const uint8_t mac[] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x66 };
	static const uint8_t oui[] = { 0x00, 0x11, 0x22 };
	struct dhcp4_cl43 c43;
	struct dhcp4_msg m;
	struct dhcp4_hdr h;
	uint8_t buf[600];
	char s[80];
	const uint8_t *v;
	struct wr w;
	size_t at;
	int n;

	(void)state;
	memset(&h, 0, sizeof(h));
	h.op = DHCP4_BOOTREQUEST;
	h.htype = 1;
	h.hlen = 6;
	wr_init(&w, buf, sizeof(buf));
	dhcp4_put_hdr(&w, &h);
	dhcp4_put_msg_type(&w, DHCP4_DISCOVER);
	dhcp4_put_vendor_class(&w, caps);
	at = w.len;
	dhcp4_put_client_id_4361(&w, 1, duid_ll, sizeof(duid_ll));
	assert_int_equal(w.len - at, sizeof(want61));
	assert_memory_equal(buf + at, want61, sizeof(want61));
	memset(&c43, 0, sizeof(c43));
	c43.device_type = "EDVA";
	c43.serial = "SN1";
	c43.oui = oui;
	c43.mac = mac;
	c43.has_correlation_id = 1;
	c43.correlation_id = 0x01020304;
	at = w.len;
	dhcp4_put_cl43(&w, &c43);
	assert_int_equal(w.len - at, 2 + 6 + 5 + 5 + 8 + 6);
	assert_memory_equal(buf + at, "\x2b\x1e\x02\x04" "EDVA" "\x04\x03" "SN1" "\x08\x03\x00\x11\x22"
			    "\x1f\x06\x00\x11\x22\x33\x44\x66" "\x20\x04\x01\x02\x03\x04", 32);
	dhcp4_put_end(&w);
	assert_int_equal(w.err, 0);
	assert_int_equal(dhcp4_decode(&m, buf, w.len), 0);
	assert_int_equal(dhcp4_opt_str(&m, DHCP4_O_VENDOR_CLASS, s, sizeof(s)), (int)strlen(caps));
	assert_string_equal(s, caps);
	assert_int_equal(dhcp4_opt_str(&m, DHCP4_O_VENDOR_CLASS, s, 10), E_OVERFLOW);
	n = dhcp4_opt(&m, DHCP4_O_CLIENT_ID, NULL, 0, &v);
	assert_int_equal(n, 15);
}

static void test_build_long_option_split(void **state)
{
	uint8_t val[300], buf[1200], cat[400];
	struct dhcp4_msg m;
	struct dhcp4_hdr h;
	const uint8_t *v;
	struct wr w;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(val); i++)
		val[i] = (uint8_t)i;
	memset(&h, 0, sizeof(h));
	wr_init(&w, buf, sizeof(buf));
	dhcp4_put_hdr(&w, &h);
	dhcp4_put_opt(&w, DHCP4_O_CCC, val, sizeof(val));
	dhcp4_put_end(&w);
	assert_int_equal(w.err, 0);
	/* RFC 3396 §6: 255 + 45 */
	assert_int_equal(buf[240], 122);
	assert_int_equal(buf[241], 255);
	assert_int_equal(buf[240 + 257], 122);
	assert_int_equal(buf[240 + 258], 45);
	assert_int_equal(dhcp4_decode(&m, buf, w.len), 0);
	assert_int_equal(dhcp4_opt(&m, DHCP4_O_CCC, cat, sizeof(cat), &v), 300);
	assert_memory_equal(v, val, 300);
}

static void test_build_errors(void **state)
{
	struct dhcp4_hdr h;
	uint8_t buf[600];
	char longname[70];
	struct wr w;

	(void)state;
	memset(&h, 0, sizeof(h));
	memset(longname, 'n', 64);
	longname[64] = '\0';
	h.sname = longname;
	wr_init(&w, buf, sizeof(buf));
	dhcp4_put_hdr(&w, &h);
	assert_int_equal(w.err, E_OVERFLOW);
	wr_init(&w, buf, sizeof(buf));
	dhcp4_put_opt(&w, DHCP4_O_END, NULL, 0);
	assert_int_equal(w.err, E_INVAL);
	wr_init(&w, buf, 100);
	h.sname = NULL;
	dhcp4_put_hdr(&w, &h);
	assert_int_equal(w.err, E_OVERFLOW);
	wr_init(&w, buf, sizeof(buf));
	dhcp4_put_client_id_4361(&w, 1, NULL, 0);
	assert_int_equal(w.err, E_INVAL);
}

static void test_vivso_find(void **state)
{
	/* two enterprises; 4491 second */
	static const uint8_t two[] = { 0x00, 0x00, 0x00, 0x09, 0x02, 0xaa, 0xbb,
				       0x00, 0x00, 0x11, 0x8b, 0x03, 0x7c, 0x01, 0x02 };
	static const uint8_t cut[] = { 0x00, 0x00, 0x00, 0x09, 0x05, 0xaa };
	const uint8_t *d;

	(void)state;
	assert_int_equal(dhcp4_vivso_find(two, sizeof(two), 4491, &d), 3);
	assert_memory_equal(d, "\x7c\x01\x02", 3);
	assert_int_equal(dhcp4_vivso_find(two, sizeof(two), 9, &d), 2);
	assert_int_equal(dhcp4_vivso_find(two, sizeof(two), 1, &d), E_NOTFOUND);
	assert_int_equal(dhcp4_vivso_find(cut, sizeof(cut), 4491, &d), E_SHORT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_header),
		cmocka_unit_test(test_typed_getters),
		cmocka_unit_test(test_wrong_length_is_absent),
		cmocka_unit_test(test_rfc3396_concatenation),
		cmocka_unit_test(test_overload_both),
		cmocka_unit_test(test_overload_file_only),
		cmocka_unit_test(test_overload_in_file_ignored),
		cmocka_unit_test(test_dhcp4_short_header),
		cmocka_unit_test(test_dhcp4_bad_cookie),
		cmocka_unit_test(test_dhcp4_option_past_end),
		cmocka_unit_test(test_dhcp4_option_past_end_in_sname),
		cmocka_unit_test(test_dhcp4_missing_end),
		cmocka_unit_test(test_dhcp4_missing_end_in_file),
		cmocka_unit_test(test_dhcp4_bad_overload),
		cmocka_unit_test(test_dhcp4_bad_hlen),
		cmocka_unit_test(test_bytes_after_end_ignored),
		cmocka_unit_test(test_build_ecm_discover),
		cmocka_unit_test(test_build_eue_discover),
		cmocka_unit_test(test_build_long_option_split),
		cmocka_unit_test(test_build_errors),
		cmocka_unit_test(test_vivso_find),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
