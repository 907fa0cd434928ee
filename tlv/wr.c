/* wr.c: the bounded writer of wr.h. */
#include "tlv/wr.h"

#include <stdlib.h>
#include <string.h>

#include "platform/bytes.h"

void wr_init(struct wr *w, void *buf, size_t cap)
{
	w->buf = buf;
	w->len = 0;
	w->cap = w->max = buf ? cap : 0;
	w->dyn = 0;
	w->err = 0;
}

void wr_init_dyn(struct wr *w, size_t max)
{
	w->buf = NULL;
	w->len = w->cap = 0;
	w->max = max;
	w->dyn = 1;
	w->err = 0;
}

void wr_free(struct wr *w)
{
	if (w->dyn)
		free(w->buf);
	w->buf = NULL;
	w->len = w->cap = 0;
}

void wr_fail(struct wr *w, int err)
{
	if (w->err == 0)
		w->err = err;
}

static int wr_grow(struct wr *w, size_t need)
{
	size_t ncap = w->cap ? w->cap : 256;
	uint8_t *nbuf;

	while (ncap < need && ncap < w->max)
		ncap = ncap > w->max / 2 ? w->max : ncap * 2;
	if (ncap < need)
		return E_OVERFLOW;
	nbuf = realloc(w->buf, ncap);
	if (nbuf == NULL)
		return E_NOMEM;
	w->buf = nbuf;
	w->cap = ncap;
	return 0;
}

uint8_t *wr_reserve(struct wr *w, size_t n)
{
	uint8_t *p;
	int e;

	if (w->err)
		return NULL;
	if (n > w->cap - w->len) {
		if (!w->dyn || n > w->max - w->len) {
			w->err = E_OVERFLOW;
			return NULL;
		}
		e = wr_grow(w, w->len + n);
		if (e) {
			w->err = e;
			return NULL;
		}
	}
	p = w->buf + w->len;
	w->len += n;
	return p;
}

void wr_u8(struct wr *w, uint8_t v)
{
	uint8_t *p = wr_reserve(w, 1);
	if (p)
		p[0] = v;
}

void wr_u16(struct wr *w, uint16_t v)
{
	uint8_t *p = wr_reserve(w, 2);
	if (p)
		store_be16(p, v);
}

void wr_u32(struct wr *w, uint32_t v)
{
	uint8_t *p = wr_reserve(w, 4);
	if (p)
		store_be32(p, v);
}

void wr_u64(struct wr *w, uint64_t v)
{
	uint8_t *p = wr_reserve(w, 8);
	if (p)
		store_be64(p, v);
}

void wr_bytes(struct wr *w, const void *src, size_t n)
{
	uint8_t *p = wr_reserve(w, n);
	if (p && n)
		memcpy(p, src, n);
}

void wr_patch_u8(struct wr *w, size_t off, uint8_t v)
{
	if (w->err)
		return;
	if (off >= w->len) {
		w->err = E_INVAL;
		return;
	}
	w->buf[off] = v;
}

void wr_patch_u16(struct wr *w, size_t off, uint16_t v)
{
	if (w->err)
		return;
	if (off > w->len || w->len - off < 2) {
		w->err = E_INVAL;
		return;
	}
	store_be16(w->buf + off, v);
}
