/* test_eue_ipv6.c: the eUE's link-local address, DAD and router discovery
 * (PKT-SP-EUE-PROV-I05 6.3.4.1, 6.3.4.2) on the fake clock, net and
 * netlink: EUI-64, DAD ok / failed / never ending, the RS schedule of RFC
 * 4861 6.3.7, RA validity (6.1.2, M bit) and what READY reports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "eue/eue_ipv6.h"
#include "platform/clock.h"
#include "platform/err.h"
#include "platform/netlink.h"
#include "platform/sysctl.h"
#include "tests/fake/fake.h"
#include "tlv/nd.h"

#define EUE_IFINDEX 3

/* The lab radvd's RA (tests/unit/tlv/test_nd.c has the derivation). */
static const uint8_t radvd_ra[56] = {
	0x86, 0x00, 0x3b, 0x13, 0x40, 0xc0, 0x00, 0x1e,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x03, 0x04, 0x40, 0x80, 0x00, 0x01, 0x51, 0x80,
	0x00, 0x00, 0x38, 0x40, 0x00, 0x00, 0x00, 0x00,
	0x20, 0x01, 0x0d, 0xb8, 0x01, 0x13, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x01, 0x01, 0x02, 0x00, 0x00, 0x00, 0x01, 0x02,
};
static const uint8_t router_ll[16] = { 0xfe, 0x80, [10] = 0x00, [11] = 0xff, [12] = 0xfe,
				       [14] = 0x01, [15] = 0x02 };

struct t {
	struct loop *l;
	struct ip6 c;
	struct ip6_config cfg;
	char root[64];
	unsigned n_ev[3];
	enum ip6_event last;
	struct ip6_result res;
	uint64_t t_ev[3];
};

static void on_event(void *arg, struct ip6 *c, enum ip6_event ev, const struct ip6_result *r)
{
	struct t *t = arg;

	(void)c;
	t->n_ev[ev]++;
	t->last = ev;
	t->res = *r;
	t->t_ev[ev] = clock_mono_ms();
}

static void mkfile(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	static const uint8_t mac[6] = { 0x02, 0x00, 0x00, 0x00, 0x0e, 0x01 };
	struct t *t = calloc(1, sizeof(*t));
	char p[160];

	fake_net_reset();
	fake_nl_reset();
	fake_rand_seed(7);
	fake_clock_set_ms(1000000);
	t->l = loop_new();
	/* a /proc/sys of our own (platform/sysctl.h takes the root) */
	snprintf(t->root, sizeof(t->root), "/tmp/test_eue_ipv6.XXXXXX");
	assert_non_null(mkdtemp(t->root));
	snprintf(p, sizeof(p), "%s/net", t->root);
	mkdir(p, 0700);
	snprintf(p, sizeof(p), "%s/net/ipv6", t->root);
	mkdir(p, 0700);
	snprintf(p, sizeof(p), "%s/net/ipv6/conf", t->root);
	mkdir(p, 0700);
	snprintf(p, sizeof(p), "%s/net/ipv6/conf/eue-ue", t->root);
	mkdir(p, 0700);
	snprintf(p, sizeof(p), "%s/net/ipv6/conf/eue-ue/accept_ra", t->root);
	mkfile(p, "1\n");
	snprintf(p, sizeof(p), "%s/net/ipv6/conf/eue-ue/addr_gen_mode", t->root);
	mkfile(p, "0\n");
	t->cfg.ifname = "eue-ue";
	t->cfg.ifindex = EUE_IFINDEX;
	memcpy(t->cfg.mac, mac, 6);
	t->cfg.trace = NULL;
	t->cfg.sysctl_root = t->root;
	ip6_init(&t->c, t->l, &t->cfg, on_event, t);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct t *t = *state;
	char cmd[128];

	ip6_stop(&t->c);
	loop_free(t->l);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->root);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", t->root);
	free(t);
	return 0;
}

