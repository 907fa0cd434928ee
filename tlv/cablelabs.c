/*
 * cablelabs.c: CableLabs DHCPv4/DHCPv6 sub-option spaces as const descriptor
 * tables, one generic decoder and one generic encoder over them.  Facts and
 * their status: reference/dhcp-options.md; clauses cited per row.
 */
#include "tlv/cablelabs.h"

#include <stddef.h>
#include <string.h>

#include "platform/bytes.h"
#include "platform/err.h"
#include "tlv/tlv.h"

enum cl_type {
	CL_T_ADDR4,       /* 4 bytes -> uint32_t */
	CL_T_ADDR4_LIST,  /* n x 4 -> struct cl_addr4_list */
	CL_T_ADDR6_LIST,  /* n x 16 -> struct cl_addr6_list */
	CL_T_U8, CL_T_U16, CL_T_U32, CL_T_S32,
	CL_T_BACKOFF,     /* 3 x u32 -> struct cl_backoff */
	CL_T_PROV,        /* type byte + FQDN/IPv4/IPv6 -> struct cl_prov */
	CL_T_REALM,       /* labels -> struct cl_realm */
	CL_T_DSS,         /* opaque, clamped to 32 -> struct cl_dss */
	CL_T_CODES8,      /* 1-byte codes -> struct cl_codes */
	CL_T_CODES16,     /* 2-byte codes -> struct cl_codes */
	CL_T_TEXT,        /* -> struct cl_text */
	CL_T_BYTES,       /* -> struct cl_bytes */
	CL_T_NEST,        /* a nested space (desc.sub) */
};

struct cl_desc {
	uint16_t code;
	uint8_t type;          /* enum cl_type */
	uint8_t field;         /* enum cl_field */
	uint16_t min, max;     /* value length bounds, inclusive */
	uint16_t off;          /* offsetof(struct cl_opts, ...) */
	uint8_t sub;           /* CL_T_NEST: enum cl_space */
	uint8_t step;          /* list types: element size the length must divide by */
	const char *name;      /* the sub-option's name as its spec writes it */
};

#define F(fl) offsetof(struct cl_opts, fl)

/* Option 122, RFC 3495 §3 (4491 CCC); sub 9 RFC 3594; sub 10 RFC 3634. */
static const struct cl_desc sp_122[] = {
	{ .code = 1, .type = CL_T_ADDR4, .field = CL_F_DHCP4_PRI, .min = 4, .max = 4,
	  .off = F(dhcp4_pri), .name = "TSP's Primary DHCP Server Address" },
	{ .code = 2, .type = CL_T_ADDR4, .field = CL_F_DHCP4_SEC, .min = 4, .max = 4,
	  .off = F(dhcp4_sec), .name = "TSP's Secondary DHCP Server Address" },
	{ .code = 3, .type = CL_T_PROV, .field = CL_F_PROV_SRV, .min = 2, .max = 255,
	  .off = F(prov), .name = "TSP's Provisioning Server Address" },
	{ .code = 4, .type = CL_T_BACKOFF, .field = CL_F_AS_BACKOFF, .min = 12, .max = 12,
	  .off = F(as_backoff), .name = "TSP's AS-REQ/AS-REP Backoff and Retry" },
	{ .code = 5, .type = CL_T_BACKOFF, .field = CL_F_AP_BACKOFF, .min = 12, .max = 12,
	  .off = F(ap_backoff), .name = "TSP's AP-REQ/AP-REP Backoff and Retry" },
	{ .code = 6, .type = CL_T_REALM, .field = CL_F_REALM, .min = 1, .max = 255,
	  .off = F(realm), .name = "TSP's Kerberos Realm Name" },
	{ .code = 7, .type = CL_T_U8, .field = CL_F_TGT, .min = 1, .max = 1,
	  .off = F(tgt), .name = "TSP's Ticket Granting Server Utilization" },
	{ .code = 8, .type = CL_T_U8, .field = CL_F_PROV_TIMER, .min = 1, .max = 1,
	  .off = F(prov_timer), .name = "TSP's Provisioning Timer Value" },
	{ .code = 9, .type = CL_T_U16, .field = CL_F_TICKET_CTRL, .min = 2, .max = 2,
	  .off = F(ticket_ctrl), .name = "PacketCable Security Ticket Control" },
	{ .code = 10, .type = CL_T_ADDR4_LIST, .field = CL_F_KDC, .min = 4, .max = 252,
	  .off = F(kdc), .step = 4, .name = "TSP's KDC Server Address" },
};

