/*
 * test_mib.c: the eUE MIB (snmp-mibs/mib.c): identity and status reads,
 * getnext over the whole MIB in OID order, the SET transaction (atomic,
 * nothing staged after a failure), SNMP- vs file-origin rules per flow,
 * wrong types / lengths / ranges, realm rows (RFC 2579), the CableLabs
 * realm twin, the 1024-row error table, the TLV 38 targets as RFC 3413
 * SNMP-TARGET-MIB / SNMP-NOTIFICATION-MIB rows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/err.h"
#include "snmp-mibs/mib.h"
#include "tests/fake/fake.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define MTA 1, 3, 6, 1, 2, 1, 140, 1

static const uint32_t o_sysdescr[] = { 1, 3, 6, 1, 2, 1, 1, 1, 0 };
static const uint32_t o_sysoid[] = { 1, 3, 6, 1, 2, 1, 1, 2, 0 };
static const uint32_t o_uptime[] = { 1, 3, 6, 1, 2, 1, 1, 3, 0 };
static const uint32_t o_contact[] = { 1, 3, 6, 1, 2, 1, 1, 4, 0 };
static const uint32_t o_reset[] = { MTA, 1, 1, 0 };
static const uint32_t o_serial[] = { MTA, 1, 2, 0 };
static const uint32_t o_endpnt[] = { MTA, 1, 5, 0 };
static const uint32_t o_enabled[] = { MTA, 1, 6, 0 };
static const uint32_t o_typeid[] = { MTA, 1, 7, 0 };
static const uint32_t o_provstate[] = { MTA, 1, 8, 0 };
static const uint32_t o_http[] = { MTA, 1, 9, 0 };
static const uint32_t o_timer[] = { MTA, 1, 10, 0 };
static const uint32_t o_erroid1024[] = { MTA, 1, 12, 1, 2, 1024 };
static const uint32_t o_cfgfile[] = { MTA, 2, 9, 0 };
static const uint32_t o_hash[] = { MTA, 2, 11, 0 };
static const uint32_t o_key[] = { MTA, 2, 12, 0 };
static const uint32_t o_alg[] = { MTA, 2, 13, 0 };
static const uint32_t o_availslot[] = { MTA, 3, 5, 0 };
static const uint32_t o_euestatus[] = { 1, 3, 6, 1, 4, 1, 8072, 9999, 4491, 1, 1, 0 };
static const uint32_t o_cl_enabled[] = { 1, 3, 6, 1, 4, 1, 4491, 2, 2, 1, 1, 1, 7, 0 };

static struct mib M;

/* RFC 3413 entries; the IMPLIED index follows as one arc per octet */
#define TADDR 1, 3, 6, 1, 6, 3, 12, 1, 2, 1
#define TPARAMS 1, 3, 6, 1, 6, 3, 12, 1, 3, 1
#define NOTIFY 1, 3, 6, 1, 6, 3, 13, 1, 1, 1
#define CONFIG_ '@', 'c', 'o', 'n', 'f', 'i', 'g', '_'     /* "@config_" */

struct hook { unsigned calls, last; };

static void on_change(void *arg, unsigned ch)
{
	struct hook *h = arg;

	h->calls++;
	h->last = ch;
}

static int setup(void **state)
{
	static const uint8_t mac[6] = { 0x00, 0x10, 0x95, 0x01, 0x02, 0x03 };
	struct mib_identity id;

	memset(&id, 0, sizeof(id));
	id.serial = "SN123";
	memcpy(id.mac, mac, 6);
	id.hw_version = "1.0";
	id.sw_version = "2.3.4";
	id.model = "EUE-1";
	id.vendor = "Example";
	id.type_id = "pktc2.0:051f0101";
	id.endpoints = 2;
	id.http_access = 1;
	fake_clock_set_ms(5000);
	mib_init(&M, &id);
	*state = &M;
	return 0;
}

static int set_num(struct mib *m, const uint32_t *oid, size_t n, uint8_t type, int64_t v,
		   const char **why)
{
	struct mib_val x;

	memset(&x, 0, sizeof(x));
	x.type = type;
	x.num = v;
	x.u64 = (uint64_t)v;
	return mib_set_test(m, oid, n, &x, why);
}

static int set_bytes(struct mib *m, const uint32_t *oid, size_t n, const void *p, size_t len)
{
	struct mib_val x;

	memset(&x, 0, sizeof(x));
	x.type = BER_OCTETS;
	x.bytes = p;
	x.len = len;
	return mib_set_test(m, oid, n, &x, NULL);
}

static int64_t get_num(struct mib *m, const uint32_t *oid, size_t n)
{
	struct mib_out out;

	assert_int_equal(mib_get(m, oid, n, &out), MIB_GET_OK);
	return out.v.num;
}

static size_t get_bytes(struct mib *m, const uint32_t *oid, size_t n, char *buf, size_t cap)
{
	struct mib_out out;

	assert_int_equal(mib_get(m, oid, n, &out), MIB_GET_OK);
	assert_int_equal(out.v.type, BER_OCTETS);
	assert_true(out.v.len < cap);
	memcpy(buf, out.v.bytes, out.v.len);
	buf[out.v.len] = '\0';
	return out.v.len;
}

/* entry.col."name" with the IMPLIED name (one arc per octet, no length arc) */
static size_t row_oid(uint32_t *oid, const uint32_t *entry, size_t ne, uint32_t col,
		      const char *name)
{
	size_t n = 0, i;

	for (i = 0; i < ne; i++)
		oid[n++] = entry[i];
	oid[n++] = col;
	for (i = 0; name[i] != '\0'; i++)
		oid[n++] = (uint8_t)name[i];
	return n;
}

static const uint32_t e_taddr[] = { TADDR }, e_tparams[] = { TPARAMS }, e_notify[] = { NOTIFY };
/* the entry arguments of row_oid() and friends */
#define TA e_taddr, N(e_taddr)
#define TP e_tparams, N(e_tparams)
#define NT e_notify, N(e_notify)

static int64_t row_num(struct mib *m, const uint32_t *entry, size_t ne, uint32_t col,
		       const char *name, uint8_t type)
{
	uint32_t oid[MIB_OID_MAX];
	struct mib_out out;

	assert_int_equal(mib_get(m, oid, row_oid(oid, entry, ne, col, name), &out), MIB_GET_OK);
	assert_int_equal(out.v.type, type);
	return out.v.num;
}

static size_t row_bytes(struct mib *m, const uint32_t *entry, size_t ne, uint32_t col,
			const char *name, uint8_t type, uint8_t *buf, size_t cap)
{
	uint32_t oid[MIB_OID_MAX];
	struct mib_out out;

	assert_int_equal(mib_get(m, oid, row_oid(oid, entry, ne, col, name), &out), MIB_GET_OK);
	assert_int_equal(out.v.type, type);
	assert_true(out.v.len < cap);
	memcpy(buf, out.v.bytes, out.v.len);
	buf[out.v.len] = 0;
	return out.v.len;
}

/* A receiver as eue/cfgapply.c makes one from a TLV 38. */
static struct mib_target target(int family, const char *addr, uint16_t port, uint8_t type,
				uint32_t timeout_ms, uint8_t retries, const char *secname)
{
	struct mib_target t;

	memset(&t, 0, sizeof(t));
	t.family = family;
	memcpy(t.addr, addr, family == 6 ? 16 : 4);
	t.port = port;
	t.type = type;
	t.timeout_ms = timeout_ms;
	t.retries = retries;
	snprintf(t.secname, sizeof(t.secname), "%s", secname);
	return t;
}

/* The apply step's way: a file transaction that stages the TLV 38 list. */
static void apply_targets(struct mib *m, const struct mib_target *t, size_t n)
{
	mib_set_begin(m, MIB_BY_FILE);
	assert_int_equal(mib_set_targets(m, t, n), MIB_E_OK);
	mib_set_commit(m);
	assert_int_equal(m->run.n_targets, n);
}

#define LAB4 "\xc6\x33\x64\x0c"     /* 198.51.100.12 */
/* 2001:db8:51::12 */
#define LAB6 "\x20\x01\x0d\xb8\x00\x51\x00\x00\x00\x00\x00\x00\x00\x00\x00\x12"

/* One realm row by SNMP: name, org, createAndGo at idx; returns the commit's check. */
static int add_realm(struct mib *m, uint32_t idx, const char *name, const char *org)
{
	uint32_t oname[] = { MTA, 3, 6, 1, 2, idx };
	uint32_t oorg[] = { MTA, 3, 6, 1, 5, idx };
	uint32_t ost[] = { MTA, 3, 6, 1, 9, idx };
	int rc;

	mib_set_begin(m, MIB_BY_SNMP);
	rc = name ? set_bytes(m, oname, N(oname), name, strlen(name)) : MIB_E_OK;
	if (rc == MIB_E_OK && org)
		rc = set_bytes(m, oorg, N(oorg), org, strlen(org));
	if (rc == MIB_E_OK)
		rc = set_num(m, ost, N(ost), BER_INTEGER, 4, NULL);
	if (rc != MIB_E_OK) {
		mib_set_abort(m);
		return rc;
	}
	rc = mib_set_check(m, NULL, NULL, NULL);
	mib_set_commit(m);
	return rc;
}

