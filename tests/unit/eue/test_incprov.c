/*
 * test_incprov.c: 6.3.6 incremental provisioning (eue/incprov.c) on the real
 * MIB model and real nvram in a private directory: an SNMP SET of
 * pktcEUEUsrAppMapAppAdminStat deactivates / activates an application
 * through the transaction, raises one event per change, is stored in nvram
 * and re-applied after the next accepted file, also by a fresh process
 * (reboot); an SNMP destroy forgets it; a corrupt record keeps nothing.
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

#include "eue/incprov.h"
#include "platform/err.h"
#include "tests/fake/fake.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define APPMAP 1, 3, 6, 1, 4, 1, 4491, 2, 2, 10, 4, 1, 1, 4, 1

static struct mib M;
static struct events EV;
static struct incprov IP;
static struct nvram *NV;
static char dir[64];

static int set_int(enum mib_origin o, uint32_t col, uint32_t impu, uint32_t app, int64_t v)
{
	uint32_t oid[] = { APPMAP, col, impu, app };
	struct mib_val x;

	(void)o;
	memset(&x, 0, sizeof(x));
	x.type = BER_INTEGER;
	x.num = v;
	return mib_set_test(&M, oid, N(oid), &x, NULL);
}

static int64_t admin_of(uint32_t impu, uint32_t app)
{
	uint32_t oid[] = { APPMAP, 5, impu, app };
	struct mib_out out;

	if (mib_get(&M, oid, N(oid), &out) != MIB_GET_OK)
		return -1;
	return out.v.num;
}

static int64_t oper_of(uint32_t impu, uint32_t app)
{
	uint32_t oid[] = { APPMAP, 7, impu, app };
	struct mib_out out;

	assert_int_equal(mib_get(&M, oid, N(oid), &out), MIB_GET_OK);
	return out.v.num;
}

/* The configuration file: rows (1,1) and (1,2), both active (AdminStat DEFVAL). */
static void apply_file(int with_row_1_1)
{
	mib_set_begin(&M, MIB_BY_FILE);
	if (with_row_1_1)
		assert_int_equal(set_int(MIB_BY_FILE, 9, 1, 1, 4), MIB_E_OK);
	assert_int_equal(set_int(MIB_BY_FILE, 9, 1, 2, 4), MIB_E_OK);
	assert_int_equal(mib_set_check(&M, NULL, NULL, NULL), MIB_E_OK);
	mib_set_commit(&M);
}

static void snmp_admin(uint32_t impu, uint32_t app, int v)
{
	mib_set_begin(&M, MIB_BY_SNMP);
	assert_int_equal(set_int(MIB_BY_SNMP, 5, impu, app, v), MIB_E_OK);
	mib_set_commit(&M);
}

/* A boot: a fresh MIB, the same nvram directory. */
static void boot(void)
{
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0x0e, 1 };
	struct mib_identity id;

	memset(&id, 0, sizeof(id));
	mib_init(&M, &id);
	M.flow = MIB_FLOW_HYBRID;
	ev_init(&EV, NULL, "Example", mac);
	if (NV)
		nvram_close(NV);
	assert_int_equal(nvram_open(&NV, dir, NULL), 0);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/test_incprov.XXXXXX");
	assert_non_null(mkdtemp(dir));
	NV = NULL;
	boot();
	assert_int_equal(incprov_init(&IP, &M, NV, &EV), 0);
	return 0;
}