/* Option 125 / 4491 data, RFC 3925 §4 + CL-CANN-DHCP-Reg (spec Table 2). */
static const struct cl_desc sp_v4vendor[] = {
	{ .code = CL_V4_ORO, .type = CL_T_CODES8, .field = CL_F_V4ORO, .min = 0, .max = 255,
	  .off = F(v4oro), .step = 1, .name = "CL_V4OPTION_ORO" },
	{ .code = CL_V4_TFTP, .type = CL_T_ADDR4_LIST, .field = CL_F_TFTP4, .min = 4, .max = 252,
	  .off = F(tftp4), .step = 4, .name = "CL_V4OPTION_TFTP_SERVERS" },
	{ .code = CL_V4_CCCV6, .type = CL_T_NEST, .field = CL_F_CCCV6, .min = 0, .max = 255,
	  .sub = CL_SP_V4CCCV6, .name = "CL_V4OPTION_CCCV6" },
	{ .code = CL_V4_IP_PREF, .type = CL_T_U8, .field = CL_F_IP_PREF, .min = 1, .max = 1,
	  .off = F(ip_pref), .name = "CL_V4OPTION_IP_PREF" },
};

/* CL_V4OPTION_CCCV6 nested sub-options (spec 6.4.1.2; DSS_IDs). */
static const struct cl_desc sp_v4cccv6[] = {
	{ .code = 1, .type = CL_T_DSS, .field = CL_F_DSS_PRI, .min = 1, .max = 0xffff,
	  .off = F(dss_pri), .name = "Primary DSS_ID" },
	{ .code = 2, .type = CL_T_DSS, .field = CL_F_DSS_SEC, .min = 1, .max = 0xffff,
	  .off = F(dss_sec), .name = "Secondary DSS_ID" },
};

/* Option 17 / 4491, RFC 3315 §22.17 + CL-CANN-DHCP-Reg (spec Tables 3, 5). */
static const struct cl_desc sp_v6vendor[] = {
	{ .code = CL_V6_ORO, .type = CL_T_CODES16, .field = CL_F_V6ORO, .min = 0, .max = 0xffff,
	  .off = F(v6oro), .step = 2, .name = "CL_OPTION_ORO" },
	{ .code = CL_V6_DEVICE_TYPE, .type = CL_T_TEXT, .field = CL_F_DEVICE_TYPE, .min = 1, .max = 255,
	  .off = F(device_type), .name = "CL_OPTION_DEVICE_TYPE" },
	{ .code = CL_V6_TFTP, .type = CL_T_ADDR6_LIST, .field = CL_F_TFTP6, .min = 16, .max = 0xfff0,
	  .off = F(tftp6), .step = 16, .name = "CL_OPTION_TFTP_SERVERS" },
	{ .code = CL_V6_CFG_FILE, .type = CL_T_TEXT, .field = CL_F_CFG_FILE, .min = 1, .max = 255,
	  .off = F(cfg_file), .name = "CL_OPTION_CONFIG_FILE_NAME" },
	{ .code = CL_V6_SYSLOG, .type = CL_T_ADDR6_LIST, .field = CL_F_SYSLOG6, .min = 16, .max = 0xfff0,
	  .off = F(syslog6), .step = 16, .name = "CL_OPTION_SYSLOG_SERVERS" },
	{ .code = CL_V6_CAPS, .type = CL_T_BYTES, .field = CL_F_CAPS, .min = 0, .max = 255,
	  .off = F(caps), .name = "CL_OPTION_MODEM_CAPABILITIES" },
	{ .code = CL_V6_DEVICE_ID, .type = CL_T_BYTES, .field = CL_F_DEVICE_ID, .min = 6, .max = 6,
	  .off = F(device_id), .name = "CL_OPTION_DEVICE_ID" },
	{ .code = CL_V6_TIME, .type = CL_T_ADDR6_LIST, .field = CL_F_TIME6, .min = 16, .max = 0xfff0,
	  .off = F(time6), .step = 16, .name = "CL_OPTION_TIME_SERVERS" },
	{ .code = CL_V6_TIME_OFFSET, .type = CL_T_S32, .field = CL_F_TIME_OFFSET, .min = 4, .max = 4,
	  .off = F(time_offset), .name = "CL_OPTION_TIME_OFFSET" },
	{ .code = CL_V6_IP_PREF, .type = CL_T_U8, .field = CL_F_IP_PREF, .min = 1, .max = 1,
	  .off = F(ip_pref), .name = "CL_OPTION_IP_PREF" },
	{ .code = CL_V6_CCC, .type = CL_T_NEST, .field = CL_F_CCC, .min = 0, .max = 0xffff,
	  .sub = CL_SP_CCC, .name = "CL_OPTION_CCC" },
	{ .code = CL_V6_CCCV6, .type = CL_T_NEST, .field = CL_F_CCCV6, .min = 0, .max = 0xffff,
	  .sub = CL_SP_CCCV6, .name = "CL_OPTION_CCCV6" },
	{ .code = CL_V6_CORRELATION, .type = CL_T_U32, .field = CL_F_CORRELATION, .min = 4, .max = 4,
	  .off = F(correlation), .name = "CL_OPTION_CORRELATION_ID" },
};

