/* cm_dhcp4.c: the eCM's DHCPv4 client state machine (cm_dhcp4.h). */
#include "ecm/cm_dhcp4.h"

#include <string.h>
#include <sys/socket.h>

#include "platform/bytes.h"
#include "platform/clock.h"
#include "platform/err.h"
#include "platform/log.h"
#include "platform/net.h"
#include "platform/netlink.h"
#include "platform/rand.h"
#include "tlv/ipudp.h"
#include "tlv/wr.h"

/* RFC 2131 4.1: 4, 8, 16, 32, 64 s, each +-1 s; DISCOVER goes on for ever */
const struct retx_param cm4_retx_discover = {
	.irt_ms = 4000, .mrt_ms = 64000, .jitter_abs_ms = 1000,
};
/* REQUEST: the same schedule, four tries (60 s), then back to INIT */
const struct retx_param cm4_retx_request = {
	.irt_ms = 4000, .mrt_ms = 64000, .mrc = 4, .jitter_abs_ms = 1000,
};

static const char *const cm4_state_names[CM4__COUNT] = {
	[CM4_INIT] = "init", [CM4_SELECTING] = "selecting", [CM4_HOLDOFF] = "holdoff",
	[CM4_REQUESTING] = "requesting", [CM4_BOUND] = "bound", [CM4_RENEWING] = "renewing",
	[CM4_REBINDING] = "rebinding",
};