/* Advance the fake clock 1 ms at a time, firing timers, for ms. */
static void run_ms(struct t *t, uint64_t ms)
{
	for (uint64_t i = 0; i < ms; i++) {
		fake_clock_advance_ms(1);
		loop_run_expired(t->l);
	}
}

/* Start, DAD passes at the first look (at once): in RS_DELAY with the socket open. */
static int start_to_ll(struct t *t)
{
	assert_int_equal(ip6_start(&t->c), 0);
	run_ms(t, 1);
	assert_int_equal(t->n_ev[IP6_EV_LL_READY], 1);
	assert_int_equal(t->c.st, IP6_ST_RS_DELAY);
	return fake_net_fd(0);
}

static void inject(struct t *t, int fd, const uint8_t *pkt, size_t len, const uint8_t src[16],
		   uint16_t hoplimit)
{
	struct net_addr from, to;

	memset(&from, 0, sizeof(from));
	from.family = AF_INET6;
	memcpy(from.addr, src, 16);
	from.ifindex = EUE_IFINDEX;
	memset(&to, 0, sizeof(to));
	to.family = AF_INET6;
	to.addr[0] = 0xff;
	to.addr[1] = 0x02;
	to.addr[15] = 1;
	to.ifindex = EUE_IFINDEX;
	to.port = hoplimit;   /* the fake's hop limit (tests/fake/net.c) */
	assert_int_equal(fake_net_inject(fd, &from, &to, pkt, len), 0);
	assert_int_equal(loop_fd_dispatch(t->l, fd, LOOP_IN), 0);
}

static void test_eui64(void **state)
{
	/* RFC 4291 Appendix A: 34-56-78-9A-BC-DE -> 36-56-78-FF-FE-9A-BC-DE */
	static const uint8_t mac[6] = { 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde };
	static const uint8_t want[16] = { 0xfe, 0x80, 0, 0, 0, 0, 0, 0,
					  0x36, 0x56, 0x78, 0xff, 0xfe, 0x9a, 0xbc, 0xde };
	/* a locally administered MAC (the lab's eUE): u bit goes 1 -> 0 */
	static const uint8_t mac2[6] = { 0x02, 0x00, 0x00, 0x00, 0x0e, 0x01 };
	static const uint8_t want2[16] = { 0xfe, 0x80, [11] = 0xff, [12] = 0xfe, [14] = 0x0e,
					   [15] = 0x01 };
	uint8_t out[16];

	(void)state;
	ip6_eui64_ll(mac, out);
	assert_memory_equal(out, want, 16);
	ip6_eui64_ll(mac2, out);
	assert_memory_equal(out, want2, 16);
}

static void test_dad_ok_then_ll_ready(void **state)
{
	struct t *t = *state;
	char buf[16];

	fake_nl_set_dad(NL_DAD_TENTATIVE);
	assert_int_equal(ip6_start(&t->c), 0);
	assert_int_equal(ip6_start(&t->c), E_STATE);
	/* the address went in as fe80::/64 EUI-64, forever, DAD on */
	assert_int_equal(fake_nl()->adds, 1);
	assert_int_equal(fake_nl()->ifindex, EUE_IFINDEX);
	assert_int_equal(fake_nl()->family, AF_INET6);
	assert_int_equal(fake_nl()->plen, 64);
	assert_int_equal(fake_nl()->valid, 0xffffffffu);
	assert_memory_equal(fake_nl()->addr, t->c.res.ll, 16);
	assert_int_equal(t->c.res.ll[8], 0x00);
	/* the kernel was told to keep out */
	assert_int_equal(sysctl_get(t->root, "net/ipv6/conf/eue-ue/accept_ra", buf, sizeof(buf)), 1);
	assert_string_equal(buf, "0");
	assert_int_equal(sysctl_get(t->root, "net/ipv6/conf/eue-ue/addr_gen_mode", buf, sizeof(buf)), 1);
	assert_string_equal(buf, "1");
	/* tentative for 1.5 s: nothing sent, nothing reported */
	run_ms(t, 1500);
	assert_int_equal(t->c.st, IP6_ST_DAD);
	assert_int_equal(fake_net_tx_count(), 0);
	assert_int_equal(t->n_ev[IP6_EV_LL_READY] + t->n_ev[IP6_EV_FAILED], 0);
	fake_nl_set_dad(NL_DAD_OK);
	run_ms(t, IP6_DAD_POLL_MS);
	assert_int_equal(t->n_ev[IP6_EV_LL_READY], 1);
	assert_int_equal(t->c.st, IP6_ST_RS_DELAY);
	assert_true(fake_net_fd(0) >= 0);
	assert_int_equal(fake_nl()->dels, 0);
}

