/*
 * test_eue_dhcp4.c: the eUE's DHCPv4 client (MTA1..MTA4, 6.3.2.2, eUE-3
 * ranking, 6.3.5 renewals) on the fake clock and wire: the DISCOVER decoded
 * back (60 via capab_opt60_parse, 43 sub-options, 61 per RFC 4361, 55), the
 * server filter (named, other, any), the priority rules, all "0.0.0.0" ->
 * disabled, the ACK authoritative, NAK, the MTA2/MTA4 time-outs and every
 * DHCPv4 rule of 6.3.5.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "eue/eue_dhcp4.h"
#include "platform/loop.h"
#include "tests/fake/fake.h"
#include "tlv/capab.h"
#include "tlv/ipudp.h"
#include "tlv/wr.h"

#define SRV_A 0xc6336401u   /* 198.51.100.1 */
#define SRV_B 0xc6336402u
#define SRV_C 0xc6336403u   /* not named by the eCM */
#define ADDR1 0xcb007164u   /* 203.0.113.100 */
#define ADDR2 0xcb007165u

static const uint8_t mac[6] = { 2, 0, 0, 0, 0x0e, 1 };
static const uint8_t oui[3] = { 0x00, 0x11, 0x22 };
static struct loop *l;
static struct ed4 c;
static uint32_t arp_ms;   /* cfg.arp_check_ms for the next start */
static struct { unsigned n; enum ed4_event ev[32]; unsigned detail[32]; } evs;

static void on_event(void *arg, struct ed4 *cc, enum ed4_event ev, unsigned detail)
{
	(void)arg;
	(void)cc;
	if (evs.n < 32) {
		evs.ev[evs.n] = ev;
		evs.detail[evs.n] = detail;
	}
	evs.n++;
}

static enum ed4_event last_ev(void)
{
	assert_true(evs.n > 0);
	return evs.ev[evs.n - 1];
}

static unsigned last_detail(void)
{
	return evs.detail[evs.n - 1];
}

static int setup(void **state)
{
	(void)state;
	fake_net_reset();
	fake_nl_reset();
	fake_rand_seed(6);
	memset(&evs, 0, sizeof(evs));
	arp_ms = 0;
	l = loop_new();
	return l ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	ed4_stop(&c);
	loop_free(l);
	return 0;
}

static void start_with(const uint32_t *servers, unsigned n)
{
	struct ed4_config cfg;

	memset(&cfg, 0, sizeof(cfg));
	cfg.ifname = "eue-ue";
	cfg.ifindex = 3;
	memcpy(cfg.mac, mac, 6);
	cfg.serial = "SN0001";
	cfg.hw_version = "HW1";
	cfg.sw_version = "SW2.0";
	cfg.boot_rom = "BR3";
	cfg.model = "EUE-1000";
	cfg.vendor = "Example";
	memcpy(cfg.oui, oui, 3);
	for (unsigned i = 0; i < n; i++)
		cfg.servers[i] = servers[i];
	cfg.n_servers = n;
	cfg.install_addr = 1;
	cfg.arp_check_ms = arp_ms;
	ed4_init(&c, l, &cfg, on_event, NULL);
	assert_int_equal(ed4_start(&c), 0);
	assert_int_equal(c.state, ED4_SELECTING);
}

static void start(void)
{
	static const uint32_t two[2] = { SRV_A, SRV_B };

	start_with(two, 2);
}

/* The DHCP message inside the n-th packet sent. */
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

static void last_msg(struct dhcp4_msg *m, int raw)
{
	sent_msg(fake_net_tx_count() - 1, m, raw);
}

enum prov { P_NONE, P_ADDR, P_DISABLE };

struct srv_msg {
	uint8_t type;
	uint32_t server, yiaddr;
	enum prov prov;
	const char *realm;          /* NULL: no 122.6 */
	uint32_t dns, syslog, mask, router;
	const char *file;
	int bare;                   /* leave out 1, 3, 6, 7 */
};

static size_t mk(uint8_t *buf, size_t cap, const struct srv_msg *s)
{
	struct dhcp4_hdr h;
	struct cl_opts o;
	struct wr w;

	memset(&h, 0, sizeof(h));
	h.op = DHCP4_BOOTREPLY;
	h.htype = 1;
	h.hlen = 6;
	h.xid = c.xid;
	h.yiaddr = s->yiaddr;
	h.siaddr = s->server;
	memcpy(h.chaddr, mac, 6);
	h.file = s->file ? s->file : "eue.cfg";
	wr_init(&w, buf, cap);
	dhcp4_put_hdr(&w, &h);
	dhcp4_put_msg_type(&w, (enum dhcp4_type)s->type);
	dhcp4_put_u32(&w, DHCP4_O_SERVER_ID, s->server);
	if (!s->bare) {
		dhcp4_put_u32(&w, DHCP4_O_SUBNET, s->mask ? s->mask : 0xffffff00u);
		dhcp4_put_u32(&w, DHCP4_O_ROUTER, s->router ? s->router : 0xcb007101u);
		dhcp4_put_u32(&w, DHCP4_O_DNS, s->dns ? s->dns : 0xc6336435u);
		dhcp4_put_u32(&w, DHCP4_O_LOG_SERVER, s->syslog ? s->syslog : 0xc6336436u);
	}
	dhcp4_put_u32(&w, DHCP4_O_LEASE, 600);
	dhcp4_put_u32(&w, DHCP4_O_TIME_SERVER, s->server);
	dhcp4_put_u32(&w, DHCP4_O_TIME_OFFSET, 3600);
	dhcp4_put_opt(&w, DHCP4_O_HOSTNAME, "eue1", 4);
	dhcp4_put_opt(&w, DHCP4_O_DOMAIN, "example.net", 11);
	if (s->prov != P_NONE || s->realm) {
		cl_init(&o);
		if (s->prov == P_ADDR) {
			cl_set(&o, CL_F_PROV_SRV);
			o.prov.kind = CL_PROV_IPV4;
			o.prov.addr4 = 0xc6336450u;
		} else if (s->prov == P_DISABLE) {
			cl_set(&o, CL_F_PROV_SRV);
			o.prov.kind = CL_PROV_DISABLE;
		}
		if (s->realm) {
			cl_set(&o, CL_F_REALM);
			strcpy(o.realm.name, s->realm);
		}
		cl_set(&o, CL_F_PROV_TIMER);
		o.prov_timer = 7;
		cl_set(&o, CL_F_TICKET_CTRL);
		o.ticket_ctrl = 0x0001;
		cl_set(&o, CL_F_AS_BACKOFF);
		o.as_backoff = (struct cl_backoff){ 3000, 100, 5 };
		cl_set(&o, CL_F_AP_BACKOFF);
		o.ap_backoff = (struct cl_backoff){ 3000, 600, 8 };
		cl_set(&o, CL_F_TGT);
		o.tgt = 1;
		cl_put_opt122(&w, &o);
	}
	dhcp4_put_end(&w);
	assert_int_equal(w.err, 0);
	return w.len;
}

