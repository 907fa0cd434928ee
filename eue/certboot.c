/*
 * certboot.c: certificate bootstrapping's TLS + HTTP fetch (see
 * certboot.h for the policy and why OpenSSL is used directly).  May touch
 * the loop, platform/net and OpenSSL; knows nothing of the flow, the MIB or
 * the profile's contents.
 *
 * Shape: one non-blocking TCP socket on the loop; OpenSSL's SSL object
 * reads from one memory BIO (bytes we received) and writes to another
 * (bytes we must send), and on_fd() moves bytes between the socket and the
 * BIOs, then drive() advances the one state machine: CONNECT -> HANDSHAKE
 * -> REQUEST -> RESPONSE -> DONE.  A message callback notes the records
 * that tell failures apart (the server's alert, whether a ServerHello came,
 * whether we sent our Certificate).  done() is only ever called from a loop
 * callback (the early failures of certboot_start() go through a 0 ms
 * timer), with every watch and timer already released.
 */
#include "eue/certboot.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "platform/board.h"
#include "platform/err.h"
#include "platform/log.h"

/* TLS_RSA_WITH_AES_128_CBC_SHA (RFC 3268), TLS_RSA_WITH_3DES_EDE_CBC_SHA
 * (RFC 2246): the two suites 6.6.5 requires, and only those. */
#define CB_CIPHERS "AES128-SHA:DES-CBC3-SHA:!eNULL:!aNULL"
#define CB_HDR_MAX 8192
#define CB_RX_CHUNK 16384

enum cb_phase { PH_CONNECT, PH_HANDSHAKE, PH_REQUEST, PH_RESPONSE, PH_DONE };

struct certboot {
	struct loop *loop;
	certboot_done_fn *done;
	void *arg;
	SSL_CTX *ctx;
	SSL *ssl;
	BIO *rbio, *wbio;             /* owned by ssl */
	int fd;
	unsigned watching;            /* events asked of the loop, 0 = none */
	struct loop_timer timeout, kick;
	enum cb_phase phase;
	uint32_t timeout_ms;
	char peer[80];                /* "addr:port" for messages */
	/* the request */
	char req[CERTBOOT_PATH_MAX + CERTBOOT_HOST_MAX + 128];
	size_t req_len;
	/* the response */
	char hdr[CB_HDR_MAX + 1];
	size_t hdr_len;
	int hdr_done;
	long long content_length;     /* -1: not given */
	uint8_t *body;
	size_t body_len, body_cap, max_size;
	int eof;                      /* the server closed TCP */
	/* what the handshake showed */
	int peer_alert;               /* the server's alert description, -1: none */
	char bad_cert[200];           /* the server certificate our check refused, and why */
	int got_server_hello, sent_cert;
	/* the outcome */
	struct certboot_result res;
	int in_done, stop_req;
};

static const char *const cb_reason_names[CB_R__COUNT] = {
	[CB_R_OK] = "ok",
	[CB_R_DEVICE_CERT] = "device-cert",
	[CB_R_CONNECT] = "connect",
	[CB_R_SERVER_UNTRUSTED] = "server-untrusted",
	[CB_R_CERT_REJECTED] = "cert-rejected",
	[CB_R_NO_CIPHER] = "no-common-cipher",
	[CB_R_WEAK_CIPHER] = "weak-cipher",
	[CB_R_TLS] = "tls",
	[CB_R_HTTP_STATUS] = "http-status",
	[CB_R_HTTP] = "http",
	[CB_R_TOO_LARGE] = "too-large",
	[CB_R_TIMEOUT] = "timeout",
	[CB_R_NOMEM] = "nomem",
};
_Static_assert(sizeof(cb_reason_names) / sizeof(cb_reason_names[0]) == CB_R__COUNT, "names");

const char *certboot_reason_str(int reason)
{
	if (reason < 0 || reason >= CB_R__COUNT)
		return "?";
	return cb_reason_names[reason];
}

void certboot_config_from_board(struct certboot_config *c, const struct board_conf *b)
{
	memset(c, 0, sizeof(*c));
	c->cert_file = b->cert_device;
	c->key_file = b->key_device;
	if (b->cert_mfg[0] != '\0')
		c->chain[0] = b->cert_mfg;
	c->ca_file = b->cert_cb_root[0] != '\0' ? b->cert_cb_root : b->cert_kdc_root;
}

/* ---------------------------------------------------------------- the URL */

static int url_fail(const char **why, const char *w, int rc)
{
	if (why != NULL)
		*why = w;
	return rc;
}

/* An FQDN: labels of 1..63 letters, digits and '-', not at a label's ends. */
static int fqdn_ok(const char *h, size_t n)
{
	size_t i, label = 0;

	if (n == 0 || n > 253 || h[0] == '.' )
		return 0;
	for (i = 0; i < n; i++) {
		char ch = h[i];

		if (ch == '.') {
			if (label == 0 || h[i - 1] == '-')
				return 0;
			label = 0;
			continue;
		}
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		      ch == '-'))
			return 0;
		if (ch == '-' && label == 0)
			return 0;
		if (++label > 63)
			return 0;
	}
	return h[n - 1] != '-';
}

