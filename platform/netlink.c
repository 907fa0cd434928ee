/* netlink.c: rtnetlink requests of netlink.h. */
#include "platform/netlink.h"

#include <errno.h>
#include <linux/if_addr.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "platform/err.h"

struct nl_req {
	struct nlmsghdr h;
	union {
		struct ifinfomsg ifi;
		struct ifaddrmsg ifa;
		struct rtmsg rt;
	} u;
	uint8_t attrs[256];
};

static void nl_attr(struct nl_req *r, unsigned short type, const void *data, size_t len)
{
	/* NLMSG_ALIGN keeps the attribute 4-byte aligned inside the aligned request */
	struct rtattr *a = (struct rtattr *)(void *)((uint8_t *)r + NLMSG_ALIGN(r->h.nlmsg_len));

	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	memcpy(RTA_DATA(a), data, len);
	r->h.nlmsg_len = NLMSG_ALIGN(r->h.nlmsg_len) + RTA_ALIGN(a->rta_len);
}

static int nl_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (fd < 0)
		return E_IO;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return E_IO;
	}
	return fd;
}

typedef int nl_msg_fn(void *arg, const struct nlmsghdr *h);

/*
 * Send r, then read replies until the ack (or NLMSG_DONE for dumps), calling
 * fn for each data message.  Kernel input, but still bounds-checked with the
 * NLMSG_OK macros.
 */
static int nl_talk(struct nl_req *r, nl_msg_fn *fn, void *arg)
{
	union {
		struct nlmsghdr align;   /* netlink messages are 4-byte aligned */
		uint8_t b[16384];
	} buf;
	int fd = nl_open(), rc = E_IO;
	ssize_t n;

	if (fd < 0)
		return fd;
	r->h.nlmsg_seq = 1;   /* one request per private socket */
	r->h.nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	if (send(fd, r, r->h.nlmsg_len, 0) < 0)
		goto out;
	for (;;) {
		struct nlmsghdr *h;

		n = recv(fd, buf.b, sizeof(buf.b), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto out;
		for (h = &buf.align; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != r->h.nlmsg_seq)
				continue;
			if (h->nlmsg_type == NLMSG_DONE) {
				rc = 0;
				goto out;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);

				if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
					goto out;
				errno = -e->error;
				rc = e->error == 0 ? 0 : e->error == -EEXIST ? E_EXIST : E_IO;
				goto out;
			}
			if (fn && (rc = fn(arg, h)) != 0)
				goto out;
		}
	}
out:
	close(fd);
	return rc;
}

static int nl_link_set(unsigned ifindex, int up)
{
	struct nl_req r;

	memset(&r, 0, sizeof(r));
	r.h.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
	r.h.nlmsg_type = RTM_NEWLINK;
	r.u.ifi.ifi_family = AF_UNSPEC;
	r.u.ifi.ifi_index = (int)ifindex;
	r.u.ifi.ifi_flags = up ? IFF_UP : 0;
	r.u.ifi.ifi_change = IFF_UP;
	return nl_talk(&r, NULL, NULL);
}

int nl_link_up(unsigned ifindex)
{
	return nl_link_set(ifindex, 1);
}

int nl_link_down(unsigned ifindex)
{
	return nl_link_set(ifindex, 0);
}

struct nl_link_q {
	unsigned ifindex;
	int running;
};

static int nl_link_cb(void *arg, const struct nlmsghdr *h)
{
	struct nl_link_q *q = arg;
	const struct ifinfomsg *ifi = NLMSG_DATA(h);

	if (h->nlmsg_type == RTM_NEWLINK && h->nlmsg_len >= NLMSG_LENGTH(sizeof(*ifi)) &&
	    (unsigned)ifi->ifi_index == q->ifindex)
		q->running = (ifi->ifi_flags & (IFF_UP | IFF_RUNNING)) == (IFF_UP | IFF_RUNNING);
	return 0;
}

int nl_link_running(unsigned ifindex)
{
	struct nl_req r;
	struct nl_link_q q = { ifindex, -1 };
	int rc;

	memset(&r, 0, sizeof(r));
	r.h.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
	r.h.nlmsg_type = RTM_GETLINK;
	r.u.ifi.ifi_family = AF_UNSPEC;
	r.u.ifi.ifi_index = (int)ifindex;
	rc = nl_talk(&r, nl_link_cb, &q);
	if (rc < 0)
		return rc;
	return q.running < 0 ? E_NOTFOUND : q.running;
}

static size_t nl_alen(int family)
{
	return family == AF_INET ? 4 : 16;
}

static void nl_addr_req(struct nl_req *r, int type, unsigned ifindex, int family,
			const uint8_t *addr, unsigned plen)
{
	memset(r, 0, sizeof(*r));
	r->h.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifaddrmsg));
	r->h.nlmsg_type = (unsigned short)type;
	r->u.ifa.ifa_family = (unsigned char)family;
	r->u.ifa.ifa_prefixlen = (unsigned char)plen;
	r->u.ifa.ifa_index = ifindex;
	nl_attr(r, IFA_LOCAL, addr, nl_alen(family));
	nl_attr(r, IFA_ADDRESS, addr, nl_alen(family));
}

