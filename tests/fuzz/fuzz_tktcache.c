/*
 * fuzz_tktcache.c: the cached ticket's nvram record (kerberos/tktcache.c):
 * a power cut, bit rot or a file from elsewhere may leave any bytes there.
 * Properties: no crash; an accepted record re-encodes to exactly the input
 * (nothing is accepted that the encoder would not write), its names are
 * printable text and its creds lie inside the input; the rules give a
 * known verdict for it at any time, its times are Kerberos times.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kerberos/tktcache.h"
#include "platform/err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[TKT_RECORD_MAX];
	struct tkt_rec r;
	size_t len;
	enum tkt_verdict v;

	if (tkt_decode(&r, data, size) != 0)
		return 0;
	if (r.creds < data || r.creds + r.creds_len != data + size)
		abort();
	if (r.start < 0 || r.end < r.start || r.end > (int64_t)UINT32_MAX)
		abort();
	for (const char *p = r.client; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f)
			abort();
	if (tkt_encode(&r, out, sizeof(out), &len) != 0 || len != size || memcmp(out, data, size) != 0)
		abort();
	v = tkt_check(&r, r.start, TKT_GRACE_DEFAULT_S, r.client, r.server);
	if (v != TKT_USABLE && v != TKT_EXPIRING)
		abort();
	if (tkt_check(&r, r.start - TKT_SKEW_S - 1, 0, r.client, r.server) != TKT_NOT_YET)
		abort();
	return 0;
}
