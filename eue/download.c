/*
 * download.c: the configuration file download (see download.h) on libcurl's
 * multi_socket interface.  The only file of the project that includes
 * <curl/curl.h>; it may touch the loop, net_addr text forms and retx, and
 * nothing of the flow.
 *
 * Shape: one CURLM per download, one CURL easy handle per attempt.  curl
 * tells us which sockets to watch (CURLMOPT_SOCKETFUNCTION -> loop_watch_fd)
 * and when to call it back (CURLMOPT_TIMERFUNCTION -> a loop timer); every
 * loop event goes back through curl_multi_socket_action(), after which
 * finished transfers are read with curl_multi_info_read().  The user's
 * done() is only ever called from a loop callback, so it may call
 * dl_stop() (deferred until done() returns).
 */
#include "eue/download.h"
#include "eue/dl_body.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "platform/clock.h"
#include "platform/err.h"
#include "platform/log.h"
#include "platform/rand.h"
#include "platform/retx.h"

#define DL_FDS_MAX 8

enum dl_phase { PH_XFER, PH_BACKOFF, PH_FAILED, PH_DONE };

struct dl {
	struct loop *loop;
	dl_done_fn *done;
	void *arg;
	/* what to fetch */
	struct cfgurl urls[DL_URLS_MAX];
	struct net_addr servers[DL_URLS_MAX];
	unsigned n;
	char iface[80];                 /* CURLOPT_INTERFACE value, "" for none */
	size_t max_size;
	uint32_t timeout_ms;
	unsigned rounds;
	struct retx_param bo_p;
	struct retx bo;
	/* curl */
	CURLM *multi;
	CURL *easy;
	struct curl_slist *resolve;
	char errbuf[CURL_ERROR_SIZE];
	struct loop_timer curl_timer;   /* CURLMOPT_TIMERFUNCTION's timeout */
	struct loop_timer kick;         /* back-off, or an early failure's report */
	int fds[DL_FDS_MAX];
	unsigned nfds;
	/* the attempt */
	enum dl_phase phase;
	unsigned idx, round, attempts;
	unsigned blksize;
	long http_status;
	char tftp_err[200];             /* the server's ERROR text, via curl's info */
	struct dl_body body;            /* bounded by max_size (dl_body.c) */
	/* the outcome */
	int rc;
	char why[320];
	int in_done, stop_req;
};

static int curl_ready(void)
{
	static int done;   /* curl_global_init is process-wide and not thread-safe:
	                      eued is single-threaded, and init happens once */

	if (!done) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
			return E_NOMEM;
		done = 1;
	}
	return 0;
}

/* ---------------------------------------------------------------- curl callbacks */

static void on_fd(void *arg, int fd, unsigned events);

static int track_fd(struct dl *d, int fd, int add)
{
	unsigned i;

	for (i = 0; i < d->nfds; i++)
		if (d->fds[i] == fd)
			break;
	if (add && i == d->nfds) {
		if (d->nfds == DL_FDS_MAX)
			return E_OVERFLOW;
		d->fds[d->nfds++] = fd;
	} else if (!add && i < d->nfds) {
		d->fds[i] = d->fds[--d->nfds];
	}
	return 0;
}

static int sock_cb(CURL *e, curl_socket_t s, int what, void *userp, void *socketp)
{
	struct dl *d = userp;
	unsigned ev = 0;

	(void)e;
	(void)socketp;
	if (what == CURL_POLL_REMOVE) {
		loop_unwatch_fd(d->loop, s);
		(void)track_fd(d, s, 0);
		return 0;
	}
	if (what & CURL_POLL_IN)
		ev |= LOOP_IN;
	if (what & CURL_POLL_OUT)
		ev |= LOOP_OUT;
	if (track_fd(d, s, 1) != 0 || loop_watch_fd(d->loop, s, ev, on_fd, d) != 0) {
		log_warnx("download: cannot watch socket %d", (int)s);
		return -1;     /* curl fails the transfer */
	}
	return 0;
}

