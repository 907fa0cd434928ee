/* fuzz_ipudp.c: the IPv4/UDP header decoder; what decodes re-encodes to a
 * packet that decodes to the same fields and payload. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tlv/ipudp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[70000];
	struct ipudp u, v;
	struct wr w;

	if (ipudp_decode(&u, data, size) != 0)
		return 0;
	wr_init(&w, buf, sizeof(buf));
	ipudp_encode(&w, u.src, u.dst, u.sport, u.dport, 1, u.payload, u.len);
	if (w.err || ipudp_decode(&v, buf, w.len) != 0)
		abort();
	if (v.src != u.src || v.dst != u.dst || v.sport != u.sport || v.dport != u.dport ||
	    v.len != u.len || memcmp(v.payload, u.payload, u.len) != 0)
		abort();
	return 0;
}
