/*
 * cablelabs.h: CableLabs DHCP sub-options for the E-UE, decoded into one
 * struct cl_opts through const descriptor tables (one per option space).
 *
 * Spaces (reference/dhcp-options.md §2, §3, §5; spec 6.4.1, Tables 2, 3, 5):
 *   CL_SP_OPT122     DHCPv4 option 122 (RFC 3495, 3594, 3634), 8/8
 *   CL_SP_V4VENDOR   DHCPv4 option 125, enterprise 4491 data (RFC 3925), 8/8
 *   CL_SP_V4CCCV6    125/4491 sub-option 123 CL_V4OPTION_CCCV6, 8/8 (16/16 accepted)
 *   CL_SP_V6VENDOR   DHCPv6 option 17, enterprise 4491 data, 16/16
 *   CL_SP_CCC        17/4491 sub-option 2170 CL_OPTION_CCC, 16/16
 *   CL_SP_CCCV6      17/4491 sub-option 2171 CL_OPTION_CCCV6, 16/16
 * The same meaning maps to the same field whichever carrier brings it
 * (122.1 and 2170.1 -> dhcp4_pri; 125/123.1 and 2171.1 -> dss_pri; 122.6 and
 * 2171.6 -> realm), so ecmd and eued read one struct.
 *
 * Each field has a present bit; a sub-option whose length (or type byte) is
 * wrong sets a bad bit instead and is treated as absent (dhcpcd's rule).  A
 * duplicate sub-option is ignored (the first wins) and counted.  Decoding
 * is pure: what to do with what was received (Table 4, eUE-3 priority) is
 * policy for ecm/ and eue/; the helpers cl_addr4_kind(), cl_dss_kind(),
 * cl_prov_disabled() and cl_flow_of() only name the reserved values.
 */
#ifndef TLV_CABLELABS_H
#define TLV_CABLELABS_H

#include <stddef.h>
#include <stdint.h>

#include "tlv/dhcp4.h"
#include "tlv/dhcp6.h"
#include "tlv/dnsname.h"
#include "tlv/wr.h"

#define CL_ENTERPRISE 4491u
#define CL_DSS_ID_MAX 32           /* spec 6.4.1.2 / 6.4.1.4: first 32 bytes only */
#define CL_ADDR_MAX 8              /* addresses kept per list (extra dropped) */
#define CL_CODES_MAX 32            /* codes kept per ORO */
#define CL_TEXT_MAX 256            /* text sub-options: up to 255 bytes + NUL */

/* DHCPv4 option 125 / 4491 sub-options (dhcp-options.md §3). */
enum { CL_V4_ORO = 1, CL_V4_TFTP = 2, CL_V4_CCCV6 = 123, CL_V4_IP_PREF = 124 };
/* DHCPv6 17 / 4491 options (dhcp-options.md §5). */
enum {
	CL_V6_ORO = 1, CL_V6_DEVICE_TYPE = 2, CL_V6_TFTP = 32, CL_V6_CFG_FILE = 33,
	CL_V6_SYSLOG = 34, CL_V6_CAPS = 35, CL_V6_DEVICE_ID = 36, CL_V6_TIME = 37,
	CL_V6_TIME_OFFSET = 38, CL_V6_IP_PREF = 39, CL_V6_CCC = 2170, CL_V6_CCCV6 = 2171,
	CL_V6_CORRELATION = 2172,
};

enum cl_space {
	CL_SP_OPT122, CL_SP_V4VENDOR, CL_SP_V4CCCV6, CL_SP_V6VENDOR, CL_SP_CCC, CL_SP_CCCV6,
	CL_SP__COUNT
};

