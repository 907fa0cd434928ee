/* cfgfile.c: eUE configuration file decode/encode (see cfgfile.h). */
#include "tlv/cfgfile.h"

#include <stdio.h>
#include <string.h>

#include "tlv/tlv.h"

static const char *const cfg_why_names[] = {
	[CFG_OK] = "ok",
	[CFG_E_EMPTY] = "empty file",
	[CFG_E_TRUNC_HDR] = "TLV header cut short",
	[CFG_E_TRUNC_VALUE] = "TLV length runs past the end of the file",
	[CFG_E_UNKNOWN_TLV] = "unknown TLV type",
	[CFG_E_NO_START] = "first TLV is not the start marker 254=1",
	[CFG_E_DELIM_LEN] = "TLV 254 length is not 1",
	[CFG_E_DELIM_VALUE] = "TLV 254 value is not 1 or 255",
	[CFG_E_DUP_START] = "second start marker",
	[CFG_E_NO_END] = "missing end marker 254=255",
	[CFG_E_AFTER_END] = "bytes after the end marker",
	[CFG_E_VARBIND] = "bad VarBind",
	[CFG_E_SUB_TRUNC] = "sub-TLV runs past its parent",
	[CFG_E_SUB_UNKNOWN] = "unknown TLV 38 sub-type",
	[CFG_E_SUB_LEN] = "TLV 38 sub-TLV has the wrong length",
	[CFG_E_SUB_DUP] = "TLV 38 sub-TLV repeated",
	[CFG_E_SUB_VALUE] = "TLV 38 sub-TLV value out of range",
	[CFG_E_VENDOR_ID] = "TLV 43 does not start with a 3-byte vendor ID 43.8",
	[CFG_E_TOO_MANY] = "too many TLVs",
	[CFG_E_HASH_MISSING] = "no pktcMtaDevProvConfigHash VarBind",
	[CFG_E_HASH_DUP] = "more than one hash VarBind",
	[CFG_E_HASH_FORMAT] = "hash VarBind is not OCTET STRING (SIZE 20)",
	[CFG_E_HASH_MISMATCH] = "configuration file hash mismatch",
};
_Static_assert(sizeof(cfg_why_names) / sizeof(cfg_why_names[0]) == CFG_WHY_COUNT,
	       "cfg_why_names must name every reason");

const char *cfg_why_name(int why)
{
	if (why < 0 || why >= CFG_WHY_COUNT)
		return "unknown config-file error";
	return cfg_why_names[why];
}

char *cfg_diag_str(const struct cfg_diag *d, char *buf, size_t cap)
{
	if (d->why == CFG_E_VARBIND || (d->why == CFG_E_SUB_VALUE && d->ber_why))
		snprintf(buf, cap, "offset %zu: %s: %s", d->off, cfg_why_name(d->why),
			 ber_why_name(d->ber_why));
	else
		snprintf(buf, cap, "offset %zu: %s", d->off, cfg_why_name(d->why));
	return buf;
}

static int cfg_fail(struct cfg_diag *d, int why, size_t off, int code)
{
	d->why = why;
	d->ber_why = BER_OK;
	d->off = off;
	return code;
}

/* Sizes of 38.x (0 = variable); spec 6.5, reference/config-file.md section 4. */
static const struct {
	uint8_t min, max;
} cfg_notify_len[] = {
	[CFG_N_IPV4] = { 4, 4 },    [CFG_N_PORT] = { 2, 2 },
	[CFG_N_TYPE] = { 2, 2 },    [CFG_N_TIMEOUT] = { 2, 2 },
	[CFG_N_RETRIES] = { 2, 2 }, [CFG_N_FILTER] = { 1, 255 },
	[CFG_N_SECNAME] = { 1, 16 },[CFG_N_IPV6] = { 16, 16 },
};

/*
 * 38.6 filter: accepted as a whole BER OBJECT IDENTIFIER (06 len ...), the
 * form DOCSIS tools write, or as bare OID contents.
 */