int certboot_url_parse(const char *text, size_t len, struct certboot_url *u, const char **why)
{
	const char *p = text, *end = text + len, *h, *hend;
	size_t i;

	if (u == NULL || (text == NULL && len > 0))
		return E_INVAL;
	memset(u, 0, sizeof(u[0]));
	if (why != NULL)
		*why = NULL;
	if (len > CERTBOOT_PATH_MAX)
		return url_fail(why, "longer than 1023 bytes", E_RANGE);
	for (i = 0; i < len; i++)
		if ((unsigned char)text[i] <= 0x20 || text[i] == 0x7f)
			return url_fail(why, "white space or control character", E_PROTO);
	if (len < 8 || strncasecmp(p, "https://", 8) != 0)
		return url_fail(why, "not an https:// URL", E_PROTO);
	p += 8;
	h = p;
	while (p < end && *p != '/' && *p != '?' && *p != '#')
		p++;
	hend = p;   /* authority = [h, hend) */
	if (memchr(h, '@', (size_t)(hend - h)) != NULL)
		return url_fail(why, "userinfo is not allowed", E_PROTO);
	u->port = CERTBOOT_PORT_DEFAULT;
	{
		const char *hs = h, *he, *colon = NULL;

		if (hs < hend && *hs == '[') {
			he = memchr(hs, ']', (size_t)(hend - hs));
			if (he == NULL)
				return url_fail(why, "unterminated IPv6 literal", E_PROTO);
			if (he + 1 < hend && he[1] != ':')
				return url_fail(why, "junk after the IPv6 literal", E_PROTO);
			colon = he + 1 < hend ? he + 1 : NULL;
			hs++;
		} else {
			colon = memchr(hs, ':', (size_t)(hend - hs));
			he = colon ? colon : hend;
		}
		if (he == hs || (size_t)(he - hs) > CERTBOOT_HOST_MAX)
			return url_fail(why, "empty or over-long host", E_PROTO);
		memcpy(u->host, hs, (size_t)(he - hs));
		u->host[he - hs] = '\0';
		if (colon != NULL) {
			unsigned long port = 0;
			const char *d;

			if (colon + 1 == hend)
				return url_fail(why, "empty port", E_PROTO);
			for (d = colon + 1; d < hend; d++) {
				if (*d < '0' || *d > '9' || d - colon > 5)
					return url_fail(why, "bad port", E_PROTO);
				port = port * 10 + (unsigned long)(*d - '0');
			}
			if (port == 0 || port > 65535)
				return url_fail(why, "port out of range", E_RANGE);
			u->port = (uint16_t)port;
		}
		if (h[0] == '[') {
			if (strchr(u->host, ':') == NULL || net_addr_parse(u->host, &u->addr) != 0 ||
			    u->addr.family != AF_INET6)
				return url_fail(why, "bad IPv6 literal", E_PROTO);
			u->literal = 1;
		} else if (net_addr_parse(u->host, &u->addr) == 0 && u->addr.family == AF_INET) {
			u->literal = 1;
		} else {
			memset(&u->addr, 0, sizeof(u->addr));
			if (!fqdn_ok(u->host, strlen(u->host)) || strspn(u->host, "0123456789.") ==
			    strlen(u->host))
				return url_fail(why, "host is neither an FQDN nor an address", E_PROTO);
		}
		if (u->literal)
			u->addr.port = u->port;
	}
	if (memchr(hend, '#', (size_t)(end - hend)) != NULL)
		return url_fail(why, "fragment is not allowed", E_PROTO);
	if (hend == end)
		(void)snprintf(u->path, sizeof(u->path), "/");
	else if (*hend == '?')
		(void)snprintf(u->path, sizeof(u->path), "/%.*s", (int)(end - hend), hend);
	else
		(void)snprintf(u->path, sizeof(u->path), "%.*s", (int)(end - hend), hend);
	return 0;
}

/* ---------------------------------------------------------------- outcome */

static void cb_release_io(struct certboot *cb)
{
	if (cb->fd >= 0) {
		if (cb->watching)
			loop_unwatch_fd(cb->loop, cb->fd);
		net_close(cb->fd);
		cb->fd = -1;
	}
	cb->watching = 0;
	loop_timer_cancel(cb->loop, &cb->timeout);
	loop_timer_cancel(cb->loop, &cb->kick);
}

static void cb_free(struct certboot *cb)
{
	cb_release_io(cb);
	SSL_free(cb->ssl);   /* frees both BIOs */
	SSL_CTX_free(cb->ctx);
	free(cb->body);
	free(cb);
}

/* Report once (from a loop callback): release the I/O first, so done()
 * may start another exchange or stop this one. */
static void cb_deliver(struct certboot *cb)
{
	cb->phase = PH_DONE;
	cb_release_io(cb);
	if (cb->res.rc == 0)
		log_info("certboot: %s: profile of %zu bytes (%s, %s)", cb->peer, cb->res.len,
			 cb->res.tls_version ? cb->res.tls_version : "?",
			 cb->res.suite ? cb->res.suite : "?");
	else
		log_warnx("certboot: %s: %s: %s", cb->peer, certboot_reason_str(cb->res.reason),
			  cb->res.why);
	cb->in_done = 1;
	cb->done(cb->arg, &cb->res);
	cb->in_done = 0;
	if (cb->stop_req)
		cb_free(cb);
}

static int cb_rc_of(int reason)
{
	switch (reason) {
	case CB_R_DEVICE_CERT:
	case CB_R_SERVER_UNTRUSTED:
	case CB_R_CERT_REJECTED:
	case CB_R_NO_CIPHER:
	case CB_R_WEAK_CIPHER:
		return E_AUTH;
	case CB_R_CONNECT: return E_IO;
	case CB_R_TOO_LARGE: return E_OVERFLOW;
	case CB_R_TIMEOUT: return E_TIMEOUT;
	case CB_R_NOMEM: return E_NOMEM;
	default: return E_PROTO;
	}
}

