/* cfgtext.c: config-file text -> binary compiler (see cfgtext.h). */
#include "tlv/cfgtext.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tlv/mibnames.h"
#include "tlv/tlv.h"

enum tok { T_EOF, T_WORD, T_STR, T_LBRACE, T_RBRACE, T_SEMI };

#define CT_STR_MAX 65535

struct ct {
	const char *p, *end;
	unsigned line, col;
	/* current token */
	enum tok t;
	const char *w;          /* T_WORD text */
	size_t wlen;
	unsigned tline, tcol;
	size_t slen;            /* T_STR decoded length (in s) */
	uint8_t s[CT_STR_MAX];
	uint8_t v[CT_STR_MAX];  /* value scratch */
	const struct cfgtext_opts *o;
	struct wr *out;
	struct cfgtext_err *err;
	/* statement positions, to map a codec error offset back to a line */
	struct ct_pos { size_t off; unsigned line, col; } *pos;
	size_t npos, cappos;
};

static int ct_fail(struct ct *c, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int ct_fail(struct ct *c, int code, const char *fmt, ...)
{
	va_list ap;

	c->err->line = c->tline;
	c->err->col = c->tcol;
	va_start(ap, fmt);
	vsnprintf(c->err->msg, sizeof(c->err->msg), fmt, ap);
	va_end(ap);
	return code;
}

static void ct_adv(struct ct *c)
{
	if (*c->p == '\n') {
		c->line++;
		c->col = 1;
	} else {
		c->col++;
	}
	c->p++;
}

static int ct_hex(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

int cfgtext_prefer(const struct cfgtext_opts *o)
{
	return o ? o->prefer_module : mib_module_by_name("PKTC-MTA-MIB", 12);
}

static int ct_is_word(char ch)
{
	return ch > ' ' && ch != ';' && ch != '{' && ch != '}' && ch != '"' && ch != 0x7f;
}

/* Next token; 0 or E_PROTO. */
static int ct_next(struct ct *c)
{
	for (;;) {
		while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\r' ||
					 *c->p == '\n' || *c->p == '\f' || *c->p == '\v'))
			ct_adv(c);
		c->tline = c->line;
		c->tcol = c->col;
		if (c->p < c->end && *c->p == '#') {
			while (c->p < c->end && *c->p != '\n')
				ct_adv(c);
			continue;
		}
		if (c->end - c->p >= 2 && c->p[0] == '/' && c->p[1] == '/') {
			while (c->p < c->end && *c->p != '\n')
				ct_adv(c);
			continue;
		}
		if (c->end - c->p >= 2 && c->p[0] == '/' && c->p[1] == '*') {
			ct_adv(c);
			ct_adv(c);
			while (c->p < c->end && !(c->end - c->p >= 2 && c->p[0] == '*' && c->p[1] == '/'))
				ct_adv(c);
			if (c->p >= c->end)
				return ct_fail(c, E_PROTO, "unterminated comment");
			ct_adv(c);
			ct_adv(c);
			continue;
		}
		break;
	}
	if (c->p >= c->end) {
		c->t = T_EOF;
		return 0;
	}
	switch (*c->p) {
	case '{': c->t = T_LBRACE; ct_adv(c); return 0;
	case '}': c->t = T_RBRACE; ct_adv(c); return 0;
	case ';': c->t = T_SEMI; ct_adv(c); return 0;
	case '"':
		c->t = T_STR;
		c->slen = 0;
		ct_adv(c);
		while (c->p < c->end && *c->p != '"') {
			int ch = (unsigned char)*c->p, h1, h2;

			if (ch == '\n')
				return ct_fail(c, E_PROTO, "newline in string");
			if (ch == '\\') {
				ct_adv(c);
				if (c->p >= c->end)
					break;
				ch = (unsigned char)*c->p;
				if (ch == 'n')
					ch = '\n';
				else if (ch == 't')
					ch = '\t';
				else if (ch == 'r')
					ch = '\r';
				else if (ch == 'x') {
					if (c->end - c->p < 3 || (h1 = ct_hex(c->p[1])) < 0 ||
					    (h2 = ct_hex(c->p[2])) < 0)
						return ct_fail(c, E_PROTO, "bad \\x escape in string");
					ct_adv(c);
					ct_adv(c);
					ch = h1 << 4 | h2;
				} else if (ch != '"' && ch != '\\') {
					return ct_fail(c, E_PROTO, "unknown escape \\%c in string", ch);
				}
			}
			if (c->slen >= CT_STR_MAX)
				return ct_fail(c, E_RANGE, "string longer than %d bytes", CT_STR_MAX);
			c->s[c->slen++] = (uint8_t)ch;
			ct_adv(c);
		}
		if (c->p >= c->end)
			return ct_fail(c, E_PROTO, "unterminated string");
		ct_adv(c);
		return 0;
	default:
		if (!ct_is_word(*c->p))
			return ct_fail(c, E_PROTO, "unexpected character 0x%02x",
				       (unsigned)(unsigned char)*c->p);
		c->t = T_WORD;
		c->w = c->p;
		while (c->p < c->end && ct_is_word(*c->p)) {
			/* a quoted index inside an OID: .'REALM.COM' or ."x y" */
			if (*c->p == '\'') {
				ct_adv(c);
				while (c->p < c->end && *c->p != '\'' && *c->p != '\n')
					ct_adv(c);
				if (c->p >= c->end || *c->p != '\'')
					return ct_fail(c, E_PROTO, "unterminated quoted index");
			}
			ct_adv(c);
			if (c->p < c->end && *c->p == '"' && c->p[-1] == '.') {
				ct_adv(c);
				while (c->p < c->end && *c->p != '"' && *c->p != '\n')
					ct_adv(c);
				if (c->p >= c->end || *c->p != '"')
					return ct_fail(c, E_PROTO, "unterminated quoted index");
				ct_adv(c);
			}
		}
		c->wlen = (size_t)(c->p - c->w);
		return 0;
	}
}

