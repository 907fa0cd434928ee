/* tlv.c: whole-item TLV iterators and writers for 8/8 and 16/16 framing. */
#include "tlv/tlv.h"

void tlv_it_init(struct tlv_it *it, enum tlv_fmt fmt, const void *buf, size_t len)
{
	rd_init(&it->r, buf, len);
	it->fmt = fmt;
}

void tlv_it_sub(struct tlv_it *it, enum tlv_fmt fmt, const struct rd *outer,
		const struct tlv_item *item)
{
	it->r.base = outer->base;
	it->r.p = item->val;
	it->r.left = item->len;
	it->r.err = 0;
	it->fmt = fmt;
}

size_t tlv_it_off(const struct tlv_it *it)
{
	return rd_off(&it->r);
}

int tlv_next(struct tlv_it *it, struct tlv_item *item)
{
	struct rd peek;

	if (it->r.err)
		return it->r.err;
	if (it->r.left == 0)
		return 0;
	/* Read through a copy so that on a short item r still points at its start. */
	peek = it->r;
	item->off = rd_off(&peek);
	if (it->fmt == TLV_16_16) {
		item->type = rd_u16(&peek);
		item->len = rd_u16(&peek);
	} else {
		item->type = rd_u8(&peek);
		item->len = rd_u8(&peek);
	}
	item->val = rd_bytes(&peek, item->len);
	if (peek.err)
		return rd_fail(&it->r, E_SHORT);
	it->r = peek;
	return 1;
}

static void tlv_hdr(struct wr *w, enum tlv_fmt fmt, unsigned type, size_t len)
{
	if (fmt == TLV_16_16) {
		if (type > 0xffff || len > 0xffff) {
			wr_fail(w, E_OVERFLOW);
			return;
		}
		wr_u16(w, (uint16_t)type);
		wr_u16(w, (uint16_t)len);
	} else {
		if (type > 0xff || len > 0xff) {
			wr_fail(w, E_OVERFLOW);
			return;
		}
		wr_u8(w, (uint8_t)type);
		wr_u8(w, (uint8_t)len);
	}
}

void tlv_put(struct wr *w, enum tlv_fmt fmt, unsigned type, const void *val, size_t len)
{
	tlv_hdr(w, fmt, type, len);
	wr_bytes(w, val, len);
}

void tlv_put_u8(struct wr *w, enum tlv_fmt fmt, unsigned type, uint8_t v)
{
	tlv_put(w, fmt, type, &v, 1);
}

void tlv_put_u16(struct wr *w, enum tlv_fmt fmt, unsigned type, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	tlv_put(w, fmt, type, b, sizeof(b));
}

void tlv_put_u32(struct wr *w, enum tlv_fmt fmt, unsigned type, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
	tlv_put(w, fmt, type, b, sizeof(b));
}

size_t tlv_open(struct wr *w, enum tlv_fmt fmt, unsigned type)
{
	size_t at = w->len;

	tlv_hdr(w, fmt, type, 0);
	return at;
}

void tlv_close(struct wr *w, enum tlv_fmt fmt, size_t at)
{
	size_t hdr = fmt == TLV_16_16 ? 4 : 2;
	size_t len;

	if (w->err)
		return;
	if (at > w->len || w->len - at < hdr) {
		wr_fail(w, E_INVAL);
		return;
	}
	len = w->len - at - hdr;
	if (fmt == TLV_16_16) {
		if (len > 0xffff)
			wr_fail(w, E_OVERFLOW);
		else
			wr_patch_u16(w, at + 2, (uint16_t)len);
	} else {
		if (len > 0xff)
			wr_fail(w, E_OVERFLOW);
		else
			wr_patch_u8(w, at + 1, (uint8_t)len);
	}
}