int nl_addr_add(unsigned ifindex, int family, const uint8_t *addr, unsigned plen,
		uint32_t valid_s, uint32_t pref_s, int nodad)
{
	struct nl_req r;
	struct ifa_cacheinfo ci;
	uint32_t flags = nodad ? IFA_F_NODAD : 0;

	nl_addr_req(&r, RTM_NEWADDR, ifindex, family, addr, plen);
	r.h.nlmsg_flags = NLM_F_CREATE | NLM_F_REPLACE;
	memset(&ci, 0, sizeof(ci));
	ci.ifa_valid = valid_s;
	ci.ifa_prefered = pref_s;
	nl_attr(&r, IFA_CACHEINFO, &ci, sizeof(ci));
	nl_attr(&r, IFA_FLAGS, &flags, sizeof(flags));
	return nl_talk(&r, NULL, NULL);
}

int nl_addr_del(unsigned ifindex, int family, const uint8_t *addr, unsigned plen)
{
	struct nl_req r;

	nl_addr_req(&r, RTM_DELADDR, ifindex, family, addr, plen);
	return nl_talk(&r, NULL, NULL);
}

struct nl_dad_q {
	unsigned ifindex;
	int family;
	const uint8_t *addr;
	enum nl_dad state;
};

static int nl_dad_cb(void *arg, const struct nlmsghdr *h)
{
	struct nl_dad_q *q = arg;
	const struct ifaddrmsg *ifa = NLMSG_DATA(h);
	const struct rtattr *a;
	uint32_t flags;
	int len, match = 0;

	if (h->nlmsg_type != RTM_NEWADDR || h->nlmsg_len < NLMSG_LENGTH(sizeof(*ifa)))
		return 0;
	if (ifa->ifa_index != q->ifindex || ifa->ifa_family != q->family)
		return 0;
	flags = ifa->ifa_flags;
	len = (int)(h->nlmsg_len - NLMSG_LENGTH(sizeof(*ifa)));
	for (a = IFA_RTA(ifa); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == IFA_ADDRESS && RTA_PAYLOAD(a) == nl_alen(q->family) &&
		    memcmp(RTA_DATA(a), q->addr, nl_alen(q->family)) == 0)
			match = 1;
		if (a->rta_type == IFA_FLAGS && RTA_PAYLOAD(a) == sizeof(uint32_t))
			memcpy(&flags, RTA_DATA(a), sizeof(flags));
	}
	if (!match)
		return 0;
	if (flags & IFA_F_DADFAILED)
		q->state = NL_DAD_FAILED;
	else if (flags & IFA_F_TENTATIVE)
		q->state = NL_DAD_TENTATIVE;
	else
		q->state = NL_DAD_OK;
	return 0;
}

int nl_addr_dad(unsigned ifindex, int family, const uint8_t *addr, enum nl_dad *state)
{
	struct nl_req r;
	struct nl_dad_q q = { ifindex, family, addr, NL_DAD_NONE };
	int rc;

	memset(&r, 0, sizeof(r));
	r.h.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifaddrmsg));
	r.h.nlmsg_type = RTM_GETADDR;
	r.h.nlmsg_flags = NLM_F_DUMP;
	r.u.ifa.ifa_family = (unsigned char)family;
	rc = nl_talk(&r, nl_dad_cb, &q);
	*state = q.state;
	return rc;
}

int nl_route_default(unsigned ifindex, int family, const uint8_t *gw)
{
	struct nl_req r;
	uint32_t oif = ifindex;

	memset(&r, 0, sizeof(r));
	r.h.nlmsg_len = NLMSG_LENGTH(sizeof(struct rtmsg));
	r.h.nlmsg_type = RTM_NEWROUTE;
	r.h.nlmsg_flags = NLM_F_CREATE | NLM_F_REPLACE;
	r.u.rt.rtm_family = (unsigned char)family;
	r.u.rt.rtm_table = RT_TABLE_MAIN;
	r.u.rt.rtm_protocol = RTPROT_BOOT;
	r.u.rt.rtm_scope = RT_SCOPE_UNIVERSE;
	r.u.rt.rtm_type = RTN_UNICAST;
	nl_attr(&r, RTA_GATEWAY, gw, nl_alen(family));
	nl_attr(&r, RTA_OIF, &oif, sizeof(oif));
	/* one default route per interface: with a shared metric the eUE's
	 * replaced the eCM's (NLM_F_REPLACE matches prefix + metric) where
	 * both run in one network stack, and the eCM's later ToD retries and
	 * unicast renewals, on sockets bound to its interface, found no route
	 * (the ATP scenario device-secure-ipv4-no-tod found it) */
	nl_attr(&r, RTA_PRIORITY, &oif, sizeof(oif));
	return nl_talk(&r, NULL, NULL);
}
