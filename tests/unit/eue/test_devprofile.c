/*
 * test_devprofile.c: the certificate bootstrapping device profile parser
 * (eue/devprofile.c): valid documents in the forms the XML subset allows,
 * one named test per refusal (DTDs and entity tricks, bounds, encoding,
 * schema rules), and the nvram storage (atomic, nothing stored for a
 * refused document, read back through the same parser).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eue/devprofile.h"
#include "platform/err.h"
#include "platform/nvram.h"

static struct devprofile prof;

#define USER1 "<User><IMPI>user1@ims.example.net</IMPI><Password>s3cret</Password>" \
	      "<IMPU>sip:+15551230001@ims.example.net</IMPU></User>"
#define DOC(body) "<pktcEUEDevProfile>" body "</pktcEUEDevProfile>"

static int parse_s(const char *s, struct dp_error *e)
{
	return devprofile_parse((const uint8_t *)s, strlen(s), &prof, e);
}

/* Expect a refusal with this devprofile code (and return code). */
static void refused(const char *doc, int code, int rc)
{
	struct dp_error e;
	int got = parse_s(doc, &e);

	if (got != rc || e.code != code)
		print_error("doc: %s\n got rc %d code %s (%s), want rc %d code %s\n", doc, got,
			    devprofile_err_str(e.code), e.why ? e.why : "", rc, devprofile_err_str(code));
	assert_int_equal(got, rc);
	assert_int_equal(e.code, code);
	assert_non_null(e.why);
	assert_true(e.line >= 1);
	/* nothing half-parsed is left behind */
	assert_int_equal(prof.n_users, 0);
	assert_int_equal(prof.cert_len, 0);
}

/* ---------------------------------------------------------------- valid */

static void test_minimal(void **state)
{
	struct dp_error e;

	(void)state;
	assert_int_equal(parse_s(DOC(USER1), &e), 0);
	assert_int_equal(e.code, DP_OK);
	assert_int_equal(prof.n_users, 1);
	assert_string_equal(prof.users[0].impi, "user1@ims.example.net");
	assert_string_equal(prof.users[0].password, "s3cret");
	assert_int_equal(prof.users[0].cred_type, DEVPROFILE_CRED_DIGEST);
	assert_int_equal(prof.users[0].n_impu, 1);
	assert_string_equal(prof.users[0].impu[0], "sip:+15551230001@ims.example.net");
	assert_int_equal(prof.has_device_creds, 0);
	assert_string_equal(prof.version, "");
	assert_int_equal(prof.unknown, 0);
}

static void test_full(void **state)
{
	/* BOM, declaration, namespace prefix, comments, references, base64
	 * with line breaks, unknown elements (skipped), two users */
	static const char doc[] =
		"\xef\xbb\xbf<?xml version=\"1.0\" encoding='utf-8'?>\n"
		"<!-- bootstrap server output -->\n"
		"<p:pktcEUEDevProfile xmlns:p=\"urn:example:devprofile\" version=\"1.0\">\n"
		"  <p:ProfileVersion> 2026.11 &amp; co </p:ProfileVersion>\n"
		"  <p:DeviceCredentials>\n"
		"    <p:Certificate>\n      AAECAwQF\n      BgcI\n    </p:Certificate>\n"
		"    <p:PrivateKey>q83v</p:PrivateKey>\n"
		"  </p:DeviceCredentials>\n"
		"  <p:Vendor a='1' b=\"&lt;x&gt;\"><p:Deep><p:Deeper>ignored text</p:Deeper></p:Deep></p:Vendor>\n"
		"  <p:User>\n"
		"    <p:IMPI>alice@ims.example.net</p:IMPI>\n"
		"    <p:CredentialsType>Digest</p:CredentialsType>\n"
		"    <p:Password>p&#x41;ss&#233;&lt;&gt;&quot;&apos;</p:Password>\n"
		"    <p:IMPU>sip:alice@ims.example.net</p:IMPU>\n"
		"    <p:IMPU>tel:+15551230002</p:IMPU>\n"
		"    <p:Future/>\n"
		"  </p:User>\n"
		"  <p:User><p:IMPI>bob@ims.example.net</p:IMPI><p:Password>b</p:Password>"
		"<p:IMPU>sips:bob@ims.example.net</p:IMPU></p:User>\n"
		"</p:pktcEUEDevProfile>\n<!-- trailing comment -->\n";
	static const uint8_t cert[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8 };
	static const uint8_t key[] = { 0xab, 0xcd, 0xef };
	struct dp_error e;

	(void)state;
	assert_int_equal(parse_s(doc, &e), 0);
	assert_string_equal(prof.version, "2026.11 & co");
	assert_int_equal(prof.has_device_creds, 1);
	assert_int_equal(prof.cert_len, sizeof(cert));
	assert_memory_equal(prof.cert_der, cert, sizeof(cert));
	assert_int_equal(prof.key_len, sizeof(key));
	assert_memory_equal(prof.key_der, key, sizeof(key));
	assert_int_equal(prof.n_users, 2);
	assert_string_equal(prof.users[0].password, "pAss\xc3\xa9<>\"'");
	assert_int_equal(prof.users[0].n_impu, 2);
	assert_string_equal(prof.users[0].impu[1], "tel:+15551230002");
	assert_string_equal(prof.users[1].impi, "bob@ims.example.net");
	assert_string_equal(prof.users[1].impu[0], "sips:bob@ims.example.net");
	assert_int_equal(prof.unknown, 4);   /* Vendor, Deep, Deeper, Future */
}

