/*
 * cfgcrypt.h: the config file's hash and encryption (everything that needs
 * OpenSSL; the codec itself is tlv/cfgfile.c and stays library-free).
 *
 * In-file hash (Basic flow, reference/config-file.md section 2): SHA-1 over
 * the file with its start and end markers and WITHOUT the hash TLV; the hash
 * TLV (pktcMtaDevProvConfigHash.0 = OCTET STRING(20)) sits immediately before
 * the end marker.  Verifying cuts that TLV out of the received bytes and
 * hashes the rest in received order (no re-serialisation needed).
 *
 * SNMP-delivered hash (Secure/Hybrid, eUE-19/eUE-23): open question A8.  Our
 * interpretation, in cfg_snmp_hash_check() only: the hash covers the file as
 * downloaded (the ciphertext when it is encrypted), because eUE-23 compares
 * the hash before it says "if encrypted, ... MUST be decrypted".
 *
 * Encryption (pktcMtaDevProvConfigEncryptAlg, RFC 4682): open question A7.
 * Our interpretation, in cfg_keyiv() and cfg_cipher() only:
 *  - the key object holds the cipher key first, then the IV, when it is long
 *    enough for both (RFC 4682's 32 bytes: DES 8+8, 3DES 24+8, AES-128 16+16;
 *    trailing bytes ignored);
 *  - when it holds exactly the cipher key and no IV (AES-256 in 32 bytes, the
 *    CableLabs MIB's 8-byte DES key), the IV is the file's first cipher block,
 *    sent in clear ahead of the ciphertext;
 *  - no padding: a residual final block shorter than the cipher block is
 *    terminated as in J.170 / DOCSIS BPI+ "residual block termination": XOR
 *    with the first bytes of E_K(last full ciphertext block, or the IV), so
 *    the ciphertext is exactly as long as the plaintext.
 */
#ifndef TLV_CFGCRYPT_H
#define TLV_CFGCRYPT_H

#include <stddef.h>
#include <stdint.h>

#include "tlv/cfgfile.h"
#include "tlv/wr.h"

#define CFG_SHA1_LEN 20

int cfg_sha1(const void *buf, size_t len, uint8_t out[CFG_SHA1_LEN]);

/*
 * The in-file hash of a valid file: SHA-1 over the file without its hash TLV
 * (if it has one).  0, or the codec's error (d set).
 */
int cfg_hash_compute(const void *buf, size_t len, uint8_t out[CFG_SHA1_LEN], struct cfg_diag *d);
/* 0 when the in-file hash matches; E_AUTH (CFG_E_HASH_MISMATCH), E_NOTFOUND, ... */
int cfg_hash_verify(const void *buf, size_t len, struct cfg_diag *d);
/*
 * Write buf to out with a fresh hash TLV of the given family just before the
 * end marker (an existing hash TLV is dropped first).  0 or E_*.
 */
int cfg_hash_add(const void *buf, size_t len, int family, struct wr *out, struct cfg_diag *d);

/* A8: SNMP-delivered hash vs the file as downloaded; 0, E_AUTH or E_RANGE. */
int cfg_snmp_hash_check(const void *downloaded, size_t len, const uint8_t *hash, size_t hlen);

/* PktcMtaDevProvEncryptAlg (RFC 4682). */
enum cfg_alg {
	CFG_ALG_NONE = 0,
	CFG_ALG_DES = 1,        /* des64CbcMode */
	CFG_ALG_3DES = 2,       /* t3Des192CbcMode */
	CFG_ALG_AES128 = 3,     /* aes128CbcMode */
	CFG_ALG_AES256 = 4,     /* aes256CbcMode */
	CFG_ALG_COUNT
};
const char *cfg_alg_name(int alg);
int cfg_alg_by_name(const char *name);  /* "des", "3des", "aes128", "aes256" or MIB names */

struct cfg_keyiv {
	uint8_t key[32];
	size_t key_len;
	uint8_t iv[16];
	size_t block;           /* cipher block = IV length */
	int iv_in_file;         /* 1: IV is the first block of the file */
};
/* A7: split the key object; E_RANGE when its length fits no rule. */
int cfg_keyiv(int alg, const uint8_t *key, size_t key_len, struct cfg_keyiv *kv);

/*
 * Encrypt / decrypt a whole file.  When the IV comes in the file, encrypt
 * draws a random IV (or takes iv, when not NULL) and writes it first.
 */
int cfg_encrypt(int alg, const uint8_t *key, size_t key_len, const uint8_t *iv,
		const void *in, size_t len, struct wr *out);
int cfg_decrypt(int alg, const uint8_t *key, size_t key_len, const void *in, size_t len,
		struct wr *out);

#endif
