/*
 * nvramcheck.c: the power-cut test's view of an nvram directory (tests/reliability/).
 *
 *   nvramcheck check DIR          open DIR with platform/nvram.c (which removes leftover
 *                                 .tmp files) and read back every record with nvram_get;
 *                                 prints "records=N ok=N corrupt=N tmp-left=N" and exits 1
 *                                 when any record does not read back valid.  Records this
 *                                 tool wrote ("relw-*") must also be self-consistent: their
 *                                 payload is a pure function of the sequence number it
 *                                 carries, so a mix of an old and a new value cannot pass.
 *   nvramcheck write DIR KEYS     put records relw-0 .. relw-(KEYS-1) forever, each value
 *                                 a new sequence number, until killed (kill -9 at a random
 *                                 instant is the point).
 *
 * It touches nothing but DIR and uses only the public nvram API, so it checks what the
 * daemons would read back after a cut.  A kill -9 leaves the page cache intact (unlike a
 * real power cut): tests/unit/platform/ cuts between the file-system calls for that.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "platform/err.h"
#include "platform/nvram.h"

#define WKEY_PREFIX "relw-"

/* The payload of sequence number seq: u32 seq | u32 length | bytes derived from seq.
 * Its length varies with seq (16 .. 4111 bytes), so a torn write changes the size too. */
static size_t payload_make(uint32_t seq, uint8_t *buf, size_t cap)
{
	size_t len = 16 + (size_t)(seq * 2654435761u % 4096u), i;

	if (len > cap)
		len = cap;
	for (i = 0; i < 4; i++) {
		buf[i] = (uint8_t)(seq >> (24 - 8 * i));
		buf[4 + i] = (uint8_t)(len >> (24 - 8 * i));
	}
	for (i = 8; i < len; i++)
		buf[i] = (uint8_t)((seq * 31u + i * 7u) ^ (i >> 8));
	return len;
}

static int payload_ok(const uint8_t *p, size_t len)
{
	uint8_t want[4200];
	uint32_t seq;

	if (len < 8 || len > sizeof(want))
		return 0;
	seq = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	return payload_make(seq, want, sizeof(want)) == len && memcmp(want, p, len) == 0;
}

static int cmd_check(const char *dir)
{
	static uint8_t buf[NVRAM_VALUE_MAX];
	struct nvram *nv = NULL;
	struct dirent *e;
	DIR *d;
	unsigned records = 0, ok = 0, bad = 0, tmp_left = 0;
	int rc;

	d = opendir(dir);
	if (d == NULL) {   /* nothing was ever written: nothing can be corrupt */
		printf("nvramcheck: %s records=0 ok=0 corrupt=0 tmp-left=0 (no directory)\n", dir);
		return 0;
	}
	closedir(d);
	rc = nvram_open(&nv, dir, NULL);
	if (rc < 0) {
		printf("nvramcheck: %s cannot open: %s\n", dir, err_str(rc));
		return 1;
	}
	d = opendir(dir);
	while (d != NULL && (e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name), len = 0;

		if (e->d_name[0] == '.')
			continue;
		if (n > 4 && strcmp(e->d_name + n - 4, ".tmp") == 0) {
			tmp_left++;   /* nvram_open removes these: one left is a bug */
			continue;
		}
		records++;
		rc = nvram_get(nv, e->d_name, buf, sizeof(buf), &len);
		if (rc == 0 && (strncmp(e->d_name, WKEY_PREFIX, strlen(WKEY_PREFIX)) != 0 ||
				payload_ok(buf, len))) {
			ok++;
		} else {
			bad++;
			printf("nvramcheck: %s/%s: %s\n", dir, e->d_name,
			       rc < 0 ? err_str(rc) : "payload mixes two values");
		}
	}
	if (d != NULL)
		closedir(d);
	nvram_close(nv);
	printf("nvramcheck: %s records=%u ok=%u corrupt=%u tmp-left=%u\n", dir, records, ok, bad,
	       tmp_left);
	return bad == 0 && tmp_left == 0 ? 0 : 1;
}

static int cmd_write(const char *dir, unsigned keys)
{
	static uint8_t buf[4200];
	struct nvram *nv = NULL;
	char key[32];
	uint32_t seq = (uint32_t)rand();   /* differs per run only through the caller's seed */
	int rc;

	if (keys == 0 || keys > 64)
		return 2;
	rc = nvram_open(&nv, dir, NULL);
	if (rc < 0) {
		fprintf(stderr, "nvramcheck: %s cannot open: %s\n", dir, err_str(rc));
		return 1;
	}
	for (;;) {
		size_t len = payload_make(seq, buf, sizeof(buf));

		snprintf(key, sizeof(key), WKEY_PREFIX "%u", (unsigned)(seq % keys));
		rc = nvram_put(nv, key, buf, len);
		if (rc < 0) {
			fprintf(stderr, "nvramcheck: put %s: %s\n", key, err_str(rc));
			nvram_close(nv);
			return 1;
		}
		seq++;
	}
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "check") == 0)
		return cmd_check(argv[2]);
	if (argc == 4 && strcmp(argv[1], "write") == 0) {
		srand((unsigned)strtoul(argv[3], NULL, 10) ^ (unsigned)getpid());
		return cmd_write(argv[2], (unsigned)strtoul(argv[3], NULL, 10));
	}
	fprintf(stderr, "usage: nvramcheck check DIR | nvramcheck write DIR KEYS\n");
	return 2;
}
