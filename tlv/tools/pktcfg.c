/*
 * pktcfg: the eUE configuration-file compiler (text <-> binary, hash,
 * encryption, verification).  All format logic is in tlv/cfg*.c; this file
 * only reads arguments and files.  Exit codes (also in tlv/README-config.md):
 *
 *   0  success (verify: the file passes)
 *   1  usage error
 *   2  I/O error (cannot read or write a file)
 *   3  text error (syntax, unknown name, value out of range) in encode
 *   4  binary file rejected by the codec (structure, TLV, BER)
 *   5  hash missing (when required) or not matching
 *   6  verify: a 6.4.2 rule is violated (failConfigFileError)
 *   7  encryption/decryption error (bad key length, algorithm)
 *
 * It includes an OpenSSL header, so boards without libraries skip it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "tlv/cfgcrypt.h"
#include "tlv/cfgrules.h"
#include "tlv/cfgtext.h"
#include "tlv/mibnames.h"

enum { X_OK = 0, X_USAGE = 1, X_IO = 2, X_TEXT = 3, X_BINARY = 4, X_HASH = 5, X_RULES = 6,
       X_CRYPTO = 7 };

#define MAX_FILE (16u << 20)    /* 16 MiB: far above any config file */

static const char usage[] =
	"usage: pktcfg encode [-o OUT] [--hash[=cablelabs|excentis|ietf]] [--mib cablelabs|ietf]\n"
	"                     [--encrypt ALG --key HEX [--iv HEX]] IN.txt\n"
	"       pktcfg decode [-o OUT] [--mib cablelabs|ietf] [--decrypt ALG --key HEX] IN.bin\n"
	"       pktcfg verify [--require-hash] [--snmp-hash HEX] [--decrypt ALG --key HEX] IN.bin\n"
	"       pktcfg hash IN.bin\n"
	"ALG: des, 3des, aes128, aes256 (or the PktcMtaDevProvEncryptAlg names)\n"
	"exit: 0 ok, 1 usage, 2 I/O, 3 text error, 4 bad binary, 5 hash, 6 6.4.2 rule, 7 crypto\n";

struct opts {
	const char *cmd, *in, *out;
	int hash_family;        /* -1: no --hash */
	int prefer;             /* module index */
	int alg;
	uint8_t key[64], iv[16], snmp_hash[32];
	size_t key_len, iv_len, snmp_hash_len;
	int have_key, have_iv, have_snmp_hash, require_hash;
};

static int read_file(const char *path, uint8_t **buf, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	size_t cap = 1 << 16, n = 0, k;
	uint8_t *b = NULL, *nb;

	if (f == NULL) {
		fprintf(stderr, "pktcfg: %s: %s\n", path, strerror(errno));
		return X_IO;
	}
	for (;;) {
		nb = realloc(b, cap);
		if (nb == NULL)
			break;
		b = nb;
		k = fread(b + n, 1, cap - n, f);
		n += k;
		if (n < cap || cap >= MAX_FILE)
			break;
		cap *= 2;
	}
	if (f != stdin)
		fclose(f);
	if (b == NULL || n >= MAX_FILE) {
		fprintf(stderr, "pktcfg: %s: too large or out of memory\n", path);
		free(b);
		return X_IO;
	}
	*buf = b;
	*len = n;
	return X_OK;
}

static int write_file(const char *path, const void *buf, size_t len)
{
	FILE *f = path == NULL || strcmp(path, "-") == 0 ? stdout : fopen(path, "wb");
	int bad;

	if (f == NULL) {
		fprintf(stderr, "pktcfg: %s: %s\n", path, strerror(errno));
		return X_IO;
	}
	bad = fwrite(buf, 1, len, f) != len;
	bad |= f == stdout ? fflush(f) != 0 : fclose(f) != 0;
	if (bad) {
		fprintf(stderr, "pktcfg: %s: write failed\n", path ? path : "stdout");
		return X_IO;
	}
	return X_OK;
}

static int parse_hex(const char *s, uint8_t *out, size_t cap, size_t *n)
{
	size_t i, len;
	unsigned v;

	if (strncmp(s, "0x", 2) == 0 || strncmp(s, "0X", 2) == 0)
		s += 2;
	len = strlen(s);
	if (len % 2 || len / 2 > cap)
		return -1;
	for (i = 0; i < len / 2; i++) {
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (uint8_t)v;
	}
	*n = len / 2;
	return 0;
}

