/*
 * dhcp6.h: DHCPv6 client/server message codec (RFC 3315 §6, §22; RFC 8415
 * keeps the same wire format), for ecmd (CM1v6..CM4v6, Table 3) and eued
 * (eUE-1..eUE-4, Table 5).  Relay messages (RFC 3315 §7) are not decoded:
 * the client never sees them.
 *
 * Options are 16/16 TLVs; the decoder checks that every top-level option is
 * whole and keeps pointers into the caller's buffer (a struct dhcp6_msg is
 * valid only while the buffer lives).  Helpers decode/encode IA_NA with
 * IAADDR (§22.4, §22.6), DUIDs (§9: LLT, EN, LL), ORO (§22.7), status code
 * (§22.13), vendor class (16, §22.16) and vendor options (17, §22.17,
 * 2-byte sub-option codes and lengths).  No I/O, no policy, no globals.
 */
#ifndef TLV_DHCP6_H
#define TLV_DHCP6_H

#include <stddef.h>
#include <stdint.h>

#include "tlv/wr.h"

#define DHCP6_HDR_LEN 4
#define DHCP6_DUID_MAX 130          /* RFC 3315 §9.1: type(2) + 128 */
#define DHCP6_ENTERPRISE_CL 4491u   /* CableLabs */

/* Message types, RFC 3315 §5.3. */
enum dhcp6_type {
	DHCP6_SOLICIT = 1, DHCP6_ADVERTISE = 2, DHCP6_REQUEST = 3, DHCP6_CONFIRM = 4,
	DHCP6_RENEW = 5, DHCP6_REBIND = 6, DHCP6_REPLY = 7, DHCP6_RELEASE = 8,
	DHCP6_DECLINE = 9, DHCP6_RECONFIGURE = 10, DHCP6_INFO_REQUEST = 11,
	DHCP6_RELAY_FORW = 12, DHCP6_RELAY_REPL = 13,
};

/* Option codes, RFC 3315 §22 (+ RFC 3646 for 23, RFC 4704 for 39). */
enum dhcp6_opt_code {
	DHCP6_O_CLIENTID = 1, DHCP6_O_SERVERID = 2, DHCP6_O_IA_NA = 3, DHCP6_O_IA_TA = 4,
	DHCP6_O_IAADDR = 5, DHCP6_O_ORO = 6, DHCP6_O_PREFERENCE = 7, DHCP6_O_ELAPSED = 8,
	DHCP6_O_RELAY_MSG = 9, DHCP6_O_AUTH = 11, DHCP6_O_UNICAST = 12,
	DHCP6_O_STATUS = 13, DHCP6_O_RAPID_COMMIT = 14, DHCP6_O_USER_CLASS = 15,
	DHCP6_O_VENDOR_CLASS = 16, DHCP6_O_VENDOR_OPTS = 17, DHCP6_O_INTERFACE_ID = 18,
	DHCP6_O_RECONF_MSG = 19, DHCP6_O_RECONF_ACCEPT = 20, DHCP6_O_DNS = 23,
	DHCP6_O_DOMAIN_LIST = 24, DHCP6_O_FQDN = 39,
};

/* Status codes, RFC 3315 §24.4. */
enum dhcp6_status {
	DHCP6_ST_SUCCESS = 0, DHCP6_ST_UNSPEC_FAIL = 1, DHCP6_ST_NO_ADDRS = 2,
	DHCP6_ST_NO_BINDING = 3, DHCP6_ST_NOT_ON_LINK = 4, DHCP6_ST_USE_MULTICAST = 5,
};

/* DUID types, RFC 3315 §9.2..9.4. */
enum dhcp6_duid_type { DHCP6_DUID_LLT = 1, DHCP6_DUID_EN = 2, DHCP6_DUID_LL = 3 };

struct dhcp6_msg {
	uint8_t type;
	uint32_t xid;                  /* 24 bits */
	const uint8_t *opts;           /* in the caller's buffer */
	size_t opts_len;
	size_t err_off;                /* on failure: offset of the bad option */
};

/*
 * Decode a client/server message.  Returns 0, E_SHORT (under 4 bytes, or an
 * option runs past the end; err_off names it), E_UNSUPPORTED (relay
 * message).
 */
int dhcp6_decode(struct dhcp6_msg *m, const void *buf, size_t len);
const char *dhcp6_type_str(unsigned type);

/*
 * First instance of code in an option list (a message's, or an IA_NA's):
 * length (>= 0) and *val, or E_NOTFOUND.  dhcp6_opt_nth finds the n-th
 * (0-based) instance.
 */
int dhcp6_opt_find(const uint8_t *opts, size_t len, uint16_t code, const uint8_t **val);
int dhcp6_opt_nth(const uint8_t *opts, size_t len, uint16_t code, unsigned n,
		  const uint8_t **val);
int dhcp6_msg_opt(const struct dhcp6_msg *m, uint16_t code, const uint8_t **val);
/* Typed lookups on a message; a wrong length is absent (E_NOTFOUND). */
int dhcp6_msg_u8(const struct dhcp6_msg *m, uint16_t code, uint8_t *out);
int dhcp6_msg_u16(const struct dhcp6_msg *m, uint16_t code, uint16_t *out);
/* List of IPv6 addresses (e.g. 23): count stored (<= max), E_NOTFOUND for
 * absent, empty, or a length not a multiple of 16. */
