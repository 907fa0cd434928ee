/* net.c: the Linux sockets of net.h. */
#include "platform/net.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "platform/err.h"

int net_if_index(const char *ifname)
{
	unsigned i = if_nametoindex(ifname);

	return i ? (int)i : E_NOTFOUND;
}

int net_if_hwaddr(const char *ifname, uint8_t mac[6])
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int rc = 0;

	if (fd < 0)
		return E_IO;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0)
		rc = E_NOTFOUND;
	else
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	close(fd);
	return rc;
}

static socklen_t net_to_sa(const struct net_addr *a, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(a->port);
		memcpy(&s4->sin_addr, a->addr, 4);
		return sizeof(*s4);
	}
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

	s6->sin6_family = AF_INET6;
	s6->sin6_port = htons(a->port);
	memcpy(&s6->sin6_addr, a->addr, 16);
	s6->sin6_scope_id = a->ifindex;
	return sizeof(*s6);
}

static void net_from_sa(const struct sockaddr_storage *ss, struct net_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;

		a->family = AF_INET;
		a->port = ntohs(s4->sin_port);
		memcpy(a->addr, &s4->sin_addr, 4);
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;

		a->family = AF_INET6;
		a->port = ntohs(s6->sin6_port);
		memcpy(a->addr, &s6->sin6_addr, 16);
		a->ifindex = s6->sin6_scope_id;
	}
}

static int net_bind_dev(int fd, const char *ifname)
{
	if (ifname == NULL)
		return 0;
	return setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname));
}

int net_udp_open(const struct net_addr *b, const char *ifname, unsigned flags)
{
	struct sockaddr_storage ss;
	socklen_t sl = net_to_sa(b, &ss);
	int one = 1, fd;

	fd = socket(b->family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return E_IO;
	if (net_bind_dev(fd, ifname) < 0)
		goto fail;
	if ((flags & NET_BROADCAST) && setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)) < 0)
		goto fail;
	if ((flags & NET_REUSE) && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		goto fail;
	if (b->family == AF_INET) {
		if (setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one)) < 0)
			goto fail;
	} else {
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0 ||
		    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof(one)) < 0)
			goto fail;
		if ((flags & NET_MCAST_HOPS1) &&
		    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &one, sizeof(one)) < 0)
			goto fail;
	}
	if (bind(fd, (struct sockaddr *)&ss, sl) < 0)
		goto fail;
	return fd;
fail:
	close(fd);
	return E_IO;
}

int net_udp_send(int fd, const void *buf, size_t len, const struct net_addr *to)
{
	struct sockaddr_storage ss;
	socklen_t sl = net_to_sa(to, &ss);
	ssize_t n;

	do
		n = sendto(fd, buf, len, 0, (struct sockaddr *)&ss, sl);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN ? E_AGAIN : E_IO;
	return 0;
}

ssize_t net_udp_recv(int fd, void *buf, size_t cap, struct net_addr *from, struct net_addr *to)
{
	struct sockaddr_storage ss;
	union {
		struct cmsghdr align;
		uint8_t b[CMSG_SPACE(sizeof(struct in6_pktinfo)) + CMSG_SPACE(sizeof(struct in_pktinfo))];
	} cbuf;
	struct iovec iov = { .iov_base = buf, .iov_len = cap };
	struct msghdr mh = {
		.msg_name = &ss, .msg_namelen = sizeof(ss), .msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf.b, .msg_controllen = sizeof(cbuf.b),
	};
	struct cmsghdr *cm;
	ssize_t n;

	do
		n = recvmsg(fd, &mh, MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? E_AGAIN : E_IO;
	if (mh.msg_flags & MSG_TRUNC)
		return E_OVERFLOW;
	if (from)
		net_from_sa(&ss, from);
	if (to == NULL)
		return n;
	memset(to, 0, sizeof(*to));
	for (cm = CMSG_FIRSTHDR(&mh); cm != NULL; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level == IPPROTO_IP && cm->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;

			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			to->family = AF_INET;
			memcpy(to->addr, &pi.ipi_addr, 4);
			to->ifindex = (unsigned)pi.ipi_ifindex;
		} else if (cm->cmsg_level == IPPROTO_IPV6 && cm->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			to->family = AF_INET6;
			memcpy(to->addr, &pi.ipi6_addr, 16);
			to->ifindex = pi.ipi6_ifindex;
		}
	}
	return n;
}

int net_join6(int fd, const uint8_t group[16], unsigned ifindex)
{
	struct ipv6_mreq mr;

	memcpy(&mr.ipv6mr_multiaddr, group, 16);
	mr.ipv6mr_interface = ifindex;
	return setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mr, sizeof(mr)) < 0 ? E_IO : 0;
}

