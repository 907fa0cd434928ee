/* test_events.c: the local event log and the RFC 3164 syslog line (events.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "platform/err.h"
#include "snmp-mibs/events.h"
#include "tests/fake/fake.h"

static const uint8_t mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x0e, 0x01 };

static int setup(void **state)
{
	(void)state;
	fake_net_reset();
	fake_clock_set_ms(10000);
	return 0;
}

static void v6(struct net_addr *a, uint8_t last, uint16_t port)
{
	static const uint8_t pfx[8] = { 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x51, 0, 0 };

	memset(a, 0, sizeof(*a));
	a->family = AF_INET6;
	memcpy(a->addr, pfx, 8);
	a->addr[15] = last;
	a->port = port;
}

static void test_line_with_time_is_rfc3164(void **state)
{
	struct events e;
	struct walltime w;
	struct net_addr srv, src;
	const struct fake_pkt *p;
	char want[256];

	(void)state;
	walltime_init(&w);
	/* 2026-11-03 04:05:06 UTC = 1793678706 s; offset +1 h (option 2) */
	walltime_set(&w, 1793678706000LL, 10000);
	w.offset_s = 3600;
	ev_init(&e, &w, "Acme Co.", mac);
	v6(&srv, 0x10, 0);
	v6(&src, 0x50, 0);
	assert_int_equal(ev_set_syslog(&e, &srv, "eue-ue", &src), 0);
	ev_set_hostname(&e, "eue1.example.net");   /* RFC 3164 4.1.2: no domain */
	assert_int_equal(ev_raise(&e, EV_PROV_PASS, "pass"), 0);
	assert_int_equal(fake_net_tx_count(), 1);
	p = fake_net_tx(0);
	/* default port 514 (RFC 3164 2), to the first server (6.1.6) */
	assert_int_equal(p->peer.port, 514);
	assert_memory_equal(p->peer.addr, srv.addr, 16);
	/* PRI = local0 (16) * 8 + notice (5) = 133; day space-padded, local time */
	snprintf(want, sizeof(want),
		 "<133>Nov  3 05:05:06 eue1 MTA[AcmeCo]: <%u> "
		 "Provisioning complete: pass (pass) MAC=02:00:00:00:0e:01",
		 4000950901u);
	assert_int_equal(p->len, strlen(want));
	assert_memory_equal(p->data, want, p->len);
	assert_int_equal(e.sent, 1);
	assert_int_equal(ev_last(&e)->index, 1);
	assert_int_equal(ev_last(&e)->org, 4491);
}

static void test_no_time_leaves_out_the_header(void **state)
{
	struct events e;
	struct walltime w;
	char line[EV_SYSLOG_MAX];

	(void)state;
	walltime_init(&w);
	ev_init(&e, &w, "v", mac);
	assert_int_equal(ev_raise(&e, EV_NO_TOD, NULL), 0);   /* no server: local only */
	assert_int_equal(fake_net_tx_count(), 0);
	assert_false(ev_last(&e)->time_known);
	ev_syslog_format(line, sizeof(line), &e, ev_last(&e), 0);
	/* error (3): 131; RFC 3164 4.3.3: no TIMESTAMP/HOSTNAME without a clock */
	assert_true(strncmp(line, "<131>MTA[v]: <4000950903> No time of day", 40) == 0);
}

/* Without a name: the IPv4 address, or no HEADER in IPv6 mode (an IPv6
 * literal breaks rsyslog's RFC 3164 parser, found in the lab). */
