/*
 * test_nvram.c: atomic replace, a power cut between any two file-system
 * calls (old or new value, never a mix), corrupt records detected.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "platform/err.h"
#include "platform/nvram.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/nvram-test-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

/* The power-cut file system: every call after the budget runs out fails,
 * and files stay as the calls so far left them (what a reboot would find).
 * A write that runs into the cut is torn: only half of it lands. */
struct cut {
	int budget;
};

static int cut_tick(struct cut *c)
{
	if (c->budget <= 0) {
		errno = EIO;
		return -1;
	}
	c->budget--;
	return 0;
}
static int c_open(void *ctx, const char *p, int f, mode_t m)
{
	return cut_tick(ctx) ? -1 : open(p, f, m);
}
static ssize_t c_write(void *ctx, int fd, const void *b, size_t n)
{
	if (cut_tick(ctx)) {
		if (n > 1)
			(void)!write(fd, b, n / 2);   /* torn write */
		return -1;
	}
	return write(fd, b, n);
}
static ssize_t c_read(void *ctx, int fd, void *b, size_t n)
{
	(void)ctx;
	return read(fd, b, n);
}
static int c_fsync(void *ctx, int fd)
{
	return cut_tick(ctx) ? -1 : fsync(fd);
}
static int c_close(void *ctx, int fd)
{
	(void)ctx;
	return close(fd);
}
static int c_rename(void *ctx, const char *a, const char *b)
{
	return cut_tick(ctx) ? -1 : rename(a, b);
}
static int c_unlink(void *ctx, const char *p)
{
	/* after the cut nothing cleans up: the scratch file stays */
	return cut_tick(ctx) ? -1 : unlink(p);
}

static void test_put_get_replace(void **state)
{
	struct nvram *nv;
	char buf[64];
	size_t len;

	(void)state;
	assert_int_equal(nvram_open(&nv, dir, NULL), 0);
	assert_int_equal(nvram_get(nv, "ticket", buf, sizeof(buf), &len), E_NOTFOUND);
	assert_int_equal(nvram_put(nv, "ticket", "first", 5), 0);
	assert_int_equal(nvram_put(nv, "ticket", "second value", 12), 0);
	assert_int_equal(nvram_get(nv, "ticket", buf, sizeof(buf), &len), 0);
	assert_int_equal(len, 12);
	assert_memory_equal(buf, "second value", 12);
	assert_int_equal(nvram_get(nv, "ticket", buf, 4, &len), E_OVERFLOW);
	assert_int_equal(len, 12);
	assert_int_equal(nvram_put(nv, "empty", NULL, 0), 0);
	assert_int_equal(nvram_get(nv, "empty", buf, sizeof(buf), &len), 0);
	assert_int_equal(len, 0);
	assert_int_equal(nvram_del(nv, "ticket"), 0);
	assert_int_equal(nvram_get(nv, "ticket", buf, sizeof(buf), &len), E_NOTFOUND);
	nvram_close(nv);
}

static void test_bad_keys_rejected(void **state)
{
	struct nvram *nv;

	(void)state;
	assert_int_equal(nvram_open(&nv, dir, NULL), 0);
	assert_int_equal(nvram_put(nv, "../etc", "x", 1), E_INVAL);
	assert_int_equal(nvram_put(nv, "", "x", 1), E_INVAL);
	assert_int_equal(nvram_put(nv, ".hidden", "x", 1), E_INVAL);
	assert_int_equal(nvram_put(nv, "a.tmp", "x", 1), E_INVAL);
	assert_int_equal(nvram_put(nv, "a/b", "x", 1), E_INVAL);
	nvram_close(nv);
}

