/*
 * tlv.h: generic Type-Length-Value iterators that yield only whole items.
 *
 * Two framings cover the wire formats of this product: 8/8 (1-byte type,
 * 1-byte length: DHCPv4 options, CableLabs option 122/125 sub-options, the
 * config file) and 16/16 (2-byte type and length: DHCPv6 options, CableLabs
 * DHCPv6 sub-options, the IPC records).  tlv_next() hands out an item only
 * when all of its value lies inside the buffer (after odhcp6c's
 * dhcpv6_for_each_option); a partial item ends iteration with E_SHORT and
 * the offset of its first byte.  No allocation, no I/O.
 */
#ifndef TLV_TLV_H
#define TLV_TLV_H

#include <stddef.h>
#include <stdint.h>

#include "tlv/rd.h"
#include "tlv/wr.h"

enum tlv_fmt {
	TLV_8_8 = 1,   /* 1-byte type, 1-byte length */
	TLV_16_16 = 2, /* 2-byte type, 2-byte length */
};

struct tlv_item {
	unsigned type;
	size_t len;
	const uint8_t *val;
	size_t off;    /* offset of the item's type byte in the outermost buffer */
};

struct tlv_it {
	struct rd r;
	enum tlv_fmt fmt;
};

/* Iterate over a whole buffer. */
void tlv_it_init(struct tlv_it *it, enum tlv_fmt fmt, const void *buf, size_t len);
/* Iterate over an item's value; offsets stay relative to the outer buffer. */
void tlv_it_sub(struct tlv_it *it, enum tlv_fmt fmt, const struct rd *outer,
		const struct tlv_item *item);

/*
 * 1 and *item filled: a whole item.  0: clean end.  E_SHORT: the next item
 * runs past the end (it->r.err and rd_off() say where).  After an error every
 * call returns the same error.
 */
int tlv_next(struct tlv_it *it, struct tlv_item *item);

/* Offset where iteration stopped (the start of the bad item on error). */
size_t tlv_it_off(const struct tlv_it *it);

/* Append one item.  Values longer than the framing allows set E_OVERFLOW. */
void tlv_put(struct wr *w, enum tlv_fmt fmt, unsigned type, const void *val, size_t len);
void tlv_put_u8(struct wr *w, enum tlv_fmt fmt, unsigned type, uint8_t v);
void tlv_put_u16(struct wr *w, enum tlv_fmt fmt, unsigned type, uint16_t v);
void tlv_put_u32(struct wr *w, enum tlv_fmt fmt, unsigned type, uint32_t v);

/*
 * Nested items: tlv_open() writes the header with a zero length and returns
 * the offset to give to tlv_close(), which patches in the length written
 * since (E_OVERFLOW if it exceeds the framing).
 */
size_t tlv_open(struct wr *w, enum tlv_fmt fmt, unsigned type);
void tlv_close(struct wr *w, enum tlv_fmt fmt, size_t at);

#endif
