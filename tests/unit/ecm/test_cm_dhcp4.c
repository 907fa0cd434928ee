/*
 * test_cm_dhcp4.c: CM1..CM4 on the fake clock and wire: the DISCOVER's
 * option 55 and CL_V4OPTION_ORO per eUE capability (Table 2 CM1), the IP
 * and UDP headers of the broadcast, CM3 precedence within the offer window,
 * the 2/4/8 s re-DISCOVERs, ACK authoritative over OFFER, NAK, renewal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "ecm/cm_dhcp4.h"
#include "platform/loop.h"
#include "tests/fake/fake.h"
#include "tlv/ipudp.h"
#include "tlv/wr.h"

static const uint8_t mac[6] = { 2, 0, 0, 0, 0x0c, 1 };
static struct loop *l;
static struct cm4 c;
static int events, last_bound;

static void on_event(void *arg, struct cm4 *cc, int bound)
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
	fake_rand_seed(4);
	events = last_bound = 0;
	l = loop_new();
	return l ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	cm4_stop(&c);
	loop_free(l);
	return 0;
}

static void start(enum board_ip cap)
{
	cm4_init(&c, l, "eue-cm", 2, mac, cap, on_event, NULL);
	c.install_addr = 1;
	assert_int_equal(cm4_start(&c), 0);
	assert_int_equal(c.state, CM4_SELECTING);
}

/* The DHCP message inside the n-th packet sent (packet socket: IP+UDP). */
static void sent_msg(unsigned n, struct dhcp4_msg *m, int raw)
{
	const struct fake_pkt *p = fake_net_tx(n);
	struct ipudp u;

	assert_non_null(p);
	if (raw) {
		assert_int_equal(ipudp_decode(&u, p->data, p->len), 0);
		assert_int_equal(u.src, 0);
		assert_int_equal(u.dst, 0xffffffffu);
		assert_int_equal(u.sport, 68);
		assert_int_equal(u.dport, 67);
		assert_int_equal(dhcp4_decode(m, u.payload, u.len), 0);
	} else {
		assert_int_equal(dhcp4_decode(m, p->data, p->len), 0);
	}
}

static void test_discover_follows_capability(void **state)
{
	static const struct { enum board_ip cap; int o122, o123, o124; } cases[] = {
		{ BOARD_IP_V4, 1, 0, 0 }, { BOARD_IP_V6, 0, 1, 0 }, { BOARD_IP_DUAL, 1, 1, 1 },
	};
	struct dhcp4_msg m;
	const uint8_t *v, *d;
	int n, k;

	(void)state;
	for (unsigned i = 0; i < 3; i++) {
		int has122 = 0, has123 = 0, has124 = 0;

		fake_net_reset();
		start(cases[i].cap);
		sent_msg(0, &m, 1);
		assert_int_equal(m.msg_type, DHCP4_DISCOVER);
		assert_memory_equal(m.chaddr, mac, 6);
		n = dhcp4_opt(&m, DHCP4_O_PRL, NULL, 0, &v);
		assert_true(n > 0);
		for (int j = 0; j < n; j++)
			has122 |= v[j] == 122;
		n = dhcp4_opt(&m, DHCP4_O_VIVSO, NULL, 0, &v);
		if (n > 0 && (k = dhcp4_vivso_find(v, (size_t)n, 4491, &d)) > 0) {
			/* sub-option 1 CL_V4OPTION_ORO */
			assert_int_equal(d[0], 1);
			for (int j = 0; j < d[1]; j++) {
				has123 |= d[2 + j] == 123;
				has124 |= d[2 + j] == 124;
			}
		}
		assert_int_equal(has122, cases[i].o122);
		assert_int_equal(has123, cases[i].o123);
		assert_int_equal(has124, cases[i].o124);
		cm4_stop(&c);
	}
}