/* Cut the power at every call of a put, for a fresh and an existing key. */
static void test_power_cut_at_every_step(void **state)
{
	const char *oldv = "old-value-0123456789";
	const char *newv = "NEW-VALUE-abcdefghijklmnopqrstuvwxyz";
	int completed_at = -1;

	(void)state;
	for (int budget = 0; budget < 20; budget++) {
		struct cut c = { budget };
		struct nvram_fs fs = { c_open, c_write, c_read, c_fsync, c_close, c_rename, c_unlink, &c };
		struct nvram *nv, *nv2;
		char buf[128];
		size_t len;
		int rc;

		assert_int_equal(nvram_open(&nv, dir, NULL), 0);
		assert_int_equal(nvram_put(nv, "cache", oldv, strlen(oldv)), 0);
		nvram_close(nv);

		assert_int_equal(nvram_open(&nv, dir, &fs), 0);
		rc = nvram_put(nv, "cache", newv, strlen(newv));
		nvram_close(nv);
		if (rc == 0 && completed_at < 0)
			completed_at = budget;

		/* reboot: the real file system, the sweep of scratch files */
		assert_int_equal(nvram_open(&nv2, dir, NULL), 0);
		assert_int_equal(nvram_get(nv2, "cache", buf, sizeof(buf), &len), 0);
		if (len == strlen(newv))
			assert_memory_equal(buf, newv, len);
		else
			assert_memory_equal(buf, oldv, strlen(oldv));
		/* a successful put is durable */
		if (rc == 0)
			assert_int_equal(len, strlen(newv));
		snprintf(buf, sizeof(buf), "%s/cache.tmp", dir);
		assert_int_equal(access(buf, F_OK), -1);   /* swept at open */
		nvram_close(nv2);
	}
	/* open, 2 writes, fsync, rename, open dir, fsync dir: 7 calls */
	assert_int_equal(completed_at, 7);
}

static void corrupt_byte(const char *key, long off, int xor)
{
	char path[128];
	FILE *f;
	int ch;

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	f = fopen(path, "r+b");
	assert_non_null(f);
	fseek(f, off, SEEK_SET);
	ch = fgetc(f);
	fseek(f, off, SEEK_SET);
	fputc(ch ^ xor, f);
	fclose(f);
}

static void test_corrupt_records_detected(void **state)
{
	struct nvram *nv;
	char buf[64] = "untouched";
	size_t len;
	char path[128], path2[128];

	(void)state;
	assert_int_equal(nvram_open(&nv, dir, NULL), 0);
	assert_int_equal(nvram_put(nv, "k", "payload-bytes", 13), 0);
	corrupt_byte("k", 12 + 3, 0x01);            /* a payload bit flips */
	assert_int_equal(nvram_get(nv, "k", buf, sizeof(buf), &len), E_CORRUPT);
	assert_string_equal(buf, "untouched");      /* nothing half-copied */

	assert_int_equal(nvram_put(nv, "k", "payload-bytes", 13), 0);
	corrupt_byte("k", 0, 0x20);                 /* the magic */
	assert_int_equal(nvram_get(nv, "k", buf, sizeof(buf), &len), E_CORRUPT);

	assert_int_equal(nvram_put(nv, "k", "payload-bytes", 13), 0);
	corrupt_byte("k", 7, 0x01);                 /* the length */
	assert_int_equal(nvram_get(nv, "k", buf, sizeof(buf), &len), E_CORRUPT);

	/* truncated file */
	assert_int_equal(nvram_put(nv, "k", "payload-bytes", 13), 0);
	snprintf(path, sizeof(path), "%s/k", dir);
	assert_int_equal(truncate(path, 20), 0);
	assert_int_equal(nvram_get(nv, "k", buf, sizeof(buf), &len), E_CORRUPT);

	/* a valid record copied under another key */
	assert_int_equal(nvram_put(nv, "a", "payload-bytes", 13), 0);
	snprintf(path2, sizeof(path2), "%s/b", dir);
	snprintf(path, sizeof(path), "%s/a", dir);
	assert_int_equal(link(path, path2), 0);
	assert_int_equal(nvram_get(nv, "b", buf, sizeof(buf), &len), E_CORRUPT);
	assert_int_equal(nvram_get(nv, "a", buf, sizeof(buf), &len), 0);
	nvram_close(nv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_put_get_replace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_keys_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_power_cut_at_every_step, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_records_detected, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
