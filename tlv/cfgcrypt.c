/* cfgcrypt.c: config-file SHA-1 hash and DES/3DES/AES-CBC through OpenSSL. */
#include "tlv/cfgcrypt.h"

#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/provider.h>
#include <openssl/rand.h>

int cfg_sha1(const void *buf, size_t len, uint8_t out[CFG_SHA1_LEN])
{
	unsigned int n = 0;

	if (EVP_Digest(buf, len, out, &n, EVP_sha1(), NULL) != 1 || n != CFG_SHA1_LEN)
		return E_IO;
	return 0;
}

/* SHA-1 over buf with [cut_off, cut_off + cut_len) left out. */
static int cfg_sha1_cut(const uint8_t *buf, size_t len, size_t cut_off, size_t cut_len,
			uint8_t out[CFG_SHA1_LEN])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	unsigned int n = 0;
	int ok;

	if (c == NULL)
		return E_NOMEM;
	ok = EVP_DigestInit_ex(c, EVP_sha1(), NULL) == 1 &&
	     EVP_DigestUpdate(c, buf, cut_off) == 1 &&
	     EVP_DigestUpdate(c, buf + cut_off + cut_len, len - cut_off - cut_len) == 1 &&
	     EVP_DigestFinal_ex(c, out, &n) == 1 && n == CFG_SHA1_LEN;
	EVP_MD_CTX_free(c);
	return ok ? 0 : E_IO;
}

int cfg_hash_compute(const void *buf, size_t len, uint8_t out[CFG_SHA1_LEN], struct cfg_diag *d)
{
	struct cfg_hash_loc loc;
	int rc = cfg_hash_locate(buf, len, &loc, d);

	if (rc == E_NOTFOUND)
		return cfg_sha1_cut(buf, len, 0, 0, out);
	if (rc < 0)
		return rc;
	return cfg_sha1_cut(buf, len, loc.off, loc.len, out);
}

int cfg_hash_verify(const void *buf, size_t len, struct cfg_diag *d)
{
	struct cfg_hash_loc loc;
	uint8_t md[CFG_SHA1_LEN];
	int rc = cfg_hash_locate(buf, len, &loc, d);

	if (rc < 0)
		return rc;
	if ((rc = cfg_sha1_cut(buf, len, loc.off, loc.len, md)) < 0)
		return rc;
	/* constant time (STYLE.md: never memcmp a MAC) */
	if (CRYPTO_memcmp(md, loc.digest, CFG_SHA1_LEN) != 0) {
		d->why = CFG_E_HASH_MISMATCH;
		d->ber_why = 0;
		d->off = (size_t)(loc.digest - (const uint8_t *)buf);
		return E_AUTH;
	}
	return 0;
}

int cfg_hash_add(const void *buf, size_t len, int family, struct wr *out, struct cfg_diag *d)
{
	const uint8_t *p = buf;
	struct cfg_hash_loc loc;
	uint8_t md[CFG_SHA1_LEN];
	struct ber_vb vb;
	size_t end;
	int rc;

	if (family < 0 || family >= CFG_HASH_NFAMILY)
		return E_INVAL;
	rc = cfg_hash_locate(buf, len, &loc, d);
	if (rc == E_NOTFOUND)
		loc.off = loc.len = 0;
	else if (rc < 0)
		return rc;
	if ((rc = cfg_sha1_cut(p, len, loc.off, loc.len, md)) < 0)
		return rc;
	end = len - 3;  /* a valid file ends with the 3-byte end marker */
	memset(&vb, 0, sizeof(vb));
	vb.oid = cfg_hash_oids[family].oid;
	vb.oid_len = cfg_hash_oids[family].len;
	vb.type = BER_OCTETS;
	vb.val = md;
	vb.val_len = sizeof(md);
	if (loc.len) {
		wr_bytes(out, p, loc.off);
		wr_bytes(out, p + loc.off + loc.len, end - loc.off - loc.len);
	} else {
		wr_bytes(out, p, end);
	}
	cfg_put_varbind(out, &vb);
	wr_bytes(out, p + end, 3);
	return out->err;
}

