/*
 * dhcp4.c: DHCPv4 message codec (RFC 2131, RFC 2132, RFC 3396, RFC 3925,
 * RFC 4361).  Decode validates framing once; lookups then walk trusted areas.
 * No I/O, no policy, no globals.
 */
#include "tlv/dhcp4.h"

#include <string.h>

#include "platform/bytes.h"
#include "platform/err.h"
#include "tlv/rd.h"

static const char *const why_name[DHCP4__WHY_COUNT] = {
	[DHCP4_OK] = "ok",
	[DHCP4_SHORT_HEADER] = "short header",
	[DHCP4_BAD_COOKIE] = "bad magic cookie",
	[DHCP4_OPT_PAST_END] = "option past end",
	[DHCP4_MISSING_END] = "missing end option",
	[DHCP4_BAD_OVERLOAD] = "bad overload option",
	[DHCP4_BAD_HLEN] = "bad hardware address length",
};
_Static_assert(sizeof(why_name) / sizeof(why_name[0]) == DHCP4__WHY_COUNT, "why_name");

const char *dhcp4_why_str(enum dhcp4_why why)
{
	if ((unsigned)why >= DHCP4__WHY_COUNT)
		return "?";
	return why_name[why];
}

static const char *const type_name[] = {
	[0] = "none", [DHCP4_DISCOVER] = "DISCOVER", [DHCP4_OFFER] = "OFFER",
	[DHCP4_REQUEST] = "REQUEST", [DHCP4_DECLINE] = "DECLINE", [DHCP4_ACK] = "ACK",
	[DHCP4_NAK] = "NAK", [DHCP4_RELEASE] = "RELEASE", [DHCP4_INFORM] = "INFORM",
};

const char *dhcp4_type_str(unsigned type)
{
	if (type >= sizeof(type_name) / sizeof(type_name[0]))
		return "?";
	return type_name[type];
}

static int fail(struct dhcp4_msg *m, int err, enum dhcp4_why why, size_t off)
{
	m->why = why;
	m->err_off = off;
	return err;
}

/*
 * Check one option area: every option whole, an End present (RFC 2131 §4.1
 * requires End in options, and in file/sname when overloaded).  Sets the
 * area's length to the bytes before End.  In the options area, picks up
 * option 52 (RFC 2132 §9.3: it must appear there, and only there counts).
 */
static int area_check(struct dhcp4_msg *m, const uint8_t *base, unsigned area,
		      const uint8_t *p, size_t len)
{
	struct rd r;
	int seen52 = 0;

	r.base = base;
	r.p = p;
	r.left = len;
	r.err = 0;
	while (r.left) {
		size_t at = rd_off(&r);
		uint8_t code = rd_u8(&r), l;
		const uint8_t *v;

		if (code == DHCP4_O_PAD)
			continue;
		if (code == DHCP4_O_END) {
			m->area[area] = p;
			m->area_len[area] = at - (size_t)(p - base);
			return 0;
		}
		l = rd_u8(&r);
		v = rd_bytes(&r, l);
		if (r.err)
			return fail(m, E_SHORT, DHCP4_OPT_PAST_END, at);
		if (area == DHCP4_AREA_OPTS && code == DHCP4_O_OVERLOAD) {
			/* §9.3: one byte, 1 = file, 2 = sname, 3 = both.  A split
			 * (RFC 3396) overload option would not be one byte. */
			if (seen52++ || l != 1 || v[0] < 1 || v[0] > 3)
				return fail(m, E_PROTO, DHCP4_BAD_OVERLOAD, at);
			m->overload = v[0];
		}
	}
	return fail(m, E_PROTO, DHCP4_MISSING_END, (size_t)(p - base) + len);
}