static int ct_is(const struct ct *c, const char *kw)
{
	return c->t == T_WORD && strlen(kw) == c->wlen && strncasecmp(c->w, kw, c->wlen) == 0;
}

static const char *ct_tokname(const struct ct *c, char *buf, size_t cap)
{
	switch (c->t) {
	case T_EOF: return "end of file";
	case T_STR: return "a string";
	case T_LBRACE: return "'{'";
	case T_RBRACE: return "'}'";
	case T_SEMI: return "';'";
	default:
		snprintf(buf, cap, "'%.*s'", (int)(c->wlen > 40 ? 40 : c->wlen), c->w);
		return buf;
	}
}

static int ct_expect(struct ct *c, enum tok t, const char *what)
{
	char b[64];

	if (c->t != t)
		return ct_fail(c, E_PROTO, "expected %s, found %s", what, ct_tokname(c, b, sizeof(b)));
	return ct_next(c);
}

/* Unsigned decimal (or 0x hex) word into *v, at most max. */
static int ct_uint(struct ct *c, uint64_t max, uint64_t *v)
{
	const char *s = c->w;
	size_t i = 0, n = c->wlen;
	uint64_t x = 0;
	int base = 10, d;

	if (c->t != T_WORD)
		return ct_fail(c, E_PROTO, "expected a number");
	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == n)
		return ct_fail(c, E_PROTO, "expected a number, found '%.*s'", (int)n, s);
	for (; i < n; i++) {
		d = ct_hex(s[i]);
		if (d < 0 || d >= base)
			return ct_fail(c, E_PROTO, "expected a number, found '%.*s'", (int)n, s);
		if (x > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			return ct_fail(c, E_RANGE, "number '%.*s' too large", (int)n, s);
		x = x * (uint64_t)base + (uint64_t)d;
	}
	if (x > max)
		return ct_fail(c, E_RANGE, "%.*s is above %llu", (int)n, s, (unsigned long long)max);
	*v = x;
	return 0;
}

static int ct_int32(struct ct *c, int64_t *v)
{
	uint64_t u;
	int neg = c->t == T_WORD && c->wlen > 1 && c->w[0] == '-', rc;

	if (neg) {
		c->w++;
		c->wlen--;
	}
	rc = ct_uint(c, neg ? 2147483648u : 2147483647u, &u);
	if (neg) {
		c->w--;
		c->wlen++;
	}
	if (rc < 0)
		return rc;
	*v = neg ? -(int64_t)u : (int64_t)u;
	return 0;
}