/* CL_OPTION_CCC (2170): IPv4 addresses of the eUE's DHCPv4 servers (6.4.1.3). */
static const struct cl_desc sp_ccc[] = {
	{ .code = 1, .type = CL_T_ADDR4, .field = CL_F_DHCP4_PRI, .min = 4, .max = 4,
	  .off = F(dhcp4_pri), .name = "Primary DHCPv4 Server" },
	{ .code = 2, .type = CL_T_ADDR4, .field = CL_F_DHCP4_SEC, .min = 4, .max = 4,
	  .off = F(dhcp4_sec), .name = "Secondary DHCPv4 Server" },
};

/* CL_OPTION_CCCV6 (2171), spec 6.4.1.4; dhcp-options.md §5 table. */
static const struct cl_desc sp_cccv6[] = {
	{ .code = 1, .type = CL_T_DSS, .field = CL_F_DSS_PRI, .min = 1, .max = 0xffff,
	  .off = F(dss_pri), .name = "TSP's Primary DSS_ID" },
	{ .code = 2, .type = CL_T_DSS, .field = CL_F_DSS_SEC, .min = 1, .max = 0xffff,
	  .off = F(dss_sec), .name = "TSP's Secondary DSS_ID" },
	{ .code = 3, .type = CL_T_PROV, .field = CL_F_PROV_SRV, .min = 2, .max = 255,
	  .off = F(prov), .name = "TSP's Provisioning Server" },
	{ .code = 4, .type = CL_T_BACKOFF, .field = CL_F_AS_BACKOFF, .min = 12, .max = 12,
	  .off = F(as_backoff), .name = "TSP's AS-REQ/AS-REP Backoff and Retry" },
	{ .code = 5, .type = CL_T_BACKOFF, .field = CL_F_AP_BACKOFF, .min = 12, .max = 12,
	  .off = F(ap_backoff), .name = "TSP's AP-REQ/AP-REP Backoff and Retry" },
	{ .code = 6, .type = CL_T_REALM, .field = CL_F_REALM, .min = 1, .max = 255,
	  .off = F(realm), .name = "TSP's Kerberos Realm Name" },
	{ .code = 7, .type = CL_T_U8, .field = CL_F_TGT, .min = 1, .max = 1,
	  .off = F(tgt), .name = "TSP's Ticket Granting Server Utilization" },
	{ .code = 8, .type = CL_T_U8, .field = CL_F_PROV_TIMER, .min = 1, .max = 1,
	  .off = F(prov_timer), .name = "TSP's Provisioning Timer" },
	{ .code = 9, .type = CL_T_U16, .field = CL_F_TICKET_CTRL, .min = 2, .max = 2,
	  .off = F(ticket_ctrl), .name = "PacketCable Security Ticket Control" },
};

#undef F

struct cl_space_def {
	const struct cl_desc *d;
	size_t n;
	enum tlv_fmt fmt;
};

#define SP(t, f) { t, sizeof(t) / sizeof(t[0]), f }
static const struct cl_space_def spaces[CL_SP__COUNT] = {
	[CL_SP_OPT122] = SP(sp_122, TLV_8_8),
	[CL_SP_V4VENDOR] = SP(sp_v4vendor, TLV_8_8),
	[CL_SP_V4CCCV6] = SP(sp_v4cccv6, TLV_8_8),
	[CL_SP_V6VENDOR] = SP(sp_v6vendor, TLV_16_16),
	[CL_SP_CCC] = SP(sp_ccc, TLV_16_16),
	[CL_SP_CCCV6] = SP(sp_cccv6, TLV_16_16),
};
#undef SP

