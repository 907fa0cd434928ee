/*
 * test_os_certboot.c: certificate bootstrapping (eue/certboot.c, spec
 * 6.6.5) against real `openssl s_server` processes on 127.0.0.1, in a
 * private network namespace when the test may make one (root).
 *
 * The test PKI is made here, fresh, with the OpenSSL API, in a temporary
 * directory: an operator root that signs the bootstrapping server's
 * certificate (SAN IP:127.0.0.1 and DNS:cbs.example.net), a rogue root
 * that signs an impostor server, and the device side as on a real board:
 * a device root, a manufacturer CA under it, the device certificate under
 * that (plus an expired one, and one under the rogue root).  The servers,
 * each started with -Verify (a client certificate is required) and -WWW
 * (files of the temporary directory over HTTP):
 *   P_OK          the operator's server, trusts the device root
 *   P_WRONGCA     the impostor: certificate from the rogue root
 *   P_NULL        offers only NULL-SHA (security level 0)
 *   P_UNTRUSTING  trusts only the rogue root, so refuses our device chain
 * plus a TCP listener of ours that never speaks TLS (timeouts, and proof
 * that nothing is sent with an expired certificate).  Every server is
 * stopped by its PID; without the openssl binary the tests are skipped
 * with the reason printed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
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

#include "eue/certboot.h"
#include "eue/devprofile.h"
#include "platform/board.h"
#include "platform/clock.h"
#include "platform/err.h"
#include "platform/loop.h"
#include "platform/net.h"
#include "platform/netlink.h"
#include "platform/nvram.h"

#define OPENSSL_BIN "/usr/bin/openssl"
#define P_OK 36443
#define P_WRONGCA 36444
#define P_NULL 36445
#define P_UNTRUSTING 36446
#define P_SILENT 36447     /* our listener: accepts TCP, never answers */
#define P_CLOSED 36448     /* nobody */
#define P_HTTP 36449       /* -HTTP: files hold whole HTTP answers */
#define BIG_LEN 200000u

static char dir[64];
static pid_t pid_ok = -1, pid_wrongca = -1, pid_null = -1, pid_untrusting = -1, pid_http = -1;
static const char *no_server;   /* reason to skip, or NULL */
static struct loop *l;
static int silent_fd = -1;

#define USER1 "<User><IMPI>user1@ims.example.net</IMPI><Password>s3cret</Password>" \
	      "<IMPU>sip:+15551230001@ims.example.net</IMPU></User>"
static const char profile_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<pktcEUEDevProfile version=\"1.0\">\n"
	"  <ProfileVersion>lab-1</ProfileVersion>\n  " USER1 "\n"
	"</pktcEUEDevProfile>\n";
static const char hostile_xml[] =
	"<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol \"lol\">\n"
	" <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
	" <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n]>\n"
	"<pktcEUEDevProfile><User><IMPI>&lol3;</IMPI></User></pktcEUEDevProfile>\n";

/* ---------------------------------------------------------------- the PKI */

static char *path_of(const char *name)
{
	static char buf[8][160];
	static unsigned k;
	char *p = buf[k++ % 8];

	(void)snprintf(p, 160, "%s/%s", dir, name);
	return p;
}

static void add_ext(X509 *x, X509V3_CTX *ctx, int nid, const char *value)
{
	X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, ctx, nid, value);

	assert_non_null(e);
	assert_int_equal(X509_add_ext(x, e, -1), 1);
	X509_EXTENSION_free(e);
}

/* A certificate for key, signed by issuer (NULL: self-signed), valid
 * [now + from_s, now + to_s]. */
