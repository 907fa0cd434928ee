/*
 * eue_ipv6.h: the eUE's IPv6 bring-up before DHCPv6 (PKT-SP-EUE-PROV-I05
 * 6.3.4), in the order the spec prescribes:
 *
 *   1. link-local address (6.3.4.1): fe80::/64 with the EUI-64 interface id
 *      of the eUE's own MAC (RFC 4291 2.5.1 and Appendix A), added with
 *      netlink with DAD on (RFC 4862 5.4), DAD polled until it ends.  A
 *      duplicate: log it, take the address off again ("not assign the
 *      tentative EUI-64 address"), report FAILED "dad" and stop: the spec
 *      has the eUE wait for manual intervention, so nothing here retries.
 *   2. router discovery (6.3.4.2, RFC 4861 6.3.7): after a random delay of
 *      0..MAX_RTR_SOLICITATION_DELAY (1 s), up to MAX_RTR_SOLICITATIONS (3)
 *      RS to ff02::2, RTR_SOLICITATION_INTERVAL (4 s) apart.  An RA counts
 *      when it passes RFC 4861 6.1.2 (IP hop limit 255, link-local source,
 *      tlv/nd.c's packet checks) and has M = 1 (6.3.4.2: "Valid RAs are
 *      RAs that ... have the M bit set to 1").  The first valid RA ends the
 *      discovery: READY with the router's link-local address, M/O and the
 *      on-link prefix; the default route via that router is installed when
 *      its router lifetime is not 0 (RFC 4861 4.2: 0 = not a default
 *      router).  No valid RA 4 s after the third RS: FAILED, reason
 *      "m-bit-clear" when well-formed RAs came but all with M = 0, "no-ra"
 *      otherwise; the caller re-initialises the eUE (6.3.4.2).  An RA with
 *      M = 0 is not valid, so it does not end the discovery early: another
 *      router on the link may still answer with M = 1.
 *
 * The kernel must not do this on its own: ip6_kernel_off() sets the
 * interface's accept_ra to 0 (no RA processing, no kernel RS, no routes
 * from RAs) and addr_gen_mode to 1 "none" (no kernel link-local), through
 * platform/sysctl.h.  ip6_start() calls it; calling it before the link
 * comes up keeps the kernel from generating its address at NETDEV_UP.
 *
 * Events go to the ip6_event_fn, always as the last thing the module does
 * in a call, so the callback may ip6_stop() / ip6_start() again.  One
 * struct ip6 per eUE; no globals.
 */
#ifndef EUE_EUE_IPV6_H
#define EUE_EUE_IPV6_H

#include <stddef.h>
#include <stdint.h>

#include "platform/log.h"
#include "platform/loop.h"
#include "platform/net.h"
#include "platform/trace.h"

/* RFC 4861 10 (host constants) and our DAD polling. */
#define IP6_RTR_SOLICITATION_DELAY_MS 1000   /* MAX_RTR_SOLICITATION_DELAY */
#define IP6_RTR_SOLICITATION_INTERVAL_MS 4000
#define IP6_MAX_RTR_SOLICITATIONS 3
#define IP6_DAD_POLL_MS 100
/* RFC 4862 5.4: DupAddrDetectTransmits (1) * RetransTimer (1 s) after a
 * random delay up to 1 s (5.4.2); 10 s leaves room for a slow link. */
#define IP6_DAD_MAX_MS 10000

enum ip6_event {
	IP6_EV_LL_READY,     /* the link-local address passed DAD */
	IP6_EV_READY,        /* a valid RA with M = 1: go on with DHCPv6 */
	IP6_EV_FAILED,       /* see ip6_result.reason */
};

enum ip6_state {
	IP6_ST_IDLE,
	IP6_ST_DAD,          /* link-local address tentative */
	IP6_ST_RS_DELAY,     /* before the first RS */
	IP6_ST_SOLICIT,      /* RS sent, waiting for a valid RA */
	IP6_ST_READY,
	IP6_ST_FAILED,
	IP6_ST__COUNT
};

struct ip6_config {
	const char *ifname;      /* the eUE interface (its ICMPv6 socket, sysctls) */
	unsigned ifindex;
	uint8_t mac[6];          /* the eUE's own MAC: EUI-64 and the RS's SLLA */
	struct trace *trace;     /* may be NULL */
	const char *sysctl_root; /* NULL: /proc/sys (tests: a directory of their own) */
};

struct ip6_result {
	const char *reason;      /* FAILED: "dad", "dad-timeout", "no-ra", "m-bit-clear", "io" */
	uint8_t ll[16];          /* our link-local address */
	/* READY: */
	uint8_t router[16];      /* the router's link-local address (RA source) */
	int has_router_mac;
	uint8_t router_mac[6];   /* its SLLA option */
	int managed, other;      /* M, O */
	uint16_t router_lifetime_s;
	int default_route;       /* 1 when the default route via router was installed */
	int has_prefix;          /* the first Prefix Information option with L = 1 */
	uint8_t prefix[16];
	uint8_t plen;
	uint32_t mtu;            /* 0: no MTU option */
};

struct ip6;
typedef void ip6_event_fn(void *arg, struct ip6 *c, enum ip6_event ev, const struct ip6_result *r);

struct ip6 {
	struct loop *loop;
	struct ip6_config cfg;
	ip6_event_fn *ev;
	void *arg;
	enum ip6_state st;
	struct loop_timer timer;     /* the one timer: DAD poll, RS delay, RS interval */
	int fd;                      /* raw ICMPv6 socket, -1 when closed */
	unsigned rs_sent;
	uint64_t dad_start_ms;
	int saw_m0;                  /* a well-formed RA with M = 0 came */
	unsigned ra_ignored;         /* RAs dropped (counted; logged at debug) */
	struct log_ratelimit rl;
	struct ip6_result res;
};

void ip6_init(struct ip6 *c, struct loop *l, const struct ip6_config *cfg, ip6_event_fn *ev,
	      void *arg);
/* Start the bring-up from the link-local address.  0, or E_STATE when it
 * runs already (failures later come as IP6_EV_FAILED). */
int ip6_start(struct ip6 *c);
/* Stop: timer off, socket closed; the address stays (a restart replaces it). */
void ip6_stop(struct ip6 *c);
/*
 * One received ICMPv6 message (what the socket gave, and its IP hop limit).
 * Returns 0 when it was the RA that made the eUE READY, or why it did not:
 * E_STATE (not soliciting), ND_E_* (not a valid RA: RFC 4861 6.1.2), E_PROTO
 * (a valid RA with M = 0, 6.3.4.2).  Tests call it directly; the socket's
 * callback calls it for everything it reads.
 */
int ip6_input(struct ip6 *c, const uint8_t *pkt, size_t len, const struct net_addr *from,
	      int hoplimit);

/* fe80::/64 + the modified EUI-64 of mac (RFC 4291 Appendix A). */
void ip6_eui64_ll(const uint8_t mac[6], uint8_t out[16]);
/* accept_ra = 0, addr_gen_mode = 1 on cfg->ifname; 0 or the first error. */
int ip6_kernel_off(const struct ip6_config *cfg);
const char *ip6_state_str(enum ip6_state s);

#endif