int dhcp4_decode(struct dhcp4_msg *m, const void *buf, size_t len)
{
	struct rd r;
	const uint8_t *b = buf;
	int rc;

	memset(m, 0, sizeof(*m));
	rd_init(&r, buf, len);
	if (buf == NULL || len < DHCP4_OPTS_OFF)
		return fail(m, E_SHORT, DHCP4_SHORT_HEADER, len);
	/* RFC 2131 §2, Figure 1 */
	m->op = rd_u8(&r);
	m->htype = rd_u8(&r);
	m->hlen = rd_u8(&r);
	m->hops = rd_u8(&r);
	m->xid = rd_u32(&r);
	m->secs = rd_u16(&r);
	m->flags = rd_u16(&r);
	m->ciaddr = rd_u32(&r);
	m->yiaddr = rd_u32(&r);
	m->siaddr = rd_u32(&r);
	m->giaddr = rd_u32(&r);
	rd_copy(&r, m->chaddr, DHCP4_CHADDR_LEN);
	m->sname = rd_bytes(&r, DHCP4_SNAME_LEN);
	m->file = rd_bytes(&r, DHCP4_FILE_LEN);
	if (rd_u32(&r) != DHCP4_COOKIE)          /* RFC 2131 §3 */
		return fail(m, E_PROTO, DHCP4_BAD_COOKIE, DHCP4_HDR_LEN);
	if (m->hlen > DHCP4_CHADDR_LEN)
		return fail(m, E_PROTO, DHCP4_BAD_HLEN, 2);
	rc = area_check(m, b, DHCP4_AREA_OPTS, b + DHCP4_OPTS_OFF, len - DHCP4_OPTS_OFF);
	if (rc)
		return rc;
	/* RFC 2132 §9.3 / RFC 3396 §5: file is read before sname. */
	if (m->overload & 1) {
		rc = area_check(m, b, DHCP4_AREA_FILE, m->file, DHCP4_FILE_LEN);
		if (rc)
			return rc;
	}
	if (m->overload & 2) {
		rc = area_check(m, b, DHCP4_AREA_SNAME, m->sname, DHCP4_SNAME_LEN);
		if (rc)
			return rc;
	}
	if (dhcp4_opt_u8(m, DHCP4_O_MSG_TYPE, &m->msg_type))
		m->msg_type = 0;
	return 0;
}

void dhcp4_opt_it_init(struct dhcp4_opt_it *it, const struct dhcp4_msg *m)
{
	it->m = m;
	it->area = 0;
	it->i = 0;
}

int dhcp4_opt_next(struct dhcp4_opt_it *it, uint8_t *code, const uint8_t **val, size_t *len)
{
	const struct dhcp4_msg *m = it->m;

	while (it->area < 3) {
		const uint8_t *p = m->area[it->area];
		size_t n = p ? m->area_len[it->area] : 0;
		uint8_t c, l;

		if (it->i >= n) {
			it->area++;
			it->i = 0;
			continue;
		}
		c = p[it->i];
		if (c == DHCP4_O_PAD) {
			it->i++;
			continue;
		}
		/* Areas were checked by dhcp4_decode(); stay bounded anyway. */
		if (n - it->i < 2 || (l = p[it->i + 1]) > n - it->i - 2) {
			it->area = 3;
			return 0;
		}
		*code = c;
		*val = p + it->i + 2;
		*len = l;
		it->i += 2 + (size_t)l;
		return 1;
	}
	return 0;
}

int dhcp4_opt(const struct dhcp4_msg *m, uint8_t code, uint8_t *buf, size_t bufsz,
	      const uint8_t **val)
{
	struct dhcp4_opt_it it;
	const uint8_t *v, *first = NULL;
	size_t l, total = 0, firstlen = 0;
	unsigned count = 0;
	uint8_t c;

	if (code == DHCP4_O_PAD || code == DHCP4_O_END)
		return E_NOTFOUND;
	dhcp4_opt_it_init(&it, m);
	while (dhcp4_opt_next(&it, &c, &v, &l) == 1) {
		if (c != code)
			continue;
		if (count++ == 0) {
			first = v;
			firstlen = l;
		}
		total += l;
	}
	if (count == 0)
		return E_NOTFOUND;
	if (count == 1) {
		*val = first;
		return (int)firstlen;
	}
	/* RFC 3396 §7: concatenate every instance, in area order. */
	if (buf == NULL || total > bufsz)
		return E_OVERFLOW;
	total = 0;
	dhcp4_opt_it_init(&it, m);
	while (dhcp4_opt_next(&it, &c, &v, &l) == 1) {
		if (c != code)
			continue;
		if (l)
			memcpy(buf + total, v, l);
		total += l;
	}
	*val = buf;
	return (int)total;
}

