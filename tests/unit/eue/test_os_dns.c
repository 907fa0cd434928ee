/*
 * test_os_dns.c: eue/dns.c against dnsmasq on loopback, in a private
 * network namespace when the test may make one (root): SRV (RFC 2782 order
 * and the additional-section addresses), A, AAAA, NXDOMAIN, NODATA, a
 * server that never answers (alone, and before a good one), IPv6
 * transport, cancelling, dns_free() with queries in flight and from inside
 * a callback, and 100 init/free cycles under ASan.  The additional-section
 * walker is also fed hand-made messages: truncated, with a compression
 * loop, with foreign owners.  dnsmasq is started here and stopped by its
 * PID; without it the server tests are skipped with the reason printed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "eue/dns.h"
#include "platform/clock.h"
#include "platform/err.h"
#include "platform/loop.h"
#include "platform/net.h"
#include "platform/netlink.h"

#define DNSMASQ "/usr/sbin/dnsmasq"
#define P_DNS 35353
#define P_DEAD 35354        /* a UDP socket of ours that never answers */

static pid_t pid_dns = -1;
static const char *no_dns;
static struct loop *l;
static int dead_fd = -1;
static char logpath[64];

static pid_t spawn(char *const argv[], const char *log)
{
	pid_t p = fork();

	if (p == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		prctl(PR_SET_PDEATHSIG, SIGTERM);   /* dies with the test */
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	return p;
}

static int wait_udp(unsigned port)
{
	char pat[16], line[256];
	int i, k;

	(void)snprintf(pat, sizeof(pat), ":%04X ", port);
	for (i = 0; i < 300; i++) {
		for (k = 0; k < 2; k++) {
			FILE *f = fopen(k ? "/proc/net/udp6" : "/proc/net/udp", "r");

			if (f == NULL)
				continue;
			while (fgets(line, sizeof(line), f) != NULL) {
				char *local = strchr(line, ':');

				if (local && (local = strchr(local + 1, ':')) &&
				    strncmp(local, pat, strlen(pat)) == 0) {
					fclose(f);
					return 0;
				}
			}
			fclose(f);
		}
		usleep(10000);
	}
	return -1;
}

static int group_setup(void **state)
{
	char port[32];
	struct net_addr b;

	(void)state;
	if (unshare(CLONE_NEWNET) == 0) {
		int lo = net_if_index("lo");

		if (lo < 0 || nl_link_up((unsigned)lo) != 0)
			return -1;
	}
	(void)snprintf(logpath, sizeof(logpath), "/tmp/test_dns.%d.log", (int)getpid());
	if (access(DNSMASQ, X_OK) != 0) {
		no_dns = "dnsmasq not installed";
	} else {
		/* the lab's records (lab-servers.md section 4), on high ports */
		char *a[] = { DNSMASQ, "-k", "-p", port, "--listen-address=127.0.0.1",
			      "--listen-address=::1", "--bind-interfaces", "--no-resolv", "--no-hosts",
			      "--user=root", "--pid-file=", "--log-facility=-", "--local-ttl=60",
			      "--local=/example.net/",
			      "--host-record=kdc.example.net,198.51.100.10,2001:db8:51::10",
			      "--host-record=kdc2.example.net,198.51.100.11",
			      "--host-record=prov.example.net,198.51.100.20,2001:db8:51::20",
			      "--host-record=v4only.example.net,198.51.100.30",
			      "--srv-host=_kerberos._udp.EXAMPLE.NET,kdc.example.net,88,0,10",
			      "--srv-host=_kerberos._udp.EXAMPLE.NET,kdc2.example.net,88,0,0",
			      "--srv-host=_kerberos._udp.EXAMPLE.NET,kdc3.example.net,750,10,0",
			      NULL };

		(void)snprintf(port, sizeof(port), "%u", P_DNS);
		pid_dns = spawn(a, logpath);
		if (wait_udp(P_DNS) != 0)
			no_dns = "dnsmasq did not start";
	}
	if (no_dns)
		printf("# SKIP dnsmasq tests: %s\n", no_dns);
	memset(&b, 0, sizeof(b));
	assert_int_equal(net_addr_parse("127.0.0.1", &b), 0);
	b.port = P_DEAD;
	dead_fd = net_udp_open(&b, NULL, 0);
	assert_true(dead_fd >= 0);
	l = loop_new();
	return l ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	if (pid_dns > 0) {
		kill(pid_dns, SIGTERM);
		waitpid(pid_dns, NULL, 0);
	}
	net_close(dead_fd);
	loop_free(l);
	unlink(logpath);
	return 0;
}

/* ---------------------------------------------------------------- harness */

struct result {
	int called, rc;
	struct dns_result res;
	char why[700];
	struct dns **free_me;   /* dns_free() from inside the callback */
};

static void on_done(void *arg, int rc, const struct dns_result *res, const char *why)
{
	struct result *r = arg;

	r->called++;
	r->rc = rc;
	if (res != NULL)
		r->res = *res;
	assert_true((rc == 0) == (res != NULL));
	assert_true((rc == 0) == (why == NULL));
	(void)snprintf(r->why, sizeof(r->why), "%s", why ? why : "");
	if (r->free_me != NULL) {
		dns_free(*r->free_me);
		*r->free_me = NULL;
	}
}

static void run_until(struct result *r, uint32_t max_ms)
{
	uint64_t end = clock_mono_ms() + max_ms;

	while (!r->called && clock_mono_ms() < end)
		assert_int_equal(loop_run_once(l, 20), 0);
}

static struct net_addr srv_addr(const char *ip, unsigned port)
{
	struct net_addr a;

	assert_int_equal(net_addr_parse(ip, &a), 0);
	a.port = (uint16_t)port;
	return a;
}

static struct dns *resolver(const struct net_addr *s, unsigned n, uint32_t timeout_ms)
{
	struct dns_config c = { .servers = s, .n_servers = n, .timeout_ms = timeout_ms, .tries = 1 };
	int err = 1;
	struct dns *d = dns_init(l, &c, &err);

	assert_non_null(d);
	assert_int_equal(err, 0);
	return d;
}

static void ask(struct dns *d, const char *name, enum dns_type t, struct result *r,
		uint32_t max_ms)
{
	int err = 1;

	memset(r, 0, sizeof(*r));
	assert_non_null(dns_query(d, name, t, on_done, r, &err));
	assert_int_equal(err, 0);
	assert_int_equal(r->called, 0);    /* never from inside dns_query() */
	run_until(r, max_ms);
	assert_int_equal(r->called, 1);
}

static void assert_clean_loop(void)
{
	assert_int_equal(loop_fd_count(l), 0);
	assert_int_equal(loop_timer_count(l), 0);
}

#define NEED() do { if (no_dns) { print_message("skipped: %s\n", no_dns); skip(); } } while (0)

static int has_addr(const struct dns_result *r, const char *name, const char *ip)
{
	struct net_addr a;
	unsigned i;

	assert_int_equal(net_addr_parse(ip, &a), 0);
	for (i = 0; i < r->n_addr; i++)
		if (strcmp(r->addr[i].name, name) == 0 && r->addr[i].addr.family == a.family &&
		    memcmp(r->addr[i].addr.addr, a.addr, a.family == AF_INET ? 4 : 16) == 0)
			return 1;
	return 0;
}

/* ---------------------------------------------------------------- tests */

static void test_srv(void **state)
{
	static struct result r;
	struct net_addr s = srv_addr("127.0.0.1", P_DNS);
	struct dns *d;
	unsigned i, first_kdc = 0;

	(void)state;
	NEED();
	d = resolver(&s, 1, 1000);
	for (i = 0; i < 20; i++) {
		ask(d, "_kerberos._udp.EXAMPLE.NET", DNS_SRV, &r, 3000);
		assert_int_equal(r.rc, 0);
		assert_int_equal(r.res.type, DNS_SRV);
		assert_int_equal(r.res.n_srv, 3);
		/* priority 0 before priority 10 (RFC 2782) */
		assert_int_equal(r.res.srv[0].priority, 0);
		assert_int_equal(r.res.srv[1].priority, 0);
		assert_int_equal(r.res.srv[2].priority, 10);
		assert_string_equal(r.res.srv[2].target, "kdc3.example.net");
		assert_int_equal(r.res.srv[2].port, 750);
		assert_int_equal(r.res.srv[0].port, 88);
		first_kdc += strcmp(r.res.srv[0].target, "kdc.example.net") == 0;
		/* dnsmasq puts the targets' addresses in the additional section */
		assert_true(has_addr(&r.res, "kdc.example.net", "198.51.100.10"));
		assert_true(has_addr(&r.res, "kdc.example.net", "2001:db8:51::10"));
		assert_true(has_addr(&r.res, "kdc2.example.net", "198.51.100.11"));
	}
	/* weight 10 against weight 0: kdc first 10/11 of the time; 20 draws
	 * all landing on kdc2 would have a chance of about 1e-21 */
	assert_true(first_kdc >= 10);
	dns_free(d);
	assert_clean_loop();
}

static void test_a_aaaa(void **state)
{
	static struct result r;
	struct net_addr s = srv_addr("127.0.0.1", P_DNS);
	struct dns *d;

	(void)state;
	NEED();
	d = resolver(&s, 1, 1000);
	ask(d, "prov.example.net", DNS_AAAA, &r, 3000);   /* eUE-20 in IPv6 mode */
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.res.n_addr, 1);
	assert_true(has_addr(&r.res, "prov.example.net", "2001:db8:51::20"));
	assert_int_equal(r.res.addr[0].ttl, 60);
	ask(d, "prov.example.net.", DNS_A, &r, 3000);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.res.n_addr, 1);
	assert_true(has_addr(&r.res, "prov.example.net.", "198.51.100.20"));
	/* NODATA: the name exists, without AAAA */
	ask(d, "v4only.example.net", DNS_AAAA, &r, 3000);
	assert_int_equal(r.rc, E_NOTFOUND);
	assert_non_null(strstr(r.why, "AAAA v4only.example.net: no record of this type"));
	/* NXDOMAIN */
	ask(d, "nosuch.example.net", DNS_A, &r, 3000);
	assert_int_equal(r.rc, E_NOTFOUND);
	assert_non_null(strstr(r.why, "NXDOMAIN"));
	assert_non_null(strstr(r.why, "servers 127.0.0.1:35353"));
	/* outside dnsmasq's local domain, with no upstream: REFUSED */
	ask(d, "_kerberos._udp.NOSUCH.NET", DNS_SRV, &r, 3000);
	assert_int_equal(r.rc, E_IO);
	assert_non_null(strstr(r.why, "SRV _kerberos._udp.NOSUCH.NET: refused by every server"));
	dns_free(d);
	assert_clean_loop();
}

