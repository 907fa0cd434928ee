/* ber.c: minimal, overflow-checked BER for SNMP VarBinds (see ber.h). */
#include "tlv/ber.h"

#include <stdio.h>

static const char *const ber_why_names[] = {
	[BER_OK] = "ok",
	[BER_E_SHORT] = "BER item runs past its container",
	[BER_E_TAG] = "multi-byte BER tag",
	[BER_E_LEN_INDEF] = "indefinite BER length",
	[BER_E_LEN_BIG] = "BER length too large",
	[BER_E_NOT_SEQ] = "VarBind is not a SEQUENCE",
	[BER_E_NOT_OID] = "VarBind name is not an OBJECT IDENTIFIER",
	[BER_E_TYPE] = "unsupported value type",
	[BER_E_INT_EMPTY] = "empty INTEGER",
	[BER_E_INT_NONMIN] = "non-minimal INTEGER",
	[BER_E_INT_RANGE] = "INTEGER out of range for its type",
	[BER_E_NULL_LEN] = "NULL with content",
	[BER_E_IPADDR_LEN] = "IpAddress not 4 bytes",
	[BER_E_OID_EMPTY] = "empty OBJECT IDENTIFIER",
	[BER_E_OID_NONMIN] = "non-minimal OID sub-identifier",
	[BER_E_OID_BIG] = "OID sub-identifier above 2^32-1",
	[BER_E_OID_TRUNC] = "truncated OID sub-identifier",
	[BER_E_OID_LONG] = "OID has more than 128 arcs",
	[BER_E_TRAILING] = "trailing bytes after VarBind",
};
_Static_assert(sizeof(ber_why_names) / sizeof(ber_why_names[0]) == BER_WHY_COUNT,
	       "ber_why_names must name every reason");

const char *ber_why_name(int why)
{
	if (why < 0 || why >= BER_WHY_COUNT)
		return "unknown BER error";
	return ber_why_names[why];
}

static const struct {
	uint8_t tag;
	const char *name;
} ber_tags[] = {
	{ BER_INTEGER, "INTEGER" },     { BER_OCTETS, "OCTET STRING" },
	{ BER_NULL, "NULL" },           { BER_OID, "OBJECT IDENTIFIER" },
	{ BER_IPADDR, "IpAddress" },    { BER_COUNTER32, "Counter32" },
	{ BER_GAUGE32, "Gauge32" },     { BER_TIMETICKS, "TimeTicks" },
	{ BER_OPAQUE, "Opaque" },       { BER_COUNTER64, "Counter64" },
};

const char *ber_tag_name(uint8_t tag)
{
	size_t i;

	for (i = 0; i < sizeof(ber_tags) / sizeof(ber_tags[0]); i++)
		if (ber_tags[i].tag == tag)
			return ber_tags[i].name;
	return NULL;
}

static int ber_fail(struct ber_err *e, int why, size_t off, int code)
{
	e->why = why;
	e->off = off;
	return code;
}

int ber_get_tl(struct rd *r, struct ber_tl *tl, struct ber_err *e)
{
	uint8_t b;
	unsigned i, n;
	size_t len = 0;

	tl->off = rd_off(r);
	tl->tag = rd_u8(r);
	b = rd_u8(r);
	if (r->err)
		return ber_fail(e, BER_E_SHORT, tl->off, E_SHORT);
	if ((tl->tag & 0x1f) == 0x1f)   /* X.690 8.1.2.4: high tag number form */
		return ber_fail(e, BER_E_TAG, tl->off, E_PROTO);
	tl->lenw = 0;
	if (b < 0x80) {
		len = b;
	} else if (b == 0x80) {         /* X.690 8.1.3.6: indefinite form */
		return ber_fail(e, BER_E_LEN_INDEF, tl->off + 1, E_PROTO);
	} else {
		n = b & 0x7fu;
		if (n > 4)              /* also catches 0xff, reserved by 8.1.3.5 c) */
			return ber_fail(e, BER_E_LEN_BIG, tl->off + 1, E_OVERFLOW);
		for (i = 0; i < n; i++)
			len = len << 8 | rd_u8(r);
		if (r->err)
			return ber_fail(e, BER_E_SHORT, tl->off, E_SHORT);
		tl->lenw = (uint8_t)n;
	}
	if (len > r->left)
		return ber_fail(e, BER_E_SHORT, tl->off, E_SHORT);
	tl->len = len;
	return 0;
}

int ber_oid_check(const uint8_t *p, size_t n, size_t base_off, struct ber_err *e)
{
	size_t i, start = 0;
	uint64_t v = 0;
	int arcs = 0;

	if (n == 0)
		return ber_fail(e, BER_E_OID_EMPTY, base_off, E_PROTO);
	for (i = 0; i < n; i++) {
		if (i == start && p[i] == 0x80)     /* X.690 8.19.2 */
			return ber_fail(e, BER_E_OID_NONMIN, base_off + i, E_PROTO);
		v = v << 7 | (p[i] & 0x7fu);
		if (v > 0xffffffffu)
			return ber_fail(e, BER_E_OID_BIG, base_off + start, E_RANGE);
		if (!(p[i] & 0x80)) {
			arcs += start == 0 ? 2 : 1;
			if (arcs > BER_OID_MAX)
				return ber_fail(e, BER_E_OID_LONG, base_off + start, E_RANGE);
			start = i + 1;
			v = 0;
		}
	}
	if (start != n)
		return ber_fail(e, BER_E_OID_TRUNC, base_off + n - 1, E_PROTO);
	return arcs;
}

