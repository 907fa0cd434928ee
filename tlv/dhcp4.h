/*
 * dhcp4.h: DHCPv4 message codec (RFC 2131 §2 BOOTP header + RFC 2132
 * options), for ecmd (CM1..CM4, Table 2) and eued (IPv4 mode, 6.3.3).
 *
 * Decoding checks the framing once (header, magic cookie, every option whole,
 * an End in each option area, a sane Overload) and keeps pointers into the
 * caller's buffer: a struct dhcp4_msg is valid only while that buffer lives.
 * Option lookup (dhcp4_opt) honours RFC 2132 §9.3 overload (options continue
 * in 'file', then 'sname') and RFC 3396 concatenation of split options, and
 * the typed getters treat a wrong length as absent (after dhcpcd's
 * get_option()).  Encoding writes through a struct wr and splits long
 * options per RFC 3396.  No I/O, no policy, no globals.
 *
 * Addresses are uint32_t holding the 4 wire bytes read big-endian
 * (10.0.0.1 == 0x0a000001) on every board.
 */
#ifndef TLV_DHCP4_H
#define TLV_DHCP4_H

#include <stddef.h>
#include <stdint.h>

#include "tlv/wr.h"

#define DHCP4_HDR_LEN 236          /* RFC 2131 §2, fixed fields */
#define DHCP4_COOKIE 0x63825363u   /* RFC 2131 §3, 99.130.83.99 */
#define DHCP4_OPTS_OFF 240         /* options start after the cookie */
#define DHCP4_MIN_LEN 300          /* RFC 1542 §2.1: BOOTP minimum */
#define DHCP4_SNAME_LEN 64
#define DHCP4_FILE_LEN 128
#define DHCP4_CHADDR_LEN 16
#define DHCP4_FLAG_BROADCAST 0x8000u
#define DHCP4_ENTERPRISE_CL 4491u  /* CableLabs, IANA enterprise number */

enum dhcp4_op { DHCP4_BOOTREQUEST = 1, DHCP4_BOOTREPLY = 2 };

/* Option 53 values, RFC 2132 §9.6. */
enum dhcp4_type {
	DHCP4_DISCOVER = 1, DHCP4_OFFER = 2, DHCP4_REQUEST = 3, DHCP4_DECLINE = 4,
	DHCP4_ACK = 5, DHCP4_NAK = 6, DHCP4_RELEASE = 7, DHCP4_INFORM = 8,
};

/* Option codes used by the E-UE (RFC 2132 unless noted). */
enum dhcp4_opt_code {
	DHCP4_O_PAD = 0, DHCP4_O_SUBNET = 1, DHCP4_O_TIME_OFFSET = 2, DHCP4_O_ROUTER = 3,
	DHCP4_O_TIME_SERVER = 4, DHCP4_O_DNS = 6, DHCP4_O_LOG_SERVER = 7,
	DHCP4_O_HOSTNAME = 12, DHCP4_O_DOMAIN = 15, DHCP4_O_VENDOR = 43,
	DHCP4_O_REQ_ADDR = 50, DHCP4_O_LEASE = 51, DHCP4_O_OVERLOAD = 52,
	DHCP4_O_MSG_TYPE = 53, DHCP4_O_SERVER_ID = 54, DHCP4_O_PRL = 55,
	DHCP4_O_MESSAGE = 56, DHCP4_O_MAX_SIZE = 57, DHCP4_O_T1 = 58, DHCP4_O_T2 = 59,
	DHCP4_O_VENDOR_CLASS = 60, DHCP4_O_CLIENT_ID = 61, DHCP4_O_TFTP_SERVER = 66,
	DHCP4_O_BOOTFILE = 67,
	DHCP4_O_CCC = 122,             /* RFC 3495 CableLabs Client Configuration */
	DHCP4_O_VIVSO = 125,           /* RFC 3925 V-I Vendor-Specific Information */
	DHCP4_O_END = 255,
};

/* Why a decode failed: one name per malformed-input class (the E_* return
 * says the class of error, this says which check). */
