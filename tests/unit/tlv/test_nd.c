/* test_nd.c: Router Solicitation bytes, Router Advertisement parsing (the
 * lab's radvd RA byte for byte) and every rejection of RFC 4861 6.1.2. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "platform/err.h"
#include "tlv/nd.h"

/*
 * The RA radvd 2.19 sends in the lab (tests/lab, lab-servers.md section 3:
 * AdvManagedFlag on, AdvOtherConfigFlag on, MaxRtrAdvInterval 10, prefix
 * 2001:db8:113::/64 AdvOnLink on AdvAutonomous off), from fe80::ff:fe00:102
 * to ff02::1, with radvd's defaults: AdvCurHopLimit 64, AdvDefaultLifetime
 * 3 * MaxRtrAdvInterval = 30 s, reachable/retrans 0, valid 86400 s,
 * preferred 14400 s, no MTU option (AdvLinkMTU 0), the SLLA option after
 * the prefix.  Checksum computed for that source and destination.
 */
static const uint8_t radvd_ra[56] = {
	0x86, 0x00, 0x3b, 0x13,             /* type 134, code 0, checksum */
	0x40, 0xc0, 0x00, 0x1e,             /* hop limit 64, M O, lifetime 30 */
	0x00, 0x00, 0x00, 0x00,             /* reachable */
	0x00, 0x00, 0x00, 0x00,             /* retrans */
	0x03, 0x04, 0x40, 0x80,             /* PI, len 4, /64, L */
	0x00, 0x01, 0x51, 0x80,             /* valid 86400 */
	0x00, 0x00, 0x38, 0x40,             /* preferred 14400 */
	0x00, 0x00, 0x00, 0x00,
	0x20, 0x01, 0x0d, 0xb8, 0x01, 0x13, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x01, 0x01, 0x02, 0x00, 0x00, 0x00, 0x01, 0x02,   /* SLLA 02:00:00:00:01:02 */
};

static void test_rs_bytes(void **state)
{
	static const uint8_t mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x0e, 0x01 };
	static const uint8_t want[ND_RS_LEN] = {
		0x85, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x01, 0x01, 0x02, 0x00, 0x00, 0x00, 0x0e, 0x01,
	};
	uint8_t b[32];
	struct wr w;

	(void)state;
	wr_init(&w, b, sizeof(b));
	nd_put_rs(&w, mac);
	assert_int_equal(w.err, 0);
	assert_int_equal(w.len, ND_RS_LEN);
	assert_memory_equal(b, want, sizeof(want));
	/* unspecified source: no SLLA (4.1) */
	wr_init(&w, b, sizeof(b));
	nd_put_rs(&w, NULL);
	assert_int_equal(w.len, 8);
	/* too small a buffer is a sticky writer error */
	wr_init(&w, b, 10);
	nd_put_rs(&w, mac);
	assert_int_equal(w.err, E_OVERFLOW);
}

static void test_radvd_ra(void **state)
{
	static const uint8_t pfx[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x01, 0x13 };
	static const uint8_t mac[6] = { 0x02, 0, 0, 0, 0x01, 0x02 };
	struct nd_ra ra;

	(void)state;
	assert_int_equal(nd_ra_parse(&ra, radvd_ra, sizeof(radvd_ra)), 0);
	assert_int_equal(ra.cur_hop_limit, 64);
	assert_true(ra.managed);
	assert_true(ra.other);
	assert_int_equal(ra.flags, 0xc0);
	assert_int_equal(ra.router_lifetime_s, 30);
	assert_int_equal(ra.reachable_ms, 0);
	assert_int_equal(ra.retrans_ms, 0);
	assert_int_equal(ra.n_prefix, 1);
	assert_int_equal(ra.n_prefix_seen, 1);
	assert_int_equal(ra.prefix[0].plen, 64);
	assert_int_equal(ra.prefix[0].flags, ND_PI_F_ONLINK);
	assert_int_equal(ra.prefix[0].valid_s, 86400);
	assert_int_equal(ra.prefix[0].preferred_s, 14400);
	assert_memory_equal(ra.prefix[0].prefix, pfx, 16);
	assert_true(ra.has_slla);
	assert_memory_equal(ra.slla, mac, 6);
	assert_false(ra.has_mtu);
	assert_int_equal(ra.n_unknown, 0);
}

static void test_header_only_and_flags(void **state)
{
	uint8_t b[16] = { 0x86, 0, 0, 0, 0, 0x40, 0, 0,
			  0x00, 0x00, 0x75, 0x30, 0x00, 0x00, 0x03, 0xe8 };
	struct nd_ra ra;

	(void)state;
	assert_int_equal(nd_ra_parse(&ra, b, sizeof(b)), 0);   /* no options */
	assert_false(ra.managed);
	assert_true(ra.other);
	assert_int_equal(ra.router_lifetime_s, 0);
	assert_int_equal(ra.reachable_ms, 30000);
	assert_int_equal(ra.retrans_ms, 1000);
	assert_int_equal(ra.cur_hop_limit, 0);
	b[5] = 0x98;   /* M + router preference bits: only M counts */
	assert_int_equal(nd_ra_parse(&ra, b, sizeof(b)), 0);
	assert_true(ra.managed);
	assert_false(ra.other);
}

