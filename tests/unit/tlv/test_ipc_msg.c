/*
 * test_ipc_msg.c: the ecmd <-> eued record catalogue: round trips of every
 * type, exact bytes of one record (endianness), and every rejection class.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "platform/err.h"
#include "tlv/ipc_msg.h"

static void fill_cm_ready(struct ipc_msg *m)
{
	static const uint8_t opt122[] = { 0x01, 0x04, 0xc6, 0x33, 0x64, 0x0a, 0x06, 0x09, 0x07,
					  'B', 'A', 'S', 'I', 'C', '.', '1', 0x00 };
	struct ipc_cm_ready *c = &m->u.cm_ready;

	memset(m, 0, sizeof(*m));
	m->type = IPC_CM_READY;
	c->mode = IPC_MODE_IPV6;
	ipc_msg_set(m, IPC_A_MODE);
	memcpy(c->dhcp4_primary, "\xc6\x33\x64\x0a", 4);
	ipc_msg_set(m, IPC_A_DHCP4_PRIMARY);
	c->dss_primary_len = 11;
	memcpy(c->dss_primary, "\x00\x02\x00\x00\x11\x8b\x01\x02\x03\x04\x05", 11);
	ipc_msg_set(m, IPC_A_DSS_PRIMARY);
	c->opt122.len = sizeof(opt122);
	memcpy(c->opt122.data, opt122, sizeof(opt122));
	ipc_msg_set(m, IPC_A_OPT122);
	c->ip_pref = 6;
	ipc_msg_set(m, IPC_A_IP_PREF);
	c->tod.unix_ms = -5;   /* negative values survive */
	c->tod.offset_s = -18000;
	c->tod.valid = 1;
	ipc_msg_set(m, IPC_A_TOD);
}

static void test_round_trip_cm_ready(void **state)
{
	struct ipc_msg m, d;
	uint8_t buf[IPC_MSG_HDR + 2048];
	int n;

	(void)state;
	fill_cm_ready(&m);
	n = ipc_msg_encode(&m, buf, sizeof(buf));
	assert_true(n > IPC_MSG_HDR);
	assert_int_equal(ipc_msg_decode(&d, buf, (size_t)n, NULL), 0);
	assert_int_equal(d.type, IPC_CM_READY);
	assert_int_equal(d.have, m.have);
	assert_int_equal(d.u.cm_ready.mode, IPC_MODE_IPV6);
	assert_memory_equal(d.u.cm_ready.dhcp4_primary, m.u.cm_ready.dhcp4_primary, 4);
	assert_int_equal(d.u.cm_ready.dss_primary_len, 11);
	assert_memory_equal(d.u.cm_ready.dss_primary, m.u.cm_ready.dss_primary, 11);
	assert_int_equal(d.u.cm_ready.opt122.len, m.u.cm_ready.opt122.len);
	assert_memory_equal(d.u.cm_ready.opt122.data, m.u.cm_ready.opt122.data, m.u.cm_ready.opt122.len);
	assert_int_equal(d.u.cm_ready.ip_pref, 6);
	assert_true(d.u.cm_ready.tod.unix_ms == -5);
	assert_int_equal(d.u.cm_ready.tod.offset_s, -18000);
	assert_int_equal(d.u.cm_ready.tod.valid, 1);
	assert_false(ipc_msg_has(&d, IPC_A_CCCV6));
}

