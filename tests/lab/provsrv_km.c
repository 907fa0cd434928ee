/*
 * provsrv_km.c: the provisioning server's side of PacketCable Kerberized key management (UDP
 * 1293, eUE-13/14), as kerberos/README-km.md lays it down for eued and provsrv:
 *
 *   AP Request   km_decode (kerberos/pktc_km.h); bytes that do not decode: logged, no answer
 *                krb5_rd_req() with the keytab (mtaprovsrvr/<fqdn>@REALM), any principal in it
 *                HMAC (A2) checked with the ticket's session key (kerberos/km_keys.h)
 *                the first offered ciphersuite we support is chosen
 *   AP Reply     krb5_mk_rep() with a subkey WE generate (KRB5_AUTH_CONTEXT_USE_SUBKEY: MIT makes
 *                a random key of the negotiated enctype), our engine ID / boots / time, the same
 *                usmUserName, lifetime, grace, ack-required 0, HMAC keyed with the subkey
 *   Error Reply  krb5_mk_error() with a fitting code for any refusal of a decodable message
 *   keys         km_usm_derive(subkey, chosen suite) (A1), handed to provsrv.c (ps_usm_install)
 *
 * A retransmitted AP Request (the same bytes from the same address, whatever the port: the
 * device's 122.5 back-off after a lost AP Reply) gets the same AP Reply again, without a second krb5_rd_req() (which the
 * replay cache would refuse) and without new keys.
 *
 * --km-replay-ms MS[,MS...] (a fault for the device): each AP Reply is sent again, unasked and
 * byte for byte, MS ms after the original, as an attacker on the path would replay it; the
 * device must drop it (its exchange is over) and carry on.
 *
 * --km-wakeup-ms MS (server-initiated key management): MS ms after the first AP Reply of a
 * client-initiated exchange (nonce 0), a Wake Up (KMMID 1: a random nonce, our principal) goes
 * to the device's port 1293; the AP Request it brings must echo that nonce (logged
 * wake-up=matched); an AP Request with a nonce we never sent gets an Error Reply.
 *
 * No Net-SNMP types here (provsrv.h).  Never logs a key, a ticket or an HMAC.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <krb5/krb5.h>

#include "platform/err.h"
#include "tests/lab/provsrv.h"
#include "tlv/wr.h"

#define KM_MAX_SOCKS 8
#define KM_MAX_SA 64
#define KM_CACHE 16
#define KM_BUF 8192

/* RFC 4120 7.5.9 error codes used here */
#define KRB_ERR_GENERIC 60
#define KDC_ERR_ETYPE_NOSUPP 14
#define KRB_AP_ERR_MODIFIED 41
#define KRB_AP_ERR_MSG_TYPE 40

struct km_sock {
	int fd;
	int v6;
};

/* the last answer per peer, for retransmitted requests */
struct km_cached {
	struct sockaddr_storage peer;
	socklen_t peerlen;
	uint8_t *req, *rep;
	size_t reqlen, replen;
	char note[96];                  /* "cs=22/22 user=..." for the log line */
};

/* --km-replay-ms: an AP Reply to send again, unasked, when due (monotonic ms) */
struct km_replay {
	struct sockaddr_storage peer;
	socklen_t peerlen;
	const struct km_sock *s;
	uint8_t rep[KM_BUF];
	size_t replen;
	uint64_t due_ms;
	unsigned nth;
};
#define KM_REPLAYS 8

/* --km-wakeup-ms: one Wake Up per device address, and the nonce its AP Request must echo */
struct km_wake {
	struct sockaddr_storage peer;   /* the device, port KM_PORT */
	socklen_t peerlen;
	const struct km_sock *s;
	uint32_t nonce;
	uint64_t due_ms;                /* 0: sent (or none planned) */
	int used;
};
#define KM_WAKES 8

static struct {
	struct ps_km_opts o;
	struct km_replay replay[KM_REPLAYS];
	struct km_wake wake[KM_WAKES];
	struct km_sock s[KM_MAX_SOCKS];
	size_t ns;
	krb5_context ctx;
	krb5_keytab kt;
	krb5_principal server;          /* the keytab's first principal (KRB_ERROR sname) */
	struct ps_km_sa sa[KM_MAX_SA];
	size_t nsa;
	struct km_cached cache[KM_CACHE];
	size_t cache_next;
} K;

/* ---------------------------------------------------------------- helpers */