static size_t mk(uint8_t *buf, size_t cap, uint8_t type, uint32_t server, uint32_t yiaddr,
		 int with_cl, uint8_t pref)
{
	struct dhcp4_hdr h;
	struct cl_opts o;
	struct wr w;

	memset(&h, 0, sizeof(h));
	h.op = DHCP4_BOOTREPLY;
	h.htype = 1;
	h.hlen = 6;
	h.xid = c.xid;
	h.yiaddr = yiaddr;
	h.siaddr = server;
	memcpy(h.chaddr, mac, 6);
	h.file = "cm.cfg";
	wr_init(&w, buf, cap);
	dhcp4_put_hdr(&w, &h);
	dhcp4_put_msg_type(&w, type);
	dhcp4_put_u32(&w, DHCP4_O_SERVER_ID, server);
	dhcp4_put_u32(&w, DHCP4_O_SUBNET, 0xffffff00u);
	dhcp4_put_u32(&w, DHCP4_O_ROUTER, 0xcb007101u);
	dhcp4_put_u32(&w, DHCP4_O_LEASE, 600);
	dhcp4_put_u32(&w, DHCP4_O_TIME_SERVER, server);
	if (with_cl) {
		cl_init(&o);
		cl_set(&o, CL_F_DHCP4_PRI);
		o.dhcp4_pri = with_cl == 2 ? 0 : 0xc633640au;
		cl_put_opt122(&w, &o);
		cl_init(&o);
		cl_set(&o, CL_F_CCCV6);
		cl_set(&o, CL_F_DSS_PRI);
		o.dss_pri.len = 4;
		memcpy(o.dss_pri.id, "DSS1", 4);
		if (pref) {
			cl_set(&o, CL_F_IP_PREF);
			o.ip_pref = pref;
		}
		cl_put_opt125(&w, &o);
	}
	dhcp4_put_end(&w);
	assert_int_equal(w.err, 0);
	return w.len;
}

static void step_timers(int max, enum cm4_state until)
{
	for (int i = 0; i < max && c.state != until; i++) {
		int64_t t = loop_next_timeout(l);

		assert_true(t >= 0);
		fake_clock_advance_ms((uint64_t)t);
		loop_run_expired(l);
	}
}

static void test_precedence_window_and_ack(void **state)
{
	uint8_t b[1024];
	struct dhcp4_msg m;
	uint32_t sid;
	size_t n;

	(void)state;
	start(BOARD_IP_DUAL);
	n = mk(b, sizeof(b), DHCP4_OFFER, 0xc6336401u, 0xcb007164u, 0, 0);   /* no CableLabs */
	cm4_input(&c, b, n);
	assert_int_equal(c.state, CM4_SELECTING);
	assert_int_equal(loop_next_timeout(l), CM4_OFFER_WINDOW_MS);
	n = mk(b, sizeof(b), DHCP4_OFFER, 0xc633640au, 0xcb007165u, 1, 2);   /* all + IP_PREF */
	cm4_input(&c, b, n);
	/* the best possible score ends the window at once */
	assert_int_equal(c.state, CM4_REQUESTING);
	assert_int_equal(c.chosen, 1);
	sent_msg(fake_net_tx_count() - 1, &m, 1);
	assert_int_equal(m.msg_type, DHCP4_REQUEST);
	assert_int_equal(m.xid, c.xid);
	assert_int_equal(dhcp4_opt_addr(&m, DHCP4_O_SERVER_ID, &sid), 0);
	assert_int_equal(sid, 0xc633640au);
	assert_int_equal(dhcp4_opt_addr(&m, DHCP4_O_REQ_ADDR, &sid), 0);
	assert_int_equal(sid, 0xcb007165u);
	/* the ACK differs from the OFFER (122.1 = 0.0.0.0): the ACK wins (CM4) */
	n = mk(b, sizeof(b), DHCP4_ACK, 0xc633640au, 0xcb007165u, 2, 1);
	cm4_input(&c, b, n);
	assert_int_equal(c.state, CM4_BOUND);
	assert_int_equal(events, 1);
	assert_int_equal(c.lease.cl.dhcp4_pri, 0);
	assert_int_equal(c.lease.cl.ip_pref, 1);
	assert_int_equal(c.lease.t1_s, 300);
	assert_int_equal(c.lease.t2_s, 525);
	assert_string_equal(c.lease.file, "cm.cfg");
	assert_true(c.lease.opt122_len > 0);
	assert_true(c.lease.cl125_len > 0);
	assert_int_equal(fake_nl()->adds, 1);
	assert_int_equal(fake_nl()->plen, 24);
	assert_int_equal(fake_nl()->routes, 1);

	/* T1: a unicast REQUEST with ciaddr to the server, over UDP */
	fake_clock_advance_ms(300 * 1000);
	loop_run_expired(l);
	assert_int_equal(c.state, CM4_RENEWING);
	sent_msg(fake_net_tx_count() - 1, &m, 0);
	assert_int_equal(m.ciaddr, 0xcb007165u);
	assert_false(dhcp4_opt_has(&m, DHCP4_O_SERVER_ID));
	assert_memory_equal(fake_net_tx(fake_net_tx_count() - 1)->peer.addr, "\xc6\x33\x64\x0a", 4);
	n = mk(b, sizeof(b), DHCP4_ACK, 0xc633640au, 0xcb007165u, 1, 1);
	cm4_input(&c, b, n);
	assert_int_equal(c.state, CM4_BOUND);
	assert_int_equal(events, 2);
}