static void test_base64_padding(void **state)
{
	struct dp_error e;

	(void)state;
	assert_int_equal(parse_s(DOC("<DeviceCredentials><Certificate>AQ==</Certificate>"
				     "<PrivateKey>AQI=</PrivateKey></DeviceCredentials>" USER1), &e), 0);
	assert_int_equal(prof.cert_len, 1);
	assert_int_equal(prof.key_len, 2);
	assert_int_equal(prof.key_der[1], 2);
}

static void test_limits_exact(void **state)
{
	/* a 255-char IMPI, 8 IMPUs, 4 users, a 4096-byte certificate: all fit */
	static char doc[40000];
	char impi[256], der64[5500];
	size_t o = 0;
	unsigned u, k;

	(void)state;
	memset(impi, 'a', 255);
	impi[255] = '\0';
	memcpy(impi + 240, "@example.net", 12);
	for (k = 0; k < 4096 / 3 * 4 + 4; k++)   /* 4096 bytes = 1365 quanta + "AA==" */
		der64[k] = 'A';
	der64[4096 / 3 * 4 + 2] = '=';
	der64[4096 / 3 * 4 + 3] = '=';
	der64[4096 / 3 * 4 + 4] = '\0';
	o += (size_t)snprintf(doc + o, sizeof(doc) - o,
			      "<pktcEUEDevProfile><DeviceCredentials><Certificate>%s</Certificate>"
			      "<PrivateKey>AAAA</PrivateKey></DeviceCredentials>", der64);
	for (u = 0; u < DEVPROFILE_USERS_MAX; u++) {
		o += (size_t)snprintf(doc + o, sizeof(doc) - o, "<User><IMPI>%s</IMPI><Password>x</Password>",
				      impi);
		for (k = 0; k < DEVPROFILE_IMPU_MAX; k++)
			o += (size_t)snprintf(doc + o, sizeof(doc) - o, "<IMPU>sip:%u.%u@x</IMPU>", u, k);
		o += (size_t)snprintf(doc + o, sizeof(doc) - o, "</User>");
	}
	o += (size_t)snprintf(doc + o, sizeof(doc) - o, "</pktcEUEDevProfile>");
	assert_true(o < sizeof(doc));
	assert_int_equal(parse_s(doc, NULL), 0);
	assert_int_equal(prof.cert_len, 4096);
	assert_int_equal(prof.n_users, 4);
	assert_int_equal(prof.users[3].n_impu, 8);
	assert_int_equal(strlen(prof.users[0].impi), 255);
}

/* ---------------------------------------------------------------- hostile */

