/*
 * test_eue.c: one eUE device (eue.c) on the fake platform with the real
 * DHCPv4 module: the engine's rows MTA1..MTA4 complete from the module's
 * latched events, the realm branches the flow (Secure: MTA5 fails without a
 * DNS server and restarts), "0.0.0.0" disables the eUE, a failed
 * DHCP exchange restarts MTA1, and a dormant eCM record starts nothing.
 * 6.3.2.3 on the fake clock: Secure without time of day stops after MTA4
 * and retries MTA1 on 30/60/120/240 s until the eCM's time arrives; Basic
 * goes on; a change of time deletes the cached ticket.  Table 5 note 3: a
 * valid ticket in nvram skips MTA5..MTA12; 122.9 bit 0x0001, another
 * server, or a ticket inside its grace period do not.
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

#include "eue/eue.h"
#include "eue/eue_tod.h"
#include "eue/flows.h"
#include "platform/clock.h"
#include "platform/loop.h"
#include "platform/nvram.h"
#include "platform/walltime.h"
#include "tests/fake/fake.h"
#include "tests/unit/krb_fixture.h"
#include "tlv/wr.h"

#define T0 1800000000LL          /* the eCM's time in these tests (2027) */
#define CLIENT "mta/203.0.113.101@EXAMPLE.NET"   /* no FQDN in the lease: the address */
#define SERVER "mtaprovsrvr/prov.example.net@EXAMPLE.NET"

static struct loop *l;
static struct board_conf b;
static struct eue e;
static char last_state[32];
static unsigned reports;
static struct walltime wt;
static struct nvram *nv;
static char nvdir[64];
static uint16_t reply_ticket_ctrl;   /* 122.9 in the next replies (0: absent) */

static void on_report(void *arg, struct eue *ee, const char *state, const char *step)
{
	(void)arg;
	(void)ee;
	(void)step;
	snprintf(last_state, sizeof(last_state), "%s", state);
	reports++;
}

static int setup(void **state)
{
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0x0e, 1 };

	(void)state;
	fake_net_reset();
	fake_nl_reset();
	fake_rand_seed(3);
	memset(&b, 0, sizeof(b));
	strcpy(b.eue_if, "eue-ue");
	strcpy(b.ecm_if, "eue-cm");
	strcpy(b.serial, "SN1");
	memcpy(b.eue_mac, mac, 6);
	l = loop_new();
	last_state[0] = '\0';
	reports = 0;
	reply_ticket_ctrl = 0;
	eue_init(&e, &b, l, NULL, 3, on_report, NULL);
	walltime_init(&wt);   /* no time of day until a test says so */
	eue_set_walltime(&e, &wt);
	strcpy(nvdir, "/tmp/test_eue.XXXXXX");
	assert_non_null(mkdtemp(nvdir));
	assert_int_equal(nvram_open(&nv, nvdir, NULL), 0);
	eue_set_nvram(&e, nv);
	return 0;
}