static void feed(const struct srv_msg *s)
{
	uint8_t b[1024];
	size_t n = mk(b, sizeof(b), s);

	ed4_input(&c, b, n);
}

static void offer(uint32_t server, uint32_t yiaddr, enum prov p, const char *realm)
{
	struct srv_msg s = { .type = DHCP4_OFFER, .server = server, .yiaddr = yiaddr, .prov = p,
			     .realm = realm };

	feed(&s);
}

static void step_timers(int max, enum ed4_state until)
{
	for (int i = 0; i < max && c.state != until; i++) {
		int64_t t = loop_next_timeout(l);

		assert_true(t >= 0);
		fake_clock_advance_ms((uint64_t)t);
		loop_run_expired(l);
	}
}

/* Find one sub-option in option 43's value. */
static const uint8_t *sub43(const uint8_t *v, int n, uint8_t code, int *len)
{
	for (int i = 0; i + 2 <= n && i + 2 + v[i + 1] <= n; i += 2 + v[i + 1])
		if (v[i] == code) {
			*len = v[i + 1];
			return v + i + 2;
		}
	return NULL;
}

static void check_client_options(const struct dhcp4_msg *m)
{
	static const uint8_t need55[] = { 122, 6, 7, 4, 2, 1, 3, 12, 15 };
	static const uint8_t cid[] = { 0xff, 0, 0, 0x0e, 1, 0, 3, 0, 1, 2, 0, 0, 0, 0x0e, 1 };
	const uint8_t *v, *s;
	uint8_t buf[512], u8;
	struct capab cp;
	int n, sl;

	/* 60: pktc2.0: + hex, parsed back (6.6.1, Annex A) */
	n = dhcp4_opt(m, DHCP4_O_VENDOR_CLASS, buf, sizeof(buf), &v);
	assert_true(n > 8);
	assert_memory_equal(v, "pktc2.0:", 8);
	assert_int_equal(capab_opt60_parse(v, (size_t)n, &cp), 0);
	assert_int_equal(capab_get_u8(&cp, CAPAB_PKTC_VERSION, &u8), 0);
	assert_int_equal(u8, 2);
	assert_int_equal(capab_get_u8(&cp, CAPAB_TGT, &u8), 0);
	assert_int_equal(capab_get_u8(&cp, CAPAB_HTTP_DL, &u8), 0);
	assert_int_equal(capab_get_u8(&cp, CAPAB_CERT_BOOTSTRAP, &u8), 0);
	assert_int_equal(u8, 1);     /* 5.26: certificate bootstrapping built (6.6.5) */
	/* 43: CableLabs sub-options */
	n = dhcp4_opt(m, DHCP4_O_VENDOR, buf, sizeof(buf), &v);
	assert_true(n > 0);
	assert_non_null(s = sub43(v, n, 2, &sl));
	assert_int_equal(sl, 4);
	assert_memory_equal(s, "EDVA", 4);
	assert_non_null(s = sub43(v, n, 4, &sl));
	assert_memory_equal(s, "SN0001", 6);
	assert_non_null(sub43(v, n, 5, &sl));
	assert_non_null(s = sub43(v, n, 6, &sl));
	assert_memory_equal(s, "SW2.0", 5);
	assert_non_null(sub43(v, n, 7, &sl));
	assert_non_null(s = sub43(v, n, 8, &sl));
	assert_int_equal(sl, 3);
	assert_memory_equal(s, oui, 3);
	assert_non_null(s = sub43(v, n, 9, &sl));
	assert_memory_equal(s, "EUE-1000", 8);
	assert_non_null(s = sub43(v, n, 10, &sl));
	assert_memory_equal(s, "Example", 7);
	assert_non_null(s = sub43(v, n, 31, &sl));
	assert_int_equal(sl, 6);
	assert_memory_equal(s, mac, 6);
	/* 61: RFC 4361 type 255, IAID (the MAC's last 4 bytes), DUID-LL */
	n = dhcp4_opt(m, DHCP4_O_CLIENT_ID, buf, sizeof(buf), &v);
	assert_int_equal(n, (int)sizeof(cid));
	assert_memory_equal(v, cid, sizeof(cid));
	/* 55 */
	n = dhcp4_opt(m, DHCP4_O_PRL, buf, sizeof(buf), &v);
	assert_true(n > 0);
	for (size_t i = 0; i < sizeof(need55); i++)
		assert_non_null(memchr(v, need55[i], (size_t)n));
}

