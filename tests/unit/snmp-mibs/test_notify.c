/*
 * test_notify.c: the contents of the enrollment and status notifications
 * (snmp-mibs/notify.c) against a small fake model, and the TLV 38.3 type
 * rules.  The model (snmp-mibs/mib.c) is another file's; the fake below
 * implements the mib.h calls notify.c makes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include <sys/socket.h>

#include "platform/err.h"
#include "snmp-mibs/notify.h"

/* ------------------------------------------------------------ fake model */

struct fobj {
	uint32_t oid[16];
	size_t n;
	uint8_t type;
	int64_t num;
	const char *str;
};

struct fake {
	struct fobj o[16];
	size_t n;
};

/*
 * mib.h defines struct mib (the real model's state); the fake keeps its own
 * state and uses a struct mib only as the handle it is called with.
 */
static struct fake fm;
static struct mib handle;

static void fm_add(const uint32_t *oid, size_t n, uint8_t type, int64_t num, const char *str)
{
	struct fobj *o = &fm.o[fm.n++];

	memcpy(o->oid, oid, n * sizeof(uint32_t));
	o->n = n;
	o->type = type;
	o->num = num;
	o->str = str;
}

#define ADD(type, num, str, ...) \
	fm_add((const uint32_t[]){ __VA_ARGS__ }, \
	       sizeof((const uint32_t[]){ __VA_ARGS__ }) / sizeof(uint32_t), type, num, str)

static void fm_default(void)
{
	memset(&fm, 0, sizeof(fm));
	ADD(BER_OCTETS, 0, "E-UE test device", 1, 3, 6, 1, 2, 1, 1, 1, 0);          /* sysDescr.0 */
	ADD(BER_OCTETS, 0, "\x00\x11\x22\x33\x44\x55", 1, 3, 6, 1, 2, 1, 2, 2, 1, 6, 1); /* ifPhysAddress.1 */
	ADD(BER_INTEGER, 1, NULL, 1, 3, 6, 1, 2, 1, 140, 1, 1, 8, 0);               /* ProvisioningState */
	ADD(BER_OCTETS, 0, "v1.2.3", 1, 3, 6, 1, 2, 1, 140, 1, 1, 3, 0);             /* SwCurrentVers */
	ADD(BER_OCTETS, 0, "EDVA", 1, 3, 6, 1, 2, 1, 140, 1, 1, 7, 0);              /* TypeIdentifier */
	ADD(BER_INTEGER, 4242, NULL, 1, 3, 6, 1, 2, 1, 140, 1, 3, 3, 0);            /* CorrelationId */
}

static struct fobj *fm_find(const uint32_t *oid, size_t n)
{
	for (size_t i = 0; i < fm.n; i++)
		if (fm.o[i].n == n && memcmp(fm.o[i].oid, oid, n * sizeof(uint32_t)) == 0)
			return &fm.o[i];
	return NULL;
}

static void fm_del(const uint32_t *oid, size_t n)
{
	struct fobj *o = fm_find(oid, n);

	if (o == NULL)
		fail_msg("no such fake object");
	else
		*o = fm.o[--fm.n];
}

int mib_get(struct mib *m, const uint32_t *oid, size_t n, struct mib_out *out)
{
	struct fobj *o;

	assert_ptr_equal(m, &handle);
	o = fm_find(oid, n);
	if (o == NULL)
		return MIB_NO_SUCH_OBJECT;
	memset(&out->v, 0, sizeof(out->v));
	out->v.type = o->type;
	out->v.num = o->num;
	if (o->str != NULL) {
		/* The ifPhysAddress string starts with NUL: 6 bytes. */
		out->v.len = o->str[0] ? strlen(o->str) : 6;
		memcpy(out->buf, o->str, out->v.len);
		out->v.bytes = out->buf;
	}
	return MIB_GET_OK;
}

/* ------------------------------------------------------------ helpers */

static const uint32_t sys_uptime[] = { 1, 3, 6, 1, 2, 1, 1, 3, 0 };
static const uint32_t trap_oid[] = { 1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0 };
static const uint32_t if_phys[] = { 1, 3, 6, 1, 2, 1, 2, 2, 1, 6, 1 };
static const uint32_t sys_descr[] = { 1, 3, 6, 1, 2, 1, 1, 1, 0 };
static const uint32_t corr_id[] = { 1, 3, 6, 1, 2, 1, 140, 1, 3, 3, 0 };
static const uint32_t prov_state[] = { 1, 3, 6, 1, 2, 1, 140, 1, 1, 8, 0 };
static const uint32_t sw_vers[] = { 1, 3, 6, 1, 2, 1, 140, 1, 1, 3, 0 };
static const uint32_t type_id[] = { 1, 3, 6, 1, 2, 1, 140, 1, 1, 7, 0 };
static const uint32_t eue_status[] = { 1, 3, 6, 1, 4, 1, 8072, 9999, 4491, 1, 1, 0 };

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void assert_vb_oid(const struct notify_vb *vb, const uint32_t *oid, size_t n)
{
	assert_int_equal(vb->n, n);
	assert_memory_equal(vb->oid, oid, n * sizeof(uint32_t));
}

