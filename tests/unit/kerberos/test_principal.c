/* test_principal.c: principal names: every IPv6 example of spec 6.1.3, the
 * B7 case reading (emit lower, accept both), the A5 service principals, and
 * each refusal by its named reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "kerberos/principal.h"
#include "platform/err.h"

/* 805B:2D9D:DC28:0000:0000:FC57:D4C8:1FFF, the spec's valid example */
static const uint8_t spec_v6[16] = { 0x80, 0x5b, 0x2d, 0x9d, 0xdc, 0x28, 0, 0,
				     0, 0, 0xfc, 0x57, 0xd4, 0xc8, 0x1f, 0xff };

static void test_spec_valid_example(void **state)
{
	struct princ p;
	char out[PRINC_TEXT_MAX];

	(void)state;
	/* 6.1.3: "df/[805B:2D9D:DC28:0000:0000:FC57:D4C8:1FFF] is a valid
	 * representation" -- accepted as written (upper-case, B7) */
	assert_int_equal(princ_parse("df/[805B:2D9D:DC28:0000:0000:FC57:D4C8:1FFF]", &p), PRINC_OK);
	assert_string_equal(p.service, "df");
	assert_true(p.host_is_v6);
	assert_memory_equal(p.v6, spec_v6, 16);
	assert_string_equal(p.realm, "");
	/* ... and in the ABNF's own lower-case */
	assert_int_equal(princ_parse("df/[805b:2d9d:dc28:0000:0000:fc57:d4c8:1fff]", &p), PRINC_OK);
	assert_memory_equal(p.v6, spec_v6, 16);
	/* the canonical (emitted) form is lower-case: B7 */
	assert_int_equal(princ_canon("df/[805B:2D9D:DC28:0000:0000:FC57:D4C8:1FFF]", out, sizeof(out)),
			 44);
	assert_string_equal(out, "df/[805b:2d9d:dc28:0000:0000:fc57:d4c8:1fff]");
}

static void test_spec_invalid_examples(void **state)
{
	(void)state;
	/* 6.1.3 "Examples of invalid Principal Names", each with its reason */
	assert_int_equal(princ_parse("df/[FF00:4501::32]", NULL), PRINC_V6_COMPRESSED);
	assert_int_equal(princ_parse("df/[0:0:0:0:0:FFFF:129.144.52.38]", NULL), PRINC_V6_IPV4);
	assert_int_equal(princ_parse("df/[805B:2D9D:DC28:0:0:FC57:D4C8:1FFF]", NULL),
			 PRINC_V6_SHORT_GROUP);
	/* none of them can be formatted either */
	{
		char out[PRINC_TEXT_MAX];

		assert_int_equal(princ_format(out, sizeof(out), "df", "[FF00:4501::32]", NULL), E_INVAL);
		assert_string_equal(out, "");
	}
}

static void test_ipv6_format(void **state)
{
	static const uint8_t zero[16];
	char out[PRINC_IPV6_TEXT_LEN + 1];
	uint8_t back[16];

	(void)state;
	assert_int_equal(princ_ipv6_format(spec_v6, out, sizeof(out)), PRINC_IPV6_TEXT_LEN);
	assert_string_equal(out, "[805b:2d9d:dc28:0000:0000:fc57:d4c8:1fff]");
	assert_int_equal(princ_ipv6_check(out, strlen(out), back), PRINC_OK);
	assert_memory_equal(back, spec_v6, 16);
	/* all zeros: still 8 full groups, never "::" */
	assert_int_equal(princ_ipv6_format(zero, out, sizeof(out)), PRINC_IPV6_TEXT_LEN);
	assert_string_equal(out, "[0000:0000:0000:0000:0000:0000:0000:0000]");
	/* one byte short of room */
	assert_int_equal(princ_ipv6_format(spec_v6, out, PRINC_IPV6_TEXT_LEN), E_OVERFLOW);
	assert_string_equal(out, "");
}

