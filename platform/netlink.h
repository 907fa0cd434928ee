/*
 * netlink.h: the interface configuration the stack does itself, over
 * rtnetlink: link up, addresses (with their DAD outcome), default routes.
 *
 * Synchronous request/ack on a private socket: each call is a few hundred
 * microseconds of kernel work, done at state transitions, never per packet.
 * DAD is observed by polling an address's flags (tentative -> permanent, or
 * dadfailed); the caller's timer paces the polls.
 */
#ifndef PLATFORM_NETLINK_H
#define PLATFORM_NETLINK_H

#include <stdint.h>

enum nl_dad {
	NL_DAD_NONE = 0,       /* address not present */
	NL_DAD_TENTATIVE = 1,  /* DAD still running */
	NL_DAD_OK = 2,         /* usable */
	NL_DAD_FAILED = 3,     /* duplicate detected (RFC 4862 5.4.5) */
};

int nl_link_up(unsigned ifindex);
int nl_link_down(unsigned ifindex);
/* Is the link up with carrier? 1 yes, 0 no, <0 error. */
int nl_link_running(unsigned ifindex);
/* Add family's address addr/plen (nodad: skip DAD, for servers in the lab).
 * valid_s/pref_s: lifetimes in seconds, 0xffffffff = forever. */
int nl_addr_add(unsigned ifindex, int family, const uint8_t *addr, unsigned plen,
		uint32_t valid_s, uint32_t pref_s, int nodad);
int nl_addr_del(unsigned ifindex, int family, const uint8_t *addr, unsigned plen);
/* DAD state of an address on ifindex. */
int nl_addr_dad(unsigned ifindex, int family, const uint8_t *addr, enum nl_dad *state);
/*
 * When to look at a tentative address again: after as long as DAD has run
 * so far (a doubling back-off from 1 ms), at most max_ms.  RFC 4862 DAD
 * takes about a second, but an address added just after the link came up is
 * tentative only until the carrier is there (milliseconds), and a kernel with
 * DAD off makes it usable at once (its DAD work item clears the flag within
 * a millisecond): a fixed 100 ms poll cost the IPv6 flows 2 x 100 ms, a
 * first look after 10 ms still 2 x 10 ms (make bench).  A real DAD of
 * about a second costs some ten looks this way.
 */
static inline uint32_t nl_dad_poll_ms(uint64_t elapsed_ms, uint32_t max_ms)
{
	if (elapsed_ms < 1)
		return 1;
	return elapsed_ms > max_ms ? max_ms : (uint32_t)elapsed_ms;
}
/* Default route via gw on ifindex, metric = ifindex (replaces this
 * interface's; other interfaces keep theirs). */
int nl_route_default(unsigned ifindex, int family, const uint8_t *gw);

#endif
