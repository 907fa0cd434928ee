/*
 * test_cfgurl.c: every accepted and refused form of pktcMtaDevConfigFile
 * (spec eUE-19 notes 1..3, RFC 3617, RFC 3986), and the Basic-flow
 * builders (siaddr + file; CL options 32 + 33).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "eue/cfgurl.h"
#include "platform/err.h"

static int parse(struct cfgurl *u, const char *s, const char **why)
{
	return cfgurl_parse(u, s, strlen(s), why);
}

static void test_spec_ipv6_literal(void **state)
{
	static const uint8_t a[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 5 };
	struct cfgurl u;
	const char *why = "x";
	char buf[300];

	(void)state;
	/* the example of eUE-19 note 3 (RFC 3986 bracket form) */
	assert_int_equal(parse(&u, "tftp://[2001:db8::5]/eue.bin", &why), 0);
	assert_null(why);
	assert_int_equal(u.scheme, CFGURL_TFTP);
	assert_int_equal(u.host_kind, CFGURL_HOST_IPV6);
	assert_memory_equal(u.addr, a, 16);
	assert_string_equal(u.host, "2001:db8::5");
	assert_int_equal(u.port, 69);
	assert_int_equal(u.port_given, 0);
	assert_string_equal(u.file, "eue.bin");
	assert_string_equal(u.path, "/eue.bin");
	assert_int_equal(cfgurl_format(&u, buf, sizeof(buf)), 28);
	assert_string_equal(buf, "tftp://[2001:db8::5]/eue.bin");
}

static void test_accepted(void **state)
{
	struct cfgurl u;
	const char *why;

	(void)state;
	assert_int_equal(parse(&u, "tftp://198.51.100.10/cfg/eue-1.bin", &why), 0);
	assert_int_equal(u.host_kind, CFGURL_HOST_IPV4);
	assert_int_equal(u.addr[0], 198);
	assert_int_equal(u.addr[3], 10);
	assert_string_equal(u.file, "cfg/eue-1.bin");

	assert_int_equal(parse(&u, "TFTP://[2001:DB8::5]:6969/a%20b%2Fc.bin;MODE=Octet", &why), 0);
	assert_int_equal(u.port, 6969);
	assert_int_equal(u.port_given, 1);
	assert_int_equal(u.netascii, 0);
	assert_string_equal(u.file, "a b/c.bin");
	assert_string_equal(u.path, "/a%20b%2Fc.bin");

	assert_int_equal(parse(&u, "tftp://tftp.example.net./eue.cfg;mode=netascii", &why), 0);
	assert_int_equal(u.host_kind, CFGURL_HOST_FQDN);
	assert_string_equal(u.host, "tftp.example.net");
	assert_int_equal(u.netascii, 1);

	assert_int_equal(parse(&u, "http://Prov.Example.NET:8080/dir/eue.bin?mac=0201&x=1", &why), 0);
	assert_int_equal(u.scheme, CFGURL_HTTP);
	assert_string_equal(u.host, "prov.example.net");
	assert_int_equal(u.port, 8080);
	assert_string_equal(u.path, "/dir/eue.bin?mac=0201&x=1");
	assert_string_equal(u.file, "/dir/eue.bin");

	assert_int_equal(parse(&u, "http://[::1]/", &why), 0);
	assert_int_equal(u.port, 80);
	assert_string_equal(u.path, "/");

	/* an empty port means the default (RFC 3986 3.2.3) */
	assert_int_equal(parse(&u, "http://10.0.0.1:/x", &why), 0);
	assert_int_equal(u.port, 80);
	assert_int_equal(u.port_given, 0);

	/* a leading slash of the file name survives (RFC 3617: the file is
	 * the path after the first '/') */
	assert_int_equal(parse(&u, "tftp://10.0.0.1//tftpboot/x.bin", &why), 0);
	assert_string_equal(u.file, "/tftpboot/x.bin");

	/* a label may start with a digit (RFC 1123 2.1) */
	assert_int_equal(parse(&u, "tftp://3com.example/x", &why), 0);
	assert_int_equal(u.host_kind, CFGURL_HOST_FQDN);
}

struct bad { const char *url; int rc; const char *why; };

