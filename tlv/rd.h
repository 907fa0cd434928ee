/*
 * rd.h: bounded reader with a sticky error (after MIT krb5's k5input).
 *
 * The first read past the end sets r->err = E_SHORT; every later read then
 * returns 0 or NULL, so a parser reads straight through a record and checks
 * r->err once at the end.  Offsets are kept relative to the start of the
 * outermost buffer (rd_off), also for sub-readers, so errors can name the
 * byte where they happened.  No I/O, no allocation.
 */
#ifndef TLV_RD_H
#define TLV_RD_H

#include <stddef.h>
#include <stdint.h>

#include "platform/bytes.h"
#include "platform/err.h"

struct rd {
	const uint8_t *base;   /* start of the outermost buffer (for offsets) */
	const uint8_t *p;      /* next unread byte */
	size_t left;           /* bytes left from p */
	int err;               /* 0, or the first error (sticky) */
};

static inline void rd_init(struct rd *r, const void *buf, size_t len)
{
	r->base = r->p = (const uint8_t *)buf;
	r->left = buf ? len : 0;
	r->err = 0;
}

/* Byte offset of the next read from the start of the outermost buffer. */
static inline size_t rd_off(const struct rd *r)
{
	return (size_t)(r->p - r->base);
}

/* Record an error unless one is already set; returns the sticky error. */
static inline int rd_fail(struct rd *r, int err)
{
	if (r->err == 0)
		r->err = err;
	return r->err;
}

/* n bytes, or NULL (and E_SHORT) if fewer are left. */
static inline const uint8_t *rd_bytes(struct rd *r, size_t n)
{
	const uint8_t *p;

	if (r->err == 0 && r->left < n)
		r->err = E_SHORT;
	if (r->err)
		return NULL;
	p = r->p;
	r->p += n;
	r->left -= n;
	return p;
}

static inline uint8_t rd_u8(struct rd *r)
{
	const uint8_t *p = rd_bytes(r, 1);
	return p ? p[0] : 0;
}

static inline uint16_t rd_u16(struct rd *r)
{
	const uint8_t *p = rd_bytes(r, 2);
	return p ? load_be16(p) : 0;
}

static inline uint32_t rd_u32(struct rd *r)
{
	const uint8_t *p = rd_bytes(r, 4);
	return p ? load_be32(p) : 0;
}

static inline uint64_t rd_u64(struct rd *r)
{
	const uint8_t *p = rd_bytes(r, 8);
	return p ? load_be64(p) : 0;
}

/* Copy exactly n bytes into dst; dst is zeroed when the input is short. */
static inline void rd_copy(struct rd *r, void *dst, size_t n)
{
	const uint8_t *p = rd_bytes(r, n);
	size_t i;

	for (i = 0; i < n; i++)
		((uint8_t *)dst)[i] = p ? p[i] : 0;
}

/*
 * A sub-reader over the next n bytes (which are consumed from r).  It shares
 * r's base, so rd_off() stays absolute.  If r is short, the sub-reader starts
 * with r's error.
 */
static inline struct rd rd_sub(struct rd *r, size_t n)
{
	struct rd s;
	const uint8_t *p = rd_bytes(r, n);

	s.base = r->base;
	s.p = p ? p : r->p;
	s.left = p ? n : 0;
	s.err = r->err;
	return s;
}

/* True when every byte was read and no error happened. */
static inline int rd_done(const struct rd *r)
{
	return r->err == 0 && r->left == 0;
}

#endif
