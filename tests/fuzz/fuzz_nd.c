/* fuzz_nd.c: the Router Advertisement parser (tlv/nd.c) and the RS writer. */
#include <stdint.h>
#include <stdlib.h>

#include "tlv/nd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nd_ra ra;
	uint8_t rs[ND_RS_LEN];
	struct wr w;
	int rc = nd_ra_parse(&ra, data, size);

	if (rc != 0) {
		/* every failure is named and points inside (or just past) the input */
		if (nd_err_str(rc)[0] == '?' || ra.err_off > size)
			abort();
		return 0;
	}
	if (size < ND_RA_HDR_LEN || data[0] != ND_ROUTER_ADVERT || data[1] != 0)
		abort();
	if (ra.n_prefix > ND_PREFIX_MAX || ra.n_prefix > ra.n_prefix_seen)
		abort();
	for (unsigned i = 0; i < ra.n_prefix; i++)
		if (ra.prefix[i].plen > 128)
			abort();
	if (ra.managed != ((data[5] & ND_RA_F_MANAGED) != 0))
		abort();
	/* the options of an accepted RA fill it exactly: 8-octet units */
	if ((size - ND_RA_HDR_LEN) % 8 != 0)
		abort();
	if (size >= 6) {
		wr_init(&w, rs, sizeof(rs));
		nd_put_rs(&w, data);
		if (w.err != 0 || w.len != ND_RS_LEN)
			abort();
	}
	return 0;
}
