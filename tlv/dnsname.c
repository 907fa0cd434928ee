/*
 * dnsname.c: RFC 1035 §3.1 wire names <-> dotted text, bounded, no
 * compression.  Touches nothing but the caller's buffers.
 */
#include "tlv/dnsname.h"

#include <string.h>

#include "platform/err.h"

/* Label bytes we accept: printable ASCII without '.' (it would make the text
 * form ambiguous) and without '\\' (no escapes in our text form). */
static int label_byte_ok(uint8_t c)
{
	return c > 0x20 && c < 0x7f && c != '.' && c != '\\';
}

int dnsname_decode(const uint8_t *wire, size_t len, char *out, size_t outsz, size_t *used)
{
	size_t i = 0, o = 0;
	char tmp[DNSNAME_TEXT_MAX];

	if (out && outsz)
		out[0] = '\0';
	if (used)
		*used = 0;
	if (wire == NULL && len)
		return E_INVAL;
	for (;;) {
		uint8_t l;
		size_t k;

		if (i >= len)
			return E_SHORT;             /* no terminating zero label */
		l = wire[i];
		if ((l & 0xc0) == 0xc0)
			return E_UNSUPPORTED;       /* RFC 1035 §4.1.4 pointer */
		if (l & 0xc0)
			return E_PROTO;             /* RFC 6891 extended label types */
		if (l == 0) {
			i++;
			break;
		}
		if (i + 1 + l > DNSNAME_WIRE_MAX - 1)
			return E_RANGE;             /* RFC 1035 §3.1: 255 incl. root */
		if (len - i - 1 < l)
			return E_SHORT;
		if (o)
			tmp[o++] = '.';
		for (k = 0; k < l; k++) {
			uint8_t c = wire[i + 1 + k];
			if (!label_byte_ok(c))
				return E_PROTO;
			tmp[o++] = (char)c;
		}
		i += 1 + (size_t)l;
	}
	/* o <= 253 here: 255 wire bytes hold at most 253 text characters. */
	if (out == NULL || o + 1 > outsz)
		return E_OVERFLOW;
	memcpy(out, tmp, o);
	out[o] = '\0';
	if (used)
		*used = i;
	return (int)o;
}

int dnsname_decode_exact(const uint8_t *wire, size_t len, char *out, size_t outsz)
{
	size_t used;
	int n = dnsname_decode(wire, len, out, outsz, &used);

	if (n < 0)
		return n;
	if (used != len) {
		if (out && outsz)
			out[0] = '\0';
		return E_TRAILING;
	}
	return n;
}

int dnsname_wire_len(const char *text)
{
	size_t n, i, lab = 0, total = 0;

	if (text == NULL)
		return E_INVAL;
	n = strlen(text);
	if (n && text[n - 1] == '.')
		n--;                                /* one trailing dot: absolute name */
	if (n == 0)
		return 1;                           /* root */
	for (i = 0; i <= n; i++) {
		if (i == n || text[i] == '.') {
			if (lab == 0)
				return E_INVAL;     /* empty label */
			if (lab > DNSNAME_LABEL_MAX)
				return E_RANGE;
			total += 1 + lab;
			lab = 0;
		} else {
			if (!label_byte_ok((uint8_t)text[i]))
				return E_INVAL;
			lab++;
		}
	}
	total += 1;                                 /* root label */
	if (total > DNSNAME_WIRE_MAX)
		return E_RANGE;
	return (int)total;
}

int dnsname_encode(struct wr *w, const char *text)
{
	int n = dnsname_wire_len(text);
	size_t i, start = 0, len;

	if (n < 0) {
		wr_fail(w, n);
		return n;
	}
	len = strlen(text);
	if (len && text[len - 1] == '.')
		len--;
	if (len) {
		for (i = 0; i <= len; i++) {
			if (i == len || text[i] == '.') {
				wr_u8(w, (uint8_t)(i - start));
				wr_bytes(w, text + start, i - start);
				start = i + 1;
			}
		}
	}
	wr_u8(w, 0);
	return w->err;
}
