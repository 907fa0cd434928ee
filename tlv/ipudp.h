/*
 * ipudp.h: IPv4 + UDP headers around a payload, for DHCPv4 before the
 * client has an address (a packet socket: the kernel adds only Ethernet).
 *
 * Encode writes a 20-byte IPv4 header (no options, TTL 64, DF clear) and a
 * UDP header with the RFC 768 checksum over the pseudo-header.  Decode
 * accepts any IPv4 header length, checks the header checksum, the total
 * length against what was received, fragments (refused), protocol UDP, the
 * UDP length and, when non-zero, the UDP checksum, and returns the payload.
 * Pure: no I/O.
 */
#ifndef TLV_IPUDP_H
#define TLV_IPUDP_H

#include <stddef.h>
#include <stdint.h>

#include "tlv/wr.h"

#define IPUDP_HDR_LEN 28   /* IPv4 (20) + UDP (8) as we send them */

struct ipudp {
	uint32_t src, dst;       /* host order */
	uint16_t sport, dport;
	const uint8_t *payload;  /* decode: inside the caller's buffer */
	size_t len;
};

/* Append header and payload; errors are sticky in w. */
void ipudp_encode(struct wr *w, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
		  uint16_t ip_id, const void *payload, size_t len);
/* 0, or E_SHORT / E_PROTO (bad checksum, not UDP, fragment, lengths). */
int ipudp_decode(struct ipudp *u, const uint8_t *pkt, size_t len);
/* The Internet checksum (RFC 1071) of buf, continuing from sum. */
uint32_t ipudp_sum(uint32_t sum, const uint8_t *buf, size_t len);
uint16_t ipudp_fold(uint32_t sum);

#endif
