/*
 * test_retx.c: the schedule against RFC 3315 section 14's formula, computed
 * independently here in floating point from the same random values, and
 * RFC 2131's 4/8/16/32/64 s +- 1 s.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "platform/err.h"
#include "platform/retx.h"

/* RFC 3315 17.1.2 / 18.1.1 values for SOLICIT and REQUEST */
static const struct retx_param sol = { .irt_ms = 1000, .mrt_ms = 120000, .jitter_permille = 100, .first_positive = 1 };
static const struct retx_param req = { .irt_ms = 1000, .mrt_ms = 30000, .mrc = 10, .jitter_permille = 100 };
static const struct retx_param dhcp4 = { .irt_ms = 4000, .mrt_ms = 64000, .jitter_abs_ms = 1000 };

/* RAND in [-0.1, 0.1] as retx.c derives it from rnd, for the reference model */
static double model_rand(double rt, uint32_t rnd, int positive)
{
	uint32_t range = (uint32_t)(rt * 100 / 1000);

	if (range == 0)
		return 0;
	if (positive)
		return 1 + (double)(rnd % range);
	return (double)(rnd % (2u * range + 1u)) - range;
}

static void test_rfc3315_formula_request(void **state)
{
	struct retx r;
	uint32_t wait, rnd = 12345;
	double rt = 0;

	(void)state;
	retx_start(&r, &req, 0);
	for (unsigned i = 1; i <= req.mrc; i++) {
		assert_false(retx_expired(&r, 0));
		rnd = rnd * 1103515245u + 12345u;
		assert_int_equal(retx_next(&r, 0, rnd, &wait), 0);
		if (i == 1)
			rt = 1000 + model_rand(1000, rnd, 0);
		else
			rt = 2 * rt + model_rand(rt, rnd, 0);
		if (rt > req.mrt_ms)
			rt = req.mrt_ms + model_rand(req.mrt_ms, rnd, 0);
		rt = (double)(uint32_t)rt;
		assert_int_equal(wait, (uint32_t)rt);
		/* Every wait stays within RFC 3315's bounds. */
		assert_true(wait <= req.mrt_ms * 11 / 10);
	}
	/* MRC = 10 transmissions: when the wait after the 10th runs out, it failed. */
	assert_true(retx_expired(&r, 0));
}

static void test_solicit_first_rt_strictly_greater_than_irt(void **state)
{
	struct retx r;
	uint32_t wait;

	(void)state;
	for (uint32_t rnd = 0; rnd < 400; rnd++) {
		retx_start(&r, &sol, 0);
		assert_int_equal(retx_next(&r, 0, rnd, &wait), 0);
		assert_in_range(wait, 1001, 1100);
	}
}

static void test_growth_bounded_by_mrt(void **state)
{
	struct retx r;
	uint32_t wait = 0, lo = UINT32_MAX, hi = 0;

	(void)state;
	retx_start(&r, &sol, 0);
	for (int i = 0; i < 30; i++) {
		assert_int_equal(retx_next(&r, 0, (uint32_t)i * 7919u, &wait), 0);
		if (i >= 10) {
			lo = wait < lo ? wait : lo;
			hi = wait > hi ? wait : hi;
		}
	}
	assert_true(lo >= 108000 && hi <= 132000);   /* MRT +- 10 % */
}

static void test_mrd_cuts_last_wait_then_fails(void **state)
{
	static const struct retx_param p = { .irt_ms = 1000, .mrd_ms = 5000, .jitter_permille = 0 };
	struct retx r;
	uint32_t wait;

	(void)state;
	retx_start(&r, &p, 100);
	assert_int_equal(retx_next(&r, 100, 0, &wait), 0);
	assert_int_equal(wait, 1000);
	assert_int_equal(retx_next(&r, 1100, 0, &wait), 0);
	assert_int_equal(wait, 2000);
	assert_int_equal(retx_next(&r, 3100, 0, &wait), 0);
	assert_int_equal(wait, 2000);   /* 4000 would pass MRD: cut to end at 5100 */
	assert_false(retx_expired(&r, 5099));
	assert_true(retx_expired(&r, 5100));
	assert_int_equal(retx_next(&r, 5100, 0, &wait), E_TIMEOUT);
}

static void test_rfc2131_doubling_with_one_second_jitter(void **state)
{
	static const uint32_t base[] = { 4000, 8000, 16000, 32000, 64000, 64000, 64000 };
	struct retx r;
	uint32_t wait;

	(void)state;
	retx_start(&r, &dhcp4, 0);
	for (unsigned i = 0; i < sizeof(base) / sizeof(base[0]); i++) {
		/* the largest rnd gives +1000, the randomness never accumulates */
		uint32_t rnd = i % 2 ? 2000u : 0u;

		assert_int_equal(retx_next(&r, 0, rnd, &wait), 0);
		assert_int_equal(wait, base[i] + (i % 2 ? 1000u : 0u) - (i % 2 ? 0u : 1000u));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc3315_formula_request),
		cmocka_unit_test(test_solicit_first_rt_strictly_greater_than_irt),
		cmocka_unit_test(test_growth_bounded_by_mrt),
		cmocka_unit_test(test_mrd_cuts_last_wait_then_fails),
		cmocka_unit_test(test_rfc2131_doubling_with_one_second_jitter),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
