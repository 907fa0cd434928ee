/*
 * test_cm_dhcp6.c: CM1v6..CM4v6 on the fake clock and wire: the SOLICIT's
 * CableLabs ORO per eUE capability, CM3v6 precedence, the 2/4/8 s
 * re-SOLICITs, REPLY authoritative over ADVERTISE, renew, and what is
 * dropped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ecm/cm_dhcp6.h"
#include "platform/err.h"
#include "platform/netlink.h"
#include "platform/loop.h"
#include "tests/fake/fake.h"
#include "tlv/wr.h"

static const uint8_t mac[6] = { 2, 0, 0, 0, 0x0c, 1 };
static struct loop *l;
static struct cm6 c;
static int events, last_bound;

static void on_event(void *arg, struct cm6 *cc, int bound)
{
	(void)arg;
	(void)cc;
	events++;
	last_bound = bound;
}

static int setup(void **state)
{
	(void)state;
	fake_net_reset();
	fake_nl_reset();
	fake_rand_seed(42);
	l = loop_new();
	events = last_bound = 0;
	return l ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	cm6_stop(&c);
	loop_free(l);
	return 0;
}

static void start(enum board_ip cap)
{
	cm6_init(&c, l, "eue-cm", 2, mac, cap, on_event, NULL);
	c.install_addr = 1;
	assert_int_equal(cm6_start(&c), 0);
	assert_int_equal(c.state, CM6_SOLICIT);
}

/* The CableLabs ORO codes of the last sent message. */
static unsigned sent_cl_oro(unsigned idx, uint16_t *codes, unsigned max)
{
	const struct fake_pkt *p = fake_net_tx(idx);
	struct dhcp6_msg m;
	const uint8_t *d, *v;
	int n, k;

	assert_non_null(p);
	assert_int_equal(dhcp6_decode(&m, p->data, p->len), 0);
	n = dhcp6_vendor_opts(&m, 4491, &d);
	assert_true(n > 0);
	k = dhcp6_opt_find(d, (size_t)n, CL_V6_ORO, &v);
	assert_true(k > 0 && k % 2 == 0);
	for (int i = 0; i < k / 2 && (unsigned)i < max; i++)
		codes[i] = (uint16_t)(v[2 * i] << 8 | v[2 * i + 1]);
	return (unsigned)k / 2;
}

static int has_code(const uint16_t *c16, unsigned n, uint16_t code)
{
	for (unsigned i = 0; i < n; i++)
		if (c16[i] == code)
			return 1;
	return 0;
}

static void test_solicit_oro_follows_capability(void **state)
{
	static const struct { enum board_ip cap; int ccc, cccv6, pref; } cases[] = {
		{ BOARD_IP_V4, 1, 0, 0 }, { BOARD_IP_V6, 0, 1, 0 }, { BOARD_IP_DUAL, 1, 1, 1 },
	};
	uint16_t codes[16];
	unsigned n;

	(void)state;
	for (unsigned i = 0; i < 3; i++) {
		fake_net_reset();
		start(cases[i].cap);
		n = sent_cl_oro(fake_net_tx_count() - 1, codes, 16);
		assert_int_equal(has_code(codes, n, 2170), cases[i].ccc);
		assert_int_equal(has_code(codes, n, 2171), cases[i].cccv6);
		assert_int_equal(has_code(codes, n, 39), cases[i].pref);
		assert_true(has_code(codes, n, 32) && has_code(codes, n, 33) && has_code(codes, n, 37));
		assert_int_equal(fake_net_tx(0)->peer.port, 547);
		{	/* ff02::1:2 (RFC 3315 5.1), scoped to the CM interface */
			static const uint8_t agents[16] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0,
							    0, 0, 0, 0, 0, 1, 0, 2 };
			assert_memory_equal(fake_net_tx(0)->peer.addr, agents, 16);
			assert_int_equal(fake_net_tx(0)->peer.ifindex, 2);
		}
		cm6_stop(&c);
	}
}