static void on_curl_timer(void *arg);

static int timer_cb(CURLM *m, long timeout_ms, void *userp)
{
	struct dl *d = userp;

	(void)m;
	if (timeout_ms < 0)
		loop_timer_cancel(d->loop, &d->curl_timer);
	else    /* 0 too: curl must not be re-entered from its own callback */
		loop_timer_arm(d->loop, &d->curl_timer,
			       timeout_ms > 86400000L ? 86400000u : (uint32_t)timeout_ms);
	return 0;
}

/* A size announced before the body (TFTP's tsize in the OACK, RFC 2349; HTTP's
 * Content-Length) above the bound ends the transfer before its first byte:
 * libcurl applies CURLOPT_MAXFILESIZE to HTTP but not to TFTP's tsize, so a
 * 10 MB file otherwise comes in until write_cb reaches the bound (1 MB). */
static int xfer_cb(void *userp, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		   curl_off_t ulnow)
{
	struct dl *d = userp;

	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	if (dltotal > 0 && dl_body_announced(&d->body, (uint64_t)dltotal) != 0)
		return 1;   /* CURLE_ABORTED_BY_CALLBACK; classify() reports the bound */
	return 0;
}

static size_t write_cb(char *ptr, size_t size, size_t nmemb, void *userp)
{
	struct dl *d = userp;
	size_t n = size * nmemb;

	if (d->urls[d->idx].scheme == CFGURL_HTTP) {
		/* don't buffer an error page: any status but 200 fails at once */
		(void)curl_easy_getinfo(d->easy, CURLINFO_RESPONSE_CODE, &d->http_status);
		if (d->http_status != 200)
			return 0;
	}
	/* anything but all n bytes taken makes curl fail the transfer */
	return dl_body_append(&d->body, ptr, n) == 0 ? n : 0;
}

/* curl's informational text is where the TFTP negotiation shows: the OACK's
 * blksize ("blksize parsed from OACK (1448) ...") and a server's ERROR
 * message ("TFTP error: File not found"). */
static int debug_cb(CURL *e, curl_infotype type, char *data, size_t size, void *userp)
{
	struct dl *d = userp;
	int n = 0;

	(void)e;
	if (type != CURLINFO_TEXT)
		return 0;
	(void)dl_info_line(data, size, &d->blksize, d->tftp_err, sizeof(d->tftp_err));
	/* its first line only, as before: curl's text may quote the server (a TFTP
	 * error), and a line break in it must not start a forged log line */
	while (n < 200 && (size_t)n < size && data[n] != '\n' && data[n] != '\r')
		n++;
	log_debug("download: curl: %.*s", n, data);
	return 0;
}

/* ---------------------------------------------------------------- attempts */

static void finish_attempt(struct dl *d, int rc, const char *why);
static void deliver(struct dl *d);

static void drop_easy(struct dl *d)
{
	if (d->easy != NULL) {
		(void)curl_multi_remove_handle(d->multi, d->easy);
		curl_easy_cleanup(d->easy);
		d->easy = NULL;
	}
	curl_slist_free_all(d->resolve);
	d->resolve = NULL;
}

static const struct net_addr *server_of(const struct dl *d, unsigned i, struct net_addr *tmp)
{
	const struct cfgurl *u = &d->urls[i];

	if (u->host_kind == CFGURL_HOST_FQDN)
		return &d->servers[i];
	memset(tmp, 0, sizeof(*tmp));
	tmp->family = u->host_kind == CFGURL_HOST_IPV6 ? AF_INET6 : AF_INET;
	memcpy(tmp->addr, u->addr, 16);
	return tmp;
}

