/* test_capab.c: TLV 5.x capabilities, option 60 text and option 35 binary
 * (tlv/capab.c); vectors from reference/capabilities.md (tshark-verified). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "platform/err.h"
#include "tlv/capab.h"

/* capabilities.md §2 worked example (tshark 4.0.17). */
static const char opt60[] = "pktc2.0:0513010102020102030101040101120200071A0100";
static const uint8_t opt35[] = { 0x01, 0x01, 0x02, 0x02, 0x01, 0x02, 0x03, 0x01, 0x01, 0x04,
				 0x01, 0x01, 0x12, 0x02, 0x00, 0x07, 0x1a, 0x01, 0x00 };

static void build_example(struct capab *c)
{
	capab_init(c);
	assert_int_equal(capab_add_u8(c, CAPAB_PKTC_VERSION, 2), 0);
	assert_int_equal(capab_add_u8(c, CAPAB_NUM_ENDPOINTS, 2), 0);
	assert_int_equal(capab_add_u8(c, CAPAB_TGT, 1), 0);
	assert_int_equal(capab_add_u8(c, CAPAB_HTTP_DL, 1), 0);
	assert_int_equal(capab_add_u16(c, CAPAB_PROV_FLOWS,
				       CAPAB_FLOW_SECURE | CAPAB_FLOW_HYBRID | CAPAB_FLOW_BASIC), 0);
	assert_int_equal(capab_add_u8(c, CAPAB_CERT_BOOTSTRAP, 0), 0);
}

static void test_opt60_build_worked_example(void **state)
{
	struct capab c;
	char out[CAPAB_OPT60_MAX + 1];

	(void)state;
	build_example(&c);
	assert_int_equal(capab_opt60_build(&c, out, sizeof(out)), (int)strlen(opt60));
	assert_string_equal(out, opt60);
	assert_int_equal(capab_opt60_build(&c, out, strlen(opt60) - 1), E_OVERFLOW);
}

static void test_opt35_binary(void **state)
{
	struct capab c, d;
	uint8_t buf[64];
	struct wr w;

	(void)state;
	build_example(&c);
	wr_init(&w, buf, sizeof(buf));
	capab_bin_build(&c, &w);
	assert_int_equal(w.len, sizeof(opt35));
	assert_memory_equal(buf, opt35, sizeof(opt35));
	assert_int_equal(capab_bin_parse(opt35, sizeof(opt35), &d), 0);
	assert_int_equal(d.len, c.len);
	assert_memory_equal(d.body, c.body, c.len);
}

static void test_opt60_parse_both_cases(void **state)
{
	char lower[sizeof(opt60)];
	struct capab c;
	uint8_t v8 = 0;
	uint16_t v16 = 0;
	size_t i;

	(void)state;
	assert_int_equal(capab_opt60_parse(opt60, strlen(opt60), &c), 0);
	assert_int_equal(c.len, sizeof(opt35));
	assert_memory_equal(c.body, opt35, sizeof(opt35));
	assert_int_equal(capab_get_u8(&c, CAPAB_PKTC_VERSION, &v8), 0);
	assert_int_equal(v8, 2);
	assert_int_equal(capab_get_u16(&c, CAPAB_PROV_FLOWS, &v16), 0);
	assert_int_equal(v16, 7);
	assert_int_equal(capab_get_u8(&c, CAPAB_CERT_BOOTSTRAP, &v8), 0);
	assert_int_equal(v8, 0);
	assert_int_equal(capab_get_u8(&c, CAPAB_CODECS, &v8), E_NOTFOUND);

	memcpy(lower, opt60, sizeof(opt60));
	for (i = 8; lower[i]; i++)
		if (lower[i] >= 'A' && lower[i] <= 'F')
			lower[i] = (char)(lower[i] + 32);
	assert_int_equal(capab_opt60_parse(lower, strlen(lower), &c), 0);
	assert_memory_equal(c.body, opt35, sizeof(opt35));
	/* one trailing NUL counted in the option is tolerated */
	assert_int_equal(capab_opt60_parse(opt60, sizeof(opt60), &c), 0);
}

static void test_typed_wrong_length_is_absent(void **state)
{
	struct capab c;
	uint16_t v16;
	uint8_t v8;

	(void)state;
	capab_init(&c);
	assert_int_equal(capab_add_u8(&c, CAPAB_PROV_FLOWS, 4), 0);   /* 1 byte, needs 2 */
	assert_int_equal(capab_add_u16(&c, CAPAB_TGT, 1), 0);         /* 2 bytes, needs 1 */
	assert_int_equal(capab_get_u16(&c, CAPAB_PROV_FLOWS, &v16), E_NOTFOUND);
	assert_int_equal(capab_get_u8(&c, CAPAB_TGT, &v8), E_NOTFOUND);
}

