/*
 * test_mode.c: spec Table 4 as a truth table, one case per row, plus the
 * reserved values of 6.3.2.2 / 6.4.1.2, unrequested options, malformed and
 * over-long DSS_IDs, and one case decoded from real option bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ecm/mode.h"
#include "tlv/cablelabs.h"

enum { NONE = 0, OK = 1, ZERO = 2, ONES = 3, BAD = 4 };

struct row {
	const char *what;
	enum board_ip cap;
	int v4;          /* 122.1: NONE / OK / ZERO (0.0.0.0) / ONES / BAD (wrong length) */
	int v6;          /* CCCv6.1 DSS_ID: NONE / OK / ZERO / ONES / BAD */
	int pref;        /* 0 = absent, else the IP_PREF value */
	enum mode_result mode;
	enum mode_reason reason;
};

static const struct row rows[] = {
	/* requested: eUE DHCPv4 server addresses only */
	{ "v4 only, valid", BOARD_IP_V4, OK, NONE, 0, MODE_IPV4, MR_V4_ONLY_VALID },
	{ "v4 only, none", BOARD_IP_V4, NONE, NONE, 0, MODE_DORMANT, MR_V4_ONLY_NONE },
	{ "v4 only, shutdown", BOARD_IP_V4, ZERO, NONE, 0, MODE_DORMANT, MR_SHUTDOWN },
	{ "v4 only, any server", BOARD_IP_V4, ONES, NONE, 0, MODE_IPV4, MR_V4_ONLY_VALID },
	{ "v4 only, wrong length", BOARD_IP_V4, BAD, NONE, 0, MODE_DORMANT, MR_V4_ONLY_NONE },
	{ "v4 only, unrequested v6 ignored", BOARD_IP_V4, NONE, OK, 2, MODE_DORMANT, MR_V4_ONLY_NONE },
	{ "v4 only, unrequested v6 shutdown ignored", BOARD_IP_V4, OK, ZERO, 0, MODE_IPV4, MR_V4_ONLY_VALID },
	/* requested: eUE DHCPv6 DSS IDs only */
	{ "v6 only, valid", BOARD_IP_V6, NONE, OK, 0, MODE_IPV6, MR_V6_ONLY_VALID },
	{ "v6 only, none", BOARD_IP_V6, NONE, NONE, 0, MODE_DORMANT, MR_V6_ONLY_NONE },
	{ "v6 only, shutdown", BOARD_IP_V6, NONE, ZERO, 0, MODE_DORMANT, MR_SHUTDOWN },
	{ "v6 only, any server", BOARD_IP_V6, NONE, ONES, 0, MODE_IPV6, MR_V6_ONLY_VALID },
	{ "v6 only, malformed DSS_ID", BOARD_IP_V6, NONE, BAD, 0, MODE_DORMANT, MR_V6_ONLY_NONE },
	{ "v6 only, unrequested v4 ignored", BOARD_IP_V6, OK, NONE, 1, MODE_DORMANT, MR_V6_ONLY_NONE },
	/* requested: both */
	{ "both, pref v4, v4 valid", BOARD_IP_DUAL, OK, OK, 1, MODE_IPV4, MR_PREF_V4 },
	{ "both, pref v6, v6 valid", BOARD_IP_DUAL, OK, OK, 2, MODE_IPV6, MR_PREF_V6 },
	{ "both, no pref, only v4", BOARD_IP_DUAL, OK, NONE, 0, MODE_IPV4, MR_NOPREF_V4 },
	{ "both, no pref, only v6", BOARD_IP_DUAL, NONE, OK, 0, MODE_IPV6, MR_NOPREF_V6 },
	{ "both, no pref, both -> IPv6", BOARD_IP_DUAL, OK, OK, 0, MODE_IPV6, MR_NOPREF_BOTH },
	{ "both, neither", BOARD_IP_DUAL, NONE, NONE, 0, MODE_DORMANT, MR_NEITHER },
	{ "both, unknown pref value = none", BOARD_IP_DUAL, OK, OK, 6, MODE_IPV6, MR_NOPREF_BOTH },
	{ "both, pref v4 but only v6", BOARD_IP_DUAL, NONE, OK, 1, MODE_IPV6, MR_PREF_FALLBACK_V6 },
	{ "both, pref v6 but only v4", BOARD_IP_DUAL, OK, NONE, 2, MODE_IPV4, MR_PREF_FALLBACK_V4 },
	{ "both, pref, neither", BOARD_IP_DUAL, NONE, NONE, 2, MODE_DORMANT, MR_NEITHER },
	{ "both, v4 shutdown wins", BOARD_IP_DUAL, ZERO, OK, 2, MODE_DORMANT, MR_SHUTDOWN },
	{ "both, v6 shutdown wins", BOARD_IP_DUAL, OK, ZERO, 1, MODE_DORMANT, MR_SHUTDOWN },
};