static X509 *make_cert(const char *cn, EVP_PKEY *key, X509 *issuer, EVP_PKEY *ikey, int ca,
		       long from_s, long to_s, const char *san)
{
	static long serial = 1;
	X509 *x = X509_new();
	X509_NAME *n;
	X509V3_CTX v3;

	assert_non_null(x);
	assert_int_equal(X509_set_version(x, 2), 1);
	assert_int_equal(ASN1_INTEGER_set(X509_get_serialNumber(x), serial++), 1);
	assert_non_null(X509_gmtime_adj(X509_getm_notBefore(x), from_s));
	assert_non_null(X509_gmtime_adj(X509_getm_notAfter(x), to_s));
	assert_int_equal(X509_set_pubkey(x, key), 1);
	n = X509_get_subject_name(x);
	assert_int_equal(X509_NAME_add_entry_by_txt(n, "O", MBSTRING_ASC,
						    (const unsigned char *)"E-UE test PKI", -1, -1, 0), 1);
	assert_int_equal(X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC,
						    (const unsigned char *)cn, -1, -1, 0), 1);
	assert_int_equal(X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : n), 1);
	X509V3_set_ctx_nodb(&v3);
	X509V3_set_ctx(&v3, issuer ? issuer : x, x, NULL, NULL, 0);
	add_ext(x, &v3, NID_basic_constraints, ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
	add_ext(x, &v3, NID_key_usage, ca ? "critical,keyCertSign,cRLSign" :
					  "critical,digitalSignature,keyEncipherment");
	add_ext(x, &v3, NID_subject_key_identifier, "hash");
	if (issuer != NULL)
		add_ext(x, &v3, NID_authority_key_identifier, "keyid:always");
	if (san != NULL)
		add_ext(x, &v3, NID_subject_alt_name, san);
	assert_true(X509_sign(x, issuer ? ikey : key, EVP_sha256()) > 0);
	return x;
}

static void write_cert(const char *name, X509 *x)
{
	FILE *f = fopen(path_of(name), "w");

	assert_non_null(f);
	assert_int_equal(PEM_write_X509(f, x), 1);
	fclose(f);
}

static void write_key(const char *name, EVP_PKEY *k)
{
	FILE *f = fopen(path_of(name), "w");

	assert_non_null(f);
	assert_int_equal(PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL), 1);
	fclose(f);
}

