/*
 * test_cfgapply.c: the configuration file's apply step (eue/cfgapply.c).
 * Files are written in the rlaager/docsis text syntax and compiled with the
 * project's own compiler (tlv/cfgtext.h), then applied to a fresh MIB.
 * Covers every pktcMtaDevProvisioningState outcome, the 6.4.2 row rules,
 * atomicity (a failing file leaves the previous one's values), TLV 38 in
 * IPv4 and IPv6 mode, the 1024-row error table, the hash VarBind, TLV 43.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eue/cfgapply.h"
#include "eue/eue_dhcp4.h"
#include "platform/err.h"
#include "tests/fake/fake.h"
#include "tlv/cfgtext.h"
#include "tlv/mibnames.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define MTA 1, 3, 6, 1, 2, 1, 140, 1

static struct mib M;

static const uint32_t o_enabled[] = { MTA, 1, 6, 0 };
static const uint32_t o_timer[] = { MTA, 1, 10, 0 };
static const uint32_t o_contact[] = { 1, 3, 6, 1, 2, 1, 1, 4, 0 };

/* A Secure-flow file: realm row of the DHCP realm, one receiver per family. */
#define GOOD \
	"SnmpMibObject pktcMtaDevEnabled.0 Integer 2;\n" \
	"SnmpMibObject pktcMtaDevProvisioningTimer.0 Gauge32 5;\n" \
	"SnmpMibObject 1.3.6.1.2.1.1.4.0 String \"noc\";\n" \
	"SnmpMibObject pktcMtaDevRealmName.1 String \"REALM.COM\";\n" \
	"SnmpMibObject pktcMtaDevRealmOrgName.1 String \"CableLabs\";\n" \
	"SnmpMibObject pktcMtaDevRealmStatus.1 Integer 4;\n" \
	"SnmpV3TrapReceiver { SnmpV3TrapReceiverIp 192.0.2.9; SnmpV3TrapReceiverPort 1162;\n" \
	"  SnmpV3TrapReceiverType 3; SnmpV3TrapReceiverTimeout 500; SnmpV3TrapReceiverRetries 4;\n" \
	"  SnmpV3TrapReceiverFilterOID 1.3.6.1.2.1.140; SnmpV3TrapReceiverSecurityName \"u\";\n" \
	"  SnmpV3TrapReceiverIPv6Addr 2001:db8::9; }\n"

struct file {
	struct wr w;
};

/* Compile Main { 254=1; body; 254=255 } with RFC 4682 names preferred. */
static void build(struct file *f, const char *body)
{
	static const char head[] = "Main {\nMtaConfigDelimiter 1;\n", tail[] = "MtaConfigDelimiter 255;\n}\n";
	struct cfgtext_opts o;
	struct cfgtext_err e;
	size_t n = strlen(head) + strlen(body) + strlen(tail) + 1;
	char *text = malloc(n);
	int rc;

	assert_non_null(text);
	snprintf(text, n, "%s%s%s", head, body, tail);
	o.prefer_module = mib_module_by_name("PKTC-IETF-MTA-MIB", 17);
	wr_init_dyn(&f->w, 1u << 20);
	rc = cfgtext_compile(text, strlen(text), &o, &f->w, &e);
	free(text);
	if (rc != 0)
		fail_msg("compile: %u:%u %s", e.line, e.col, e.msg);
}

static int apply(struct file *f, int ipv6, struct cfg_apply_result *r)
{
	struct cfg_apply_opts o;
	int rc;

	memset(&o, 0, sizeof(o));
	o.ipv6 = ipv6;
	o.vendor_oui[0] = 0x00;
	o.vendor_oui[1] = 0x10;
	o.vendor_oui[2] = 0x95;
	rc = cfg_apply(&M, f->w.buf, f->w.len, &o, r);
	wr_free(&f->w);
	return rc;
}

static int run(const char *body, struct cfg_apply_result *r)
{
	struct file f;

	build(&f, body);
	return apply(&f, 1, r);
}

static int64_t get_num(const uint32_t *oid, size_t n)
{
	struct mib_out out;

	assert_int_equal(mib_get(&M, oid, n, &out), MIB_GET_OK);
	return out.v.num;
}

