/*
 * provsrv_cfg.c: eUE-18 for the lab's provisioning server: the per-device config file.
 *
 * Template text -> placeholders filled -> tlv/cfgtext.h compile -> (optional in-file hash) ->
 * SHA-1 of the bytes as written (the hash provsrv SETs in eUE-19; open question A8: the hash
 * covers the file as downloaded) -> written as <name>.tmp, chmod 0644, renamed, in each root.
 * No network, no Net-SNMP.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/lab/provsrv.h"
#include "tlv/cfgtext.h"

#define PS_MAX_TEXT (1u << 20)
#define PS_MAX_BIN (4u << 20)

static char *read_text(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;

	if (f == NULL)
		return NULL;
	buf = malloc(PS_MAX_TEXT + 1);
	if (buf == NULL) {
		fclose(f);
		return NULL;
	}
	n = fread(buf, 1, PS_MAX_TEXT + 1, f);
	if (ferror(f) || n > PS_MAX_TEXT) {
		fclose(f);
		free(buf);
		errno = EFBIG;
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* Appends to a growable string; sets *err on allocation failure. */
struct sbuf {
	char *p;
	size_t len, cap;
	int err;
};

static void sb_add(struct sbuf *s, const char *p, size_t n)
{
	if (s->err)
		return;
	if (s->len + n + 1 > s->cap) {
		size_t cap = (s->len + n + 1) * 2;
		char *np = realloc(s->p, cap);

		if (np == NULL) {
			s->err = 1;
			return;
		}
		s->p = np;
		s->cap = cap;
	}
	memcpy(s->p + s->len, p, n);
	s->len += n;
	s->p[s->len] = '\0';
}

/* The value of placeholder name[0..n), or NULL. */
static const char *lookup(const struct ps_cfg_opts *o, const char *name, size_t n,
			  const char *const fixed[][2], size_t nfixed)
{
	size_t i;

	for (i = 0; i < nfixed; i++)
		if (strlen(fixed[i][0]) == n && memcmp(fixed[i][0], name, n) == 0)
			return fixed[i][1];
	for (i = 0; i < o->ndefs; i++)
		if (strlen(o->def_name[i]) == n && memcmp(o->def_name[i], name, n) == 0)
			return o->def_value[i];
	return NULL;
}

/*
 * @NAME@ (NAME = [A-Z0-9_]+) replaced; any other '@' is kept as it is.  An unknown NAME is an
 * error: a file with a placeholder left in it would compile to nonsense or not at all.
 */
static int fill(const struct ps_cfg_opts *o, const char *text, size_t len,
		const char *const fixed[][2], size_t nfixed, struct sbuf *out)
{
	size_t i = 0, j;

	while (i < len) {
		if (text[i] != '@') {
			for (j = i; j < len && text[j] != '@'; j++)
				;
			sb_add(out, text + i, j - i);
			i = j;
			continue;
		}
		for (j = i + 1; j < len && ((text[j] >= 'A' && text[j] <= 'Z') ||
					   (text[j] >= '0' && text[j] <= '9') || text[j] == '_'); j++)
			;
		if (j < len && text[j] == '@' && j > i + 1) {
			const char *v = lookup(o, text + i + 1, j - i - 1, fixed, nfixed);

			if (v == NULL) {
				ps_log("error what=template reason=unfilled-placeholder name=%.*s",
				       (int)(j - i - 1), text + i + 1);
				return -1;
			}
			sb_add(out, v, strlen(v));
			i = j + 1;
		} else {
			sb_add(out, "@", 1);
			i++;
		}
	}
	return out->err ? -1 : 0;
}

static int write_root(const char *root, const char *name, const uint8_t *buf, size_t len)
{
	char path[4096], tmp[4200];
	FILE *f;
	int n;

	n = snprintf(path, sizeof(path), "%s/%s", root, name);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -1;
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "wb");
	if (f == NULL) {
		ps_log("error what=write path=%s reason=\"%s\"", tmp, strerror(errno));
		return -1;
	}
	if (fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
		ps_log("error what=write path=%s reason=\"%s\"", tmp, strerror(errno));
		remove(tmp);
		return -1;
	}
	/* tftpd-hpa chroots and reads as user tftp, lighttpd as www-data: world-readable */
	if (chmod(tmp, 0644) != 0 || rename(tmp, path) != 0) {
		ps_log("error what=write path=%s reason=\"%s\"", path, strerror(errno));
		remove(tmp);
		return -1;
	}
	return 0;
}

static void hex(const uint8_t *p, size_t n, char *out)
{
	static const char d[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = d[p[i] >> 4];
		out[2 * i + 1] = d[p[i] & 15];
	}
	out[2 * n] = '\0';
}

int ps_cfg_build(const struct ps_cfg_opts *o, const char *devname, const char *mac_colon,
		 const char *mac_hex, const char *devaddr, struct ps_file *out)
{
	const char *const fixed[][2] = {
		{ "MAC", mac_colon }, { "MACHEX", mac_hex }, { "DEVADDR", devaddr },
	};
	struct cfgtext_opts to = { .prefer_module = o->prefer_module };
	struct cfgtext_err te;
	struct sbuf text = { 0 };
	struct wr bin, hashed, *fin = &bin;
	struct cfg_diag d;
	char *tpl;
	size_t tlen = 0;
	char sha[2 * CFG_SHA1_LEN + 1];
	int rc = -1, n;

	memset(out, 0, sizeof(*out));
	n = snprintf(out->name, sizeof(out->name), "%s.cfg", devname);
	if (n < 0 || (size_t)n >= sizeof(out->name))
		return -1;
	tpl = read_text(o->template_path, &tlen);
	if (tpl == NULL) {
		ps_log("error what=template path=%s reason=\"%s\"", o->template_path, strerror(errno));
		return -1;
	}
	wr_init_dyn(&bin, PS_MAX_BIN);
	wr_init_dyn(&hashed, PS_MAX_BIN);
	if (fill(o, tpl, tlen, fixed, sizeof(fixed) / sizeof(fixed[0]), &text) != 0)
		goto out;
	memset(&te, 0, sizeof(te));
	if (cfgtext_compile(text.p, text.len, &to, &bin, &te) != 0) {
		ps_log("error what=compile path=%s line=%u col=%u reason=\"%s\"", o->template_path,
		       te.line, te.col, te.msg);
		goto out;
	}
	if (o->in_file_hash >= 0) {
		memset(&d, 0, sizeof(d));
		if (cfg_hash_add(bin.buf, bin.len, o->in_file_hash, &hashed, &d) != 0) {
			ps_log("error what=in-file-hash");
			goto out;
		}
		fin = &hashed;
	}
	if (cfg_sha1(fin->buf, fin->len, out->sha1) != 0) {
		ps_log("error what=sha1");
		goto out;
	}
	out->len = fin->len;
	if (o->tftp_root != NULL && write_root(o->tftp_root, out->name, fin->buf, fin->len) != 0)
		goto out;
	if (o->www_root != NULL && write_root(o->www_root, out->name, fin->buf, fin->len) != 0)
		goto out;
	hex(out->sha1, CFG_SHA1_LEN, sha);
	ps_log("file name=%s bytes=%zu sha1=%s tftp=%s www=%s", out->name, out->len, sha,
	       o->tftp_root ? o->tftp_root : "-", o->www_root ? o->www_root : "-");
	rc = 0;
out:
	wr_free(&bin);
	wr_free(&hashed);
	free(text.p);
	free(tpl);
	return rc;
}
