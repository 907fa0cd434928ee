/*
 * eue_ipv6.c: link-local address, DAD and router discovery of the eUE
 * (PKT-SP-EUE-PROV-I05 6.3.4.1, 6.3.4.2; see eue_ipv6.h).  One transition
 * function owns the entry actions and the one timer; the timer callback
 * and the RA input only decide which state comes next.  Wire format in
 * tlv/nd.c; the OS through platform/{net,netlink,sysctl}.
 */
#include "eue/eue_ipv6.h"

#include <string.h>
#include <sys/socket.h>

#include "platform/clock.h"
#include "platform/err.h"
#include "platform/netlink.h"
#include "platform/rand.h"
#include "platform/sysctl.h"
#include "tlv/nd.h"
#include "tlv/wr.h"

static const char *const ip6_state_names[] = {
	[IP6_ST_IDLE] = "idle",
	[IP6_ST_DAD] = "dad",
	[IP6_ST_RS_DELAY] = "rs-delay",
	[IP6_ST_SOLICIT] = "solicit",
	[IP6_ST_READY] = "ready",
	[IP6_ST_FAILED] = "failed",
};
_Static_assert(sizeof(ip6_state_names) / sizeof(ip6_state_names[0]) == IP6_ST__COUNT,
	       "a name for every ip6 state");

/* RFC 4291 2.7.1: all-routers, link-local scope */
static const uint8_t ip6_all_routers[16] = { 0xff, 0x02, [15] = 0x02 };

const char *ip6_state_str(enum ip6_state s)
{
	return (unsigned)s < IP6_ST__COUNT ? ip6_state_names[s] : "?";
}

void ip6_eui64_ll(const uint8_t mac[6], uint8_t out[16])
{
	memset(out, 0, 16);
	out[0] = 0xfe;               /* fe80::/64 (RFC 4291 2.5.6) */
	out[1] = 0x80;
	/* RFC 4291 Appendix A: OUI, 0xFF 0xFE, the rest; invert the u bit */
	out[8] = mac[0] ^ 0x02;
	out[9] = mac[1];
	out[10] = mac[2];
	out[11] = 0xff;
	out[12] = 0xfe;
	out[13] = mac[3];
	out[14] = mac[4];
	out[15] = mac[5];
}

static const char *ip6_str(const uint8_t a[16], char *buf, size_t cap)
{
	struct net_addr na;

	memset(&na, 0, sizeof(na));
	na.family = AF_INET6;
	memcpy(na.addr, a, 16);
	return net_ip_str(&na, buf, cap);
}

int ip6_kernel_off(const struct ip6_config *cfg)
{
	/* The eUE does its own 6.3.4 (see the header): no RA processing by the
	 * kernel (accept_ra 0) and no kernel-made link-local (addr_gen_mode 1,
	 * IN6_ADDR_GEN_MODE_NONE). */
	int rc = sysctl_ip6_conf_set(cfg->sysctl_root, cfg->ifname, "accept_ra", "0");
	int rc2 = sysctl_ip6_conf_set(cfg->sysctl_root, cfg->ifname, "addr_gen_mode", "1");

	if (rc != 0 || rc2 != 0)
		log_warnx("%s: cannot keep the kernel from IPv6 autoconfiguration (accept_ra: %s, "
			  "addr_gen_mode: %s)", cfg->ifname, err_str(rc), err_str(rc2));
	return rc != 0 ? rc : rc2;
}

static void ip6_timeout(void *arg);
static void ip6_readable(void *arg, int fd, unsigned events);

void ip6_init(struct ip6 *c, struct loop *l, const struct ip6_config *cfg, ip6_event_fn *ev,
	      void *arg)
{
	memset(c, 0, sizeof(*c));
	c->loop = l;
	c->cfg = *cfg;
	c->ev = ev;
	c->arg = arg;
	c->st = IP6_ST_IDLE;
	c->fd = -1;
	c->rl.period_ms = 10000;
	c->rl.burst = 5;
	loop_timer_init(&c->timer, ip6_timeout, c);
	ip6_eui64_ll(cfg->mac, c->res.ll);
}

static void ip6_close(struct ip6 *c)
{
	net_close_watched(c->loop, &c->fd);
}

static void ip6_emit(struct ip6 *c, enum ip6_event ev)
{
	if (c->ev)
		c->ev(c->arg, c, ev, &c->res);
}

