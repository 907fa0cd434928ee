/*
 * test_eue_dhcp6.c: Table 5 eUE-1 .. eUE-4 and 6.3.5 on the fake clock and
 * wire: every option of the SOLICIT decoded back, each validity rule of
 * eUE-3 (2171 and its sub-options 1, 3, 6, the DSS_ID, "any", sub-option 2
 * ignored, no global address), each priority rule, all-"0.0.0.0" -> disabled,
 * the REPLY authoritative and re-validated, DAD conflict -> DECLINE, and the
 * renewal rules.
 *
 * The ADVERTISEs are built here and kept byte for byte in
 * tests/vectors/eue_dhcp6/ (ED6_WRITE_VECTORS=dir writes them again; the
 * transaction id and DUID are fixed by the seeded fake rand and the MAC).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eue/eue_dhcp6.h"
#include "platform/err.h"
#include "platform/loop.h"
#include "platform/netlink.h"
#include "tests/fake/fake.h"
#include "tlv/wr.h"

static const uint8_t mac[6] = { 0x02, 0x00, 0x00, 0x00, 0xe0, 0x01 };
static struct loop *l;
static struct ed6 c;
static struct ed6_config cfg;
static unsigned n_ev[ED6_EV__COUNT];
static enum ed6_event last_ev;
static const char *last_detail;
static int restart_on_fail;

static void on_event(void *arg, struct ed6 *cc, enum ed6_event ev, const char *detail)
{
	(void)arg;
	n_ev[ev]++;
	last_ev = ev;
	last_detail = detail;
	if (restart_on_fail && (ev == ED6_EV_FAILED || ev == ED6_EV_LOST)) {
		restart_on_fail = 0;
		assert_int_equal(ed6_start(cc), 0);   /* the engine's "restart with eUE-1" */
	}
}

static int setup(void **state)
{
	(void)state;
	fake_net_reset();
	fake_nl_reset();
	fake_rand_seed(42);
	fake_clock_set_ms(1000000);
	l = loop_new();
	memset(n_ev, 0, sizeof(n_ev));
	last_detail = NULL;
	restart_on_fail = 0;
	memset(&cfg, 0, sizeof(cfg));
	cfg.ifname = "eue0";
	cfg.ifindex = 3;
	memcpy(cfg.mac, mac, 6);
	cfg.serial = "SN-0001";
	cfg.hw_version = "HW1";
	cfg.sw_version = "SW2.0";
	cfg.boot_rom = "BR3";
	cfg.model = "EUE-1000";
	cfg.vendor = "Example";
	cfg.oui[0] = 0x00;
	cfg.oui[1] = 0x11;
	cfg.oui[2] = 0x22;
	cfg.dss[0].len = 4;
	memcpy(cfg.dss[0].id, "DSS1", 4);
	cfg.dss[1].len = 4;
	memcpy(cfg.dss[1].id, "DSS2", 4);
	cfg.n_dss = 2;
	cfg.install_addr = 1;
	return l ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	ed6_stop(&c);
	loop_free(l);
	return 0;
}

static void start(void)
{
	unsigned before = n_ev[ED6_EV_SOLICIT_SENT];

	ed6_init(&c, l, &cfg, on_event, NULL);
	assert_int_equal(ed6_start(&c), 0);
	assert_int_equal(c.state, ED6_SOLICIT);
	assert_int_equal(n_ev[ED6_EV_SOLICIT_SENT], before + 1);
}

/* ---------------------------------------------------------------- server side */

enum addr_kind { A_GLOBAL, A_NONE, A_LINK_LOCAL, A_NOADDRS_STATUS };

struct spec {
	uint8_t type;            /* ADVERTISE or REPLY */
	uint8_t srv;             /* server number: DUID and address byte */
	int no_cccv6;
	const char *dss;         /* 2171.1; NULL: absent */
	const char *dss2;        /* 2171.2; NULL: absent */
	const char *prov;        /* 2171.3 FQDN; "0.0.0.0": disable; NULL: absent */
	const char *realm;       /* 2171.6; NULL: absent */
	enum addr_kind addr;
	uint8_t addr_last;       /* 0: srv */
	int pref;                /* option 7; -1 absent */
	uint8_t dns;             /* last byte of the one DNS server; 0: none */
	uint8_t syslog;          /* last byte of the one CL 34 server; 0: none */
	const char *fqdn;        /* option 39 in the REPLY */
	const char *cfg_file;    /* CL 33 */
};