static int setup(void **state)
{
	struct mib_identity id;

	(void)state;
	memset(&id, 0, sizeof(id));
	id.serial = "SN1";
	mib_init(&M, &id);
	M.flow = MIB_FLOW_SECURE;
	snprintf(M.kerb_realm, sizeof(M.kerb_realm), "REALM.COM");
	return 0;
}

/* Is there an error row with this reason (and OID, when oid is not NULL)? */
static int has_err(const char *oid, const char *reason)
{
	size_t i;

	for (i = 0; i < M.n_errs; i++)
		if (strcmp(M.errs[i].reason, reason) == 0 && (oid == NULL || strcmp(M.errs[i].oid, oid) == 0))
			return 1;
	return 0;
}

static void test_pass(void **state)
{
	struct cfg_apply_result r;

	(void)state;
	assert_int_equal(run(GOOD, &r), 0);
	assert_int_equal(r.state, MIB_PROV_PASS);
	assert_int_equal(M.prov_state, MIB_PROV_PASS);
	assert_int_equal(r.committed, 1);
	assert_int_equal(r.applied, 6);
	assert_int_equal(r.warnings + r.errors, 0);
	assert_int_equal(M.n_errs, 0);
	assert_int_equal(get_num(o_enabled, N(o_enabled)), 2);
	assert_int_equal(get_num(o_timer, N(o_timer)), 5);
	assert_int_equal(M.run.n_realms, 1);
	assert_string_equal(M.run.realms[0].name, "REALM.COM");
	assert_string_equal(M.run.realms[0].org, "CableLabs");
	assert_string_equal(cfg_apply_state_name(r.state), "pass");
	assert_non_null(strstr(r.text, "pass: 6 applied, 1 targets"));
}

static void test_tlv38_ipv6_and_ipv4_mode(void **state)
{
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 9 };
	struct cfg_apply_result r;
	struct file f;
	const struct mib_target *t = &M.run.targets[0];

	(void)state;
	build(&f, GOOD);
	assert_int_equal(apply(&f, 1, &r), 0);
	assert_int_equal(M.run.n_targets, 1);
	assert_int_equal(t->family, 6);                 /* 38.8 in lieu of 38.1 (6.5) */
	assert_memory_equal(t->addr, v6, 16);
	assert_int_equal(t->port, 1162);
	assert_int_equal(t->type, 3);
	assert_int_equal(t->timeout_ms, 500);
	assert_int_equal(t->retries, 4);
	assert_int_equal(t->filter_len, 7);             /* 1.3.6.1.2.1.140 contents */
	assert_memory_equal(t->filter, "\x2b\x06\x01\x02\x01\x81\x0c", 7);
	assert_string_equal(t->secname, "u");

	build(&f, GOOD);
	assert_int_equal(apply(&f, 0, &r), 0);
	assert_int_equal(M.run.n_targets, 1);
	assert_int_equal(t->family, 4);                 /* 38.8 ignored in IPv4 mode */
	assert_memory_equal(t->addr, "\xc0\x00\x02\x09", 4);

	/* only 38.1 in IPv6 mode: no receiver for this mode, a warning */
	assert_int_equal(run("SnmpMibObject pktcMtaDevEnabled.0 Integer 1;\n"
			     "SnmpMibObject pktcMtaDevRealmName.1 String \"REALM.COM\";\n"
			     "SnmpMibObject pktcMtaDevRealmOrgName.1 String \"O\";\n"
			     "SnmpMibObject pktcMtaDevRealmStatus.1 Integer 4;\n"
			     "SnmpV3TrapReceiver { SnmpV3TrapReceiverIp 192.0.2.9; }\n", &r), 0);
	assert_int_equal(r.state, MIB_PROV_PASS_WARN);
	assert_int_equal(M.run.n_targets, 0);
	assert_true(has_err("", "NO 38.8 RECEIVER IN IPV6 MODE"));
	/* defaults when 38.2 / 38.3 are absent */
	build(&f, "SnmpMibObject pktcMtaDevEnabled.0 Integer 1;\n"
		  "SnmpMibObject pktcMtaDevRealmName.1 String \"REALM.COM\";\n"
		  "SnmpMibObject pktcMtaDevRealmOrgName.1 String \"O\";\n"
		  "SnmpMibObject pktcMtaDevRealmStatus.1 Integer 4;\n"
		  "SnmpV3TrapReceiver { SnmpV3TrapReceiverIp 192.0.2.9; }\n");
	assert_int_equal(apply(&f, 0, &r), 0);
	assert_int_equal(r.state, MIB_PROV_PASS);
	assert_int_equal(t->port, 162);
	assert_int_equal(t->type, 2);
	assert_int_equal(t->retries, 3);   /* RFC 3413 DEFVAL when 38.5 is absent */
}

