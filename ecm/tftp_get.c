/* tftp_get.c: the TFTP read of tftp_get.h. */
#include "ecm/tftp_get.h"

#include <string.h>

#include "platform/clock.h"
#include "platform/err.h"
#include "platform/log.h"
#include "platform/rand.h"
#include "tlv/tftp.h"
#include "tlv/wr.h"

/* 1, 2, 4, 8, 8 s, five sends per packet: the DOCSIS MULPI style of a
 * transfer's back-off (our choice of numbers). */
const struct retx_param tftp_retx = {
	.irt_ms = 1000, .mrt_ms = 8000, .mrc = 5, .jitter_permille = 100,
};

static void tftp_finish(struct tftp_get *g, int rc)
{
	tftp_done_fn *done = g->done;

	tftp_get_stop(g);
	if (done)
		done(g->arg, g, rc);
}

static void tftp_send_last(struct tftp_get *g)
{
	if (net_udp_send(g->fd, g->last, g->last_len, &g->server) < 0)
		log_warn("tftp: send");   /* the timer retries */
}

/* Send pkt (and keep it for retransmission) and restart the timer. */
static void tftp_send(struct tftp_get *g, const uint8_t *pkt, size_t len)
{
	uint32_t wait;

	memcpy(g->last, pkt, len);
	g->last_len = len;
	retx_start(&g->rt, &tftp_retx, clock_mono_ms());
	tftp_send_last(g);
	if (retx_next(&g->rt, clock_mono_ms(), rand_u32(), &wait) < 0)
		wait = 0;
	loop_timer_arm(g->loop, &g->timer, wait);
}

static void tftp_send_ack(struct tftp_get *g, uint16_t block)
{
	uint8_t b[4];
	struct wr w;

	wr_init(&w, b, sizeof(b));
	tftp_put_ack(&w, block);
	tftp_send(g, b, w.len);
}

/* An ERROR that ends nothing of ours (foreign TID) or the transfer. */
static void tftp_send_error(struct tftp_get *g, const struct net_addr *to, uint16_t code, const char *msg)
{
	uint8_t b[64];
	struct wr w;

	wr_init(&w, b, sizeof(b));
	tftp_put_error(&w, code, msg);
	if (w.err == 0)
		(void)net_udp_send(g->fd, b, w.len, to);
}

static void tftp_timeout(void *arg)
{
	struct tftp_get *g = arg;
	uint32_t wait;

	if (retx_expired(&g->rt, clock_mono_ms())) {
		tftp_finish(g, E_TIMEOUT);
		return;
	}
	tftp_send_last(g);
	if (retx_next(&g->rt, clock_mono_ms(), rand_u32(), &wait) < 0)
		wait = 0;
	loop_timer_arm(g->loop, &g->timer, wait);
}