/* Start attempt d->idx; returns 0 or E_* with d->why set. */
static int start_attempt(struct dl *d)
{
	const struct cfgurl *u = &d->urls[d->idx];
	struct net_addr tmp;
	const struct net_addr *srv = server_of(d, d->idx, &tmp);
	char url[CFGURL_MAX + 96], ip[64], entry[DNSNAME_TEXT_MAX + 80];
	int v6 = srv->family == AF_INET6;
	CURL *e;
	int ok = 1;

	d->attempts++;
	d->blksize = 0;
	d->http_status = 0;
	dl_body_reset(&d->body);
	d->tftp_err[0] = '\0';
	d->errbuf[0] = '\0';
	d->phase = PH_XFER;
	if (net_ip_str(srv, ip, sizeof(ip)) == NULL) {
		(void)snprintf(d->why, sizeof(d->why), "bad server address");
		return E_INVAL;
	}
	(void)snprintf(url, sizeof(url), "%s://%s%s%s:%u%s%s",
		       u->scheme == CFGURL_TFTP ? "tftp" : "http",
		       u->host_kind == CFGURL_HOST_IPV6 ? "[" : "", u->host,
		       u->host_kind == CFGURL_HOST_IPV6 ? "]" : "", (unsigned)u->port, u->path,
		       u->scheme == CFGURL_TFTP && u->netascii ? ";mode=netascii" : "");
	if (u->host_kind == CFGURL_HOST_FQDN) {
		/* eUE-20/21 resolved the name already: pre-fill curl's DNS cache
		 * so the system resolver is never asked */
		(void)snprintf(entry, sizeof(entry), "%s:%u:%s%s%s", u->host, (unsigned)u->port,
			       v6 ? "[" : "", ip, v6 ? "]" : "");
		d->resolve = curl_slist_append(NULL, entry);
		if (d->resolve == NULL)
			goto nomem;
	}
	e = d->easy = curl_easy_init();
	if (e == NULL)
		goto nomem;
	ok &= curl_easy_setopt(e, CURLOPT_URL, url) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "tftp,http") == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L) == CURLE_OK;
	/* straight to the server: no http_proxy/all_proxy from the environment */
	ok &= curl_easy_setopt(e, CURLOPT_PROXY, "") == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_PATH_AS_IS, 1L) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_IPRESOLVE,
			       v6 ? CURL_IPRESOLVE_V6 : CURL_IPRESOLVE_V4) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)d->timeout_ms) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)d->max_size) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, xfer_cb) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_XFERINFODATA, d) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_WRITEDATA, d) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_ERRORBUFFER, d->errbuf) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_VERBOSE, 1L) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, debug_cb) == CURLE_OK;
	ok &= curl_easy_setopt(e, CURLOPT_DEBUGDATA, d) == CURLE_OK;
	if (u->scheme == CFGURL_TFTP)   /* 6.3.3 (IPv4), eUE-22 (IPv6) */
		ok &= curl_easy_setopt(e, CURLOPT_TFTP_BLKSIZE,
				       (long)(v6 ? DL_BLKSIZE_V6 : DL_BLKSIZE_V4)) == CURLE_OK;
	if (d->resolve != NULL)
		ok &= curl_easy_setopt(e, CURLOPT_RESOLVE, d->resolve) == CURLE_OK;
	if (d->iface[0] != '\0')
		ok &= curl_easy_setopt(e, CURLOPT_INTERFACE, d->iface) == CURLE_OK;
	if (!ok) {
		(void)snprintf(d->why, sizeof(d->why), "libcurl refused an option");
		return E_UNSUPPORTED;
	}
	if (curl_multi_add_handle(d->multi, e) != CURLM_OK)
		goto nomem;
	log_debug("download: attempt %u: %s (server %s)", d->attempts, url, ip);
	return 0;
nomem:
	(void)snprintf(d->why, sizeof(d->why), "out of memory");
	return E_NOMEM;
}

static const char *tftp_code_name(int code)
{
	static const char *const names[] = {
		[0] = "not defined", [1] = "file not found", [2] = "access violation",
		[3] = "disk full", [4] = "illegal operation", [5] = "unknown transfer id",
		[6] = "file exists", [7] = "no such user", [8] = "option negotiation failed",
	};

	return code >= 0 && code <= 8 ? names[code] : "?";
}

