/*
 * nd.h: IPv6 Neighbor Discovery messages a host needs for router discovery
 * (RFC 4861): it builds a Router Solicitation (4.1) and parses a Router
 * Advertisement (4.2) with its options (4.6).  Pure codec: no I/O, no
 * policy (whether M must be set is the caller's business), endian-clean
 * (bytes.h loads, never a cast of the buffer).
 *
 * The RFC 4861 6.1.2 validity checks split in two.  Those that depend on the
 * packet alone (ICMP code 0, ICMP length >= 16 octets, every option with a
 * length > 0 and whole) are done by nd_ra_parse().  Those that depend on the
 * socket (IP hop limit 255, link-local source address) need what the
 * receiving socket reported, so the caller passes them to nd_ra_ip_check().
 * The ICMPv6 checksum is verified by the kernel on raw ICMPv6 sockets
 * (RFC 3542 3.1), and computed by it on send, so the codec leaves it 0.
 */
#ifndef TLV_ND_H
#define TLV_ND_H

#include <stddef.h>
#include <stdint.h>

#include "tlv/wr.h"

enum nd_type { ND_ROUTER_SOLICIT = 133, ND_ROUTER_ADVERT = 134 };

/* Option types (RFC 4861 4.6). */
enum nd_opt {
	ND_OPT_SLLA = 1,         /* source link-layer address */
	ND_OPT_TLLA = 2,
	ND_OPT_PREFIX_INFO = 3,
	ND_OPT_REDIRECTED = 4,
	ND_OPT_MTU = 5,
};

/* RA flag bits (4.2) and prefix-information flag bits (4.6.2). */
#define ND_RA_F_MANAGED 0x80
#define ND_RA_F_OTHER 0x40
#define ND_PI_F_ONLINK 0x80
#define ND_PI_F_AUTO 0x40

#define ND_RS_LEN 16             /* RS with an Ethernet SLLA option */
#define ND_RA_HDR_LEN 16         /* ICMP header + RA fixed part */
#define ND_PREFIX_MAX 4          /* prefixes kept from one RA (more are counted) */

/*
 * Errors of nd_ra_parse() / nd_ra_ip_check(): negative, disjoint from the
 * project's E_* codes (err.h stops at -18), named by nd_err_str().
 */
enum nd_err {
	ND_E_SHORT = -100,       /* fewer than 16 octets (6.1.2) */
	ND_E_TYPE = -101,        /* ICMP type is not 134 */
	ND_E_CODE = -102,        /* ICMP code is not 0 (6.1.2) */
	ND_E_OPT_ZERO = -103,    /* an option with length 0 (6.1.2) */
	ND_E_OPT_CUT = -104,     /* an option runs past the end, or a lone byte */
	ND_E_OPT_LEN = -105,     /* a known option with the wrong length */
	ND_E_PREFIX_BITS = -106, /* prefix length > 128 */
	ND_E_HOPLIMIT = -107,    /* IP hop limit is not 255 (6.1.2) */
	ND_E_SRC = -108,         /* IP source is not link-local (6.1.2) */
	ND_E_INVAL = -109,       /* caller error (NULL arguments) */
};

struct nd_prefix {
	uint8_t plen;            /* prefix length, 0..128 */
	uint8_t flags;           /* ND_PI_F_* (and reserved bits as sent) */
	uint32_t valid_s;        /* 0xffffffff = infinity */
	uint32_t preferred_s;
	uint8_t prefix[16];      /* as sent (bits past plen are not cleared) */
};

struct nd_ra {
	uint8_t cur_hop_limit;   /* 0: unspecified by this router */
	uint8_t flags;           /* the whole flags octet (M, O, ...) */
	int managed;             /* M */
	int other;               /* O */
	uint16_t router_lifetime_s;  /* 0: not a default router (4.2) */
	uint32_t reachable_ms;   /* 0: unspecified */
	uint32_t retrans_ms;     /* 0: unspecified */
	int has_slla;            /* first SLLA option (6 octets: Ethernet) */
	uint8_t slla[6];
	int has_mtu;             /* first MTU option */
	uint32_t mtu;
	unsigned n_prefix;       /* entries in prefix[] */
	unsigned n_prefix_seen;  /* prefix options in the RA (may exceed the array) */
	struct nd_prefix prefix[ND_PREFIX_MAX];
	unsigned n_unknown;      /* options skipped (types other than 1, 3, 5) */
	size_t err_off;          /* on error: offset of the offending byte */
};

/*
 * Write a Router Solicitation (4.1): type 133, code 0, checksum 0 (the
 * kernel fills it), reserved, and the SLLA option with mac.  mac NULL
 * leaves the option out, as 4.1 demands when the source is unspecified.
 * Errors are sticky in w.
 */
void nd_put_rs(struct wr *w, const uint8_t mac[6]);

/*
 * Parse a Router Advertisement (ICMPv6 message, from its type octet).
 * Returns 0, or an ND_E_* with ra->err_off set.  Unknown options are
 * skipped; SLLA shorter than 6 octets, a Prefix Information option whose
 * length is not 4 and an MTU option whose length is not 1 are ND_E_OPT_LEN.
 */
int nd_ra_parse(struct nd_ra *ra, const uint8_t *buf, size_t len);

/* The socket-dependent checks of 6.1.2: hop limit 255, source in fe80::/10. */
int nd_ra_ip_check(int hoplimit, const uint8_t src[16]);

/* A static name for an ND_E_* ("option length 0", ...); "?" otherwise. */
const char *nd_err_str(int err);

#endif