static struct notify_msg msg;

/* ------------------------------------------------------------ tests */

static void test_enrollment_contents(void **state)
{
	/* snmpTrapOID value: BER contents of 1.3.6.1.2.1.140.0.1 (140 = 0x81 0x0c). */
	static const uint8_t enroll_ber[] = { 0x2b, 6, 1, 2, 1, 0x81, 0x0c, 0, 1 };

	(void)state;
	fm_default();
	assert_int_equal(notify_build(&handle, NOTIFY_ENROLLMENT, 777, &msg), 0);
	assert_int_equal(msg.kind, NOTIFY_ENROLLMENT);
	assert_int_equal(msg.n, 7);
	/* RFC 3416 4.2.6: sysUpTime.0, then snmpTrapOID.0. */
	assert_vb_oid(&msg.vb[0], sys_uptime, N(sys_uptime));
	assert_int_equal(msg.vb[0].val.v.type, BER_TIMETICKS);
	assert_int_equal(msg.vb[0].val.v.num, 777);     /* the model has no sysUpTime */
	assert_vb_oid(&msg.vb[1], trap_oid, N(trap_oid));
	assert_int_equal(msg.vb[1].val.v.type, BER_OID);
	assert_int_equal(msg.vb[1].val.v.len, sizeof(enroll_ber));
	assert_memory_equal(msg.vb[1].val.v.bytes, enroll_ber, sizeof(enroll_ber));
	/* RFC 4682 OBJECTS, in order. */
	assert_vb_oid(&msg.vb[2], sys_descr, N(sys_descr));
	assert_int_equal(msg.vb[2].val.v.len, strlen("E-UE test device"));
	assert_memory_equal(msg.vb[2].val.v.bytes, "E-UE test device", msg.vb[2].val.v.len);
	assert_vb_oid(&msg.vb[3], sw_vers, N(sw_vers));
	assert_vb_oid(&msg.vb[4], type_id, N(type_id));
	assert_vb_oid(&msg.vb[5], if_phys, N(if_phys));
	assert_int_equal(msg.vb[5].val.v.len, 6);
	assert_vb_oid(&msg.vb[6], corr_id, N(corr_id));
	assert_int_equal(msg.vb[6].val.v.num, 4242);
	assert_int_equal(msg.trap_oid_n, 9);
	assert_int_equal(msg.trap_oid[8], 1);
}

static void test_status_contents(void **state)
{
	static const uint8_t status_ber[] = { 0x2b, 6, 1, 2, 1, 0x81, 0x0c, 0, 2 };

	(void)state;
	fm_default();
	ADD(BER_INTEGER, 3, NULL, 1, 3, 6, 1, 4, 1, 8072, 9999, 4491, 1, 1, 0);
	assert_int_equal(notify_build(&handle, NOTIFY_STATUS, 5, &msg), 0);
	assert_int_equal(msg.n, 6);
	assert_memory_equal(msg.vb[1].val.v.bytes, status_ber, sizeof(status_ber));
	assert_vb_oid(&msg.vb[2], if_phys, N(if_phys));
	assert_vb_oid(&msg.vb[3], corr_id, N(corr_id));
	assert_vb_oid(&msg.vb[4], prov_state, N(prov_state));
	assert_int_equal(msg.vb[4].val.v.num, 1);
	assert_vb_oid(&msg.vb[5], eue_status, N(eue_status));
	assert_int_equal(msg.vb[5].val.v.num, 3);
}

static void test_model_uptime_used(void **state)
{
	(void)state;
	fm_default();
	ADD(BER_TIMETICKS, 123456, NULL, 1, 3, 6, 1, 2, 1, 1, 3, 0);
	assert_int_equal(notify_build(&handle, NOTIFY_STATUS, 5, &msg), 0);
	assert_int_equal(msg.vb[0].val.v.num, 123456);
}