static void test_identity_and_status_reads(void **state)
{
	struct mib *m = *state;
	struct mib_out out;
	char buf[MIB_STR_MAX];

	get_bytes(m, o_sysdescr, N(o_sysdescr), buf, sizeof(buf));
	assert_string_equal(buf, "<<HW_REV: 1.0; VENDOR: Example; BOOTR: ; SW_REV: 2.3.4; MODEL: EUE-1>>");
	assert_int_equal(mib_get(m, o_sysoid, N(o_sysoid), &out), MIB_GET_OK);
	assert_int_equal(out.v.type, BER_OID);
	assert_int_equal(out.v.len, 7);         /* default 1.3.6.1.4.1.4491 */
	assert_memory_equal(out.v.bytes, "\x2b\x06\x01\x04\x01\xa3\x0b", 7);
	get_bytes(m, o_serial, N(o_serial), buf, sizeof(buf));
	assert_string_equal(buf, "SN123");
	get_bytes(m, o_typeid, N(o_typeid), buf, sizeof(buf));
	assert_string_equal(buf, "pktc2.0:051f0101");
	assert_int_equal(get_num(m, o_endpnt, N(o_endpnt)), 2);
	assert_int_equal(get_num(m, o_http, N(o_http)), 1);
	assert_int_equal(get_num(m, o_enabled, N(o_enabled)), 1);
	assert_int_equal(get_num(m, o_timer, N(o_timer)), 10);  /* DEFVAL */
	assert_int_equal(get_num(m, o_alg, N(o_alg)), 1);       /* DEFVAL des64CbcMode */
	assert_int_equal(get_num(m, o_reset, N(o_reset)), 2);   /* reads false */
	fake_clock_advance_ms(12345);
	assert_int_equal(mib_get(m, o_uptime, N(o_uptime), &out), MIB_GET_OK);
	assert_int_equal(out.v.type, BER_TIMETICKS);
	assert_int_equal(out.v.num, 1234);
	/* device-written status, mirrored by the eUE-25 object (A20) */
	m->prov_state = MIB_PROV_PASS_WARN;
	assert_int_equal(get_num(m, o_provstate, N(o_provstate)), 4);
	assert_int_equal(get_num(m, o_euestatus, N(o_euestatus)), 4);
	m->prov_state = MIB_PROV_IN_PROGRESS;
	assert_int_equal(get_num(m, o_euestatus, N(o_euestatus)), 2);
	/* the key never reads back */
	assert_int_equal(mib_get(m, o_key, N(o_key), &out), MIB_GET_OK);
	assert_int_equal(out.v.len, 0);
}

static void test_get_exceptions(void **state)
{
	struct mib *m = *state;
	struct mib_out out;
	static const uint32_t if_table[] = { 1, 3, 6, 1, 2, 1, 2, 2, 1, 2, 1 };   /* ifDescr.1: not served */
	static const uint32_t descr1[] = { 1, 3, 6, 1, 2, 1, 1, 1, 1 };
	static const uint32_t descr_noinst[] = { 1, 3, 6, 1, 2, 1, 1, 1 };
	static const uint32_t realm7[] = { MTA, 3, 6, 1, 2, 7 };
	static const uint32_t err1[] = { MTA, 1, 12, 1, 2, 1 };

	assert_int_equal(mib_get(m, if_table, N(if_table), &out), MIB_NO_SUCH_OBJECT);
	assert_int_equal(mib_get(m, descr1, N(descr1), &out), MIB_NO_SUCH_INSTANCE);
	assert_int_equal(mib_get(m, descr_noinst, N(descr_noinst), &out), MIB_NO_SUCH_INSTANCE);
	assert_int_equal(mib_get(m, realm7, N(realm7), &out), MIB_NO_SUCH_INSTANCE);
	assert_int_equal(mib_get(m, err1, N(err1), &out), MIB_NO_SUCH_INSTANCE);
}

static int cmp_oid(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	size_t i;

	for (i = 0; i < na && i < nb; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return na < nb ? -1 : na > nb ? 1 : 0;
}

static void test_getnext_walks_everything_in_order(void **state)
{
	struct mib *m = *state;
	uint32_t cur[MIB_OID_MAX], next[MIB_OID_MAX];
	size_t n = 0, nn, count = 0;
	struct mib_out out, got;
	static const uint32_t realm_name3[] = { MTA, 3, 6, 1, 2, 3 };
	static const uint32_t realm_name_col[] = { MTA, 3, 6, 1, 2 };

	{
		const struct mib_target t[2] = {
			target(4, LAB4, 162, 3, 1000, 3, ""),
			target(6, LAB6, 162, 2, 0, 0, ""),
		};

		/* first: a file transaction replaces the realm table */
		apply_targets(m, t, 2);
	}
	assert_int_equal(add_realm(m, 5, "B.COM", "OrgB"), MIB_E_OK);
	assert_int_equal(add_realm(m, 2, "A.COM", "OrgA"), MIB_E_OK);
	assert_int_equal(mib_err_add(m, "1.2.3", "x", "VALUE NOT IN RANGE"), 0);
	assert_int_equal(mib_err_add(m, "", "1.2.4", "UNKNOWN OBJECT"), 0);
	assert_int_equal(mib_err_add(m, "1.2.5", "y", "VALUE DOES NOT MATCH TYPE"), 0);
	while (mib_getnext(m, cur, n, next, &nn, &out) == MIB_GET_OK) {
		if (count)
			assert_true(cmp_oid(cur, n, next, nn) < 0);
		/* every walked instance reads the same through get */
		assert_int_equal(mib_get(m, next, nn, &got), MIB_GET_OK);
		assert_int_equal(got.v.type, out.v.type);
		assert_int_equal(got.v.num, out.v.num);
		assert_int_equal(got.v.len, out.v.len);
		if (out.v.len && out.v.type != BER_TIMETICKS)
			assert_memory_equal(got.v.bytes, out.v.bytes, out.v.len);
		memcpy(cur, next, nn * sizeof(cur[0]));
		n = nn;
		count++;
		assert_true(count < 1000);
	}
	/* 52 scalars (46 + pktcEUEDevProfileVersion, pktcEUECBSupport/Enable/Data,
	 * eueCertBootStatus/LastError), ifPhysAddress.1, 3 error columns x 3 rows, 8 realm columns x 2 rows,
	 * 2 TLV 38 targets: 8 snmpTargetAddrTable + 6 snmpTargetParamsTable columns each,
	 * and the 2 snmpNotifyTable rows of 4 columns */
	assert_int_equal(count, 52 + 1 + 3 * 3 + 8 * 2 + (8 + 6) * 2 + 4 * 2);
	/* the walk ends in snmpNotifyRowStatus."@config_trap" */
	{
		uint32_t last[MIB_OID_MAX];
		size_t nl = row_oid(last, NT, 5, "@config_trap");

		assert_int_equal(cmp_oid(cur, n, last, nl), 0);
	}
	/* from inside the realm name column: the row after index 3 is 5 */
	assert_int_equal(mib_getnext(m, realm_name3, N(realm_name3), next, &nn, &out), MIB_GET_OK);
	assert_int_equal(nn, N(realm_name3));
	assert_int_equal(next[nn - 1], 5);
	assert_int_equal(next[nn - 2], 2);
	/* from the column's OID itself: the first row (index 2) */
	assert_int_equal(mib_getnext(m, realm_name_col, N(realm_name_col), next, &nn, &out),
			 MIB_GET_OK);
	assert_int_equal(next[nn - 1], 2);
	assert_int_equal(out.v.len, 5);
	assert_memory_equal(out.v.bytes, "A.COM", 5);
}

static void test_snmp_origin_rules_per_flow(void **state)
{
	struct mib *m = *state;
	static const uint8_t hash[20] = { 1, 2, 3 }, key[32] = { 9 };
	static const enum mib_flow flows[] = { MIB_FLOW_SECURE, MIB_FLOW_HYBRID, MIB_FLOW_BASIC };
	struct hook h = { 0, 0 };
	struct mib_out out;
	char buf[MIB_STR_MAX];
	size_t i;

	mib_on_change(m, on_change, &h);
	for (i = 0; i < N(flows); i++) {
		int basic = flows[i] == MIB_FLOW_BASIC, secure = flows[i] == MIB_FLOW_SECURE;

		m->flow = flows[i];
		mib_set_begin(m, MIB_BY_SNMP);
		assert_int_equal(set_bytes(m, o_cfgfile, N(o_cfgfile), "tftp://x/f", 10),
				 basic ? MIB_E_INCONSISTENT_VALUE : MIB_E_OK);
		assert_int_equal(set_bytes(m, o_hash, N(o_hash), hash, 20),
				 basic ? MIB_E_INCONSISTENT_VALUE : MIB_E_OK);
		assert_int_equal(set_bytes(m, o_key, N(o_key), key, 32),
				 secure ? MIB_E_OK : MIB_E_INCONSISTENT_VALUE);
		mib_set_commit(m);
		if (!basic) {
			assert_int_equal(h.last & MIB_CH_CONFIG_FILE, MIB_CH_CONFIG_FILE);
			get_bytes(m, o_cfgfile, N(o_cfgfile), buf, sizeof(buf));
			assert_string_equal(buf, "tftp://x/f");
		}
		/* the key never reads back, whatever the flow */
		assert_int_equal(mib_get(m, o_key, N(o_key), &out), MIB_GET_OK);
		assert_int_equal(out.v.len, 0);
	}
	assert_int_equal(h.calls, 2);
	/* wrong sizes are wrongLength in the flows that may write them */
	m->flow = MIB_FLOW_SECURE;
	mib_set_begin(m, MIB_BY_SNMP);
	assert_int_equal(set_bytes(m, o_hash, N(o_hash), hash, 19), MIB_E_WRONG_LENGTH);
	assert_int_equal(set_bytes(m, o_key, N(o_key), key, 8), MIB_E_WRONG_LENGTH);
	mib_set_abort(m);
	/* Basic: the device's own URL and computed hash are what reads return */
	m->flow = MIB_FLOW_BASIC;
	mib_set_config_file(m, "tftp://192.0.2.1/basic.bin");
	mib_set_config_hash(m, hash);
	get_bytes(m, o_cfgfile, N(o_cfgfile), buf, sizeof(buf));
	assert_string_equal(buf, "tftp://192.0.2.1/basic.bin");
	assert_int_equal(mib_get(m, o_hash, N(o_hash), &out), MIB_GET_OK);
	assert_int_equal(out.v.len, 20);
	assert_memory_equal(out.v.bytes, hash, 20);
}

static void test_file_origin_rules(void **state)
{
	struct mib *m = *state;
	const char *why = NULL;

	m->flow = MIB_FLOW_HYBRID;
	mib_set_begin(m, MIB_BY_FILE);
	assert_int_equal(set_bytes(m, o_cfgfile, N(o_cfgfile), "u", 1), MIB_E_NOT_WRITABLE);
	assert_int_equal(set_num(m, o_reset, N(o_reset), BER_INTEGER, 1, &why), MIB_E_NOT_WRITABLE);
	assert_string_equal(why, "NOT WRITABLE");
	assert_int_equal(set_bytes(m, o_sysdescr, N(o_sysdescr), "d", 1), MIB_E_NOT_WRITABLE);
	/* the CableLabs twin of pktcMtaDevEnabled, from a file only (B2) */
	assert_int_equal(mib_lookup(o_cl_enabled, N(o_cl_enabled), MIB_BY_FILE), MIB_O_ENABLED);
	assert_int_equal(mib_lookup(o_cl_enabled, N(o_cl_enabled), MIB_BY_SNMP), MIB_O_NONE);
	assert_int_equal(set_num(m, o_cl_enabled, N(o_cl_enabled), BER_INTEGER, 2, NULL), MIB_E_OK);
	mib_set_commit(m);
	assert_int_equal(get_num(m, o_enabled, N(o_enabled)), 2);
	mib_set_begin(m, MIB_BY_SNMP);
	assert_int_equal(set_num(m, o_cl_enabled, N(o_cl_enabled), BER_INTEGER, 1, &why),
			 MIB_E_NO_CREATION);
	assert_string_equal(why, "UNKNOWN OBJECT");
	mib_set_abort(m);
}

static void test_wrong_types_lengths_ranges(void **state)
{
	struct mib *m = *state;
	const char *why = NULL;
	char big[300];
	static const uint32_t enabled1[] = { MTA, 1, 6, 1 };
	static const uint32_t serial_set[] = { MTA, 1, 2, 0 };

	memset(big, 'a', sizeof(big));
	mib_set_begin(m, MIB_BY_SNMP);
	assert_int_equal(set_bytes(m, o_enabled, N(o_enabled), "1", 1), MIB_E_WRONG_TYPE);
	assert_int_equal(set_num(m, o_enabled, N(o_enabled), BER_INTEGER, 3, &why), MIB_E_WRONG_VALUE);
	assert_string_equal(why, "VALUE NOT IN RANGE");
	assert_int_equal(set_num(m, o_enabled, N(o_enabled), BER_GAUGE32, 1, &why), MIB_E_WRONG_TYPE);
	assert_string_equal(why, "VALUE DOES NOT MATCH TYPE");
	assert_int_equal(set_num(m, o_timer, N(o_timer), BER_INTEGER, 5, NULL), MIB_E_WRONG_TYPE);
	assert_int_equal(set_num(m, o_timer, N(o_timer), BER_GAUGE32, 31, NULL), MIB_E_WRONG_VALUE);
	assert_int_equal(set_num(m, o_timer, N(o_timer), BER_GAUGE32, 0, NULL), MIB_E_OK);
	assert_int_equal(set_num(m, o_alg, N(o_alg), BER_INTEGER, 5, NULL), MIB_E_WRONG_VALUE);
	assert_int_equal(set_num(m, o_alg, N(o_alg), BER_INTEGER, -1, NULL), MIB_E_WRONG_VALUE);
	assert_int_equal(set_bytes(m, o_contact, N(o_contact), big, 256), MIB_E_WRONG_LENGTH);
	assert_int_equal(set_bytes(m, o_contact, N(o_contact), big, 255), MIB_E_OK);
	assert_int_equal(set_bytes(m, o_contact, N(o_contact), "a\0b", 3), MIB_E_WRONG_VALUE);
	assert_int_equal(set_num(m, enabled1, N(enabled1), BER_INTEGER, 1, NULL), MIB_E_NO_CREATION);
	assert_int_equal(set_bytes(m, serial_set, N(serial_set), "x", 1), MIB_E_NOT_WRITABLE);
	mib_set_commit(m);
	assert_int_equal(get_num(m, o_timer, N(o_timer)), 0);
}

static void test_server_addresses(void **state)
{
	struct mib *m = *state;
	static const uint32_t dhcp_type[] = { MTA, 2, 1, 0 }, dhcp1[] = { MTA, 2, 2, 0 };
	static const uint32_t dns_type[] = { MTA, 2, 4, 0 }, dns1[] = { MTA, 2, 5, 0 };
	static const uint32_t dns2[] = { MTA, 2, 6, 0 }, krb[] = { MTA, 3, 9, 0 };
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x35 };
	uint8_t bits;
	char buf[MIB_STR_MAX];

	/* device-written: the eUE's DHCP server */
	m->dhcp1.type = 2;
	memcpy(m->dhcp1.addr, v6, 16);
	assert_int_equal(get_num(m, dhcp_type, N(dhcp_type)), 2);
	assert_int_equal(get_bytes(m, dhcp1, N(dhcp1), buf, sizeof(buf)), 16);
	assert_memory_equal(buf, v6, 16);
	assert_int_equal(get_num(m, dns_type, N(dns_type)), 0);
	/* DNS servers are read-write: 4 or 16 bytes, one address type for both */
	mib_set_begin(m, MIB_BY_SNMP);
	assert_int_equal(set_bytes(m, dns1, N(dns1), v6, 15), MIB_E_WRONG_LENGTH);
	assert_int_equal(set_bytes(m, dns1, N(dns1), v6, 16), MIB_E_OK);
	assert_int_equal(set_bytes(m, dns2, N(dns2), "\xc0\x00\x02\x35", 4), MIB_E_INCONSISTENT_VALUE);
	mib_set_commit(m);
	assert_int_equal(get_num(m, dns_type, N(dns_type)), 2);
	assert_int_equal(get_bytes(m, dns2, N(dns2), buf, sizeof(buf)), 0);
	/* pktcMtaDevResetKrbTickets: BITS, two named bits */
	mib_set_begin(m, MIB_BY_SNMP);
	bits = 0x01;
	assert_int_equal(set_bytes(m, krb, N(krb), &bits, 1), MIB_E_WRONG_VALUE);
	assert_int_equal(set_bytes(m, krb, N(krb), "\xc0\x00", 2), MIB_E_WRONG_LENGTH);
	bits = 0x80;
	assert_int_equal(set_bytes(m, krb, N(krb), &bits, 1), MIB_E_OK);
	mib_set_commit(m);
	assert_int_equal(get_bytes(m, krb, N(krb), buf, sizeof(buf)), 1);
	assert_int_equal((uint8_t)buf[0], 0x80);
}