int cfg_snmp_hash_check(const void *downloaded, size_t len, const uint8_t *hash, size_t hlen)
{
	uint8_t md[CFG_SHA1_LEN];
	int rc;

	if (hlen != CFG_SHA1_LEN)
		return E_RANGE;
	if ((rc = cfg_sha1(downloaded, len, md)) < 0)
		return rc;
	return CRYPTO_memcmp(md, hash, CFG_SHA1_LEN) ? E_AUTH : 0;
}

/* ---------------------------------------------------------------- ciphers */

static const struct {
	const char *name, *mib;
	size_t key, block;
} cfg_algs[] = {
	[CFG_ALG_NONE] = { "none", "none", 0, 0 },
	[CFG_ALG_DES] = { "des", "des64CbcMode", 8, 8 },
	[CFG_ALG_3DES] = { "3des", "t3Des192CbcMode", 24, 8 },
	[CFG_ALG_AES128] = { "aes128", "aes128CbcMode", 16, 16 },
	[CFG_ALG_AES256] = { "aes256", "aes256CbcMode", 32, 16 },
};
_Static_assert(sizeof(cfg_algs) / sizeof(cfg_algs[0]) == CFG_ALG_COUNT, "cfg_algs");

const char *cfg_alg_name(int alg)
{
	return alg >= 0 && alg < CFG_ALG_COUNT ? cfg_algs[alg].name : "unknown";
}

int cfg_alg_by_name(const char *name)
{
	int a;

	for (a = 0; a < CFG_ALG_COUNT; a++)
		if (strcasecmp(name, cfg_algs[a].name) == 0 || strcasecmp(name, cfg_algs[a].mib) == 0)
			return a;
	return E_NOTFOUND;
}

/* A7, the one place: how the key object becomes key + IV (see cfgcrypt.h). */
int cfg_keyiv(int alg, const uint8_t *key, size_t key_len, struct cfg_keyiv *kv)
{
	size_t k, b;

	if (alg <= CFG_ALG_NONE || alg >= CFG_ALG_COUNT)
		return E_INVAL;
	k = cfg_algs[alg].key;
	b = cfg_algs[alg].block;
	memset(kv, 0, sizeof(*kv));
	kv->key_len = k;
	kv->block = b;
	if (key_len >= k + b) {
		memcpy(kv->key, key, k);
		memcpy(kv->iv, key + k, b);
		return 0;
	}
	if (key_len == k) {
		memcpy(kv->key, key, k);
		kv->iv_in_file = 1;
		return 0;
	}
	return E_RANGE;
}

/* Kept so the loaded providers stay reachable (and out of leak reports). */
static OSSL_PROVIDER *legacy, *deflt;

static const EVP_CIPHER *cfg_evp(int alg, int ecb)
{
	static int legacy_tried;

	switch (alg) {
	case CFG_ALG_DES:
		/* OpenSSL 3 keeps single DES in the legacy provider. */
		if (!legacy_tried) {
			legacy_tried = 1;
			legacy = OSSL_PROVIDER_load(NULL, "legacy");
			deflt = OSSL_PROVIDER_load(NULL, "default");
		}
		if (legacy == NULL || deflt == NULL)
			return NULL;    /* no legacy provider: single DES unsupported */
		return ecb ? EVP_des_ecb() : EVP_des_cbc();
	case CFG_ALG_3DES:
		return ecb ? EVP_des_ede3_ecb() : EVP_des_ede3_cbc();
	case CFG_ALG_AES128:
		return ecb ? EVP_aes_128_ecb() : EVP_aes_128_cbc();
	case CFG_ALG_AES256:
		return ecb ? EVP_aes_256_ecb() : EVP_aes_256_cbc();
	default:
		return NULL;
	}
}