static const char *const field_name[CL_F__COUNT] = {
	[CL_F_DHCP4_PRI] = "primary eUE DHCPv4 server",
	[CL_F_DHCP4_SEC] = "secondary eUE DHCPv4 server",
	[CL_F_PROV_SRV] = "provisioning server",
	[CL_F_AS_BACKOFF] = "AS-REQ/AS-REP backoff",
	[CL_F_AP_BACKOFF] = "AP-REQ/AP-REP backoff",
	[CL_F_REALM] = "Kerberos realm",
	[CL_F_TGT] = "TGS utilization",
	[CL_F_PROV_TIMER] = "provisioning timer",
	[CL_F_TICKET_CTRL] = "security ticket control",
	[CL_F_KDC] = "KDC servers",
	[CL_F_DSS_PRI] = "primary DSS_ID",
	[CL_F_DSS_SEC] = "secondary DSS_ID",
	[CL_F_V4ORO] = "CL_V4OPTION_ORO",
	[CL_F_TFTP4] = "TFTP servers (v4)",
	[CL_F_CCCV6] = "CCCv6",
	[CL_F_IP_PREF] = "IP preference",
	[CL_F_V6ORO] = "CL_OPTION_ORO",
	[CL_F_DEVICE_TYPE] = "device type",
	[CL_F_TFTP6] = "TFTP servers (v6)",
	[CL_F_CFG_FILE] = "config file name",
	[CL_F_SYSLOG6] = "syslog servers (v6)",
	[CL_F_CAPS] = "modem capabilities",
	[CL_F_DEVICE_ID] = "device id",
	[CL_F_TIME6] = "time servers (v6)",
	[CL_F_TIME_OFFSET] = "time offset",
	[CL_F_CCC] = "CCC",
	[CL_F_CORRELATION] = "correlation id",
};
_Static_assert(sizeof(field_name) / sizeof(field_name[0]) == CL_F__COUNT, "field_name");

static const char *const flow_name[] = {
	[CL_FLOW_NONE] = "none", [CL_FLOW_SECURE] = "Secure", [CL_FLOW_BASIC1] = "BASIC.1",
	[CL_FLOW_BASIC2] = "BASIC.2", [CL_FLOW_HYBRID1] = "HYBRID.1",
	[CL_FLOW_HYBRID2] = "HYBRID.2",
};

const char *cl_sub_name(enum cl_space sp, unsigned code)
{
	size_t i;

	if ((unsigned)sp >= CL_SP__COUNT)
		return "?";
	for (i = 0; i < spaces[sp].n; i++)
		if (spaces[sp].d[i].code == code)
			return spaces[sp].d[i].name;
	return "unknown";
}

const char *cl_field_name(enum cl_field f)
{
	return (unsigned)f < CL_F__COUNT ? field_name[f] : "?";
}

const char *cl_flow_name(enum cl_flow f)
{
	return (unsigned)f < sizeof(flow_name) / sizeof(flow_name[0]) ? flow_name[f] : "?";
}

void cl_init(struct cl_opts *o)
{
	memset(o, 0, sizeof(*o));
}

/* ---------------------------------------------------------------- values */

enum cl_kind cl_addr4_kind(uint32_t a)
{
	if (a == 0)
		return CL_DISABLE;              /* 6.3.2.2: 0.0.0.0 */
	if (a == 0xffffffffu)
		return CL_ANY;                  /* 6.3.2.2: 255.255.255.255 */
	return CL_NORMAL;
}

enum cl_kind cl_dss_kind(const struct cl_dss *d)
{
	static const uint8_t zero[4], ones[4] = { 0xff, 0xff, 0xff, 0xff };

	/* 6.4.1.2: exactly four octets (the text's three is a misprint, OQ B.8) */
	if (d->len == 4 && !d->truncated && memcmp(d->id, zero, 4) == 0)
		return CL_DISABLE;
	if (d->len == 4 && !d->truncated && memcmp(d->id, ones, 4) == 0)
		return CL_ANY;
	return CL_NORMAL;
}

int cl_prov_disabled(const struct cl_prov *p)
{
	switch (p->kind) {
	case CL_PROV_DISABLE:
		return 1;
	case CL_PROV_FQDN:
	case CL_PROV_FQDN_ASCII:
		return strcmp(p->fqdn, "0.0.0.0") == 0;
	case CL_PROV_IPV4:
		return p->addr4 == 0;
	default:
		return 0;
	}
}

static int ascii_ieq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a, y = *b;

		if (x >= 'a' && x <= 'z')
			x = (char)(x - 32);
		if (y >= 'a' && y <= 'z')
			y = (char)(y - 32);
		if (x != y)
			return 0;
	}
	return *a == *b;
}