static void test_discover_contents(void **state)
{
	struct dhcp4_msg m;

	(void)state;
	start();
	assert_int_equal(evs.n, 1);
	assert_int_equal(evs.ev[0], ED4_EV_DISCOVER_SENT);
	assert_int_equal(fake_net_tx_count(), 1);
	sent_msg(0, &m, 1);
	assert_int_equal(m.msg_type, DHCP4_DISCOVER);
	assert_int_equal(m.xid, c.xid);
	assert_memory_equal(m.chaddr, mac, 6);
	assert_int_equal(m.ciaddr, 0);
	assert_false(dhcp4_opt_has(&m, DHCP4_O_REQ_ADDR));
	check_client_options(&m);
}

static void test_server_filter(void **state)
{
	struct dhcp4_msg m;
	uint32_t v;

	(void)state;
	start();
	offer(SRV_C, ADDR1, P_ADDR, "EXAMPLE.NET");   /* 6.3.2.2: not named: ignored */
	assert_int_equal(c.state, ED4_SELECTING);
	assert_int_equal(c.n_offers, 0);
	assert_int_equal(c.ignored, 1);
	step_timers(1, ED4_REQUESTING);               /* the DISCOVER goes on */
	assert_int_equal(c.state, ED4_SELECTING);
	assert_int_equal(fake_net_tx_count(), 2);
	offer(SRV_B, ADDR2, P_ADDR, "EXAMPLE.NET");   /* the secondary: Secure, at once */
	assert_int_equal(c.state, ED4_REQUESTING);
	assert_int_equal(evs.ev[evs.n - 2], ED4_EV_SELECTED);
	assert_int_equal(last_ev(), ED4_EV_REQUEST_SENT);
	last_msg(&m, 1);
	assert_int_equal(m.msg_type, DHCP4_REQUEST);
	assert_int_equal(m.xid, c.xid);
	assert_int_equal(dhcp4_opt_addr(&m, DHCP4_O_SERVER_ID, &v), 0);
	assert_int_equal(v, SRV_B);
	assert_int_equal(dhcp4_opt_addr(&m, DHCP4_O_REQ_ADDR, &v), 0);
	assert_int_equal(v, ADDR2);
	check_client_options(&m);   /* eUE-3: the same options as the DISCOVER */
}

static void test_any_server(void **state)
{
	static const uint32_t any[1] = { 0xffffffffu };

	(void)state;
	start_with(any, 1);
	offer(SRV_C, ADDR1, P_ADDR, "EXAMPLE.NET");
	assert_int_equal(c.state, ED4_REQUESTING);
	assert_int_equal(c.offers[c.chosen].server_id, SRV_C);
}

static void test_one_server_only(void **state)
{
	static const uint32_t one[1] = { SRV_A };

	(void)state;
	start_with(one, 1);
	offer(SRV_B, ADDR1, P_ADDR, "EXAMPLE.NET");
	assert_int_equal(c.state, ED4_SELECTING);
	offer(SRV_A, ADDR1, P_ADDR, "EXAMPLE.NET");
	assert_int_equal(c.state, ED4_REQUESTING);
}

static void test_rank(void **state)
{
	static const struct { enum prov p; const char *realm; int rank; } rows[] = {
		{ P_ADDR, "EXAMPLE.NET", 0 }, { P_ADDR, "HYBRID.1", 1 }, { P_ADDR, "hybrid.2", 1 },
		{ P_ADDR, "BASIC.1", 2 }, { P_ADDR, "BASIC.2", 2 }, { P_DISABLE, "EXAMPLE.NET", 3 },
		{ P_DISABLE, NULL, 3 }, { P_ADDR, NULL, -1 }, { P_NONE, "EXAMPLE.NET", -1 },
		{ P_NONE, NULL, -1 },
	};
	uint8_t b[1024];
	struct dhcp4_msg m;
	struct cl_opts o;

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct srv_msg s = { .type = DHCP4_OFFER, .server = SRV_A, .yiaddr = ADDR1,
				     .prov = rows[i].p, .realm = rows[i].realm };
		size_t n = mk(b, sizeof(b), &s);

		assert_int_equal(dhcp4_decode(&m, b, n), 0);
		cl_init(&o);
		(void)cl_from_dhcp4(&o, &m);
		assert_int_equal(ed4_rank(&o), rows[i].rank);
	}
}

static void test_priority_window(void **state)
{
	(void)state;
	start();
	offer(SRV_A, ADDR1, P_ADDR, "BASIC.1");
	assert_int_equal(c.state, ED4_SELECTING);
	assert_int_equal(loop_next_timeout(l), ED4_OFFER_WINDOW_MS);
	offer(SRV_B, ADDR2, P_DISABLE, NULL);
	offer(SRV_A, ADDR1, P_ADDR, "HYBRID.2");    /* the same server again: the first stands */
	assert_int_equal(c.n_offers, 2);
	fake_clock_advance_ms(ED4_OFFER_WINDOW_MS);
	loop_run_expired(l);
	/* Basic beats "0.0.0.0" */
	assert_int_equal(c.state, ED4_REQUESTING);
	assert_int_equal(c.chosen, 0);
}