static int teardown(void **state)
{
	char cmd[96];

	(void)state;
	eue_stop(&e);
	eue_free(&e);
	loop_free(l);
	nvram_close(nv);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", nvdir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static void tod_known(void)
{
	walltime_set(&wt, T0 * 1000, clock_mono_ms());
}

/* A ticket for client -> server in nvram, valid [T0 - 60, T0 + life_s]. */
static void cache_ticket(const char *client, const char *server, int64_t life_s)
{
	static uint8_t rec[TKT_RECORD_MAX];
	size_t n = krb_fixture_record(client, server, T0 - 60, T0 + life_s, rec, sizeof(rec));

	assert_true(n > 0);
	assert_int_equal(nvram_put(nv, TKT_NVRAM_KEY, rec, n), 0);
}

static int ticket_cached(void)
{
	static uint8_t rec[TKT_RECORD_MAX];
	size_t n;

	return nvram_get(nv, TKT_NVRAM_KEY, rec, sizeof(rec), &n) == 0;
}

static void start_v4(void)
{
	struct ipc_cm_ready cm;

	memset(&cm, 0, sizeof(cm));
	cm.mode = IPC_MODE_IPV4;
	memcpy(cm.dhcp4_primary, "\xc6\x33\x64\x0a", 4);   /* 198.51.100.10 */
	assert_int_equal(eue_start(&e, &cm), 0);
}

/* An OFFER/ACK from 198.51.100.10 with 122.3 (or "0.0.0.0") and 122.6. */
static void reply(uint8_t type, int disabled, const char *realm)
{
	uint8_t buf[1024];
	struct dhcp4_hdr h;
	struct cl_opts o;
	struct wr w;

	memset(&h, 0, sizeof(h));
	h.op = DHCP4_BOOTREPLY;
	h.htype = 1;
	h.hlen = 6;
	h.xid = e.d4.xid;
	h.yiaddr = 0xcb007165u;
	h.siaddr = 0xc633640au;
	memcpy(h.chaddr, b.eue_mac, 6);
	wr_init(&w, buf, sizeof(buf));
	dhcp4_put_hdr(&w, &h);
	dhcp4_put_msg_type(&w, (enum dhcp4_type)type);
	dhcp4_put_u32(&w, DHCP4_O_SERVER_ID, 0xc633640au);
	dhcp4_put_u32(&w, DHCP4_O_SUBNET, 0xffffff00u);
	dhcp4_put_u32(&w, DHCP4_O_ROUTER, 0xcb007101u);
	dhcp4_put_u32(&w, DHCP4_O_LEASE, 600);
	cl_init(&o);
	cl_set(&o, CL_F_PROV_SRV);
	if (disabled) {
		o.prov.kind = CL_PROV_DISABLE;
	} else {
		o.prov.kind = CL_PROV_FQDN;
		strcpy(o.prov.fqdn, "prov.example.net");
	}
	cl_set(&o, CL_F_REALM);
	strcpy(o.realm.name, realm);
	cl_set(&o, CL_F_PROV_TIMER);
	o.prov_timer = 3;   /* minutes */
	if (reply_ticket_ctrl) {
		cl_set(&o, CL_F_TICKET_CTRL);
		o.ticket_ctrl = reply_ticket_ctrl;
	}
	cl_put_opt122(&w, &o);
	dhcp4_put_end(&w);
	assert_int_equal(w.err, 0);
	ed4_input(&e.d4, buf, w.len);
}

/* Run due timers until the flow settles or n rounds pass (no time jumps). */
static void settle(int n)
{
	for (int i = 0; i < n; i++)
		if (loop_run_expired(l) == 0)
			break;
}

/* Jump the fake clock to the next timer, n times. */
static void spin(int n)
{
	for (int i = 0; i < n; i++) {
		int64_t t = loop_next_timeout(l);

		if (t < 0)
			return;
		fake_clock_advance_ms((uint64_t)t);
		loop_run_expired(l);
	}
}

static unsigned last_num(void)
{
	return e.flow.hist[(e.flow.nhist - 1) % FLOW_HIST].num;
}

static void test_v4_rows_branch_secure_without_dns(void **state)
{
	int failed5 = 0;

	(void)state;
	tod_known();
	start_v4();
	settle(5);
	assert_int_equal(e.flow.nhist, 1);           /* MTA1: the DISCOVER went out */
	assert_true(fake_net_tx_count() >= 1);
	reply(DHCP4_OFFER, 0, "EXAMPLE.NET");
	spin(3);                                      /* the offer window */
	reply(DHCP4_ACK, 0, "EXAMPLE.NET");
	spin(3);                                      /* ARP check / DAD-like settle, if any */
	settle(10);
	/* MTA1..MTA4 done, then the Secure flow's MTA5: the SRV query needs a
	 * DNS server, which this lease has not (option 6): the step fails and
	 * Table 5 restarts at MTA1 after the engine's back-off */
	assert_true(e.flow.nhist >= 5);
	assert_int_equal(e.flow.hist[3].num, 4);
	assert_ptr_equal(e.flow.flow, &flow_secure);
	assert_int_equal(e.flow.prov_timer_ms, 3 * 60 * 1000);   /* 122.8 */
	for (unsigned i = 0; i < e.flow.nhist && i < FLOW_HIST; i++)
		if (e.flow.hist[i].num == 5 && e.flow.hist[i].outcome == FLOW_FAIL)
			failed5 = 1;
	assert_true(failed5);
	assert_int_equal(e.flow.restarts, 1);
	assert_true(e.flow.state == FLOW_BACKOFF || e.flow.state == FLOW_RUNNING);
}

static void test_v4_disabled(void **state)
{
	(void)state;
	start_v4();
	settle(5);
	reply(DHCP4_OFFER, 1, "EXAMPLE.NET");
	spin(3);
	settle(5);
	assert_string_equal(last_state, "disabled");
	assert_int_equal(e.flow.state, FLOW_STOPPED);
	assert_int_equal(e.d4.state, ED4_IDLE);
}

static void test_v4_no_offer_restarts(void **state)
{
	unsigned first;

	(void)state;
	start_v4();
	settle(5);
	first = fake_net_tx_count();
	/* no OFFER ever: MTA2 fails when the module gives up, the engine backs off
	 * and sends a new DISCOVER (MTA1 again) */
	for (int i = 0; i < 200 && e.flow.restarts == 0; i++)
		spin(1);
	assert_true(e.flow.restarts >= 1);
	assert_int_equal(last_num(), 2);
	assert_int_equal(e.flow.hist[(e.flow.nhist - 1) % FLOW_HIST].outcome, FLOW_FAIL);
	spin(3);
	assert_true(fake_net_tx_count() > first);
	assert_int_equal(e.flow.state, FLOW_RUNNING);
}

static void test_dormant_record_starts_nothing(void **state)
{
	struct ipc_cm_ready cm;

	(void)state;
	memset(&cm, 0, sizeof(cm));
	cm.mode = IPC_MODE_DISABLED;
	assert_int_equal(eue_start(&e, &cm), 0);
	settle(5);
	assert_int_equal(fake_net_tx_count(), 0);
	assert_int_equal(e.flow.nhist, 0);
	assert_int_equal(loop_timer_count(l), 0);
}

/* OFFER, then ACK: the exchange of MTA1..MTA4. */
static void lease(const char *realm)
{
	settle(5);
	reply(DHCP4_OFFER, 0, realm);
	spin(3);
	reply(DHCP4_ACK, 0, realm);
	settle(10);
}

static int hist_has(uint8_t num, uint8_t outcome)
{
	unsigned first = e.flow.nhist > FLOW_HIST ? e.flow.nhist - FLOW_HIST : 0;

	for (unsigned i = first; i < e.flow.nhist; i++)
		if (e.flow.hist[i % FLOW_HIST].num == num && e.flow.hist[i % FLOW_HIST].outcome == outcome)
			return 1;
	return 0;
}

/* 6.3.2.3: Secure without ToD stops after the DHCP process, retries MTA1 at
 * most three times per 300 s, and goes on when the eCM's time arrives. */
static void test_secure_waits_for_tod(void **state)
{
	static const uint64_t waits[] = { 30000, 60000, 120000, 240000, 240000 };

	(void)state;
	start_v4();
	for (unsigned i = 0; i < sizeof(waits) / sizeof(waits[0]); i++) {
		unsigned tx, held;
		int64_t next;

		lease("EXAMPLE.NET");
		assert_int_equal(e.tod.hold, 1);
		assert_int_equal(last_num(), 3);   /* rows 1..3 done, row 4 open */
		held = e.flow.nhist;
		assert_int_equal(e.flow.state, FLOW_RUNNING);
		assert_int_equal(ev_last(&e.prov.ev)->id, ev_def_of(EV_NO_TOD)->id);
		/* the DHCP lease is the only timer source besides the retry: the
		 * retry is the next one, and nothing else goes out meanwhile */
		next = loop_next_timeout(l);
		assert_int_equal(next, (int64_t)waits[i]);
		tx = fake_net_tx_count();
		fake_clock_advance_ms(waits[i] - 1);
		settle(10);
		assert_int_equal(fake_net_tx_count(), tx);
		spin(1);
		settle(5);
		assert_int_equal(e.tod.hold, 0);
		assert_int_equal(e.flow.nhist, held + 1);   /* a new run: MTA1 again ... */
		assert_int_equal(last_num(), 1);
		assert_true(fake_net_tx_count() > tx);   /* ... with a new DISCOVER */
	}
	/* the eCM's time arrives while row 4 waits: the flow goes on to MTA5 */
	lease("EXAMPLE.NET");
	assert_int_equal(e.tod.hold, 1);
	tod_known();
	eue_tod_update(&e, 1, 0, 0);
	settle(10);
	assert_int_equal(e.tod.hold, 0);
	assert_int_equal(e.tod.tries, 0);
	assert_true(hist_has(4, FLOW_OK));
	assert_true(hist_has(5, FLOW_FAIL));   /* no DNS server in this lease */
}

/* 6.3.2.3: Basic and Hybrid go on without time (the event is still raised). */
static void test_basic_goes_on_without_tod(void **state)
{
	(void)state;
	start_v4();
	lease("BASIC.1");
	assert_int_equal(e.tod.hold, 0);
	assert_ptr_equal(e.flow.flow, &flow_basic1);
	assert_true(hist_has(4, FLOW_OK));
	assert_int_equal(e.prov.ev.n_log, 1);
	assert_int_equal(ev_last(&e.prov.ev)->id, ev_def_of(EV_NO_TOD)->id);
}

/* Table 5 note 3: a valid ticket in nvram skips MTA5 .. MTA12. */
static void test_cached_ticket_skips_5_to_12(void **state)
{
	(void)state;
	tod_known();
	cache_ticket(CLIENT, SERVER, 24 * 3600);
	start_v4();
	lease("EXAMPLE.NET");
	for (uint8_t n = 5; n <= 12; n++)
		assert_true(hist_has(n, FLOW_SKIP));
	/* MTA13 ran with the cached ticket: it fails here only because the
	 * lease has no DNS server for the entity's FQDN, which says nothing
	 * about the ticket: it stays */
	assert_true(hist_has(13, FLOW_FAIL));
	assert_false(hist_has(5, FLOW_FAIL));
	assert_true(ticket_cached());
	assert_int_equal(e.flow.restarts, 1);
}

/* A ticket that may not be used: MTA5 runs (and fails: no DNS here). */
static void expect_no_skip(void)
{
	start_v4();
	lease("EXAMPLE.NET");
	assert_true(hist_has(5, FLOW_FAIL));
	assert_false(hist_has(5, FLOW_SKIP));
	assert_false(hist_has(9, FLOW_SKIP));
}

static void test_ticket_control_invalidates(void **state)
{
	(void)state;
	tod_known();
	cache_ticket(CLIENT, SERVER, 24 * 3600);
	reply_ticket_ctrl = 0x0001;   /* RFC 3594: the provisioning server's ticket */
	expect_no_skip();
	assert_false(ticket_cached());
}

static void test_ticket_control_cms_only_keeps(void **state)
{
	(void)state;
	tod_known();
	cache_ticket(CLIENT, SERVER, 24 * 3600);
	reply_ticket_ctrl = 0x0002;   /* all CMS tickets: not the provisioning server's */
	start_v4();
	lease("EXAMPLE.NET");
	assert_true(hist_has(5, FLOW_SKIP));
	assert_true(ticket_cached());
}

static void test_ticket_rules_refuse(void **state)
{
	(void)state;
	tod_known();
	/* inside the 15 min PKINIT grace period */
	cache_ticket(CLIENT, SERVER, 10 * 60);
	expect_no_skip();
	assert_true(ticket_cached());   /* not deleted: PKINIT will replace it */
}

static void test_ticket_other_server(void **state)
{
	(void)state;
	tod_known();
	cache_ticket(CLIENT, "mtaprovsrvr/old-prov.example.net@EXAMPLE.NET", 24 * 3600);
	expect_no_skip();
}

static void test_ticket_unreadable_is_dropped(void **state)
{
	(void)state;
	tod_known();
	assert_int_equal(nvram_put(nv, TKT_NVRAM_KEY, "TKC1garbage", 11), 0);
	expect_no_skip();
	assert_false(ticket_cached());
}

/* 6.3.2.3: a change of the eCM's time invalidates the tickets and raises
 * the event; a re-read within RFC 868's second does not. */
static void test_tod_change_invalidates(void **state)
{
	unsigned n;
	int held;   /* stands for the ticket in memory: only compared with NULL */

	(void)state;
	tod_known();
	e.prov.krb.ticket = (const struct pkinit_ticket *)(const void *)&held;
	cache_ticket(CLIENT, SERVER, 24 * 3600);
	n = e.prov.ev.n_log;
	eue_tod_update(&e, 0, 999, 0);
	eue_tod_update(&e, 0, -1999, 0);
	assert_true(ticket_cached());
	assert_int_equal(e.prov.ev.n_log, n);
	assert_int_equal(e.prov.krb.stale, 0);
	eue_tod_update(&e, 0, -3600 * 1000LL, 0);
	assert_false(ticket_cached());
	assert_int_equal(e.prov.krb.stale, 1);   /* the ticket in memory is done for too */
	assert_int_equal(e.prov.ev.n_log, n + 1);
	assert_int_equal(ev_last(&e.prov.ev)->id, ev_def_of(EV_TOD_CHANGED)->id);
	/* a new time offset from the eCM's DHCP renewal, the same UTC time */
	cache_ticket(CLIENT, SERVER, 24 * 3600);
	eue_tod_update(&e, 0, 3, 1);
	assert_false(ticket_cached());
	assert_int_equal(e.prov.ev.n_log, n + 2);
	e.prov.krb.ticket = NULL;
}

/* The change lands while the AS exchange is under way (no ticket in hand yet):
 * the event is raised, and the ticket that arrives afterwards, issued after
 * the change, is not stale (a Wake Up then gets a new SA, not eUE-1 again). */
static void test_tod_change_during_as_exchange(void **state)
{
	unsigned n;

	(void)state;
	tod_known();
	n = e.prov.ev.n_log;
	assert_null(e.prov.krb.ticket);
	eue_tod_update(&e, 0, 0, 1);
	assert_int_equal(e.prov.ev.n_log, n + 1);
	assert_int_equal(ev_last(&e.prov.ev)->id, ev_def_of(EV_TOD_CHANGED)->id);
	assert_int_equal(e.prov.krb.stale, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_v4_rows_branch_secure_without_dns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_v4_disabled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_v4_no_offer_restarts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dormant_record_starts_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_secure_waits_for_tod, setup, teardown),
		cmocka_unit_test_setup_teardown(test_basic_goes_on_without_tod, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cached_ticket_skips_5_to_12, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ticket_control_invalidates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ticket_control_cms_only_keeps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ticket_rules_refuse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ticket_other_server, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ticket_unreadable_is_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tod_change_invalidates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tod_change_during_as_exchange, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
