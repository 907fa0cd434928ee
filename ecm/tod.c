/* tod.c: the RFC 868 client of tod.h. */
#include "ecm/tod.h"

#include <string.h>
#include <sys/socket.h>

#include "platform/bytes.h"
#include "platform/clock.h"
#include "platform/err.h"
#include "platform/log.h"
#include "platform/rand.h"

/*
 * One DOCSIS-style iteration: 1, 2, 4, 8 s (+-10 %) per attempt, five
 * attempts over the servers in turn.  Our choice; DOCSIS leaves the exact
 * schedule to the implementation.
 */
const struct retx_param tod_retx = {
	.irt_ms = 1000, .mrt_ms = 8000, .mrc = 5, .jitter_permille = 100,
};

int tod_decode(const uint8_t *buf, size_t len, int64_t *unix_s)
{
	int64_t t;

	if (len != 4)
		return E_PROTO;
	t = (int64_t)load_be32(buf) - TOD_1900_TO_1970;
	if (t < TOD_PIVOT_UNIX)
		t += (int64_t)1 << 32;   /* after 2036-02-07 06:28:16 UTC */
	*unix_s = t;
	return 0;
}

void tod_encode(int64_t unix_s, uint8_t out[4])
{
	store_be32(out, (uint32_t)((uint64_t)(unix_s + TOD_1900_TO_1970) & 0xffffffffu));
}

static void tod_finish(struct tod_client *c, int ok, int64_t unix_ms, const struct net_addr *srv)
{
	tod_done_fn *done = c->done;

	tod_stop(c);
	if (done)
		done(c->arg, ok, unix_ms, srv);
}

static void tod_send(struct tod_client *c)
{
	const struct net_addr *s = &c->servers[c->cur];
	char a[64];
	int rc;

	/* RFC 868 (UDP): "send an empty datagram to port 37" */
	rc = net_udp_send(c->fd, "", 0, s);
	c->tries++;
	c->sent_ms = clock_mono_ms();
	log_kv("step", "step=ToD action=request server=%s try=%u%s", net_addr_str(s, a, sizeof(a)),
	       c->tries, rc < 0 ? " send=failed" : "");
}

static void tod_close_fd(struct tod_client *c)
{
	net_close_watched(c->loop, &c->fd);
}

/* RFC 868 over TCP: connect to servers[cur]; the answer comes on connection. */
static void tod_tcp_next(struct tod_client *c)
{
	char a[64];

	tod_close_fd(c);
	if (c->cur >= c->n_servers) {
		tod_finish(c, 0, 0, NULL);
		return;
	}
	c->tcp_len = 0;
	c->sent_ms = clock_mono_ms();
	c->fd = net_tcp_connect(&c->servers[c->cur], c->ifname);
	log_kv("step", "step=ToD action=tcp-connect server=%s%s",
	       net_addr_str(&c->servers[c->cur], a, sizeof(a)), c->fd < 0 ? " connect=failed" : "");
	if (c->fd < 0) {
		c->cur++;
		loop_timer_arm(c->loop, &c->timer, 0);
		return;
	}
	loop_watch_fd(c->loop, c->fd, LOOP_OUT, tod_on_tcp, c);
	loop_timer_arm(c->loop, &c->timer, TOD_TCP_MS);
}

void tod_on_tcp(void *arg, int fd, unsigned events)
{
	struct tod_client *c = arg;
	int64_t unix_s;
	ssize_t n;

	if (events & LOOP_OUT) {
		if (net_tcp_error(fd) < 0) {
			c->cur++;
			tod_tcp_next(c);
			return;
		}
		loop_watch_fd(c->loop, fd, LOOP_IN, tod_on_tcp, c);   /* connected: wait for the 4 bytes */
		return;
	}
	n = net_tcp_recv(fd, c->tcp_buf + c->tcp_len, sizeof(c->tcp_buf) - c->tcp_len);
	if (n == E_AGAIN)
		return;
	if (n > 0) {
		c->tcp_len += (size_t)n;
		if (c->tcp_len < sizeof(c->tcp_buf))
			return;
	}
	if (c->tcp_len == sizeof(c->tcp_buf) && tod_decode(c->tcp_buf, 4, &unix_s) == 0) {
		struct net_addr srv = c->servers[c->cur];

		tod_finish(c, 1, unix_s * 1000 + (int64_t)(clock_mono_ms() - c->sent_ms) / 2, &srv);
		return;
	}
	c->bad_answers++;   /* closed early, or an error */
	c->cur++;
	tod_tcp_next(c);
}

