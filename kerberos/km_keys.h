/*
 * km_keys.h: the cryptography of PacketCable key management (everything that
 * needs OpenSSL; the message codec kerberos/pktc_km.c stays library-free):
 * the messages' SHA-1 HMAC and the SNMPv3 USM keys derived from the AP
 * Reply's subkey.  This header includes no OpenSSL header.
 *
 * BOTH ARE THIS PRODUCT'S RECONSTRUCTION of unpublished text (PKT-SP-SEC1.5
 * 6.5 / ITU-T J.170 6.5, 9.5, 9.6 were not available; open-questions A1, A2;
 * reference/security-keymgmt.md section 3 "Open").  Each lives in one
 * function of km_keys.c, and the vectors in tests/unit/kerberos/
 * test_km_keys.c are this product's own, not CableLabs':
 *
 * A2, the HMAC (km_mac_*): HMAC-SHA-1 (RFC 2104) over every byte of the
 *   message before the HMAC field: from the KMMID (offset 0) through the
 *   byte before hmac_off, the 3-byte header and the whole KRB_AP_REQ /
 *   KRB_AP_REP included; for the Security Parameter Recovered message that
 *   is just its header.  The key is the raw Kerberos key bytes (the
 *   keyblock's contents, no derivation): for the AP Request the session key
 *   of the ticket (the only key both sides share before the AP Reply), for
 *   the AP Reply, Rekey and Security Parameter Recovered the subkey the
 *   AP Reply carries (the Wireshark dissector's comment: "hmac of the subkey
 *   of the preceding AP-REP").  The caller picks the key; km_mac_key()
 *   is the one place a derived HMAC key would go.
 *
 * A1, the USM keys (km_usm_derive): F(S, seed) = P_SHA-1(S, seed) of TLS
 *   (RFC 2246 section 5): A(0) = seed, A(i) = HMAC-SHA-1(S, A(i-1)),
 *   output = HMAC-SHA-1(S, A(1) | seed) | HMAC-SHA-1(S, A(2) | seed) | ...
 *   cut to the length needed.  S is the AP Reply subkey's bytes; the seeds
 *   are the ASCII labels KM_LABEL_USM_AUTH / KM_LABEL_USM_PRIV (without a
 *   NUL).  Lengths: authKey 16 bytes for HMAC-MD5, 20 for HMAC-SHA1
 *   (RFC 3414 6.2 / 7.2); privKey 16 bytes for DES (RFC 3414 8.1.1.1: DES
 *   key = first 8, pre-IV = last 8) and for AES-128 (RFC 3826 3.1.2.1, A3),
 *   none for NULL.  The keys are used directly as LOCALIZED USM keys (no
 *   RFC 3414 A.2 password-to-key step, no engine-ID localisation), i.e.
 *   what Net-SNMP takes as -3k / -3K.
 */
#ifndef KERBEROS_KM_KEYS_H
#define KERBEROS_KM_KEYS_H

#include <stddef.h>
#include <stdint.h>

#define KM_SHA1_LEN 20

/* A1: the derivation labels (this product's; replace when J.170 9.6 is read). */
#define KM_LABEL_USM_AUTH "SNMPv3 authentication key"
#define KM_LABEL_USM_PRIV "SNMPv3 privacy key"

#define KM_USM_AUTH_MAX 20
#define KM_USM_PRIV_MAX 16

/* RFC 2104 HMAC-SHA-1.  0, E_INVAL (NULL with a length), E_UNSUPPORTED
 * (OpenSSL failed: e.g. SHA-1 not available in its provider). */
int km_hmac_sha1(const void *key, size_t klen, const void *data, size_t dlen,
		 uint8_t out[KM_SHA1_LEN]);

/* A1: P_SHA-1(secret, seed) of RFC 2246 section 5, outlen bytes (<= 1024). */
int km_prf_sha1(const void *secret, size_t slen, const void *seed, size_t seedlen,
		uint8_t *out, size_t outlen);

/*
 * A2: the HMAC key for a Kerberos key (today: the key bytes themselves).
 * out must hold klen bytes; returns the HMAC key length, or E_INVAL.
 */
int km_mac_key(const uint8_t *krb_key, size_t klen, uint8_t *out, size_t outsz);

/*
 * A2: write the HMAC of msg[0..hmac_off) into msg[hmac_off..+20).
 * hmac_off comes from km_encode(); msg must be at least hmac_off + 20 long.
 * 0, E_INVAL, E_UNSUPPORTED.
 */
int km_mac_seal(uint8_t *msg, size_t len, size_t hmac_off, const uint8_t *krb_key,
		size_t klen);

/*
 * A2: check a decoded message's HMAC (hmac_off from km_decode()); the
 * comparison is constant-time (CRYPTO_memcmp).  0 when it matches, E_AUTH
 * when not, E_INVAL when hmac_off + 20 != len (a message without an HMAC).
 */
int km_mac_verify(const uint8_t *msg, size_t len, size_t hmac_off, const uint8_t *krb_key,
		  size_t klen);

/* The USM keys of one AP Reply; lengths 0 when the algorithm has none. */
struct km_usm_keys {
	uint8_t auth[KM_USM_AUTH_MAX];
	size_t auth_len;
	uint8_t priv[KM_USM_PRIV_MAX];
	size_t priv_len;
};

/*
 * A1: derive the USM keys for the AP Reply's selected ciphersuite (auth_alg
 * KM_SNMP_AUTH_*, priv_alg KM_SNMP_PRIV_*, pktc_km.h) from the subkey.
 * 0, E_UNSUPPORTED (an unknown code), E_INVAL (empty subkey).
 */
int km_usm_derive(const uint8_t *subkey, size_t klen, uint8_t auth_alg, uint8_t priv_alg,
		  struct km_usm_keys *out);

/* Wipe keys (OPENSSL_cleanse: not optimised away). */
void km_usm_keys_clear(struct km_usm_keys *k);

#endif
