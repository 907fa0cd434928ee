/* clock.c (fake): monotonic time that only the test moves. */
#include "platform/clock.h"
#include "tests/fake/fake.h"

static uint64_t fake_mono_ms = 1000000;   /* not 0: code may treat 0 as "never" */

uint64_t clock_mono_ms(void)
{
	return fake_mono_ms;
}

int64_t clock_sys_unix_ms(void)
{
	return 1700000000000LL + (int64_t)fake_mono_ms;
}

void fake_clock_set_ms(uint64_t mono_ms)
{
	fake_mono_ms = mono_ms;
}

void fake_clock_advance_ms(uint64_t ms)
{
	fake_mono_ms += ms;
}
