/*
 * dhcp6.c: DHCPv6 client/server message codec (RFC 3315; RFC 4704 for 39).
 * No I/O, no policy, no globals.
 */
#include "tlv/dhcp6.h"

#include <string.h>

#include "platform/bytes.h"
#include "platform/err.h"
#include "tlv/dnsname.h"
#include "tlv/rd.h"
#include "tlv/tlv.h"

static const char *const type_name[] = {
	[0] = "none", [DHCP6_SOLICIT] = "SOLICIT", [DHCP6_ADVERTISE] = "ADVERTISE",
	[DHCP6_REQUEST] = "REQUEST", [DHCP6_CONFIRM] = "CONFIRM", [DHCP6_RENEW] = "RENEW",
	[DHCP6_REBIND] = "REBIND", [DHCP6_REPLY] = "REPLY", [DHCP6_RELEASE] = "RELEASE",
	[DHCP6_DECLINE] = "DECLINE", [DHCP6_RECONFIGURE] = "RECONFIGURE",
	[DHCP6_INFO_REQUEST] = "INFORMATION-REQUEST", [DHCP6_RELAY_FORW] = "RELAY-FORW",
	[DHCP6_RELAY_REPL] = "RELAY-REPL",
};

const char *dhcp6_type_str(unsigned type)
{
	if (type >= sizeof(type_name) / sizeof(type_name[0]))
		return "?";
	return type_name[type];
}

/* Walk a 16/16 list; 0 if every option is whole, else E_SHORT and *off. */
static int opts_check(const uint8_t *base, const uint8_t *p, size_t len, size_t *off)
{
	struct tlv_it it;
	struct tlv_item item;
	int rc;

	tlv_it_init(&it, TLV_16_16, base, (size_t)(p - base) + len);
	it.r.p = p;
	it.r.left = len;
	while ((rc = tlv_next(&it, &item)) == 1)
		;
	if (rc < 0)
		*off = tlv_it_off(&it);
	return rc;
}

int dhcp6_decode(struct dhcp6_msg *m, const void *buf, size_t len)
{
	struct rd r;
	int rc;

	memset(m, 0, sizeof(*m));
	rd_init(&r, buf, len);
	/* RFC 3315 §6: msg-type(1) transaction-id(3) options */
	m->type = rd_u8(&r);
	m->xid = (uint32_t)rd_u8(&r) << 16;
	m->xid |= rd_u16(&r);
	if (r.err) {
		m->err_off = len;
		return E_SHORT;
	}
	if (m->type == DHCP6_RELAY_FORW || m->type == DHCP6_RELAY_REPL)
		return E_UNSUPPORTED;               /* §7: not for a client */
	m->opts = r.p;
	m->opts_len = r.left;
	rc = opts_check(r.base, r.p, r.left, &m->err_off);
	if (rc < 0) {
		m->opts = NULL;
		m->opts_len = 0;
	}
	return rc;
}

int dhcp6_opt_nth(const uint8_t *opts, size_t len, uint16_t code, unsigned n,
		  const uint8_t **val)
{
	struct tlv_it it;
	struct tlv_item item;

	tlv_it_init(&it, TLV_16_16, opts, len);
	while (tlv_next(&it, &item) == 1) {
		if (item.type == code && n-- == 0) {
			*val = item.val;
			return (int)item.len;
		}
	}
	return E_NOTFOUND;
}

int dhcp6_opt_find(const uint8_t *opts, size_t len, uint16_t code, const uint8_t **val)
{
	return dhcp6_opt_nth(opts, len, code, 0, val);
}

int dhcp6_msg_opt(const struct dhcp6_msg *m, uint16_t code, const uint8_t **val)
{
	return dhcp6_opt_find(m->opts, m->opts_len, code, val);
}