static void write_file(const char *name, const void *p, size_t n)
{
	FILE *f = fopen(path_of(name), "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	fclose(f);
}

static void make_pki(void)
{
	const long year = 365L * 86400;
	/* RSA where TLS_RSA_WITH_* needs it (the server's key exchange) and for
	 * the device, as on a PacketCable board; P-256 for the CAs, whose keys
	 * only sign (RSA key generation costs seconds under qemu-arm) */
	EVP_PKEY *k_op = EVP_EC_gen("P-256"), *k_rogue = EVP_EC_gen("P-256"),
		 *k_srv = EVP_RSA_gen(2048), *k_devroot = EVP_EC_gen("P-256"),
		 *k_mfg = EVP_EC_gen("P-256"), *k_dev = EVP_RSA_gen(2048);
	X509 *op, *rogue, *srv, *imp, *devroot, *mfg, *dev, *expired, *rogue_dev;
	const char *san = "IP:127.0.0.1,DNS:cbs.example.net";

	assert_non_null(k_op);
	assert_non_null(k_rogue);
	assert_non_null(k_srv);
	assert_non_null(k_devroot);
	assert_non_null(k_mfg);
	assert_non_null(k_dev);
	op = make_cert("Operator Root CA", k_op, NULL, NULL, 1, -60, 10 * year, NULL);
	rogue = make_cert("Rogue Root CA", k_rogue, NULL, NULL, 1, -60, 10 * year, NULL);
	srv = make_cert("cbs.example.net", k_srv, op, k_op, 0, -60, year, san);
	imp = make_cert("cbs.example.net", k_srv, rogue, k_rogue, 0, -60, year, san);
	devroot = make_cert("Device Root CA", k_devroot, NULL, NULL, 1, -60, 20 * year, NULL);
	mfg = make_cert("Manufacturer CA", k_mfg, devroot, k_devroot, 1, -60, 20 * year, NULL);
	dev = make_cert("02:00:00:00:0e:01", k_dev, mfg, k_mfg, 0, -60, 20 * year, NULL);
	expired = make_cert("02:00:00:00:0e:01", k_dev, mfg, k_mfg, 0, -2 * year, -year, NULL);
	rogue_dev = make_cert("02:00:00:00:0e:01", k_dev, rogue, k_rogue, 0, -60, year, NULL);
	write_cert("op-root.pem", op);
	write_cert("rogue-root.pem", rogue);
	write_cert("srv.pem", srv);
	write_key("srv.key", k_srv);
	write_cert("impostor.pem", imp);
	write_cert("dev-root.pem", devroot);
	write_cert("mfg.pem", mfg);
	write_cert("device.pem", dev);
	write_key("device.key", k_dev);
	write_key("other.key", k_mfg);   /* a key that is not the device certificate's */
	write_cert("expired.pem", expired);
	write_cert("rogue-device.pem", rogue_dev);
	X509_free(op);
	X509_free(rogue);
	X509_free(srv);
	X509_free(imp);
	X509_free(devroot);
	X509_free(mfg);
	X509_free(dev);
	X509_free(expired);
	X509_free(rogue_dev);
	EVP_PKEY_free(k_op);
	EVP_PKEY_free(k_rogue);
	EVP_PKEY_free(k_srv);
	EVP_PKEY_free(k_devroot);
	EVP_PKEY_free(k_mfg);
	EVP_PKEY_free(k_dev);
}

/* ---------------------------------------------------------------- servers */

static pid_t spawn(char *const argv[], const char *log)
{
	pid_t p = fork();

	if (p == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int nul = open("/dev/null", O_RDONLY);

		prctl(PR_SET_PDEATHSIG, SIGTERM);   /* dies with the test */
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		if (nul >= 0)
			dup2(nul, 0);
		if (chdir(dir) != 0)   /* -WWW serves the current directory */
			_exit(126);
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

static int wait_port(unsigned port)
{
	char pat[16], line[256];
	int i;

	(void)snprintf(pat, sizeof(pat), ":%04X ", port);
	for (i = 0; i < 500; i++) {
		FILE *f = fopen("/proc/net/tcp", "r");

		if (f != NULL) {
			while (fgets(line, sizeof(line), f) != NULL) {
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

static pid_t s_server(unsigned port, const char *cert, const char *ca, const char *cipher,
		      const char *mode, const char *logname)
{
	char accept[32], log[160];
	char *argv[24];
	int n = 0;
	pid_t p;

	(void)snprintf(accept, sizeof(accept), "127.0.0.1:%u", port);
	(void)snprintf(log, sizeof(log), "%s.%s.log", dir, logname);
	argv[n++] = (char *)OPENSSL_BIN;
	argv[n++] = (char *)"s_server";
	argv[n++] = (char *)"-accept";
	argv[n++] = accept;
	argv[n++] = (char *)"-cert";
	argv[n++] = path_of(cert);
	argv[n++] = (char *)"-key";
	argv[n++] = path_of("srv.key");
	argv[n++] = (char *)"-CAfile";
	argv[n++] = path_of(ca);
	argv[n++] = (char *)"-Verify";   /* a client certificate is required */
	argv[n++] = (char *)"3";
	argv[n++] = (char *)"-verify_return_error";
	argv[n++] = (char *)mode;
	if (cipher != NULL) {
		argv[n++] = (char *)"-cipher";
		argv[n++] = (char *)cipher;
	}
	argv[n] = NULL;
	p = spawn(argv, log);
	if (wait_port(port) != 0)
		no_server = "openssl s_server did not start";
	return p;
}

/* Whole HTTP answers for the -HTTP server. */
#define A(name, text) { name, text, sizeof(text) - 1 }   /* bodies may hold NULs */
static const struct { const char *name, *text; size_t len; } answers[] = {
	A("r404", "HTTP/1.0 404 Not Found\r\nContent-Type: text/plain\r\n\r\nno such profile\n"),
	A("r302", "HTTP/1.1 302 Found\r\nLocation: https://127.0.0.1:36443/profile.xml\r\n\r\n"),
	A("rcl", "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: 31\r\n\r\n"
		 "<pktcEUEDevProfile>x</pktcEUE>\n"),
	A("rshort", "HTTP/1.0 200 OK\r\nContent-Length: 5000\r\n\r\n<pktcEUEDevProfile>"),
	A("rlong", "HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\n<pktcEUEDevProfile>"),
	A("rchunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
	A("rbigcl", "HTTP/1.0 200 OK\r\nContent-Length: 99999999\r\n\r\nx"),
	A("rbadcl", "HTTP/1.0 200 OK\r\nContent-Length: 12x\r\n\r\nx"),
	A("rstatus", "HTP/1.0 200 OK\r\n\r\nx"),
	A("rnohdrend", "HTTP/1.0 200 OK\r\nContent-Type: text/xml\r\n"),
	A("rnul", "HTTP/1.0 200 OK\r\nContent-Length: 3\r\n\r\na\0b"),
	A("rhdrnul", "HTTP/1.0 200 OK\r\nX: a\0b\r\n\r\nx"),
	A("rlf", "HTTP/1.0 200 OK\nContent-Length: 2\n\nok"),
};
#undef A

static int group_setup(void **state)
{
	uint8_t *big;
	size_t i;

	(void)state;
	if (unshare(CLONE_NEWNET) == 0) {
		int lo = net_if_index("lo");

		if (lo < 0 || nl_link_up((unsigned)lo) != 0)
			return -1;
	} else {
		printf("# not root: using the host's loopback\n");
	}
	(void)snprintf(dir, sizeof(dir), "/tmp/test_cb.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	make_pki();
	write_file("profile.xml", profile_xml, sizeof(profile_xml) - 1);
	write_file("hostile.xml", hostile_xml, sizeof(hostile_xml) - 1);
	for (i = 0; i < sizeof(answers) / sizeof(answers[0]); i++)
		write_file(answers[i].name, answers[i].text, answers[i].len);
	{
		/* a header that never ends within 8 KB */
		char h[9000];

		memset(h, 'a', sizeof(h));
		memcpy(h, "HTTP/1.0 200 OK\r\nX: ", strlen("HTTP/1.0 200 OK\r\nX: "));
		write_file("rhdrlong", h, sizeof(h));
	}
	big = malloc(BIG_LEN);
	assert_non_null(big);
	memset(big, 'x', BIG_LEN);
	write_file("big.xml", big, BIG_LEN);
	free(big);

	if (access(OPENSSL_BIN, X_OK) != 0) {
		no_server = "openssl (the CLI) not installed";
	} else {
		pid_ok = s_server(P_OK, "srv.pem", "dev-root.pem", NULL, "-WWW", "ok");
		pid_wrongca = s_server(P_WRONGCA, "impostor.pem", "dev-root.pem", NULL, "-WWW", "wrongca");
		pid_null = s_server(P_NULL, "srv.pem", "dev-root.pem", "NULL-SHA:@SECLEVEL=0", "-WWW",
				    "null");
		pid_untrusting = s_server(P_UNTRUSTING, "srv.pem", "rogue-root.pem", NULL, "-WWW",
					  "untrusting");
		pid_http = s_server(P_HTTP, "srv.pem", "dev-root.pem", NULL, "-HTTP", "http");
	}
	if (no_server)
		printf("# SKIP server tests: %s\n", no_server);

	/* a TCP listener that never accepts: the kernel completes the
	 * connection, nobody ever answers the ClientHello */
	silent_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	assert_true(silent_fd >= 0);
	{
		struct sockaddr_in sa;

		memset(&sa, 0, sizeof(sa));
		sa.sin_family = AF_INET;
		sa.sin_port = htons(P_SILENT);
		sa.sin_addr.s_addr = htonl(0x7f000001);
		assert_int_equal(bind(silent_fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
		assert_int_equal(listen(silent_fd, 4), 0);
	}
	l = loop_new();
	return l ? 0 : -1;
}

static int group_teardown(void **state)
{
	char cmd[200];

	(void)state;
	stop(&pid_ok);
	stop(&pid_wrongca);
	stop(&pid_null);
	stop(&pid_untrusting);
	stop(&pid_http);
	if (silent_fd >= 0)
		close(silent_fd);
	loop_free(l);
	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s'.*.log", dir, dir);
	if (strncmp(dir, "/tmp/test_cb.", 13) == 0 && system(cmd) != 0)
		return -1;
	return 0;
}

/* ---------------------------------------------------------------- harness */

struct result {
	int called, rc, reason, http_status;
	char why[256], suite[64], version[16];
	uint8_t body[CERTBOOT_MAX_SIZE_DEFAULT];
	size_t len;
	struct certboot *stop_me;
};

static void on_done(void *arg, const struct certboot_result *r)
{
	struct result *res = arg;

	res->called++;
	res->rc = r->rc;
	res->reason = r->reason;
	res->http_status = r->http_status;
	(void)snprintf(res->why, sizeof(res->why), "%s", r->why);
	(void)snprintf(res->suite, sizeof(res->suite), "%s", r->suite ? r->suite : "");
	(void)snprintf(res->version, sizeof(res->version), "%s", r->tls_version ? r->tls_version : "");
	res->len = r->len;
	if (r->body != NULL && r->len <= sizeof(res->body))
		memcpy(res->body, r->body, r->len);
	if (res->stop_me != NULL)
		certboot_stop(res->stop_me);   /* from inside done(): allowed */
}

static void base_config(struct certboot_config *c, unsigned port, const char *path)
{
	struct board_conf b;

	memset(&b, 0, sizeof(b));   /* every key board.conf does not name is "" (board_parse) */
	(void)snprintf(b.cert_device, sizeof(b.cert_device), "%s", path_of("device.pem"));
	(void)snprintf(b.key_device, sizeof(b.key_device), "%s", path_of("device.key"));
	(void)snprintf(b.cert_mfg, sizeof(b.cert_mfg), "%s", path_of("mfg.pem"));
	(void)snprintf(b.cert_kdc_root, sizeof(b.cert_kdc_root), "%s", path_of("op-root.pem"));
	certboot_config_from_board(c, &b);
	/* the strings of b die with this frame: copy them into statics */
	{
		static char cert[BOARD_PATH], key[BOARD_PATH], mfg[BOARD_PATH], ca[BOARD_PATH];

		(void)snprintf(cert, sizeof(cert), "%s", c->cert_file);
		(void)snprintf(key, sizeof(key), "%s", c->key_file);
		(void)snprintf(mfg, sizeof(mfg), "%s", c->chain[0]);
		(void)snprintf(ca, sizeof(ca), "%s", c->ca_file);
		c->cert_file = cert;
		c->key_file = key;
		c->chain[0] = mfg;
		c->ca_file = ca;
	}
	assert_int_equal(net_addr_parse("127.0.0.1", &c->server), 0);
	c->server.port = (uint16_t)port;
	c->path = path;
	c->timeout_ms = 10000;
}

static void run(const struct certboot_config *c, struct result *r, int stop_inside)
{
	struct certboot *cb;
	uint64_t end;
	int err = 1;

	memset(r, 0, sizeof(*r));
	cb = certboot_start(l, c, on_done, r, &err);
	assert_non_null(cb);
	assert_int_equal(err, 0);
	assert_int_equal(r->called, 0);   /* never from inside certboot_start() */
	if (stop_inside)
		r->stop_me = cb;
	end = clock_mono_ms() + 20000;
	while (!r->called && clock_mono_ms() < end)
		assert_int_equal(loop_run_once(l, 50), 0);
	assert_int_equal(r->called, 1);
	if (!stop_inside)
		certboot_stop(cb);
	/* nothing left on the loop */
	assert_int_equal(loop_fd_count(l), 0);
	assert_int_equal(loop_timer_count(l), 0);
	print_message("    -> %s rc %d: %s\n", certboot_reason_str(r->reason), r->rc,
		      r->why[0] ? r->why : r->suite);
}

#define NEED() do { if (no_server) { print_message("skipped: %s\n", no_server); skip(); } } while (0)

/* ---------------------------------------------------------------- tests */

static void test_success_and_store(void **state)
{
	static struct result r;
	struct certboot_config c;
	struct nvram *nv;
	struct devprofile p;
	struct dp_error e;
	char nvdir[128];

	(void)state;
	NEED();
	base_config(&c, P_OK, "/profile.xml");
	run(&c, &r, 0);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.reason, CB_R_OK);
	assert_int_equal(r.http_status, 200);
	assert_string_equal(r.suite, "AES128-SHA");   /* TLS_RSA_WITH_AES_128_CBC_SHA */
	assert_string_equal(r.version, "TLSv1.2");
	assert_int_equal(r.len, sizeof(profile_xml) - 1);
	assert_memory_equal(r.body, profile_xml, r.len);

	/* parse and store; read back after a "reboot" */
	(void)snprintf(nvdir, sizeof(nvdir), "%s/nvram-ok", dir);
	assert_int_equal(nvram_open(&nv, nvdir, NULL), 0);
	assert_int_equal(devprofile_store(nv, r.body, r.len, &p, &e), 0);
	assert_string_equal(p.version, "lab-1");
	nvram_close(nv);
	assert_int_equal(nvram_open(&nv, nvdir, NULL), 0);
	memset(&p, 0, sizeof(p));
	assert_int_equal(devprofile_load(nv, &p, &e), 0);
	assert_int_equal(p.n_users, 1);
	assert_string_equal(p.users[0].impi, "user1@ims.example.net");
	assert_string_equal(p.users[0].impu[0], "sip:+15551230001@ims.example.net");
	nvram_close(nv);
}

static void test_success_by_name_and_stop_inside(void **state)
{
	static struct result r;
	struct certboot_config c;

	(void)state;
	NEED();
	base_config(&c, P_OK, "/profile.xml");
	c.host = "cbs.example.net";   /* checked against the DNS SAN; SNI sent */
	run(&c, &r, 1);
	assert_int_equal(r.rc, 0);
	assert_memory_equal(r.body, profile_xml, r.len);
	c.host = "127.0.0.1";         /* a literal: the iPAddress SAN */
	run(&c, &r, 0);
	assert_int_equal(r.rc, 0);
}

static void test_wrong_server_ca(void **state)
{
	static struct result r;
	struct certboot_config c;

	(void)state;
	NEED();
	base_config(&c, P_WRONGCA, "/profile.xml");
	run(&c, &r, 0);
	assert_int_equal(r.rc, E_AUTH);
	assert_int_equal(r.reason, CB_R_SERVER_UNTRUSTED);
	assert_non_null(strstr(r.why, "unable to get local issuer certificate"));
	assert_non_null(strstr(r.why, "CN=cbs.example.net (depth 0)"));
	assert_int_equal(r.len, 0);
}

static void test_server_name_mismatch(void **state)
{
	static struct result r;
	struct certboot_config c;

	(void)state;
	NEED();
	base_config(&c, P_OK, "/profile.xml");
	c.host = "other.example.net";
	run(&c, &r, 0);
	assert_int_equal(r.reason, CB_R_SERVER_UNTRUSTED);
	assert_non_null(strstr(r.why, "hostname mismatch"));
	/* the same server, name check off: chains to the root, accepted */
	c.no_name_check = 1;
	run(&c, &r, 0);
	assert_int_equal(r.rc, 0);
}

static void test_expired_device_cert(void **state)
{
	static struct result r;
	struct certboot_config c;
	struct sockaddr_in peer;
	socklen_t pl = sizeof(peer);

	(void)state;
	/* pointed at our silent listener: if anything connected, accept() sees it */
	base_config(&c, P_SILENT, "/profile.xml");
	c.cert_file = path_of("expired.pem");
	run(&c, &r, 0);
	assert_int_equal(r.rc, E_AUTH);
	assert_int_equal(r.reason, CB_R_DEVICE_CERT);
	assert_non_null(strstr(r.why, "expired"));
	assert_int_equal(accept(silent_fd, (struct sockaddr *)&peer, &pl), -1);
	assert_int_equal(errno, EAGAIN);   /* nothing was even connected */

	/* a valid certificate, but the eUE's clock (walltime) says 2100 */
	base_config(&c, P_SILENT, "/profile.xml");
	c.now_unix = 4102444800LL;
	run(&c, &r, 0);
	assert_int_equal(r.reason, CB_R_DEVICE_CERT);
	/* ... or 1990: not yet valid */
	c.now_unix = 631152000LL;
	run(&c, &r, 0);
	assert_int_equal(r.reason, CB_R_DEVICE_CERT);
	assert_non_null(strstr(r.why, "not yet valid"));
	assert_int_equal(accept(silent_fd, (struct sockaddr *)&peer, &pl), -1);
}

static void test_key_mismatch(void **state)
{
	static struct result r;
	struct certboot_config c;

	(void)state;
	base_config(&c, P_SILENT, "/profile.xml");
	c.key_file = path_of("other.key");
	run(&c, &r, 0);
	assert_int_equal(r.reason, CB_R_DEVICE_CERT);
	c.key_file = path_of("missing.key");
	run(&c, &r, 0);
	assert_int_equal(r.reason, CB_R_DEVICE_CERT);
}

static void test_server_refuses_device_cert(void **state)
{
	static struct result r;
	struct certboot_config c;

	(void)state;
	NEED();
	/* the server trusts only the rogue root: our chain is unknown to it */
	base_config(&c, P_UNTRUSTING, "/profile.xml");
	run(&c, &r, 0);
	assert_int_equal(r.rc, E_AUTH);
	assert_int_equal(r.reason, CB_R_CERT_REJECTED);
	assert_non_null(strstr(r.why, "unknown CA"));
}

static void test_null_cipher_server(void **state)
{
	static struct result r;
	struct certboot_config c;

	(void)state;
	NEED();
	base_config(&c, P_NULL, "/profile.xml");
	run(&c, &r, 0);
	assert_int_equal(r.rc, E_AUTH);
	assert_int_equal(r.reason, CB_R_NO_CIPHER);
	assert_non_null(strstr(r.why, "AES128-SHA"));
}

static void http_case(const char *path, int reason, int rc, const char *why)
{
	static struct result r;
	struct certboot_config c;

	base_config(&c, P_HTTP, path);
	run(&c, &r, 0);
	assert_int_equal(r.reason, reason);
	assert_int_equal(r.rc, rc);
	if (why != NULL && strstr(r.why, why) == NULL)
		fail_msg("%s: \"%s\" lacks \"%s\"", path, r.why, why);
}

static void test_http_answers(void **state)
{
	static struct result r;
	struct certboot_config c;

	(void)state;
	NEED();
	http_case("/r404", CB_R_HTTP_STATUS, E_NOTFOUND, "http status 404");
	http_case("/r302", CB_R_HTTP_STATUS, E_PROTO, "http status 302");   /* no redirects */
	http_case("/rshort", CB_R_HTTP, E_PROTO, "closed after 19 of 5000 bytes");
	http_case("/rlong", CB_R_HTTP, E_PROTO, "more bytes than Content-Length");
	http_case("/rchunked", CB_R_HTTP, E_PROTO, "Transfer-Encoding");
	http_case("/rbigcl", CB_R_TOO_LARGE, E_OVERFLOW, "99999999 bytes announced");
	http_case("/rbadcl", CB_R_HTTP, E_PROTO, "Content-Length");
	http_case("/rstatus", CB_R_HTTP, E_PROTO, "status line");
	http_case("/rnohdrend", CB_R_HTTP, E_PROTO, "before the HTTP header ended");
	http_case("/rhdrnul", CB_R_HTTP, E_PROTO, "NUL byte");
	http_case("/rhdrlong", CB_R_HTTP, E_PROTO, "longer than 8192");
	/* a body may hold any byte; a bare-LF header is tolerated */
	base_config(&c, P_HTTP, "/rnul");
	run(&c, &r, 0);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.len, 3);
	assert_memory_equal(r.body, "a\0b", 3);
	base_config(&c, P_HTTP, "/rlf");
	run(&c, &r, 0);
	assert_int_equal(r.rc, 0);
	assert_memory_equal(r.body, "ok", 2);
	/* Content-Length honoured: the body ends there */
	base_config(&c, P_HTTP, "/rcl");
	run(&c, &r, 0);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.len, 31);
	assert_memory_equal(r.body, "<pktcEUEDevProfile>x</pktcEUE>\n", 31);
}

static void test_too_large(void **state)
{
	static struct result r;
	struct certboot_config c;

	(void)state;
	NEED();
	base_config(&c, P_OK, "/big.xml");   /* 200 KB, no Content-Length from -WWW */
	run(&c, &r, 0);
	assert_int_equal(r.rc, E_OVERFLOW);
	assert_int_equal(r.reason, CB_R_TOO_LARGE);
	/* a smaller bound refuses the small profile too */
	base_config(&c, P_OK, "/profile.xml");
	c.max_size = 50;
	run(&c, &r, 0);
	assert_int_equal(r.reason, CB_R_TOO_LARGE);
}

static void test_timeout_and_refused(void **state)
{
	static struct result r;
	struct certboot_config c;
	uint64_t t0;

	(void)state;
	base_config(&c, P_SILENT, "/profile.xml");
	c.timeout_ms = 400;
	t0 = clock_mono_ms();
	run(&c, &r, 0);
	assert_int_equal(r.rc, E_TIMEOUT);
	assert_int_equal(r.reason, CB_R_TIMEOUT);
	assert_true(clock_mono_ms() - t0 >= 390);
	assert_non_null(strstr(r.why, "handshake"));
	{
		/* drain the connection the kernel queued for us */
		int fd = accept(silent_fd, NULL, NULL);

		if (fd >= 0)
			close(fd);
	}
	base_config(&c, P_CLOSED, "/profile.xml");
	run(&c, &r, 0);
	assert_int_equal(r.rc, E_IO);
	assert_int_equal(r.reason, CB_R_CONNECT);
}

static void test_hostile_profile_nothing_stored(void **state)
{
	static struct result r;
	struct certboot_config c;
	struct nvram *nv;
	struct dp_error e;
	char nvdir[128];
	uint8_t raw[64];
	size_t len;

	(void)state;
	NEED();
	base_config(&c, P_OK, "/hostile.xml");
	run(&c, &r, 0);
	assert_int_equal(r.rc, 0);   /* TLS and HTTP were fine */
	(void)snprintf(nvdir, sizeof(nvdir), "%s/nvram-hostile", dir);
	assert_int_equal(nvram_open(&nv, nvdir, NULL), 0);
	assert_int_equal(devprofile_store(nv, r.body, r.len, NULL, &e), E_UNSUPPORTED);
	assert_int_equal(e.code, DP_E_DTD);
	assert_int_equal(nvram_get(nv, DEVPROFILE_NVRAM_KEY, raw, sizeof(raw), &len), E_NOTFOUND);
	nvram_close(nv);
}

static void test_bad_config_and_stop(void **state)
{
	struct certboot_config c;
	struct result *r = calloc(1, sizeof(*r));
	struct certboot *cb;
	int err = 0;

	(void)state;
	assert_non_null(r);
	base_config(&c, P_SILENT, "profile.xml");   /* no leading '/' */
	assert_null(certboot_start(l, &c, on_done, r, &err));
	assert_int_equal(err, E_INVAL);
	base_config(&c, P_SILENT, "/a b");          /* a space: header injection */
	assert_null(certboot_start(l, &c, on_done, r, &err));
	base_config(&c, P_SILENT, "/x");
	c.host = "evil\r\nX-Injected: 1";
	assert_null(certboot_start(l, &c, on_done, r, &err));
	base_config(&c, P_SILENT, "/x");
	c.host = "cbs.example.net:443";             /* the port goes in server.port */
	assert_null(certboot_start(l, &c, on_done, r, &err));
	base_config(&c, P_SILENT, "/x");
	c.ca_file = NULL;
	assert_null(certboot_start(l, &c, on_done, r, &err));
	/* stopped before anything happened: no callback, nothing left behind */
	base_config(&c, P_SILENT, "/x");
	cb = certboot_start(l, &c, on_done, r, &err);
	assert_non_null(cb);
	certboot_stop(cb);
	assert_int_equal(loop_fd_count(l), 0);
	assert_int_equal(loop_timer_count(l), 0);
	(void)loop_run_once(l, 10);
	assert_int_equal(r->called, 0);
	certboot_stop(NULL);
	{
		int fd = accept(silent_fd, NULL, NULL);

		if (fd >= 0)
			close(fd);
	}
	free(r);
	assert_non_null(strstr(certboot_suites(), "AES128-SHA"));
	assert_null(strstr(certboot_suites(), "NULL"));
	print_message("    offered suites: %s\n", certboot_suites());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_success_and_store),
		cmocka_unit_test(test_success_by_name_and_stop_inside),
		cmocka_unit_test(test_wrong_server_ca),
		cmocka_unit_test(test_server_name_mismatch),
		cmocka_unit_test(test_expired_device_cert),
		cmocka_unit_test(test_key_mismatch),
		cmocka_unit_test(test_server_refuses_device_cert),
		cmocka_unit_test(test_null_cipher_server),
		cmocka_unit_test(test_http_answers),
		cmocka_unit_test(test_too_large),
		cmocka_unit_test(test_timeout_and_refused),
		cmocka_unit_test(test_hostile_profile_nothing_stored),
		cmocka_unit_test(test_bad_config_and_stop),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
