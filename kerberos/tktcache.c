/* tktcache.c: the cached provisioning-server ticket's record and rules (tktcache.h). */
#include "kerberos/tktcache.h"

#include <string.h>

#include "platform/bytes.h"
#include "platform/err.h"

static const uint8_t tkt_magic[4] = { 'T', 'K', 'C', '1' };

int tkt_encode(const struct tkt_rec *r, uint8_t *out, size_t cap, size_t *len)
{
	size_t nc = strnlen(r->client, sizeof(r->client));
	size_t ns = strnlen(r->server, sizeof(r->server));
	size_t need;
	uint8_t *p = out;

	if (nc == 0 || nc >= sizeof(r->client) || ns == 0 || ns >= sizeof(r->server) ||
	    r->creds == NULL || r->creds_len == 0 || r->creds_len > TKT_CREDS_MAX || r->end < r->start ||
	    r->start < 0 || r->end > (int64_t)UINT32_MAX)
		return E_INVAL;
	need = TKT_HEAD_LEN + nc + ns + r->creds_len;
	if (need > cap)
		return E_OVERFLOW;
	memcpy(p, tkt_magic, 4);
	store_be64(p + 4, (uint64_t)r->start);
	store_be64(p + 12, (uint64_t)r->end);
	store_be16(p + 20, (uint16_t)nc);
	store_be16(p + 22, (uint16_t)ns);
	store_be32(p + 24, (uint32_t)r->creds_len);
	p += TKT_HEAD_LEN;
	memcpy(p, r->client, nc);
	p += nc;
	memcpy(p, r->server, ns);
	p += ns;
	memcpy(p, r->creds, r->creds_len);
	*len = need;
	return 0;
}

/* A principal's text: printable ASCII, no NUL (principal.h keeps the rest). */
static int tkt_text(char *dst, size_t cap, const uint8_t *src, size_t n)
{
	if (n == 0)
		return E_PROTO;
	if (n >= cap)
		return E_RANGE;
	for (size_t i = 0; i < n; i++)
		if (src[i] <= 0x20 || src[i] >= 0x7f)
			return E_PROTO;
	memcpy(dst, src, n);
	dst[n] = '\0';
	return 0;
}

int tkt_decode(struct tkt_rec *r, const uint8_t *buf, size_t len)
{
	size_t nc, ns, nk;
	int rc;

	memset(r, 0, sizeof(*r));
	if (len < TKT_HEAD_LEN)
		return len >= 4 && memcmp(buf, tkt_magic, 4) != 0 ? E_VERSION : E_SHORT;
	if (memcmp(buf, tkt_magic, 4) != 0)
		return E_VERSION;
	r->start = (int64_t)load_be64(buf + 4);
	r->end = (int64_t)load_be64(buf + 12);
	nc = load_be16(buf + 20);
	ns = load_be16(buf + 22);
	nk = load_be32(buf + 24);
	/* Kerberos times are unsigned 32-bit seconds (MIT 1.17+): nothing else
	 * is a time a ticket can have, and the rules' arithmetic stays exact */
	if (nk > TKT_CREDS_MAX || r->start < 0 || r->end > (int64_t)UINT32_MAX)
		return E_RANGE;
	if (nk == 0 || r->end < r->start)
		return E_PROTO;
	buf += TKT_HEAD_LEN;
	len -= TKT_HEAD_LEN;
	if (nc + ns + nk > len)
		return E_SHORT;
	if (nc + ns + nk < len)
		return E_TRAILING;
	if ((rc = tkt_text(r->client, sizeof(r->client), buf, nc)) < 0 ||
	    (rc = tkt_text(r->server, sizeof(r->server), buf + nc, ns)) < 0)
		return rc;
	r->creds = buf + nc + ns;
	r->creds_len = nk;
	return 0;
}

enum tkt_verdict tkt_check(const struct tkt_rec *r, int64_t now, uint32_t grace_s,
			   const char *client, const char *server)
{
	if (strcmp(r->server, server) != 0)
		return TKT_OTHER_SERVER;
	if (strcmp(r->client, client) != 0)
		return TKT_OTHER_CLIENT;
	if (r->start - TKT_SKEW_S > now)
		return TKT_NOT_YET;
	if (r->end - (int64_t)grace_s <= now)
		return TKT_EXPIRING;
	return TKT_USABLE;
}

const char *tkt_verdict_str(enum tkt_verdict v)
{
	static const char *const names[TKT__COUNT] = {
		[TKT_USABLE] = "usable",
		[TKT_OTHER_SERVER] = "other-server",
		[TKT_OTHER_CLIENT] = "other-client",
		[TKT_EXPIRING] = "expiring",
		[TKT_NOT_YET] = "not-yet-valid",
	};

	return (unsigned)v < TKT__COUNT ? names[v] : "?";
}