static void test_refused(void **state)
{
	static char longurl[400], longlabel[120];
	static const struct bad cases[] = {
		{ "ftp://10.0.0.1/x", E_UNSUPPORTED, "scheme not tftp or http" },
		{ "https://10.0.0.1/x", E_UNSUPPORTED, "scheme not tftp or http" },
		{ "tftp:/10.0.0.1/x", E_PROTO, "not an absolute URL (scheme://host/...)" },
		{ "10.0.0.1/x", E_PROTO, "not an absolute URL (scheme://host/...)" },
		{ "", E_PROTO, "not an absolute URL (scheme://host/...)" },
		{ "tftp://user@10.0.0.1/x", E_PROTO, "userinfo not allowed" },
		{ "http://u:p@host.example/x", E_PROTO, "userinfo not allowed" },
		{ "tftp://10.0.0.1", E_PROTO, "no path" },
		{ "http://10.0.0.1?x", E_PROTO, "no path" },
		{ "tftp://10.0.0.1/", E_PROTO, "empty file name" },
		{ "tftp://10.0.0.1/;mode=octet", E_PROTO, "empty file name" },
		{ "tftp:///x", E_PROTO, "empty host" },
		{ "tftp://:69/x", E_PROTO, "empty host" },
		{ "tftp://10.0.0.1:0/x", E_RANGE, "bad port" },
		{ "tftp://10.0.0.1:65536/x", E_RANGE, "bad port" },
		{ "tftp://10.0.0.1:0000069/x", E_RANGE, "bad port" },
		{ "tftp://10.0.0.1:-1/x", E_PROTO, "bad port" },
		{ "tftp://10.0.0.1:6a/x", E_PROTO, "bad port" },
		{ "tftp://10.0.0.1:69:70/x", E_PROTO, "bad port" },
		{ "tftp://[2001:db8::5/x", E_PROTO, "unterminated IPv6 literal" },
		{ "tftp://[2001:db8::5]x/x", E_PROTO, "junk after IPv6 literal" },
		{ "tftp://[2001:db8::g]/x", E_PROTO, "malformed IPv6 address" },
		{ "tftp://[10.0.0.1]/x", E_PROTO, "malformed IPv6 address" },
		{ "tftp://[fe80::1%25eth0]/x", E_UNSUPPORTED, "IPv6 zone identifiers not supported" },
		{ "tftp://[v1.fe80::a]/x", E_UNSUPPORTED, "IPvFuture literals not supported" },
		{ "tftp://2001:db8::5/x", E_PROTO, "bad port" },
		{ "tftp://10.0.0.256/x", E_PROTO, "malformed IPv4 address" },
		{ "tftp://10.0.1/x", E_PROTO, "malformed IPv4 address" },
		{ "tftp://010.0.0.1.2/x", E_PROTO, "malformed IPv4 address" },
		{ "tftp://-a.example/x", E_PROTO, "bad label in host name" },
		{ "tftp://a-.example/x", E_PROTO, "bad label in host name" },
		{ "tftp://a..example/x", E_PROTO, "bad label in host name" },
		{ "tftp://a..example/x", E_PROTO, "bad label in host name" },
		/* found by fuzz_cfgurl: two final dots passed and did not round-trip */
		{ "tftp://09t5..:696/9c", E_PROTO, "bad label in host name" },
		{ "tftp://a_b.example/x", E_PROTO, "bad character in host" },
		{ "tftp://a%41.example/x", E_PROTO, "bad character in host" },
		{ "tftp://10.0.0.1/a b", E_PROTO, "space, control or non-ASCII byte in URL" },
		{ "tftp://10.0.0.1/a\tb", E_PROTO, "space, control or non-ASCII byte in URL" },
		{ "tftp://10.0.0.1/caf\xc3\xa9", E_PROTO, "space, control or non-ASCII byte in URL" },
		{ "tftp://10.0.0.1/a%00b", E_PROTO, "NUL or control character in file name" },
		{ "tftp://10.0.0.1/a%0Ab", E_PROTO, "NUL or control character in file name" },
		{ "tftp://10.0.0.1/a%7f", E_PROTO, "NUL or control character in file name" },
		{ "tftp://10.0.0.1/a%4", E_PROTO, "bad percent-escape" },
		{ "tftp://10.0.0.1/a%zz", E_PROTO, "bad percent-escape" },
		{ "tftp://10.0.0.1/a<b", E_PROTO, "bad character in path" },
		{ "tftp://10.0.0.1/x#frag", E_PROTO, "fragment not allowed" },
		{ "http://10.0.0.1/x#frag", E_PROTO, "fragment not allowed" },
		{ "tftp://10.0.0.1/x?y", E_PROTO, "query not allowed in a tftp URL" },
		{ "tftp://10.0.0.1/x;mode=mail", E_UNSUPPORTED, "tftp mode not octet or netascii" },
		{ "tftp://10.0.0.1/x;type=i", E_PROTO, "';' in a tftp file name (only ;mode= allowed)" },
	};
	struct cfgurl u;
	const char *why;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = parse(&u, cases[i].url, &why);

		if (rc != cases[i].rc || why == NULL || strcmp(why, cases[i].why) != 0)
			fail_msg("%s: rc %d why \"%s\", want %d \"%s\"", cases[i].url, rc,
				 why ? why : "(null)", cases[i].rc, cases[i].why);
		assert_int_equal(u.scheme, 0);    /* nothing left half-filled */
	}

	/* a NUL inside the given length */
	assert_int_equal(cfgurl_parse(&u, "tftp://10.0.0.1/a\0b", 19, &why), E_PROTO);
	assert_string_equal(why, "NUL in URL");
	assert_int_equal(cfgurl_parse(&u, NULL, 0, &why), E_INVAL);

	/* 255 bytes pass, 256 do not (SnmpAdminString) */
	memcpy(longurl, "tftp://10.0.0.1/", 16);
	memset(longurl + 16, 'a', 255 - 16);
	assert_int_equal(cfgurl_parse(&u, longurl, 255, &why), 0);
	assert_int_equal(strlen(u.file), 255 - 16);
	longurl[255] = 'a';
	assert_int_equal(cfgurl_parse(&u, longurl, 256, &why), E_OVERFLOW);
	assert_string_equal(why, "URL longer than 255 bytes");

	/* a 64-byte label */
	memcpy(longlabel, "tftp://", 7);
	memset(longlabel + 7, 'a', 64);
	memcpy(longlabel + 71, ".example/x", 11);
	assert_int_equal(parse(&u, longlabel, &why), E_RANGE);
	assert_string_equal(why, "host name label longer than 63 bytes");
	longlabel[7] = '.';
	assert_int_equal(parse(&u, longlabel + 0, &why), E_PROTO);   /* ".aaa" empty label */

	/* why may be NULL */
	assert_int_equal(parse(&u, "gopher://x/y", NULL), E_UNSUPPORTED);
}