enum dhcp4_why {
	DHCP4_OK = 0,
	DHCP4_SHORT_HEADER,    /* fewer than 240 bytes: header or cookie cut (E_SHORT) */
	DHCP4_BAD_COOKIE,      /* RFC 2131 §3 magic cookie wrong (E_PROTO) */
	DHCP4_OPT_PAST_END,    /* an option's length runs past its area (E_SHORT) */
	DHCP4_MISSING_END,     /* an area has no End option (RFC 2131 §4.1) (E_PROTO) */
	DHCP4_BAD_OVERLOAD,    /* option 52 not 1 byte of 1..3 (RFC 2132 §9.3) (E_PROTO) */
	DHCP4_BAD_HLEN,        /* hlen > 16 (E_PROTO) */
	DHCP4__WHY_COUNT
};

/* The three option areas, in RFC 3396 §5 concatenation order. */
enum dhcp4_area { DHCP4_AREA_OPTS = 0, DHCP4_AREA_FILE = 1, DHCP4_AREA_SNAME = 2 };

struct dhcp4_msg {
	/* fixed header, RFC 2131 §2 */
	uint8_t op, htype, hlen, hops;
	uint32_t xid;
	uint16_t secs, flags;
	uint32_t ciaddr, yiaddr, siaddr, giaddr;
	uint8_t chaddr[DHCP4_CHADDR_LEN];
	const uint8_t *sname;          /* the 64-byte field, in the caller's buffer */
	const uint8_t *file;           /* the 128-byte field */
	/* option areas (only those in use), each ending at and excluding End */
	const uint8_t *area[3];
	size_t area_len[3];
	uint8_t overload;              /* option 52 value, 0 if absent */
	uint8_t msg_type;              /* option 53, 0 if absent or wrong length */
	/* failure detail */
	enum dhcp4_why why;
	size_t err_off;                /* byte offset of the offending item */
};

/*
 * Decode buf[0..len).  Returns 0 or E_SHORT / E_PROTO with m->why and
 * m->err_off naming the check and the byte.  Bytes after End (padding) are
 * ignored.  m is fully initialised even on failure.
 */
int dhcp4_decode(struct dhcp4_msg *m, const void *buf, size_t len);
const char *dhcp4_why_str(enum dhcp4_why why);
const char *dhcp4_type_str(unsigned type);

/*
 * Find option code (RFC 3396: all instances, all areas in order, joined).
 * Returns the value length (>= 0) with *val set, or E_NOTFOUND.  A single
 * instance is returned in place (buf unused); several are copied into
 * buf[0..bufsz) and *val == buf (E_OVERFLOW if they do not fit; buf may be
 * NULL when the caller accepts only single instances).  Pad/End are never
 * found.
 */
int dhcp4_opt(const struct dhcp4_msg *m, uint8_t code, uint8_t *buf, size_t bufsz,
	      const uint8_t **val);
/* Every option instance in wire order (options, then file, then sname),
 * one call per instance; Pad is skipped and End never yielded. */
struct dhcp4_opt_it {
	const struct dhcp4_msg *m;
	unsigned area;
	size_t i;
};
void dhcp4_opt_it_init(struct dhcp4_opt_it *it, const struct dhcp4_msg *m);
/* 1 with code/val/len set, 0 at the end. */
int dhcp4_opt_next(struct dhcp4_opt_it *it, uint8_t *code, const uint8_t **val, size_t *len);

/* 1 if the option appears at all, else 0. */
int dhcp4_opt_has(const struct dhcp4_msg *m, uint8_t code);

/* Typed getters: 0 and *out, or E_NOTFOUND (absent, or wrong length). */
int dhcp4_opt_u8(const struct dhcp4_msg *m, uint8_t code, uint8_t *out);
int dhcp4_opt_u16(const struct dhcp4_msg *m, uint8_t code, uint16_t *out);
int dhcp4_opt_u32(const struct dhcp4_msg *m, uint8_t code, uint32_t *out);
int dhcp4_opt_s32(const struct dhcp4_msg *m, uint8_t code, int32_t *out);
int dhcp4_opt_addr(const struct dhcp4_msg *m, uint8_t code, uint32_t *out);
/* Address list: count stored (<= max; extra addresses dropped), or
 * E_NOTFOUND for absent / empty / length not a multiple of 4. */
int dhcp4_opt_addrs(const struct dhcp4_msg *m, uint8_t code, uint32_t *out, size_t max);
/* Text option (e.g. 12, 15, 60, 67): NUL-ended copy, E_OVERFLOW if longer
 * than outsz - 1, E_PROTO if it holds a NUL; returns the length. */