static const uint8_t bcast_mac[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

const char *cm4_state_str(enum cm4_state s)
{
	return s < CM4__COUNT ? cm4_state_names[s] : "?";
}

static void cm4_transition(struct cm4 *c, enum cm4_state next);
static void cm4_uninstall(struct cm4 *c);

/* ---------------------------------------------------------------- messages */

static int cm4_build(struct cm4 *c, enum dhcp4_type type, uint8_t *buf, size_t cap)
{
	/* CM1: the DOCSIS options, and 122 iff the eUE supports IPv4 */
	uint8_t prl[12], cl_oro[2];
	size_t nprl = 0, noro = 0;
	uint64_t secs = (clock_mono_ms() - c->exch_start_ms) / 1000;
	struct dhcp4_hdr h;
	struct wr w;

	prl[nprl++] = DHCP4_O_SUBNET;
	prl[nprl++] = DHCP4_O_TIME_OFFSET;
	prl[nprl++] = DHCP4_O_ROUTER;
	prl[nprl++] = DHCP4_O_TIME_SERVER;
	prl[nprl++] = DHCP4_O_LOG_SERVER;
	prl[nprl++] = DHCP4_O_LEASE;
	prl[nprl++] = DHCP4_O_T1;
	prl[nprl++] = DHCP4_O_T2;
	prl[nprl++] = DHCP4_O_VIVSO;
	if (c->req.ccc)
		prl[nprl++] = DHCP4_O_CCC;
	if (c->req.cccv6)
		cl_oro[noro++] = CL_V4_CCCV6;     /* iff the eUE supports IPv6 */
	if (c->req.pref)
		cl_oro[noro++] = CL_V4_IP_PREF;   /* iff dual-stack */

	memset(&h, 0, sizeof(h));
	h.op = DHCP4_BOOTREQUEST;
	h.htype = 1;
	h.hlen = 6;
	h.xid = c->xid;
	h.secs = secs > 0xffff ? 0xffff : (uint16_t)secs;
	memcpy(h.chaddr, c->mac, 6);
	if (c->state == CM4_RENEWING || c->state == CM4_REBINDING)
		h.ciaddr = c->lease.addr;       /* RFC 2131 4.3.2: ciaddr, no 50/54 */
	wr_init(&w, buf, cap);
	dhcp4_put_hdr(&w, &h);
	dhcp4_put_msg_type(&w, type);
	dhcp4_put_u16(&w, DHCP4_O_MAX_SIZE, 1500);
	dhcp4_put_vendor_class(&w, "docsis3.0");
	if (type == DHCP4_REQUEST && c->state == CM4_REQUESTING) {
		dhcp4_put_u32(&w, DHCP4_O_REQ_ADDR, c->offers[c->chosen].yiaddr);
		dhcp4_put_u32(&w, DHCP4_O_SERVER_ID, c->offers[c->chosen].server_id);
	}
	/* CM3: the REQUEST asks for the same options as the DISCOVER */
	dhcp4_put_prl(&w, prl, nprl);
	if (noro)
		dhcp4_put_cl_oro(&w, cl_oro, noro);
	dhcp4_put_end(&w);
	return w.err ? w.err : (int)w.len;
}

static void cm4_send(struct cm4 *c, enum dhcp4_type type)
{
	uint8_t msg[CM4_PKT_MAX], pkt[CM4_PKT_MAX];
	int n = cm4_build(c, type, msg, sizeof(msg)), rc;
	struct wr w;

	if (n < 0) {
		log_warnx("cm4: cannot build %s: %s", dhcp4_type_str(type), err_str(n));
		return;
	}
	if (c->state == CM4_RENEWING || c->state == CM4_REBINDING) {
		struct net_addr to = { .family = AF_INET, .port = 67 };
		uint32_t dst = c->state == CM4_RENEWING ? c->lease.server_id : 0xffffffffu;

		store_be32(to.addr, dst);
		rc = net_udp_send(c->ufd, msg, (size_t)n, &to);
	} else {
		/* no address yet: 0.0.0.0 -> 255.255.255.255 over the packet socket */
		wr_init(&w, pkt, sizeof(pkt));
		ipudp_encode(&w, 0, 0xffffffffu, 68, 67, c->ip_id++, msg, (size_t)n);
		rc = w.err ? w.err :
		     net_packet_send(c->pfd, c->ifindex, 0x0800, bcast_mac, pkt, w.len);
	}
	if (rc < 0)   /* the timer retries */
		log_warnx("cm4: send %s on %s: %s", dhcp4_type_str(type), c->ifname, err_str(rc));
	log_debug("cm4: sent %s xid %08x (%d bytes)", dhcp4_type_str(type), c->xid, n);
}

static void cm4_xmit(struct cm4 *c, enum dhcp4_type type)
{
	uint32_t wait;

	cm4_send(c, type);
	if (retx_next(&c->rt, clock_mono_ms(), rand_u32(), &wait) < 0)
		wait = 0;
	loop_timer_arm(c->loop, &c->timer, wait);
}

static void cm4_new_exchange(struct cm4 *c, const struct retx_param *p)
{
	c->xid = rand_u32();
	c->exch_start_ms = clock_mono_ms();
	retx_start(&c->rt, p, c->exch_start_ms);
}

/* ---------------------------------------------------------------- input */

static void cm4_choose(struct cm4 *c)
{
	unsigned scores[CM4_OFFER_MAX], pick;
	uint32_t delay;

	c->window_open = 0;
	for (unsigned i = 0; i < c->n_offers; i++)
		scores[i] = c->offers[i].score;
	switch (offer_choose(scores, c->n_offers, c->retries, &pick, &delay)) {
	case OFFER_TAKE:
		c->chosen = pick;
		trace_step(c->trace, "CM3", "ok", "chosen=%u/%u score=%u retries=%u server=%u.%u.%u.%u",
			   pick + 1, c->n_offers, c->offers[pick].score, c->retries,
			   c->offers[pick].server_id >> 24, (c->offers[pick].server_id >> 16) & 0xff,
			   (c->offers[pick].server_id >> 8) & 0xff, c->offers[pick].server_id & 0xff);
		cm4_transition(c, CM4_REQUESTING);
		break;
	case OFFER_RETRY:
		trace_step(c->trace, "CM3", "retry", "reason=no-requested-options offers=%u wait_ms=%u",
			   c->n_offers, delay);
		cm4_transition(c, CM4_HOLDOFF);
		loop_timer_arm(c->loop, &c->timer, delay);
		break;
	case OFFER_NONE:
		break;
	}
}

static void cm4_on_offer(struct cm4 *c, const struct dhcp4_msg *m)
{
	struct cm4_offer *o;
	struct cl_opts cl;
	uint32_t sid;

	if (c->n_offers == CM4_OFFER_MAX || dhcp4_opt_addr(m, DHCP4_O_SERVER_ID, &sid) < 0 ||
	    m->yiaddr == 0) {
		c->dropped++;
		return;
	}
	o = &c->offers[c->n_offers++];
	o->server_id = sid;
	o->yiaddr = m->yiaddr;
	cl_init(&cl);
	(void)cl_from_dhcp4(&cl, m);   /* malformed CableLabs options score as absent */
	o->score = offer_score(&c->req, &cl);
	trace_step(c->trace, "CM2", "ok", "offer=%u score=%u server=%u.%u.%u.%u", c->n_offers, o->score,
		   sid >> 24, (sid >> 16) & 0xff, (sid >> 8) & 0xff, sid & 0xff);
	if (o->score == offer_score_max(&c->req)) {
		cm4_choose(c);   /* nothing can beat it */
	} else if (!c->window_open) {
		c->window_open = 1;
		loop_timer_arm(c->loop, &c->timer, CM4_OFFER_WINDOW_MS);
	}
}

static void cm4_lease_from_ack(struct cm4 *c, const struct dhcp4_msg *m)
{
	struct cm4_lease *l = &c->lease;
	uint8_t buf[1024];
	const uint8_t *v, *d;
	int n;

	memset(l, 0, sizeof(*l));
	l->addr = m->yiaddr;
	l->siaddr = m->siaddr;
	if (dhcp4_opt_addr(m, DHCP4_O_SUBNET, &l->mask) < 0)
		l->mask = 0xffffff00u;   /* RFC 2131 leaves it to the client; the class C default */
	(void)dhcp4_opt_addr(m, DHCP4_O_ROUTER, &l->router);
	(void)dhcp4_opt_addr(m, DHCP4_O_SERVER_ID, &l->server_id);
	if (dhcp4_opt_u32(m, DHCP4_O_LEASE, &l->lease_s) < 0)
		l->lease_s = 3600;
	/* RFC 2131 4.4.5: T1 = 0.5, T2 = 0.875 of the lease unless given */
	if (dhcp4_opt_u32(m, DHCP4_O_T1, &l->t1_s) < 0)
		l->t1_s = l->lease_s / 2;
	if (dhcp4_opt_u32(m, DHCP4_O_T2, &l->t2_s) < 0)
		l->t2_s = l->lease_s / 8 * 7;
	if (l->t2_s > l->lease_s)
		l->t2_s = l->lease_s;
	if (l->t1_s > l->t2_s)
		l->t1_s = l->t2_s;
	l->bound_ms = clock_mono_ms();
	n = dhcp4_opt_addrs(m, DHCP4_O_TIME_SERVER, l->time_servers, 4);
	l->n_time = n > 0 ? (unsigned)n : 0;
	l->has_offset = dhcp4_opt_s32(m, DHCP4_O_TIME_OFFSET, &l->time_offset) == 0;
	(void)dhcp4_file(m, l->file, sizeof(l->file));
	/* CM4: the ACK's options are authoritative over the OFFER's */
	cl_init(&l->cl);
	if (cl_from_dhcp4(&l->cl, m) < 0)
		log_warnx("cm4: the ACK's CableLabs options are malformed; using what decoded");
	n = dhcp4_opt(m, DHCP4_O_CCC, buf, sizeof(buf), &v);
	if (n >= 0 && (size_t)n <= sizeof(l->opt122)) {
		memcpy(l->opt122, v, (size_t)n);
		l->opt122_len = (uint16_t)n;
	}
	n = dhcp4_opt(m, DHCP4_O_VIVSO, buf, sizeof(buf), &v);
	if (n >= 0 && (n = dhcp4_vivso_find(v, (size_t)n, CL_ENTERPRISE, &d)) >= 0 &&
	    (size_t)n <= sizeof(l->cl125)) {
		memcpy(l->cl125, d, (size_t)n);
		l->cl125_len = (uint16_t)n;
	}
}

void cm4_input(struct cm4 *c, const uint8_t *buf, size_t len)
{
	struct dhcp4_msg m;
	int rc = dhcp4_decode(&m, buf, len);

	if (rc < 0) {
		c->dropped++;
		log_debug("cm4: dropped a malformed message: %s at %zu", dhcp4_why_str(m.why), m.err_off);
		return;
	}
	if (m.op != DHCP4_BOOTREPLY || m.xid != c->xid || m.hlen != 6 || memcmp(m.chaddr, c->mac, 6) != 0) {
		c->dropped++;
		return;
	}
	switch (m.msg_type) {
	case DHCP4_OFFER:
		if (c->state == CM4_SELECTING)
			cm4_on_offer(c, &m);
		else
			c->dropped++;
		break;
	case DHCP4_ACK:
		if (c->state != CM4_REQUESTING && c->state != CM4_RENEWING && c->state != CM4_REBINDING) {
			c->dropped++;
			break;
		}
		if (m.yiaddr == 0) {
			c->dropped++;
			break;
		}
		cm4_lease_from_ack(c, &m);
		cm4_transition(c, CM4_BOUND);
		break;
	case DHCP4_NAK:
		if (c->state == CM4_REQUESTING || c->state == CM4_RENEWING || c->state == CM4_REBINDING) {
			trace_step(c->trace, "CM4", "nak", NULL);
			if (c->state != CM4_REQUESTING && c->install_addr)
				cm4_uninstall(c);
			cm4_transition(c, CM4_SELECTING);   /* RFC 2131 4.4.1: back to INIT */
		}
		break;
	default:
		c->dropped++;
	}
}

/* The packet socket sees every IPv4 frame: keep only UDP to port 68. */
static void cm4_on_packet(void *arg, int fd, unsigned events)
{
	struct cm4 *c = arg;
	uint8_t buf[CM4_PKT_MAX + 64];
	struct ipudp u;
	ssize_t n;

	(void)events;
	while ((n = net_packet_recv(fd, buf, sizeof(buf))) != E_AGAIN) {
		if (n < 0) {
			if (n != E_OVERFLOW)
				return;
			continue;
		}
		if (ipudp_decode(&u, buf, (size_t)n) < 0 || u.dport != 68)
			continue;
		cm4_input(c, u.payload, u.len);
		if (c->pfd != fd)
			return;   /* the input closed the packet socket (bound) */
	}
}

static void cm4_on_udp(void *arg, int fd, unsigned events)
{
	struct cm4 *c = arg;
	uint8_t buf[CM4_PKT_MAX];
	ssize_t n;

	(void)events;
	while ((n = net_udp_recv(fd, buf, sizeof(buf), NULL, NULL)) != E_AGAIN) {
		if (n < 0) {
			if (n != E_OVERFLOW)
				return;
			continue;
		}
		cm4_input(c, buf, (size_t)n);
		if (c->ufd != fd)
			return;
	}
}

/* ---------------------------------------------------------------- sockets */

static int cm4_open_packet(struct cm4 *c)
{
	if (c->pfd >= 0)
		return 0;
	c->pfd = net_packet_open(c->ifname, 0x0800);
	if (c->pfd < 0)
		return c->pfd;
	return loop_watch_fd(c->loop, c->pfd, LOOP_IN, cm4_on_packet, c);
}

static void cm4_close_packet(struct cm4 *c)
{
	net_close_watched(c->loop, &c->pfd);
}

static int cm4_open_udp(struct cm4 *c)
{
	struct net_addr b = { .family = AF_INET, .port = 68 };

	if (c->ufd >= 0)
		return 0;
	c->ufd = net_udp_open(&b, c->ifname, NET_BROADCAST | NET_REUSE);
	if (c->ufd < 0)
		return c->ufd;
	return loop_watch_fd(c->loop, c->ufd, LOOP_IN, cm4_on_udp, c);
}

static void cm4_close_udp(struct cm4 *c)
{
	net_close_watched(c->loop, &c->ufd);
}

/* ---------------------------------------------------------------- states */

static unsigned cm4_plen(uint32_t mask)
{
	unsigned n = 0;

	while (mask & 0x80000000u) {
		n++;
		mask <<= 1;
	}
	return n;
}

static void cm4_install(struct cm4 *c)
{
	uint8_t a[4], g[4];

	store_be32(a, c->lease.addr);
	store_be32(g, c->lease.router);
	if (nl_addr_add(c->ifindex, AF_INET, a, cm4_plen(c->lease.mask), c->lease.lease_s,
			c->lease.lease_s, 0) < 0)
		log_warn("cm4: cannot add the leased address to %s", c->ifname);
	if (c->lease.router && nl_route_default(c->ifindex, AF_INET, g) < 0)
		log_warn("cm4: cannot add the default route via %s", c->ifname);
}

static void cm4_uninstall(struct cm4 *c)
{
	uint8_t a[4];

	store_be32(a, c->lease.addr);
	nl_addr_del(c->ifindex, AF_INET, a, cm4_plen(c->lease.mask));
}

static void cm4_renew_params(struct cm4 *c, uint32_t until_s)
{
	uint64_t now_s = (clock_mono_ms() - c->lease.bound_ms) / 1000;
	uint32_t left = until_s > now_s ? (uint32_t)(until_s - now_s) : 1;

	/* RFC 2131 4.4.5: half the time left, at least 60 s, until the limit */
	c->renew_p = (struct retx_param){ .irt_ms = left * 500u < 60000u ? 60000u : left * 500u,
					  .mrt_ms = 0, .mrd_ms = left * 1000u, .jitter_permille = 0 };
}

static void cm4_timeout(void *arg)
{
	struct cm4 *c = arg;
	uint64_t now = clock_mono_ms();

	switch (c->state) {
	case CM4_SELECTING:
		if (c->n_offers > 0) {
			cm4_choose(c);
			return;
		}
		cm4_xmit(c, DHCP4_DISCOVER);
		break;
	case CM4_HOLDOFF:
		c->retries++;
		cm4_transition(c, CM4_SELECTING);
		break;
	case CM4_REQUESTING:
		if (retx_expired(&c->rt, now)) {
			log_warnx("cm4: no ACK; back to DISCOVER (RFC 2131 4.4.1)");
			cm4_transition(c, CM4_SELECTING);
		} else {
			cm4_xmit(c, DHCP4_REQUEST);
		}
		break;
	case CM4_BOUND:
		cm4_transition(c, CM4_RENEWING);
		break;
	case CM4_RENEWING:
		if (retx_expired(&c->rt, now))
			cm4_transition(c, CM4_REBINDING);
		else
			cm4_xmit(c, DHCP4_REQUEST);
		break;
	case CM4_REBINDING:
		if (retx_expired(&c->rt, now)) {
			log_warnx("cm4: lease expired");
			if (c->install_addr)
				cm4_uninstall(c);
			if (c->event)
				c->event(c->arg, c, 0);
			c->retries = 0;
			cm4_transition(c, CM4_SELECTING);
		} else {
			cm4_xmit(c, DHCP4_REQUEST);
		}
		break;
	default:
		break;
	}
}

/* The one place that changes state: entry actions and the single timer. */
static void cm4_transition(struct cm4 *c, enum cm4_state next)
{
	enum cm4_state prev = c->state;

	c->state = next;
	c->window_open = 0;
	loop_timer_cancel(c->loop, &c->timer);
	log_debug("cm4: %s: %s -> %s", c->ifname, cm4_state_str(prev), cm4_state_str(next));
	switch (next) {
	case CM4_SELECTING:
		cm4_close_udp(c);
		if (cm4_open_packet(c) < 0)
			log_warn("cm4: packet socket on %s", c->ifname);
		c->n_offers = 0;
		cm4_new_exchange(c, &cm4_retx_discover);
		trace_step(c->trace, "CM1", "sent", "if=%s", c->ifname);
		cm4_xmit(c, DHCP4_DISCOVER);
		break;
	case CM4_HOLDOFF:
		break;   /* the caller arms the 2/4/8 s timer */
	case CM4_REQUESTING:
		/* RFC 2131 4.4.1: the REQUEST keeps the DISCOVER's xid */
		c->exch_start_ms = clock_mono_ms();
		retx_start(&c->rt, &cm4_retx_request, c->exch_start_ms);
		cm4_xmit(c, DHCP4_REQUEST);
		break;
	case CM4_BOUND: {
		const struct cm4_lease *l = &c->lease;

		cm4_close_packet(c);
		if (cm4_open_udp(c) < 0)
			log_warn("cm4: UDP socket on %s", c->ifname);
		trace_step(c->trace, prev == CM4_REQUESTING ? "CM4" : cm4_state_str(prev), "ok",
			   "addr=%u.%u.%u.%u/%u lease=%u t1=%u t2=%u cl_fields=0x%x", l->addr >> 24,
			   (l->addr >> 16) & 0xff, (l->addr >> 8) & 0xff, l->addr & 0xff,
			   cm4_plen(l->mask), l->lease_s, l->t1_s, l->t2_s, l->cl.present);
		if (c->install_addr)
			cm4_install(c);
		c->retries = 0;
		if (l->t1_s != 0xffffffffu)
			loop_timer_arm(c->loop, &c->timer, l->t1_s > 4000000u ? 4000000000u : l->t1_s * 1000u);
		if (c->event)
			c->event(c->arg, c, 1);
		break;
	}
	case CM4_RENEWING:
		cm4_renew_params(c, c->lease.t2_s);
		cm4_new_exchange(c, &c->renew_p);
		cm4_xmit(c, DHCP4_REQUEST);
		break;
	case CM4_REBINDING:
		cm4_renew_params(c, c->lease.lease_s);
		cm4_new_exchange(c, &c->renew_p);
		cm4_xmit(c, DHCP4_REQUEST);
		break;
	default:
		break;
	}
}

void cm4_init(struct cm4 *c, struct loop *l, const char *ifname, unsigned ifindex,
	      const uint8_t mac[6], enum board_ip cap, cm4_event_fn *event, void *arg)
{
	memset(c, 0, sizeof(*c));
	c->loop = l;
	c->ifname = ifname;
	c->ifindex = ifindex;
	memcpy(c->mac, mac, 6);
	offer_req_from_cap(cap, &c->req);
	c->event = event;
	c->arg = arg;
	c->pfd = c->ufd = -1;
	loop_timer_init(&c->timer, cm4_timeout, c);
}

int cm4_start(struct cm4 *c)
{
	int rc = cm4_open_packet(c);

	if (rc < 0)
		return rc;
	cm4_transition(c, CM4_SELECTING);
	return 0;
}

void cm4_stop(struct cm4 *c)
{
	loop_timer_cancel(c->loop, &c->timer);
	cm4_close_packet(c);
	cm4_close_udp(c);
	c->state = CM4_INIT;
}