static void hex(const uint8_t *p, size_t n, char *out, size_t cap)
{
	static const char d[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n && 2 * i + 2 < cap; i++) {
		out[2 * i] = d[p[i] >> 4];
		out[2 * i + 1] = d[p[i] & 15];
	}
	out[2 * i] = '\0';
}

static void peer_str(const struct sockaddr_storage *ss, char *addr, size_t acap, char *full,
		     size_t fcap, int *v6)
{
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;

	if (ss->ss_family == AF_INET6) {
		memcpy(&sin6, ss, sizeof(sin6));
		if (IN6_IS_ADDR_V4MAPPED(&sin6.sin6_addr)) {
			inet_ntop(AF_INET, &sin6.sin6_addr.s6_addr[12], addr, (socklen_t)acap);
			snprintf(full, fcap, "%s:%u", addr, ntohs(sin6.sin6_port));
			*v6 = 0;
		} else {
			inet_ntop(AF_INET6, &sin6.sin6_addr, addr, (socklen_t)acap);
			snprintf(full, fcap, "[%s]:%u", addr, ntohs(sin6.sin6_port));
			*v6 = 1;
		}
		return;
	}
	memcpy(&sin, ss, sizeof(sin));
	inet_ntop(AF_INET, &sin.sin_addr, addr, (socklen_t)acap);
	snprintf(full, fcap, "%s:%u", addr, ntohs(sin.sin_port));
	*v6 = 0;
}

static const char *krb_msg(krb5_error_code code, char *buf, size_t cap)
{
	const char *m = krb5_get_error_message(K.ctx, code);
	size_t i;

	snprintf(buf, cap, "%s", m ? m : "?");
	krb5_free_error_message(K.ctx, m);
	for (i = 0; buf[i] != '\0'; i++)
		if (buf[i] == '"' || buf[i] == '\n')
			buf[i] = '\'';
	return buf;
}

/* "udp:ADDR:PORT", "udp6:[ADDR]:PORT", "udp:PORT", "udp6:PORT" -> family and address ("" = any) */
static int spec_addr(const char *spec, int *v6, char *addr, size_t cap)
{
	const char *rest, *end, *c;
	size_t n;

	if (strncmp(spec, "udp6:", 5) == 0) {
		*v6 = 1;
		rest = spec + 5;
	} else if (strncmp(spec, "udp:", 4) == 0) {
		*v6 = 0;
		rest = spec + 4;
	} else {
		return -1;
	}
	addr[0] = '\0';
	if (rest[0] == '[') {
		end = strchr(rest, ']');
		if (end == NULL)
			return -1;
		n = (size_t)(end - rest - 1);
		if (n >= cap)
			return -1;
		memcpy(addr, rest + 1, n);
		addr[n] = '\0';
		return 0;
	}
	for (c = rest; *c >= '0' && *c <= '9'; c++)
		;
	if (*c == '\0')
		return 0;       /* a port alone: every address */
	if (*v6)
		return -1;      /* an IPv6 address needs its brackets */
	end = strchr(rest, ':');
	n = end ? (size_t)(end - rest) : strlen(rest);
	if (n >= cap)
		return -1;
	memcpy(addr, rest, n);
	addr[n] = '\0';
	return 0;
}

