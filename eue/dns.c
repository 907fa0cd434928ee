/*
 * dns.c: DNS lookups through c-ares on our loop (see dns.h).  The only file
 * of the project that includes <ares.h>; it may touch the loop, net_addr
 * and rand, and nothing of the flow.
 *
 * c-ares reports the sockets it wants watched through
 * ARES_OPT_SOCK_STATE_CB (-> loop_watch_fd); readiness goes back through
 * ares_process_fd(), and ares_timeout() after every call re-arms one loop
 * timer that calls ares_process_fd() with no fd (retries and timeouts).
 * Answers are parsed in the c-ares callback into the query's result, and
 * the user's callback runs later from a 0 ms loop timer of the query.
 */
#include "eue/dns.h"

#include <ares.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "platform/err.h"
#include "platform/log.h"
#include "platform/rand.h"

#define DNS_FDS_MAX 16
#define CLASS_IN 1      /* RFC 1035 3.2.4 */

struct dns_query {
	struct dns *dns;
	struct dns_query *next;           /* in dns->queries */
	dns_done_fn *done;                /* NULL once cancelled */
	void *arg;
	struct loop_timer deliver;        /* 0 ms: the user's callback */
	int answered;                     /* the c-ares callback ran */
	int rc;
	char why[600];
	struct dns_result res;
};

struct dns {
	struct loop *loop;
	ares_channel ch;
	struct loop_timer timer;          /* ares_timeout() */
	int fds[DNS_FDS_MAX];
	unsigned nfds;
	struct dns_query *queries;        /* not yet delivered, cancelled ones included */
	int destroying;
	char servers_text[160];           /* for the log and why */
	/* c-ares 1.18 refuses a new server list while queries are in flight
	 * (ARES_ENOTIMP): such a list waits here until the channel is idle */
	struct net_addr next_servers[DNS_SERVERS_MAX];
	unsigned n_next;
};

static int set_servers(struct dns *d, const struct net_addr *servers, unsigned n);

static int ares_ready(void)
{
	static int done;   /* process-wide, once; eued is single-threaded */

	if (!done) {
		if (ares_library_init(ARES_LIB_INIT_ALL) != ARES_SUCCESS)
			return E_NOMEM;
		done = 1;
	}
	return 0;
}

/* ---------------------------------------------------------------- loop glue */

static void rearm(struct dns *d)
{
	struct timeval tv, *t;

	if (d->destroying)
		return;
	t = ares_timeout(d->ch, NULL, &tv);
	if (t == NULL) {
		loop_timer_cancel(d->loop, &d->timer);
		if (d->n_next > 0) {   /* idle now: the renewal's servers apply */
			unsigned n = d->n_next;

			d->n_next = 0;
			if (set_servers(d, d->next_servers, n) != 0)
				log_warnx("dns: cannot set the new servers");
		}
		return;
	}
	loop_timer_arm(d->loop, &d->timer,
		       (uint32_t)(t->tv_sec * 1000 + (t->tv_usec + 999) / 1000));
}

static void on_fd(void *arg, int fd, unsigned events)
{
	struct dns *d = arg;
	/* an error condition is read: c-ares learns of it from recv() */
	ares_socket_t r = events & (LOOP_IN | LOOP_ERR) ? fd : ARES_SOCKET_BAD;
	ares_socket_t w = events & LOOP_OUT ? fd : ARES_SOCKET_BAD;

	ares_process_fd(d->ch, r, w);
	rearm(d);
}