/* ifPhysAddress (no IF-MIB in the model yet) and the eUE object are optional. */
static void test_optional_objects_left_out(void **state)
{
	(void)state;
	fm_default();
	fm_del(if_phys, N(if_phys));
	assert_int_equal(notify_build(&handle, NOTIFY_STATUS, 0, &msg), 0);
	assert_int_equal(msg.n, 4);
	assert_vb_oid(&msg.vb[2], corr_id, N(corr_id));
	assert_vb_oid(&msg.vb[3], prov_state, N(prov_state));
	assert_int_equal(notify_build(&handle, NOTIFY_ENROLLMENT, 0, &msg), 0);
	assert_int_equal(msg.n, 6);
	assert_vb_oid(&msg.vb[5], corr_id, N(corr_id));
}

static void test_mandatory_object_missing(void **state)
{
	(void)state;
	fm_default();
	fm_del(corr_id, N(corr_id));
	assert_int_equal(notify_build(&handle, NOTIFY_ENROLLMENT, 0, &msg), E_NOTFOUND);
	assert_int_equal(notify_build(&handle, NOTIFY_STATUS, 0, &msg), E_NOTFOUND);
	fm_default();
	fm_del(sys_descr, N(sys_descr));
	assert_int_equal(notify_build(&handle, NOTIFY_ENROLLMENT, 0, &msg), E_NOTFOUND);
	assert_int_equal(notify_build(&handle, NOTIFY_STATUS, 0, &msg), 0);   /* not one of its OBJECTS */
	assert_int_equal(notify_build(&handle, NOTIFY_KIND_COUNT, 0, &msg), E_INVAL);
	assert_int_equal(notify_build(NULL, NOTIFY_STATUS, 0, &msg), E_INVAL);
}

/* TLV 38.3: 1..3 community-based, 4/5 SNMPv3 USM, others invalid. */
static void test_dest_types(void **state)
{
	struct notify_dest d;

	(void)state;
	memset(&d, 0, sizeof(d));
	d.addr.family = AF_INET;
	for (unsigned t = 0; t <= 6; t++) {
		d.type = (uint8_t)t;
		assert_int_equal(notify_dest_check(&d), t >= 1 && t <= 5 ? 0 : E_INVAL);
	}
	/* A receiver's snmpEngineID for type 5: RFC 3411 SIZE(5..32). */
	{
		static const uint8_t eid[33] = { 0x80, 0, 0x11, 0x8b, 3 };

		d.type = NOTIFY_V3_INFORM;
		d.engine_id = eid;
		d.engine_id_len = 5;
		assert_int_equal(notify_dest_check(&d), 0);
		d.engine_id_len = 32;
		assert_int_equal(notify_dest_check(&d), 0);
		d.engine_id_len = 4;
		assert_int_equal(notify_dest_check(&d), E_INVAL);
		d.engine_id_len = 33;
		assert_int_equal(notify_dest_check(&d), E_INVAL);
		d.engine_id = NULL;
		d.engine_id_len = 5;
		assert_int_equal(notify_dest_check(&d), E_INVAL);
		d.engine_id_len = 0;
	}
	d.type = NOTIFY_V2C_INFORM;
	d.addr.family = AF_INET6;
	assert_int_equal(notify_dest_check(&d), 0);
	d.addr.family = AF_UNIX;
	assert_int_equal(notify_dest_check(&d), E_INVAL);
	assert_int_equal(notify_dest_check(NULL), E_INVAL);
	assert_string_equal(notify_kind_name(NOTIFY_ENROLLMENT), "enrollment");
	assert_string_equal(notify_kind_name(NOTIFY_KIND_COUNT), "?");
	assert_string_equal(notify_kind_name(NOTIFY_STATUS), "status");
}

/* The SNMP entity (eUE-15, eUE-25): a v2c INFORM to 162 with the defaults. */
static void test_dest_entity(void **state)
{
	struct net_addr e;
	struct notify_dest d;

	(void)state;
	memset(&e, 0, sizeof(e));
	e.family = AF_INET6;
	e.addr[0] = 0x20;
	e.addr[1] = 0x01;
	e.port = 4242;
	memset(&d, 0xa5, sizeof(d));
	notify_dest_entity(&d, &e);
	assert_int_equal(d.addr.family, AF_INET6);
	assert_memory_equal(d.addr.addr, e.addr, 16);
	assert_int_equal(d.addr.port, 162);
	assert_int_equal(d.type, NOTIFY_V2C_INFORM);
	assert_int_equal(d.timeout_ms, 1000);
	assert_int_equal(d.retries, 3);
	assert_null(d.community);
	assert_int_equal(notify_dest_check(&d), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_enrollment_contents),
		cmocka_unit_test(test_status_contents),
		cmocka_unit_test(test_model_uptime_used),
		cmocka_unit_test(test_optional_objects_left_out),
		cmocka_unit_test(test_mandatory_object_missing),
		cmocka_unit_test(test_dest_types),
		cmocka_unit_test(test_dest_entity),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