/* A server's answer to the client's last message. */
static size_t mk(uint8_t *buf, size_t cap, uint8_t type, uint32_t xid, uint8_t srv, int with_cl,
		 int pref_opt, const char *dss, uint16_t status)
{
	uint8_t srvid[] = { 0, 2, 0, 0, 0x11, 0x8b, 1, 2, 3, 4, srv };
	uint8_t addr[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x01, 0x13, [15] = 0 };
	struct cl_opts o;
	struct wr w;

	addr[15] = srv;
	wr_init(&w, buf, cap);
	dhcp6_put_hdr(&w, type, xid);
	dhcp6_put_opt(&w, DHCP6_O_CLIENTID, c.duid, c.duid_len);
	dhcp6_put_opt(&w, DHCP6_O_SERVERID, srvid, sizeof(srvid));
	if (status)
		dhcp6_put_status(&w, status, "no");
	else
		dhcp6_put_ia_na(&w, c.iaid, 1800, 2880, addr, 3600, 7200);
	if (pref_opt >= 0) {
		uint8_t p = (uint8_t)pref_opt;
		dhcp6_put_opt(&w, DHCP6_O_PREFERENCE, &p, 1);
	}
	if (with_cl) {
		cl_init(&o);
		cl_set(&o, CL_F_CCCV6);
		cl_set(&o, CL_F_DSS_PRI);
		o.dss_pri.len = (uint8_t)strlen(dss);
		memcpy(o.dss_pri.id, dss, o.dss_pri.len);
		cl_set(&o, CL_F_IP_PREF);
		o.ip_pref = 2;
		cl_set(&o, CL_F_CCC);
		cl_set(&o, CL_F_DHCP4_PRI);
		o.dhcp4_pri = 0xc633640au;
		cl_put_v6vendor(&w, &o);
	}
	assert_int_equal(w.err, 0);
	return w.len;
}

static void deliver(const uint8_t *buf, size_t len)
{
	cm6_input(&c, buf, len);
}

static void run_timers_until(enum cm6_state st, int max)
{
	for (int i = 0; i < max && c.state != st; i++) {
		int64_t t = loop_next_timeout(l);

		assert_true(t >= 0);
		fake_clock_advance_ms((uint64_t)t);
		loop_run_expired(l);
	}
}

static void test_precedence_and_reply_authoritative(void **state)
{
	uint8_t b[1024];
	size_t n;
	const struct fake_pkt *req;
	struct dhcp6_msg m;
	const uint8_t *v;

	(void)state;
	start(BOARD_IP_DUAL);
	/* server 1 knows nothing of eUEs; server 2 has both + IP_PREF */
	n = mk(b, sizeof(b), DHCP6_ADVERTISE, c.xid, 1, 0, 200, NULL, 0);
	deliver(b, n);
	n = mk(b, sizeof(b), DHCP6_ADVERTISE, c.xid, 2, 1, 0, "ADV", 0);
	deliver(b, n);
	assert_int_equal(c.n_adv, 2);
	assert_int_equal(c.state, CM6_SOLICIT);   /* still collecting until the first RT */
	run_timers_until(CM6_REQUEST, 3);
	assert_int_equal(c.state, CM6_REQUEST);
	assert_int_equal(c.chosen, 1);
	req = fake_net_tx(fake_net_tx_count() - 1);
	assert_int_equal(dhcp6_decode(&m, req->data, req->len), 0);
	assert_int_equal(m.type, DHCP6_REQUEST);
	assert_int_equal(dhcp6_msg_opt(&m, DHCP6_O_SERVERID, &v), 11);
	assert_int_equal(v[10], 2);
	{	/* CM3v6: the REQUEST asks for the same options */
		uint16_t codes[16];
		unsigned k = sent_cl_oro(fake_net_tx_count() - 1, codes, 16);
		assert_true(has_code(codes, k, 2170) && has_code(codes, k, 2171) && has_code(codes, k, 39));
	}
	/* the REPLY carries another DSS_ID than the ADVERTISE: it wins (CM4v6) */
	n = mk(b, sizeof(b), DHCP6_REPLY, c.xid, 2, 1, -1, "REPLY-DSS", 0);
	deliver(b, n);
	/* the new address is tentative: DAD first (RFC 4862 5.4), then bound */
	assert_int_equal(c.state, CM6_DAD);
	assert_int_equal(events, 0);
	assert_int_equal(fake_nl()->adds, 1);
	run_timers_until(CM6_BOUND, 3);
	assert_int_equal(c.state, CM6_BOUND);
	assert_int_equal(events, 1);
	assert_int_equal(last_bound, 1);
	assert_int_equal(c.lease.cl.dss_pri.len, 9);
	assert_memory_equal(c.lease.cl.dss_pri.id, "REPLY-DSS", 9);
	assert_int_equal(c.lease.t1, 1800);
	assert_int_equal(fake_nl()->adds, 1);
	assert_int_equal(fake_nl()->plen, 128);
	assert_int_equal(fake_nl()->addr[15], 2);

	/* T1: RENEW to the same server; its REPLY keeps us bound */
	fake_clock_advance_ms(1800 * 1000);
	loop_run_expired(l);
	assert_int_equal(c.state, CM6_RENEW);
	req = fake_net_tx(fake_net_tx_count() - 1);
	assert_int_equal(dhcp6_decode(&m, req->data, req->len), 0);
	assert_int_equal(m.type, DHCP6_RENEW);
	n = mk(b, sizeof(b), DHCP6_REPLY, c.xid, 2, 1, -1, "REPLY-DSS", 0);
	deliver(b, n);
	assert_int_equal(c.state, CM6_BOUND);   /* a renewed address needs no DAD */
	assert_int_equal(events, 2);
}