static void test_long_host(void **state)
{
	char url[300];
	struct cfgurl u;
	const char *why;
	int i, n = 0;

	(void)state;
	/* 4 x 63-byte labels + dots = 255 > 253 */
	n += snprintf(url + n, sizeof(url) - (size_t)n, "http://");
	for (i = 0; i < 4; i++) {
		memset(url + n, 'b', 63);
		n += 63;
		url[n++] = i < 3 ? '.' : '/';
	}
	url[n] = '\0';
	/* 7 + 255 + "/" is over the URL limit already: cut the labels */
	assert_int_equal(parse(&u, url, &why), E_OVERFLOW);
	/* 246 bytes of host: accepted */
	n = snprintf(url, sizeof(url), "http://");
	for (i = 0; i < 3; i++) {
		memset(url + n, 'c', 63);
		n += 63;
		url[n++] = '.';
	}
	memset(url + n, 'd', 50);
	n += 50;
	url[n++] = '/';
	url[n] = '\0';
	assert_int_equal(parse(&u, url, &why), 0);
	assert_int_equal(strlen(u.host), 3 * 64 + 50);
}

static void test_encode(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(cfgurl_encode_file("dir/a b;c%d#e?.bin", buf, sizeof(buf)), 28);
	assert_string_equal(buf, "dir/a%20b%3Bc%25d%23e%3F.bin");
	assert_int_equal(cfgurl_encode_file("\xff", buf, sizeof(buf)), 3);
	assert_string_equal(buf, "%FF");
	assert_int_equal(cfgurl_encode_file("abcd", buf, 4), E_OVERFLOW);
	assert_int_equal(cfgurl_encode_file("abc", buf, 4), 3);
	assert_int_equal(cfgurl_encode_file(" ", buf, 3), E_OVERFLOW);
}

