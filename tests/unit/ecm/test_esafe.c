/*
 * test_esafe.c: the eCM's ESAFE-MIB rows of the eUE (ecm/esafe.h, spec
 * 6.6.3): the state before the eUE reports, reports taken and refused, the
 * failure columns cleared by a clean report, RFC 2579 DateAndTime octets
 * (offsets both ways, a leap day, no time), GET by instance and GETNEXT
 * order across both tables, including OIDs outside them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ecm/esafe.h"
#include "platform/err.h"

#define BASE 1, 3, 6, 1, 4, 1, 4491, 2, 1, 14, 1, 1
#define N(a) (sizeof(a) / sizeof((a)[0]))

static const uint32_t progress16[] = { BASE, 1, 1, 1, 16 };
static const uint32_t found16[] = { BASE, 1, 1, 2, 16 };
static const uint32_t flow16[] = { BASE, 1, 1, 3, 16 };
static const uint32_t event16[] = { BASE, 1, 1, 4, 16 };
static const uint32_t text16[] = { BASE, 1, 1, 5, 16 };
static const uint32_t update16[] = { BASE, 1, 1, 6, 16 };
static const uint32_t impact16[] = { BASE, 2, 1, 1, 16 };
static const uint32_t info16[] = { BASE, 2, 1, 2, 16 };

static uint32_t get_num(const struct esafe *s, const uint32_t *oid, size_t n)
{
	struct esafe_val v;

	assert_int_equal(esafe_get(s, oid, n, &v), 0);
	assert_true(v.type == ESAFE_T_INT || v.type == ESAFE_T_UNSIGNED);
	return v.num;
}

static void assert_str(const struct esafe *s, const uint32_t *oid, size_t n, const char *want)
{
	struct esafe_val v;

	assert_int_equal(esafe_get(s, oid, n, &v), 0);
	assert_int_equal(v.type, ESAFE_T_OCTETS);
	assert_int_equal(v.len, strlen(want));
	assert_memory_equal(v.bytes, want, v.len);
}

static struct ipc_esafe report(uint8_t progress, uint8_t failure, uint8_t impact)
{
	struct ipc_esafe r;

	memset(&r, 0, sizeof(r));
	r.progress = progress;
	r.failure = failure;
	r.impact = impact;
	return r;
}

static void test_before_the_eue_reports(void **state)
{
	static const uint8_t zero8[8] = { 0 };
	struct esafe s;
	struct esafe_val v;

	(void)state;
	esafe_init(&s);
	assert_int_equal(get_num(&s, progress16, N(progress16)), ESAFE_NOT_INITIATED);
	assert_int_equal(get_num(&s, found16, N(found16)), ESAFE_FALSE);
	assert_int_equal(get_num(&s, impact16, N(impact16)), ESAFE_IMPACT_NONE);
	assert_int_equal(get_num(&s, event16, N(event16)), 0);
	assert_str(&s, flow16, N(flow16), "");
	assert_int_equal(esafe_get(&s, update16, N(update16), &v), 0);
	assert_int_equal(v.len, 8);
	assert_memory_equal(v.bytes, zero8, 8);
	assert_int_equal(s.eue.updates, 0);
}

static void test_failure_then_pass(void **state)
{
	struct esafe s;
	struct ipc_esafe r = report(ESAFE_FINISHED, ESAFE_TRUE, ESAFE_IMPACT_NONE);

	(void)state;
	esafe_init(&s);
	strcpy(r.flow, "eUE-23");
	strcpy(r.text, "hash_mismatch");
	r.event_id = 4000950906u;
	strcpy(r.impact_info, "not provisioned");
	assert_int_equal(esafe_update(&s, &r, 0, 0, 0), 0);
	assert_int_equal(get_num(&s, progress16, N(progress16)), ESAFE_FINISHED);
	assert_int_equal(get_num(&s, found16, N(found16)), ESAFE_TRUE);
	assert_str(&s, flow16, N(flow16), "eUE-23");
	assert_str(&s, text16, N(text16), "hash_mismatch");
	assert_int_equal(get_num(&s, event16, N(event16)), 4000950906u);
	assert_str(&s, info16, N(info16), "not provisioned");

	/* a new run that passes: the failure columns are cleared even if the
	 * sender left text in them */
	r.progress = ESAFE_FINISHED;
	r.failure = ESAFE_FALSE;
	r.impact = ESAFE_IMPACT_SIGNIFICANT;
	assert_int_equal(esafe_update(&s, &r, 0, 0, 0), 0);
	assert_int_equal(get_num(&s, found16, N(found16)), ESAFE_FALSE);
	assert_str(&s, flow16, N(flow16), "");
	assert_str(&s, text16, N(text16), "");
	assert_int_equal(get_num(&s, event16, N(event16)), 0);
	assert_int_equal(get_num(&s, impact16, N(impact16)), ESAFE_IMPACT_SIGNIFICANT);
	assert_int_equal(s.eue.updates, 2);
}

static void test_out_of_range_changes_nothing(void **state)
{
	static const struct { uint8_t p, f, i; } bad[] = {
		{ 0, 2, 2 }, { 4, 2, 2 }, { 2, 0, 2 }, { 2, 3, 2 }, { 2, 2, 0 }, { 2, 2, 4 },
	};
	struct esafe s, before;

	(void)state;
	esafe_init(&s);
	before = s;
	for (size_t i = 0; i < N(bad); i++) {
		struct ipc_esafe r = report(bad[i].p, bad[i].f, bad[i].i);

		assert_int_equal(esafe_update(&s, &r, 1, 1795466405700, 0), E_RANGE);
		assert_memory_equal(&s, &before, sizeof(s));
	}
}