static void ip6_send_rs(struct ip6 *c)
{
	uint8_t b[ND_RS_LEN];
	struct net_addr to;
	struct wr w;
	int rc;

	wr_init(&w, b, sizeof(b));
	nd_put_rs(&w, c->cfg.mac);   /* our source is the link-local: SLLA included (4.1) */
	memset(&to, 0, sizeof(to));
	to.family = AF_INET6;
	memcpy(to.addr, ip6_all_routers, 16);
	to.ifindex = c->cfg.ifindex;
	c->rs_sent++;
	rc = w.err ? w.err : net_icmp6_send(c->fd, b, w.len, &to);
	if (rc != 0)
		log_warnx("%s: router solicitation %u: %s", c->cfg.ifname, c->rs_sent, err_str(rc));
	else
		log_debug("%s: router solicitation %u to ff02::2", c->cfg.ifname, c->rs_sent);
}

/* Enter state nw: its entry actions and the (one) timer.  The caller emits
 * the event after, so a callback that restarts us sees a settled state. */
static void ip6_transition(struct ip6 *c, enum ip6_state nw)
{
	enum ip6_state old = c->st;
	char a[64];
	int rc;

	c->st = nw;
	loop_timer_cancel(c->loop, &c->timer);
	switch (nw) {
	case IP6_ST_IDLE:
		ip6_close(c);
		break;
	case IP6_ST_DAD:
		/* 6.3.4.1 / RFC 4862 5.4: the address is tentative until DAD ends */
		rc = nl_addr_add(c->cfg.ifindex, AF_INET6, c->res.ll, 64, 0xffffffffu, 0xffffffffu, 0);
		if (rc != 0) {
			log_warnx("%s: adding %s: %s", c->cfg.ifname, ip6_str(c->res.ll, a, sizeof(a)),
				  err_str(rc));
			c->res.reason = "io";
			ip6_transition(c, IP6_ST_FAILED);
			return;
		}
		c->dad_start_ms = clock_mono_ms();
		/* look at once: a kernel without DAD (or optimistic DAD) has the
		 * address usable now; a tentative one is polled (nl_dad_poll_ms) */
		loop_timer_arm(c->loop, &c->timer, 0);
		break;
	case IP6_ST_RS_DELAY:
		c->fd = net_icmp6_open(c->cfg.ifname);
		if (c->fd < 0) {
			log_warnx("%s: ICMPv6 socket: %s", c->cfg.ifname, err_str(c->fd));
			c->fd = -1;
			c->res.reason = "io";
			ip6_transition(c, IP6_ST_FAILED);
			return;
		}
		rc = loop_watch_fd(c->loop, c->fd, LOOP_IN, ip6_readable, c);
		if (rc != 0) {
			log_warnx("%s: watching the ICMPv6 socket: %s", c->cfg.ifname, err_str(rc));
			net_close(c->fd);
			c->fd = -1;
			c->res.reason = "io";
			ip6_transition(c, IP6_ST_FAILED);
			return;
		}
		c->rs_sent = 0;
		c->saw_m0 = 0;
		/* RFC 4861 6.3.7: delay the first RS by a random 0..MAX_RTR_SOLICITATION_DELAY */
		loop_timer_arm(c->loop, &c->timer, rand_uniform(IP6_RTR_SOLICITATION_DELAY_MS + 1));
		break;
	case IP6_ST_SOLICIT:
		/* RFC 4861 6.3.7: RTR_SOLICITATION_INTERVAL between RSs, and as long
		 * after the last before concluding there is no router */
		ip6_send_rs(c);
		loop_timer_arm(c->loop, &c->timer, IP6_RTR_SOLICITATION_INTERVAL_MS);
		break;
	case IP6_ST_READY:
	case IP6_ST_FAILED:
		ip6_close(c);
		break;
	case IP6_ST__COUNT:
		break;
	}
	if (old != nw)
		log_debug("%s: ipv6 %s -> %s", c->cfg.ifname, ip6_state_str(old), ip6_state_str(nw));
}

static void ip6_fail(struct ip6 *c, const char *step, const char *reason)
{
	c->res.reason = reason;
	ip6_transition(c, IP6_ST_FAILED);
	trace_step(c->cfg.trace, step, "failed", "reason=%s", reason);
	ip6_emit(c, IP6_EV_FAILED);
}

