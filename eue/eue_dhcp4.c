/* eue_dhcp4.c: the eUE's DHCPv4 client, MTA1 .. MTA4 and 6.3.5 renewals
 * (eue_dhcp4.h).  Uses tlv/ and platform/ only. */
#include "eue/eue_dhcp4.h"

#include <string.h>
#include <sys/socket.h>

#include "platform/bytes.h"
#include "platform/clock.h"
#include "platform/err.h"
#include "platform/log.h"
#include "platform/net.h"
#include "platform/netlink.h"
#include "platform/rand.h"
#include "tlv/dhcp6.h"
#include "tlv/ipudp.h"
#include "tlv/wr.h"

/* RFC 2131 4.1: 4, 8, 16, 32, 64 s, each +-1 s.  MTA2 fails after the
 * fifth DISCOVER's wait (about 124 s): eUE-3 "consider this step as failed",
 * and the flow engine restarts at MTA1 with its own back-off. */
const struct retx_param ed4_retx_discover = {
	.irt_ms = 4000, .mrt_ms = 64000, .mrc = 5, .jitter_abs_ms = 1000,
};
/* MTA3: the same schedule, four tries (about 60 s), then MTA4 fails. */
const struct retx_param ed4_retx_request = {
	.irt_ms = 4000, .mrt_ms = 64000, .mrc = 4, .jitter_abs_ms = 1000,
};

const uint8_t ed4_prl[ED4_PRL_LEN] = {
	DHCP4_O_SUBNET, DHCP4_O_TIME_OFFSET, DHCP4_O_ROUTER, DHCP4_O_TIME_SERVER, DHCP4_O_DNS,
	DHCP4_O_LOG_SERVER, DHCP4_O_HOSTNAME, DHCP4_O_DOMAIN, DHCP4_O_CCC,
};

static const char *const ed4_state_names[ED4__COUNT] = {
	[ED4_IDLE] = "idle", [ED4_SELECTING] = "selecting", [ED4_REQUESTING] = "requesting",
	[ED4_CHECKING] = "checking", [ED4_BOUND] = "bound", [ED4_RENEWING] = "renewing",
	[ED4_REBINDING] = "rebinding", [ED4_DISABLED] = "disabled",
};

static const char *const ed4_event_names[] = {
	[ED4_EV_DISCOVER_SENT] = "discover-sent", [ED4_EV_SELECTED] = "selected",
	[ED4_EV_REQUEST_SENT] = "request-sent", [ED4_EV_BOUND] = "bound",
	[ED4_EV_FAILED] = "failed", [ED4_EV_DISABLED] = "disabled",
	[ED4_EV_RENEWED] = "renewed", [ED4_EV_LOST] = "lost",
};

_Static_assert(sizeof(ed4_event_names) / sizeof(ed4_event_names[0]) == ED4_EV_LOST + 1,
	       "ed4_event_names");

static const char *const ed4_fail_names[ED4__FAIL_COUNT] = {
	[ED4_FAIL_NONE] = "none", [ED4_FAIL_SOCKET] = "socket", [ED4_FAIL_NO_OFFER] = "no-offer",
	[ED4_FAIL_NO_ACK] = "no-ack", [ED4_FAIL_NAK] = "nak", [ED4_FAIL_ACK_INVALID] = "ack-invalid",
	[ED4_FAIL_ADDR_CHANGED] = "addr-changed", [ED4_FAIL_EXPIRED] = "expired",
	[ED4_FAIL_DECLINED] = "declined",
};

