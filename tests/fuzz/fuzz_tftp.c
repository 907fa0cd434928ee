/* fuzz_tftp.c: the TFTP packet decoder. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tlv/tftp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tftp_pkt p;

	if (tftp_decode(&p, data, size) != 0)
		return 0;
	if (p.op == 6 && p.blksize && (p.blksize < 8 || p.blksize > 65464))
		abort();
	if ((p.op == 3 || p.op == 4) && p.len != size - 4)
		abort();
	if (strlen(p.err_msg) >= sizeof(p.err_msg))
		abort();
	return 0;
}
