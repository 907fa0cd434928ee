/*
 * pktc_km.c: the key-management codec of pktc_km.h.  Library-free (it is
 * built on every board); every read goes through tlv/rd.h and every refusal
 * names its reason and byte offset.
 */
#include "kerberos/pktc_km.h"

#include <string.h>

#include "platform/err.h"
#include "tlv/rd.h"

static const struct {
	const char *name;
	int err;
} km_reasons[KM_R__COUNT] = {
	[KM_R_OK] = { "ok", 0 },
	[KM_R_TRUNCATED] = { "truncated", E_SHORT },
	[KM_R_VERSION] = { "wrong protocol version", E_VERSION },
	[KM_R_KMMID] = { "unknown KMMID", E_UNSUPPORTED },
	[KM_R_DOI] = { "bad DOI", E_UNSUPPORTED },
	[KM_R_DER_TAG] = { "unexpected DER tag", E_PROTO },
	[KM_R_DER_LEN] = { "malformed DER length", E_PROTO },
	[KM_R_DER_PAST_END] = { "DER length past the end", E_SHORT },
	[KM_R_TRAILING] = { "trailing bytes", E_TRAILING },
	[KM_R_NAME_LONG] = { "over-long name", E_RANGE },
	[KM_R_NAME_SHORT] = { "empty or short name", E_RANGE },
	[KM_R_NAME_CHARS] = { "non-printable name", E_PROTO },
	[KM_R_CS_COUNT] = { "bad ciphersuite count", E_RANGE },
	[KM_R_FLAG] = { "flag not 0 or 1", E_PROTO },
	[KM_R_TIMESTAMP] = { "bad timestamp", E_PROTO },
};

const char *km_reason_str(int reason)
{
	if (reason < 0 || reason >= KM_R__COUNT)
		return "unknown";
	return km_reasons[reason].name;
}

static int km_bad(struct km_diag *d, int reason, size_t off)
{
	d->reason = reason;
	d->off = off;
	return km_reasons[reason].err;
}

void km_msg_init(struct km_msg *m, uint8_t kmmid)
{
	memset(m, 0, sizeof(*m));
	m->kmmid = kmmid;
	m->doi = KM_DOI_SNMPV3;
	m->version = KM_VERSION;
}

int km_has_hmac(uint8_t kmmid)
{
	return kmmid == KM_AP_REQ || kmmid == KM_AP_REP || kmmid == KM_SP_RECOVERED ||
	       kmmid == KM_REKEY;
}

/* ---------------------------------------------------------------- DER */

/* Delimit one DER TLV; *reason gets the km_reason of a refusal. */
static int km_der_span_why(const uint8_t *buf, size_t len, size_t *tlv_len, int *reason)
{
	size_t hl, clen, n, i;

	if (len < 2) {
		*reason = KM_R_TRUNCATED;
		return E_SHORT;
	}
	if (buf[1] < 0x80) {
		clen = buf[1];
		hl = 2;
	} else {
		/* X.690 10.1: DER uses the definite form with the fewest bytes;
		 * 4 length bytes (4 GB) is far beyond any datagram. */
		n = buf[1] & 0x7f;
		if (n == 0 || n > 4) {
			*reason = KM_R_DER_LEN;
			return E_PROTO;
		}
		if (len < 2 + n) {
			*reason = KM_R_TRUNCATED;
			return E_SHORT;
		}
		if (buf[2] == 0) {
			*reason = KM_R_DER_LEN;
			return E_PROTO;
		}
		clen = 0;
		for (i = 0; i < n; i++)
			clen = clen << 8 | buf[2 + i];
		if (clen < 0x80) {
			*reason = KM_R_DER_LEN;
			return E_PROTO;
		}
		hl = 2 + n;
	}
	if (clen > len - hl) {
		*reason = KM_R_DER_PAST_END;
		return E_SHORT;
	}
	*tlv_len = hl + clen;
	*reason = KM_R_OK;
	return 0;
}