static void test_priority_hybrid_over_basic(void **state)
{
	static const uint32_t any[1] = { 0xffffffffu };

	(void)state;
	start_with(any, 1);
	offer(SRV_A, ADDR1, P_ADDR, "BASIC.2");
	offer(SRV_B, ADDR2, P_DISABLE, "EXAMPLE.NET");
	offer(SRV_C, ADDR2, P_ADDR, "HYBRID.1");
	assert_int_equal(c.state, ED4_SELECTING);
	fake_clock_advance_ms(ED4_OFFER_WINDOW_MS);
	loop_run_expired(l);
	assert_int_equal(c.state, ED4_REQUESTING);
	assert_int_equal(c.offers[c.chosen].server_id, SRV_C);
}

static void test_secure_ends_window(void **state)
{
	(void)state;
	start();
	offer(SRV_A, ADDR1, P_ADDR, "HYBRID.1");
	offer(SRV_B, ADDR2, P_ADDR, "PKT.EXAMPLE.NET");
	assert_int_equal(c.state, ED4_REQUESTING);
	assert_int_equal(c.offers[c.chosen].server_id, SRV_B);
}

static void test_not_acceptable_options(void **state)
{
	(void)state;
	start();
	offer(SRV_A, ADDR1, P_NONE, NULL);          /* no 122 at all */
	offer(SRV_B, ADDR1, P_ADDR, NULL);          /* 122.3 without a realm */
	assert_int_equal(c.n_offers, 0);
	assert_int_equal(c.ignored, 2);
	assert_int_equal(c.state, ED4_SELECTING);
	assert_int_equal(loop_next_timeout(l) > ED4_OFFER_WINDOW_MS, 1);
}

static void test_all_disabled(void **state)
{
	unsigned sent;

	(void)state;
	start();
	offer(SRV_A, ADDR1, P_DISABLE, NULL);
	offer(SRV_B, ADDR2, P_DISABLE, "BASIC.1");
	fake_clock_advance_ms(ED4_OFFER_WINDOW_MS);
	loop_run_expired(l);
	assert_int_equal(c.state, ED4_DISABLED);
	assert_int_equal(last_ev(), ED4_EV_DISABLED);
	/* eUE-3: no further DHCP until re-initialised */
	sent = fake_net_tx_count();
	assert_true(loop_next_timeout(l) < 0);
	fake_clock_advance_ms(600000);
	loop_run_expired(l);
	assert_int_equal(fake_net_tx_count(), sent);
	assert_int_equal(c.pfd, -1);
	/* re-initialisation starts over */
	assert_int_equal(ed4_start(&c), 0);
	assert_int_equal(c.state, ED4_SELECTING);
}

static void bind_secure(void)
{
	struct srv_msg ack = { .type = DHCP4_ACK, .server = SRV_A, .yiaddr = ADDR1, .prov = P_ADDR,
			       .realm = "EXAMPLE.NET" };

	start();
	offer(SRV_A, ADDR1, P_ADDR, "EXAMPLE.NET");
	assert_int_equal(c.state, ED4_REQUESTING);
	feed(&ack);
	assert_int_equal(c.state, ED4_BOUND);
	assert_int_equal(last_ev(), ED4_EV_BOUND);
}

static void test_ack_authoritative(void **state)
{
	struct srv_msg ack = { .type = DHCP4_ACK, .server = SRV_A, .yiaddr = ADDR1, .prov = P_ADDR,
			       .realm = "BASIC.1", .file = "basic.cfg", .mask = 0xfffffe00u };
	const struct ed4_lease *le = &c.lease;

	(void)state;
	start();
	offer(SRV_A, ADDR1, P_ADDR, "EXAMPLE.NET");
	assert_int_equal(c.state, ED4_REQUESTING);
	feed(&ack);
	assert_int_equal(c.state, ED4_BOUND);
	assert_int_equal(last_ev(), ED4_EV_BOUND);
	/* eUE-4: the ACK's BASIC.1 wins over the OFFER's realm */
	assert_int_equal(le->cl.realm.flow, CL_FLOW_BASIC1);
	assert_int_equal(le->cl.prov.kind, CL_PROV_IPV4);
	assert_int_equal(le->cl.prov_timer, 7);           /* 122.8 */
	assert_int_equal(le->cl.ticket_ctrl, 1);          /* 122.9 */
	assert_int_equal(le->cl.tgt, 1);                  /* 122.7 */
	assert_int_equal(le->cl.as_backoff.maximum, 100); /* 122.4 */
	assert_int_equal(le->cl.ap_backoff.retries, 8);   /* 122.5 */
	assert_int_equal(le->addr, ADDR1);
	assert_int_equal(le->mask, 0xfffffe00u);
	assert_int_equal(le->router, 0xcb007101u);
	assert_int_equal(le->server_id, SRV_A);
	assert_int_equal(le->dns.n, 1);
	assert_int_equal(le->dns.a[0], 0xc6336435u);
	assert_int_equal(le->syslog.a[0], 0xc6336436u);
	assert_int_equal(le->time_servers.a[0], SRV_A);
	assert_int_equal(le->has_offset, 1);
	assert_int_equal(le->time_offset, 3600);
	assert_int_equal(le->siaddr, SRV_A);
	assert_string_equal(le->file, "basic.cfg");
	assert_string_equal(le->hostname, "eue1");
	assert_string_equal(le->domain, "example.net");
	assert_int_equal(le->t1_s, 300);
	assert_int_equal(le->t2_s, 525);
	assert_int_equal(fake_nl()->adds, 1);
	assert_int_equal(fake_nl()->plen, 23);
	assert_int_equal(fake_nl()->routes, 1);
	assert_int_equal(c.pfd, -1);
	assert_true(c.ufd >= 0);
}