static void test_failed_transaction_stages_nothing(void **state)
{
	struct mib *m = *state;
	char buf[MIB_STR_MAX];

	/* no transaction: a general error, nothing written */
	assert_int_equal(set_num(m, o_enabled, N(o_enabled), BER_INTEGER, 2, NULL), MIB_E_GEN);
	mib_set_commit(m);
	assert_int_equal(get_num(m, o_enabled, N(o_enabled)), 1);

	mib_set_begin(m, MIB_BY_SNMP);
	assert_int_equal(set_num(m, o_enabled, N(o_enabled), BER_INTEGER, 2, NULL), MIB_E_OK);
	assert_int_equal(set_bytes(m, o_contact, N(o_contact), "ops", 3), MIB_E_OK);
	assert_int_equal(set_num(m, o_timer, N(o_timer), BER_GAUGE32, 99, NULL), MIB_E_WRONG_VALUE);
	/* nothing is visible before the commit */
	assert_int_equal(get_num(m, o_enabled, N(o_enabled)), 1);
	mib_set_abort(m);
	assert_int_equal(get_num(m, o_enabled, N(o_enabled)), 1);
	assert_int_equal(get_num(m, o_timer, N(o_timer)), 10);
	get_bytes(m, o_contact, N(o_contact), buf, sizeof(buf));
	assert_string_equal(buf, "");
	/* a commit after the abort applies nothing either */
	mib_set_commit(m);
	assert_int_equal(get_num(m, o_enabled, N(o_enabled)), 1);
	/* a new begin discards what an unfinished one staged */
	mib_set_begin(m, MIB_BY_SNMP);
	assert_int_equal(set_num(m, o_enabled, N(o_enabled), BER_INTEGER, 2, NULL), MIB_E_OK);
	mib_set_begin(m, MIB_BY_SNMP);
	mib_set_commit(m);
	assert_int_equal(get_num(m, o_enabled, N(o_enabled)), 1);
}

