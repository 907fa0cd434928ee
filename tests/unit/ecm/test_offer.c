/* test_offer.c: CM3 precedence and the 2/4/8 s re-DISCOVER decision. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ecm/offer.h"

static struct cl_opts with(int ccc, int cccv6, int pref)
{
	struct cl_opts o;

	cl_init(&o);
	if (ccc) {
		cl_set(&o, CL_F_DHCP4_PRI);
		o.dhcp4_pri = 0xc633640au;
	}
	if (cccv6) {
		cl_set(&o, CL_F_CCCV6);
		cl_set(&o, CL_F_DSS_PRI);
		o.dss_pri.len = 4;
	}
	if (pref) {
		cl_set(&o, CL_F_IP_PREF);
		o.ip_pref = 2;
	}
	return o;
}

static void test_request_follows_capability(void **state)
{
	struct offer_req r;

	(void)state;
	offer_req_from_cap(BOARD_IP_V4, &r);
	assert_true(r.ccc && !r.cccv6 && !r.pref);
	offer_req_from_cap(BOARD_IP_V6, &r);
	assert_true(!r.ccc && r.cccv6 && !r.pref);
	offer_req_from_cap(BOARD_IP_DUAL, &r);
	assert_true(r.ccc && r.cccv6 && r.pref);
	assert_int_equal(offer_score_max(&r), OFFER_SCORE_MAX);
}

static void test_scores(void **state)
{
	struct offer_req dual, v4;
	struct cl_opts o;

	(void)state;
	offer_req_from_cap(BOARD_IP_DUAL, &dual);
	offer_req_from_cap(BOARD_IP_V4, &v4);
	o = with(1, 1, 1);
	assert_int_equal(offer_score(&dual, &o), 5);
	o = with(1, 1, 0);
	assert_int_equal(offer_score(&dual, &o), 4);
	o = with(0, 1, 1);
	assert_int_equal(offer_score(&dual, &o), 3);
	o = with(1, 0, 0);
	assert_int_equal(offer_score(&dual, &o), 2);
	o = with(0, 0, 1);   /* IP_PREF alone satisfies nothing */
	assert_int_equal(offer_score(&dual, &o), 0);
	/* unrequested options are ignored (CM3 note) */
	o = with(0, 1, 1);
	assert_int_equal(offer_score(&v4, &o), 0);
	o = with(1, 1, 1);
	assert_int_equal(offer_score(&v4, &o), 2);
}

static void test_best_earliest_wins(void **state)
{
	const unsigned s1[] = { 2, 5, 4, 5 };
	const unsigned s2[] = { 0, 0, 3 };
	unsigned pick;
	uint32_t delay;

	(void)state;
	assert_int_equal(offer_choose(s1, 4, 0, &pick, &delay), OFFER_TAKE);
	assert_int_equal(pick, 1);
	assert_int_equal(offer_choose(s2, 3, 0, &pick, &delay), OFFER_TAKE);
	assert_int_equal(pick, 2);
	assert_int_equal(offer_choose(s2, 0, 0, &pick, &delay), OFFER_NONE);
}

static void test_retry_2_4_8_then_any(void **state)
{
	const unsigned s[] = { 0, 0 };
	unsigned pick = 99;
	uint32_t delay;

	(void)state;
	assert_int_equal(offer_choose(s, 2, 0, &pick, &delay), OFFER_RETRY);
	assert_int_equal(delay, 2000);
	assert_int_equal(offer_choose(s, 2, 1, &pick, &delay), OFFER_RETRY);
	assert_int_equal(delay, 4000);
	assert_int_equal(offer_choose(s, 2, 2, &pick, &delay), OFFER_RETRY);
	assert_int_equal(delay, 8000);
	assert_int_equal(offer_choose(s, 2, 3, &pick, &delay), OFFER_TAKE);
	assert_int_equal(pick, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_follows_capability),
		cmocka_unit_test(test_scores),
		cmocka_unit_test(test_best_earliest_wins),
		cmocka_unit_test(test_retry_2_4_8_then_any),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
