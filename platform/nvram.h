/*
 * nvram.h: non-volatile storage, key -> blob, that survives a power cut at
 * any instant.
 *
 * Each key is one file in the nvram directory holding a record:
 *
 *   "NVR1" | u32 payload length | u32 CRC-32 of (key, length, payload) | payload
 *
 * (big-endian).  A put writes "<key>.tmp", fsyncs it, renames it over
 * "<key>" and fsyncs the directory, so after a crash a get returns either
 * the old or the new value, never a mix; a record whose length or CRC does
 * not match (torn sector, bit rot, a file copied from another key) reads as
 * E_CORRUPT.  Leftover .tmp files are removed at open.  Every file-system
 * call goes through a struct nvram_fs, so tests can cut the power between
 * any two calls (after SQLite's overridable aSyscall[] table).
 */
#ifndef PLATFORM_NVRAM_H
#define PLATFORM_NVRAM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define NVRAM_KEY_MAX 63
#define NVRAM_VALUE_MAX (256 * 1024)

/* The file-system calls nvram uses; each returns what its POSIX namesake does. */
struct nvram_fs {
	int (*open)(void *ctx, const char *path, int flags, mode_t mode);
	ssize_t (*write)(void *ctx, int fd, const void *buf, size_t len);
	ssize_t (*read)(void *ctx, int fd, void *buf, size_t len);
	int (*fsync)(void *ctx, int fd);
	int (*close)(void *ctx, int fd);
	int (*rename)(void *ctx, const char *from, const char *to);
	int (*unlink)(void *ctx, const char *path);
	void *ctx;
};

/* The real calls. */
extern const struct nvram_fs nvram_posix_fs;

struct nvram;

/* Open (creating) the directory dir; fs NULL means nvram_posix_fs. */
int nvram_open(struct nvram **out, const char *dir, const struct nvram_fs *fs);
void nvram_close(struct nvram *nv);

/* Replace key's value atomically.  Keys: [A-Za-z0-9_.-], 1..63 chars, no
 * leading dot. */
int nvram_put(struct nvram *nv, const char *key, const void *val, size_t len);
/* Copy key's value into buf (cap bytes); *len gets its size.  E_NOTFOUND,
 * E_CORRUPT, or E_OVERFLOW when cap is too small. */
int nvram_get(struct nvram *nv, const char *key, void *buf, size_t cap, size_t *len);
int nvram_del(struct nvram *nv, const char *key);

#endif
