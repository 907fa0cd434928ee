/* test_dnsname.c: RFC 1035 wire names (tlv/dnsname.c), one test per error class. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "platform/err.h"
#include "tlv/dnsname.h"

/* prov.example.com, from dhcp-options.md §2 (122.3 after the type byte). */
static const uint8_t prov_example_com[] = {
	0x04, 'p', 'r', 'o', 'v', 0x07, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0x03, 'c', 'o', 'm', 0x00
};
/* BASIC.1, verified byte-for-byte in dhcp-options.md §2 notes. */
static const uint8_t basic1[] = { 0x05, 'B', 'A', 'S', 'I', 'C', 0x01, '1', 0x00 };

static void test_decode_fqdn(void **state)
{
	char out[DNSNAME_TEXT_MAX];
	size_t used;

	(void)state;
	assert_int_equal(dnsname_decode(prov_example_com, sizeof(prov_example_com), out, sizeof(out),
					&used), 16);
	assert_string_equal(out, "prov.example.com");
	assert_int_equal(used, sizeof(prov_example_com));
	assert_int_equal(dnsname_decode_exact(basic1, sizeof(basic1), out, sizeof(out)), 7);
	assert_string_equal(out, "BASIC.1");
}

static void test_decode_root(void **state)
{
	static const uint8_t root[] = { 0 };
	char out[8] = "x";
	size_t used = 99;

	(void)state;
	assert_int_equal(dnsname_decode(root, 1, out, sizeof(out), &used), 0);
	assert_string_equal(out, "");
	assert_int_equal(used, 1);
}

static void test_decode_compression_pointer(void **state)
{
	static const uint8_t ptr[] = { 0x04, 'p', 'r', 'o', 'v', 0xc0, 0x0c };
	char out[64];

	(void)state;
	assert_int_equal(dnsname_decode(ptr, sizeof(ptr), out, sizeof(out), NULL), E_UNSUPPORTED);
	assert_string_equal(out, "");
}

static void test_decode_missing_terminator(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(dnsname_decode(basic1, sizeof(basic1) - 1, out, sizeof(out), NULL), E_SHORT);
}

static void test_decode_label_past_end(void **state)
{
	static const uint8_t cut[] = { 0x05, 'A', 'B' };
	char out[64];

	(void)state;
	assert_int_equal(dnsname_decode(cut, sizeof(cut), out, sizeof(out), NULL), E_SHORT);
	assert_int_equal(dnsname_decode(NULL, 0, out, sizeof(out), NULL), E_SHORT);
}

static void test_decode_extended_label_type(void **state)
{
	static const uint8_t ext[] = { 0x41, 0x00 };
	char out[64];

	(void)state;
	assert_int_equal(dnsname_decode(ext, sizeof(ext), out, sizeof(out), NULL), E_PROTO);
}

static void test_decode_bad_byte(void **state)
{
	static const uint8_t dot[] = { 0x03, 'a', '.', 'b', 0x00 };
	static const uint8_t nul[] = { 0x03, 'a', 0, 'b', 0x00 };
	static const uint8_t sp[] = { 0x03, 'a', ' ', 'b', 0x00 };
	char out[64];

	(void)state;
	assert_int_equal(dnsname_decode(dot, sizeof(dot), out, sizeof(out), NULL), E_PROTO);
	assert_int_equal(dnsname_decode(nul, sizeof(nul), out, sizeof(out), NULL), E_PROTO);
	assert_int_equal(dnsname_decode(sp, sizeof(sp), out, sizeof(out), NULL), E_PROTO);
}

static void test_decode_too_long(void **state)
{
	uint8_t w[5 * 64 + 1];
	char out[DNSNAME_TEXT_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < 5; i++) {
		w[i * 64] = 63;
		memset(w + i * 64 + 1, 'a', 63);
	}
	w[5 * 64] = 0;
	assert_int_equal(dnsname_decode(w, sizeof(w), out, sizeof(out), NULL), E_RANGE);
	/* 4 x 63 + 1 + 1: 254 wire bytes + terminator = 255 is the maximum */
	w[3 * 64] = 61;
	w[3 * 64 + 62] = 0;
	assert_int_equal(dnsname_decode(w, 255, out, sizeof(out), NULL), 253);
	assert_int_equal(strlen(out), 253);
	w[3 * 64] = 62;
	w[3 * 64 + 63] = 0;
	assert_int_equal(dnsname_decode(w, 256, out, sizeof(out), NULL), E_RANGE);
}