int km_der_span(const uint8_t *buf, size_t len, size_t *tlv_len)
{
	int reason;

	return km_der_span_why(buf, len, tlv_len, &reason);
}

static uint8_t km_krb_tag(uint8_t kmmid)
{
	switch (kmmid) {
	case KM_AP_REQ:
		return KM_TAG_AP_REQ;
	case KM_AP_REP:
		return KM_TAG_AP_REP;
	default:
		return KM_TAG_KRB_ERROR;
	}
}

/* ---------------------------------------------------------------- checks
 * Shared by the decoder and the encoder, so both enforce one set of bounds. */

static int km_printable(uint8_t c)
{
	return c >= 0x20 && c < 0x7f;
}

static int km_two(const char *s, int lo, int hi)
{
	int v;

	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return 0;
	v = (s[0] - '0') * 10 + (s[1] - '0');
	return v >= lo && v <= hi;
}

/* "YYMMDDhhmmssZ", UTC (reference section 3, Rekey). */
static int km_timestamp_ok(const char *t)
{
	return km_two(t, 0, 99) && km_two(t + 2, 1, 12) && km_two(t + 4, 1, 31) &&
	       km_two(t + 6, 0, 23) && km_two(t + 8, 0, 59) && km_two(t + 10, 0, 59) &&
	       t[12] == 'Z';
}

/* ---------------------------------------------------------------- decoder */

static int km_get_u32(struct rd *r, struct km_diag *d, uint32_t *v)
{
	size_t off = rd_off(r);

	*v = rd_u32(r);
	return r->err ? km_bad(d, KM_R_TRUNCATED, off) : 0;
}

static int km_get_flag(struct rd *r, struct km_diag *d, uint8_t *v)
{
	size_t off = rd_off(r);

	*v = rd_u8(r);
	if (r->err)
		return km_bad(d, KM_R_TRUNCATED, off);
	if (*v > 1)
		return km_bad(d, KM_R_FLAG, off);
	return 0;
}

static int km_get_hmac(struct rd *r, struct km_diag *d, struct km_msg *m)
{
	m->hmac_off = rd_off(r);
	rd_copy(r, m->hmac, KM_HMAC_LEN);
	return r->err ? km_bad(d, KM_R_TRUNCATED, m->hmac_off) : 0;
}

static int km_get_der(struct rd *r, struct km_diag *d, struct km_msg *m)
{
	size_t off = rd_off(r), n = 0;
	int reason, e;

	if (r->left < 1)
		return km_bad(d, KM_R_TRUNCATED, off);
	if (r->p[0] != km_krb_tag(m->kmmid))
		return km_bad(d, KM_R_DER_TAG, off);
	e = km_der_span_why(r->p, r->left, &n, &reason);
	if (e)
		return km_bad(d, reason, off);
	m->krb.p = rd_bytes(r, n);
	m->krb.len = n;
	return 0;
}

/* NUL-terminated principal, 1..KM_PRINC_MAX printable bytes. */
static int km_get_principal(struct rd *r, struct km_diag *d, char *out)
{
	size_t off = rd_off(r), i, lim;
	const uint8_t *p = r->p;

	lim = r->left < KM_PRINC_MAX + 1 ? r->left : KM_PRINC_MAX + 1;
	for (i = 0; i < lim && p[i] != 0; i++)
		if (!km_printable(p[i]))
			return km_bad(d, KM_R_NAME_CHARS, off + i);
	if (i == lim)
		return km_bad(d, lim > KM_PRINC_MAX ? KM_R_NAME_LONG : KM_R_TRUNCATED, off);
	if (i == 0)
		return km_bad(d, KM_R_NAME_SHORT, off);
	memcpy(out, p, i);
	out[i] = '\0';
	rd_bytes(r, i + 1);
	return 0;
}