static int cfg_notify_filter(const struct tlv_item *s, struct cfg_diag *d)
{
	struct ber_err be;
	const uint8_t *p = s->val;
	size_t n = s->len, off = s->off + 2;

	if (n >= 2 && p[0] == BER_OID && p[1] == n - 2) {
		p += 2;
		n -= 2;
		off += 2;
	}
	if (ber_oid_check(p, n, off, &be) < 0) {
		cfg_fail(d, CFG_E_SUB_VALUE, be.off, E_PROTO);
		d->ber_why = be.why;
		return E_PROTO;
	}
	return 0;
}

static int cfg_check_notify(const struct rd *outer, const struct tlv_item *it,
			    struct cfg_diag *d)
{
	struct tlv_it sub;
	struct tlv_item s;
	unsigned seen = 0;
	int rc;

	tlv_it_sub(&sub, TLV_8_8, outer, it);
	while ((rc = tlv_next(&sub, &s)) == 1) {
		if (s.type < CFG_N_IPV4 || s.type > CFG_N_IPV6)
			return cfg_fail(d, CFG_E_SUB_UNKNOWN, s.off, E_UNSUPPORTED);
		if (seen & (1u << s.type))
			return cfg_fail(d, CFG_E_SUB_DUP, s.off, E_PROTO);
		seen |= 1u << s.type;
		if (s.len < cfg_notify_len[s.type].min || s.len > cfg_notify_len[s.type].max)
			return cfg_fail(d, CFG_E_SUB_LEN, s.off, E_PROTO);
		if (s.type == CFG_N_TYPE && (load_be16(s.val) < 1 || load_be16(s.val) > 5))
			return cfg_fail(d, CFG_E_SUB_VALUE, s.off + 2, E_RANGE);
		if (s.type == CFG_N_FILTER && cfg_notify_filter(&s, d) < 0)
			return E_PROTO;
	}
	if (rc < 0)
		return cfg_fail(d, CFG_E_SUB_TRUNC, tlv_it_off(&sub), E_SHORT);
	return 0;
}

static int cfg_check_vendor(const struct rd *outer, const struct tlv_item *it,
			    struct cfg_diag *d)
{
	struct tlv_it sub;
	struct tlv_item s;
	int rc, first = 1;

	tlv_it_sub(&sub, TLV_8_8, outer, it);
	while ((rc = tlv_next(&sub, &s)) == 1) {
		/* DOCSIS convention: 43.8 (vendor ID, an OUI) comes first. */
		if (first && (s.type != CFG_VENDOR_ID || s.len != 3))
			return cfg_fail(d, CFG_E_VENDOR_ID, s.off, E_PROTO);
		first = 0;
	}
	if (rc < 0)
		return cfg_fail(d, CFG_E_SUB_TRUNC, tlv_it_off(&sub), E_SHORT);
	if (first)
		return cfg_fail(d, CFG_E_VENDOR_ID, it->off, E_PROTO);
	return 0;
}

void cfg_it_init(struct cfg_it *it, const void *buf, size_t len)
{
	rd_init(&it->r, buf, len);
	it->state = 0;
	it->err = 0;
}

