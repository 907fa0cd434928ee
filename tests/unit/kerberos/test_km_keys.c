/* test_km_keys.c: the key-management cryptography: RFC 2202 HMAC-SHA-1
 * known answers through our wrapper, our P_SHA-1 against OpenSSL's own
 * TLS1-PRF (an independent implementation), the USM key derivation's frozen
 * vectors (THIS PRODUCT'S vectors of its A1 reconstruction, not CableLabs'),
 * and the HMAC of real encoded messages: sealed, verified, and refused after
 * any one byte changes or with the wrong key (A2). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "kerberos/km_keys.h"
#include "kerberos/pktc_km.h"
#include "platform/err.h"
#include "../unhex.h"

/* ------------------------------------------------ RFC 2202 section 3 */

static void test_rfc2202_hmac_sha1(void **state)
{
	static const struct {
		const char *key;    /* hex, or NULL: klen bytes of kbyte */
		uint8_t kbyte;
		size_t klen;
		const char *data;   /* text, or NULL: dlen bytes of dbyte */
		uint8_t dbyte;
		size_t dlen;
		const char *digest;
	} v[] = {
		{ NULL, 0x0b, 20, "Hi There", 0, 0, "b617318655057264e28bc0b6fb378c8ef146be00" },
		{ "4a656665", 0, 0, "what do ya want for nothing?", 0, 0,
		  "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79" },
		{ NULL, 0xaa, 20, NULL, 0xdd, 50, "125d7342b9ac11cd91a39af48aa17b4f63f175d3" },
		{ "0102030405060708090a0b0c0d0e0f10111213141516171819", 0, 0, NULL, 0xcd, 50,
		  "4c9007f4026250c6bc8414f9bf50c86c2d7235da" },
		{ NULL, 0x0c, 20, "Test With Truncation", 0, 0,
		  "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04" },
		{ NULL, 0xaa, 80, "Test Using Larger Than Block-Size Key - Hash Key First", 0, 0,
		  "aa4ae5e15272d00e95705637ce8a3b55ed402112" },
		{ NULL, 0xaa, 80,
		  "Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data", 0, 0,
		  "e8e99d0f45237d786d6bbaa7965c7808bbff1a91" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		uint8_t key[80], data[80], want[20], got[20];
		size_t klen, dlen;

		if (v[i].key) {
			klen = unhex(v[i].key, key, sizeof(key));
		} else {
			klen = v[i].klen;
			memset(key, v[i].kbyte, klen);
		}
		if (v[i].data) {
			dlen = strlen(v[i].data);
			memcpy(data, v[i].data, dlen);
		} else {
			dlen = v[i].dlen;
			memset(data, v[i].dbyte, dlen);
		}
		assert_int_equal(unhex(v[i].digest, want, sizeof(want)), 20);
		assert_int_equal(km_hmac_sha1(key, klen, data, dlen, got), 0);
		assert_memory_equal(got, want, 20);
	}
	/* bad arguments */
	{
		uint8_t out[20];

		assert_int_equal(km_hmac_sha1(NULL, 3, "x", 1, out), E_INVAL);
		assert_int_equal(km_hmac_sha1("k", 1, NULL, 1, out), E_INVAL);
	}
}

/* ------------------------------------------------ P_SHA-1 (A1's PRF) */

/* OpenSSL's TLS1-PRF with a non-MD5-SHA1 digest is P_<digest>(secret, seed)
 * (RFC 5246 section 5): written by others, so it checks ours. */
static void openssl_p_sha1(const uint8_t *s, size_t slen, const uint8_t *seed, size_t seedlen,
			   uint8_t *out, size_t outlen)
{
	char digest[] = "SHA1";
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "TLS1-PRF", NULL);
	EVP_KDF_CTX *ctx;
	OSSL_PARAM params[4];

	assert_non_null(kdf);
	ctx = EVP_KDF_CTX_new(kdf);
	assert_non_null(ctx);
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SECRET, (void *)s, slen);
	params[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED, (void *)seed, seedlen);
	params[3] = OSSL_PARAM_construct_end();
	assert_int_equal(EVP_KDF_derive(ctx, out, outlen, params), 1);
	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
}