static void cb_set_fail(struct certboot *cb, int reason, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void cb_set_fail(struct certboot *cb, int reason, const char *fmt, ...)
{
	va_list ap;

	cb->res.rc = cb_rc_of(reason);
	if (reason == CB_R_HTTP_STATUS && cb->res.http_status == 404)
		cb->res.rc = E_NOTFOUND;
	cb->res.reason = reason;
	cb->res.body = NULL;
	cb->res.len = 0;
	va_start(ap, fmt);
	(void)vsnprintf(cb->res.why, sizeof(cb->res.why), fmt, ap);
	va_end(ap);
}

#define cb_fail(cb, ...) do { cb_set_fail((cb), __VA_ARGS__); cb_deliver(cb); } while (0)

/* OpenSSL's first queued error as text (and clear the queue). */
static const char *ssl_err_text(char *buf, size_t cap)
{
	unsigned long e = ERR_get_error();

	if (e == 0) {
		(void)snprintf(buf, cap, "unknown error");
	} else {
		ERR_error_string_n(e, buf, cap);
	}
	ERR_clear_error();
	return buf;
}

/* ---------------------------------------------------------------- TLS setup */

static void cb_msg(int write_p, int version, int content_type, const void *buf, size_t len,
		   SSL *ssl, void *arg)
{
	struct certboot *cb = arg;
	const uint8_t *p = buf;

	(void)version;
	(void)ssl;
	if (content_type == SSL3_RT_ALERT && len == 2 && !write_p && p[1] != SSL_AD_CLOSE_NOTIFY)
		cb->peer_alert = p[1];
	else if (content_type == SSL3_RT_HANDSHAKE && len >= 1) {
		if (!write_p && p[0] == SSL3_MT_SERVER_HELLO)
			cb->got_server_hello = 1;
		if (write_p && p[0] == SSL3_MT_CERTIFICATE)
			cb->sent_cert = 1;
	}
}

static const char *asn1_time_text(const ASN1_TIME *t, char *buf, size_t cap)
{
	BIO *m = BIO_new(BIO_s_mem());
	char *p;
	long n;

	buf[0] = '\0';
	if (m != NULL && ASN1_TIME_print(m, t) == 1) {
		n = BIO_get_mem_data(m, &p);
		if (n > 0)
			(void)snprintf(buf, cap, "%.*s", (int)n, p);
	}
	BIO_free(m);
	return buf;
}

/* OpenSSL's chain check, step by step: remember the first certificate it
 * refuses (subject and depth) for the message; the verdict stays OpenSSL's. */
static int cb_verify(int ok, X509_STORE_CTX *x)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(x, SSL_get_ex_data_X509_STORE_CTX_idx());
	struct certboot *cb = ssl ? SSL_get_app_data(ssl) : NULL;
	X509 *cert = X509_STORE_CTX_get_current_cert(x);

	if (!ok && cb != NULL && cb->bad_cert[0] == '\0') {
		char subj[160] = "?";

		if (cert != NULL)
			X509_NAME_oneline(X509_get_subject_name(cert), subj, sizeof(subj));
		(void)snprintf(cb->bad_cert, sizeof(cb->bad_cert), "%s (depth %d)", subj,
			       X509_STORE_CTX_get_error_depth(x));
	}
	return ok;
}

/* Add every certificate of a PEM file to the chain we send. */
static int cb_add_chain(SSL_CTX *ctx, const char *path)
{
	BIO *in = BIO_new_file(path, "r");
	X509 *x;
	int n = 0;

	if (in == NULL)
		return -1;
	while ((x = PEM_read_bio_X509(in, NULL, NULL, NULL)) != NULL) {
		if (SSL_CTX_add0_chain_cert(ctx, x) != 1) {
			X509_free(x);
			BIO_free(in);
			return -1;
		}
		n++;
	}
	ERR_clear_error();   /* the end of the file reads as "no start line" */
	BIO_free(in);
	return n > 0 ? 0 : -1;
}

/* The context: the policy, our identity, the operator root.  On failure
 * cb->res says why (the caller reports it from the loop). */
static int cb_make_ctx(struct certboot *cb, const struct certboot_config *c)
{
	char e[256], t[64];
	SSL_CTX *ctx;
	X509 *me;
	time_t now = c->now_unix ? (time_t)c->now_unix : time(NULL);
	unsigned i;

	ERR_clear_error();
	ctx = cb->ctx = SSL_CTX_new(TLS_client_method());
	if (ctx == NULL) {
		cb_set_fail(cb, CB_R_NOMEM, "cannot make a TLS context: %s", ssl_err_text(e, sizeof(e)));
		return -1;
	}
	if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
	    SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION) != 1 ||
	    SSL_CTX_set_cipher_list(ctx, CB_CIPHERS) != 1 ||
	    SSL_CTX_set_ciphersuites(ctx, "") != 1) {
		cb_set_fail(cb, CB_R_TLS, "TLS policy refused by OpenSSL: %s", ssl_err_text(e, sizeof(e)));
		return -1;
	}
	SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_TICKET);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, cb_verify);
	/* only the operator root: never SSL_CTX_set_default_verify_paths() */
	if (SSL_CTX_load_verify_locations(ctx, c->ca_file, NULL) != 1) {
		cb_set_fail(cb, CB_R_TLS, "cannot load the operator root %s: %s", c->ca_file,
			    ssl_err_text(e, sizeof(e)));
		return -1;
	}
	if (c->now_unix)
		X509_VERIFY_PARAM_set_time(SSL_CTX_get0_param(ctx), now);

	/* our identity, checked before anything is sent */
	if (SSL_CTX_use_certificate_file(ctx, c->cert_file, SSL_FILETYPE_PEM) != 1) {
		cb_set_fail(cb, CB_R_DEVICE_CERT, "device certificate %s unusable: %s", c->cert_file,
			    ssl_err_text(e, sizeof(e)));
		return -1;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, c->key_file, SSL_FILETYPE_PEM) != 1 ||
	    SSL_CTX_check_private_key(ctx) != 1) {
		cb_set_fail(cb, CB_R_DEVICE_CERT, "device key %s unusable or not the certificate's: %s",
			    c->key_file, ssl_err_text(e, sizeof(e)));
		return -1;
	}
	me = SSL_CTX_get0_certificate(ctx);
	if (me == NULL) {
		cb_set_fail(cb, CB_R_DEVICE_CERT, "no device certificate");
		return -1;
	}
	if (X509_cmp_time(X509_get0_notAfter(me), &now) <= 0) {
		cb_set_fail(cb, CB_R_DEVICE_CERT, "device certificate expired (notAfter %s)",
			    asn1_time_text(X509_get0_notAfter(me), t, sizeof(t)));
		return -1;
	}
	if (X509_cmp_time(X509_get0_notBefore(me), &now) >= 0) {
		cb_set_fail(cb, CB_R_DEVICE_CERT, "device certificate not yet valid (notBefore %s)",
			    asn1_time_text(X509_get0_notBefore(me), t, sizeof(t)));
		return -1;
	}
	for (i = 0; i < CERTBOOT_CHAIN_MAX && c->chain[i] != NULL; i++)
		if (cb_add_chain(ctx, c->chain[i]) != 0) {
			cb_set_fail(cb, CB_R_DEVICE_CERT, "certificate chain file %s unusable: %s",
				    c->chain[i], ssl_err_text(e, sizeof(e)));
			return -1;
		}
	return 0;
}