static void test_hostname_fallbacks(void **state)
{
	struct events e;
	struct walltime w;
	struct net_addr srv, src;
	char line[EV_SYSLOG_MAX];

	(void)state;
	walltime_init(&w);
	walltime_set(&w, 1793678706000LL, 10000);
	ev_init(&e, &w, "v", mac);
	v6(&srv, 0x10, 0);
	v6(&src, 0x50, 0);
	assert_int_equal(ev_set_syslog(&e, &srv, NULL, &src), 0);
	assert_int_equal(ev_raise(&e, EV_PROV_PASS, NULL), 0);
	ev_syslog_format(line, sizeof(line), &e, ev_last(&e), 0);
	assert_true(strncmp(line, "<133>MTA[v]: ", 13) == 0);
	memset(&src, 0, sizeof(src));
	src.family = AF_INET;
	memcpy(src.addr, "\xcb\x00\x71\x65", 4);
	memset(&srv, 0, sizeof(srv));
	srv.family = AF_INET;
	memcpy(srv.addr, "\xc6\x33\x64\x0a", 4);
	assert_int_equal(ev_set_syslog(&e, &srv, NULL, &src), 0);
	ev_syslog_format(line, sizeof(line), &e, ev_last(&e), 0);
	assert_true(strncmp(line, "<133>Nov  3 04:05:06 203.0.113.101 MTA[v]: ", 43) == 0);
	ev_set_hostname(&e, "box");
	ev_syslog_format(line, sizeof(line), &e, ev_last(&e), 0);
	assert_true(strncmp(line, "<133>Nov  3 04:05:06 box MTA[v]: ", 33) == 0);
	ev_set_hostname(&e, NULL);
	ev_syslog_format(line, sizeof(line), &e, ev_last(&e), 0);
	assert_true(strncmp(line, "<133>Nov  3 04:05:06 203.0.113.101 ", 35) == 0);
}

static void test_ring_keeps_the_newest_and_indexes_grow(void **state)
{
	struct events e;

	(void)state;
	ev_init(&e, NULL, "v", mac);
	for (unsigned i = 0; i < EV_LOG_MAX + 5; i++)
		assert_int_equal(ev_raise(&e, EV_PROV_FAIL, "failConfigFileError"), 0);
	assert_int_equal(ev_last(&e)->index, EV_LOG_MAX + 5);
	assert_int_equal(e.n_log, EV_LOG_MAX + 5);
	assert_int_equal(ev_raise(&e, EV__COUNT, NULL), E_INVAL);
}

static void test_truncation_is_bounded(void **state)
{
	struct events e;
	char small[20];
	char detail[400];

	(void)state;
	ev_init(&e, NULL, "v", mac);
	memset(detail, 'x', sizeof(detail) - 1);
	detail[sizeof(detail) - 1] = '\0';
	assert_int_equal(ev_raise(&e, EV_PROV_FAIL, detail), 0);
	assert_int_equal(strlen(ev_last(&e)->text), EV_TEXT_MAX - 1);
	assert_int_equal(ev_syslog_format(small, sizeof(small), &e, ev_last(&e), 0),
			 sizeof(small) - 1);
	assert_int_equal(small[sizeof(small) - 1], '\0');
}

static void test_send_failure_is_counted_and_row_kept(void **state)
{
	struct events e;
	struct net_addr srv, src;

	(void)state;
	ev_init(&e, NULL, "v", mac);
	v6(&srv, 0x10, 1514);
	v6(&src, 0x50, 0);
	assert_int_equal(ev_set_syslog(&e, &srv, NULL, &src), 0);
	fake_net_fail_next_send();
	assert_int_equal(ev_raise(&e, EV_CFG_HASH_FAIL, NULL), E_IO);
	assert_int_equal(e.send_errors, 1);
	assert_int_equal(e.n_log, 1);
	/* a new server from a renewal applies at once (6.3.5) */
	v6(&srv, 0x11, 0);
	assert_int_equal(ev_set_syslog(&e, &srv, NULL, &src), 0);
	assert_int_equal(ev_raise(&e, EV_CFG_HASH_FAIL, NULL), 0);
	assert_int_equal(fake_net_tx(fake_net_tx_count() - 1)->peer.addr[15], 0x11);
	ev_close(&e);
	assert_int_equal(ev_raise(&e, EV_CFG_HASH_FAIL, NULL), 0);   /* local only now */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_line_with_time_is_rfc3164, setup),
		cmocka_unit_test_setup(test_no_time_leaves_out_the_header, setup),
		cmocka_unit_test_setup(test_hostname_fallbacks, setup),
		cmocka_unit_test_setup(test_ring_keeps_the_newest_and_indexes_grow, setup),
		cmocka_unit_test_setup(test_truncation_is_bounded, setup),
		cmocka_unit_test_setup(test_send_failure_is_counted_and_row_kept, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