static void on_timer(void *arg)
{
	struct dns *d = arg;

	ares_process_fd(d->ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
	rearm(d);
}

static void sock_state(void *data, ares_socket_t fd, int readable, int writable)
{
	struct dns *d = data;
	unsigned i;

	for (i = 0; i < d->nfds; i++)
		if (d->fds[i] == fd)
			break;
	if (!readable && !writable) {
		loop_unwatch_fd(d->loop, fd);
		if (i < d->nfds)
			d->fds[i] = d->fds[--d->nfds];
		return;
	}
	if (i == d->nfds) {
		if (d->nfds == DNS_FDS_MAX) {
			log_warnx("dns: too many sockets");
			return;    /* c-ares times the query out */
		}
		d->fds[d->nfds++] = fd;
	}
	if (loop_watch_fd(d->loop, fd, (readable ? LOOP_IN : 0u) | (writable ? LOOP_OUT : 0u),
			  on_fd, d) != 0)
		log_warnx("dns: cannot watch socket %d", (int)fd);
}

/* ---------------------------------------------------------------- answers */

static int name_eq(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	/* one final dot on either side is the same name */
	if (la && a[la - 1] == '.')
		la--;
	if (lb && b[lb - 1] == '.')
		lb--;
	return la == lb && strncasecmp(a, b, la) == 0;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Skip the name at *off; 0 or E_*.  c-ares bounds the walk (compression
 * loops, lengths) and gives the bytes the name takes at *off. */
static int expand(const uint8_t *msg, size_t len, size_t *off, char *out, size_t cap)
{
	char *s = NULL;
	long used = 0;

	if (*off >= len)
		return E_SHORT;
	if (ares_expand_name(msg + *off, msg, (int)len, &s, &used) != ARES_SUCCESS || used <= 0)
		return E_PROTO;
	if (out != NULL)
		(void)snprintf(out, cap, "%s", s);
	ares_free_string(s);
	*off += (size_t)used;
	return 0;
}

int dns_parse_additional(const uint8_t *msg, size_t len, struct dns_result *res)
{
	size_t off = 12;
	unsigned qd, an, ns, ar, i;
	int rc;

	if (len < 12)
		return E_SHORT;
	if (len > 65535)
		return E_PROTO;   /* no DNS message is longer (RFC 1035 4.2.2 length) */
	qd = get16(msg + 4);
	an = get16(msg + 6);
	ns = get16(msg + 8);
	ar = get16(msg + 10);
	for (i = 0; i < qd; i++) {
		if ((rc = expand(msg, len, &off, NULL, 0)) != 0)
			return rc;
		if (len - off < 4)
			return E_SHORT;
		off += 4;         /* QTYPE, QCLASS */
	}
	for (i = 0; i < an + ns + ar; i++) {
		char owner[DNSNAME_TEXT_MAX];
		uint16_t type, class, rdlen;
		unsigned k;

		if ((rc = expand(msg, len, &off, owner, sizeof(owner))) != 0)
			return rc;
		if (len - off < 10)
			return E_SHORT;
		type = get16(msg + off);
		class = get16(msg + off + 2);
		rdlen = get16(msg + off + 8);
		off += 10;
		if (len - off < rdlen)
			return E_SHORT;
		if (i >= an + ns && class == CLASS_IN &&
		    ((type == DNS_A && rdlen == 4) || (type == DNS_AAAA && rdlen == 16))) {
			for (k = 0; k < res->n_srv; k++)
				if (res->srv[k].target[0] && name_eq(owner, res->srv[k].target))
					break;
			if (k < res->n_srv && res->n_addr < DNS_ADDRS_MAX) {
				struct dns_rr_addr *a = &res->addr[res->n_addr++];

				memset(a, 0, sizeof(*a));
				(void)snprintf(a->name, sizeof(a->name), "%s", owner);
				a->addr.family = type == DNS_A ? AF_INET : AF_INET6;
				memcpy(a->addr.addr, msg + off, rdlen);
				a->ttl = (uint32_t)get16(msg + off - 6) << 16 | get16(msg + off - 4);
			}
		}
		off += rdlen;
	}
	return 0;
}

/* RFC 2782 "Usage rules": by priority; within one priority, repeatedly
 * pick a record with probability weight / (sum of the remaining weights),
 * zero weights placed first so that they get a small chance too. */
static void srv_order(struct dns_srv *s, unsigned n)
{
	unsigned i, j, start;

	for (i = 1; i < n; i++) {       /* insertion sort: priority, zero weights first */
		struct dns_srv t = s[i];

		for (j = i; j > 0 && (s[j - 1].priority > t.priority ||
				      (s[j - 1].priority == t.priority && s[j - 1].weight > 0 &&
				       t.weight == 0)); j--)
			s[j] = s[j - 1];
		s[j] = t;
	}
	for (start = 0; start < n; start = j) {
		uint32_t sum = 0;

		for (j = start; j < n && s[j].priority == s[start].priority; j++)
			sum += s[j].weight;
		for (i = start; i + 1 < j; i++) {
			uint32_t pick = rand_uniform(sum + 1), run = 0;
			unsigned k;

			for (k = i; k < j; k++) {
				run += s[k].weight;
				if (run >= pick)
					break;
			}
			if (k == j)
				k = j - 1;
			sum -= s[k].weight;
			if (k != i) {
				struct dns_srv t = s[k];

				memmove(&s[i + 1], &s[i], (k - i) * sizeof(*s));
				s[i] = t;
			}
		}
	}
}

static int parse_answer(struct dns_query *q, const unsigned char *abuf, int alen)
{
	struct dns_result *r = &q->res;
	int st, n, i;

	switch (r->type) {
	case DNS_A: {
		struct ares_addrttl t[DNS_ADDRS_MAX];

		n = DNS_ADDRS_MAX;
		st = ares_parse_a_reply(abuf, alen, NULL, t, &n);
		if (st != ARES_SUCCESS)
			return st;
		for (i = 0; i < n; i++) {
			struct dns_rr_addr *a = &r->addr[r->n_addr++];

			(void)snprintf(a->name, sizeof(a->name), "%s", r->name);
			a->addr.family = AF_INET;
			memcpy(a->addr.addr, &t[i].ipaddr, 4);
			a->ttl = t[i].ttl < 0 ? 0 : (uint32_t)t[i].ttl;
		}
		break;
	}
	case DNS_AAAA: {
		struct ares_addr6ttl t[DNS_ADDRS_MAX];

		n = DNS_ADDRS_MAX;
		st = ares_parse_aaaa_reply(abuf, alen, NULL, t, &n);
		if (st != ARES_SUCCESS)
			return st;
		for (i = 0; i < n; i++) {
			struct dns_rr_addr *a = &r->addr[r->n_addr++];

			(void)snprintf(a->name, sizeof(a->name), "%s", r->name);
			a->addr.family = AF_INET6;
			memcpy(a->addr.addr, &t[i].ip6addr, 16);
			a->ttl = t[i].ttl < 0 ? 0 : (uint32_t)t[i].ttl;
		}
		break;
	}
	case DNS_SRV: {
		struct ares_srv_reply *list = NULL, *s;

		st = ares_parse_srv_reply(abuf, alen, &list);
		if (st != ARES_SUCCESS)
			return st;
		for (s = list; s != NULL && r->n_srv < DNS_SRV_MAX; s = s->next) {
			struct dns_srv *o = &r->srv[r->n_srv++];

			o->priority = s->priority;
			o->weight = s->weight;
			o->port = s->port;
			/* RFC 2782: a target of "." means "decidedly not available" */
			(void)snprintf(o->target, sizeof(o->target), "%s",
				       strcmp(s->host, ".") == 0 ? "" : s->host);
		}
		ares_free_data(list);
		srv_order(r->srv, r->n_srv);
		if (dns_parse_additional(abuf, (size_t)alen, r) != 0)
			log_debug("dns: %s: additional section malformed, ignored", r->name);
		break;
	}
	}
	return ARES_SUCCESS;
}

static int map_status(int st, const char **what)
{
	switch (st) {
	case ARES_ENOTFOUND: *what = "no such name (NXDOMAIN)"; return E_NOTFOUND;
	case ARES_ENODATA: *what = "no record of this type"; return E_NOTFOUND;
	case ARES_ETIMEOUT: *what = "no answer"; return E_TIMEOUT;
	case ARES_ESERVFAIL: *what = "server failure (SERVFAIL)"; return E_PROTO;
	case ARES_EREFUSED: *what = "query refused (REFUSED)"; return E_PROTO;
	case ARES_EFORMERR: *what = "format error (FORMERR)"; return E_PROTO;
	case ARES_EBADRESP: *what = "malformed answer"; return E_PROTO;
	/* c-ares 1.18 also ends with this when every server answered SERVFAIL,
	 * NOTIMP or REFUSED (it then tries the next server) */
	case ARES_ECONNREFUSED:
		*what = "refused by every server (ICMP, or SERVFAIL/REFUSED)";
		return E_IO;
	case ARES_ENOMEM: *what = "out of memory"; return E_NOMEM;
	default: *what = ares_strerror(st); return E_PROTO;
	}
}

static void unlink_query(struct dns_query *q)
{
	struct dns_query **pp;

	for (pp = &q->dns->queries; *pp != NULL; pp = &(*pp)->next)
		if (*pp == q) {
			*pp = q->next;
			break;
		}
}

static void on_deliver(void *arg)
{
	struct dns_query *q = arg;

	unlink_query(q);
	if (q->done != NULL)
		q->done(q->arg, q->rc, q->rc == 0 ? &q->res : NULL, q->rc == 0 ? NULL : q->why);
	free(q);
}

static void on_answer(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
	struct dns_query *q = arg;
	struct dns *d = q->dns;
	const char *what = NULL;

	(void)timeouts;
	q->answered = 1;
	if (q->done == NULL || d->destroying) {
		/* cancelled: c-ares has let go of it now */
		unlink_query(q);
		free(q);
		return;
	}
	if (status == ARES_SUCCESS)
		status = parse_answer(q, abuf, alen);
	if (status == ARES_SUCCESS && q->res.n_srv + q->res.n_addr == 0)
		status = ARES_ENODATA;
	if (status != ARES_SUCCESS) {
		q->rc = map_status(status, &what);
		(void)snprintf(q->why, sizeof(q->why), "%s %s: %s (servers %s)",
			       q->res.type == DNS_SRV ? "SRV" : q->res.type == DNS_A ? "A" : "AAAA",
			       q->res.name, what, d->servers_text);
	}
	loop_timer_arm(d->loop, &q->deliver, 0);
}

/* ---------------------------------------------------------------- API */

static int set_servers(struct dns *d, const struct net_addr *servers, unsigned n)
{
	struct ares_addr_port_node nodes[DNS_SERVERS_MAX];
	size_t used = 0;
	unsigned i;

	if (servers == NULL || n == 0 || n > DNS_SERVERS_MAX)
		return E_INVAL;
	d->servers_text[0] = '\0';
	for (i = 0; i < n; i++) {
		struct ares_addr_port_node *s = &nodes[i];
		char t[64];

		memset(s, 0, sizeof(*s));
		s->next = i + 1 < n ? &nodes[i + 1] : NULL;
		s->family = servers[i].family;
		if (s->family == AF_INET)
			memcpy(&s->addr.addr4, servers[i].addr, 4);
		else if (s->family == AF_INET6)
			memcpy(&s->addr.addr6, servers[i].addr, 16);
		else
			return E_INVAL;
		s->udp_port = s->tcp_port = servers[i].port ? servers[i].port : 53;
		{
			struct net_addr a = servers[i];

			a.port = (uint16_t)s->udp_port;
			(void)net_addr_str(&a, t, sizeof(t));
		}
		if (used + strlen(t) + 2 < sizeof(d->servers_text))
			used += (size_t)snprintf(d->servers_text + used,
						 sizeof(d->servers_text) - used, "%s%s",
						 i ? "," : "", t);
	}
	switch (ares_set_servers_ports(d->ch, nodes)) {
	case ARES_SUCCESS:
		return 0;
	case ARES_ENOTIMP:
		memcpy(d->next_servers, servers, n * sizeof(*servers));
		d->n_next = n;
		log_debug("dns: new servers %s wait for the queries in flight", d->servers_text);
		return 0;
	default:
		return E_NOMEM;
	}
}

struct dns *dns_init(struct loop *l, const struct dns_config *cfg, int *err)
{
	struct ares_options o;
	struct dns *d;
	int dummy, rc;
	char lookups[] = "b", resolvconf[] = "/dev/null";

	if (err == NULL)
		err = &dummy;
	*err = E_INVAL;
	if (l == NULL || cfg == NULL || cfg->servers == NULL || cfg->n_servers == 0 ||
	    cfg->n_servers > DNS_SERVERS_MAX)
		return NULL;
	*err = E_NOMEM;
	if (ares_ready() != 0)
		return NULL;
	d = calloc(1, sizeof(*d));
	if (d == NULL)
		return NULL;
	d->loop = l;
	loop_timer_init(&d->timer, on_timer, d);
	memset(&o, 0, sizeof(o));
	/* No search list, no aliases: the name as given (eUE-20). */
	o.flags = ARES_FLAG_NOSEARCH | ARES_FLAG_NOALIASES;
	o.timeout = (int)(cfg->timeout_ms ? cfg->timeout_ms : DNS_TIMEOUT_DEFAULT_MS);
	o.tries = (int)(cfg->tries ? cfg->tries : DNS_TRIES_DEFAULT);
	o.sock_state_cb = sock_state;
	o.sock_state_cb_data = d;
	/* c-ares 1.18 reads a resolv.conf whatever else is set: point it at
	 * an empty file, give an empty server and domain list (set_servers()
	 * fills the servers), and keep the caller's server order. */
	o.resolvconf_path = resolvconf;
	o.servers = NULL;
	o.nservers = 0;
	o.domains = NULL;
	o.ndomains = 0;
	o.lookups = lookups;     /* DNS only, never /etc/hosts */
	rc = ares_init_options(&d->ch, &o, ARES_OPT_FLAGS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES |
			       ARES_OPT_SOCK_STATE_CB | ARES_OPT_SERVERS | ARES_OPT_DOMAINS |
			       ARES_OPT_LOOKUPS | ARES_OPT_RESOLVCONF | ARES_OPT_NOROTATE);
	if (rc != ARES_SUCCESS) {
		log_warnx("dns: ares_init_options: %s", ares_strerror(rc));
		free(d);
		return NULL;
	}
	if (cfg->ifname != NULL && cfg->ifname[0] != '\0')
		ares_set_local_dev(d->ch, cfg->ifname);
	rc = set_servers(d, cfg->servers, cfg->n_servers);
	if (rc != 0) {
		dns_free(d);
		*err = rc;
		return NULL;
	}
	*err = 0;
	return d;
}

int dns_set_servers(struct dns *d, const struct net_addr *servers, unsigned n)
{
	return set_servers(d, servers, n);
}

void dns_free(struct dns *d)
{
	struct dns_query *q, *next;
	unsigned i;

	if (d == NULL)
		return;
	d->destroying = 1;
	/* answered, not yet delivered: c-ares is done with them */
	for (q = d->queries; q != NULL; q = next) {
		next = q->next;
		if (q->answered) {
			loop_timer_cancel(d->loop, &q->deliver);
			unlink_query(q);
			free(q);
		}
	}
	/* the rest: ares_destroy() calls on_answer (ARES_EDESTRUCTION) for each */
	ares_destroy(d->ch);
	for (q = d->queries; q != NULL; q = next) {   /* none expected */
		next = q->next;
		free(q);
	}
	loop_timer_cancel(d->loop, &d->timer);
	for (i = 0; i < d->nfds; i++)
		loop_unwatch_fd(d->loop, d->fds[i]);
	free(d);
}

/* A dotted name c-ares can encode: 1..253 bytes (254 with a final dot),
 * printable ASCII without spaces, no empty label.  '_' is allowed
 * (_kerberos._udp, RFC 2782). */
static int name_ok(const char *name)
{
	size_t n = strlen(name), i;

	if (n == 0 || n > DNSNAME_TEXT_MAX || (n == DNSNAME_TEXT_MAX && name[n - 1] != '.'))
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)name[i];

		if (c <= 0x20 || c >= 0x7f || (c == '.' && (i == 0 || name[i - 1] == '.')))
			return 0;
	}
	return 1;
}