static void test_date_and_time(void **state)
{
	/* 2026-11-23 20:40:05.7 UTC, 5 h west: 15:40:05.7 local, '-' 5 0 */
	static const uint8_t west[11] = { 0x07, 0xea, 11, 23, 15, 40, 5, 7, '-', 5, 0 };
	/* 2024-02-29 23:59:59.9 UTC, 5:30 east: 2024-03-01 05:29:59.9 */
	static const uint8_t east[11] = { 0x07, 0xe8, 3, 1, 5, 29, 59, 9, '+', 5, 30 };
	/* the leap day itself, UTC */
	static const uint8_t leap[11] = { 0x07, 0xe8, 2, 29, 23, 59, 59, 9, '+', 0, 0 };
	uint8_t out[ESAFE_DATE_MAX];
	struct esafe s;
	struct esafe_val v;
	struct ipc_esafe r = report(ESAFE_IN_PROGRESS, ESAFE_FALSE, ESAFE_IMPACT_NONE);

	(void)state;
	assert_int_equal(esafe_date(1, 1795466405700, -5 * 3600, out), 11);
	assert_memory_equal(out, west, 11);
	assert_int_equal(esafe_date(1, 1709251199900, 5 * 3600 + 30 * 60, out), 11);
	assert_memory_equal(out, east, 11);
	assert_int_equal(esafe_date(1, 1709251199900, 0, out), 11);
	assert_memory_equal(out, leap, 11);
	/* unknown time, or an offset RFC 2579 cannot express: 8 zero octets */
	assert_int_equal(esafe_date(0, 1709251199900, 0, out), 8);
	assert_int_equal(esafe_date(1, 1709251199900, 14 * 3600, out), 8);
	assert_int_equal(esafe_date(1, 1000, -3600, out), 8);               /* before 1970 locally */
	assert_int_equal(esafe_date(1, 4294967296000LL, 0, out), 8);        /* 2106 */
	/* the last second it can express: 2106-02-07 06:28:15 */
	assert_int_equal(esafe_date(1, 4294967295000LL, 0, out), 11);
	assert_int_equal(out[0] * 256 + out[1], 2106);
	assert_int_equal(out[2], 2);
	assert_int_equal(out[3], 7);
	assert_int_equal(out[4], 6);
	assert_int_equal(out[5], 28);
	assert_int_equal(out[6], 15);
	/* the epoch itself */
	assert_int_equal(esafe_date(1, 0, 0, out), 11);
	assert_int_equal(out[0] * 256 + out[1], 1970);
	assert_int_equal(out[2], 1);
	assert_int_equal(out[3], 1);
	/* the row's LastUpdate is the report's time */
	esafe_init(&s);
	assert_int_equal(esafe_update(&s, &r, 1, 1795466405700, -5 * 3600), 0);
	assert_int_equal(esafe_get(&s, update16, N(update16), &v), 0);
	assert_int_equal(v.len, 11);
	assert_memory_equal(v.bytes, west, 11);
}

/* GETNEXT from anywhere before, inside and after the tables. */
static void test_getnext_order(void **state)
{
	static const uint32_t *const order[] = {
		progress16, found16, flow16, event16, text16, update16, impact16, info16,
	};
	static const uint32_t before[] = { 1, 3, 6, 1, 2, 1 };
	static const uint32_t base[] = { BASE };
	static const uint32_t row1[] = { BASE, 1, 1, 1, 1 };      /* an ifIndex below 16 */
	static const uint32_t col4_99[] = { BASE, 1, 1, 4, 99 };  /* past the row in column 4 */
	static const uint32_t after[] = { BASE, 3 };
	struct esafe s;
	struct esafe_val v;
	uint32_t cur[ESAFE_OID_MAX];
	size_t n;

	(void)state;
	esafe_init(&s);
	assert_int_equal(esafe_getnext(&s, before, N(before), &v), 0);
	assert_memory_equal(v.oid, progress16, sizeof(progress16));
	memcpy(cur, base, sizeof(base));
	n = N(base);
	for (size_t i = 0; i < N(order); i++) {
		assert_int_equal(esafe_getnext(&s, cur, n, &v), 0);
		assert_int_equal(v.oid_len, 16);
		assert_memory_equal(v.oid, order[i], 16 * sizeof(uint32_t));
		memcpy(cur, v.oid, v.oid_len * sizeof(uint32_t));
		n = v.oid_len;
	}
	assert_int_equal(esafe_getnext(&s, cur, n, &v), E_NOTFOUND);
	assert_int_equal(esafe_getnext(&s, row1, N(row1), &v), 0);
	assert_memory_equal(v.oid, progress16, sizeof(progress16));
	assert_int_equal(esafe_getnext(&s, col4_99, N(col4_99), &v), 0);
	assert_memory_equal(v.oid, text16, sizeof(text16));
	assert_int_equal(esafe_getnext(&s, after, N(after), &v), E_NOTFOUND);
	/* GET: exact instances only */
	assert_int_equal(esafe_get(&s, row1, N(row1), &v), E_NOTFOUND);
	assert_int_equal(esafe_get(&s, base, N(base), &v), E_NOTFOUND);
	assert_int_equal(esafe_get(&s, progress16, N(progress16) - 1, &v), E_NOTFOUND);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(esafe_progress_str(ESAFE_FINISHED), "finished");
	assert_string_equal(esafe_progress_str(0), "?");
	assert_string_equal(esafe_impact_str(ESAFE_IMPACT_SIGNIFICANT), "significant");
	assert_string_equal(esafe_impact_str(4), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_before_the_eue_reports),
		cmocka_unit_test(test_failure_then_pass),
		cmocka_unit_test(test_out_of_range_changes_nothing),
		cmocka_unit_test(test_date_and_time),
		cmocka_unit_test(test_getnext_order),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