static void test_ack_disable_and_invalid(void **state)
{
	struct srv_msg ack = { .type = DHCP4_ACK, .server = SRV_A, .yiaddr = ADDR1,
			       .prov = P_DISABLE };

	(void)state;
	start();
	offer(SRV_A, ADDR1, P_ADDR, "EXAMPLE.NET");
	feed(&ack);                                  /* the ACK says "0.0.0.0" */
	assert_int_equal(c.state, ED4_DISABLED);
	assert_int_equal(last_ev(), ED4_EV_DISABLED);
	assert_int_equal(fake_nl()->adds, 0);

	ed4_stop(&c);
	assert_int_equal(ed4_start(&c), 0);
	offer(SRV_A, ADDR1, P_ADDR, "EXAMPLE.NET");
	ack.prov = P_ADDR;                           /* the ACK lost its realm */
	feed(&ack);
	assert_int_equal(c.state, ED4_IDLE);
	assert_int_equal(last_ev(), ED4_EV_FAILED);
	assert_int_equal(last_detail(), ED4_FAIL_ACK_INVALID);
	assert_int_equal(fake_nl()->adds, 0);
}

static void test_ack_from_other_server_dropped(void **state)
{
	struct srv_msg ack = { .type = DHCP4_ACK, .server = SRV_B, .yiaddr = ADDR1, .prov = P_ADDR,
			       .realm = "EXAMPLE.NET" };

	(void)state;
	start();
	offer(SRV_A, ADDR1, P_ADDR, "EXAMPLE.NET");
	feed(&ack);
	assert_int_equal(c.state, ED4_REQUESTING);
	assert_int_equal(c.dropped, 1);
}

static void test_nak(void **state)
{
	struct srv_msg nak = { .type = DHCP4_NAK, .server = SRV_A };
	unsigned sent;

	(void)state;
	start();
	offer(SRV_A, ADDR1, P_ADDR, "EXAMPLE.NET");
	feed(&nak);
	assert_int_equal(c.state, ED4_IDLE);
	assert_int_equal(last_ev(), ED4_EV_FAILED);
	assert_int_equal(last_detail(), ED4_FAIL_NAK);
	sent = fake_net_tx_count();
	assert_true(loop_next_timeout(l) < 0);
	assert_int_equal(fake_net_tx_count(), sent);
}

static void test_no_offer_fails_mta2(void **state)
{
	(void)state;
	start();
	offer(SRV_C, ADDR1, P_ADDR, "EXAMPLE.NET");  /* not acceptable */
	step_timers(10, ED4_IDLE);
	assert_int_equal(c.state, ED4_IDLE);
	assert_int_equal(fake_net_tx_count(), 5);    /* RFC 2131: 4, 8, 16, 32, 64 s */
	assert_int_equal(last_ev(), ED4_EV_FAILED);
	assert_int_equal(last_detail(), ED4_FAIL_NO_OFFER);
}

static void test_no_ack_fails_mta4(void **state)
{
	(void)state;
	start();
	offer(SRV_A, ADDR1, P_ADDR, "EXAMPLE.NET");
	step_timers(10, ED4_IDLE);
	assert_int_equal(c.state, ED4_IDLE);
	assert_int_equal(fake_net_tx_count(), 1 + 4);
	assert_int_equal(last_detail(), ED4_FAIL_NO_ACK);
}

static void renew_to(void)
{
	struct dhcp4_msg m;

	fake_clock_advance_ms(300 * 1000);
	loop_run_expired(l);
	assert_int_equal(c.state, ED4_RENEWING);
	last_msg(&m, 0);
	assert_int_equal(m.msg_type, DHCP4_REQUEST);
	assert_int_equal(m.ciaddr, ADDR1);
	assert_false(dhcp4_opt_has(&m, DHCP4_O_SERVER_ID));
	assert_false(dhcp4_opt_has(&m, DHCP4_O_REQ_ADDR));
	assert_true(dhcp4_opt_has(&m, DHCP4_O_CLIENT_ID));
	assert_memory_equal(fake_net_tx(fake_net_tx_count() - 1)->peer.addr, "\xc6\x33\x64\x01", 4);
}

static void test_renew_dns_syslog_taken_rest_ignored(void **state)
{
	struct srv_msg ack = { .type = DHCP4_ACK, .server = SRV_A, .yiaddr = ADDR1, .prov = P_DISABLE,
			       .realm = "BASIC.2", .file = "other.cfg", .dns = 0x0a000035u,
			       .syslog = 0x0a000036u };

	(void)state;
	bind_secure();
	renew_to();
	feed(&ack);
	assert_int_equal(c.state, ED4_BOUND);
	assert_int_equal(last_ev(), ED4_EV_RENEWED);
	assert_int_equal(last_detail(), ED4_RN_DNS | ED4_RN_SYSLOG);
	assert_int_equal(c.lease.dns.a[0], 0x0a000035u);
	assert_int_equal(c.lease.syslog.a[0], 0x0a000036u);
	/* 6.3.5: file and all of 122 are ignored */
	assert_int_equal(c.lease.cl.realm.flow, CL_FLOW_SECURE);
	assert_int_equal(c.lease.cl.prov.kind, CL_PROV_IPV4);
	assert_string_equal(c.lease.file, "eue.cfg");
	assert_int_equal(fake_nl()->adds, 2);        /* the same address, its lifetime renewed */
	assert_int_equal(fake_nl()->valid, 600);
	assert_int_equal(fake_nl()->dels, 0);
	assert_int_equal(fake_nl()->routes, 1);
	/* the next T1 counts from this renewal */
	assert_int_equal(loop_next_timeout(l), 300 * 1000);
}