static void test_decode_trailing(void **state)
{
	uint8_t b[sizeof(basic1) + 1];
	char out[64];

	(void)state;
	memcpy(b, basic1, sizeof(basic1));
	b[sizeof(basic1)] = 0x42;
	assert_int_equal(dnsname_decode_exact(b, sizeof(b), out, sizeof(out)), E_TRAILING);
	assert_string_equal(out, "");
}

static void test_decode_small_output(void **state)
{
	char out[7];

	(void)state;
	assert_int_equal(dnsname_decode(basic1, sizeof(basic1), out, sizeof(out), NULL), E_OVERFLOW);
	assert_int_equal(dnsname_decode(basic1, sizeof(basic1), NULL, 0, NULL), E_OVERFLOW);
}

static void test_encode(void **state)
{
	uint8_t buf[300];
	struct wr w;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	assert_int_equal(dnsname_encode(&w, "prov.example.com"), 0);
	assert_int_equal(w.len, sizeof(prov_example_com));
	assert_memory_equal(buf, prov_example_com, sizeof(prov_example_com));

	wr_init(&w, buf, sizeof(buf));
	assert_int_equal(dnsname_encode(&w, "BASIC.1."), 0);
	assert_int_equal(w.len, sizeof(basic1));
	assert_memory_equal(buf, basic1, sizeof(basic1));

	wr_init(&w, buf, sizeof(buf));
	assert_int_equal(dnsname_encode(&w, ""), 0);
	assert_int_equal(dnsname_encode(&w, "."), 0);
	assert_int_equal(w.len, 2);
	assert_int_equal(buf[0], 0);
	assert_int_equal(buf[1], 0);
	assert_int_equal(dnsname_wire_len("prov.example.com"), 18);
}

static void test_encode_errors(void **state)
{
	uint8_t buf[300];
	char lab[70], name[300];
	struct wr w;

	(void)state;
	wr_init(&w, buf, sizeof(buf));
	assert_int_equal(dnsname_encode(&w, "a..b"), E_INVAL);
	assert_int_equal(w.err, E_INVAL);
	wr_init(&w, buf, sizeof(buf));
	assert_int_equal(dnsname_encode(&w, ".a"), E_INVAL);
	memset(lab, 'x', 64);
	lab[64] = '\0';
	wr_init(&w, buf, sizeof(buf));
	assert_int_equal(dnsname_encode(&w, lab), E_RANGE);
	/* 4 labels of 63 + "a": 4*64 + 2 + 1 = 259 > 255 */
	memset(name, 'y', sizeof(name));
	name[63] = name[127] = name[191] = name[255] = '.';
	name[257] = '\0';
	name[256] = 'a';
	assert_int_equal(dnsname_wire_len(name), E_RANGE);
	wr_init(&w, buf, 4);
	assert_int_equal(dnsname_encode(&w, "prov.example.com"), E_OVERFLOW);
}

static void test_roundtrip_max(void **state)
{
	char name[DNSNAME_TEXT_MAX], back[DNSNAME_TEXT_MAX];
	uint8_t buf[300];
	struct wr w;

	(void)state;
	memset(name, 'z', 253);
	name[63] = name[127] = name[191] = '.';
	name[253] = '\0';
	wr_init(&w, buf, sizeof(buf));
	assert_int_equal(dnsname_encode(&w, name), 0);
	assert_int_equal(w.len, 255);
	assert_int_equal(dnsname_decode_exact(buf, w.len, back, sizeof(back)), 253);
	assert_string_equal(back, name);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_fqdn),
		cmocka_unit_test(test_decode_root),
		cmocka_unit_test(test_decode_compression_pointer),
		cmocka_unit_test(test_decode_missing_terminator),
		cmocka_unit_test(test_decode_label_past_end),
		cmocka_unit_test(test_decode_extended_label_type),
		cmocka_unit_test(test_decode_bad_byte),
		cmocka_unit_test(test_decode_too_long),
		cmocka_unit_test(test_decode_trailing),
		cmocka_unit_test(test_decode_small_output),
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_encode_errors),
		cmocka_unit_test(test_roundtrip_max),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
