/* test_board.c: board.conf parsing, and the errors that name a line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "platform/board.h"
#include "platform/err.h"

static const char good[] =
	"# comment\n"
	"name = lab\n"
	"ecm_mac = 02:00:00:00:0c:01\n"
	"eue_mac = 02-00-00-00-0E-01   # trailing comment\n"
	"serial_number = \"SN 0001\"\n"
	"vendor_oui = 00:10:95\n"
	"ecm_interface = eue-cm\n"
	"eue_interface = eue-ue\n"
	"eue_ip_capability = ipv4\n"
	"nvram_dir = /tmp/nv\r\n"
	"battery = yes\n"
	"cert_kdc_root = /etc/eue/certs/sp-root.pem\n"
	"cert_cb_root =\n"
	"snmp_rw_community = \"s3cret\"\n";

static void test_parse_good(void **state)
{
	struct board_conf b;
	unsigned line;
	static const uint8_t ecm[6] = { 2, 0, 0, 0, 0x0c, 1 }, eue[6] = { 2, 0, 0, 0, 0x0e, 1 };
	static const uint8_t oui[3] = { 0, 0x10, 0x95 };

	(void)state;
	assert_int_equal(board_parse(&b, good, sizeof(good) - 1, &line), 0);
	assert_string_equal(b.name, "lab");
	assert_memory_equal(b.ecm_mac, ecm, 6);
	assert_memory_equal(b.eue_mac, eue, 6);
	assert_memory_equal(b.oui, oui, 3);
	assert_string_equal(b.serial, "SN 0001");
	assert_string_equal(b.nvram_dir, "/tmp/nv");
	assert_int_equal(b.eue_ip_cap, BOARD_IP_V4);
	assert_int_equal(b.ecm_ip_mode, BOARD_IP_V6);   /* the default */
	assert_int_equal(b.has_battery, 1);
	/* A9 (Basic/Hybrid SNMPv2c): the read-only community defaults, the
	 * read-write one is the board's */
	assert_string_equal(b.snmp_ro_community, "public");
	assert_string_equal(b.snmp_rw_community, "s3cret");
	/* an empty value is "" (cert_cb_root: then cert_kdc_root serves, certboot.c) */
	assert_string_equal(b.cert_kdc_root, "/etc/eue/certs/sp-root.pem");
	assert_string_equal(b.cert_cb_root, "");
}

static void expect_error(const char *text, int rc, unsigned line_expected)
{
	struct board_conf b;
	unsigned line;

	assert_int_equal(board_parse(&b, text, strlen(text), &line), rc);
	assert_int_equal(line, line_expected);
}

static void test_errors_name_the_line(void **state)
{
	(void)state;
	expect_error("ecm_interface = a\nnvram_dir = /x\nbogus_key = 1\n", E_NOTFOUND, 3);
	expect_error("ecm_interface = a\necm_mac = 02:00:00:00:0c\n", E_PROTO, 2);
	expect_error("ecm_mac = 02:00:00:00:0c:0g\n", E_PROTO, 1);
	expect_error("ecm_mac = 02:00:00:00:0c:01:02\n", E_PROTO, 1);
	expect_error("a\n", E_PROTO, 1);
	expect_error("eue_ip_capability = ipv5\n", E_RANGE, 1);
	expect_error("name = 0123456789012345678901234567890123456789012345678901234567890123456789\n", E_OVERFLOW, 1);
	/* the interfaces and the nvram directory are required */
	expect_error("name = x\n", E_NOTFOUND, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_errors_name_the_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
