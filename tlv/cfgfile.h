/*
 * cfgfile.h: the eUE configuration file codec (PKT-SP-EUE-PROV-I05 6.4.2,
 * Table 6; wire facts in reference/config-file.md section 1).
 *
 * A file is a flat TLV sequence: 254 = 0x01 first, then TLV 11 (8-bit length,
 * one BER VarBind), TLV 64 (16-bit length, one VarBind), TLV 43 (vendor
 * specific, sub-TLV 43.8 = 3-byte vendor ID first), TLV 38 (notification
 * receiver, sub-TLVs 38.1..38.8, spec 6.5), and 254 = 0xFF last.  Nothing
 * else: no DOCSIS MICs, no padding.
 *
 * The decoder walks the file once, yields whole items (after tlv.h) and
 * stops at the first fault with a named reason and the absolute byte offset.
 * Items point into the caller's buffer (zero copy).  cfg_encode() is the exact
 * inverse: parse -> encode reproduces the input byte for byte (ber.h keeps
 * the long-form length widths).  No I/O, no allocation, no crypto (hashing
 * and ciphers are tlv/cfgcrypt.c).
 */
#ifndef TLV_CFGFILE_H
#define TLV_CFGFILE_H

#include <stddef.h>
#include <stdint.h>

#include "tlv/ber.h"
#include "tlv/rd.h"
#include "tlv/wr.h"

/* Table 6 TLV types. */
enum cfg_type {
	CFG_T_VARBIND = 11,
	CFG_T_NOTIFY = 38,
	CFG_T_VENDOR = 43,
	CFG_T_VARBIND64 = 64,
	CFG_T_DELIM = 254,
};

#define CFG_DELIM_START 0x01
#define CFG_DELIM_END 0xff
#define CFG_VENDOR_ID 8         /* 43.8: vendor OUI, 3 bytes */

/* 38.x sub-types (spec 6.5; sizes reference/config-file.md section 4). */
enum cfg_notify_sub {
	CFG_N_IPV4 = 1, CFG_N_PORT = 2, CFG_N_TYPE = 3, CFG_N_TIMEOUT = 4,
	CFG_N_RETRIES = 5, CFG_N_FILTER = 6, CFG_N_SECNAME = 7, CFG_N_IPV6 = 8,
};

/* Why a file was rejected; cfg_why_name() gives the text. */
enum cfg_why {
	CFG_OK = 0,
	CFG_E_EMPTY,        /* no bytes at all */
	CFG_E_TRUNC_HDR,    /* the type/length header is cut short */
	CFG_E_TRUNC_VALUE,  /* the length runs past the end of the file */
	CFG_E_UNKNOWN_TLV,  /* a type outside Table 6 */
	CFG_E_NO_START,     /* the first TLV is not 254 = 0x01 */
	CFG_E_DELIM_LEN,    /* a 254 whose length is not 1 */
	CFG_E_DELIM_VALUE,  /* a 254 whose value is not 0x01/0xFF */
	CFG_E_DUP_START,    /* a second 254 = 0x01 */
	CFG_E_NO_END,       /* the file ends without 254 = 0xFF */
	CFG_E_AFTER_END,    /* bytes after 254 = 0xFF */
	CFG_E_VARBIND,      /* TLV 11/64 content is not one valid VarBind (see ber_why) */
	CFG_E_SUB_TRUNC,    /* a 38/43 sub-TLV runs past its parent */
	CFG_E_SUB_UNKNOWN,  /* a 38 sub-type outside 1..8 */
	CFG_E_SUB_LEN,      /* a 38 sub-TLV of the wrong size */
	CFG_E_SUB_DUP,      /* the same 38 sub-TLV twice */
	CFG_E_SUB_VALUE,    /* 38.3 outside 1..5, or 38.6 not an OID */
	CFG_E_VENDOR_ID,    /* TLV 43 not starting with a 3-byte 43.8 */
	CFG_E_TOO_MANY,     /* more items than the caller's array holds */
	CFG_E_HASH_MISSING, /* no hash VarBind where one is required */
	CFG_E_HASH_DUP,     /* more than one hash VarBind */
	CFG_E_HASH_FORMAT,  /* hash VarBind is not an OCTET STRING of 20 bytes */
	CFG_E_HASH_MISMATCH,/* SHA-1 does not match (eUE-23: fail the step) */
	CFG_WHY_COUNT
};

