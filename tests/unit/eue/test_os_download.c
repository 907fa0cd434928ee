/*
 * test_os_download.c: eue/download.c against real servers on loopback, in a
 * private network namespace when the test may make one (root): tftpd-hpa
 * (one plain, one started with --refuse blksize) and an HTTP server
 * (python3 -m http.server).  Checks the bytes, the block size of 6.3.3 /
 * eUE-22 (1448 over IPv4, 1428 over IPv6, 512 when the server refuses the
 * option: a 5000-byte file spans several blocks, so a wrong size would cut
 * it short), the size bound, timeouts, TFTP and HTTP errors, no redirects,
 * FQDNs through the caller's address only, interface binding, the server
 * list with its back-off, and dl_stop() at any moment.  Every server is
 * started here and stopped by its PID; a missing binary skips its tests
 * with the reason printed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "eue/cfgurl.h"
#include "eue/download.h"
#include "platform/clock.h"
#include "platform/err.h"
#include "platform/loop.h"
#include "platform/net.h"
#include "platform/netlink.h"

#define TFTPD "/usr/sbin/in.tftpd"
#define PYTHON "/usr/bin/python3"
/* High ports; inside our own namespace nobody else can hold them. */
#define P_TFTP 36969       /* tftpd-hpa, IPv4 and IPv6 */
#define P_TFTP_NOBLK 36970 /* tftpd-hpa --refuse blksize */
#define P_HTTP 36980
#define P_DEAD 36990       /* a UDP socket of ours that never answers */
#define SMALL_LEN 5000u
#define BIG_LEN 200000u

static char dir[64];
static pid_t pid_tftp = -1, pid_tftp_noblk = -1, pid_http = -1;
static const char *no_tftp, *no_http;   /* reason to skip, or NULL */
static uint8_t small[SMALL_LEN];
static struct loop *l;
static int dead_fd = -1;

/* ---------------------------------------------------------------- servers */

static void write_file(const char *name, const uint8_t *p, size_t n)
{
	char path[128];
	FILE *f;

	(void)snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	fclose(f);
	chmod(path, 0644);   /* tftpd-hpa serves world-readable files only */
}