static int is_ip_literal(const char *s)
{
	uint8_t a[16];

	return inet_pton(AF_INET, s, a) == 1 || inet_pton(AF_INET6, s, a) == 1;
}

static int cb_make_ssl(struct certboot *cb, const struct certboot_config *c, const char *ip)
{
	char e[256];
	const char *name = c->host ? c->host : ip;
	int ok = 1;

	cb->ssl = SSL_new(cb->ctx);
	cb->rbio = BIO_new(BIO_s_mem());
	cb->wbio = BIO_new(BIO_s_mem());
	if (cb->ssl == NULL || cb->rbio == NULL || cb->wbio == NULL) {
		BIO_free(cb->rbio);
		BIO_free(cb->wbio);
		cb->rbio = cb->wbio = NULL;
		cb_set_fail(cb, CB_R_NOMEM, "out of memory");
		return -1;
	}
	BIO_set_mem_eof_return(cb->rbio, -1);   /* "no data yet", until the TCP close */
	SSL_set_bio(cb->ssl, cb->rbio, cb->wbio);
	SSL_set_connect_state(cb->ssl);
	SSL_set_app_data(cb->ssl, cb);
	SSL_set_msg_callback(cb->ssl, cb_msg);
	SSL_set_msg_callback_arg(cb->ssl, cb);
	if (is_ip_literal(name)) {
		if (!c->no_name_check)
			ok &= X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(cb->ssl), name) == 1;
	} else {
		ok &= SSL_set_tlsext_host_name(cb->ssl, name) == 1;   /* SNI */
		if (!c->no_name_check)
			ok &= SSL_set1_host(cb->ssl, name) == 1;
	}
	if (!ok) {
		cb_set_fail(cb, CB_R_TLS, "cannot set the server name %s: %s", name,
			    ssl_err_text(e, sizeof(e)));
		return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------- bytes */

static void on_fd(void *arg, int fd, unsigned events);

static int cb_set_watch(struct certboot *cb, unsigned ev)
{
	if (cb->fd < 0 || ev == cb->watching)
		return 0;
	if (loop_watch_fd(cb->loop, cb->fd, ev, on_fd, cb) != 0)
		return -1;
	cb->watching = ev;
	return 0;
}

/* Send what OpenSSL wrote; 1 when bytes are left (wait for LOOP_OUT),
 * 0 when all went, -1 on a socket error (errno). */
static int cb_flush(struct certboot *cb)
{
	while (BIO_ctrl_pending(cb->wbio) > 0) {
		char *p, sink[4096];
		long n = BIO_get_mem_data(cb->wbio, &p);
		ssize_t s;

		if (n <= 0)
			break;
		s = send(cb->fd, p, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (s < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 1;
			return -1;
		}
		while (s > 0) {   /* consume what went out */
			int k = BIO_read(cb->wbio, sink, s > (ssize_t)sizeof(sink) ? (int)sizeof(sink) : (int)s);

			if (k <= 0)
				break;
			s -= k;
		}
	}
	return 0;
}

/* ---------------------------------------------------------------- HTTP */

static int ci_prefix(const char *s, const char *p)
{
	for (; *p; s++, p++) {
		char a = *s;

		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (a != *p)
			return 0;
	}
	return 1;
}

/* Parse the complete header block hdr[0..n) (ends with an empty line).
 * Returns 0 or -1 with the failure set. */
static int cb_parse_headers(struct certboot *cb, char *h)
{
	char *line = h, *next;
	int first = 1;

	for (; *line != '\0'; line = next) {
		size_t k = strcspn(line, "\r\n");

		next = line + k;
		if (*next == '\r')
			next++;
		if (*next == '\n')
			next++;
		line[k] = '\0';
		if (first) {
			/* "HTTP/1.x 200 reason" */
			if (strncmp(line, "HTTP/1.", 7) != 0 || line[7] < '0' || line[7] > '9' ||
			    line[8] != ' ' || line[9] < '1' || line[9] > '5' || line[10] < '0' ||
			    line[10] > '9' || line[11] < '0' || line[11] > '9' ||
			    (line[12] != ' ' && line[12] != '\0')) {
				cb_set_fail(cb, CB_R_HTTP, "malformed HTTP status line");
				return -1;
			}
			cb->res.http_status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
			if (cb->res.http_status != 200) {
				/* no redirects, no error pages: one document at one place */
				cb_set_fail(cb, CB_R_HTTP_STATUS, "http status %d", cb->res.http_status);
				return -1;
			}
			first = 0;
			continue;
		}
		if (k == 0)
			break;
		if (ci_prefix(line, "content-length:")) {
			const char *v = line + 15;
			long long n = 0;
			unsigned digits = 0;

			while (*v == ' ' || *v == '\t')
				v++;
			for (; *v >= '0' && *v <= '9'; v++) {
				if (++digits > 12)
					break;
				n = n * 10 + (*v - '0');
			}
			while (*v == ' ' || *v == '\t')
				v++;
			if (digits == 0 || digits > 12 || *v != '\0' ||
			    (cb->content_length >= 0 && cb->content_length != n)) {
				cb_set_fail(cb, CB_R_HTTP, "bad Content-Length");
				return -1;
			}
			cb->content_length = n;
			if ((unsigned long long)n > cb->max_size) {
				cb_set_fail(cb, CB_R_TOO_LARGE, "profile of %lld bytes announced, bound %zu",
					    n, cb->max_size);
				return -1;
			}
		} else if (ci_prefix(line, "transfer-encoding:")) {
			cb_set_fail(cb, CB_R_HTTP, "Transfer-Encoding in the answer to an HTTP/1.0 request");
			return -1;
		}
	}
	return 0;
}

static int cb_body(struct certboot *cb, const uint8_t *p, size_t n)
{
	if (n == 0)
		return 0;
	if (n > cb->max_size - cb->body_len) {
		cb_set_fail(cb, CB_R_TOO_LARGE, "profile larger than %zu bytes", cb->max_size);
		return -1;
	}
	if (cb->content_length >= 0 && cb->body_len + n > (unsigned long long)cb->content_length) {
		cb_set_fail(cb, CB_R_HTTP, "more bytes than Content-Length");
		return -1;
	}
	if (cb->body_len + n > cb->body_cap) {
		size_t cap = cb->body_cap ? cb->body_cap : 4096;
		uint8_t *nb;

		while (cap < cb->body_len + n)
			cap *= 2;
		if (cap > cb->max_size)
			cap = cb->max_size;
		nb = realloc(cb->body, cap);
		if (nb == NULL) {
			cb_set_fail(cb, CB_R_NOMEM, "out of memory");
			return -1;
		}
		cb->body = nb;
		cb->body_cap = cap;
	}
	memcpy(cb->body + cb->body_len, p, n);
	cb->body_len += n;
	return 0;
}

/* Bytes of the decrypted response. */
static int cb_consume(struct certboot *cb, const uint8_t *p, size_t n)
{
	if (!cb->hdr_done) {
		size_t room = CB_HDR_MAX - cb->hdr_len, take = n < room ? n : room;
		char *end;
		size_t hlen;

		memcpy(cb->hdr + cb->hdr_len, p, take);
		cb->hdr_len += take;
		cb->hdr[cb->hdr_len] = '\0';
		{
			/* the header ends at the first empty line, CRLF or bare LF
			 * (searched as bytes: the body after it may hold NULs) */
			char *crlf = memmem(cb->hdr, cb->hdr_len, "\r\n\r\n", 4);
			char *lf = memmem(cb->hdr, cb->hdr_len, "\n\n", 2);

			if (lf != NULL && (crlf == NULL || lf < crlf)) {
				end = lf;
				hlen = (size_t)(lf - cb->hdr) + 2;
			} else {
				end = crlf;
				hlen = crlf ? (size_t)(crlf - cb->hdr) + 4 : cb->hdr_len;
			}
		}
		if (memchr(cb->hdr, '\0', hlen) != NULL) {
			cb_set_fail(cb, CB_R_HTTP, "NUL byte in the HTTP header");
			return -1;
		}
		if (end == NULL) {
			if (cb->hdr_len == CB_HDR_MAX) {
				cb_set_fail(cb, CB_R_HTTP, "HTTP header longer than %u bytes", CB_HDR_MAX);
				return -1;
			}
			return 0;
		}
		/* the bytes after the header block are the body's first */
		{
			size_t body_in_hdr = cb->hdr_len - hlen;
			const uint8_t *rest = p + take - body_in_hdr;

			cb->hdr[hlen] = '\0';
			cb->hdr_done = 1;
			if (cb_parse_headers(cb, cb->hdr) != 0)
				return -1;
			if (cb_body(cb, rest, body_in_hdr) != 0)
				return -1;
			p += take;
			n -= take;
		}
	}
	return cb_body(cb, p, n);
}

static int cb_body_complete(const struct certboot *cb)
{
	return cb->hdr_done && cb->content_length >= 0 &&
	       cb->body_len == (unsigned long long)cb->content_length;
}

static void cb_success(struct certboot *cb)
{
	ERR_clear_error();
	(void)SSL_shutdown(cb->ssl);   /* our close_notify, best effort */
	(void)cb_flush(cb);
	cb->res.rc = 0;
	cb->res.reason = CB_R_OK;
	cb->res.why[0] = '\0';
	cb->res.body = cb->body;
	cb->res.len = cb->body_len;
	cb_deliver(cb);
}

/* ---------------------------------------------------------------- TLS */

static int alert_is_about_our_cert(int a)
{
	switch (a) {
	case SSL_AD_BAD_CERTIFICATE:
	case SSL_AD_UNSUPPORTED_CERTIFICATE:
	case SSL_AD_CERTIFICATE_REVOKED:
	case SSL_AD_CERTIFICATE_EXPIRED:
	case SSL_AD_CERTIFICATE_UNKNOWN:
	case SSL_AD_UNKNOWN_CA:
	case SSL_AD_ACCESS_DENIED:
	case SSL_AD_DECRYPT_ERROR:        /* our CertificateVerify */
	case SSL_AD_HANDSHAKE_FAILURE:    /* OpenSSL's answer to "no certificate" */
		return 1;
	default:
		return 0;
	}
}

/* The handshake failed: which of the reasons of certboot.h. */
static void cb_handshake_failed(struct certboot *cb)
{
	long vr = SSL_get_verify_result(cb->ssl);
	char e[256];
	int a = cb->peer_alert;

	/* our own fatal alert (e.g. unknown_ca after a failed verification) is
	 * in the write BIO: send it, best effort, so the server learns why
	 * (RFC 5246 7.2.2) instead of seeing a bare TCP close */
	if (cb->fd >= 0)
		(void)cb_flush(cb);
	if (vr != X509_V_OK) {
		ERR_clear_error();
		cb_fail(cb, CB_R_SERVER_UNTRUSTED, "server certificate %s not accepted: %s",
			cb->bad_cert[0] ? cb->bad_cert : "?", X509_verify_cert_error_string(vr));
		return;
	}
	if (a >= 0) {
		const char *d = SSL_alert_desc_string_long(a);

		ERR_clear_error();
		if (!cb->got_server_hello && (a == SSL_AD_HANDSHAKE_FAILURE ||
		    a == SSL_AD_INSUFFICIENT_SECURITY || a == SSL_AD_PROTOCOL_VERSION ||
		    a == SSL_AD_ILLEGAL_PARAMETER))
			cb_fail(cb, CB_R_NO_CIPHER, "no common cipher suite or TLS version "
				"(offered %s; server alert: %s)", certboot_suites(), d);
		else if (cb->sent_cert && alert_is_about_our_cert(a))
			cb_fail(cb, CB_R_CERT_REJECTED, "server refused the device certificate (alert: %s)", d);
		else
			cb_fail(cb, CB_R_TLS, "server alert: %s", d);
		return;
	}
	if (ERR_peek_error() != 0 && ERR_GET_LIB(ERR_peek_error()) == ERR_LIB_SSL) {
		int r = ERR_GET_REASON(ERR_peek_error());

		if (r == SSL_R_WRONG_CIPHER_RETURNED || r == SSL_R_NO_CIPHERS_AVAILABLE ||
		    r == SSL_R_UNSUPPORTED_PROTOCOL || r == SSL_R_WRONG_SSL_VERSION) {
			cb_fail(cb, CB_R_NO_CIPHER, "no common cipher suite or TLS version: %s",
				ssl_err_text(e, sizeof(e)));
			return;
		}
	}
	if (cb->eof && ERR_peek_error() == 0) {
		cb_fail(cb, CB_R_TLS, "server closed the connection during the handshake");
		return;
	}
	cb_fail(cb, CB_R_TLS, "handshake failed: %s", ssl_err_text(e, sizeof(e)));
}

/* The negotiated suite against 6.6.5, again (we offered none of these). */
static int cb_check_suite(struct certboot *cb)
{
	const SSL_CIPHER *c = SSL_get_current_cipher(cb->ssl);

	if (c == NULL) {
		cb_fail(cb, CB_R_WEAK_CIPHER, "no cipher suite negotiated");
		return -1;
	}
	cb->res.suite = SSL_CIPHER_get_name(c);
	cb->res.tls_version = SSL_get_version(cb->ssl);
	if (SSL_CIPHER_get_cipher_nid(c) == NID_undef) {
		cb_fail(cb, CB_R_WEAK_CIPHER, "suite %s has NULL encryption", cb->res.suite);
		return -1;
	}
	if (!SSL_CIPHER_is_aead(c) && SSL_CIPHER_get_digest_nid(c) == NID_undef) {
		cb_fail(cb, CB_R_WEAK_CIPHER, "suite %s has NULL integrity", cb->res.suite);
		return -1;
	}
	if (SSL_CIPHER_get_auth_nid(c) == NID_auth_null || SSL_get0_peer_certificate(cb->ssl) == NULL) {
		cb_fail(cb, CB_R_WEAK_CIPHER, "suite %s does not authenticate the server", cb->res.suite);
		return -1;
	}
	if (SSL_get_verify_result(cb->ssl) != X509_V_OK) {
		cb_fail(cb, CB_R_SERVER_UNTRUSTED, "server certificate not verified");
		return -1;
	}
	return 0;
}

/* Advance as far as the bytes we have allow.  Returns 0 while running,
 * -1 once the outcome was delivered (cb may be gone). */
static int cb_drive(struct certboot *cb)
{
	uint8_t buf[4096];
	char e[256];
	int r, k;

	for (;;) {
		ERR_clear_error();
		switch (cb->phase) {
		case PH_HANDSHAKE:
			r = SSL_do_handshake(cb->ssl);
			if (r == 1) {
				if (cb_check_suite(cb) != 0)
					return -1;
				log_debug("certboot: %s: %s %s", cb->peer, cb->res.tls_version, cb->res.suite);
				cb->phase = PH_REQUEST;
				continue;
			}
			k = SSL_get_error(cb->ssl, r);
			if (k == SSL_ERROR_WANT_READ && !cb->eof)
				return 0;
			cb_handshake_failed(cb);
			return -1;
		case PH_REQUEST:
			/* a memory BIO takes it all at once */
			r = SSL_write(cb->ssl, cb->req, (int)cb->req_len);
			if (r != (int)cb->req_len) {
				cb_fail(cb, CB_R_TLS, "cannot write the request: %s", ssl_err_text(e, sizeof(e)));
				return -1;
			}
			cb->phase = PH_RESPONSE;
			continue;
		case PH_RESPONSE:
			r = SSL_read(cb->ssl, buf, sizeof(buf));
			if (r > 0) {
				if (cb_consume(cb, buf, (size_t)r) != 0) {
					cb_deliver(cb);
					return -1;
				}
				if (cb_body_complete(cb)) {
					cb_success(cb);
					return -1;
				}
				continue;
			}
			k = SSL_get_error(cb->ssl, r);
			if (k == SSL_ERROR_WANT_READ && !cb->eof)
				return 0;
			if (k == SSL_ERROR_ZERO_RETURN) {
				/* the server's close_notify: a clean end */
				if (!cb->hdr_done)
					cb_fail(cb, CB_R_HTTP, "connection closed before the HTTP header ended");
				else if (cb->content_length >= 0)
					cb_fail(cb, CB_R_HTTP, "connection closed after %zu of %lld bytes",
						cb->body_len, cb->content_length);
				else
					cb_success(cb);
				return -1;
			}
			if (cb->peer_alert >= 0)
				cb_fail(cb, CB_R_TLS, "server alert: %s",
					SSL_alert_desc_string_long(cb->peer_alert));
			else if (cb->eof)
				cb_fail(cb, CB_R_HTTP, "connection closed without close_notify after %zu "
					"bytes (truncated)", cb->body_len);
			else
				cb_fail(cb, CB_R_TLS, "read failed: %s", ssl_err_text(e, sizeof(e)));
			return -1;
		case PH_CONNECT:
		case PH_DONE:
		default:
			return 0;
		}
	}
}

/* After any event: send what is pending and ask the loop for the right events. */
static void cb_pump(struct certboot *cb)
{
	int f;

	if (cb_drive(cb) != 0)
		return;
	f = cb_flush(cb);
	if (f < 0) {
		if (cb->phase == PH_HANDSHAKE && cb->peer_alert >= 0)
			cb_handshake_failed(cb);
		else
			cb_fail(cb, CB_R_CONNECT, "send to %s: %s", cb->peer, strerror(errno));
		return;
	}
	if (cb_set_watch(cb, LOOP_IN | (f ? LOOP_OUT : 0)) != 0)
		cb_fail(cb, CB_R_CONNECT, "cannot watch the socket");
}

static void on_fd(void *arg, int fd, unsigned events)
{
	struct certboot *cb = arg;
	uint8_t buf[CB_RX_CHUNK];

	(void)fd;
	if (cb->phase == PH_CONNECT) {
		int e;

		if (!(events & (LOOP_OUT | LOOP_ERR)))
			return;
		e = net_tcp_error(cb->fd);
		if (e != 0) {
			cb_fail(cb, CB_R_CONNECT, "connect to %s: %s", cb->peer,
				e == E_TIMEOUT ? "timed out" : strerror(errno));
			return;
		}
		cb->phase = PH_HANDSHAKE;
		cb_pump(cb);
		return;
	}
	if (events & (LOOP_IN | LOOP_ERR)) {
		/* one chunk per event: the loop comes back while more is there,
		 * and the body bound is checked chunk by chunk */
		ssize_t n = net_tcp_recv(cb->fd, buf, sizeof(buf));

		if (n > 0) {
			if (BIO_write(cb->rbio, buf, (int)n) != (int)n) {
				cb_fail(cb, CB_R_NOMEM, "out of memory");
				return;
			}
		} else if (n == 0 || n == E_IO) {
			/* the TCP close (or reset): what OpenSSL reads next is EOF */
			cb->eof = 1;
			BIO_set_mem_eof_return(cb->rbio, 0);
			if (cb->watching) {
				loop_unwatch_fd(cb->loop, cb->fd);
				cb->watching = 0;
			}
		}
	}
	cb_pump(cb);
	/* at EOF, cb_drive() ends the exchange one way or the other */
}

static void on_timeout(void *arg)
{
	struct certboot *cb = arg;
	static const char *const phase_name[] = {
		[PH_CONNECT] = "connecting", [PH_HANDSHAKE] = "in the TLS handshake",
		[PH_REQUEST] = "sending the request", [PH_RESPONSE] = "reading the answer",
		[PH_DONE] = "done",
	};

	cb_fail(cb, CB_R_TIMEOUT, "no complete answer within %u ms (%s)", (unsigned)cb->timeout_ms,
		phase_name[cb->phase]);
}

static void on_kick(void *arg)
{
	cb_deliver(arg);   /* an early failure, reported from the loop */
}

/* ---------------------------------------------------------------- API */

static int cfg_text_ok(const char *s, size_t max)
{
	size_t i;

	if (s == NULL || s[0] == '\0' || strlen(s) > max)
		return 0;
	for (i = 0; s[i]; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f)
			return 0;   /* no header injection, no spaces */
	return 1;
}

static int cfg_check(const struct certboot_config *c, const char **field)
{
	unsigned i;

	*field = NULL;
	if (c->server.family != AF_INET && c->server.family != AF_INET6)
		*field = "server";
	else if (c->host != NULL && (!cfg_text_ok(c->host, CERTBOOT_HOST_MAX) ||
				     (strchr(c->host, ':') != NULL && !is_ip_literal(c->host))))
		*field = "host";   /* a name or an address; the port is server.port */
	else if (c->path != NULL && (!cfg_text_ok(c->path, CERTBOOT_PATH_MAX) || c->path[0] != '/'))
		*field = "path";
	else if (c->ca_file == NULL || c->ca_file[0] == '\0')
		*field = "ca_file";
	else if (c->cert_file == NULL || c->cert_file[0] == '\0')
		*field = "cert_file";
	else if (c->key_file == NULL || c->key_file[0] == '\0')
		*field = "key_file";
	for (i = 0; *field == NULL && i < CERTBOOT_CHAIN_MAX && c->chain[i] != NULL; i++)
		if (c->chain[i][0] == '\0')
			*field = "chain";
	return *field ? E_INVAL : 0;
}

struct certboot *certboot_start(struct loop *l, const struct certboot_config *c,
				certboot_done_fn *done, void *arg, int *err)
{
	struct certboot *cb;
	struct net_addr to;
	const char *field;
	char ip[64];
	int dummy;

	if (err == NULL)
		err = &dummy;
	if (l == NULL || c == NULL || done == NULL) {
		*err = E_INVAL;
		return NULL;
	}
	if (cfg_check(c, &field) != 0) {
		log_warnx("certboot: bad configuration: %s", field);
		*err = E_INVAL;
		return NULL;
	}
	cb = calloc(1, sizeof(*cb));
	if (cb == NULL) {
		*err = E_NOMEM;
		return NULL;
	}
	cb->loop = l;
	cb->done = done;
	cb->arg = arg;
	cb->fd = -1;
	cb->peer_alert = -1;
	cb->content_length = -1;
	cb->max_size = c->max_size ? c->max_size : CERTBOOT_MAX_SIZE_DEFAULT;
	cb->timeout_ms = c->timeout_ms ? c->timeout_ms : CERTBOOT_TIMEOUT_DEFAULT_MS;
	loop_timer_init(&cb->timeout, on_timeout, cb);
	loop_timer_init(&cb->kick, on_kick, cb);
	to = c->server;
	if (to.port == 0)
		to.port = CERTBOOT_PORT_DEFAULT;
	if (net_ip_str(&to, ip, sizeof(ip)) == NULL) {
		free(cb);
		*err = E_INVAL;
		return NULL;
	}
	(void)snprintf(cb->peer, sizeof(cb->peer), "%s%s%s:%u", to.family == AF_INET6 ? "[" : "", ip,
		       to.family == AF_INET6 ? "]" : "", (unsigned)to.port);
	{
		/* Host: name, or the literal (bracketed for IPv6), and the port
		 * unless it is 443 (RFC 7230 5.4) */
		char hostport[CERTBOOT_HOST_MAX + 16];
		int n;

		if (c->host != NULL && strchr(c->host, ':') != NULL)   /* an IPv6 literal */
			(void)snprintf(hostport, sizeof(hostport), "[%s]", c->host);
		else if (c->host != NULL)
			(void)snprintf(hostport, sizeof(hostport), "%s", c->host);
		else
			(void)snprintf(hostport, sizeof(hostport), "%s%s%s", to.family == AF_INET6 ? "[" : "",
				       ip, to.family == AF_INET6 ? "]" : "");
		if (to.port != CERTBOOT_PORT_DEFAULT) {
			size_t hl = strlen(hostport);

			(void)snprintf(hostport + hl, sizeof(hostport) - hl, ":%u", (unsigned)to.port);
		}
		n = snprintf(cb->req, sizeof(cb->req),
			     "GET %s HTTP/1.0\r\nHost: %s\r\nUser-Agent: eued-certboot\r\n"
			     "Accept: application/xml, text/xml\r\nConnection: close\r\n\r\n",
			     c->path ? c->path : "/", hostport);
		if (n < 0 || (size_t)n >= sizeof(cb->req)) {
			free(cb);
			*err = E_INVAL;
			return NULL;
		}
		cb->req_len = (size_t)n;
	}
	*err = 0;
	if (cb_make_ctx(cb, c) != 0 || cb_make_ssl(cb, c, ip) != 0) {
		loop_timer_arm(l, &cb->kick, 0);   /* reported from the loop */
		return cb;
	}
	cb->fd = net_tcp_connect(&to, c->ifname);
	if (cb->fd < 0) {
		cb->fd = -1;
		cb_set_fail(cb, CB_R_CONNECT, "connect to %s: %s", cb->peer, strerror(errno));
		loop_timer_arm(l, &cb->kick, 0);
		return cb;
	}
	if (cb_set_watch(cb, LOOP_OUT) != 0) {
		cb_set_fail(cb, CB_R_CONNECT, "cannot watch the socket");
		loop_timer_arm(l, &cb->kick, 0);
		return cb;
	}
	loop_timer_arm(l, &cb->timeout, cb->timeout_ms);
	log_debug("certboot: connecting to %s for %s", cb->peer, c->path ? c->path : "/");
	return cb;
}

void certboot_stop(struct certboot *cb)
{
	if (cb == NULL)
		return;
	if (cb->in_done) {
		cb->stop_req = 1;   /* freed when done() returns; body valid until then */
		return;
	}
	cb_free(cb);
}

const char *certboot_suites(void)
{
	static char names[256];
	SSL_CTX *ctx;
	STACK_OF(SSL_CIPHER) *sk;
	int i;

	if (names[0] != '\0')
		return names;
	ctx = SSL_CTX_new(TLS_client_method());
	if (ctx == NULL || SSL_CTX_set_cipher_list(ctx, CB_CIPHERS) != 1 ||
	    SSL_CTX_set_ciphersuites(ctx, "") != 1 || (sk = SSL_CTX_get_ciphers(ctx)) == NULL) {
		SSL_CTX_free(ctx);
		ERR_clear_error();
		return "none";
	}
	for (i = 0; i < sk_SSL_CIPHER_num(sk); i++) {
		size_t o = strlen(names);

		(void)snprintf(names + o, sizeof(names) - o, "%s%s", o ? ":" : "",
			       SSL_CIPHER_get_name(sk_SSL_CIPHER_value(sk, i)));
	}
	SSL_CTX_free(ctx);
	return names[0] ? names : "none";
}