void tftp_get_input(struct tftp_get *g, const struct net_addr *from, const uint8_t *pkt, size_t len)
{
	struct tftp_pkt p;
	int rc;

	if (from->family != g->server.family || memcmp(from->addr, g->server.addr, 16) != 0) {
		g->foreign++;
		return;   /* not our server at all */
	}
	if (g->locked && from->port != g->server.port) {
		g->foreign++;
		tftp_send_error(g, from, TFTP_E_TID, "unknown transfer id");   /* RFC 1350 4 */
		return;
	}
	rc = tftp_decode(&p, pkt, len);
	if (rc < 0) {
		tftp_send_error(g, from, TFTP_E_ILLEGAL, "malformed packet");
		tftp_finish(g, E_PROTO);
		return;
	}
	if (!g->locked) {
		g->locked = 1;
		g->server.port = from->port;   /* the server's transfer id */
	}
	switch (p.op) {
	case TFTP_OACK:
		if (g->next_block != 1 || g->len)
			return;   /* a late duplicate */
		if (p.blksize) {
			if (g->want_blksize == 0 || p.blksize > g->want_blksize) {
				/* RFC 2348: the server may only lower what was asked */
				tftp_send_error(g, from, TFTP_E_OPTION, "blksize not acceptable");
				tftp_finish(g, E_PROTO);
				return;
			}
			g->blksize = p.blksize;
		}
		if (p.has_tsize && p.tsize > g->cap) {
			tftp_send_error(g, from, TFTP_E_FULL, "file too large");
			tftp_finish(g, E_OVERFLOW);
			return;
		}
		tftp_send_ack(g, 0);   /* RFC 2347: ACK 0 accepts the options */
		break;
	case TFTP_DATA:
		if (p.block != g->next_block) {
			/* an earlier block again: our ACK was lost; ACK it once more */
			if ((uint16_t)(p.block + 1) == g->next_block) {
				g->dup_blocks++;
				tftp_send_ack(g, p.block);
			}
			return;
		}
		if (p.len > g->blksize) {
			tftp_send_error(g, from, TFTP_E_ILLEGAL, "block too large");
			tftp_finish(g, E_PROTO);
			return;
		}
		if (p.len > g->cap - g->len) {
			tftp_send_error(g, from, TFTP_E_FULL, "file too large");
			tftp_finish(g, E_OVERFLOW);
			return;
		}
		memcpy(g->buf + g->len, p.data, p.len);
		g->len += p.len;
		tftp_send_ack(g, p.block);
		g->next_block++;   /* wraps to 0 after 65535, as servers do */
		if (p.len < g->blksize)
			tftp_finish(g, 0);   /* RFC 1350 6: a short block ends the file */
		break;
	case TFTP_ERROR:
		log_warnx("tftp: server error %u: %s", p.err_code, p.err_msg);
		tftp_finish(g, p.err_code == TFTP_E_NOTFOUND ? E_NOTFOUND : E_IO);
		break;
	default:
		tftp_send_error(g, from, TFTP_E_ILLEGAL, "unexpected opcode");
		tftp_finish(g, E_PROTO);
	}
}

static void tftp_on_readable(void *arg, int fd, unsigned events)
{
	struct tftp_get *g = arg;
	uint8_t b[TFTP_GET_BLKSIZE_MAX + 4];
	struct net_addr from;
	ssize_t n;

	(void)events;
	while (g->fd == fd && (n = net_udp_recv(fd, b, sizeof(b), &from, NULL)) != E_AGAIN) {
		if (n == E_OVERFLOW)
			continue;   /* larger than any block we asked for: not ours */
		if (n < 0)
			return;
		tftp_get_input(g, &from, b, (size_t)n);
	}
}

int tftp_get_start(struct tftp_get *g, struct loop *l, const char *ifname,
		   const struct net_addr *server, const char *file, unsigned blksize,
		   uint8_t *buf, size_t cap, tftp_done_fn *done, void *arg)
{
	struct net_addr any;
	uint8_t rrq[600];
	struct wr w;

	memset(g, 0, sizeof(*g));
	g->fd = -1;
	if (blksize > TFTP_GET_BLKSIZE_MAX)
		return E_INVAL;
	g->loop = l;
	g->server = *server;
	if (g->server.port == 0)
		g->server.port = 69;
	g->want_blksize = blksize;
	g->blksize = TFTP_BLKSIZE_DEFAULT;   /* until an OACK says otherwise */
	g->next_block = 1;
	g->buf = buf;
	g->cap = cap;
	g->done = done;
	g->arg = arg;
	loop_timer_init(&g->timer, tftp_timeout, g);
	wr_init(&w, rrq, sizeof(rrq));
	tftp_put_rrq(&w, file, blksize, 1);
	if (w.err)
		return w.err;
	memset(&any, 0, sizeof(any));
	any.family = server->family;
	g->fd = net_udp_open(&any, ifname, 0);
	if (g->fd < 0)
		return g->fd;
	loop_watch_fd(l, g->fd, LOOP_IN, tftp_on_readable, g);
	tftp_send(g, rrq, w.len);
	return 0;
}

void tftp_get_stop(struct tftp_get *g)
{
	if (g->loop) {
		loop_timer_cancel(g->loop, &g->timer);
		if (g->fd >= 0)
			loop_unwatch_fd(g->loop, g->fd);
	}
	net_close(g->fd);
	g->fd = -1;
	g->done = NULL;
}