static int sock_open(const char *spec)
{
	char addr[PS_ADDR_MAX];
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	int v6, fd, one = 1, rc;

	if (K.ns == KM_MAX_SOCKS || spec_addr(spec, &v6, addr, sizeof(addr)) != 0) {
		ps_log("error what=km-listen spec=%s reason=spec", spec);
		return -1;
	}
	fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		ps_log("error what=km-listen spec=%s reason=\"%s\"", spec, strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (v6) {
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
		memset(&sin6, 0, sizeof(sin6));
		sin6.sin6_family = AF_INET6;
		sin6.sin6_port = htons((uint16_t)K.o.port);
		rc = addr[0] == '\0' ? 1 : inet_pton(AF_INET6, addr, &sin6.sin6_addr);
		if (rc == 1)
			rc = bind(fd, (struct sockaddr *)&sin6, sizeof(sin6)) == 0 ? 1 : -1;
	} else {
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_port = htons((uint16_t)K.o.port);
		rc = addr[0] == '\0' ? 1 : inet_pton(AF_INET, addr, &sin.sin_addr);
		if (rc == 1)
			rc = bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0 ? 1 : -1;
	}
	if (rc != 1) {
		ps_log("error what=km-listen spec=%s reason=\"%s\"", spec,
		       rc == 0 ? "bad address" : strerror(errno));
		close(fd);
		return -1;
	}
	K.s[K.ns].fd = fd;
	K.s[K.ns].v6 = v6;
	K.ns++;
	ps_log("km-listen addr=%s%s%s port=%u", v6 ? "[" : "", addr[0] ? addr : (v6 ? "::" : "0.0.0.0"),
	       v6 ? "]" : "", K.o.port);
	return 0;
}

/* ---------------------------------------------------------------- set-up */

int ps_km_open(const struct ps_km_opts *o, const char *const *specs, size_t nspecs)
{
	krb5_error_code ret;
	krb5_kt_cursor cur;
	krb5_keytab_entry ent;
	char name[1100], msg[256], *pname = NULL;
	char dir[1024], *slash;
	size_t i;

	K.o = *o;
	for (i = 0; i < KM_MAX_SOCKS; i++)
		K.s[i].fd = -1;
	if (o->krb5_conf != NULL)
		setenv("KRB5_CONFIG", o->krb5_conf, 1);
	/* the replay cache next to the keytab (the lab's run directory), not in /var/tmp */
	snprintf(dir, sizeof(dir), "%s", o->keytab);
	slash = strrchr(dir, '/');
	if (slash != NULL && getenv("KRB5RCACHEDIR") == NULL) {
		*slash = '\0';
		setenv("KRB5RCACHEDIR", dir[0] ? dir : "/", 1);
	}
	ret = krb5_init_context(&K.ctx);
	if (ret != 0) {
		ps_log("error what=krb5 reason=init code=%ld", (long)ret);
		return -1;
	}
	snprintf(name, sizeof(name), "FILE:%s", o->keytab);
	ret = krb5_kt_resolve(K.ctx, name, &K.kt);
	if (ret == 0)
		ret = krb5_kt_start_seq_get(K.ctx, K.kt, &cur);
	if (ret == 0) {
		ret = krb5_kt_next_entry(K.ctx, K.kt, &ent, &cur);
		if (ret == 0) {
			ret = krb5_copy_principal(K.ctx, ent.principal, &K.server);
			krb5_free_keytab_entry_contents(K.ctx, &ent);
		}
		krb5_kt_end_seq_get(K.ctx, K.kt, &cur);
	}
	if (ret != 0) {
		ps_log("error what=keytab path=%s reason=\"%s\"", o->keytab, krb_msg(ret, msg, sizeof(msg)));
		return -1;
	}
	if (krb5_unparse_name(K.ctx, K.server, &pname) == 0) {
		ps_log("km keytab=%s principal=%s krb5-conf=%s lifetime=%u grace=%u aes=%d", o->keytab,
		       pname, o->krb5_conf ? o->krb5_conf : "-", o->lifetime, o->grace, !o->no_aes);
		krb5_free_unparsed_name(K.ctx, pname);
	}
	for (i = 0; i < nspecs; i++)
		if (sock_open(specs[i]) != 0)
			return -1;
	return 0;
}

void ps_km_close(void)
{
	size_t i;

	for (i = 0; i < K.ns; i++)
		close(K.s[i].fd);
	K.ns = 0;
	for (i = 0; i < KM_CACHE; i++) {
		free(K.cache[i].req);
		free(K.cache[i].rep);
	}
	for (i = 0; i < K.nsa; i++)
		km_usm_keys_clear(&K.sa[i].keys);
	if (K.ctx != NULL) {
		krb5_free_principal(K.ctx, K.server);
		if (K.kt != NULL)
			krb5_kt_close(K.ctx, K.kt);
		krb5_free_context(K.ctx);
	}
	memset(&K, 0, sizeof(K));
}

void ps_km_fds(fd_set *fds, int *nfds)
{
	size_t i;

	for (i = 0; i < K.ns; i++) {
		FD_SET(K.s[i].fd, fds);
		if (K.s[i].fd + 1 > *nfds)
			*nfds = K.s[i].fd + 1;
	}
}

const struct ps_km_sa *ps_km_sa_by_user(const char *user, size_t len)
{
	size_t i;

	for (i = 0; i < K.nsa; i++)
		if (strlen(K.sa[i].user) == len && memcmp(K.sa[i].user, user, len) == 0)
			return &K.sa[i];
	return NULL;
}

/* ---------------------------------------------------------------- replies */

static void send_to(const struct km_sock *s, const struct sockaddr_storage *peer, socklen_t plen,
		    const uint8_t *p, size_t n, const char *to)
{
	if (sendto(s->fd, p, n, 0, (const struct sockaddr *)peer, plen) < 0)
		ps_log("error what=km-send to=%s reason=\"%s\"", to, strerror(errno));
}

/* The same host (address, not port: a device may retransmit from a new socket). */
static int same_host(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	struct sockaddr_in a4, b4;
	struct sockaddr_in6 a6, b6;

	if (a->ss_family != b->ss_family)
		return 0;
	if (a->ss_family == AF_INET) {
		memcpy(&a4, a, sizeof(a4));
		memcpy(&b4, b, sizeof(b4));
		return a4.sin_addr.s_addr == b4.sin_addr.s_addr;
	}
	memcpy(&a6, a, sizeof(a6));
	memcpy(&b6, b, sizeof(b6));
	return memcmp(&a6.sin6_addr, &b6.sin6_addr, sizeof(a6.sin6_addr)) == 0;
}

static void cache_put(const struct sockaddr_storage *peer, socklen_t plen, const uint8_t *req,
		      size_t reqlen, const uint8_t *rep, size_t replen, const char *note)
{
	struct km_cached *c = NULL;
	size_t i;

	for (i = 0; i < KM_CACHE; i++)
		if (K.cache[i].req != NULL && same_host(&K.cache[i].peer, peer))
			c = &K.cache[i];
	if (c == NULL) {
		c = &K.cache[K.cache_next];
		K.cache_next = (K.cache_next + 1) % KM_CACHE;
	}
	free(c->req);
	free(c->rep);
	memset(c, 0, sizeof(*c));
	c->req = malloc(reqlen);
	c->rep = malloc(replen);
	if (c->req == NULL || c->rep == NULL) {
		free(c->req);
		free(c->rep);
		c->req = c->rep = NULL;
		return;
	}
	memcpy(&c->peer, peer, plen);
	c->peerlen = plen;
	memcpy(c->req, req, reqlen);
	c->reqlen = reqlen;
	memcpy(c->rep, rep, replen);
	c->replen = replen;
	snprintf(c->note, sizeof(c->note), "%s", note);
}

static const struct km_cached *cache_get(const struct sockaddr_storage *peer, const uint8_t *req,
					 size_t reqlen)
{
	size_t i;

	for (i = 0; i < KM_CACHE; i++)
		if (K.cache[i].req != NULL && same_host(&K.cache[i].peer, peer) &&
		    K.cache[i].reqlen == reqlen && memcmp(K.cache[i].req, req, reqlen) == 0)
			return &K.cache[i];
	return NULL;
}

/* ---------------------------------------------------------------- --km-replay-ms */

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void replay_plan(const struct km_sock *s, const struct sockaddr_storage *peer,
			socklen_t plen, const uint8_t *rep, size_t replen)
{
	size_t i, j;

	for (j = 0; j < K.o.nreplay; j++) {
		for (i = 0; i < KM_REPLAYS && K.replay[i].replen != 0; i++)
			;
		if (i == KM_REPLAYS || replen > sizeof(K.replay[i].rep))
			return;
		memcpy(&K.replay[i].peer, peer, plen);
		K.replay[i].peerlen = plen;
		K.replay[i].s = s;
		memcpy(K.replay[i].rep, rep, replen);
		K.replay[i].replen = replen;
		K.replay[i].due_ms = mono_ms() + K.o.replay_ms[j];
		K.replay[i].nth = (unsigned)j + 1;
	}
}

/* ---------------------------------------------------------------- --km-wakeup-ms */

static void wake_send(struct km_wake *k)
{
	char addr[PS_ADDR_MAX], to[PS_ADDR_MAX + 16], *princ = NULL;
	uint8_t out[KM_BUF];
	struct km_msg m;
	struct wr w;
	int v6 = 0;

	k->due_ms = 0;
	peer_str(&k->peer, addr, sizeof(addr), to, sizeof(to), &v6);
	km_msg_init(&m, KM_WAKEUP);
	m.nonce = k->nonce;
	if (krb5_unparse_name(K.ctx, K.server, &princ) != 0) {
		ps_log("error what=km-wakeup to=%s reason=principal", to);
		return;
	}
	snprintf(m.principal, sizeof(m.principal), "%s", princ);
	krb5_free_unparsed_name(K.ctx, princ);
	wr_init(&w, out, sizeof(out));
	if (km_encode(&m, &w) != 0 || w.err) {
		ps_log("error what=km-encode to=%s kmmid=1", to);
		return;
	}
	send_to(k->s, &k->peer, k->peerlen, out, w.len, to);
	ps_log("km wake-up to=%s nonce=%08x principal=%s bytes=%zu", to, (unsigned)k->nonce,
	       m.principal, w.len);
}

/* After the first client-initiated AP Reply to this address: plan its Wake Up. */
static void wake_plan(const struct km_sock *s, const struct sockaddr_storage *peer, socklen_t plen)
{
	struct km_wake *k = NULL;
	size_t i;

	if (K.o.wakeup_ms == 0)
		return;
	for (i = 0; i < KM_WAKES; i++) {
		if (K.wake[i].used && same_host(&K.wake[i].peer, peer))
			return;   /* one per device */
		if (!K.wake[i].used && k == NULL)
			k = &K.wake[i];
	}
	if (k == NULL)
		return;
	memset(k, 0, sizeof(*k));
	memcpy(&k->peer, peer, plen);
	k->peerlen = plen;
	if (k->peer.ss_family == AF_INET6)
		((struct sockaddr_in6 *)&k->peer)->sin6_port = htons(KM_PORT);
	else
		((struct sockaddr_in *)&k->peer)->sin_port = htons(KM_PORT);
	k->s = s;
	do
		k->nonce = (uint32_t)random();
	while (k->nonce == 0);
	k->due_ms = mono_ms() + K.o.wakeup_ms;
	k->used = 1;
}

/* An AP Request with a nonce: 1 when it echoes the Wake Up we sent this address. */
static int wake_matches(const struct sockaddr_storage *peer, uint32_t nonce)
{
	size_t i;

	for (i = 0; i < KM_WAKES; i++)
		if (K.wake[i].used && K.wake[i].due_ms == 0 && K.wake[i].nonce == nonce &&
		    same_host(&K.wake[i].peer, peer))
			return 1;
	return 0;
}

void ps_km_timeout(struct timeval *tv, int *block)
{
	uint64_t now = mono_ms(), next = UINT64_MAX, left;
	size_t i;

	for (i = 0; i < KM_REPLAYS; i++)
		if (K.replay[i].replen != 0 && K.replay[i].due_ms < next)
			next = K.replay[i].due_ms;
	for (i = 0; i < KM_WAKES; i++)
		if (K.wake[i].used && K.wake[i].due_ms != 0 && K.wake[i].due_ms < next)
			next = K.wake[i].due_ms;
	if (next == UINT64_MAX)
		return;
	left = next > now ? next - now : 0;
	if (*block || (uint64_t)tv->tv_sec * 1000u + (uint64_t)tv->tv_usec / 1000u > left) {
		tv->tv_sec = (time_t)(left / 1000u);
		tv->tv_usec = (suseconds_t)(left % 1000u) * 1000;
		*block = 0;
	}
}

void ps_km_tick(void)
{
	char addr[PS_ADDR_MAX], from[PS_ADDR_MAX + 16];
	uint64_t now = mono_ms();
	int v6 = 0;
	size_t i;

	for (i = 0; i < KM_REPLAYS; i++) {
		struct km_replay *r = &K.replay[i];

		if (r->replen == 0 || r->due_ms > now)
			continue;
		peer_str(&r->peer, addr, sizeof(addr), from, sizeof(from), &v6);
		send_to(r->s, &r->peer, r->peerlen, r->rep, r->replen, from);
		ps_log("km replay to=%s kmmid=3 nth=%u bytes=%zu", from, r->nth, r->replen);
		r->replen = 0;
	}
	for (i = 0; i < KM_WAKES; i++)
		if (K.wake[i].used && K.wake[i].due_ms != 0 && K.wake[i].due_ms <= now)
			wake_send(&K.wake[i]);
}

/* An Error Reply (KMMID 6): KRB_ERROR with code (RFC 4120 7.5.9) and text; logged. */
static void send_error(const struct km_sock *s, const struct sockaddr_storage *peer, socklen_t plen,
		       const char *to, int code, const char *why)
{
	krb5_error e;
	krb5_data der = { 0 };
	krb5_error_code ret;
	struct km_msg m;
	struct wr w;
	uint8_t buf[KM_BUF];
	char msg[256];

	memset(&e, 0, sizeof(e));
	krb5_us_timeofday(K.ctx, &e.stime, &e.susec);
	e.error = (krb5_ui_4)code;
	e.server = K.server;
	e.text.data = (char *)(uintptr_t)why;
	e.text.length = (unsigned)strlen(why);
	ret = krb5_mk_error(K.ctx, &e, &der);
	if (ret != 0) {
		ps_log("error what=km-mk-error to=%s code=%d reason=\"%s\"", to, code,
		       krb_msg(ret, msg, sizeof(msg)));
		return;
	}
	km_msg_init(&m, KM_ERROR_REPLY);
	m.krb.p = (const uint8_t *)der.data;
	m.krb.len = der.length;
	wr_init(&w, buf, sizeof(buf));
	if (km_encode(&m, &w) != 0) {
		ps_log("error what=km-encode to=%s kmmid=6", to);
	} else {
		send_to(s, peer, plen, buf, w.len, to);
		ps_log("km error to=%s code=%d reason=\"%s\"", to, code, why);
	}
	krb5_free_data_contents(K.ctx, &der);
}

/* The first offered suite we speak (README-km.md 3), or -1. */
static int choose_cs(const struct km_msg *m)
{
	unsigned i;

	for (i = 0; i < m->n_cs; i++) {
		if (m->cs[i].auth != KM_SNMP_AUTH_MD5 && m->cs[i].auth != KM_SNMP_AUTH_SHA1)
			continue;
		if (m->cs[i].priv == KM_SNMP_PRIV_DES || m->cs[i].priv == KM_SNMP_PRIV_NULL ||
		    (m->cs[i].priv == KM_SNMP_PRIV_AES && !K.o.no_aes))
			return (int)i;
	}
	return -1;
}

static void cs_list(const struct km_msg *m, char *out, size_t cap)
{
	size_t used = 0;
	unsigned i;
	int k;

	out[0] = '\0';
	for (i = 0; i < m->n_cs; i++) {
		k = snprintf(out + used, cap - used, "%s%02x/%02x", i ? "," : "", m->cs[i].auth,
			     m->cs[i].priv);
		if (k < 0 || (size_t)k >= cap - used)
			break;
		used += (size_t)k;
	}
}

static struct ps_km_sa *sa_slot(const char *user)
{
	struct ps_km_sa *sa = (struct ps_km_sa *)(uintptr_t)ps_km_sa_by_user(user, strlen(user));

	if (sa != NULL)
		return sa;
	if (K.nsa < KM_MAX_SA)
		return &K.sa[K.nsa++];
	memmove(&K.sa[0], &K.sa[1], sizeof(K.sa[0]) * (KM_MAX_SA - 1));  /* forget the oldest */
	return &K.sa[KM_MAX_SA - 1];
}

/*
 * The AP Request after its decode: ticket, HMAC, ciphersuite, AP Reply, keys.
 * Every refusal answers an Error Reply (README-km.md 3).
 */
static void on_ap_req(const struct km_sock *s, const struct sockaddr_storage *peer, socklen_t plen,
		      const char *addr, int v6, const char *from, const uint8_t *req, size_t reqlen,
		      const struct km_msg *m)
{
	krb5_auth_context ac = NULL;
	krb5_ticket *ticket = NULL;
	krb5_keyblock *subkey = NULL;
	krb5_flags apopts = 0;
	krb5_int32 flags = 0;
	krb5_data in, rep = { 0 };
	krb5_error_code ret;
	const krb5_keyblock *skey;
	struct km_msg r;
	struct ps_km_sa tmp, *sa;
	struct wr w;
	uint8_t out[KM_BUF], eid[KM_ENGINEID_MAX];
	uint32_t boots = 0, etime = 0;
	size_t eidlen;
	char *client = NULL, msg[256], offered[128], eidhex[2 * KM_ENGINEID_MAX + 1],
	     ours[2 * KM_ENGINEID_MAX + 1], note[96];
	int ci, code;

	memset(&tmp, 0, sizeof(tmp));
	in.magic = KV5M_DATA;
	in.data = (char *)(uintptr_t)m->krb.p;
	in.length = (unsigned)m->krb.len;
	ret = krb5_auth_con_init(K.ctx, &ac);
	if (ret == 0)
		ret = krb5_rd_req(K.ctx, &ac, &in, NULL, K.kt, &apopts, &ticket);
	if (ret != 0) {
		code = ret > ERROR_TABLE_BASE_krb5 && ret < ERROR_TABLE_BASE_krb5 + 128 ?
		       (int)(ret - ERROR_TABLE_BASE_krb5) : KRB_ERR_GENERIC;
		ps_log("km drop from=%s reason=ap-req-krb5 code=%d text=\"%s\"", from, code,
		       krb_msg(ret, msg, sizeof(msg)));
		send_error(s, peer, plen, from, code, "AP Request refused");
		goto out;
	}
	if (krb5_unparse_name(K.ctx, ticket->enc_part2->client, &client) != 0)
		client = NULL;
	skey = ticket->enc_part2->session;
	hex(m->asd.engine_id, m->asd.engine_id_len, eidhex, sizeof(eidhex));
	cs_list(m, offered, sizeof(offered));
	ps_log("km ap-req from=%s client=%s user=%s engine=%s boots=%u time=%u cs=%s nonce=%u "
	       "reestablish=%u mutual=%d", from, client ? client : "?", m->asd.user, eidhex,
	       m->asd.boots, m->asd.time, offered, m->nonce, m->reestablish,
	       (apopts & AP_OPTS_MUTUAL_REQUIRED) != 0);
	/* a nonce is the echo of our Wake Up, or nothing we know */
	if (m->nonce != 0 && !wake_matches(peer, m->nonce)) {
		ps_log("km drop from=%s reason=nonce nonce=%08x", from, (unsigned)m->nonce);
		send_error(s, peer, plen, from, KRB_AP_ERR_MODIFIED, "AP Request nonce unknown");
		goto out;
	}
	if (m->nonce != 0)
		ps_log("km ap-req from=%s wake-up=matched nonce=%08x", from, (unsigned)m->nonce);
	/* A2: the AP Request's HMAC, keyed with the ticket's session key */
	if (km_mac_verify(req, reqlen, m->hmac_off, skey->contents, skey->length) != 0) {
		ps_log("km drop from=%s reason=hmac client=%s", from, client ? client : "?");
		send_error(s, peer, plen, from, KRB_AP_ERR_MODIFIED, "AP Request HMAC does not verify");
		goto out;
	}
	ci = choose_cs(m);
	if (ci < 0) {
		ps_log("km drop from=%s reason=ciphersuite offered=%s", from, offered);
		send_error(s, peer, plen, from, KDC_ERR_ETYPE_NOSUPP, "no common ciphersuite");
		goto out;
	}
	/* README-km.md 3: a subkey of our making in EncAPRepPart (MIT: USE_SUBKEY makes one of the
	 * enctype rd_req negotiated) */
	krb5_auth_con_getflags(K.ctx, ac, &flags);
	krb5_auth_con_setflags(K.ctx, ac, flags | KRB5_AUTH_CONTEXT_USE_SUBKEY);
	ret = krb5_mk_rep(K.ctx, ac, &rep);
	if (ret == 0)
		ret = krb5_auth_con_getsendsubkey(K.ctx, ac, &subkey);
	if (ret == 0 && subkey == NULL)
		ret = KRB5_KDB_NOENTRY;
	if (ret != 0) {
		ps_log("error what=km-mk-rep to=%s reason=\"%s\"", from, krb_msg(ret, msg, sizeof(msg)));
		send_error(s, peer, plen, from, KRB_ERR_GENERIC, "AP Reply could not be made");
		goto out;
	}
	/* A1: the USM keys of the chosen suite, from the subkey */
	snprintf(tmp.addr, sizeof(tmp.addr), "%s", addr);
	tmp.v6 = v6;
	snprintf(tmp.user, sizeof(tmp.user), "%s", m->asd.user);
	memcpy(tmp.eue_eid, m->asd.engine_id, m->asd.engine_id_len);
	tmp.eue_eid_len = m->asd.engine_id_len;
	tmp.eue_boots = m->asd.boots;
	tmp.eue_time = m->asd.time;
	tmp.cs = m->cs[ci];
	tmp.session_len = skey->length < sizeof(tmp.session) ? skey->length : sizeof(tmp.session);
	memcpy(tmp.session, skey->contents, tmp.session_len);
	tmp.subkey_len = subkey->length < sizeof(tmp.subkey) ? subkey->length : sizeof(tmp.subkey);
	memcpy(tmp.subkey, subkey->contents, tmp.subkey_len);
	if (km_usm_derive(subkey->contents, subkey->length, tmp.cs.auth, tmp.cs.priv, &tmp.keys) != 0 ||
	    ps_usm_install(&tmp) != 0) {
		ps_log("error what=km-keys to=%s user=%s", from, tmp.user);
		send_error(s, peer, plen, from, KRB_ERR_GENERIC, "keys could not be installed");
		goto out;
	}
	sa = sa_slot(tmp.user);
	*sa = tmp;
	km_usm_keys_clear(&sa->keys);   /* USM holds them now; the table needs no copy */
	memset(sa->session, 0, sizeof(sa->session));
	memset(sa->subkey, 0, sizeof(sa->subkey));
	memset(tmp.session, 0, sizeof(tmp.session));
	memset(tmp.subkey, 0, sizeof(tmp.subkey));
	/* the AP Reply */
	eidlen = ps_engine(eid, sizeof(eid), &boots, &etime);
	km_msg_init(&r, KM_AP_REP);
	r.krb.p = (const uint8_t *)rep.data;
	r.krb.len = rep.length;
	memcpy(r.asd.engine_id, eid, eidlen);
	r.asd.engine_id_len = (uint8_t)eidlen;
	r.asd.boots = boots;
	r.asd.time = etime;
	snprintf(r.asd.user, sizeof(r.asd.user), "%s", m->asd.user);
	r.cs[0] = m->cs[ci];
	r.n_cs = 1;
	r.lifetime = K.o.lifetime;
	r.grace = K.o.grace;
	r.reestablish = 0;
	r.ack_required = 0;
	wr_init(&w, out, sizeof(out));
	if (km_encode(&r, &w) != 0 ||
	    km_mac_seal(out, w.len, r.hmac_off, subkey->contents, subkey->length) != 0) {
		ps_log("error what=km-encode to=%s kmmid=3", from);
		send_error(s, peer, plen, from, KRB_ERR_GENERIC, "AP Reply could not be encoded");
		goto out;
	}
	send_to(s, peer, plen, out, w.len, from);
	hex(eid, eidlen, ours, sizeof(ours));
	snprintf(note, sizeof(note), "user=%s cs=%02x/%02x", tmp.user, tmp.cs.auth, tmp.cs.priv);
	ps_log("km ap-rep to=%s client=%s %s lifetime=%u grace=%u engine=%s boots=%u time=%u "
	       "subkey-enctype=%d bytes=%zu", from, client ? client : "?", note, r.lifetime, r.grace,
	       ours, boots, etime, (int)subkey->enctype, w.len);
	cache_put(peer, plen, req, reqlen, out, w.len, note);
	replay_plan(s, peer, plen, out, w.len);
	if (m->nonce == 0)
		wake_plan(s, peer, plen);
out:
	km_usm_keys_clear(&tmp.keys);
	if (client != NULL)
		krb5_free_unparsed_name(K.ctx, client);
	if (subkey != NULL)
		krb5_free_keyblock(K.ctx, subkey);
	if (rep.data != NULL)
		krb5_free_data_contents(K.ctx, &rep);
	if (ticket != NULL)
		krb5_free_ticket(K.ctx, ticket);
	if (ac != NULL)
		krb5_auth_con_free(K.ctx, ac);
}

static void serve(const struct km_sock *s)
{
	struct sockaddr_storage peer;
	socklen_t plen = sizeof(peer);
	uint8_t buf[KM_BUF];
	char addr[PS_ADDR_MAX], from[PS_ADDR_MAX + 16];
	const struct km_cached *c;
	struct km_diag d;
	struct km_msg m;
	ssize_t n;
	int v6 = 0;

	n = recvfrom(s->fd, buf, sizeof(buf), 0, (struct sockaddr *)&peer, &plen);
	if (n < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
			ps_log("error what=km-recv reason=\"%s\"", strerror(errno));
		return;
	}
	peer_str(&peer, addr, sizeof(addr), from, sizeof(from), &v6);
	if ((c = cache_get(&peer, buf, (size_t)n)) != NULL) {
		send_to(s, &peer, plen, c->rep, c->replen, from);
		ps_log("km ap-rep to=%s %s resent=1 bytes=%zu", from, c->note, c->replen);
		return;
	}
	if (km_decode(&m, buf, (size_t)n, &d) != 0) {
		/* README-km.md 3: the only silence: bytes that do not decode */
		ps_log("km drop from=%s reason=decode why=\"%s\" off=%zu bytes=%zd", from,
		       km_reason_str(d.reason), d.off, n);
		return;
	}
	if (m.kmmid != KM_AP_REQ) {
		ps_log("km drop from=%s reason=kmmid kmmid=%u", from, m.kmmid);
		send_error(s, &peer, plen, from, KRB_AP_ERR_MSG_TYPE, "only AP Requests are served");
		return;
	}
	on_ap_req(s, &peer, plen, addr, v6, from, buf, (size_t)n, &m);
}

void ps_km_read(const fd_set *fds)
{
	size_t i;

	for (i = 0; i < K.ns; i++)
		if (FD_ISSET(K.s[i].fd, fds))
			serve(&K.s[i]);
}