static size_t mk(uint8_t *buf, size_t cap, const struct spec *s)
{
	uint8_t srvid[] = { 0, 2, 0, 0, 0x11, 0x8b, 'e', 'u', 'e', s->srv };
	uint8_t addr[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x0e };
	struct cl_opts o;
	struct wr w;

	addr[15] = s->addr_last ? s->addr_last : s->srv;
	if (s->addr == A_LINK_LOCAL) {
		memset(addr, 0, 8);
		addr[0] = 0xfe;
		addr[1] = 0x80;
	}
	wr_init(&w, buf, cap);
	dhcp6_put_hdr(&w, (enum dhcp6_type)s->type, c.xid);
	dhcp6_put_opt(&w, DHCP6_O_SERVERID, srvid, sizeof(srvid));
	dhcp6_put_opt(&w, DHCP6_O_CLIENTID, c.duid, c.duid_len);
	if (s->addr == A_NOADDRS_STATUS)
		dhcp6_put_status(&w, DHCP6_ST_NO_ADDRS, "none");
	else if (s->addr == A_NONE)
		dhcp6_put_ia_na(&w, c.iaid, 0, 0, NULL, 0, 0);
	else
		dhcp6_put_ia_na(&w, c.iaid, 1800, 2880, addr, 3600, 7200);
	if (s->pref >= 0) {
		uint8_t p = (uint8_t)s->pref;

		dhcp6_put_opt(&w, DHCP6_O_PREFERENCE, &p, 1);
	}
	if (s->dns) {
		uint8_t d[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x53 };

		d[15] = s->dns;
		dhcp6_put_opt(&w, DHCP6_O_DNS, d, 16);
	}
	if (s->fqdn)
		dhcp6_put_fqdn(&w, DHCP6_FQDN_S, s->fqdn);
	cl_init(&o);
	if (!s->no_cccv6)
		cl_set(&o, CL_F_CCCV6);
	if (s->dss) {
		cl_set(&o, CL_F_DSS_PRI);
		o.dss_pri.len = (uint8_t)strlen(s->dss);
		memcpy(o.dss_pri.id, s->dss, o.dss_pri.len);
	}
	if (s->dss2) {
		cl_set(&o, CL_F_DSS_SEC);
		o.dss_sec.len = (uint8_t)strlen(s->dss2);
		memcpy(o.dss_sec.id, s->dss2, o.dss_sec.len);
	}
	if (s->prov) {
		cl_set(&o, CL_F_PROV_SRV);
		o.prov.kind = strcmp(s->prov, "0.0.0.0") == 0 ? CL_PROV_DISABLE : CL_PROV_FQDN;
		snprintf(o.prov.fqdn, sizeof(o.prov.fqdn), "%s", s->prov);
	}
	if (s->realm) {
		cl_set(&o, CL_F_REALM);
		snprintf(o.realm.name, sizeof(o.realm.name), "%s", s->realm);
	}
	if (s->syslog) {
		cl_set(&o, CL_F_SYSLOG6);
		o.syslog6.n = 1;
		memcpy(o.syslog6.a[0], addr, 16);
		o.syslog6.a[0][15] = s->syslog;
		o.syslog6.a[0][14] = 0x51;
	}
	if (s->cfg_file) {
		cl_set(&o, CL_F_CFG_FILE);
		o.cfg_file.len = (uint16_t)strlen(s->cfg_file);
		memcpy(o.cfg_file.s, s->cfg_file, o.cfg_file.len + 1);
	}
	cl_set(&o, CL_F_TFTP6);
	o.tftp6.n = 1;
	memcpy(o.tftp6.a[0], addr, 16);
	o.tftp6.a[0][15] = 0x69;
	cl_put_v6vendor(&w, &o);   /* always 17/4491 (32), with or without 2171 */
	assert_int_equal(w.err, 0);
	return w.len;
}

/* A valid Secure ADVERTISE from server srv with our primary DSS_ID. */
static struct spec good(uint8_t type, uint8_t srv)
{
	struct spec s = {
		.type = type, .srv = srv, .dss = "DSS1", .prov = "prov.example.com",
		.realm = "EXAMPLE.COM", .pref = -1, .dns = 1,
	};
	return s;
}

/* Write the message to $ED6_WRITE_VECTORS/<name>.bin when asked. */
static void keep_vector(const char *name, const uint8_t *b, size_t n)
{
	const char *dir = getenv("ED6_WRITE_VECTORS");
	char path[512];
	FILE *f;

	if (dir == NULL)
		return;
	snprintf(path, sizeof(path), "%s/%s.bin", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b, 1, n, f), n);
	fclose(f);
}

static void deliver_spec(const char *name, const struct spec *s)
{
	uint8_t b[1500];
	size_t n = mk(b, sizeof(b), s);

	if (name)
		keep_vector(name, b, n);
	ed6_input(&c, b, n);
}

static void run_timers_until(enum ed6_state st, int max)
{
	for (int i = 0; i < max && c.state != st; i++) {
		int64_t t = loop_next_timeout(l);

		if (t < 0)
			break;
		fake_clock_advance_ms((uint64_t)t);
		loop_run_expired(l);
	}
}