static void test_realm_rows(void **state)
{
	struct mib *m = *state;
	uint32_t oid[MIB_OID_MAX];
	size_t n = 0;
	const char *why = NULL;
	char buf[MIB_STR_MAX];
	static const uint32_t st1[] = { MTA, 3, 6, 1, 9, 1 };
	static const uint32_t st0[] = { MTA, 3, 6, 1, 9, 0 };
	static const uint32_t st256[] = { MTA, 3, 6, 1, 9, 256 };
	static const uint32_t org3[] = { MTA, 3, 6, 1, 5, 3 };
	static const uint32_t name1[] = { MTA, 3, 6, 1, 2, 1 };
	static const uint32_t grace1[] = { MTA, 3, 6, 1, 3, 1 };
	static const uint32_t nom1[] = { MTA, 3, 6, 1, 7, 1 };
	uint32_t i;

	assert_int_equal(get_num(m, o_availslot, N(o_availslot)), 1);
	assert_int_equal(add_realm(m, 1, "REALM.COM", "Org"), MIB_E_OK);
	get_bytes(m, name1, N(name1), buf, sizeof(buf));
	assert_string_equal(buf, "REALM.COM");
	assert_int_equal(get_num(m, st1, N(st1)), 1);                /* active */
	assert_int_equal(get_num(m, grace1, N(grace1)), 30);         /* DEFVAL */
	assert_int_equal(get_num(m, nom1, N(nom1)), 3000);
	assert_int_equal(get_num(m, o_availslot, N(o_availslot)), 2);
	/* createAndGo on an existing row; createAndWait unsupported; bad indexes */
	mib_set_begin(m, MIB_BY_SNMP);
	assert_int_equal(set_num(m, st1, N(st1), BER_INTEGER, 4, &why), MIB_E_INCONSISTENT_VALUE);
	assert_int_equal(set_num(m, st1, N(st1), BER_INTEGER, 5, &why), MIB_E_WRONG_VALUE);
	assert_string_equal(why, "UNSUPPORTED VALUE");
	assert_int_equal(set_num(m, st0, N(st0), BER_INTEGER, 4, NULL), MIB_E_NO_CREATION);
	assert_int_equal(set_num(m, st256, N(st256), BER_INTEGER, 4, NULL), MIB_E_NO_CREATION);
	assert_int_equal(set_num(m, st1, N(st1), BER_INTEGER, 1, NULL), MIB_E_OK);
	assert_int_equal(set_num(m, grace1, N(grace1), BER_GAUGE32, 14, NULL), MIB_E_WRONG_VALUE);
	assert_int_equal(set_num(m, grace1, N(grace1), BER_GAUGE32, 60, NULL), MIB_E_OK);
	mib_set_commit(m);
	assert_int_equal(get_num(m, grace1, N(grace1)), 60);
	/* a row without OrgName: the check says so, the commit applies nothing */
	assert_int_equal(add_realm(m, 3, "X.COM", NULL), MIB_E_INCONSISTENT_VALUE);
	assert_int_equal(mib_get(m, (uint32_t[]){ MTA, 3, 6, 1, 9, 3 }, 13, &(struct mib_out){ 0 }),
			 MIB_NO_SUCH_INSTANCE);
	/* columns of a row that is never created */
	mib_set_begin(m, MIB_BY_SNMP);
	assert_int_equal(set_bytes(m, org3, N(org3), "O", 1), MIB_E_OK);
	assert_int_equal(mib_set_check(m, oid, &n, &why), MIB_E_NO_CREATION);
	assert_int_equal(n, 13);
	assert_int_equal(oid[12], 3);
	assert_int_equal(oid[11], 9);
	mib_set_abort(m);
	/* destroy */
	mib_set_begin(m, MIB_BY_SNMP);
	assert_int_equal(set_num(m, st1, N(st1), BER_INTEGER, 6, NULL), MIB_E_OK);
	assert_int_equal(set_num(m, grace1, N(grace1), BER_GAUGE32, 60, NULL), MIB_E_INCONSISTENT_VALUE);
	mib_set_commit(m);
	assert_int_equal(mib_get(m, st1, N(st1), &(struct mib_out){ 0 }), MIB_NO_SUCH_INSTANCE);
	/* a full table: resourceUnavailable, AvailSlot 0 */
	for (i = 1; i <= MIB_REALMS_MAX; i++)
		assert_int_equal(add_realm(m, 10 + i, "R", "O"), MIB_E_OK);
	assert_int_equal(get_num(m, o_availslot, N(o_availslot)), 0);
	assert_int_equal(add_realm(m, 100, "R", "O"), MIB_E_RESOURCE);
}

static void test_cablelabs_realm_row_maps_to_rfc4682(void **state)
{
	struct mib *m = *state;
	/* CableLabs realm table, index IMPLIED "R.COM" = 82 46 67 79 77 */
	uint32_t org[] = { 1, 3, 6, 1, 4, 1, 4491, 2, 2, 1, 1, 3, 16, 1, 4, 82, 46, 67, 79, 77 };
	uint32_t st[] = { 1, 3, 6, 1, 4, 1, 4491, 2, 2, 1, 1, 3, 16, 1, 9, 82, 46, 67, 79, 77 };
	static const uint32_t name1[] = { MTA, 3, 6, 1, 2, 1 };
	static const uint32_t org1[] = { MTA, 3, 6, 1, 5, 1 };
	char buf[MIB_STR_MAX];

	uint32_t cname[] = { 1, 3, 6, 1, 4, 1, 4491, 2, 2, 1, 1, 3, 16, 1, 1, 82, 46, 67, 79, 77 };

	mib_set_begin(m, MIB_BY_FILE);
	/* the CableLabs name column is the index: another value is inconsistent */
	assert_int_equal(set_bytes(m, cname, N(cname), "X.COM", 5), MIB_E_INCONSISTENT_VALUE);
	assert_int_equal(m->stage.n_realms, 0);
	assert_int_equal(set_bytes(m, cname, N(cname), "R.COM", 5), MIB_E_OK);
	assert_int_equal(set_bytes(m, org, N(org), "CableLabs", 9), MIB_E_OK);
	assert_int_equal(set_num(m, st, N(st), BER_INTEGER, 4, NULL), MIB_E_OK);
	assert_int_equal(mib_set_check(m, NULL, NULL, NULL), MIB_E_OK);
	mib_set_commit(m);
	get_bytes(m, name1, N(name1), buf, sizeof(buf));
	assert_string_equal(buf, "R.COM");
	get_bytes(m, org1, N(org1), buf, sizeof(buf));
	assert_string_equal(buf, "CableLabs");
	/* an SNMP SET cannot use the CableLabs OIDs */
	mib_set_begin(m, MIB_BY_SNMP);
	assert_int_equal(set_num(m, st, N(st), BER_INTEGER, 6, NULL), MIB_E_NO_CREATION);
	mib_set_abort(m);
	/* a file transaction starts with an empty realm table (cfgapply re-applies) */
	mib_set_begin(m, MIB_BY_FILE);
	assert_int_equal(m->stage.n_realms, 0);
	mib_set_abort(m);
	assert_int_equal(m->run.n_realms, 1);
}

static void test_error_table_limit(void **state)
{
	struct mib *m = *state;
	char buf[MIB_STR_MAX], long_oid[200];
	static const uint32_t reason1023[] = { MTA, 1, 12, 1, 4, 1023 };
	static const uint32_t err1025[] = { MTA, 1, 12, 1, 2, 1025 };
	unsigned i;

	for (i = 0; i < MIB_ERRS_MAX - 1; i++)
		assert_int_equal(mib_err_add(m, "1.3.6.1.4.1.99.1.0", "7", "VALUE NOT IN RANGE"), 0);
	assert_int_equal(m->n_errs, 1023);
	assert_int_equal(mib_err_add(m, "1.2", "x", "y"), E_OVERFLOW);
	assert_int_equal(mib_err_add(m, "1.2", "x", "y"), E_OVERFLOW);
	assert_int_equal(m->n_errs, MIB_ERRS_MAX);
	/* B6: the registered OID of pktcMtaDevErrorsTooManyErrors */
	get_bytes(m, o_erroid1024, N(o_erroid1024), buf, sizeof(buf));
	assert_string_equal(buf, "1.3.6.1.2.1.140.1.4.1");
	get_bytes(m, reason1023, N(reason1023), buf, sizeof(buf));
	assert_string_equal(buf, "VALUE NOT IN RANGE");
	assert_int_equal(mib_get(m, err1025, N(err1025), &(struct mib_out){ 0 }), MIB_NO_SUCH_INSTANCE);
	mib_err_clear(m);
	assert_int_equal(m->n_errs, 0);
	/* a string longer than the row keeps is cut and says so */
	memset(long_oid, '1', sizeof(long_oid) - 1);
	long_oid[sizeof(long_oid) - 1] = '\0';
	assert_int_equal(mib_err_add(m, long_oid, "v", "r"), E_OVERFLOW);
	assert_int_equal(strlen(m->errs[0].oid), MIB_ERR_OID_MAX - 1);
}

/* RFC 5428 pktcEventSyslog*: the MEM-MIB way to name the syslog server
 * (eUE-24); only BSD syslog over UDP is built, and said so. */
static void test_event_syslog_objects(void **state)
{
	static const uint32_t caps[] = { 1, 3, 6, 1, 2, 1, 182, 1, 1, 2, 1, 0 };
	static const uint32_t type[] = { 1, 3, 6, 1, 2, 1, 182, 1, 1, 2, 2, 0 };
	static const uint32_t addr[] = { 1, 3, 6, 1, 2, 1, 182, 1, 1, 2, 3, 0 };
	static const uint32_t fmt[] = { 1, 3, 6, 1, 2, 1, 182, 1, 1, 2, 4, 0 };
	static const uint32_t port[] = { 1, 3, 6, 1, 2, 1, 182, 1, 1, 2, 6, 0 };
	struct mib *m = *state;
	struct hook h = { 0, 0 };
	char buf[32];
	const char *why = NULL;

	mib_on_change(m, on_change, &h);
	{
		/* IF-MIB ifPhysAddress.1: the eUE's MAC, for the INFORMs (RFC 4682) */
		static const uint32_t phys[] = { 1, 3, 6, 1, 2, 1, 2, 2, 1, 6, 1 };

		assert_int_equal(get_bytes(m, phys, N(phys), buf, sizeof(buf)), 6);
		assert_memory_equal(buf, "\x00\x10\x95\x01\x02\x03", 6);
	}
	assert_int_equal(get_bytes(m, caps, N(caps), buf, sizeof(buf)), 1);
	assert_int_equal((uint8_t)buf[0], 0xa0);          /* formatBSDSyslog, transportUDP */
	assert_int_equal(get_num(m, port, N(port)), 514);   /* B5: UDP 514, not 6514 */
	assert_int_equal(get_bytes(m, addr, N(addr), buf, sizeof(buf)), 4);   /* "0.0.0.0" */
	mib_set_begin(m, MIB_BY_FILE);
	assert_int_equal(set_num(m, type, N(type), BER_INTEGER, 1, NULL), MIB_E_OK);
	assert_int_equal(set_bytes(m, addr, N(addr), "\xc6\x33\x64\x0a", 4), MIB_E_OK);
	assert_int_equal(set_num(m, fmt, N(fmt), BER_INTEGER, 2, &why), MIB_E_WRONG_VALUE);
	assert_int_equal(set_num(m, type, N(type), BER_INTEGER, 16, NULL), MIB_E_WRONG_VALUE);
	assert_int_equal(set_num(m, port, N(port), BER_GAUGE32, 0, NULL), MIB_E_WRONG_VALUE);
	mib_set_commit(m);
	assert_true(h.last & MIB_CH_SYSLOG);
	assert_int_equal(m->run.syslog.type, 1);
	assert_memory_equal(m->run.syslog.addr, "\xc6\x33\x64\x0a", 4);
	assert_int_equal(get_num(m, type, N(type)), 1);
}

