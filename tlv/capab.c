/*
 * capab.c: TLV 5.x capabilities in option-60 hex text and option-35 binary
 * form (spec 6.6.1, Annex A; reference/capabilities.md §1).
 */
#include "tlv/capab.h"

#include <string.h>

#include "platform/err.h"
#include "tlv/tlv.h"

void capab_init(struct capab *c)
{
	c->len = 0;
}

int capab_add(struct capab *c, uint8_t type, const void *val, size_t len)
{
	if (len > 255 || (len && val == NULL))
		return E_INVAL;
	if (c->len + 2 + len > CAPAB_BODY_MAX)
		return E_OVERFLOW;
	c->body[c->len] = type;
	c->body[c->len + 1] = (uint8_t)len;
	if (len)
		memcpy(c->body + c->len + 2, val, len);
	c->len += 2 + len;
	return 0;
}

int capab_add_u8(struct capab *c, uint8_t type, uint8_t v)
{
	return capab_add(c, type, &v, 1);
}

int capab_add_u16(struct capab *c, uint8_t type, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	return capab_add(c, type, b, 2);
}

int capab_find(const struct capab *c, uint8_t type, const uint8_t **val)
{
	struct tlv_it it;
	struct tlv_item item;

	tlv_it_init(&it, TLV_8_8, c->body, c->len);
	while (tlv_next(&it, &item) == 1) {
		if (item.type == type) {
			*val = item.val;
			return (int)item.len;
		}
	}
	return E_NOTFOUND;
}

int capab_get_u8(const struct capab *c, uint8_t type, uint8_t *out)
{
	const uint8_t *v;

	if (capab_find(c, type, &v) != 1)
		return E_NOTFOUND;
	*out = v[0];
	return 0;
}

int capab_get_u16(const struct capab *c, uint8_t type, uint16_t *out)
{
	const uint8_t *v;

	if (capab_find(c, type, &v) != 2)
		return E_NOTFOUND;
	*out = load_be16(v);
	return 0;
}

static const char hexdig[] = "0123456789ABCDEF";

int capab_opt60_build(const struct capab *c, char *out, size_t outsz)
{
	size_t need = CAPAB_PREFIX_LEN + 2 * (2 + c->len), i, o;
	uint8_t hdr[2] = { CAPAB_TLV5, (uint8_t)c->len };

	if (c->len > CAPAB_BODY_MAX || out == NULL || outsz < need)
		return E_OVERFLOW;
	memcpy(out, CAPAB_PREFIX, CAPAB_PREFIX_LEN);
	o = CAPAB_PREFIX_LEN;
	for (i = 0; i < 2 + c->len; i++) {
		uint8_t b = i < 2 ? hdr[i] : c->body[i - 2];
		out[o++] = hexdig[b >> 4];
		out[o++] = hexdig[b & 15];
	}
	if (o < outsz)
		out[o] = '\0';
	return (int)o;
}

static int hexval(uint8_t ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

int capab_bin_parse(const uint8_t *val, size_t len, struct capab *c)
{
	struct tlv_it it;
	struct tlv_item item;
	int rc;

	capab_init(c);
	if (len > CAPAB_BODY_MAX)
		return E_OVERFLOW;
	tlv_it_init(&it, TLV_8_8, val, len);
	while ((rc = tlv_next(&it, &item)) == 1)
		;
	if (rc < 0)
		return rc;
	if (len)
		memcpy(c->body, val, len);
	c->len = len;
	return 0;
}

int capab_opt60_parse(const void *val, size_t len, struct capab *c)
{
	const uint8_t *s = val;
	uint8_t bin[2 + CAPAB_BODY_MAX];
	size_t i, n;

	capab_init(c);
	if (s == NULL || len < CAPAB_PREFIX_LEN || memcmp(s, CAPAB_PREFIX, CAPAB_PREFIX_LEN) != 0)
		return E_NOTFOUND;
	s += CAPAB_PREFIX_LEN;
	len -= CAPAB_PREFIX_LEN;
	/* Tolerate one trailing NUL: some clients count it in option 60. */
	if (len && s[len - 1] == '\0')
		len--;
	if (len % 2)
		return E_PROTO;
	n = len / 2;
	if (n < 2)
		return E_SHORT;
	if (n > sizeof(bin))
		return E_OVERFLOW;
	for (i = 0; i < n; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return E_PROTO;
		bin[i] = (uint8_t)(hi << 4 | lo);
	}
	if (bin[0] != CAPAB_TLV5)
		return E_PROTO;
	if ((size_t)bin[1] > n - 2)
		return E_SHORT;
	if ((size_t)bin[1] < n - 2)
		return E_TRAILING;
	return capab_bin_parse(bin + 2, n - 2, c);
}

void capab_bin_build(const struct capab *c, struct wr *w)
{
	wr_bytes(w, c->body, c->len);
}