int dhcp6_msg_u8(const struct dhcp6_msg *m, uint16_t code, uint8_t *out)
{
	const uint8_t *v;

	if (dhcp6_msg_opt(m, code, &v) != 1)
		return E_NOTFOUND;
	*out = v[0];
	return 0;
}

int dhcp6_msg_u16(const struct dhcp6_msg *m, uint16_t code, uint16_t *out)
{
	const uint8_t *v;

	if (dhcp6_msg_opt(m, code, &v) != 2)
		return E_NOTFOUND;
	*out = load_be16(v);
	return 0;
}

int dhcp6_addrs(const uint8_t *val, size_t len, uint8_t (*out)[16], size_t max)
{
	size_t i, n;

	if (val == NULL || len == 0 || len % 16)
		return E_NOTFOUND;
	n = len / 16;
	if (n > max)
		n = max;
	for (i = 0; i < n; i++)
		memcpy(out[i], val + 16 * i, 16);
	return (int)n;
}

int dhcp6_status_decode(const uint8_t *val, size_t len, uint16_t *code, const uint8_t **msg,
			size_t *msg_len)
{
	if (val == NULL || len < 2)
		return E_SHORT;
	*code = load_be16(val);                 /* §22.13 */
	if (msg)
		*msg = val + 2;
	if (msg_len)
		*msg_len = len - 2;
	return 0;
}

int dhcp6_msg_status(const struct dhcp6_msg *m, uint16_t *code)
{
	const uint8_t *v;
	int n = dhcp6_msg_opt(m, DHCP6_O_STATUS, &v);

	if (n < 0)
		return n;
	return dhcp6_status_decode(v, (size_t)n, code, NULL, NULL) ? E_NOTFOUND : 0;
}

int dhcp6_ia_na_decode(const uint8_t *val, size_t len, struct dhcp6_ia_na *ia)
{
	struct rd r;
	struct tlv_it it;
	struct tlv_item item;
	int rc;

	memset(ia, 0, sizeof(*ia));
	rd_init(&r, val, len);
	ia->iaid = rd_u32(&r);                  /* §22.4 */
	ia->t1 = rd_u32(&r);
	ia->t2 = rd_u32(&r);
	if (r.err)
		return E_SHORT;
	tlv_it_init(&it, TLV_16_16, r.p, r.left);
	while ((rc = tlv_next(&it, &item)) == 1) {
		if (item.type == DHCP6_O_STATUS && !ia->has_status && item.len >= 2) {
			ia->has_status = 1;
			ia->status = load_be16(item.val);
		} else if (item.type == DHCP6_O_IAADDR && !ia->has_addr) {
			struct tlv_it sub;
			struct tlv_item s;

			if (item.len < 24)      /* §22.6: addr(16) pref(4) valid(4) */
				return E_PROTO;
			ia->has_addr = 1;
			memcpy(ia->addr, item.val, 16);
			ia->preferred = load_be32(item.val + 16);
			ia->valid = load_be32(item.val + 20);
			tlv_it_init(&sub, TLV_16_16, item.val + 24, item.len - 24);
			while ((rc = tlv_next(&sub, &s)) == 1) {
				if (s.type == DHCP6_O_STATUS && s.len >= 2 && !ia->has_addr_status) {
					ia->has_addr_status = 1;
					ia->addr_status = load_be16(s.val);
				}
			}
			if (rc < 0)
				return rc;
		}
	}
	return rc;
}

int dhcp6_duid_decode(const uint8_t *val, size_t len, struct dhcp6_duid *d)
{
	struct rd r;

	memset(d, 0, sizeof(*d));
	if (val == NULL || len < 3 || len > DHCP6_DUID_MAX)
		return E_RANGE;                 /* §9.1: 1..128 bytes after the type */
	rd_init(&r, val, len);
	d->type = rd_u16(&r);
	switch (d->type) {
	case DHCP6_DUID_LLT:                    /* §9.2 */
		d->hwtype = rd_u16(&r);
		d->time = rd_u32(&r);
		break;
	case DHCP6_DUID_EN:                     /* §9.3 */
		d->enterprise = rd_u32(&r);
		break;
	case DHCP6_DUID_LL:                     /* §9.4 */
		d->hwtype = rd_u16(&r);
		break;
	default:
		return E_UNSUPPORTED;
	}
	if (r.err || r.left == 0)
		return E_SHORT;
	d->id = r.p;
	d->id_len = r.left;
	return 0;
}