static int km_get_asd(struct rd *r, struct km_diag *d, struct km_snmp_asd *a)
{
	size_t off = rd_off(r), i;
	const uint8_t *p;
	uint8_t n;

	n = rd_u8(r);
	if (r->err)
		return km_bad(d, KM_R_TRUNCATED, off);
	if (n > KM_ENGINEID_MAX)
		return km_bad(d, KM_R_NAME_LONG, off);
	if (n < KM_ENGINEID_MIN)
		return km_bad(d, KM_R_NAME_SHORT, off);
	a->engine_id_len = n;
	rd_copy(r, a->engine_id, n);
	a->boots = rd_u32(r);
	a->time = rd_u32(r);
	if (r->err)
		return km_bad(d, KM_R_TRUNCATED, off + 1);
	off = rd_off(r);
	n = rd_u8(r);
	if (r->err)
		return km_bad(d, KM_R_TRUNCATED, off);
	if (n > KM_USER_MAX)
		return km_bad(d, KM_R_NAME_LONG, off);
	if (n == 0)
		return km_bad(d, KM_R_NAME_SHORT, off);
	p = rd_bytes(r, n);
	if (p == NULL)
		return km_bad(d, KM_R_TRUNCATED, off + 1);
	for (i = 0; i < n; i++)
		if (!km_printable(p[i]))
			return km_bad(d, KM_R_NAME_CHARS, off + 1 + i);
	memcpy(a->user, p, n);
	a->user[n] = '\0';
	return 0;
}

static int km_get_cs(struct rd *r, struct km_diag *d, struct km_msg *m)
{
	size_t off = rd_off(r), i;
	uint8_t n;

	n = rd_u8(r);
	if (r->err)
		return km_bad(d, KM_R_TRUNCATED, off);
	if (n == 0 || n > KM_CS_MAX || (m->kmmid == KM_AP_REP && n != 1))
		return km_bad(d, KM_R_CS_COUNT, off);
	for (i = 0; i < n; i++) {
		m->cs[i].auth = rd_u8(r);
		m->cs[i].priv = rd_u8(r);
	}
	if (r->err)
		return km_bad(d, KM_R_TRUNCATED, off + 1);
	m->n_cs = n;
	return 0;
}

static int km_get_timestamp(struct rd *r, struct km_diag *d, char *out)
{
	size_t off = rd_off(r);

	rd_copy(r, out, KM_TIMESTAMP_LEN);
	out[KM_TIMESTAMP_LEN] = '\0';
	if (r->err)
		return km_bad(d, KM_R_TRUNCATED, off);
	if (!km_timestamp_ok(out))
		return km_bad(d, KM_R_TIMESTAMP, off);
	return 0;
}

static int km_get_nonce(struct rd *r, struct km_diag *d, struct km_msg *m)
{
	return km_get_u32(r, d, &m->nonce);
}

/* The bodies after the header, field by field in wire order (pktc_km.h). */

static int km_get_wakeup(struct rd *r, struct km_diag *d, struct km_msg *m)
{
	int e;

	if ((e = km_get_nonce(r, d, m)) || (e = km_get_principal(r, d, m->principal)))
		return e;
	return 0;
}

static int km_get_ap_req(struct rd *r, struct km_diag *d, struct km_msg *m)
{
	int e;

	if ((e = km_get_der(r, d, m)) || (e = km_get_nonce(r, d, m)) ||
	    (e = km_get_asd(r, d, &m->asd)) || (e = km_get_cs(r, d, m)) ||
	    (e = km_get_flag(r, d, &m->reestablish)) || (e = km_get_hmac(r, d, m)))
		return e;
	return 0;
}