static void test_prf_against_openssl(void **state)
{
	static const size_t lens[] = { 1, 16, 19, 20, 21, 40, 41, 100, 1024 };
	static const uint8_t seed[] = "SNMPv3 authentication key";
	uint8_t secret[32], mine[1024], theirs[1024];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(secret); i++)
		secret[i] = (uint8_t)(0x20 + i);
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		memset(mine, 0, sizeof(mine));
		assert_int_equal(km_prf_sha1(secret, sizeof(secret), seed, sizeof(seed) - 1, mine,
					     lens[i]), 0);
		openssl_p_sha1(secret, sizeof(secret), seed, sizeof(seed) - 1, theirs, lens[i]);
		assert_memory_equal(mine, theirs, lens[i]);
		if (lens[i] < sizeof(mine))
			assert_int_equal(mine[lens[i]], 0);   /* not one byte more */
	}
	/* a shorter output is a prefix of a longer one (P_hash is a stream) */
	assert_int_equal(km_prf_sha1(secret, 16, seed, 5, mine, 7), 0);
	assert_int_equal(km_prf_sha1(secret, 16, seed, 5, theirs, 60), 0);
	assert_memory_equal(mine, theirs, 7);
	/* bounds */
	assert_int_equal(km_prf_sha1(secret, 16, seed, 5, mine, 1025), E_INVAL);
	assert_int_equal(km_prf_sha1(secret, 16, mine, 257, theirs, 20), E_INVAL);
}

/* ------------------------------------------------ USM keys (A1) */

static void test_usm_derive_frozen_vectors(void **state)
{
	/* This product's vectors, computed once (Python hmac, P_SHA-1 of
	 * RFC 2246 section 5) and frozen: subkeys 00..0f and 20..3f. */
	static const struct {
		uint8_t first;
		size_t klen;
		uint8_t auth, priv;
		const char *ka, *kp;
	} v[] = {
		{ 0x00, 16, KM_SNMP_AUTH_SHA1, KM_SNMP_PRIV_DES,
		  "220afd3546b2850707e818fca609724f29b53322", "bb6d38581ccb6edfe4c645ee6947c3d0" },
		{ 0x00, 16, KM_SNMP_AUTH_MD5, KM_SNMP_PRIV_NULL, "220afd3546b2850707e818fca609724f", "" },
		{ 0x20, 32, KM_SNMP_AUTH_SHA1, KM_SNMP_PRIV_AES,
		  "7dc14085d79e8957126ba2396e19b99c1cee8578", "72ffb1aaf5c0feb5630d7ac079e15b09" },
		{ 0x20, 32, KM_SNMP_AUTH_MD5, KM_SNMP_PRIV_DES, "7dc14085d79e8957126ba2396e19b99c",
		  "72ffb1aaf5c0feb5630d7ac079e15b09" },
	};
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		uint8_t sub[32], ka[20], kp[16];
		struct km_usm_keys k;
		size_t la, lp;

		for (j = 0; j < v[i].klen; j++)
			sub[j] = (uint8_t)(v[i].first + j);
		la = unhex(v[i].ka, ka, sizeof(ka));
		lp = unhex(v[i].kp, kp, sizeof(kp));
		assert_int_equal(km_usm_derive(sub, v[i].klen, v[i].auth, v[i].priv, &k), 0);
		assert_int_equal(k.auth_len, la);
		assert_memory_equal(k.auth, ka, la);
		assert_int_equal(k.priv_len, lp);
		if (lp)
			assert_memory_equal(k.priv, kp, lp);
		km_usm_keys_clear(&k);
		assert_int_equal(k.auth_len, 0);
		assert_int_equal(k.auth[0], 0);
	}
}

static void test_usm_derive_refusals(void **state)
{
	static const uint8_t sub[16] = { 1 };
	struct km_usm_keys k;

	(void)state;
	assert_int_equal(km_usm_derive(sub, 16, 0x23, KM_SNMP_PRIV_DES, &k), E_UNSUPPORTED);
	assert_int_equal(k.auth_len, 0);
	assert_int_equal(km_usm_derive(sub, 16, KM_SNMP_AUTH_SHA1, 0x01, &k), E_UNSUPPORTED);
	assert_int_equal(km_usm_derive(sub, 0, KM_SNMP_AUTH_SHA1, KM_SNMP_PRIV_DES, &k), E_INVAL);
	assert_int_equal(km_usm_derive(NULL, 16, KM_SNMP_AUTH_SHA1, KM_SNMP_PRIV_DES, &k), E_INVAL);
	/* the two keys come from different labels: never equal */
	assert_int_equal(km_usm_derive(sub, 16, KM_SNMP_AUTH_MD5, KM_SNMP_PRIV_DES, &k), 0);
	assert_memory_not_equal(k.auth, k.priv, 16);
}

/* ------------------------------------------------ message HMAC (A2) */

static const uint8_t subkey[16] = { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
				    0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f };

