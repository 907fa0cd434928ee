/*
 * wr.h: bounded writer with a sticky error (after MIT krb5's k5buf).
 *
 * Two kinds: a fixed buffer the caller owns (wr_init; the firmware's normal
 * case, no allocation), or a growable heap buffer with a hard ceiling
 * (wr_init_dyn; for the config-file compiler).  The first write that does not
 * fit sets w->err = E_OVERFLOW (or E_NOMEM) and later writes do nothing, so an
 * encoder writes straight through and checks w->err once.
 */
#ifndef TLV_WR_H
#define TLV_WR_H

#include <stddef.h>
#include <stdint.h>

#include "platform/err.h"

struct wr {
	uint8_t *buf;
	size_t len;     /* bytes written */
	size_t cap;     /* bytes available in buf */
	size_t max;     /* growable: ceiling for cap; fixed: == cap */
	int dyn;        /* 1 when buf is ours to realloc/free */
	int err;        /* 0, or the first error (sticky) */
};

void wr_init(struct wr *w, void *buf, size_t cap);
/* Growable buffer, never larger than max bytes.  Free with wr_free(). */
void wr_init_dyn(struct wr *w, size_t max);
void wr_free(struct wr *w);

/* Room for n more bytes, or NULL (sticky error set).  Advances len by n. */
uint8_t *wr_reserve(struct wr *w, size_t n);

void wr_u8(struct wr *w, uint8_t v);
void wr_u16(struct wr *w, uint16_t v);
void wr_u32(struct wr *w, uint32_t v);
void wr_u64(struct wr *w, uint64_t v);
void wr_bytes(struct wr *w, const void *p, size_t n);

/* Overwrite already-written bytes at off (for lengths known afterwards). */
void wr_patch_u8(struct wr *w, size_t off, uint8_t v);
void wr_patch_u16(struct wr *w, size_t off, uint16_t v);

/* Set an error unless one is already set (for encoders' own checks). */
void wr_fail(struct wr *w, int err);

#endif