static void test_ipv6_server(void **state)
{
	static struct result r;
	struct net_addr s = srv_addr("::1", P_DNS);
	struct dns *d;

	(void)state;
	NEED();
	d = resolver(&s, 1, 1000);
	ask(d, "kdc.example.net", DNS_AAAA, &r, 3000);
	assert_int_equal(r.rc, 0);
	assert_true(has_addr(&r.res, "kdc.example.net", "2001:db8:51::10"));
	dns_free(d);
	assert_clean_loop();
}

static void test_server_silent(void **state)
{
	static struct result r;
	struct net_addr s[2] = { srv_addr("127.0.0.1", P_DEAD), srv_addr("127.0.0.1", P_DNS) };
	struct dns *d;
	uint64_t t0, el;

	(void)state;
	/* alone: the query times out (1 try of 300 ms) */
	d = resolver(s, 1, 300);
	t0 = clock_mono_ms();
	ask(d, "kdc.example.net", DNS_A, &r, 5000);
	el = clock_mono_ms() - t0;
	assert_int_equal(r.rc, E_TIMEOUT);
	assert_non_null(strstr(r.why, "A kdc.example.net: no answer (servers 127.0.0.1:35354)"));
	assert_true(el >= 250 && el < 3000);
	dns_free(d);
	assert_clean_loop();
	if (no_dns)
		return;
	/* before a good one: the next server answers */
	d = resolver(s, 2, 300);
	ask(d, "kdc.example.net", DNS_A, &r, 5000);
	assert_int_equal(r.rc, 0);
	assert_true(has_addr(&r.res, "kdc.example.net", "198.51.100.10"));
	/* renewal with new servers (6.3.5): the dead one only */
	assert_int_equal(dns_set_servers(d, s, 1), 0);
	ask(d, "kdc.example.net", DNS_A, &r, 5000);
	assert_int_equal(r.rc, E_TIMEOUT);
	assert_int_equal(dns_set_servers(d, s, 0), E_INVAL);
	/* a new list while a query is in flight: that query keeps the old
	 * (dead) server, the next one uses the new list */
	memset(&r, 0, sizeof(r));
	assert_non_null(dns_query(d, "kdc.example.net", DNS_A, on_done, &r, NULL));
	assert_int_equal(dns_set_servers(d, &s[1], 1), 0);
	run_until(&r, 5000);
	assert_int_equal(r.rc, E_TIMEOUT);
	ask(d, "kdc.example.net", DNS_A, &r, 5000);
	assert_int_equal(r.rc, 0);
	dns_free(d);
	assert_clean_loop();
}