static void print_hex(FILE *f, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(f, "%02x", p[i]);
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	o->hash_family = -1;
	o->prefer = mib_module_by_name("PKTC-MTA-MIB", 12);
	if (argc < 2)
		return -1;
	o->cmd = argv[1];
	for (i = 2; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "-o") == 0 && v) {
			o->out = v;
			i++;
		} else if (strcmp(a, "--hash") == 0) {
			o->hash_family = CFG_HASH_CL;
		} else if (strncmp(a, "--hash=", 7) == 0) {
			int f;

			for (f = 0; f < CFG_HASH_NFAMILY; f++)
				if (strcmp(a + 7, cfg_hash_oids[f].name) == 0)
					o->hash_family = f;
			if (o->hash_family < 0)
				return -1;
		} else if (strcmp(a, "--mib") == 0 && v) {
			if (strcmp(v, "ietf") == 0)
				o->prefer = mib_module_by_name("PKTC-IETF-MTA-MIB", 17);
			else if (strcmp(v, "cablelabs") != 0)
				return -1;
			i++;
		} else if ((strcmp(a, "--encrypt") == 0 || strcmp(a, "--decrypt") == 0) && v) {
			o->alg = cfg_alg_by_name(v);
			if (o->alg <= 0)
				return -1;
			i++;
		} else if (strcmp(a, "--key") == 0 && v) {
			if (parse_hex(v, o->key, sizeof(o->key), &o->key_len) < 0)
				return -1;
			o->have_key = 1;
			i++;
		} else if (strcmp(a, "--iv") == 0 && v) {
			if (parse_hex(v, o->iv, sizeof(o->iv), &o->iv_len) < 0)
				return -1;
			o->have_iv = 1;
			i++;
		} else if (strcmp(a, "--snmp-hash") == 0 && v) {
			if (parse_hex(v, o->snmp_hash, sizeof(o->snmp_hash), &o->snmp_hash_len) < 0)
				return -1;
			o->have_snmp_hash = 1;
			i++;
		} else if (strcmp(a, "--require-hash") == 0) {
			o->require_hash = 1;
		} else if (a[0] == '-' && a[1] != '\0') {
			return -1;
		} else if (o->in == NULL) {
			o->in = a;
		} else {
			return -1;
		}
	}
	if (o->in == NULL || (o->alg > 0) != (o->have_key != 0))
		return -1;
	return 0;
}

/* Decrypt into *plain when asked; otherwise *plain = the input. */
static int maybe_decrypt(const struct opts *o, const uint8_t *in, size_t len, struct wr *w,
			 const uint8_t **plain, size_t *plen)
{
	int rc;

	*plain = in;
	*plen = len;
	if (o->alg <= 0)
		return X_OK;
	rc = cfg_decrypt(o->alg, o->key, o->key_len, in, len, w);
	if (rc < 0) {
		fprintf(stderr, "pktcfg: %s: decrypt (%s): %s\n", o->in, cfg_alg_name(o->alg),
			err_str(rc));
		return X_CRYPTO;
	}
	*plain = w->buf;
	*plen = w->len;
	return X_OK;
}

static int do_encode(const struct opts *o, const uint8_t *in, size_t len)
{
	struct cfgtext_opts to = { .prefer_module = o->prefer };
	struct cfgtext_err e;
	struct cfg_diag d;
	struct wr bin, hashed, enc;
	const struct wr *final;
	int rc, x = X_OK;

	wr_init_dyn(&bin, MAX_FILE);
	wr_init_dyn(&hashed, MAX_FILE);
	wr_init_dyn(&enc, MAX_FILE);
	rc = cfgtext_compile((const char *)in, len, &to, &bin, &e);
	if (rc < 0) {
		fprintf(stderr, "%s:%u:%u: error: %s\n", o->in, e.line, e.col, e.msg);
		x = X_TEXT;
		goto out;
	}
	final = &bin;
	if (o->hash_family >= 0) {
		rc = cfg_hash_add(bin.buf, bin.len, o->hash_family, &hashed, &d);
		if (rc < 0) {
			char m[160];
			fprintf(stderr, "pktcfg: %s: hash: %s\n", o->in, cfg_diag_str(&d, m, sizeof(m)));
			x = X_BINARY;
			goto out;
		}
		final = &hashed;
	}
	if (o->alg > 0) {
		if (o->have_iv && o->iv_len < 16 && o->iv_len < (o->alg <= CFG_ALG_3DES ? 8u : 16u)) {
			fprintf(stderr, "pktcfg: --iv too short\n");
			x = X_USAGE;
			goto out;
		}
		rc = cfg_encrypt(o->alg, o->key, o->key_len, o->have_iv ? o->iv : NULL, final->buf,
				 final->len, &enc);
		if (rc < 0) {
			fprintf(stderr, "pktcfg: encrypt (%s): %s\n", cfg_alg_name(o->alg), err_str(rc));
			x = X_CRYPTO;
			goto out;
		}
		final = &enc;
	}
	x = write_file(o->out, final->buf, final->len);
out:
	wr_free(&bin);
	wr_free(&hashed);
	wr_free(&enc);
	return x;
}