/* The wire bytes are fixed big-endian, whatever the board's byte order. */
static void test_exact_bytes_tod(void **state)
{
	static const uint8_t want[] = {
		0x01, 0x02, 0x00, 0x11,               /* v1, IPC_TOD, body 17 */
		0x00, 0x01, 0x00, 0x0d,               /* attr 1, len 13 */
		0x00, 0x00, 0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x00,  /* 1700000000000 ms */
		0xff, 0xff, 0xb9, 0xb0,               /* -18000 */
		0x01,
	};
	struct ipc_msg m, d;
	uint8_t buf[64];
	int n;

	(void)state;
	memset(&m, 0, sizeof(m));
	m.type = IPC_TOD;
	m.u.tod.unix_ms = 1700000000000LL;
	m.u.tod.offset_s = -18000;
	m.u.tod.valid = 1;
	ipc_msg_set(&m, IPC_A_TOD_VALUE);
	n = ipc_msg_encode(&m, buf, sizeof(buf));
	assert_int_equal(n, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(ipc_msg_decode(&d, want, sizeof(want), NULL), 0);
	assert_true(d.u.tod.unix_ms == 1700000000000LL);
}

static void test_round_trip_state_reinit(void **state)
{
	struct ipc_msg m, d;
	uint8_t buf[512];
	int n;

	(void)state;
	memset(&m, 0, sizeof(m));
	m.type = IPC_EUE_STATE;
	m.u.state.prov_state = 3;
	strcpy(m.u.state.step, "eUE-19");
	strcpy(m.u.state.text, "hash mismatch");
	ipc_msg_set(&m, IPC_A_STATE);
	ipc_msg_set(&m, IPC_A_STEP);
	ipc_msg_set(&m, IPC_A_TEXT);
	n = ipc_msg_encode(&m, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(ipc_msg_decode(&d, buf, (size_t)n, NULL), 0);
	assert_string_equal(d.u.state.step, "eUE-19");
	assert_string_equal(d.u.state.text, "hash mismatch");

	memset(&m, 0, sizeof(m));
	m.type = IPC_CM_REINIT;
	m.u.reinit.reason = 2;
	ipc_msg_set(&m, IPC_A_REINIT_REASON);
	n = ipc_msg_encode(&m, buf, sizeof(buf));
	assert_int_equal(n, IPC_MSG_HDR + 5);
	assert_int_equal(ipc_msg_decode(&d, buf, (size_t)n, NULL), 0);
	assert_int_equal(d.u.reinit.reason, 2);
}

static void test_encode_refuses_bugs(void **state)
{
	struct ipc_msg m;
	uint8_t buf[16];

	(void)state;
	fill_cm_ready(&m);
	assert_int_equal(ipc_msg_encode(&m, buf, sizeof(buf)), E_OVERFLOW);
	m.have &= ~(1u << IPC_A_MODE);   /* a required attribute missing */
	assert_int_equal(ipc_msg_encode(&m, buf, sizeof(buf)), E_INVAL);
	m.type = 99;
	assert_int_equal(ipc_msg_encode(&m, buf, sizeof(buf)), E_INVAL);
}

static int enc(uint8_t *buf, size_t cap)
{
	struct ipc_msg m;

	fill_cm_ready(&m);
	return ipc_msg_encode(&m, buf, cap);
}

static void test_truncated_records(void **state)
{
	uint8_t buf[512];
	struct ipc_msg d;
	int n = enc(buf, sizeof(buf));

	(void)state;
	/* every strict prefix is refused, never accepted or crashed on */
	for (int cut = 0; cut < n; cut++)
		assert_true(ipc_msg_decode(&d, buf, (size_t)cut, NULL) < 0);
	assert_int_equal(ipc_msg_decode(&d, buf, 3, NULL), E_SHORT);
	assert_int_equal(ipc_msg_decode(&d, buf, (size_t)n - 1, NULL), E_SHORT);
}

static void test_oversized_and_trailing(void **state)
{
	uint8_t buf[512];
	struct ipc_msg d;
	size_t off;
	int n = enc(buf, sizeof(buf));

	(void)state;
	buf[n] = 0;
	assert_int_equal(ipc_msg_decode(&d, buf, (size_t)n + 1, &off), E_TRAILING);
	/* body length claims one byte more than the attributes hold */
	buf[3]++;
	assert_int_equal(ipc_msg_decode(&d, buf, (size_t)n + 1, &off), E_SHORT);
	assert_int_equal(off, (size_t)n - 0);   /* the partial item starts at the end of the last */
}

static void test_unknown_type_and_version(void **state)
{
	uint8_t buf[512];
	struct ipc_msg d;
	int n = enc(buf, sizeof(buf));

	(void)state;
	buf[1] = 0x7f;
	assert_int_equal(ipc_msg_decode(&d, buf, (size_t)n, NULL), E_UNSUPPORTED);
	buf[1] = 0;
	assert_int_equal(ipc_msg_decode(&d, buf, (size_t)n, NULL), E_UNSUPPORTED);
	buf[1] = IPC_CM_READY;
	buf[0] = 2;
	assert_int_equal(ipc_msg_decode(&d, buf, (size_t)n, NULL), E_VERSION);
}

static void test_bad_attributes(void **state)
{
	/* mode with a 2-byte value */
	static const uint8_t badlen[] = { 1, IPC_CM_REINIT, 0, 6, 0, 1, 0, 2, 7, 7 };
	/* the same attribute twice */
	static const uint8_t dup[] = { 1, IPC_CM_REINIT, 0, 10, 0, 1, 0, 1, 7, 0, 1, 0, 1, 8 };
	/* required attribute missing; an unknown attribute alone is skipped */
	static const uint8_t missing[] = { 1, IPC_CM_REINIT, 0, 5, 0, 9, 0, 1, 7 };
	/* unknown attribute beside the required one: accepted */
	static const uint8_t extra[] = { 1, IPC_CM_REINIT, 0, 10, 0, 9, 0, 1, 7, 0, 1, 0, 1, 4 };
	/* a NUL inside a string */
	static const uint8_t nul[] = { 1, IPC_EUE_STATE, 0, 12, 0, 1, 0, 1, 0, 0, 2, 0, 3, 'e', 0, 'x' };
	struct ipc_msg d;
	size_t off;

	(void)state;
	assert_int_equal(ipc_msg_decode(&d, badlen, sizeof(badlen), &off), E_PROTO);
	assert_int_equal(off, 4);
	assert_int_equal(ipc_msg_decode(&d, dup, sizeof(dup), &off), E_PROTO);
	assert_int_equal(off, 9);
	assert_int_equal(ipc_msg_decode(&d, missing, sizeof(missing), NULL), E_PROTO);
	assert_int_equal(ipc_msg_decode(&d, extra, sizeof(extra), NULL), 0);
	assert_int_equal(d.u.reinit.reason, 4);
	assert_int_equal(ipc_msg_decode(&d, nul, sizeof(nul), NULL), E_PROTO);
}

/* The eSAFE record (6.6.3): exact bytes, so mips and armhf agree on the
 * event ID's byte order; and the attributes' bounds. */
static void test_esafe_bytes_and_bounds(void **state)
{
	static const uint8_t want[] = {
		1, IPC_ESAFE, 0, 38,
		0, 1, 0, 1, 3,                          /* progress finished(3) */
		0, 2, 0, 1, 1,                          /* failure true(1) */
		0, 3, 0, 6, 'e', 'U', 'E', '-', '2', '3',
		0, 4, 0, 4, 0xee, 0x79, 0x9f, 0x86,     /* event 4000948102 */
		0, 5, 0, 1, 'x',
		0, 6, 0, 1, 1,                          /* significant(1) */
	};
	/* the event ID in three bytes */
	static const uint8_t short_event[] = {
		1, IPC_ESAFE, 0, 22, 0, 1, 0, 1, 3, 0, 2, 0, 1, 2, 0, 6, 0, 1, 2,
		0, 4, 0, 3, 1, 2, 3,
	};
	/* no impact: required (the eCM must always be able to answer 6.6.3) */
	static const uint8_t no_impact[] = { 1, IPC_ESAFE, 0, 10, 0, 1, 0, 1, 2, 0, 2, 0, 1, 2 };
	struct ipc_msg m, d;
	uint8_t buf[128];
	size_t off;
	int n;

	(void)state;
	memset(&m, 0, sizeof(m));
	m.type = IPC_ESAFE;
	m.u.esafe.progress = 3;
	m.u.esafe.failure = 1;
	strcpy(m.u.esafe.flow, "eUE-23");
	m.u.esafe.event_id = 4000948102u;
	strcpy(m.u.esafe.text, "x");
	m.u.esafe.impact = 1;
	ipc_msg_set(&m, IPC_A_ES_PROGRESS);
	ipc_msg_set(&m, IPC_A_ES_FAILURE);
	ipc_msg_set(&m, IPC_A_ES_FLOW);
	ipc_msg_set(&m, IPC_A_ES_EVENT);
	ipc_msg_set(&m, IPC_A_ES_TEXT);
	ipc_msg_set(&m, IPC_A_ES_IMPACT);
	n = ipc_msg_encode(&m, buf, sizeof(buf));
	assert_int_equal(n, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(ipc_msg_decode(&d, want, sizeof(want), NULL), 0);
	assert_int_equal(d.u.esafe.event_id, 4000948102u);
	assert_string_equal(d.u.esafe.flow, "eUE-23");
	assert_int_equal(d.u.esafe.impact, 1);
	assert_false(ipc_msg_has(&d, IPC_A_ES_IMPACT_INFO));
	assert_int_equal(ipc_msg_decode(&d, short_event, sizeof(short_event), &off), E_PROTO);
	assert_int_equal(off, 19);
	assert_int_equal(ipc_msg_decode(&d, no_impact, sizeof(no_impact), NULL), E_PROTO);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip_cm_ready),
		cmocka_unit_test(test_exact_bytes_tod),
		cmocka_unit_test(test_round_trip_state_reinit),
		cmocka_unit_test(test_encode_refuses_bugs),
		cmocka_unit_test(test_truncated_records),
		cmocka_unit_test(test_oversized_and_trailing),
		cmocka_unit_test(test_unknown_type_and_version),
		cmocka_unit_test(test_bad_attributes),
		cmocka_unit_test(test_esafe_bytes_and_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