static void test_doctype_billion_laughs(void **state)
{
	(void)state;
	refused("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
		" <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n]>\n"
		"<pktcEUEDevProfile>&lol2;</pktcEUEDevProfile>", DP_E_DTD, E_UNSUPPORTED);
}

static void test_doctype_external_entity(void **state)
{
	(void)state;
	refused("<!DOCTYPE p [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
		DOC("<User><IMPI>&xxe;</IMPI></User>"), DP_E_DTD, E_UNSUPPORTED);
}

static void test_undeclared_entity(void **state)
{
	(void)state;
	refused(DOC("<User><IMPI>&xxe;</IMPI></User>"), DP_E_ENTITY, E_PROTO);
	refused(DOC("<ProfileVersion>&amp</ProfileVersion>" USER1), DP_E_ENTITY, E_PROTO);
	refused("<pktcEUEDevProfile a='&foo;'>" USER1 "</pktcEUEDevProfile>", DP_E_ENTITY, E_PROTO);
}

static void test_bad_char_refs(void **state)
{
	(void)state;
	refused(DOC("<ProfileVersion>&#0;</ProfileVersion>" USER1), DP_E_ENTITY, E_PROTO);
	refused(DOC("<ProfileVersion>&#xD800;</ProfileVersion>" USER1), DP_E_ENTITY, E_PROTO);
	refused(DOC("<ProfileVersion>&#x110000;</ProfileVersion>" USER1), DP_E_ENTITY, E_PROTO);
	refused(DOC("<ProfileVersion>&#99999999999;</ProfileVersion>" USER1), DP_E_ENTITY, E_PROTO);
	refused(DOC("<ProfileVersion>&#;</ProfileVersion>" USER1), DP_E_ENTITY, E_PROTO);
	refused(DOC("<ProfileVersion>&#x41</ProfileVersion>" USER1), DP_E_ENTITY, E_PROTO);
}

static void test_cdata_and_pi(void **state)
{
	(void)state;
	refused(DOC("<ProfileVersion><![CDATA[x]]></ProfileVersion>" USER1), DP_E_UNSUPPORTED,
		E_UNSUPPORTED);
	refused(DOC("<?php evil ?>" USER1), DP_E_UNSUPPORTED, E_UNSUPPORTED);
	refused("<?xml-stylesheet href='x'?>" DOC(USER1), DP_E_UNSUPPORTED, E_UNSUPPORTED);
	refused(" <?xml version='1.0'?>" DOC(USER1), DP_E_SYNTAX, E_PROTO);
	refused(DOC(USER1 "<x>]]></x>"), DP_E_SYNTAX, E_PROTO);
}

static void test_encoding(void **state)
{
	static const char nul[] = DOC("<ProfileVersion>a\0b</ProfileVersion>" USER1);

	(void)state;
	refused("<?xml version='1.0' encoding='ISO-8859-1'?>" DOC(USER1), DP_E_ENCODING, E_PROTO);
	refused("<?xml version='1.0' encoding=\"UTF-16\"?>" DOC(USER1), DP_E_ENCODING, E_PROTO);
	refused("<?xml version='1.0' encoding=\"UTF-8x\"?>" DOC(USER1), DP_E_ENCODING, E_PROTO);
	refused(DOC("<ProfileVersion>\xc0\xaf</ProfileVersion>" USER1), DP_E_ENCODING, E_PROTO);
	refused(DOC("<ProfileVersion>\xed\xa0\x80</ProfileVersion>" USER1), DP_E_ENCODING, E_PROTO);
	refused(DOC("<ProfileVersion>\xe2\x82</ProfileVersion>" USER1), DP_E_ENCODING, E_PROTO);
	refused(DOC("<ProfileVersion>\x01</ProfileVersion>" USER1), DP_E_ENCODING, E_PROTO);
	refused(DOC(USER1) "\xf5", DP_E_ENCODING, E_PROTO);
	{
		struct dp_error e;

		assert_int_equal(devprofile_parse((const uint8_t *)nul, sizeof(nul) - 1, &prof, &e),
				 E_PROTO);
		assert_int_equal(e.code, DP_E_ENCODING);
	}
}