static void test_mtu_unknown_and_many_prefixes(void **state)
{
	uint8_t b[16 + 8 + 24 + 6 * 32];
	struct nd_ra ra;
	size_t n = 16;

	(void)state;
	memcpy(b, radvd_ra, 16);
	/* MTU 1500 (4.6.4) */
	memcpy(b + n, "\x05\x01\x00\x00\x00\x00\x05\xdc", 8);
	n += 8;
	/* RDNSS (RFC 8106, type 25, length 3): unknown here, skipped whole */
	memset(b + n, 0xee, 24);
	b[n] = 25;
	b[n + 1] = 3;
	n += 24;
	for (int i = 0; i < 6; i++) {
		memcpy(b + n, radvd_ra + 16, 32);
		b[n + 2] = (uint8_t)(48 + i);
		n += 32;
	}
	assert_int_equal(n, sizeof(b));
	assert_int_equal(nd_ra_parse(&ra, b, n), 0);
	assert_true(ra.has_mtu);
	assert_int_equal(ra.mtu, 1500);
	assert_int_equal(ra.n_unknown, 1);
	assert_int_equal(ra.n_prefix, ND_PREFIX_MAX);
	assert_int_equal(ra.n_prefix_seen, 6);
	assert_int_equal(ra.prefix[3].plen, 51);
	assert_false(ra.has_slla);
}

static void test_rejections(void **state)
{
	uint8_t b[64];
	struct nd_ra ra;

	(void)state;
	/* 6.1.2: ICMP length < 16 */
	assert_int_equal(nd_ra_parse(&ra, radvd_ra, 15), ND_E_SHORT);
	assert_int_equal(nd_ra_parse(&ra, radvd_ra, 0), ND_E_SHORT);
	assert_int_equal(nd_ra_parse(&ra, NULL, 16), ND_E_INVAL);
	assert_int_equal(nd_ra_parse(NULL, radvd_ra, 16), ND_E_INVAL);
	/* not an RA */
	memcpy(b, radvd_ra, sizeof(radvd_ra));
	b[0] = 133;
	assert_int_equal(nd_ra_parse(&ra, b, sizeof(radvd_ra)), ND_E_TYPE);
	/* 6.1.2: code 0 */
	memcpy(b, radvd_ra, sizeof(radvd_ra));
	b[1] = 1;
	assert_int_equal(nd_ra_parse(&ra, b, sizeof(radvd_ra)), ND_E_CODE);
	assert_int_equal(ra.err_off, 1);
	/* 6.1.2: option length 0 (the SLLA's) */
	memcpy(b, radvd_ra, sizeof(radvd_ra));
	b[49] = 0;
	assert_int_equal(nd_ra_parse(&ra, b, sizeof(radvd_ra)), ND_E_OPT_ZERO);
	assert_int_equal(ra.err_off, 49);
	/* an option longer than what is left */
	memcpy(b, radvd_ra, sizeof(radvd_ra));
	b[49] = 2;
	assert_int_equal(nd_ra_parse(&ra, b, sizeof(radvd_ra)), ND_E_OPT_CUT);
	assert_int_equal(ra.err_off, 48);
	/* the RA cut inside the SLLA, and a lone trailing byte */
	assert_int_equal(nd_ra_parse(&ra, radvd_ra, sizeof(radvd_ra) - 1), ND_E_OPT_CUT);
	memcpy(b, radvd_ra, sizeof(radvd_ra));
	b[56] = 1;
	assert_int_equal(nd_ra_parse(&ra, b, 57), ND_E_OPT_CUT);
	assert_int_equal(ra.err_off, 56);
	/* prefix information with length 3 (4.6.2 says 4) */
	memcpy(b, radvd_ra, 16);
	memcpy(b + 16, "\x03\x03\x40\x80", 4);
	memset(b + 20, 0, 20);
	assert_int_equal(nd_ra_parse(&ra, b, 40), ND_E_OPT_LEN);
	assert_int_equal(ra.err_off, 16);
	/* prefix length 129 */
	memcpy(b, radvd_ra, sizeof(radvd_ra));
	b[18] = 129;
	assert_int_equal(nd_ra_parse(&ra, b, sizeof(radvd_ra)), ND_E_PREFIX_BITS);
	assert_int_equal(ra.err_off, 18);
	/* MTU with length 2 */
	memcpy(b, radvd_ra, 16);
	memset(b + 16, 0, 16);
	b[16] = ND_OPT_MTU;
	b[17] = 2;
	assert_int_equal(nd_ra_parse(&ra, b, 32), ND_E_OPT_LEN);
	/* the named errors have names */
	assert_string_equal(nd_err_str(ND_E_OPT_ZERO), "option length 0");
	assert_string_equal(nd_err_str(-1), "?");
}

static void test_ip_checks(void **state)
{
	static const uint8_t ll[16] = { 0xfe, 0x80, [15] = 1 };
	static const uint8_t ll_b[16] = { 0xfe, 0xbf, [15] = 1 };     /* still fe80::/10 */
	static const uint8_t site[16] = { 0xfe, 0xc0, [15] = 1 };
	static const uint8_t global[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };

	(void)state;
	assert_int_equal(nd_ra_ip_check(255, ll), 0);
	assert_int_equal(nd_ra_ip_check(255, ll_b), 0);
	assert_int_equal(nd_ra_ip_check(64, ll), ND_E_HOPLIMIT);
	assert_int_equal(nd_ra_ip_check(-1, ll), ND_E_HOPLIMIT);
	assert_int_equal(nd_ra_ip_check(255, global), ND_E_SRC);
	assert_int_equal(nd_ra_ip_check(255, site), ND_E_SRC);
	assert_int_equal(nd_ra_ip_check(255, NULL), ND_E_INVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rs_bytes),
		cmocka_unit_test(test_radvd_ra),
		cmocka_unit_test(test_header_only_and_flags),
		cmocka_unit_test(test_mtu_unknown_and_many_prefixes),
		cmocka_unit_test(test_rejections),
		cmocka_unit_test(test_ip_checks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