enum cl_field {
	CL_F_DHCP4_PRI,     /* 122.1, 2170.1 */
	CL_F_DHCP4_SEC,     /* 122.2, 2170.2 */
	CL_F_PROV_SRV,      /* 122.3, 2171.3 */
	CL_F_AS_BACKOFF,    /* 122.4, 2171.4 */
	CL_F_AP_BACKOFF,    /* 122.5, 2171.5 */
	CL_F_REALM,         /* 122.6, 2171.6 */
	CL_F_TGT,           /* 122.7, 2171.7 */
	CL_F_PROV_TIMER,    /* 122.8, 2171.8 */
	CL_F_TICKET_CTRL,   /* 122.9 (RFC 3594), 2171.9 */
	CL_F_KDC,           /* 122.10 (RFC 3634; format unverified, OQ A.18) */
	CL_F_DSS_PRI,       /* 125/123.1, 2171.1 */
	CL_F_DSS_SEC,       /* 125/123.2, 2171.2 */
	CL_F_V4ORO,         /* 125/4491.1 */
	CL_F_TFTP4,         /* 125/4491.2 */
	CL_F_CCCV6,         /* container seen: 125/4491.123 or 17/4491.2171 */
	CL_F_IP_PREF,       /* 125/4491.124, 17/4491.39 */
	CL_F_V6ORO,         /* 17/4491.1 */
	CL_F_DEVICE_TYPE,   /* 17/4491.2 */
	CL_F_TFTP6,         /* 17/4491.32 */
	CL_F_CFG_FILE,      /* 17/4491.33 */
	CL_F_SYSLOG6,       /* 17/4491.34 */
	CL_F_CAPS,          /* 17/4491.35 (binary TLV 5 sub-TLVs, see capab.h) */
	CL_F_DEVICE_ID,     /* 17/4491.36 */
	CL_F_TIME6,         /* 17/4491.37 */
	CL_F_TIME_OFFSET,   /* 17/4491.38 */
	CL_F_CCC,           /* container seen: 17/4491.2170 */
	CL_F_CORRELATION,   /* 17/4491.2172 */
	CL_F__COUNT
};
_Static_assert(CL_F__COUNT <= 32, "present bits are a uint32_t");

/* 122.3 / 2171.3 as received. */
enum cl_prov_kind {
	CL_PROV_NONE = 0,
	CL_PROV_FQDN,        /* type 0 + RFC 1035 labels (RFC 3495, Wireshark) */
	CL_PROV_FQDN_ASCII,  /* type 0 + plain ASCII (boardfarm ISC dhcpd template) */
	CL_PROV_IPV4,        /* type 1 + 4 bytes */
	CL_PROV_IPV6,        /* type 1 + 16 bytes (2171.3) */
	CL_PROV_DISABLE,     /* the 7 ASCII bytes "0.0.0.0" alone (eUE-3; OQ A.11) */
};

/* Flow selected by the realm (122.6 / 2171.6; dhcp-options.md §2 notes). */
enum cl_flow {
	CL_FLOW_NONE = 0, CL_FLOW_SECURE, CL_FLOW_BASIC1, CL_FLOW_BASIC2,
	CL_FLOW_HYBRID1, CL_FLOW_HYBRID2,
};

/* Reserved values (spec 6.3.2.2, 6.4.1.2). */
enum cl_kind { CL_NORMAL = 0, CL_DISABLE, CL_ANY };

/* IP_PREF values: 1, 2 verified; dual stack 6 (Wireshark) or 5 (RDK) are
 * not (open-questions A.13). */
enum { CL_IP_PREF_V4 = 1, CL_IP_PREF_V6 = 2 };

struct cl_backoff { uint32_t nominal, maximum, retries; };  /* 122.4/5: 3 x u32 */

struct cl_prov {
	uint8_t kind;                        /* enum cl_prov_kind */
	uint32_t addr4;
	uint8_t addr6[16];
	char fqdn[DNSNAME_TEXT_MAX];         /* FQDN, FQDN_ASCII, DISABLE ("0.0.0.0") */
};

struct cl_realm {
	uint8_t flow;                        /* enum cl_flow */
	uint8_t ascii;                       /* 1: was plain ASCII, not labels */
	char name[DNSNAME_TEXT_MAX];
};

struct cl_dss {
	uint8_t len;                         /* <= 32 */
	uint8_t truncated;                   /* 1: longer on the wire, cut to 32 */
	uint8_t id[CL_DSS_ID_MAX];
};

struct cl_addr4_list { uint8_t n; uint32_t a[CL_ADDR_MAX]; };
struct cl_addr6_list { uint8_t n; uint8_t a[CL_ADDR_MAX][16]; };
struct cl_codes { uint8_t n; uint16_t c[CL_CODES_MAX]; };
struct cl_text { uint16_t len; char s[CL_TEXT_MAX]; };
struct cl_bytes { uint16_t len; uint8_t b[255]; };