static void test_dad_conflict_declines(void **state)
{
	uint8_t b[1024];
	struct dhcp6_msg m;
	const struct fake_pkt *p;
	const uint8_t *v;
	size_t n;

	(void)state;
	start(BOARD_IP_V6);
	n = mk(b, sizeof(b), DHCP6_ADVERTISE, c.xid, 1, 1, 255, "X", 0);
	deliver(b, n);
	n = mk(b, sizeof(b), DHCP6_REPLY, c.xid, 1, 1, -1, "X", 0);
	deliver(b, n);
	assert_int_equal(c.state, CM6_DAD);
	fake_nl_set_dad(NL_DAD_FAILED);
	run_timers_until(CM6_DECLINE, 3);
	assert_int_equal(c.state, CM6_DECLINE);
	assert_int_equal(fake_nl()->dels, 1);
	assert_int_equal(events, 0);
	p = fake_net_tx(fake_net_tx_count() - 1);
	assert_int_equal(dhcp6_decode(&m, p->data, p->len), 0);
	assert_int_equal(m.type, DHCP6_DECLINE);
	assert_int_equal(dhcp6_msg_opt(&m, DHCP6_O_SERVERID, &v), 11);
	assert_true(dhcp6_msg_opt(&m, DHCP6_O_IA_NA, &v) > 12);   /* with the address */
	assert_int_equal(dhcp6_msg_opt(&m, DHCP6_O_VENDOR_OPTS, &v), E_NOTFOUND);
	/* the server's REPLY ends the decline; discovery starts again */
	n = mk(b, sizeof(b), DHCP6_REPLY, c.xid, 1, 0, -1, NULL, 0);
	deliver(b, n);
	assert_int_equal(c.state, CM6_SOLICIT);
	fake_nl_reset();
}

/* Linux deletes a duplicate address with finite lifetimes: "not present"
 * after our own add is a conflict too, never a usable address. */
static void test_dad_address_deleted_is_conflict(void **state)
{
	uint8_t b[1024];
	size_t n;

	(void)state;
	start(BOARD_IP_V6);
	n = mk(b, sizeof(b), DHCP6_ADVERTISE, c.xid, 1, 1, 255, "X", 0);
	deliver(b, n);
	n = mk(b, sizeof(b), DHCP6_REPLY, c.xid, 1, 1, -1, "X", 0);
	deliver(b, n);
	assert_int_equal(c.state, CM6_DAD);
	fake_nl_set_dad(NL_DAD_NONE);
	run_timers_until(CM6_DECLINE, 3);
	assert_int_equal(c.state, CM6_DECLINE);
	assert_int_equal(events, 0);
	fake_nl_reset();
}

