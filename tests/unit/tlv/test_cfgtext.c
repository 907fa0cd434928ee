/* test_cfgtext.c: text compiler/printer (tlv/cfgtext.c, cfgprint.c), MIB table, row rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "tlv/cfgrules.h"
#include "tlv/cfgtext.h"
#include "tlv/mibnames.h"

#define START 0xfe, 0x01, 0x01
#define END 0xfe, 0x01, 0xff
/* 1.3.6.1.4.1.4491.2.2.1.1.1.7.0 (CableLabs pktcMtaDevEnabled.0) */
#define OID_EN 0x2b, 0x06, 0x01, 0x04, 0x01, 0xa3, 0x0b, 0x02, 0x02, 0x01, 0x01, 0x01, 0x07, 0x00

static int compile(const char *txt, struct wr *w, struct cfgtext_err *e)
{
	wr_init_dyn(w, 1 << 20);
	return cfgtext_compile(txt, strlen(txt), NULL, w, e);
}

static void test_compile_exact_bytes(void **state)
{
	static const uint8_t want[] = {
		START,
		0x0b, 0x15, 0x30, 0x13, 0x06, 0x0e, OID_EN, 0x02, 0x01, 0x01,
		0x0b, 0x16, 0x30, 0x14, 0x06, 0x0e, OID_EN, 0x04, 0x02, 'h', 'i',
		0x26, 0x0a, 0x01, 0x04, 10, 0, 0, 2, 0x02, 0x02, 0x00, 0xa2,
		0x2b, 0x05, 0x08, 0x03, 0x00, 0x10, 0xa9,
		END,
	};
	struct cfgtext_err e;
	struct wr w;

	(void)state;
	assert_int_equal(compile("Main {\n MtaConfigDelimiter 1;\n"
				 " SnmpMibObject pktcMtaDevEnabled.0 Integer 1; # comment\n"
				 " SnmpMibObject .1.3.6.1.4.1.4491.2.2.1.1.1.7.0 String \"hi\";\n"
				 " SnmpV3TrapReceiver { SnmpV3TrapReceiverIp 10.0.0.2;"
				 " SnmpV3TrapReceiverPort 162; }\n"
				 " VendorSpecific { VendorIdentifier 0x0010a9; };\n"
				 " MtaConfigDelimiter 255; }\n", &w, &e), 0);
	assert_int_equal(w.len, sizeof(want));
	assert_memory_equal(w.buf, want, sizeof(want));
	wr_free(&w);
}

static void test_value_types(void **state)
{
	static const struct {
		const char *txt;
		uint8_t tag;
		uint8_t val[10];
		size_t len;
	} v[] = {
		{ "Integer -129", 0x02, { 0xff, 0x7f }, 2 },
		{ "Integer 2147483647", 0x02, { 0x7f, 0xff, 0xff, 0xff }, 4 },
		{ "Unsigned32 4294967295", 0x42, { 0x00, 0xff, 0xff, 0xff, 0xff }, 5 },
		{ "Gauge32 0", 0x42, { 0x00 }, 1 },
		{ "Counter32 0x80", 0x41, { 0x00, 0x80 }, 2 },
		{ "Counter64 1", 0x46, { 0x01 }, 1 },
		{ "TimeTicks 100", 0x43, { 0x64 }, 1 },
		{ "IPAddress 192.168.0.1", 0x40, { 192, 168, 0, 1 }, 4 },
		{ "ObjectID 1.3.6", 0x06, { 0x2b, 0x06 }, 2 },
		{ "ObjectID sysDescr.0", 0x06, { 0x2b, 6, 1, 2, 1, 1, 1, 0 }, 8 },
		{ "HexString 01:02:ff", 0x04, { 1, 2, 0xff }, 3 },
		{ "HexString \"\"", 0x04, { 0 }, 0 },
		{ "String \"a\\x00\\\"\"", 0x04, { 'a', 0, '"' }, 3 },
		{ "Opaque 0x9f78", 0x44, { 0x9f, 0x78 }, 2 },
		{ "Null", 0x05, { 0 }, 0 },
	};
	char txt[256];
	struct cfgtext_err e;
	struct cfg_item items[4];
	struct cfg_diag d;
	struct wr w;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		snprintf(txt, sizeof(txt), "Main { MtaConfigDelimiter 1; SnmpMibObject 1.3.6.1 %s; "
			 "MtaConfigDelimiter 255; }", v[i].txt);
		if (compile(txt, &w, &e) != 0)
			fail_msg("%s: %u:%u %s", v[i].txt, e.line, e.col, e.msg);
		assert_int_equal(cfg_parse(w.buf, w.len, items, 4, &d), 3);
		assert_int_equal(items[1].vb.type, v[i].tag);
		assert_int_equal(items[1].vb.val_len, v[i].len);
		if (v[i].len)
			assert_memory_equal(items[1].vb.val, v[i].val, v[i].len);
		wr_free(&w);
	}
}