static void test_cancel_and_free(void **state)
{
	static struct result r1, r2, r3;
	struct net_addr s[2] = { srv_addr("127.0.0.1", P_DEAD), srv_addr("127.0.0.1", P_DNS) };
	struct dns *d;
	struct dns_query *q;
	int i;

	(void)state;
	/* cancel one of two queries in flight; the other still answers */
	d = resolver(&s[0], 1, 200);
	memset(&r1, 0, sizeof(r1));
	memset(&r2, 0, sizeof(r2));
	q = dns_query(d, "a.example.net", DNS_A, on_done, &r1, NULL);
	assert_non_null(dns_query(d, "b.example.net", DNS_A, on_done, &r2, NULL));
	assert_int_equal(dns_pending(d), 2);
	dns_cancel(q);
	assert_int_equal(dns_pending(d), 1);
	run_until(&r2, 3000);
	assert_int_equal(r2.rc, E_TIMEOUT);
	for (i = 0; i < 10; i++)
		(void)loop_run_once(l, 10);
	assert_int_equal(r1.called, 0);
	assert_int_equal(dns_pending(d), 0);
	/* cancel right after the start */
	q = dns_query(d, "c.example.net", DNS_A, on_done, &r1, NULL);
	dns_cancel(q);
	dns_cancel(NULL);
	/* free with queries in flight: no callback, nothing left */
	assert_non_null(dns_query(d, "d.example.net", DNS_SRV, on_done, &r1, NULL));
	assert_non_null(dns_query(d, "e.example.net", DNS_AAAA, on_done, &r1, NULL));
	(void)loop_run_once(l, 0);
	assert_true(loop_fd_count(l) >= 1);
	dns_free(d);
	dns_free(NULL);
	assert_int_equal(r1.called, 0);
	assert_clean_loop();
	if (no_dns)
		return;
	/* dns_free() from inside a callback, with another query in flight */
	d = resolver(&s[1], 1, 1000);
	memset(&r3, 0, sizeof(r3));
	r3.free_me = &d;
	assert_non_null(dns_query(d, "kdc.example.net", DNS_A, on_done, &r3, NULL));
	assert_non_null(dns_query(d, "kdc.example.net", DNS_AAAA, on_done, &r1, NULL));
	run_until(&r3, 3000);
	assert_int_equal(r3.called, 1);
	assert_null(d);
	for (i = 0; i < 5; i++)
		(void)loop_run_once(l, 10);
	assert_int_equal(r1.called + r3.called, 1);
	assert_clean_loop();
}