int dhcp4_opt_has(const struct dhcp4_msg *m, uint8_t code)
{
	struct dhcp4_opt_it it;
	const uint8_t *v;
	size_t l;
	uint8_t c;

	dhcp4_opt_it_init(&it, m);
	while (dhcp4_opt_next(&it, &c, &v, &l) == 1)
		if (c == code)
			return 1;
	return 0;
}

/* Fixed-size value: exactly want bytes, else absent. */
static const uint8_t *opt_fixed(const struct dhcp4_msg *m, uint8_t code, uint8_t *buf,
				size_t want)
{
	const uint8_t *v;
	int n = dhcp4_opt(m, code, buf, want, &v);

	return n == (int)want ? v : NULL;
}

int dhcp4_opt_u8(const struct dhcp4_msg *m, uint8_t code, uint8_t *out)
{
	uint8_t b[1];
	const uint8_t *v = opt_fixed(m, code, b, 1);

	if (v == NULL)
		return E_NOTFOUND;
	*out = v[0];
	return 0;
}

int dhcp4_opt_u16(const struct dhcp4_msg *m, uint8_t code, uint16_t *out)
{
	uint8_t b[2];
	const uint8_t *v = opt_fixed(m, code, b, 2);

	if (v == NULL)
		return E_NOTFOUND;
	*out = load_be16(v);
	return 0;
}

int dhcp4_opt_u32(const struct dhcp4_msg *m, uint8_t code, uint32_t *out)
{
	uint8_t b[4];
	const uint8_t *v = opt_fixed(m, code, b, 4);

	if (v == NULL)
		return E_NOTFOUND;
	*out = load_be32(v);
	return 0;
}

int dhcp4_opt_s32(const struct dhcp4_msg *m, uint8_t code, int32_t *out)
{
	uint32_t u;
	int rc = dhcp4_opt_u32(m, code, &u);

	if (rc == 0)                        /* two's complement, RFC 2132 §3.4 */
		*out = u > 0x7fffffffu ? -(int32_t)(0xffffffffu - u) - 1 : (int32_t)u;
	return rc;
}

int dhcp4_opt_addr(const struct dhcp4_msg *m, uint8_t code, uint32_t *out)
{
	return dhcp4_opt_u32(m, code, out);
}

int dhcp4_opt_addrs(const struct dhcp4_msg *m, uint8_t code, uint32_t *out, size_t max)
{
	uint8_t buf[1024];
	const uint8_t *v;
	int n = dhcp4_opt(m, code, buf, sizeof(buf), &v);
	size_t i, cnt;

	if (n <= 0 || n % 4)
		return E_NOTFOUND;
	cnt = (size_t)n / 4;
	if (cnt > max)
		cnt = max;                  /* clamp, never overrun out[] */
	for (i = 0; i < cnt; i++)
		out[i] = load_be32(v + 4 * i);
	return (int)cnt;
}

int dhcp4_opt_str(const struct dhcp4_msg *m, uint8_t code, char *out, size_t outsz)
{
	const uint8_t *v;
	int n;

	if (out == NULL || outsz == 0)
		return E_INVAL;
	out[0] = '\0';
	n = dhcp4_opt(m, code, (uint8_t *)out, outsz - 1, &v);
	if (n < 0)
		return n;
	if ((size_t)n > outsz - 1)
		return E_OVERFLOW;
	if (n && memchr(v, 0, (size_t)n) != NULL) {
		/* RFC 2132 §2: text is not NUL-terminated; tolerate one trailing NUL. */
		if (memchr(v, 0, (size_t)n) != v + n - 1)
			return E_PROTO;
		n--;
	}
	memmove(out, v, (size_t)n);
	out[n] = '\0';
	return n;
}