static int do_decode(const struct opts *o, const uint8_t *in, size_t len)
{
	struct cfgtext_opts to = { .prefer_module = o->prefer };
	struct cfg_diag d;
	struct wr txt, dec;
	const uint8_t *plain;
	size_t plen;
	char m[160];
	int rc, x;

	wr_init_dyn(&txt, 64u << 20);
	wr_init_dyn(&dec, MAX_FILE);
	x = maybe_decrypt(o, in, len, &dec, &plain, &plen);
	if (x == X_OK) {
		rc = cfgtext_print(plain, plen, &to, &txt, &d);
		if (rc < 0) {
			fprintf(stderr, "pktcfg: %s: %s\n", o->in, cfg_diag_str(&d, m, sizeof(m)));
			x = X_BINARY;
		} else {
			x = write_file(o->out, txt.buf, txt.len);
		}
	}
	wr_free(&txt);
	wr_free(&dec);
	return x;
}

static void print_finding(void *arg, const struct cfg_finding *f)
{
	const char *path = arg;

	fprintf(stderr, "%s: offset %zu: %s: %s\n", path, f->off,
		f->level == CFG_FAIL ? "error" : "warning", f->msg);
}

static int do_verify(const struct opts *o, const uint8_t *in, size_t len)
{
	struct cfg_diag d;
	struct wr dec;
	const uint8_t *plain;
	size_t plen;
	char m[160];
	int rc, x;

	wr_init_dyn(&dec, MAX_FILE);
	/* A8: the SNMP-delivered hash covers the file as downloaded. */
	if (o->have_snmp_hash) {
		rc = cfg_snmp_hash_check(in, len, o->snmp_hash, o->snmp_hash_len);
		if (rc < 0) {
			fprintf(stderr, "pktcfg: %s: SNMP-delivered hash: %s\n", o->in,
				rc == E_AUTH ? "mismatch" : err_str(rc));
			x = X_HASH;
			goto out;
		}
	}
	if ((x = maybe_decrypt(o, in, len, &dec, &plain, &plen)) != X_OK)
		goto out;
	rc = cfg_check(plain, plen, &d);
	if (rc < 0) {
		fprintf(stderr, "pktcfg: %s: %s\n", o->in, cfg_diag_str(&d, m, sizeof(m)));
		x = X_BINARY;
		goto out;
	}
	rc = cfg_hash_verify(plain, plen, &d);
	if (rc == E_NOTFOUND && !o->require_hash) {
		rc = 0;
	} else if (rc < 0) {
		fprintf(stderr, "pktcfg: %s: %s\n", o->in, cfg_diag_str(&d, m, sizeof(m)));
		x = rc == E_AUTH || rc == E_NOTFOUND ? X_HASH : X_BINARY;
		goto out;
	}
	rc = cfg_rules_check(plain, plen, print_finding, (void *)o->in, &d);
	if (rc == CFG_FAIL) {
		x = X_RULES;
		goto out;
	}
	printf("%s: ok\n", o->in);
out:
	wr_free(&dec);
	return x;
}

static int do_hash(const struct opts *o, const uint8_t *in, size_t len)
{
	uint8_t md[CFG_SHA1_LEN];
	struct cfg_hash_loc loc;
	struct cfg_diag d;
	char m[160];
	int rc;

	if (cfg_sha1(in, len, md) == 0) {
		printf("file-sha1 ");
		print_hex(stdout, md, sizeof(md));
		printf("\n");
	}
	rc = cfg_hash_compute(in, len, md, &d);
	if (rc < 0) {
		fprintf(stderr, "pktcfg: %s: %s\n", o->in, cfg_diag_str(&d, m, sizeof(m)));
		return X_BINARY;
	}
	printf("config-hash ");
	print_hex(stdout, md, sizeof(md));
	printf("\n");
	if (cfg_hash_locate(in, len, &loc, &d) == 0) {
		printf("in-file %s ", cfg_hash_oids[loc.family].name);
		print_hex(stdout, loc.digest, loc.digest_len);
		rc = CRYPTO_memcmp(loc.digest, md, sizeof(md)) == 0;
		printf(" %s\n", rc ? "match" : "MISMATCH");
		return rc ? X_OK : X_HASH;
	}
	return X_OK;
}

int main(int argc, char **argv)
{
	struct opts o;
	uint8_t *in = NULL;
	size_t len = 0;
	int x;

	if (parse_args(argc, argv, &o) < 0) {
		fputs(usage, stderr);
		return X_USAGE;
	}
	if (strcmp(o.cmd, "encode") && strcmp(o.cmd, "decode") && strcmp(o.cmd, "verify") &&
	    strcmp(o.cmd, "hash")) {
		fputs(usage, stderr);
		return X_USAGE;
	}
	if ((x = read_file(o.in, &in, &len)) != X_OK)
		return x;
	if (strcmp(o.cmd, "encode") == 0)
		x = do_encode(&o, in, len);
	else if (strcmp(o.cmd, "decode") == 0)
		x = do_decode(&o, in, len);
	else if (strcmp(o.cmd, "verify") == 0)
		x = do_verify(&o, in, len);
	else
		x = do_hash(&o, in, len);
	OPENSSL_cleanse(o.key, sizeof(o.key));
	free(in);
	return x;
}