static int cfg_next_inner(struct cfg_it *it, struct cfg_item *item, struct cfg_diag *d)
{
	struct rd *r = &it->r;
	struct ber_err be;
	struct tlv_item ti;
	struct rd v;
	int rc;

	if (it->state == 2) {
		if (r->left)
			return cfg_fail(d, CFG_E_AFTER_END, rd_off(r), E_TRAILING);
		return 0;
	}
	if (r->left == 0)
		return it->state == 0 && rd_off(r) == 0
			       ? cfg_fail(d, CFG_E_EMPTY, 0, E_SHORT)
			       : cfg_fail(d, CFG_E_NO_END, rd_off(r), E_SHORT);

	memset(item, 0, sizeof(*item));
	item->off = rd_off(r);
	item->type = r->p[0];
	item->hdr = item->type == CFG_T_VARBIND64 ? 3 : 2;
	if (r->left < item->hdr)
		return cfg_fail(d, CFG_E_TRUNC_HDR, item->off, E_SHORT);
	item->len = item->hdr == 3 ? load_be16(r->p + 1) : r->p[1];
	if (r->left - item->hdr < item->len)
		return cfg_fail(d, CFG_E_TRUNC_VALUE, item->off, E_SHORT);
	rd_bytes(r, item->hdr);
	v = rd_sub(r, item->len);
	item->val = v.p;

	if (it->state == 0 && item->type != CFG_T_DELIM)
		return cfg_fail(d, CFG_E_NO_START, item->off, E_PROTO);
	switch (item->type) {
	case CFG_T_DELIM:
		if (item->len != 1)
			return cfg_fail(d, CFG_E_DELIM_LEN, item->off, E_PROTO);
		if (item->val[0] == CFG_DELIM_START) {
			if (it->state != 0)
				return cfg_fail(d, CFG_E_DUP_START, item->off, E_PROTO);
			it->state = 1;
		} else if (item->val[0] == CFG_DELIM_END) {
			if (it->state == 0)
				return cfg_fail(d, CFG_E_NO_START, item->off, E_PROTO);
			it->state = 2;
		} else {
			return cfg_fail(d, it->state == 0 ? CFG_E_NO_START : CFG_E_DELIM_VALUE,
					item->off + item->hdr, E_PROTO);
		}
		return 1;
	case CFG_T_VARBIND:
	case CFG_T_VARBIND64:
		rc = ber_vb_decode(&v, &item->vb, &be);
		if (rc < 0) {
			cfg_fail(d, CFG_E_VARBIND, be.off, rc);
			d->ber_why = be.why;
			return rc;
		}
		return 1;
	case CFG_T_NOTIFY:
		ti.type = item->type;
		ti.len = item->len;
		ti.val = item->val;
		ti.off = item->off;
		rc = cfg_check_notify(r, &ti, d);
		return rc < 0 ? rc : 1;
	case CFG_T_VENDOR:
		ti.type = item->type;
		ti.len = item->len;
		ti.val = item->val;
		ti.off = item->off;
		rc = cfg_check_vendor(r, &ti, d);
		return rc < 0 ? rc : 1;
	default:
		return cfg_fail(d, CFG_E_UNKNOWN_TLV, item->off, E_UNSUPPORTED);
	}
}

int cfg_next(struct cfg_it *it, struct cfg_item *item, struct cfg_diag *d)
{
	int rc;

	if (it->err)    /* sticky: *d was filled by the call that failed */
		return it->err;
	d->why = CFG_OK;
	d->ber_why = BER_OK;
	d->off = 0;
	rc = cfg_next_inner(it, item, d);
	if (rc < 0)
		it->err = rc;
	return rc;
}

int cfg_parse(const void *buf, size_t len, struct cfg_item *items, size_t max,
	      struct cfg_diag *d)
{
	struct cfg_it it;
	struct cfg_item tmp;
	size_t n = 0;
	int rc;

	cfg_it_init(&it, buf, len);
	for (;;) {
		rc = cfg_next(&it, n < max ? &items[n] : &tmp, d);
		if (rc <= 0)
			break;
		if (n >= max)
			return cfg_fail(d, CFG_E_TOO_MANY, tmp.off, E_OVERFLOW);
		n++;
	}
	return rc < 0 ? rc : (int)n;
}

int cfg_check(const void *buf, size_t len, struct cfg_diag *d)
{
	struct cfg_it it;
	struct cfg_item tmp;
	int rc;

	cfg_it_init(&it, buf, len);
	while ((rc = cfg_next(&it, &tmp, d)) == 1)
		;
	return rc;
}

void cfg_encode_item(struct wr *w, const struct cfg_item *item)
{
	size_t vlen = item->len;

	if (item->type == CFG_T_VARBIND || item->type == CFG_T_VARBIND64)
		vlen = ber_vb_size(&item->vb);
	wr_u8(w, item->type);
	if (item->type == CFG_T_VARBIND64) {
		if (vlen > 0xffff) {
			wr_fail(w, E_OVERFLOW);
			return;
		}
		wr_u16(w, (uint16_t)vlen);
	} else {
		if (vlen > 0xff) {
			wr_fail(w, E_OVERFLOW);
			return;
		}
		wr_u8(w, (uint8_t)vlen);
	}
	if (item->type == CFG_T_VARBIND || item->type == CFG_T_VARBIND64)
		ber_vb_encode(w, &item->vb);
	else
		wr_bytes(w, item->val, item->len);
}