struct dns_query *dns_query(struct dns *d, const char *name, enum dns_type type,
			    dns_done_fn *done, void *arg, int *err)
{
	struct dns_query *q;
	int dummy;

	if (err == NULL)
		err = &dummy;
	*err = E_INVAL;
	if (d == NULL || name == NULL || done == NULL || !name_ok(name) ||
	    (type != DNS_A && type != DNS_AAAA && type != DNS_SRV))
		return NULL;
	*err = E_NOMEM;
	q = calloc(1, sizeof(*q));
	if (q == NULL)
		return NULL;
	q->dns = d;
	q->done = done;
	q->arg = arg;
	q->res.type = type;
	(void)snprintf(q->res.name, sizeof(q->res.name), "%s", name);
	loop_timer_init(&q->deliver, on_deliver, q);
	q->next = d->queries;
	d->queries = q;
	/* c-ares may answer at once (e.g. out of memory): on_answer only arms
	 * the delivery timer, so done() still runs from the loop */
	ares_query(d->ch, name, CLASS_IN, (int)type, on_answer, q);
	rearm(d);
	*err = 0;
	return q;
}

void dns_cancel(struct dns_query *q)
{
	if (q == NULL)
		return;
	if (q->answered) {
		loop_timer_cancel(q->dns->loop, &q->deliver);
		unlink_query(q);
		free(q);
		return;
	}
	q->done = NULL;    /* freed by on_answer when c-ares gives it back */
}

unsigned dns_pending(const struct dns *d)
{
	const struct dns_query *q;
	unsigned n = 0;

	for (q = d->queries; q != NULL; q = q->next)
		if (q->done != NULL)
			n++;
	return n;
}
