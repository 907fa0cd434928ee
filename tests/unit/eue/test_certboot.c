/*
 * test_certboot.c: the pure parts of eue/certboot.c: the URL of
 * pktcEUECBData (this product's interpretation, certboot.h), the board
 * files it takes (those PKINIT uses), the names of the reasons, and the
 * suites this build offers (never a NULL one).  The TLS exchange itself is
 * tested against real servers in test_os_certboot.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "eue/certboot.h"
#include "platform/board.h"
#include "platform/err.h"

static int parse(struct certboot_url *u, const char *s, const char **why)
{
	return certboot_url_parse(s, strlen(s), u, why);
}

static void test_url_fqdn(void **state)
{
	struct certboot_url u;
	const char *why = "x";

	(void)state;
	assert_int_equal(parse(&u, "https://cbs.example.net/eue/profile.xml", &why), 0);
	assert_null(why);
	assert_string_equal(u.host, "cbs.example.net");
	assert_int_equal(u.literal, 0);
	assert_int_equal(u.addr.family, 0);
	assert_int_equal(u.port, 443);
	assert_string_equal(u.path, "/eue/profile.xml");
	assert_int_equal(parse(&u, "HTTPS://cbs.example.net:8443", &why), 0);
	assert_int_equal(u.port, 8443);
	assert_string_equal(u.path, "/");
	assert_int_equal(parse(&u, "https://cbs.example.net?mac=020000000e01", &why), 0);
	assert_string_equal(u.path, "/?mac=020000000e01");
}

static void test_url_literals(void **state)
{
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 7 };
	struct certboot_url u;

	(void)state;
	assert_int_equal(parse(&u, "https://192.0.2.7:4443/p", NULL), 0);
	assert_int_equal(u.literal, 1);
	assert_int_equal(u.addr.family, AF_INET);
	assert_int_equal(u.addr.port, 4443);
	assert_string_equal(u.host, "192.0.2.7");
	assert_int_equal(parse(&u, "https://[2001:db8::7]/p", NULL), 0);
	assert_int_equal(u.literal, 1);
	assert_int_equal(u.addr.family, AF_INET6);
	assert_memory_equal(u.addr.addr, v6, 16);
	assert_int_equal(u.addr.port, 443);
	assert_string_equal(u.host, "2001:db8::7");
	assert_int_equal(parse(&u, "https://[2001:db8::7]:444", NULL), 0);
	assert_int_equal(u.port, 444);
}

static void test_url_refused(void **state)
{
	static const char *const bad[] = {
		"http://cbs.example.net/p",          /* TLS is the point */
		"tftp://cbs.example.net/p",
		"https://",
		"https:///p",
		"https://user:pw@cbs.example.net/p", /* userinfo */
		"https://cbs.example.net/p#frag",
		"https://cbs.example.net:/p",
		"https://cbs.example.net:0/p",
		"https://cbs.example.net:65536/p",
		"https://cbs.example.net:123456/p",
		"https://cbs.example.net:8x/p",
		"https://2001:db8::7/p",             /* IPv6 needs brackets */
		"https://[2001:db8::7/p",
		"https://[192.0.2.7]/p",
		"https://[2001:db8::7]x/p",
		"https://[fe80::1%eth0]/p",
		"https://cbs..example.net/p",
		"https://-cbs.example.net/p",
		"https://cbs-.example.net/p",
		"https://cbs_x.example.net/p",
		"https://1.2.3.4.5/p",               /* numeric but not an address */
		"https://cbs.example.net/a b",
		"https://cbs.example.net/a\r\nX: y",
	};
	struct certboot_url u;
	char longurl[1100];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *why = NULL;
		int rc = parse(&u, bad[i], &why);

		if (rc == 0)
			fail_msg("accepted: %s", bad[i]);
		assert_non_null(why);
	}
	memset(longurl, 'a', sizeof(longurl) - 1);
	memcpy(longurl, "https://x/", 10);
	longurl[sizeof(longurl) - 1] = '\0';
	assert_int_equal(parse(&u, longurl, NULL), E_RANGE);
	/* a label of 64 */
	(void)snprintf(longurl, sizeof(longurl), "https://%064d.example.net/", 0);
	assert_int_equal(parse(&u, longurl, NULL), E_PROTO);
}

static void test_config_from_board(void **state)
{
	struct board_conf b;
	struct certboot_config c;

	(void)state;
	memset(&b, 0, sizeof(b));
	strcpy(b.cert_device, "/etc/eue/certs/device.pem");
	strcpy(b.key_device, "/etc/eue/certs/device.key");
	strcpy(b.cert_mfg, "/etc/eue/certs/mfg.pem");
	strcpy(b.cert_kdc_root, "/etc/eue/certs/sp-root.pem");
	certboot_config_from_board(&c, &b);
	assert_string_equal(c.cert_file, b.cert_device);
	assert_string_equal(c.key_file, b.key_device);
	assert_string_equal(c.chain[0], b.cert_mfg);
	assert_null(c.chain[1]);
	assert_string_equal(c.ca_file, b.cert_kdc_root);
	assert_int_equal(c.no_name_check, 0);
	b.cert_mfg[0] = '\0';
	certboot_config_from_board(&c, &b);
	assert_null(c.chain[0]);
	/* cert_cb_root, when given, is the bootstrapping server's root (not the KDC's) */
	strcpy(b.cert_cb_root, "/etc/eue/certs/cb-root.pem");
	certboot_config_from_board(&c, &b);
	assert_string_equal(c.ca_file, b.cert_cb_root);
	assert_string_equal(c.cert_file, b.cert_device);
}

static void test_names_and_suites(void **state)
{
	const char *s = certboot_suites();

	(void)state;
	assert_string_equal(certboot_reason_str(CB_R_SERVER_UNTRUSTED), "server-untrusted");
	assert_string_equal(certboot_reason_str(CB_R_NO_CIPHER), "no-common-cipher");
	assert_string_equal(certboot_reason_str(CB_R__COUNT), "?");
	assert_string_equal(certboot_reason_str(-1), "?");
	/* TLS_RSA_WITH_AES_128_CBC_SHA always; 3DES where OpenSSL still has it */
	assert_non_null(strstr(s, "AES128-SHA"));
	assert_null(strstr(s, "NULL"));
	assert_null(strstr(s, "TLS_AES"));   /* no TLS 1.3 suites */
	print_message("offered: %s\n", s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url_fqdn),
		cmocka_unit_test(test_url_literals),
		cmocka_unit_test(test_url_refused),
		cmocka_unit_test(test_config_from_board),
		cmocka_unit_test(test_names_and_suites),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