/* Run out the first RT (the collection window of RFC 3315 17.1.2). */
static void end_collection(void)
{
	int64_t t = loop_next_timeout(l);

	assert_true(t > 1000 && t <= 1100);
	fake_clock_advance_ms((uint64_t)t);
	loop_run_expired(l);
}

static const struct fake_pkt *last_tx(struct dhcp6_msg *m)
{
	const struct fake_pkt *p = fake_net_tx(fake_net_tx_count() - 1);

	assert_non_null(p);
	assert_int_equal(dhcp6_decode(m, p->data, p->len), 0);
	return p;
}

static void bind_secure(void)
{
	struct spec s = good(DHCP6_ADVERTISE, 1);

	start();
	deliver_spec(NULL, &s);
	end_collection();
	assert_int_equal(c.state, ED6_REQUEST);
	s = good(DHCP6_REPLY, 1);
	s.fqdn = "eue1.example.com";
	s.syslog = 1;
	deliver_spec(NULL, &s);
	assert_int_equal(c.state, ED6_DAD);
	run_timers_until(ED6_BOUND, 3);
	assert_int_equal(c.state, ED6_BOUND);
	assert_int_equal(n_ev[ED6_EV_BOUND], 1);
}

/* ---------------------------------------------------------------- eUE-1 */

static void check_request_options(const struct dhcp6_msg *m)
{
	static const uint8_t caps[] = { 0x01, 0x01, 0x02, 0x02, 0x01, 0x02, 0x03, 0x01, 0x01, 0x04,
					0x01, 0x01, 0x12, 0x02, 0x00, 0x07, 0x1a, 0x01, 0x01 };
	static const struct { uint16_t code; const char *val; size_t len; } cl_subs[] = {
		{ 2, "EDVA", 4 }, { 4, "SN-0001", 7 }, { 5, "HW1", 3 }, { 6, "SW2.0", 5 },
		{ 7, "BR3", 3 }, { 8, "\x00\x11\x22", 3 }, { 9, "EUE-1000", 8 }, { 10, "Example", 7 },
		{ 36, "\x02\x00\x00\x00\xe0\x01", 6 },
	};
	const uint8_t *v, *d;
	uint16_t codes[8];
	struct dhcp6_duid duid;
	int n, k;

	/* 1: DUID-LL of the eUE MAC (RFC 3315 9.4) */
	n = dhcp6_msg_opt(m, DHCP6_O_CLIENTID, &v);
	assert_true(n > 0);
	assert_int_equal(dhcp6_duid_decode(v, (size_t)n, &duid), 0);
	assert_int_equal(duid.type, DHCP6_DUID_LL);
	assert_int_equal(duid.hwtype, 1);
	assert_int_equal(duid.id_len, 6);
	assert_memory_equal(duid.id, mac, 6);
	/* 3: IA_NA */
	assert_true(dhcp6_msg_opt(m, DHCP6_O_IA_NA, &v) >= 12);
	/* 39: S=1 N=0 O=0 (RFC 4704 4.1: flags 0x01) */
	n = dhcp6_msg_opt(m, DHCP6_O_FQDN, &v);
	assert_true(n >= 1);
	assert_int_equal(v[0], 0x01);
	/* 6: ORO 39, 23 */
	n = dhcp6_msg_opt(m, DHCP6_O_ORO, &v);
	assert_int_equal(dhcp6_oro_decode(v, (size_t)n, codes, 8), 2);
	assert_int_equal(codes[0], 39);
	assert_int_equal(codes[1], 23);
	/* 16: 4491 "pktc2.0" */
	assert_int_equal(dhcp6_vendor_class_has(m, 4491, "pktc2.0"), 1);
	/* no Rapid Commit */
	assert_int_equal(dhcp6_msg_opt(m, DHCP6_O_RAPID_COMMIT, &v), E_NOTFOUND);
	/* 17/4491 */
	n = dhcp6_vendor_opts(m, 4491, &d);
	assert_true(n > 0);
	for (size_t i = 0; i < sizeof(cl_subs) / sizeof(cl_subs[0]); i++) {
		k = dhcp6_opt_find(d, (size_t)n, cl_subs[i].code, &v);
		assert_int_equal(k, (int)cl_subs[i].len);
		assert_memory_equal(v, cl_subs[i].val, cl_subs[i].len);
	}
	k = dhcp6_opt_find(d, (size_t)n, CL_V6_CAPS, &v);
	assert_int_equal(k, (int)sizeof(caps));
	assert_memory_equal(v, caps, sizeof(caps));
	k = dhcp6_opt_find(d, (size_t)n, CL_V6_ORO, &v);
	assert_int_equal(dhcp6_oro_decode(v, (size_t)k, codes, 8), 4);
	assert_int_equal(codes[0], 32);
	assert_int_equal(codes[1], 33);
	assert_int_equal(codes[2], 34);
	assert_int_equal(codes[3], 2171);
	{	/* and through the CableLabs decoder: 2 comes before 35 */
		struct cl_opts o;

		cl_init(&o);
		assert_int_equal(cl_from_dhcp6(&o, m), 0);
		assert_string_equal(o.device_type.s, "EDVA");
		assert_true(cl_has(&o, CL_F_CAPS));
		assert_int_equal(o.bad, 0);
	}
}