static void test_pass_with_warnings(void **state)
{
	struct cfg_apply_result r;

	(void)state;
	assert_int_equal(run(GOOD
			     "SnmpMibObject sysDescr.0 String \"mine\";\n"                 /* read-only */
			     "SnmpMibObject 1.3.6.1.4.1.4491.2.2.99.1.0 Integer 1;\n"      /* unknown */
			     "SnmpMibObject pktcMtaDevProvConfigEncryptAlg.0 Integer 9;\n" /* optional, range */
			     "SnmpMibObject 1.3.6.1.2.1.1.6.0 Integer 1;\n",                   /* optional, type */
			     &r), 0);
	assert_int_equal(r.state, MIB_PROV_PASS_WARN);
	assert_int_equal(r.committed, 1);
	assert_int_equal(r.warnings, 4);
	assert_int_equal(r.errors, 0);
	assert_int_equal(M.n_errs, 4);
	/* the rest applied */
	assert_int_equal(get_num(o_enabled, N(o_enabled)), 2);
	/* RFC 4682: unrecognised OID -> empty OID column, the OID as value */
	assert_true(has_err("", "UNKNOWN OBJECT"));
	assert_string_equal(M.errs[1].value, "1.3.6.1.4.1.4491.2.2.99.1.0");
	assert_true(has_err("1.3.6.1.2.1.1.1.0", "NOT WRITABLE"));
	assert_true(has_err("1.3.6.1.2.1.140.1.2.13.0", "VALUE NOT IN RANGE"));
	assert_true(has_err("1.3.6.1.2.1.1.6.0", "VALUE DOES NOT MATCH TYPE"));
	assert_string_equal(M.errs[2].value, "9");
}

/* 6.6.5: the file may set pktcEUECBData / pktcEUECBEnable; they apply with the file (the
 * bootstrapping itself starts after the apply, eue/eue_cb.c); a bad one is a warning. */
static void test_cert_bootstrap_objects(void **state)
{
	struct cfg_apply_result r;

	(void)state;
	assert_int_equal(run(GOOD
			     "SnmpMibObject pktcEUECBData.0 String \"https://cb.example.net/p.xml\";\n"
			     "SnmpMibObject pktcEUECBEnable.0 Integer 1;\n",
			     &r), 0);
	assert_int_equal(r.state, MIB_PROV_PASS);
	assert_int_equal(r.applied, 8);
	assert_int_equal(M.run.cb_enable, 1);
	assert_int_equal(M.run.cb_data_len, 28);
	assert_memory_equal(M.run.cb_data, "https://cb.example.net/p.xml", 28);
	setup(NULL);
	assert_int_equal(run(GOOD
			     "SnmpMibObject pktcEUECBEnable.0 Integer 3;\n"      /* TruthValue range */
			     "SnmpMibObject pktcEUECBSupport.0 Integer 2;\n",    /* read-only */
			     &r), 0);
	assert_int_equal(r.state, MIB_PROV_PASS_WARN);
	assert_int_equal(r.warnings, 2);
	assert_int_equal(M.run.cb_enable, 2);
	assert_true(has_err("1.3.6.1.4.1.4491.2.2.10.3.1.1.7.0", "VALUE NOT IN RANGE"));
	assert_true(has_err("1.3.6.1.4.1.4491.2.2.10.3.1.1.6.0", "NOT WRITABLE"));
}

static void expect_fail(const char *body, const char *oid, const char *reason)
{
	struct cfg_apply_result r;

	setup(NULL);
	assert_int_equal(run(body, &r), E_PROTO);
	assert_int_equal(r.state, MIB_PROV_FAIL_CONFIG);
	assert_int_equal(M.prov_state, MIB_PROV_FAIL_CONFIG);
	assert_int_equal(r.committed, 0);
	assert_true(r.errors >= 1);
	if (!has_err(oid, reason)) {
		size_t i;

		for (i = 0; i < M.n_errs; i++)
			print_error("row %zu: '%s' '%s' '%s'\n", i, M.errs[i].oid, M.errs[i].value,
				    M.errs[i].reason);
		fail_msg("no error row '%s' '%s'", oid ? oid : "*", reason);
	}
	/* nothing of the file applied */
	assert_int_equal(get_num(o_enabled, N(o_enabled)), 1);
	assert_int_equal(M.run.n_realms, 0);
	assert_int_equal(M.run.n_targets, 0);
}