int ber_oid_arcs(const uint8_t *p, size_t n, uint32_t *arcs, size_t max)
{
	struct ber_err e;
	size_t i, k = 0;
	uint32_t v = 0;
	int cnt = ber_oid_check(p, n, 0, &e);

	if (cnt < 0)
		return cnt;
	if ((size_t)cnt > max)
		return E_OVERFLOW;
	for (i = 0; i < n; i++) {
		v = v << 7 | (p[i] & 0x7fu);
		if (p[i] & 0x80)
			continue;
		if (k == 0) {   /* X.690 8.19.4: first sub-identifier is X*40+Y */
			arcs[0] = v < 40 ? 0 : v < 80 ? 1 : 2;
			arcs[1] = v - arcs[0] * 40;
			k = 2;
		} else {
			arcs[k++] = v;
		}
		v = 0;
	}
	return cnt;
}

size_t ber_oid_fmt(const uint8_t *p, size_t n, char *buf, size_t cap)
{
	uint32_t arcs[BER_OID_MAX];
	int cnt = ber_oid_arcs(p, n, arcs, BER_OID_MAX);
	size_t len = 0;
	int i, k;

	if (cap)
		buf[0] = '\0';
	if (cnt < 0)
		return 0;
	for (i = 0; i < cnt; i++) {
		k = snprintf(len < cap ? buf + len : NULL, len < cap ? cap - len : 0,
			     i ? ".%lu" : "%lu", (unsigned long)arcs[i]);
		if (k > 0)
			len += (size_t)k;
	}
	return len;
}

static void ber_put_subid(struct wr *w, uint32_t v)
{
	uint8_t b[5];
	int n = 0;

	do {
		b[n++] = (uint8_t)(v & 0x7f);
		v >>= 7;
	} while (v);
	while (n > 1)
		wr_u8(w, (uint8_t)(b[--n] | 0x80));
	wr_u8(w, b[0]);
}

int ber_oid_put(struct wr *w, const uint32_t *arcs, size_t n)
{
	uint64_t first;
	size_t i;

	if (n < 2 || n > BER_OID_MAX || arcs[0] > 2 || (arcs[0] < 2 && arcs[1] >= 40))
		return E_RANGE;
	first = (uint64_t)arcs[0] * 40 + arcs[1];
	if (first > 0xffffffffu)
		return E_RANGE;
	ber_put_subid(w, (uint32_t)first);
	for (i = 2; i < n; i++)
		ber_put_subid(w, arcs[i]);
	return w->err;
}

static uint8_t ber_len_bytes(size_t len)
{
	uint8_t n = 0;

	if (len < 0x80)
		return 0;
	while (len) {
		n++;
		len >>= 8;
	}
	return n;
}

static size_t ber_tl_size(size_t len, uint8_t lenw)
{
	return 2 + (size_t)(lenw ? lenw : ber_len_bytes(len));
}

void ber_put_tl(struct wr *w, uint8_t tag, size_t len, uint8_t lenw)
{
	uint8_t n = lenw ? lenw : ber_len_bytes(len);
	unsigned i;

	if (n > 4 || (n == 0 ? len >= 0x80 : ((uint64_t)len >> (8 * n)) != 0)) {
		wr_fail(w, E_OVERFLOW);
		return;
	}
	wr_u8(w, tag);
	if (n == 0) {
		wr_u8(w, (uint8_t)len);
		return;
	}
	wr_u8(w, (uint8_t)(0x80 | n));
	for (i = n; i > 0; i--)
		wr_u8(w, (uint8_t)(len >> (8 * (i - 1))));
}

size_t ber_int_bytes(int64_t v, uint8_t out[9])
{
	uint8_t tmp[8];
	size_t n = 8, i;

	for (i = 0; i < 8; i++)
		tmp[i] = (uint8_t)((uint64_t)v >> (56 - 8 * i));
	i = 0;
	/* X.690 8.3.2: drop a leading byte that only repeats the sign bit. */
	while (n > 1 && ((tmp[i] == 0x00 && !(tmp[i + 1] & 0x80)) ||
			 (tmp[i] == 0xff && (tmp[i + 1] & 0x80)))) {
		i++;
		n--;
	}
	for (size_t k = 0; k < n; k++)
		out[k] = tmp[i + k];
	return n;
}

size_t ber_uint_bytes(uint64_t v, uint8_t out[9])
{
	size_t n;

	if (v >> 63) {          /* needs a leading 0x00 to stay positive */
		out[0] = 0;
		for (n = 0; n < 8; n++)
			out[1 + n] = (uint8_t)(v >> (56 - 8 * n));
		return 9;
	}
	return ber_int_bytes((int64_t)v, out);
}

