/*
 * ber.h: the minimal BER (ITU-T X.690) needed for SNMP VarBinds carried in
 * config-file TLVs 11 and 64 (PKT-SP-EUE-PROV Table 6; RFC 3416 VarBind).
 *
 * Decoding is zero-copy: a decoded VarBind points into the caller's buffer.
 * Every length and number is overflow-checked; a failure names its reason
 * (enum ber_why) and the absolute byte offset (rd_off of tlv/rd.h).  So that
 * decode -> encode is byte-identical, the decoder keeps the number of
 * long-form length bytes it saw (BER allows non-minimal length forms,
 * X.690 8.1.3.5 note 2) and rejects what BER itself forbids: non-minimal
 * INTEGER contents (X.690 8.3.2), sub-identifiers with a leading 0x80
 * (X.690 8.19.2), the indefinite length (not allowed for primitives,
 * X.690 8.1.3.2), multi-byte tags.  No I/O, no allocation, no OpenSSL.
 */
#ifndef TLV_BER_H
#define TLV_BER_H

#include <stddef.h>
#include <stdint.h>

#include "tlv/rd.h"
#include "tlv/wr.h"

/* SNMP ASN.1 tags (RFC 2578 section 7.1, RFC 3416 ObjectSyntax). */
enum ber_tag {
	BER_INTEGER = 0x02,
	BER_OCTETS = 0x04,      /* also BITS (RFC 2578 7.1.4), sent as octets */
	BER_NULL = 0x05,
	BER_OID = 0x06,
	BER_SEQ = 0x30,
	BER_IPADDR = 0x40,
	BER_COUNTER32 = 0x41,
	BER_GAUGE32 = 0x42,     /* Unsigned32 shares this tag */
	BER_TIMETICKS = 0x43,
	BER_OPAQUE = 0x44,
	BER_COUNTER64 = 0x46,
};

/* Why a decode failed; ber_why_name() gives the text. */
enum ber_why {
	BER_OK = 0,
	BER_E_SHORT,        /* a tag, length or content runs past its container */
	BER_E_TAG,          /* multi-byte (high) tag number */
	BER_E_LEN_INDEF,    /* indefinite length 0x80 */
	BER_E_LEN_BIG,      /* length needs more than 4 bytes, or 0xff reserved */
	BER_E_NOT_SEQ,      /* VarBind does not start with SEQUENCE */
	BER_E_NOT_OID,      /* VarBind name is not an OBJECT IDENTIFIER */
	BER_E_TYPE,         /* value tag is not an SNMP ObjectSyntax type */
	BER_E_INT_EMPTY,    /* INTEGER-like content of length 0 */
	BER_E_INT_NONMIN,   /* redundant leading 0x00/0xff (X.690 8.3.2) */
	BER_E_INT_RANGE,    /* value outside the type's range */
	BER_E_NULL_LEN,     /* NULL with content */
	BER_E_IPADDR_LEN,   /* IpAddress not 4 bytes */
	BER_E_OID_EMPTY,    /* OID with no content */
	BER_E_OID_NONMIN,   /* sub-identifier starting with 0x80 */
	BER_E_OID_BIG,      /* sub-identifier above 2^32-1 */
	BER_E_OID_TRUNC,    /* last sub-identifier has its continuation bit set */
	BER_E_OID_LONG,     /* more than BER_OID_MAX arcs */
	BER_E_TRAILING,     /* bytes after the value inside the SEQUENCE, or after it */
	BER_WHY_COUNT
};

const char *ber_why_name(int why);

#define BER_OID_MAX 128     /* RFC 2578 3.5: at most 128 sub-identifiers */

struct ber_err {
	int why;            /* enum ber_why */
	size_t off;         /* absolute offset of the offending byte */
};

/* One tag-length header.  lenw: 0 = short form, else long-form byte count. */
struct ber_tl {
	uint8_t tag;
	uint8_t lenw;
	size_t len;
	size_t off;         /* offset of the tag byte */
};

/* A decoded VarBind; pointers are into the decoded buffer (or the caller's). */
struct ber_vb {
	const uint8_t *oid;     /* OID contents (no tag/length) */
	size_t oid_len;
	uint8_t type;           /* enum ber_tag of the value */
	const uint8_t *val;     /* value contents */
	size_t val_len;
	int64_t num;            /* INTEGER, Counter32, Gauge32, TimeTicks */
	uint64_t u64;           /* Counter64 (and the unsigned view of num) */
	uint8_t seq_lenw, oid_lenw, val_lenw;   /* as seen; 0 = short/minimal */
	size_t off;             /* offset of the SEQUENCE tag */
	size_t val_off;         /* offset of the value tag */
};

/* Read one tag and length; the content must fit in r.  0 or E_*. */
int ber_get_tl(struct rd *r, struct ber_tl *tl, struct ber_err *e);

/*
 * Decode exactly one VarBind that must fill r completely (a TLV 11/64 value).
 * 0, or E_PROTO/E_SHORT/E_RANGE/E_OVERFLOW with *e filled.
 */
int ber_vb_decode(struct rd *r, struct ber_vb *vb, struct ber_err *e);

/* Check OID contents; returns the number of arcs or a negative E_* (*e set). */
int ber_oid_check(const uint8_t *p, size_t n, size_t base_off, struct ber_err *e);
/* OID contents -> arcs (at most max); count or negative E_*. */
int ber_oid_arcs(const uint8_t *p, size_t n, uint32_t *arcs, size_t max);
/* Dotted text ("1.3.6.1..."); returns the length written (snprintf-like). */
size_t ber_oid_fmt(const uint8_t *p, size_t n, char *buf, size_t cap);
/* Encode arcs as OID contents into w (no tag/length); E_RANGE if arcs invalid. */
int ber_oid_put(struct wr *w, const uint32_t *arcs, size_t n);

/* Write a tag and length; lenw 0 = minimal, else exactly lenw long-form bytes. */
void ber_put_tl(struct wr *w, uint8_t tag, size_t len, uint8_t lenw);
/* Minimal two's-complement contents of v (1..9 bytes) into out; returns length. */
size_t ber_int_bytes(int64_t v, uint8_t out[9]);
/* Minimal contents of an unsigned value (Counter64 etc.); returns length. */
size_t ber_uint_bytes(uint64_t v, uint8_t out[9]);

/* Re-encode a VarBind from its parts (the exact inverse of ber_vb_decode). */
void ber_vb_encode(struct wr *w, const struct ber_vb *vb);
/* Encoded size of a VarBind. */
size_t ber_vb_size(const struct ber_vb *vb);

/* Name of an SNMP type tag ("INTEGER", ...) or NULL. */
const char *ber_tag_name(uint8_t tag);

#endif