static void test_ipv6_rejections(void **state)
{
	static const struct {
		const char *s;
		int why;
	} bad[] = {
		{ "805b:2d9d:dc28:0000:0000:fc57:d4c8:1fff", PRINC_V6_BRACKETS },
		{ "[805b:2d9d:dc28:0000:0000:fc57:d4c8:1fff", PRINC_V6_BRACKETS },
		{ "805b:2d9d:dc28:0000:0000:fc57:d4c8:1fff]", PRINC_V6_BRACKETS },
		{ "[]", PRINC_V6_SHORT_GROUP },
		{ "[::]", PRINC_V6_COMPRESSED },
		{ "[805b:2d9d:dc28:0000:0000:fc57:d4c8]", PRINC_V6_GROUPS },
		{ "[805b:2d9d:dc28:0000:0000:fc57:d4c8:1fff:0000]", PRINC_V6_GROUPS },
		{ "[805b:2d9d:dc28:0000:0000:fc57:d4c8:01fff]", PRINC_V6_LONG_GROUP },
		{ "[805g:2d9d:dc28:0000:0000:fc57:d4c8:1fff]", PRINC_V6_DIGIT },
		{ "[805b:2d9d:dc28:0000:0000:fc57:d4c8:1ff ]", PRINC_V6_DIGIT },
		{ "[805b:2d9d:dc28:0000:0000:fc57:d4c8:]", PRINC_V6_SHORT_GROUP },
		{ "[:2d9d:dc28:0000:0000:fc57:d4c8:1fff]", PRINC_V6_SHORT_GROUP },
		{ "[0000:0000:0000:0000:0000:ffff:8190:3426.]", PRINC_V6_IPV4 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint8_t a[16] = { 0x55 };

		assert_int_equal(princ_ipv6_check(bad[i].s, strlen(bad[i].s), a), bad[i].why);
		assert_int_equal(a[0], 0x55);   /* nothing written on refusal */
	}
}

static void test_service_principals(void **state)
{
	char out[PRINC_TEXT_MAX];
	struct princ p;

	(void)state;
	/* A5: the provisioning server and the eUE client (reconstruction) */
	assert_int_equal(princ_provsrv(out, sizeof(out), "prov.example.com", "EXAMPLE.COM"),
			 (int)strlen("mtaprovsrvr/prov.example.com@EXAMPLE.COM"));
	assert_string_equal(out, "mtaprovsrvr/prov.example.com@EXAMPLE.COM");
	assert_int_equal(princ_client(out, sizeof(out), "Eue-01.Example.COM", "EXAMPLE.COM"),
			 (int)strlen("mta/eue-01.example.com@EXAMPLE.COM"));
	assert_string_equal(out, "mta/eue-01.example.com@EXAMPLE.COM");   /* host lower-cased */
	assert_int_equal(princ_parse(out, &p), PRINC_OK);
	assert_string_equal(p.service, PRINC_CLIENT_SERVICE);
	assert_string_equal(p.host, "eue-01.example.com");
	assert_string_equal(p.realm, "EXAMPLE.COM");
	assert_false(p.host_is_v6);
	/* an address-only eUE in IPv6 mode: the 6.1.3 form */
	assert_int_equal(princ_format_v6(out, sizeof(out), PRINC_CLIENT_SERVICE, spec_v6,
					 "EXAMPLE.COM"), 57);
	assert_string_equal(out, "mta/[805b:2d9d:dc28:0000:0000:fc57:d4c8:1fff]@EXAMPLE.COM");
	/* the reference's Wake Up example parses */
	assert_int_equal(princ_parse("mtaprovsrvr/prov.example.com@EXAMPLE.COM", NULL), PRINC_OK);
	/* a dotted IPv4 host is a host */
	assert_int_equal(princ_format(out, sizeof(out), "mta", "192.0.2.10", "R"), 16);
	/* output buffer one byte short */
	assert_int_equal(princ_provsrv(out, 40, "prov.example.com", "EXAMPLE.COM"), E_OVERFLOW);
	assert_int_equal(princ_provsrv(out, 41, "prov.example.com", "EXAMPLE.COM"), 40);
}

static void test_name_rejections(void **state)
{
	char longhost[300], text[400], out[PRINC_TEXT_MAX];
	size_t i;

	(void)state;
	assert_int_equal(princ_parse("", NULL), PRINC_EMPTY);
	assert_int_equal(princ_parse(NULL, NULL), PRINC_EMPTY);
	assert_int_equal(princ_parse("/host@R", NULL), PRINC_EMPTY);
	assert_int_equal(princ_parse("svc/@R", NULL), PRINC_EMPTY);
	assert_int_equal(princ_parse("svc/host@", NULL), PRINC_EMPTY);
	assert_int_equal(princ_parse("svc", NULL), PRINC_COMPONENTS);
	assert_int_equal(princ_parse("svc@R/host", NULL), PRINC_COMPONENTS);
	assert_int_equal(princ_parse("a/b/c@R", NULL), PRINC_COMPONENTS);
	assert_int_equal(princ_parse("a/b@R@S", NULL), PRINC_COMPONENTS);
	assert_int_equal(princ_parse("svc/host@example.com", NULL), PRINC_BAD_REALM);
	assert_int_equal(princ_parse("svc/host@.EXAMPLE", NULL), PRINC_BAD_REALM);
	assert_int_equal(princ_parse("svc/ho st@R", NULL), PRINC_BAD_CHAR);
	assert_int_equal(princ_parse("svc/ho\\/st@R", NULL), PRINC_BAD_CHAR);
	assert_int_equal(princ_parse("svc/h\xc3\xa9@R", NULL), PRINC_BAD_CHAR);
	assert_int_equal(princ_parse("svc/host_1@R", NULL), PRINC_BAD_HOST);
	assert_int_equal(princ_parse("svc/-host@R", NULL), PRINC_BAD_HOST);
	assert_int_equal(princ_parse("svc/host-@R", NULL), PRINC_BAD_HOST);
	assert_int_equal(princ_parse("svc/a..b@R", NULL), PRINC_BAD_HOST);
	assert_int_equal(princ_parse("svc/host.@R", NULL), PRINC_BAD_HOST);
	/* a 64-byte label */
	memset(longhost, 'a', 64);
	longhost[64] = '\0';
	snprintf(text, sizeof(text), "svc/%s@R", longhost);
	assert_int_equal(princ_parse(text, NULL), PRINC_BAD_HOST);
	longhost[63] = '\0';
	snprintf(text, sizeof(text), "svc/%s@R", longhost);
	assert_int_equal(princ_parse(text, NULL), PRINC_OK);
	/* the whole text: 255 bytes accepted, 256 refused */
	for (i = 0; i < 250; i++)
		longhost[i] = (i % 50 == 49) ? '.' : 'b';
	longhost[249] = 'b';
	longhost[250] = '\0';
	snprintf(text, sizeof(text), "s/%s@RRR", longhost);   /* 2 + 250 + 4 = 256 */
	assert_int_equal(princ_parse(text, NULL), PRINC_TOO_LONG);
	snprintf(text, sizeof(text), "s/%s@RR", longhost);    /* 255 */
	assert_int_equal(princ_parse(text, NULL), PRINC_OK);
	assert_int_equal(princ_format(out, sizeof(out), "s", longhost, "RRR"), E_INVAL);
	/* every reason has a name */
	for (i = 0; i < PRINC__COUNT; i++)
		assert_string_not_equal(princ_why_str((int)i), "unknown");
	assert_string_equal(princ_why_str(PRINC__COUNT), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_valid_example),
		cmocka_unit_test(test_spec_invalid_examples),
		cmocka_unit_test(test_ipv6_format),
		cmocka_unit_test(test_ipv6_rejections),
		cmocka_unit_test(test_service_principals),
		cmocka_unit_test(test_name_rejections),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