static int km_get_ap_rep(struct rd *r, struct km_diag *d, struct km_msg *m)
{
	int e;

	if ((e = km_get_der(r, d, m)) || (e = km_get_asd(r, d, &m->asd)) ||
	    (e = km_get_cs(r, d, m)) || (e = km_get_u32(r, d, &m->lifetime)) ||
	    (e = km_get_u32(r, d, &m->grace)) || (e = km_get_flag(r, d, &m->reestablish)) ||
	    (e = km_get_flag(r, d, &m->ack_required)) || (e = km_get_hmac(r, d, m)))
		return e;
	return 0;
}

static int km_get_rekey(struct rd *r, struct km_diag *d, struct km_msg *m)
{
	int e;

	if ((e = km_get_nonce(r, d, m)) || (e = km_get_principal(r, d, m->principal)) ||
	    (e = km_get_timestamp(r, d, m->timestamp)) || (e = km_get_asd(r, d, &m->asd)) ||
	    (e = km_get_cs(r, d, m)) || (e = km_get_u32(r, d, &m->lifetime)) ||
	    (e = km_get_u32(r, d, &m->grace)) || (e = km_get_flag(r, d, &m->reestablish)) ||
	    (e = km_get_hmac(r, d, m)))
		return e;
	return 0;
}

static int km_get_body(struct rd *r, struct km_diag *d, struct km_msg *m)
{
	switch (m->kmmid) {
	case KM_WAKEUP:
		return km_get_wakeup(r, d, m);
	case KM_AP_REQ:
		return km_get_ap_req(r, d, m);
	case KM_AP_REP:
		return km_get_ap_rep(r, d, m);
	case KM_SP_RECOVERED:
		/* the HMAC only ("of the subkey of the preceding AP-REP") */
		return km_get_hmac(r, d, m);
	case KM_REKEY:
		return km_get_rekey(r, d, m);
	case KM_ERROR_REPLY:
		return km_get_der(r, d, m);
	default:
		return km_bad(d, KM_R_KMMID, 0);
	}
}

int km_decode(struct km_msg *m, const uint8_t *buf, size_t len, struct km_diag *d)
{
	struct km_diag dummy;
	struct rd r;
	int e;

	if (d == NULL)
		d = &dummy;
	d->reason = KM_R_OK;
	d->off = 0;
	memset(m, 0, sizeof(*m));
	rd_init(&r, buf, len);
	m->kmmid = rd_u8(&r);
	m->doi = rd_u8(&r);
	m->version = rd_u8(&r);
	if (r.err)
		return km_bad(d, KM_R_TRUNCATED, 0);
	/* The version first: another major may number its messages otherwise. */
	if (KM_VERSION_MAJOR(m->version) != KM_VERSION_MAJOR(KM_VERSION))
		return km_bad(d, KM_R_VERSION, 2);
	if (m->kmmid < KM_WAKEUP || m->kmmid > KM_ERROR_REPLY)
		return km_bad(d, KM_R_KMMID, 0);
	if (m->doi != KM_DOI_SNMPV3)
		return km_bad(d, KM_R_DOI, 1);
	e = km_get_body(&r, d, m);
	if (e)
		return e;
	if (r.left)
		return km_bad(d, KM_R_TRAILING, rd_off(&r));
	return 0;
}

/* ---------------------------------------------------------------- encoder */

static int km_str_ok(const char *s, size_t min, size_t max)
{
	size_t i, n = strnlen(s, max + 1);

	if (n < min || n > max)
		return 0;
	for (i = 0; i < n; i++)
		if (!km_printable((uint8_t)s[i]))
			return 0;
	return 1;
}

