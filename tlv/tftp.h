/*
 * tftp.h: TFTP packets (RFC 1350) with option negotiation (RFC 2347 OACK,
 * RFC 2348 blksize, RFC 2349 tsize).  Pure codec: no I/O, no policy.
 */
#ifndef TLV_TFTP_H
#define TLV_TFTP_H

#include <stddef.h>
#include <stdint.h>

#include "tlv/wr.h"

enum tftp_op { TFTP_RRQ = 1, TFTP_WRQ = 2, TFTP_DATA = 3, TFTP_ACK = 4, TFTP_ERROR = 5, TFTP_OACK = 6 };
enum tftp_err {
	TFTP_E_UNDEF = 0, TFTP_E_NOTFOUND = 1, TFTP_E_ACCESS = 2, TFTP_E_FULL = 3,
	TFTP_E_ILLEGAL = 4, TFTP_E_TID = 5, TFTP_E_EXISTS = 6, TFTP_E_USER = 7, TFTP_E_OPTION = 8,
};

#define TFTP_BLKSIZE_MIN 8        /* RFC 2348 */
#define TFTP_BLKSIZE_MAX 65464
#define TFTP_BLKSIZE_DEFAULT 512  /* RFC 1350 */

struct tftp_pkt {
	uint16_t op;
	uint16_t block;           /* DATA, ACK */
	const uint8_t *data;      /* DATA payload (in the caller's buffer) */
	size_t len;
	uint16_t err_code;        /* ERROR */
	char err_msg[128];        /* ERROR (printable copy, cut if longer) */
	/* OACK (options a client may have asked for; 0 = absent) */
	uint32_t blksize;
	uint64_t tsize;
	int has_tsize;
};

/* Read request for file in octet mode; blksize 0 leaves it out; with_tsize
 * asks for the size (tsize 0).  Errors are sticky in w. */
void tftp_put_rrq(struct wr *w, const char *file, unsigned blksize, int with_tsize);
void tftp_put_ack(struct wr *w, uint16_t block);
void tftp_put_error(struct wr *w, uint16_t code, const char *msg);
/*
 * Decode a packet a client receives (DATA, ERROR, OACK; ACK for symmetry).
 * E_SHORT for a cut packet, E_PROTO for an unknown opcode, an option string
 * without its NUL, or an OACK value that is not a decimal number in range.
 * Unknown OACK options are E_PROTO too: a server may only acknowledge what
 * was asked (RFC 2347).
 */
int tftp_decode(struct tftp_pkt *p, const uint8_t *buf, size_t len);

#endif