/* One raw block through E_K (for residual block termination). */
static int cfg_block_encrypt(int alg, const struct cfg_keyiv *kv, const uint8_t *in, uint8_t *out)
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int n = 0, ok;

	if (c == NULL)
		return E_NOMEM;
	ok = EVP_EncryptInit_ex(c, cfg_evp(alg, 1), NULL, kv->key, NULL) == 1 &&
	     EVP_CIPHER_CTX_set_padding(c, 0) == 1 &&
	     EVP_EncryptUpdate(c, out, &n, in, (int)kv->block) == 1 && (size_t)n == kv->block;
	EVP_CIPHER_CTX_free(c);
	return ok ? 0 : E_UNSUPPORTED;
}

/*
 * CBC over the whole blocks of in, then residual block termination for the
 * rest.  enc: 1 encrypt, 0 decrypt.  The one place that fixes A7's
 * "block termination" rule.
 */
static int cfg_cipher(int alg, const struct cfg_keyiv *kv, const uint8_t *iv, int enc,
		      const uint8_t *in, size_t len, struct wr *out)
{
	size_t full = len - len % kv->block, rest = len - full, i;
	uint8_t ks[16], last[16];
	EVP_CIPHER_CTX *c;
	uint8_t *dst;
	int n = 0, ok = 1, rc;

	if (len > (size_t)0x7fffff00)
		return E_OVERFLOW;
	dst = wr_reserve(out, len);
	if (dst == NULL)
		return out->err;
	if (full) {
		c = EVP_CIPHER_CTX_new();
		if (c == NULL)
			return E_NOMEM;
		ok = EVP_CipherInit_ex(c, cfg_evp(alg, 0), NULL, kv->key, iv, enc) == 1 &&
		     EVP_CIPHER_CTX_set_padding(c, 0) == 1 &&
		     EVP_CipherUpdate(c, dst, &n, in, (int)full) == 1 && (size_t)n == full;
		EVP_CIPHER_CTX_free(c);
		if (!ok)
			return E_UNSUPPORTED;
	}
	if (rest) {
		/* the last full ciphertext block: output when encrypting, input when not */
		memcpy(last, full ? (enc ? dst : in) + full - kv->block : iv, kv->block);
		if ((rc = cfg_block_encrypt(alg, kv, last, ks)) < 0)
			return rc;
		for (i = 0; i < rest; i++)
			dst[full + i] = in[full + i] ^ ks[i];
	}
	return 0;
}

int cfg_encrypt(int alg, const uint8_t *key, size_t key_len, const uint8_t *iv,
		const void *in, size_t len, struct wr *out)
{
	struct cfg_keyiv kv;
	int rc = cfg_keyiv(alg, key, key_len, &kv);

	if (rc < 0)
		return rc;
	if (kv.iv_in_file) {
		if (iv)
			memcpy(kv.iv, iv, kv.block);
		else if (RAND_bytes(kv.iv, (int)kv.block) != 1)
			return E_IO;
		wr_bytes(out, kv.iv, kv.block);
	}
	rc = cfg_cipher(alg, &kv, kv.iv, 1, in, len, out);
	OPENSSL_cleanse(&kv, sizeof(kv));
	return rc < 0 ? rc : out->err;
}

int cfg_decrypt(int alg, const uint8_t *key, size_t key_len, const void *in, size_t len,
		struct wr *out)
{
	const uint8_t *p = in;
	struct cfg_keyiv kv;
	int rc = cfg_keyiv(alg, key, key_len, &kv);

	if (rc < 0)
		return rc;
	if (kv.iv_in_file) {
		if (len < kv.block)
			return E_SHORT;
		memcpy(kv.iv, p, kv.block);
		p += kv.block;
		len -= kv.block;
	}
	rc = cfg_cipher(alg, &kv, kv.iv, 0, p, len, out);
	OPENSSL_cleanse(&kv, sizeof(kv));
	return rc < 0 ? rc : out->err;
}
