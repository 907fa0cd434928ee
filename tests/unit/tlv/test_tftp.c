/* test_tftp.c: TFTP packets: the RRQ bytes, OACK/DATA/ERROR decoding and
 * every rejection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "platform/err.h"
#include "tlv/tftp.h"

static void test_rrq_bytes(void **state)
{
	static const uint8_t want[] = "\x00\x01" "cm.cfg\0" "octet\0" "blksize\0" "1448\0" "tsize\0" "0";
	uint8_t b[64];
	struct wr w;

	(void)state;
	wr_init(&w, b, sizeof(b));
	tftp_put_rrq(&w, "cm.cfg", 1448, 1);
	assert_int_equal(w.err, 0);
	assert_int_equal(w.len, sizeof(want));
	assert_memory_equal(b, want, sizeof(want));
	wr_init(&w, b, sizeof(b));
	tftp_put_rrq(&w, "", 0, 0);
	assert_int_equal(w.err, E_INVAL);
}

static void test_decode_packets(void **state)
{
	static const uint8_t oack[] = "\x00\x06" "BLKSIZE\0" "1428\0" "tsize\0" "70000";
	static const uint8_t data[] = { 0, 3, 0x12, 0x34, 'a', 'b' };
	static const uint8_t err[] = "\x00\x05\x00\x01" "no\x07" "file";
	struct tftp_pkt p;

	(void)state;
	assert_int_equal(tftp_decode(&p, oack, sizeof(oack)), 0);
	assert_int_equal(p.op, TFTP_OACK);
	assert_int_equal(p.blksize, 1428);
	assert_true(p.has_tsize && p.tsize == 70000);
	assert_int_equal(tftp_decode(&p, data, sizeof(data)), 0);
	assert_int_equal(p.block, 0x1234);
	assert_int_equal(p.len, 2);
	assert_memory_equal(p.data, "ab", 2);
	assert_int_equal(tftp_decode(&p, err, sizeof(err)), 0);
	assert_int_equal(p.err_code, 1);
	assert_string_equal(p.err_msg, "no?file");   /* control bytes never reach a log */
}

static void test_rejections(void **state)
{
	static const uint8_t big[] = "\x00\x06" "blksize\0" "65465";
	static const uint8_t small[] = "\x00\x06" "blksize\0" "7";
	static const uint8_t notnum[] = "\x00\x06" "blksize\0" "1e3";
	static const uint8_t unasked[] = "\x00\x06" "timeout\0" "5";
	static const uint8_t nonul[] = { 0, 6, 'b', 'l', 'k' };
	static const uint8_t huge[] = "\x00\x06" "tsize\0" "99999999999999999999";
	static const uint8_t op9[] = { 0, 9, 0, 0 };
	static const uint8_t ackx[] = { 0, 4, 0, 1, 0 };
	struct tftp_pkt p;

	(void)state;
	assert_int_equal(tftp_decode(&p, big, sizeof(big)), E_PROTO);
	assert_int_equal(tftp_decode(&p, small, sizeof(small)), E_PROTO);
	assert_int_equal(tftp_decode(&p, notnum, sizeof(notnum)), E_PROTO);
	assert_int_equal(tftp_decode(&p, unasked, sizeof(unasked)), E_PROTO);
	assert_int_equal(tftp_decode(&p, nonul, sizeof(nonul)), E_PROTO);
	assert_int_equal(tftp_decode(&p, huge, sizeof(huge)), E_PROTO);
	assert_int_equal(tftp_decode(&p, op9, sizeof(op9)), E_PROTO);
	assert_int_equal(tftp_decode(&p, ackx, sizeof(ackx)), E_TRAILING);
	assert_int_equal(tftp_decode(&p, op9, 1), E_SHORT);
	assert_int_equal(tftp_decode(&p, (const uint8_t *)"\x00\x03\x00", 3), E_SHORT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rrq_bytes),
		cmocka_unit_test(test_decode_packets),
		cmocka_unit_test(test_rejections),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
