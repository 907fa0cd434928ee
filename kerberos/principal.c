/* principal.c: principal-name formatter and validator of principal.h. */
#include "kerberos/principal.h"

#include <stdio.h>
#include <string.h>

#include "platform/err.h"

static const char *const princ_why_name[PRINC__COUNT] = {
	[PRINC_OK] = "ok",
	[PRINC_EMPTY] = "empty name or component",
	[PRINC_TOO_LONG] = "name or component too long",
	[PRINC_COMPONENTS] = "not service/host",
	[PRINC_BAD_CHAR] = "forbidden character",
	[PRINC_BAD_REALM] = "realm not upper-case",
	[PRINC_BAD_HOST] = "host not an FQDN or address",
	[PRINC_V6_COMPRESSED] = "IPv6 zero compression",
	[PRINC_V6_IPV4] = "IPv6 with embedded IPv4",
	[PRINC_V6_SHORT_GROUP] = "IPv6 group with fewer than 4 digits",
	[PRINC_V6_LONG_GROUP] = "IPv6 group with more than 4 digits",
	[PRINC_V6_GROUPS] = "IPv6 address without 8 groups",
	[PRINC_V6_DIGIT] = "IPv6 group with a non-hex digit",
	[PRINC_V6_BRACKETS] = "IPv6 address without brackets",
};

const char *princ_why_str(int why)
{
	if (why < 0 || why >= PRINC__COUNT)
		return "unknown";
	return princ_why_name[why];
}

static int princ_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')   /* B7: the spec's valid example is upper-case */
		return c - 'A' + 10;
	return -1;
}

int princ_ipv6_format(const uint8_t addr[16], char *out, size_t outsz)
{
	static const char hex[] = "0123456789abcdef";   /* B7: LCHEXDIG */
	size_t n = 0;
	int i;

	if (outsz < PRINC_IPV6_TEXT_LEN + 1) {
		if (outsz)
			out[0] = '\0';
		return E_OVERFLOW;
	}
	out[n++] = '[';
	for (i = 0; i < 16; i += 2) {
		if (i)
			out[n++] = ':';
		out[n++] = hex[addr[i] >> 4];
		out[n++] = hex[addr[i] & 15];
		out[n++] = hex[addr[i + 1] >> 4];
		out[n++] = hex[addr[i + 1] & 15];
	}
	out[n++] = ']';
	out[n] = '\0';
	return (int)n;
}

int princ_ipv6_check(const char *s, size_t len, uint8_t addr[16])
{
	uint8_t a[16];
	size_t i, start;
	int groups = 0;

	if (len < 2 || s[0] != '[' || s[len - 1] != ']')
		return PRINC_V6_BRACKETS;
	s++;
	len -= 2;
	/*
	 * The 6.1.3 invalid examples each get their own reason, tested in this
	 * order because "::" and a dotted tail also break the group count.
	 */
	for (i = 0; i + 1 < len; i++)
		if (s[i] == ':' && s[i + 1] == ':')
			return PRINC_V6_COMPRESSED;
	if (memchr(s, '.', len) != NULL)
		return PRINC_V6_IPV4;
	start = 0;
	for (i = 0; i <= len; i++) {
		size_t glen, k;
		unsigned v = 0;

		if (i < len && s[i] != ':')
			continue;
		glen = i - start;
		if (groups == 8)
			return PRINC_V6_GROUPS;
		if (glen < 4)
			return PRINC_V6_SHORT_GROUP;
		if (glen > 4)
			return PRINC_V6_LONG_GROUP;
		for (k = start; k < i; k++) {
			int d = princ_hexval(s[k]);

			if (d < 0)
				return PRINC_V6_DIGIT;
			v = v << 4 | (unsigned)d;
		}
		a[2 * groups] = (uint8_t)(v >> 8);
		a[2 * groups + 1] = (uint8_t)v;
		groups++;
		start = i + 1;
	}
	if (groups != 8)
		return PRINC_V6_GROUPS;
	if (addr)
		memcpy(addr, a, 16);
	return PRINC_OK;
}

/* Bytes allowed anywhere in a name: printable ASCII but space and '\\'
 * (Kerberos escapes; none of our names need one, so none is accepted). */
static int princ_char_ok(char c)
{
	return c > ' ' && c < 0x7f && c != '\\';
}

/* An FQDN or dotted IPv4 (RFC 1035 2.3.1 letters, digits, hyphens; RFC 1123
 * lets a label start with a digit).  No trailing dot. */
static int princ_host_ok(const char *s, size_t len)
{
	size_t i, lab = 0;

	if (len == 0 || len > PRINC_HOST_MAX - 1)
		return 0;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == '.') {
			if (lab == 0 || s[i - 1] == '-')
				return 0;
			lab = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-'))
			return 0;
		if (c == '-' && lab == 0)
			return 0;
		if (++lab > 63)
			return 0;
	}
	return lab > 0 && s[len - 1] != '-';
}

