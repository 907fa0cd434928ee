/* tftp.c: the TFTP codec of tftp.h. */
#include "tlv/tftp.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "platform/err.h"
#include "tlv/rd.h"

static void tftp_put_str(struct wr *w, const char *s)
{
	wr_bytes(w, s, strlen(s) + 1);   /* with its NUL */
}

void tftp_put_rrq(struct wr *w, const char *file, unsigned blksize, int with_tsize)
{
	char num[12];

	if (file[0] == '\0' || strlen(file) > 255) {
		wr_fail(w, E_INVAL);
		return;
	}
	wr_u16(w, TFTP_RRQ);
	tftp_put_str(w, file);
	tftp_put_str(w, "octet");
	if (blksize) {
		snprintf(num, sizeof(num), "%u", blksize);
		tftp_put_str(w, "blksize");
		tftp_put_str(w, num);
	}
	if (with_tsize) {
		tftp_put_str(w, "tsize");
		tftp_put_str(w, "0");
	}
}

void tftp_put_ack(struct wr *w, uint16_t block)
{
	wr_u16(w, TFTP_ACK);
	wr_u16(w, block);
}

void tftp_put_error(struct wr *w, uint16_t code, const char *msg)
{
	wr_u16(w, TFTP_ERROR);
	wr_u16(w, code);
	tftp_put_str(w, msg);
}

/* A NUL-terminated string inside r, or NULL (E_PROTO when unterminated). */
static const char *tftp_str(struct rd *r)
{
	const uint8_t *nul;
	const char *s;

	if (r->err)
		return NULL;
	nul = memchr(r->p, 0, r->left);
	if (nul == NULL) {
		rd_fail(r, E_PROTO);
		return NULL;
	}
	s = (const char *)r->p;
	rd_bytes(r, (size_t)(nul - r->p) + 1);
	return s;
}

static int tftp_num(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (*s == '\0')
		return E_PROTO;
	for (; *s; s++) {
		uint64_t d;

		if (*s < '0' || *s > '9')
			return E_PROTO;
		d = (uint64_t)(*s - '0');
		if (v > (max - d) / 10)
			return E_PROTO;   /* would pass max (and never wraps) */
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int tftp_decode(struct tftp_pkt *p, const uint8_t *buf, size_t len)
{
	struct rd r;
	const char *name, *val, *msg;
	uint64_t v;

	memset(p, 0, sizeof(*p));
	rd_init(&r, buf, len);
	p->op = rd_u16(&r);
	if (r.err)
		return E_SHORT;
	switch (p->op) {
	case TFTP_DATA:
	case TFTP_ACK:
		p->block = rd_u16(&r);
		if (r.err)
			return E_SHORT;
		p->data = r.p;
		p->len = r.left;
		if (p->op == TFTP_ACK && p->len)
			return E_TRAILING;
		return 0;
	case TFTP_ERROR:
		p->err_code = rd_u16(&r);
		msg = tftp_str(&r);
		if (r.err)
			return r.err == E_SHORT ? E_SHORT : E_PROTO;
		for (size_t i = 0; msg[i] && i + 1 < sizeof(p->err_msg); i++)
			p->err_msg[i] = msg[i] >= 0x20 && msg[i] < 0x7f ? msg[i] : '?';
		return 0;
	case TFTP_OACK:
		while (r.left > 0) {
			name = tftp_str(&r);
			val = tftp_str(&r);
			if (r.err)
				return E_PROTO;
			/* RFC 2347: option names are case-insensitive */
			if (strcasecmp(name, "blksize") == 0) {
				if (tftp_num(val, TFTP_BLKSIZE_MAX, &v) < 0 || v < TFTP_BLKSIZE_MIN)
					return E_PROTO;
				p->blksize = (uint32_t)v;
			} else if (strcasecmp(name, "tsize") == 0) {
				if (tftp_num(val, UINT64_MAX, &v) < 0)
					return E_PROTO;
				p->tsize = v;
				p->has_tsize = 1;
			} else {
				return E_PROTO;
			}
		}
		return 0;
	default:
		return E_PROTO;
	}
}