/* Map a finished transfer to (rc, why). */
static int classify(struct dl *d, CURLcode cc, char *why, size_t cap)
{
	/* curl 7.88 leaves a harmless "getpeername() failed" from the TFTP
	 * (unconnected UDP) setup in the error buffer: not the cause */
	const char *detail = d->errbuf[0] && strncmp(d->errbuf, "getpeername", 11) != 0 ?
			     d->errbuf : curl_easy_strerror(cc);
	int tcode = -1;

	if (d->body.too_big || cc == CURLE_FILESIZE_EXCEEDED) {
		(void)snprintf(why, cap, "file larger than %zu bytes", d->max_size);
		return E_OVERFLOW;
	}
	if (d->urls[d->idx].scheme == CFGURL_HTTP && (cc == CURLE_OK || cc == CURLE_WRITE_ERROR)) {
		(void)curl_easy_getinfo(d->easy, CURLINFO_RESPONSE_CODE, &d->http_status);
		if (d->http_status != 200) {
			/* a 3xx too: no redirects (the spec names one location) */
			(void)snprintf(why, cap, "http status %ld", d->http_status);
			return d->http_status == 404 ? E_NOTFOUND : E_PROTO;
		}
	}
	switch (cc) {
	case CURLE_OK:
		why[0] = '\0';
		return 0;
	case CURLE_OPERATION_TIMEDOUT:
		(void)snprintf(why, cap, "timeout after %u ms: %s", (unsigned)d->timeout_ms, detail);
		return E_TIMEOUT;
	case CURLE_TFTP_NOTFOUND: tcode = 1; break;
	case CURLE_TFTP_PERM: tcode = 2; break;
	case CURLE_REMOTE_DISK_FULL: tcode = 3; break;
	case CURLE_TFTP_ILLEGAL: tcode = 4; break;
	case CURLE_TFTP_UNKNOWNID: tcode = 5; break;
	case CURLE_REMOTE_FILE_EXISTS: tcode = 6; break;
	case CURLE_TFTP_NOSUCHUSER: tcode = 7; break;
	case CURLE_OUT_OF_MEMORY:
		(void)snprintf(why, cap, "out of memory");
		return E_NOMEM;
	case CURLE_COULDNT_CONNECT:
	case CURLE_INTERFACE_FAILED:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
		(void)snprintf(why, cap, "%s", detail);
		return E_IO;
	default:
		break;
	}
	if (tcode >= 0) {
		(void)snprintf(why, cap, "tftp error %d (%s): %s", tcode, tftp_code_name(tcode),
			       d->tftp_err[0] ? d->tftp_err : detail);
		return tcode == 1 ? E_NOTFOUND : E_PROTO;
	}
	if (d->tftp_err[0] != '\0') {
		/* an ERROR curl has no code for (0, 8) */
		(void)snprintf(why, cap, "tftp error: %s", d->tftp_err);
		return E_PROTO;
	}
	(void)snprintf(why, cap, "%s", detail);
	return E_PROTO;
}

static void check_done(struct dl *d)
{
	CURLMsg *m;
	int left;

	while (d->phase == PH_XFER && (m = curl_multi_info_read(d->multi, &left)) != NULL) {
		char why[sizeof(d->why)];
		int rc;

		if (m->msg != CURLMSG_DONE || m->easy_handle != d->easy)
			continue;
		rc = classify(d, m->data.result, why, sizeof(why));
		if (rc == 0 && d->urls[d->idx].scheme == CFGURL_TFTP && d->blksize == 0)
			d->blksize = 512;   /* no blksize in an OACK: RFC 2348's default */
		finish_attempt(d, rc, why);
		return;     /* d may be gone: done() may have called dl_stop() */
	}
}