enum cl_flow cl_flow_of(const char *realm)
{
	if (realm == NULL || realm[0] == '\0')
		return CL_FLOW_NONE;
	if (ascii_ieq(realm, "BASIC.1"))
		return CL_FLOW_BASIC1;
	if (ascii_ieq(realm, "BASIC.2"))
		return CL_FLOW_BASIC2;
	if (ascii_ieq(realm, "HYBRID.1"))
		return CL_FLOW_HYBRID1;
	if (ascii_ieq(realm, "HYBRID.2"))
		return CL_FLOW_HYBRID2;
	return CL_FLOW_SECURE;
}

/* Plain printable ASCII (one trailing NUL tolerated) into out; length or -1. */
static int plain_ascii(const uint8_t *v, size_t len, char *out, size_t outsz)
{
	size_t i;

	if (len && v[len - 1] == '\0')
		len--;
	if (len == 0 || len + 1 > outsz)
		return -1;
	for (i = 0; i < len; i++)
		if (v[i] <= 0x20 || v[i] >= 0x7f)
			return -1;
	memcpy(out, v, len);
	out[len] = '\0';
	return (int)len;
}

/* ---------------------------------------------------------------- decode */

/* One value into its field; 0, or -1 when the value is unusable (bad). */
static int put_value(struct cl_opts *o, const struct cl_desc *d, const uint8_t *v, size_t len)
{
	uint8_t *fp = (uint8_t *)o + d->off;
	size_t i, n;

	if (len < d->min || len > d->max || (d->step && len % d->step))
		return -1;
	switch (d->type) {
	case CL_T_ADDR4:
	case CL_T_U32: {
		uint32_t x = load_be32(v);
		memcpy(fp, &x, sizeof(x));
		return 0;
	}
	case CL_T_S32: {
		uint32_t u = load_be32(v);
		int32_t s = u > 0x7fffffffu ? -(int32_t)(0xffffffffu - u) - 1 : (int32_t)u;
		memcpy(fp, &s, sizeof(s));
		return 0;
	}
	case CL_T_U8:
		*fp = v[0];
		return 0;
	case CL_T_U16: {
		uint16_t x = load_be16(v);
		memcpy(fp, &x, sizeof(x));
		return 0;
	}
	case CL_T_BACKOFF: {
		struct cl_backoff b = { load_be32(v), load_be32(v + 4), load_be32(v + 8) };
		memcpy(fp, &b, sizeof(b));
		return 0;
	}
	case CL_T_ADDR4_LIST: {
		struct cl_addr4_list *l = (struct cl_addr4_list *)(void *)fp;

		n = len / 4;
		l->n = (uint8_t)(n > CL_ADDR_MAX ? CL_ADDR_MAX : n);  /* clamp, never overrun */
		for (i = 0; i < l->n; i++)
			l->a[i] = load_be32(v + 4 * i);
		return 0;
	}
	case CL_T_ADDR6_LIST: {
		struct cl_addr6_list *l = (struct cl_addr6_list *)(void *)fp;

		n = len / 16;
		l->n = (uint8_t)(n > CL_ADDR_MAX ? CL_ADDR_MAX : n);
		memcpy(l->a, v, (size_t)l->n * 16);
		return 0;
	}
	case CL_T_CODES8:
	case CL_T_CODES16: {
		struct cl_codes *c = (struct cl_codes *)(void *)fp;
		size_t w = d->type == CL_T_CODES8 ? 1 : 2;

		n = len / w;
		c->n = (uint8_t)(n > CL_CODES_MAX ? CL_CODES_MAX : n);
		for (i = 0; i < c->n; i++)
			c->c[i] = w == 1 ? v[i] : load_be16(v + 2 * i);
		return 0;
	}
	case CL_T_TEXT: {
		struct cl_text *t = (struct cl_text *)(void *)fp;

		if (memchr(v, 0, len) != NULL && memchr(v, 0, len) != v + len - 1)
			return -1;
		if (v[len - 1] == '\0')
			len--;                  /* one trailing NUL tolerated */
		if (len == 0)
			return -1;
		memcpy(t->s, v, len);
		t->s[len] = '\0';
		t->len = (uint16_t)len;
		return 0;
	}
	case CL_T_BYTES: {
		struct cl_bytes *b = (struct cl_bytes *)(void *)fp;

		if (len)
			memcpy(b->b, v, len);
		b->len = (uint16_t)len;
		return 0;
	}
	case CL_T_DSS: {
		struct cl_dss *s = (struct cl_dss *)(void *)fp;

		/* 6.4.1.2/6.4.1.4: consider only the first 32 bytes */
		s->truncated = len > CL_DSS_ID_MAX;
		s->len = (uint8_t)(s->truncated ? CL_DSS_ID_MAX : len);
		memcpy(s->id, v, s->len);
		return 0;
	}
	case CL_T_REALM: {
		struct cl_realm *r = (struct cl_realm *)(void *)fp;

		r->ascii = 0;
		if (dnsname_decode_exact(v, len, r->name, sizeof(r->name)) <= 0) {
			/* tolerate plain ASCII like 122.3's boardfarm form */
			memset(r->name, 0, sizeof(r->name));
			if (plain_ascii(v, len, r->name, sizeof(r->name)) < 0) {
				memset(r, 0, sizeof(*r));   /* no half-decoded leftovers */
				return -1;
			}
			r->ascii = 1;
		}
		r->flow = (uint8_t)cl_flow_of(r->name);
		return 0;
	}
	case CL_T_PROV: {
		struct cl_prov *p = (struct cl_prov *)(void *)fp;

		memset(p, 0, sizeof(*p));
		/* eUE-3: the seven-byte ASCII "0.0.0.0" with no type byte (OQ A.11) */
		if (len == 7 && memcmp(v, "0.0.0.0", 7) == 0) {
			p->kind = CL_PROV_DISABLE;
			memcpy(p->fqdn, "0.0.0.0", 8);
			return 0;
		}
		if (v[0] == 1 && len == 5) {              /* RFC 3495: type 1, IPv4 */
			p->kind = CL_PROV_IPV4;
			p->addr4 = load_be32(v + 1);
			return 0;
		}
		if (v[0] == 1 && len == 17) {             /* 2171.3: type 1, IPv6 */
			p->kind = CL_PROV_IPV6;
			memcpy(p->addr6, v + 1, 16);
			return 0;
		}
		if (v[0] != 0)
			return -1;
		if (dnsname_decode_exact(v + 1, len - 1, p->fqdn, sizeof(p->fqdn)) > 0) {
			p->kind = CL_PROV_FQDN;           /* type 0, RFC 1035 labels */
			return 0;
		}
		memset(p->fqdn, 0, sizeof(p->fqdn));
		if (plain_ascii(v + 1, len - 1, p->fqdn, sizeof(p->fqdn)) > 0) {
			p->kind = CL_PROV_FQDN_ASCII;     /* boardfarm: type 0 + string */
			return 0;
		}
		memset(p, 0, sizeof(*p));           /* no half-decoded leftovers */
		return -1;
	}
	default:
		return -1;
	}
}