/* 0x0102.., 01:02:.., or 0102..; into c->v. */
static int ct_hexstr(struct ct *c, size_t *n)
{
	const char *s = c->w;
	size_t i = 0, len = c->wlen;
	int hi = -1, d;

	*n = 0;
	if (c->t == T_STR && c->slen == 0)
		return 0;       /* "" = empty */
	if (c->t != T_WORD)
		return ct_fail(c, E_PROTO, "expected hex bytes");
	if (len >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		i = 2;
	for (; i < len; i++) {
		if (s[i] == ':' && hi < 0)
			continue;
		d = ct_hex(s[i]);
		if (d < 0)
			return ct_fail(c, E_PROTO, "bad hex digit '%c'", s[i]);
		if (hi < 0) {
			hi = d;
		} else {
			if (*n >= CT_STR_MAX)
				return ct_fail(c, E_RANGE, "hex value too long");
			c->v[(*n)++] = (uint8_t)(hi << 4 | d);
			hi = -1;
		}
	}
	if (hi >= 0)
		return ct_fail(c, E_PROTO, "odd number of hex digits");
	return 0;
}

/* An OID word (name[.suffix] or dotted) into BER contents appended to w. */
static int ct_oid(struct ct *c, struct wr *w)
{
	uint32_t arcs[BER_OID_MAX];
	const char *s = c->w, *e = c->w + c->wlen;
	size_t n = 0, k;
	uint64_t x;
	int base_bytes = 0;
	const struct mib_name *m = NULL;

	if (c->t != T_WORD)
		return ct_fail(c, E_PROTO, "expected an object identifier");
	if (s < e && *s == '.')
		s++;
	if (s < e && !(*s >= '0' && *s <= '9')) {
		const char *q = s;

		while (q < e && *q != '.')
			q++;
		m = mib_by_name(s, (size_t)(q - s), cfgtext_prefer(c->o));
		if (m == NULL)
			return ct_fail(c, E_NOTFOUND, "unknown object name '%.*s'", (int)(q - s), s);
		base_bytes = 1;
		s = q;
		if (s < e)
			s++;    /* the '.' before the suffix */
		else
			s = e;
	}
	while (s < e) {
		if (*s == '"' || *s == '\'') {
			char qch = *s++;
			const char *q = s;

			while (q < e && *q != qch)
				q++;
			if (q >= e)
				return ct_fail(c, E_PROTO, "unterminated quoted index");
			if (n + (size_t)(q - s) + 1 > BER_OID_MAX)
				return ct_fail(c, E_RANGE, "object identifier too long");
			if (qch == '"')
				arcs[n++] = (uint32_t)(q - s);  /* length prefix */
			for (; s < q; s++)
				arcs[n++] = (unsigned char)*s;
			s = q + 1;
		} else {
			x = 0;
			k = 0;
			while (s < e && *s >= '0' && *s <= '9') {
				x = x * 10 + (uint64_t)(*s - '0');
				if (x > 0xffffffffu)
					return ct_fail(c, E_RANGE, "sub-identifier above 2^32-1");
				s++;
				k++;
			}
			if (k == 0)
				return ct_fail(c, E_PROTO, "bad object identifier '%.*s'",
					       (int)c->wlen, c->w);
			if (n >= BER_OID_MAX - 1)
				return ct_fail(c, E_RANGE, "object identifier too long");
			arcs[n++] = (uint32_t)x;
		}
		if (s < e) {
			if (*s != '.')
				return ct_fail(c, E_PROTO, "bad object identifier '%.*s'",
					       (int)c->wlen, c->w);
			s++;
			if (s == e)
				return ct_fail(c, E_PROTO, "object identifier ends with '.'");
		}
	}
	if (base_bytes) {
		/* name: its BER bytes, then the suffix arcs as sub-identifiers */
		if (m->len + 5 * n > BER_OID_MAX * 5)
			return ct_fail(c, E_RANGE, "object identifier too long");
		wr_bytes(w, m->oid, m->len);
		for (k = 0; k < n; k++) {
			uint8_t b[5];
			int j = 0;
			uint32_t v = arcs[k];

			do {
				b[j++] = (uint8_t)(v & 0x7f);
				v >>= 7;
			} while (v);
			while (j > 1)
				wr_u8(w, (uint8_t)(b[--j] | 0x80));
			wr_u8(w, b[0]);
		}
		return 0;
	}
	if (ber_oid_put(w, arcs, n) < 0)
		return ct_fail(c, E_RANGE, "invalid object identifier '%.*s'", (int)c->wlen, c->w);
	return 0;
}

struct ct_type {
	const char *kw;
	uint8_t tag;
};
static const struct ct_type ct_types[] = {
	{ "Integer", BER_INTEGER },     { "Integer32", BER_INTEGER },
	{ "Unsigned32", BER_GAUGE32 },  { "Gauge32", BER_GAUGE32 },   { "Gauge", BER_GAUGE32 },
	{ "Counter32", BER_COUNTER32 }, { "Counter", BER_COUNTER32 },
	{ "Counter64", BER_COUNTER64 }, { "TimeTicks", BER_TIMETICKS },
	{ "IPAddress", BER_IPADDR },    { "ObjectID", BER_OID },
	{ "String", BER_OCTETS },       { "HexString", BER_OCTETS },  { "BitString", BER_OCTETS },
	{ "Opaque", BER_OPAQUE },       { "Null", BER_NULL },
};

/* SnmpMibObject OID TYPE VALUE ; -> one TLV 11 (or 64) */
static int ct_varbind(struct ct *c, int force64)
{
	uint8_t oidbuf[BER_OID_MAX * 5];
	struct wr ow;
	struct ber_vb vb;
	const struct ct_type *ty = NULL;
	size_t i, n = 0;
	uint64_t u;
	int64_t sv;
	int rc;

	if ((rc = ct_next(c)) < 0)
		return rc;
	wr_init(&ow, oidbuf, sizeof(oidbuf));
	if ((rc = ct_oid(c, &ow)) < 0)
		return rc;
	if (ow.err)
		return ct_fail(c, E_RANGE, "object identifier too long");
	if ((rc = ct_next(c)) < 0)
		return rc;
	for (i = 0; i < sizeof(ct_types) / sizeof(ct_types[0]); i++)
		if (ct_is(c, ct_types[i].kw))
			ty = &ct_types[i];
	if (ty == NULL) {
		char b[64];
		return ct_fail(c, E_PROTO, "unknown value type %s", ct_tokname(c, b, sizeof(b)));
	}
	if ((rc = ct_next(c)) < 0)
		return rc;
	switch (ty->tag) {
	case BER_INTEGER:
		if ((rc = ct_int32(c, &sv)) < 0)
			return rc;
		n = ber_int_bytes(sv, c->v);
		break;
	case BER_GAUGE32:
	case BER_COUNTER32:
	case BER_TIMETICKS:
	case BER_COUNTER64:
		if ((rc = ct_uint(c, ty->tag == BER_COUNTER64 ? UINT64_MAX : 0xffffffffu, &u)) < 0)
			return rc;
		n = ber_uint_bytes(u, c->v);
		break;
	case BER_IPADDR: {
		char tmp[64];

		if (c->t != T_WORD || c->wlen >= sizeof(tmp))
			return ct_fail(c, E_PROTO, "expected an IPv4 address");
		memcpy(tmp, c->w, c->wlen);
		tmp[c->wlen] = '\0';
		if (inet_pton(AF_INET, tmp, c->v) != 1)
			return ct_fail(c, E_PROTO, "bad IPv4 address '%s'", tmp);
		n = 4;
		break;
	}
	case BER_OID: {
		struct wr vw;

		wr_init(&vw, c->v, BER_OID_MAX * 5);
		if ((rc = ct_oid(c, &vw)) < 0)
			return rc;
		if (vw.err)
			return ct_fail(c, E_RANGE, "object identifier too long");
		n = vw.len;
		break;
	}
	case BER_OCTETS:
	case BER_OPAQUE:
		if (c->t == T_STR && strcasecmp(ty->kw, "String") == 0) {
			memcpy(c->v, c->s, c->slen);
			n = c->slen;
		} else if (strcasecmp(ty->kw, "String") == 0 && c->t == T_WORD) {
			memcpy(c->v, c->w, c->wlen);    /* unquoted single word */
			n = c->wlen;
		} else if ((rc = ct_hexstr(c, &n)) < 0) {
			return rc;
		}
		break;
	case BER_NULL:
		n = 0;
		if (c->t == T_SEMI)
			goto semi;
		break;
	}
	if ((rc = ct_next(c)) < 0)
		return rc;
semi:
	if ((rc = ct_expect(c, T_SEMI, "';'")) < 0)
		return rc;
	memset(&vb, 0, sizeof(vb));
	vb.oid = oidbuf;
	vb.oid_len = ow.len;
	vb.type = ty->tag;
	vb.val = c->v;
	vb.val_len = n;
	if (force64) {
		struct cfg_item it;

		memset(&it, 0, sizeof(it));
		it.type = CFG_T_VARBIND64;
		it.vb = vb;
		cfg_encode_item(c->out, &it);
	} else {
		cfg_put_varbind(c->out, &vb);
	}
	return 0;
}

/* GenericTLV TlvCode N TlvLength N TlvValue HEX ; (16-bit length for 64 at top level) */
static int ct_generic(struct ct *c, int top)
{
	uint64_t code, len;
	size_t n;
	int rc;

	if ((rc = ct_next(c)) < 0)
		return rc;
	if (!ct_is(c, "TlvCode"))
		return ct_fail(c, E_PROTO, "expected TlvCode");
	if ((rc = ct_next(c)) < 0 || (rc = ct_uint(c, 255, &code)) < 0 || (rc = ct_next(c)) < 0)
		return rc;
	if (!ct_is(c, "TlvLength"))
		return ct_fail(c, E_PROTO, "expected TlvLength");
	if ((rc = ct_next(c)) < 0 ||
	    (rc = ct_uint(c, top && code == CFG_T_VARBIND64 ? 65535 : 255, &len)) < 0 ||
	    (rc = ct_next(c)) < 0)
		return rc;
	if (!ct_is(c, "TlvValue"))
		return ct_fail(c, E_PROTO, "expected TlvValue");
	if ((rc = ct_next(c)) < 0 || (rc = ct_hexstr(c, &n)) < 0)
		return rc;
	if (n != len)
		return ct_fail(c, E_RANGE, "TlvLength %llu but %zu value bytes",
			       (unsigned long long)len, n);
	if ((rc = ct_next(c)) < 0 || (rc = ct_expect(c, T_SEMI, "';'")) < 0)
		return rc;
	wr_u8(c->out, (uint8_t)code);
	if (top && code == CFG_T_VARBIND64)
		wr_u16(c->out, (uint16_t)n);
	else
		wr_u8(c->out, (uint8_t)n);
	wr_bytes(c->out, c->v, n);
	return 0;
}

/* keyword NUMBER ; with a 16-bit value as a 38 sub-TLV */
static int ct_sub_u16(struct ct *c, unsigned sub)
{
	uint64_t v;
	int rc;

	if ((rc = ct_next(c)) < 0 || (rc = ct_uint(c, 65535, &v)) < 0 || (rc = ct_next(c)) < 0 ||
	    (rc = ct_expect(c, T_SEMI, "';'")) < 0)
		return rc;
	wr_u8(c->out, (uint8_t)sub);
	wr_u8(c->out, 2);
	wr_u16(c->out, (uint16_t)v);
	return 0;
}

static int ct_sub_addr(struct ct *c, unsigned sub, int af)
{
	char tmp[64];
	uint8_t a[16];
	int rc;

	if ((rc = ct_next(c)) < 0)
		return rc;
	if (c->t != T_WORD || c->wlen >= sizeof(tmp))
		return ct_fail(c, E_PROTO, "expected an address");
	memcpy(tmp, c->w, c->wlen);
	tmp[c->wlen] = '\0';
	if (inet_pton(af, tmp, a) != 1)
		return ct_fail(c, E_PROTO, "bad %s address '%s'", af == AF_INET ? "IPv4" : "IPv6", tmp);
	if ((rc = ct_next(c)) < 0 || (rc = ct_expect(c, T_SEMI, "';'")) < 0)
		return rc;
	wr_u8(c->out, (uint8_t)sub);
	wr_u8(c->out, af == AF_INET ? 4 : 16);
	wr_bytes(c->out, a, af == AF_INET ? 4 : 16);
	return 0;
}

/* Subtree of 38 or 43: { sub; ... } as one TLV with an 8-bit length. */
static int ct_block(struct ct *c, unsigned type)
{
	size_t at;
	int rc;

	if ((rc = ct_next(c)) < 0 || (rc = ct_expect(c, T_LBRACE, "'{'")) < 0)
		return rc;
	at = tlv_open(c->out, TLV_8_8, type);
	while (c->t != T_RBRACE) {
		char b[64];

		if (type == CFG_T_NOTIFY && ct_is(c, "SnmpV3TrapReceiverIp"))
			rc = ct_sub_addr(c, CFG_N_IPV4, AF_INET);
		else if (type == CFG_T_NOTIFY && ct_is(c, "SnmpV3TrapReceiverIPv6Addr"))
			rc = ct_sub_addr(c, CFG_N_IPV6, AF_INET6);
		else if (type == CFG_T_NOTIFY && ct_is(c, "SnmpV3TrapReceiverPort"))
			rc = ct_sub_u16(c, CFG_N_PORT);
		else if (type == CFG_T_NOTIFY && ct_is(c, "SnmpV3TrapReceiverType"))
			rc = ct_sub_u16(c, CFG_N_TYPE);
		else if (type == CFG_T_NOTIFY && ct_is(c, "SnmpV3TrapReceiverTimeout"))
			rc = ct_sub_u16(c, CFG_N_TIMEOUT);
		else if (type == CFG_T_NOTIFY && ct_is(c, "SnmpV3TrapReceiverRetries"))
			rc = ct_sub_u16(c, CFG_N_RETRIES);
		else if (type == CFG_T_NOTIFY && ct_is(c, "SnmpV3TrapReceiverFilterOID")) {
			uint8_t ob[BER_OID_MAX * 5];
			struct wr ow;

			wr_init(&ow, ob, sizeof(ob));
			if ((rc = ct_next(c)) < 0 || (rc = ct_oid(c, &ow)) < 0)
				return rc;
			if (ow.err || ow.len > 253)
				return ct_fail(c, E_RANGE, "filter OID too long");
			if ((rc = ct_next(c)) < 0 || (rc = ct_expect(c, T_SEMI, "';'")) < 0)
				return rc;
			wr_u8(c->out, CFG_N_FILTER);
			wr_u8(c->out, (uint8_t)(ow.len + 2));
			wr_u8(c->out, BER_OID);
			wr_u8(c->out, (uint8_t)ow.len);
			wr_bytes(c->out, ob, ow.len);
		} else if (type == CFG_T_NOTIFY && ct_is(c, "SnmpV3TrapReceiverSecurityName")) {
			if ((rc = ct_next(c)) < 0)
				return rc;
			if (c->t != T_STR && c->t != T_WORD)
				return ct_fail(c, E_PROTO, "expected a string");
			if (c->t == T_WORD) {
				memcpy(c->s, c->w, c->wlen);
				c->slen = c->wlen;
			}
			if (c->slen > 255)
				return ct_fail(c, E_RANGE, "security name too long");
			wr_u8(c->out, CFG_N_SECNAME);
			wr_u8(c->out, (uint8_t)c->slen);
			wr_bytes(c->out, c->s, c->slen);
			if ((rc = ct_next(c)) < 0 || (rc = ct_expect(c, T_SEMI, "';'")) < 0)
				return rc;
		} else if (type == CFG_T_VENDOR && ct_is(c, "VendorIdentifier")) {
			size_t n;

			if ((rc = ct_next(c)) < 0 || (rc = ct_hexstr(c, &n)) < 0)
				return rc;
			if (n > 255)
				return ct_fail(c, E_RANGE, "vendor identifier too long");
			wr_u8(c->out, CFG_VENDOR_ID);
			wr_u8(c->out, (uint8_t)n);
			wr_bytes(c->out, c->v, n);
			if ((rc = ct_next(c)) < 0 || (rc = ct_expect(c, T_SEMI, "';'")) < 0)
				return rc;
		} else if (ct_is(c, "GenericTLV")) {
			rc = ct_generic(c, 0);
		} else {
			return ct_fail(c, E_PROTO, "unexpected %s in %s", ct_tokname(c, b, sizeof(b)),
				       type == CFG_T_NOTIFY ? "SnmpV3TrapReceiver" : "VendorSpecific");
		}
		if (rc < 0)
			return rc;
	}
	if ((rc = ct_next(c)) < 0)
		return rc;
	if (c->t == T_SEMI && (rc = ct_next(c)) < 0)
		return rc;
	tlv_close(c->out, TLV_8_8, at);
	if (c->out->err == E_OVERFLOW)
		return ct_fail(c, E_RANGE, "block longer than 255 bytes");
	return 0;
}

static int ct_stmt(struct ct *c)
{
	uint64_t v;
	int rc;
	char b[64];

	if (c->npos == c->cappos) {
		size_t nc = c->cappos ? c->cappos * 2 : 64;
		struct ct_pos *np = realloc(c->pos, nc * sizeof(*np));

		if (np == NULL)
			return ct_fail(c, E_NOMEM, "out of memory");
		c->pos = np;
		c->cappos = nc;
	}
	c->pos[c->npos].off = c->out->len;
	c->pos[c->npos].line = c->tline;
	c->pos[c->npos].col = c->tcol;
	c->npos++;

	if (ct_is(c, "MtaConfigDelimiter")) {
		if ((rc = ct_next(c)) < 0 || (rc = ct_uint(c, 255, &v)) < 0 || (rc = ct_next(c)) < 0 ||
		    (rc = ct_expect(c, T_SEMI, "';'")) < 0)
			return rc;
		tlv_put_u8(c->out, TLV_8_8, CFG_T_DELIM, (uint8_t)v);
		return 0;
	}
	if (ct_is(c, "SnmpMibObject"))
		return ct_varbind(c, 0);
	if (ct_is(c, "SnmpMibObjectLong"))
		return ct_varbind(c, 1);
	if (ct_is(c, "SnmpV3TrapReceiver"))
		return ct_block(c, CFG_T_NOTIFY);
	if (ct_is(c, "VendorSpecific"))
		return ct_block(c, CFG_T_VENDOR);
	if (ct_is(c, "GenericTLV"))
		return ct_generic(c, 1);
	return ct_fail(c, E_PROTO, "unknown statement %s", ct_tokname(c, b, sizeof(b)));
}

int cfgtext_compile(const char *text, size_t len, const struct cfgtext_opts *o, struct wr *out,
		    struct cfgtext_err *err)
{
	struct cfg_diag d;
	struct ct *c;
	size_t i;
	int rc;

	memset(err, 0, sizeof(*err));
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return E_NOMEM;
	c->p = text;
	c->end = text + len;
	c->line = c->col = 1;
	c->o = o;
	c->out = out;
	c->err = err;
	if ((rc = ct_next(c)) < 0)
		goto done;
	if (!ct_is(c, "Main")) {
		rc = ct_fail(c, E_PROTO, "expected 'Main'");
		goto done;
	}
	if ((rc = ct_next(c)) < 0 || (rc = ct_expect(c, T_LBRACE, "'{'")) < 0)
		goto done;
	while (c->t != T_RBRACE) {
		if (c->t == T_EOF) {
			rc = ct_fail(c, E_PROTO, "missing '}' at end of Main");
			goto done;
		}
		if ((rc = ct_stmt(c)) < 0)
			goto done;
		if (out->err) {
			rc = ct_fail(c, out->err, "output: %s", err_str(out->err));
			goto done;
		}
	}
	if ((rc = ct_next(c)) < 0)
		goto done;
	if (c->t != T_EOF) {
		rc = ct_fail(c, E_PROTO, "text after the end of Main");
		goto done;
	}
	/* The result must be a valid file; name the statement that broke it. */
	rc = cfg_check(out->buf, out->len, &d);
	if (rc < 0) {
		char msg[128];

		c->tline = c->line;
		c->tcol = c->col;
		for (i = 0; i < c->npos; i++) {
			if (c->pos[i].off > d.off)
				break;
			c->tline = c->pos[i].line;
			c->tcol = c->pos[i].col;
		}
		ct_fail(c, rc, "%s", cfg_diag_str(&d, msg, sizeof(msg)));
	}
done:
	free(c->pos);
	free(c);
	return rc;
}