static void test_dad_failed_stops(void **state)
{
	struct t *t = *state;

	fake_nl_set_dad(NL_DAD_FAILED);
	assert_int_equal(ip6_start(&t->c), 0);
	run_ms(t, IP6_DAD_POLL_MS);
	assert_int_equal(t->n_ev[IP6_EV_FAILED], 1);
	assert_string_equal(t->res.reason, "dad");
	assert_int_equal(t->c.st, IP6_ST_FAILED);
	/* 6.3.4.1: the tentative address is not kept, nothing retries, no RS */
	assert_int_equal(fake_nl()->dels, 1);
	assert_int_equal(t->n_ev[IP6_EV_LL_READY], 0);
	assert_int_equal(loop_timer_count(t->l), 0);
	run_ms(t, 20000);
	assert_int_equal(fake_net_tx_count(), 0);
	assert_int_equal(fake_net_fd(0), -1);
	assert_int_equal(fake_nl()->adds, 1);
	assert_int_equal(t->n_ev[IP6_EV_FAILED], 1);
}

static void test_dad_never_ends(void **state)
{
	struct t *t = *state;

	fake_nl_set_dad(NL_DAD_TENTATIVE);
	assert_int_equal(ip6_start(&t->c), 0);
	run_ms(t, IP6_DAD_MAX_MS - 1);
	assert_int_equal(t->n_ev[IP6_EV_FAILED], 0);
	run_ms(t, IP6_DAD_POLL_MS);
	assert_int_equal(t->n_ev[IP6_EV_FAILED], 1);
	assert_string_equal(t->res.reason, "dad-timeout");
}

static void test_rs_schedule_then_no_ra(void **state)
{
	struct t *t = *state;
	uint64_t t0, sent[IP6_MAX_RTR_SOLICITATIONS];
	unsigned n = 0;
	int fd;

	(void)fd;
	fd = start_to_ll(t);
	assert_true(fd >= 0);
	t0 = clock_mono_ms();
	/* 1 ms steps for 14 s: note when each RS leaves */
	for (int i = 0; i < 14000 && t->n_ev[IP6_EV_FAILED] == 0; i++) {
		run_ms(t, 1);
		if (fake_net_tx_count() > n) {
			assert_true(n < IP6_MAX_RTR_SOLICITATIONS);
			sent[n++] = clock_mono_ms() - t0;
		}
	}
	assert_int_equal(n, IP6_MAX_RTR_SOLICITATIONS);
	/* RFC 4861 6.3.7: first after 0..1 s, then 4 s apart */
	assert_true(sent[0] <= IP6_RTR_SOLICITATION_DELAY_MS);
	assert_int_equal(sent[1] - sent[0], IP6_RTR_SOLICITATION_INTERVAL_MS);
	assert_int_equal(sent[2] - sent[1], IP6_RTR_SOLICITATION_INTERVAL_MS);
	/* each is an RS with our SLLA, to ff02::2 on the eUE interface */
	for (unsigned i = 0; i < n; i++) {
		const struct fake_pkt *p = fake_net_tx(i);

		assert_int_equal(p->fd, fd);
		assert_int_equal(p->len, ND_RS_LEN);
		assert_int_equal(p->data[0], ND_ROUTER_SOLICIT);
		assert_int_equal(p->data[8], ND_OPT_SLLA);
		assert_memory_equal(p->data + 10, t->cfg.mac, 6);
		assert_int_equal(p->peer.family, AF_INET6);
		assert_memory_equal(p->peer.addr, "\xff\x02\0\0\0\0\0\0\0\0\0\0\0\0\0\x02", 16);
		assert_int_equal(p->peer.ifindex, EUE_IFINDEX);
	}
	/* then no-ra, 4 s after the last */
	assert_int_equal(t->n_ev[IP6_EV_FAILED], 1);
	assert_string_equal(t->res.reason, "no-ra");
	assert_int_equal(t->t_ev[IP6_EV_FAILED] - t0, sent[2] + IP6_RTR_SOLICITATION_INTERVAL_MS);
	assert_int_equal(fake_nl()->routes, 0);
	assert_int_equal(loop_fd_count(t->l), 0);
	assert_int_equal(loop_timer_count(t->l), 0);
}

