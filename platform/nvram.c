/* nvram.c: the crash-safe key -> blob store of nvram.h. */
#include "platform/nvram.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "platform/bytes.h"
#include "platform/crc32.h"
#include "platform/err.h"
#include "platform/log.h"

#define NVRAM_HDR 12
static const uint8_t nvram_magic[4] = { 'N', 'V', 'R', '1' };

struct nvram {
	char dir[256];
	struct nvram_fs fs;
};

static int px_open(void *ctx, const char *path, int flags, mode_t mode)
{
	(void)ctx;
	return open(path, flags | O_CLOEXEC, mode);
}
static ssize_t px_write(void *ctx, int fd, const void *buf, size_t len)
{
	(void)ctx;
	return write(fd, buf, len);
}
static ssize_t px_read(void *ctx, int fd, void *buf, size_t len)
{
	(void)ctx;
	return read(fd, buf, len);
}
static int px_fsync(void *ctx, int fd)
{
	(void)ctx;
	return fsync(fd);
}
static int px_close(void *ctx, int fd)
{
	(void)ctx;
	return close(fd);
}
static int px_rename(void *ctx, const char *from, const char *to)
{
	(void)ctx;
	return rename(from, to);
}
static int px_unlink(void *ctx, const char *path)
{
	(void)ctx;
	return unlink(path);
}

const struct nvram_fs nvram_posix_fs = {
	.open = px_open, .write = px_write, .read = px_read, .fsync = px_fsync,
	.close = px_close, .rename = px_rename, .unlink = px_unlink, .ctx = NULL,
};

static int nvram_key_ok(const char *key)
{
	size_t n = strlen(key);

	if (n == 0 || n > NVRAM_KEY_MAX || key[0] == '.')
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = key[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-' || c == '.'))
			return 0;
	}
	/* ".tmp" names are the store's own scratch files */
	return !(n >= 4 && strcmp(key + n - 4, ".tmp") == 0);
}

static int nvram_path(const struct nvram *nv, const char *key, const char *sfx, char *out, size_t cap)
{
	int n = snprintf(out, cap, "%s/%s%s", nv->dir, key, sfx);

	return n < 0 || (size_t)n >= cap ? E_OVERFLOW : 0;
}

/* Remove scratch files left by a put that a power cut interrupted. */
static void nvram_sweep(struct nvram *nv)
{
	DIR *d = opendir(nv->dir);
	struct dirent *e;
	char path[512];

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);

		if (n > 4 && strcmp(e->d_name + n - 4, ".tmp") == 0 &&
		    snprintf(path, sizeof(path), "%s/%s", nv->dir, e->d_name) < (int)sizeof(path))
			nv->fs.unlink(nv->fs.ctx, path);
	}
	closedir(d);
}

int nvram_open(struct nvram **out, const char *dir, const struct nvram_fs *fs)
{
	struct nvram *nv;

	*out = NULL;
	if (strlen(dir) >= sizeof(nv->dir))
		return E_INVAL;
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return E_IO;
	nv = calloc(1, sizeof(*nv));
	if (nv == NULL)
		return E_NOMEM;
	strcpy(nv->dir, dir);
	nv->fs = fs ? *fs : nvram_posix_fs;
	nvram_sweep(nv);
	*out = nv;
	return 0;
}

void nvram_close(struct nvram *nv)
{
	free(nv);
}

static uint32_t nvram_crc(const char *key, uint32_t len, const void *val)
{
	uint8_t l[4];
	uint32_t crc;

	store_be32(l, len);
	/* The key is covered so a file renamed or copied to another key fails. */
	crc = crc32_update(0, key, strlen(key));
	crc = crc32_update(crc, l, sizeof(l));
	return crc32_update(crc, val, len);
}