/* The RDK E-DVA sample of capabilities.md §2, through both encodings. */
static void test_rdk_sample_roundtrip(void **state)
{
	static const uint8_t rdk[] = {
		0x01, 0x01, 0x02, 0x02, 0x01, 0x02, 0x03, 0x01, 0x00, 0x04, 0x01, 0x00,
		0x09, 0x01, 0x01, 0x0B, 0x03, 0x06, 0x09, 0x0F, 0x0C, 0x01, 0x01, 0x0D,
		0x01, 0x01, 0x0F, 0x01, 0x01, 0x10, 0x01, 0x09, 0x12, 0x02, 0x00, 0x04,
		0x13, 0x01, 0x01, 0x14, 0x01, 0x01, 0x15, 0x01, 0x01, 0x16, 0x01, 0x01,
		0x17, 0x03, 0x02, 0x00, 0x3F, 0x18, 0x01, 0x00, 0x19, 0x01, 0x00, 0x1A,
		0x01, 0x00, 0x26, 0x01, 0x01,
	};
	struct capab c, d;
	char txt[CAPAB_OPT60_MAX + 1];
	const uint8_t *v;
	uint16_t flows;
	int n;

	(void)state;
	assert_int_equal(capab_bin_parse(rdk, sizeof(rdk), &c), 0);
	n = capab_opt60_build(&c, txt, sizeof(txt));
	assert_int_equal(n, 8 + 2 * (2 + (int)sizeof(rdk)));
	assert_memory_equal(txt, "pktc2.0:0541010102", 18);
	assert_int_equal(capab_opt60_parse(txt, (size_t)n, &d), 0);
	assert_int_equal(d.len, sizeof(rdk));
	assert_memory_equal(d.body, rdk, sizeof(rdk));
	assert_int_equal(capab_find(&d, CAPAB_CODECS, &v), 3);
	assert_int_equal(v[0], 6);
	assert_int_equal(v[2], 15);
	assert_int_equal(capab_get_u16(&d, CAPAB_PROV_FLOWS, &flows), 0);
	assert_int_equal(flows, CAPAB_FLOW_BASIC);
}

static void test_opt60_wrong_prefix(void **state)
{
	static const char up[] = "PKTC2.0:0503010102";
	static const char v15[] = "pktc1.5:0503010101";
	static const char docsis[] = "docsis3.0:";
	struct capab c;

	(void)state;
	assert_int_equal(capab_opt60_parse(up, strlen(up), &c), E_NOTFOUND);
	assert_int_equal(capab_opt60_parse(v15, strlen(v15), &c), E_NOTFOUND);
	assert_int_equal(capab_opt60_parse(docsis, strlen(docsis), &c), E_NOTFOUND);
	assert_int_equal(capab_opt60_parse("pktc", 4, &c), E_NOTFOUND);
}

static void test_opt60_bad_hex(void **state)
{
	static const char odd[] = "pktc2.0:050301010";
	static const char nonhex[] = "pktc2.0:05030101G2";
	static const char sign[] = "pktc2.0:0503010+02";
	struct capab c;

	(void)state;
	assert_int_equal(capab_opt60_parse(odd, strlen(odd), &c), E_PROTO);
	assert_int_equal(capab_opt60_parse(nonhex, strlen(nonhex), &c), E_PROTO);
	assert_int_equal(capab_opt60_parse(sign, strlen(sign), &c), E_PROTO);
}

static void test_opt60_bad_outer(void **state)
{
	static const char type4[] = "pktc2.0:0403010102";
	static const char longer[] = "pktc2.0:0504010102";
	static const char shorter[] = "pktc2.0:0502010102";
	static const char empty[] = "pktc2.0:";
	struct capab c;

	(void)state;
	assert_int_equal(capab_opt60_parse(type4, strlen(type4), &c), E_PROTO);
	assert_int_equal(capab_opt60_parse(longer, strlen(longer), &c), E_SHORT);
	assert_int_equal(capab_opt60_parse(shorter, strlen(shorter), &c), E_TRAILING);
	assert_int_equal(capab_opt60_parse(empty, strlen(empty), &c), E_SHORT);
}

static void test_sub_tlv_past_end(void **state)
{
	static const char cut[] = "pktc2.0:0503010202";
	static const uint8_t bin[] = { 0x01, 0x02, 0x02 };
	struct capab c;

	(void)state;
	assert_int_equal(capab_opt60_parse(cut, strlen(cut), &c), E_SHORT);
	assert_int_equal(c.len, 0);
	assert_int_equal(capab_bin_parse(bin, sizeof(bin), &c), E_SHORT);
	assert_int_equal(c.len, 0);
}

static void test_add_overflow(void **state)
{
	struct capab c;
	uint8_t big[253];

	(void)state;
	memset(big, 0, sizeof(big));
	capab_init(&c);
	assert_int_equal(capab_add(&c, 8, big, 253), 0);
	assert_int_equal(c.len, 255);
	assert_int_equal(capab_add_u8(&c, 1, 2), E_OVERFLOW);
	assert_int_equal(c.len, 255);
	assert_int_equal(capab_add(&c, 8, big, 256), E_INVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_opt60_build_worked_example),
		cmocka_unit_test(test_opt35_binary),
		cmocka_unit_test(test_opt60_parse_both_cases),
		cmocka_unit_test(test_typed_wrong_length_is_absent),
		cmocka_unit_test(test_rdk_sample_roundtrip),
		cmocka_unit_test(test_opt60_wrong_prefix),
		cmocka_unit_test(test_opt60_bad_hex),
		cmocka_unit_test(test_opt60_bad_outer),
		cmocka_unit_test(test_sub_tlv_past_end),
		cmocka_unit_test(test_add_overflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