static void test_renew_unchanged(void **state)
{
	struct srv_msg ack = { .type = DHCP4_ACK, .server = SRV_A, .yiaddr = ADDR1, .prov = P_ADDR,
			       .realm = "EXAMPLE.NET" };

	(void)state;
	bind_secure();
	renew_to();
	feed(&ack);
	assert_int_equal(last_ev(), ED4_EV_RENEWED);
	assert_int_equal(last_detail(), 0);
}

static void test_renew_absent_options_kept(void **state)
{
	struct srv_msg ack = { .type = DHCP4_ACK, .server = SRV_A, .yiaddr = ADDR1, .bare = 1 };

	(void)state;
	bind_secure();
	renew_to();
	feed(&ack);
	assert_int_equal(c.state, ED4_BOUND);
	assert_int_equal(last_ev(), ED4_EV_RENEWED);
	assert_int_equal(last_detail(), 0);
	assert_int_equal(c.lease.dns.n, 1);
	assert_int_equal(c.lease.dns.a[0], 0xc6336435u);
	assert_int_equal(c.lease.mask, 0xffffff00u);
	assert_int_equal(c.lease.router, 0xcb007101u);
	assert_int_equal(c.lease.cl.realm.flow, CL_FLOW_SECURE);   /* 122 gone: ignored */
}

static void test_renew_mask_router_applied(void **state)
{
	struct srv_msg ack = { .type = DHCP4_ACK, .server = SRV_A, .yiaddr = ADDR1, .prov = P_ADDR,
			       .realm = "EXAMPLE.NET", .mask = 0xffff0000u, .router = 0xcb0071feu };

	(void)state;
	bind_secure();
	renew_to();
	feed(&ack);
	assert_int_equal(c.state, ED4_BOUND);
	assert_int_equal(last_ev(), ED4_EV_RENEWED);
	assert_int_equal(last_detail(), ED4_RN_MASK | ED4_RN_ROUTER);
	assert_int_equal(c.lease.mask, 0xffff0000u);
	assert_int_equal(c.lease.router, 0xcb0071feu);
	assert_int_equal(fake_nl()->dels, 1);
	assert_int_equal(fake_nl()->adds, 2);
	assert_int_equal(fake_nl()->plen, 16);
	assert_int_equal(fake_nl()->routes, 2);
}

static void test_renew_addr_changed_lost(void **state)
{
	struct srv_msg ack = { .type = DHCP4_ACK, .server = SRV_A, .yiaddr = ADDR2, .prov = P_ADDR,
			       .realm = "EXAMPLE.NET" };

	(void)state;
	bind_secure();
	renew_to();
	feed(&ack);
	assert_int_equal(c.state, ED4_IDLE);
	assert_int_equal(last_ev(), ED4_EV_LOST);
	assert_int_equal(last_detail(), ED4_FAIL_ADDR_CHANGED);
	assert_int_equal(fake_nl()->dels, 1);
	assert_int_equal(c.ufd, -1);
	/* the engine re-initialises from MTA1 */
	assert_int_equal(ed4_start(&c), 0);
	assert_int_equal(last_ev(), ED4_EV_DISCOVER_SENT);
}

static void test_renew_nak_lost(void **state)
{
	struct srv_msg nak = { .type = DHCP4_NAK, .server = SRV_A };

	(void)state;
	bind_secure();
	renew_to();
	feed(&nak);
	assert_int_equal(c.state, ED4_IDLE);
	assert_int_equal(last_ev(), ED4_EV_LOST);
	assert_int_equal(last_detail(), ED4_FAIL_NAK);
}

static void test_rebind_then_expire(void **state)
{
	struct dhcp4_msg m;

	(void)state;
	bind_secure();
	renew_to();
	step_timers(20, ED4_REBINDING);
	assert_int_equal(c.state, ED4_REBINDING);
	last_msg(&m, 0);
	assert_int_equal(m.ciaddr, ADDR1);
	assert_memory_equal(fake_net_tx(fake_net_tx_count() - 1)->peer.addr, "\xff\xff\xff\xff", 4);
	step_timers(20, ED4_IDLE);
	assert_int_equal(c.state, ED4_IDLE);
	assert_int_equal(last_ev(), ED4_EV_LOST);
	assert_int_equal(last_detail(), ED4_FAIL_EXPIRED);
	assert_int_equal(fake_nl()->dels, 1);
}

static void test_foreign_replies_dropped(void **state)
{
	uint8_t b[1024];
	struct srv_msg s = { .type = DHCP4_OFFER, .server = SRV_A, .yiaddr = ADDR1, .prov = P_ADDR,
			     .realm = "EXAMPLE.NET" };
	size_t n;

	(void)state;
	start();
	n = mk(b, sizeof(b), &s);
	b[4] ^= 1;                        /* another xid */
	ed4_input(&c, b, n);
	b[4] ^= 1;
	b[28 + 5] ^= 1;                   /* another client's chaddr */
	ed4_input(&c, b, n);
	b[28 + 5] ^= 1;
	ed4_input(&c, b, 100);            /* truncated */
	b[0] = DHCP4_BOOTREQUEST;         /* our own broadcast, looped back */
	ed4_input(&c, b, n);
	s.type = DHCP4_ACK;
	n = mk(b, sizeof(b), &s);
	ed4_input(&c, b, n);              /* an ACK while selecting */
	assert_int_equal(c.n_offers, 0);
	assert_int_equal(c.dropped, 5);
	assert_int_equal(c.state, ED4_SELECTING);
}