static void test_malformed(void **state)
{
	(void)state;
	refused(DOC(USER1 "<ProfileVersion>1</ProfileVersio>"), DP_E_SYNTAX, E_PROTO);
	refused("<pktcEUEDevProfile>" USER1, DP_E_SYNTAX, E_PROTO);
	refused(DOC(USER1 "<a b='1></a>"), DP_E_SYNTAX, E_PROTO);
	refused(DOC(USER1 "<a b=1></a>"), DP_E_SYNTAX, E_PROTO);
	refused(DOC(USER1 "<a b='1'c='2'></a>"), DP_E_SYNTAX, E_PROTO);
	refused(DOC(USER1 "<a b='<'></a>"), DP_E_SYNTAX, E_PROTO);
	refused(DOC(USER1 "<1a></1a>"), DP_E_SYNTAX, E_PROTO);
	refused(DOC(USER1 "<!-- a -- b -->"), DP_E_SYNTAX, E_PROTO);
	refused(DOC(USER1 "<!-- open"), DP_E_SYNTAX, E_PROTO);
	refused(DOC(USER1) "</x>", DP_E_SYNTAX, E_PROTO);
	refused(DOC(USER1) DOC(USER1), DP_E_SYNTAX, E_PROTO);
	refused(DOC(USER1 "<!ELEMENT x ANY>"), DP_E_SYNTAX, E_PROTO);
	refused(DOC(USER1 "<x"), DP_E_SYNTAX, E_PROTO);
}

static void test_bounds(void **state)
{
	static char doc[DEVPROFILE_MAX_SIZE + 64];
	char name[80];
	size_t o = 0;
	unsigned k;

	(void)state;
	/* depth 9 through unknown elements */
	refused(DOC(USER1 "<a><b><c><d><e><f><g><h></h></g></f></e></d></c></b></a>"), DP_E_DEPTH,
		E_RANGE);
	/* depth 8 exactly is fine */
	assert_int_equal(parse_s(DOC(USER1 "<a><b><c><d><e><f><g></g></f></e></d></c></b></a>"), NULL), 0);
	/* 513 elements */
	o = (size_t)snprintf(doc, sizeof(doc), "<pktcEUEDevProfile>" USER1);
	for (k = 0; k < 507; k++)   /* root + User, IMPI, Password, IMPU + 507 = 512 */
		o += (size_t)snprintf(doc + o, sizeof(doc) - o, "<x/>");
	(void)snprintf(doc + o, sizeof(doc) - o, "</pktcEUEDevProfile>");
	assert_int_equal(parse_s(doc, NULL), 0);
	assert_int_equal(prof.unknown, 507);
	o = (size_t)snprintf(doc, sizeof(doc), "<pktcEUEDevProfile>" USER1);
	for (k = 0; k < 600; k++)
		o += (size_t)snprintf(doc + o, sizeof(doc) - o, "<x/>");
	(void)snprintf(doc + o, sizeof(doc) - o, "</pktcEUEDevProfile>");
	refused(doc, DP_E_COUNT, E_RANGE);
	/* too many attributes, a name too long */
	refused(DOC(USER1 "<x a='' b='' c='' d='' e='' f='' g='' h='' i=''/>"), DP_E_COUNT, E_RANGE);
	memset(name, 'n', 65);
	name[65] = '\0';
	(void)snprintf(doc, sizeof(doc), DOC(USER1 "<%s/>"), name);
	refused(doc, DP_E_COUNT, E_RANGE);
	/* the size bound: 64 KB + 1 of comment */
	o = (size_t)snprintf(doc, sizeof(doc), DOC(USER1) "<!--");
	memset(doc + o, 'c', DEVPROFILE_MAX_SIZE - o);
	(void)snprintf(doc + DEVPROFILE_MAX_SIZE - 2, 64, "-->");
	assert_int_equal(strlen(doc), DEVPROFILE_MAX_SIZE + 1);
	refused(doc, DP_E_SIZE, E_OVERFLOW);
	doc[DEVPROFILE_MAX_SIZE - 3] = '-';
	doc[DEVPROFILE_MAX_SIZE - 2] = '-';
	doc[DEVPROFILE_MAX_SIZE - 1] = '>';
	doc[DEVPROFILE_MAX_SIZE] = '\0';
	assert_int_equal(parse_s(doc, NULL), 0);
	refused("", DP_E_SIZE, E_OVERFLOW);
}