static void test_change_hook(void **state)
{
	struct mib *m = *state;
	struct hook h = { 0, 0 };

	mib_on_change(m, on_change, &h);
	mib_set_begin(m, MIB_BY_SNMP);
	assert_int_equal(set_num(m, o_enabled, N(o_enabled), BER_INTEGER, 2, NULL), MIB_E_OK);
	assert_int_equal(set_num(m, o_reset, N(o_reset), BER_INTEGER, 1, NULL), MIB_E_OK);
	mib_set_commit(m);
	assert_int_equal(h.calls, 1);
	assert_int_equal(h.last, MIB_CH_ENABLED | MIB_CH_RESET);
	assert_int_equal(get_num(m, o_reset, N(o_reset)), 2);
	/* the same value again changes nothing: no call */
	mib_set_begin(m, MIB_BY_SNMP);
	assert_int_equal(set_num(m, o_enabled, N(o_enabled), BER_INTEGER, 2, NULL), MIB_E_OK);
	mib_set_commit(m);
	assert_int_equal(h.calls, 1);
}


/* ------------------------------------------------------------------ P-CSCF (6.6.2) */

#define PCSCF 1, 3, 6, 1, 4, 1, 4491, 2, 2, 10, 3, 1, 1, 4, 1   /* pktcEUEDevPCSCFEntry */

static const uint32_t o_pc_type1[] = { PCSCF, 2, 1 };
static const uint32_t o_pc_addr1[] = { PCSCF, 3, 1 };
static const uint32_t o_pc_port1[] = { PCSCF, 4, 1 };
static const uint32_t o_pc_proto1[] = { PCSCF, 5, 1 };
static const uint32_t o_pc_used1[] = { PCSCF, 7, 1 };
static const uint32_t o_pc_t1_1[] = { PCSCF, 8, 1 };
static const uint32_t o_pc_status1[] = { PCSCF, 12, 1 };
static const uint32_t o_pc_type2[] = { PCSCF, 2, 2 };
static const uint32_t o_pc_addr2[] = { PCSCF, 3, 2 };
static const uint32_t o_pc_status2[] = { PCSCF, 12, 2 };

/* Stage a whole P-CSCF row (createAndGo) in the open transaction. */
static void pcscf_row(struct mib *m, const uint32_t *t, const uint32_t *a, const uint32_t *s,
		      int type, const void *addr, size_t len)
{
	assert_int_equal(set_num(m, t, N(o_pc_type1), BER_INTEGER, type, NULL), MIB_E_OK);
	assert_int_equal(set_bytes(m, a, N(o_pc_addr1), addr, len), MIB_E_OK);
	assert_int_equal(set_num(m, s, N(o_pc_status1), BER_INTEGER, 4, NULL), MIB_E_OK);
}

/* The file creates rows (an FQDN and an IPv4 address); they read back with
 * their DEFVALs; the Used* columns are read-only and empty (no SIP stack). */
static void test_pcscf_rows_from_file(void **state)
{
	static const uint8_t v4[4] = { 192, 0, 2, 50 };
	struct mib *m = *state;
	struct hook h = { 0, 0 };
	struct mib_out out;
	char buf[64];

	assert_int_equal(mib_get(m, o_pc_addr1, N(o_pc_addr1), &out), MIB_NO_SUCH_INSTANCE);
	assert_int_equal(mib_lookup(o_pc_addr1, N(o_pc_addr1), MIB_BY_FILE), MIB_O_PCSCF_ADDR);
	mib_on_change(m, on_change, &h);
	mib_set_begin(m, MIB_BY_FILE);
	pcscf_row(m, o_pc_type1, o_pc_addr1, o_pc_status1, 16, "pcscf.example.net", 17);
	pcscf_row(m, o_pc_type2, o_pc_addr2, o_pc_status2, 1, v4, 4);
	assert_int_equal(set_num(m, o_pc_port1, N(o_pc_port1), BER_GAUGE32, 5061, NULL), MIB_E_OK);
	assert_int_equal(mib_set_check(m, NULL, NULL, NULL), MIB_E_OK);
	mib_set_commit(m);
	assert_int_equal(h.calls, 1);
	assert_true(h.last & MIB_CH_PCSCF);
	assert_int_equal(get_num(m, o_pc_type1, N(o_pc_type1)), 16);
	get_bytes(m, o_pc_addr1, N(o_pc_addr1), buf, sizeof(buf));
	assert_string_equal(buf, "pcscf.example.net");
	assert_int_equal(get_num(m, o_pc_port1, N(o_pc_port1)), 5061);
	assert_int_equal(get_num(m, o_pc_proto1, N(o_pc_proto1)), 1);
	assert_int_equal(get_num(m, o_pc_t1_1, N(o_pc_t1_1)), 500);
	assert_int_equal(get_num(m, o_pc_status1, N(o_pc_status1)), 1);
	assert_int_equal(get_num(m, o_pc_type2, N(o_pc_type2)), 1);
	assert_int_equal(get_bytes(m, o_pc_used1, N(o_pc_used1), buf, sizeof(buf)), 0);
	assert_int_equal(mib_get(m, o_pc_addr2, N(o_pc_addr2), &out), MIB_GET_OK);
	assert_int_equal(out.v.len, 4);
	assert_memory_equal(out.v.bytes, v4, 4);

	/* a new file replaces the table: only its row is left */
	mib_set_begin(m, MIB_BY_FILE);
	pcscf_row(m, o_pc_type2, o_pc_addr2, o_pc_status2, 16, "p2.example.net", 14);
	mib_set_commit(m);
	assert_int_equal(mib_get(m, o_pc_addr1, N(o_pc_addr1), &out), MIB_NO_SUCH_INSTANCE);
	get_bytes(m, o_pc_addr2, N(o_pc_addr2), buf, sizeof(buf));
	assert_string_equal(buf, "p2.example.net");
	assert_int_equal(m->run.n_pcscf, 1);
}

/* Row rules: an incomplete row, an address that is not of its type, a
 * column without RowStatus, createAndWait, the row limit, read-only columns. */
static void test_pcscf_row_rules(void **state)
{
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	struct mib *m = *state;
	uint32_t oid[MIB_OID_MAX];
	size_t n = 0;
	const char *why = NULL;
	int i;

	mib_set_begin(m, MIB_BY_FILE);
	assert_int_equal(set_num(m, o_pc_status1, N(o_pc_status1), BER_INTEGER, 4, NULL), MIB_E_OK);
	assert_int_equal(mib_set_check(m, oid, &n, &why), MIB_E_INCONSISTENT_VALUE);
	assert_string_equal(why, "INCOMPLETE ROW");
	assert_int_equal(n, N(o_pc_status1));
	assert_memory_equal(oid, o_pc_status1, sizeof(o_pc_status1));
	mib_set_abort(m);

	mib_set_begin(m, MIB_BY_FILE);
	pcscf_row(m, o_pc_type1, o_pc_addr1, o_pc_status1, 1, v6, 16);      /* ipv4 type, 16 bytes */
	assert_int_equal(mib_set_check(m, NULL, NULL, &why), MIB_E_INCONSISTENT_VALUE);
	assert_string_equal(why, "ADDRESS DOES NOT MATCH ITS TYPE");
	mib_set_commit(m);              /* refused whole: nothing applied */
	assert_int_equal(m->run.n_pcscf, 0);

	mib_set_begin(m, MIB_BY_FILE);
	assert_int_equal(set_bytes(m, o_pc_addr1, N(o_pc_addr1), "x.example", 9), MIB_E_OK);
	assert_int_equal(mib_set_check(m, NULL, NULL, &why), MIB_E_NO_CREATION);
	mib_set_abort(m);

	mib_set_begin(m, MIB_BY_FILE);
	assert_int_equal(set_num(m, o_pc_status1, N(o_pc_status1), BER_INTEGER, 5, NULL),
			 MIB_E_WRONG_VALUE);                            /* createAndWait */
	assert_int_equal(set_num(m, o_pc_type1, N(o_pc_type1), BER_INTEGER, 3, NULL),
			 MIB_E_WRONG_VALUE);                            /* ipv4z */
	assert_int_equal(set_num(m, o_pc_port1, N(o_pc_port1), BER_GAUGE32, 65536, NULL),
			 MIB_E_WRONG_VALUE);
	assert_int_equal(set_num(m, o_pc_port1, N(o_pc_port1), BER_INTEGER, 5060, NULL),
			 MIB_E_WRONG_TYPE);
	assert_int_equal(set_bytes(m, o_pc_used1, N(o_pc_used1), "", 0), MIB_E_NOT_WRITABLE);
	for (i = 1; i <= MIB_PCSCF_MAX + 1; i++) {
		uint32_t t[] = { PCSCF, 2, (uint32_t)i };

		assert_int_equal(set_num(m, t, N(t), BER_INTEGER, 16, NULL),
				 i <= MIB_PCSCF_MAX ? MIB_E_OK : MIB_E_RESOURCE);
	}
	{
		uint32_t zero[] = { PCSCF, 2, 0 };

		assert_int_equal(set_num(m, zero, N(zero), BER_INTEGER, 16, NULL), MIB_E_NO_CREATION);
	}
	mib_set_abort(m);
}

/* SNMP follows the columns' read-create access: a manager may change,
 * create and destroy rows; DHCP has no way in (no setter exists). */