static pid_t spawn(char *const argv[], const char *log)
{
	pid_t p = fork();

	if (p == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		/* the server dies with the test, even when an assertion aborts it */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	return p;
}

static void stop(pid_t *p)
{
	if (*p > 0) {
		kill(*p, SIGTERM);
		waitpid(*p, NULL, 0);
	}
	*p = -1;
}

/* Wait until something listens on port (/proc/net of our namespace). */
static int wait_port(const char *proto, unsigned port)
{
	char pat[16], line[256], path[32];
	int i;

	(void)snprintf(pat, sizeof(pat), ":%04X ", port);
	for (i = 0; i < 300; i++) {
		const char *v[2] = { "", "6" };
		int k;

		for (k = 0; k < 2; k++) {
			FILE *f;

			(void)snprintf(path, sizeof(path), "/proc/net/%s%s", proto, v[k]);
			f = fopen(path, "r");
			if (f == NULL)
				continue;
			while (fgets(line, sizeof(line), f) != NULL) {
				/* the local address column comes first after "sl:" */
				char *local = strchr(line, ':');

				if (local != NULL && (local = strchr(local + 1, ':')) != NULL &&
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
	char log[128], port[16], port2[16];
	uint8_t *big;
	unsigned i;
	struct net_addr b;

	(void)state;
	/* a proxy from the environment must not be used (download.c) */
	setenv("http_proxy", "http://127.0.0.1:9/", 1);
	setenv("all_proxy", "http://127.0.0.1:9/", 1);
	if (unshare(CLONE_NEWNET) == 0) {
		int lo = net_if_index("lo");

		if (lo < 0 || nl_link_up((unsigned)lo) != 0)
			return -1;
	} else {
		printf("# not root: using the host's loopback\n");
	}
	snprintf(dir, sizeof(dir), "/tmp/test_dl.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	chmod(dir, 0755);
	for (i = 0; i < SMALL_LEN; i++)
		small[i] = (uint8_t)(i * 7 + (i >> 8));
	write_file("small.bin", small, SMALL_LEN);
	write_file("exact.bin", small, 1448);   /* one full block, then an empty one */
	big = malloc(BIG_LEN);
	assert_non_null(big);
	memset(big, 0xa5, BIG_LEN);
	write_file("big.bin", big, BIG_LEN);
	free(big);
	(void)snprintf(log, sizeof(log), "%s/sub", dir);
	mkdir(log, 0755);

	if (access(TFTPD, X_OK) != 0) {
		no_tftp = "in.tftpd (tftpd-hpa) not installed";
	} else if (geteuid() != 0) {
		no_tftp = "in.tftpd needs root (it chroots)";
	} else {
		/* -L foreground, -u root (no tftp user needed), -s chroot to dir,
		 * -a ":port" = 0.0.0.0 and [::] */
		(void)snprintf(port, sizeof(port), ":%u", P_TFTP);
		(void)snprintf(port2, sizeof(port2), ":%u", P_TFTP_NOBLK);
		{
			char *a1[] = { TFTPD, "-L", "-v", "-u", "root", "-s", dir, "-a", port, NULL };
			char *a2[] = { TFTPD, "-L", "-v", "-u", "root", "-s", dir, "-a", port2,
				       "--refuse", "blksize", NULL };

			(void)snprintf(log, sizeof(log), "%s.tftpd.log", dir);
			pid_tftp = spawn(a1, log);
			(void)snprintf(log, sizeof(log), "%s.tftpd-noblk.log", dir);
			pid_tftp_noblk = spawn(a2, log);
		}
		if (wait_port("udp", P_TFTP) != 0 || wait_port("udp", P_TFTP_NOBLK) != 0)
			no_tftp = "in.tftpd did not start";
	}
	if (access(PYTHON, X_OK) != 0) {
		no_http = "python3 not installed";
	} else {
		char *a[] = { PYTHON, "-m", "http.server", "--bind", "::", "--directory", dir,
			      port, NULL };

		(void)snprintf(port, sizeof(port), "%u", P_HTTP);
		(void)snprintf(log, sizeof(log), "%s.http.log", dir);
		pid_http = spawn(a, log);
		if (wait_port("tcp", P_HTTP) != 0)
			no_http = "python3 -m http.server did not start";
	}
	if (no_tftp)
		printf("# SKIP tftp tests: %s\n", no_tftp);
	if (no_http)
		printf("# SKIP http tests: %s\n", no_http);

	/* a UDP port that takes requests and never answers */
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
	char cmd[200];

	(void)state;
	stop(&pid_tftp);
	stop(&pid_tftp_noblk);
	stop(&pid_http);
	net_close(dead_fd);
	loop_free(l);
	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s'.*.log", dir, dir);
	if (strncmp(dir, "/tmp/test_dl.", 13) == 0 && system(cmd) != 0)
		return -1;
	return 0;
}

/* ---------------------------------------------------------------- harness */

struct result {
	int called, rc;
	uint8_t data[BIG_LEN];
	size_t len;
	char why[400];
	struct dl *stop_me;   /* dl_stop() from inside done() */
};

static void on_done(void *arg, int rc, const uint8_t *data, size_t len, const char *why)
{
	struct result *r = arg;

	r->called++;
	r->rc = rc;
	r->len = len;
	if (data != NULL && len <= sizeof(r->data))
		memcpy(r->data, data, len);
	(void)snprintf(r->why, sizeof(r->why), "%s", why ? why : "");
	if (r->stop_me != NULL) {
		dl_stop(r->stop_me);
		/* the data stays valid until done() returns */
		if (data != NULL && len > 0)
			assert_int_equal(data[len - 1], r->data[len - 1]);
	}
}

static void run_until(struct result *r, uint32_t max_ms)
{
	uint64_t end = clock_mono_ms() + max_ms;

	while (!r->called && clock_mono_ms() < end)
		assert_int_equal(loop_run_once(l, 20), 0);
}

static struct cfgurl url(const char *text)
{
	struct cfgurl u;
	const char *why;

	if (cfgurl_parse(&u, text, strlen(text), &why) != 0)
		fail_msg("%s: %s", text, why);
	return u;
}

/* One download; returns the handle (already finished) for the getters. */
static struct dl *fetch(const char *text, const struct dl_req *req, struct result *r,
			uint32_t max_ms)
{
	struct cfgurl u = url(text);
	int err = 1;
	struct dl *d;

	memset(r, 0, sizeof(*r));
	d = dl_start(l, &u, 1, req, on_done, r, &err);
	assert_non_null(d);
	assert_int_equal(err, 0);
	assert_int_equal(r->called, 0);    /* never from inside dl_start() */
	run_until(r, max_ms);
	assert_int_equal(r->called, 1);
	return d;
}

static void assert_clean_loop(void)
{
	assert_int_equal(loop_fd_count(l), 0);
	assert_int_equal(loop_timer_count(l), 0);
}

#define NEED(reason) do { if (reason) { print_message("skipped: %s\n", reason); skip(); } } while (0)

/* the URL text with a port in t[] (a macro: the format stays a literal) */
#define U(fmt, port) (snprintf(t, sizeof(t), fmt, (unsigned)(port)), t)

/* ---------------------------------------------------------------- tftp */

static void test_tftp_ipv4_blksize_1448(void **state)
{
	static struct result r;
	char t[128];
	struct dl *d;

	(void)state;
	NEED(no_tftp);
	d = fetch(U("tftp://127.0.0.1:%u/small.bin", P_TFTP), NULL, &r, 5000);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.len, SMALL_LEN);
	assert_memory_equal(r.data, small, SMALL_LEN);
	assert_int_equal(dl_blksize(d), 1448);   /* 6.3.3, acknowledged in the OACK */
	assert_int_equal(dl_attempts(d), 1);
	dl_stop(d);
	assert_clean_loop();

	/* exactly one block: the transfer ends with an empty DATA */
	d = fetch(U("tftp://127.0.0.1:%u/exact.bin;mode=octet", P_TFTP), NULL, &r,
		  5000);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.len, 1448);
	assert_memory_equal(r.data, small, 1448);
	dl_stop(d);
}

static void test_tftp_ipv6_blksize_1428(void **state)
{
	static struct result r;
	char t[128];
	struct dl *d;

	(void)state;
	NEED(no_tftp);
	d = fetch(U("tftp://[::1]:%u/small.bin", P_TFTP), NULL, &r, 5000);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.len, SMALL_LEN);
	assert_memory_equal(r.data, small, SMALL_LEN);
	assert_int_equal(dl_blksize(d), 1428);   /* eUE-22 */
	dl_stop(d);
	assert_clean_loop();
}

static void test_tftp_blksize_refused_512(void **state)
{
	static struct result r;
	char t[128];
	struct dl *d;

	(void)state;
	NEED(no_tftp);
	/* the server leaves blksize out of its OACK: 512-byte blocks; with a
	 * wrong block size the first 512-byte DATA would read as the last */
	d = fetch(U("tftp://127.0.0.1:%u/small.bin", P_TFTP_NOBLK), NULL, &r,
		  5000);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.len, SMALL_LEN);
	assert_memory_equal(r.data, small, SMALL_LEN);
	assert_int_equal(dl_blksize(d), 512);
	dl_stop(d);
	d = fetch(U("tftp://[::1]:%u/small.bin", P_TFTP_NOBLK), NULL, &r, 5000);
	assert_int_equal(r.rc, 0);
	assert_memory_equal(r.data, small, SMALL_LEN);
	assert_int_equal(dl_blksize(d), 512);
	dl_stop(d);
}

static void test_tftp_not_found(void **state)
{
	static struct result r;
	char t[128];
	struct dl *d;

	(void)state;
	NEED(no_tftp);
	d = fetch(U("tftp://127.0.0.1:%u/nope.bin", P_TFTP), NULL, &r, 5000);
	assert_int_equal(r.rc, E_NOTFOUND);
	assert_non_null(strstr(r.why, "tftp error 1 (file not found)"));
	assert_non_null(strstr(r.why, "File not found"));   /* the server's own text */
	dl_stop(d);
	assert_clean_loop();
}

static void test_tftp_too_big(void **state)
{
	static struct result r;
	struct dl_req req = { .max_size = 10000 };
	char t[128];
	struct dl *d;
	uint64_t t0 = clock_mono_ms();

	(void)state;
	NEED(no_tftp);
	d = fetch(U("tftp://127.0.0.1:%u/big.bin", P_TFTP), &req, &r, 5000);
	assert_int_equal(r.rc, E_OVERFLOW);
	assert_string_equal(r.why, "file larger than 10000 bytes");
	assert_true(clock_mono_ms() - t0 < 3000);
	dl_stop(d);
	/* the bound is inclusive */
	req.max_size = SMALL_LEN;
	d = fetch(U("tftp://127.0.0.1:%u/small.bin", P_TFTP), &req, &r, 5000);
	assert_int_equal(r.rc, 0);
	dl_stop(d);
	req.max_size = SMALL_LEN - 1;
	d = fetch(U("tftp://127.0.0.1:%u/small.bin", P_TFTP), &req, &r, 5000);
	assert_int_equal(r.rc, E_OVERFLOW);
	dl_stop(d);
	assert_clean_loop();
}

static void test_tftp_timeout(void **state)
{
	static struct result r;
	struct dl_req req = { .timeout_ms = 1500 };
	char t[128];
	struct dl *d;
	uint64_t t0 = clock_mono_ms(), el;

	(void)state;
	d = fetch(U("tftp://127.0.0.1:%u/small.bin", P_DEAD), &req, &r, 10000);
	el = clock_mono_ms() - t0;
	assert_int_equal(r.rc, E_TIMEOUT);
	assert_non_null(strstr(r.why, "timeout after 1500 ms"));
	assert_true(el >= 1400 && el < 4000);
	dl_stop(d);
	assert_clean_loop();
}

/* ---------------------------------------------------------------- http */

static void test_http(void **state)
{
	static struct result r;
	char t[128];
	struct dl *d;

	(void)state;
	NEED(no_http);
	d = fetch(U("http://127.0.0.1:%u/small.bin", P_HTTP), NULL, &r, 5000);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.len, SMALL_LEN);
	assert_memory_equal(r.data, small, SMALL_LEN);
	assert_int_equal(dl_blksize(d), 0);
	dl_stop(d);
	d = fetch(U("http://[::1]:%u/small.bin", P_HTTP), NULL, &r, 5000);
	assert_int_equal(r.rc, 0);
	assert_memory_equal(r.data, small, SMALL_LEN);
	dl_stop(d);
	assert_clean_loop();
}

static void test_http_errors(void **state)
{
	static struct result r;
	struct dl_req req = { .max_size = 10000 };
	char t[128];
	struct dl *d;

	(void)state;
	NEED(no_http);
	d = fetch(U("http://127.0.0.1:%u/nope.bin", P_HTTP), NULL, &r, 5000);
	assert_int_equal(r.rc, E_NOTFOUND);
	assert_string_equal(r.why, "http status 404");
	dl_stop(d);
	/* http.server answers a directory without '/' with 301: not followed */
	d = fetch(U("http://127.0.0.1:%u/sub", P_HTTP), NULL, &r, 5000);
	assert_int_equal(r.rc, E_PROTO);
	assert_string_equal(r.why, "http status 301");
	dl_stop(d);
	d = fetch(U("http://127.0.0.1:%u/big.bin", P_HTTP), &req, &r, 5000);
	assert_int_equal(r.rc, E_OVERFLOW);
	assert_string_equal(r.why, "file larger than 10000 bytes");
	dl_stop(d);
	/* a TCP port nobody listens on */
	d = fetch(U("http://127.0.0.1:%u/x", P_DEAD), NULL, &r, 5000);
	assert_int_equal(r.rc, E_IO);
	dl_stop(d);
	assert_clean_loop();
}

/* ---------------------------------------------------------------- addressing */

static void test_fqdn_uses_given_address(void **state)
{
	static struct result r;
	struct net_addr a;
	struct dl_req req = { .servers = &a };
	struct cfgurl u;
	char t[128];
	struct dl *d;
	int err;

	(void)state;
	NEED(no_tftp ? no_tftp : no_http);
	/* no DNS exists in this namespace: only the caller's address works */
	assert_int_equal(net_addr_parse("127.0.0.1", &a), 0);
	d = fetch(U("tftp://config.example.net:%u/small.bin", P_TFTP), &req, &r,
		  5000);
	assert_int_equal(r.rc, 0);
	assert_memory_equal(r.data, small, SMALL_LEN);
	assert_int_equal(dl_blksize(d), 1448);
	dl_stop(d);
	assert_int_equal(net_addr_parse("::1", &a), 0);
	d = fetch(U("tftp://config.example.net:%u/small.bin", P_TFTP), &req, &r,
		  5000);
	assert_int_equal(r.rc, 0);
	assert_int_equal(dl_blksize(d), 1428);   /* the family of the resolved address */
	dl_stop(d);
	d = fetch(U("http://config.example.net:%u/small.bin", P_HTTP), &req, &r,
		  5000);
	assert_int_equal(r.rc, 0);
	assert_memory_equal(r.data, small, SMALL_LEN);
	dl_stop(d);
	/* an FQDN without an address is refused: eUE-20/21 come first */
	u = url("tftp://config.example.net/small.bin");
	assert_null(dl_start(l, &u, 1, NULL, on_done, &r, &err));
	assert_int_equal(err, E_INVAL);
	assert_null(dl_start(l, &u, 0, NULL, on_done, &r, NULL));
	assert_clean_loop();
}

static void test_interface(void **state)
{
	static struct result r;
	struct dl_req req = { .ifname = "lo" };
	struct net_addr src;
	char t[128];
	struct dl *d;

	(void)state;
	NEED(no_tftp);
	d = fetch(U("tftp://127.0.0.1:%u/small.bin", P_TFTP), &req, &r, 5000);
	assert_int_equal(r.rc, 0);
	dl_stop(d);
	req.ifname = "nosuch0";
	d = fetch(U("tftp://127.0.0.1:%u/small.bin", P_TFTP), &req, &r, 5000);
	assert_int_equal(r.rc, E_IO);
	dl_stop(d);
	req.ifname = NULL;
	assert_int_equal(net_addr_parse("127.0.0.1", &src), 0);
	req.local = &src;
	d = fetch(U("tftp://127.0.0.1:%u/small.bin", P_TFTP), &req, &r, 5000);
	assert_int_equal(r.rc, 0);
	dl_stop(d);
	assert_clean_loop();
}

/* ---------------------------------------------------------------- server list */

static void test_list_next_server(void **state)
{
	static struct result r;
	struct dl_req req = { .timeout_ms = 800 };
	struct cfgurl u[3];
	char t[128];
	struct dl *d;
	int err;

	(void)state;
	NEED(no_tftp);
	u[0] = url(U("tftp://127.0.0.1:%u/small.bin", P_DEAD));
	u[1] = url(U("tftp://[::1]:%u/nope.bin", P_TFTP));
	u[2] = url(U("tftp://[::1]:%u/small.bin", P_TFTP));
	memset(&r, 0, sizeof(r));
	d = dl_start(l, u, 3, &req, on_done, &r, &err);
	assert_non_null(d);
	run_until(&r, 8000);
	assert_int_equal(r.called, 1);
	assert_int_equal(r.rc, 0);
	assert_memory_equal(r.data, small, SMALL_LEN);
	assert_int_equal(dl_url_index(d), 2);
	assert_int_equal(dl_attempts(d), 3);
	assert_int_equal(dl_blksize(d), 1428);
	dl_stop(d);
	assert_clean_loop();
}

static void test_list_backoff_and_failure(void **state)
{
	static struct result r;
	struct dl_req req = { .rounds = 3, .backoff_start_ms = 300, .backoff_max_ms = 400 };
	struct cfgurl u[2];
	char t[128];
	struct dl *d;
	uint64_t t0, el;

	(void)state;
	NEED(no_tftp);
	u[0] = url(U("tftp://127.0.0.1:%u/nope.bin", P_TFTP));
	u[1] = url(U("tftp://[::1]:%u/nope.bin", P_TFTP));
	memset(&r, 0, sizeof(r));
	t0 = clock_mono_ms();
	d = dl_start(l, u, 2, &req, on_done, &r, NULL);
	assert_non_null(d);
	run_until(&r, 8000);
	el = clock_mono_ms() - t0;
	assert_int_equal(r.called, 1);
	assert_int_equal(r.rc, E_NOTFOUND);
	assert_int_equal(dl_attempts(d), 6);          /* 3 passes x 2 servers */
	assert_non_null(strstr(r.why, "6 attempts, last from ::1: tftp error 1"));
	/* two back-offs: 300 ms +-10 %, then 400 ms (capped) +-10 % */
	assert_true(el >= 270 + 360 && el < 3000);
	dl_stop(d);
	assert_clean_loop();
}

/* ---------------------------------------------------------------- stopping */

static void test_stop_anytime(void **state)
{
	static struct result r;
	struct dl_req req = { .timeout_ms = 5000, .rounds = 2 };
	struct cfgurl u[2];
	char t[128];
	struct dl *d;
	int i;

	(void)state;
	/* right after the start, before any loop turn */
	u[0] = url(U("tftp://127.0.0.1:%u/small.bin", P_DEAD));
	memset(&r, 0, sizeof(r));
	d = dl_start(l, u, 1, &req, on_done, &r, NULL);
	assert_non_null(d);
	dl_stop(d);
	assert_clean_loop();
	/* mid-transfer (the request is out, no answer) */
	d = dl_start(l, u, 1, &req, on_done, &r, NULL);
	for (i = 0; i < 5; i++)
		assert_int_equal(loop_run_once(l, 20), 0);
	assert_true(loop_fd_count(l) >= 1);
	dl_stop(d);
	assert_clean_loop();
	assert_int_equal(r.called, 0);
	dl_stop(NULL);
	if (no_tftp)
		return;
	/* during a back-off between passes */
	u[0] = url(U("tftp://127.0.0.1:%u/nope.bin", P_TFTP));
	u[1] = u[0];
	req.backoff_start_ms = 5000;
	d = dl_start(l, u, 2, &req, on_done, &r, NULL);
	for (i = 0; i < 250 && (dl_attempts(d) < 2 || loop_fd_count(l) > 0); i++)
		assert_int_equal(loop_run_once(l, 20), 0);
	assert_int_equal(dl_attempts(d), 2);
	assert_int_equal(loop_fd_count(l), 0);
	assert_int_equal(loop_timer_count(l), 1);     /* only the back-off */
	dl_stop(d);
	assert_clean_loop();
	/* from inside done() */
	u[0] = url(U("tftp://127.0.0.1:%u/small.bin", P_TFTP));
	memset(&r, 0, sizeof(r));
	r.stop_me = d = dl_start(l, u, 1, NULL, on_done, &r, NULL);
	run_until(&r, 5000);
	assert_int_equal(r.rc, 0);
	assert_clean_loop();
}

static void test_start_stop_many(void **state)
{
	static struct result r;
	struct cfgurl u;
	char t[128];
	int i;

	(void)state;
	/* 100 starts and stops: ASan's leak check at exit sees every one */
	u = url(U("http://127.0.0.1:%u/small.bin", P_HTTP));
	for (i = 0; i < 100; i++) {
		struct dl *d = dl_start(l, &u, 1, NULL, on_done, &r, NULL);

		assert_non_null(d);
		if (i % 2)
			(void)loop_run_once(l, 0);
		dl_stop(d);
	}
	assert_clean_loop();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tftp_ipv4_blksize_1448),
		cmocka_unit_test(test_tftp_ipv6_blksize_1428),
		cmocka_unit_test(test_tftp_blksize_refused_512),
		cmocka_unit_test(test_tftp_not_found),
		cmocka_unit_test(test_tftp_too_big),
		cmocka_unit_test(test_tftp_timeout),
		cmocka_unit_test(test_http),
		cmocka_unit_test(test_http_errors),
		cmocka_unit_test(test_fqdn_uses_given_address),
		cmocka_unit_test(test_interface),
		cmocka_unit_test(test_list_next_server),
		cmocka_unit_test(test_list_backoff_and_failure),
		cmocka_unit_test(test_stop_anytime),
		cmocka_unit_test(test_start_stop_many),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
