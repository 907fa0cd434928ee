/*
 * devprofile.c: the certificate bootstrapping device profile (see
 * devprofile.h for the element set, which is this product's interpretation,
 * and the XML subset).  Pure code: bytes in, a struct out; the only I/O is
 * devprofile_store()/_load() through platform/nvram.  No recursion, no
 * allocation, every write bounded by its destination.
 *
 * Shape: a UTF-8 / character pre-pass over the whole document (so the
 * tokenizer only ever sees valid characters), then one pass of a small
 * tokenizer that keeps an explicit element stack; each element maps to a
 * node of the schema table (or to "unknown", whose subtree is skipped);
 * leaf values are collected with their references decoded and applied
 * when the element closes; required children are checked when their
 * parent closes.
 */
#include "eue/devprofile.h"

#include <stdlib.h>
#include <string.h>

#include "platform/err.h"
#include "platform/nvram.h"

#define DP_ACC_MAX 8192   /* a leaf's text: base64 of 4096 bytes (5464) plus line breaks */

static const char *const dp_err_names[DP_E__COUNT] = {
	[DP_OK] = "ok",
	[DP_E_SIZE] = "document size",
	[DP_E_ENCODING] = "encoding",
	[DP_E_SYNTAX] = "not well-formed",
	[DP_E_DTD] = "DOCTYPE refused",
	[DP_E_ENTITY] = "entity reference",
	[DP_E_UNSUPPORTED] = "unsupported construct",
	[DP_E_DEPTH] = "too deep",
	[DP_E_COUNT] = "too many items",
	[DP_E_ROOT] = "wrong root element",
	[DP_E_DUPLICATE] = "duplicate",
	[DP_E_TOOMANY] = "too many entries",
	[DP_E_TOOLONG] = "value too long",
	[DP_E_VALUE] = "bad value",
	[DP_E_MISSING] = "missing element",
	[DP_E_CONTENT] = "misplaced content",
};
_Static_assert(sizeof(dp_err_names) / sizeof(dp_err_names[0]) == DP_E__COUNT, "names");

const char *devprofile_err_str(int code)
{
	if (code < 0 || code >= DP_E__COUNT)
		return "?";
	return dp_err_names[code];
}

/* ---------------------------------------------------------------- schema */

enum dp_node {
	N_UNKNOWN = 0,
	N_ROOT,
	N_VERSION,
	N_DEVCREDS,
	N_CERT,
	N_KEY,
	N_USER,
	N_IMPI,
	N_CREDTYPE,
	N_PASSWORD,
	N_IMPU,
	N__COUNT
};

struct dp_schema_row {
	enum dp_node parent;
	const char *name;       /* local name */
	enum dp_node node;
	int leaf;               /* carries a value, no child elements */
};

static const struct dp_schema_row dp_schema[] = {
	{ .parent = N_ROOT, .name = "ProfileVersion", .node = N_VERSION, .leaf = 1 },
	{ .parent = N_ROOT, .name = "DeviceCredentials", .node = N_DEVCREDS, .leaf = 0 },
	{ .parent = N_ROOT, .name = "User", .node = N_USER, .leaf = 0 },
	{ .parent = N_DEVCREDS, .name = "Certificate", .node = N_CERT, .leaf = 1 },
	{ .parent = N_DEVCREDS, .name = "PrivateKey", .node = N_KEY, .leaf = 1 },
	{ .parent = N_USER, .name = "IMPI", .node = N_IMPI, .leaf = 1 },
	{ .parent = N_USER, .name = "CredentialsType", .node = N_CREDTYPE, .leaf = 1 },
	{ .parent = N_USER, .name = "Password", .node = N_PASSWORD, .leaf = 1 },
	{ .parent = N_USER, .name = "IMPU", .node = N_IMPU, .leaf = 1 },
};
#define DP_ROOT_NAME "pktcEUEDevProfile"

/* ---------------------------------------------------------------- context */

struct dp_frame {
	char qname[DEVPROFILE_NAME_MAX + 1];   /* as written, for the end tag */
	enum dp_node node;
	int leaf;
};