int cfg_encode(struct wr *w, const struct cfg_item *items, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		cfg_encode_item(w, &items[i]);
	return w->err;
}

void cfg_put_varbind(struct wr *w, const struct ber_vb *vb)
{
	struct cfg_item it;

	memset(&it, 0, sizeof(it));
	it.vb = *vb;
	/* Table 6: TLV 11 preferred; TLV 64 only when the VarBind needs it. */
	it.type = ber_vb_size(vb) > 0xff ? CFG_T_VARBIND64 : CFG_T_VARBIND;
	cfg_encode_item(w, &it);
}

/* reference/config-file.md section 2: the three hash OIDs, as BER contents. */
static const uint8_t oid_hash_cl[] = { 0x2b, 0x06, 0x01, 0x04, 0x01, 0xa3, 0x0b, 0x02,
				       0x02, 0x01, 0x01, 0x02, 0x07, 0x00 };
static const uint8_t oid_hash_eu[] = { 0x2b, 0x06, 0x01, 0x04, 0x01, 0xba, 0x08, 0x01,
				       0x01, 0x02, 0x09, 0x00 };
static const uint8_t oid_hash_ietf[] = { 0x2b, 0x06, 0x01, 0x02, 0x01, 0x81, 0x0c, 0x01,
					 0x02, 0x0b, 0x00 };

const struct cfg_hash_oid cfg_hash_oids[CFG_HASH_NFAMILY] = {
	[CFG_HASH_CL] = { "cablelabs", "1.3.6.1.4.1.4491.2.2.1.1.2.7.0", oid_hash_cl,
			  sizeof(oid_hash_cl) },
	[CFG_HASH_EU] = { "excentis", "1.3.6.1.4.1.7432.1.1.2.9.0", oid_hash_eu,
			  sizeof(oid_hash_eu) },
	[CFG_HASH_IETF] = { "ietf", "1.3.6.1.2.1.140.1.2.11.0", oid_hash_ietf,
			    sizeof(oid_hash_ietf) },
};

int cfg_hash_family_of(const struct ber_vb *vb)
{
	int f;

	for (f = 0; f < CFG_HASH_NFAMILY; f++)
		if (vb->oid_len == cfg_hash_oids[f].len &&
		    memcmp(vb->oid, cfg_hash_oids[f].oid, vb->oid_len) == 0)
			return f;
	return -1;
}

int cfg_hash_locate(const void *buf, size_t len, struct cfg_hash_loc *loc, struct cfg_diag *d)
{
	struct cfg_it it;
	struct cfg_item item;
	int rc, f, found = 0;

	memset(loc, 0, sizeof(*loc));
	loc->family = -1;
	cfg_it_init(&it, buf, len);
	while ((rc = cfg_next(&it, &item, d)) == 1) {
		if (item.type != CFG_T_VARBIND && item.type != CFG_T_VARBIND64)
			continue;
		f = cfg_hash_family_of(&item.vb);
		if (f < 0)
			continue;
		if (found)
			return cfg_fail(d, CFG_E_HASH_DUP, item.off, E_PROTO);
		if (item.vb.type != BER_OCTETS || item.vb.val_len != CFG_HASH_LEN)
			return cfg_fail(d, CFG_E_HASH_FORMAT, item.vb.val_off, E_RANGE);
		found = 1;
		loc->family = f;
		loc->off = item.off;
		loc->len = item.hdr + item.len;
		loc->digest = item.vb.val;
		loc->digest_len = item.vb.val_len;
	}
	if (rc < 0)
		return rc;
	if (!found)
		return cfg_fail(d, CFG_E_HASH_MISSING, 0, E_NOTFOUND);
	return 0;
}