#define REALM_OK \
	"SnmpMibObject pktcMtaDevRealmName.1 String \"REALM.COM\";\n" \
	"SnmpMibObject pktcMtaDevRealmOrgName.1 String \"O\";\n" \
	"SnmpMibObject pktcMtaDevRealmStatus.1 Integer 4;\n"

static void test_fail_config_file_error(void **state)
{
	(void)state;
	/* createAndWait (6.4.2) */
	expect_fail("SnmpMibObject pktcMtaDevEnabled.0 Integer 2;\n" REALM_OK
		    "SnmpMibObject pktcMtaDevRealmName.2 String \"B\";\n"
		    "SnmpMibObject pktcMtaDevRealmOrgName.2 String \"O\";\n"
		    "SnmpMibObject pktcMtaDevRealmStatus.2 Integer 5;\n",
		    "1.3.6.1.2.1.140.1.3.6.1.9.2",
		    "pktcMtaDevRealmStatus createAndWait(5) is not supported: failConfigFileError (6.4.2)");
	/* the createAndWait VarBind is listed once, by the row rule */
	assert_int_equal(M.n_errs, 1);
	/* a row without its RowStatus (6.4.2) */
	expect_fail("SnmpMibObject pktcMtaDevEnabled.0 Integer 2;\n" REALM_OK
		    "SnmpMibObject pktcMtaDevRealmName.2 String \"B\";\n"
		    "SnmpMibObject pktcMtaDevRealmOrgName.2 String \"O\";\n",
		    "1.3.6.1.2.1.140.1.3.6.1.2.2",
		    "table row without its pktcMtaDevRealmStatus: rejected (6.4.2)");
	/* an RFC 4682 realm row without RealmName (6.4.2.1) */
	expect_fail("SnmpMibObject pktcMtaDevEnabled.0 Integer 2;\n" REALM_OK
		    "SnmpMibObject pktcMtaDevRealmOrgName.2 String \"O\";\n"
		    "SnmpMibObject pktcMtaDevRealmStatus.2 Integer 4;\n", NULL,
		    "realm row without pktcMtaDevRealmName in the same row (6.4.2)");
	/* the mandatory pktcMtaDevEnabled missing, then wrong */
	expect_fail(REALM_OK, "1.3.6.1.2.1.140.1.1.6.0", "MANDATORY PARAMETER MISSING");
	expect_fail("SnmpMibObject pktcMtaDevEnabled.0 Integer 3;\n" REALM_OK,
		    "1.3.6.1.2.1.140.1.1.6.0", "VALUE NOT IN RANGE");
	expect_fail("SnmpMibObject pktcMtaDevEnabled.0 String \"1\";\n" REALM_OK,
		    "1.3.6.1.2.1.140.1.1.6.0", "VALUE DOES NOT MATCH TYPE");
	/* a realm column out of range is mandatory too */
	expect_fail("SnmpMibObject pktcMtaDevEnabled.0 Integer 2;\n" REALM_OK
		    "SnmpMibObject pktcMtaDevRealmTgsGracePeriod.1 Gauge32 0;\n",
		    "1.3.6.1.2.1.140.1.3.6.1.4.1", "VALUE NOT IN RANGE");
	/* Secure: no row for the DHCP realm; an org name that does not match */
	expect_fail("SnmpMibObject pktcMtaDevEnabled.0 Integer 2;\n"
		    "SnmpMibObject pktcMtaDevRealmName.1 String \"OTHER.COM\";\n"
		    "SnmpMibObject pktcMtaDevRealmOrgName.1 String \"O\";\n"
		    "SnmpMibObject pktcMtaDevRealmStatus.1 Integer 4;\n",
		    NULL, "NO REALM ROW FOR THE DHCP REALM");
	setup(NULL);
	snprintf(M.kerb_org, sizeof(M.kerb_org), "CableLabs");
	{
		struct cfg_apply_result r;

		assert_int_equal(run("SnmpMibObject pktcMtaDevEnabled.0 Integer 2;\n" REALM_OK, &r),
				 E_PROTO);
		assert_int_equal(r.state, MIB_PROV_FAIL_CONFIG);
		assert_true(has_err(NULL, "REALM ORGANIZATION NAME DOES NOT MATCH"));
	}
}