/* An AP Reply with a stand-in KRB_AP_REP, HMAC field zero. */
static size_t make_ap_reply(uint8_t *buf, size_t cap, struct km_msg *m)
{
	static const uint8_t aprep[] = { 0x6f, 0x08, 0x30, 0x06, 0xa0, 0x03, 0x02, 0x01, 0x05,
					 0x00 };
	struct wr w;

	km_msg_init(m, KM_AP_REP);
	m->krb.p = aprep;
	m->krb.len = 10;
	memcpy(m->asd.engine_id, "\x80\x00\x11\x8b\x04prov", 9);
	m->asd.engine_id_len = 9;
	m->asd.boots = 1;
	m->asd.time = 2;
	strcpy(m->asd.user, "eue");
	m->cs[0] = (struct km_cs){ KM_SNMP_AUTH_SHA1, KM_SNMP_PRIV_DES };
	m->n_cs = 1;
	m->lifetime = 3600;
	wr_init(&w, buf, cap);
	assert_int_equal(km_encode(m, &w), 0);
	return w.len;
}

static void test_mac_seal_verify(void **state)
{
	uint8_t buf[256], want[20];
	struct km_msg m, back;
	size_t n, i;

	(void)state;
	n = make_ap_reply(buf, sizeof(buf), &m);
	assert_int_equal(km_mac_seal(buf, n, m.hmac_off, subkey, sizeof(subkey)), 0);
	/* A2: the HMAC is HMAC-SHA-1(subkey, every byte before the field) */
	assert_int_equal(km_hmac_sha1(subkey, sizeof(subkey), buf, m.hmac_off, want), 0);
	assert_memory_equal(buf + m.hmac_off, want, 20);
	assert_int_equal(km_decode(&back, buf, n, NULL), 0);
	assert_int_equal(km_mac_verify(buf, n, back.hmac_off, subkey, sizeof(subkey)), 0);
	/* any single changed byte, header and KRB_AP_REP included, is refused */
	for (i = 0; i < n; i++) {
		buf[i] ^= 0x01;
		assert_int_equal(km_mac_verify(buf, n, back.hmac_off, subkey, sizeof(subkey)), E_AUTH);
		buf[i] ^= 0x01;
	}
	/* the wrong key: another subkey, one byte shorter, one byte longer */
	{
		uint8_t other[17];

		memcpy(other, subkey, 16);
		other[15] ^= 0x80;
		assert_int_equal(km_mac_verify(buf, n, back.hmac_off, other, 16), E_AUTH);
		assert_int_equal(km_mac_verify(buf, n, back.hmac_off, subkey, 15), E_AUTH);
		/* (a trailing 0x00 would not do: RFC 2104 pads short keys with zeros) */
		memcpy(other, subkey, 16);
		other[16] = 0x01;
		assert_int_equal(km_mac_verify(buf, n, back.hmac_off, other, 17), E_AUTH);
	}
	assert_int_equal(km_mac_verify(buf, n, back.hmac_off, subkey, sizeof(subkey)), 0);
	/* the HMAC must be the last 20 bytes; no key, no check */
	assert_int_equal(km_mac_verify(buf, n - 1, back.hmac_off, subkey, 16), E_INVAL);
	assert_int_equal(km_mac_verify(buf, n, back.hmac_off - 1, subkey, 16), E_INVAL);
	assert_int_equal(km_mac_verify(buf, n, back.hmac_off, NULL, 0), E_INVAL);
	assert_int_equal(km_mac_seal(buf, n, n - 19, subkey, 16), E_INVAL);
	assert_int_equal(km_mac_seal(buf, n, 2, subkey, 16), E_INVAL);
}

static void test_mac_frozen_sp_recovered(void **state)
{
	/* This product's vector: Security Parameter Recovered = header
	 * 04 02 10 + HMAC-SHA-1(AP-REP subkey 00..0f, "04 02 10"). */
	uint8_t buf[32], want[23];
	struct km_msg m;
	struct wr w;

	(void)state;
	km_msg_init(&m, KM_SP_RECOVERED);
	wr_init(&w, buf, sizeof(buf));
	assert_int_equal(km_encode(&m, &w), 0);
	assert_int_equal(w.len, 23);
	assert_int_equal(km_mac_seal(buf, w.len, m.hmac_off, subkey, sizeof(subkey)), 0);
	assert_int_equal(unhex("040210 e9191f3bbcf883996dc65fccb2bda5f703cd9e5c", want,
			       sizeof(want)), 23);
	assert_memory_equal(buf, want, 23);
	assert_int_equal(km_mac_verify(buf, 23, 3, subkey, sizeof(subkey)), 0);
	/* a Wake Up carries no HMAC: there is nothing to verify */
	assert_int_equal(km_mac_verify(buf, 23, 0, subkey, sizeof(subkey)), E_INVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc2202_hmac_sha1),
		cmocka_unit_test(test_prf_against_openssl),
		cmocka_unit_test(test_usm_derive_frozen_vectors),
		cmocka_unit_test(test_usm_derive_refusals),
		cmocka_unit_test(test_mac_seal_verify),
		cmocka_unit_test(test_mac_frozen_sp_recovered),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