static const uint8_t bcast_mac[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

const char *ed4_state_str(enum ed4_state s)
{
	return (unsigned)s < ED4__COUNT ? ed4_state_names[s] : "?";
}

const char *ed4_event_str(enum ed4_event e)
{
	return (unsigned)e <= ED4_EV_LOST ? ed4_event_names[e] : "?";
}

const char *ed4_fail_str(enum ed4_fail f)
{
	return (unsigned)f < ED4__FAIL_COUNT ? ed4_fail_names[f] : "?";
}

static void ed4_transition(struct ed4 *c, enum ed4_state next, unsigned why);

static void ed4_emit(struct ed4 *c, enum ed4_event ev, unsigned detail)
{
	if (c->event)
		c->event(c->arg, c, ev, detail);
}

#define IP4(a) (unsigned)((a) >> 24), (unsigned)(((a) >> 16) & 0xff), \
	(unsigned)(((a) >> 8) & 0xff), (unsigned)((a) & 0xff)

/* ---------------------------------------------------------------- policy */

void ed4_default_capab(struct capab *cp)
{
	capab_init(cp);
	(void)capab_add_u8(cp, CAPAB_PKTC_VERSION, 2);     /* A.2: PacketCable 2.0 */
	(void)capab_add_u8(cp, CAPAB_NUM_ENDPOINTS, 2);
	(void)capab_add_u8(cp, CAPAB_TGT, 1);              /* A.1: 5.3 */
	(void)capab_add_u8(cp, CAPAB_HTTP_DL, 1);          /* A.1: 5.4 */
	(void)capab_add_u8(cp, CAPAB_NVRAM_TICKETS, 1);
	(void)capab_add_u8(cp, CAPAB_PROV_EVENTS, 1);
	(void)capab_add_u8(cp, CAPAB_FLOW_LOGGING, 1);
	(void)capab_add_u16(cp, CAPAB_PROV_FLOWS, CAPAB_FLOW_SECURE | CAPAB_FLOW_HYBRID | CAPAB_FLOW_BASIC);
	(void)capab_add_u8(cp, CAPAB_CERT_BOOTSTRAP, 1);   /* A.2: 5.26, built (6.6.5, eue_cb.c) */
}

int ed4_rank(const struct cl_opts *o)
{
	if (!cl_has(o, CL_F_PROV_SRV))
		return -1;
	if (cl_prov_disabled(&o->prov))
		return 3;   /* eUE-3: last, and alone it disables */
	if (!cl_has(o, CL_F_REALM))
		return -1;
	switch (o->realm.flow) {
	case CL_FLOW_SECURE:
		return 0;
	case CL_FLOW_HYBRID1:
	case CL_FLOW_HYBRID2:
		return 1;
	case CL_FLOW_BASIC1:
	case CL_FLOW_BASIC2:
		return 2;
	default:
		return -1;  /* an empty realm names no flow */
	}
}

/* 6.3.2.2: the server identifier must be one the eCM named, or any. */
static int ed4_server_allowed(const struct ed4 *c, uint32_t sid)
{
	if (c->cfg.any)
		return 1;
	for (unsigned i = 0; i < c->cfg.n_servers && i < 2; i++)
		if (c->cfg.servers[i] == 0xffffffffu || c->cfg.servers[i] == sid)
			return 1;
	return 0;
}

/* ---------------------------------------------------------------- messages */

static int ed4_build(struct ed4 *c, enum dhcp4_type type, uint8_t *buf, size_t cap)
{
	char opt60[CAPAB_OPT60_MAX];
	uint64_t secs = (clock_mono_ms() - c->exch_start_ms) / 1000;
	struct dhcp4_cl43 v43;
	struct dhcp4_hdr h;
	struct wr w;
	int n60 = capab_opt60_build(&c->caps, opt60, sizeof(opt60));

	if (n60 < 0)
		return n60;
	memset(&h, 0, sizeof(h));
	h.op = DHCP4_BOOTREQUEST;
	h.htype = 1;
	h.hlen = 6;
	h.xid = c->xid;
	h.secs = secs > 0xffff ? 0xffff : (uint16_t)secs;
	memcpy(h.chaddr, c->cfg.mac, 6);
	if (c->state == ED4_RENEWING || c->state == ED4_REBINDING)
		h.ciaddr = c->lease.addr;       /* RFC 2131 4.3.2: ciaddr, no 50/54 */

	memset(&v43, 0, sizeof(v43));
	v43.device_type = "EDVA";               /* dhcp-options.md 4: an E-DVA eUE */
	v43.serial = c->cfg.serial;
	v43.hw_version = c->cfg.hw_version;
	v43.sw_version = c->cfg.sw_version;
	v43.boot_rom = c->cfg.boot_rom;
	v43.oui = c->cfg.oui;
	v43.model = c->cfg.model;
	v43.vendor = c->cfg.vendor;
	v43.mac = c->cfg.mac;                   /* 43.31: the eUE MAC */

	wr_init(&w, buf, cap);
	dhcp4_put_hdr(&w, &h);
	dhcp4_put_msg_type(&w, type);
	/* 61 first after 53: RFC 4361 6.1, the same identity in every message */
	dhcp4_put_client_id_4361(&w, c->iaid, c->duid, sizeof(c->duid));
	if (type == DHCP4_DECLINE) {
		/* RFC 2131 Table 5: 50 and 54 MUST, 55/57/60 MUST NOT */
		dhcp4_put_u32(&w, DHCP4_O_REQ_ADDR, c->lease.addr);
		dhcp4_put_u32(&w, DHCP4_O_SERVER_ID, c->offers[c->chosen].server_id);
		dhcp4_put_end(&w);
		return w.err ? w.err : (int)w.len;
	}
	dhcp4_put_u16(&w, DHCP4_O_MAX_SIZE, ED4_PKT_MAX);
	if (type == DHCP4_REQUEST && c->state == ED4_REQUESTING) {
		dhcp4_put_u32(&w, DHCP4_O_REQ_ADDR, c->offers[c->chosen].yiaddr);
		dhcp4_put_u32(&w, DHCP4_O_SERVER_ID, c->offers[c->chosen].server_id);
	}
	/* MTA1 / MTA3: the REQUEST carries what the DISCOVER did (eUE-3) */
	dhcp4_put_prl(&w, ed4_prl, ED4_PRL_LEN);
	/* 60 before 43: Wireshark reads 43 as CableLabs sub-options only after a
	 * "pktc" class (dhcp-options.md 4); tshark 4.0 decodes both, no expert info */
	dhcp4_put_opt(&w, DHCP4_O_VENDOR_CLASS, opt60, (size_t)n60);   /* 6.6.1 */
	dhcp4_put_cl43(&w, &v43);
	dhcp4_put_end(&w);
	return w.err ? w.err : (int)w.len;
}

static void ed4_send(struct ed4 *c, enum dhcp4_type type)
{
	uint8_t msg[ED4_PKT_MAX], pkt[ED4_PKT_MAX];
	int n = ed4_build(c, type, msg, sizeof(msg)), rc;
	struct wr w;

	if (n < 0) {
		log_warnx("ed4: cannot build %s: %s", dhcp4_type_str(type), err_str(n));
		return;
	}
	if (c->state == ED4_RENEWING || c->state == ED4_REBINDING) {
		struct net_addr to = { .family = AF_INET, .port = 67 };
		uint32_t dst = c->state == ED4_RENEWING ? c->lease.server_id : 0xffffffffu;

		store_be32(to.addr, dst);
		rc = net_udp_send(c->ufd, msg, (size_t)n, &to);
	} else {
		/* no address yet: 0.0.0.0 -> 255.255.255.255 over the packet socket */
		wr_init(&w, pkt, sizeof(pkt));
		ipudp_encode(&w, 0, 0xffffffffu, 68, 67, c->ip_id++, msg, (size_t)n);
		rc = w.err ? w.err :
		     net_packet_send(c->pfd, c->cfg.ifindex, 0x0800, bcast_mac, pkt, w.len);
	}
	if (rc < 0)   /* the timer retries */
		log_warnx("ed4: send %s on %s: %s", dhcp4_type_str(type), c->cfg.ifname, err_str(rc));
	log_debug("ed4: sent %s xid %08x (%d bytes)", dhcp4_type_str(type), c->xid, n);
}

static void ed4_xmit(struct ed4 *c, enum dhcp4_type type)
{
	uint32_t wait;

	ed4_send(c, type);
	if (retx_next(&c->rt, clock_mono_ms(), rand_u32(), &wait) < 0)
		wait = 0;
	loop_timer_arm(c->loop, &c->timer, wait);
}

static void ed4_new_exchange(struct ed4 *c, const struct retx_param *p)
{
	c->xid = rand_u32();
	c->exch_start_ms = clock_mono_ms();
	retx_start(&c->rt, p, c->exch_start_ms);
}

/* ---------------------------------------------------------------- sockets */

static void ed4_on_packet(void *arg, int fd, unsigned events);
static void ed4_on_udp(void *arg, int fd, unsigned events);
static void ed4_on_arp(void *arg, int fd, unsigned events);

static int ed4_open_packet(struct ed4 *c)
{
	if (c->pfd >= 0)
		return 0;
	c->pfd = net_packet_open(c->cfg.ifname, 0x0800);
	if (c->pfd < 0)
		return c->pfd;
	return loop_watch_fd(c->loop, c->pfd, LOOP_IN, ed4_on_packet, c);
}

static void ed4_close_packet(struct ed4 *c)
{
	net_close_watched(c->loop, &c->pfd);
}

static int ed4_open_udp(struct ed4 *c)
{
	struct net_addr b = { .family = AF_INET, .port = 68 };

	if (c->ufd >= 0)
		return 0;
	c->ufd = net_udp_open(&b, c->cfg.ifname, NET_BROADCAST | NET_REUSE);
	if (c->ufd < 0)
		return c->ufd;
	return loop_watch_fd(c->loop, c->ufd, LOOP_IN, ed4_on_udp, c);
}

static void ed4_close_udp(struct ed4 *c)
{
	net_close_watched(c->loop, &c->ufd);
}

/* ARP (RFC 826) over an Ethernet packet socket: the 28-byte body. */
#define ARP_LEN 28

static int ed4_open_arp(struct ed4 *c)
{
	if (c->afd >= 0)
		return 0;
	c->afd = net_packet_open(c->cfg.ifname, 0x0806);
	if (c->afd < 0)
		return c->afd;
	return loop_watch_fd(c->loop, c->afd, LOOP_IN, ed4_on_arp, c);
}

static void ed4_close_arp(struct ed4 *c)
{
	net_close_watched(c->loop, &c->afd);
}

/* RFC 5227 2.1.1: an ARP request with sender IP 0.0.0.0 for the address. */
static void ed4_send_probe(struct ed4 *c)
{
	uint8_t b[ARP_LEN];
	int rc;

	memset(b, 0, sizeof(b));
	b[1] = 1;                      /* htype Ethernet */
	b[2] = 0x08;                   /* ptype IPv4 */
	b[4] = 6;
	b[5] = 4;
	b[7] = 1;                      /* request */
	memcpy(b + 8, c->cfg.mac, 6);  /* sha; spa stays 0.0.0.0; tha 0 */
	store_be32(b + 24, c->lease.addr);
	rc = net_packet_send(c->afd, c->cfg.ifindex, 0x0806, bcast_mac, b, sizeof(b));
	if (rc < 0)
		log_warnx("ed4: ARP probe on %s: %s", c->cfg.ifname, err_str(rc));
}

/* RFC 5227 2.1.1: a conflict is any ARP packet from another MAC whose
 * sender address is ours, or a probe of another host for it. */
static int ed4_arp_conflict(const struct ed4 *c, const uint8_t *b, size_t n)
{
	uint32_t spa, tpa;

	if (n < ARP_LEN || b[0] != 0 || b[1] != 1 || b[2] != 0x08 || b[3] != 0 || b[4] != 6 ||
	    b[5] != 4 || memcmp(b + 8, c->cfg.mac, 6) == 0)
		return 0;
	spa = load_be32(b + 14);
	tpa = load_be32(b + 24);
	return spa == c->lease.addr || (spa == 0 && tpa == c->lease.addr);
}

static void ed4_on_arp(void *arg, int fd, unsigned events)
{
	struct ed4 *c = arg;
	uint8_t buf[128];
	ssize_t n;

	(void)events;
	while ((n = net_packet_recv(fd, buf, sizeof(buf))) != E_AGAIN) {
		if (n < 0) {
			if (n != E_OVERFLOW)
				return;
			continue;
		}
		if (c->state != ED4_CHECKING || !ed4_arp_conflict(c, buf, (size_t)n))
			continue;
		log_warnx("ed4: %u.%u.%u.%u is in use on %s (ARP from %02x:%02x:%02x:%02x:%02x:%02x)",
			  IP4(c->lease.addr), c->cfg.ifname, buf[8], buf[9], buf[10], buf[11], buf[12],
			  buf[13]);
		trace_step(c->cfg.trace, "MTA4/arp", "declined", "addr=%u.%u.%u.%u", IP4(c->lease.addr));
		ed4_send(c, DHCP4_DECLINE);   /* RFC 2131 4.4.1 */
		ed4_transition(c, ED4_IDLE, ED4_FAIL_DECLINED);
		return;   /* the socket is closed */
	}
}

/* ---------------------------------------------------------------- address */

static unsigned ed4_plen(uint32_t mask)
{
	unsigned n = 0;

	while (mask & 0x80000000u) {
		n++;
		mask <<= 1;
	}
	return n;
}

static void ed4_install_addr(struct ed4 *c)
{
	uint8_t a[4];

	store_be32(a, c->lease.addr);
	if (nl_addr_add(c->cfg.ifindex, AF_INET, a, ed4_plen(c->lease.mask), c->lease.lease_s,
			c->lease.lease_s, 0) < 0)
		log_warn("ed4: cannot add the leased address to %s", c->cfg.ifname);
}

static void ed4_install_route(struct ed4 *c)
{
	uint8_t g[4];

	store_be32(g, c->lease.router);
	if (c->lease.router && nl_route_default(c->cfg.ifindex, AF_INET, g) < 0)
		log_warn("ed4: cannot add the default route via %s", c->cfg.ifname);
}

static void ed4_uninstall(struct ed4 *c, uint32_t mask)
{
	uint8_t a[4];

	store_be32(a, c->lease.addr);
	nl_addr_del(c->cfg.ifindex, AF_INET, a, ed4_plen(mask));
}

/* ---------------------------------------------------------------- input */

static void ed4_choose(struct ed4 *c)
{
	unsigned best = 0;

	c->window_open = 0;
	if (c->n_offers == 0)
		return;
	for (unsigned i = 1; i < c->n_offers; i++)
		if (c->offers[i].rank < c->offers[best].rank)
			best = i;   /* strict: the earlier of equals wins */
	if (c->offers[best].rank == 3) {
		/* eUE-3: only "0.0.0.0": no further DHCP, disabled until re-initialised */
		trace_step(c->cfg.trace, "MTA2/select", "disable", "offers=%u", c->n_offers);
		ed4_transition(c, ED4_DISABLED, 0);
		return;
	}
	c->chosen = best;
	trace_step(c->cfg.trace, "MTA2/select", "chosen", "offer=%u/%u rank=%u server=%u.%u.%u.%u",
		   best + 1, c->n_offers, c->offers[best].rank, IP4(c->offers[best].server_id));
	ed4_emit(c, ED4_EV_SELECTED, 0);
	if (c->state == ED4_SELECTING)   /* the event may have stopped us */
		ed4_transition(c, ED4_REQUESTING, 0);
}

static void ed4_on_offer(struct ed4 *c, const struct dhcp4_msg *m)
{
	struct ed4_offer *o;
	struct cl_opts cl;
	uint32_t sid;
	int rank;

	if (dhcp4_opt_addr(m, DHCP4_O_SERVER_ID, &sid) < 0 || m->yiaddr == 0 ||
	    m->yiaddr == 0xffffffffu) {
		c->dropped++;
		return;
	}
	if (!ed4_server_allowed(c, sid)) {
		/* 6.3.2.2: not a server the eCM named */
		c->ignored++;
		trace_step(c->cfg.trace, "MTA2/offer", "ignored", "reason=server server=%u.%u.%u.%u", IP4(sid));
		return;
	}
	cl_init(&cl);
	(void)cl_from_dhcp4(&cl, m);   /* what decoded counts; a bad sub-option is absent */
	rank = ed4_rank(&cl);
	if (rank < 0) {
		c->ignored++;
		trace_step(c->cfg.trace, "MTA2/offer", "ignored", "reason=options server=%u.%u.%u.%u cl=0x%x",
			   IP4(sid), cl.present);
		return;
	}
	for (unsigned i = 0; i < c->n_offers; i++)
		if (c->offers[i].server_id == sid) {
			c->dropped++;   /* a server's repeated OFFER: the first stands */
			return;
		}
	if (c->n_offers == ED4_OFFER_MAX) {
		c->dropped++;
		return;
	}
	o = &c->offers[c->n_offers++];
	o->server_id = sid;
	o->yiaddr = m->yiaddr;
	o->rank = (unsigned)rank;
	trace_step(c->cfg.trace, "MTA2/offer", "offer", "offer=%u rank=%u server=%u.%u.%u.%u realm=%s",
		   c->n_offers, o->rank, IP4(sid), rank == 3 ? "-" : cl.realm.name);
	if (o->rank == 0) {
		ed4_choose(c);   /* Secure: nothing ranks higher */
	} else if (!c->window_open) {
		c->window_open = 1;
		loop_timer_arm(c->loop, &c->timer, ED4_OFFER_WINDOW_MS);
	}
}

static void ed4_addrs(const struct dhcp4_msg *m, uint8_t code, struct ed4_addrs *out)
{
	int n = dhcp4_opt_addrs(m, code, out->a, ED4_ADDRS_MAX);

	out->n = n > 0 ? (unsigned)n : 0;
}

static int ed4_addrs_eq(const struct ed4_addrs *a, const struct ed4_addrs *b)
{
	return a->n == b->n && memcmp(a->a, b->a, a->n * sizeof(a->a[0])) == 0;
}

/* The lease times of an ACK (RFC 2131 4.4.5 defaults). */
static void ed4_times(struct ed4_lease *l, const struct dhcp4_msg *m)
{
	if (dhcp4_opt_u32(m, DHCP4_O_LEASE, &l->lease_s) < 0)
		l->lease_s = 3600;
	if (dhcp4_opt_u32(m, DHCP4_O_T1, &l->t1_s) < 0)
		l->t1_s = l->lease_s / 2;
	if (dhcp4_opt_u32(m, DHCP4_O_T2, &l->t2_s) < 0)
		l->t2_s = l->lease_s / 8 * 7;
	if (l->t2_s > l->lease_s)
		l->t2_s = l->lease_s;
	if (l->t1_s > l->t2_s)
		l->t1_s = l->t2_s;
	l->bound_ms = clock_mono_ms();
}

/* MTA4: everything from the ACK, nothing from the OFFER (eUE-4). */
static void ed4_lease_from_ack(struct ed4_lease *l, const struct dhcp4_msg *m)
{
	memset(l, 0, sizeof(*l));
	l->addr = m->yiaddr;
	l->siaddr = m->siaddr;
	if (dhcp4_opt_addr(m, DHCP4_O_SUBNET, &l->mask) < 0)
		l->mask = 0xffffff00u;   /* RFC 2131 leaves it to the client; the class C default */
	(void)dhcp4_opt_addr(m, DHCP4_O_ROUTER, &l->router);
	(void)dhcp4_opt_addr(m, DHCP4_O_SERVER_ID, &l->server_id);
	ed4_times(l, m);
	ed4_addrs(m, DHCP4_O_DNS, &l->dns);
	ed4_addrs(m, DHCP4_O_LOG_SERVER, &l->syslog);
	ed4_addrs(m, DHCP4_O_TIME_SERVER, &l->time_servers);
	l->has_offset = dhcp4_opt_s32(m, DHCP4_O_TIME_OFFSET, &l->time_offset) == 0;
	if (dhcp4_opt_str(m, DHCP4_O_HOSTNAME, l->hostname, sizeof(l->hostname)) < 0)
		l->hostname[0] = '\0';
	if (dhcp4_opt_str(m, DHCP4_O_DOMAIN, l->domain, sizeof(l->domain)) < 0)
		l->domain[0] = '\0';
	if (dhcp4_file(m, l->file, sizeof(l->file)) < 0)
		l->file[0] = '\0';
	cl_init(&l->cl);
	if (cl_from_dhcp4(&l->cl, m) < 0)
		log_warnx("ed4: the ACK's CableLabs options are malformed; using what decoded");
}

static void ed4_on_first_ack(struct ed4 *c, const struct dhcp4_msg *m)
{
	uint32_t sid;
	int rank;

	/* RFC 2131 4.4.1: the ACK comes from the server we asked */
	if (dhcp4_opt_addr(m, DHCP4_O_SERVER_ID, &sid) == 0 &&
	    sid != c->offers[c->chosen].server_id) {
		c->dropped++;
		return;
	}
	ed4_lease_from_ack(&c->lease, m);
	rank = ed4_rank(&c->lease.cl);
	if (rank == 3) {
		trace_step(c->cfg.trace, "MTA4/ack", "disable", "server=%u.%u.%u.%u", IP4(c->lease.server_id));
		ed4_transition(c, ED4_DISABLED, 0);
	} else if (rank < 0) {
		/* eUE-4: an ACK not valid per the OFFER criteria fails the step */
		trace_step(c->cfg.trace, "MTA4/ack", "invalid", "cl=0x%x", c->lease.cl.present);
		ed4_transition(c, ED4_IDLE, ED4_FAIL_ACK_INVALID);
	} else {
		ed4_transition(c, c->cfg.arp_check_ms ? ED4_CHECKING : ED4_BOUND, 0);
	}
}

/* 6.3.5, the DHCPv4 rules. */
static void ed4_on_renew_ack(struct ed4 *c, const struct dhcp4_msg *m)
{
	struct ed4_lease *l = &c->lease;
	struct ed4_addrs dns, syslog;
	uint32_t mask, router, old_mask = l->mask;
	unsigned flags = 0;

	if (m->yiaddr != l->addr) {
		trace_step(c->cfg.trace, "MTA4/renew", "lost", "reason=addr-changed addr=%u.%u.%u.%u",
			   IP4(m->yiaddr));
		ed4_transition(c, ED4_IDLE, ED4_FAIL_ADDR_CHANGED);
		return;
	}
	/* An option the renewal ACK leaves out (or sends malformed) changes
	 * nothing: the values in use are kept.  Only a different value is a
	 * change in 6.3.5's sense. */
	ed4_addrs(m, DHCP4_O_DNS, &dns);
	ed4_addrs(m, DHCP4_O_LOG_SERVER, &syslog);
	if (dns.n && !ed4_addrs_eq(&dns, &l->dns)) {
		l->dns = dns;
		flags |= ED4_RN_DNS;
	}
	if (syslog.n && !ed4_addrs_eq(&syslog, &l->syslog)) {
		l->syslog = syslog;
		flags |= ED4_RN_SYSLOG;
	}
	if (dhcp4_opt_addr(m, DHCP4_O_SUBNET, &mask) < 0)
		mask = l->mask;
	if (dhcp4_opt_addr(m, DHCP4_O_ROUTER, &router) < 0)
		router = l->router;
	if (mask != l->mask) {
		l->mask = mask;
		flags |= ED4_RN_MASK;
	}
	if (router != l->router) {
		l->router = router;
		flags |= ED4_RN_ROUTER;
	}
	/* file, siaddr, 2, 4, 12, 15 and all of 122 are ignored (6.3.5) */
	ed4_times(l, m);
	(void)dhcp4_opt_addr(m, DHCP4_O_SERVER_ID, &l->server_id);
	if (c->cfg.install_addr) {
		/* 6.3.5 "MAY use the new values": the same address, another prefix */
		if (flags & ED4_RN_MASK)
			ed4_uninstall(c, old_mask);
		/* and the kernel's lifetimes follow the renewed lease (NLM_F_REPLACE) */
		ed4_install_addr(c);
	}
	trace_step(c->cfg.trace, "MTA4/renew", "renewed", "flags=0x%x lease=%u", flags, l->lease_s);
	ed4_transition(c, ED4_BOUND, flags);
}

void ed4_input(struct ed4 *c, const uint8_t *buf, size_t len)
{
	struct dhcp4_msg m;
	int rc = dhcp4_decode(&m, buf, len);

	if (rc < 0) {
		c->dropped++;
		log_debug("ed4: dropped a malformed message: %s at %zu", dhcp4_why_str(m.why), m.err_off);
		return;
	}
	if (m.op != DHCP4_BOOTREPLY || m.xid != c->xid || m.hlen != 6 ||
	    memcmp(m.chaddr, c->cfg.mac, 6) != 0) {
		c->dropped++;
		return;
	}
	switch (m.msg_type) {
	case DHCP4_OFFER:
		if (c->state == ED4_SELECTING)
			ed4_on_offer(c, &m);
		else
			c->dropped++;
		break;
	case DHCP4_ACK:
		if (m.yiaddr == 0) {
			c->dropped++;   /* an ACK to an INFORM, not to us */
			break;
		}
		if (c->state == ED4_REQUESTING)
			ed4_on_first_ack(c, &m);
		else if (c->state == ED4_RENEWING || c->state == ED4_REBINDING)
			ed4_on_renew_ack(c, &m);
		else
			c->dropped++;
		break;
	case DHCP4_NAK:
		if (c->state == ED4_REQUESTING) {
			uint32_t sid;

			if (dhcp4_opt_addr(&m, DHCP4_O_SERVER_ID, &sid) == 0 &&
			    sid != c->offers[c->chosen].server_id) {
				c->dropped++;
				break;
			}
			trace_step(c->cfg.trace, "MTA4/ack", "nak", NULL);
			ed4_transition(c, ED4_IDLE, ED4_FAIL_NAK);   /* RFC 2131 4.4.1: to INIT */
		} else if (c->state == ED4_RENEWING || c->state == ED4_REBINDING) {
			trace_step(c->cfg.trace, "MTA4/renew", "lost", "reason=nak");
			ed4_transition(c, ED4_IDLE, ED4_FAIL_NAK);
		} else {
			c->dropped++;
		}
		break;
	default:
		c->dropped++;
	}
}

/* The packet socket sees every IPv4 frame: keep only UDP to port 68. */
static void ed4_on_packet(void *arg, int fd, unsigned events)
{
	struct ed4 *c = arg;
	uint8_t buf[ED4_PKT_MAX + 64];
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
		ed4_input(c, u.payload, u.len);
		if (c->pfd != fd)
			return;   /* the input closed the packet socket */
	}
}