static int field_str(const uint8_t *f, size_t flen, int overloaded, char *out, size_t outsz)
{
	size_t n;

	if (out && outsz)
		out[0] = '\0';
	if (f == NULL || overloaded)
		return E_NOTFOUND;
	n = strnlen((const char *)f, flen);
	if (n == 0)
		return E_NOTFOUND;
	if (out == NULL || n + 1 > outsz)
		return E_OVERFLOW;
	memcpy(out, f, n);
	out[n] = '\0';
	return (int)n;
}

int dhcp4_file(const struct dhcp4_msg *m, char *out, size_t outsz)
{
	return field_str(m->file, DHCP4_FILE_LEN, m->overload & 1, out, outsz);
}

int dhcp4_sname(const struct dhcp4_msg *m, char *out, size_t outsz)
{
	return field_str(m->sname, DHCP4_SNAME_LEN, m->overload & 2, out, outsz);
}

int dhcp4_vivso_find(const uint8_t *val, size_t len, uint32_t enterprise,
		     const uint8_t **data)
{
	struct rd r;

	rd_init(&r, val, len);
	while (r.left) {
		uint32_t ent = rd_u32(&r);          /* RFC 3925 §4 */
		uint8_t dl = rd_u8(&r);
		const uint8_t *d = rd_bytes(&r, dl);

		if (r.err)
			return E_SHORT;
		if (ent == enterprise) {
			*data = d;
			return dl;
		}
	}
	return E_NOTFOUND;
}

/* ---------------------------------------------------------------- encode */

static void put_field(struct wr *w, const char *s, size_t flen)
{
	size_t n = s ? strlen(s) : 0;
	uint8_t *p;

	if (n >= flen) {
		wr_fail(w, E_OVERFLOW);
		return;
	}
	p = wr_reserve(w, flen);
	if (p == NULL)
		return;
	memset(p, 0, flen);
	if (n)
		memcpy(p, s, n);
}

void dhcp4_put_hdr(struct wr *w, const struct dhcp4_hdr *h)
{
	wr_u8(w, h->op);
	wr_u8(w, h->htype);
	wr_u8(w, h->hlen);
	wr_u8(w, h->hops);
	wr_u32(w, h->xid);
	wr_u16(w, h->secs);
	wr_u16(w, h->flags);
	wr_u32(w, h->ciaddr);
	wr_u32(w, h->yiaddr);
	wr_u32(w, h->siaddr);
	wr_u32(w, h->giaddr);
	wr_bytes(w, h->chaddr, DHCP4_CHADDR_LEN);
	put_field(w, h->sname, DHCP4_SNAME_LEN);
	put_field(w, h->file, DHCP4_FILE_LEN);
	wr_u32(w, DHCP4_COOKIE);
}

void dhcp4_put_opt(struct wr *w, uint8_t code, const void *val, size_t len)
{
	const uint8_t *v = val;

	if (code == DHCP4_O_PAD || code == DHCP4_O_END || (len && val == NULL)) {
		wr_fail(w, E_INVAL);
		return;
	}
	/* RFC 3396 §6: split into consecutive instances of at most 255 bytes. */
	do {
		size_t n = len > 255 ? 255 : len;

		wr_u8(w, code);
		wr_u8(w, (uint8_t)n);
		wr_bytes(w, v, n);
		v += n;
		len -= n;
	} while (len);
}

void dhcp4_put_u8(struct wr *w, uint8_t code, uint8_t v)
{
	dhcp4_put_opt(w, code, &v, 1);
}

void dhcp4_put_u16(struct wr *w, uint8_t code, uint16_t v)
{
	uint8_t b[2];

	store_be16(b, v);
	dhcp4_put_opt(w, code, b, 2);
}

void dhcp4_put_u32(struct wr *w, uint8_t code, uint32_t v)
{
	uint8_t b[4];

	store_be32(b, v);
	dhcp4_put_opt(w, code, b, 4);
}

void dhcp4_put_end(struct wr *w)
{
	wr_u8(w, DHCP4_O_END);
	while (!w->err && w->len < DHCP4_MIN_LEN)
		wr_u8(w, DHCP4_O_PAD);
}