static void test_solicit_contents(void **state)
{
	static const uint8_t agents[16] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2 };
	const struct fake_pkt *p;
	struct dhcp6_msg m;
	const uint8_t *v;
	int n;

	(void)state;
	start();
	assert_int_equal(fake_net_tx_count(), 1);
	p = last_tx(&m);
	keep_vector("solicit", p->data, p->len);
	assert_int_equal(m.type, DHCP6_SOLICIT);
	assert_int_equal(p->peer.port, 547);
	assert_memory_equal(p->peer.addr, agents, 16);   /* multicast ff02::1:2 */
	assert_int_equal(p->peer.ifindex, 3);
	check_request_options(&m);
	/* SOLICIT: IA_NA without an address, FQDN with an empty name */
	assert_int_equal(dhcp6_msg_opt(&m, DHCP6_O_IA_NA, &v), 12);
	assert_int_equal(dhcp6_msg_opt(&m, DHCP6_O_FQDN, &v), 1);
	assert_int_equal(dhcp6_msg_opt(&m, DHCP6_O_SERVERID, &v), E_NOTFOUND);
	n = dhcp6_msg_opt(&m, DHCP6_O_ELAPSED, &v);
	assert_int_equal(n, 2);
}

/* ---------------------------------------------------------------- eUE-2/3 validity */

