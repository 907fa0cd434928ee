/* rand.c (fake): a seeded xorshift64* so schedules and xids repeat. */
#include "platform/rand.h"
#include "tests/fake/fake.h"

static uint64_t fake_rand_state = 0x9E3779B97F4A7C15ull;

void fake_rand_seed(uint64_t seed)
{
	fake_rand_state = seed ? seed : 0x9E3779B97F4A7C15ull;
}

uint32_t rand_u32(void)
{
	uint64_t x = fake_rand_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	fake_rand_state = x;
	return (uint32_t)((x * 0x2545F4914F6CDD1Dull) >> 32);
}

void rand_bytes(void *buf, size_t len)
{
	uint8_t *p = buf;

	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)rand_u32();
}

uint32_t rand_uniform(uint32_t n)
{
	return n < 2 ? 0 : rand_u32() % n;
}