static void test_schema_root(void **state)
{
	(void)state;
	refused("<DeviceProfile>" USER1 "</DeviceProfile>", DP_E_ROOT, E_PROTO);
	refused("<!-- only a comment -->", DP_E_MISSING, E_NOTFOUND);
	refused("<pktcEUEDevProfile/>", DP_E_MISSING, E_NOTFOUND);
	refused(DOC(""), DP_E_MISSING, E_NOTFOUND);
	refused("text" DOC(USER1), DP_E_CONTENT, E_PROTO);
	refused(DOC(USER1) "text", DP_E_CONTENT, E_PROTO);
}

static void test_schema_rules(void **state)
{
	(void)state;
	refused(DOC("<ProfileVersion>1</ProfileVersion><ProfileVersion>2</ProfileVersion>" USER1),
		DP_E_DUPLICATE, E_PROTO);
	refused(DOC(USER1 USER1 USER1 USER1 USER1), DP_E_TOOMANY, E_RANGE);
	refused(DOC("<User><IMPI>a@b</IMPI><Password>p</Password>"
		    "<IMPU>sip:1</IMPU><IMPU>sip:2</IMPU><IMPU>sip:3</IMPU><IMPU>sip:4</IMPU>"
		    "<IMPU>sip:5</IMPU><IMPU>sip:6</IMPU><IMPU>sip:7</IMPU><IMPU>sip:8</IMPU>"
		    "<IMPU>sip:9</IMPU></User>"), DP_E_TOOMANY, E_RANGE);
	refused(DOC("<User><IMPI>a@b</IMPI><IMPI>c@d</IMPI><Password>p</Password>"
		    "<IMPU>sip:1</IMPU></User>"), DP_E_DUPLICATE, E_PROTO);
	refused(DOC("<User><IMPI>a@b</IMPI><IMPU>sip:1</IMPU></User>"), DP_E_MISSING, E_NOTFOUND);
	refused(DOC("<User><Password>p</Password><IMPU>sip:1</IMPU></User>"), DP_E_MISSING, E_NOTFOUND);
	refused(DOC("<User><IMPI>a@b</IMPI><Password>p</Password></User>"), DP_E_MISSING, E_NOTFOUND);
	refused(DOC("<User><IMPI>a@b</IMPI><Password>p</Password><IMPU>http://x</IMPU></User>"),
		DP_E_VALUE, E_PROTO);
	refused(DOC("<User><IMPI>a@b</IMPI><Password>p</Password><IMPU>sip:</IMPU></User>"),
		DP_E_VALUE, E_PROTO);
	refused(DOC("<User><IMPI>a b@c</IMPI><Password>p</Password><IMPU>sip:1</IMPU></User>"),
		DP_E_VALUE, E_PROTO);
	refused(DOC("<User><IMPI></IMPI><Password>p</Password><IMPU>sip:1</IMPU></User>"),
		DP_E_VALUE, E_PROTO);
	refused(DOC("<User><IMPI>a@b</IMPI><CredentialsType>aka</CredentialsType>"
		    "<Password>p</Password><IMPU>sip:1</IMPU></User>"), DP_E_VALUE, E_PROTO);
	refused(DOC("<DeviceCredentials><Certificate>AAAA</Certificate></DeviceCredentials>" USER1),
		DP_E_MISSING, E_NOTFOUND);
	refused(DOC("<DeviceCredentials><Certificate>AA=A</Certificate><PrivateKey>AAAA</PrivateKey>"
		    "</DeviceCredentials>" USER1), DP_E_VALUE, E_PROTO);
	refused(DOC("<DeviceCredentials><Certificate>AAA</Certificate><PrivateKey>AAAA</PrivateKey>"
		    "</DeviceCredentials>" USER1), DP_E_VALUE, E_PROTO);
	refused(DOC("<DeviceCredentials><Certificate>A===</Certificate><PrivateKey>AAAA</PrivateKey>"
		    "</DeviceCredentials>" USER1), DP_E_VALUE, E_PROTO);
	refused(DOC("<DeviceCredentials><Certificate>AA==AA==</Certificate><PrivateKey>AAAA</PrivateKey>"
		    "</DeviceCredentials>" USER1), DP_E_VALUE, E_PROTO);
	refused(DOC("<DeviceCredentials><Certificate>AA*A</Certificate><PrivateKey>AAAA</PrivateKey>"
		    "</DeviceCredentials>" USER1), DP_E_VALUE, E_PROTO);
	refused(DOC("<ProfileVersion>1<x/></ProfileVersion>" USER1), DP_E_CONTENT, E_PROTO);
	refused(DOC("<User>stray<IMPI>a@b</IMPI></User>"), DP_E_CONTENT, E_PROTO);
	refused(DOC("<ProfileVersion a='1' a='2'>1</ProfileVersion>" USER1), DP_E_DUPLICATE, E_PROTO);
}