static void ip6_dad_poll(struct ip6 *c)
{
	enum nl_dad st = NL_DAD_NONE;
	char a[64];
	int rc = nl_addr_dad(c->cfg.ifindex, AF_INET6, c->res.ll, &st);

	ip6_str(c->res.ll, a, sizeof(a));
	if (rc == 0 && st == NL_DAD_OK) {
		log_info("%s: link-local %s passed DAD", c->cfg.ifname, a);
		ip6_transition(c, IP6_ST_RS_DELAY);
		if (c->st != IP6_ST_RS_DELAY) {   /* no socket: already FAILED */
			trace_step(c->cfg.trace, "ipv6-ll", "ok", "addr=%s", a);
			trace_step(c->cfg.trace, "ipv6-rd", "failed", "reason=%s", c->res.reason);
			ip6_emit(c, IP6_EV_FAILED);
			return;
		}
		trace_step(c->cfg.trace, "ipv6-ll", "ok", "addr=%s", a);
		ip6_emit(c, IP6_EV_LL_READY);
		return;
	}
	if (rc == 0 && (st == NL_DAD_FAILED || st == NL_DAD_NONE)) {
		/* 6.3.4.1: log it, stop IPv6, do not assign the tentative address,
		 * wait for manual intervention (no retry from here) */
		log_warnx("%s: link-local %s is a duplicate (DAD failed%s): IPv6 stopped until "
			  "manual intervention", c->cfg.ifname, a,
			  st == NL_DAD_NONE ? ", address gone" : "");
		(void)nl_addr_del(c->cfg.ifindex, AF_INET6, c->res.ll, 64);
		ip6_fail(c, "ipv6-ll", "dad");
		return;
	}
	if (clock_mono_ms() - c->dad_start_ms >= IP6_DAD_MAX_MS) {
		log_warnx("%s: link-local %s: DAD did not end in %u ms (%s)", c->cfg.ifname, a,
			  IP6_DAD_MAX_MS, rc ? err_str(rc) : "still tentative");
		ip6_fail(c, "ipv6-ll", "dad-timeout");
		return;
	}
	loop_timer_arm(c->loop, &c->timer, nl_dad_poll_ms(clock_mono_ms() - c->dad_start_ms, IP6_DAD_POLL_MS));
}

static void ip6_timeout(void *arg)
{
	struct ip6 *c = arg;

	switch (c->st) {
	case IP6_ST_DAD:
		ip6_dad_poll(c);
		break;
	case IP6_ST_RS_DELAY:
		ip6_transition(c, IP6_ST_SOLICIT);
		break;
	case IP6_ST_SOLICIT:
		if (c->rs_sent < IP6_MAX_RTR_SOLICITATIONS) {
			ip6_transition(c, IP6_ST_SOLICIT);
			break;
		}
		/* 6.3.4.2: no valid RA within the retries: IPv6 provisioning failed */
		log_warnx("%s: no valid router advertisement after %u solicitations%s",
			  c->cfg.ifname, c->rs_sent, c->saw_m0 ? " (only RAs with M = 0)" : "");
		ip6_fail(c, "ipv6-rd", c->saw_m0 ? "m-bit-clear" : "no-ra");
		break;
	default:
		break;
	}
}