static void set_opts(struct cl_opts *o, const struct row *r)
{
	cl_init(o);
	if (r->v4 == BAD) {
		o->bad |= 1u << CL_F_DHCP4_PRI;
	} else if (r->v4 != NONE) {
		cl_set(o, CL_F_DHCP4_PRI);
		o->dhcp4_pri = r->v4 == OK ? 0xc633640au : r->v4 == ZERO ? 0 : 0xffffffffu;
	}
	if (r->v6 == BAD) {
		o->bad |= 1u << CL_F_DSS_PRI;
	} else if (r->v6 != NONE) {
		cl_set(o, CL_F_DSS_PRI);
		o->dss_pri.len = r->v6 == OK ? 11 : 4;
		memset(o->dss_pri.id, r->v6 == ONES ? 0xff : 0, 4);
		if (r->v6 == OK)
			memcpy(o->dss_pri.id, "\x00\x02\x00\x00\x11\x8b\x01\x02\x03\x04\x05", 11);
	}
	if (r->pref) {
		cl_set(o, CL_F_IP_PREF);
		o->ip_pref = (uint8_t)r->pref;
	}
}

static void test_table4_rows(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct cl_opts o;
		struct mode_decision d;

		set_opts(&o, &rows[i]);
		mode_decide(rows[i].cap, &o, &d);
		if (d.mode != rows[i].mode || d.reason != rows[i].reason)
			fail_msg("row \"%s\": got %s (%s), want %s (%s)", rows[i].what,
				 mode_result_str(d.mode), mode_reason_str(d.reason),
				 mode_result_str(rows[i].mode), mode_reason_str(rows[i].reason));
		/* only the chosen family's servers go to the eUE */
		if (d.mode == MODE_IPV4) {
			assert_true(d.n_servers >= 1);
			assert_int_equal(d.n_dss, 0);
			assert_int_equal(d.any_server, rows[i].v4 == ONES);
		} else if (d.mode == MODE_IPV6) {
			assert_true(d.n_dss >= 1);
			assert_int_equal(d.n_servers, 0);
			assert_int_equal(d.any_dss, rows[i].v6 == ONES);
		} else {
			assert_int_equal(d.n_servers + d.n_dss, 0);
		}
	}
}

static void test_secondary_only_and_both_servers(void **state)
{
	struct cl_opts o;
	struct mode_decision d;

	(void)state;
	cl_init(&o);
	cl_set(&o, CL_F_DHCP4_SEC);
	o.dhcp4_sec = 0xc633640bu;
	mode_decide(BOARD_IP_V4, &o, &d);
	assert_int_equal(d.mode, MODE_IPV4);
	assert_int_equal(d.n_servers, 1);
	assert_int_equal(d.servers[0], 0xc633640bu);
	cl_set(&o, CL_F_DHCP4_PRI);
	o.dhcp4_pri = 0xc633640au;
	mode_decide(BOARD_IP_V4, &o, &d);
	assert_int_equal(d.n_servers, 2);
	assert_int_equal(d.servers[0], 0xc633640au);
}

/* The wire: 125/4491 carrying 123 { 1: DSS_ID } and 124 = 2, as Kea sends it. */
static void test_decoded_from_option_bytes(void **state)
{
	/* 123 len 8: sub 1 len 6 "\x01\x02\x03\x04\x05\x06"; 124 len 1: 2 */
	static const uint8_t v4vendor[] = { 0x7b, 0x08, 0x01, 0x06, 1, 2, 3, 4, 5, 6, 0x7c, 0x01, 0x02 };
	/* 122: sub 1 = 198.51.100.10 */
	static const uint8_t opt122[] = { 0x01, 0x04, 0xc6, 0x33, 0x64, 0x0a };
	struct cl_opts o;
	struct mode_decision d;

	(void)state;
	cl_init(&o);
	assert_int_equal(cl_decode(&o, CL_SP_V4VENDOR, v4vendor, sizeof(v4vendor)), 0);
	assert_int_equal(cl_decode(&o, CL_SP_OPT122, opt122, sizeof(opt122)), 0);
	mode_decide(BOARD_IP_DUAL, &o, &d);
	assert_int_equal(d.mode, MODE_IPV6);
	assert_int_equal(d.reason, MR_PREF_V6);
	assert_int_equal(d.n_dss, 1);
	assert_int_equal(d.dss[0].len, 6);
	mode_decide(BOARD_IP_V4, &o, &d);   /* the same ACK for a v4-only eUE */
	assert_int_equal(d.mode, MODE_IPV4);
	assert_int_equal(d.servers[0], 0xc633640au);
}

/* An over-long DSS_ID (40 bytes on the wire) counts by its first 32. */
static void test_overlong_dss_clamped(void **state)
{
	uint8_t v[4 + 40];
	struct cl_opts o;
	struct mode_decision d;

	(void)state;
	v[0] = 0;
	v[1] = 1;       /* 2171 sub-option 1 (16/16) */
	v[2] = 0;
	v[3] = 40;
	for (int i = 0; i < 40; i++)
		v[4 + i] = (uint8_t)(i + 1);
	cl_init(&o);
	assert_int_equal(cl_decode(&o, CL_SP_CCCV6, v, sizeof(v)), 0);
	mode_decide(BOARD_IP_V6, &o, &d);
	assert_int_equal(d.mode, MODE_IPV6);
	assert_int_equal(d.dss[0].len, 32);
	assert_int_equal(d.dss[0].id[31], 32);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table4_rows),
		cmocka_unit_test(test_secondary_only_and_both_servers),
		cmocka_unit_test(test_decoded_from_option_bytes),
		cmocka_unit_test(test_overlong_dss_clamped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