static void test_index_forms(void **state)
{
	struct cfgtext_err e;
	struct cfg_item items[4];
	struct cfg_diag d;
	struct wr w;

	(void)state;
	/* ."ab" = length-prefixed, .'ab' = IMPLIED */
	assert_int_equal(compile("Main { MtaConfigDelimiter 1; SnmpMibObject sysDescr.\"ab\" Integer 1;"
				 " SnmpMibObject sysDescr.'a b'.7 Integer 1;"
				 " MtaConfigDelimiter 255; }", &w, &e), 0);
	assert_int_equal(cfg_parse(w.buf, w.len, items, 4, &d), 4);
	assert_int_equal(items[1].vb.oid_len, 7 + 3);
	assert_memory_equal(items[1].vb.oid + 7, ((const uint8_t[]){ 2, 'a', 'b' }), 3);
	assert_int_equal(items[2].vb.oid_len, 7 + 4);
	assert_memory_equal(items[2].vb.oid + 7, ((const uint8_t[]){ 'a', ' ', 'b', 7 }), 4);
	wr_free(&w);
}

struct bad {
	const char *txt;
	int rc;
	unsigned line, col;
	const char *msg;        /* a substring */
};

static const struct bad bads[] = {
	{ "", E_PROTO, 1, 1, "expected 'Main'" },
	{ "Main", E_PROTO, 1, 5, "expected '{'" },
	{ "Main {", E_PROTO, 1, 7, "missing '}'" },
	{ "Main { } x", E_PROTO, 1, 10, "text after" },
	{ "Main {\n  Foo 1; }", E_PROTO, 2, 3, "unknown statement 'Foo'" },
	{ "Main {\n MtaConfigDelimiter 256; }", E_RANGE, 2, 21, "above 255" },
	{ "Main {\n MtaConfigDelimiter 1 }", E_PROTO, 2, 23, "expected ';'" },
	{ "Main { SnmpMibObject noSuchThing.0 Integer 1; }", E_NOTFOUND, 1, 22, "unknown object" },
	{ "Main { SnmpMibObject 1.3.6 Float 1; }", E_PROTO, 1, 28, "unknown value type" },
	{ "Main { SnmpMibObject 1.3.6 Integer 2147483648; }", E_RANGE, 1, 36, "above" },
	{ "Main { SnmpMibObject 1.3.6 Integer -2147483649; }", E_RANGE, 1, 36, "above" },
	{ "Main { SnmpMibObject 1.3.6 Integer x1; }", E_PROTO, 1, 36, "expected a number" },
	{ "Main { SnmpMibObject 1.3.6 Gauge32 4294967296; }", E_RANGE, 1, 36, "above" },
	{ "Main { SnmpMibObject 1.3.6 Counter64 18446744073709551616; }", E_RANGE, 1, 38, "too large" },
	{ "Main { SnmpMibObject 1.3.6 IPAddress 1.2.3; }", E_PROTO, 1, 38, "bad IPv4" },
	{ "Main { SnmpMibObject 1.3.6 HexString 0x123; }", E_PROTO, 1, 38, "odd number" },
	{ "Main { SnmpMibObject 1.3.6 HexString 0xzz; }", E_PROTO, 1, 38, "bad hex digit" },
	{ "Main { SnmpMibObject 1.40.6 Integer 1; }", E_RANGE, 1, 22, "invalid object identifier" },
	{ "Main { SnmpMibObject 1.3. Integer 1; }", E_PROTO, 1, 22, "ends with '.'" },
	{ "Main { SnmpMibObject 1.3.6 String \"abc; }", E_PROTO, 1, 35, "" },
	{ "Main { SnmpMibObject 1.3.6 String \"a\\q\"; }", E_PROTO, 1, 35, "unknown escape" },
	{ "Main { /* never closed", E_PROTO, 1, 8, "unterminated comment" },
	{ "Main { SnmpV3TrapReceiver { Bogus 1; } }", E_PROTO, 1, 29, "unexpected 'Bogus'" },
	{ "Main { SnmpV3TrapReceiver { SnmpV3TrapReceiverIPv6Addr 1.2.3.4; } }", E_PROTO, 1, 56,
	  "bad IPv6" },
	{ "Main { GenericTLV TlvCode 3 TlvLength 2 TlvValue 0x01; }", E_RANGE, 1, 50,
	  "TlvLength 2 but 1" },
	/* well-formed text, invalid file: the codec's error, mapped to the statement */
	{ "Main {\n MtaConfigDelimiter 1;\n SnmpMibObject 1.3.6 Integer 1;\n}", E_SHORT, 3, 2,
	  "missing end marker" },
	{ "Main {\n SnmpMibObject 1.3.6 Integer 1;\n MtaConfigDelimiter 255;\n}", E_PROTO, 2, 2,
	  "not the start marker" },
	{ "Main {\n MtaConfigDelimiter 1;\n GenericTLV TlvCode 7 TlvLength 0 TlvValue \"\";\n"
	  " MtaConfigDelimiter 255;\n}", E_UNSUPPORTED, 3, 2, "unknown TLV type" },
	{ "Main {\n MtaConfigDelimiter 1;\n SnmpV3TrapReceiver { SnmpV3TrapReceiverType 9; }\n"
	  " MtaConfigDelimiter 255;\n}", E_RANGE, 3, 2, "out of range" },
};