struct cl_opts {
	uint32_t present;                    /* 1u << enum cl_field */
	uint32_t bad;                        /* seen with a wrong length/content */
	uint32_t dup;                        /* seen more than once (first kept) */
	unsigned unknown;                    /* sub-options no table knows */
	uint8_t v4cccv6_wide;                /* 125/123 came (or goes) as 16/16 */

	uint32_t dhcp4_pri, dhcp4_sec;
	struct cl_prov prov;
	struct cl_backoff as_backoff, ap_backoff;
	struct cl_realm realm;
	uint8_t tgt;                         /* 122.7: 1 = get a TGT */
	uint8_t prov_timer;                  /* 122.8: minutes */
	uint16_t ticket_ctrl;                /* 122.9: 0x0001 prov srv, 0x0002 CMS */
	struct cl_addr4_list kdc;
	struct cl_dss dss_pri, dss_sec;
	struct cl_codes v4oro;
	struct cl_addr4_list tftp4;
	uint8_t ip_pref;
	struct cl_codes v6oro;
	struct cl_text device_type;
	struct cl_addr6_list tftp6;
	struct cl_text cfg_file;
	struct cl_addr6_list syslog6;
	struct cl_bytes caps;
	struct cl_bytes device_id;
	struct cl_addr6_list time6;
	int32_t time_offset;
	uint32_t correlation;
};

void cl_init(struct cl_opts *o);
static inline int cl_has(const struct cl_opts *o, enum cl_field f)
{
	return (o->present >> f) & 1u;
}
static inline void cl_set(struct cl_opts *o, enum cl_field f)
{
	o->present |= 1u << f;
}
const char *cl_field_name(enum cl_field f);
/* The spec's name of sub-option code in a space ("unknown" if none). */
const char *cl_sub_name(enum cl_space sp, unsigned code);
const char *cl_flow_name(enum cl_flow f);

/*
 * Decode the sub-options of one space from val[0..len) into o (adding to
 * what o already holds; call cl_init() first).  Use one struct per message:
 * a field already present is kept (first wins), so decoding an ACK into the
 * struct of its OFFER would not make the ACK authoritative (Table 2 CM4).  Returns 0, or E_SHORT if a
 * sub-option runs past the end (sub-options before it are kept, the
 * container should be treated as malformed).  Wrong lengths are not errors:
 * see o->bad.
 */
int cl_decode(struct cl_opts *o, enum cl_space sp, const uint8_t *val, size_t len);

/* Options 122 (RFC 3396 concatenated) and 125/4491 of a DHCPv4 message.
 * 0, or the first decode error (both options are still tried). */
int cl_from_dhcp4(struct cl_opts *o, const struct dhcp4_msg *m);
/* Option 17/4491 of a DHCPv6 message. */
int cl_from_dhcp6(struct cl_opts *o, const struct dhcp6_msg *m);

/* Reserved values. */
enum cl_kind cl_addr4_kind(uint32_t a);               /* 0.0.0.0 / 255.255.255.255 */
enum cl_kind cl_dss_kind(const struct cl_dss *d);     /* exactly 4 x 00 / 4 x FF */
/* 1 if 122.3/2171.3 says "do not provision": the 7-byte ASCII "0.0.0.0" in
 * any encoding (raw, type 0 + ASCII, type 0 + labels) or type 1 + 0.0.0.0. */
int cl_prov_disabled(const struct cl_prov *p);
/* BASIC.1/.2, HYBRID.1/.2 (ASCII case-insensitive), else SECURE; "" NONE. */
enum cl_flow cl_flow_of(const char *realm);

/* ---------------------------------------------------------------- encode */

/*
 * Write every present field of the space as sub-options, in table order;
 * nested containers (123, 2170, 2171) are written when their container bit
 * is set.  For the lab and tests.  Errors are sticky in w.
 */
void cl_encode(struct wr *w, enum cl_space sp, const struct cl_opts *o);
/* Whole DHCPv4 option 122 (split per RFC 3396 when long). */
void cl_put_opt122(struct wr *w, const struct cl_opts *o);
/* Whole DHCPv4 option 125 with enterprise 4491. */
void cl_put_opt125(struct wr *w, const struct cl_opts *o);
/* Whole DHCPv6 option 17 with enterprise 4491. */
void cl_put_v6vendor(struct wr *w, const struct cl_opts *o);

#endif