int dhcp6_addrs(const uint8_t *val, size_t len, uint8_t (*out)[16], size_t max);

/* IA_NA (§22.4) with its first IAADDR (§22.6). */
struct dhcp6_ia_na {
	uint32_t iaid, t1, t2;
	int has_addr;
	uint8_t addr[16];
	uint32_t preferred, valid;
	int has_status;                /* status directly inside the IA_NA */
	uint16_t status;
	int has_addr_status;           /* status inside the IAADDR */
	uint16_t addr_status;
};
/* Decode an IA_NA option value: 0, E_SHORT (under 12 bytes or a nested
 * option cut), E_PROTO (an IAADDR under 24 bytes). */
int dhcp6_ia_na_decode(const uint8_t *val, size_t len, struct dhcp6_ia_na *ia);

/* DUID (§9) fields; id points into the caller's buffer. */
struct dhcp6_duid {
	uint16_t type;
	uint16_t hwtype;               /* LLT, LL */
	uint32_t time;                 /* LLT */
	uint32_t enterprise;           /* EN */
	const uint8_t *id;             /* link-layer address, or EN identifier */
	size_t id_len;
};
/* 0, E_SHORT (shorter than its type needs), E_RANGE (over 130 bytes or
 * under 3), E_UNSUPPORTED (unknown type: fields other than type unset). */
int dhcp6_duid_decode(const uint8_t *val, size_t len, struct dhcp6_duid *d);
/* Build a DUID into out[0..outsz): its length, or E_OVERFLOW / E_INVAL. */
int dhcp6_duid_llt(uint8_t *out, size_t outsz, uint16_t hwtype, uint32_t time,
		   const uint8_t *ll, size_t ll_len);
int dhcp6_duid_en(uint8_t *out, size_t outsz, uint32_t enterprise, const uint8_t *id,
		  size_t id_len);
int dhcp6_duid_ll(uint8_t *out, size_t outsz, uint16_t hwtype, const uint8_t *ll,
		  size_t ll_len);

/* Status code (§22.13): 0 with *code and the UTF-8 message (not NUL-ended),
 * or E_SHORT. */
int dhcp6_status_decode(const uint8_t *val, size_t len, uint16_t *code, const uint8_t **msg,
			size_t *msg_len);
/* The status of a message: top-level option 13, or E_NOTFOUND (RFC 3315
 * §22.13: absence means success). */
int dhcp6_msg_status(const struct dhcp6_msg *m, uint16_t *code);

/* ORO (§22.7): count of codes stored (<= max), E_PROTO for an odd length. */
int dhcp6_oro_decode(const uint8_t *val, size_t len, uint16_t *out, size_t max);
/* 1 if code is listed in the ORO value. */
int dhcp6_oro_has(const uint8_t *val, size_t len, uint16_t code);

/*
 * Vendor-specific options (17) of one enterprise in a message: the data after
 * the enterprise number (CableLabs: 16/16 sub-options), or E_NOTFOUND.  The
 * first option 17 with that enterprise wins (RFC 3315 §22.17 allows one per
 * enterprise).
 */
int dhcp6_vendor_opts(const struct dhcp6_msg *m, uint32_t enterprise, const uint8_t **data);
/*
 * Vendor class (16) of one enterprise: 1 if one of its class-data items
 * equals cls (e.g. "pktc2.0"), 0 if not, E_NOTFOUND without such an option.
 */
int dhcp6_vendor_class_has(const struct dhcp6_msg *m, uint32_t enterprise, const char *cls);

/* ---------------------------------------------------------------- encode */

void dhcp6_put_hdr(struct wr *w, enum dhcp6_type type, uint32_t xid);
void dhcp6_put_opt(struct wr *w, uint16_t code, const void *val, size_t len);
void dhcp6_put_u16(struct wr *w, uint16_t code, uint16_t v);
/* Nested options: open returns the offset for close (tlv_open/tlv_close). */
size_t dhcp6_open(struct wr *w, uint16_t code);
void dhcp6_close(struct wr *w, size_t at);
void dhcp6_put_elapsed(struct wr *w, uint16_t centisecs);                   /* 8 */
void dhcp6_put_oro(struct wr *w, const uint16_t *codes, size_t n);          /* 6 */
/* IA_NA with an IAADDR when addr != NULL (REQUEST/RENEW/DECLINE). */
void dhcp6_put_ia_na(struct wr *w, uint32_t iaid, uint32_t t1, uint32_t t2,
		     const uint8_t *addr, uint32_t preferred, uint32_t valid);
void dhcp6_put_status(struct wr *w, uint16_t code, const char *msg);       /* 13 */
/* 16 with one class-data item (eUE-1: 4491, "pktc2.0"). */
void dhcp6_put_vendor_class(struct wr *w, uint32_t enterprise, const char *cls);
/* 17: the header and enterprise; sub-options follow with dhcp6_put_opt();
 * then dhcp6_close(). */
size_t dhcp6_vendor_open(struct wr *w, uint32_t enterprise);
/* 39 Client FQDN (RFC 4704 §4): flags then the wire name ("" = empty). */
#define DHCP6_FQDN_S 0x01
#define DHCP6_FQDN_O 0x02
#define DHCP6_FQDN_N 0x04
void dhcp6_put_fqdn(struct wr *w, uint8_t flags, const char *name);

#endif