static int teardown(void **state)
{
	char cmd[96];

	(void)state;
	nvram_close(NV);
	NV = NULL;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static void test_deactivate_persist_reapply(void **state)
{
	const struct ev_log_entry *e;
	uint8_t buf[64];
	size_t len;

	(void)state;
	apply_file(1);
	assert_int_equal(admin_of(1, 1), 1);
	assert_int_equal(oper_of(1, 1), 1);
	assert_int_equal(IP.raised, 0);          /* the file's rows are no SNMP change */

	snmp_admin(1, 1, 2);                     /* deactivate by SNMP */
	assert_int_equal(admin_of(1, 1), 2);
	assert_int_equal(oper_of(1, 1), 2);
	assert_int_equal(IP.raised, 1);
	e = ev_last(&EV);
	assert_non_null(e);
	assert_int_equal(e->id, ev_def_of(EV_APP_DEACTIVATED)->id);
	assert_non_null(strstr(e->text, "IMPU=1 APP=1"));
	assert_int_equal(nvram_get(NV, INCPROV_NV_KEY, buf, sizeof(buf), &len), 0);
	assert_int_equal(len, 5 + 3);
	assert_memory_equal(buf, "INC1\x01\x01\x01\x02", 8);

	/* the same value again: no change, no event */
	snmp_admin(1, 1, 2);
	assert_int_equal(IP.raised, 1);

	/* re-provisioning (pktcMtaDevResetNow): the file says active, the SET wins */
	apply_file(1);
	assert_int_equal(admin_of(1, 1), 2);
	assert_int_equal(admin_of(1, 2), 1);
	assert_int_equal(IP.raised, 1);          /* re-applying is not a new change */

	/* a reboot: new process state, same nvram */
	boot();
	assert_int_equal(incprov_init(&IP, &M, NV, &EV), 0);
	assert_int_equal(IP.n_ov, 1);
	apply_file(1);
	assert_int_equal(admin_of(1, 1), 2);
	assert_int_equal(admin_of(1, 2), 1);

	/* activated again by SNMP: event, stored */
	snmp_admin(1, 1, 1);
	assert_int_equal(admin_of(1, 1), 1);
	assert_int_equal(ev_last(&EV)->id, ev_def_of(EV_APP_ACTIVATED)->id);
	assert_int_equal(nvram_get(NV, INCPROV_NV_KEY, buf, sizeof(buf), &len), 0);
	assert_memory_equal(buf, "INC1\x01\x01\x01\x01", 8);
}

static void test_destroy_and_missing_rows(void **state)
{
	(void)state;
	apply_file(1);
	snmp_admin(1, 2, 2);
	assert_int_equal(IP.n_ov, 1);
	/* a file without row (1,1) and with (1,2): the override applies, nothing is created */
	snmp_admin(1, 1, 2);
	assert_int_equal(IP.n_ov, 2);
	apply_file(0);
	assert_int_equal(admin_of(1, 1), -1);
	assert_int_equal(admin_of(1, 2), 2);
	assert_int_equal(IP.n_ov, 2);            /* (1,1) waits for its row */
	/* SNMP destroys (1,2): its override goes */
	mib_set_begin(&M, MIB_BY_SNMP);
	assert_int_equal(set_int(MIB_BY_SNMP, 9, 1, 2, 6), MIB_E_OK);
	mib_set_commit(&M);
	assert_int_equal(admin_of(1, 2), -1);
	assert_int_equal(IP.n_ov, 1);
	assert_int_equal(IP.ov[0].impu, 1);
	assert_int_equal(IP.ov[0].app, 1);
	/* a failed SNMP SET changes nothing (one transaction) */
	mib_set_begin(&M, MIB_BY_SNMP);
	assert_int_equal(set_int(MIB_BY_SNMP, 5, 1, 1, 2), MIB_E_OK);
	assert_int_equal(set_int(MIB_BY_SNMP, 5, 1, 2, 3), MIB_E_WRONG_VALUE);  /* not a status */
	mib_set_abort(&M);
	assert_int_equal(IP.n_ov, 1);
}

static void test_record_codec_and_corruption(void **state)
{
	static const struct incprov_cell c[2] = { { 1, 1, 2 }, { 63, 31, 1 } };
	struct incprov_cell d[MIB_APPS_MAX];
	uint8_t buf[64];
	size_t len, n;

	(void)state;
	len = incprov_encode(c, 2, buf, sizeof(buf));
	assert_int_equal(len, 11);
	assert_int_equal(incprov_decode(buf, len, d, MIB_APPS_MAX, &n), 0);
	assert_int_equal(n, 2);
	assert_memory_equal(d, c, sizeof(c));
	assert_int_equal(incprov_decode(buf, len - 1, d, MIB_APPS_MAX, &n), E_PROTO);
	buf[7] = 3;                                          /* AdminStat 3 */
	assert_int_equal(incprov_decode(buf, len, d, MIB_APPS_MAX, &n), E_PROTO);
	buf[7] = 2;
	buf[5] = 0;                                          /* IMPU index 0 */
	assert_int_equal(incprov_decode(buf, len, d, MIB_APPS_MAX, &n), E_PROTO);
	assert_int_equal(incprov_encode(c, 2, buf, 10), 0);  /* does not fit */

	/* a well-framed nvram record with bad contents: nothing kept, still working */
	assert_int_equal(nvram_put(NV, INCPROV_NV_KEY, "INC1\x01\x00\x01\x02", 8), 0);
	boot();
	assert_int_equal(incprov_init(&IP, &M, NV, &EV), E_PROTO);
	assert_int_equal(IP.n_ov, 0);
	apply_file(1);
	snmp_admin(1, 1, 2);
	assert_int_equal(IP.n_ov, 1);
	assert_int_equal(IP.saves, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_deactivate_persist_reapply, setup, teardown),
		cmocka_unit_test_setup_teardown(test_destroy_and_missing_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_record_codec_and_corruption, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
