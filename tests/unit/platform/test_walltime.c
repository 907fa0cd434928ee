/* test_walltime.c: the ToD-set wall clock follows the monotonic clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "platform/crc32.h"
#include "platform/err.h"
#include "platform/walltime.h"

static void test_unknown_until_set_then_follows_mono(void **state)
{
	struct walltime w;
	int64_t now;

	(void)state;
	walltime_init(&w);
	assert_int_equal(walltime_now(&w, 5000, &now), E_AGAIN);
	assert_int_equal(walltime_set(&w, 2000000000000LL, 5000), 0);
	assert_int_equal(walltime_now(&w, 6500, &now), 0);
	assert_true(now == 2000000001500LL);
	/* a later ToD change reports its step (6.3.2.3 invalidates tickets) */
	assert_true(walltime_set(&w, 2000000601500LL, 6500) == 600000);
	assert_int_equal(walltime_now(&w, 6500, &now), 0);
	assert_true(now == 2000000601500LL);
}

static void test_crc32_check_value(void **state)
{
	(void)state;
	/* the CRC-32 catalogue's check value for "123456789" */
	assert_int_equal(crc32_update(0, "123456789", 9), 0xCBF43926u);
	assert_int_equal(crc32_update(crc32_update(0, "1234", 4), "56789", 5), 0xCBF43926u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unknown_until_set_then_follows_mono),
		cmocka_unit_test(test_crc32_check_value),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