struct dp_ctx {
	const uint8_t *s;
	size_t n, i;
	struct devprofile *out;
	struct dp_error *err;
	int code;                     /* first error, sticky */
	size_t err_at;
	unsigned depth, elements;
	struct dp_frame stack[DEVPROFILE_MAX_DEPTH];
	int root_done;
	/* occurrences under the current parents */
	unsigned seen[N__COUNT];      /* per node, reset when the parent opens */
	/* the current leaf's value */
	char acc[DP_ACC_MAX];
	size_t acc_len;
	int acc_over;
};

static int dp_fail(struct dp_ctx *c, int code, const char *why)
{
	if (c->code == DP_OK) {
		c->code = code;
		c->err_at = c->i;
		if (c->err != NULL)
			c->err->why = why;
	}
	return -1;
}

static int is_ws(uint8_t b)
{
	return b == ' ' || b == '\t' || b == '\r' || b == '\n';
}

static int is_name_start(uint8_t b)
{
	return (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || b == '_' || b == ':' || b >= 0x80;
}

static int is_name_char(uint8_t b)
{
	return is_name_start(b) || (b >= '0' && b <= '9') || b == '-' || b == '.';
}

static int at(const struct dp_ctx *c, const char *lit)
{
	size_t k = strlen(lit);

	return c->n - c->i >= k && memcmp(c->s + c->i, lit, k) == 0;
}

static void skip_ws(struct dp_ctx *c)
{
	while (c->i < c->n && is_ws(c->s[c->i]))
		c->i++;
}

/* ---------------------------------------------------------------- characters */

/* The pre-pass: well-formed UTF-8 (no overlong forms, no surrogates, no
 * U+FFFE/U+FFFF), and only XML Chars (no NUL, no C0 but TAB/CR/LF). */
static int dp_check_chars(struct dp_ctx *c)
{
	const uint8_t *s = c->s;
	size_t i = 0, n = c->n;

	while (i < n) {
		uint8_t b = s[i];
		uint32_t cp;
		unsigned k, len;

		if (b < 0x80) {
			if (b < 0x20 && b != '\t' && b != '\n' && b != '\r') {
				c->i = i;
				return dp_fail(c, DP_E_ENCODING, "control character or NUL");
			}
			i++;
			continue;
		}
		if (b >= 0xc2 && b <= 0xdf) {
			len = 2;
			cp = b & 0x1fu;
		} else if (b >= 0xe0 && b <= 0xef) {
			len = 3;
			cp = b & 0x0fu;
		} else if (b >= 0xf0 && b <= 0xf4) {
			len = 4;
			cp = b & 0x07u;
		} else {
			c->i = i;
			return dp_fail(c, DP_E_ENCODING, "invalid UTF-8 lead byte");
		}
		if (n - i < len) {
			c->i = i;
			return dp_fail(c, DP_E_ENCODING, "truncated UTF-8 sequence");
		}
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80) {
				c->i = i;
				return dp_fail(c, DP_E_ENCODING, "invalid UTF-8 continuation");
			}
			cp = (cp << 6) | (s[i + k] & 0x3fu);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe || cp == 0xffff) {
			c->i = i;
			return dp_fail(c, DP_E_ENCODING, "overlong UTF-8 or non-character");
		}
		i += len;
	}
	return 0;
}