static void test_validity_rules(void **state)
{
	static const struct { const char *name; int field; enum ed6_invalid why; } cases[] = {
		{ "adv_no_cccv6", 0, ED6_INV_NO_CCCV6 },
		{ "adv_no_sub1", 1, ED6_INV_SUB1 },
		{ "adv_no_sub3", 3, ED6_INV_SUB3 },
		{ "adv_no_sub6", 6, ED6_INV_SUB6 },
		{ "adv_wrong_dss", 7, ED6_INV_DSS_ID },
		{ "adv_no_ia_addr", 8, ED6_INV_NO_ADDR },
		{ "adv_link_local", 9, ED6_INV_NO_ADDR },
		{ "adv_noaddrsavail", 10, ED6_INV_NO_ADDR },
		{ "adv_sub2_only_match", 11, ED6_INV_DSS_ID },
		{ "adv_empty_realm", 12, ED6_INV_SUB6 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct spec s = good(DHCP6_ADVERTISE, 1);
		struct dhcp6_msg m;
		struct dhcp6_ia_na ia;
		struct cl_opts o;
		enum ed6_class cls;
		uint8_t b[1500];
		size_t n;

		fake_net_reset();
		memset(n_ev, 0, sizeof(n_ev));
		start();
		switch (cases[i].field) {
		case 0: s.no_cccv6 = 1; s.dss = NULL; s.prov = NULL; s.realm = NULL; break;
		case 1: s.dss = NULL; break;
		case 3: s.prov = NULL; break;
		case 6: s.realm = NULL; break;
		case 7: s.dss = "OTHER"; break;
		case 8: s.addr = A_NONE; break;
		case 9: s.addr = A_LINK_LOCAL; break;
		case 10: s.addr = A_NOADDRS_STATUS; break;
		case 11: s.dss = "OTHER"; s.dss2 = "DSS1"; break;   /* 6.4.1.4: sub 2 is ignored */
		case 12: s.realm = ""; break;
		default: break;
		}
		n = mk(b, sizeof(b), &s);
		keep_vector(cases[i].name, b, n);
		assert_int_equal(dhcp6_decode(&m, b, n), 0);
		assert_int_equal(ed6_check(&c.cfg, &m, &ia, &o, &cls), cases[i].why);
		ed6_input(&c, b, n);
		assert_int_equal(c.n_adv, 0);
		assert_int_equal(c.n_invalid, 1);
		assert_int_equal(c.last_invalid, cases[i].why);
		ed6_stop(&c);
	}
}

/* Table 5 eUE-3: no valid ADVERTISE within ED6_SOLICIT_MRC SOLICITs -> failed. */
static void test_no_valid_advertise_fails(void **state)
{
	struct spec s = good(DHCP6_ADVERTISE, 1);

	(void)state;
	start();
	s.dss = "OTHER";
	deliver_spec(NULL, &s);
	run_timers_until(ED6_FAILED, 20);
	assert_int_equal(c.state, ED6_FAILED);
	assert_int_equal(fake_net_tx_count(), ED6_SOLICIT_MRC);
	assert_int_equal(n_ev[ED6_EV_FAILED], 1);
	assert_string_equal(last_detail, "no valid ADVERTISE");
	assert_int_equal(loop_next_timeout(l), -1);   /* stopped: the engine restarts eUE-1 */
	/* the engine's restart: a new SOLICIT exchange */
	assert_int_equal(ed6_start(&c), 0);
	assert_int_equal(c.state, ED6_SOLICIT);
	assert_int_equal(fake_net_tx_count(), ED6_SOLICIT_MRC + 1);
	assert_int_equal(n_ev[ED6_EV_SOLICIT_SENT], 2);
}

static void test_dss_any_and_secondary(void **state)
{
	struct spec s = good(DHCP6_ADVERTISE, 1);

	(void)state;
	/* the secondary DSS_ID the eCM passed matches too (6.3.2.2) */
	start();
	s.dss = "DSS2";
	deliver_spec("adv_secondary_dss", &s);
	assert_int_equal(c.n_adv, 1);
	ed6_stop(&c);
	/* "any": the eCM got FFFFFFFF; every DSS_ID is accepted */
	cfg.dss_any = 1;
	cfg.n_dss = 0;
	start();
	s.dss = "WHATEVER";
	deliver_spec("adv_any_dss", &s);
	assert_int_equal(c.n_adv, 1);
	ed6_stop(&c);
	/* sub-option 2 with a foreign value beside our sub-option 1 is ignored */
	cfg.dss_any = 0;
	cfg.n_dss = 2;
	start();
	s.dss = "DSS1";
	s.dss2 = "FOREIGN";
	deliver_spec("adv_sub2_ignored", &s);
	assert_int_equal(c.n_adv, 1);
	assert_int_equal(c.n_invalid, 0);
	/* no DSS_ID at all from the eCM and not "any": nothing matches */
	ed6_stop(&c);
	cfg.n_dss = 0;
	start();
	s.dss2 = NULL;
	deliver_spec(NULL, &s);
	assert_int_equal(c.n_adv, 0);
	assert_int_equal(c.last_invalid, ED6_INV_DSS_ID);
}

/* ---------------------------------------------------------------- eUE-3 priority */

static uint8_t chosen_srv_in_request(void)
{
	struct dhcp6_msg m;
	const uint8_t *v;

	last_tx(&m);
	assert_int_equal(m.type, DHCP6_REQUEST);
	assert_int_equal(dhcp6_msg_opt(&m, DHCP6_O_SERVERID, &v), 10);
	return v[9];
}

static void test_priority(void **state)
{
	static const struct {
		const char *a_realm, *a_prov, *b_realm, *b_prov, *c_realm, *c_prov;
		int a_pref, b_pref;
		uint8_t want;
	} cases[] = {
		/* Secure beats Hybrid beats Basic, whatever the arrival order */
		{ "BASIC.1", "prov.example.com", "HYBRID.2", "prov.example.com", "EXAMPLE.COM", "prov.example.com", -1, -1, 3 },
		{ "BASIC.2", "prov.example.com", "HYBRID.1", "prov.example.com", NULL, NULL, -1, -1, 2 },
		{ "EXAMPLE.COM", "prov.example.com", "BASIC.1", "prov.example.com", NULL, NULL, -1, -1, 1 },
		/* not "0.0.0.0" first: a Basic offer beats a "disabled" Secure one */
		{ "EXAMPLE.COM", "0.0.0.0", "BASIC.1", "prov.example.com", NULL, NULL, -1, -1, 2 },
		/* same class: option 7 preference (RFC 3315 17.1.3) */
		{ "EXAMPLE.COM", "prov.example.com", "OTHER.NET", "prov.example.com", NULL, NULL, 10, 20, 2 },
		/* same class and preference: the first to arrive */
		{ "HYBRID.1", "prov.example.com", "HYBRID.2", "prov.example.com", NULL, NULL, -1, -1, 1 },
	};
	static const char *const vec[] = { "prio_basic", "prio_hybrid", "prio_secure" };

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct spec s = good(DHCP6_ADVERTISE, 1);

		fake_net_reset();
		memset(n_ev, 0, sizeof(n_ev));
		start();
		s.realm = cases[i].a_realm;
		s.prov = cases[i].a_prov;
		s.pref = cases[i].a_pref;
		deliver_spec(i == 0 ? vec[0] : NULL, &s);
		s = good(DHCP6_ADVERTISE, 2);
		s.realm = cases[i].b_realm;
		s.prov = cases[i].b_prov;
		s.pref = cases[i].b_pref;
		deliver_spec(i == 0 ? vec[1] : NULL, &s);
		if (cases[i].c_realm) {
			s = good(DHCP6_ADVERTISE, 3);
			s.realm = cases[i].c_realm;
			s.prov = cases[i].c_prov;
			deliver_spec(i == 0 ? vec[2] : NULL, &s);
		}
		assert_int_equal(c.state, ED6_SOLICIT);   /* collecting until the first RT */
		end_collection();
		assert_int_equal(c.state, ED6_REQUEST);
		assert_int_equal(n_ev[ED6_EV_SELECTED], 1);
		assert_int_equal(n_ev[ED6_EV_REQUEST_SENT], 1);
		assert_int_equal(chosen_srv_in_request(), cases[i].want);
		ed6_stop(&c);
	}
}

