/* test_ipudp.c: IPv4/UDP headers: a known packet's checksums, round trips,
 * and every rejection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "platform/err.h"
#include "tlv/ipudp.h"

/* RFC 1071's worked example: 0001 f203 f4f5 f6f7 sums to ddf2 (folded), ~ = 220d */
static void test_rfc1071_example(void **state)
{
	static const uint8_t b[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };

	(void)state;
	assert_int_equal(ipudp_fold(ipudp_sum(0, b, sizeof(b))), 0x220d);
}

static size_t mk(uint8_t *buf, size_t cap, const char *payload)
{
	struct wr w;

	wr_init(&w, buf, cap);
	ipudp_encode(&w, 0, 0xffffffffu, 68, 67, 0x1234, payload, strlen(payload));
	assert_int_equal(w.err, 0);
	return w.len;
}

static void test_round_trip_and_fields(void **state)
{
	uint8_t b[128];
	struct ipudp u;
	size_t n = mk(b, sizeof(b), "hello dhcp");

	(void)state;
	assert_int_equal(n, 28 + 10);
	assert_int_equal(b[0], 0x45);
	assert_int_equal(b[9], 17);
	assert_int_equal(ipudp_decode(&u, b, n), 0);
	assert_int_equal(u.src, 0);
	assert_int_equal(u.dst, 0xffffffffu);
	assert_int_equal(u.sport, 68);
	assert_int_equal(u.dport, 67);
	assert_int_equal(u.len, 10);
	assert_memory_equal(u.payload, "hello dhcp", 10);
	/* trailing Ethernet padding beyond the IP total length is ignored */
	memset(b + n, 0, 8);
	assert_int_equal(ipudp_decode(&u, b, n + 8), 0);
	assert_int_equal(u.len, 10);
}

static void test_rejections(void **state)
{
	uint8_t b[128], c[128];
	struct ipudp u;
	size_t n = mk(b, sizeof(b), "payload");

	(void)state;
	for (size_t cut = 0; cut < n; cut++)
		assert_true(ipudp_decode(&u, b, cut) < 0);
	memcpy(c, b, n);
	c[12] ^= 1;                                   /* header checksum */
	assert_int_equal(ipudp_decode(&u, c, n), E_PROTO);
	memcpy(c, b, n);
	c[n - 1] ^= 1;                                /* UDP checksum */
	assert_int_equal(ipudp_decode(&u, c, n), E_PROTO);
	memcpy(c, b, n);
	c[26] = c[27] = 0;                            /* no UDP checksum: accepted */
	assert_int_equal(ipudp_decode(&u, c, n), 0);
	memcpy(c, b, n);
	c[6] = 0x20;                                  /* more fragments */
	c[10] = c[11] = 0;
	{
		uint16_t s = ipudp_fold(ipudp_sum(0, c, 20));
		c[10] = (uint8_t)(s >> 8);
		c[11] = (uint8_t)s;
	}
	assert_int_equal(ipudp_decode(&u, c, n), E_PROTO);
	memcpy(c, b, n);
	c[0] = 0x65;                                  /* IPv6 version nibble */
	assert_int_equal(ipudp_decode(&u, c, n), E_PROTO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc1071_example),
		cmocka_unit_test(test_round_trip_and_fields),
		cmocka_unit_test(test_rejections),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