static void on_fd(void *arg, int fd, unsigned events)
{
	struct dl *d = arg;
	int running, ev = 0;

	if (events & LOOP_IN)
		ev |= CURL_CSELECT_IN;
	if (events & LOOP_OUT)
		ev |= CURL_CSELECT_OUT;
	if (events & LOOP_ERR)
		ev |= CURL_CSELECT_ERR;
	(void)curl_multi_socket_action(d->multi, fd, ev, &running);
	check_done(d);
}

static void on_curl_timer(void *arg)
{
	struct dl *d = arg;
	int running;

	(void)curl_multi_socket_action(d->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	check_done(d);
}

/* One attempt ended: success is the end; a failure moves to the next URL,
 * or after a pass over all of them to the back-off (download.h). */
static void finish_attempt(struct dl *d, int rc, const char *why)
{
	char ip[64];
	struct net_addr tmp;
	int w;

	drop_easy(d);
	(void)net_ip_str(server_of(d, d->idx, &tmp), ip, sizeof(ip));
	if (rc == 0) {
		d->rc = 0;
		d->why[0] = '\0';
		log_info("download: %s from %s: %zu bytes (%s, blksize %u)", d->urls[d->idx].file,
			 ip, d->body.len, d->blksize ? "tftp" : "http", d->blksize);
		deliver(d);
		return;
	}
	d->rc = rc;
	if (d->n > 1)
		w = snprintf(d->why, sizeof(d->why), "%u attempts, last from %s: %s", d->attempts, ip,
			     why);
	else
		w = snprintf(d->why, sizeof(d->why), "%s", why);
	if (w >= (int)sizeof(d->why))
		log_debug("download: reason truncated (it is for the trace only)");
	log_info("download: attempt %u from %s failed: %s", d->attempts, ip, why);
	dl_body_reset(&d->body);
	if (d->idx + 1 < d->n) {
		int r;

		d->idx++;
		if ((r = start_attempt(d)) != 0) {
			d->rc = r;
			d->phase = PH_FAILED;
			loop_timer_arm(d->loop, &d->kick, 0);
		}
		return;
	}
	if (d->n > 1 && d->round + 1 < d->rounds) {
		uint32_t wait = 0;

		if (d->round == 0)
			retx_start(&d->bo, &d->bo_p, clock_mono_ms());
		(void)retx_next(&d->bo, clock_mono_ms(), rand_u32(), &wait);
		d->phase = PH_BACKOFF;
		log_info("download: every server failed (pass %u of %u), next pass in %u ms",
			 d->round + 1, d->rounds, (unsigned)wait);
		loop_timer_arm(d->loop, &d->kick, wait);
		return;
	}
	deliver(d);
}

static void on_kick(void *arg)
{
	struct dl *d = arg;

	if (d->phase == PH_BACKOFF) {
		d->round++;
		d->idx = 0;
		int r = start_attempt(d);

		if (r == 0)
			return;
		d->rc = r;
	}
	deliver(d);
}

static void free_all(struct dl *d)
{
	unsigned i;

	loop_timer_cancel(d->loop, &d->kick);
	drop_easy(d);
	if (d->multi != NULL)
		(void)curl_multi_cleanup(d->multi);
	loop_timer_cancel(d->loop, &d->curl_timer);
	for (i = 0; i < d->nfds; i++)
		loop_unwatch_fd(d->loop, d->fds[i]);
	dl_body_free(&d->body);
	free(d);
}

static void deliver(struct dl *d)
{
	d->phase = PH_DONE;
	d->in_done = 1;
	if (d->rc == 0)
		d->done(d->arg, 0, d->body.buf != NULL ? d->body.buf : (const uint8_t *)"", d->body.len,
			NULL);
	else
		d->done(d->arg, d->rc, NULL, 0, d->why);
	d->in_done = 0;
	if (d->stop_req)
		free_all(d);
}

/* ---------------------------------------------------------------- API */

struct dl *dl_start(struct loop *l, const struct cfgurl *urls, unsigned n,
		    const struct dl_req *req, dl_done_fn *done, void *arg, int *err)
{
	static const struct dl_req none;
	struct dl *d;
	unsigned i;
	int dummy, rc;

	if (err == NULL)
		err = &dummy;
	if (req == NULL)
		req = &none;
	*err = E_INVAL;
	if (l == NULL || urls == NULL || n == 0 || n > DL_URLS_MAX || done == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (urls[i].scheme != CFGURL_TFTP && urls[i].scheme != CFGURL_HTTP)
			return NULL;
		if (urls[i].host_kind == CFGURL_HOST_FQDN &&
		    (req->servers == NULL ||
		     (req->servers[i].family != AF_INET && req->servers[i].family != AF_INET6)))
			return NULL;    /* eUE-20/21 first: we never resolve */
	}
	*err = E_NOMEM;
	if (curl_ready() != 0)
		return NULL;
	d = calloc(1, sizeof(*d));
	if (d == NULL)
		return NULL;
	d->loop = l;
	d->done = done;
	d->arg = arg;
	d->n = n;
	memcpy(d->urls, urls, n * sizeof(urls[0]));
	if (req->servers != NULL)
		memcpy(d->servers, req->servers, n * sizeof(req->servers[0]));
	if (req->ifname != NULL && req->ifname[0] != '\0') {
		(void)snprintf(d->iface, sizeof(d->iface), "if!%s", req->ifname);
	} else if (req->local != NULL) {
		char ip[64];

		if (net_ip_str(req->local, ip, sizeof(ip)) != NULL)
			(void)snprintf(d->iface, sizeof(d->iface), "host!%s", ip);
	}
	d->max_size = req->max_size ? req->max_size : DL_MAX_SIZE_DEFAULT;
	dl_body_init(&d->body, d->max_size);
	d->timeout_ms = req->timeout_ms ? req->timeout_ms : DL_TIMEOUT_DEFAULT_MS;
	d->rounds = req->rounds ? req->rounds : DL_ROUNDS;
	d->bo_p.irt_ms = req->backoff_start_ms ? req->backoff_start_ms : DL_BACKOFF_START_MS;
	d->bo_p.mrt_ms = req->backoff_max_ms ? req->backoff_max_ms : DL_BACKOFF_MAX_MS;
	d->bo_p.jitter_permille = 100;
	loop_timer_init(&d->curl_timer, on_curl_timer, d);
	loop_timer_init(&d->kick, on_kick, d);
	d->multi = curl_multi_init();
	if (d->multi == NULL ||
	    curl_multi_setopt(d->multi, CURLMOPT_SOCKETFUNCTION, sock_cb) != CURLM_OK ||
	    curl_multi_setopt(d->multi, CURLMOPT_SOCKETDATA, d) != CURLM_OK ||
	    curl_multi_setopt(d->multi, CURLMOPT_TIMERFUNCTION, timer_cb) != CURLM_OK ||
	    curl_multi_setopt(d->multi, CURLMOPT_TIMERDATA, d) != CURLM_OK) {
		free_all(d);
		return NULL;
	}
	rc = start_attempt(d);
	if (rc != 0) {
		if (rc == E_NOMEM) {
			free_all(d);
			*err = rc;
			return NULL;
		}
		/* reported from the loop, like every other outcome */
		d->rc = rc;
		d->phase = PH_FAILED;
		loop_timer_arm(l, &d->kick, 0);
	}
	*err = 0;
	return d;
}

void dl_stop(struct dl *d)
{
	if (d == NULL)
		return;
	if (d->in_done) {
		d->stop_req = 1;
		return;
	}
	free_all(d);
}

unsigned dl_blksize(const struct dl *d)
{
	return d->blksize;
}

unsigned dl_url_index(const struct dl *d)
{
	return d->idx;
}

unsigned dl_attempts(const struct dl *d)
{
	return d->attempts;
}