int ip6_input(struct ip6 *c, const uint8_t *pkt, size_t len, const struct net_addr *from,
	      int hoplimit)
{
	struct nd_ra ra;
	char a[64], p[64];
	int rc;

	if (c->st != IP6_ST_RS_DELAY && c->st != IP6_ST_SOLICIT)
		return E_STATE;
	if (pkt == NULL || len == 0 || pkt[0] != ND_ROUTER_ADVERT)
		return ND_E_TYPE;   /* the raw socket sees all ICMPv6; not ours, not counted */
	if (from == NULL || from->family != AF_INET6)
		return ND_E_INVAL;
	/* RFC 4861 6.1.2: the socket's part, then the packet's */
	rc = nd_ra_ip_check(hoplimit, from->addr);
	if (rc == 0)
		rc = nd_ra_parse(&ra, pkt, len);
	if (rc != 0) {
		c->ra_ignored++;
		if (log_ratelimit_ok(&c->rl))
			log_debug("%s: RA from %s ignored: %s", c->cfg.ifname,
				  ip6_str(from->addr, a, sizeof(a)), nd_err_str(rc));
		return rc;
	}
	if (!ra.managed) {
		/* 6.3.4.2: valid RAs have M = 1; keep soliciting, remember why */
		c->saw_m0 = 1;
		c->ra_ignored++;
		if (log_ratelimit_ok(&c->rl))
			log_info("%s: RA from %s has M = 0: not valid for the eUE (6.3.4.2)",
				 c->cfg.ifname, ip6_str(from->addr, a, sizeof(a)));
		return E_PROTO;
	}
	memcpy(c->res.router, from->addr, 16);
	c->res.has_router_mac = ra.has_slla;
	memcpy(c->res.router_mac, ra.slla, 6);
	c->res.managed = ra.managed;
	c->res.other = ra.other;
	c->res.router_lifetime_s = ra.router_lifetime_s;
	c->res.mtu = ra.has_mtu ? ra.mtu : 0;
	c->res.has_prefix = 0;
	for (unsigned i = 0; i < ra.n_prefix; i++) {
		if (ra.prefix[i].flags & ND_PI_F_ONLINK) {
			c->res.has_prefix = 1;
			memcpy(c->res.prefix, ra.prefix[i].prefix, 16);
			c->res.plen = ra.prefix[i].plen;
			break;
		}
	}
	c->res.reason = NULL;
	c->res.default_route = 0;
	/* RFC 4861 4.2 / 6.3.4: lifetime 0 = this router is no default router */
	if (ra.router_lifetime_s != 0) {
		rc = nl_route_default(c->cfg.ifindex, AF_INET6, c->res.router);
		if (rc != 0)
			log_warnx("%s: default route via %s: %s", c->cfg.ifname,
				  ip6_str(c->res.router, a, sizeof(a)), err_str(rc));
		else
			c->res.default_route = 1;
	} else {
		log_info("%s: router %s has lifetime 0: no default route from it", c->cfg.ifname,
			 ip6_str(c->res.router, a, sizeof(a)));
	}
	ip6_transition(c, IP6_ST_READY);
	ip6_str(c->res.router, a, sizeof(a));
	if (c->res.has_prefix)
		ip6_str(c->res.prefix, p, sizeof(p));
	log_info("%s: router %s M=%d O=%d lifetime %u s, prefix %s/%u", c->cfg.ifname, a,
		 c->res.managed, c->res.other, c->res.router_lifetime_s,
		 c->res.has_prefix ? p : "none", c->res.has_prefix ? c->res.plen : 0);
	trace_step(c->cfg.trace, "ipv6-rd", "ok", "router=%s M=%d O=%d prefix=%s/%u rs=%u", a,
		   c->res.managed, c->res.other, c->res.has_prefix ? p : "none",
		   c->res.has_prefix ? c->res.plen : 0, c->rs_sent);
	ip6_emit(c, IP6_EV_READY);
	return 0;
}

static void ip6_readable(void *arg, int fd, unsigned events)
{
	struct ip6 *c = arg;
	uint8_t buf[1500];
	struct net_addr from;
	unsigned ifindex;
	int hoplimit;
	ssize_t n;

	(void)events;
	/* a handful per wake-up: the socket sees every ICMPv6 message */
	for (int i = 0; i < 16 && c->fd == fd; i++) {
		n = net_icmp6_recv(fd, buf, sizeof(buf), &from, &hoplimit, &ifindex);
		if (n == E_AGAIN)
			return;
		if (n < 0) {
			if (n != E_OVERFLOW)
				return;
			continue;   /* an oversized message: not an RA we want */
		}
		if (ifindex != 0 && ifindex != c->cfg.ifindex)
			continue;
		(void)ip6_input(c, buf, (size_t)n, &from, hoplimit);
	}
}

int ip6_start(struct ip6 *c)
{
	if (c->st != IP6_ST_IDLE && c->st != IP6_ST_READY && c->st != IP6_ST_FAILED)
		return E_STATE;
	memset(&c->res, 0, sizeof(c->res));
	ip6_eui64_ll(c->cfg.mac, c->res.ll);
	c->ra_ignored = 0;
	(void)ip6_kernel_off(&c->cfg);
	ip6_transition(c, IP6_ST_DAD);
	if (c->st == IP6_ST_FAILED) {
		trace_step(c->cfg.trace, "ipv6-ll", "failed", "reason=%s", c->res.reason);
		ip6_emit(c, IP6_EV_FAILED);
	}
	return 0;
}

void ip6_stop(struct ip6 *c)
{
	ip6_transition(c, IP6_ST_IDLE);
}