/* INTEGER-shaped contents: minimal, and within [lo, hi] (unsigned when lo>=0). */
static int ber_num(const uint8_t *p, size_t n, size_t off, uint8_t tag, struct ber_vb *vb,
		   struct ber_err *e)
{
	size_t maxlen = tag == BER_INTEGER ? 4 : tag == BER_COUNTER64 ? 9 : 5;
	uint64_t u = 0;
	size_t i;

	if (n == 0)
		return ber_fail(e, BER_E_INT_EMPTY, off, E_PROTO);
	if (n > 1 && ((p[0] == 0x00 && !(p[1] & 0x80)) || (p[0] == 0xff && (p[1] & 0x80))))
		return ber_fail(e, BER_E_INT_NONMIN, off, E_PROTO);
	/* unsigned types: non-negative, and a full-width value only with a 0x00 lead */
	if (n > maxlen || (tag != BER_INTEGER && ((p[0] & 0x80) || (n == maxlen && p[0] != 0))))
		return ber_fail(e, BER_E_INT_RANGE, off, E_RANGE);
	if (p[0] & 0x80)
		u = ~(uint64_t)0;       /* sign-extend a negative INTEGER */
	for (i = 0; i < n; i++)
		u = u << 8 | p[i];
	vb->u64 = u;
	vb->num = tag == BER_COUNTER64 ? 0 : (int64_t)u;
	return 0;
}

int ber_vb_decode(struct rd *r, struct ber_vb *vb, struct ber_err *e)
{
	struct ber_tl seq, name, val;
	struct rd s;
	int rc;

	e->why = BER_OK;
	e->off = rd_off(r);
	vb->num = 0;
	vb->u64 = 0;
	if ((rc = ber_get_tl(r, &seq, e)) != 0)
		return rc;
	vb->off = seq.off;
	if (seq.tag != BER_SEQ)
		return ber_fail(e, BER_E_NOT_SEQ, seq.off, E_PROTO);
	vb->seq_lenw = seq.lenw;
	s = rd_sub(r, seq.len);
	if (r->left)
		return ber_fail(e, BER_E_TRAILING, rd_off(r), E_TRAILING);

	if ((rc = ber_get_tl(&s, &name, e)) != 0)
		return rc;
	if (name.tag != BER_OID)
		return ber_fail(e, BER_E_NOT_OID, name.off, E_PROTO);
	vb->oid_lenw = name.lenw;
	vb->oid_len = name.len;
	vb->oid = rd_bytes(&s, name.len);
	rc = ber_oid_check(vb->oid, vb->oid_len, name.off + 2 + name.lenw, e);
	if (rc < 0)
		return rc;

	if ((rc = ber_get_tl(&s, &val, e)) != 0)
		return rc;
	vb->val_off = val.off;
	vb->type = val.tag;
	vb->val_lenw = val.lenw;
	vb->val_len = val.len;
	vb->val = rd_bytes(&s, val.len);
	if (s.left)
		return ber_fail(e, BER_E_TRAILING, rd_off(&s), E_TRAILING);
	size_t coff = val.off + 2 + val.lenw;
	switch (val.tag) {
	case BER_INTEGER:
	case BER_COUNTER32:
	case BER_GAUGE32:
	case BER_TIMETICKS:
	case BER_COUNTER64:
		return ber_num(vb->val, vb->val_len, coff, val.tag, vb, e);
	case BER_OCTETS:
	case BER_OPAQUE:
		return 0;
	case BER_NULL:
		return vb->val_len ? ber_fail(e, BER_E_NULL_LEN, val.off, E_PROTO) : 0;
	case BER_IPADDR:
		return vb->val_len != 4 ? ber_fail(e, BER_E_IPADDR_LEN, val.off, E_PROTO) : 0;
	case BER_OID:
		rc = ber_oid_check(vb->val, vb->val_len, coff, e);
		return rc < 0 ? rc : 0;
	default:
		return ber_fail(e, BER_E_TYPE, val.off, E_UNSUPPORTED);
	}
}

size_t ber_vb_size(const struct ber_vb *vb)
{
	size_t inner = ber_tl_size(vb->oid_len, vb->oid_lenw) + vb->oid_len +
		       ber_tl_size(vb->val_len, vb->val_lenw) + vb->val_len;

	return ber_tl_size(inner, vb->seq_lenw) + inner;
}

void ber_vb_encode(struct wr *w, const struct ber_vb *vb)
{
	size_t inner = ber_tl_size(vb->oid_len, vb->oid_lenw) + vb->oid_len +
		       ber_tl_size(vb->val_len, vb->val_lenw) + vb->val_len;

	ber_put_tl(w, BER_SEQ, inner, vb->seq_lenw);
	ber_put_tl(w, BER_OID, vb->oid_len, vb->oid_lenw);
	wr_bytes(w, vb->oid, vb->oid_len);
	ber_put_tl(w, vb->type, vb->val_len, vb->val_lenw);
	wr_bytes(w, vb->val, vb->val_len);
}
