/*
 * dl_body.h: what the configuration-file download does with the bytes and
 * the text libcurl hands it, apart from libcurl: the body kept under a bound
 * (announced or not), and the TFTP facts read from curl's informational
 * lines.  Pure and small, so a fuzz target drives it with any sequence of
 * chunks (tests/fuzz/fuzz_dl_body.c); download.c is the only user.
 */
#ifndef EUE_DL_BODY_H
#define EUE_DL_BODY_H

#include <stddef.h>
#include <stdint.h>

struct dl_body {
	uint8_t *buf;
	size_t len, cap;
	size_t max;      /* the bound: never more bytes kept, never more allocated */
	int too_big;     /* set once the bound refused something */
};

void dl_body_init(struct dl_body *b, size_t max);
/* A new attempt: no bytes, no refusal; the buffer is kept for reuse. */
void dl_body_reset(struct dl_body *b);
void dl_body_free(struct dl_body *b);

/* A size announced before the body (TFTP tsize, RFC 2349; HTTP
 * Content-Length): 0, or E_OVERFLOW (too_big set) when above the bound. */
int dl_body_announced(struct dl_body *b, uint64_t total);

/* Keep n more bytes: 0; E_OVERFLOW (too_big set, nothing kept) when they
 * would pass the bound; E_NOMEM. */
int dl_body_append(struct dl_body *b, const void *p, size_t n);

/* One informational line from libcurl (not NUL-terminated, any bytes):
 * "blksize parsed from OACK (N)" sets *blksize; "TFTP error: TEXT" copies the
 * server's TEXT, printable ASCII only, into err (cap bytes, NUL-terminated).
 * Returns 1 when the line was one of the two, 0 otherwise. */
int dl_info_line(const char *data, size_t size, unsigned *blksize, char *err, size_t cap);

#endif