static void test_rs_delay_spread(void **state)
{
	struct t *t = *state;
	uint64_t lo = 1000, hi = 0;

	/* over many seeds the first delay stays in 0..1000 ms and spreads */
	for (uint64_t seed = 1; seed <= 40; seed++) {
		uint64_t t0;

		ip6_stop(&t->c);
		fake_net_reset();
		fake_rand_seed(seed);
		t->n_ev[IP6_EV_LL_READY] = 0;
		start_to_ll(t);
		t0 = clock_mono_ms();
		while (fake_net_tx_count() == 0 && clock_mono_ms() - t0 <= 1001)
			run_ms(t, 1);
		assert_int_equal(fake_net_tx_count(), 1);
		lo = clock_mono_ms() - t0 < lo ? clock_mono_ms() - t0 : lo;
		hi = clock_mono_ms() - t0 > hi ? clock_mono_ms() - t0 : hi;
		assert_true(clock_mono_ms() - t0 <= IP6_RTR_SOLICITATION_DELAY_MS);
	}
	assert_true(hi - lo > 500);
}

static void test_ra_m1_ready(void **state)
{
	struct t *t = *state;
	static const uint8_t pfx[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x01, 0x13 };
	int fd = start_to_ll(t);

	run_ms(t, 1000);   /* the first RS is out */
	assert_int_equal(fake_net_tx_count(), 1);
	inject(t, fd, radvd_ra, sizeof(radvd_ra), router_ll, 0);
	assert_int_equal(t->n_ev[IP6_EV_READY], 1);
	assert_int_equal(t->last, IP6_EV_READY);
	assert_memory_equal(t->res.router, router_ll, 16);
	assert_true(t->res.managed);
	assert_true(t->res.other);
	assert_int_equal(t->res.router_lifetime_s, 30);
	assert_true(t->res.has_prefix);
	assert_memory_equal(t->res.prefix, pfx, 16);
	assert_int_equal(t->res.plen, 64);
	assert_true(t->res.has_router_mac);
	assert_memory_equal(t->res.router_mac, "\x02\0\0\0\x01\x02", 6);
	assert_null(t->res.reason);
	/* the default route via the router */
	assert_int_equal(fake_nl()->routes, 1);
	assert_true(t->res.default_route);
	/* discovery is over: no more RS, no timer, socket closed */
	assert_int_equal(t->c.st, IP6_ST_READY);
	run_ms(t, 15000);
	assert_int_equal(fake_net_tx_count(), 1);
	assert_int_equal(loop_timer_count(t->l), 0);
	assert_int_equal(loop_fd_count(t->l), 0);
	assert_int_equal(t->n_ev[IP6_EV_FAILED], 0);
}

static void test_ra_before_first_rs(void **state)
{
	struct t *t = *state;
	int fd = start_to_ll(t);

	/* an unsolicited RA during the initial delay ends discovery (6.3.7) */
	inject(t, fd, radvd_ra, sizeof(radvd_ra), router_ll, 255);
	assert_int_equal(t->n_ev[IP6_EV_READY], 1);
	assert_int_equal(fake_net_tx_count(), 0);
}

