/*
 * dns.h: the eUE's DNS lookups on our loop, through c-ares.  The only file
 * that includes <ares.h> is dns.c; nothing here names a c-ares type.
 *
 * Users: eUE-5..8 (the KDC: SRV _kerberos._udp.<REALM>, RFC 2782, then
 * its address), eUE-20/21 (an FQDN in pktcMtaDevConfigFile: AAAA in IPv6
 * mode, A in IPv4 mode), the SNMP and syslog servers given by name.
 *
 * The servers are the caller's: the DHCP lease's option 6 (IPv4) or option
 * 23 (DHCPv6) addresses.  /etc/resolv.conf, /etc/hosts, search domains and
 * the environment (LOCALDOMAIN, RES_OPTIONS) play no part: the eUE asks
 * the service provider's DNS servers (eUE-20) and nothing else.  Names are
 * asked as given (absolute; no search list).
 *
 * Callbacks always run from a loop timer, never inside dns_query() or
 * inside c-ares, so a callback may start queries, cancel others or
 * dns_free() the resolver.
 */
#ifndef EUE_DNS_H
#define EUE_DNS_H

#include <stddef.h>
#include <stdint.h>

#include "platform/loop.h"
#include "platform/net.h"
#include "tlv/dnsname.h"

#define DNS_SERVERS_MAX 8        /* = ED4_ADDRS_MAX / ED6_ADDRS_MAX order of size */
#define DNS_SRV_MAX 16
#define DNS_ADDRS_MAX 16
#define DNS_TIMEOUT_DEFAULT_MS 2000u   /* per try and server (c-ares doubles it per round) */
#define DNS_TRIES_DEFAULT 2u

enum dns_type { DNS_A = 1, DNS_AAAA = 28, DNS_SRV = 33 };

struct dns_config {
	const struct net_addr *servers;  /* port 0 means 53 */
	unsigned n_servers;              /* 1..DNS_SERVERS_MAX */
	const char *ifname;              /* bind queries to this interface, or NULL */
	uint32_t timeout_ms;             /* 0: DNS_TIMEOUT_DEFAULT_MS */
	unsigned tries;                  /* 0: DNS_TRIES_DEFAULT */
};

struct dns_srv {                     /* RFC 2782 */
	uint16_t priority, weight, port;
	char target[DNSNAME_TEXT_MAX];   /* "." (service not offered) reads as "" */
};

struct dns_rr_addr {
	char name[DNSNAME_TEXT_MAX];     /* owner name (A/AAAA: the name asked) */
	struct net_addr addr;            /* family AF_INET or AF_INET6, port 0 */
	uint32_t ttl;
};

struct dns_result {
	enum dns_type type;
	char name[DNSNAME_TEXT_MAX];     /* as asked */
	/* SRV: in RFC 2782 order (lowest priority first; within a priority
	 * the weighted random order of RFC 2782 "Usage rules"). */
	unsigned n_srv;
	struct dns_srv srv[DNS_SRV_MAX];
	/* A/AAAA: the answer's addresses.  SRV: the addresses of the targets
	 * found in the additional section (RFC 2782: "... may return address
	 * records in the additional section"); only records whose owner is
	 * one of the targets are kept. */
	unsigned n_addr;
	struct dns_rr_addr addr[DNS_ADDRS_MAX];
};

/*
 * rc 0 with res, or with res NULL:
 *   E_NOTFOUND  NXDOMAIN, or the name has no record of the type (NODATA)
 *   E_TIMEOUT   no server answered
 *   E_PROTO     FORMERR, a malformed answer
 *   E_IO        every server refused: ICMP unreachable, or an rcode of
 *               SERVFAIL / NOTIMP / REFUSED from each (c-ares 1.18 moves on
 *               to the next server on those and reports this at the end)
 *   E_NOMEM
 * why: a sentence for the log and the trace (valid during the call).
 */
typedef void dns_done_fn(void *arg, int rc, const struct dns_result *res, const char *why);

struct dns;
struct dns_query;

/* A resolver for cfg's servers (copied).  NULL with *err (E_INVAL: no or too
 * many servers, a bad family; E_NOMEM; E_IO) on failure; err may be NULL. */
struct dns *dns_init(struct loop *l, const struct dns_config *cfg, int *err);
/* Replace the servers (DHCP renewal with new option 6/23, spec 6.3.5);
 * queries in flight go on with the old list, and the new one applies as
 * soon as none is left.  0, or E_INVAL for a bad list. */
int dns_set_servers(struct dns *d, const struct net_addr *servers, unsigned n);
/* Cancel every query (no callbacks), close every socket, free. NULL is ok. */
void dns_free(struct dns *d);

/* Ask for name (dotted, a final dot allowed) of type.  Returns a handle
 * valid until its callback has run or dns_cancel(); NULL with *err
 * (E_INVAL: a bad name or type; E_NOMEM).  err may be NULL. */
struct dns_query *dns_query(struct dns *d, const char *name, enum dns_type type,
			    dns_done_fn *done, void *arg, int *err);
/* The callback will not run; everything of q is freed (now or when c-ares
 * lets go of it).  Not after the callback has run. */
void dns_cancel(struct dns_query *q);
/* Queries started and not yet delivered or cancelled (tests, leaks). */
unsigned dns_pending(const struct dns *d);

/*
 * The addresses of the SRV targets in the additional section of a DNS
 * response msg[0..len) (appended to res->addr, up to DNS_ADDRS_MAX; matched
 * against res->srv[].target, case-insensitively).  Every length is checked
 * against the message; returns 0, or E_SHORT / E_PROTO for a malformed
 * message (res->n_addr then keeps what was found before).  Exposed for the
 * tests and a fuzz target; dns.c calls it on every SRV answer.
 */
int dns_parse_additional(const uint8_t *msg, size_t len, struct dns_result *res);

#endif