static void test_pcscf_snmp_access(void **state)
{
	struct mib *m = *state;
	struct mib_out out;
	char buf[64];

	mib_set_begin(m, MIB_BY_FILE);
	pcscf_row(m, o_pc_type1, o_pc_addr1, o_pc_status1, 16, "pcscf.example.net", 17);
	mib_set_commit(m);
	m->flow = MIB_FLOW_HYBRID;
	mib_set_begin(m, MIB_BY_SNMP);
	assert_int_equal(set_bytes(m, o_pc_addr1, N(o_pc_addr1), "other.example.net", 17), MIB_E_OK);
	pcscf_row(m, o_pc_type2, o_pc_addr2, o_pc_status2, 16, "p2.example.net", 14);
	mib_set_commit(m);
	get_bytes(m, o_pc_addr1, N(o_pc_addr1), buf, sizeof(buf));
	assert_string_equal(buf, "other.example.net");
	assert_int_equal(m->run.n_pcscf, 2);
	/* an SNMP SET does not replace the table (only a file does) */
	mib_set_begin(m, MIB_BY_SNMP);
	assert_int_equal(set_num(m, o_pc_status1, N(o_pc_status1), BER_INTEGER, 6, NULL), MIB_E_OK);
	mib_set_commit(m);
	assert_int_equal(mib_get(m, o_pc_addr1, N(o_pc_addr1), &out), MIB_NO_SUCH_INSTANCE);
	assert_int_equal(get_num(m, o_pc_status2, N(o_pc_status2)), 1);
	/* createAndGo on an existing row is inconsistent (RFC 2579) */
	mib_set_begin(m, MIB_BY_SNMP);
	assert_int_equal(set_num(m, o_pc_status2, N(o_pc_status2), BER_INTEGER, 4, NULL),
			 MIB_E_INCONSISTENT_VALUE);
	mib_set_abort(m);
}

/* ------------------------------------------------------------------ battery (6.6.4) */

#define UPS 1, 3, 6, 1, 2, 1, 33, 1
static const uint32_t o_ups_status[] = { UPS, 2, 1, 0 };
static const uint32_t o_ups_secs[] = { UPS, 2, 2, 0 };
static const uint32_t o_ups_mins[] = { UPS, 2, 3, 0 };
static const uint32_t o_ups_charge[] = { UPS, 2, 4, 0 };
static const uint32_t o_ups_source[] = { UPS, 4, 1, 0 };
static const uint32_t o_bb_rated[] = { 1, 3, 6, 1, 4, 1, 4491, 4, 1, 1, 1, 3, 0 };
static const uint32_t o_bb_avail[] = { 1, 3, 6, 1, 4, 1, 4491, 4, 1, 1, 1, 4, 0 };

static void fake_battery(void *arg, struct mib_battery *b)
{
	const struct mib_battery *src = arg;

	*b = *src;
}

/* No battery: every object is noSuchObject, getnext steps over them, a SET
 * names an unknown object; with the hook they read what it says. */
static void test_battery_objects(void **state)
{
	static const uint32_t if_phys[] = { 1, 3, 6, 1, 2, 1, 2, 2, 1, 6, 1 };
	struct mib *m = *state;
	struct mib_battery b = { .status = 3, .seconds_on_battery = 42, .minutes_remaining = 0,
				 .charge = 15, .on_battery = 1, .rated_minutes = 480,
				 .available_minutes = 72 };
	uint32_t next[MIB_OID_MAX];
	size_t nn;
	struct mib_out out;

	assert_int_equal(mib_get(m, o_ups_status, N(o_ups_status), &out), MIB_NO_SUCH_OBJECT);
	assert_int_equal(mib_get(m, o_bb_rated, N(o_bb_rated), &out), MIB_NO_SUCH_OBJECT);
	assert_int_equal(mib_getnext(m, if_phys, N(if_phys), next, &nn, &out), MIB_GET_OK);
	assert_int_equal(next[6], 140);         /* straight from ifPhysAddress.1 to mib-2.140 */
	mib_set_begin(m, MIB_BY_SNMP);
	assert_int_equal(set_num(m, o_ups_status, N(o_ups_status), BER_INTEGER, 2, NULL),
			 MIB_E_NO_CREATION);
	mib_set_abort(m);

	mib_set_battery(m, fake_battery, &b);
	assert_int_equal(get_num(m, o_ups_status, N(o_ups_status)), 3);
	assert_int_equal(get_num(m, o_ups_secs, N(o_ups_secs)), 42);
	assert_int_equal(get_num(m, o_ups_mins, N(o_ups_mins)), 1);    /* PositiveInteger */
	assert_int_equal(get_num(m, o_ups_charge, N(o_ups_charge)), 15);
	assert_int_equal(get_num(m, o_ups_source, N(o_ups_source)), 5); /* battery(5) */
	assert_int_equal(get_num(m, o_bb_rated, N(o_bb_rated)), 480);
	assert_int_equal(get_num(m, o_bb_avail, N(o_bb_avail)), 72);
	assert_int_equal(mib_getnext(m, if_phys, N(if_phys), next, &nn, &out), MIB_GET_OK);
	assert_int_equal(nn, N(o_ups_status));
	assert_memory_equal(next, o_ups_status, sizeof(o_ups_status));
	b.on_battery = 0;
	b.status = 9;                           /* out of range: unknown(1) */
	assert_int_equal(get_num(m, o_ups_source, N(o_ups_source)), 3);  /* normal(3) */
	assert_int_equal(get_num(m, o_ups_status, N(o_ups_status)), 1);
	mib_set_begin(m, MIB_BY_SNMP);
	assert_int_equal(set_num(m, o_ups_status, N(o_ups_status), BER_INTEGER, 2, NULL),
			 MIB_E_NOT_WRITABLE);
	mib_set_abort(m);
}


/* 6.6.5: pktcEUECB* (CL-PKTC-EUE-DEV-MIB), the stored profile's version and the
 * local bootstrapping status; the trigger bit only for an SNMP SET of true. */
static void test_cert_bootstrap_objects(void **state)
{
#define EUEDEV 1, 3, 6, 1, 4, 1, 4491, 2, 2, 10, 3, 1, 1
	static const uint32_t version[] = { EUEDEV, 1, 0 };
	static const uint32_t support[] = { EUEDEV, 6, 0 };
	static const uint32_t enable[] = { EUEDEV, 7, 0 };
	static const uint32_t data[] = { EUEDEV, 8, 0 };
	static const uint32_t status[] = { 1, 3, 6, 1, 4, 1, 8072, 9999, 4491, 1, 2, 0 };
	static const uint32_t lasterr[] = { 1, 3, 6, 1, 4, 1, 8072, 9999, 4491, 1, 3, 0 };
	static const char url[] = "https://cb.example.net:4433/profile.xml";
	static uint8_t big[MIB_CB_DATA_MAX + 1];
	struct mib *m = *state;
	struct hook h = { 0, 0 };
	struct mib_out out;
	char buf[64];
	const char *why = NULL;

	mib_on_change(m, on_change, &h);
	/* defaults: supported (capability 5.26 = 1), disabled (DEFVAL false), no data */
	assert_int_equal(get_num(m, support, N(support)), 1);
	assert_int_equal(get_num(m, enable, N(enable)), 2);
	assert_int_equal(get_bytes(m, data, N(data), buf, sizeof(buf)), 0);
	assert_int_equal(get_bytes(m, version, N(version), buf, sizeof(buf)), 0);
	assert_int_equal(get_num(m, status, N(status)), MIB_CB_IDLE);
	assert_int_equal(get_bytes(m, lasterr, N(lasterr), buf, sizeof(buf)), 0);
	/* read-only ones */
	mib_set_begin(m, MIB_BY_SNMP);
	assert_int_equal(set_num(m, support, N(support), BER_INTEGER, 2, &why), MIB_E_NOT_WRITABLE);
	assert_int_equal(set_num(m, status, N(status), BER_INTEGER, 1, &why), MIB_E_NOT_WRITABLE);
	assert_int_equal(set_bytes(m, version, N(version), "1", 1), MIB_E_NOT_WRITABLE);
	/* types, ranges, lengths */
	assert_int_equal(set_num(m, enable, N(enable), BER_INTEGER, 3, &why), MIB_E_WRONG_VALUE);
	assert_int_equal(set_num(m, enable, N(enable), BER_GAUGE32, 1, &why), MIB_E_WRONG_TYPE);
	assert_int_equal(set_num(m, data, N(data), BER_INTEGER, 1, &why), MIB_E_WRONG_TYPE);
	memset(big, 'a', sizeof(big));
	assert_int_equal(set_bytes(m, data, N(data), big, sizeof(big)), MIB_E_WRONG_LENGTH);
	assert_int_equal(set_bytes(m, data, N(data), big, MIB_CB_DATA_MAX), MIB_E_OK);
	mib_set_abort(m);
	assert_int_equal(h.calls, 0);
	/* the file: data and enable applied, no trigger bit (eue_cb acts after the apply) */
	mib_set_begin(m, MIB_BY_FILE);
	assert_int_equal(set_bytes(m, data, N(data), url, strlen(url)), MIB_E_OK);
	assert_int_equal(set_num(m, enable, N(enable), BER_INTEGER, 1, NULL), MIB_E_OK);
	mib_set_commit(m);
	assert_int_equal(h.last & MIB_CH_CB_TRIGGER, 0);
	assert_int_equal(get_num(m, enable, N(enable)), 1);
	assert_int_equal(mib_get(m, data, N(data), &out), MIB_GET_OK);
	assert_int_equal(out.v.len, strlen(url));
	assert_memory_equal(out.v.bytes, url, strlen(url));
	/* SNMP: true triggers, every time (even when already true); false does not */
	h.calls = 0;
	mib_set_begin(m, MIB_BY_SNMP);
	assert_int_equal(set_num(m, enable, N(enable), BER_INTEGER, 1, NULL), MIB_E_OK);
	mib_set_commit(m);
	assert_int_equal(h.calls, 1);
	assert_true(h.last & MIB_CH_CB_TRIGGER);
	mib_set_begin(m, MIB_BY_SNMP);
	assert_int_equal(set_num(m, enable, N(enable), BER_INTEGER, 2, NULL), MIB_E_OK);
	mib_set_commit(m);
	assert_int_equal(h.calls, 1);
	assert_int_equal(get_num(m, enable, N(enable)), 2);
	/* a max-size value reads back whole (MIB_OUT_MAX holds 1023 bytes) */
	mib_set_begin(m, MIB_BY_SNMP);
	assert_int_equal(set_bytes(m, data, N(data), big, MIB_CB_DATA_MAX), MIB_E_OK);
	mib_set_commit(m);
	assert_int_equal(mib_get(m, data, N(data), &out), MIB_GET_OK);
	assert_int_equal(out.v.len, MIB_CB_DATA_MAX);
	/* the device's status and the stored profile's version */
	m->cb_status = MIB_CB_FAILED;
	snprintf(m->cb_why, sizeof(m->cb_why), "server-untrusted: x");
	snprintf(m->profile_version, sizeof(m->profile_version), "1.0");
	assert_int_equal(get_num(m, status, N(status)), MIB_CB_FAILED);
	assert_int_equal(get_bytes(m, lasterr, N(lasterr), buf, sizeof(buf)), 19);
	assert_int_equal(get_bytes(m, version, N(version), buf, sizeof(buf)), 3);
	assert_memory_equal(buf, "1.0", 3);
	assert_int_equal(mib_lookup(enable, N(enable), MIB_BY_FILE), MIB_O_CB_ENABLE);
#undef EUEDEV
}