/* The decoder's bounds, applied to what we are about to send. */
static int km_msg_ok(const struct km_msg *m)
{
	size_t n;
	int reason;

	if (m->kmmid < KM_WAKEUP || m->kmmid > KM_ERROR_REPLY || m->doi != KM_DOI_SNMPV3 ||
	    KM_VERSION_MAJOR(m->version) != KM_VERSION_MAJOR(KM_VERSION))
		return 0;
	if ((m->kmmid == KM_WAKEUP || m->kmmid == KM_REKEY) &&
	    !km_str_ok(m->principal, 1, KM_PRINC_MAX))
		return 0;
	if (m->kmmid == KM_REKEY && (strnlen(m->timestamp, sizeof(m->timestamp)) !=
				     KM_TIMESTAMP_LEN || !km_timestamp_ok(m->timestamp)))
		return 0;
	if (m->kmmid == KM_AP_REQ || m->kmmid == KM_AP_REP || m->kmmid == KM_ERROR_REPLY) {
		if (m->krb.p == NULL || m->krb.len < 2 || m->krb.p[0] != km_krb_tag(m->kmmid) ||
		    km_der_span_why(m->krb.p, m->krb.len, &n, &reason) != 0 || n != m->krb.len)
			return 0;
	}
	if (m->kmmid == KM_AP_REQ || m->kmmid == KM_AP_REP || m->kmmid == KM_REKEY) {
		if (m->asd.engine_id_len < KM_ENGINEID_MIN ||
		    m->asd.engine_id_len > KM_ENGINEID_MAX ||
		    !km_str_ok(m->asd.user, 1, KM_USER_MAX))
			return 0;
		if (m->n_cs == 0 || m->n_cs > KM_CS_MAX || (m->kmmid == KM_AP_REP && m->n_cs != 1))
			return 0;
		if (m->reestablish > 1 || m->ack_required > 1)
			return 0;
	}
	return 1;
}

static void km_put_asd(struct wr *w, const struct km_msg *m)
{
	size_t i, ulen = strlen(m->asd.user);

	wr_u8(w, m->asd.engine_id_len);
	wr_bytes(w, m->asd.engine_id, m->asd.engine_id_len);
	wr_u32(w, m->asd.boots);
	wr_u32(w, m->asd.time);
	wr_u8(w, (uint8_t)ulen);
	wr_bytes(w, m->asd.user, ulen);
	wr_u8(w, m->n_cs);
	for (i = 0; i < m->n_cs; i++) {
		wr_u8(w, m->cs[i].auth);
		wr_u8(w, m->cs[i].priv);
	}
}

int km_encode(struct km_msg *m, struct wr *w)
{
	size_t start = w->len;

	if (!km_msg_ok(m)) {
		wr_fail(w, E_INVAL);
		return w->err;
	}
	m->hmac_off = 0;
	wr_u8(w, m->kmmid);
	wr_u8(w, m->doi);
	wr_u8(w, m->version);
	switch (m->kmmid) {
	case KM_WAKEUP:
		wr_u32(w, m->nonce);
		wr_bytes(w, m->principal, strlen(m->principal) + 1);
		break;
	case KM_AP_REQ:
		wr_bytes(w, m->krb.p, m->krb.len);
		wr_u32(w, m->nonce);
		km_put_asd(w, m);
		wr_u8(w, m->reestablish);
		break;
	case KM_AP_REP:
		wr_bytes(w, m->krb.p, m->krb.len);
		km_put_asd(w, m);
		wr_u32(w, m->lifetime);
		wr_u32(w, m->grace);
		wr_u8(w, m->reestablish);
		wr_u8(w, m->ack_required);
		break;
	case KM_REKEY:
		wr_u32(w, m->nonce);
		wr_bytes(w, m->principal, strlen(m->principal) + 1);
		wr_bytes(w, m->timestamp, KM_TIMESTAMP_LEN);
		km_put_asd(w, m);
		wr_u32(w, m->lifetime);
		wr_u32(w, m->grace);
		wr_u8(w, m->reestablish);
		break;
	case KM_ERROR_REPLY:
		wr_bytes(w, m->krb.p, m->krb.len);
		break;
	default:   /* KM_SP_RECOVERED: the HMAC only */
		break;
	}
	if (km_has_hmac(m->kmmid)) {
		m->hmac_off = w->len - start;
		wr_bytes(w, m->hmac, KM_HMAC_LEN);
	}
	return w->err;
}