static void test_fail_undecodable(void **state)
{
	static const uint8_t no_end[] = { 0xfe, 0x01, 0x01, 0x0b, 0x03, 0x30, 0x01, 0x00 };
	static const uint8_t no_start[] = { 0xfe, 0x01, 0xff };
	struct cfg_apply_result r;

	(void)state;
	assert_int_equal(cfg_apply(&M, no_end, sizeof(no_end), NULL, &r), E_PROTO);
	assert_int_equal(r.state, MIB_PROV_FAIL_CONFIG);
	assert_int_equal(M.n_errs, 1);
	assert_int_equal(cfg_apply(&M, no_start, sizeof(no_start), NULL, &r), E_PROTO);
	assert_int_equal(r.state, MIB_PROV_FAIL_CONFIG);
	assert_string_equal(M.errs[0].reason, cfg_why_name(CFG_E_NO_START));
	assert_string_equal(M.errs[0].value, "offset 0");
	assert_int_equal(cfg_apply(&M, no_start, 0, NULL, &r), E_PROTO);
	assert_string_equal(M.errs[0].reason, cfg_why_name(CFG_E_EMPTY));
	assert_int_equal(M.n_errs, 1);          /* each apply starts a fresh table */
	assert_int_equal(M.run.n_realms, 0);
}

static void test_pass_with_incomplete_parsing(void **state)
{
	char body[8192];
	size_t k;
	unsigned i;
	struct cfg_apply_result r;

	(void)state;
	/* one realm row more than the table holds */
	k = (size_t)snprintf(body, sizeof(body), "SnmpMibObject pktcMtaDevEnabled.0 Integer 1;\n" REALM_OK);
	for (i = 2; i <= MIB_REALMS_MAX + 1; i++)
		k += (size_t)snprintf(body + k, sizeof(body) - k,
				      "SnmpMibObject pktcMtaDevRealmName.%u String \"R%u\";\n"
				      "SnmpMibObject pktcMtaDevRealmOrgName.%u String \"O\";\n"
				      "SnmpMibObject pktcMtaDevRealmStatus.%u Integer 4;\n", i, i, i, i);
	assert_int_equal(run(body, &r), 0);
	assert_int_equal(r.state, MIB_PROV_PASS_INCOMPLETE);
	assert_int_equal(r.committed, 1);
	assert_int_equal(M.run.n_realms, MIB_REALMS_MAX);
	assert_true(has_err("1.3.6.1.2.1.140.1.3.6.1.2.9", "OUT OF MEMORY - CANNOT STORE"));

	/* one TLV 38 more than the target list holds */
	setup(NULL);
	k = (size_t)snprintf(body, sizeof(body), "SnmpMibObject pktcMtaDevEnabled.0 Integer 1;\n" REALM_OK);
	for (i = 0; i <= MIB_TARGETS_MAX; i++)
		k += (size_t)snprintf(body + k, sizeof(body) - k,
				      "SnmpV3TrapReceiver { SnmpV3TrapReceiverIPv6Addr 2001:db8::%u; }\n", i + 1);
	assert_int_equal(run(body, &r), 0);
	assert_int_equal(r.state, MIB_PROV_PASS_INCOMPLETE);
	assert_int_equal(M.run.n_targets, MIB_TARGETS_MAX);
	assert_int_equal(M.run.targets[MIB_TARGETS_MAX - 1].addr[15], MIB_TARGETS_MAX);
}

static int rules_nomem(const void *buf, size_t len, cfg_finding_fn *fn, void *arg,
		       struct cfg_diag *d)
{
	(void)buf;
	(void)len;
	(void)fn;
	(void)arg;
	(void)d;
	return E_NOMEM;
}