static int xml_char_ok(uint32_t cp)
{
	return cp == 0x9 || cp == 0xa || cp == 0xd || (cp >= 0x20 && cp <= 0xd7ff) ||
	       (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/* Append to the leaf's value; past DP_ACC_MAX the value is marked too long
 * (reported when it closes, so the position is the element's end). */
static void acc_put(struct dp_ctx *c, const uint8_t *p, size_t k)
{
	if (c->acc_over || k > sizeof(c->acc) - 1 - c->acc_len) {
		c->acc_over = 1;
		return;
	}
	memcpy(c->acc + c->acc_len, p, k);
	c->acc_len += k;
}

/* A reference at c->s[c->i] == '&': the predefined five and character
 * references only.  The decoded bytes go to buf (>= 4 bytes); *k their count. */
static int dp_reference(struct dp_ctx *c, uint8_t buf[4], size_t *k)
{
	static const struct { const char *name; uint8_t ch; } predef[] = {
		{ "lt;", '<' }, { "gt;", '>' }, { "amp;", '&' }, { "quot;", '"' }, { "apos;", '\'' },
	};
	unsigned j;

	c->i++;   /* '&' */
	if (c->i < c->n && c->s[c->i] == '#') {
		uint32_t cp = 0;
		unsigned digits = 0, base = 10;

		c->i++;
		if (c->i < c->n && c->s[c->i] == 'x') {
			base = 16;
			c->i++;
		}
		while (c->i < c->n && c->s[c->i] != ';') {
			uint8_t d = c->s[c->i];
			unsigned v;

			if (d >= '0' && d <= '9')
				v = d - '0';
			else if (base == 16 && d >= 'a' && d <= 'f')
				v = d - 'a' + 10;
			else if (base == 16 && d >= 'A' && d <= 'F')
				v = d - 'A' + 10;
			else
				return dp_fail(c, DP_E_ENTITY, "bad character reference");
			if (++digits > 8)
				return dp_fail(c, DP_E_ENTITY, "character reference too long");
			cp = cp * base + v;
			c->i++;
		}
		if (c->i == c->n || digits == 0 || !xml_char_ok(cp))
			return dp_fail(c, DP_E_ENTITY, "bad character reference");
		c->i++;   /* ';' */
		if (cp < 0x80) {
			buf[0] = (uint8_t)cp;
			*k = 1;
		} else if (cp < 0x800) {
			buf[0] = (uint8_t)(0xc0 | (cp >> 6));
			buf[1] = (uint8_t)(0x80 | (cp & 0x3f));
			*k = 2;
		} else if (cp < 0x10000) {
			buf[0] = (uint8_t)(0xe0 | (cp >> 12));
			buf[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
			buf[2] = (uint8_t)(0x80 | (cp & 0x3f));
			*k = 3;
		} else {
			buf[0] = (uint8_t)(0xf0 | (cp >> 18));
			buf[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3f));
			buf[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
			buf[3] = (uint8_t)(0x80 | (cp & 0x3f));
			*k = 4;
		}
		return 0;
	}
	for (j = 0; j < sizeof(predef) / sizeof(predef[0]); j++)
		if (at(c, predef[j].name)) {
			c->i += strlen(predef[j].name);
			buf[0] = predef[j].ch;
			*k = 1;
			return 0;
		}
	/* anything else would need a DTD to mean something: never expanded */
	return dp_fail(c, DP_E_ENTITY, "undeclared entity reference (only the predefined five)");
}

/* ---------------------------------------------------------------- values */

static size_t trim(const char *s, size_t len, const char **start)
{
	while (len > 0 && is_ws((uint8_t)s[0])) {
		s++;
		len--;
	}
	while (len > 0 && is_ws((uint8_t)s[len - 1]))
		len--;
	*start = s;
	return len;
}

static int b64_val(uint8_t ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9')
		return ch - '0' + 52;
	if (ch == '+')
		return 62;
	if (ch == '/')
		return 63;
	return -1;
}

/* Base64 (RFC 4648 section 4) with XML white space anywhere; '=' only as
 * the last one or two characters of the final quantum.  Returns the
 * decoded length, -1 for a malformed text, -2 when it does not fit. */
static long b64_decode(const char *s, size_t len, uint8_t *out, size_t cap)
{
	uint32_t acc = 0;
	unsigned q = 0, pad = 0;
	size_t o = 0, i;

	for (i = 0; i < len; i++) {
		uint8_t ch = (uint8_t)s[i];
		int v;

		if (is_ws(ch))
			continue;
		if (ch == '=') {
			if (q < 2)
				return -1;
			pad++;
			q++;
			acc <<= 6;
			if (q == 4) {
				if (pad > 2)
					return -1;
				break;
			}
			continue;
		}
		if (pad > 0 || (v = b64_val(ch)) < 0)
			return -1;
		acc = (acc << 6) | (uint32_t)v;
		if (++q == 4) {
			if (cap - o < 3)
				return -2;
			out[o++] = (uint8_t)(acc >> 16);
			out[o++] = (uint8_t)(acc >> 8);
			out[o++] = (uint8_t)acc;
			q = 0;
			acc = 0;
		}
	}
	if (pad > 0) {
		/* the final quantum "xx==" or "xxx=": nothing but white space after */
		for (i++; i < len; i++)
			if (!is_ws((uint8_t)s[i]))
				return -1;
		if (q != 4)
			return -1;
		if (cap - o < 3u - pad)
			return -2;
		out[o++] = (uint8_t)(acc >> 16);
		if (pad == 1)
			out[o++] = (uint8_t)(acc >> 8);
		return (long)o;
	}
	if (q != 0)
		return -1;
	return (long)o;
}

static int has_space_or_ctl(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((uint8_t)s[i] <= 0x20 || s[i] == 0x7f)
			return 1;
	return 0;
}

static int prefix_ci(const char *s, size_t len, const char *p)
{
	size_t k = strlen(p), i;

	if (len < k)
		return 0;
	for (i = 0; i < k; i++) {
		char a = s[i];

		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (a != p[i])
			return 0;
	}
	return 1;
}

static int copy_text(struct dp_ctx *c, char *dst, size_t cap, const char *v, size_t len)
{
	if (len == 0)
		return dp_fail(c, DP_E_VALUE, "empty value");
	if (len > cap - 1)
		return dp_fail(c, DP_E_TOOLONG, "value longer than its field");
	memcpy(dst, v, len);
	dst[len] = '\0';
	return 0;
}

/* A leaf element closes: its (trimmed) value into the result. */
static int dp_apply_leaf(struct dp_ctx *c, enum dp_node node)
{
	struct devprofile *o = c->out;
	struct devprofile_user *u = o->n_users ? &o->users[o->n_users - 1] : NULL;
	const char *v;
	size_t len;
	long dl;

	if (c->acc_over)
		return dp_fail(c, DP_E_TOOLONG, "value longer than any field");
	len = trim(c->acc, c->acc_len, &v);
	switch (node) {
	case N_VERSION:
		return copy_text(c, o->version, sizeof(o->version), v, len);
	case N_CERT:
	case N_KEY:
		if (len == 0)
			return dp_fail(c, DP_E_VALUE, "empty value");
		dl = b64_decode(v, len, node == N_CERT ? o->cert_der : o->key_der, DEVPROFILE_DER_MAX);
		if (dl == -2)
			return dp_fail(c, DP_E_TOOLONG, "certificate or key larger than 4096 bytes");
		if (dl <= 0)
			return dp_fail(c, DP_E_VALUE, "malformed base64");
		if (node == N_CERT)
			o->cert_len = (size_t)dl;
		else
			o->key_len = (size_t)dl;
		return 0;
	case N_IMPI:
		if (u == NULL)
			break;
		if (has_space_or_ctl(v, len))
			return dp_fail(c, DP_E_VALUE, "white space in an identity");
		return copy_text(c, u->impi, sizeof(u->impi), v, len);
	case N_CREDTYPE:
		if (u == NULL)
			break;
		if (len != 6 || !prefix_ci(v, len, "digest"))
			return dp_fail(c, DP_E_VALUE, "unsupported CredentialsType (digest only)");
		u->cred_type = DEVPROFILE_CRED_DIGEST;
		return 0;
	case N_PASSWORD:
		if (u == NULL)
			break;
		return copy_text(c, u->password, sizeof(u->password), v, len);
	case N_IMPU:
		if (u == NULL)
			break;
		if (u->n_impu == DEVPROFILE_IMPU_MAX)
			return dp_fail(c, DP_E_TOOMANY, "more than 8 IMPU in a User");
		if (has_space_or_ctl(v, len))
			return dp_fail(c, DP_E_VALUE, "white space in an identity");
		if (!(prefix_ci(v, len, "sip:") && len > 4) && !(prefix_ci(v, len, "sips:") && len > 5) &&
		    !(prefix_ci(v, len, "tel:") && len > 4))
			return dp_fail(c, DP_E_VALUE, "IMPU is not a sip:, sips: or tel: URI");
		if (copy_text(c, u->impu[u->n_impu], sizeof(u->impu[0]), v, len) != 0)
			return -1;
		u->n_impu++;
		return 0;
	default:
		break;
	}
	return dp_fail(c, DP_E_SYNTAX, "internal: value without a place");
}

/* A container closes: its required children. */
static int dp_close_container(struct dp_ctx *c, enum dp_node node)
{
	struct devprofile *o = c->out;

	switch (node) {
	case N_DEVCREDS:
		if (o->cert_len == 0 || o->key_len == 0)
			return dp_fail(c, DP_E_MISSING, "DeviceCredentials needs Certificate and PrivateKey");
		o->has_device_creds = 1;
		return 0;
	case N_USER: {
		const struct devprofile_user *u = &o->users[o->n_users - 1];

		if (u->impi[0] == '\0')
			return dp_fail(c, DP_E_MISSING, "User without IMPI");
		if (u->password[0] == '\0')
			return dp_fail(c, DP_E_MISSING, "User without Password");
		if (u->n_impu == 0)
			return dp_fail(c, DP_E_MISSING, "User without IMPU");
		return 0;
	}
	case N_ROOT:
		if (o->n_users == 0)
			return dp_fail(c, DP_E_MISSING, "no User in the profile");
		return 0;
	default:
		return 0;
	}
}

/* ---------------------------------------------------------------- elements */

static const char *local_name(const char *q)
{
	const char *colon = strrchr(q, ':');

	return colon ? colon + 1 : q;
}

/* A name at c->i into buf (NUL-terminated). */
static int dp_name(struct dp_ctx *c, char buf[DEVPROFILE_NAME_MAX + 1])
{
	size_t k = 0;

	if (c->i == c->n || !is_name_start(c->s[c->i]))
		return dp_fail(c, DP_E_SYNTAX, "name expected");
	while (c->i < c->n && is_name_char(c->s[c->i])) {
		if (k == DEVPROFILE_NAME_MAX)
			return dp_fail(c, DP_E_COUNT, "name longer than 64 bytes");
		buf[k++] = (char)c->s[c->i++];
	}
	buf[k] = '\0';
	return 0;
}

/* One attribute value (quoted), checked and discarded: no attribute of the
 * element set carries data we use. */
static int dp_attr_value(struct dp_ctx *c)
{
	uint8_t q, tmp[4];
	size_t k;

	if (c->i == c->n || (c->s[c->i] != '"' && c->s[c->i] != '\''))
		return dp_fail(c, DP_E_SYNTAX, "quoted attribute value expected");
	q = c->s[c->i++];
	while (c->i < c->n && c->s[c->i] != q) {
		if (c->s[c->i] == '<')
			return dp_fail(c, DP_E_SYNTAX, "'<' in an attribute value");
		if (c->s[c->i] == '&') {
			if (dp_reference(c, tmp, &k) != 0)
				return -1;
			continue;
		}
		c->i++;
	}
	if (c->i == c->n)
		return dp_fail(c, DP_E_SYNTAX, "unterminated attribute value");
	c->i++;
	return 0;
}

static enum dp_node dp_lookup(enum dp_node parent, const char *lname, int *leaf)
{
	size_t j;

	*leaf = 0;
	if (parent == N_UNKNOWN)
		return N_UNKNOWN;
	for (j = 0; j < sizeof(dp_schema) / sizeof(dp_schema[0]); j++)
		if (dp_schema[j].parent == parent && strcmp(dp_schema[j].name, lname) == 0) {
			*leaf = dp_schema[j].leaf;
			return dp_schema[j].node;
		}
	return N_UNKNOWN;
}

/* The element just opened: occurrence rules, and the slots it starts. */
static int dp_enter(struct dp_ctx *c, enum dp_node node)
{
	struct devprofile *o = c->out;

	switch (node) {
	case N_VERSION:
	case N_DEVCREDS:
	case N_CERT:
	case N_KEY:
	case N_IMPI:
	case N_CREDTYPE:
	case N_PASSWORD:
		if (c->seen[node]++)
			return dp_fail(c, DP_E_DUPLICATE, "element may occur once");
		return 0;
	case N_USER:
		if (o->n_users == DEVPROFILE_USERS_MAX)
			return dp_fail(c, DP_E_TOOMANY, "more than 4 User elements");
		o->users[o->n_users].cred_type = DEVPROFILE_CRED_DIGEST;
		o->n_users++;
		c->seen[N_IMPI] = c->seen[N_CREDTYPE] = c->seen[N_PASSWORD] = 0;
		return 0;
	case N_UNKNOWN:
		o->unknown++;
		return 0;
	default:
		return 0;
	}
}

/* "<name attrs... >" or "/>" at c->i (after '<'). */
static int dp_start_tag(struct dp_ctx *c)
{
	char names[DEVPROFILE_MAX_ATTRS][DEVPROFILE_NAME_MAX + 1];
	struct dp_frame *f;
	unsigned nattr = 0, j;
	int empty = 0, leaf;
	enum dp_node parent, node;

	if (c->root_done)
		return dp_fail(c, DP_E_SYNTAX, "content after the root element");
	if (c->depth == DEVPROFILE_MAX_DEPTH)
		return dp_fail(c, DP_E_DEPTH, "elements nested deeper than 8");
	if (++c->elements > DEVPROFILE_MAX_ELEMENTS)
		return dp_fail(c, DP_E_COUNT, "more than 512 elements");
	if (c->depth > 0 && c->stack[c->depth - 1].leaf)
		return dp_fail(c, DP_E_CONTENT, "element inside a value");
	f = &c->stack[c->depth];
	if (dp_name(c, f->qname) != 0)
		return -1;
	for (;;) {
		size_t before = c->i;

		skip_ws(c);
		if (c->i == c->n)
			return dp_fail(c, DP_E_SYNTAX, "unterminated start tag");
		if (c->s[c->i] == '>') {
			c->i++;
			break;
		}
		if (at(c, "/>")) {
			c->i += 2;
			empty = 1;
			break;
		}
		if (c->i == before)
			return dp_fail(c, DP_E_SYNTAX, "white space expected before an attribute");
		if (nattr == DEVPROFILE_MAX_ATTRS)
			return dp_fail(c, DP_E_COUNT, "more than 8 attributes");
		if (dp_name(c, names[nattr]) != 0)
			return -1;
		for (j = 0; j < nattr; j++)
			if (strcmp(names[j], names[nattr]) == 0)
				return dp_fail(c, DP_E_DUPLICATE, "repeated attribute");
		nattr++;
		skip_ws(c);
		if (c->i == c->n || c->s[c->i] != '=')
			return dp_fail(c, DP_E_SYNTAX, "'=' expected after an attribute name");
		c->i++;
		skip_ws(c);
		if (dp_attr_value(c) != 0)
			return -1;
	}
	if (c->depth == 0) {
		if (strcmp(local_name(f->qname), DP_ROOT_NAME) != 0)
			return dp_fail(c, DP_E_ROOT, "root element is not pktcEUEDevProfile");
		node = N_ROOT;
		leaf = 0;
	} else {
		parent = c->stack[c->depth - 1].node;
		node = dp_lookup(parent, local_name(f->qname), &leaf);
	}
	f->node = node;
	f->leaf = leaf;
	c->depth++;
	if (dp_enter(c, node) != 0)
		return -1;
	c->acc_len = 0;
	c->acc_over = 0;
	if (!empty)
		return 0;
	/* <x/>: open and close at once */
	c->depth--;
	if (leaf)
		return dp_apply_leaf(c, node);
	if (dp_close_container(c, node) != 0)
		return -1;
	if (c->depth == 0)
		c->root_done = 1;
	return 0;
}

/* "</name>" at c->i (after "</"). */
static int dp_end_tag(struct dp_ctx *c)
{
	char name[DEVPROFILE_NAME_MAX + 1];
	struct dp_frame *f;

	if (c->depth == 0)
		return dp_fail(c, DP_E_SYNTAX, "end tag without a start tag");
	if (dp_name(c, name) != 0)
		return -1;
	skip_ws(c);
	if (c->i == c->n || c->s[c->i] != '>')
		return dp_fail(c, DP_E_SYNTAX, "'>' expected to end an end tag");
	f = &c->stack[c->depth - 1];
	if (strcmp(name, f->qname) != 0)
		return dp_fail(c, DP_E_SYNTAX, "end tag does not match the start tag");
	c->i++;
	c->depth--;
	if (f->leaf) {
		if (dp_apply_leaf(c, f->node) != 0)
			return -1;
	} else if (dp_close_container(c, f->node) != 0) {
		return -1;
	}
	if (c->depth == 0)
		c->root_done = 1;
	return 0;
}

/* Character data up to the next '<' (or the end) outside a leaf: white
 * space anywhere, other text only inside unknown elements (ignored). */
static int dp_text(struct dp_ctx *c)
{
	const struct dp_frame *f = c->depth ? &c->stack[c->depth - 1] : NULL;

	while (c->i < c->n && c->s[c->i] != '<') {
		uint8_t b = c->s[c->i], tmp[4];
		size_t k = 1;

		if (b == '&') {
			if (dp_reference(c, tmp, &k) != 0)
				return -1;
			if (f == NULL)
				return dp_fail(c, DP_E_CONTENT, "text outside the root element");
		} else {
			tmp[0] = b;
			c->i++;
			if (is_ws(b))
				continue;
			if (b == '>' && c->i >= 3 && memcmp(c->s + c->i - 3, "]]>", 3) == 0)
				return dp_fail(c, DP_E_SYNTAX, "']]>' in text");
			if (f == NULL)
				return dp_fail(c, DP_E_CONTENT, "text outside the root element");
		}
		if (f->node != N_UNKNOWN)
			return dp_fail(c, DP_E_CONTENT, "text where only elements belong");
	}
	return 0;
}

/* Character data inside a leaf: collected, references decoded (the value
 * is trimmed when the element closes). */
static int dp_text_leaf(struct dp_ctx *c)
{
	while (c->i < c->n && c->s[c->i] != '<') {
		uint8_t tmp[4];
		size_t k = 1;

		if (c->s[c->i] == '&') {
			if (dp_reference(c, tmp, &k) != 0)
				return -1;
		} else {
			tmp[0] = c->s[c->i++];
			if (tmp[0] == '>' && c->i >= 3 && memcmp(c->s + c->i - 3, "]]>", 3) == 0)
				return dp_fail(c, DP_E_SYNTAX, "']]>' in text");
		}
		acc_put(c, tmp, k);
	}
	return 0;
}

/* "<!--" at c->i: skip to "-->" ("--" inside is not XML). */
static int dp_comment(struct dp_ctx *c)
{
	c->i += 4;
	while (c->i < c->n) {
		if (at(c, "--")) {
			if (at(c, "-->")) {
				c->i += 3;
				return 0;
			}
			return dp_fail(c, DP_E_SYNTAX, "'--' inside a comment");
		}
		c->i++;
	}
	return dp_fail(c, DP_E_SYNTAX, "unterminated comment");
}

/* The XML declaration at the very start: version 1.x, encoding UTF-8 if named. */
static int dp_decl(struct dp_ctx *c)
{
	size_t end = c->i, k;
	const uint8_t *p;
	size_t len;

	while (end + 1 < c->n && !(c->s[end] == '?' && c->s[end + 1] == '>'))
		end++;
	if (end + 1 >= c->n)
		return dp_fail(c, DP_E_SYNTAX, "unterminated XML declaration");
	p = c->s + c->i;
	len = end - c->i;
	for (k = 0; k + 8 <= len; k++)
		if (memcmp(p + k, "encoding", 8) == 0) {
			size_t v = k + 8;

			while (v < len && (is_ws(p[v]) || p[v] == '='))
				v++;
			if (v < len && (p[v] == '"' || p[v] == '\''))
				v++;
			if (len - v < 5 || !prefix_ci((const char *)p + v, 5, "utf-8") ||
			    (len - v > 5 && p[v + 5] != '"' && p[v + 5] != '\''))
				return dp_fail(c, DP_E_ENCODING, "declared encoding is not UTF-8");
		}
	c->i = end + 2;
	return 0;
}

/* ---------------------------------------------------------------- the pass */

static int dp_markup(struct dp_ctx *c, int at_start)
{
	if (at(c, "<!--"))
		return dp_comment(c);
	if (at(c, "<!DOCTYPE") || at(c, "<!doctype"))
		return dp_fail(c, DP_E_DTD, "DOCTYPE refused (no DTDs, no entity declarations)");
	if (at(c, "<![CDATA["))
		return dp_fail(c, DP_E_UNSUPPORTED, "CDATA section");
	if (at(c, "<!"))
		return dp_fail(c, DP_E_SYNTAX, "unknown markup declaration");
	if (at(c, "<?xml") && c->n - c->i > 5 && is_ws(c->s[c->i + 5])) {
		if (!at_start)
			return dp_fail(c, DP_E_SYNTAX, "XML declaration not at the start");
		c->i += 5;
		return dp_decl(c);
	}
	if (at(c, "<?"))
		return dp_fail(c, DP_E_UNSUPPORTED, "processing instruction");
	if (at(c, "</")) {
		c->i += 2;
		return dp_end_tag(c);
	}
	c->i++;
	return dp_start_tag(c);
}

static void dp_position(const struct dp_ctx *c, struct dp_error *e)
{
	size_t i, end = c->err_at < c->n ? c->err_at : c->n;

	e->line = 1;
	e->col = 1;
	for (i = 0; i < end; i++) {
		if (c->s[i] == '\n') {
			e->line++;
			e->col = 1;
		} else {
			e->col++;
		}
	}
}

static int dp_rc(int code)
{
	switch (code) {
	case DP_OK: return 0;
	case DP_E_SIZE: return E_OVERFLOW;
	case DP_E_DTD:
	case DP_E_UNSUPPORTED: return E_UNSUPPORTED;
	case DP_E_DEPTH:
	case DP_E_COUNT:
	case DP_E_TOOMANY:
	case DP_E_TOOLONG: return E_RANGE;
	case DP_E_MISSING: return E_NOTFOUND;
	default: return E_PROTO;
	}
}

int devprofile_parse(const uint8_t *doc, size_t len, struct devprofile *out, struct dp_error *err)
{
	struct dp_ctx c;
	int rc = 0;

	if (out == NULL || (doc == NULL && len > 0))
		return E_INVAL;
	memset(out, 0, sizeof(*out));
	if (err != NULL)
		memset(err, 0, sizeof(*err));
	memset(&c, 0, sizeof(c));
	c.s = doc;
	c.n = len;
	c.out = out;
	c.err = err;
	if (len == 0 || len > DEVPROFILE_MAX_SIZE) {
		(void)dp_fail(&c, DP_E_SIZE, len ? "document larger than 64 KB" : "empty document");
		goto out;
	}
	if (len >= 3 && memcmp(doc, "\xef\xbb\xbf", 3) == 0)
		c.i = 3;   /* the UTF-8 byte order mark */
	if (dp_check_chars(&c) != 0)
		goto out;
	c.i = len >= 3 && memcmp(doc, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	{
		size_t first = c.i;

		while (c.i < c.n && rc == 0) {
			if (c.s[c.i] == '<')
				rc = dp_markup(&c, c.i == first);
			else if (c.depth > 0 && c.stack[c.depth - 1].leaf)
				rc = dp_text_leaf(&c);
			else
				rc = dp_text(&c);
		}
	}
	if (rc == 0 && c.depth > 0)
		(void)dp_fail(&c, DP_E_SYNTAX, "document ends inside an element");
	else if (rc == 0 && !c.root_done)
		(void)dp_fail(&c, DP_E_MISSING, "no root element");
out:
	if (c.code != DP_OK) {
		if (err != NULL) {
			err->code = c.code;
			dp_position(&c, err);
		}
		memset(out, 0, sizeof(*out));   /* nothing half-parsed leaks out */
	}
	return dp_rc(c.code);
}

/* ---------------------------------------------------------------- storage */

int devprofile_store(struct nvram *nv, const uint8_t *doc, size_t len, struct devprofile *out,
		     struct dp_error *err)
{
	struct devprofile *p = out ? out : malloc(sizeof(*p));
	int rc;

	if (p == NULL)
		return E_NOMEM;
	rc = nv == NULL ? E_INVAL : devprofile_parse(doc, len, p, err);
	if (rc == 0)
		rc = nvram_put(nv, DEVPROFILE_NVRAM_KEY, doc, len);
	if (p != out)
		free(p);
	return rc;
}

int devprofile_load(struct nvram *nv, struct devprofile *out, struct dp_error *err)
{
	uint8_t *buf;
	size_t len = 0;
	int rc;

	if (nv == NULL || out == NULL)
		return E_INVAL;
	memset(out, 0, sizeof(*out));
	if (err != NULL)
		memset(err, 0, sizeof(*err));
	buf = malloc(DEVPROFILE_MAX_SIZE);
	if (buf == NULL)
		return E_NOMEM;
	rc = nvram_get(nv, DEVPROFILE_NVRAM_KEY, buf, DEVPROFILE_MAX_SIZE, &len);
	if (rc == E_OVERFLOW)
		rc = E_CORRUPT;   /* we never store more than the parser accepts */
	else if (rc == 0)
		rc = devprofile_parse(buf, len, out, err);
	free(buf);
	return rc;
}