static void ed4_on_udp(void *arg, int fd, unsigned events)
{
	struct ed4 *c = arg;
	uint8_t buf[ED4_PKT_MAX];
	ssize_t n;

	(void)events;
	while ((n = net_udp_recv(fd, buf, sizeof(buf), NULL, NULL)) != E_AGAIN) {
		if (n < 0) {
			if (n != E_OVERFLOW)
				return;
			continue;
		}
		ed4_input(c, buf, (size_t)n);
		if (c->ufd != fd)
			return;
	}
}

/* ---------------------------------------------------------------- states */

static void ed4_renew_params(struct ed4 *c, uint32_t until_s)
{
	uint64_t now_s = (clock_mono_ms() - c->lease.bound_ms) / 1000;
	uint32_t left = until_s > now_s ? (uint32_t)(until_s - now_s) : 1;
	uint64_t half = (uint64_t)left * 500u;

	/* RFC 2131 4.4.5: half the time left, at least 60 s, until the limit */
	c->renew_p = (struct retx_param){
		.irt_ms = half < 60000u ? 60000u : half > 0x7fffffffu ? 0x7fffffffu : (uint32_t)half,
		.mrd_ms = left > 4000000u ? 4000000000u : left * 1000u,
	};
}

static void ed4_timeout(void *arg)
{
	struct ed4 *c = arg;
	uint64_t now = clock_mono_ms();

	switch (c->state) {
	case ED4_SELECTING:
		if (c->n_offers > 0) {
			ed4_choose(c);   /* the MTA2 window ran out */
		} else if (retx_expired(&c->rt, now)) {
			log_warnx("ed4: no acceptable OFFER on %s (MTA2)", c->cfg.ifname);
			trace_step(c->cfg.trace, "MTA2/offer", "timeout", "ignored=%u", c->ignored);
			ed4_transition(c, ED4_IDLE, ED4_FAIL_NO_OFFER);
		} else {
			ed4_xmit(c, DHCP4_DISCOVER);
		}
		break;
	case ED4_REQUESTING:
		if (retx_expired(&c->rt, now)) {
			log_warnx("ed4: no ACK on %s (MTA4)", c->cfg.ifname);
			ed4_transition(c, ED4_IDLE, ED4_FAIL_NO_ACK);
		} else {
			ed4_xmit(c, DHCP4_REQUEST);
		}
		break;
	case ED4_CHECKING:
		ed4_transition(c, ED4_BOUND, 0);   /* nobody answered the probe */
		break;
	case ED4_BOUND:
		ed4_transition(c, ED4_RENEWING, 0);
		break;
	case ED4_RENEWING:
		if (retx_expired(&c->rt, now))
			ed4_transition(c, ED4_REBINDING, 0);
		else
			ed4_xmit(c, DHCP4_REQUEST);
		break;
	case ED4_REBINDING:
		if (retx_expired(&c->rt, now)) {
			log_warnx("ed4: lease on %s expired", c->cfg.ifname);
			trace_step(c->cfg.trace, "MTA4/renew", "lost", "reason=expired");
			ed4_transition(c, ED4_IDLE, ED4_FAIL_EXPIRED);
		} else {
			ed4_xmit(c, DHCP4_REQUEST);
		}
		break;
	default:
		break;
	}
}