int dhcp4_opt_str(const struct dhcp4_msg *m, uint8_t code, char *out, size_t outsz);

/*
 * 'file' / 'sname' as text when not used for options (RFC 2132 §9.3):
 * length, or E_NOTFOUND (empty or overloaded), E_OVERFLOW (outsz too small).
 */
int dhcp4_file(const struct dhcp4_msg *m, char *out, size_t outsz);
int dhcp4_sname(const struct dhcp4_msg *m, char *out, size_t outsz);

/*
 * Find one enterprise's data inside an option-125 value (RFC 3925 §4:
 * `enterprise(4) data-len(1) data`...): data length (>= 0) and *data, or
 * E_NOTFOUND, or E_SHORT if the option is malformed before a match.
 */
int dhcp4_vivso_find(const uint8_t *val, size_t len, uint32_t enterprise,
		     const uint8_t **data);

/* ---------------------------------------------------------------- encode */

/* The fixed part of a message for dhcp4_put_hdr(). */
struct dhcp4_hdr {
	uint8_t op, htype, hlen, hops;
	uint32_t xid;
	uint16_t secs, flags;
	uint32_t ciaddr, yiaddr, siaddr, giaddr;
	uint8_t chaddr[DHCP4_CHADDR_LEN];
	const char *sname;             /* NULL or text (<= 63 chars) */
	const char *file;              /* NULL or text (<= 127 chars) */
};

/* 236 header bytes + cookie.  Over-long sname/file set E_OVERFLOW. */
void dhcp4_put_hdr(struct wr *w, const struct dhcp4_hdr *h);
/* One option; values over 255 bytes are split into several instances
 * (RFC 3396 §6).  Pad/End codes are rejected (E_INVAL). */
void dhcp4_put_opt(struct wr *w, uint8_t code, const void *val, size_t len);
void dhcp4_put_u8(struct wr *w, uint8_t code, uint8_t v);
void dhcp4_put_u16(struct wr *w, uint8_t code, uint16_t v);
void dhcp4_put_u32(struct wr *w, uint8_t code, uint32_t v);
/* End option, then zero pad up to DHCP4_MIN_LEN (RFC 1542 §2.1); w must
 * hold this message alone, from its first header byte. */
void dhcp4_put_end(struct wr *w);

/* Builders for DISCOVER/REQUEST content. */
void dhcp4_put_msg_type(struct wr *w, enum dhcp4_type t);                 /* 53 */
void dhcp4_put_prl(struct wr *w, const uint8_t *codes, size_t n);         /* 55 */
void dhcp4_put_vendor_class(struct wr *w, const char *cls);               /* 60 */
/* 61 per RFC 4361 §6.1: type 255, IAID(4), DUID. */
void dhcp4_put_client_id_4361(struct wr *w, uint32_t iaid, const uint8_t *duid, size_t duid_len);
/* 125 with one enterprise (RFC 3925 §4); data <= 255 bytes. */
void dhcp4_put_vivso(struct wr *w, uint32_t enterprise, const uint8_t *data, size_t len);
/* 125 / 4491 / sub-option 1 CL_V4OPTION_ORO listing codes (spec Table 2 CM1). */
void dhcp4_put_cl_oro(struct wr *w, const uint8_t *codes, size_t n);

/* Option 43 CableLabs sub-options (reference/dhcp-options.md §4); NULL or a
 * zero length leaves a sub-option out.  Sent in sub-option-code order. */
struct dhcp4_cl43 {
	const char *sub_req;           /* 43.1 */
	const char *device_type;       /* 43.2, "EDVA" for an eUE */
	const char *esafe_types;       /* 43.3 (eCM) */
	const char *serial;            /* 43.4 */
	const char *hw_version;        /* 43.5 */
	const char *sw_version;        /* 43.6 */
	const char *boot_rom;          /* 43.7 */
	const uint8_t *oui;            /* 43.8, 3 bytes binary */
	const char *model;             /* 43.9 */
	const char *vendor;            /* 43.10 */
	const uint8_t *mac;            /* 43.31, 6 bytes */
	int has_correlation_id;
	uint32_t correlation_id;       /* 43.32 */
};
void dhcp4_put_cl43(struct wr *w, const struct dhcp4_cl43 *v);

#endif