/* RFC 3315 17.1.2: preference 255 ends the wait, unless it says "0.0.0.0". */
static void test_pref255(void **state)
{
	struct spec s = good(DHCP6_ADVERTISE, 1);

	(void)state;
	start();
	s.pref = 255;
	s.prov = "0.0.0.0";
	deliver_spec(NULL, &s);
	assert_int_equal(c.state, ED6_SOLICIT);
	s = good(DHCP6_ADVERTISE, 2);
	s.pref = 255;
	s.realm = "BASIC.1";
	deliver_spec(NULL, &s);
	assert_int_equal(c.state, ED6_REQUEST);
	assert_int_equal(chosen_srv_in_request(), 2);
}

static void test_all_disabled(void **state)
{
	struct spec s = good(DHCP6_ADVERTISE, 1);
	unsigned tx;

	(void)state;
	start();
	s.prov = "0.0.0.0";
	deliver_spec("adv_disabled", &s);
	s = good(DHCP6_ADVERTISE, 2);
	s.prov = "0.0.0.0";
	s.realm = "BASIC.1";
	deliver_spec(NULL, &s);
	assert_int_equal(c.n_adv, 2);
	tx = fake_net_tx_count();
	end_collection();
	assert_int_equal(c.state, ED6_DISABLED);
	assert_int_equal(n_ev[ED6_EV_DISABLED], 1);
	assert_int_equal(n_ev[ED6_EV_SELECTED], 0);
	assert_int_equal(fake_net_tx_count(), tx);   /* no REQUEST */
	assert_int_equal(loop_next_timeout(l), -1);  /* and nothing more until re-init */
	fake_clock_advance_ms(600000);
	loop_run_expired(l);
	assert_int_equal(fake_net_tx_count(), tx);
	/* a late valid ADVERTISE changes nothing */
	s = good(DHCP6_ADVERTISE, 3);
	deliver_spec(NULL, &s);
	assert_int_equal(c.state, ED6_DISABLED);
}

/* ---------------------------------------------------------------- eUE-4 */

static void test_request_and_reply_authoritative(void **state)
{
	struct spec s = good(DHCP6_ADVERTISE, 1);
	struct dhcp6_msg m;
	const uint8_t *v;
	int n;

	(void)state;
	start();
	deliver_spec("adv_valid_secure", &s);
	end_collection();
	assert_int_equal(c.state, ED6_REQUEST);
	last_tx(&m);
	keep_vector("request", fake_net_tx(fake_net_tx_count() - 1)->data,
		    fake_net_tx(fake_net_tx_count() - 1)->len);
	/* eUE-3: the same options as the SOLICIT, plus the server and address */
	check_request_options(&m);
	n = dhcp6_msg_opt(&m, DHCP6_O_IA_NA, &v);
	assert_true(n > 12);
	/* the REPLY differs from the ADVERTISE: Basic flow, another file */
	s = good(DHCP6_REPLY, 1);
	s.realm = "BASIC.1";
	s.cfg_file = "eue-basic.bin";
	s.dns = 7;
	deliver_spec("reply_basic", &s);
	assert_int_equal(c.state, ED6_DAD);
	assert_int_equal(fake_nl()->adds, 1);
	assert_int_equal(fake_nl()->plen, 128);
	run_timers_until(ED6_BOUND, 3);
	assert_int_equal(c.state, ED6_BOUND);
	assert_int_equal(n_ev[ED6_EV_BOUND], 1);
	assert_int_equal(c.lease.flow, CL_FLOW_BASIC1);
	assert_string_equal(c.lease.cl.realm.name, "BASIC.1");
	assert_string_equal(c.lease.cl.cfg_file.s, "eue-basic.bin");
	assert_int_equal(c.lease.cl.tftp6.n, 1);
	assert_int_equal(c.lease.n_dns, 1);
	assert_int_equal(c.lease.dns[0][15], 7);
	assert_int_equal(c.lease.addr[15], 1);
	assert_int_equal(c.lease.t1, 1800);
}