/*
 * The one place that changes state: entry actions, the single timer and the
 * events.  why: the enum ed4_fail of an entry into IDLE, or the ED4_RN_*
 * flags of a re-entry into BOUND from a renewal.
 */
static void ed4_transition(struct ed4 *c, enum ed4_state next, unsigned why)
{
	enum ed4_state prev = c->state;
	int had_lease = prev == ED4_BOUND || prev == ED4_RENEWING || prev == ED4_REBINDING;

	c->state = next;
	c->window_open = 0;
	loop_timer_cancel(c->loop, &c->timer);
	log_debug("ed4: %s: %s -> %s", c->cfg.ifname, ed4_state_str(prev), ed4_state_str(next));
	switch (next) {
	case ED4_SELECTING:
		ed4_close_udp(c);
		c->n_offers = 0;
		c->ignored = 0;
		ed4_new_exchange(c, &ed4_retx_discover);
		ed4_xmit(c, DHCP4_DISCOVER);
		ed4_emit(c, ED4_EV_DISCOVER_SENT, 0);   /* MTA1 */
		break;
	case ED4_REQUESTING:
		/* RFC 2131 4.4.1: the REQUEST keeps the DISCOVER's xid */
		c->exch_start_ms = clock_mono_ms();
		retx_start(&c->rt, &ed4_retx_request, c->exch_start_ms);
		ed4_xmit(c, DHCP4_REQUEST);
		ed4_emit(c, ED4_EV_REQUEST_SENT, 0);    /* MTA3 */
		break;
	case ED4_CHECKING:
		if (ed4_open_arp(c) < 0) {
			log_warn("ed4: no ARP socket on %s; the address goes unchecked", c->cfg.ifname);
			ed4_transition(c, ED4_BOUND, 0);
			break;
		}
		ed4_send_probe(c);
		loop_timer_arm(c->loop, &c->timer, c->cfg.arp_check_ms);
		break;
	case ED4_BOUND: {
		const struct ed4_lease *l = &c->lease;

		ed4_close_arp(c);
		ed4_close_packet(c);
		if (ed4_open_udp(c) < 0)
			log_warn("ed4: UDP socket on %s", c->cfg.ifname);
		if (!had_lease) {
			trace_step(c->cfg.trace, "MTA4/ack", "ack",
				   "addr=%u.%u.%u.%u/%u lease=%u realm=%s flow=%s", IP4(l->addr),
				   ed4_plen(l->mask), l->lease_s, l->cl.realm.name,
				   cl_flow_name((enum cl_flow)l->cl.realm.flow));
			if (c->cfg.install_addr) {
				ed4_install_addr(c);
				ed4_install_route(c);
			}
		} else if (c->cfg.install_addr && (why & ED4_RN_ROUTER)) {
			ed4_install_route(c);   /* NLM_F_REPLACE: the new next hop */
		}
		if (l->t1_s != 0xffffffffu)   /* RFC 2131 3.3: infinite, no renewal */
			loop_timer_arm(c->loop, &c->timer, l->t1_s > 4000000u ? 4000000000u : l->t1_s * 1000u);
		ed4_emit(c, had_lease ? ED4_EV_RENEWED : ED4_EV_BOUND, why);
		break;
	}
	case ED4_RENEWING:
		ed4_renew_params(c, c->lease.t2_s);
		ed4_new_exchange(c, &c->renew_p);
		ed4_xmit(c, DHCP4_REQUEST);
		break;
	case ED4_REBINDING:
		ed4_renew_params(c, c->lease.lease_s);
		ed4_new_exchange(c, &c->renew_p);
		ed4_xmit(c, DHCP4_REQUEST);
		break;
	case ED4_DISABLED:
		ed4_close_arp(c);
		ed4_close_packet(c);
		ed4_close_udp(c);
		ed4_emit(c, ED4_EV_DISABLED, 0);
		break;
	case ED4_IDLE:
		ed4_close_arp(c);
		ed4_close_packet(c);
		ed4_close_udp(c);
		if (had_lease && c->cfg.install_addr)
			ed4_uninstall(c, c->lease.mask);
		if (why != ED4_FAIL_NONE)
			ed4_emit(c, had_lease ? ED4_EV_LOST : ED4_EV_FAILED, why);
		break;
	default:
		break;
	}
}