static int duid_build(uint8_t *out, size_t outsz, const uint8_t *hdr, size_t hl,
		      const uint8_t *id, size_t id_len)
{
	if (out == NULL || id == NULL || id_len == 0)
		return E_INVAL;
	if (hl + id_len > DHCP6_DUID_MAX || hl + id_len > outsz)
		return E_OVERFLOW;
	memcpy(out, hdr, hl);
	memcpy(out + hl, id, id_len);
	return (int)(hl + id_len);
}

int dhcp6_duid_llt(uint8_t *out, size_t outsz, uint16_t hwtype, uint32_t time,
		   const uint8_t *ll, size_t ll_len)
{
	uint8_t h[8];

	store_be16(h, DHCP6_DUID_LLT);
	store_be16(h + 2, hwtype);
	store_be32(h + 4, time);
	return duid_build(out, outsz, h, sizeof(h), ll, ll_len);
}

int dhcp6_duid_en(uint8_t *out, size_t outsz, uint32_t enterprise, const uint8_t *id,
		  size_t id_len)
{
	uint8_t h[6];

	store_be16(h, DHCP6_DUID_EN);
	store_be32(h + 2, enterprise);
	return duid_build(out, outsz, h, sizeof(h), id, id_len);
}

int dhcp6_duid_ll(uint8_t *out, size_t outsz, uint16_t hwtype, const uint8_t *ll,
		  size_t ll_len)
{
	uint8_t h[4];

	store_be16(h, DHCP6_DUID_LL);
	store_be16(h + 2, hwtype);
	return duid_build(out, outsz, h, sizeof(h), ll, ll_len);
}

int dhcp6_oro_decode(const uint8_t *val, size_t len, uint16_t *out, size_t max)
{
	size_t i, n;

	if (len % 2)
		return E_PROTO;
	n = len / 2;
	if (n > max)
		n = max;
	for (i = 0; i < n; i++)
		out[i] = load_be16(val + 2 * i);
	return (int)n;
}

int dhcp6_oro_has(const uint8_t *val, size_t len, uint16_t code)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		if (load_be16(val + i) == code)
			return 1;
	return 0;
}

int dhcp6_vendor_opts(const struct dhcp6_msg *m, uint32_t enterprise, const uint8_t **data)
{
	const uint8_t *v;
	unsigned i;
	int n;

	for (i = 0; (n = dhcp6_opt_nth(m->opts, m->opts_len, DHCP6_O_VENDOR_OPTS, i, &v)) >= 0;
	     i++) {
		if (n >= 4 && load_be32(v) == enterprise) {  /* §22.17 */
			*data = v + 4;
			return n - 4;
		}
	}
	return E_NOTFOUND;
}

int dhcp6_vendor_class_has(const struct dhcp6_msg *m, uint32_t enterprise, const char *cls)
{
	const uint8_t *v;
	size_t cl = strlen(cls);
	unsigned i;
	int n, found = 0;

	for (i = 0; (n = dhcp6_opt_nth(m->opts, m->opts_len, DHCP6_O_VENDOR_CLASS, i, &v)) >= 0;
	     i++) {
		struct rd r;

		if (n < 4 || load_be32(v) != enterprise)
			continue;
		found = 1;
		rd_init(&r, v + 4, (size_t)n - 4);  /* §22.16: len(2) data items */
		while (r.left) {
			uint16_t l = rd_u16(&r);
			const uint8_t *d = rd_bytes(&r, l);

			if (r.err)
				break;
			if (l == cl && memcmp(d, cls, cl) == 0)
				return 1;
		}
	}
	return found ? 0 : E_NOTFOUND;
}