static void test_ra_lifetime0_no_route(void **state)
{
	struct t *t = *state;
	uint8_t ra[sizeof(radvd_ra)];
	int fd = start_to_ll(t);

	memcpy(ra, radvd_ra, sizeof(ra));
	ra[6] = ra[7] = 0;   /* router lifetime 0: not a default router */
	inject(t, fd, ra, sizeof(ra), router_ll, 0);
	assert_int_equal(t->n_ev[IP6_EV_READY], 1);
	assert_false(t->res.default_route);
	assert_int_equal(fake_nl()->routes, 0);
}

static void test_ra_m0_fails_m_bit_clear(void **state)
{
	struct t *t = *state;
	uint8_t ra[sizeof(radvd_ra)];
	int fd = start_to_ll(t);
	uint64_t t0 = clock_mono_ms();

	memcpy(ra, radvd_ra, sizeof(ra));
	ra[5] = 0x40;   /* O only */
	run_ms(t, 1000);
	inject(t, fd, ra, sizeof(ra), router_ll, 0);
	assert_int_equal(ip6_input(&t->c, ra, sizeof(ra), &(struct net_addr){ .family = AF_INET6,
				   .addr = { 0xfe, 0x80, [15] = 1 } }, 255), E_PROTO);
	/* not valid (6.3.4.2): soliciting goes on, then fails naming the M bit */
	assert_int_equal(t->n_ev[IP6_EV_READY] + t->n_ev[IP6_EV_FAILED], 0);
	assert_int_equal(t->c.st, IP6_ST_SOLICIT);
	run_ms(t, 12000);
	assert_int_equal(fake_net_tx_count(), IP6_MAX_RTR_SOLICITATIONS);
	assert_int_equal(t->n_ev[IP6_EV_FAILED], 1);
	assert_string_equal(t->res.reason, "m-bit-clear");
	assert_true(t->t_ev[IP6_EV_FAILED] - t0 <= 1000 + 2 * 4000 + 4000);
	assert_int_equal(fake_nl()->routes, 0);
}

static void test_ra_m0_then_m1(void **state)
{
	struct t *t = *state;
	uint8_t ra[sizeof(radvd_ra)];
	int fd = start_to_ll(t);

	memcpy(ra, radvd_ra, sizeof(ra));
	ra[5] = 0x00;
	inject(t, fd, ra, sizeof(ra), router_ll, 0);
	run_ms(t, 5000);
	/* a second router with M = 1 is the one */
	inject(t, fd, radvd_ra, sizeof(radvd_ra), (const uint8_t[16]){ 0xfe, 0x80, [15] = 9 }, 0);
	assert_int_equal(t->n_ev[IP6_EV_READY], 1);
	assert_int_equal(t->res.router[15], 9);
}

static void test_ra_invalid_ignored(void **state)
{
	struct t *t = *state;
	static const uint8_t global[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x01, 0x13, [15] = 1 };
	uint8_t bad[sizeof(radvd_ra)];
	int fd = start_to_ll(t);

	run_ms(t, 1000);
	/* 6.1.2: hop limit 64 (forwarded, not from this link) */
	inject(t, fd, radvd_ra, sizeof(radvd_ra), router_ll, 64);
	/* 6.1.2: a global source */
	inject(t, fd, radvd_ra, sizeof(radvd_ra), global, 0);
	/* 6.1.2: an option of length 0 */
	memcpy(bad, radvd_ra, sizeof(bad));
	bad[49] = 0;
	inject(t, fd, bad, sizeof(bad), router_ll, 0);
	/* code 1 */
	memcpy(bad, radvd_ra, sizeof(bad));
	bad[1] = 1;
	inject(t, fd, bad, sizeof(bad), router_ll, 0);
	/* shorter than 16 */
	inject(t, fd, radvd_ra, 12, router_ll, 0);
	/* not an RA at all (an echo request): not even counted */
	inject(t, fd, (const uint8_t *)"\x80\x00\x00\x00\x00\x01\x00\x01", 8, router_ll, 0);
	/* the direct input path says why */
	struct net_addr from = { .family = AF_INET6 };

	memcpy(from.addr, router_ll, 16);
	assert_int_equal(ip6_input(&t->c, radvd_ra, sizeof(radvd_ra), &from, 64), ND_E_HOPLIMIT);
	memcpy(from.addr, global, 16);
	assert_int_equal(ip6_input(&t->c, radvd_ra, sizeof(radvd_ra), &from, 255), ND_E_SRC);
	assert_int_equal(t->c.ra_ignored, 7);
	assert_int_equal(t->n_ev[IP6_EV_READY], 0);
	assert_int_equal(t->c.st, IP6_ST_SOLICIT);
	assert_int_equal(fake_nl()->routes, 0);
	/* none of them was valid: 3 RS, then no-ra */
	run_ms(t, 12000);
	assert_int_equal(t->n_ev[IP6_EV_FAILED], 1);
	assert_string_equal(t->res.reason, "no-ra");
}