static void test_failure_internal_and_other(void **state)
{
	struct cfg_apply_opts o;
	struct cfg_apply_result r;
	struct file f;

	(void)state;
	/* the row checker out of memory: failureInternalError, nothing applied */
	memset(&o, 0, sizeof(o));
	o.ipv6 = 1;
	o.rules = rules_nomem;
	build(&f, GOOD);
	assert_int_equal(cfg_apply(&M, f.w.buf, f.w.len, &o, &r), E_NOMEM);
	wr_free(&f.w);
	assert_int_equal(r.state, MIB_PROV_FAIL_INTERNAL);
	assert_int_equal(M.prov_state, MIB_PROV_FAIL_INTERNAL);
	assert_int_equal(get_num(o_enabled, N(o_enabled)), 1);
	assert_true(has_err("", "OUT OF MEMORY - CANNOT CHECK ROWS"));
	/* Secure flow but no DHCP realm known: failureOtherReason */
	M.kerb_realm[0] = '\0';
	assert_int_equal(run(GOOD, &r), E_PROTO);
	assert_int_equal(r.state, MIB_PROV_FAIL_OTHER);
	assert_int_equal(get_num(o_enabled, N(o_enabled)), 1);
	assert_string_equal(cfg_apply_state_name(MIB_PROV_FAIL_OTHER), "failureOtherReason");
	assert_string_equal(cfg_apply_state_name(MIB_PROV_IN_PROGRESS), "inProgress");
	assert_string_equal(cfg_apply_state_name(0), "?");
	assert_string_equal(cfg_apply_state_name(8), "?");
}

static void test_failing_file_leaves_the_good_one(void **state)
{
	struct cfg_apply_result r;
	struct mib_out out;
	struct mib_cfg before;

	(void)state;
	assert_int_equal(run(GOOD, &r), 0);
	before = M.run;
	assert_int_equal(run("SnmpMibObject pktcMtaDevEnabled.0 Integer 1;\n"
			     "SnmpMibObject pktcMtaDevProvisioningTimer.0 Gauge32 20;\n"
			     "SnmpMibObject 1.3.6.1.2.1.1.4.0 String \"other\";\n"
			     "SnmpMibObject pktcMtaDevRealmName.1 String \"REALM.COM\";\n"
			     "SnmpMibObject pktcMtaDevRealmOrgName.1 String \"Other\";\n"
			     "SnmpMibObject pktcMtaDevRealmStatus.1 Integer 5;\n"
			     "SnmpV3TrapReceiver { SnmpV3TrapReceiverIPv6Addr 2001:db8::77; }\n", &r),
			 E_PROTO);
	assert_int_equal(r.state, MIB_PROV_FAIL_CONFIG);
	assert_memory_equal(&M.run, &before, sizeof(before));
	assert_int_equal(get_num(o_enabled, N(o_enabled)), 2);
	assert_int_equal(get_num(o_timer, N(o_timer)), 5);
	assert_int_equal(mib_get(&M, o_contact, N(o_contact), &out), MIB_GET_OK);
	assert_int_equal(out.v.len, 3);
	assert_int_equal(M.tx_open, 0);
	/* the good file again: tables replaced, not doubled */
	assert_int_equal(run(GOOD, &r), 0);
	assert_int_equal(r.state, MIB_PROV_PASS);
	assert_int_equal(M.run.n_realms, 1);
	assert_int_equal(M.run.n_targets, 1);
	assert_int_equal(M.n_errs, 0);
}

static void test_error_table_limit(void **state)
{
	size_t cap = 1200 * 64 + 256, k;
	char *body = malloc(cap);
	struct cfg_apply_result r;
	unsigned i;

	(void)state;
	assert_non_null(body);
	k = (size_t)snprintf(body, cap, "SnmpMibObject pktcMtaDevEnabled.0 Integer 1;\n" REALM_OK);
	for (i = 0; i < 1100; i++)
		k += (size_t)snprintf(body + k, cap - k, "SnmpMibObject 1.3.6.1.4.1.99.%u.0 Integer 1;\n", i);
	assert_int_equal(run(body, &r), 0);
	free(body);
	assert_int_equal(r.state, MIB_PROV_PASS_WARN);
	assert_int_equal(r.warnings, 1100);
	assert_int_equal(M.n_errs, MIB_ERRS_MAX);
	assert_string_equal(M.errs[1022].value, "1.3.6.1.4.1.99.1022.0");
	assert_string_equal(M.errs[1023].oid, "1.3.6.1.2.1.140.1.4.1");
}