static int decode_space(struct cl_opts *o, enum cl_space sp, enum tlv_fmt fmt,
			const uint8_t *val, size_t len);

/* 1 if val[0..len) frames as whole items in fmt. */
static int frames(enum tlv_fmt fmt, const uint8_t *val, size_t len)
{
	struct tlv_it it;
	struct tlv_item item;
	int rc;

	tlv_it_init(&it, fmt, val, len);
	while ((rc = tlv_next(&it, &item)) == 1)
		;
	return rc == 0;
}

/*
 * 125/123 nested sub-options: 8/8 as dhcp-options.md §3 documents (legacy
 * Wireshark); if that does not frame but 16/16 does, 16/16 (the lab's Kea
 * vector, lab-servers.md §1, uses 2-byte codes).  CL-CANN-DHCP-Reg was not
 * read: which one a real server sends is unverified.
 */
static int decode_v4cccv6(struct cl_opts *o, const uint8_t *val, size_t len)
{
	if (!frames(TLV_8_8, val, len) && frames(TLV_16_16, val, len)) {
		o->v4cccv6_wide = 1;
		return decode_space(o, CL_SP_V4CCCV6, TLV_16_16, val, len);
	}
	return decode_space(o, CL_SP_V4CCCV6, TLV_8_8, val, len);
}

