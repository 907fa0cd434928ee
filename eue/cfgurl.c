/*
 * cfgurl.c: parse and build the configuration file URL (see cfgurl.h).
 *
 * The parser walks the text once, left to right, with the remaining length
 * beside the pointer; every refusal names its reason.  Only libc (and
 * inet_pton for the literals); no I/O.
 */
#include "eue/cfgurl.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "platform/err.h"

#define FAIL(code, reason) do { rc = (code); reason_s = (reason); goto bad; } while (0)

static int is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int lower(int c) { return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c; }

static int hexval(int c)
{
	if (is_digit(c))
		return c - '0';
	c = lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* RFC 3986 2.3 unreserved */
static int is_unreserved(int c)
{
	return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

/* RFC 3986 3.3 pchar without pct-encoded (checked separately) */
static int is_pchar(int c)
{
	return is_unreserved(c) || (c != 0 && strchr("!$&'()*+,;=:@", c) != NULL);
}

static int ieq(const char *a, size_t alen, const char *b)
{
	size_t i, blen = strlen(b);

	if (alen != blen)
		return 0;
	for (i = 0; i < alen; i++)
		if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
			return 0;
	return 1;
}

/*
 * An FQDN (RFC 1123 2.1 host names): labels of letters, digits and hyphens,
 * 1..63 bytes, not starting or ending with a hyphen, 253 bytes in all; one
 * final dot allowed (and dropped).  A name of digits and dots only is a
 * mistyped IPv4 address, not a name (RFC 3986 3.2.2 "first-match-wins").
 */
static int parse_fqdn(struct cfgurl *u, const char *h, size_t n, const char **why)
{
	size_t i, lab = 0, out = 0;
	int alpha = 0;

	if (n > 0 && h[n - 1] == '.')
		n--;
	if (n == 0) {
		*why = "empty host";
		return E_PROTO;
	}
	if (n > DNSNAME_TEXT_MAX - 1) {
		*why = "host name longer than 253 bytes";
		return E_RANGE;
	}
	for (i = 0; i < n; i++) {
		int c = (unsigned char)h[i];

		if (c == '.') {
			if (lab == 0 || h[i - 1] == '-') {
				*why = "bad label in host name";
				return E_PROTO;
			}
			lab = 0;
		} else if (is_alpha(c) || is_digit(c) || c == '-') {
			if (c == '-' && lab == 0) {
				*why = "bad label in host name";
				return E_PROTO;
			}
			if (++lab > 63) {
				*why = "host name label longer than 63 bytes";
				return E_RANGE;
			}
			alpha |= !is_digit(c);
		} else {
			*why = "bad character in host";
			return E_PROTO;
		}
		u->host[out++] = (char)lower(c);
	}
	if (h[n - 1] == '-' || h[n - 1] == '.') {   /* "a.." : an empty last label */
		*why = "bad label in host name";
		return E_PROTO;
	}
	if (!alpha) {
		*why = "malformed IPv4 address";
		return E_PROTO;
	}
	u->host[out] = '\0';
	u->host_kind = CFGURL_HOST_FQDN;
	return 0;
}

static int parse_host(struct cfgurl *u, const char *h, size_t n, const char **why)
{
	char tmp[64];

	if (n == 0) {
		*why = "empty host";
		return E_PROTO;
	}
	if (h[0] == '[') {
		/* RFC 3986 3.2.2 IP-literal; spec eUE-19 note 3 */
		if (n < 3 || h[n - 1] != ']') {
			*why = "unterminated IPv6 literal";
			return E_PROTO;
		}
		h++;
		n -= 2;
		if (h[0] == 'v' || h[0] == 'V') {
			*why = "IPvFuture literals not supported";
			return E_UNSUPPORTED;
		}
		if (memchr(h, '%', n) != NULL) {
			*why = "IPv6 zone identifiers not supported";
			return E_UNSUPPORTED;
		}
		if (n >= sizeof(tmp)) {
			*why = "malformed IPv6 address";
			return E_PROTO;
		}
		memcpy(tmp, h, n);
		tmp[n] = '\0';
		if (inet_pton(AF_INET6, tmp, u->addr) != 1) {
			*why = "malformed IPv6 address";
			return E_PROTO;
		}
		memcpy(u->host, tmp, n + 1);
		u->host_kind = CFGURL_HOST_IPV6;
		return 0;
	}
	if (is_digit((unsigned char)h[0]) && n < sizeof(tmp)) {
		memcpy(tmp, h, n);
		tmp[n] = '\0';
		/* glibc's inet_pton(AF_INET) takes only four decimal parts (no
		 * octal, hex or short forms), RFC 3986 dec-octet's rule. */
		if (inet_pton(AF_INET, tmp, u->addr) == 1) {
			memcpy(u->host, tmp, n + 1);
			u->host_kind = CFGURL_HOST_IPV4;
			return 0;
		}
	}
	return parse_fqdn(u, h, n, why);
}

/* Validate raw[0..n) as path characters (pchar, '/', and for http '?' in
 * the query) and decode it into out (cap bytes with the NUL).  A decoded
 * NUL or control byte is refused: the TFTP file name is a C string in the
 * RRQ (RFC 1350 section 5), and such names serve no configuration file. */
static int decode_path(const char *raw, size_t n, int allow_query, char *out, size_t cap,
		       const char **why)
{
	size_t i, o = 0;
	int in_query = 0;

	for (i = 0; i < n; i++) {
		int c = (unsigned char)raw[i];

		if (c == '%') {
			int hi, lo;

			if (n - i < 3 || (hi = hexval((unsigned char)raw[i + 1])) < 0 ||
			    (lo = hexval((unsigned char)raw[i + 2])) < 0) {
				*why = "bad percent-escape";
				return E_PROTO;
			}
			c = hi * 16 + lo;
			i += 2;
			if (c < 0x20 || c == 0x7f) {
				*why = "NUL or control character in file name";
				return E_PROTO;
			}
		} else if (c == '?' && allow_query) {
			in_query = 1;
		} else if (!(is_pchar(c) || c == '/' || (in_query && c == '?'))) {
			*why = c == '#' ? "fragment not allowed" : "bad character in path";
			return E_PROTO;
		}
		if (!in_query) {
			if (o + 1 >= cap) {
				*why = "path too long";
				return E_OVERFLOW;
			}
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
	return 0;
}

int cfgurl_parse(struct cfgurl *u, const char *text, size_t len, const char **why)
{
	const char *reason_s = NULL, *p, *end, *auth, *auth_end, *host_end, *path, *path_end;
	int rc;
	size_t i;

	memset(u, 0, sizeof(*u));
	if (text == NULL)
		FAIL(E_INVAL, "no URL");
	if (len > CFGURL_MAX)
		FAIL(E_OVERFLOW, "URL longer than 255 bytes");
	if (memchr(text, '\0', len) != NULL)
		FAIL(E_PROTO, "NUL in URL");
	for (i = 0; i < len; i++)
		if ((unsigned char)text[i] <= 0x20 || (unsigned char)text[i] >= 0x7f)
			FAIL(E_PROTO, "space, control or non-ASCII byte in URL");
	end = text + len;

	/* scheme (case-insensitive, RFC 3986 3.1) */
	p = memchr(text, ':', len);
	if (p == NULL || end - p < 3 || p[1] != '/' || p[2] != '/')
		FAIL(E_PROTO, "not an absolute URL (scheme://host/...)");
	if (ieq(text, (size_t)(p - text), "tftp")) {
		u->scheme = CFGURL_TFTP;
		u->port = 69;
	} else if (ieq(text, (size_t)(p - text), "http")) {
		u->scheme = CFGURL_HTTP;
		u->port = 80;
	} else {
		FAIL(E_UNSUPPORTED, "scheme not tftp or http");
	}

	/* authority: up to the first '/' (a '?' or '#' before it is refused) */
	auth = p + 3;
	for (auth_end = auth; auth_end < end && *auth_end != '/'; auth_end++) {
		if (*auth_end == '?' || *auth_end == '#')
			FAIL(E_PROTO, "no path");
		if (*auth_end == '@')
			FAIL(E_PROTO, "userinfo not allowed");
	}
	if (auth_end == end)
		FAIL(E_PROTO, "no path");
	host_end = auth_end;
	if (auth < auth_end && auth[0] == '[') {
		const char *rb = memchr(auth, ']', (size_t)(auth_end - auth));

		if (rb == NULL)
			FAIL(E_PROTO, "unterminated IPv6 literal");
		host_end = rb + 1;
		if (host_end != auth_end && *host_end != ':')
			FAIL(E_PROTO, "junk after IPv6 literal");
	} else {
		const char *c = memchr(auth, ':', (size_t)(auth_end - auth));

		if (c != NULL)
			host_end = c;
	}
	if (host_end < auth_end) {
		/* ":port"; an empty port means the default (RFC 3986 3.2.3) */
		unsigned long v = 0;
		const char *q;

		for (q = host_end + 1; q < auth_end; q++)
			if (!is_digit((unsigned char)*q))
				FAIL(E_PROTO, "bad port");
		if (auth_end - host_end > 6)     /* ':' and five digits at most */
			FAIL(E_RANGE, "bad port");
		for (q = host_end + 1; q < auth_end; q++)
			v = v * 10 + (unsigned long)(*q - '0');
		if (q != host_end + 1) {
			if (v == 0 || v > 65535)
				FAIL(E_RANGE, "bad port");
			u->port = (uint16_t)v;
			u->port_given = 1;
		}
	}
	rc = parse_host(u, auth, (size_t)(host_end - auth), &reason_s);
	if (rc != 0)
		goto bad;

	/* path; tftp: an optional final ";mode=" (RFC 3617 section 2) */
	path = auth_end;
	path_end = end;
	if (memchr(path, '#', (size_t)(end - path)) != NULL)
		FAIL(E_PROTO, "fragment not allowed");
	if (u->scheme == CFGURL_TFTP) {
		const char *semi = NULL, *q;

		if (memchr(path, '?', (size_t)(end - path)) != NULL)
			FAIL(E_PROTO, "query not allowed in a tftp URL");
		for (q = path; q < end; q++)
			if (*q == ';')
				semi = q;
		if (semi != NULL) {
			size_t ml = (size_t)(end - semi);

			if (ieq(semi, ml, ";mode=octet")) {
				u->netascii = 0;
			} else if (ieq(semi, ml, ";mode=netascii")) {
				u->netascii = 1;
			} else if (ml >= 6 && ieq(semi, 6, ";mode=")) {
				FAIL(E_UNSUPPORTED, "tftp mode not octet or netascii");
			} else {
				FAIL(E_PROTO, "';' in a tftp file name (only ;mode= allowed)");
			}
			path_end = semi;
		}
		if (path_end - path < 2)
			FAIL(E_PROTO, "empty file name");
		rc = decode_path(path + 1, (size_t)(path_end - path - 1), 0, u->file,
				 sizeof(u->file), &reason_s);
	} else {
		rc = decode_path(path, (size_t)(end - path), 1, u->file, sizeof(u->file),
				 &reason_s);
	}
	if (rc != 0)
		goto bad;
	memcpy(u->path, path, (size_t)(path_end - path));
	u->path[path_end - path] = '\0';
	if (why != NULL)
		*why = NULL;
	return 0;
bad:
	if (why != NULL)
		*why = reason_s;
	memset(u, 0, sizeof(*u));     /* nothing half-filled for a careless caller */
	return rc;
}

int cfgurl_format(const struct cfgurl *u, char *buf, size_t cap)
{
	char port[8] = "";
	int n;

	if (u->port_given)
		(void)snprintf(port, sizeof(port), ":%u", (unsigned)u->port);
	n = snprintf(buf, cap, "%s://%s%s%s%s%s%s",
		     u->scheme == CFGURL_HTTP ? "http" : "tftp",
		     u->host_kind == CFGURL_HOST_IPV6 ? "[" : "", u->host,
		     u->host_kind == CFGURL_HOST_IPV6 ? "]" : "", port, u->path,
		     u->scheme == CFGURL_TFTP && u->netascii ? ";mode=netascii" : "");
	if (n < 0 || (size_t)n >= cap)
		return E_OVERFLOW;
	return n;
}

int cfgurl_encode_file(const char *file, char *buf, size_t cap)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;

	for (; *file != '\0'; file++) {
		unsigned char c = (unsigned char)*file;

		if (is_unreserved(c) || c == '/') {
			if (o + 1 >= cap)
				return E_OVERFLOW;
			buf[o++] = (char)c;
		} else {
			if (o + 3 >= cap)
				return E_OVERFLOW;
			buf[o++] = '%';
			buf[o++] = hex[c >> 4];
			buf[o++] = hex[c & 15];
		}
	}
	if (o >= cap)
		return E_OVERFLOW;
	buf[o] = '\0';
	return (int)o;
}

/* "tftp://" host "/" encoded-file, parsed back into u. */
static int build_tftp(struct cfgurl *u, const char *host, const char *file, const char **why)
{
	char enc[CFGURL_MAX + 1], text[CFGURL_MAX + 1];
	int n;

	if (file == NULL || file[0] == '\0') {
		*why = "no configuration file name";
		return E_NOTFOUND;
	}
	if (cfgurl_encode_file(file, enc, sizeof(enc)) < 0) {
		*why = "URL longer than 255 bytes";
		return E_OVERFLOW;
	}
	n = snprintf(text, sizeof(text), "tftp://%s/%s", host, enc);
	if (n < 0 || (size_t)n >= sizeof(text)) {
		*why = "URL longer than 255 bytes";
		return E_OVERFLOW;
	}
	return cfgurl_parse(u, text, (size_t)n, why);
}

int cfgurl_basic4(struct cfgurl *u, uint32_t siaddr, const char *file, const char **why)
{
	char host[INET_ADDRSTRLEN];
	const char *dummy;
	uint8_t a[4] = { (uint8_t)(siaddr >> 24), (uint8_t)(siaddr >> 16), (uint8_t)(siaddr >> 8),
			 (uint8_t)siaddr };

	if (why == NULL)
		why = &dummy;
	memset(u, 0, sizeof(*u));
	if (siaddr == 0 || siaddr == 0xffffffffu) {
		*why = "no TFTP server (siaddr 0.0.0.0 or broadcast)";
		return E_NOTFOUND;
	}
	(void)inet_ntop(AF_INET, a, host, sizeof(host));
	return build_tftp(u, host, file, why);
}

int cfgurl_basic6(struct cfgurl *u, const uint8_t addr[16], const char *file, const char **why)
{
	static const uint8_t zero[16];
	char host[INET6_ADDRSTRLEN + 2];
	const char *dummy;

	if (why == NULL)
		why = &dummy;
	memset(u, 0, sizeof(*u));
	if (memcmp(addr, zero, 16) == 0 || addr[0] == 0xff) {
		*why = "unusable TFTP server address (:: or multicast)";
		return E_RANGE;
	}
	host[0] = '[';
	(void)inet_ntop(AF_INET6, addr, host + 1, INET6_ADDRSTRLEN);
	strcat(host, "]");
	return build_tftp(u, host, file, why);
}

int cfgurl_basic6_list(struct cfgurl *out, unsigned cap, const struct cl_opts *cl,
		       const char **why)
{
	char file[CL_TEXT_MAX];
	const char *dummy, *last = NULL;
	unsigned i, n = 0;
	size_t fl;

	if (why == NULL)
		why = &dummy;
	*why = NULL;
	if (!cl_has(cl, CL_F_TFTP6) || cl->tftp6.n == 0) {
		*why = "no TFTP servers (CableLabs option 32)";
		return E_NOTFOUND;
	}
	if (!cl_has(cl, CL_F_CFG_FILE) || cl->cfg_file.len == 0) {
		*why = "no configuration file name (CableLabs option 33)";
		return E_NOTFOUND;
	}
	fl = cl->cfg_file.len < sizeof(file) ? cl->cfg_file.len : sizeof(file) - 1;
	memcpy(file, cl->cfg_file.s, fl);
	file[fl] = '\0';
	if (strlen(file) != fl) {
		*why = "NUL in configuration file name (CableLabs option 33)";
		return E_PROTO;
	}
	for (i = 0; i < cl->tftp6.n && i < CL_ADDR_MAX && n < cap; i++) {
		if (cfgurl_basic6(&out[n], cl->tftp6.a[i], file, &last) == 0)
			n++;
	}
	if (n == 0)
		*why = last;
	return (int)n;
}