static void test_hash_varbind_is_not_a_write(void **state)
{
	struct cfg_apply_result r;

	(void)state;
	assert_int_equal(run("SnmpMibObject pktcMtaDevEnabled.0 Integer 1;\n" REALM_OK
			     "SnmpMibObject PKTC-MTA-MIB::pktcMtaDevProvConfigHash.0 HexString "
			     "0x1111111111111111111111111111111111111111;\n"
			     "SnmpMibObject PKTC-IETF-MTA-MIB::pktcMtaDevProvConfigHash.0 HexString "
			     "0x2222222222222222222222222222222222222222;\n", &r), 0);
	assert_int_equal(r.state, MIB_PROV_PASS);
	assert_int_equal(r.applied, 4);
	assert_int_equal(M.run.hash_set, 0);
}

static void test_vendor_tlv(void **state)
{
	struct cfg_apply_result r;

	(void)state;
	/* another vendor's block: ignored */
	assert_int_equal(run("SnmpMibObject pktcMtaDevEnabled.0 Integer 1;\n" REALM_OK
			     "VendorSpecific { VendorIdentifier 0x0010a9; GenericTLV TlvCode 1 TlvLength 1 TlvValue 0x01; }\n",
			     &r), 0);
	assert_int_equal(r.state, MIB_PROV_PASS);
	/* ours: no sub-TLV is defined yet, so each is a warning */
	assert_int_equal(run("SnmpMibObject pktcMtaDevEnabled.0 Integer 1;\n" REALM_OK
			     "VendorSpecific { VendorIdentifier 0x001095; GenericTLV TlvCode 7 TlvLength 1 TlvValue 0x01; }\n",
			     &r), 0);
	assert_int_equal(r.state, MIB_PROV_PASS_WARN);
	assert_true(has_err("", "UNSUPPORTED VENDOR SUB-TLV"));
	assert_non_null(strstr(M.errs[0].value, "TLV 43.7 at offset"));
}

static void test_basic_flow_cablelabs_names(void **state)
{
	struct cfg_apply_result r;
	struct cfgtext_err e;
	struct wr w;
	static const char text[] =
		"Main {\nMtaConfigDelimiter 1;\n"
		"SnmpMibObject pktcMtaDevEnabled.0 Integer 2;\n"
		"SnmpMibObject pktcMtaDevRealmPkinitGracePeriod.'BASIC.1' Gauge32 45;\n"
		"SnmpMibObject pktcMtaDevRealmOrgName.'BASIC.1' String \"CableLabs, Inc.\";\n"
		"SnmpMibObject pktcMtaDevRealmStatus.'BASIC.1' Integer 4;\n"
		"MtaConfigDelimiter 255;\n}\n";

	(void)state;
	M.flow = MIB_FLOW_BASIC;
	M.kerb_realm[0] = '\0';         /* Basic: no realm to match */
	wr_init_dyn(&w, 4096);
	assert_int_equal(cfgtext_compile(text, strlen(text), NULL, &w, &e), 0);  /* CableLabs names */
	assert_int_equal(cfg_apply(&M, w.buf, w.len, NULL, &r), 0);
	wr_free(&w);
	assert_int_equal(r.state, MIB_PROV_PASS);
	assert_int_equal(get_num(o_enabled, N(o_enabled)), 2);
	assert_int_equal(M.run.n_realms, 1);
	assert_int_equal(M.run.realms[0].index, 1);
	assert_string_equal(M.run.realms[0].name, "BASIC.1");
	assert_int_equal(M.run.realms[0].pkinit_grace, 45);
}

/* 6.6.2 (24.229 Option-II): the P-CSCF comes from the file.  Rows apply,
 * read back, and a later file without them leaves none (the file is the
 * only source); an incomplete row fails the file (6.4.2 row rules). */
#define PCSCF_ROW \
	"SnmpMibObject pktcEUEDevPCSCFAddrType.1 Integer 16;\n" \
	"SnmpMibObject pktcEUEDevPCSCFAddr.1 String \"pcscf.example.net\";\n" \
	"SnmpMibObject pktcEUEDevPCSCFSipPort.1 Gauge32 5062;\n" \
	"SnmpMibObject pktcEUEDevPCSCFRowStatus.1 Integer 4;\n" \
	"SnmpMibObject pktcEUEDevPCSCFAddrType.2 Integer 1;\n" \
	"SnmpMibObject pktcEUEDevPCSCFAddr.2 HexString 0xc0000232;\n" \
	"SnmpMibObject pktcEUEDevPCSCFRowStatus.2 Integer 4;\n"

