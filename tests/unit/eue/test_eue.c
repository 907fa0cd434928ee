/*
 * test_eue.c: one eUE device (eue.c) on the fake platform with the real
 * DHCPv4 module: the engine's rows MTA1..MTA4 complete from the module's
 * latched events, the realm branches the flow (Secure: MTA5 fails without a
 * DNS server and restarts), "0.0.0.0" disables the eUE, a failed
 * DHCP exchange restarts MTA1, and a dormant eCM record starts nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "eue/eue.h"
#include "eue/flows.h"
#include "platform/loop.h"
#include "tests/fake/fake.h"
#include "tlv/wr.h"

static struct loop *l;
static struct board_conf b;
static struct eue e;
static char last_state[32];
static unsigned reports;

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
	eue_init(&e, &b, l, NULL, 3, on_report, NULL);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	eue_stop(&e);
	eue_free(&e);
	loop_free(l);
	return 0;
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_v4_rows_branch_secure_without_dns, setup, teardown),
		cmocka_unit_test_setup_teardown(test_v4_disabled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_v4_no_offer_restarts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dormant_record_starts_nothing, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