static int decode_space(struct cl_opts *o, enum cl_space sp, enum tlv_fmt fmt,
			const uint8_t *val, size_t len)
{
	const struct cl_space_def *s = &spaces[sp];
	struct tlv_it it;
	struct tlv_item item;
	int rc, err = 0;

	tlv_it_init(&it, fmt, val, len);
	while ((rc = tlv_next(&it, &item)) == 1) {
		const struct cl_desc *d = NULL;
		size_t i;

		for (i = 0; i < s->n; i++) {
			if (s->d[i].code == item.type) {
				d = &s->d[i];
				break;
			}
		}
		if (d == NULL) {
			o->unknown++;
			continue;
		}
		if (cl_has(o, (enum cl_field)d->field)) {
			o->dup |= 1u << d->field;       /* first instance wins */
			continue;
		}
		if (d->type == CL_T_NEST) {
			int r;

			if (item.len < d->min || item.len > d->max) {
				o->bad |= 1u << d->field;
				continue;
			}
			cl_set(o, (enum cl_field)d->field);
			if (d->sub == CL_SP_V4CCCV6)
				r = decode_v4cccv6(o, item.val, item.len);
			else
				r = decode_space(o, (enum cl_space)d->sub, spaces[d->sub].fmt,
						 item.val, item.len);
			if (r < 0 && err == 0)
				err = r;
			continue;
		}
		if (put_value(o, d, item.val, item.len) == 0)
			cl_set(o, (enum cl_field)d->field);
		else
			o->bad |= 1u << d->field;
	}
	return rc < 0 ? rc : err;
}

int cl_decode(struct cl_opts *o, enum cl_space sp, const uint8_t *val, size_t len)
{
	if ((unsigned)sp >= CL_SP__COUNT)
		return E_INVAL;
	if (sp == CL_SP_V4CCCV6)
		return decode_v4cccv6(o, val, len);
	return decode_space(o, sp, spaces[sp].fmt, val, len);
}

int cl_from_dhcp4(struct cl_opts *o, const struct dhcp4_msg *m)
{
	uint8_t buf[1024];
	const uint8_t *v, *d;
	int n, rc = 0, r;

	n = dhcp4_opt(m, DHCP4_O_CCC, buf, sizeof(buf), &v);   /* RFC 3396 joined */
	if (n >= 0) {
		r = cl_decode(o, CL_SP_OPT122, v, (size_t)n);
		if (r < 0)
			rc = r;
	} else if (n != E_NOTFOUND) {
		rc = n;
	}
	n = dhcp4_opt(m, DHCP4_O_VIVSO, buf, sizeof(buf), &v);
	if (n >= 0) {
		n = dhcp4_vivso_find(v, (size_t)n, CL_ENTERPRISE, &d);
		if (n >= 0)
			r = cl_decode(o, CL_SP_V4VENDOR, d, (size_t)n);
		else
			r = n == E_NOTFOUND ? 0 : n;
		if (r < 0 && rc == 0)
			rc = r;
	} else if (n != E_NOTFOUND && rc == 0) {
		rc = n;
	}
	return rc;
}

int cl_from_dhcp6(struct cl_opts *o, const struct dhcp6_msg *m)
{
	const uint8_t *d;
	int n = dhcp6_vendor_opts(m, CL_ENTERPRISE, &d);

	if (n == E_NOTFOUND)
		return 0;
	if (n < 0)
		return n;
	return cl_decode(o, CL_SP_V6VENDOR, d, (size_t)n);
}

/* ---------------------------------------------------------------- encode */

static void put_prov(struct wr *w, const struct cl_prov *p)
{
	switch (p->kind) {
	case CL_PROV_FQDN:
		wr_u8(w, 0);
		dnsname_encode(w, p->fqdn);
		break;
	case CL_PROV_FQDN_ASCII:
		wr_u8(w, 0);
		wr_bytes(w, p->fqdn, strlen(p->fqdn));
		break;
	case CL_PROV_IPV4:
		wr_u8(w, 1);
		wr_u32(w, p->addr4);
		break;
	case CL_PROV_IPV6:
		wr_u8(w, 1);
		wr_bytes(w, p->addr6, 16);
		break;
	case CL_PROV_DISABLE:
		wr_bytes(w, "0.0.0.0", 7);
		break;
	default:
		wr_fail(w, E_INVAL);
	}
}