static void test_no_options_retry_2_4_8_then_any(void **state)
{
	static const uint64_t spacing[] = { 2000, 4000, 8000 };
	uint8_t b[1024];
	size_t n;

	(void)state;
	start(BOARD_IP_V6);
	for (unsigned r = 0; r < 3; r++) {
		n = mk(b, sizeof(b), DHCP6_ADVERTISE, c.xid, 1, 0, -1, NULL, 0);
		deliver(b, n);
		run_timers_until(CM6_HOLDOFF, 3);
		assert_int_equal(c.state, CM6_HOLDOFF);
		assert_int_equal(loop_next_timeout(l), (int64_t)spacing[r]);
		unsigned before = fake_net_tx_count();
		fake_clock_advance_ms(spacing[r]);
		loop_run_expired(l);
		assert_int_equal(c.state, CM6_SOLICIT);
		assert_int_equal(fake_net_tx_count(), before + 1);   /* a new SOLICIT */
	}
	/* after three retries an ADVERTISE without the options is taken */
	n = mk(b, sizeof(b), DHCP6_ADVERTISE, c.xid, 1, 0, -1, NULL, 0);
	deliver(b, n);
	run_timers_until(CM6_REQUEST, 3);
	assert_int_equal(c.state, CM6_REQUEST);
}

static void test_dropped_messages(void **state)
{
	uint8_t b[1024];
	size_t n;

	(void)state;
	start(BOARD_IP_V6);
	n = mk(b, sizeof(b), DHCP6_ADVERTISE, c.xid ^ 1, 1, 1, -1, "X", 0);   /* wrong xid */
	deliver(b, n);
	n = mk(b, sizeof(b), DHCP6_REPLY, c.xid, 1, 1, -1, "X", 0);           /* REPLY while soliciting */
	deliver(b, n);
	n = mk(b, sizeof(b), DHCP6_ADVERTISE, c.xid, 1, 1, -1, "X", 0);
	deliver(b, n - 3);                                                    /* truncated */
	deliver(b, 3);
	n = mk(b, sizeof(b), DHCP6_ADVERTISE, c.xid, 1, 1, -1, "X", DHCP6_ST_NO_ADDRS);
	deliver(b, n);                                                        /* NoAddrsAvail */
	assert_int_equal(c.n_adv, 0);
	assert_int_equal(c.dropped, 4);
	/* the client id must be ours */
	n = mk(b, sizeof(b), DHCP6_ADVERTISE, c.xid, 1, 1, -1, "X", 0);
	b[8 + 4] ^= 0xff;   /* inside the client id's DUID */
	deliver(b, n);
	assert_int_equal(c.n_adv, 0);
	assert_int_equal(c.dropped, 5);
}

static void test_request_failure_returns_to_solicit(void **state)
{
	uint8_t b[1024];
	size_t n;

	(void)state;
	start(BOARD_IP_V6);
	n = mk(b, sizeof(b), DHCP6_ADVERTISE, c.xid, 1, 1, 255, "X", 0);   /* pref 255: at once */
	deliver(b, n);
	assert_int_equal(c.state, CM6_REQUEST);
	/* REQ_MAX_RC = 10 transmissions, then server discovery again */
	run_timers_until(CM6_SOLICIT, 20);
	assert_int_equal(c.state, CM6_SOLICIT);
	assert_int_equal(c.rt.count, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_solicit_oro_follows_capability, setup, teardown),
		cmocka_unit_test_setup_teardown(test_precedence_and_reply_authoritative, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_options_retry_2_4_8_then_any, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dropped_messages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_request_failure_returns_to_solicit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dad_conflict_declines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dad_address_deleted_is_conflict, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
