/*
 * dl_body.c: the download's body under its bound and curl's informational
 * lines (see dl_body.h).  Issue #9: "the download refuses ... files above a
 * bound"; spec 6.3.3 / eUE-22 give no size, DL_MAX_SIZE_DEFAULT does.
 */
#include "eue/dl_body.h"

#include <stdlib.h>
#include <string.h>

#include "platform/err.h"

void dl_body_init(struct dl_body *b, size_t max)
{
	memset(b, 0, sizeof(*b));
	b->max = max;
}

void dl_body_reset(struct dl_body *b)
{
	b->len = 0;
	b->too_big = 0;
}

void dl_body_free(struct dl_body *b)
{
	free(b->buf);
	b->buf = NULL;
	b->len = b->cap = 0;
}

int dl_body_announced(struct dl_body *b, uint64_t total)
{
	if (total > b->max) {
		b->too_big = 1;
		return E_OVERFLOW;
	}
	return 0;
}

int dl_body_append(struct dl_body *b, const void *p, size_t n)
{
	if (n > b->max - b->len) {
		b->too_big = 1;   /* abort now, announced size or not */
		return E_OVERFLOW;
	}
	if (n == 0)
		return 0;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		uint8_t *nb;

		/* doubling, but never past the bound: the bound is what may be held */
		while (cap < b->len + n && cap <= b->max / 2)
			cap *= 2;
		if (cap < b->len + n || cap > b->max)
			cap = b->max;
		nb = realloc(b->buf, cap);
		if (nb == NULL)
			return E_NOMEM;
		b->buf = nb;
		b->cap = cap;
	}
	memcpy(b->buf + b->len, p, n);
	b->len += n;
	return 0;
}

static int starts(const char *s, size_t n, const char *lit)
{
	size_t k = strlen(lit);

	return n >= k && memcmp(s, lit, k) == 0;
}

int dl_info_line(const char *data, size_t size, unsigned *blksize, char *err, size_t cap)
{
	static const char oack[] = "blksize parsed from OACK (";
	static const char tftp_err[] = "TFTP error: ";
	size_t i, o = 0;
	unsigned v = 0;

	if (data == NULL)
		return 0;
	if (starts(data, size, oack)) {
		/* RFC 2348: 8..65464; anything else, or no closing ')', is not a size */
		for (i = sizeof(oack) - 1; i < size && data[i] >= '0' && data[i] <= '9' && v <= 65464; i++)
			v = v * 10 + (unsigned)(data[i] - '0');
		if (i == sizeof(oack) - 1 || i >= size || data[i] != ')' || v < 8 || v > 65464)
			return 0;
		*blksize = v;
		return 1;
	}
	if (starts(data, size, tftp_err) && cap > 0) {
		/* the server's words go to logs and the trace: printable ASCII, one line */
		for (i = sizeof(tftp_err) - 1; i < size && data[i] != '\r' && data[i] != '\n' &&
		     o + 1 < cap; i++)
			err[o++] = data[i] >= 0x20 && data[i] < 0x7f ? data[i] : '?';
		err[o] = '\0';
		return 1;
	}
	return 0;
}