int net_packet_open(const char *ifname, uint16_t ethertype)
{
	struct sockaddr_ll sll;
	int idx = net_if_index(ifname), fd;

	if (idx < 0)
		return idx;
	fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ethertype));
	if (fd < 0)
		return E_IO;
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ethertype);
	sll.sll_ifindex = idx;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		close(fd);
		return E_IO;
	}
	return fd;
}

int net_packet_send(int fd, unsigned ifindex, uint16_t ethertype, const uint8_t dst_mac[6],
		    const void *buf, size_t len)
{
	struct sockaddr_ll sll;
	ssize_t n;

	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ethertype);
	sll.sll_ifindex = (int)ifindex;
	sll.sll_halen = 6;
	memcpy(sll.sll_addr, dst_mac, 6);
	do
		n = sendto(fd, buf, len, 0, (struct sockaddr *)&sll, sizeof(sll));
	while (n < 0 && errno == EINTR);
	return n < 0 ? E_IO : 0;
}

ssize_t net_packet_recv(int fd, void *buf, size_t cap)
{
	ssize_t n;

	do
		n = recv(fd, buf, cap, MSG_DONTWAIT | MSG_TRUNC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? E_AGAIN : E_IO;
	if ((size_t)n > cap)
		return E_OVERFLOW;
	return n;
}

int net_tcp_connect(const struct net_addr *to, const char *ifname)
{
	struct sockaddr_storage ss;
	socklen_t sl = net_to_sa(to, &ss);
	int fd = socket(to->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return E_IO;
	if (net_bind_dev(fd, ifname) < 0 ||
	    (connect(fd, (struct sockaddr *)&ss, sl) < 0 && errno != EINPROGRESS)) {
		close(fd);
		return E_IO;
	}
	return fd;
}

int net_tcp_error(int fd)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		return E_IO;
	if (err == 0)
		return 0;
	errno = err;
	return err == ETIMEDOUT ? E_TIMEOUT : E_IO;
}

ssize_t net_tcp_recv(int fd, void *buf, size_t cap)
{
	ssize_t n;

	do
		n = recv(fd, buf, cap, MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? E_AGAIN : E_IO;
	return n;
}

int net_icmp6_open(const char *ifname)
{
	int fd = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMPV6);
	int hops = 255, one = 1;

	if (fd < 0)
		return E_IO;
	/* RFC 4861 6.1.2: ND messages must carry hop limit 255 */
	if (net_bind_dev(fd, ifname) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof(hops)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof(hops)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &one, sizeof(one)) < 0) {
		close(fd);
		return E_IO;
	}
	return fd;
}

void net_close(int fd)
{
	if (fd >= 0)
		close(fd);
}

int net_icmp6_send(int fd, const void *buf, size_t len, const struct net_addr *to)
{
	struct net_addr dst = *to;

	dst.port = 0;   /* raw sockets: sin6_port must be 0 or the protocol */
	return net_udp_send(fd, buf, len, &dst);
}

ssize_t net_icmp6_recv(int fd, void *buf, size_t cap, struct net_addr *from, int *hoplimit,
		       unsigned *ifindex)
{
	struct sockaddr_storage ss;
	union {
		struct cmsghdr align;
		uint8_t b[CMSG_SPACE(sizeof(struct in6_pktinfo)) + CMSG_SPACE(sizeof(int))];
	} cbuf;
	struct iovec iov = { .iov_base = buf, .iov_len = cap };
	struct msghdr mh = {
		.msg_name = &ss, .msg_namelen = sizeof(ss), .msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf.b, .msg_controllen = sizeof(cbuf.b),
	};
	struct cmsghdr *cm;
	ssize_t n;

	if (hoplimit)
		*hoplimit = -1;
	if (ifindex)
		*ifindex = 0;
	do
		n = recvmsg(fd, &mh, MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? E_AGAIN : E_IO;
	if (mh.msg_flags & MSG_TRUNC)
		return E_OVERFLOW;
	if (from)
		net_from_sa(&ss, from);
	/* RFC 3542 6.3 (IPV6_HOPLIMIT) and 6.1 (IPV6_PKTINFO), enabled at open */
	for (cm = CMSG_FIRSTHDR(&mh); cm != NULL; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level != IPPROTO_IPV6)
			continue;
		if (cm->cmsg_type == IPV6_HOPLIMIT && hoplimit &&
		    cm->cmsg_len >= CMSG_LEN(sizeof(int))) {
			int h;

			memcpy(&h, CMSG_DATA(cm), sizeof(h));
			*hoplimit = h;
		} else if (cm->cmsg_type == IPV6_PKTINFO && ifindex &&
			   cm->cmsg_len >= CMSG_LEN(sizeof(struct in6_pktinfo))) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			*ifindex = pi.ipi6_ifindex;
		}
	}
	return n;
}