static void tod_timeout(void *arg)
{
	struct tod_client *c = arg;
	uint32_t wait;

	if (c->tcp) {
		/* this server's TCP attempt timed out (or could not start) */
		if (c->fd >= 0)
			c->cur++;
		tod_tcp_next(c);
		return;
	}
	if (retx_expired(&c->rt, clock_mono_ms())) {
		/* no UDP answer: each server once over TCP */
		tod_close_fd(c);
		c->tcp = 1;
		c->cur = 0;
		tod_tcp_next(c);
		return;
	}
	c->cur = (c->cur + 1) % c->n_servers;   /* next server on each retry */
	tod_send(c);
	if (retx_next(&c->rt, clock_mono_ms(), rand_u32(), &wait) < 0)
		wait = 0;
	loop_timer_arm(c->loop, &c->timer, wait);
}

void tod_on_readable(void *arg, int fd, unsigned events)
{
	struct tod_client *c = arg;
	struct net_addr from;
	uint8_t buf[16];
	ssize_t n;
	int64_t unix_s;
	unsigned i;

	(void)events;
	while ((n = net_udp_recv(fd, buf, sizeof(buf), &from, NULL)) != E_AGAIN) {
		if (n < 0) {
			c->bad_answers++;   /* oversized: not an RFC 868 answer */
			continue;
		}
		for (i = 0; i < c->n_servers; i++)
			if (c->servers[i].family == from.family &&
			    memcmp(c->servers[i].addr, from.addr, 16) == 0 && from.port == TOD_PORT)
				break;
		if (i == c->n_servers || tod_decode(buf, (size_t)n, &unix_s) < 0) {
			c->bad_answers++;
			continue;
		}
		/* The answer left the server about half a round trip ago. */
		tod_finish(c, 1, unix_s * 1000 + (int64_t)(clock_mono_ms() - c->sent_ms) / 2, &from);
		return;
	}
}

int tod_start(struct tod_client *c, struct loop *l, const char *ifname,
	      const struct net_addr *servers, unsigned n, tod_done_fn *done, void *arg)
{
	struct net_addr any;
	uint32_t wait;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	if (n == 0)
		return E_INVAL;
	if (n > TOD_SERVERS_MAX)
		n = TOD_SERVERS_MAX;
	memcpy(c->servers, servers, n * sizeof(*servers));
	for (unsigned i = 0; i < n; i++)
		c->servers[i].port = TOD_PORT;
	c->n_servers = n;
	c->loop = l;
	c->ifname = ifname;
	c->done = done;
	c->arg = arg;
	memset(&any, 0, sizeof(any));
	any.family = servers[0].family;
	c->fd = net_udp_open(&any, ifname, 0);
	if (c->fd < 0)
		return c->fd;
	loop_watch_fd(l, c->fd, LOOP_IN, tod_on_readable, c);
	loop_timer_init(&c->timer, tod_timeout, c);
	retx_start(&c->rt, &tod_retx, clock_mono_ms());
	tod_send(c);
	retx_next(&c->rt, clock_mono_ms(), rand_u32(), &wait);
	loop_timer_arm(l, &c->timer, wait);
	return 0;
}

void tod_stop(struct tod_client *c)
{
	if (c->loop) {
		loop_timer_cancel(c->loop, &c->timer);
		tod_close_fd(c);
	}
	c->fd = -1;
	c->done = NULL;
}
