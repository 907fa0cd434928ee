/*
 * net.h: sockets for the CM and eUE interfaces.  Moves bytes; never parses
 * them.
 *
 * Every socket is bound to its interface (SO_BINDTODEVICE): the eCM and the
 * eUE have their own links and MACs in one network stack, and a reply must
 * leave by the interface its request came in on.  Received datagrams carry
 * their destination address and interface (IP_PKTINFO / IPV6_RECVPKTINFO).
 * DHCPv4 before an address exists runs over a packet socket (AF_PACKET,
 * SOCK_DGRAM: the kernel adds the Ethernet header; the caller builds IP and
 * UDP).  Unit tests link tests/fake/net.c, which captures what is sent and
 * injects what is received.
 */
#ifndef PLATFORM_NET_H
#define PLATFORM_NET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "platform/loop.h"

struct net_addr {
	int family;          /* AF_INET or AF_INET6 */
	uint8_t addr[16];    /* IPv4 in the first 4 bytes */
	uint16_t port;       /* host order */
	unsigned ifindex;    /* scope for link-local IPv6; receiving interface */
};

enum {
	NET_BROADCAST = 1,   /* SO_BROADCAST (DHCPv4) */
	NET_REUSE = 2,       /* SO_REUSEADDR: ecmd and eued both bind :68 / :546 */
	NET_MCAST_HOPS1 = 4, /* multicast hop limit 1 (link-local exchanges) */
};

int net_if_index(const char *ifname);
int net_if_hwaddr(const char *ifname, uint8_t mac[6]);

/* A non-blocking UDP socket bound to bind (port and address; unspecified
 * address allowed) on interface ifname (NULL: any).  Returns fd or E_*. */
int net_udp_open(const struct net_addr *bind, const char *ifname, unsigned flags);
int net_udp_send(int fd, const void *buf, size_t len, const struct net_addr *to);
/* Returns the datagram's length (E_AGAIN when none); from/to may be NULL. */
ssize_t net_udp_recv(int fd, void *buf, size_t cap, struct net_addr *from, struct net_addr *to);
/* Join an IPv6 multicast group on ifindex (e.g. ff02::1:2 for a test server). */
int net_join6(int fd, const uint8_t group[16], unsigned ifindex);

/* A packet socket on ifname for one ethertype (0x0800 for IPv4). */
int net_packet_open(const char *ifname, uint16_t ethertype);
int net_packet_send(int fd, unsigned ifindex, uint16_t ethertype, const uint8_t dst_mac[6],
		    const void *buf, size_t len);
ssize_t net_packet_recv(int fd, void *buf, size_t cap);

/* A non-blocking TCP connection to `to` from interface ifname (NULL: any):
 * returns the fd at once; it is writable (LOOP_OUT) when connected, and
 * net_tcp_error() then says whether the connection failed. */
int net_tcp_connect(const struct net_addr *to, const char *ifname);
/* 0 connected, E_IO / E_TIMEOUT ... the connection's outcome (SO_ERROR). */
int net_tcp_error(int fd);
/* Bytes read (0 at the peer's close), or E_AGAIN, E_IO. */
ssize_t net_tcp_recv(int fd, void *buf, size_t cap);

/* A raw ICMPv6 socket on ifname (router solicitation/advertisement). */
int net_icmp6_open(const char *ifname);

void net_close(int fd);

/* Stop watching a socket in the loop and close it; *fd becomes -1 either
 * way (a failed open may have left an error code there). */
static inline void net_close_watched(struct loop *l, int *fd)
{
	if (*fd >= 0) {
		loop_unwatch_fd(l, *fd);
		net_close(*fd);
	}
	*fd = -1;
}

/* The address alone: "198.51.100.10", "2001:db8::1". */
const char *net_ip_str(const struct net_addr *a, char *buf, size_t cap);
/* Text forms for logs: "198.51.100.10:67", "[2001:db8::1]:547". */
const char *net_addr_str(const struct net_addr *a, char *buf, size_t cap);
int net_addr_parse(const char *text, struct net_addr *a);

/*
 * Raw ICMPv6 on a socket of net_icmp6_open() (router discovery, RFC 4861).
 * net_icmp6_send: the ICMPv6 message (type first; the kernel computes the
 * checksum, RFC 3542 3.1) to to->addr, scoped by to->ifindex for link-local
 * and multicast destinations; hop limit 255 (set at open).
 * net_icmp6_recv: one message (E_AGAIN when none, E_OVERFLOW when cut), its
 * source in from (may be NULL), the IP hop limit it arrived with
 * (IPV6_HOPLIMIT, -1 if the kernel gave none) and the receiving interface
 * (IPV6_PKTINFO, 0 if none); hoplimit/ifindex may be NULL.
 */
int net_icmp6_send(int fd, const void *buf, size_t len, const struct net_addr *to);
ssize_t net_icmp6_recv(int fd, void *buf, size_t cap, struct net_addr *from, int *hoplimit,
		       unsigned *ifindex);

#endif
