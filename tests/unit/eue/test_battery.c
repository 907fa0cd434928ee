/*
 * test_battery.c: the battery hook (eue/battery.c, 6.6.4): the state file
 * of the host/lab board (good, partial, missing, hostile), and what the
 * readings become in CLAB-UPS-MIB / RFC 1628 terms (status thresholds,
 * minutes remaining, seconds on battery counted from the switch-over).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eue/battery.h"
#include "platform/err.h"

static uint64_t now;

static uint64_t fake_now(void *arg)
{
	(void)arg;
	return now;
}

static char path[64];

static void put(const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	int fd;

	(void)state;
	snprintf(path, sizeof(path), "/tmp/test_battery.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	return 0;
}

static void test_state_file(void **state)
{
	struct battery_state st;

	(void)state;
	put("charge=57 on_battery=1\n");
	assert_int_equal(battery_file_read(path, &st), 0);
	assert_int_equal(st.charge, 57);
	assert_int_equal(st.on_battery, 1);
	put("on_battery=0");
	assert_int_equal(battery_file_read(path, &st), 0);
	assert_int_equal(st.charge, -1);          /* not said: unknown */
	assert_int_equal(st.on_battery, 0);
	put("charge=101\n");
	assert_int_equal(battery_file_read(path, &st), E_PROTO);
	put("charge=5x\n");
	assert_int_equal(battery_file_read(path, &st), E_PROTO);
	put("charge=\n");
	assert_int_equal(battery_file_read(path, &st), E_PROTO);
	put("voltage=12\n");
	assert_int_equal(battery_file_read(path, &st), E_PROTO);
	unlink(path);
	assert_int_equal(battery_file_read(path, &st), 0);   /* no file: mains, full */
	assert_int_equal(st.charge, 100);
	assert_int_equal(st.on_battery, 0);
}

static void test_mib_values(void **state)
{
	struct battery b;
	struct mib_battery mb;

	(void)state;
	battery_init(&b, battery_file_read, path);
	b.now_ms = fake_now;
	now = 1000;
	put("charge=100 on_battery=0\n");
	battery_mib_poll(&b, &mb);
	assert_int_equal(mb.status, 2);                         /* batteryNormal */
	assert_int_equal(mb.charge, 100);
	assert_int_equal(mb.on_battery, 0);
	assert_int_equal(mb.seconds_on_battery, 0);
	assert_int_equal(mb.minutes_remaining, BATTERY_RATED_MINUTES);
	assert_int_equal(mb.rated_minutes, BATTERY_RATED_MINUTES);

	/* mains lost at 1 s; read 90 s later */
	put("charge=19 on_battery=1\n");
	battery_mib_poll(&b, &mb);
	now += 90000;
	battery_mib_poll(&b, &mb);
	assert_int_equal(mb.status, 3);                         /* batteryLow below 20 % */
	assert_int_equal(mb.on_battery, 1);
	assert_int_equal(mb.seconds_on_battery, 90);
	assert_int_equal(mb.minutes_remaining, BATTERY_RATED_MINUTES * 19 / 100);
	assert_int_equal(mb.available_minutes, BATTERY_RATED_MINUTES * 19 / 100);

	put("charge=0 on_battery=1\n");
	battery_mib_poll(&b, &mb);
	assert_int_equal(mb.status, 4);                         /* batteryDepleted */
	assert_int_equal(mb.minutes_remaining, 1);              /* PositiveInteger */

	/* back on mains: the counter is 0, and restarts at the next cut */
	put("charge=30 on_battery=0\n");
	battery_mib_poll(&b, &mb);
	assert_int_equal(mb.seconds_on_battery, 0);
	put("charge=30 on_battery=1\n");
	now += 5000;
	battery_mib_poll(&b, &mb);
	assert_int_equal(mb.seconds_on_battery, 0);
	now += 2000;
	battery_mib_poll(&b, &mb);
	assert_int_equal(mb.seconds_on_battery, 2);

	/* an unreadable state: unknown(1), never a made-up charge */
	put("garbage\n");
	battery_mib_poll(&b, &mb);
	assert_int_equal(mb.status, 1);
	assert_int_equal(mb.on_battery, 0);
	assert_int_equal(mb.charge, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_state_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mib_values, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