static void encode_value(struct wr *w, const struct cl_desc *d, const struct cl_opts *o)
{
	const uint8_t *fp = (const uint8_t *)o + d->off;
	size_t i;

	switch (d->type) {
	case CL_T_ADDR4:
	case CL_T_U32: {
		uint32_t x;
		memcpy(&x, fp, sizeof(x));
		wr_u32(w, x);
		break;
	}
	case CL_T_S32: {
		int32_t s;
		memcpy(&s, fp, sizeof(s));
		wr_u32(w, (uint32_t)s);
		break;
	}
	case CL_T_U8:
		wr_u8(w, *fp);
		break;
	case CL_T_U16: {
		uint16_t x;
		memcpy(&x, fp, sizeof(x));
		wr_u16(w, x);
		break;
	}
	case CL_T_BACKOFF: {
		struct cl_backoff b;
		memcpy(&b, fp, sizeof(b));
		wr_u32(w, b.nominal);
		wr_u32(w, b.maximum);
		wr_u32(w, b.retries);
		break;
	}
	case CL_T_ADDR4_LIST: {
		const struct cl_addr4_list *l = (const void *)fp;
		for (i = 0; i < l->n && i < CL_ADDR_MAX; i++)
			wr_u32(w, l->a[i]);
		break;
	}
	case CL_T_ADDR6_LIST: {
		const struct cl_addr6_list *l = (const void *)fp;
		for (i = 0; i < l->n && i < CL_ADDR_MAX; i++)
			wr_bytes(w, l->a[i], 16);
		break;
	}
	case CL_T_CODES8:
	case CL_T_CODES16: {
		const struct cl_codes *c = (const void *)fp;
		for (i = 0; i < c->n && i < CL_CODES_MAX; i++) {
			if (d->type == CL_T_CODES8)
				wr_u8(w, (uint8_t)c->c[i]);
			else
				wr_u16(w, c->c[i]);
		}
		break;
	}
	case CL_T_TEXT: {
		const struct cl_text *t = (const void *)fp;
		wr_bytes(w, t->s, strnlen(t->s, sizeof(t->s) - 1));
		break;
	}
	case CL_T_BYTES: {
		const struct cl_bytes *b = (const void *)fp;
		wr_bytes(w, b->b, b->len > sizeof(b->b) ? sizeof(b->b) : b->len);
		break;
	}
	case CL_T_DSS: {
		const struct cl_dss *s = (const void *)fp;
		wr_bytes(w, s->id, s->len > CL_DSS_ID_MAX ? CL_DSS_ID_MAX : s->len);
		break;
	}
	case CL_T_REALM: {
		const struct cl_realm *r = (const void *)fp;
		if (r->ascii)
			wr_bytes(w, r->name, strnlen(r->name, sizeof(r->name) - 1));
		else
			dnsname_encode(w, r->name);
		break;
	}
	case CL_T_PROV:
		put_prov(w, (const struct cl_prov *)(const void *)fp);
		break;
	default:
		wr_fail(w, E_INVAL);
	}
}

void cl_encode(struct wr *w, enum cl_space sp, const struct cl_opts *o)
{
	const struct cl_space_def *s;
	enum tlv_fmt fmt;
	size_t i;

	if ((unsigned)sp >= CL_SP__COUNT) {
		wr_fail(w, E_INVAL);
		return;
	}
	s = &spaces[sp];
	fmt = sp == CL_SP_V4CCCV6 && o->v4cccv6_wide ? TLV_16_16 : s->fmt;
	for (i = 0; i < s->n; i++) {
		const struct cl_desc *d = &s->d[i];
		size_t at;

		if (!cl_has(o, (enum cl_field)d->field))
			continue;
		at = tlv_open(w, fmt, d->code);
		if (d->type == CL_T_NEST)
			cl_encode(w, (enum cl_space)d->sub, o);
		else
			encode_value(w, d, o);
		tlv_close(w, fmt, at);
	}
}

void cl_put_opt122(struct wr *w, const struct cl_opts *o)
{
	uint8_t buf[1024];
	struct wr b;

	wr_init(&b, buf, sizeof(buf));
	cl_encode(&b, CL_SP_OPT122, o);
	if (b.err) {
		wr_fail(w, b.err);
		return;
	}
	dhcp4_put_opt(w, DHCP4_O_CCC, buf, b.len);
}

void cl_put_opt125(struct wr *w, const struct cl_opts *o)
{
	uint8_t buf[255];
	struct wr b;

	wr_init(&b, buf, sizeof(buf));
	cl_encode(&b, CL_SP_V4VENDOR, o);
	if (b.err) {
		wr_fail(w, b.err);
		return;
	}
	dhcp4_put_vivso(w, CL_ENTERPRISE, buf, b.len);
}

void cl_put_v6vendor(struct wr *w, const struct cl_opts *o)
{
	size_t at = dhcp6_vendor_open(w, CL_ENTERPRISE);

	cl_encode(w, CL_SP_V6VENDOR, o);
	dhcp6_close(w, at);
}
