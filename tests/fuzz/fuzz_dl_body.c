/*
 * fuzz_dl_body.c: the configuration-file download's size and content
 * handling (eue/dl_body.c), as libcurl would drive it, in any order.
 * Input: 2 bytes of bound (1..65535), then records of one op byte:
 *   0: an announced size (8 bytes, big-endian)   1: a chunk (2-byte length, bytes)
 *   2: a curl informational line (1-byte length, bytes)   3: a new attempt
 * Oracles: a shadow copy of every accepted chunk equals the body; nothing is
 * kept past the bound, nor allocated past it; a refused chunk changes
 * nothing; an announcement is refused exactly when above the bound; a
 * blksize read is in RFC 2348's range; an error text is printable.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eue/dl_body.h"
#include "platform/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t shadow[65535];
	struct dl_body b;
	size_t i = 2, slen = 0, max;
	unsigned bs = 0;
	char err[64];

	if (size < 2)
		return 0;
	max = (size_t)data[0] << 8 | data[1];
	if (max == 0)
		return 0;
	dl_body_init(&b, max);
	while (i < size) {
		uint8_t op = data[i++] & 3;

		if (op == 0 && size - i >= 8) {
			uint64_t t = 0;

			for (int k = 0; k < 8; k++)
				t = t << 8 | data[i + k];
			i += 8;
			if ((dl_body_announced(&b, t) != 0) != (t > max))
				abort();
		} else if (op == 1 && size - i >= 2) {
			size_t n = (size_t)data[i] << 8 | data[i + 1], before = b.len;
			int rc;

			i += 2;
			if (n > size - i)
				n = size - i;
			rc = dl_body_append(&b, data + i, n);
			if (rc == 0) {
				memcpy(shadow + slen, data + i, n);
				slen += n;
			} else if (rc != E_OVERFLOW || b.len != before || !b.too_big ||
				   n <= max - before) {
				abort();
			}
			i += n;
		} else if (op == 2 && size - i >= 1) {
			size_t n = data[i++];

			if (n > size - i)
				n = size - i;
			bs = 0;
			err[0] = '\0';
			(void)dl_info_line((const char *)data + i, n, &bs, err, sizeof(err));
			if (bs != 0 && (bs < 8 || bs > 65464))
				abort();
			for (size_t k = 0; err[k] != '\0'; k++)
				if (k >= sizeof(err) - 1 || err[k] < 0x20 || err[k] > 0x7e)
					abort();
			i += n;
		} else if (op == 3) {
			dl_body_reset(&b);
			slen = 0;
		} else {
			break;
		}
		if (b.len != slen || b.len > max || b.cap > max ||
		    (slen && memcmp(b.buf, shadow, slen) != 0))
			abort();
	}
	dl_body_free(&b);
	return 0;
}