/* ---------------------------------------------------------------- encode */

void dhcp6_put_hdr(struct wr *w, enum dhcp6_type type, uint32_t xid)
{
	if (xid > 0xffffff) {
		wr_fail(w, E_INVAL);
		return;
	}
	wr_u8(w, (uint8_t)type);
	wr_u8(w, (uint8_t)(xid >> 16));
	wr_u16(w, (uint16_t)xid);
}

void dhcp6_put_opt(struct wr *w, uint16_t code, const void *val, size_t len)
{
	if (len && val == NULL) {
		wr_fail(w, E_INVAL);
		return;
	}
	tlv_put(w, TLV_16_16, code, val, len);
}

void dhcp6_put_u16(struct wr *w, uint16_t code, uint16_t v)
{
	tlv_put_u16(w, TLV_16_16, code, v);
}

size_t dhcp6_open(struct wr *w, uint16_t code)
{
	return tlv_open(w, TLV_16_16, code);
}

void dhcp6_close(struct wr *w, size_t at)
{
	tlv_close(w, TLV_16_16, at);
}

void dhcp6_put_elapsed(struct wr *w, uint16_t centisecs)
{
	dhcp6_put_u16(w, DHCP6_O_ELAPSED, centisecs);
}

void dhcp6_put_oro(struct wr *w, const uint16_t *codes, size_t n)
{
	size_t at = dhcp6_open(w, DHCP6_O_ORO), i;

	for (i = 0; i < n; i++)
		wr_u16(w, codes[i]);
	dhcp6_close(w, at);
}

void dhcp6_put_ia_na(struct wr *w, uint32_t iaid, uint32_t t1, uint32_t t2,
		     const uint8_t *addr, uint32_t preferred, uint32_t valid)
{
	size_t at = dhcp6_open(w, DHCP6_O_IA_NA);

	wr_u32(w, iaid);
	wr_u32(w, t1);
	wr_u32(w, t2);
	if (addr) {
		size_t a = dhcp6_open(w, DHCP6_O_IAADDR);

		wr_bytes(w, addr, 16);
		wr_u32(w, preferred);
		wr_u32(w, valid);
		dhcp6_close(w, a);
	}
	dhcp6_close(w, at);
}

void dhcp6_put_status(struct wr *w, uint16_t code, const char *msg)
{
	size_t at = dhcp6_open(w, DHCP6_O_STATUS);

	wr_u16(w, code);
	if (msg)
		wr_bytes(w, msg, strlen(msg));
	dhcp6_close(w, at);
}

void dhcp6_put_vendor_class(struct wr *w, uint32_t enterprise, const char *cls)
{
	size_t at = dhcp6_open(w, DHCP6_O_VENDOR_CLASS);
	size_t n = cls ? strlen(cls) : 0;

	wr_u32(w, enterprise);
	if (n > 0xffff) {
		wr_fail(w, E_OVERFLOW);
		return;
	}
	wr_u16(w, (uint16_t)n);
	wr_bytes(w, cls, n);
	dhcp6_close(w, at);
}

size_t dhcp6_vendor_open(struct wr *w, uint32_t enterprise)
{
	size_t at = dhcp6_open(w, DHCP6_O_VENDOR_OPTS);

	wr_u32(w, enterprise);
	return at;
}

void dhcp6_put_fqdn(struct wr *w, uint8_t flags, const char *name)
{
	size_t at = dhcp6_open(w, DHCP6_O_FQDN);

	wr_u8(w, flags);                        /* RFC 4704 §4.1 */
	if (name && name[0])                    /* §4.2: empty name = no bytes */
		dnsname_encode(w, name);
	dhcp6_close(w, at);
}