static void test_too_long(void **state)
{
	static char doc[20000];
	char v[300], der64[5600];

	(void)state;
	memset(v, 'a', 256);
	v[256] = '\0';
	(void)snprintf(doc, sizeof(doc), DOC("<User><IMPI>%s</IMPI><Password>p</Password>"
					     "<IMPU>sip:1</IMPU></User>"), v);
	refused(doc, DP_E_TOOLONG, E_RANGE);
	memset(v, 'a', 65);
	v[65] = '\0';
	(void)snprintf(doc, sizeof(doc), DOC("<ProfileVersion>%s</ProfileVersion>" USER1), v);
	refused(doc, DP_E_TOOLONG, E_RANGE);
	/* a certificate of 4099 bytes */
	memset(der64, 'A', 5468);
	der64[5468] = '\0';
	(void)snprintf(doc, sizeof(doc), DOC("<DeviceCredentials><Certificate>%s</Certificate>"
					     "<PrivateKey>AAAA</PrivateKey></DeviceCredentials>" USER1),
		       der64);
	refused(doc, DP_E_TOOLONG, E_RANGE);
	/* text longer than any field, in a leaf */
	memset(doc, 0, sizeof(doc));
	{
		size_t o = (size_t)snprintf(doc, sizeof(doc), "<pktcEUEDevProfile><ProfileVersion>");

		memset(doc + o, ' ', 9000);
		(void)snprintf(doc + o + 9000, 200, "1</ProfileVersion>" USER1 "</pktcEUEDevProfile>");
	}
	refused(doc, DP_E_TOOLONG, E_RANGE);
}

static void test_error_position(void **state)
{
	struct dp_error e;

	(void)state;
	assert_int_equal(parse_s("<pktcEUEDevProfile>\n  <User>\n    <IMPI>&bad;</IMPI>", &e), E_PROTO);
	assert_int_equal(e.code, DP_E_ENTITY);
	assert_int_equal(e.line, 3);
	assert_true(e.col > 10);
	assert_string_equal(devprofile_err_str(DP_E_DTD), "DOCTYPE refused");
	assert_string_equal(devprofile_err_str(99), "?");
}

/* ---------------------------------------------------------------- nvram */

static char dir[64];