static void test_init_free_100(void **state)
{
	static struct result r;
	struct net_addr s[2] = { srv_addr("127.0.0.1", P_DNS), srv_addr("::1", P_DNS) };
	struct dns_config bad = { .servers = s, .n_servers = 0 };
	struct net_addr wrong = { .family = 99 };
	int i, err;

	(void)state;
	for (i = 0; i < 100; i++) {
		struct dns *d = resolver(s, 2, 1000);

		if (i % 3 == 0)
			assert_non_null(dns_query(d, "kdc.example.net", DNS_A, on_done, &r, NULL));
		if (i % 6 == 0)
			(void)loop_run_once(l, 5);
		dns_free(d);
	}
	assert_clean_loop();
	assert_null(dns_init(l, &bad, &err));
	assert_int_equal(err, E_INVAL);
	bad.n_servers = DNS_SERVERS_MAX + 1;
	assert_null(dns_init(l, &bad, &err));
	bad.servers = &wrong;
	bad.n_servers = 1;
	assert_null(dns_init(l, &bad, &err));
	assert_int_equal(err, E_INVAL);
	assert_null(dns_init(l, NULL, NULL));
}

static void test_bad_names(void **state)
{
	struct net_addr s = srv_addr("127.0.0.1", P_DNS);
	struct dns *d = resolver(&s, 1, 1000);
	char longname[300];
	struct result r;
	int err;

	(void)state;
	assert_null(dns_query(d, "", DNS_A, on_done, &r, &err));
	assert_int_equal(err, E_INVAL);
	assert_null(dns_query(d, "a..b", DNS_A, on_done, &r, &err));
	assert_null(dns_query(d, ".a", DNS_A, on_done, &r, &err));
	assert_null(dns_query(d, "a b", DNS_A, on_done, &r, &err));
	assert_null(dns_query(d, "a", (enum dns_type)5, on_done, &r, &err));
	memset(longname, 'a', sizeof(longname));
	longname[254] = '\0';
	assert_null(dns_query(d, longname, DNS_A, on_done, &r, &err));
	assert_int_equal(dns_pending(d), 0);
	dns_free(d);
	assert_clean_loop();
}