static void test_window_picks_best_of_several(void **state)
{
	uint8_t b[1024];
	size_t n;

	(void)state;
	start(BOARD_IP_DUAL);
	n = mk(b, sizeof(b), DHCP4_OFFER, 0xc6336401u, 0xcb007164u, 0, 0);
	cm4_input(&c, b, n);
	/* 122 and 123 without IP_PREF: better than nothing, not the best */
	n = mk(b, sizeof(b), DHCP4_OFFER, 0xc6336402u, 0xcb007166u, 1, 0);
	cm4_input(&c, b, n);
	assert_int_equal(c.state, CM4_SELECTING);
	fake_clock_advance_ms(CM4_OFFER_WINDOW_MS);
	loop_run_expired(l);
	assert_int_equal(c.state, CM4_REQUESTING);
	assert_int_equal(c.chosen, 1);
}

static void test_no_options_retry_then_any_and_nak(void **state)
{
	static const uint64_t spacing[] = { 2000, 4000, 8000 };
	uint8_t b[1024];
	size_t n;

	(void)state;
	start(BOARD_IP_V4);
	for (unsigned r = 0; r < 3; r++) {
		n = mk(b, sizeof(b), DHCP4_OFFER, 0xc6336401u, 0xcb007164u, 0, 0);
		cm4_input(&c, b, n);
		step_timers(3, CM4_HOLDOFF);
		assert_int_equal(c.state, CM4_HOLDOFF);
		assert_int_equal(loop_next_timeout(l), (int64_t)spacing[r]);
		fake_clock_advance_ms(spacing[r]);
		loop_run_expired(l);
		assert_int_equal(c.state, CM4_SELECTING);
	}
	n = mk(b, sizeof(b), DHCP4_OFFER, 0xc6336401u, 0xcb007164u, 0, 0);
	cm4_input(&c, b, n);
	step_timers(3, CM4_REQUESTING);
	assert_int_equal(c.state, CM4_REQUESTING);
	/* a NAK sends the client back to DISCOVER */
	n = mk(b, sizeof(b), DHCP4_NAK, 0xc6336401u, 0, 0, 0);
	cm4_input(&c, b, n);
	assert_int_equal(c.state, CM4_SELECTING);
	assert_int_equal(events, 0);
}

static void test_foreign_replies_dropped(void **state)
{
	uint8_t b[1024];
	size_t n;

	(void)state;
	start(BOARD_IP_V4);
	n = mk(b, sizeof(b), DHCP4_OFFER, 0xc6336401u, 0xcb007164u, 1, 0);
	b[4] ^= 1;                        /* another xid */
	cm4_input(&c, b, n);
	b[4] ^= 1;
	b[28 + 5] ^= 1;                   /* another client's chaddr */
	cm4_input(&c, b, n);
	b[28 + 5] ^= 1;
	cm4_input(&c, b, 100);            /* truncated */
	n = mk(b, sizeof(b), DHCP4_ACK, 0xc6336401u, 0xcb007164u, 1, 0);
	cm4_input(&c, b, n);              /* an ACK while selecting */
	assert_int_equal(c.n_offers, 0);
	assert_int_equal(c.dropped, 4);
	assert_int_equal(c.state, CM4_SELECTING);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_discover_follows_capability, setup, teardown),
		cmocka_unit_test_setup_teardown(test_precedence_window_and_ack, setup, teardown),
		cmocka_unit_test_setup_teardown(test_window_picks_best_of_several, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_options_retry_then_any_and_nak, setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreign_replies_dropped, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