static void test_reply_invalid_fails(void **state)
{
	static const struct { const char *name; int what; } cases[] = {
		{ "reply_no_cccv6", 0 }, { "reply_wrong_dss", 1 }, { "reply_no_addr", 2 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct spec s = good(DHCP6_ADVERTISE, 1);

		memset(n_ev, 0, sizeof(n_ev));
		start();
		s.pref = 255;
		deliver_spec(NULL, &s);
		assert_int_equal(c.state, ED6_REQUEST);
		s = good(DHCP6_REPLY, 1);
		if (cases[i].what == 0) {
			s.no_cccv6 = 1;
			s.dss = NULL;
			s.prov = s.realm = NULL;
		} else if (cases[i].what == 1) {
			s.dss = "OTHER";
		} else {
			s.addr = A_NONE;
		}
		deliver_spec(cases[i].name, &s);
		assert_int_equal(c.state, ED6_FAILED);
		assert_int_equal(n_ev[ED6_EV_FAILED], 1);
		assert_string_equal(last_detail, "invalid REPLY");
		assert_int_equal(n_ev[ED6_EV_BOUND], 0);
		ed6_stop(&c);
	}
	/* a REPLY saying "0.0.0.0" is authoritative too */
	{
		struct spec s = good(DHCP6_ADVERTISE, 1);

		memset(n_ev, 0, sizeof(n_ev));
		start();
		s.pref = 255;
		deliver_spec(NULL, &s);
		s = good(DHCP6_REPLY, 1);
		s.prov = "0.0.0.0";
		deliver_spec(NULL, &s);
		assert_int_equal(c.state, ED6_DISABLED);
		assert_int_equal(n_ev[ED6_EV_DISABLED], 1);
	}
}

static void test_request_exhausted(void **state)
{
	struct spec s = good(DHCP6_ADVERTISE, 1);
	unsigned tx;

	(void)state;
	start();
	s.pref = 255;
	tx = fake_net_tx_count();
	deliver_spec(NULL, &s);
	assert_int_equal(c.state, ED6_REQUEST);
	run_timers_until(ED6_FAILED, 30);
	assert_int_equal(c.state, ED6_FAILED);
	assert_int_equal(fake_net_tx_count() - tx, 10);   /* REQ_MAX_RC */
	assert_string_equal(last_detail, "no REPLY to REQUEST");
}

static void test_dad_conflict_declines(void **state)
{
	struct spec s = good(DHCP6_ADVERTISE, 1);
	struct dhcp6_msg m;
	const uint8_t *v;

	(void)state;
	start();
	s.pref = 255;
	deliver_spec(NULL, &s);
	s = good(DHCP6_REPLY, 1);
	deliver_spec(NULL, &s);
	assert_int_equal(c.state, ED6_DAD);
	fake_nl_set_dad(NL_DAD_FAILED);
	run_timers_until(ED6_DECLINE, 3);
	assert_int_equal(c.state, ED6_DECLINE);
	assert_int_equal(fake_nl()->dels, 1);
	last_tx(&m);
	assert_int_equal(m.type, DHCP6_DECLINE);
	assert_int_equal(dhcp6_msg_opt(&m, DHCP6_O_SERVERID, &v), 10);
	assert_true(dhcp6_msg_opt(&m, DHCP6_O_IA_NA, &v) > 12);   /* with the address */
	assert_int_equal(dhcp6_msg_opt(&m, DHCP6_O_VENDOR_OPTS, &v), E_NOTFOUND);
	assert_int_equal(n_ev[ED6_EV_BOUND], 0);
	assert_int_equal(n_ev[ED6_EV_FAILED], 0);   /* not until the DECLINE is done */
	/* the server's REPLY ends the DECLINE; eUE-4 failed; the engine restarts */
	restart_on_fail = 1;
	s = good(DHCP6_REPLY, 1);
	deliver_spec(NULL, &s);
	assert_int_equal(n_ev[ED6_EV_FAILED], 1);
	assert_int_equal(c.state, ED6_SOLICIT);
	fake_nl_set_dad(NL_DAD_OK);
}

/* ---------------------------------------------------------------- 6.3.5 */

static void to_renew(void)
{
	fake_clock_advance_ms(1800 * 1000);
	loop_run_expired(l);
	assert_int_equal(c.state, ED6_RENEW);
}

static void test_renew_dns_change(void **state)
{
	struct spec s;
	struct dhcp6_msg m;
	const uint8_t *v;
	char name[DNSNAME_TEXT_MAX];
	unsigned solicits;
	int n;

	(void)state;
	bind_secure();
	assert_string_equal(c.lease.fqdn, "eue1.example.com");
	to_renew();
	last_tx(&m);
	keep_vector("renew", fake_net_tx(fake_net_tx_count() - 1)->data,
		    fake_net_tx(fake_net_tx_count() - 1)->len);
	assert_int_equal(m.type, DHCP6_RENEW);
	/* 6.3.5: the last known FQDN in RENEW */
	n = dhcp6_msg_opt(&m, DHCP6_O_FQDN, &v);
	assert_true(n > 1);
	assert_int_equal(v[0], 0x01);
	assert_true(dnsname_decode(v + 1, (size_t)n - 1, name, sizeof(name), NULL) > 0);
	assert_string_equal(name, "eue1.example.com");
	check_request_options(&m);
	solicits = n_ev[ED6_EV_SOLICIT_SENT];
	/* DNS changes, CCCv6 changes (ignored), same address */
	s = good(DHCP6_REPLY, 1);
	s.dns = 9;
	s.syslog = 1;
	s.realm = "BASIC.2";
	s.cfg_file = "other.bin";
	deliver_spec("renew_reply_dns", &s);
	assert_int_equal(c.state, ED6_BOUND);
	assert_int_equal(n_ev[ED6_EV_RENEWED], 1);
	assert_int_equal(c.changed, ED6_CHG_DNS);
	assert_int_equal(c.lease.dns[0][15], 9);
	assert_string_equal(c.lease.cl.realm.name, "EXAMPLE.COM");   /* ignored */
	assert_int_equal(c.lease.cl.cfg_file.len, 0);
	assert_int_equal(n_ev[ED6_EV_SOLICIT_SENT], solicits);      /* no re-init */
	assert_int_equal(n_ev[ED6_EV_LOST], 0);
	/* the next renewal changes the syslog server */
	to_renew();
	s.syslog = 2;
	deliver_spec(NULL, &s);
	assert_int_equal(c.state, ED6_BOUND);
	assert_int_equal(n_ev[ED6_EV_RENEWED], 2);
	assert_int_equal(c.changed, ED6_CHG_SYSLOG);
	assert_int_equal(c.lease.cl.syslog6.a[0][15], 2);
	/* and one with nothing changed */
	to_renew();
	deliver_spec(NULL, &s);
	assert_int_equal(n_ev[ED6_EV_RENEWED], 3);
	assert_int_equal(c.changed, 0);
}

static void test_renew_address_change_lost(void **state)
{
	struct spec s;

	(void)state;
	bind_secure();
	to_renew();
	s = good(DHCP6_REPLY, 1);
	s.addr_last = 0x42;
	deliver_spec("renew_reply_new_addr", &s);
	assert_int_equal(n_ev[ED6_EV_LOST], 1);
	assert_string_equal(last_detail, "address changed");
	assert_int_equal(c.state, ED6_FAILED);
	assert_int_equal(fake_nl()->dels, 1);
	assert_int_equal(loop_next_timeout(l), -1);
}

static void test_rebind_then_expiry_lost(void **state)
{
	struct dhcp6_msg m;
	const uint8_t *v;

	(void)state;
	bind_secure();
	to_renew();
	run_timers_until(ED6_REBIND, 50);
	assert_int_equal(c.state, ED6_REBIND);
	last_tx(&m);
	assert_int_equal(m.type, DHCP6_REBIND);
	assert_true(dhcp6_msg_opt(&m, DHCP6_O_FQDN, &v) > 1);   /* 6.3.5: FQDN in REBIND */
	run_timers_until(ED6_FAILED, 50);
	assert_int_equal(n_ev[ED6_EV_LOST], 1);
	assert_string_equal(last_detail, "lease expired");
}

/* The engine restarts eUE-1 from BOUND (e.g. a later step failed): the
 * old address leaves the interface. */
static void test_restart_from_bound_removes_address(void **state)
{
	(void)state;
	bind_secure();
	assert_int_equal(fake_nl()->dels, 0);
	assert_int_equal(ed6_start(&c), 0);
	assert_int_equal(c.state, ED6_SOLICIT);
	assert_int_equal(fake_nl()->dels, 1);
	assert_int_equal(fake_nl()->addr[15], 1);
	assert_int_equal(ed6_start(&c), 0);   /* nothing left to remove */
	assert_int_equal(fake_nl()->dels, 1);
}

static void test_dropped_messages(void **state)
{
	struct spec s = good(DHCP6_ADVERTISE, 1);
	uint8_t b[1500];
	size_t n;

	(void)state;
	start();
	n = mk(b, sizeof(b), &s);
	b[3] ^= 1;                      /* wrong xid */
	ed6_input(&c, b, n);
	n = mk(b, sizeof(b), &s);
	ed6_input(&c, b, n - 3);        /* truncated */
	ed6_input(&c, b, 3);
	s.type = DHCP6_REPLY;           /* REPLY while soliciting */
	n = mk(b, sizeof(b), &s);
	ed6_input(&c, b, n);
	assert_int_equal(c.dropped, 4);
	assert_int_equal(c.n_adv, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_solicit_contents, setup, teardown),
		cmocka_unit_test_setup_teardown(test_validity_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_valid_advertise_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dss_any_and_secondary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_priority, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pref255, setup, teardown),
		cmocka_unit_test_setup_teardown(test_all_disabled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_request_and_reply_authoritative, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reply_invalid_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_request_exhausted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dad_conflict_declines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_renew_dns_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_renew_address_change_lost, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rebind_then_expiry_lost, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restart_from_bound_removes_address, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dropped_messages, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