static void test_errors_line_col(void **state)
{
	struct cfgtext_err e;
	struct wr w;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(bads) / sizeof(bads[0]); i++) {
		rc = compile(bads[i].txt, &w, &e);
		if (rc != bads[i].rc || e.line != bads[i].line || e.col != bads[i].col ||
		    strstr(e.msg, bads[i].msg) == NULL)
			fail_msg("#%zu: rc %d at %u:%u \"%s\"; want %d at %u:%u \"%s\"", i, rc, e.line,
				 e.col, e.msg, bads[i].rc, bads[i].line, bads[i].col, bads[i].msg);
		wr_free(&w);
	}
}

/* binary -> text -> binary, including items that only GenericTLV can express */
static void test_print_roundtrip(void **state)
{
	static const uint8_t f[] = {
		START,
		0x0b, 0x15, 0x30, 0x13, 0x06, 0x0e, OID_EN, 0x02, 0x01, 0x01,
		/* same VarBind with a non-minimal SEQUENCE length (30 81 13) */
		0x0b, 0x16, 0x30, 0x81, 0x13, 0x06, 0x0e, OID_EN, 0x02, 0x01, 0x01,
		/* TLV 64 holding a short VarBind */
		0x40, 0x00, 0x15, 0x30, 0x13, 0x06, 0x0e, OID_EN, 0x02, 0x01, 0x01,
		/* 38.6 as bare OID contents, 38.7 not printable */
		0x26, 0x08, 0x06, 0x02, 0x2b, 0x06, 0x07, 0x02, 0x01, 0x02,
		0x2b, 0x08, 0x08, 0x03, 0x00, 0x10, 0xa9, 0x05, 0x01, 0x00,
		END,
	};
	struct cfgtext_opts o = { .prefer_module = -1 };
	struct cfgtext_err e;
	struct cfg_diag d;
	struct wr t, b;

	(void)state;
	wr_init_dyn(&t, 1 << 20);
	assert_int_equal(cfgtext_print(f, sizeof(f), &o, &t, &d), 0);
	wr_u8(&t, 0);
	/* table order prefers the IETF module, so the CableLabs name is qualified */
	assert_non_null(strstr((char *)t.buf,
			       "SnmpMibObject PKTC-MTA-MIB::pktcMtaDevEnabled.0 Integer 1;"));
	assert_non_null(strstr((char *)t.buf, "SnmpMibObjectLong"));
	assert_non_null(strstr((char *)t.buf, "GenericTLV TlvCode 11 TlvLength 22"));
	wr_init_dyn(&b, 1 << 20);
	assert_int_equal(cfgtext_compile((char *)t.buf, t.len - 1, &o, &b, &e), 0);
	assert_int_equal(b.len, sizeof(f));
	assert_memory_equal(b.buf, f, sizeof(f));
	wr_free(&t);
	wr_free(&b);
	/* an invalid binary is refused with the codec's diagnosis */
	wr_init_dyn(&t, 1 << 20);
	assert_int_equal(cfgtext_print(f, sizeof(f) - 1, &o, &t, &d), E_SHORT);
	assert_int_equal(d.why, CFG_E_TRUNC_VALUE);
	wr_free(&t);
}