static int nv_setup(void **state)
{
	(void)state;
	(void)snprintf(dir, sizeof(dir), "/tmp/test_devprofile.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int nv_teardown(void **state)
{
	char cmd[128];

	(void)state;
	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return strncmp(dir, "/tmp/test_devprofile.", 21) == 0 && system(cmd) == 0 ? 0 : -1;
}

static void test_store_load(void **state)
{
	static const char doc1[] = DOC("<ProfileVersion>1</ProfileVersion>" USER1);
	static const char doc2[] = DOC("<ProfileVersion>2</ProfileVersion>" USER1);
	static const char hostile[] = "<!DOCTYPE x [<!ENTITY a 'b'>]>" DOC(USER1);
	struct nvram *nv;
	struct devprofile got;
	struct dp_error e;
	uint8_t raw[1024];
	size_t len;

	(void)state;
	assert_int_equal(nvram_open(&nv, dir, NULL), 0);
	assert_int_equal(devprofile_load(nv, &got, &e), E_NOTFOUND);
	/* a refused document stores nothing */
	assert_int_equal(devprofile_store(nv, (const uint8_t *)hostile, strlen(hostile), NULL, &e),
			 E_UNSUPPORTED);
	assert_int_equal(e.code, DP_E_DTD);
	assert_int_equal(nvram_get(nv, DEVPROFILE_NVRAM_KEY, raw, sizeof(raw), &len), E_NOTFOUND);
	/* stored as received, read back through the parser */
	assert_int_equal(devprofile_store(nv, (const uint8_t *)doc1, strlen(doc1), &prof, &e), 0);
	assert_string_equal(prof.version, "1");
	assert_int_equal(nvram_get(nv, DEVPROFILE_NVRAM_KEY, raw, sizeof(raw), &len), 0);
	assert_int_equal(len, strlen(doc1));
	assert_memory_equal(raw, doc1, len);
	assert_int_equal(devprofile_load(nv, &got, &e), 0);
	assert_string_equal(got.version, "1");
	assert_string_equal(got.users[0].impi, "user1@ims.example.net");
	/* replaced whole; a later hostile one leaves the good one in place */
	assert_int_equal(devprofile_store(nv, (const uint8_t *)doc2, strlen(doc2), NULL, NULL), 0);
	assert_int_equal(devprofile_store(nv, (const uint8_t *)hostile, strlen(hostile), NULL, NULL),
			 E_UNSUPPORTED);
	assert_int_equal(devprofile_load(nv, &got, NULL), 0);
	assert_string_equal(got.version, "2");
	nvram_close(nv);
	/* survives a reopen (a reboot) */
	assert_int_equal(nvram_open(&nv, dir, NULL), 0);
	assert_int_equal(devprofile_load(nv, &got, NULL), 0);
	assert_string_equal(got.version, "2");
	nvram_close(nv);
}

static void test_load_damaged(void **state)
{
	static const char bad[] = DOC("<User></User>");
	struct nvram *nv;
	struct devprofile got;
	struct dp_error e;
	char path[128];
	FILE *f;

	(void)state;
	assert_int_equal(nvram_open(&nv, dir, NULL), 0);
	/* a record that is not a valid profile (stored by someone else) */
	assert_int_equal(nvram_put(nv, DEVPROFILE_NVRAM_KEY, bad, strlen(bad)), 0);
	assert_int_equal(devprofile_load(nv, &got, &e), E_NOTFOUND);
	assert_int_equal(e.code, DP_E_MISSING);
	assert_int_equal(got.n_users, 0);
	/* a torn record */
	(void)snprintf(path, sizeof(path), "%s/%s", dir, DEVPROFILE_NVRAM_KEY);
	f = fopen(path, "r+b");
	assert_non_null(f);
	assert_int_equal(fseek(f, 14, SEEK_SET), 0);
	assert_int_equal(fputc('X', f), 'X');
	fclose(f);
	assert_int_equal(devprofile_load(nv, &got, &e), E_CORRUPT);
	nvram_close(nv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minimal),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_base64_padding),
		cmocka_unit_test(test_limits_exact),
		cmocka_unit_test(test_doctype_billion_laughs),
		cmocka_unit_test(test_doctype_external_entity),
		cmocka_unit_test(test_undeclared_entity),
		cmocka_unit_test(test_bad_char_refs),
		cmocka_unit_test(test_cdata_and_pi),
		cmocka_unit_test(test_encoding),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_schema_root),
		cmocka_unit_test(test_schema_rules),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_error_position),
		cmocka_unit_test_setup_teardown(test_store_load, nv_setup, nv_teardown),
		cmocka_unit_test_setup_teardown(test_load_damaged, nv_setup, nv_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