/* Realm: upper-case (RFC 4682 pktcMtaDevProvKerbRealmName), dotted. */
static int princ_realm_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > PRINC_REALM_MAX - 1)
		return 0;
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
		      c == '-' || c == '_'))
			return 0;
	}
	return s[0] != '.' && s[len - 1] != '.';
}

int princ_parse(const char *text, struct princ *p)
{
	const char *slash, *at, *host;
	size_t len, slen, hlen, rlen, i;
	struct princ tmp;
	int why;

	if (p == NULL)
		p = &tmp;
	memset(p, 0, sizeof(*p));
	if (text == NULL || text[0] == '\0')
		return PRINC_EMPTY;
	len = strnlen(text, PRINC_TEXT_MAX);
	if (len >= PRINC_TEXT_MAX)
		return PRINC_TOO_LONG;
	for (i = 0; i < len; i++)
		if (!princ_char_ok(text[i]))
			return PRINC_BAD_CHAR;
	slash = strchr(text, '/');
	at = strchr(text, '@');
	if (slash == NULL || (at != NULL && at < slash))
		return PRINC_COMPONENTS;
	host = slash + 1;
	if (strchr(host, '/') != NULL || (at != NULL && strchr(at + 1, '@') != NULL))
		return PRINC_COMPONENTS;
	slen = (size_t)(slash - text);
	hlen = at ? (size_t)(at - host) : len - (size_t)(host - text);
	rlen = at ? len - (size_t)(at + 1 - text) : 0;
	if (slen == 0 || hlen == 0 || (at != NULL && rlen == 0))
		return PRINC_EMPTY;
	if (slen >= PRINC_SERVICE_MAX || hlen >= PRINC_HOST_MAX)
		return PRINC_TOO_LONG;
	if (at != NULL && !princ_realm_ok(at + 1, rlen))
		return PRINC_BAD_REALM;
	if (host[0] == '[') {
		why = princ_ipv6_check(host, hlen, p->v6);
		if (why != PRINC_OK)
			return why;
		p->host_is_v6 = 1;
	} else if (!princ_host_ok(host, hlen)) {
		return PRINC_BAD_HOST;
	}
	memcpy(p->service, text, slen);
	memcpy(p->host, host, hlen);
	if (at != NULL)
		memcpy(p->realm, at + 1, rlen);
	return PRINC_OK;
}

/* Write the canonical text of an accepted struct princ. */
static int princ_write(char *out, size_t outsz, const struct princ *p)
{
	char host[PRINC_HOST_MAX];
	size_t i;
	int n;

	if (p->host_is_v6) {
		princ_ipv6_format(p->v6, host, sizeof(host));
	} else {
		for (i = 0; p->host[i]; i++)
			host[i] = (p->host[i] >= 'A' && p->host[i] <= 'Z') ?
				(char)(p->host[i] - 'A' + 'a') : p->host[i];
		host[i] = '\0';
	}
	n = snprintf(out, outsz, "%s/%s%s%s", p->service, host, p->realm[0] ? "@" : "",
		     p->realm);
	if (n < 0 || (size_t)n >= outsz || n >= PRINC_TEXT_MAX) {
		if (outsz)
			out[0] = '\0';
		return n >= PRINC_TEXT_MAX ? E_INVAL : E_OVERFLOW;
	}
	return n;
}

int princ_canon(const char *text, char *out, size_t outsz)
{
	struct princ p;

	if (princ_parse(text, &p) != PRINC_OK) {
		if (outsz)
			out[0] = '\0';
		return E_INVAL;
	}
	return princ_write(out, outsz, &p);
}

int princ_format(char *out, size_t outsz, const char *service, const char *host,
		 const char *realm)
{
	char text[PRINC_TEXT_MAX];
	int n;

	if (service == NULL || host == NULL) {
		if (outsz)
			out[0] = '\0';
		return E_INVAL;
	}
	/* Build the raw text, then let the one validator decide. */
	n = snprintf(text, sizeof(text), "%s/%s%s%s", service, host,
		     realm && realm[0] ? "@" : "", realm ? realm : "");
	if (n < 0 || (size_t)n >= sizeof(text)) {
		if (outsz)
			out[0] = '\0';
		return E_INVAL;
	}
	return princ_canon(text, out, outsz);
}

int princ_format_v6(char *out, size_t outsz, const char *service, const uint8_t addr[16],
		    const char *realm)
{
	char host[PRINC_IPV6_TEXT_LEN + 1];

	princ_ipv6_format(addr, host, sizeof(host));
	return princ_format(out, outsz, service, host, realm);
}

int princ_provsrv(char *out, size_t outsz, const char *fqdn, const char *realm)
{
	return princ_format(out, outsz, PRINC_PROVSRV_SERVICE, fqdn, realm);
}

int princ_client(char *out, size_t outsz, const char *fqdn, const char *realm)
{
	return princ_format(out, outsz, PRINC_CLIENT_SERVICE, fqdn, realm);
}