struct cfg_diag {
	int why;            /* enum cfg_why */
	int ber_why;        /* enum ber_why when why == CFG_E_VARBIND (or 38.6) */
	size_t off;         /* absolute offset of the offending byte */
};

const char *cfg_why_name(int why);
/* "offset 12: unknown TLV type (VarBind: ...)" into buf; returns buf. */
char *cfg_diag_str(const struct cfg_diag *d, char *buf, size_t cap);

struct cfg_item {
	uint8_t type;           /* enum cfg_type */
	uint8_t hdr;            /* header bytes: 2, or 3 for TLV 64 */
	size_t off;             /* offset of the type byte */
	size_t len;             /* value length */
	const uint8_t *val;
	struct ber_vb vb;       /* TLV 11/64 only */
};

struct cfg_it {
	struct rd r;
	int state;              /* 0 before start, 1 inside, 2 after end */
	int err;                /* sticky */
};

void cfg_it_init(struct cfg_it *it, const void *buf, size_t len);
/*
 * 1: *item is the next whole, validated item (including both markers).
 * 0: clean end (the end marker was the last item).  Negative E_*: *d says why
 * and where; every later call returns the same error.
 */
int cfg_next(struct cfg_it *it, struct cfg_item *item, struct cfg_diag *d);

/* Whole file into items[0..max); returns the count or a negative E_*. */
int cfg_parse(const void *buf, size_t len, struct cfg_item *items, size_t max,
	      struct cfg_diag *d);
/* Validate only (no item array); 0 or negative E_*. */
int cfg_check(const void *buf, size_t len, struct cfg_diag *d);

/* Append items (as parsed, or built by a compiler) to w; returns w->err. */
void cfg_encode_item(struct wr *w, const struct cfg_item *item);
int cfg_encode(struct wr *w, const struct cfg_item *items, size_t n);

/* Append a VarBind as TLV 11, or TLV 64 when it is longer than 255 bytes. */
void cfg_put_varbind(struct wr *w, const struct ber_vb *vb);

/*
 * The in-file hash (reference/config-file.md section 2): a TLV 11 VarBind
 * pktcMtaDevProvConfigHash.0 = OCTET STRING(20).  Three OIDs are accepted.
 */
enum cfg_hash_family { CFG_HASH_CL = 0, CFG_HASH_EU = 1, CFG_HASH_IETF = 2, CFG_HASH_NFAMILY };
struct cfg_hash_oid {
	const char *name;       /* "cablelabs", "excentis", "ietf" */
	const char *dotted;
	const uint8_t *oid;     /* contents bytes */
	size_t len;
};
extern const struct cfg_hash_oid cfg_hash_oids[CFG_HASH_NFAMILY];
#define CFG_HASH_LEN 20         /* SHA-1 (RFC 4682 SIZE(20)) */

/* The family of a hash VarBind's OID, or -1. */
int cfg_hash_family_of(const struct ber_vb *vb);

struct cfg_hash_loc {
	int family;             /* enum cfg_hash_family */
	size_t off, len;        /* the whole hash TLV (to cut out) */
	const uint8_t *digest;  /* its OCTET STRING contents */
	size_t digest_len;
};
/*
 * Find the hash TLV in a valid file.  0 found, E_NOTFOUND none, E_PROTO two
 * or more (d: CFG_E_HASH_DUP at the second), E_RANGE not OCTET STRING(20)
 * (CFG_E_HASH_FORMAT).
 */
int cfg_hash_locate(const void *buf, size_t len, struct cfg_hash_loc *loc, struct cfg_diag *d);

#endif