static int nvram_write_all(struct nvram *nv, int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len > 0) {
		ssize_t n = nv->fs.write(nv->fs.ctx, fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return E_IO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int nvram_sync_dir(struct nvram *nv)
{
	int fd = nv->fs.open(nv->fs.ctx, nv->dir, O_RDONLY | O_DIRECTORY, 0);
	int rc;

	if (fd < 0)
		return E_IO;
	rc = nv->fs.fsync(nv->fs.ctx, fd);
	nv->fs.close(nv->fs.ctx, fd);
	return rc < 0 ? E_IO : 0;
}

int nvram_put(struct nvram *nv, const char *key, const void *val, size_t len)
{
	char tmp[512], path[512];
	uint8_t hdr[NVRAM_HDR];
	int fd, rc;

	if (!nvram_key_ok(key) || len > NVRAM_VALUE_MAX || (len && val == NULL))
		return E_INVAL;
	if (nvram_path(nv, key, ".tmp", tmp, sizeof(tmp)) || nvram_path(nv, key, "", path, sizeof(path)))
		return E_OVERFLOW;
	memcpy(hdr, nvram_magic, 4);
	store_be32(hdr + 4, (uint32_t)len);
	store_be32(hdr + 8, nvram_crc(key, (uint32_t)len, val));

	fd = nv->fs.open(nv->fs.ctx, tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		return E_IO;
	rc = nvram_write_all(nv, fd, hdr, sizeof(hdr));
	if (rc == 0)
		rc = nvram_write_all(nv, fd, val, len);
	/* The data must be on the medium before the rename makes it current. */
	if (rc == 0 && nv->fs.fsync(nv->fs.ctx, fd) < 0)
		rc = E_IO;
	if (nv->fs.close(nv->fs.ctx, fd) < 0 && rc == 0)
		rc = E_IO;
	if (rc == 0 && nv->fs.rename(nv->fs.ctx, tmp, path) < 0)
		rc = E_IO;
	if (rc != 0) {
		nv->fs.unlink(nv->fs.ctx, tmp);
		return rc;
	}
	/* And the rename must be on the medium before we report success. */
	return nvram_sync_dir(nv);
}

int nvram_get(struct nvram *nv, const char *key, void *buf, size_t cap, size_t *len)
{
	char path[512];
	uint8_t hdr[NVRAM_HDR], extra;
	uint8_t *tmp = NULL;
	uint32_t vlen;
	size_t got = 0;
	ssize_t n;
	int fd, rc = 0;

	*len = 0;
	if (!nvram_key_ok(key))
		return E_INVAL;
	if (nvram_path(nv, key, "", path, sizeof(path)))
		return E_OVERFLOW;
	fd = nv->fs.open(nv->fs.ctx, path, O_RDONLY, 0);
	if (fd < 0)
		return errno == ENOENT ? E_NOTFOUND : E_IO;
	while (got < sizeof(hdr) && (n = nv->fs.read(nv->fs.ctx, fd, hdr + got, sizeof(hdr) - got)) > 0)
		got += (size_t)n;
	vlen = load_be32(hdr + 4);
	if (got < sizeof(hdr) || memcmp(hdr, nvram_magic, 4) != 0 || vlen > NVRAM_VALUE_MAX) {
		rc = E_CORRUPT;
		goto out;
	}
	/* Read into a scratch buffer so a corrupt record never reaches buf. */
	tmp = malloc(vlen ? vlen : 1);
	if (tmp == NULL) {
		rc = E_NOMEM;
		goto out;
	}
	got = 0;
	while (got < vlen && (n = nv->fs.read(nv->fs.ctx, fd, tmp + got, vlen - got)) > 0)
		got += (size_t)n;
	if (got < vlen || nv->fs.read(nv->fs.ctx, fd, &extra, 1) != 0 ||
	    nvram_crc(key, vlen, tmp) != load_be32(hdr + 8)) {
		rc = E_CORRUPT;
		goto out;
	}
	*len = vlen;
	if (vlen > cap) {
		rc = E_OVERFLOW;
		goto out;
	}
	if (vlen)
		memcpy(buf, tmp, vlen);
out:
	if (rc == E_CORRUPT)
		log_warnx("nvram: record %s is corrupt", key);
	free(tmp);
	nv->fs.close(nv->fs.ctx, fd);
	return rc;
}

int nvram_del(struct nvram *nv, const char *key)
{
	char path[512];

	if (!nvram_key_ok(key))
		return E_INVAL;
	if (nvram_path(nv, key, "", path, sizeof(path)))
		return E_OVERFLOW;
	if (nv->fs.unlink(nv->fs.ctx, path) < 0)
		return errno == ENOENT ? E_NOTFOUND : E_IO;
	return nvram_sync_dir(nv);
}