static void test_stop_removes_address(void **state)
{
	(void)state;
	bind_secure();
	ed4_stop(&c);
	assert_int_equal(c.state, ED4_IDLE);
	assert_int_equal(fake_nl()->dels, 1);
	assert_int_equal(last_ev(), ED4_EV_BOUND);   /* no event for a requested stop */
	assert_true(loop_next_timeout(l) < 0);
}

static void arp_pkt(uint8_t b[28], uint16_t op, const uint8_t *sha, uint32_t spa, uint32_t tpa)
{
	memset(b, 0, 28);
	b[1] = 1;
	b[2] = 8;
	b[4] = 6;
	b[5] = 4;
	b[7] = (uint8_t)op;
	memcpy(b + 8, sha, 6);
	for (int i = 0; i < 4; i++) {
		b[14 + i] = (uint8_t)(spa >> (24 - 8 * i));
		b[24 + i] = (uint8_t)(tpa >> (24 - 8 * i));
	}
}

static void ack_to_checking(void)
{
	struct srv_msg ack = { .type = DHCP4_ACK, .server = SRV_A, .yiaddr = ADDR1, .prov = P_ADDR,
			       .realm = "EXAMPLE.NET" };
	const struct fake_pkt *p;

	arp_ms = 1000;
	start();
	offer(SRV_A, ADDR1, P_ADDR, "EXAMPLE.NET");
	feed(&ack);
	assert_int_equal(c.state, ED4_CHECKING);
	assert_int_equal(last_ev(), ED4_EV_REQUEST_SENT);   /* MTA4 not done yet */
	assert_int_equal(fake_nl()->adds, 0);
	/* RFC 5227 2.1.1 probe: request, our MAC, sender 0.0.0.0, target the address */
	p = fake_net_tx(fake_net_tx_count() - 1);
	assert_int_equal(p->len, 28);
	assert_int_equal(p->fd, c.afd);
	assert_memory_equal(p->data, "\x00\x01\x08\x00\x06\x04\x00\x01", 8);
	assert_memory_equal(p->data + 8, mac, 6);
	assert_memory_equal(p->data + 14, "\0\0\0\0", 4);
	assert_memory_equal(p->data + 24, "\xcb\x00\x71\x64", 4);
	assert_int_equal(loop_next_timeout(l), 1000);
}

static void test_arp_check_clear(void **state)
{
	static const uint8_t other[6] = { 2, 0, 0, 0, 0x99, 9 };
	uint8_t b[28];

	(void)state;
	ack_to_checking();
	arp_pkt(b, 2, mac, ADDR1, 0);          /* our own probe looped back */
	fake_net_inject(c.afd, NULL, NULL, b, sizeof(b));
	arp_pkt(b, 2, other, ADDR2, ADDR1);    /* someone else's business */
	fake_net_inject(c.afd, NULL, NULL, b, sizeof(b));
	loop_fd_dispatch(l, c.afd, LOOP_IN);
	assert_int_equal(c.state, ED4_CHECKING);
	fake_clock_advance_ms(1000);
	loop_run_expired(l);
	assert_int_equal(c.state, ED4_BOUND);
	assert_int_equal(last_ev(), ED4_EV_BOUND);
	assert_int_equal(c.afd, -1);
	assert_int_equal(fake_nl()->adds, 1);
}

static void test_arp_conflict_declines(void **state)
{
	static const uint8_t other[6] = { 2, 0, 0, 0, 0x99, 9 };
	struct dhcp4_msg m;
	uint8_t b[28];
	uint32_t v;

	(void)state;
	ack_to_checking();
	arp_pkt(b, 2, other, ADDR1, 0);        /* a reply: the address is taken */
	fake_net_inject(c.afd, NULL, NULL, b, sizeof(b));
	loop_fd_dispatch(l, c.afd, LOOP_IN);
	assert_int_equal(c.state, ED4_IDLE);
	assert_int_equal(last_ev(), ED4_EV_FAILED);
	assert_int_equal(last_detail(), ED4_FAIL_DECLINED);
	assert_int_equal(fake_nl()->adds, 0);
	/* RFC 2131 Table 5 DECLINE: broadcast, 50 + 54 + 61, no 55/57/60 */
	last_msg(&m, 1);
	assert_int_equal(m.msg_type, DHCP4_DECLINE);
	assert_int_equal(m.ciaddr, 0);
	assert_int_equal(dhcp4_opt_addr(&m, DHCP4_O_REQ_ADDR, &v), 0);
	assert_int_equal(v, ADDR1);
	assert_int_equal(dhcp4_opt_addr(&m, DHCP4_O_SERVER_ID, &v), 0);
	assert_int_equal(v, SRV_A);
	assert_true(dhcp4_opt_has(&m, DHCP4_O_CLIENT_ID));
	assert_false(dhcp4_opt_has(&m, DHCP4_O_PRL));
	assert_false(dhcp4_opt_has(&m, DHCP4_O_MAX_SIZE));
	assert_false(dhcp4_opt_has(&m, DHCP4_O_VENDOR_CLASS));
	assert_true(loop_next_timeout(l) < 0);
}

