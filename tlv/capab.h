/*
 * capab.h: eUE/MTA capabilities (TLV 5.x, spec Annex A, 6.6.1) in their two
 * wire encodings.
 *
 *  - DHCPv4 option 60 (IPv4 mode): ASCII "pktc2.0:" then the hex text of the
 *    whole TLV 5 *including* its outer type 0x05 and length byte
 *    (spec 6.6.1; reference/capabilities.md §1).  We emit upper-case hex
 *    (the verified worked example) and parse either case.  The prefix is
 *    case-sensitive, as Wireshark treats it.
 *  - DHCPv6 CableLabs option 35 (IPv6 mode, inside option 17/4491): the
 *    binary sub-TLVs `type(1) len(1) value`, with no outer 0x05/length.
 *
 * struct capab holds the binary sub-TLVs in order; it is a value type (no
 * pointers into caller memory).  No I/O, no policy: which capabilities an
 * eUE reports is eued's business.
 */
#ifndef TLV_CAPAB_H
#define TLV_CAPAB_H

#include <stddef.h>
#include <stdint.h>

#include "tlv/wr.h"

/* Sub-TLV types, capabilities.md §2 (5.x). */
enum capab_type {
	CAPAB_PKTC_VERSION = 1,   /* 5.1: 0 = 1.0, 1 = 1.1/1.5, 2 = 2.0 */
	CAPAB_NUM_ENDPOINTS = 2,  /* 5.2 */
	CAPAB_TGT = 3,            /* 5.3 */
	CAPAB_HTTP_DL = 4,        /* 5.4 */
	CAPAB_SYSLOG_MTA24 = 5,   /* 5.5 */
	CAPAB_NCS_SF = 6,         /* 5.6 */
	CAPAB_PRIMARY_LINE = 7,   /* 5.7 */
	CAPAB_VENDOR_TLVS = 8,    /* 5.8 */
	CAPAB_NVRAM_TICKETS = 9,  /* 5.9 */
	CAPAB_PROV_EVENTS = 10,   /* 5.10 */
	CAPAB_CODECS = 11,        /* 5.11 */
	CAPAB_SILENCE_SUPP = 12,  /* 5.12 */
	CAPAB_ECHO_CANCEL = 13,   /* 5.13 */
	CAPAB_RSVP = 14,          /* 5.14 */
	CAPAB_UGS_AD = 15,        /* 5.15 */
	CAPAB_IFINDEX_START = 16, /* 5.16 */
	CAPAB_FLOW_LOGGING = 17,  /* 5.17 */
	CAPAB_PROV_FLOWS = 18,    /* 5.18: 2-byte mask, CAPAB_FLOW_* */
	CAPAB_T38_VERSION = 19,   /* 5.19 */
	CAPAB_T38_EC = 20,        /* 5.20 */
	CAPAB_RFC2833 = 21,       /* 5.21 */
	CAPAB_VOICE_METRICS = 22, /* 5.22 */
	CAPAB_MIB_SUPPORT = 23,   /* 5.23 */
	CAPAB_MULTI_GRANTS = 24,  /* 5.24 */
	CAPAB_V152 = 25,          /* 5.25 */
	CAPAB_CERT_BOOTSTRAP = 26,/* 5.26 */
	CAPAB_IP_PROV = 38,       /* 5.38 (meaning unverified: open-questions A.14) */
};

#define CAPAB_FLOW_SECURE 0x0001u  /* 5.18 bits, capabilities.md §2 */
#define CAPAB_FLOW_HYBRID 0x0002u
#define CAPAB_FLOW_BASIC 0x0004u

#define CAPAB_TLV5 0x05            /* outer type in option 60 */
#define CAPAB_BODY_MAX 255         /* outer length is one byte */
#define CAPAB_PREFIX "pktc2.0:"    /* spec 6.6.1 */
#define CAPAB_PREFIX_LEN 8
/* Longest option-60 text: prefix + hex of 05 LL + 255 bytes (no NUL). */
#define CAPAB_OPT60_MAX (CAPAB_PREFIX_LEN + 2 * (2 + CAPAB_BODY_MAX))

struct capab {
	size_t len;                     /* bytes used in body */
	uint8_t body[CAPAB_BODY_MAX];   /* sub-TLVs, type(1) len(1) value */
};

void capab_init(struct capab *c);

/* Append one sub-TLV; E_OVERFLOW if the 255-byte body would overflow,
 * E_INVAL if len > 255.  c is unchanged on error. */
int capab_add(struct capab *c, uint8_t type, const void *val, size_t len);
int capab_add_u8(struct capab *c, uint8_t type, uint8_t v);
int capab_add_u16(struct capab *c, uint8_t type, uint16_t v);

/* First sub-TLV of that type: its length (>= 0) and *val, or E_NOTFOUND. */
int capab_find(const struct capab *c, uint8_t type, const uint8_t **val);
/* Typed lookups; a wrong length counts as absent (E_NOTFOUND). */
int capab_get_u8(const struct capab *c, uint8_t type, uint8_t *out);
int capab_get_u16(const struct capab *c, uint8_t type, uint16_t *out);

/*
 * Option 60 text (not NUL-terminated unless room is left; returns the text
 * length, or E_OVERFLOW if outsz is too small).
 */
int capab_opt60_build(const struct capab *c, char *out, size_t outsz);
/*
 * Parse an option-60 value.  E_NOTFOUND: not a "pktc2.0:" class (another
 * vendor class; the caller may ignore it); E_PROTO: odd length or a non-hex
 * character; E_PROTO: outer type not 0x05; E_SHORT/E_TRAILING: the outer
 * length does not match the text; E_SHORT: a sub-TLV runs past the end.
 */
int capab_opt60_parse(const void *val, size_t len, struct capab *c);

/* DHCPv6 CL option 35 value: the body bytes as they are. */
void capab_bin_build(const struct capab *c, struct wr *w);
/* E_OVERFLOW over 255 bytes; E_SHORT if a sub-TLV runs past the end. */
int capab_bin_parse(const uint8_t *val, size_t len, struct capab *c);

#endif