static void test_basic4(void **state)
{
	struct cfgurl u;
	const char *why;
	char buf[300];

	(void)state;
	assert_int_equal(cfgurl_basic4(&u, 0xC6336414u, "eue config;1.bin", &why), 0);
	assert_int_equal(cfgurl_format(&u, buf, sizeof(buf)), 41);
	assert_string_equal(buf, "tftp://198.51.100.20/eue%20config%3B1.bin");
	assert_string_equal(u.file, "eue config;1.bin");
	assert_int_equal(u.host_kind, CFGURL_HOST_IPV4);

	assert_int_equal(cfgurl_basic4(&u, 0, "x", &why), E_NOTFOUND);
	assert_string_equal(why, "no TFTP server (siaddr 0.0.0.0 or broadcast)");
	assert_int_equal(cfgurl_basic4(&u, 0xffffffffu, "x", &why), E_NOTFOUND);
	assert_int_equal(cfgurl_basic4(&u, 0x0a000001u, "", &why), E_NOTFOUND);
	assert_string_equal(why, "no configuration file name");
	assert_int_equal(cfgurl_basic4(&u, 0x0a000001u, "a\nb", &why), E_PROTO);
	assert_string_equal(why, "NUL or control character in file name");
	assert_int_equal(cfgurl_basic4(&u, 0x0a000001u, "a", NULL), 0);
	assert_int_equal(cfgurl_format(&u, buf, 10), E_OVERFLOW);
}

static void test_basic6_list(void **state)
{
	static const uint8_t s1[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x51, [15] = 0x10 };
	static const uint8_t s2[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x52, [15] = 0x11 };
	static const uint8_t mc[16] = { 0xff, 0x02, [15] = 1 };
	static const uint8_t zero[16];
	struct cl_opts cl;
	struct cfgurl u[4];
	const char *why;
	char buf[300];

	(void)state;
	cl_init(&cl);
	assert_int_equal(cfgurl_basic6_list(u, 4, &cl, &why), E_NOTFOUND);
	assert_string_equal(why, "no TFTP servers (CableLabs option 32)");
	cl_set(&cl, CL_F_TFTP6);
	cl.tftp6.n = 4;
	memcpy(cl.tftp6.a[0], s1, 16);
	memcpy(cl.tftp6.a[1], mc, 16);
	memcpy(cl.tftp6.a[2], zero, 16);
	memcpy(cl.tftp6.a[3], s2, 16);
	assert_int_equal(cfgurl_basic6_list(u, 4, &cl, &why), E_NOTFOUND);
	assert_string_equal(why, "no configuration file name (CableLabs option 33)");
	cl_set(&cl, CL_F_CFG_FILE);
	memcpy(cl.cfg_file.s, "eue 6.bin", 9);
	cl.cfg_file.len = 9;
	/* multicast and :: are skipped; the order of option 32 is kept */
	assert_int_equal(cfgurl_basic6_list(u, 4, &cl, &why), 2);
	assert_int_equal(cfgurl_format(&u[0], buf, sizeof(buf)) > 0, 1);
	assert_string_equal(buf, "tftp://[2001:db8:51::10]/eue%206.bin");
	assert_int_equal(cfgurl_format(&u[1], buf, sizeof(buf)) > 0, 1);
	assert_string_equal(buf, "tftp://[2001:db8:52::11]/eue%206.bin");
	assert_memory_equal(u[1].addr, s2, 16);
	assert_string_equal(u[1].file, "eue 6.bin");
	/* cap bounds the output */
	assert_int_equal(cfgurl_basic6_list(u, 1, &cl, &why), 1);
	/* none usable */
	cl.tftp6.n = 2;
	memcpy(cl.tftp6.a[0], zero, 16);
	assert_int_equal(cfgurl_basic6_list(u, 4, &cl, &why), 0);
	assert_string_equal(why, "unusable TFTP server address (:: or multicast)");
	/* a NUL inside option 33 */
	cl.tftp6.n = 1;
	memcpy(cl.tftp6.a[0], s1, 16);
	cl.cfg_file.s[2] = '\0';
	assert_int_equal(cfgurl_basic6_list(u, 4, &cl, &why), E_PROTO);
	assert_string_equal(why, "NUL in configuration file name (CableLabs option 33)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_ipv6_literal),
		cmocka_unit_test(test_accepted),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_long_host),
		cmocka_unit_test(test_encode),
		cmocka_unit_test(test_basic4),
		cmocka_unit_test(test_basic6_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