static void test_mib_table(void **state)
{
	const struct mib_name *cl, *ietf, *m;
	static const uint8_t ietf_hash[] = { 0x2b, 6, 1, 2, 1, 0x81, 0x0c, 1, 2, 0x0b, 0 };
	int mcl = mib_module_by_name("PKTC-MTA-MIB", 12);
	int mietf = mib_module_by_name("PKTC-IETF-MTA-MIB", 17);

	(void)state;
	assert_true(mcl >= 0 && mietf >= 0);
	cl = mib_by_name("pktcMtaDevEnabled", 17, mcl);
	ietf = mib_by_name("pktcMtaDevEnabled", 17, mietf);
	assert_non_null(cl);
	assert_non_null(ietf);
	assert_ptr_not_equal(cl, ietf);
	assert_int_equal(cl->module, mcl);
	assert_ptr_equal(mib_by_name("PKTC-IETF-MTA-MIB::pktcMtaDevEnabled", 36, mcl), ietf);
	assert_null(mib_by_name("NO-SUCH-MIB::pktcMtaDevEnabled", 30, -1));
	assert_null(mib_by_name("pktcMtaDevEnable", 16, -1));
	m = mib_by_oid(ietf_hash, sizeof(ietf_hash));
	assert_non_null(m);
	assert_string_equal(m->name, "pktcMtaDevProvConfigHash");
	assert_int_equal(m->module, mietf);
	/* every row of the generated table is a valid OID */
	for (size_t i = 0; i < mib_nnames; i++) {
		struct ber_err be;
		assert_true(ber_oid_check((const uint8_t *)mib_names[i].oid, mib_names[i].len, 0,
					  &be) > 0);
		/* the generated name index finds every row from its name and module */
		assert_ptr_equal(mib_by_name(mib_names[i].name, strlen(mib_names[i].name),
					     mib_names[i].module), &mib_names[i]);
		if (i > 0)
			assert_true(strcmp(mib_names[mib_name_order[i - 1]].name,
					   mib_names[mib_name_order[i]].name) <= 0);
	}
}

struct seen {
	int n;
	size_t off[8];
};

static void collect(void *arg, const struct cfg_finding *f)
{
	struct seen *s = arg;

	if (s->n < 8)
		s->off[s->n] = f->off;
	s->n++;
}

static void test_rules(void **state)
{
	static const char good[] =
		"Main { MtaConfigDelimiter 1;\n"
		"SnmpMibObject pktcMtaDevRealmOrgName.'R.COM' String \"Org\";\n"
		"SnmpMibObject pktcMtaDevRealmStatus.'R.COM' Integer 4;\n"
		"SnmpMibObject pktcEUEDevPCSCFAddr.1 String \"p\";\n"
		"SnmpMibObject pktcEUEDevPCSCFRowStatus.1 Integer 4;\n"
		"SnmpMibObject pktcMtaDevEnabled.0 Integer 1;\n"
		"MtaConfigDelimiter 255; }";
	static const char bad[] =
		"Main { MtaConfigDelimiter 1;\n"
		"SnmpMibObject pktcEUEDevPCSCFAddr.1 String \"p\";\n"     /* createAndWait */
		"SnmpMibObject pktcEUEDevPCSCFRowStatus.1 Integer 5;\n"
		"SnmpMibObject pktcEUEDevPCSCFAddr.2 String \"p\";\n"     /* no RowStatus */
		"SnmpMibObject pktcEUEDevPCSCFRowStatus.3 Integer 6;\n"   /* destroy */
		"SnmpMibObject pktcMtaDevRealmStatus.'R.COM' Integer 4;\n" /* no OrgName */
		"SnmpMibObject PKTC-IETF-MTA-MIB::pktcMtaDevRealmOrgName.1 String \"O\";\n"
		"SnmpMibObject PKTC-IETF-MTA-MIB::pktcMtaDevRealmStatus.1 Integer 4;\n"
		"MtaConfigDelimiter 255; }";
	struct cfgtext_err e;
	struct cfg_diag d;
	struct seen s = { 0 };
	struct wr w;

	(void)state;
	assert_int_equal(compile(good, &w, &e), 0);
	assert_int_equal(cfg_rules_check(w.buf, w.len, collect, &s, &d), CFG_PASS);
	assert_int_equal(s.n, 0);
	wr_free(&w);
	assert_int_equal(compile(bad, &w, &e), 0);
	assert_int_equal(cfg_rules_check(w.buf, w.len, collect, &s, &d), CFG_FAIL);
	assert_int_equal(s.n, 5);
	wr_free(&w);
	assert_int_equal(cfg_rules_check((const uint8_t[]){ START }, 3, NULL, NULL, &d), E_SHORT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compile_exact_bytes),
		cmocka_unit_test(test_value_types),
		cmocka_unit_test(test_index_forms),
		cmocka_unit_test(test_errors_line_col),
		cmocka_unit_test(test_print_roundtrip),
		cmocka_unit_test(test_mib_table),
		cmocka_unit_test(test_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