/* RFC 3413 rows from TLV 38: an IPv4 and an IPv6 receiver, every 38.3 type. */
static void test_tlv38_target_rows(void **state)
{
	struct mib *m = *state;
	const struct mib_target t[5] = {
		target(4, LAB4, 162, 3, 1000, 3, ""),           /* the lab's Basic file, IPv4 mode */
		target(6, LAB6, 1162, 1, 1505, 7, ""),          /* v1 trap, odd timeout */
		target(4, "\x0a\x00\x00\x01", 0, 2, 0, 5, ""),  /* no 38.2, no 38.4 */
		target(6, LAB6, 162, 4, 15000, 2, "opsv3"),     /* SNMPv3 trap */
		target(4, LAB4, 10162, 5, 500, 0, "informer"),  /* SNMPv3 inform */
	};
	/* BER contents of snmpUDPDomain 1.3.6.1.6.1.1 and of
	 * transportDomainUdpIpv6 1.3.6.1.2.1.100.1.2 */
	static const uint8_t udp4[] = { 0x2b, 6, 1, 6, 1, 1 };
	static const uint8_t udp6[] = { 0x2b, 6, 1, 2, 1, 100, 1, 2 };
	uint8_t buf[64];

	apply_targets(m, t, N(t));
	/* snmpTargetAddrTable */
	assert_int_equal(row_bytes(m, TA, 2, "@config_0", BER_OID, buf, sizeof(buf)), 6);
	assert_memory_equal(buf, udp4, 6);
	assert_int_equal(row_bytes(m, TA, 3, "@config_0", BER_OCTETS, buf, sizeof(buf)), 6);
	assert_memory_equal(buf, LAB4 "\x00\xa2", 6);
	assert_int_equal(row_num(m, TA, 4, "@config_0", BER_INTEGER), 100);
	assert_int_equal(row_num(m, TA, 5, "@config_0", BER_INTEGER), 3);
	row_bytes(m, TA, 6, "@config_0", BER_OCTETS, buf, sizeof(buf));
	assert_string_equal((char *)buf, "@config_inform");
	row_bytes(m, TA, 7, "@config_0", BER_OCTETS, buf, sizeof(buf));
	assert_string_equal((char *)buf, "@config_0");
	assert_int_equal(row_num(m, TA, 8, "@config_0", BER_INTEGER), 2);     /* volatile */
	assert_int_equal(row_num(m, TA, 9, "@config_0", BER_INTEGER), 1);     /* active */

	assert_int_equal(row_bytes(m, TA, 2, "@config_1", BER_OID, buf, sizeof(buf)), 8);
	assert_memory_equal(buf, udp6, 8);
	assert_int_equal(row_bytes(m, TA, 3, "@config_1", BER_OCTETS, buf, sizeof(buf)), 18);
	assert_memory_equal(buf, LAB6 "\x04\x8a", 18);
	assert_int_equal(row_num(m, TA, 4, "@config_1", BER_INTEGER), 151);   /* 1505 ms, up */
	assert_int_equal(row_num(m, TA, 5, "@config_1", BER_INTEGER), 7);
	row_bytes(m, TA, 6, "@config_1", BER_OCTETS, buf, sizeof(buf));
	assert_string_equal((char *)buf, "@config_trap");

	/* no 38.2: port 162; no 38.4: what the agent waits (1 s, 3 retries) */
	row_bytes(m, TA, 3, "@config_2", BER_OCTETS, buf, sizeof(buf));
	assert_memory_equal(buf, "\x0a\x00\x00\x01\x00\xa2", 6);
	assert_int_equal(row_num(m, TA, 4, "@config_2", BER_INTEGER), 100);
	assert_int_equal(row_num(m, TA, 5, "@config_2", BER_INTEGER), 3);
	row_bytes(m, TA, 6, "@config_2", BER_OCTETS, buf, sizeof(buf));
	assert_string_equal((char *)buf, "@config_trap");
	row_bytes(m, TA, 6, "@config_3", BER_OCTETS, buf, sizeof(buf));
	assert_string_equal((char *)buf, "@config_trap");
	row_bytes(m, TA, 6, "@config_4", BER_OCTETS, buf, sizeof(buf));
	assert_string_equal((char *)buf, "@config_inform");
	assert_int_equal(row_num(m, TA, 4, "@config_4", BER_INTEGER), 50);
	assert_int_equal(row_num(m, TA, 5, "@config_4", BER_INTEGER), 0);
	row_bytes(m, TA, 3, "@config_4", BER_OCTETS, buf, sizeof(buf));
	assert_memory_equal(buf, LAB4 "\x27\xb2", 6);      /* 10162 */

	/* snmpTargetParamsTable: MPModel, SecurityModel, SecurityName, SecurityLevel,
	 * RowStatus per 38.3 type (SNMP-FRAMEWORK-MIB codes) */
	{
		static const struct {
			const char *row;
			int mp, sm, level, status;
			const char *secname;
		} p[] = {
			{ "@config_0", 1, 2, 1, 1, "@config" },     /* 3: SNMPv2c inform */
			{ "@config_1", 0, 1, 1, 1, "@config" },     /* 1: SNMPv1 trap */
			{ "@config_2", 1, 2, 1, 1, "@config" },     /* 2: SNMPv2c trap */
			{ "@config_3", 3, 3, 2, 3, "opsv3" },       /* 4: SNMPv3 trap, notReady */
			{ "@config_4", 3, 3, 2, 3, "informer" },    /* 5: SNMPv3 inform, notReady */
		};
		size_t i;

		for (i = 0; i < N(p); i++) {
			assert_int_equal(row_num(m, TP, 2, p[i].row, BER_INTEGER), p[i].mp);
			assert_int_equal(row_num(m, TP, 3, p[i].row, BER_INTEGER), p[i].sm);
			row_bytes(m, TP, 4, p[i].row, BER_OCTETS, buf, sizeof(buf));
			assert_string_equal((char *)buf, p[i].secname);
			assert_int_equal(row_num(m, TP, 5, p[i].row, BER_INTEGER),
					 p[i].level);
			assert_int_equal(row_num(m, TP, 6, p[i].row, BER_INTEGER), 2);
			assert_int_equal(row_num(m, TP, 7, p[i].row, BER_INTEGER),
					 p[i].status);
		}
	}

	/* snmpNotifyTable: the two fixed rows, whatever the types */
	row_bytes(m, NT, 2, "@config_inform", BER_OCTETS, buf, sizeof(buf));
	assert_string_equal((char *)buf, "@config_inform");
	assert_int_equal(row_num(m, NT, 3, "@config_inform", BER_INTEGER), 2);
	assert_int_equal(row_num(m, NT, 4, "@config_inform", BER_INTEGER), 2);
	assert_int_equal(row_num(m, NT, 5, "@config_inform", BER_INTEGER), 1);
	row_bytes(m, NT, 2, "@config_trap", BER_OCTETS, buf, sizeof(buf));
	assert_string_equal((char *)buf, "@config_trap");
	assert_int_equal(row_num(m, NT, 3, "@config_trap", BER_INTEGER), 1);

	/* names that are not rows */
	{
		uint32_t oid[MIB_OID_MAX];
		struct mib_out out;

		assert_int_equal(mib_get(m, oid, row_oid(oid, TA, 3, "@config_5"), &out),
				 MIB_NO_SUCH_INSTANCE);
		assert_int_equal(mib_get(m, oid, row_oid(oid, TA, 3, "@config_"), &out),
				 MIB_NO_SUCH_INSTANCE);
		assert_int_equal(mib_get(m, oid, row_oid(oid, TA, 3, "@config_00"), &out),
				 MIB_NO_SUCH_INSTANCE);
		/* a length arc before the name (a non-IMPLIED reading) is another name */
		{
			size_t n = row_oid(oid, TA, 3, "X@config_0");

			oid[11] = 9;
			assert_int_equal(mib_get(m, oid, n, &out), MIB_NO_SUCH_INSTANCE);
		}
		/* the index column is not-accessible */
		assert_int_equal(mib_get(m, oid, row_oid(oid, TA, 1, "@config_0"), &out),
				 MIB_NO_SUCH_OBJECT);
		assert_int_equal(mib_get(m, oid, row_oid(oid, NT, 3, "@config_other"), &out),
				 MIB_NO_SUCH_INSTANCE);
	}
}

/* getnext over the IMPLIED string indexes: byte order, a name before its
 * extensions, into the next column, the next table, the end of the MIB. */