/* ---------------------------------------------------------------- the walker */

/* header, question "_k._udp.x" SRV, one SRV answer (target "t.x" through a
 * pointer to "x"), additional A and AAAA for t.x and an A for "o.x" */
static const uint8_t msg_ok[] = {
	0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 3,
	/* 12: question */
	2, '_', 'k', 4, '_', 'u', 'd', 'p', 1, 'x', 0, 0, 33, 0, 1,
	/* 27: answer: name ptr 12, SRV IN ttl 60, rdlen 6+4; target at 45 */
	0xc0, 12, 0, 33, 0, 1, 0, 0, 0, 60, 0, 10, 0, 0, 0, 5, 0, 88,
	1, 't', 0xc0, 20,
	/* 49: additional: t.x A */
	0xc0, 45, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4, 198, 51, 100, 10,
	/* 65: t.x AAAA */
	0xc0, 45, 0, 28, 0, 1, 0, 0, 0, 60, 0, 16,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
	/* o.x A: not a target */
	1, 'o', 0xc0, 20, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1,
};

static void test_additional_walker(void **state)
{
	struct dns_result res;
	uint8_t m[sizeof(msg_ok)];
	size_t cut;

	(void)state;
	memset(&res, 0, sizeof(res));
	res.n_srv = 1;
	strcpy(res.srv[0].target, "T.x");
	assert_int_equal(dns_parse_additional(msg_ok, sizeof(msg_ok), &res), 0);
	assert_int_equal(res.n_addr, 2);
	assert_string_equal(res.addr[0].name, "t.x");
	assert_int_equal(res.addr[0].addr.family, AF_INET);
	assert_int_equal(res.addr[0].addr.addr[3], 10);
	assert_int_equal(res.addr[0].ttl, 3600);
	assert_int_equal(res.addr[1].addr.family, AF_INET6);
	assert_int_equal(res.addr[1].addr.addr[15], 0x10);

	/* every truncation is refused, never read past */
	for (cut = 0; cut < sizeof(msg_ok); cut++) {
		uint8_t *t = malloc(cut ? cut : 1);

		memcpy(t, msg_ok, cut);
		res.n_addr = 0;
		assert_int_not_equal(dns_parse_additional(t, cut, &res), 0);
		free(t);
	}
	/* a compression pointer to itself */
	memcpy(m, msg_ok, sizeof(m));
	m[49] = 0xc0;
	m[50] = 49;
	res.n_addr = 0;
	assert_int_equal(dns_parse_additional(m, sizeof(m), &res), E_PROTO);
	/* an A record with 16 bytes of data is not an address: skipped */
	memcpy(m, msg_ok, sizeof(m));
	m[68] = 1;     /* the AAAA's type becomes A */
	res.n_addr = 0;
	assert_int_equal(dns_parse_additional(m, sizeof(m), &res), 0);
	assert_int_equal(res.n_addr, 1);
	/* a class other than IN: skipped */
	memcpy(m, msg_ok, sizeof(m));
	m[54] = 3;
	res.n_addr = 0;
	assert_int_equal(dns_parse_additional(m, sizeof(m), &res), 0);
	assert_int_equal(res.n_addr, 1);
	assert_int_equal(res.addr[0].addr.family, AF_INET6);
	/* more records announced than present */
	memcpy(m, msg_ok, sizeof(m));
	m[11] = 4;
	res.n_addr = 0;
	assert_int_equal(dns_parse_additional(m, sizeof(m), &res), E_SHORT);
	assert_int_equal(res.n_addr, 2);   /* what came before is kept */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_srv),
		cmocka_unit_test(test_a_aaaa),
		cmocka_unit_test(test_ipv6_server),
		cmocka_unit_test(test_server_silent),
		cmocka_unit_test(test_cancel_and_free),
		cmocka_unit_test(test_init_free_100),
		cmocka_unit_test(test_bad_names),
		cmocka_unit_test(test_additional_walker),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