static void test_input_outside_discovery(void **state)
{
	struct t *t = *state;
	struct net_addr from = { .family = AF_INET6 };

	memcpy(from.addr, router_ll, 16);
	assert_int_equal(ip6_input(&t->c, radvd_ra, sizeof(radvd_ra), &from, 255), E_STATE);
	fake_nl_set_dad(NL_DAD_TENTATIVE);
	ip6_start(&t->c);
	assert_int_equal(ip6_input(&t->c, radvd_ra, sizeof(radvd_ra), &from, 255), E_STATE);
}

static void test_restart_after_failure(void **state)
{
	struct t *t = *state;

	/* no-ra, then the caller re-initialises: it all runs again */
	start_to_ll(t);
	run_ms(t, 14000);
	assert_int_equal(t->n_ev[IP6_EV_FAILED], 1);
	assert_int_equal(ip6_start(&t->c), 0);
	assert_int_equal(fake_nl()->adds, 2);
	run_ms(t, IP6_DAD_POLL_MS);
	assert_int_equal(t->n_ev[IP6_EV_LL_READY], 2);
	inject(t, fake_net_fd(1), radvd_ra, sizeof(radvd_ra), router_ll, 0);
	assert_int_equal(t->n_ev[IP6_EV_READY], 1);
}

static void test_send_failure_counts_as_try(void **state)
{
	struct t *t = *state;

	start_to_ll(t);
	fake_net_fail_next_send();
	run_ms(t, 1000 + 3 * 4000);
	/* the first RS failed to go; two went; the schedule held */
	assert_int_equal(fake_net_tx_count(), 2);
	assert_int_equal(t->n_ev[IP6_EV_FAILED], 1);
	assert_string_equal(t->res.reason, "no-ra");
}

static void test_sysctl_missing_is_not_fatal(void **state)
{
	struct t *t = *state;

	/* a kernel without the files: warned, the bring-up goes on */
	t->c.cfg.sysctl_root = "/nonexistent-sysctl-root";
	assert_int_equal(ip6_kernel_off(&t->c.cfg), E_NOTFOUND);
	start_to_ll(t);
	assert_int_equal(sysctl_set(t->root, "../x", "1"), E_INVAL);
	assert_int_equal(sysctl_set(t->root, "/abs", "1"), E_INVAL);
	assert_int_equal(sysctl_ip6_conf_set(t->root, "a/b", "accept_ra", "0"), E_INVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eui64),
		cmocka_unit_test_setup_teardown(test_dad_ok_then_ll_ready, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dad_failed_stops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dad_never_ends, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rs_schedule_then_no_ra, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rs_delay_spread, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ra_m1_ready, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ra_before_first_rs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ra_lifetime0_no_route, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ra_m0_fails_m_bit_clear, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ra_m0_then_m1, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ra_invalid_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_input_outside_discovery, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restart_after_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_send_failure_counts_as_try, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sysctl_missing_is_not_fatal, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