static void test_tlv38_getnext_implied_order(void **state)
{
	struct mib *m = *state;
	const struct mib_target t[3] = {
		target(4, LAB4, 162, 3, 1000, 3, ""),
		target(6, LAB6, 162, 2, 0, 0, ""),
		target(4, LAB4, 163, 1, 0, 0, ""),
	};
	uint32_t oid[MIB_OID_MAX], want[MIB_OID_MAX], next[MIB_OID_MAX];
	size_t n, nw, nn;
	struct mib_out out;
	static const uint32_t target_mib[] = { 1, 3, 6, 1, 6, 3, 12 };
	/* TDomain."@c" with a 255 arc: above every "@config_<j>" */
	static const uint32_t above_names[] = { TADDR, 2, '@', 'c', 255 };
	/* TDomain."@config_0".0: between "@config_0" and "@config_1" */
	static const uint32_t after0[] = { TADDR, 2, CONFIG_, '0', 0 };
	/* TDomain."@config": a prefix of every name, so before all of them */
	static const uint32_t prefix[] = { TADDR, 2, CONFIG_ };

	apply_targets(m, t, N(t));
	/* from SNMP-TARGET-MIB itself: the first column's first row; no length arc */
	assert_int_equal(mib_getnext(m, target_mib, N(target_mib), next, &nn, &out), MIB_GET_OK);
	nw = row_oid(want, TA, 2, "@config_0");
	assert_int_equal(nn, 10 + 1 + 9);
	assert_int_equal(cmp_oid(next, nn, want, nw), 0);
	assert_int_equal(out.v.type, BER_OID);
	assert_int_equal(mib_getnext(m, prefix, N(prefix), next, &nn, &out), MIB_GET_OK);
	assert_int_equal(cmp_oid(next, nn, want, nw), 0);
	/* the rows in name order, then the next column */
	n = nw;
	memcpy(oid, want, n * sizeof(oid[0]));
	{
		static const char *const order[] = { "@config_1", "@config_2" };
		size_t i;

		for (i = 0; i < N(order); i++) {
			assert_int_equal(mib_getnext(m, oid, n, next, &nn, &out), MIB_GET_OK);
			nw = row_oid(want, TA, 2, order[i]);
			assert_int_equal(cmp_oid(next, nn, want, nw), 0);
			memcpy(oid, next, nn * sizeof(oid[0]));
			n = nn;
		}
	}
	assert_int_equal(mib_getnext(m, oid, n, next, &nn, &out), MIB_GET_OK);
	nw = row_oid(want, TA, 3, "@config_0");
	assert_int_equal(cmp_oid(next, nn, want, nw), 0);
	assert_int_equal(out.v.len, 6);
	/* a name's extension comes after it and before the next name */
	assert_int_equal(mib_getnext(m, after0, N(after0), next, &nn, &out), MIB_GET_OK);
	nw = row_oid(want, TA, 2, "@config_1");
	assert_int_equal(cmp_oid(next, nn, want, nw), 0);
	/* above every name of the column: the next column's first row */
	assert_int_equal(mib_getnext(m, above_names, N(above_names), next, &nn, &out), MIB_GET_OK);
	nw = row_oid(want, TA, 3, "@config_0");
	assert_int_equal(cmp_oid(next, nn, want, nw), 0);
	/* the last snmpTargetAddrTable cell goes on to snmpTargetParamsTable */
	n = row_oid(oid, TA, 9, "@config_2");
	assert_int_equal(mib_getnext(m, oid, n, next, &nn, &out), MIB_GET_OK);
	nw = row_oid(want, TP, 2, "@config_0");
	assert_int_equal(cmp_oid(next, nn, want, nw), 0);
	/* ... and its last one to SNMP-NOTIFICATION-MIB, "@config_inform" before "@config_trap" */
	n = row_oid(oid, TP, 7, "@config_2");
	assert_int_equal(mib_getnext(m, oid, n, next, &nn, &out), MIB_GET_OK);
	nw = row_oid(want, NT, 2, "@config_inform");
	assert_int_equal(cmp_oid(next, nn, want, nw), 0);
	memcpy(oid, next, nn * sizeof(oid[0]));
	assert_int_equal(mib_getnext(m, oid, nn, next, &nn, &out), MIB_GET_OK);
	nw = row_oid(want, NT, 2, "@config_trap");
	assert_int_equal(cmp_oid(next, nn, want, nw), 0);
	/* the end of the MIB */
	n = row_oid(oid, NT, 5, "@config_trap");
	assert_int_equal(mib_getnext(m, oid, n, next, &nn, &out), MIB_END_OF_VIEW);
}

/* TLV 38 is the only writer: SNMP and TLV 11 are refused, nothing changes. */
static void test_tlv38_rows_not_writable(void **state)
{
	struct mib *m = *state;
	const struct mib_target t = target(4, LAB4, 162, 3, 1000, 3, "");
	static const enum mib_origin origins[] = { MIB_BY_SNMP, MIB_BY_FILE };
	uint32_t oid[MIB_OID_MAX];
	uint8_t buf[32];
	const char *why = NULL;
	size_t n, i;

	apply_targets(m, &t, 1);
	for (i = 0; i < N(origins); i++) {
		mib_set_begin(m, origins[i]);
		n = row_oid(oid, TA, 3, "@config_0");
		assert_int_equal(mib_lookup(oid, n, origins[i]), MIB_O_TADDR_TADDRESS);
		assert_int_equal(set_bytes(m, oid, n, "\x0a\x00\x00\x02\x00\xa2", 6), MIB_E_NOT_WRITABLE);
		n = row_oid(oid, TA, 9, "@config_0");
		assert_int_equal(set_num(m, oid, n, BER_INTEGER, 6, &why), MIB_E_NOT_WRITABLE);
		assert_string_equal(why, "NOT WRITABLE - SET BY TLV 38 ONLY");
		/* a new row could never be created */
		n = row_oid(oid, TA, 9, "mgr");
		assert_int_equal(set_num(m, oid, n, BER_INTEGER, 4, &why), MIB_E_NO_CREATION);
		assert_string_equal(why, "NOT WRITABLE - SET BY TLV 38 ONLY");
		n = row_oid(oid, TP, 4, "@config_0");
		assert_int_equal(set_bytes(m, oid, n, "x", 1), MIB_E_NOT_WRITABLE);
		n = row_oid(oid, NT, 3, "@config_trap");
		assert_int_equal(set_num(m, oid, n, BER_INTEGER, 2, NULL), MIB_E_NOT_WRITABLE);
		n = row_oid(oid, NT, 5, "@config_x");
		assert_int_equal(set_num(m, oid, n, BER_INTEGER, 4, NULL), MIB_E_NO_CREATION);
		if (origins[i] == MIB_BY_SNMP)
			mib_set_commit(m);      /* nothing staged: commits nothing */
		else
			mib_set_abort(m);       /* a file without TLV 38 would drop them */
	}
	assert_int_equal(m->run.n_targets, 1);
	row_bytes(m, TA, 3, "@config_0", BER_OCTETS, buf, sizeof(buf));
	assert_memory_equal(buf, LAB4 "\x00\xa2", 6);
	assert_int_equal(row_num(m, NT, 3, "@config_trap", BER_INTEGER), 1);
}

/* No TLV 38: no rows in any of the three tables; a later file without one
 * removes them. */
static void test_tlv38_no_targets_no_rows(void **state)
{
	struct mib *m = *state;
	const struct mib_target t = target(6, LAB6, 162, 3, 1000, 3, "");
	static const uint32_t target_mib[] = { 1, 3, 6, 1, 6, 3, 12 };
	static const uint32_t notify_mib[] = { 1, 3, 6, 1, 6, 3, 13 };
	static const uint32_t euestatus[] = { 1, 3, 6, 1, 4, 1, 8072, 9999, 4491, 1, 3, 0 };
	uint32_t oid[MIB_OID_MAX], next[MIB_OID_MAX];
	struct mib_out out;
	size_t nn, round;

	for (round = 0; round < 2; round++) {
		assert_int_equal(m->run.n_targets, 0);
		assert_int_equal(mib_get(m, oid, row_oid(oid, TA, 2, "@config_0"), &out),
				 MIB_NO_SUCH_INSTANCE);
		assert_int_equal(mib_get(m, oid, row_oid(oid, TP, 2, "@config_0"), &out),
				 MIB_NO_SUCH_INSTANCE);
		assert_int_equal(mib_get(m, oid, row_oid(oid, NT, 3, "@config_trap"), &out),
				 MIB_NO_SUCH_INSTANCE);
		assert_int_equal(mib_getnext(m, target_mib, N(target_mib), next, &nn, &out), MIB_END_OF_VIEW);
		assert_int_equal(mib_getnext(m, notify_mib, N(notify_mib), next, &nn, &out), MIB_END_OF_VIEW);
		/* the last object of the MIB is then eueCertBootLastError.0 */
		assert_int_equal(mib_getnext(m, euestatus, N(euestatus), next, &nn, &out), MIB_END_OF_VIEW);
		if (round == 0) {
			apply_targets(m, &t, 1);
			assert_int_equal(mib_getnext(m, target_mib, N(target_mib), next, &nn, &out),
					 MIB_GET_OK);
			/* the next file has no TLV 38 */
			mib_set_begin(m, MIB_BY_FILE);
			assert_int_equal(set_num(m, o_enabled, N(o_enabled), BER_INTEGER, 1, NULL), MIB_E_OK);
			mib_set_commit(m);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_identity_and_status_reads, setup),
		cmocka_unit_test_setup(test_event_syslog_objects, setup),
		cmocka_unit_test_setup(test_get_exceptions, setup),
		cmocka_unit_test_setup(test_getnext_walks_everything_in_order, setup),
		cmocka_unit_test_setup(test_snmp_origin_rules_per_flow, setup),
		cmocka_unit_test_setup(test_file_origin_rules, setup),
		cmocka_unit_test_setup(test_wrong_types_lengths_ranges, setup),
		cmocka_unit_test_setup(test_server_addresses, setup),
		cmocka_unit_test_setup(test_failed_transaction_stages_nothing, setup),
		cmocka_unit_test_setup(test_realm_rows, setup),
		cmocka_unit_test_setup(test_cablelabs_realm_row_maps_to_rfc4682, setup),
		cmocka_unit_test_setup(test_error_table_limit, setup),
		cmocka_unit_test_setup(test_change_hook, setup),
		cmocka_unit_test_setup(test_cert_bootstrap_objects, setup),
		cmocka_unit_test_setup(test_tlv38_target_rows, setup),
		cmocka_unit_test_setup(test_tlv38_getnext_implied_order, setup),
		cmocka_unit_test_setup(test_tlv38_rows_not_writable, setup),
		cmocka_unit_test_setup(test_tlv38_no_targets_no_rows, setup),
		cmocka_unit_test_setup(test_pcscf_rows_from_file, setup),
		cmocka_unit_test_setup(test_pcscf_row_rules, setup),
		cmocka_unit_test_setup(test_pcscf_snmp_access, setup),
		cmocka_unit_test_setup(test_battery_objects, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