void ed4_config_from_board(struct ed4_config *cfg, const struct board_conf *b)
{
	cfg->ifname = b->eue_if;
	memcpy(cfg->mac, b->eue_mac, 6);
	cfg->serial = b->serial;
	cfg->hw_version = b->hw_version;
	cfg->sw_version = b->sw_version;
	cfg->boot_rom = b->boot_rom;
	cfg->model = b->model;
	cfg->vendor = b->vendor;
	memcpy(cfg->oui, b->oui, 3);
}

void ed4_init(struct ed4 *c, struct loop *l, const struct ed4_config *cfg, ed4_event_fn *ev,
	      void *arg)
{
	memset(c, 0, sizeof(*c));
	c->cfg = *cfg;
	c->loop = l;
	c->event = ev;
	c->arg = arg;
	if (cfg->caps)
		c->caps = *cfg->caps;
	else
		ed4_default_capab(&c->caps);
	/* 6.3.3 / RFC 4361: the DUID-LL of the eUE MAC, as DHCPv6 would use it */
	if (dhcp6_duid_ll(c->duid, sizeof(c->duid), 1, cfg->mac, 6) != (int)sizeof(c->duid))
		memset(c->duid, 0, sizeof(c->duid));
	c->iaid = load_be32(cfg->mac + 2);
	c->pfd = c->ufd = c->afd = -1;
	c->state = ED4_IDLE;
	loop_timer_init(&c->timer, ed4_timeout, c);
}

int ed4_start(struct ed4 *c)
{
	int rc;

	if (c->state != ED4_IDLE && c->state != ED4_DISABLED)
		ed4_stop(c);
	rc = ed4_open_packet(c);
	if (rc < 0) {
		log_warnx("ed4: packet socket on %s: %s", c->cfg.ifname, err_str(rc));
		return rc;
	}
	ed4_transition(c, ED4_SELECTING, 0);
	return 0;
}

void ed4_stop(struct ed4 *c)
{
	ed4_transition(c, ED4_IDLE, ED4_FAIL_NONE);   /* no event: the caller asked */
}
