/*
 * test_dl_body.c: the download's body under its bound and curl's TFTP lines
 * (eue/dl_body.c): exactly max bytes are kept, one more is refused and
 * nothing of it kept; an announced size above the bound is refused before any
 * byte; the buffer never grows past the bound; a new attempt starts empty;
 * the OACK blksize is read only in RFC 2348's range; a server's ERROR text is
 * kept printable and bounded.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "eue/dl_body.h"
#include "platform/err.h"

static void test_bound_exact(void **state)
{
	struct dl_body b;
	uint8_t chunk[700];

	(void)state;
	memset(chunk, 0xa5, sizeof(chunk));
	dl_body_init(&b, 1000);
	assert_int_equal(dl_body_append(&b, chunk, 700), 0);
	assert_int_equal(dl_body_append(&b, chunk, 300), 0);   /* exactly the bound */
	assert_int_equal(b.len, 1000);
	assert_true(b.cap <= 1000);
	assert_int_equal(b.too_big, 0);
	assert_int_equal(dl_body_append(&b, chunk, 1), E_OVERFLOW);
	assert_int_equal(b.len, 1000);                          /* nothing of it kept */
	assert_int_equal(b.too_big, 1);
	assert_int_equal(dl_body_append(&b, chunk, 0), 0);
	dl_body_reset(&b);                                      /* the next attempt */
	assert_int_equal(b.len, 0);
	assert_int_equal(b.too_big, 0);
	assert_int_equal(dl_body_append(&b, chunk, 10), 0);
	assert_memory_equal(b.buf, chunk, 10);
	dl_body_free(&b);
	assert_null(b.buf);
}

static void test_one_chunk_above(void **state)
{
	struct dl_body b;
	static uint8_t big[5000];

	(void)state;
	dl_body_init(&b, 4999);
	assert_int_equal(dl_body_append(&b, big, sizeof(big)), E_OVERFLOW);
	assert_int_equal(b.len, 0);
	assert_null(b.buf);                 /* refused before any allocation */
	dl_body_free(&b);
}

static void test_growth_capped(void **state)
{
	struct dl_body b;
	uint8_t chunk[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(chunk); i++)
		chunk[i] = (uint8_t)i;
	dl_body_init(&b, 10000);            /* not a power-of-two multiple of 4096 */
	for (i = 0; i < 19; i++)
		assert_int_equal(dl_body_append(&b, chunk, sizeof(chunk)), 0);
	assert_int_equal(b.len, 19 * 512);
	assert_true(b.cap >= b.len && b.cap <= 10000);
	for (i = 0; i < 19; i++)
		assert_memory_equal(b.buf + i * 512, chunk, 512);
	assert_int_equal(dl_body_append(&b, chunk, 512), E_OVERFLOW);
	dl_body_free(&b);
}

static void test_announced(void **state)
{
	struct dl_body b;

	(void)state;
	dl_body_init(&b, 1048576);
	assert_int_equal(dl_body_announced(&b, 1048576), 0);
	assert_int_equal(b.too_big, 0);
	assert_int_equal(dl_body_announced(&b, 10485760), E_OVERFLOW);   /* a 10 MB tsize */
	assert_int_equal(b.too_big, 1);
	assert_int_equal(dl_body_announced(&b, UINT64_MAX), E_OVERFLOW);
	dl_body_free(&b);
}

static void test_info_blksize(void **state)
{
	unsigned bs = 0;
	char err[16] = "";
	static const char ok[] = "blksize parsed from OACK (1448) requested (1448)\n";

	(void)state;
	assert_int_equal(dl_info_line(ok, strlen(ok), &bs, err, sizeof(err)), 1);
	assert_int_equal(bs, 1448);
	bs = 7;
	assert_int_equal(dl_info_line("blksize parsed from OACK (7)", 28, &bs, err, sizeof(err)), 0);
	assert_int_equal(dl_info_line("blksize parsed from OACK (65465)", 32, &bs, err, sizeof(err)), 0);
	assert_int_equal(dl_info_line("blksize parsed from OACK (99999999999999)", 40, &bs, err,
				      sizeof(err)), 0);
	assert_int_equal(dl_info_line("blksize parsed from OACK (512", 29, &bs, err, sizeof(err)), 0);
	assert_int_equal(dl_info_line("blksize parsed from OACK ()", 27, &bs, err, sizeof(err)), 0);
	assert_int_equal(bs, 7);            /* none of those changed it */
	/* the length given, not a NUL, ends the line */
	assert_int_equal(dl_info_line("blksize parsed from OACK (8)", 27, &bs, err, sizeof(err)), 0);
	assert_int_equal(dl_info_line("blksize parsed from OACK (8)", 28, &bs, err, sizeof(err)), 1);
	assert_int_equal(bs, 8);
}

static void test_info_tftp_error(void **state)
{
	unsigned bs = 0;
	char err[16];
	static const char line[] = "TFTP error: File\x01\x80 not found, really not\r\n";

	(void)state;
	assert_int_equal(dl_info_line(line, sizeof(line) - 1, &bs, err, sizeof(err)), 1);
	assert_string_equal(err, "File?? not foun");    /* printable, cut to 15 + NUL */
	assert_int_equal(dl_info_line("TFTP error: x\nsecond", 20, &bs, err, sizeof(err)), 1);
	assert_string_equal(err, "x");                  /* one line only */
	assert_int_equal(dl_info_line("Trying 198.51.100.10:69...", 26, &bs, err, sizeof(err)), 0);
	assert_int_equal(dl_info_line(NULL, 5, &bs, err, sizeof(err)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bound_exact),
		cmocka_unit_test(test_one_chunk_above),
		cmocka_unit_test(test_growth_capped),
		cmocka_unit_test(test_announced),
		cmocka_unit_test(test_info_blksize),
		cmocka_unit_test(test_info_tftp_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