static void test_pcscf_from_file(void **state)
{
	static const uint8_t v4[4] = { 192, 0, 2, 50 };
	struct cfg_apply_result r;

	(void)state;
	assert_int_equal(run(GOOD PCSCF_ROW, &r), 0);
	assert_int_equal(r.state, MIB_PROV_PASS);
	assert_int_equal(r.applied, 6 + 7);
	assert_int_equal(M.run.n_pcscf, 2);
	assert_int_equal(M.run.pcscf[0].index, 1);
	assert_int_equal(M.run.pcscf[0].addr_type, 16);
	assert_int_equal(M.run.pcscf[0].addr_len, 17);
	assert_memory_equal(M.run.pcscf[0].addr, "pcscf.example.net", 17);
	assert_int_equal(M.run.pcscf[0].sip_port, 5062);
	assert_int_equal(M.run.pcscf[1].addr_type, 1);
	assert_memory_equal(M.run.pcscf[1].addr, v4, 4);
	assert_int_equal(M.run.pcscf[1].sip_port, 5060);        /* DEFVAL */

	/* the next file names none: none is left (nothing else may supply one) */
	assert_int_equal(run(GOOD, &r), 0);
	assert_int_equal(r.state, MIB_PROV_PASS);
	assert_int_equal(M.run.n_pcscf, 0);
}

static void test_pcscf_bad_rows_fail_the_file(void **state)
{
	(void)state;
	/* a row with no address */
	expect_fail(GOOD "SnmpMibObject pktcEUEDevPCSCFRowStatus.1 Integer 4;\n",
		    "1.3.6.1.4.1.4491.2.2.10.3.1.1.4.1.12.1", "INCOMPLETE ROW");
	assert_int_equal(M.run.n_pcscf, 0);
	/* an FQDN under the ipv4 type */
	expect_fail(GOOD "SnmpMibObject pktcEUEDevPCSCFAddrType.1 Integer 1;\n"
		    "SnmpMibObject pktcEUEDevPCSCFAddr.1 String \"pcscf.example.net\";\n"
		    "SnmpMibObject pktcEUEDevPCSCFRowStatus.1 Integer 4;\n",
		    "1.3.6.1.4.1.4491.2.2.10.3.1.1.4.1.12.1", "ADDRESS DOES NOT MATCH ITS TYPE");
	assert_int_equal(M.run.n_pcscf, 0);
}

/* 6.6.2: method I (24.229: the P-CSCF by DHCP, RFC 3361 option 120 /
 * RFC 3319 options 21, 22) must not be used.  The eUE's DHCPv4 parameter
 * request list holds no 120; the DHCPv6 ORO is pinned to 39, 23 by
 * test_eue_dhcp6; no lease field reaches pktcEUEDevPCSCFTable (only the
 * file and SNMP write it, mib.c). */
static void test_pcscf_never_from_dhcp(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ED4_PRL_LEN; i++)
		assert_int_not_equal(ed4_prl[i], 120);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_pass, setup),
		cmocka_unit_test_setup(test_tlv38_ipv6_and_ipv4_mode, setup),
		cmocka_unit_test_setup(test_pass_with_warnings, setup),
		cmocka_unit_test_setup(test_cert_bootstrap_objects, setup),
		cmocka_unit_test_setup(test_fail_config_file_error, setup),
		cmocka_unit_test_setup(test_fail_undecodable, setup),
		cmocka_unit_test_setup(test_pass_with_incomplete_parsing, setup),
		cmocka_unit_test_setup(test_failure_internal_and_other, setup),
		cmocka_unit_test_setup(test_failing_file_leaves_the_good_one, setup),
		cmocka_unit_test_setup(test_error_table_limit, setup),
		cmocka_unit_test_setup(test_hash_varbind_is_not_a_write, setup),
		cmocka_unit_test_setup(test_vendor_tlv, setup),
		cmocka_unit_test_setup(test_basic_flow_cablelabs_names, setup),
		cmocka_unit_test_setup(test_pcscf_from_file, setup),
		cmocka_unit_test_setup(test_pcscf_bad_rows_fail_the_file, setup),
		cmocka_unit_test_setup(test_pcscf_never_from_dhcp, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