void dhcp4_put_msg_type(struct wr *w, enum dhcp4_type t)
{
	dhcp4_put_u8(w, DHCP4_O_MSG_TYPE, (uint8_t)t);
}

void dhcp4_put_prl(struct wr *w, const uint8_t *codes, size_t n)
{
	dhcp4_put_opt(w, DHCP4_O_PRL, codes, n);
}

void dhcp4_put_vendor_class(struct wr *w, const char *cls)
{
	dhcp4_put_opt(w, DHCP4_O_VENDOR_CLASS, cls, cls ? strlen(cls) : 0);
}

void dhcp4_put_client_id_4361(struct wr *w, uint32_t iaid, const uint8_t *duid, size_t duid_len)
{
	uint8_t b[5 + 130];

	/* RFC 4361 §6.1: type 255, IAID, DUID (RFC 3315 §9.1: at most 130 bytes). */
	if (duid_len == 0 || duid_len > 130 || duid == NULL) {
		wr_fail(w, E_INVAL);
		return;
	}
	b[0] = 255;
	store_be32(b + 1, iaid);
	memcpy(b + 5, duid, duid_len);
	dhcp4_put_opt(w, DHCP4_O_CLIENT_ID, b, 5 + duid_len);
}

void dhcp4_put_vivso(struct wr *w, uint32_t enterprise, const uint8_t *data, size_t len)
{
	uint8_t b[5 + 255];

	if (len > 255 || (len && data == NULL)) {
		wr_fail(w, E_INVAL);
		return;
	}
	store_be32(b, enterprise);          /* RFC 3925 §4 */
	b[4] = (uint8_t)len;
	if (len)
		memcpy(b + 5, data, len);
	dhcp4_put_opt(w, DHCP4_O_VIVSO, b, 5 + len);
}

void dhcp4_put_cl_oro(struct wr *w, const uint8_t *codes, size_t n)
{
	uint8_t b[2 + 253];

	if (n > 253 || (n && codes == NULL)) {
		wr_fail(w, E_INVAL);
		return;
	}
	b[0] = 1;                           /* CL_V4OPTION_ORO, spec Table 2 CM1 */
	b[1] = (uint8_t)n;
	if (n)
		memcpy(b + 2, codes, n);
	dhcp4_put_vivso(w, DHCP4_ENTERPRISE_CL, b, 2 + n);
}

static void sub_str(uint8_t *b, size_t *o, size_t cap, int *bad, uint8_t code, const void *v,
		    size_t n)
{
	if (v == NULL || n == 0)
		return;
	if (n > 255 || *o + 2 + n > cap) {
		*bad = 1;
		return;
	}
	b[(*o)++] = code;
	b[(*o)++] = (uint8_t)n;
	memcpy(b + *o, v, n);
	*o += n;
}

void dhcp4_put_cl43(struct wr *w, const struct dhcp4_cl43 *v)
{
	uint8_t b[1024], cid[4];
	size_t o = 0;
	int bad = 0;

#define S(code, s) sub_str(b, &o, sizeof(b), &bad, code, s, (s) ? strlen(s) : 0)
	S(1, v->sub_req);
	S(2, v->device_type);
	S(3, v->esafe_types);
	S(4, v->serial);
	S(5, v->hw_version);
	S(6, v->sw_version);
	S(7, v->boot_rom);
	sub_str(b, &o, sizeof(b), &bad, 8, v->oui, v->oui ? 3 : 0);
	S(9, v->model);
	S(10, v->vendor);
#undef S
	sub_str(b, &o, sizeof(b), &bad, 31, v->mac, v->mac ? 6 : 0);
	if (v->has_correlation_id) {
		store_be32(cid, v->correlation_id);
		sub_str(b, &o, sizeof(b), &bad, 32, cid, 4);
	}
	if (bad) {
		wr_fail(w, E_OVERFLOW);
		return;
	}
	dhcp4_put_opt(w, DHCP4_O_VENDOR, b, o);
}