static void test_arp_probe_of_other_host_conflicts(void **state)
{
	static const uint8_t other[6] = { 2, 0, 0, 0, 0x99, 9 };
	uint8_t b[28];

	(void)state;
	ack_to_checking();
	arp_pkt(b, 1, other, 0, ADDR1);        /* RFC 5227: another host probing it */
	fake_net_inject(c.afd, NULL, NULL, b, sizeof(b));
	loop_fd_dispatch(l, c.afd, LOOP_IN);
	assert_int_equal(last_detail(), ED4_FAIL_DECLINED);
}

/* The socket path: an OFFER framed in IPv4/UDP on the packet socket, then
 * the renewal ACK on the UDP socket. */
static void test_socket_paths(void **state)
{
	struct srv_msg s = { .type = DHCP4_OFFER, .server = SRV_A, .yiaddr = ADDR1, .prov = P_ADDR,
			     .realm = "EXAMPLE.NET" };
	uint8_t b[1024], pkt[1100];
	struct wr w;
	size_t n;

	(void)state;
	start();
	n = mk(b, sizeof(b), &s);
	wr_init(&w, pkt, sizeof(pkt));
	ipudp_encode(&w, SRV_A, 0xffffffffu, 67, 68, 1, b, n);
	fake_net_inject(c.pfd, NULL, NULL, pkt, w.len);
	wr_init(&w, pkt, sizeof(pkt));
	ipudp_encode(&w, SRV_A, 0xffffffffu, 67, 69, 2, b, n);   /* not port 68 */
	fake_net_inject(c.pfd, NULL, NULL, pkt, w.len);
	loop_fd_dispatch(l, c.pfd, LOOP_IN);
	assert_int_equal(c.state, ED4_REQUESTING);
	s.type = DHCP4_ACK;
	n = mk(b, sizeof(b), &s);
	wr_init(&w, pkt, sizeof(pkt));
	ipudp_encode(&w, SRV_A, ADDR1, 67, 68, 3, b, n);
	fake_net_inject(c.pfd, NULL, NULL, pkt, w.len);
	loop_fd_dispatch(l, c.pfd, LOOP_IN);
	assert_int_equal(c.state, ED4_BOUND);
	renew_to();
	s.dns = 0x0a000035u;
	n = mk(b, sizeof(b), &s);
	fake_net_inject(c.ufd, NULL, NULL, b, n);
	loop_fd_dispatch(l, c.ufd, LOOP_IN);
	assert_int_equal(last_ev(), ED4_EV_RENEWED);
	assert_int_equal(last_detail(), ED4_RN_DNS);
}

static void test_config_from_board(void **state)
{
	struct board_conf b;
	struct ed4_config cfg;
	struct dhcp4_msg m;
	const uint8_t *v, *s;
	uint8_t buf[512];
	int n, sl;

	(void)state;
	memset(&b, 0, sizeof(b));
	strcpy(b.eue_if, "eue-ue");
	memcpy(b.eue_mac, mac, 6);
	strcpy(b.serial, "BOARD-SN");
	strcpy(b.vendor, "BoardVendor");
	memcpy(b.oui, oui, 3);
	strcpy(b.model, "BM");
	strcpy(b.hw_version, "1");
	strcpy(b.sw_version, "2");
	strcpy(b.boot_rom, "3");
	memset(&cfg, 0, sizeof(cfg));
	ed4_config_from_board(&cfg, &b);
	cfg.ifindex = 3;
	cfg.any = 1;
	ed4_init(&c, l, &cfg, on_event, NULL);
	assert_int_equal(ed4_start(&c), 0);
	sent_msg(0, &m, 1);
	n = dhcp4_opt(&m, DHCP4_O_VENDOR, buf, sizeof(buf), &v);
	assert_non_null(s = sub43(v, n, 4, &sl));
	assert_int_equal(sl, 8);
	assert_memory_equal(s, "BOARD-SN", 8);
	assert_non_null(s = sub43(v, n, 31, &sl));
	assert_memory_equal(s, mac, 6);
	offer(SRV_C, ADDR1, P_ADDR, "EXAMPLE.NET");   /* any = 1 */
	assert_int_equal(c.state, ED4_REQUESTING);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_discover_contents, setup, teardown),
		cmocka_unit_test_setup_teardown(test_server_filter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_any_server, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_server_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rank, setup, teardown),
		cmocka_unit_test_setup_teardown(test_priority_window, setup, teardown),
		cmocka_unit_test_setup_teardown(test_priority_hybrid_over_basic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_secure_ends_window, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_acceptable_options, setup, teardown),
		cmocka_unit_test_setup_teardown(test_all_disabled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ack_authoritative, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ack_disable_and_invalid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ack_from_other_server_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nak, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_offer_fails_mta2, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_ack_fails_mta4, setup, teardown),
		cmocka_unit_test_setup_teardown(test_renew_dns_syslog_taken_rest_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_renew_unchanged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_renew_absent_options_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_renew_mask_router_applied, setup, teardown),
		cmocka_unit_test_setup_teardown(test_renew_addr_changed_lost, setup, teardown),
		cmocka_unit_test_setup_teardown(test_renew_nak_lost, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rebind_then_expire, setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreign_replies_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stop_removes_address, setup, teardown),
		cmocka_unit_test_setup_teardown(test_arp_check_clear, setup, teardown),
		cmocka_unit_test_setup_teardown(test_arp_conflict_declines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_arp_probe_of_other_host_conflicts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_socket_paths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_config_from_board, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
