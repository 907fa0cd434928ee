/*
 * km_keys.c: HMAC-SHA-1 and the SNMPv3 USM key derivation of km_keys.h.
 * The only file of the key management that includes OpenSSL (left out on
 * boards without libraries).  A1 and A2 are reconstructions: see km_keys.h.
 */
#include "kerberos/km_keys.h"

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "kerberos/pktc_km.h"
#include "platform/err.h"

#define KM_PRF_OUT_MAX 1024
#define KM_PRF_SEED_MAX 256

int km_hmac_sha1(const void *key, size_t klen, const void *data, size_t dlen,
		 uint8_t out[KM_SHA1_LEN])
{
	static const uint8_t none;
	unsigned int olen = 0;

	if ((key == NULL && klen) || (data == NULL && dlen) || klen > INT32_MAX)
		return E_INVAL;
	/* OpenSSL reads a NULL key as "keep the previous one": never pass it. */
	if (HMAC(EVP_sha1(), key ? key : &none, (int)klen, data ? data : &none, dlen, out,
		 &olen) == NULL || olen != KM_SHA1_LEN)
		return E_UNSUPPORTED;
	return 0;
}

int km_prf_sha1(const void *secret, size_t slen, const void *seed, size_t seedlen,
		uint8_t *out, size_t outlen)
{
	uint8_t a[KM_SHA1_LEN], blk[KM_SHA1_LEN], in[KM_SHA1_LEN + KM_PRF_SEED_MAX];
	size_t done = 0, n;
	int e;

	if (outlen > KM_PRF_OUT_MAX || seedlen > KM_PRF_SEED_MAX || (out == NULL && outlen))
		return E_INVAL;
	/* RFC 2246 section 5: A(1) = HMAC(secret, seed) */
	e = km_hmac_sha1(secret, slen, seed, seedlen, a);
	while (e == 0 && done < outlen) {
		memcpy(in, a, KM_SHA1_LEN);
		if (seedlen)
			memcpy(in + KM_SHA1_LEN, seed, seedlen);
		e = km_hmac_sha1(secret, slen, in, KM_SHA1_LEN + seedlen, blk);
		if (e)
			break;
		n = outlen - done < KM_SHA1_LEN ? outlen - done : KM_SHA1_LEN;
		memcpy(out + done, blk, n);
		done += n;
		e = km_hmac_sha1(secret, slen, a, KM_SHA1_LEN, a);   /* A(i+1) */
	}
	OPENSSL_cleanse(a, sizeof(a));
	OPENSSL_cleanse(blk, sizeof(blk));
	OPENSSL_cleanse(in, sizeof(in));
	if (e && out)
		OPENSSL_cleanse(out, outlen);
	return e;
}

/*
 * A2, the one replaceable place: which bytes key the HMAC.  Today the
 * Kerberos key itself (session key for the AP Request, AP-REP subkey for
 * the others; the caller chooses which).
 */
int km_mac_key(const uint8_t *krb_key, size_t klen, uint8_t *out, size_t outsz)
{
	if (krb_key == NULL || klen == 0 || klen > outsz || klen > INT32_MAX)
		return E_INVAL;
	memcpy(out, krb_key, klen);
	return (int)klen;
}

/* The HMAC over msg[0..hmac_off) (A2: everything before the HMAC field). */
static int km_mac(const uint8_t *msg, size_t hmac_off, const uint8_t *krb_key, size_t klen,
		  uint8_t out[KM_SHA1_LEN])
{
	uint8_t key[64];
	int n, e;

	n = km_mac_key(krb_key, klen, key, sizeof(key));
	if (n < 0)
		return n;
	e = km_hmac_sha1(key, (size_t)n, msg, hmac_off, out);
	OPENSSL_cleanse(key, sizeof(key));
	return e;
}

int km_mac_seal(uint8_t *msg, size_t len, size_t hmac_off, const uint8_t *krb_key,
		size_t klen)
{
	if (msg == NULL || hmac_off < KM_HDR_LEN || len < KM_HMAC_LEN ||
	    hmac_off > len - KM_HMAC_LEN)
		return E_INVAL;
	return km_mac(msg, hmac_off, krb_key, klen, msg + hmac_off);
}

int km_mac_verify(const uint8_t *msg, size_t len, size_t hmac_off, const uint8_t *krb_key,
		  size_t klen)
{
	uint8_t want[KM_SHA1_LEN];
	int e;

	/* The HMAC is the last field of every message that has one. */
	if (msg == NULL || hmac_off < KM_HDR_LEN || len < KM_HMAC_LEN ||
	    hmac_off != len - KM_HMAC_LEN)
		return E_INVAL;
	e = km_mac(msg, hmac_off, krb_key, klen, want);
	if (e == 0 && CRYPTO_memcmp(want, msg + hmac_off, KM_SHA1_LEN) != 0)
		e = E_AUTH;
	OPENSSL_cleanse(want, sizeof(want));
	return e;
}

void km_usm_keys_clear(struct km_usm_keys *k)
{
	OPENSSL_cleanse(k, sizeof(*k));
}

/* A1, the one replaceable place: USM keys from the AP Reply subkey. */
int km_usm_derive(const uint8_t *subkey, size_t klen, uint8_t auth_alg, uint8_t priv_alg,
		  struct km_usm_keys *out)
{
	static const char auth_label[] = KM_LABEL_USM_AUTH;
	static const char priv_label[] = KM_LABEL_USM_PRIV;
	size_t alen, plen;
	int e;

	memset(out, 0, sizeof(*out));
	if (subkey == NULL || klen == 0)
		return E_INVAL;
	switch (auth_alg) {
	case KM_SNMP_AUTH_MD5:
		alen = 16;      /* RFC 3414 6.2.1: 16-octet authKey */
		break;
	case KM_SNMP_AUTH_SHA1:
		alen = 20;      /* RFC 3414 7.2.1: 20-octet authKey */
		break;
	default:
		return E_UNSUPPORTED;
	}
	switch (priv_alg) {
	case KM_SNMP_PRIV_NULL:
		plen = 0;
		break;
	case KM_SNMP_PRIV_DES:  /* RFC 3414 8.1.1.1: DES key + pre-IV */
	case KM_SNMP_PRIV_AES:  /* RFC 3826 3.1.2.1: 128-bit key (A3) */
		plen = 16;
		break;
	default:
		return E_UNSUPPORTED;
	}
	e = km_prf_sha1(subkey, klen, auth_label, sizeof(auth_label) - 1, out->auth, alen);
	if (e == 0 && plen)
		e = km_prf_sha1(subkey, klen, priv_label, sizeof(priv_label) - 1, out->priv, plen);
	if (e) {
		km_usm_keys_clear(out);
		return e;
	}
	out->auth_len = alen;
	out->priv_len = plen;
	return 0;
}
